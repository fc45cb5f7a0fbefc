"""Search planning: 20 search units over a POC map of about 10^5 cells, and the gap to the bound.

The map is a drift ensemble of the bundled example scenario (an overloaded fishing boat adrift
in the Andaman Sea, 48 h, on the SYNTHETIC monsoon forcing: :func:`sarkit.scenario.
default_scenario`), gridded by :func:`sarkit.poc.poc_grid` at the end of the run with a cell
small enough for about 10^5 cells. The units are real types of the region's catalogue
(``sarkit/tables/asset_types.csv``) at their rescue centres (``rcc.csv``): on-scene time is the
endurance less the great-circle transit both ways (:func:`sarkit.planning.transit`), capped by
a daylight search window; sweep widths come from the IAMSAR/USCG tables with weather and speed
corrections (:func:`sarkit.planning.corrected_sweep_width_nm`). Where the catalogue has no
figure (search speeds and heights everywhere, some cruise speeds and endurances), the figure
used here is an assumption of this benchmark, marked ``assumed`` in :data:`FLEET`. Ships of
opportunity (merchant ships diverted by the RCC) are given by position.

Cases:

* **20 units** (the issue's benchmark): the wall time of :func:`sarkit.planning.allocate`
  (median of several repeats) with cells, units, total POS, bound and gap;
* **several assets** (the issue's "within 10 % of the bound on a realistic map"): the first
  five units on the same map, and the 20 units on the map at the automatic cell size;
* **scarce effort** (the issue's two ships, 8 hours, a life raft): the whole planner
  (:func:`sarkit.planning.plan_search`, POS as flown) with the 2-3 rectangles per sortie it
  may choose and with one rectangle per ship, against the optimal-effort bound;
* **MILP** (``--milp``): on a coarse copy of the map, the heuristic against the exact optimum
  of the same discrete problem (one block of candidate sizes per unit, blocks disjoint), solved
  by :func:`scipy.optimize.milp` (HiGHS).

Run it from the repository root:

    python benchmarks/planning.py [--particles 200000] [--cell-nm 0.3] [--repeats 5] [--milp]

``--trajectories FILE`` uses a saved drift result instead of running the scenario.

The issue's target: under 10 s for 20 assets over 10^5 cells on the 2-core machine.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import xarray as xr
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sarkit.app.run import drift_scenario
from sarkit.files.scenario_toml import default_scenario
from sarkit.planning import (
    Asset,
    AssetType,
    SearchUnit,
    SearchWindow,
    Weather,
    allocate,
    asset_type,
    corrected_sweep_width_nm,
    plan_search,
    rescue_centre,
    transit,
)
from sarkit.planning.allocate import (
    Allocation,
    _axis_frame,
    _blocks_pos,
    _fits,
    _lattice,
    _sizes,
)
from sarkit.poc import poc_grid
from sarkit.poc.grid import PocGrid
from sarkit.units import NAUTICAL_MILE

SEARCH_OBJECT = "raft_6p"  # the boat is lost; the survivors are in a 6-person life raft
VISIBILITY_NM = 10.0
WIND_KT = 15.0  # southwest monsoon
SEAS_M = 1.5
WINDOW_H = 10.0  # daylight search period: no unit searches longer
HEIGHT_FT = {"fixed_wing": 1000.0, "helicopter": 500.0, "vessel": 14.0}

# name, catalogue type, centre (or (lon, lat) of a ship of opportunity), figures the catalogue
# lacks: the ones not in the catalogue are assumptions of this benchmark ("assumed").
FLEET: tuple[tuple[str, str, str | tuple[float, float], dict[str, float]], ...] = (
    ("ICG Dornier CG-791", "dornier-228-icg", "mrcc-port-blair", {"search_speed_kt": 150.0}),
    ("ICG Dornier CG-792", "dornier-228-icg", "mrcc-port-blair", {"search_speed_kt": 150.0}),
    ("BASARNAS CN-235 A", "cn235-mpa", "kantor-sar-banda-aceh", {"search_speed_kt": 150.0}),
    ("BASARNAS CN-235 B", "cn235-mpa", "kantor-sar-banda-aceh", {"search_speed_kt": 150.0}),
    # AW139: no cruise speed or endurance in the catalogue (assumed 145 kn, 4.5 h).
    ("RTN AW139", "aw139", "rtn-third-naval-area",
     {"cruise_speed_kt": 145.0, "endurance_h": 4.5, "search_speed_kt": 90.0}),
    ("MMEA AW139", "aw139", "mrsc-langkawi",
     {"cruise_speed_kt": 145.0, "endurance_h": 4.5, "search_speed_kt": 90.0}),
    ("KN SAR Karna", "kn-sar-class-2", "kantor-sar-banda-aceh", {"search_speed_kt": 12.0}),
    ("KN SAR Kresna", "kn-sar-class-2", "kantor-sar-banda-aceh", {"search_speed_kt": 12.0}),
    ("KN SAR Antareja", "kn-sar-class-2", "kantor-sar-medan", {"search_speed_kt": 12.0}),
    # M21: cruise speed assumed 20 kn.
    ("RTN T.991", "rtn-m21", "rtn-third-naval-area",
     {"cruise_speed_kt": 20.0, "search_speed_kt": 15.0}),
    ("RTN T.992", "rtn-m21", "rtn-third-naval-area",
     {"cruise_speed_kt": 20.0, "search_speed_kt": 15.0}),
    ("RTN T.993", "rtn-m21", "rtn-third-naval-area",
     {"cruise_speed_kt": 20.0, "search_speed_kt": 15.0}),
    # Krabi OPV: cruise 16 kn and endurance 10 days assumed (the most a roster may give).
    ("HTMS Krabi", "rtn-krabi-opv", "rtn-third-naval-area",
     {"cruise_speed_kt": 16.0, "endurance_h": 240.0, "search_speed_kt": 12.0}),
    ("HTMS Trang", "rtn-krabi-opv", "rtn-third-naval-area",
     {"cruise_speed_kt": 16.0, "endurance_h": 240.0, "search_speed_kt": 12.0}),
    # Bagan Datuk NGPC: cruise 18 kn and endurance 7 days assumed.
    ("KM Bagan Datuk", "mmea-bagan-datuk", "mrsc-langkawi",
     {"cruise_speed_kt": 18.0, "endurance_h": 168.0, "search_speed_kt": 12.0}),
    ("KM Sri Aman", "mmea-bagan-datuk", "mrsc-langkawi",
     {"cruise_speed_kt": 18.0, "endurance_h": 168.0, "search_speed_kt": 12.0}),
    # Myanmar patrol craft: cruise 16 kn and endurance 5 days assumed.
    ("MCG 47 m", "mcg-patrol-47m", "myanmar-coast-guard-hq",
     {"cruise_speed_kt": 16.0, "endurance_h": 120.0, "search_speed_kt": 12.0}),
    # Ships of opportunity (:data:`MERCHANT`) on the Malacca-Colombo route, 60-100 NM away.
    ("MV Ocean Pearl", "merchant", (97.9, 8.3), {"search_speed_kt": 12.0}),
    ("MV Andaman Star", "merchant", (95.6, 8.2), {"search_speed_kt": 12.0}),
    ("MV Coral Bay", "merchant", (96.2, 10.4), {"search_speed_kt": 12.0}),
)
"""The 20 units: name, type id, base, figures given."""


MERCHANT = AssetType(
    id="merchant", name="Merchant ship diverted by the RCC (benchmark assumption)",
    platform="vessel", operator="merchant fleet", cruise_speed_kt=14.0, search_speed_kt=None,
    endurance_h=48.0, search_height_ft=None, sensor="bridge lookouts", max_speed_kt=None,
    range_nm=None, tag="I", figures_note="all figures assumed for this benchmark", sources="",
)
"""A ship of opportunity: not in the catalogue; its figures are assumptions."""


def fleet(datum: tuple[float, float], ready: float) -> tuple[list[SearchUnit], list[str]]:
    """Search units for :data:`FLEET` searching around ``datum``, and one line per unit."""
    units, lines = [], []
    for name, type_id, base, figures in FLEET:
        where = {"base": base} if isinstance(base, tuple) else {"centre": rescue_centre(base)}
        kind = MERCHANT if type_id == MERCHANT.id else asset_type(type_id)
        height = HEIGHT_FT[kind.platform]
        asset = Asset(name, kind, ready, search_height_ft=height, **where, **figures)
        trip = transit(asset, *datum)
        hours = min(trip.on_scene_h, WINDOW_H)
        width = corrected_sweep_width_nm(SEARCH_OBJECT, kind.platform, height, VISIBILITY_NM,
                                         wind_kt=WIND_KT, seas_m=SEAS_M,
                                         search_speed_kt=asset.search_speed)
        units.append(SearchUnit(name, width, asset.search_speed, hours))
        lines.append(f"| {name} | {kind.platform} | {trip.distance_nm:.0f} | {hours:.1f} "
                     f"| {width:.2f} | {asset.search_speed:g} "
                     f"| {units[-1].effort_nm2:.0f} |")
    return units, lines


def _time(function, repeats: int):
    seconds, result = [], None
    for _ in range(repeats):
        begin = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - begin)
    return result, seconds


def _row(label: str, grid: PocGrid, units: list[SearchUnit], plan: Allocation,
         seconds: list[float]) -> str:
    ny, nx = grid.shape
    return (f"| {label} | {nx} x {ny} = {nx * ny} | {grid.cell_nm:g} | {len(units)} "
            f"| {len(plan.assignments)} | {statistics.median(seconds):.2f} "
            f"| {min(seconds):.2f} | {plan.total_pos:.4f} | {plan.bound:.4f} "
            f"| {100 * plan.gap:.1f} |")


def _heuristic_sizes(grid: PocGrid, plan: Allocation,
                     cell_nm: float) -> dict[str, tuple[int, int]]:
    """Block size (rows across, columns along the axis) of each assigned rectangle."""
    sizes = {}
    for a in plan.assignments:
        along_is_long = abs((a.orientation_deg - grid.spread_axis_deg + 90.0) % 180.0 - 90.0) < 45
        along, across = (a.length_nm, a.width_nm) if along_is_long else (a.width_nm, a.length_nm)
        sizes[a.unit.name] = (round(across / cell_nm), round(along / cell_nm))
    return sizes


def _milp_comparison(grid: PocGrid, units: list[SearchUnit], seconds: float) -> None:
    """The heuristic against the exact optimum of the same discrete problem, by HiGHS.

    Same lattice and POS rule as :func:`allocate` (its private helpers). Candidates of a unit:
    every position of every block size the heuristic tries for it (plus the size its local
    improvement ended with), where the block has POS > 0. Binary ``x[i, k]``: unit ``i`` gets
    candidate ``k``; at most one per unit; at most one block over each lattice cell.
    """
    plan, heuristic_s = _time(lambda: allocate(grid, units), 1)
    u, v, centre = _axis_frame(grid)
    lat = _lattice(grid, u, v, centre, np.zeros(grid.shape))
    cell_nm = lat.cell_m / NAUTICAL_MILE
    ends = _heuristic_sizes(grid, plan, cell_nm)
    gains, rows, owners = [], [], []
    for i, unit in enumerate(units):
        z = unit.effort_nm2
        sizes = set(_sizes(z, unit.track_length_nm, cell_nm, lat.na, lat.nb))
        if unit.name in ends and _fits(*ends[unit.name], unit.track_length_nm, cell_nm):
            sizes.add(ends[unit.name])
        for h, w in sorted(sizes):
            pos = _blocks_pos(lat, h, w, unit, cell_nm)
            bi, bj = np.nonzero(pos > 0)
            offsets = (np.arange(h)[:, None] * lat.na + np.arange(w)[None, :]).ravel()
            gains.append(pos[bi, bj])
            rows.append((bi * lat.na + bj)[:, None] + offsets[None, :])
            owners.append(np.full(bi.size, i))
    gain = np.concatenate(gains)
    owner = np.concatenate(owners)
    count = gain.size
    cells = lat.na * lat.nb
    # Cell rows: every candidate covers h * w cells; pad to one array per size group.
    col = np.concatenate([np.repeat(np.arange(r.shape[0]), r.shape[1]) for r in rows])
    col += np.repeat(np.cumsum([0] + [r.shape[0] for r in rows[:-1]]),
                     [r.size for r in rows])
    cell_rows = np.concatenate([r.ravel() for r in rows])
    cover = csr_array((np.ones(cell_rows.size), (cell_rows, col)), shape=(cells, count))
    one_each = csr_array((np.ones(count), (owner, np.arange(count))), shape=(len(units), count))
    begin = time.perf_counter()
    result = milp(-gain, integrality=np.ones(count),
                  bounds=Bounds(0, 1),
                  constraints=[LinearConstraint(cover, -np.inf, 1),
                               LinearConstraint(one_each, -np.inf, 1)],
                  options={"time_limit": seconds, "mip_rel_gap": 1e-6})
    milp_s = time.perf_counter() - begin
    print()
    print(f"MILP (HiGHS) on the map at {cell_nm:g} NM ({grid.shape[1]} x {grid.shape[0]} cells; "
          f"lattice {lat.na} x {lat.nb}), the first {len(units)} units: {count} candidate "
          f"blocks, {cover.nnz} cell incidences")
    print()
    print("| method | POS | bound | gap to bound (%) | wall (s) | status |")
    print("|---|---:|---:|---:|---:|---|")
    print(f"| heuristic (allocate) | {plan.total_pos:.4f} | {plan.bound:.4f} "
          f"| {100 * plan.gap:.1f} | {heuristic_s[0]:.2f} | - |")
    if result.x is None:
        print(f"| MILP | - | {plan.bound:.4f} | - | {milp_s:.1f} | {result.message} |")
        return
    best = float(gain @ np.round(result.x))
    dual = -float(result.mip_dual_bound) if result.mip_dual_bound is not None else math.nan
    print(f"| MILP | {best:.4f} | {plan.bound:.4f} | {100 * (1 - best / plan.bound):.1f} "
          f"| {milp_s:.1f} | {result.message.strip()} (dual bound {dual:.4f}) |")
    print()
    print(f"heuristic / MILP POS: {plan.total_pos / best:.4f}")


def _scarce_effort(run: xr.Dataset) -> None:
    """Two ships for 8 daylight hours and a life raft: the plan as flown against the bound."""
    import importlib

    module = importlib.import_module("sarkit.planning.allocate")
    ready = float(np.datetime64("2024-06-10T12:00", "s").astype(np.int64))
    ships = [Asset("KN SAR Kresna 232", asset_type("kn-sar-class-2"), ready,
                   centre=rescue_centre("kantor-sar-banda-aceh"), search_speed_kt=10,
                   search_height_ft=14),
             Asset("HTMS T.991", asset_type("rtn-m21"), ready,
                   centre=rescue_centre("rtn-third-naval-area"), cruise_speed_kt=20,
                   search_speed_kt=12, search_height_ft=8)]
    window = SearchWindow.from_iso("2024-06-11T00:00Z", "2024-06-11T08:00Z")
    weather = Weather(visibility_nm=10, wind_kt=18, seas_m=1.5)
    print()
    print("Scarce effort: KN SAR Kresna 232 and HTMS T.991, 8 daylight hours "
          f"({window}), search object {SEARCH_OBJECT}; POS as flown (coverage of the track)")
    print()
    print("| rectangles per sortie | rectangles | POS | bound | gap (%) | wall (s) |")
    print("|---|---:|---:|---:|---:|---:|")
    chosen = module.PARTS
    for label, parts in (("one", (1,)), (f"up to {max(chosen)} (sarkit)", chosen)):
        module.PARTS = parts
        try:
            begin = time.perf_counter()
            plan = plan_search(run, ships, window, weather, search_object=SEARCH_OBJECT)
            wall = time.perf_counter() - begin
        finally:
            module.PARTS = chosen
        print(f"| {label} | {len(plan.assignments)} | {plan.total_pos:.4f} | "
              f"{plan.bound:.4f} | {100 * plan.gap:.1f} | {wall:.2f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=200_000)
    parser.add_argument("--trajectories", type=Path, default=None,
                        help="a drift result (netCDF) to use instead of running the scenario")
    parser.add_argument("--cell-nm", type=float, default=0.3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--milp", action="store_true",
                        help="also compare with the exact optimum of a small instance (MILP)")
    parser.add_argument("--milp-cell-nm", type=float, default=4.0)
    parser.add_argument("--milp-units", type=int, default=5)
    parser.add_argument("--milp-seconds", type=float, default=300.0)
    args = parser.parse_args(argv)

    begin = time.perf_counter()
    if args.trajectories is None:
        run = drift_scenario(default_scenario(), particles=args.particles)
        source = f"{args.particles} particles of the default scenario drifted"
    else:
        run = xr.load_dataset(args.trajectories)
        source = f"{run.sizes['trajectory']} particles read from {args.trajectories}"
    drift_s = time.perf_counter() - begin
    fine = poc_grid(run, -1, cell_nm=args.cell_nm)
    auto = poc_grid(run, -1)
    ready = float(run.time.values[-1].astype("datetime64[s]").astype(np.int64))
    units, lines = fleet((fine.datum_lon, fine.datum_lat), ready)

    print(f"{source} in {drift_s:.1f} s; {os.cpu_count()} CPUs; "
          f"allocate() wall time: median / best of {args.repeats}")
    print(repr(fine))
    print()
    print(f"Units (search object {SEARCH_OBJECT}, visibility {VISIBILITY_NM:g} NM, wind "
          f"{WIND_KT:g} kn, seas {SEAS_M:g} m, window {WINDOW_H:g} h):")
    print()
    print("| unit | platform | distance (NM) | on scene (h) | W (NM) | V (kn) | effort (NM²) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    print("\n".join(lines))
    print()
    print("| case | cells | cell (NM) | units | placed | median (s) | best (s) | POS | bound "
          "| gap (%) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    cases = [("20 units", fine, units, args.repeats), ("5 units", fine, units[:5], args.repeats),
             ("20 units, auto cell", auto, units, args.repeats)]
    plans = []
    for label, grid, chosen, repeats in cases:
        plan, seconds = _time(lambda g=grid, c=chosen: allocate(g, c), repeats)
        plans.append(plan)
        print(_row(label, grid, chosen, plan, seconds))
    print()
    for lo in plans[0].left_out:
        print(f"left out: {lo.unit.name}: {lo.reason}")
    _scarce_effort(run)
    if args.milp:
        coarse = poc_grid(run, -1, cell_nm=args.milp_cell_nm)
        _milp_comparison(coarse, units[:args.milp_units], args.milp_seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
