"""ForcingGrid (validation, interpolation), ConstantSource, and in-memory Datasets."""

from __future__ import annotations

import numpy as np
import pytest

from sarkit.errors import BadValueError
from sarkit.forcing import ConstantSource, ForcingGrid, Quantity, open_forcing
from sarkit.forcing.synthetic import moving_eddy, uniform_flow
from sarkit.times import parse_time

T0 = parse_time("2024-03-20T00:00Z")
LON = np.array([94.0, 94.5, 95.0, 95.5, 96.0])
LAT = np.array([6.0, 6.25, 6.5, 6.75])
TIME = T0 + 3600.0 * np.array([0.0, 3.0, 6.0])


def linear(lon, lat, time):
    """A field linear in lon, lat and time: bilinear/linear interpolation is exact."""
    east = 0.1 + 0.2 * (lon - 95.0) - 0.4 * (lat - 6.5) + 0.01 * (time - T0) / 3600.0
    north = -0.3 + 0.05 * (lon - 95.0) + 0.3 * (lat - 6.5) - 0.02 * (time - T0) / 3600.0
    return east, north


def linear_grid(lon=LON, lat=LAT, time=TIME) -> ForcingGrid:
    t, y, x = np.meshgrid(time, lat, lon, indexing="ij")
    east, north = linear(x, y, t)
    return ForcingGrid(Quantity.CURRENT, lon, lat, time, east, north, source="test")


# --------------------------------------------------------------------------- validation


def test_arrays_are_read_only_float32():
    grid = linear_grid()
    assert grid.east.dtype == np.float32 and grid.north.dtype == np.float32
    assert grid.lon.dtype == np.float64 and grid.time.dtype == np.float64
    with pytest.raises(ValueError):
        grid.east[0, 0, 0] = 1.0
    assert grid.dlon == 0.5 and grid.dlat == 0.25
    assert grid.bbox == (94.0, 6.0, 96.0, 6.75)
    assert grid.time_step == 3 * 3600.0 and not grid.is_steady
    assert grid.quantity is Quantity.CURRENT


@pytest.mark.parametrize(("change", "reason"), [
    ({"east": np.zeros((3, 4, 4))}, "shape"),
    ({"north": np.zeros((2, 4, 5))}, "shape"),
    ({"east": np.zeros((4, 5))}, "3-D"),
    ({"lon": np.array([94.0, 94.5, 95.5, 96.0, 96.5])}, "evenly spaced"),
    ({"lat": np.array([6.0, 6.1, 6.5, 6.75])}, "evenly spaced"),
    ({"lat": LAT[::-1].copy()}, "ascending"),
    ({"lon": np.array([94.0])}, "at least 2"),
    ({"time": TIME[::-1].copy()}, "ascending"),
    ({"time": np.array([T0, T0, T0 + 1])}, "ascending"),
    ({"time": np.array([T0, np.nan, T0 + 1])}, "finite"),
    ({"time": np.array([])}, "finite"),
    ({"lon": np.zeros((2, 5))}, "1-D"),
])
def test_invalid_grids_are_refused(change, reason):
    fields = {"lon": LON, "lat": LAT, "time": TIME,
              "east": np.zeros((3, 4, 5)), "north": np.zeros((3, 4, 5))}
    fields.update(change)
    with pytest.raises(ValueError, match=reason):
        ForcingGrid(Quantity.CURRENT, **fields)


def test_quantity_by_name():
    grid = ForcingGrid("Wind", LON, LAT, TIME[:1], np.zeros((1, 4, 5)), np.zeros((1, 4, 5)))
    assert grid.quantity is Quantity.WIND
    with pytest.raises(ValueError, match="current' or 'wind"):
        ForcingGrid("waves", LON, LAT, TIME[:1], np.zeros((1, 4, 5)), np.zeros((1, 4, 5)))


# --------------------------------------------------------------------------- at()


def test_at_is_exact_on_a_linear_field():
    grid = linear_grid()
    rng = np.random.default_rng(1)
    lon = rng.uniform(94.0, 96.0, 200)
    lat = rng.uniform(6.0, 6.75, 200)
    time = rng.uniform(TIME[0], TIME[-1], 200)
    east, north = grid.at(lon, lat, time)
    expected_e, expected_n = linear(lon, lat, time)
    # float32 storage: ~1e-7 relative
    np.testing.assert_allclose(east, expected_e, atol=1e-6)
    np.testing.assert_allclose(north, expected_n, atol=1e-6)


