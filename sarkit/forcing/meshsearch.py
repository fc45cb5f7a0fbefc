"""Numba kernels that find a point in an ocean model's own (curvilinear or projected) grid.

A model grid is a mesh of quadrilateral cells whose corners are the model's points
(``ny x nx`` nodes, ``(ny - 1) x (nx - 1)`` cells). A point's place in it is its
fractional index ``(fx, fy)``: ``ix + s``, ``iy + t`` where ``(s, t)`` in [0, 1]^2 invert
the bilinear map of cell (``iy``, ``ix``). The field is then bilinear in ``(s, t)``: at a
node the value is the node's own, exactly, as in the model.

How a point is found (:func:`mesh_position`):

* the nodes are held as unit vectors ``xyz`` (3, ny, nx); the cell's four corners are
  projected onto the plane tangent to the sphere at the point (east, north), so the search
  works the same at any latitude and across the antimeridian;
* a regular lon/lat raster over the grid (``lookup``: ``(lon0, lat0, dlon, dlat)`` and
  ``cells``, int64 (my, mx)) gives a cell near each raster cell to start from; a
  non-negative entry is that cell and says the whole raster cell is well inside the grid
  (so :func:`mesh_inside` needs no search there), a negative entry ``-c - 1`` is cell ``c``
  near the grid's edge or beyond it;
* from there it walks: the point's ``(s, t)`` in the cell (affine estimate from the cell's
  centre, then Newton's method on the bilinear map) says which neighbour to try, until the
  point lies in the cell (within :data:`TOLERANCE`), or the walk would leave the grid: the
  point is outside it (NaN).

The walk assumes that from a nearby cell the way to the point does not leave the grid,
true of any grid whose edge bends less than the raster's spacing; points outside are never
taken as inside.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from sarkit._numba import njit, njit_parallel

__all__ = ["MAX_MOVES", "TOLERANCE", "mesh_inside", "mesh_position", "mesh_positions",
           "unit_vectors"]

TOLERANCE = 1e-9
"""How far outside [0, 1] (in cell units) a point may be found and still lie in the cell:
rounding on a shared edge, not geometry."""

MAX_MOVES = 64
"""Most cells a search visits before it gives up (the point is then taken as outside)."""

_MAX_JUMP = 8
"""Most cells the walk moves along one axis in one move."""


@njit
def unit_vectors(lon, lat):
    """(3, ny, nx) unit vectors of nodes at degrees ``lon``, ``lat`` (ny, nx)."""
    ny, nx = lon.shape
    out = np.empty((3, ny, nx))
    for j in range(ny):
        for i in range(nx):
            la = np.radians(lat[j, i])
            lo = np.radians(lon[j, i])
            out[0, j, i] = np.cos(la) * np.cos(lo)
            out[1, j, i] = np.cos(la) * np.sin(lo)
            out[2, j, i] = np.sin(la)
    return out


@njit(inline="always")
def _local(xyz, iy, ix, so, co, sl, cl):
    """(east, north) of node (iy, ix) on the plane tangent at the point (radians on the unit
    sphere); ``so``, ``co``, ``sl``, ``cl``: sine and cosine of the point's lon and lat."""
    x = xyz[0, iy, ix]
    y = xyz[1, iy, ix]
    z = xyz[2, iy, ix]
    return -x * so + y * co, -sl * (x * co + y * so) + z * cl


@njit
def _cell_coordinates(ax, ay, bx, by, cx, cy, dx, dy):
    """(s, t) of the origin in the cell with corners A (s=0, t=0), B (1, 0), C (1, 1), D (0, 1).

    An affine estimate from the cell's centre; where it falls near the cell, Newton's method
    on the bilinear map refines it (a few iterations: cells are nearly parallelograms).
    NaN for a degenerate cell.
    """
    ex, ey = bx - ax, by - ay
    fx, fy = dx - ax, dy - ay
    gx, gy = ax - bx + cx - dx, ay - by + cy - dy
    hx, hy = -ax, -ay
    # affine: about the centre, with the mean edges
    mex, mey = ex + 0.5 * gx, ey + 0.5 * gy
    mfx, mfy = fx + 0.5 * gx, fy + 0.5 * gy
    qx = hx - 0.5 * ex - 0.5 * fx - 0.25 * gx
    qy = hy - 0.5 * ey - 0.5 * fy - 0.25 * gy
    det = mex * mfy - mey * mfx
    if det == 0.0 or det != det:
        return np.nan, np.nan
    s = 0.5 + (qx * mfy - qy * mfx) / det
    t = 0.5 + (mex * qy - mey * qx) / det
    if s < -1.0 or s > 2.0 or t < -1.0 or t > 2.0:
        return s, t  # far: the estimate only says which way to go
    for _ in range(8):
        rx = s * ex + t * fx + s * t * gx - hx
        ry = s * ey + t * fy + s * t * gy - hy
        j00, j01 = ex + t * gx, fx + s * gx
        j10, j11 = ey + t * gy, fy + s * gy
        det = j00 * j11 - j01 * j10
        if det == 0.0:
            break
        ds = (rx * j11 - ry * j01) / det
        dt = (j00 * ry - j10 * rx) / det
        s -= ds
        t -= dt
        if abs(ds) + abs(dt) < 1e-15:
            break
    return s, t


