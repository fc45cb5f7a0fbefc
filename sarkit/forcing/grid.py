"""ForcingGrid: currents or winds on a regular lon/lat grid, or on a model's own grid beside it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sarkit.errors import BadValueError
from sarkit.positions import format_box
from sarkit.times import format_time

if TYPE_CHECKING:  # the model-grid machinery (numba, scipy) is imported by the readers
    from sarkit.forcing.native import NativeGrid

__all__ = ["MAX_PLAUSIBLE_SPEED", "ForcingGrid", "Quantity"]


class Quantity(enum.Enum):
    """What a forcing field is: the surface ocean current or the 10 m wind."""

    CURRENT = "current"
    WIND = "wind"

    @classmethod
    def parse(cls, value: Quantity | str) -> Quantity:
        """Accept a Quantity or its name (``"current"``/``"wind"``, any case)."""
        if isinstance(value, Quantity):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise BadValueError(
                f"unknown forcing quantity {value!r}", "use 'current' or 'wind'"
            ) from None


MAX_PLAUSIBLE_SPEED = {Quantity.CURRENT: 10.0, Quantity.WIND: 100.0}
"""Speeds (m/s) above which a field's units must be wrong."""


def _frozen(array: np.ndarray, dtype: type, ndim: int, name: str) -> np.ndarray:
    out = np.ascontiguousarray(array, dtype=dtype)
    if out.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {out.shape}")
    out.setflags(write=False)
    return out


def _uniform_step(axis: np.ndarray, name: str) -> float:
    if axis.size < 2:
        raise ValueError(f"{name} needs at least 2 points, got {axis.size}")
    steps = np.diff(axis)
    step = float(steps.mean())
    if step <= 0 or np.abs(steps - step).max() > 1e-6 * max(abs(step), 1e-12) + 1e-9:
        raise ValueError(f"{name} must be ascending and evenly spaced")
    return step


