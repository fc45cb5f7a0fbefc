"""Search patterns: geometry checked with geodesic distances and bearings (pyproj.Geod)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from sarkit.errors import BadValueError
from sarkit.planning.patterns import (
    CORNERS,
    Pattern,
    creeping_line,
    expanding_square,
    parallel_sweep,
    sector,
)

GEOD = Geod(ellps="WGS84")
NM = 1852.0
LON, LAT = 115.2, -9.4  # south of Bali


def _legs(pattern: Pattern) -> tuple[np.ndarray, np.ndarray]:
    """Forward azimuths (deg) and geodesic lengths (NM) of every leg."""
    lon, lat = pattern.waypoints[:, 0], pattern.waypoints[:, 1]
    az, _, dist = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    return np.asarray(az), np.asarray(dist) / NM


def _angle(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    """Signed difference b - a in degrees, in -180..180."""
    return (np.asarray(b) - np.asarray(a) + 180.0) % 360.0 - 180.0


def _local(pattern: Pattern, lon0: float, lat0: float, bearing: float) -> np.ndarray:
    """Waypoints as (along, across) NM from (lon0, lat0), along = ``bearing``."""
    az, _, dist = GEOD.inv(np.full(len(pattern.waypoints), lon0),
                           np.full(len(pattern.waypoints), lat0),
                           pattern.waypoints[:, 0], pattern.waypoints[:, 1])
    rel = np.radians(np.asarray(az) - bearing)
    dist = np.asarray(dist) / NM
    return np.column_stack([dist * np.cos(rel), dist * np.sin(rel)])


def _track_offsets(pattern: Pattern, bearing: float, lon0: float = LON,
                   lat0: float = LAT) -> np.ndarray:
    """Across-track offset (NM, right of ``bearing``) of each leg's start point."""
    return _local(pattern, lon0, lat0, bearing)[::2, 1]


# ------------------------------------------------------------------ parallel sweep


@pytest.mark.parametrize("orientation", [0.0, 37.0, 90.0, 211.0, 315.0])
def test_parallel_sweep_covers_the_rectangle(orientation):
    length, width, spacing = 20.0, 10.0, 2.0
    p = parallel_sweep(LON, LAT, length, width, orientation, spacing)
    assert p.kind == "parallel_sweep"
    n = round(width / spacing)
    assert p.waypoints.shape == (2 * n, 2)
    local = _local(p, LON, LAT, orientation)
    assert np.all(np.abs(local[:, 0]) <= length / 2 - spacing / 2 + 1e-3)
    assert np.all(np.abs(local[:, 1]) <= width / 2 - spacing / 2 + 1e-3)
    # legs S apart, first S/2 inside the left edge
    offsets = _track_offsets(p, orientation)
    np.testing.assert_allclose(offsets[0], -width / 2 + spacing / 2, atol=1e-3)
    np.testing.assert_allclose(np.diff(offsets), spacing, atol=1e-3)
    az, dist = _legs(p)
    np.testing.assert_allclose(_angle(orientation, az[0]), 0.0, atol=0.05)
    np.testing.assert_allclose(dist[::2], length - spacing, rtol=1e-4)  # search legs
    np.testing.assert_allclose(dist[1::2], spacing, rtol=1e-4)  # cross legs
    by_hand = n * (length - spacing) + (n - 1) * spacing
    assert p.track_length_nm == pytest.approx(by_hand, rel=1e-4)
    assert p.commence_search_point == tuple(p.waypoints[0])


def test_parallel_sweep_leg_spacing_is_geodesic_distance_between_legs():
    p = parallel_sweep(LON, LAT, 30.0, 12.0, 60.0, 3.0)
    w = p.waypoints
    for i in range(0, len(w) - 2, 2):  # start of leg i to start of leg i+1 (same end)
        _, _, d = GEOD.inv(w[i, 0], w[i, 1], w[i + 3, 0], w[i + 3, 1])
        assert d / NM == pytest.approx(3.0, rel=1e-3)


def test_parallel_sweep_legs_alternate_direction():
    p = parallel_sweep(LON, LAT, 20.0, 10.0, 45.0, 2.0)
    az, _ = _legs(p)
    np.testing.assert_allclose(np.abs(_angle(az[0::2][:-1], az[2::2])), 180.0, atol=0.05)
    np.testing.assert_allclose(_angle(45.0, az[1::2]), 90.0, atol=0.05)  # advances right