@njit(inline="always")
def _move(u, index, last):
    """Cells to move along one axis for cell coordinate ``u`` from ``index`` (of 0..last)."""
    if u < -TOLERANCE:
        step = max(int(np.floor(u)), -_MAX_JUMP)
    elif u > 1.0 + TOLERANCE:
        step = min(int(np.floor(u)), _MAX_JUMP)
    else:
        return 0
    return min(max(index + step, 0), last) - index


_OFF_RASTER = -(2**62)
"""What :func:`_raster_entry` gives for a point beyond the lookup raster."""


@njit(inline="always")
def _raster_entry(lon, lat, grid):
    """The lookup raster's entry for a point (module docstring), or :data:`_OFF_RASTER`."""
    lon0, lat0, dlon, dlat, cells = grid[0], grid[1], grid[2], grid[3], grid[5]
    my, mx = cells.shape
    x = lon - lon0
    if x < 0.0 or x >= 360.0:
        x -= 360.0 * np.floor(x / 360.0)
    row = (lat - lat0) / dlat
    col = x / dlon
    if not (row >= 0.0 and row < my and col >= 0.0 and col < mx):
        return _OFF_RASTER
    return cells[int(row), int(col)]


@njit
def mesh_position(lon, lat, grid):
    """(fx, fy): the fractional node index of a point in a model grid; NaN outside it.

    ``grid`` = (lon0, lat0, dlon, dlat, xyz, cells): the lookup raster's first corner and
    spacing (degrees), the nodes' unit vectors (3, ny, nx) and the raster's start cells
    (module docstring).
    """
    xyz = grid[4]
    ny, nx = xyz.shape[1], xyz.shape[2]
    code = _raster_entry(lon, lat, grid)
    if code == _OFF_RASTER:
        return np.nan, np.nan
    start = code if code >= 0 else -code - 1
    iy = start // (nx - 1)
    ix = start - iy * (nx - 1)
    la = np.radians(lat)
    lo = np.radians(lon)
    sl, cl, so, co = np.sin(la), np.cos(la), np.sin(lo), np.cos(lo)
    for _ in range(MAX_MOVES):
        ax, ay = _local(xyz, iy, ix, so, co, sl, cl)
        bx, by = _local(xyz, iy, ix + 1, so, co, sl, cl)
        cx, cy = _local(xyz, iy + 1, ix + 1, so, co, sl, cl)
        dx, dy = _local(xyz, iy + 1, ix, so, co, sl, cl)
        s, t = _cell_coordinates(ax, ay, bx, by, cx, cy, dx, dy)
        if s != s or t != t:
            return np.nan, np.nan
        move_x = _move(s, ix, nx - 2)
        move_y = _move(t, iy, ny - 2)
        if move_x == 0 and move_y == 0:
            if (s < -TOLERANCE or s > 1.0 + TOLERANCE or t < -TOLERANCE
                    or t > 1.0 + TOLERANCE):
                return np.nan, np.nan  # beyond the grid's edge
            return ix + min(max(s, 0.0), 1.0), iy + min(max(t, 0.0), 1.0)
        ix += move_x
        iy += move_y
    return np.nan, np.nan


@njit
def mesh_inside(lon, lat, grid):
    """Whether a point lies in the model grid (:func:`mesh_position`); no search where the
    lookup raster says the point is well inside."""
    code = _raster_entry(lon, lat, grid)
    if code == _OFF_RASTER:
        return False
    if code >= 0:
        return True
    fx, _ = mesh_position(lon, lat, grid)
    return fx == fx


@njit_parallel
def mesh_positions(lon, lat, grid, fx, fy):
    """:func:`mesh_position` of every point of flat arrays ``lon``, ``lat`` -> ``fx``, ``fy``."""
    for k in prange(lon.size):
        fx[k], fy[k] = mesh_position(lon[k], lat[k], grid)
