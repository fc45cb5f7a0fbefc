"""The pattern chosen for a rectangle from where its probability lies, fitted to the time."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import shapely

from sarkit.planning.allocate import Assignment, SearchUnit
from sarkit.planning.choose import choose_pattern, coverage_as_flown, probability_layout
from sarkit.poc.grid import PocGrid, poc_grid
from tests.poc import make_trajectories, offsets_to_lonlat

N = 20_000


def _grid(east_nm: np.ndarray, north_nm: np.ndarray) -> PocGrid:
    lon, lat = offsets_to_lonlat(east_nm, north_nm)
    return poc_grid(make_trajectories(lon, lat), cell_nm=0.5)


def _rectangle(length_nm: float, width_nm: float, spacing_nm: float, *, width_sweep=1.0,
               speed_kt=10.0, hours=100.0, orientation_deg=0.0) -> Assignment:
    """A rectangle centred on the origin of offsets_to_lonlat, long side to the north."""
    lon, lat = offsets_to_lonlat(np.array([0.0]), np.array([0.0]))
    unit = SearchUnit("unit", width_sweep, speed_kt, hours)
    return Assignment(unit=unit, polygon=shapely.box(0, 0, 1, 1), centre_lon=float(lon[0]),
                      centre_lat=float(lat[0]), length_nm=length_nm, width_nm=width_nm,
                      orientation_deg=orientation_deg, area_nm2=length_nm * width_nm,
                      coverage=width_sweep / spacing_nm, track_spacing_nm=spacing_nm,
                      pod=0.0, poc_in_rectangle=0.0, pos=0.0)


def test_peaked_probability_in_a_small_square_is_an_expanding_square():
    rng = np.random.default_rng(1)
    grid = _grid(rng.normal(0, 1.5, N), rng.normal(0, 1.5, N))
    square = _rectangle(10.0, 10.0, 1.0)
    layout = probability_layout(square, grid)
    assert layout.central > 0.5 and layout.total > 0.9
    flown = choose_pattern(square, grid, hours=20.0)
    assert flown.pattern.kind == "expanding_square"
    assert flown.pattern.track_spacing_nm == pytest.approx(1.0)
    # the CSP is the centre; the track covers the square: coverage W x track / area
    assert flown.pattern.commence_search_point == pytest.approx(
        (square.centre_lon, square.centre_lat), abs=1e-9)
    assert flown.coverage == pytest.approx(min(1.0 * flown.pattern.track_length_nm / 100.0,
                                               1.0), rel=1e-9)


def test_probability_spread_evenly_is_a_parallel_sweep():
    rng = np.random.default_rng(2)
    grid = _grid(rng.uniform(-5, 5, N), rng.uniform(-10, 10, N))
    rectangle = _rectangle(20.0, 10.0, 1.0)
    flown = choose_pattern(rectangle, grid, hours=100.0)
    assert flown.pattern.kind == "parallel_sweep"
    legs = len(flown.pattern.waypoints) // 2
    assert legs == 10
    assert flown.coverage == pytest.approx(1.0 * legs / 10.0)


def test_one_end_more_probable_is_a_creeping_line_from_that_end():
    rng = np.random.default_rng(3)
    grid = _grid(rng.uniform(-5, 5, N), rng.uniform(2, 10, N))  # the northern (far) half
    rectangle = _rectangle(20.0, 10.0, 1.0)
    assert probability_layout(rectangle, grid).far_end > 0.95
    flown = choose_pattern(rectangle, grid, hours=100.0)
    assert flown.pattern.kind == "creeping_line"
    assert flown.pattern.commence_search_point[1] > rectangle.centre_lat  # starts in the north
    legs = len(flown.pattern.waypoints) // 2
    assert flown.coverage == pytest.approx(1.0 * legs / 20.0)


@pytest.mark.parametrize("hours", [2.0, 5.0, 9.0])
def test_pattern_fits_the_time_on_scene(hours):
    rng = np.random.default_rng(4)
    grid = _grid(rng.uniform(-5, 5, N), rng.uniform(-10, 10, N))
    rectangle = _rectangle(20.0, 10.0, 0.5)  # 20 legs of 19.5 NM: ~400 NM of track
    flown = choose_pattern(rectangle, grid, hours=hours)
    assert flown.pattern.track_length_nm <= 10.0 * hours * (1 + 1e-9)
    legs = len(flown.pattern.waypoints) // 2
    assert legs < 20
    # one more leg would not have fitted (planar track n x along - across / n)
    assert (legs + 1) * 20.0 - 10.0 / (legs + 1) > 10.0 * hours * 0.99


def _real_rectangle(length_nm: float, width_nm: float, spacing_nm: float) -> Assignment:
    """:func:`_rectangle` with its true polygon (corners at the offsets, lon/lat)."""
    base = _rectangle(length_nm, width_nm, spacing_nm)
    east = np.array([-1, 1, 1, -1, -1]) * width_nm / 2.0
    north = np.array([-1, -1, 1, 1, -1]) * length_nm / 2.0
    lon, lat = offsets_to_lonlat(east, north)
    return dataclasses.replace(base, polygon=shapely.Polygon(np.column_stack([lon, lat])),
                               poc_in_rectangle=1.0)


@pytest.mark.parametrize(("hours", "legs"), [(100.0, 19), (2.1, 1)])
def test_coverage_as_flown_counts_only_what_the_track_reaches(hours, legs):
    rng = np.random.default_rng(4)
    grid = _grid(rng.uniform(-5, 5, N), rng.uniform(-10, 10, N))  # even over the rectangle
    rectangle = _real_rectangle(20.0, 10.0, 1.0)
    pattern = choose_pattern(rectangle, grid, hours=hours).pattern
    assert pattern.n_legs == legs
    flown = coverage_as_flown(pattern, rectangle, grid)
    inside = shapely.LineString(pattern.waypoints).intersection(rectangle.polygon)
    # the effort: W x track inside / area (track measured in NM on the sphere, roughly)
    assert flown.coverage == pytest.approx(1.0 * pattern.track_length_nm / 200.0, rel=0.05)
    assert not inside.is_empty
    # the legs span the rectangle (one leg at a 10 NM spacing where time allows no more):
    # all of it is reached, at the coverage the track gives
    assert flown.reached > 0.9
    assert flown.pod == pytest.approx(1 - np.exp(-flown.coverage / flown.reached), rel=1e-6)
    assert flown.pos == pytest.approx(flown.poc * flown.pod)
    if legs == 1:
        assert flown.coverage < 0.12 and flown.pos < 0.12

    # the same pattern cut short after half its legs reaches about half, and finds less
    half = pattern.waypoints[: len(pattern.waypoints) // 2]
    if legs > 1:
        short = dataclasses.replace(pattern, waypoints=half, track_length_nm=float(
            shapely.LineString(half).length))
        cut = coverage_as_flown(short, rectangle, grid)
        assert 0.4 < cut.reached < 0.6
        assert cut.poc == pytest.approx(cut.reached, rel=0.1)  # the POC is even
        assert cut.pos < 0.6 * flown.pos


def test_coverage_counts_the_sea_only_and_measures_the_track_over_land():
    # a 10 x 10 NM square astride Phuket's west coast (98.3E 7.9N), an even POC over it
    lon0, lat0 = 98.30, 7.90
    rng = np.random.default_rng(5)
    east, north = rng.uniform(-5, 5, N), rng.uniform(-5, 5, N)
    lon, lat = offsets_to_lonlat(east, north, lon0, lat0)
    grid = poc_grid(make_trajectories(lon, lat), cell_nm=0.5)
    corner_lon, corner_lat = offsets_to_lonlat(np.array([-5, 5, 5, -5, -5]),
                                               np.array([-5, -5, 5, 5, -5]), lon0, lat0)
    centre = offsets_to_lonlat(np.array([0.0]), np.array([0.0]), lon0, lat0)
    square = dataclasses.replace(
        _rectangle(10.0, 10.0, 1.0), polygon=shapely.Polygon(np.column_stack(
            [corner_lon, corner_lat])), centre_lon=float(centre[0][0]),
        centre_lat=float(centre[1][0]), poc_in_rectangle=1.0)
    pattern = choose_pattern(square, grid, hours=100.0).pattern
    from sarkit.drift.coast import land_mask

    land = land_mask((98.1, 7.7, 98.5, 8.1)).polygons()
    flown = coverage_as_flown(pattern, square, grid, land)
    # reference, another way: the land raster asked point by point along a lattice and the
    # densified track (is_land on the mask's cells, not its polygons)
    mask = land_mask((98.1, 7.7, 98.5, 8.1))
    gx, gy = np.meshgrid(np.linspace(-5, 5, 201), np.linspace(-5, 5, 201))
    plon, plat = offsets_to_lonlat(gx.ravel(), gy.ravel(), lon0, lat0)
    sea = ~mask.contains(plon, plat)
    assert 0.2 < sea.mean() < 0.95  # the square is astride the coast
    assert flown.sea_share == pytest.approx(sea.mean(), abs=0.02)
    track = shapely.LineString(pattern.waypoints).segmentize(0.001)
    points = np.asarray(track.coords)
    on_land = mask.contains(points[:, 0], points[:, 1])
    steps = np.hypot(np.diff(points[:, 0]) * np.cos(np.radians(lat0)), np.diff(points[:, 1]))
    land_nm = float((steps * 60.0)[on_land[1:] & on_land[:-1]].sum())
    assert flown.track_over_land_nm == pytest.approx(land_nm, rel=0.05, abs=0.2)
    sea_nm = pattern.track_length_nm - flown.track_over_land_nm
    assert flown.coverage == pytest.approx(1.0 * sea_nm / (100.0 * flown.sea_share), rel=0.05)
