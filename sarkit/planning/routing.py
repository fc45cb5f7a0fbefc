"""Routes at sea: the shortest way a ship can sail between two points without crossing land.

:func:`sea_route` gives the route from a base (a port) to a search point on the GSHHG coastline
rasterised by :func:`sarkit.drift.coast.land_mask`. The method:

1. **The box.** A lon/lat box around both points and the great circle between them, with a
   margin of ``max(0.3 deg, 0.3 x the larger side)``, its edges rounded outward to 0.1 deg
   (so that routes between nearby points share :func:`land_mask`'s disk cache).
2. **The raster.** The coastline over the box at ``resolution_m``; by default the finest of
   450 m (:data:`sarkit.drift.coast.DEFAULT_RESOLUTION_M`), 900 m, 1800 m ... that keeps the
   box within :data:`MAX_SIDE_CELLS` (600) cells a side. A cell is land when its centre is;
   **land smaller than about 1.5 cells can be missed**, so a long route (a coarse raster) may
   cross a small island; give ``resolution_m`` to force a finer raster.
3. **The ends.** A point in a sea cell is used as it is. A point in a land cell (a base is often
   a harbour, or a town near the shore) is moved to the centre of the nearest sea cell within
   ``harbour_reach_m`` (default :data:`HARBOUR_REACH_M`, 5 km) plus one cell (the raster
   places the shore within half a cell), and the route's ``note`` says so; with no sea that
   near, :class:`~sarkit.errors.BadValueError`. The route starts (or ends) there: the harbour
   leg is not in ``distance_nm``. Sea cells are grouped into waters joined edge to edge
   (a lake or a closed lagoon is its own water); both ends must lie on the same water.
4. **Direct.** If the great circle between the two ends (as moved off land) touches no land
   cell, the route is that great circle (``direct=True``).
5. **Around land.** Otherwise Dijkstra's shortest path (:func:`scipy.sparse.csgraph.dijkstra`)
   on the sea cells of that water, 16-connected: the 4 sides, the 4 diagonals and the 8
   knight's moves (one cell by two), each only where every cell of the 2 x 2 (diagonal) or
   2 x 3 (knight) block it crosses is sea, so a route never slips between land cells that touch
   at a corner; each step is weighted by its WGS84 geodesic length
   (:data:`sarkit.geodesy.WGS84`). The knight's moves bring the grid's distance within 3 % of
   the straight one in every direction (8 neighbours alone: 8 %), so the path lies close to
   the taut one. The cell path is then shortened by string-pulling: from each waypoint, the
   farthest later point the geodesic to which stays at sea (found by doubling then halving),
   then each waypoint is dropped where its neighbours see each other. The distance is the
   geodesic length of that polyline: within about 1 % of the shortest way round a round island
   in the tests.
6. **Widening.** Where the two ends lie on waters that do not meet inside the box, the margin
   is widened to ``max(2 deg, the larger side)``, then to ``max(8 deg, 3 x the larger side)``
   (the raster coarsening with it), before :class:`~sarkit.errors.BadValueError` says no sea
   route was found.

"At sea" is exact on the raster: a leg is at sea when no cell it passes through, even at a
corner, is land or outside the box (the geodesic is followed in steps of one cell, each step
a straight line in lon/lat, within millimetres of the geodesic). The route hugs the raster's
coast within half a cell: it keeps no safety distance off the shore, and knows nothing of
depth, reefs, traffic separation schemes or restricted waters. Nothing is cached here beyond
what :func:`land_mask` caches on disk.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sarkit._numba import njit
from sarkit.drift.coast import DEFAULT_RESOLUTION_M, LandMask, land_mask
from sarkit.errors import BadValueError, checked_number
from sarkit.geodesy import METRES_PER_DEGREE, WGS84
from sarkit.positions import format_box, format_position
from sarkit.units import NAUTICAL_MILE

__all__ = ["HARBOUR_REACH_M", "MAX_ROUTE_CELLS", "MAX_SIDE_CELLS", "SeaRoute", "sea_route"]

HARBOUR_REACH_M = 5000.0
"""How far (m) an end in a land cell (a harbour, a town on the shore) is moved to reach sea."""

MAX_SIDE_CELLS = 600
"""Most cells along a side of the box at the chosen resolution (when ``resolution_m`` is None)."""

MAX_ROUTE_CELLS = 4_000_000
"""Most cells of a box when ``resolution_m`` is given (the shortest path's memory and time)."""

_MARGINS = ((0.3, 0.3), (2.0, 1.0), (8.0, 3.0))
"""(least margin in degrees, margin as a share of the box's larger side) of each attempt."""

_SNAP_DEG = 0.1
"""Box edges are rounded outward to multiples of this (shared disk cache between routes)."""

_GC_SAMPLES = 64
"""Points of the great circle used to size the box."""

_NEIGHBOURS_4 = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]])


