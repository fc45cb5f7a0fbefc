"""SYNTHETIC analytic current and wind fields, for tests, notebooks and the demo.

Every function here returns an :class:`xarray.Dataset` laid out like a small model
file, so that the netCDF forcing reader, the drift kernels and the examples can run
without a download:

* dimensions ``(time, lat, lon)``; ``time`` is ``datetime64[ns]`` (UTC) and is written
  to netCDF as CF time (``hours since 1970-01-01 00:00:00``, proleptic Gregorian);
  ``lat`` and ``lon`` are ascending float64 degrees;
* ``kind="current"`` gives ``uo`` / ``vo`` (``eastward_sea_water_velocity`` /
  ``northward_sea_water_velocity``), ``kind="wind"`` gives ``u10`` / ``v10``
  (``eastward_wind`` / ``northward_wind`` at 10 m); float32, ``m s-1``;
* global attributes ``title`` (starting with ``SYNTHETIC``), ``source``, ``comment``
  (the formula), ``history`` (the call that made it) and ``Conventions = "CF-1.8"``.

The fields are analytic formulas, **not model output and not observations**: never
use them for an operational search.

Flows that need distances (rotation, eddies) are computed on a local tangent plane
about a reference point (``lon0``, ``lat0``) on a sphere of radius
``R = 6371000 m``::

    x = (lon - lon0) * cos(lat0) * R * pi / 180      (metres east)
    y = (lat - lat0) * R * pi / 180                  (metres north)

Velocities are east/north components in m/s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from sarkit.errors import checked_number
from sarkit.geodesy import METRES_PER_DEGREE

__all__ = [
    "ANDAMAN_BBOX",
    "ANDAMAN_SAMPLE",
    "M2_PERIOD_HOURS",
    "SAMPLE_FILES",
    "andaman_monsoon",
    "andaman_sample",
    "moving_eddy",
    "solid_body_rotation",
    "uniform_flow",
]

"""Radius of the spherical Earth used for the tangent plane, in metres."""

M2_PERIOD_HOURS = 12.4206012
"""Period of the principal lunar semidiurnal tide (M2), in hours."""

ANDAMAN_BBOX = (91.0, 4.0, 100.0, 16.0)
"""Default box (west, south, east, north) of :func:`andaman_monsoon`, in degrees."""

ANDAMAN_SAMPLE: dict[str, Any] = {
    "season": "southwest",
    "bbox": ANDAMAN_BBOX,
    "start": "2024-06-10T00:00",
    "hours": 72.0,
    "step_hours": 3.0,
    "resolution_deg": 0.25,
}
"""Parameters of the bundled sample files (see :func:`andaman_sample`)."""

SAMPLE_FILES = {
    "current": "andaman_synthetic_currents.nc",
    "wind": "andaman_synthetic_winds.nc",
}
"""File names, in the repository's ``data/`` folder, of the bundled samples by kind."""

_DEFAULT_BBOX = ANDAMAN_BBOX
_DEFAULT_START = "2024-06-10T00:00"
_SOURCE = "sarkit.forcing.synthetic (analytic field, not model output)"
_TIME_ENCODING_HOURS = {
    "units": "hours since 1970-01-01 00:00:00",
    "calendar": "proleptic_gregorian",
}
_TIME_ENCODING_SECONDS = {
    "units": "seconds since 1970-01-01 00:00:00",
    "calendar": "proleptic_gregorian",
}
# Absolute time origin of the tidal, diurnal and synoptic phases of andaman_monsoon,
# so that two calls with different start times agree where they overlap.
_PHASE_EPOCH = np.datetime64("2024-01-01T00:00:00", "ns")

_VARIABLES = {
    "current": (
        (
            "uo",
            {
                "standard_name": "eastward_sea_water_velocity",
                "long_name": "synthetic eastward sea water velocity",
                "units": "m s-1",
            },
        ),
        (
            "vo",
            {
                "standard_name": "northward_sea_water_velocity",
                "long_name": "synthetic northward sea water velocity",
                "units": "m s-1",
            },
        ),
    ),
    "wind": (
        (
            "u10",
            {
                "standard_name": "eastward_wind",
                "long_name": "synthetic eastward wind at 10 m",
                "units": "m s-1",
                "height": "10 m",
            },
        ),
        (
            "v10",
            {
                "standard_name": "northward_wind",
                "long_name": "synthetic northward wind at 10 m",
                "units": "m s-1",
                "height": "10 m",
            },
        ),
    ),
}

