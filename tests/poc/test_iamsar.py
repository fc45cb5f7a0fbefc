"""IAMSAR manual method: formulas of facts/IAMSAR.md §1.3, §1.5, §1.7 and the search circle."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from sarkit.errors import BadValueError
from sarkit.poc import iamsar


def test_water_current_error_defaults_to_four_components_of_0_3_kt():
    assert math.isclose(iamsar.total_water_current_error_kt(), 0.6)
    assert math.isclose(iamsar.total_water_current_error_kt(0.3, 0.4, 0.0, 0.0), 0.5)


def test_drift_velocity_error():
    # sqrt(0.3² + 0.6² + 0.1²)
    assert math.isclose(iamsar.drift_velocity_error_kt(0.1), math.sqrt(0.46))
    assert math.isclose(
        iamsar.drift_velocity_error_kt(0.0, iamsar.ASWD_VE_VARIABLE_KT, current_error_kt=1.2),
        1.3)


def test_worked_chain_to_search_radius():
    de = iamsar.drift_error_nm(0.5, 10.0)  # 0.5 kt for 10 h
    assert math.isclose(de, 5.0)
    e = iamsar.total_probable_error_nm(de)  # X = 5, Y = 1 by default
    assert math.isclose(e, math.sqrt(51.0))
    assert math.isclose(iamsar.search_radius_nm(e), 1.1 * math.sqrt(51.0))
    assert math.isclose(iamsar.search_radius_nm(e, search_number=5), 2.5 * math.sqrt(51.0))
    assert math.isclose(iamsar.total_probable_error_nm(4.0, x_nm=0.0, y_nm=3.0), 5.0)


def test_safety_factors_follow_natsar_table_3_2():
    assert [iamsar.safety_factor(k) for k in range(1, 6)] == [1.1, 1.6, 2.0, 2.3, 2.5]
    for bad in (0, 6, 1.5):
        with pytest.raises(BadValueError, match="search number"):
            iamsar.safety_factor(bad)


@pytest.mark.parametrize("call", [
    lambda: iamsar.drift_error_nm(-0.1, 3.0),
    lambda: iamsar.total_probable_error_nm(float("nan")),
    lambda: iamsar.total_probable_error_nm(1.0, x_nm=-1.0),
    lambda: iamsar.total_water_current_error_kt(tidal=-0.3),
    lambda: iamsar.iamsar_area(5.0, 95.0, 3.0),
    lambda: iamsar.iamsar_area(5.0, 60.0, 3.0, points=4),
])
def test_bad_values_are_refused(call):
    with pytest.raises(BadValueError):
        call()


@settings(max_examples=30, deadline=None)
@given(st.floats(-170, 170), st.floats(-75, 75), st.floats(0.2, 40.0), st.integers(1, 5))
def test_circle_is_geodesic_and_its_area_is_pi_r2(lon, lat, e, search):
    area = iamsar.iamsar_area(lon, lat, e, search_number=search)
    radius = iamsar.safety_factor(search) * e
    assert math.isclose(area.radius_nm, radius)
    assert math.isclose(area.square_area_nm2, 4 * radius**2)
    assert shapely.is_valid(area.polygon)
    xs, ys = np.asarray(area.polygon.exterior.coords).T
    _, _, dist = Geod(ellps="WGS84").inv(np.full(xs.size, lon), np.full(xs.size, lat), xs, ys)
    np.testing.assert_allclose(dist / 1852.0, radius, rtol=1e-9)
    # 128-gon inscribed in the circle: area smaller by about (2 pi / 128)² / 6 = 0.04 %
    assert math.isclose(area.circle_area_nm2, math.pi * radius**2, rel_tol=1e-3)
    signed, _ = Geod(ellps="WGS84").geometry_area_perimeter(area.polygon)
    assert signed > 0  # counter-clockwise (RFC 7946)
    assert area.polygon.contains(shapely.Point(lon, lat))


def test_circle_across_the_antimeridian_is_one_valid_polygon():
    area = iamsar.iamsar_area(179.95, -40.0, 10.0)
    assert area.polygon.is_valid
    west, _, east, _ = area.polygon.bounds
    assert west < 180.0 < east
    assert math.isclose(area.circle_area_nm2, math.pi * area.radius_nm**2, rel_tol=1e-3)


def test_poc_inside_circle_of_a_circular_gaussian():
    """A circle of radius r around a circular Gaussian holds 1 - exp(-r² / 2 sigma²)."""
    from sarkit.poc import poc_grid
    from tests.poc import make_trajectories, offsets_to_lonlat

    rng = np.random.default_rng(4)
    sigma = 2.0
    lon, lat = offsets_to_lonlat(rng.normal(0, sigma, 100_000), rng.normal(0, sigma, 100_000))
    grid = poc_grid(make_trajectories(lon, lat), cell_nm=0.1)
    area = iamsar.iamsar_area(grid.datum_lon, grid.datum_lat, 2.0)  # R = 1.1 * 2 = 2.2 NM
    expected = 1.0 - math.exp(-(area.radius_nm**2) / (2 * sigma**2))
    assert math.isclose(iamsar.poc_inside(area, grid), expected, abs_tol=0.01)