@dataclass(frozen=True, eq=False)
class SeaRoute:
    """A route at sea between two points.

    Attributes
    ----------
    distance_nm : float
        Length of the polyline along WGS84 geodesics, nautical miles.
    waypoints : ndarray, shape (n, 2)
        (lon, lat) in degrees, longitudes in -180..180, from start to end (read-only); the
        first and last are the points given, or the nearest sea where one was on land.
    direct : bool
        True where the route is the great circle between its ends (no land on it).
    note : str
        How the route was found: the raster used, detours, ends moved off land.
    resolution_m : float
        Cell side of the coastline raster the route was checked on, metres.
    bbox : tuple of 4 floats or None
        (west, south, east, north) of that raster: ``land_mask(bbox, resolution_m)`` is the
        coastline every leg was checked against.
    """

    distance_nm: float
    waypoints: np.ndarray
    direct: bool
    note: str
    resolution_m: float = DEFAULT_RESOLUTION_M
    bbox: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class _End:
    """Where a route ends on the raster: its point, its cell and how it got there."""

    lon: float
    lat: float
    row: int
    col: int
    moved_m: float


def sea_route(
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    resolution_m: float | None = None,
    harbour_reach_m: float = HARBOUR_REACH_M,
) -> SeaRoute:
    """The shortest route at sea from ``start`` to ``end``, around land.

    Parameters
    ----------
    start, end : tuple of float
        (lon, lat) in degrees (longitude in -180..360). A point in a land cell (a port) is
        moved to the nearest sea within ``harbour_reach_m`` (plus one cell).
    resolution_m : float, optional
        Cell side of the coastline raster, metres. Default: the finest of 450, 900, 1800 ...
        that keeps the box within :data:`MAX_SIDE_CELLS` cells a side.
    harbour_reach_m : float, default 5000
        How far an end in a land cell may be moved to reach sea, metres (one cell more is
        allowed for the raster).

    Returns
    -------
    SeaRoute
        The great circle where it touches no land (``direct=True``), else the shortest path
        on the raster's sea cells, shortened by string-pulling.

    Raises
    ------
    BadValueError
        For a point off the globe or a resolution that is not a positive number; for an end
        with no sea within ``harbour_reach_m``; where the two ends lie on waters that do
        not meet (a lake) even in the widest box; for a given resolution too fine for the box
        (more than :data:`MAX_ROUTE_CELLS` cells).

    Notes
    -----
    The method is in the module docstring (:mod:`sarkit.planning.routing`).
    """
    lon0, lat0 = _check_point(start, "start")
    lon1, lat1 = _check_point(end, "end")
    lon1 = lon0 + _wrap180(lon1 - lon0)  # the end in the start's frame: the short way round
    given = None if resolution_m is None else checked_number(
        resolution_m, "resolution_m", minimum=0.0, strict=True,
        fix=f"give resolution_m in metres, e.g. {DEFAULT_RESOLUTION_M:g}, or None")
    harbour_reach_m = checked_number(harbour_reach_m, "harbour_reach_m", minimum=0.0,
                                     maximum=100_000.0)
    gc_lon, gc_lat = _great_circle_points(lon0, lat0, lon1, lat1)
    gc_lon = lon0 + _wrap180(gc_lon - lon0)
    for least, share in _MARGINS:
        box = _box(gc_lon, gc_lat, least, share)
        res = given if given is not None else _auto_resolution(box)
        _check_size(box, res, given is not None)
        mask = land_mask(box, res)
        sea = mask.land == 0
        labels, _ = _label(sea)
        reach = harbour_reach_m + res
        first = _candidates(mask, labels, lon0, lat0, reach)
        last = _candidates(mask, labels, lon1, lat1, reach)
        for name, point, found in (("start", start, first), ("end", end, last)):
            if not found:
                raise BadValueError(
                    f"the route's {name} {_where(*point)} is on land: no sea within "
                    f"{reach / 1000:g} km of it on the GSHHG coastline at {res:g} m",
                    f"give {_article(name)} at sea (for a port, the harbour's position on the "
                    f"water)",
                )
        water = _common_water(first, last)
        if water is None:
            continue  # the two ends lie on waters that do not meet in this box: widen it
        a, b = first[water], last[water]
        notes = [_moved_note(name, point, e, res, bool(mask.contains(lon, lat)))
                 for name, point, e, lon, lat in (("start", start, a, lon0, lat0),
                                                  ("end", end, b, lon1, lat1))
                 if e.moved_m > 0]
        if _leg_clear(mask, a.lon, a.lat, b.lon, b.lat):
            distance = _geodesic_m(a.lon, a.lat, b.lon, b.lat) / NAUTICAL_MILE
            notes.insert(0, f"great circle: no land on it on the GSHHG coastline at {res:g} m")
            return _route(distance, [(a.lon, a.lat), (b.lon, b.lat)], True, notes, res, box)
        path = _cell_path(mask, labels == water, a, b)
        points = _pulled(mask, path)
        distance = sum(_geodesic_m(*points[k], *points[k + 1])
                       for k in range(len(points) - 1)) / NAUTICAL_MILE
        straight = _geodesic_m(a.lon, a.lat, b.lon, b.lat) / NAUTICAL_MILE
        extra = (f", {distance - straight:.1f} NM more than the great circle of "
                 f"{straight:.1f} NM" if straight > 0 else "")
        notes.insert(0, (
            f"around land: shortest path on the sea cells of the GSHHG coastline at {res:g} m, "
            f"{len(points)} waypoints{extra}"
        ))
        return _route(distance, points, False, notes, res, box)
    ashore = [(name, point) for name, point, found in (("start", start, first), ("end", end, last))
              if all(e.moved_m > 0 for e in found.values())]
    if ashore:
        name, point = ashore[0]
        raise BadValueError(
            f"the route's {name} {_where(*point)} is on land, and the only water within "
            f"{reach / 1000:g} km of it on the GSHHG coastline at {res:g} m (a river, pond or "
            f"lagoon of the raster) does not meet the "
            f"{'end' if name == 'start' else 'start'}'s sea",
            f"give {_article(name)} at sea (for a port, the harbour's position on the water)",
        )
    raise BadValueError(
        f"no sea route from {_where(*start)} to {_where(*end)} within {_box_text(box)} "
        f"(GSHHG coastline at {res:g} m): they lie on waters that do not meet there, "
        f"e.g. a lake, a closed lagoon, or a strait narrower than the raster's cells",
        "give a start and an end on the same sea, or a finer resolution_m",
    )


