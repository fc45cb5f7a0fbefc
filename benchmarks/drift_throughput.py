"""Drift throughput: sarkit against OpenDrift's Leeway model, side by side in one script.

Runs the same scenario -- a fishing vessel (FISHING-VESSEL-1) adrift in the
Andaman Sea on the bundled SYNTHETIC monsoon current and wind, 48 h, real
coastline on -- with sarkit for 10^4..10^6 particles at 10 and 15 minute
steps, and with OpenDrift's Leeway model (when it is installed) for the same
scenario. Prints a markdown table of particle-steps per second and the ratio,
and compares the final clouds (centroid and spread).

Run it from the repository root, in an environment of its own:

    python3 -m venv .venv-bench && .venv-bench/bin/pip install -e . opendrift
    .venv-bench/bin/python benchmarks/drift_throughput.py

Timings are wall-clock on whatever machine runs it: compare the ratios, which
are measured in the same process, not the absolute numbers across machines.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CURRENTS = REPO / "data" / "andaman_synthetic_currents.nc"
WINDS = REPO / "data" / "andaman_synthetic_winds.nc"
LKP = (96.0, 9.0)  # open Andaman Sea, west of the Similan Islands
RADIUS_NM = 5.0
START = "2024-06-10T00:00:00Z"
HOURS = 48.0
OBJECT = "FISHING-VESSEL-1"
DIFFUSIVITY = 0.0  # OpenDrift's Leeway model has no random walk: compare like with like


def _sarkit_run(count: int, step_minutes: float, seed: int = 1, own_wind_grid: bool = False):
    """One timed simulate(); ``own_wind_grid`` loads the current two columns narrower than
    the wind, so that the two are on different grids (sampled apart; the same values where
    the particles are, so the same result)."""
    from sarkit.drift.coast import land_mask
    from sarkit.drift.leeway import object_class
    from sarkit.drift.seeding import point
    from sarkit.drift.simulate import simulate
    from sarkit.forcing import open_forcing

    box = (91.0, 4.0, 100.0, 16.0)
    currents = open_forcing(CURRENTS, "current").load((91.0, 4.0, 99.0, 16.0) if own_wind_grid
                                                      else box)
    winds = open_forcing(WINDS, "wind").load(box)
    land = land_mask(box)
    particles = point(*LKP, radius_nm=RADIUS_NM, time=START, count=count,
                      obj=object_class(OBJECT), seed=seed)
    begin = time.perf_counter()
    result = simulate(particles, currents, winds, duration_hours=HOURS,
                      timestep_minutes=step_minutes, output_every_minutes=60.0, seed=seed,
                      diffusivity_m2_s=DIFFUSIVITY, land=land)
    seconds = time.perf_counter() - begin
    steps = round(HOURS * 60 / step_minutes)
    return result, seconds, count * steps


def _opendrift_run(count: int, step_minutes: float):
    from datetime import datetime, timedelta

    from opendrift.models.leeway import Leeway
    from opendrift.readers import reader_netCDF_CF_generic

    model = Leeway(loglevel=50)
    model.add_reader([reader_netCDF_CF_generic.Reader(str(CURRENTS)),
                      reader_netCDF_CF_generic.Reader(str(WINDS))])
    names = [model.leewayprop[k]["OBJKEY"] for k in sorted(model.leewayprop)]
    object_type = sorted(model.leewayprop)[names.index(OBJECT)]
    model.seed_elements(lon=LKP[0], lat=LKP[1], radius=RADIUS_NM * 1852.0,
                        radius_type="uniform", number=count, time=datetime(2024, 6, 10),
                        object_type=object_type)
    begin = time.perf_counter()
    model.run(duration=timedelta(hours=HOURS), time_step=timedelta(minutes=step_minutes),
              time_step_output=timedelta(hours=1))
    seconds = time.perf_counter() - begin
    lon = np.ma.filled(model.result.lon.isel(time=-1).values, np.nan)
    lat = np.ma.filled(model.result.lat.isel(time=-1).values, np.nan)
    steps = round(HOURS * 60 / step_minutes)
    return (lon, lat), seconds, count * steps


def _cloud(lon: np.ndarray, lat: np.ndarray) -> tuple[float, float, float]:
    """Centroid (lon, lat) and RMS spread about it in km of the finite positions."""
    good = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = lon[good], lat[good]
    mid_lon, mid_lat = lon.mean(), lat.mean()
    dx = (lon - mid_lon) * 111.195 * np.cos(np.radians(mid_lat))
    dy = (lat - mid_lat) * 111.195
    return float(mid_lon), float(mid_lat), float(np.sqrt(np.mean(dx**2 + dy**2)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--steps", type=float, nargs="+", default=[10.0, 15.0],
                        help="time steps in minutes")
    parser.add_argument("--opendrift-particles", type=int, default=100_000,
                        help="ensemble size for the OpenDrift comparison (0 to skip)")
    args = parser.parse_args(argv)
    threads = os.environ.get("NUMBA_NUM_THREADS", str(os.cpu_count()))
    print(f"# sarkit drift throughput ({threads} threads, {HOURS:g} h, land on, "
          f"{OBJECT}, SYNTHETIC Andaman forcing)\n")
    _sarkit_run(100, 10.0)  # compile (or load the cached kernels) before timing
    print("| model | particles | step (min) | wall (s) | particle-steps/s |")
    print("|---|---:|---:|---:|---:|")
    sarkit_rate = {}
    for step in args.steps:
        for count in args.particles:
            result, seconds, work = _sarkit_run(count, step)
            sarkit_rate[(count, step)] = (work / seconds, result)
            print(f"| sarkit | {count} | {step:g} | {seconds:.2f} | {work / seconds:.3g} |")
    count = 100_000 if 100_000 in args.particles else args.particles[0]
    step = args.steps[0]
    result, seconds, work = _sarkit_run(count, step, own_wind_grid=True)
    print(f"| sarkit, wind on a grid of its own | {count} | {step:g} | {seconds:.2f} | "
          f"{work / seconds:.3g} |")
    same = result.lon.values[:, -1] == sarkit_rate[(count, step)][1].lon.values[:, -1]
    note = (f"\nCurrent and wind on one grid are read together, on grids of their own apart: "
            f"{np.mean(same) * 100:.0f} % of the final positions identical.")
    if args.opendrift_particles <= 0:
        print(note)
        return 0
    try:
        import opendrift  # noqa: F401
    except ImportError:
        print(note)
        print("\nOpenDrift is not installed here: `pip install opendrift` to compare.")
        return 0
    count, step = args.opendrift_particles, args.steps[0]
    (od_lon, od_lat), seconds, work = _opendrift_run(count, step)
    print(f"| OpenDrift Leeway | {count} | {step:g} | {seconds:.2f} | {work / seconds:.3g} |")
    print(note)
    if (count, step) in sarkit_rate:
        rate, result = sarkit_rate[(count, step)]
    else:
        result, sk_seconds, sk_work = _sarkit_run(count, step)
        rate = sk_work / sk_seconds
    print(f"\nsarkit / OpenDrift throughput at {count} particles, {step:g} min: "
          f"{rate / (work / seconds):.0f}x")
    final = result.isel(time=-1)
    ours = _cloud(final.lon.values, final.lat.values)
    theirs = _cloud(od_lon, od_lat)
    shift = np.hypot((ours[0] - theirs[0]) * 111.195 * np.cos(np.radians(ours[1])),
                     (ours[1] - theirs[1]) * 111.195)
    print("\n| model | centroid lon | centroid lat | RMS spread (km) |")
    print("|---|---:|---:|---:|")
    print(f"| sarkit | {ours[0]:.4f} | {ours[1]:.4f} | {ours[2]:.2f} |")
    print(f"| OpenDrift | {theirs[0]:.4f} | {theirs[1]:.4f} | {theirs[2]:.2f} |")
    print(f"\ncentroids {shift:.2f} km apart = {100 * shift / theirs[2]:.1f} % of the spread; "
          f"spreads differ by {100 * (ours[2] / theirs[2] - 1):+.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
