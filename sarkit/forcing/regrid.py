"""Subset a grid to a box, and the regular lon/lat grid a field is held on.

The target grid keeps the source's native resolution: for a regular grid its
own (median) spacing, for curvilinear and projected grids the median distance
between neighbouring points, with the longitude step widened by 1/cos(latitude)
so that cells stay square on the ground. A regular source is interpolated onto it
(linear; a target point next to a missing source value is missing too: land never
leaks into the sea as a velocity); a curvilinear or projected one is sampled onto it
from the model's own grid (:mod:`sarkit.forcing.native`), for maps and boxes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sarkit.forcing.horizontal import Horizontal
from sarkit.geodesy import METRES_PER_DEGREE

__all__ = ["Target", "Window", "interpolator", "select_window", "spacing_m", "target_grid"]

_MARGIN_CELLS = 2
_SNAP = 1e-3  # fraction of a cell below which positions count as the same (float32 rounding)


@dataclass(frozen=True, eq=False)
class Window:
    """Indices of a source grid inside a box, and the positions there.

    ``lon`` is unwrapped to run continuously from ``west`` (it may pass 180).
    """

    y_index: np.ndarray
    x_index: np.ndarray
    lon: np.ndarray
    lat: np.ndarray


@dataclass(frozen=True, eq=False)
class Target:
    """A regular lon/lat grid (1-D ascending, evenly spaced axes)."""

    lon: np.ndarray
    lat: np.ndarray


def _wrap_from(lon: np.ndarray, west: float) -> np.ndarray:
    return west + np.mod(lon - west, 360.0)


def _reference_west(lon: np.ndarray) -> float:
    """A western edge from which the grid's longitudes run continuously.

    A global grid starts at -180; a regional one at the east side of its widest
    gap, written in -180..180 (so 263..375 becomes -97..15, and a grid across
    the antimeridian runs on past 180).
    """
    ordered = np.unique(np.mod(np.ravel(lon), 360.0))
    if ordered.size < 2:
        return float(ordered[0]) - 360.0 * (ordered[0] >= 180.0)
    gaps = np.diff(np.concatenate([ordered, ordered[:1] + 360.0]))
    if gaps.max() <= 1.5 * np.median(gaps):
        return -180.0
    i = int(np.argmax(gaps))
    west = float(ordered[(i + 1) % ordered.size])
    return west - 360.0 if west >= 180.0 else west


def select_window(grid: Horizontal, bbox: tuple[float, float, float, float] | None) -> Window:
    """The part of ``grid`` that covers ``bbox`` (with a margin of two cells).

    Parameters
    ----------
    grid : Horizontal
        Source geometry.
    bbox : tuple or None
        (west, south, east, north) degrees; east may be < west to cross 180.
        None keeps the whole grid.

    Raises
    ------
    ValueError
        If the box and the grid do not overlap.
    """
    if bbox is None:
        west, south, north = _reference_west(grid.lon), -90.0, 90.0
        east = west + 360.0
    else:
        west, south, east, north = (float(v) for v in bbox)
        if east <= west:
            east += 360.0
    if grid.kind == "regular":
        step_x = float(np.median(np.abs(np.diff(np.sort(grid.lon))))) if grid.lon.size > 1 else 0
        step_y = float(np.median(np.abs(np.diff(grid.lat)))) if grid.lat.size > 1 else 0.0
        margin_x, margin_y = (_MARGIN_CELLS + 1e-6) * step_x, (_MARGIN_CELLS + 1e-6) * step_y
        lon = _wrap_from(grid.lon, west - margin_x if bbox is not None else west)
        keep_x = np.flatnonzero(lon <= east + margin_x)
        keep_y = np.flatnonzero((grid.lat >= south - margin_y) & (grid.lat <= north + margin_y))
        keep_x = keep_x[np.argsort(lon[keep_x], kind="stable")]
        if keep_x.size:  # a global grid may hold both -180 and 180
            keep_x = keep_x[np.concatenate([[True], np.diff(lon[keep_x]) > 1e-9])]
        keep_y = keep_y[np.argsort(grid.lat[keep_y], kind="stable")]
        if keep_x.size < 2 or keep_y.size < 2:
            raise ValueError("the box does not overlap the grid")
        return Window(keep_y, keep_x, lon[keep_x], grid.lat[keep_y])
    lon = _wrap_from(grid.lon, west)
    inside = (lon >= west) & (lon <= east) & (grid.lat >= south) & (grid.lat <= north)
    if not inside.any():
        raise ValueError("the box does not overlap the grid")
    rows, cols = np.flatnonzero(inside.any(axis=1)), np.flatnonzero(inside.any(axis=0))
    ny, nx = grid.lon.shape
    y_index = np.arange(max(rows[0] - _MARGIN_CELLS, 0), min(rows[-1] + _MARGIN_CELLS + 1, ny))
    x_index = np.arange(max(cols[0] - _MARGIN_CELLS, 0), min(cols[-1] + _MARGIN_CELLS + 1, nx))
    if y_index.size < 2 or x_index.size < 2:
        raise ValueError("the box covers less than two grid cells")
    sub_lon = lon[np.ix_(y_index, x_index)]
    # keep the window continuous across the antimeridian (NEMO jumps from +180 to -180)
    sub_lon = _wrap_from(sub_lon, _reference_west(sub_lon) if bbox is None else west)
    return Window(y_index, x_index, sub_lon, grid.lat[np.ix_(y_index, x_index)])


def spacing_m(lon: np.ndarray, lat: np.ndarray) -> float:
    """Median distance between neighbouring points of a 2-D lon/lat grid, metres."""
    coslat = np.cos(np.radians(lat))
    dx = np.hypot(np.diff(lon, axis=1) * coslat[:, 1:], np.diff(lat, axis=1))
    dy = np.hypot(np.diff(lon, axis=0) * coslat[1:, :], np.diff(lat, axis=0))
    return float(np.median(np.concatenate([dx.ravel(), dy.ravel()]))) * METRES_PER_DEGREE


def _axis(start: float, stop: float, step: float) -> np.ndarray:
    count = int(np.floor((stop - start) / step + 1e-9)) + 1
    return start + step * np.arange(max(count, 2))


def target_grid(
    grid: Horizontal, window: Window, bbox: tuple[float, float, float, float] | None
) -> Target:
    """The regular lon/lat grid that the window is interpolated to (native resolution)."""
    if grid.kind == "regular":
        return Target(_regular_axis(window.lon), _regular_axis(window.lat))
    step_m = spacing_m(window.lon, window.lat)
    west, east = float(window.lon.min()), float(window.lon.max())
    south, north = float(window.lat.min()), float(window.lat.max())
    if bbox is not None:
        box_east = bbox[2] if bbox[2] > bbox[0] else bbox[2] + 360.0
        west, east = max(west, bbox[0]), min(east, box_east)
        south, north = max(south, bbox[1]), min(north, bbox[3])
    step_lat = step_m / METRES_PER_DEGREE
    step_lon = step_lat / max(np.cos(np.radians(0.5 * (south + north))), 0.05)
    # snap the axes to multiples of the step so that neighbouring requests line up
    west = np.floor(west / step_lon) * step_lon
    south = np.floor(south / step_lat) * step_lat
    return Target(_axis(west, east + step_lon, step_lon), _axis(south, north + step_lat, step_lat))


def _regular_axis(axis: np.ndarray) -> np.ndarray:
    """An evenly spaced axis for a 1-D source axis.

    An evenly spaced axis is kept. One that is even but for float32 rounding
    (PyGNOME, RTOFS: a few 1e-6 degrees) keeps its points, evenly respaced; they
    move by at most 1e-3 of a cell and take their own values. A truly uneven one
    (Mercator latitudes) is resampled at its median step.
    """
    steps = np.diff(axis)
    step = float(np.median(steps))
    if np.ptp(steps) <= 1e-6 * step:
        return axis
    even = np.linspace(axis[0], axis[-1], axis.size)
    if np.abs(axis - even).max() <= _SNAP * step:
        return even
    # truly uneven: the median step from the first point; where most steps are the median
    # (a padded last row) the source points are kept; the end may lose under one step
    return _axis(axis[0], axis[-1], step)


def _bilinear(values: np.ndarray, fy: np.ndarray, fx: np.ndarray) -> np.ndarray:
    """Bilinear sampling of (nt, ny, nx) at fractional indices; NaN outside or if a NaN weighs."""
    ny, nx = values.shape[-2:]
    inside = (fy >= 0) & (fy <= ny - 1) & (fx >= 0) & (fx <= nx - 1)
    fy, fx = np.where(inside, fy, 0.0), np.where(inside, fx, 0.0)
    iy = np.minimum(np.floor(fy).astype(np.intp), max(ny - 2, 0))
    ix = np.minimum(np.floor(fx).astype(np.intp), max(nx - 2, 0))
    wy, wx = fy - iy, fx - ix
    out = np.zeros(values.shape[:-2] + fy.shape)
    for dy, w_y in ((0, 1 - wy), (1, wy)):
        for dx, w_x in ((0, 1 - wx), (1, wx)):
            corner = values[..., np.minimum(iy + dy, ny - 1), np.minimum(ix + dx, nx - 1)]
            # a corner with zero weight (target on a source row/column) must not blank it
            weight = w_y * w_x
            out += np.where(weight > 0, weight * corner, 0.0)
    out[..., ~inside] = np.nan
    return out


def _snapped(index: np.ndarray) -> np.ndarray:
    """Fractional indices within :data:`_SNAP` of a whole index become that index."""
    whole = np.round(index)
    return np.where(np.abs(index - whole) <= _SNAP, whole, index)


class _Rectilinear:
    """Linear interpolation between 1-D (possibly unevenly spaced) axes."""

    def __init__(self, window: Window, target: Target) -> None:
        fx = _snapped(np.interp(target.lon, window.lon, np.arange(window.lon.size), -1, -1))
        fy = _snapped(np.interp(target.lat, window.lat, np.arange(window.lat.size), -1, -1))
        self.fy, self.fx = np.meshgrid(fy, fx, indexing="ij")
        self.identity = np.array_equal(fx, np.arange(window.lon.size)) and np.array_equal(
            fy, np.arange(window.lat.size)
        )

    def __call__(self, values: np.ndarray) -> np.ndarray:
        return values if self.identity else _bilinear(values, self.fy, self.fx)


def interpolator(window: Window, target: Target):
    """A callable mapping (nt, wy, wx) values of a regular grid's window to (nt, ny, nx)
    values on the evenly spaced ``target`` (the window itself where it is even)."""
    return _Rectilinear(window, target)