# --- checks and boxes --------------------------------------------------------------------------


def _check_point(point: tuple[float, float], name: str) -> tuple[float, float]:
    try:
        lon, lat = point
    except (TypeError, ValueError):
        raise BadValueError(f"the route's {name} {point!r} is not a (lon, lat) pair",
                            "give (lon, lat) in degrees") from None
    lon = checked_number(lon, f"{name} longitude", minimum=-180.0, maximum=360.0,
                         fix="give degrees east, -180..360")
    lat = checked_number(lat, f"{name} latitude", minimum=-89.0, maximum=89.0,
                         fix="give degrees north, -89..89")
    return lon, lat


def _wrap180(x):
    """Longitude differences into -180..180."""
    return (np.asarray(x, dtype=np.float64) + 180.0) % 360.0 - 180.0


def _great_circle_points(lon0, lat0, lon1, lat1) -> tuple[np.ndarray, np.ndarray]:
    az, _, dist = WGS84.inv(lon0, lat0, lon1, lat1)
    s = np.linspace(0.0, dist, _GC_SAMPLES)
    lon, lat, _ = WGS84.fwd(np.full(s.size, lon0), np.full(s.size, lat0),
                            np.full(s.size, az), s)
    return np.asarray(lon), np.asarray(lat)


def _box(lon: np.ndarray, lat: np.ndarray, least: float, share: float):
    west, east = float(lon.min()), float(lon.max())
    south, north = float(lat.min()), float(lat.max())
    margin = max(least, share * max(east - west, north - south))
    snap = _SNAP_DEG
    west = round(math.floor((west - margin) / snap) * snap, 6)
    east = round(math.ceil((east + margin) / snap) * snap, 6)
    if east - west >= 360.0:  # the whole way round (the raster does not join its two edges)
        middle = round((west + east) / 2.0, 1)
        west, east = middle - 179.9, middle + 179.9
    return (
        west,
        max(-90.0, round(math.floor((south - margin) / snap) * snap, 6)),
        east,
        min(90.0, round(math.ceil((north + margin) / snap) * snap, 6)),
    )