@dataclass(frozen=True, eq=False)
class ForcingGrid:
    """Surface current or 10 m wind on a regular longitude/latitude grid.

    All arrays are C-contiguous and read-only. Missing values (land, outside the
    model) are NaN, never a velocity.

    Attributes
    ----------
    quantity : Quantity
        CURRENT or WIND.
    lon : numpy.ndarray
        (nx,) float64 degrees east, ascending and evenly spaced. A grid that
        crosses the antimeridian continues past 180 (e.g. 170 ... 190).
    lat : numpy.ndarray
        (ny,) float64 degrees north, ascending and evenly spaced.
    time : numpy.ndarray
        (nt,) float64 seconds since 1970-01-01 00:00 UTC, ascending. A grid with
        one time (``is_steady``) holds the field constant in time; its time is
        NaN when the file gave none that could be decoded.
    east, north : numpy.ndarray
        (nt, ny, nx) float32 velocity components towards east and north, m/s.
    source : str
        Where the values came from (files and variable names).
    notes : tuple of str
        What was done to the data on the way (rotation, regridding, levels ...).
    native : NativeGrid or None
        For a curvilinear or projected model grid: the records on the model's own grid,
        which the drift and :meth:`at` read (:mod:`sarkit.forcing.native`). ``east`` and
        ``north`` are then the field sampled from it onto the regular grid at the model's
        resolution, for maps and boxes. None for a regular grid.
    """

    quantity: Quantity
    lon: np.ndarray
    lat: np.ndarray
    time: np.ndarray
    east: np.ndarray
    north: np.ndarray
    source: str = ""
    notes: tuple[str, ...] = field(default=())
    native: NativeGrid | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "quantity", Quantity.parse(self.quantity))
        set_(self, "lon", _frozen(self.lon, np.float64, 1, "lon"))
        set_(self, "lat", _frozen(self.lat, np.float64, 1, "lat"))
        set_(self, "time", _frozen(self.time, np.float64, 1, "time"))
        set_(self, "east", _frozen(self.east, np.float32, 3, "east"))
        set_(self, "north", _frozen(self.north, np.float32, 3, "north"))
        set_(self, "notes", tuple(self.notes))
        _uniform_step(self.lon, "lon")
        _uniform_step(self.lat, "lat")
        if self.time.size == 0 or (self.time.size > 1 and not np.all(np.isfinite(self.time))):
            raise ValueError("time must be finite (one NaN alone marks an undated steady grid)")
        if self.time.size > 1 and np.any(np.diff(self.time) <= 0):
            raise ValueError("time must be strictly ascending")
        shape = (self.time.size, self.lat.size, self.lon.size)
        for name in ("east", "north"):
            if getattr(self, name).shape != shape:
                raise ValueError(f"{name} has shape {getattr(self, name).shape}, expected {shape}")
        if self.native is not None and self.native.east.shape[0] != self.time.size:
            raise ValueError(f"the native grid has {self.native.east.shape[0]} records, "
                             f"the time axis {self.time.size}")

    # --- geometry -------------------------------------------------------------------------

    @property
    def dlon(self) -> float:
        """Grid spacing in longitude, degrees."""
        return float(self.lon[1] - self.lon[0])

    @property
    def dlat(self) -> float:
        """Grid spacing in latitude, degrees."""
        return float(self.lat[1] - self.lat[0])

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the grid points, degrees."""
        return (float(self.lon[0]), float(self.lat[0]), float(self.lon[-1]), float(self.lat[-1]))

    @property
    def is_steady(self) -> bool:
        """True when the grid has one time and is held constant in time."""
        return self.time.size == 1

    @property
    def times(self) -> np.ndarray:
        """The times as numpy datetime64[s] (UTC)."""
        if not np.isfinite(self.time).all():
            return np.array(["NaT"], dtype="datetime64[s]")
        return np.round(self.time).astype("int64").astype("datetime64[s]")

    @property
    def time_step(self) -> float | None:
        """Median spacing of the time axis in seconds, None for a steady grid."""
        return None if self.is_steady else float(np.median(np.diff(self.time)))

    @property
    def missing_fraction(self) -> float:
        """Fraction of grid values that are missing (land or outside the model)."""
        return float(np.isnan(self.east).mean())

    # --- values --------------------------------------------------------------------------

    def at(self, lon, lat, time) -> tuple[np.ndarray, np.ndarray]:
        """Velocity at points: bilinear in space, linear in time.

        A slow, obviously correct NumPy reference for the drift kernels and for
        checking values in a notebook. On a model's own grid (``native``) a point is
        found in the model's cells and the field is bilinear in the grid's index space:
        at a model point, the model's value.

        Parameters
        ----------
        lon, lat : array_like
            Positions in degrees; longitudes are wrapped into the grid's range.
        time : array_like
            Epoch seconds (float), ``numpy.datetime64`` or ISO strings.

        Returns
        -------
        east, north : numpy.ndarray
            m/s, float64, NaN outside the grid in space or time or next to a
            missing value.
        """
        lon, lat, time = np.broadcast_arrays(
            np.asarray(lon, dtype=np.float64),
            np.asarray(lat, dtype=np.float64),
            _as_epoch_seconds(time),
        )
        if self.native is not None:
            fx, fy = self.native.mesh.positions(lon, lat)
            east, north = self.native.east, self.native.north
        else:
            lon = self.lon[0] + np.mod(lon - self.lon[0], 360.0)
            fx = (lon - self.lon[0]) / self.dlon
            fy = (lat - self.lat[0]) / self.dlat
            east, north = self.east, self.north
        ny, nx = east.shape[1:]
        inside = (fx >= 0) & (fx <= nx - 1) & (fy >= 0) & (fy <= ny - 1)
        if self.is_steady:
            it = np.zeros(lon.shape, dtype=np.intp)
            wt = np.zeros(lon.shape)
        else:
            ft = np.interp(time, self.time, np.arange(self.time.size), left=np.nan, right=np.nan)
            inside &= np.isfinite(ft)
            ft = np.where(np.isfinite(ft), ft, 0.0)
            it = np.minimum(np.floor(ft).astype(np.intp), self.time.size - 2)
            wt = ft - it
        ix = np.minimum(np.floor(np.where(inside, fx, 0)).astype(np.intp), nx - 2)
        iy = np.minimum(np.floor(np.where(inside, fy, 0)).astype(np.intp), ny - 2)
        wx = np.where(inside, fx, 0) - ix
        wy = np.where(inside, fy, 0) - iy
        result = []
        for values in (east, north):
            total = np.zeros(lon.shape)
            for dt, w_t in ((0, 1 - wt), (1, wt)):
                if self.is_steady and dt == 1:
                    continue
                t_index = it + dt
                for dy, w_y in ((0, 1 - wy), (1, wy)):
                    for dx, w_x in ((0, 1 - wx), (1, wx)):
                        corner = values[t_index, iy + dy, ix + dx].astype(np.float64)
                        weight = w_t * w_y * w_x
                        # a NaN corner poisons the value even at zero weight: no land leaks in
                        total = total + np.where(weight > 0, weight * corner, 0.0 * corner)
            result.append(np.where(inside, total, np.nan))
        return result[0], result[1]

    def covers(self, lon, lat) -> np.ndarray:
        """Whether points lie within the grid: the model's own grid where there is one, else
        the regular grid's box (longitudes wrapped)."""
        lon, lat = np.broadcast_arrays(np.asarray(lon, dtype=np.float64),
                                       np.asarray(lat, dtype=np.float64))
        if self.native is not None:
            return self.native.mesh.covers(lon, lat)
        east = np.mod(lon - self.lon[0], 360.0)
        return (east <= self.lon[-1] - self.lon[0]) & (lat >= self.lat[0]) & (lat <= self.lat[-1])

    def records(self, part: slice) -> ForcingGrid:
        """The records ``part`` of the time axis (views, no copy)."""
        return ForcingGrid(self.quantity, self.lon, self.lat, self.time[part], self.east[part],
                           self.north[part], source=self.source, notes=self.notes,
                           native=None if self.native is None else self.native.records(part))

    # --- conversion ------------------------------------------------------------------------

    def to_dataset(self):
        """The grid as a CF-annotated ``xarray.Dataset`` (times as datetime64)."""
        import xarray as xr

        names = {
            Quantity.CURRENT: ("eastward_sea_water_velocity", "northward_sea_water_velocity"),
            Quantity.WIND: ("eastward_wind", "northward_wind"),
        }[self.quantity]
        attrs = {"units": "m s-1"}
        return xr.Dataset(
            {
                "east": (("time", "lat", "lon"), self.east, {**attrs, "standard_name": names[0]}),
                "north": (("time", "lat", "lon"), self.north, {**attrs, "standard_name": names[1]}),
            },
            coords={
                "time": ("time", self.times.astype("datetime64[ns]"), {"standard_name": "time"}),
                "lat": ("lat", self.lat, {"standard_name": "latitude", "units": "degrees_north"}),
                "lon": ("lon", self.lon, {"standard_name": "longitude", "units": "degrees_east"}),
            },
            attrs={"source": self.source, "history": "; ".join(self.notes)},
        )

    def _repr_html_(self) -> str:
        import html

        return f"<pre>{html.escape(repr(self))}</pre>"

    def __repr__(self) -> str:
        if self.is_steady:
            span = f"steady: one record ({format_time(self.time[0])}) held constant in time"
        else:
            span = (
                f"{format_time(self.time[0])} .. {format_time(self.time[-1])}, "
                f"{self.time.size} steps of {self.time_step / 3600:g} h"
            )
        speed = np.hypot(self.east, self.north)
        finite = speed[np.isfinite(speed)]
        top = f"{finite.max():.2f}" if finite.size else "n/a"
        lines = [
            f"<ForcingGrid {self.quantity.value}: {self.lon.size}x{self.lat.size} points, "
            f"{self.dlon:g} x {self.dlat:g} deg>",
            f"  box     {format_box(self.bbox)}",
            f"  time    {span}",
            f"  speed   max {top} m/s, {100 * self.missing_fraction:.1f} % missing (land/fill)",
        ]
        if self.source:
            lines.append(f"  source  {self.source}")
        lines.extend(f"  note    {note}" for note in self.notes)
        return "\n".join(lines)


def _as_epoch_seconds(time) -> np.ndarray:
    array = np.asarray(time)
    if np.issubdtype(array.dtype, np.datetime64):
        return array.astype("datetime64[ms]").astype(np.int64) / 1000.0
    if array.dtype.kind in "USO":
        from sarkit.times import parse_time

        return np.vectorize(parse_time, otypes=[np.float64])(array)
    return array.astype(np.float64)
