"""sarkit against OpenDrift's Leeway model on a real projected model grid.

The drift comparison in ``drift_throughput.py`` runs on the bundled SYNTHETIC Andaman forcing
(a regular grid). This one runs both models on real model output: the met.no Arctic20 ROMS
file (``../shared/data/realworld/opendrift/Arctic20_1to5Feb_2016.nc``, a 20 km
polar-stereographic grid, the surface current; OpenDrift's own test file), which sarkit
samples on the model's own grid and OpenDrift reads with its generic CF reader. The object
is LIFE-RAFT-SB-7, whose crosswind leeway is symmetric (the same slope to the right and
left, no offsets), so that the two models' conventions for the crosswind side and the
zero-wind leeway do not enter; the wind is a constant 10 m/s from the south-west (the
same in both, no wind file covers these dates); no random walk (OpenDrift's Leeway has
none); jibing 4 %/h in both; land on in both (GSHHG).

Run it from the repository root, in an environment of its own:

    python3 -m venv .venv-bench && .venv-bench/bin/pip install -e . opendrift
    .venv-bench/bin/python benchmarks/real_grid_agreement.py

It prints the clouds (centroid and RMS spread) after 24 and 48 h of sarkit, of OpenDrift as
it reads the file, and of OpenDrift told the file's own projection: OpenDrift's generic reader
puts the polar-stereographic grid on the WGS84 ellipsoid where the file's ``proj4_string``
says a sphere of 6371 km, which moves the grid by several km at 70 N.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
ARCTIC = REPO.parent / "shared" / "data" / "realworld" / "opendrift" / "Arctic20_1to5Feb_2016.nc"
LKP = (12.0, 69.5)  # Norwegian Sea, off the Lofoten shelf, in the Norwegian Atlantic Current
RADIUS_NM = 5.0
START = datetime(2016, 2, 2, 12)
HOURS = 48.0
STEP_MINUTES = 15.0
OBJECT = "LIFE-RAFT-SB-7"
WIND = (7.071, 7.071)  # m/s towards east, north: 10 m/s from the south-west


def _cloud(lon: np.ndarray, lat: np.ndarray) -> tuple[float, float, float, int]:
    """Centroid (lon, lat), RMS spread about it in km, and the count of finite positions."""
    good = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = lon[good], lat[good]
    mid_lon, mid_lat = lon.mean(), lat.mean()
    dx = (lon - mid_lon) * 111.195 * np.cos(np.radians(mid_lat))
    dy = (lat - mid_lat) * 111.195
    return float(mid_lon), float(mid_lat), float(np.sqrt(np.mean(dx**2 + dy**2))), int(good.sum())


def _sarkit(count: int, seed: int):
    from sarkit.drift.coast import land_mask
    from sarkit.drift.leeway import object_class
    from sarkit.drift.seeding import point
    from sarkit.drift.simulate import simulate
    from sarkit.forcing import ConstantSource, open_forcing

    box = (LKP[0] - 8.0, LKP[1] - 3.0, LKP[0] + 8.0, LKP[1] + 3.0)
    currents = open_forcing(ARCTIC, "current").load(box)
    particles = point(*LKP, radius_nm=RADIUS_NM, time=np.datetime64(START, "s"), count=count,
                      obj=object_class(OBJECT), seed=seed)
    result = simulate(particles, currents, ConstantSource("wind", *WIND),
                      duration_hours=HOURS, timestep_minutes=STEP_MINUTES,
                      output_every_minutes=60.0, seed=seed, diffusivity_m2_s=0.0,
                      land=land_mask(box))
    counts = {int(s): int(n) for s, n in zip(*np.unique(result.status.values[:, -1],
                                                          return_counts=True), strict=True)}
    return result, counts, currents.notes


FILE_SPHERE = "+proj=stere +a=6371000 +b=6371000 +lat_0=90 +lat_ts=60 +lon_0=58 +units=m"
"""The projection the file states (its ``proj4_string``): on a sphere of 6371 km."""


def _opendrift(count: int, proj4: str | None = None):
    from opendrift.models.leeway import Leeway
    from opendrift.readers import reader_netCDF_CF_generic

    model = Leeway(loglevel=50)
    reader = reader_netCDF_CF_generic.Reader(str(ARCTIC), **({"proj4": proj4} if proj4 else {}))
    model.add_reader(reader)
    model.set_config("environment:fallback:x_wind", WIND[0])
    model.set_config("environment:fallback:y_wind", WIND[1])
    names = [model.leewayprop[k]["OBJKEY"] for k in sorted(model.leewayprop)]
    object_type = sorted(model.leewayprop)[names.index(OBJECT)]
    model.seed_elements(lon=LKP[0], lat=LKP[1], radius=RADIUS_NM * 1852.0,
                        radius_type="uniform", number=count, time=START,
                        object_type=object_type)
    model.run(duration=timedelta(hours=HOURS), time_step=timedelta(minutes=STEP_MINUTES),
              time_step_output=timedelta(hours=1))
    return model.result, reader.proj4


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=10_000)
    args = parser.parse_args(argv)
    if not ARCTIC.exists():
        print(f"the Arctic20 file is not here ({ARCTIC}): this benchmark needs ../shared/data")
        return 1
    try:
        import opendrift
    except ImportError:
        print("OpenDrift is not installed here: `pip install opendrift` to compare.")
        return 1
    ours, counts, notes = _sarkit(args.particles, seed=1)
    peers = [("OpenDrift", *_opendrift(args.particles)),
             ("OpenDrift, the file's sphere", *_opendrift(args.particles, FILE_SPHERE))]
    print(f"# sarkit and OpenDrift {opendrift.__version__} Leeway on Arctic20 "
          f"(polar-stereographic ROMS), {OBJECT}, {args.particles} particles, "
          f"{STEP_MINUTES:g} min steps, LKP {LKP[1]}N {LKP[0]}E r {RADIUS_NM:g} NM\n")
    print(f"sarkit final status counts {counts}; forcing: {notes[-1]}")
    for name, _, proj4 in peers:
        print(f"{name}: the grid read with {proj4}")
    print("\n| hours | model | centroid lon | centroid lat | RMS spread (km) | particles |")
    print("|---:|---|---:|---:|---:|---:|")
    lines = []
    for hours in (24, 48):
        mine = ours.isel(time=hours)
        a = _cloud(mine.lon.values, mine.lat.values)
        print(f"| {hours} | sarkit | {a[0]:.4f} | {a[1]:.4f} | {a[2]:.2f} | {a[3]} |")
        for name, result, _ in peers:
            b = _cloud(np.ma.filled(result.lon.isel(time=hours).values, np.nan),
                       np.ma.filled(result.lat.isel(time=hours).values, np.nan))
            print(f"| {hours} | {name} | {b[0]:.4f} | {b[1]:.4f} | {b[2]:.2f} | {b[3]} |")
            shift = np.hypot((a[0] - b[0]) * 111.195 * np.cos(np.radians(a[1])),
                             (a[1] - b[1]) * 111.195)
            lines.append(f"after {hours} h, against {name}: centroids {shift:.2f} km apart = "
                         f"{100 * shift / b[2]:.1f} % of the spread; spreads differ by "
                         f"{100 * (a[2] / b[2] - 1):+.1f} %")
    print()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