def _cells(box, res: float) -> tuple[int, int]:
    """(ny, nx) of the box at ``res`` as :func:`land_mask` counts them (within a cell)."""
    west, south, east, north = box
    lat = 0.0 if south <= 0.0 <= north else min(abs(south), abs(north))
    dlat = res / METRES_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-12)
    return math.ceil((north - south) / dlat), math.ceil((east - west) / dlon)


def _auto_resolution(box) -> float:
    res = DEFAULT_RESOLUTION_M
    while max(_cells(box, res)) > MAX_SIDE_CELLS:
        res *= 2.0
    return res


def _check_size(box, res: float, given: bool) -> None:
    ny, nx = _cells(box, res)
    if given and ny * nx > MAX_ROUTE_CELLS:
        raise BadValueError(
            f"a route over {_box_text(box)} at resolution_m = {res:g} has {ny:,} x {nx:,} "
            f"cells, more than {MAX_ROUTE_CELLS:,}",
            "give a coarser resolution_m, or None to let sea_route choose it",
        )


def _where(lon: float, lat: float) -> str:
    return f"({format_position(lon, lat)})"


def _article(name: str) -> str:
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def _box_text(box) -> str:
    return format_box(box, 1)


# --- the ends --------------------------------------------------------------------------------


def _cell_of(mask: LandMask, lon: float, lat: float) -> tuple[int, int]:
    x = (lon - mask.west) % 360.0
    return int((lat - mask.south) / mask.dlat), int(x / mask.dlon)


def _centre(mask: LandMask, row, col):
    return mask.west + (np.asarray(col) + 0.5) * mask.dlon, \
        mask.south + (np.asarray(row) + 0.5) * mask.dlat


def _candidates(
    mask: LandMask, labels: np.ndarray, lon: float, lat: float, reach: float
) -> dict[int, _End]:
    """The nearest sea cell within reach of a point on each water (the point itself if at sea)."""
    ny, nx = labels.shape
    row, col = _cell_of(mask, lon, lat)
    found: dict[int, _End] = {}
    if labels[row, col]:
        found[int(labels[row, col])] = _End(lon, lat, row, col, 0.0)
    cos_lat = max(math.cos(math.radians(abs(lat) + mask.dlat)), 1e-6)
    dr = math.ceil(reach / (mask.dlat * METRES_PER_DEGREE)) + 1
    dc = math.ceil(reach / (mask.dlon * METRES_PER_DEGREE * cos_lat)) + 1
    r0, r1 = max(0, row - dr), min(ny, row + dr + 1)
    c0, c1 = max(0, col - dc), min(nx, col + dc + 1)
    rows, cols = np.nonzero(labels[r0:r1, c0:c1])
    if rows.size == 0:
        return found
    rows, cols = rows + r0, cols + c0
    clon, clat = _centre(mask, rows, cols)
    _, _, dist = WGS84.inv(np.full(rows.size, lon), np.full(rows.size, lat), clon, clat)
    dist = np.asarray(dist)
    for k in np.lexsort((cols, rows, dist)):  # nearest first; ties by cell, so deterministic
        if dist[k] > reach:
            break
        label = int(labels[rows[k], cols[k]])
        if label not in found:
            found[label] = _End(float(clon[k]), float(clat[k]), int(rows[k]), int(cols[k]),
                                float(dist[k]))
    return found


def _common_water(first: dict[int, _End], last: dict[int, _End]) -> int | None:
    """The water both ends can reach, the one they reach with the least move (None if none)."""
    common = sorted(set(first) & set(last))
    if not common:
        return None
    return min(common, key=lambda w: (first[w].moved_m + last[w].moved_m, w))


