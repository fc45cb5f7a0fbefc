"""A current or wind on the ocean model's own grid, as the drift reads it.

Curvilinear and projected model grids are sampled where the model lives: a point is found
in the grid's own cells (:mod:`sarkit.forcing.meshsearch`), and the field is bilinear in the
grid's index space, so that at a model point the value is the model's own. The components
are rotated to east/north at the model points once, when they are read; the rotation then
varies bilinearly between points like the field itself (the grid's angle changes by well
under a degree from one cell to the next in the grids sarkit reads).

A :class:`Mesh` is the geometry (node positions and the lookup raster the search starts
from); a :class:`NativeGrid` is a field's records on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

from sarkit.forcing.meshsearch import mesh_positions, unit_vectors
from sarkit.forcing.regrid import spacing_m
from sarkit.geodesy import METRES_PER_DEGREE

__all__ = ["MAX_LOOKUP_CELLS", "Mesh", "NativeGrid", "bilinear_records"]

MAX_LOOKUP_CELLS = 4_000_000
"""Most cells of a mesh's lookup raster (its spacing grows to stay within this)."""

_LOOKUP_PER_CELL = 2
"""Lookup raster cells per model cell along each axis (where the raster is not capped)."""


def _frozen(array, dtype) -> np.ndarray:
    out = np.ascontiguousarray(array, dtype=dtype)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class Mesh:
    """Where a model grid's points are, and how a point is found among them.

    Attributes
    ----------
    lon, lat : numpy.ndarray
        (ny, nx) float64 node positions in degrees; longitudes run continuously (they may
        pass 180).
    lookup : tuple
        ``(lon0, lat0, dlon, dlat)`` of the lookup raster (degrees).
    cells : numpy.ndarray
        (my, mx) int64 start cells of the search (:mod:`sarkit.forcing.meshsearch`).
    xyz : numpy.ndarray
        (3, ny, nx) unit vectors of the nodes.
    """

    lon: np.ndarray
    lat: np.ndarray
    xyz: np.ndarray = field(init=False, repr=False)
    lookup: tuple = field(init=False)
    cells: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        lon, lat = _frozen(self.lon, np.float64), _frozen(self.lat, np.float64)
        if lon.ndim != 2 or lon.shape != lat.shape or min(lon.shape) < 2:
            raise ValueError(f"a mesh needs 2-D lon/lat of at least 2x2 points, got {lon.shape}")
        if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
            raise ValueError("a mesh's node positions must all be finite")
        set_(self, "lon", lon)
        set_(self, "lat", lat)
        set_(self, "xyz", _frozen(unit_vectors(lon, lat), np.float64))
        lookup, cells = self._lookup()
        set_(self, "lookup", lookup)
        set_(self, "cells", _frozen(cells, np.int64))

    @property
    def shape(self) -> tuple[int, int]:
        """(ny, nx) nodes."""
        return self.lon.shape

    def _lookup(self) -> tuple[tuple, np.ndarray]:
        ny, nx = self.shape
        spacing = spacing_m(self.lon, self.lat) / METRES_PER_DEGREE / _LOOKUP_PER_CELL
        top = min(float(np.abs(self.lat).max()), 89.0)
        west, east = float(self.lon.min()), float(self.lon.max())
        south, north = float(self.lat.min()), float(self.lat.max())
        dlat = spacing
        dlon = spacing / max(np.cos(np.radians(top)), 0.02)
        rows = int(np.ceil((north - south) / dlat)) + 1
        cols = int(np.ceil((east - west) / dlon)) + 1
        if rows * cols > MAX_LOOKUP_CELLS:
            grow = np.sqrt(rows * cols / MAX_LOOKUP_CELLS)
            dlat, dlon = dlat * grow, dlon * grow
            rows = int(np.ceil((north - south) / dlat)) + 1
            cols = int(np.ceil((east - west) / dlon)) + 1
        # start cells: the cell of the node nearest each raster cell's centre
        centre_lat = south + dlat * (np.arange(rows) + 0.5)
        centre_lon = west + dlon * (np.arange(cols) + 0.5)
        grid_lon, grid_lat = np.meshgrid(centre_lon, centre_lat)
        tree = cKDTree(self.xyz.reshape(3, -1).T)
        _, nearest = tree.query(unit_vectors(grid_lon, grid_lat).reshape(3, -1).T)
        j, i = np.divmod(nearest, nx)
        start = np.minimum(j, ny - 2) * (nx - 1) + np.minimum(i, nx - 2)
        cells = (-start - 1).reshape(rows, cols)
        lookup = (west, south, dlon, dlat)
        # a raster cell whose corners all lie a cell or more inside the grid is inside it
        corner_lon, corner_lat = np.meshgrid(west + dlon * np.arange(cols + 1),
                                             south + dlat * np.arange(rows + 1))
        fx, fy = self._positions(lookup, cells, corner_lon.ravel(), corner_lat.ravel())
        well = ((fx >= 1) & (fx <= nx - 2) & (fy >= 1) & (fy <= ny - 2)).reshape(rows + 1,
                                                                                    cols + 1)
        inside = well[:-1, :-1] & well[:-1, 1:] & well[1:, :-1] & well[1:, 1:]
        cells = np.where(inside, start.reshape(rows, cols), cells)
        return lookup, cells

    def _positions(self, lookup, cells, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        lon = np.ascontiguousarray(lon, dtype=np.float64).ravel()
        lat = np.ascontiguousarray(lat, dtype=np.float64).ravel()
        fx, fy = np.empty(lon.size), np.empty(lon.size)
        mesh_positions(lon, lat, (*lookup, self.xyz, np.ascontiguousarray(cells)), fx, fy)
        return fx, fy

    def positions(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Fractional node indices (fx, fy) of points (any shape), NaN outside the grid."""
        lon, lat = np.broadcast_arrays(np.asarray(lon, dtype=np.float64),
                                       np.asarray(lat, dtype=np.float64))
        fx, fy = self._positions(self.lookup, self.cells, lon, lat)
        return fx.reshape(lon.shape), fy.reshape(lon.shape)

    def covers(self, lon, lat) -> np.ndarray:
        """Whether points lie within the grid (its outermost points included)."""
        fx, _ = self.positions(lon, lat)
        return np.isfinite(fx)


@dataclass(frozen=True, eq=False)
class NativeGrid:
    """A field's records on a model's own grid: east/north m/s at the nodes.

    Attributes
    ----------
    mesh : Mesh
        The nodes.
    east, north : numpy.ndarray
        (nt, ny, nx) float32, rotated to east/north at the nodes; NaN missing (land).
    kind : str
        ``"curvilinear"`` or ``"projected"``: the grid the file gave.
    """

    mesh: Mesh
    east: np.ndarray
    north: np.ndarray
    kind: str = "curvilinear"

    def __post_init__(self) -> None:
        east, north = _frozen(self.east, np.float32), _frozen(self.north, np.float32)
        shape = (east.shape[0], *self.mesh.shape)
        if east.ndim != 3 or east.shape != shape or north.shape != shape:
            raise ValueError(f"native records must be (nt, ny, nx) = {shape}, got "
                             f"{east.shape} and {north.shape}")
        object.__setattr__(self, "east", east)
        object.__setattr__(self, "north", north)

    def records(self, part: slice) -> NativeGrid:
        """The records ``part`` (views, the same mesh)."""
        return NativeGrid(self.mesh, self.east[part], self.north[part], self.kind)


def bilinear_records(values: np.ndarray, fx: np.ndarray, fy: np.ndarray) -> np.ndarray:
    """Every record of ``values`` (nt, ny, nx) bilinear at fractional indices ``fx``, ``fy``
    (any shape) -> (nt, *shape); NaN outside (NaN index) or next to a missing value, even
    one of zero weight: land never leaks into the sea as a velocity."""
    ny, nx = values.shape[-2:]
    inside = np.isfinite(fx) & np.isfinite(fy)
    fx, fy = np.where(inside, fx, 0.0), np.where(inside, fy, 0.0)
    ix = np.minimum(np.floor(fx).astype(np.intp), nx - 2)
    iy = np.minimum(np.floor(fy).astype(np.intp), ny - 2)
    wx, wy = fx - ix, fy - iy
    out = np.zeros(values.shape[:-2] + fx.shape)
    for dy, w_y in ((0, 1 - wy), (1, wy)):
        for dx, w_x in ((0, 1 - wx), (1, wx)):
            corner = values[..., iy + dy, ix + dx].astype(np.float64)
            weight = w_y * w_x
            out += np.where(weight > 0, weight * corner, 0.0 * corner)
    out[..., ~inside] = np.nan
    return out
