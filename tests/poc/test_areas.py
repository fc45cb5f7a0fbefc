"""Search areas: nesting, probability held, validity, known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from sarkit.errors import BadValueError
from sarkit.poc import poc_grid, search_areas
from sarkit.poc.areas import LEVEL_TOLERANCE
from sarkit.units import NAUTICAL_MILE
from tests.poc import make_trajectories, offsets_to_lonlat

NESTING_TOLERANCE_DEG = 1e-9
"""Polygons of nested levels share their lattice vertices; this absorbs rounding only."""

EDGE_TOLERANCE = 1e-9
"""Probability a particle can lose by sitting exactly on a cell edge after the transform."""

CHORD_TOLERANCE_DEG = 1e-6
"""How far (about 10 cm) a particle may lie outside an area's lon/lat polygon and still be
counted in it: the polygon's edges are straight in lon/lat between vertices one cell side
apart, the cells' edges straight in the projection, and the two differ by millimetres (a
particle 8 mm inside a 0.5 NM cell at 42.6 S fell 3e-8 degree outside its polygon)."""


def _mixture(seed, n, lon0=5.0, lat0=60.0):
    rng = np.random.default_rng(seed)
    first = n // 2
    east = np.r_[rng.normal(0, 2.0, first), rng.normal(8.0, 1.0, n - first)]
    north = np.r_[rng.normal(0, 1.0, first), rng.normal(3.0, 2.0, n - first)]
    return offsets_to_lonlat(east, north, lon0, lat0)


@st.composite
def clouds(draw):
    n = draw(st.integers(3, 400))
    seed = draw(st.integers(0, 2**32 - 1))
    lon, lat = _mixture(seed, n, draw(st.floats(-179, 179)), draw(st.floats(-70, 70)))
    rng = np.random.default_rng(seed + 1)
    weight = rng.uniform(0, 1, n) if draw(st.booleans()) else np.ones(n)
    weight[0] += 0.01
    status = np.where(rng.uniform(size=n) < 0.1, 1, 0)
    status[0] = 0
    cell = draw(st.one_of(st.none(), st.sampled_from([0.2, 0.5, 1.0, 3.0])))
    return make_trajectories(lon, lat, status, weight / weight.sum()), cell


@settings(max_examples=40, deadline=None)
@given(clouds())
def test_areas_nested_valid_and_hold_their_probability(case):
    ds, cell = case
    grid = poc_grid(ds, cell_nm=cell)
    areas = search_areas(grid)
    assert [a.level for a in areas.levels] == [0.5, 0.9, 0.95]
    sea = ds["status"].values[:, 0] == 0
    lon, lat = ds["lon"].values[sea, 0], ds["lat"].values[sea, 0]
    weight = ds["weight"].values[sea] / ds["weight"].values[sea].sum()
    previous = None
    for area in areas.levels:
        assert area.probability >= area.level - LEVEL_TOLERANCE
        assert shapely.is_valid(area.polygon) and shapely.is_valid(area.polygon_xy)
        assert area.polygon.geom_type in ("Polygon", "MultiPolygon")
        assert math.isclose(area.area_nm2, area.polygon_xy.area / NAUTICAL_MILE**2, rel_tol=1e-9)
        inside = shapely.contains_xy(area.polygon.buffer(CHORD_TOLERANCE_DEG), lon, lat)
        assert weight[inside].sum() >= area.level - EDGE_TOLERANCE
        if previous is not None:
            assert area.polygon.buffer(NESTING_TOLERANCE_DEG).contains(previous.polygon)
            assert area.area_nm2 >= previous.area_nm2
            assert area.probability >= previous.probability
        previous = area
    rect = areas.rectangle
    assert rect.polygon_xy.buffer(1e-6).contains(areas[0.9].polygon_xy)
    assert rect.area_nm2 >= areas[0.9].area_nm2 * (1 - 1e-9)
    assert rect.probability >= areas[0.9].probability - 1e-12
    assert shapely.is_valid(rect.polygon)


def test_smallest_cell_set_is_taken():
    # 4 cells of POC 0.4, 0.3, 0.2, 0.1: 50 % needs 2 cells, 90 % needs 3, 95 % all 4
    centres = [(0.25, 0.25), (1.25, 0.25), (2.25, 0.25), (3.25, 0.25)]
    east = np.repeat([c[0] for c in centres], [4, 3, 2, 1])
    north = np.repeat([c[1] for c in centres], [4, 3, 2, 1])
    lon, lat = offsets_to_lonlat(east, north)
    grid = poc_grid(make_trajectories(lon, lat), cell_nm=0.5)
    areas = search_areas(grid)
    assert [a.cells for a in areas.levels] == [2, 3, 4]
    assert [round(a.probability, 12) for a in areas.levels] == [0.7, 0.9, 1.0]
    assert [a.area_nm2 for a in areas.levels] == [0.5, 0.75, 1.0]
    # the cells are not adjacent: the areas are MultiPolygons
    assert areas[0.5].polygon.geom_type == "MultiPolygon"


def test_gaussian_50_percent_area_matches_the_analytic_ellipse():
    """50 % of a 2-D Gaussian lies in the ellipse of area 2 pi sx sy ln 2.

    Tolerance 4 %: sampling noise of 200 000 particles over about 300 cells
    (the highest-cell selection picks cells that sampled high, which shrinks the
    area slightly) plus the square-cell discretisation of the ellipse edge.
    """
    rng = np.random.default_rng(11)
    sx, sy = 3.0, 1.5
    lon, lat = offsets_to_lonlat(rng.normal(0, sx, 200_000), rng.normal(0, sy, 200_000))
    areas = search_areas(poc_grid(make_trajectories(lon, lat)))
    analytic = 2 * math.pi * sx * sy * math.log(2)
    assert math.isclose(areas[0.5].area_nm2, analytic, rel_tol=0.04)
    analytic_90 = 2 * math.pi * sx * sy * math.log(10)
    assert math.isclose(areas[0.9].area_nm2, analytic_90, rel_tol=0.04)
    rect = areas.rectangle
    assert abs(rect.orientation_deg - 90.0) < 1e-6  # long side east-west
    assert rect.length_nm > rect.width_nm


def test_area_is_true_area_and_orientation_is_rfc7946():
    lon, lat = _mixture(3, 5000, lon0=-30.0, lat0=45.0)
    grid = poc_grid(make_trajectories(lon, lat))
    areas = search_areas(grid)
    geod = Geod(ellps="WGS84")
    for area in areas.levels:
        signed, _ = geod.geometry_area_perimeter(area.polygon)
        assert signed > 0  # counter-clockwise exteriors
        assert math.isclose(signed / NAUTICAL_MILE**2, area.area_nm2, rel_tol=1e-3)


def test_datum_and_time_carried_over():
    lon, lat = _mixture(4, 1000)
    grid = poc_grid(make_trajectories(lon, lat))
    areas = search_areas(grid, levels=(0.95, 0.5))
    assert [a.level for a in areas.levels] == [0.5, 0.95]
    assert (areas.datum_lon, areas.datum_lat) == (grid.datum_lon, grid.datum_lat)
    assert areas.valid_time == grid.valid_time
    assert areas.cell_nm == grid.cell_nm
    assert areas.rectangle.level == 0.9
    with pytest.raises(KeyError):
        areas[0.9]


@pytest.mark.parametrize("level", [0.0, -0.1, 1.5, float("nan")])
def test_bad_levels_are_refused(level):
    lon, lat = _mixture(4, 100)
    grid = poc_grid(make_trajectories(lon, lat))
    with pytest.raises(BadValueError, match="level"):
        search_areas(grid, levels=(0.5, level))


def test_cloud_across_the_antimeridian_gives_valid_continuous_polygons():
    lon, lat = _mixture(6, 5000, lon0=179.9, lat0=-45.0)
    lon = (lon + 180.0) % 360.0 - 180.0  # as a drift model writes them
    areas = search_areas(poc_grid(make_trajectories(lon, lat)))
    geod = Geod(ellps="WGS84")
    shifted = np.where(lon < 0, lon + 360.0, lon)
    for area in areas.levels:
        assert area.polygon.is_valid
        west, _, east, _ = area.polygon.bounds
        assert west < 180.0 < east < 181.0
        signed, _ = geod.geometry_area_perimeter(area.polygon)
        assert math.isclose(signed / NAUTICAL_MILE**2, area.area_nm2, rel_tol=1e-3)
        inside = shapely.contains_xy(area.polygon.buffer(NESTING_TOLERANCE_DEG), shifted, lat)
        assert inside.mean() >= area.level - EDGE_TOLERANCE


def test_the_areas_say_what_their_levels_are_shares_of():
    from sarkit.drift.status import Status

    rng = np.random.default_rng(9)
    lon, lat = 96.0 + rng.normal(0, 0.1, 400), 9.0 + rng.normal(0, 0.1, 400)
    status = np.full(400, Status.ACTIVE)
    status[:60] = Status.STRANDED  # 15 % ashore
    status[60:80] = Status.LEFT_DOMAIN  # 5 % gone
    areas = search_areas(poc_grid(make_trajectories(lon, lat, status)))
    assert areas.afloat == pytest.approx(0.80)
    assert areas.stranded == pytest.approx(0.15)
    assert areas.unaccounted == pytest.approx(0.05)
    # the levels are shares of all the probability afloat (85 %), the 5 % gone included:
    # 80 / 85 = 94 % is in the cells, so the 95 % area cannot be reached
    assert areas.afloat_anywhere == pytest.approx(0.85) and areas.incomplete
    text = areas.shares_text()
    assert "INCOMPLETE" in text and "(85.0%)" in text and "5.0% left the forcing" in text
    assert "stranded 15.0%" in text and "the 95% not reached" in text
    assert [entry.reached for entry in areas.levels] == [True, True, False]
    assert areas[0.95].probability == pytest.approx(0.80 / 0.85)
    assert areas[0.9].probability >= 0.9 - LEVEL_TOLERANCE
    assert areas.rectangle.probability <= 0.80 / 0.85 + 1e-12


def test_levels_are_shares_of_all_the_probability_afloat_not_renormalised():
    from sarkit.drift.status import Status

    rng = np.random.default_rng(4)
    lon, lat = 96.0 + rng.normal(0, 0.1, 400), 9.0 + rng.normal(0, 0.1, 400)
    status = np.full(400, Status.ACTIVE)
    complete = search_areas(poc_grid(make_trajectories(lon, lat, status)))
    assert not complete.incomplete and all(entry.reached for entry in complete.levels)
    assert complete.shares_text() == ("areas hold shares of the probability afloat (100.0%); "
                                      "stranded 0.0%, out of the forcing 0.0%")
    status[:200] = Status.LEFT_DOMAIN  # half of it left the forcing
    half = search_areas(poc_grid(make_trajectories(lon, lat, status)))
    assert half.afloat == pytest.approx(0.5) and half.unaccounted == pytest.approx(0.5)
    # no level above 50 % can be reached: those areas are every cell, holding the half inside
    assert half[0.5].reached and half[0.5].probability == pytest.approx(0.5, abs=0.02)
    for level in (0.9, 0.95):
        assert not half[level].reached and half[level].probability == pytest.approx(0.5)
        assert half[level].cells == np.count_nonzero(poc_grid(
            make_trajectories(lon, lat, status)).poc)


def test_areas_carry_the_shares_of_each_object_class():
    lon, lat = offsets_to_lonlat(np.r_[np.zeros(30), np.ones(10)], np.linspace(0, 4, 40))
    data = make_trajectories(lon, lat)
    data["class_index"] = (("trajectory", "time"), np.r_[np.zeros(30), np.ones(10)]
                           .astype(np.int8)[:, None],
                           {"flag_values": np.array([0, 1], np.int8),
                            "flag_meanings": "FISHING-VESSEL-1 PIW-1"})
    areas = search_areas(poc_grid(data, cell_nm=1.0))
    assert areas.class_shares == pytest.approx({"FISHING-VESSEL-1": 0.75, "PIW-1": 0.25})
    assert areas.shares_text().endswith("; by class: FISHING-VESSEL-1 75.0%, PIW-1 25.0%")
    plain = search_areas(poc_grid(make_trajectories(lon, lat), cell_nm=1.0))
    assert plain.class_shares == {} and "by class" not in plain.shares_text()