def test_at_on_nodes_edges_and_corners():
    grid = linear_grid()
    lon = np.array([94.0, 96.0, 96.0, 94.0, 95.0])
    lat = np.array([6.0, 6.75, 6.0, 6.75, 6.5])
    time = np.array([TIME[0], TIME[-1], TIME[1], TIME[-1], TIME[0] + 5400.0])
    east, north = grid.at(lon, lat, time)
    expected_e, expected_n = linear(lon, lat, time)
    np.testing.assert_allclose(east, expected_e, atol=1e-6)
    np.testing.assert_allclose(north, expected_n, atol=1e-6)


def test_at_accepts_datetime64_and_strings():
    grid = linear_grid()
    by_number = np.array(grid.at(95.2, 6.3, T0 + 5400.0))
    by_string = np.array(grid.at(95.2, 6.3, "2024-03-20T01:30Z"))
    by_numpy = np.array(grid.at(95.2, 6.3, np.datetime64("2024-03-20T01:30")))
    np.testing.assert_array_equal(by_number, by_string)
    np.testing.assert_array_equal(by_number, by_numpy)
    np.testing.assert_allclose(by_number, linear(95.2, 6.3, T0 + 5400.0), atol=1e-6)


def test_at_broadcasts():
    grid = linear_grid()
    east, north = grid.at(np.array([[95.0], [95.5]]), np.array([6.25, 6.5, 6.75]), T0)
    assert east.shape == (2, 3) and north.shape == (2, 3)


@pytest.mark.parametrize(("lon", "lat", "time"), [
    (93.9, 6.5, T0),  # west of the grid
    (96.1, 6.5, T0),
    (95.0, 5.9, T0),
    (95.0, 6.8, T0),
    (95.0, 6.5, T0 - 1.0),  # before the first time
    (95.0, 6.5, TIME[-1] + 1.0),  # after the last
])
def test_at_outside_is_nan(lon, lat, time):
    east, north = linear_grid().at(lon, lat, time)
    assert np.isnan(east) and np.isnan(north)


def test_nan_next_to_land():
    grid = linear_grid()
    east = np.array(grid.east)
    east[:, 2, 2] = np.nan  # land at (95.0, 6.5)
    north = np.array(grid.north)
    north[:, 2, 2] = np.nan
    grid = ForcingGrid(Quantity.CURRENT, LON, LAT, TIME, east, north)
    # every cell touching the land node reads as missing, even at zero weight
    for lon, lat in [(95.0, 6.5), (94.8, 6.4), (95.2, 6.6), (95.4, 6.3), (95.0, 6.3),
                     (94.5, 6.5)]:
        assert np.isnan(grid.at(lon, lat, T0)[0]), (lon, lat)
    # cells not touching it are untouched
    for lon, lat in [(94.2, 6.1), (95.7, 6.7), (94.3, 6.7)]:
        value = grid.at(lon, lat, T0)[0]
        assert value == pytest.approx(linear(lon, lat, T0)[0], abs=1e-6)
    assert grid.missing_fraction == pytest.approx(1 / 20)


def test_longitude_wrapping_across_the_antimeridian():
    lon = np.arange(170.0, 190.0 + 1e-9, 2.0)  # continues past 180
    grid = linear_grid(lon=lon)
    for query, same in [(-175.0, 185.0), (-179.0, 181.0), (185.0 - 360.0, 185.0),
                        (170.0 + 360.0, 170.0), (172.5 - 720.0, 172.5)]:
        assert grid.at(query, 6.5, T0)[0] == pytest.approx(linear(same, 6.5, T0)[0], abs=1e-6)
    assert np.isnan(grid.at(-160.0, 6.5, T0)[0])  # 200 E: outside


def test_steady_grid_ignores_time():
    east = np.full((1, 4, 5), 0.5)
    north = np.full((1, 4, 5), -0.2)
    grid = ForcingGrid(Quantity.WIND, LON, LAT, np.array([T0]), east, north)
    assert grid.is_steady and grid.time_step is None
    for time in (T0 - 1e8, T0, T0 + 1e8, np.nan):
        np.testing.assert_allclose(grid.at(95.1, 6.6, time), (0.5, -0.2), rtol=1e-6)


def test_undated_steady_grid():
    grid = ForcingGrid(Quantity.CURRENT, LON, LAT, np.array([np.nan]), np.zeros((1, 4, 5)),
                       np.zeros((1, 4, 5)))
    assert grid.is_steady
    assert np.isnat(grid.times[0])
    assert "NaT" in repr(grid)


def test_times_and_dataset():
    grid = linear_grid()
    assert grid.times[0] == np.datetime64("2024-03-20T00:00:00")
    dataset = grid.to_dataset()
    assert dataset["east"].attrs["standard_name"] == "eastward_sea_water_velocity"
    np.testing.assert_array_equal(dataset["east"].values, grid.east)
    round_trip = open_forcing(dataset, "current").load()
    np.testing.assert_array_equal(round_trip.east, grid.east)
    np.testing.assert_array_equal(round_trip.time, grid.time)