def _moved_note(name: str, point: tuple[float, float], end: _End, res: float,
                ashore: bool) -> str:
    other = "end" if name == "start" else "start"
    where = (f"is on land on the {res:g} m coastline (a harbour?)" if ashore else
             f"is on water that the {res:g} m coastline does not join to the {other}'s "
             f"(a lagoon?)")
    return (f"the {name} {_where(*point)} {where}: the route "
            f"{'leaves from' if name == 'start' else 'ends at'} the nearest sea on the "
            f"{other}'s water, {end.moved_m / 1000:.1f} km away at {_where(end.lon, end.lat)}")


# --- legs at sea --------------------------------------------------------------------------------


@njit
def _polyline_clear(fx, fy, land):
    """Whether a polyline in cell units (x = (lon - west) / dlon) touches no land cell.

    Every cell a straight piece passes through is looked at, those it only grazes at an edge
    or a corner included; a cell outside the mask counts as land.
    """
    ny, nx = land.shape
    for k in range(fx.size - 1):
        x0, y0, x1, y1 = fx[k], fy[k], fx[k + 1], fy[k + 1]
        if x1 < x0:
            x0, y0, x1, y1 = x1, y1, x0, y0
        if not (x0 >= 0.0 and x1 < nx and min(y0, y1) >= 0.0 and max(y0, y1) < ny):
            return False
        for c in range(math.floor(x0), math.floor(x1) + 1):
            if x1 > x0:
                xa, xb = max(x0, float(c)), min(x1, c + 1.0)
                ya = y0 + (y1 - y0) * (xa - x0) / (x1 - x0)
                yb = y0 + (y1 - y0) * (xb - x0) / (x1 - x0)
            else:
                ya, yb = y0, y1
            for r in range(math.floor(min(ya, yb)), math.floor(max(ya, yb)) + 1):
                if land[r, c] != 0:
                    return False
    return True


def _leg_clear(mask: LandMask, lon0: float, lat0: float, lon1: float, lat1: float) -> bool:
    """Whether the geodesic from one point to another stays in sea cells of the mask."""
    az, _, dist = WGS84.inv(lon0, lat0, lon1, lat1)
    step = min(mask.dlat * METRES_PER_DEGREE,
               mask.dlon * METRES_PER_DEGREE * math.cos(math.radians(max(abs(lat0), abs(lat1)))))
    n = max(1, math.ceil(dist / step))
    s = np.linspace(0.0, dist, n + 1)
    lon, lat, _ = WGS84.fwd(np.full(n + 1, lon0), np.full(n + 1, lat0), np.full(n + 1, az), s)
    lon, lat = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    lon[0], lat[0], lon[-1], lat[-1] = lon0, lat0, lon1, lat1
    fx = ((lon - mask.west) % 360.0) / mask.dlon
    fy = (lat - mask.south) / mask.dlat
    return bool(_polyline_clear(fx, fy, mask.land))


def _geodesic_m(lon0: float, lat0: float, lon1: float, lat1: float) -> float:
    return float(WGS84.inv(lon0, lat0, lon1, lat1)[2])


# --- the path on the raster ---------------------------------------------------------------------


def _label(sea: np.ndarray) -> tuple[np.ndarray, int]:
    """The waters of ``sea``: cells joined by their sides share a label."""
    from scipy import ndimage  # here, not at the top: the drift's summary imports this module

    return ndimage.label(sea, structure=_NEIGHBOURS_4)