_KIND_WORDS = {"current": "surface current", "wind": "10 m wind"}


# --------------------------------------------------------------------------- validation


def _check_kind(kind: str) -> str:
    if kind not in _VARIABLES:
        raise ValueError(f"kind must be 'current' or 'wind', got {kind!r}")
    return kind


def _pair(value: Any, name: str, parts: tuple[str, str]) -> tuple[float, float]:
    try:
        first, second = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair ({parts[0]}, {parts[1]}), got {value!r}") from None
    return checked_number(first, f"{name} {parts[0]}"), checked_number(second, f"{name} {parts[1]}")


def _check_center(center: Any) -> tuple[float, float]:
    lon0, lat0 = _pair(center, "center", ("lon", "lat"))
    if not -90.0 < lat0 < 90.0:
        raise ValueError(f"center lat must be strictly between -90 and 90, got {lat0}")
    return lon0, lat0


def _check_bbox(bbox: Any) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = bbox
    except (TypeError, ValueError):
        raise ValueError(
            f"bbox must be (west, south, east, north) in degrees, got {bbox!r}"
        ) from None
    west, south, east, north = (
        checked_number(value, f"bbox {part}")
        for value, part in zip(
            (west, south, east, north), ("west", "south", "east", "north"), strict=True
        )
    )
    if not west < east:
        raise ValueError(f"bbox west ({west}) must be less than bbox east ({east})")
    if east - west > 360.0:
        raise ValueError(f"bbox spans more than 360 degrees of longitude ({west} to {east})")
    if not south < north:
        raise ValueError(f"bbox south ({south}) must be less than bbox north ({north})")
    if south < -90.0 or north > 90.0:
        raise ValueError(f"bbox latitudes must lie within -90..90, got {south} to {north}")
    return west, south, east, north


def _check_start(start: Any) -> np.datetime64:
    try:
        stamp = pd.Timestamp(start)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"start is not a date and time: {start!r} ({exc})") from None
    if stamp is pd.NaT:
        raise ValueError(f"start is not a date and time: {start!r}")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp.as_unit("ns").to_datetime64()


# --------------------------------------------------------------------------- grid helpers


def _axis(low: float, high: float, step: float) -> np.ndarray:
    """``low, low + step, ...`` up to ``high`` (included when it falls on the grid)."""
    count = math.floor((high - low) / step + 1e-9) + 1
    return np.round(low + step * np.arange(count, dtype=np.float64), 10)


