"""ERA5 quirks on a small ERA5-like file written here (the shared ERA5 copy is damaged).

The file mimics a Copernicus CDS single-time download (grib_to_netcdf): int16
``u10``/``v10`` packed with ``scale_factor``/``add_offset``, ``_FillValue`` and
``missing_value`` both -32767, latitude descending 50 -> 24, longitude either
0..360 (235..294) or -180..180 (-125..-66), a scalar ``time`` coordinate in
``hours since 1900-01-01 00:00:00.0`` (gregorian) and units ``m s**-1``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import netCDF4
import numpy as np
import pytest

from sarkit.forcing import open_forcing
from sarkit.times import format_time

LON_360 = np.arange(235.0, 294.0 + 1e-9, 0.25)
LAT_DESCENDING = np.arange(50.0, 24.0 - 1e-9, -0.25)
HOURS = (datetime(1995, 7, 14, 12) - datetime(1900, 1, 1)).total_seconds() / 3600.0
FILL = -32767
FILL_CELLS = [(0, 0), (10, 20), (104, 236), (50, 100)]  # (lat index, lon index) in the file


def true_wind(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The known u10, v10 (m/s) on the file's (lat, lon) grid."""
    lon2, lat2 = np.meshgrid(lon, lat)
    u = 2.0 + 8.0 * np.cos(np.radians(lat2)) * np.sin(np.radians(3.0 * lon2))
    v = -5.0 + 0.3 * (lat2 - 24.0) + 0.05 * (lon2 % 360.0 - 235.0)
    return u, v


def pack(values: np.ndarray) -> tuple[np.ndarray, float, float]:
    """ERA5-style int16 packing: the range spread over -32766..32766."""
    low, high = float(values.min()), float(values.max())
    scale = (high - low) / 65532.0
    offset = (high + low) / 2.0
    return np.round((values - offset) / scale).astype(np.int16), scale, offset


def write_era5_like(path: Path, lon: np.ndarray) -> dict[str, tuple[np.ndarray, float]]:
    """Write the file; return the true values and the packing step of each component."""
    u, v = true_wind(lon, LAT_DESCENDING)
    truth = {}
    with netCDF4.Dataset(path, "w", format="NETCDF4") as d:
        d.Conventions = "CF-1.6"
        d.history = "grib_to_netcdf-2.28.1 (written by a sarkit test)"
        d.createDimension("longitude", lon.size)
        d.createDimension("latitude", LAT_DESCENDING.size)
        x = d.createVariable("longitude", "f4", ("longitude",))
        x.units, x.long_name = "degrees_east", "longitude"
        x[:] = lon
        y = d.createVariable("latitude", "f4", ("latitude",))
        y.units, y.long_name = "degrees_north", "latitude"
        y[:] = LAT_DESCENDING
        t = d.createVariable("time", "i4", ())
        t.units, t.long_name, t.calendar = "hours since 1900-01-01 00:00:00.0", "time", "gregorian"
        t.assignValue(int(HOURS))
        for name, values, long_name in (("u10", u, "10 metre U wind component"),
                                        ("v10", v, "10 metre V wind component"),
                                        ("t2m", 290.0 + 0.1 * v, "2 metre temperature")):
            packed, scale, offset = pack(values)
            var = d.createVariable(name, "i2", ("latitude", "longitude"), fill_value=FILL)
            var.scale_factor, var.add_offset = scale, offset
            var.missing_value = np.int16(FILL)
            var.units = "K" if name == "t2m" else "m s**-1"
            var.long_name = long_name
            var.set_auto_maskandscale(False)
            for j, i in FILL_CELLS:
                packed[j, i] = FILL
            var[:] = packed
            truth[name] = (values, scale)
    return truth


@pytest.fixture(params=["0-360", "-180-180"])
def era5_like(request, tmp_path):
    lon = LON_360 if request.param == "0-360" else LON_360 - 360.0
    path = tmp_path / "era5_like.nc"
    truth = write_era5_like(path, lon)
    with netCDF4.Dataset(path) as d:  # the file really is packed as intended
        d.set_auto_maskandscale(False)
        assert d["u10"].dtype == np.int16 and d["time"].ndim == 0
        assert d["latitude"][0] == 50.0 and d["latitude"][-1] == 24.0
    return path, truth


def test_latitude_comes_out_ascending(era5_like):
    path, _ = era5_like
    grid = open_forcing(path, "wind").load()
    np.testing.assert_allclose(grid.lat, LAT_DESCENDING[::-1])
    # longitudes in -180..180 whichever convention the file uses
    np.testing.assert_allclose(grid.lon, LON_360 - 360.0, atol=1e-4)


def test_values_unpacked_to_m_s(era5_like):
    path, truth = era5_like
    grid = open_forcing(path, "wind").load()
    for name, loaded in (("u10", grid.east[0]), ("v10", grid.north[0])):
        values, scale = truth[name]
        expected = values[::-1]  # file rows run north to south
        sea = np.isfinite(loaded)
        # packing rounds to half a step; float32 storage adds a few 1e-7 relative
        tolerance = scale / 2 + 1e-6 * np.abs(expected).max()
        np.testing.assert_array_less(np.abs(loaded[sea] - expected[sea]), tolerance)
        assert scale < 0.01  # so the check is sharp


def test_fill_cells_are_nan(era5_like):
    path, _ = era5_like
    grid = open_forcing(path, "wind").load()
    ny = LAT_DESCENDING.size
    missing = np.zeros(grid.east.shape[1:], dtype=bool)
    for j, i in FILL_CELLS:
        missing[ny - 1 - j, i] = True
    np.testing.assert_array_equal(np.isnan(grid.east[0]), missing)
    np.testing.assert_array_equal(np.isnan(grid.north[0]), missing)


def test_steady_grid_at_the_scalar_time(era5_like):
    path, _ = era5_like
    with open_forcing(path, "wind") as source:
        grid = source.load()
        window = source.load((-100.0, 30.0, -90.0, 40.0), "1995-07-14T00:00Z", "1995-07-15T00:00Z")
    assert grid.is_steady and grid.time.size == 1
    assert format_time(grid.time[0]) == "1995-07-14T12:00:00Z"
    assert any("held constant" in note for note in grid.notes)
    assert any("m s**-1" in note for note in grid.notes)
    # a steady field serves any time
    u, v = true_wind(np.array([-95.0]), np.array([35.0]))
    east, north = window.at(-95.0, 35.0, "2001-01-01T00:00Z")
    assert east == pytest.approx(u[0, 0], abs=0.01) and north == pytest.approx(v[0, 0], abs=0.01)


def test_only_the_wind_is_found(era5_like):
    path, _ = era5_like
    source = open_forcing(path, "wind")
    assert (source.x_parts[0].component.name, source.y_parts[0].component.name) == ("u10", "v10")
    source.close()