def test_repr_summarises():
    text = repr(linear_grid())
    assert "current" in text and "5x4 points" in text and "3 steps of 3 h" in text


# --------------------------------------------------------------------------- ConstantSource


def test_constant_source_covers_the_box():
    grid = ConstantSource("current", 0.3, -0.1).load((92.0, 5.0, 99.0, 14.0))
    assert grid.bbox == (92.0, 5.0, 99.0, 14.0)
    assert grid.is_steady and grid.quantity is Quantity.CURRENT
    east, north = grid.at([92.0, 95.5, 99.0], [5.0, 10.0, 14.0], T0)
    np.testing.assert_allclose(east, 0.3, rtol=1e-6)
    np.testing.assert_allclose(north, -0.1, rtol=1e-6)
    assert any("stated by the user" in note for note in grid.notes)


def test_constant_source_across_the_antimeridian_and_globe():
    grid = ConstantSource("wind", 5.0, 5.0).load((170.0, -10.0, -170.0, 10.0))
    assert grid.lon[0] == 170.0 and grid.lon[-1] == 190.0
    assert grid.at(-175.0, 0.0, T0)[0] == pytest.approx(5.0)
    world = ConstantSource("wind", 5.0, 5.0).load()
    assert world.bbox == (-180.0, -90.0, 180.0, 90.0)


@pytest.mark.parametrize(("quantity", "east", "north"), [
    ("current", 20.0, 0.0),
    ("current", 8.0, 8.0),
    ("wind", 150.0, 0.0),
    ("current", np.nan, 0.0),
    ("wind", np.inf, 0.0),
])
def test_constant_source_refuses_absurd_speeds(quantity, east, north):
    with pytest.raises(BadValueError, match="not a plausible speed") as caught:
        ConstantSource(quantity, east, north)
    assert "Fix:" in str(caught.value)


def test_constant_source_refuses_a_bad_box():
    with pytest.raises(BadValueError):
        ConstantSource("current", 0.1, 0.1).load((92.0, 14.0, 99.0, 5.0))


# --------------------------------------------------------------------------- in-memory Datasets


@pytest.mark.parametrize("make", [
    lambda: uniform_flow(0.3, -0.1, bbox=(94.0, 6.0, 96.0, 8.0), start="2024-03-20T00:00",
                         hours=12, step_hours=3, resolution_deg=0.25),
    lambda: moving_eddy(center=(95.0, 7.0), radius_km=50.0, max_speed=0.4,
                        velocity=(0.1, 0.05), bbox=(94.0, 6.0, 96.0, 8.0),
                        start="2024-03-20T00:00", hours=12, step_hours=3,
                        resolution_deg=0.25),
])
def test_dataset_in_memory_equals_the_written_file(tmp_path, make):
    dataset = make()
    assert np.issubdtype(dataset["time"].dtype, np.datetime64)  # decoded times
    path = tmp_path / "flow.nc"
    dataset.to_netcdf(path)
    from_memory = open_forcing(dataset, "current").load((94.5, 6.5, 95.5, 7.5),
                                                        "2024-03-20T03:00Z", "2024-03-20T06:00Z")
    with open_forcing(path, "current") as source:
        from_file = source.load((94.5, 6.5, 95.5, 7.5), "2024-03-20T03:00Z", "2024-03-20T06:00Z")
    np.testing.assert_array_equal(from_memory.time, from_file.time)
    np.testing.assert_array_equal(from_memory.lon, from_file.lon)
    np.testing.assert_array_equal(from_memory.lat, from_file.lat)
    np.testing.assert_array_equal(from_memory.east, from_file.east)
    np.testing.assert_array_equal(from_memory.north, from_file.north)
    np.testing.assert_array_equal(from_file.east, dataset["uo"].sel(
        lon=from_file.lon, lat=from_file.lat, method="nearest").isel(time=[1, 2]).values)
    assert from_file.time[0] == parse_time("2024-03-20T03:00Z")
    assert from_file.time.size == 2


def test_dataset_passed_in_is_not_closed(tmp_path):
    dataset = uniform_flow(0.3, -0.1, bbox=(94.0, 6.0, 96.0, 8.0), start="2024-03-20T00:00",
                           hours=6, step_hours=3, resolution_deg=0.5)
    with open_forcing(dataset, "current") as source:
        source.load()
    assert float(dataset["uo"].values[0, 0, 0]) == pytest.approx(0.3)