@pytest.mark.parametrize("corner", CORNERS)
def test_parallel_sweep_start_corner(corner):
    length, width, spacing, orientation = 20.0, 10.0, 2.0, 30.0
    p = parallel_sweep(LON, LAT, length, width, orientation, spacing, start_corner=corner)
    along, across = _local(p, LON, LAT, orientation)[0]
    sign_along = 1 if corner.startswith("far") else -1
    sign_across = 1 if corner.endswith("right") else -1
    assert along == pytest.approx(sign_along * (length / 2 - spacing / 2), abs=1e-3)
    assert across == pytest.approx(sign_across * (width / 2 - spacing / 2), abs=1e-3)


def test_parallel_sweep_rounds_the_number_of_legs():
    p = parallel_sweep(LON, LAT, 20.0, 10.0, 0.0, 3.9)  # 2.56 -> 3 legs
    assert p.n_legs == 2 * 3 - 1
    local = _local(p, LON, LAT, 0.0)
    assert np.all(np.abs(local[:, 1]) <= 5.0 + 1e-3)  # last leg still inside


@settings(max_examples=30, deadline=None)
@given(length=st.floats(2.0, 60.0), ratio=st.floats(0.1, 1.0), tracks=st.floats(1.0, 20.0),
       orientation=st.floats(0.0, 360.0), lat=st.floats(-40.0, 40.0))
def test_parallel_sweep_stays_inside_any_rectangle(length, ratio, tracks, orientation, lat):
    width = length * ratio
    spacing = width / tracks
    if spacing >= length:
        return
    p = parallel_sweep(LON, lat, length, width, orientation, spacing)
    local = _local(p, LON, lat, orientation)
    assert np.all(np.abs(local[:, 0]) <= length / 2 + 1e-3)
    assert np.all(np.abs(local[:, 1]) <= width / 2 + 1e-3)
    assert p.n_legs == 2 * math.floor(width / spacing + 0.5) - 1


# ------------------------------------------------------------------ creeping line


def test_creeping_line_legs_parallel_to_the_short_side():
    length, width, spacing, orientation = 20.0, 8.0, 2.0, 120.0
    p = creeping_line(LON, LAT, length, width, orientation, spacing)
    assert p.kind == "creeping_line"
    n = round(length / spacing)
    assert p.waypoints.shape == (2 * n, 2)
    az, dist = _legs(p)
    angles = np.abs(_angle(orientation, az[0::2]))
    np.testing.assert_allclose(np.minimum(angles, 180 - angles), 90.0, atol=0.05)
    np.testing.assert_allclose(_angle(orientation, az[1::2]), 0.0, atol=0.05)  # advances
    np.testing.assert_allclose(dist[::2], width - spacing, rtol=1e-4)
    local = _local(p, LON, LAT, orientation)
    np.testing.assert_allclose(np.diff(local[::2, 0]), spacing, atol=1e-3)
    assert np.all(np.abs(local[:, 0]) <= length / 2 + 1e-3)
    assert np.all(np.abs(local[:, 1]) <= width / 2 + 1e-3)
    by_hand = n * (width - spacing) + (n - 1) * spacing
    assert p.track_length_nm == pytest.approx(by_hand, rel=1e-4)


# ------------------------------------------------------------------ expanding square


