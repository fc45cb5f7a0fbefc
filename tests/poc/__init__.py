"""Tests of sarkit.poc; :func:`make_trajectories` builds small ensembles without the drift model."""

from __future__ import annotations

import numpy as np
import xarray as xr
from pyproj import CRS, Transformer

from sarkit.units import NAUTICAL_MILE

VALID_TIME = np.datetime64("2026-03-01T06:00", "ns")


def make_trajectories(lon, lat, status=None, weight=None, times=None) -> xr.Dataset:
    """A CF-trajectory Dataset like :func:`sarkit.simulate` returns, at one or more times.

    ``lon``/``lat``/``status`` are 1-D (one output time) or 2-D (trajectory, time).
    """
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    if lon.ndim == 1:
        lon, lat = lon[:, None], lat[:, None]
    n, nt = lon.shape
    status = np.zeros((n, nt), np.int8) if status is None else np.asarray(status, np.int8)
    if status.ndim == 1:
        status = status[:, None]
    weight = np.full(n, 1.0 / n) if weight is None else np.asarray(weight, np.float64)
    if times is None:
        times = VALID_TIME + np.arange(nt) * np.timedelta64(1, "h")
    return xr.Dataset(
        {
            "lon": (("trajectory", "time"), lon),
            "lat": (("trajectory", "time"), lat),
            "status": (("trajectory", "time"), status),
            "weight": (("trajectory",), weight),
            "object_class": (("trajectory",), np.array(["PIW-1"] * n)),
            "scenario": (("trajectory",), np.zeros(n, np.int32)),
            "release_time": (("trajectory",), np.full(n, VALID_TIME)),
        },
        coords={"trajectory": np.arange(n), "time": ("time", np.asarray(times, "datetime64[ns]"))},
    )


def offsets_to_lonlat(east_nm, north_nm, lon0: float = 5.0, lat0: float = 60.0):
    """East/north offsets (NM) on a laea projection centred at (lon0, lat0), as lon/lat."""
    crs = CRS.from_proj4(f"+proj=laea +lat_0={lat0} +lon_0={lon0} +ellps=WGS84 +units=m")
    inverse = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    east = np.asarray(east_nm, dtype=np.float64) * NAUTICAL_MILE
    north = np.asarray(north_nm, dtype=np.float64) * NAUTICAL_MILE
    lon, lat = inverse.transform(east, north)
    return np.asarray(lon), np.asarray(lat)
