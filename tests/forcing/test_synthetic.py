"""Tests of the SYNTHETIC analytic forcing fields (sarkit.forcing.synthetic)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from sarkit.forcing.synthetic import (
    SAMPLE_FILES,
    andaman_monsoon,
    andaman_sample,
    moving_eddy,
    solid_body_rotation,
    uniform_flow,
)

R = 6371000.0
METRES_PER_DEGREE = R * math.pi / 180.0
DATA = Path(__file__).parents[2] / "data"
NAMES = {"current": ("uo", "vo"), "wind": ("u10", "v10")}
STANDARD_NAMES = {
    "current": ("eastward_sea_water_velocity", "northward_sea_water_velocity"),
    "wind": ("eastward_wind", "northward_wind"),
}
SMALL = {"bbox": (94.0, 6.0, 96.0, 8.0), "hours": 6, "step_hours": 3, "resolution_deg": 0.5}


def builders():
    """One small call of every public field function, by name."""
    return {
        "uniform": lambda kind: uniform_flow(0.3, -0.1, kind=kind, **SMALL),
        "rotation": lambda kind: solid_body_rotation(
            center=(95.0, 7.0), period_hours=24.0, kind=kind, **SMALL
        ),
        "eddy": lambda kind: moving_eddy(
            center=(95.0, 7.0), radius_km=50.0, max_speed=0.4, velocity=(0.1, 0.05),
            kind=kind, **SMALL,
        ),
        "andaman": lambda kind: andaman_monsoon(kind=kind, **SMALL),
    }


def components(ds: xr.Dataset, kind: str) -> tuple[np.ndarray, np.ndarray]:
    east, north = NAMES[kind]
    return ds[east].values.astype(np.float64), ds[north].values.astype(np.float64)


def plane(ds: xr.Dataset, lon0: float, lat0: float) -> tuple[np.ndarray, np.ndarray]:
    """Tangent-plane x (lon,) and y (lat,) in metres about (lon0, lat0)."""
    x = (ds["lon"].values - lon0) * math.cos(math.radians(lat0)) * METRES_PER_DEGREE
    y = (ds["lat"].values - lat0) * METRES_PER_DEGREE
    return x, y


# --------------------------------------------------------------------------- layout, CF


@pytest.mark.parametrize("kind", ["current", "wind"])
@pytest.mark.parametrize("name", sorted(builders()))
def test_layout_and_cf_metadata(name, kind):
    ds = builders()[name](kind)
    east, north = NAMES[kind]
    assert set(ds.data_vars) == {east, north}
    for var, standard_name in zip((east, north), STANDARD_NAMES[kind], strict=True):
        assert ds[var].dims == ("time", "lat", "lon")
        assert ds[var].dtype == np.float32
        assert ds[var].attrs["standard_name"] == standard_name
        assert ds[var].attrs["units"] == "m s-1"
        assert ds[var].attrs["long_name"]
        assert np.all(np.isfinite(ds[var].values))
        if kind == "wind":
            assert ds[var].attrs["height"] == "10 m"
    assert ds["time"].dtype == np.dtype("datetime64[ns]")
    assert ds["time"].attrs["standard_name"] == "time"
    assert ds["time"].attrs["axis"] == "T"
    assert ds["time"].encoding["units"].startswith("hours since 1970-01-01")
    assert ds["time"].encoding["calendar"] == "proleptic_gregorian"
    for coord, units, axis, standard_name in (
        ("lat", "degrees_north", "Y", "latitude"),
        ("lon", "degrees_east", "X", "longitude"),
    ):
        assert ds[coord].dtype == np.float64
        assert np.all(np.diff(ds[coord].values) > 0)
        assert ds[coord].attrs["units"] == units
        assert ds[coord].attrs["axis"] == axis
        assert ds[coord].attrs["standard_name"] == standard_name
    assert ds.attrs["title"].startswith("SYNTHETIC")
    assert ds.attrs["source"] == "sarkit.forcing.synthetic (analytic field, not model output)"
    assert "SYNTHETIC" in ds.attrs["comment"]
    assert ds.attrs["history"]
    assert ds.attrs["Conventions"] == "CF-1.8"


def test_grid_and_time_axes_follow_the_arguments():
    ds = uniform_flow(
        0.0, 0.0, bbox=(94.0, 6.0, 96.0, 7.0), start="2024-06-10T07:00+07:00",
        hours=6, step_hours=1.5, resolution_deg=0.5,
    )
    np.testing.assert_array_equal(ds["lon"].values, [94.0, 94.5, 95.0, 95.5, 96.0])
    np.testing.assert_array_equal(ds["lat"].values, [6.0, 6.5, 7.0])
    expected = np.datetime64("2024-06-10T00:00", "ns") + np.array(
        [0, 90, 180, 270, 360], dtype="timedelta64[m]"
    )
    np.testing.assert_array_equal(ds["time"].values, expected)


# --------------------------------------------------------------------------- uniform


@pytest.mark.parametrize("kind", ["current", "wind"])
def test_uniform_flow_has_exactly_the_given_velocity(kind):
    ds = uniform_flow(0.37, -1.25, kind=kind, **SMALL)
    east, north = NAMES[kind]
    assert ds[east].shape == (3, 5, 5)
    assert np.all(ds[east].values == np.float32(0.37))
    assert np.all(ds[north].values == np.float32(-1.25))


# --------------------------------------------------------------------------- rotation


def rotation(period_hours: float) -> xr.Dataset:
    return solid_body_rotation(
        center=(95.0, 10.0), period_hours=period_hours, bbox=(93.0, 8.0, 97.0, 12.0),
        hours=3, step_hours=1, resolution_deg=0.05,
    )


def test_solid_body_rotation_speed_is_omega_r():
    ds = rotation(30.0)
    omega = 2 * math.pi / (30.0 * 3600.0)
    u, v = components(ds, "current")
    x, y = plane(ds, 95.0, 10.0)
    for lon, lat in [(95.0, 10.0), (96.0, 10.0), (95.0, 11.5), (93.5, 8.5), (96.7, 11.95)]:
        i = int(np.argmin(abs(ds["lat"].values - lat)))
        j = int(np.argmin(abs(ds["lon"].values - lon)))
        r = math.hypot(x[j], y[i])
        for k in range(ds.sizes["time"]):
            speed = math.hypot(u[k, i, j], v[k, i, j])
            assert speed == pytest.approx(omega * r, rel=1e-5, abs=1e-7)


@pytest.mark.parametrize("period", [30.0, -12.0])
def test_solid_body_rotation_is_divergence_free_with_vorticity_two_omega(period):
    ds = rotation(period)
    omega = 2 * math.pi / (period * 3600.0)
    u, v = components(ds, "current")
    x, y = plane(ds, 95.0, 10.0)
    du_dx = np.gradient(u, x, axis=2)
    dv_dy = np.gradient(v, y, axis=1)
    dv_dx = np.gradient(v, x, axis=2)
    du_dy = np.gradient(u, y, axis=1)
    np.testing.assert_allclose(du_dx + dv_dy, 0.0, atol=1e-4 * abs(omega))
    np.testing.assert_allclose(dv_dx - du_dy, 2 * omega, rtol=1e-4)


def test_solid_body_rotation_turns_counter_clockwise_for_positive_period():
    ds = rotation(30.0)
    east_of_centre = ds.sel(lon=96.0, lat=10.0, method="nearest").isel(time=0)
    north_of_centre = ds.sel(lon=95.0, lat=11.0, method="nearest").isel(time=0)
    assert float(east_of_centre["vo"]) > 0  # moving north on the east side
    assert float(north_of_centre["uo"]) < 0  # moving west on the north side
    clockwise = rotation(-30.0).sel(lon=96.0, lat=10.0, method="nearest").isel(time=0)
    assert float(clockwise["vo"]) < 0


# --------------------------------------------------------------------------- moving eddy

EDDY = {
    "center": (95.0, 10.0),
    "velocity": (0.3, -0.2),
    "radius_km": 40.0,
    "max_speed": 0.5,
    "bbox": (93.0, 7.0, 98.0, 12.0),
    "hours": 48,
    "step_hours": 24,
    "resolution_deg": 0.02,
}


def eddy_centre(ds: xr.Dataset, k: int) -> tuple[float, float]:
    """Eddy centre (lon, lat) at time index k: centroid of speed**2, and speed minimum."""
    u, v = components(ds.isel(time=[k]), "current")
    weight = (u[0] ** 2 + v[0] ** 2)
    lat2, lon2 = np.meshgrid(ds["lat"].values, ds["lon"].values, indexing="ij")
    lon_c = float((weight * lon2).sum() / weight.sum())
    lat_c = float((weight * lat2).sum() / weight.sum())
    # The point of zero speed is the centre too (to within the grid spacing).
    core = np.hypot(lon2 - lon_c, lat2 - lat_c) < 0.2
    i, j = np.unravel_index(np.argmin(np.where(core, np.hypot(u[0], v[0]), np.inf)), u[0].shape)
    assert abs(lon2[i, j] - lon_c) <= 0.02 and abs(lat2[i, j] - lat_c) <= 0.02
    return lon_c, lat_c


def test_moving_eddy_centre_moves_at_the_given_velocity():
    ds = moving_eddy(**EDDY)
    lon0, lat0 = eddy_centre(ds, 0)
    assert lon0 == pytest.approx(95.0, abs=1e-4)
    assert lat0 == pytest.approx(10.0, abs=1e-4)
    for k in (1, 2):
        lon_k, lat_k = eddy_centre(ds, k)
        seconds = (ds["time"].values[k] - ds["time"].values[0]) / np.timedelta64(1, "s")
        east = (lon_k - lon0) * math.cos(math.radians(10.0)) * METRES_PER_DEGREE
        north = (lat_k - lat0) * METRES_PER_DEGREE
        assert east / seconds == pytest.approx(0.3, rel=0.005)
        assert north / seconds == pytest.approx(-0.2, rel=0.005)


def test_moving_eddy_peaks_at_max_speed_on_radius_r0():
    ds = moving_eddy(**EDDY)
    u, v = components(ds.isel(time=[0]), "current")
    speed = np.hypot(u[0], v[0])
    assert speed.max() == pytest.approx(0.5, rel=0.005)
    x, y = plane(ds, 95.0, 10.0)
    i, j = np.unravel_index(np.argmax(speed), speed.shape)
    assert math.hypot(x[j], y[i]) == pytest.approx(40000.0, abs=3000.0)
    # Counter-clockwise: east of the centre the water moves north.
    east_side = ds.sel(lon=95.0 + 0.365, lat=10.0, method="nearest").isel(time=0)
    assert float(east_side["vo"]) == pytest.approx(0.5, rel=0.02)
    # Far from the centre the flow has died away.
    assert np.all(speed[np.hypot(*np.meshgrid(x, y)) > 300000.0] < 1e-6)


def test_moving_eddy_with_negative_max_speed_turns_clockwise():
    ds = moving_eddy(**{**EDDY, "max_speed": -0.5})
    east_side = ds.sel(lon=95.0 + 0.365, lat=10.0, method="nearest").isel(time=0)
    assert float(east_side["vo"]) == pytest.approx(-0.5, rel=0.02)


# --------------------------------------------------------------------------- Andaman


def monsoon(kind: str, season: str) -> xr.Dataset:
    return andaman_monsoon(kind=kind, season=season, hours=240, step_hours=1, resolution_deg=0.25)


def bearing_toward(u: np.ndarray, v: np.ndarray) -> float:
    """Compass bearing (degrees) of the mean vector."""
    return math.degrees(math.atan2(float(np.mean(u)), float(np.mean(v)))) % 360.0


def test_southwest_monsoon_wind_blows_toward_the_northeast_at_6_to_10_m_s():
    u, v = components(monsoon("wind", "southwest"), "wind")
    speed = np.hypot(u, v)
    assert 5.0 < speed.min() and speed.max() < 11.0
    assert 7.0 < speed.mean() < 9.0
    assert np.mean((u > 0) & (v > 0)) > 0.95
    assert 30.0 < bearing_toward(u, v) < 80.0


def test_northeast_monsoon_wind_blows_toward_the_southwest_at_4_to_7_m_s():
    u, v = components(monsoon("wind", "northeast"), "wind")
    speed = np.hypot(u, v)
    assert 3.0 < speed.min() and speed.max() < 8.0
    assert 4.5 < speed.mean() < 6.5
    assert np.mean((u < 0) & (v < 0)) > 0.95
    assert 200.0 < bearing_toward(u, v) < 260.0


@pytest.mark.parametrize(
    ("season", "bearing_range"), [("southwest", (45.0, 100.0)), ("northeast", (215.0, 275.0))]
)
def test_monsoon_currents_have_realistic_speed_and_direction(season, bearing_range):
    u, v = components(monsoon("current", season), "current")
    speed = np.hypot(u, v)
    assert speed.max() < 0.7
    assert np.percentile(speed, 95) < 0.6
    assert 0.1 < speed.mean() < 0.4
    assert bearing_range[0] < bearing_toward(u, v) < bearing_range[1]


def test_monsoon_current_has_an_m2_tide_of_about_a_tenth_of_a_metre_per_second():
    ds = andaman_monsoon(
        kind="current", bbox=(94.0, 8.0, 94.5, 8.5), hours=29 * 24, step_hours=1,
        resolution_deg=0.5,
    )
    u, _ = components(ds, "current")
    hours = (ds["time"].values - ds["time"].values[0]) / np.timedelta64(1, "h")
    omega = 2 * math.pi / 12.4206
    design = np.column_stack([np.ones_like(hours), np.cos(omega * hours), np.sin(omega * hours)])
    coefficients, *_ = np.linalg.lstsq(design, u[:, 0, 0], rcond=None)
    assert 0.05 < math.hypot(coefficients[1], coefficients[2]) < 0.15


def test_southwest_monsoon_current_has_a_weak_cyclonic_eddy():
    ds = andaman_monsoon(kind="current", hours=0, resolution_deg=0.1)
    u, v = components(ds, "current")
    x, y = plane(ds, 95.5, 10.0)
    vorticity = np.gradient(v[0], x, axis=1) - np.gradient(u[0], y, axis=0)
    assert vorticity.max() > 2e-6
    assert vorticity.max() > 3 * abs(vorticity.min())


def test_andaman_fields_do_not_depend_on_the_box_or_start_chosen():
    whole = andaman_monsoon(kind="wind", start="2024-06-10T00:00", hours=24, resolution_deg=0.5)
    part = andaman_monsoon(
        kind="wind", bbox=(94.0, 8.0, 96.0, 10.0), start="2024-06-10T12:00", hours=12,
        resolution_deg=0.5,
    )
    overlap = whole.sel(lon=part["lon"], lat=part["lat"], time=part["time"])
    xr.testing.assert_allclose(overlap[["u10", "v10"]], part[["u10", "v10"]], rtol=1e-6)


# --------------------------------------------------------------------------- netCDF


@pytest.mark.parametrize("kind", ["current", "wind"])
@pytest.mark.parametrize("name", sorted(builders()))
def test_netcdf_round_trip_keeps_values_times_and_attributes(tmp_path, name, kind):
    ds = builders()[name](kind)
    path = tmp_path / f"{name}_{kind}.nc"
    ds.to_netcdf(path)
    with xr.open_dataset(path) as back:
        back.load()
    for var in NAMES[kind]:
        assert back[var].dtype == np.float32
        np.testing.assert_array_equal(back[var].values, ds[var].values)
        assert back[var].attrs["standard_name"] == ds[var].attrs["standard_name"]
        assert back[var].attrs["units"] == "m s-1"
    np.testing.assert_array_equal(back["time"].values.astype("datetime64[ns]"), ds["time"].values)
    assert back["time"].encoding["units"].startswith("hours since 1970-01-01")
    assert back["time"].encoding["calendar"] == "proleptic_gregorian"
    np.testing.assert_array_equal(back["lat"].values, ds["lat"].values)
    np.testing.assert_array_equal(back["lon"].values, ds["lon"].values)
    assert back.attrs == ds.attrs


def test_netcdf_round_trip_with_sub_hour_steps(tmp_path):
    ds = uniform_flow(0.1, 0.2, bbox=(94.0, 6.0, 95.0, 7.0), start="2024-06-10T00:10",
                      hours=1, step_hours=0.25, resolution_deg=0.5)
    ds.to_netcdf(tmp_path / "sub_hour.nc")
    with xr.open_dataset(tmp_path / "sub_hour.nc") as back:
        times = back["time"].values.astype("datetime64[ns]")
    np.testing.assert_array_equal(times, ds["time"].values)
    assert np.all(np.diff(times) == np.timedelta64(15, "m"))


@pytest.mark.parametrize("kind", ["current", "wind"])
def test_bundled_sample_files_equal_andaman_sample(kind):
    path = DATA / SAMPLE_FILES[kind]
    assert path.stat().st_size < 400 * 1024
    expected = andaman_sample(kind)
    with xr.open_dataset(path) as bundled:
        bundled.load()
    assert bundled.attrs["title"].startswith("SYNTHETIC")
    assert bundled.sizes == expected.sizes
    np.testing.assert_array_equal(
        bundled["time"].values.astype("datetime64[ns]"), expected["time"].values
    )
    np.testing.assert_array_equal(bundled["lat"].values, expected["lat"].values)
    np.testing.assert_array_equal(bundled["lon"].values, expected["lon"].values)
    for var in NAMES[kind]:
        assert bundled[var].dtype == np.float32
        np.testing.assert_allclose(bundled[var].values, expected[var].values, rtol=2e-7, atol=1e-7)


def test_andaman_sample_has_the_documented_parameters():
    ds = andaman_sample("current")
    assert ds["time"].values[0] == np.datetime64("2024-06-10T00:00", "ns")
    assert ds.sizes["time"] == 25
    assert np.all(np.diff(ds["time"].values) == np.timedelta64(3, "h"))
    assert (ds["lon"].values[0], ds["lon"].values[-1]) == (91.0, 100.0)
    assert (ds["lat"].values[0], ds["lat"].values[-1]) == (4.0, 16.0)
    np.testing.assert_allclose(np.diff(ds["lon"].values), 0.25)
    assert "southwest" in ds.attrs["title"]


# --------------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: uniform_flow(1, 0, kind="tide"), "kind"),
        (lambda: andaman_sample("waves"), "kind"),
        (lambda: uniform_flow(float("nan"), 0), "east"),
        (lambda: uniform_flow(1, 0, bbox=(96, 6, 94, 8)), "bbox"),
        (lambda: uniform_flow(1, 0, bbox=(94, 8, 96, 8)), "bbox"),
        (lambda: uniform_flow(1, 0, bbox=(94, 80, 96, 91)), "bbox"),
        (lambda: uniform_flow(1, 0, bbox=(94, 6, 96)), "bbox"),
        (lambda: uniform_flow(1, 0, step_hours=0), "step_hours"),
        (lambda: uniform_flow(1, 0, step_hours=-1), "step_hours"),
        (lambda: uniform_flow(1, 0, hours=-3), "hours"),
        (lambda: uniform_flow(1, 0, resolution_deg=0), "resolution_deg"),
        (lambda: uniform_flow(1, 0, resolution_deg=-0.1), "resolution_deg"),
        (lambda: uniform_flow(1, 0, resolution_deg=50), "resolution_deg"),
        (lambda: uniform_flow(1, 0, start="yesterday-ish"), "start"),
        (lambda: solid_body_rotation(center=(95, 10), period_hours=0), "period_hours"),
        (lambda: solid_body_rotation(center=(95, 90), period_hours=10), "center"),
        (lambda: solid_body_rotation(center=95, period_hours=10), "center"),
        (lambda: moving_eddy(center=(95, 10), radius_km=0, max_speed=1), "radius_km"),
        (lambda: moving_eddy(center=(95, 10), radius_km=10, max_speed=np.inf), "max_speed"),
        (lambda: moving_eddy(center=(95, 10), radius_km=10, max_speed=1, velocity=(1,)),
         "velocity"),
        (lambda: andaman_monsoon(season="monsoon"), "season"),
        (lambda: andaman_monsoon(kind="current", bbox=(100, 4, 91, 16)), "bbox"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