def _grid(
    bbox: Any, start: Any, hours: Any, step_hours: Any, resolution_deg: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validated time, lat and lon axes for the common keyword parameters."""
    west, south, east, north = _check_bbox(bbox)
    start64 = _check_start(start)
    duration = checked_number(hours, "hours")
    if duration < 0.0:
        raise ValueError(f"hours must not be negative, got {hours!r}")
    step = checked_number(step_hours, "step_hours", minimum=0.0, strict=True)
    resolution = checked_number(resolution_deg, "resolution_deg", minimum=0.0, strict=True)
    if resolution > min(east - west, north - south):
        raise ValueError(
            f"resolution_deg ({resolution}) is larger than the bbox; "
            "the grid needs at least two points along each axis"
        )
    steps = np.arange(math.floor(duration / step + 1e-9) + 1, dtype=np.float64)
    offsets = np.round(steps * step * 3.6e12).astype("timedelta64[ns]")
    time = start64 + offsets
    return time, _axis(south, north, resolution), _axis(west, east, resolution)


def _elapsed_seconds(time: np.ndarray, origin: np.datetime64) -> np.ndarray:
    """Seconds from ``origin`` to each time, as float64, shaped ``(time, 1, 1)``."""
    seconds = (time - origin) / np.timedelta64(1, "s")
    return seconds.astype(np.float64)[:, None, None]


def _plane(
    lat: np.ndarray, lon: np.ndarray, lon0: float, lat0: float
) -> tuple[np.ndarray, np.ndarray]:
    """Tangent-plane coordinates (m) about (lon0, lat0); x is ``(1, 1, lon)``, y ``(1, lat, 1)``."""
    metres_per_degree = METRES_PER_DEGREE
    x = (lon - lon0) * math.cos(math.radians(lat0)) * metres_per_degree
    y = (lat - lat0) * metres_per_degree
    return x[None, None, :], y[None, :, None]


def _eddy_velocity(
    dx: np.ndarray, dy: np.ndarray, radius: float, max_speed: float
) -> tuple[np.ndarray, np.ndarray]:
    """East/north velocity of a Gaussian eddy at offsets (dx, dy) metres from its centre.

    Azimuthal speed ``V(r) = max_speed * (r/r0) * exp((1 - (r/r0)**2) / 2)``, so
    ``u = -V * dy / r`` and ``v = V * dx / r`` (written without the division, finite at
    the centre).
    """
    s2 = (dx * dx + dy * dy) / (radius * radius)
    factor = (max_speed / radius) * np.exp(0.5 * (1.0 - s2))
    return -factor * dy, factor * dx


def _history(name: str, **arguments: Any) -> str:
    text = ", ".join(f"{key}={value!r}" for key, value in arguments.items())
    return f"created by sarkit.forcing.synthetic.{name}({text})"


def _time_encoding(time: np.ndarray) -> dict[str, str]:
    """CF encoding in whole hours where every time falls on one, else in seconds."""
    since_epoch = time - np.datetime64("1970-01-01T00:00:00", "ns")
    if np.all(since_epoch % np.timedelta64(1, "h") == np.timedelta64(0, "ns")):
        return dict(_TIME_ENCODING_HOURS)
    return dict(_TIME_ENCODING_SECONDS)


def _dataset(
    kind: str,
    time: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    east: np.ndarray,
    north: np.ndarray,
    *,
    title: str,
    comment: str,
    history: str,
) -> xr.Dataset:
    """Assemble the CF dataset; ``east``/``north`` broadcast to ``(time, lat, lon)``."""
    shape = (time.size, lat.size, lon.size)
    (east_name, east_attrs), (north_name, north_attrs) = _VARIABLES[kind]
    dims = ("time", "lat", "lon")
    data_vars = {
        east_name: (dims, np.broadcast_to(east, shape).astype(np.float32), east_attrs),
        north_name: (dims, np.broadcast_to(north, shape).astype(np.float32), north_attrs),
    }
    coords = {
        "time": ("time", time, {"standard_name": "time", "long_name": "time", "axis": "T"}),
        "lat": (
            "lat",
            lat,
            {
                "standard_name": "latitude",
                "long_name": "latitude",
                "units": "degrees_north",
                "axis": "Y",
            },
        ),
        "lon": (
            "lon",
            lon,
            {
                "standard_name": "longitude",
                "long_name": "longitude",
                "units": "degrees_east",
                "axis": "X",
            },
        ),
    }
    attrs = {
        "title": f"SYNTHETIC {title}",
        "source": _SOURCE,
        "comment": f"SYNTHETIC analytic field, not for operational use. {comment}",
        "history": history,
        "Conventions": "CF-1.8",
    }
    dataset = xr.Dataset(data_vars, coords=coords, attrs=attrs)
    dataset["time"].encoding = _time_encoding(time)
    # CF coordinate variables must not carry a fill value.
    dataset["lat"].encoding = {"_FillValue": None}
    dataset["lon"].encoding = {"_FillValue": None}
    return dataset


# --------------------------------------------------------------------------- simple flows


def uniform_flow(
    east: float,
    north: float,
    *,
    kind: str = "current",
    bbox: Sequence[float] = _DEFAULT_BBOX,
    start: Any = _DEFAULT_START,
    hours: float = 24.0,
    step_hours: float = 1.0,
    resolution_deg: float = 0.1,
) -> xr.Dataset:
    """SYNTHETIC uniform, steady flow: the same velocity everywhere and always.

    ``u(lon, lat, t) = east``, ``v(lon, lat, t) = north``.

    Parameters
    ----------
    east, north : float
        Eastward and northward velocity components, m/s.
    kind : {"current", "wind"}
        ``"current"`` gives ``uo``/``vo``, ``"wind"`` gives ``u10``/``v10``.
    bbox : (west, south, east, north)
        Grid extent in degrees; ``west < east``, ``south < north``, latitudes within
        -90..90. The grid starts at ``west``/``south`` and includes ``east``/``north``
        when they fall on it.
    start : str, numpy.datetime64, pandas.Timestamp or datetime
        First time, UTC (a time-zone-aware value is converted to UTC).
    hours : float
        Duration in hours; times run from ``start`` to ``start + hours`` (included when
        it is a whole number of steps).
    step_hours : float
        Time step in hours, positive.
    resolution_deg : float
        Grid spacing in degrees of latitude and longitude, positive.

    Returns
    -------
    xarray.Dataset
        CF dataset with dims ``(time, lat, lon)``, float32 velocity variables in
        ``m s-1`` and global attributes marking it SYNTHETIC.

    Raises
    ------
    ValueError
        If an argument is invalid; the message names it.
    """
    kind = _check_kind(kind)
    east_speed = checked_number(east, "east")
    north_speed = checked_number(north, "north")
    time, lat, lon = _grid(bbox, start, hours, step_hours, resolution_deg)
    return _dataset(
        kind,
        time,
        lat,
        lon,
        np.full((1, 1, 1), east_speed),
        np.full((1, 1, 1), north_speed),
        title=f"uniform {_KIND_WORDS[kind]}",
        comment=f"Uniform steady flow: u = {east_speed} m/s, v = {north_speed} m/s.",
        history=_history(
            "uniform_flow",
            east=east,
            north=north,
            kind=kind,
            bbox=tuple(bbox),
            start=str(start),
            hours=hours,
            step_hours=step_hours,
            resolution_deg=resolution_deg,
        ),
    )


def solid_body_rotation(
    *,
    center: Sequence[float],
    period_hours: float,
    kind: str = "current",
    bbox: Sequence[float] = _DEFAULT_BBOX,
    start: Any = _DEFAULT_START,
    hours: float = 24.0,
    step_hours: float = 1.0,
    resolution_deg: float = 0.1,
) -> xr.Dataset:
    """SYNTHETIC solid-body rotation about a fixed centre, steady in time.

    On the tangent plane about ``center = (lon0, lat0)``::

        x = (lon - lon0) * cos(lat0) * R * pi / 180,   y = (lat - lat0) * R * pi / 180
        omega = 2 * pi / (period_hours * 3600)          [rad/s]
        u = -omega * y,   v = omega * x                 [m/s]

    with ``R = 6371000 m``. Speed is ``omega * r``, divergence is zero and relative
    vorticity is ``2 * omega`` everywhere. A particle goes once round the centre per
    period: counter-clockwise for a positive period, clockwise for a negative one.

    Parameters
    ----------
    center : (lon, lat)
        Centre of rotation in degrees; it need not lie inside ``bbox``.
    period_hours : float
        Rotation period in hours, non-zero; its sign sets the sense of rotation.
    kind, bbox, start, hours, step_hours, resolution_deg
        As in :func:`uniform_flow`.

    Returns
    -------
    xarray.Dataset
        CF dataset marked SYNTHETIC (see :func:`uniform_flow`).

    Raises
    ------
    ValueError
        If an argument is invalid; the message names it.
    """
    kind = _check_kind(kind)
    lon0, lat0 = _check_center(center)
    period = checked_number(period_hours, "period_hours")
    if period == 0.0:
        raise ValueError("period_hours must be non-zero")
    time, lat, lon = _grid(bbox, start, hours, step_hours, resolution_deg)
    omega = 2.0 * math.pi / (period * 3600.0)
    x, y = _plane(lat, lon, lon0, lat0)
    sense = "counter-clockwise" if period > 0 else "clockwise"
    return _dataset(
        kind,
        time,
        lat,
        lon,
        -omega * y,
        omega * x,
        title=f"solid-body rotation {_KIND_WORDS[kind]}",
        comment=(
            f"Solid-body rotation ({sense}) about lon0={lon0}, lat0={lat0} with period "
            f"{abs(period)} h: u = -omega*y, v = omega*x, omega = 2*pi/period = {omega:.6e} "
            "rad/s, x = (lon-lon0)*cos(lat0)*R*pi/180, y = (lat-lat0)*R*pi/180, R = 6371000 m."
        ),
        history=_history(
            "solid_body_rotation",
            center=tuple(center),
            period_hours=period_hours,
            kind=kind,
            bbox=tuple(bbox),
            start=str(start),
            hours=hours,
            step_hours=step_hours,
            resolution_deg=resolution_deg,
        ),
    )


def moving_eddy(
    *,
    center: Sequence[float],
    radius_km: float,
    max_speed: float,
    velocity: Sequence[float] = (0.0, 0.0),
    kind: str = "current",
    bbox: Sequence[float] = _DEFAULT_BBOX,
    start: Any = _DEFAULT_START,
    hours: float = 24.0,
    step_hours: float = 1.0,
    resolution_deg: float = 0.1,
) -> xr.Dataset:
    """SYNTHETIC Gaussian (Lamb-Oseen-like) eddy whose centre drifts at constant velocity.

    On the tangent plane about the initial centre ``center = (lon0, lat0)`` (see the
    module docstring), the centre is at ``(xc, yc) = (ce * t, cn * t)`` at ``t``
    seconds after ``start``, where ``velocity = (ce, cn)`` in m/s. With
    ``dx = x - xc``, ``dy = y - yc``, ``r = hypot(dx, dy)`` and ``r0 = radius_km * 1000``::

        V(r) = max_speed * (r / r0) * exp((1 - (r / r0)**2) / 2)     [m/s, azimuthal]
        u = -V * dy / r,   v = V * dx / r                            [m/s]

    ``V`` is zero at the centre, peaks at ``r = r0`` with ``max_speed`` and decays like
    a Gaussian beyond. Only the rotating part is returned: the drift of the centre is
    not added to the velocity. Positive ``max_speed`` turns counter-clockwise
    (cyclonic in the northern hemisphere), negative clockwise.

    Parameters
    ----------
    center : (lon, lat)
        Centre at ``start``, degrees.
    radius_km : float
        Radius of maximum speed ``r0``, km, positive.
    max_speed : float
        Peak azimuthal speed, m/s; its sign sets the sense of rotation.
    velocity : (east, north)
        Drift velocity of the eddy centre, m/s.
    kind, bbox, start, hours, step_hours, resolution_deg
        As in :func:`uniform_flow`.

    Returns
    -------
    xarray.Dataset
        CF dataset marked SYNTHETIC (see :func:`uniform_flow`).

    Raises
    ------
    ValueError
        If an argument is invalid; the message names it.
    """
    kind = _check_kind(kind)
    lon0, lat0 = _check_center(center)
    radius = checked_number(radius_km, "radius_km", minimum=0.0, strict=True) * 1000.0
    peak = checked_number(max_speed, "max_speed")
    drift_east, drift_north = _pair(velocity, "velocity", ("east", "north"))
    time, lat, lon = _grid(bbox, start, hours, step_hours, resolution_deg)
    seconds = _elapsed_seconds(time, time[0])
    x, y = _plane(lat, lon, lon0, lat0)
    u, v = _eddy_velocity(x - drift_east * seconds, y - drift_north * seconds, radius, peak)
    return _dataset(
        kind,
        time,
        lat,
        lon,
        u,
        v,
        title=f"moving Gaussian eddy {_KIND_WORDS[kind]}",
        comment=(
            f"Gaussian eddy starting at lon0={lon0}, lat0={lat0}, centre drifting at "
            f"({drift_east}, {drift_north}) m/s east/north. Azimuthal speed "
            f"V(r) = max_speed*(r/r0)*exp((1-(r/r0)**2)/2), max_speed = {peak} m/s, "
            f"r0 = {radius:.0f} m; u = -V*dy/r, v = V*dx/r on the tangent plane about "
            "(lon0, lat0), R = 6371000 m. The drift itself is not added to the velocity."
        ),
        history=_history(
            "moving_eddy",
            center=tuple(center),
            radius_km=radius_km,
            max_speed=max_speed,
            velocity=tuple(velocity),
            kind=kind,
            bbox=tuple(bbox),
            start=str(start),
            hours=hours,
            step_hours=step_hours,
            resolution_deg=resolution_deg,
        ),
    )


# --------------------------------------------------------------------------- Andaman monsoon

# Seasonal parameters. Speeds in m/s, bearings in degrees clockwise from north, *toward*
# which the wind blows or the water flows.
_WIND = {
    "southwest": {
        "speed": 8.0,  # mean speed
        "zonal": -0.8,  # + zonal * tanh((lon - 95.5) / 3): stronger in the open west
        "meridional": 0.4,  # + meridional * sin(2 pi (lat - 4) / 12)
        "diurnal": 0.04,  # relative diurnal amplitude, maximum at 15 h local solar time
        "synoptic": 0.09,  # relative synoptic amplitude
        "bearing": 60.0,  # toward ENE/NE, i.e. from the SW
        "veer_space": 10.0,
        "veer_time": 8.0,
    },
    "northeast": {
        "speed": 5.5,
        "zonal": 0.7,  # stronger in the east, off Thailand and Malaysia
        "meridional": 0.3,
        "diurnal": 0.10,  # calm nights, breezy afternoons
        "synoptic": 0.08,
        "bearing": 235.0,  # toward SW, i.e. from the NE
        "veer_space": 10.0,
        "veer_time": 8.0,
    },
}
_CURRENT = {
    "southwest": {
        "drift": 0.25,  # Summer Monsoon Current, eastward 0.2-0.3 m/s
        "drift_ripple": 0.05,
        "bearing": 70.0,  # - turn * tanh((lat - 10) / 6): east in the south, NE in the north
        "turn": 15.0,
        "eddy_center": (96.5, 11.0),
        "eddy_radius": 120000.0,
        "eddy_speed": 0.15,  # positive: counter-clockwise, cyclonic
    },
    "northeast": {
        "drift": 0.20,  # Winter Monsoon Current, westward
        "drift_ripple": 0.05,
        "bearing": 245.0,  # WSW, turning toward W in the north
        "turn": -15.0,
        "eddy_center": (96.5, 11.0),
        "eddy_radius": 120000.0,
        "eddy_speed": 0.0,
    },
}
_SYNOPTIC_PERIOD_HOURS = 108.0  # 4.5 days
_SYNOPTIC_WAVELENGTH_DEG = 20.0  # the synoptic pattern moves north
_TIDE_EAST = 0.10  # M2 tidal-current ellipse semi-axes, m/s
_TIDE_NORTH = 0.05


def _components(speed: np.ndarray, bearing_deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """East/north components of a speed toward a compass bearing (degrees from north)."""
    bearing = np.radians(bearing_deg)
    return speed * np.sin(bearing), speed * np.cos(bearing)


def _synoptic_phase(hours: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return 2.0 * np.pi * (
        hours / _SYNOPTIC_PERIOD_HOURS - (lat[None, :, None] - 4.0) / _SYNOPTIC_WAVELENGTH_DEG
    )


def _monsoon_wind(
    season: str, hours: np.ndarray, lat: np.ndarray, lon: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    p = _WIND[season]
    lat3 = lat[None, :, None]
    lon3 = lon[None, None, :]
    base = (
        p["speed"]
        + p["zonal"] * np.tanh((lon3 - 95.5) / 3.0)
        + p["meridional"] * np.sin(2.0 * np.pi * (lat3 - 4.0) / 12.0)
    )
    local_hour = hours + lon3 / 15.0
    synoptic = _synoptic_phase(hours, lat)
    modulation = (
        1.0
        + p["diurnal"] * np.cos(2.0 * np.pi * (local_hour - 15.0) / 24.0)
        + p["synoptic"] * np.sin(synoptic)
    )
    bearing = (
        p["bearing"]
        + p["veer_space"] * np.sin(2.0 * np.pi * (lon3 - 91.0) / 18.0)
        + p["veer_time"] * np.cos(synoptic)
    )
    return _components(base * modulation, bearing)


def _monsoon_current(
    season: str, hours: np.ndarray, lat: np.ndarray, lon: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    p = _CURRENT[season]
    lat3 = lat[None, :, None]
    lon3 = lon[None, None, :]
    drift = p["drift"] + p["drift_ripple"] * np.cos(2.0 * np.pi * (lat3 - 4.0) / 12.0) * np.cos(
        2.0 * np.pi * (lon3 - 91.0) / 18.0
    )
    bearing = p["bearing"] - p["turn"] * np.tanh((lat3 - 10.0) / 6.0)
    u, v = _components(drift, bearing)
    if p["eddy_speed"]:
        x, y = _plane(lat, lon, *p["eddy_center"])
        eddy_u, eddy_v = _eddy_velocity(x, y, p["eddy_radius"], p["eddy_speed"])
        u, v = u + eddy_u, v + eddy_v
    tide_phase = 2.0 * np.pi * (
        hours / M2_PERIOD_HOURS - (lon3 - 91.0) / 24.0 - (lat3 - 4.0) / 36.0
    )
    return u + _TIDE_EAST * np.cos(tide_phase), v + _TIDE_NORTH * np.sin(tide_phase)


def _check_season(season: str) -> str:
    if season not in _WIND:
        raise ValueError(f"season must be 'southwest' or 'northeast', got {season!r}")
    return season


def andaman_monsoon(
    *,
    kind: str = "current",
    season: str = "southwest",
    bbox: Sequence[float] = ANDAMAN_BBOX,
    start: Any = _DEFAULT_START,
    hours: float = 72.0,
    step_hours: float = 3.0,
    resolution_deg: float = 0.1,
) -> xr.Dataset:
    """SYNTHETIC monsoon-like surface current or 10 m wind over the Andaman Sea.

    A smooth, deterministic field with plausible magnitudes, for demonstrations and
    tests. **It is not a forecast, not a climatology and not model output: never use
    it for an operational search.** Land is not masked: the formulas give finite
    values over land too; the coastline is handled elsewhere by sarkit's land mask.

    Times enter through ``h``, hours since 2024-01-01T00:00 UTC (an absolute
    origin, so calls with different ``start`` agree where they overlap); positions
    through ``lon``, ``lat`` in degrees. Bearings are degrees clockwise from north
    *toward* which the air or water moves; ``(u, v) = S * (sin b, cos b)``.

    **Wind** (``kind="wind"``)::

        S0 = s + z * tanh((lon - 95.5) / 3) + m * sin(2 pi (lat - 4) / 12)
        p  = 2 pi (h / 108 - (lat - 4) / 20)                  (synoptic, 4.5 d, moving north)
        S  = S0 * (1 + d * cos(2 pi (h + lon/15 - 15) / 24) + a * sin(p))
        b  = b0 + 10 * sin(2 pi (lon - 91) / 18) + 8 * cos(p)

    southwest season: s = 8.0, z = -0.8 (stronger in the open west), m = 0.4,
    d = 0.04, a = 0.09, b0 = 60 (blowing from the SW toward the NE/ENE), giving about
    6-10.5 m/s; northeast season: s = 5.5, z = +0.7 (stronger off Thailand and
    Malaysia), m = 0.3, d = 0.10 (calm nights, breezy afternoons), a = 0.08,
    b0 = 235 (from the NE toward the SW), giving about 4-7.5 m/s. The diurnal term
    peaks at 15 h local solar time.

    **Current** (``kind="current"``)::

        D = D0 + 0.05 * cos(2 pi (lat - 4) / 12) * cos(2 pi (lon - 91) / 18)
        b = b0 - T * tanh((lat - 10) / 6)
        (u, v) = D * (sin b, cos b) + eddy + tide
        tide: phi = 2 pi (h / 12.4206 - (lon - 91) / 24 - (lat - 4) / 36)
              u += 0.10 * cos(phi),  v += 0.05 * sin(phi)          (M2 tidal ellipse)

    southwest season: D0 = 0.25 (the eastward Summer Monsoon Current, 0.2-0.3 m/s),
    b0 = 70, T = 15 (eastward in the south, north-eastward in the north), plus a
    stationary cyclonic (counter-clockwise) Gaussian eddy at 96.5 E, 11 N with
    ``r0 = 120 km`` and peak speed 0.15 m/s (profile as in :func:`moving_eddy`);
    northeast season: D0 = 0.20, b0 = 245, T = -15 (westward to south-westward), no
    eddy. Speeds stay below about 0.6 m/s.

    Parameters
    ----------
    kind : {"current", "wind"}
        Surface current (``uo``/``vo``) or 10 m wind (``u10``/``v10``).
    season : {"southwest", "northeast"}
        Southwest (summer, about May-September) or northeast (winter, about
        December-March) monsoon.
    bbox : (west, south, east, north)
        Grid extent in degrees; default 91-100 E, 4-16 N.
    start : str, numpy.datetime64, pandas.Timestamp or datetime
        First time, UTC.
    hours : float
        Duration in hours.
    step_hours : float
        Time step in hours.
    resolution_deg : float
        Grid spacing in degrees.

    Returns
    -------
    xarray.Dataset
        CF dataset marked SYNTHETIC (see :func:`uniform_flow`).

    Raises
    ------
    ValueError
        If an argument is invalid; the message names it.
    """
    kind = _check_kind(kind)
    season = _check_season(season)
    time, lat, lon = _grid(bbox, start, hours, step_hours, resolution_deg)
    phase_hours = _elapsed_seconds(time, _PHASE_EPOCH) / 3600.0
    field = _monsoon_wind if kind == "wind" else _monsoon_current
    east, north = field(season, phase_hours, lat, lon)
    if kind == "wind":
        comment = (
            "Monsoon-like 10 m wind, (u, v) = S*(sin b, cos b) toward bearing b: "
            "S = S0(lon, lat)*(1 + diurnal + synoptic), b = b0 + spatial veer + synoptic "
            "veer; see sarkit.forcing.synthetic.andaman_monsoon for the formula. "
            "Land is not masked."
        )
    else:
        comment = (
            "Monsoon-like surface current: a smooth seasonal drift (u, v) = D*(sin b, cos b)"
            " plus, in the southwest season, a stationary cyclonic Gaussian eddy, plus an"
            " M2 (12.42 h) tidal ellipse of 0.10/0.05 m/s; see"
            " sarkit.forcing.synthetic.andaman_monsoon for the formula. Land is not masked."
        )
    return _dataset(
        kind,
        time,
        lat,
        lon,
        east,
        north,
        title=f"{season} monsoon {_KIND_WORDS[kind]}, Andaman Sea (not for operational use)",
        comment=comment,
        history=_history(
            "andaman_monsoon",
            kind=kind,
            season=season,
            bbox=tuple(bbox),
            start=str(start),
            hours=hours,
            step_hours=step_hours,
            resolution_deg=resolution_deg,
        ),
    )


def andaman_sample(kind: str) -> xr.Dataset:
    """The SYNTHETIC Andaman Sea field exactly as in the bundled sample file.

    :func:`andaman_monsoon` with :data:`ANDAMAN_SAMPLE`: southwest season, start
    2024-06-10T00:00 UTC, 72 hours, 3-hourly, 0.25 degree grid over 91-100 E,
    4-16 N. ``data/make_samples.py`` writes these to the files named in
    :data:`SAMPLE_FILES`.

    Parameters
    ----------
    kind : {"current", "wind"}
        Which field.

    Returns
    -------
    xarray.Dataset
        CF dataset marked SYNTHETIC.

    Raises
    ------
    ValueError
        If ``kind`` is not ``"current"`` or ``"wind"``.
    """
    return andaman_monsoon(kind=_check_kind(kind), **ANDAMAN_SAMPLE)
