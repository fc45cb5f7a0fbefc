"""Recognise the axes of a velocity variable: time, vertical level, longitude and latitude.

Each function looks at metadata only (attributes and small coordinate arrays),
never at the velocity values, and raises ``ValueError`` with a plain message
when the file leaves the answer open.
"""

from __future__ import annotations

from dataclasses import dataclass

import cftime
import numpy as np
import xarray as xr

from sarkit.forcing.timeaxis import TimeRangeError, TimeUnitsError, decode_time
from sarkit.times import format_time

__all__ = [
    "MEMBER_NAMES",
    "Level",
    "Member",
    "TimeAxis",
    "find_time",
    "is_latitude",
    "is_longitude",
    "member_dimension",
    "surface_level",
    "time_dimension",
]

_TIME_NAMES = {"time", "ocean_time", "time_counter", "mt", "t", "valid_time", "times"}
_LON_UNITS = {"degrees_east", "degree_east", "degrees_e", "degree_e", "degreese", "degreee"}
_LAT_UNITS = {"degrees_north", "degree_north", "degrees_n", "degree_n", "degreesn", "degreen"}

SURFACE_DEPTH_LIMIT_M = 15.0
"""Deepest z-level (m) still accepted as the surface layer."""

SURFACE_SIGMA_LIMIT = -0.2
"""Lowest s/sigma value (-1 bottom, 0 surface) still accepted as the surface layer."""


def _attr(variable: xr.DataArray, name: str) -> str:
    return str(variable.attrs.get(name, "")).strip().lower()


def is_longitude(variable: xr.DataArray, name: str) -> bool:
    """True if the variable holds longitudes (by standard_name, units or name)."""
    low = name.lower()
    return (
        _attr(variable, "standard_name") in ("longitude", "grid_longitude_at_cell_center")
        or _attr(variable, "units").replace(" ", "_") in _LON_UNITS
        or low in ("lon", "longitude", "nav_lon", "xlon", "long")
        or low.startswith(("lon_", "nav_lon", "glam"))
    )


def is_latitude(variable: xr.DataArray, name: str) -> bool:
    """True if the variable holds latitudes (by standard_name, units or name)."""
    low = name.lower()
    return (
        _attr(variable, "standard_name") in ("latitude", "grid_latitude_at_cell_center")
        or _attr(variable, "units").replace(" ", "_") in _LAT_UNITS
        or low in ("lat", "latitude", "nav_lat", "xlat")
        or low.startswith(("lat_", "nav_lat", "gphi"))
    )


def _is_time(variable: xr.DataArray, name: str) -> bool:
    return (
        _attr(variable, "standard_name") == "time"
        or _attr(variable, "axis") == "t"
        or " since " in _attr(variable, "units")
        or name.lower() in _TIME_NAMES
    )


@dataclass(frozen=True)
class TimeAxis:
    """The time axis of one variable.

    Attributes
    ----------
    dim : str or None
        Dimension name, None for a scalar or absent time.
    seconds : numpy.ndarray
        Epoch seconds of each record; one NaN when the time is unknown.
    note : str
        How it was decoded, for the forcing summary.
    """

    dim: str | None
    seconds: np.ndarray
    note: str


def time_dimension(dataset: xr.Dataset, variable: xr.DataArray) -> str | None:
    """The variable's time dimension, by its coordinate's metadata or its name; None if none."""
    for candidate in variable.dims:
        if candidate in dataset.variables and _is_time(dataset[candidate], str(candidate)):
            return str(candidate)
        if str(candidate).lower() in _TIME_NAMES:
            return str(candidate)
    return None


def find_time(dataset: xr.Dataset, variable: xr.DataArray, origin: str | None) -> TimeAxis:
    """Find and decode the time axis of ``variable``.

    A variable with no time dimension uses a scalar time coordinate when there
    is one (ERA5 single-time downloads) and is otherwise undated. A single
    record whose time cannot be decoded is kept, undated, and held constant in
    time (the caller reports it); several undecodable records are an error.
    """
    dim = time_dimension(dataset, variable)
    if dim is None:
        scalars = [
            name
            for name, var in dataset.variables.items()
            if var.ndim == 0 and _is_time(var, str(name)) and "since" in _attr(var, "units")
        ]
        if not scalars:
            return TimeAxis(None, np.array([np.nan]), "no time axis: held constant in time")
        time_var = dataset[scalars[0]]
        dim_size = 1
    else:
        if dim not in dataset.variables:
            raise ValueError(f"the time dimension {dim!r} has no coordinate variable")
        time_var = dataset[dim]
        dim_size = dataset.sizes[dim]
        if dim_size == 0:
            raise ValueError(f"the time axis {dim!r} has no records (length 0): the file holds "
                             "no data")
    values = np.atleast_1d(np.asarray(time_var.values))
    if np.issubdtype(values.dtype, np.datetime64):  # a Dataset that xarray decoded already
        seconds = values.astype("datetime64[ms]").astype(np.int64) / 1000.0
        return TimeAxis(dim, seconds, f"time from {time_var.name!r} (decoded datetime64)")
    units = time_var.attrs.get("units")
    calendar = time_var.attrs.get("calendar")
    if values.dtype == object and hasattr(values[0], "calendar"):  # decoded to cftime
        calendar = values[0].calendar
        units = "seconds since 1970-01-01 00:00:00"
        values = cftime.date2num(values, units, calendar=calendar)
    raw = values.astype(np.float64)
    try:
        seconds = decode_time(raw, units, calendar, origin=origin)
    except TimeRangeError as exc:
        raise ValueError(f"time variable {time_var.name!r} {exc}") from exc
    except TimeUnitsError as exc:
        if dim_size == 1:
            return TimeAxis(dim, np.array([np.nan]), f"one undated record ({exc}): held constant")
        raise ValueError(f"time variable {time_var.name!r}: {exc}") from exc
    if np.isnan(seconds).any():
        raise ValueError(f"time variable {time_var.name!r} has missing (fill) values")
    if seconds.size > 1 and np.any(np.diff(seconds) <= 0):
        raise ValueError(f"time variable {time_var.name!r} is not strictly increasing")
    note = f"time from {time_var.name!r} ({units}"
    note += f", calendar {calendar})" if calendar else ")"
    if (calendar or "standard").strip().lower() not in ("standard", "gregorian",
                                                        "proleptic_gregorian"):
        note += f"; model calendar placed on real dates from {format_time(seconds[0])}"
    if raw.dtype == np.float32 or time_var.dtype == np.float32:
        note += "; stored as float32 (times may be off by seconds)"
    return TimeAxis(dim, seconds, note)


