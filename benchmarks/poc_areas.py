"""POC grid and search areas for 10^6 particles: wall time.

A synthetic cloud stands in for a drift run: two Gaussian lobes (a main lobe of
sigma 6 x 3 NM and a second lobe 15 NM east-north-east of it, 40 % of the
particles), 1 % stranded and 0.5 % out of the domain, with unequal weights (as
after a search update) or equal weights. The script times
:func:`sarkit.poc.poc_grid` and :func:`sarkit.poc.search_areas` separately,
best and median of several repeats, and prints a markdown table.

Run it from the repository root:

    python benchmarks/poc_areas.py [--particles 1000000] [--repeats 5]

The issue's target: under 1 s for grid + areas at 10^6 particles on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import xarray as xr
from pyproj import CRS, Transformer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sarkit.poc import poc_grid, search_areas
from sarkit.units import NAUTICAL_MILE

CENTRE = (-9.5, 43.0)  # off Cape Finisterre


def synthetic_cloud(count: int, equal_weights: bool, seed: int = 1) -> xr.Dataset:
    """A two-lobe cloud with a few stranded and lost particles, as a trajectory Dataset."""
    rng = np.random.default_rng(seed)
    second = int(0.4 * count)
    first = count - second
    east = np.r_[rng.normal(0.0, 6.0, first), rng.normal(14.0, 3.0, second)]
    north = np.r_[rng.normal(0.0, 3.0, first), rng.normal(5.0, 4.0, second)]
    crs = CRS.from_proj4(f"+proj=laea +lon_0={CENTRE[0]} +lat_0={CENTRE[1]} +ellps=WGS84")
    lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(
        east * NAUTICAL_MILE, north * NAUTICAL_MILE)
    status = rng.choice(np.array([0, 1, 2], np.int8), size=count, p=[0.985, 0.01, 0.005])
    weight = np.ones(count) if equal_weights else rng.uniform(0.2, 1.0, count)
    weight /= weight.sum()
    time_axis = np.array(["2026-01-15T12:00"], dtype="datetime64[ns]")
    return xr.Dataset(
        {
            "lon": (("trajectory", "time"), np.asarray(lon)[:, None]),
            "lat": (("trajectory", "time"), np.asarray(lat)[:, None]),
            "status": (("trajectory", "time"), status[:, None]),
            "weight": (("trajectory",), weight),
        },
        coords={"trajectory": np.arange(count), "time": ("time", time_axis)},
    )


def _time(function, repeats: int):
    seconds, result = [], None
    for _ in range(repeats):
        begin = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - begin)
    return result, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    print(f"{args.particles} particles, {os.cpu_count()} CPUs, best / median of {args.repeats}")
    print()
    print("| weights | cells | cell (NM) | poc_grid (s) | search_areas (s) | total best (s) "
          "| total median (s) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for equal in (True, False):
        cloud = synthetic_cloud(args.particles, equal)
        grid, grid_s = _time(lambda c=cloud: poc_grid(c), args.repeats)
        areas, area_s = _time(lambda g=grid: search_areas(g), args.repeats)
        totals = [a + b for a, b in zip(grid_s, area_s, strict=True)]
        ny, nx = grid.shape
        print(f"| {'equal' if equal else 'unequal'} | {nx} x {ny} | {grid.cell_nm:g} "
              f"| {min(grid_s):.3f} | {min(area_s):.3f} | {min(totals):.3f} "
              f"| {statistics.median(totals):.3f} |")
    print()
    print(repr(grid))
    for level in areas.levels:
        print(f"  {level.level:.0%} area: {level.area_nm2:.1f} NM², holds {level.probability:.4f}, "
              f"{level.cells} cells, {level.polygon.geom_type}")
    rect = areas.rectangle
    print(f"  90 % rectangle: {rect.length_nm:.1f} x {rect.width_nm:.1f} NM, "
          f"{rect.area_nm2:.1f} NM², holds {rect.probability:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