@pytest.mark.parametrize("first_bearing", [0.0, 45.0, 200.0])
def test_expanding_square_legs_and_right_turns(first_bearing):
    spacing = 1.5
    p = expanding_square(LON, LAT, spacing, legs=10, first_bearing_deg=first_bearing)
    assert p.kind == "expanding_square"
    assert p.waypoints.shape == (11, 2)
    az, dist = _legs(p)
    expected = spacing * np.array([1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
    np.testing.assert_allclose(dist, expected, rtol=1e-4)
    np.testing.assert_allclose(_angle(az[:-1], az[1:]), 90.0, atol=0.05)
    np.testing.assert_allclose(_angle(first_bearing, az[0]), 0.0, atol=0.05)
    assert p.commence_search_point == pytest.approx((LON, LAT))
    assert p.track_length_nm == pytest.approx(expected.sum(), rel=1e-4)


def test_expanding_square_by_radius_flies_whole_squares():
    p = expanding_square(LON, LAT, 1.0, max_radius_nm=2.5)
    assert p.n_legs == 8
    local = _local(p, LON, LAT, 0.0)
    assert np.abs(local).max() == pytest.approx(2.0, abs=1e-3)


# ------------------------------------------------------------------ sector


@pytest.mark.parametrize("sectors", [1, 2, 3])
def test_sector_legs_are_radius_long_and_return_to_datum(sectors):
    radius = 4.0
    p = sector(LON, LAT, radius, first_bearing_deg=10.0, sectors=sectors)
    assert p.kind == "sector"
    assert p.waypoints.shape == (3 * sectors + 1, 2)
    az, dist = _legs(p)
    np.testing.assert_allclose(dist, radius, rtol=1e-4)
    np.testing.assert_allclose(p.waypoints[::3], [[LON, LAT]] * (sectors + 1), atol=1e-9)
    np.testing.assert_allclose(_angle(10.0, az[0]), 0.0, atol=0.05)
    # 120 degree right turns at the outer points, straight on through the datum
    turns = _angle(az[:-1], az[1:])
    for k, turn in enumerate(turns, start=1):
        assert turn == pytest.approx(0.0 if k % 3 == 0 else 120.0, abs=0.05)
    assert p.track_length_nm == pytest.approx(3 * sectors * radius, rel=1e-4)


def test_sector_outer_points_every_60_degrees():
    p = sector(LON, LAT, 3.0)
    outer = [w for i, w in enumerate(p.waypoints) if i % 3]
    az, _, dist = GEOD.inv([LON] * 6, [LAT] * 6, [w[0] for w in outer], [w[1] for w in outer])
    np.testing.assert_allclose(np.asarray(dist) / NM, 3.0, rtol=1e-6)
    gaps = np.abs(_angle(np.asarray(az)[:, None], np.arange(0.0, 360.0, 60.0)[None, :]))
    assert np.all(gaps.min(axis=0) < 0.01)  # each of 0, 60, ..., 300 degrees is hit


# ------------------------------------------------------------------ Pattern and errors


def test_pattern_linestring_and_read_only_waypoints():
    p = parallel_sweep(LON, LAT, 10.0, 4.0, 0.0, 1.0)
    line = p.as_linestring()
    assert isinstance(line, shapely.LineString)
    np.testing.assert_allclose(np.asarray(line.coords), p.waypoints)
    with pytest.raises(ValueError):
        p.waypoints[0, 0] = 0.0


def test_longitudes_wrapped_across_the_antimeridian():
    p = parallel_sweep(179.95, 0.0, 20.0, 10.0, 90.0, 2.0)
    assert np.all(np.abs(p.waypoints[:, 0]) <= 180.0)
    assert (p.waypoints[:, 0] < 0).any() and (p.waypoints[:, 0] > 0).any()
    assert p.track_length_nm == pytest.approx(5 * 18 + 4 * 2, rel=1e-4)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: parallel_sweep(LON, LAT, 20, 10, 0, 0), "not a finite number > 0"),
        (lambda: parallel_sweep(LON, LAT, 20, 10, 0, -1), "not a finite number > 0"),
        (lambda: parallel_sweep(LON, LAT, 20, 10, 0, 11), "wider than the rectangle"),
        (lambda: parallel_sweep(LON, LAT, 10, 20, 0, 2), "shorter than width"),
        (lambda: parallel_sweep(LON, LAT, 20, 10, float("nan"), 2), "finite"),
        (lambda: parallel_sweep(LON, 95.0, 20, 10, 0, 2), "latitude"),
        (lambda: parallel_sweep(LON, LAT, 20, 10, 0, 2, start_corner="nw"), "corner"),
        (lambda: creeping_line(LON, LAT, 20, 10, 0, 10), "no leg across"),
        (lambda: expanding_square(LON, LAT, 1.0), "exactly one"),
        (lambda: expanding_square(LON, LAT, 1.0, legs=4, max_radius_nm=3), "exactly one"),
        (lambda: expanding_square(LON, LAT, 1.0, legs=0), "legs"),
        (lambda: expanding_square(LON, LAT, 2.0, max_radius_nm=1.0), "smaller than"),
        (lambda: sector(LON, LAT, 0.0), "not a finite number > 0"),
        (lambda: sector(LON, LAT, 2.0, sectors=4), "sectors"),
    ],
)
def test_bad_values_raise_with_a_fix(call, match):
    with pytest.raises(BadValueError, match=match) as info:
        call()
    assert "Fix:" in str(info.value)