def _cell_path(mask: LandMask, sea: np.ndarray, a: _End, b: _End) -> list[tuple[float, float]]:
    """Dijkstra on the sea cells of one water, from ``a``'s cell to ``b``'s: the points of the
    route, ``a`` and ``b`` themselves at the ends."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    ny, nx = sea.shape
    lat = mask.south + (np.arange(ny + 1) + 0.5) * mask.dlat  # row centres (and one more)
    zero = np.zeros(ny)
    step_e = np.asarray(WGS84.inv(zero, lat[:-1], zero + mask.dlon, lat[:-1])[2])
    step_n = np.asarray(WGS84.inv(zero, lat[:-1], zero, lat[1:])[2])
    step_d = np.asarray(WGS84.inv(zero, lat[:-1], zero + mask.dlon, lat[1:])[2])
    step_k1 = np.asarray(WGS84.inv(zero, lat[:-1], zero + 2 * mask.dlon, lat[1:])[2])
    lat2 = mask.south + (np.arange(ny + 2) + 0.5) * mask.dlat
    step_k2 = np.asarray(WGS84.inv(zero, lat2[:-2], zero + mask.dlon, lat2[2:])[2])
    index = np.arange(ny * nx).reshape(ny, nx)
    block = sea[:-1, :-1] & sea[:-1, 1:] & sea[1:, :-1] & sea[1:, 1:]  # a 2 x 2 block of sea
    wide = block[:, :-1] & block[:, 1:]  # 2 x 3 (rows x columns)
    tall = block[:-1, :] & block[1:, :]  # 3 x 2
    pieces = [  # (from, to, weight) for E, N, NE, NW steps and the knight's moves
        (sea[:, :-1] & sea[:, 1:], index[:, :-1], index[:, 1:], step_e[:, None]),
        (sea[:-1, :] & sea[1:, :], index[:-1, :], index[1:, :], step_n[:-1, None]),
        (block, index[:-1, :-1], index[1:, 1:], step_d[:-1, None]),
        (block, index[:-1, 1:], index[1:, :-1], step_d[:-1, None]),
        (wide, index[:-1, :-2], index[1:, 2:], step_k1[:-1, None]),
        (wide, index[:-1, 2:], index[1:, :-2], step_k1[:-1, None]),
        (tall, index[:-2, :-1], index[2:, 1:], step_k2[:-2, None]),
        (tall, index[:-2, 1:], index[2:, :-1], step_k2[:-2, None]),
    ]
    src, dst, weight = [], [], []
    for ok, i, j, w in pieces:
        src.append(i[ok])
        dst.append(j[ok])
        weight.append(np.broadcast_to(w, ok.shape)[ok])
    graph = coo_matrix(
        (np.concatenate(weight), (np.concatenate(src), np.concatenate(dst))),
        shape=(ny * nx, ny * nx),
    ).tocsr()
    source, target = a.row * nx + a.col, b.row * nx + b.col
    _, previous = dijkstra(graph, directed=False, indices=source, return_predecessors=True)
    cells = [target]
    while cells[-1] != source:
        cells.append(int(previous[cells[-1]]))
    cells.reverse()
    clon, clat = _centre(mask, np.array(cells) // nx, np.array(cells) % nx)
    points = [(a.lon, a.lat), *zip(clon.tolist(), clat.tolist(), strict=True), (b.lon, b.lat)]
    return [p for k, p in enumerate(points) if k == 0 or p != points[k - 1]]


def _pulled(mask: LandMask, points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """String-pulling: keep only the waypoints needed for every leg to stay at sea."""
    n = len(points) - 1

    def clear(i: int, j: int) -> bool:
        return j == i + 1 or _leg_clear(mask, *points[i], *points[j])

    kept = [0]
    i = 0
    while i < n:
        good, probe = i + 1, i + 2  # a step to the next cell is at sea by construction
        while good < n:  # doubling ...
            probe = min(n, probe)
            if not clear(i, probe):
                break
            good, probe = probe, i + 2 * (probe - i)
        bad = probe if good < n else n + 1
        while bad - good > 1:  # ... then halving: ``good`` is seen, ``bad`` is not
            mid = (good + bad) // 2
            if clear(i, mid):
                good = mid
            else:
                bad = mid
        kept.append(good)
        i = good
    changed = True
    while changed:  # drop a waypoint whose neighbours see each other
        changed = False
        k = 1
        while k < len(kept) - 1:
            if _leg_clear(mask, *points[kept[k - 1]], *points[kept[k + 1]]):
                del kept[k]
                changed = True
            else:
                k += 1
    return [points[k] for k in kept]


def _route(distance: float, points, direct: bool, notes: list[str], res: float,
           box) -> SeaRoute:
    waypoints = np.array(points, dtype=np.float64).reshape(-1, 2)
    waypoints[:, 0] = _wrap180(waypoints[:, 0])
    waypoints.setflags(write=False)
    return SeaRoute(float(distance), waypoints, direct, "; ".join(notes), float(res),
                    tuple(float(v) for v in box))