@dataclass(frozen=True)
class Level:
    """The level taken as the sea surface (or the only level)."""

    dim: str
    index: int
    note: str


def _level_coordinate(dataset: xr.Dataset, dim: str) -> xr.DataArray | None:
    if dim in dataset.variables and dataset[dim].ndim == 1:
        return dataset[dim]
    for name, var in dataset.variables.items():
        if var.dims == (dim,) and name != dim:
            return var
    return None


def surface_level(dataset: xr.Dataset, dim: str) -> Level:
    """Index of the surface along a vertical dimension.

    z-levels (``positive = down``, depths) take the shallowest, which must be
    within :data:`SURFACE_DEPTH_LIMIT_M`; s/sigma levels take the one nearest 0,
    which must be above :data:`SURFACE_SIGMA_LIMIT`. A file cut to deep levels
    only (CROCO test files keep the three bottom s-levels) is refused.
    """
    size = dataset.sizes[dim]
    if size == 0:
        raise ValueError(f"the level dimension {dim!r} has no levels (length 0)")
    coordinate = _level_coordinate(dataset, dim)
    if coordinate is None:
        if size == 1:
            return Level(dim, 0, f"single level of {dim!r}")
        raise ValueError(f"cannot tell which level of {dim!r} is the surface (no coordinate)")
    values = np.asarray(coordinate.values, dtype=np.float64)
    if not np.isfinite(values).all():
        raise ValueError(f"level coordinate {coordinate.name!r} has missing values")
    standard_name = _attr(coordinate, "standard_name")
    positive = _attr(coordinate, "positive")
    units = _attr(coordinate, "units")
    sigma = "sigma" in standard_name or "s_coordinate" in standard_name or (
        values.min() >= -1.0 and values.max() <= 0.0 and units in ("", "1", "nondimensional")
    )
    if sigma:
        index = int(np.argmax(values))
        if values[index] < SURFACE_SIGMA_LIMIT:
            raise ValueError(
                f"no surface level: the top level of {coordinate.name!r} is s = "
                f"{values[index]:.2f}, near the bottom (the file keeps only deep levels)"
            )
        return Level(dim, index, f"surface level {coordinate.name!r} = {values[index]:.3f}")
    if positive not in ("up", "down"):
        if standard_name in ("depth",) or "depth" in str(coordinate.name).lower():
            positive = "down"
        elif size == 1:
            return Level(dim, 0, f"single level of {dim!r}")
        else:
            raise ValueError(f"cannot tell which level of {dim!r} is the surface")
    depth = values if positive == "down" else -values
    if units in ("cm", "centimeters", "centimetres"):
        depth = depth / 100.0
    index = int(np.argmin(depth))
    if depth[index] > SURFACE_DEPTH_LIMIT_M:
        raise ValueError(
            f"no surface level: the shallowest level of {coordinate.name!r} is "
            f"{depth[index]:g} m deep"
        )
    return Level(dim, index, f"surface level {coordinate.name!r} = {values[index]:g} {units}")


MEMBER_NAMES = ("member", "members", "realization", "realisation", "ensemble", "ens",
                "ensemble_member", "member_id", "number", "mem")
"""Names (lower case) of an ensemble forecast's member dimension: CF's ``realization``,
ECMWF's ``number`` (cfgrib), NCEP's ``ens``; a coordinate with ``standard_name =
realization`` marks one whatever its name."""


@dataclass(frozen=True)
class Member:
    """An ensemble forecast's member dimension, and the member read (None: not chosen)."""

    dim: str
    index: int | None
    count: int

    @property
    def note(self) -> str:
        return (f"ensemble member {self.index} of {self.count} (0 .. {self.count - 1} along "
                f"{self.dim!r})")


def member_dimension(dataset: xr.Dataset, variable: xr.DataArray, skip: tuple) -> str | None:
    """The dimension of ``variable`` (other than those in ``skip``) that holds the members of
    an ensemble forecast, or None."""
    for dim in variable.dims:
        if dim in skip:
            continue
        coordinate = dataset.variables.get(dim)
        named = str(dim).lower() in MEMBER_NAMES
        if named or (coordinate is not None
                     and str(coordinate.attrs.get("standard_name", "")).lower() == "realization"):
            return str(dim)
    return None
