"""Assignment of rectangles to search units: the bound, the benchmark gap, geometry, left-outs."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from sarkit.errors import BadValueError
from sarkit.planning.allocate import Allocation, SearchUnit, allocate
from sarkit.poc.grid import PocGrid, poc_grid
from sarkit.units import NAUTICAL_MILE
from tests.poc import make_trajectories, offsets_to_lonlat

BENCHMARK_GAP = 0.10


def _two_lobes(seed: int = 1, n: int = 40_000, bearing_deg: float = 30.0,
               cell_nm: float = 0.5) -> PocGrid:
    """A realistic map: two elongated Gaussian lobes (60 % / 40 %), ~60 x 50 cells."""
    rng = np.random.default_rng(seed)
    first = rng.random(n) < 0.6
    along = np.where(first, rng.normal(-4.0, 3.5, n), rng.normal(6.0, 3.0, n))
    across = np.where(first, rng.normal(-1.0, 1.8, n), rng.normal(2.0, 1.5, n))
    t = math.radians(bearing_deg)
    east = along * math.sin(t) + across * math.cos(t)
    north = along * math.cos(t) - across * math.sin(t)
    lon, lat = offsets_to_lonlat(east, north)
    return poc_grid(make_trajectories(lon, lat), cell_nm=cell_nm)


def _gaussian(seed: int) -> PocGrid:
    rng = np.random.default_rng(seed)
    n = 5_000
    sx, sy = rng.uniform(0.5, 4.0, 2)
    lon, lat = offsets_to_lonlat(rng.normal(0, sx, n), rng.normal(0, sy, n))
    return poc_grid(make_trajectories(lon, lat))


@pytest.fixture(scope="module")
def lobes() -> PocGrid:
    return _two_lobes()


FLEET = [
    SearchUnit("helo", 3.0, 90.0, 0.3),
    SearchUnit("lifeboat", 2.0, 15.0, 4.0),
    SearchUnit("rib", 0.5, 8.0, 5.0),
    SearchUnit("cutter", 1.0, 10.0, 6.0),
    SearchUnit("fishing", 1.2, 12.0, 2.0),
]


def _projected(polygon: shapely.Polygon, grid: PocGrid) -> shapely.Polygon:
    forward = grid.from_lonlat()
    return shapely.transform(
        polygon, lambda c: np.column_stack(forward.transform(c[:, 0], c[:, 1])))


def _check_plan(plan: Allocation, grid: PocGrid) -> None:
    assert plan.total_pos <= plan.bound * (1 + 1e-12)
    assert plan.total_pos == pytest.approx(sum(a.pos for a in plan.assignments))
    for a in plan.assignments:
        assert a.pos == pytest.approx(a.poc_in_rectangle * a.pod, rel=1e-12)
        assert a.pod == pytest.approx(1 - math.exp(-a.coverage))
        # the effort flown: whole legs spanning the rectangle, within the unit's track
        assert a.coverage <= a.unit.effort_nm2 / a.area_nm2 * (1 + 1e-9)
        legs = round(a.width_nm / a.track_spacing_nm)
        assert legs * a.track_spacing_nm == pytest.approx(a.width_nm)
        track = legs * a.length_nm - a.track_spacing_nm
        assert track <= a.unit.track_length_nm * (1 + 1e-9)
        assert a.coverage == pytest.approx(a.unit.sweep_width_nm * track / a.area_nm2)
        assert a.area_nm2 == pytest.approx(a.length_nm * a.width_nm)
        assert a.length_nm >= a.width_nm
        assert a.track_spacing_nm <= a.width_nm * (1 + 1e-9)
        assert 0 <= a.poc_in_rectangle <= 1 + 1e-12
        assert a.polygon.is_valid
        xy = _projected(a.polygon, grid)
        assert xy.area / NAUTICAL_MILE**2 == pytest.approx(a.area_nm2, rel=1e-9)
    for a, b in itertools.combinations(plan.assignments, 2):
        overlap = a.polygon.intersection(b.polygon).area
        assert overlap <= 1e-9 * min(a.polygon.area, b.polygon.area)
        overlap_m2 = _projected(a.polygon, grid).intersection(_projected(b.polygon, grid)).area
        assert overlap_m2 / NAUTICAL_MILE**2 <= 1e-9 * min(a.area_nm2, b.area_nm2)


def test_benchmark_within_ten_percent_of_the_bound(lobes: PocGrid) -> None:
    assert 50 <= lobes.shape[0] <= 80 and 40 <= lobes.shape[1] <= 70
    plan = allocate(lobes, FLEET)
    _check_plan(plan, lobes)
    assert not plan.left_out
    print(f"\nbenchmark: POS {plan.total_pos:.4f}, bound {plan.bound:.4f}, "
          f"gap {100 * plan.gap:.2f} %")
    assert plan.gap <= BENCHMARK_GAP


@pytest.mark.parametrize("scale", [0.3, 1.0, 3.0])
def test_benchmark_other_effort_levels(lobes: PocGrid, scale: float) -> None:
    units = [SearchUnit(u.name, u.sweep_width_nm, u.search_speed_kt, u.on_scene_h * scale)
             for u in FLEET[1:]]
    plan = allocate(lobes, units)
    _check_plan(plan, lobes)
    print(f"\neffort x{scale}: gap {100 * plan.gap:.2f} %")
    assert plan.gap <= BENCHMARK_GAP


@pytest.mark.parametrize("seed", range(6))
def test_pos_never_exceeds_the_bound(seed: int) -> None:
    grid = _gaussian(seed)
    rng = np.random.default_rng(100 + seed)
    units = [SearchUnit(f"u{i}", rng.uniform(0.1, 3.0), rng.uniform(3, 20), rng.uniform(0.1, 6))
             for i in range(rng.integers(1, 6))]
    plan = allocate(grid, units)
    _check_plan(plan, grid)


# no subnormal numbers (a sweep width of 1e-320 NM): their sums round past the bound's
_UNIT = st.tuples(st.floats(0.0, 4.0, allow_subnormal=False),
                  st.floats(0.0, 30.0, allow_subnormal=False),
                  st.floats(0.0, 8.0, allow_subnormal=False))


@settings(max_examples=25, deadline=None)
@given(params=st.lists(_UNIT, min_size=1, max_size=6))
def test_pos_never_exceeds_the_bound_any_fleet(lobes: PocGrid, params: list) -> None:
    units = [SearchUnit(f"u{i}", *p) for i, p in enumerate(params)]
    plan = allocate(lobes, units)
    _check_plan(plan, lobes)
    assert len({a.unit.name for a in plan.assignments}) + len(plan.left_out) == len(units)
    _check_parts(plan, units, lobes)


def _check_parts(plan: Allocation, units: list[SearchUnit], grid: PocGrid) -> None:
    """Each unit's rectangles are numbered 1..n in the order searched, share its time, and
    leave at least the time to go from each to the next at the search speed."""
    for unit in units:
        parts = [a for a in plan.assignments if a.unit.name == unit.name]
        if not parts:
            continue
        assert [a.part for a in parts] == list(range(1, len(parts) + 1))
        assert {a.parts for a in parts} == {len(parts)}
        moves_nm = sum(_projected(a.polygon, grid).distance(_projected(b.polygon, grid))
                       for a, b in itertools.pairwise(parts)) / NAUTICAL_MILE
        hours = sum(a.unit.on_scene_h for a in parts)
        assert hours + moves_nm / unit.search_speed_kt <= unit.on_scene_h * (1 + 1e-9)


def test_small_effort_sits_on_the_peak(lobes: PocGrid) -> None:
    plan = allocate(lobes, [SearchUnit("small", 0.2, 6.0, 1.0)])
    (a,) = plan.assignments
    assert a.area_nm2 < 10.0  # the map's 2-sigma ellipses cover well over 100 NM²
    # The rectangle holds the densest part of the map: its POC density is near the peak's
    # (over its area, smoothed by a 3x3 cell window).
    p = np.asarray(lobes.poc)
    padded = np.pad(p, 1)
    smooth = sum(padded[i:i + p.shape[0], j:j + p.shape[1]] for i in range(3) for j in range(3))
    peak = smooth.max() / (9 * lobes.cell_area_nm2)
    assert a.poc_in_rectangle / a.area_nm2 >= 0.8 * peak
    x, y = lobes.from_lonlat().transform(a.centre_lon, a.centre_lat)
    j, i = np.unravel_index(np.argmax(smooth), p.shape)
    cx, cy = lobes.cell_centres_xy()
    assert math.hypot(x - cx[j, i], y - cy[j, i]) < 4 * lobes.cell_m
    assert plan.gap < 0.25


def test_pattern_track_spacing(lobes: PocGrid) -> None:
    plan = allocate(lobes, FLEET[1:3])
    for i, a in enumerate(plan.assignments):
        pattern = plan.pattern(i)
        assert pattern.kind == "parallel_sweep"
        assert pattern.track_spacing_nm * round(a.width_nm / a.track_spacing_nm) == pytest.approx(
            a.width_nm)  # whole legs spanning the rectangle
        assert pattern.track_spacing_nm == pytest.approx(a.track_spacing_nm)
        assert a.polygon.buffer(1e-3).contains(pattern.as_linestring())


def test_orientation_follows_the_major_axis() -> None:
    grid = _two_lobes(seed=2, n=20_000, bearing_deg=120.0)
    plan = allocate(grid, [SearchUnit("a", 1.0, 10.0, 6.0)])
    assert plan.assignments
    for a in plan.assignments:
        along = a.orientation_deg % 180.0
        assert along in (pytest.approx(grid.spread_axis_deg % 180.0),
                         pytest.approx((grid.spread_axis_deg + 90.0) % 180.0))


def test_zero_effort_and_no_room_are_reported(lobes: PocGrid) -> None:
    units = [SearchUnit("idle", 1.0, 10.0, 0.0), SearchUnit("a", 1.0, 10.0, 3.0),
             SearchUnit("short", 0.1, 0.1, 1.0)]
    plan = allocate(lobes, units)
    assert [a.unit.name for a in plan.assignments] == ["a"]
    reasons = {lo.unit.name: lo.reason for lo in plan.left_out}
    assert set(reasons) == {"idle", "short"}
    assert "zero" in reasons["idle"]
    assert "track length" in reasons["short"]
    assert plan.total_effort_nm2 == pytest.approx(30.0 + 0.01)


def test_no_free_area_left() -> None:
    lon, lat = offsets_to_lonlat(np.random.default_rng(3).normal(0, 0.2, 500),
                                 np.random.default_rng(4).normal(0, 0.2, 500))
    grid = poc_grid(make_trajectories(lon, lat), cell_nm=0.5)
    units = [SearchUnit(f"u{i}", 2.0, 20.0, 5.0) for i in range(60)]
    plan = allocate(grid, units)
    assert plan.left_out
    assert len(plan.assignments) + len(plan.left_out) == len(units)
    assert all("no free" in lo.reason for lo in plan.left_out)
    _check_plan(plan, grid)


def test_bad_input(lobes: PocGrid) -> None:
    with pytest.raises(BadValueError, match="no search units"):
        allocate(lobes, [])
    with pytest.raises(BadValueError, match="sweep_width_nm"):
        SearchUnit("x", -1.0, 10.0, 1.0)
    with pytest.raises(BadValueError, match="on_scene_h"):
        SearchUnit("x", 1.0, 10.0, math.nan)
    with pytest.raises(BadValueError, match="not a SearchUnit"):
        allocate(lobes, [("x", 1.0, 10.0, 1.0)])  # type: ignore[list-item]


def test_twenty_units_on_a_large_grid() -> None:
    """The issue's benchmark size: 20 units over about 10^5 cells, every unit accounted for.

    The effort here is abundant (about 20 times the area of the lobes): the full-price greedy
    alone left every unit off the POC (gap 100 %), and POS alone let the first unit take most
    of it (gap 10.8 %); the 0.75 weight of :data:`PRICES` gives under 3 %.
    """
    grid = _two_lobes(seed=5, n=200_000, cell_nm=0.1)
    assert grid.shape[0] * grid.shape[1] >= 50_000
    rng = np.random.default_rng(7)
    units = [SearchUnit(f"air{i}", rng.uniform(0.8, 1.5), 150.0, rng.uniform(0.5, 2.0))
             for i in range(5)]
    units += [SearchUnit(f"ship{i}", rng.uniform(1.0, 2.5), rng.uniform(8, 15),
                         rng.uniform(2.0, 8.0)) for i in range(13)]
    units += [SearchUnit("idle", 1.0, 10.0, 0.0), SearchUnit("short", 0.05, 0.1, 1.0)]
    plan = allocate(grid, units)
    _check_plan(plan, grid)
    names = [a.unit.name for a in plan.assignments] + [lo.unit.name for lo in plan.left_out]
    assert sorted(names) == sorted(u.name for u in units)
    assert all(lo.reason for lo in plan.left_out)
    assert {lo.unit.name for lo in plan.left_out} == {"idle", "short"}
    print(f"\n20 units on {grid.shape[1]} x {grid.shape[0]} cells: gap {100 * plan.gap:.2f} %")
    assert plan.gap <= BENCHMARK_GAP


def test_block_pos_arrays_match_single_blocks(lobes: PocGrid) -> None:
    """``_blocks_pos`` (all positions of one size, used by the benchmark's MILP) agrees with
    the POS of each block taken alone."""
    from sarkit.planning.allocate import _axis_frame, _block_pos, _blocks_pos, _lattice

    u, v, centre = _axis_frame(lobes)
    lat = _lattice(lobes, u, v, centre, np.zeros(lobes.shape))
    unit, cell_nm = SearchUnit("u", 1.0, 10.0, 4.0), lobes.cell_nm
    for h, w in [(1, 1), (3, 7), (12, 5)]:
        table = _blocks_pos(lat, h, w, unit, cell_nm)
        assert table.shape == (lat.nb - h + 1, lat.na - w + 1)
        for i0, j0 in [(0, 0), (lat.nb // 2 - h, lat.na // 3), (lat.nb - h, lat.na - w)]:
            expected = math.prod(_block_pos(lat, (i0, i0 + h, j0, j0 + w), unit, cell_nm))
            assert table[i0, j0] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_a_lattice_keeps_its_block_sums_within_its_bound(lobes: PocGrid,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The block sums a lattice keeps (the same for every unit and placement) are the sums,
    read-only, asked again or not, and take no more memory than the bound."""
    import importlib

    module = importlib.import_module("sarkit.planning.allocate")
    u, v, centre = module._axis_frame(lobes)
    lat = module._lattice(lobes, u, v, centre, np.ones(lobes.shape))
    bound = 3 * (lat.nb * lat.na * 8)  # room for about three sizes
    monkeypatch.setattr(module, "_KEPT_BYTES", bound)
    sizes = [(1, 1), (3, 7), (12, 5), (2, 9), (3, 7), (1, 1)]
    for h, w in sizes * 2:
        pocs = lat.block_pocs(h, w)
        expected = module._effective_poc(module._block_sums(lat.poc_sum, h, w),
                                         module._block_sums(lat.area_sum, h, w), h * w)
        np.testing.assert_array_equal(pocs, expected)
        np.testing.assert_array_equal(lat.block_values(h, w),
                                      module._block_sums(lat.value_sum, h, w))
        assert not pocs.flags.writeable
        assert sum(a.nbytes for a in lat._sums.values()) <= bound
    assert lat.block_pocs(1, 1) is lat.block_pocs(1, 1)  # kept, not made again


def test_fine_grid_is_searched_on_a_coarser_lattice(lobes: PocGrid,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Above MAX_SEARCH_CELLS the lattice cells grow; the plan stays valid and near the bound."""
    import importlib

    module = importlib.import_module("sarkit.planning.allocate")
    cells = lobes.shape[0] * lobes.shape[1]
    fine = allocate(lobes, FLEET)
    monkeypatch.setattr(module, "MAX_SEARCH_CELLS", cells // 4)  # lattice cells twice as large
    u, v, centre = module._axis_frame(lobes)
    lattice = module._lattice(lobes, u, v, centre, np.zeros(lobes.shape))
    assert lattice.cell_m == pytest.approx(2 * lobes.cell_m, rel=0.01)
    plan = allocate(lobes, FLEET)
    _check_plan(plan, lobes)
    assert not plan.left_out
    side_nm = lattice.cell_m / NAUTICAL_MILE
    for a in plan.assignments:
        for side in (a.length_nm, a.width_nm):
            assert side / side_nm == pytest.approx(round(side / side_nm), abs=1e-9)
    assert plan.bound == fine.bound
    print(f"\ncoarse lattice: gap {100 * plan.gap:.2f} % (own cells: {100 * fine.gap:.2f} %)")
    assert plan.gap <= BENCHMARK_GAP
