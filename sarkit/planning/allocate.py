"""Assignment of search rectangles to search units over a POC grid.

:func:`allocate` gives each :class:`SearchUnit` (sweep width :math:`W`, search speed :math:`V`,
time on scene :math:`T`: effort :math:`Z = W V T` NM²) one rectangle, oriented along the major
axis of the POC cloud (``PocGrid.spread_axis_deg``, in practice the drift), with a parallel
sweep of track spacing :math:`S = W / C`, where :math:`C = Z / A` is the coverage of the
rectangle of area :math:`A`. Rectangles never overlap. Each unit's POS is
:math:`\\mathrm{POC}_r (1 - e^{-C})` (uniform random-search coverage of its rectangle), and
the plan is compared with the optimal-effort bound (:func:`sarkit.planning.optimal_effort` on
the same grid with the total effort of all units).

The heuristic (a sarkit choice, stated here; not a proven optimum):

1. The POC is resampled onto a square lattice of the same cell size in the axis frame (the
   grid's projected x/y rotated so that the columns run along the major axis): each POC cell is
   split into :data:`SUBSAMPLES` ² equal sub-points, each binned into the lattice cell it falls
   in. Rectangles are blocks of lattice cells, so disjoint blocks are disjoint rectangles.
   On a grid of more than :data:`MAX_SEARCH_CELLS` cells the lattice cells are larger, by
   :math:`\\sqrt{\\text{cells} / \\text{MAX\\_SEARCH\\_CELLS}}` (and fewer sub-points per
   POC cell), so that the search time does not grow faster than the map: rectangle sides are
   then multiples of that larger cell. The bound is still computed on the POC grid itself.
2. Units are placed in order of decreasing effort (ties in the order given). For each, every
   block size from a set of areas :math:`Z / C` (:data:`COVERAGES`) and aspect ratios
   (:data:`ASPECTS`) is tried at every position that overlaps no earlier block (2-D
   cumulative sums make this one vectorised sum per size), and the block of highest score
   wins. A block's score is its POS less a price for the cells it takes: a weight
   :math:`\\mu` times the net value those cells have in the optimal-effort plan (POS there
   less the marginal rate :math:`\\lambda` times the effort there), which stops an early unit
   from spreading over POC that later units would search better. The greedy placement is run
   once per weight in :data:`PRICES`: the full price (:math:`\\mu = 1`) is best where effort
   is scarce, but where it is abundant (:math:`\\lambda \\to 0`) it charges a cell nearly
   its whole POC and makes every block on the POC score below an empty one; a smaller weight
   keeps units on the POC there. (POS alone, :math:`\\mu = 0`, lets the first unit take
   most of the map and was never best on the benchmarks.)
3. Local improvement of each greedy plan: each block in turn is grown, shrunk (one side by
   one cell) or shifted by one cell while its POS improves and it overlaps no other block;
   passes repeat until none improves (at most :data:`MAX_PASSES`). The plan of highest total
   POS is returned.

A block is only accepted where a parallel sweep fits in it: the track spacing must not exceed
the rectangle's width (``W × length < Z``: at least one full leg).

POC of a rectangle: the sum of the POC of the sub-points inside it, scaled down by
``area / sampled area`` where the sub-points inside represent more area than the rectangle
has (aliasing at the edges of a rotated lattice). With this rule the plan is a feasible
effort distribution over the original cells (concavity of :math:`1 - e^{-c}`), so its POS can
never exceed the bound.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from sarkit.errors import BadValueError
from sarkit.planning.effort import optimal_effort
from sarkit.planning.patterns import Pattern, parallel_sweep
from sarkit.poc.grid import PocGrid
from sarkit.units import NAUTICAL_MILE

__all__ = [
    "ASPECTS",
    "COVERAGES",
    "MAX_SEARCH_CELLS",
    "PRICES",
    "Allocation",
    "Assignment",
    "LeftOut",
    "SearchUnit",
    "allocate",
]

COVERAGES = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0)
"""Coverages :math:`C` whose areas :math:`Z / C` the first placement tries."""

ASPECTS = (1 / 3, 1 / 2, 2 / 3, 1.0, 1.5, 2.0, 3.0, 4.0)
"""Ratios of the along-axis side to the across-axis side the first placement tries."""

SUBSAMPLES = 4
"""Sub-points per POC cell side when the POC is resampled onto the axis-frame lattice."""

PRICES = (0.75, 1.0)
"""Weights of the optimal-effort value of the cells a block takes, one greedy plan each."""

MAX_SEARCH_CELLS = 150_000
"""Most POC cells searched at their own size: on a finer grid the lattice cells are larger."""

MAX_PASSES = 200
"""Most local-improvement passes over all rectangles."""


@dataclass(frozen=True)
class SearchUnit:
    """A search unit (asset) and the effort it brings.

    Attributes
    ----------
    name : str
        Call sign or label.
    sweep_width_nm : float
        Corrected sweep width :math:`W` for this object and weather (NM), >= 0.
    search_speed_kt : float
        Search speed :math:`V` (kt), >= 0.
    on_scene_h : float
        Time searching on scene :math:`T` (h), >= 0 (transit excluded).
    """

    name: str
    sweep_width_nm: float
    search_speed_kt: float
    on_scene_h: float

    def __post_init__(self) -> None:
        for field_name in ("sweep_width_nm", "search_speed_kt", "on_scene_h"):
            value = getattr(self, field_name)
            try:
                number = float(value)
            except (TypeError, ValueError):
                number = math.nan
            if not math.isfinite(number) or number < 0:
                raise BadValueError(
                    f"{field_name} of search unit {self.name!r} must be a finite number >= 0, "
                    f"got {value!r}",
                    "give the sweep width (NM), search speed (kt) and time on scene (h)",
                    field_name,
                )

    @property
    def effort_nm2(self) -> float:
        """Effort :math:`Z = W V T` (NM²)."""
        return float(self.sweep_width_nm) * float(self.search_speed_kt) * float(self.on_scene_h)

    @property
    def track_length_nm(self) -> float:
        """Track length :math:`V T` (NM)."""
        return float(self.search_speed_kt) * float(self.on_scene_h)


@dataclass(frozen=True)
class Assignment:
    """One unit's rectangle and what it achieves.

    Attributes
    ----------
    unit : SearchUnit
    polygon : shapely.Polygon
        The rectangle in lon/lat degrees.
    centre_lon, centre_lat : float
        Its centre, degrees.
    length_nm, width_nm : float
        Long and short side (NM).
    orientation_deg : float
        True bearing of the long side, degrees in [0, 360).
    area_nm2 : float
        ``length_nm * width_nm``.
    coverage : float
        :math:`C = Z / A`.
    track_spacing_nm : float
        :math:`S = W / C`.
    pod : float
        :math:`1 - e^{-C}`.
    poc_in_rectangle : float
        POC inside the rectangle (see the module notes).
    pos : float
        ``poc_in_rectangle * pod``.
    """

    unit: SearchUnit
    polygon: shapely.Polygon
    centre_lon: float
    centre_lat: float
    length_nm: float
    width_nm: float
    orientation_deg: float
    area_nm2: float
    coverage: float
    track_spacing_nm: float
    pod: float
    poc_in_rectangle: float
    pos: float

    def pattern(self) -> Pattern:
        """The parallel sweep over this rectangle."""
        return parallel_sweep(self.centre_lon, self.centre_lat, self.length_nm, self.width_nm,
                              self.orientation_deg, self.track_spacing_nm)


@dataclass(frozen=True)
class LeftOut:
    """A unit that got no rectangle, and why."""

    unit: SearchUnit
    reason: str


@dataclass(frozen=True)
class Allocation:
    """A search plan: one rectangle per placed unit.

    Attributes
    ----------
    assignments : tuple of Assignment
        The placed units, in the order given to :func:`allocate`.
    left_out : tuple of LeftOut
        Units that got no rectangle, with the reason.
    total_pos : float
        Sum of the assignments' POS.
    bound : float
        POS of the optimal continuous allocation of the total effort of *all* units
        (left-out ones included) over the POC grid: no plan can exceed it.
    gap : float
        ``1 - total_pos / bound`` (0 when the bound is 0).
    total_effort_nm2 : float
        Effort of all units (NM²).
    """

    assignments: tuple[Assignment, ...]
    left_out: tuple[LeftOut, ...]
    total_pos: float
    bound: float
    gap: float
    total_effort_nm2: float

    def pattern(self, i: int) -> Pattern:
        """The parallel sweep for assignment ``i``."""
        return self.assignments[i].pattern()


@dataclass
class _Lattice:
    """POC resampled onto square cells in the axis frame."""

    poc_sum: np.ndarray  # (nb + 1, na + 1) cumulative sums of POC
    area_sum: np.ndarray  # same, of sampled area (in lattice cells)
    value_sum: np.ndarray  # same, of each cell's net value in the optimal-effort plan
    a0: float
    b0: float
    na: int
    nb: int
    cell_m: float  # side of a lattice cell


def _axis_frame(poc: PocGrid) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit vectors along and across the major axis, and the grid centre (projected m)."""
    theta = math.radians(poc.spread_axis_deg)
    u = np.array([math.sin(theta), math.cos(theta)])  # along the axis (east, north)
    v = np.array([math.cos(theta), -math.sin(theta)])  # across, to the right
    centre = np.array([poc.x0, poc.y0]) + 0.5 * poc.cell_m * np.array(poc.shape[::-1])
    return u, v, centre


def _lattice_cell_m(poc: PocGrid) -> float:
    """Side of the search lattice's cells (m): the POC cell, larger on very fine grids."""
    ny, nx = poc.shape
    return poc.cell_m * max(1.0, math.sqrt(ny * nx / MAX_SEARCH_CELLS))


def _lattice(poc: PocGrid, u: np.ndarray, v: np.ndarray, centre: np.ndarray,
             value: np.ndarray, cell_m: float | None = None) -> _Lattice:
    """The POC and ``value`` resampled onto square cells of side ``cell_m`` in the axis frame.

    ``cell_m`` defaults to :func:`_lattice_cell_m`. Each POC cell is split into ``k`` x ``k``
    sub-points (``k`` = :data:`SUBSAMPLES`, fewer on a coarser lattice, at least 1).
    """
    s = _lattice_cell_m(poc) if cell_m is None else float(cell_m)
    factor = s / poc.cell_m
    k = max(1, math.ceil(SUBSAMPLES / factor))
    x, y = poc.cell_centres_xy()
    offsets = ((np.arange(k) + 0.5) / k - 0.5) * poc.cell_m
    ox, oy = np.meshgrid(offsets, offsets)
    px = (x[..., None] + ox.ravel()).ravel() - centre[0]
    py = (y[..., None] + oy.ravel()).ravel() - centre[1]
    a = px * u[0] + py * u[1]
    b = px * v[0] + py * v[1]
    a0 = math.floor(float(a.min()) / s) * s
    b0 = math.floor(float(b.min()) / s) * s
    ia = np.floor((a - a0) / s).astype(np.int64)
    ib = np.floor((b - b0) / s).astype(np.int64)
    na, nb = int(ia.max()) + 1, int(ib.max()) + 1
    flat = ib * na + ia
    weight = np.repeat(np.nan_to_num(np.asarray(poc.poc, float)).ravel() / k**2, k * k)
    q = np.bincount(flat, weights=weight, minlength=na * nb).reshape(nb, na)
    m = np.bincount(flat, minlength=na * nb).reshape(nb, na) / (k * factor) ** 2
    val = np.bincount(flat, weights=np.repeat(value.ravel() / k**2, k * k),
                      minlength=na * nb).reshape(nb, na)
    return _Lattice(_integral(q), _integral(m), _integral(val), a0, b0, na, nb, s)


def _integral(values: np.ndarray) -> np.ndarray:
    out = np.zeros((values.shape[0] + 1, values.shape[1] + 1))
    out[1:, 1:] = values.cumsum(0).cumsum(1)
    return out


def _block_sums(table: np.ndarray, h: int, w: int) -> np.ndarray:
    """Sums over every h x w block (rows x cols); shape (nb - h + 1, na - w + 1)."""
    return table[h:, w:] - table[:-h, w:] - table[h:, :-w] + table[:-h, :-w]


def _block_sum(table: np.ndarray, i0: int, i1: int, j0: int, j1: int) -> float:
    return float(table[i1, j1] - table[i0, j1] - table[i1, j0] + table[i0, j0])


def _effective_poc(q: np.ndarray | float, m: np.ndarray | float, cells: float):
    """POC of a block, scaled down where its sub-points stand for more area than it has."""
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(np.asarray(m) > cells, cells / np.maximum(m, 1e-300), 1.0)
    return np.asarray(q) * scale


def _sizes(effort: float, track_nm: float, cell_nm: float, na: int, nb: int) -> list:
    sizes = set()
    for c in COVERAGES:
        area_cells = effort / c / cell_nm**2
        for r in ASPECTS:
            w = max(1, round(math.sqrt(area_cells * r)))  # along the axis (columns)
            h = max(1, round(math.sqrt(area_cells / r)))  # across (rows)
            sizes.add((min(h, nb), min(w, na)))
    return sorted(s for s in sizes if _fits(s[0], s[1], track_nm, cell_nm))


def _fits(h: int, w: int, track_nm: float, cell_nm: float) -> bool:
    """A parallel sweep fits: spacing W/C <= width and < length, i.e. long side < V T."""
    return max(h, w) * cell_nm < track_nm * (1 - 1e-12)


def allocate(poc: PocGrid, units: Sequence[SearchUnit]) -> Allocation:
    """Non-overlapping rectangles, one per unit, to maximise the total POS (a heuristic).

    Parameters
    ----------
    poc : PocGrid
        The POC map (e.g. from :func:`sarkit.poc.poc_grid`).
    units : sequence of SearchUnit
        The available units with their sweep widths for this object and weather.

    Returns
    -------
    Allocation
        Units with zero effort, or for which no free rectangle with a sweep that fits is left,
        are listed in ``left_out`` with the reason.

    Raises
    ------
    BadValueError
        No units, or something that is not a :class:`SearchUnit`.
    """
    units = tuple(units)
    if not units:
        raise BadValueError("no search units were given", "pass at least one SearchUnit", "units")
    for unit in units:
        if not isinstance(unit, SearchUnit):
            raise BadValueError(f"{unit!r} is not a SearchUnit",
                                "describe each asset as SearchUnit(name, W, V, T)", "units")
    u, v, centre = _axis_frame(poc)
    total_effort = math.fsum(unit.effort_nm2 for unit in units)
    optimum = optimal_effort(poc.poc, poc.cell_area_nm2, total_effort)
    level = optimum.level if math.isfinite(optimum.level) else 0.0
    p = np.nan_to_num(np.asarray(poc.poc, dtype=float))
    value = np.maximum(p * optimum.pod - level * optimum.effort_nm2, 0.0)
    lat = _lattice(poc, u, v, centre, value)
    cell_nm = lat.cell_m / NAUTICAL_MILE

    best_total, best_plan = -1.0, None
    for price in PRICES:
        blocks, left = _greedy(lat, units, cell_nm, price)
        _improve(lat, blocks, units, cell_nm)
        plan_total = math.fsum(
            math.prod(_block_pos(lat, b, units[i].effort_nm2, cell_nm))
            for i, b in blocks.items())
        if plan_total > best_total:
            best_total, best_plan = plan_total, (blocks, left)
    assert best_plan is not None
    blocks, left = best_plan

    to_lonlat = poc.to_lonlat()
    assignments = [
        _assignment(units[i], blocks[i], lat, u, v, centre, lat.cell_m, poc.spread_axis_deg,
                    to_lonlat)
        for i in range(len(units)) if i in blocks
    ]
    bound = optimum.pos
    total = math.fsum(a.pos for a in assignments)
    gap = 1.0 - total / bound if bound > 0 else 0.0
    return Allocation(
        assignments=tuple(assignments),
        left_out=tuple(LeftOut(units[i], left[i]) for i in sorted(left)),
        total_pos=total, bound=bound, gap=gap, total_effort_nm2=total_effort,
    )


def _greedy(lat: _Lattice, units: Sequence[SearchUnit], cell_nm: float, price: float):
    """Place units in order of decreasing effort; returns blocks and reasons for left-outs."""
    taken = np.zeros((lat.nb, lat.na), dtype=bool)
    order = sorted(range(len(units)), key=lambda i: -units[i].effort_nm2)
    blocks: dict[int, tuple[int, int, int, int]] = {}
    left: dict[int, str] = {}
    for i in order:
        unit = units[i]
        z = unit.effort_nm2
        if z <= 0:
            left[i] = "its effort (sweep width x speed x time on scene) is zero"
            continue
        best = _place(lat, taken, z, unit.track_length_nm, cell_nm, price)
        if best is None:
            if taken.all():
                left[i] = "no free area is left: earlier units cover the whole POC grid"
            else:
                left[i] = (f"no free rectangle holds a parallel sweep of its track length "
                           f"{unit.track_length_nm:.3g} NM at the {cell_nm:.3g} NM cell size")
            continue
        blocks[i] = best
        i0, i1, j0, j1 = best
        taken[i0:i1, j0:j1] = True
    return blocks, left


def _place(lat: _Lattice, taken: np.ndarray, z: float, track_nm: float, cell_nm: float,
           price: float = 0.0):
    """The free block of highest score among the candidate sizes, or None.

    The score is the block's POS less ``price`` times the net value its cells have in the
    optimal-effort plan (POS there less the marginal rate times the effort there), so that a
    unit does not spread over POC that others would search better.
    """
    taken_sum = _integral(taken.astype(float))
    best_score, best = -math.inf, None
    for h, w in _sizes(z, track_nm, cell_nm, lat.na, lat.nb):
        busy = _block_sums(taken_sum, h, w) > 0.5
        if busy.all():
            continue
        score = _blocks_pos(lat, h, w, z, cell_nm)
        if price:
            score = score - price * _block_sums(lat.value_sum, h, w)
        score = np.where(busy, -np.inf, score)
        k = int(np.argmax(score))
        if score.flat[k] > best_score:
            i0, j0 = divmod(k, score.shape[1])
            best_score, best = float(score.flat[k]), (i0, i0 + h, j0, j0 + w)
    return best


def _blocks_pos(lat: _Lattice, h: int, w: int, z: float, cell_nm: float) -> np.ndarray:
    """POS of effort ``z`` spread over every h x w block; shape (nb - h + 1, na - w + 1)."""
    cells = h * w
    q = _block_sums(lat.poc_sum, h, w)
    m = _block_sums(lat.area_sum, h, w)
    return _effective_poc(q, m, cells) * -math.expm1(-z / (cells * cell_nm**2))


def _block_pos(lat: _Lattice, block: tuple[int, int, int, int], z: float, cell_nm: float):
    i0, i1, j0, j1 = block
    cells = (i1 - i0) * (j1 - j0)
    q = _block_sum(lat.poc_sum, *block)
    m = _block_sum(lat.area_sum, *block)
    poc_in = float(_effective_poc(q, m, cells))
    pod = -math.expm1(-z / (cells * cell_nm**2))
    return poc_in, pod


def _improve(lat: _Lattice, blocks: dict, units: Sequence[SearchUnit], cell_nm: float) -> None:
    """Grow, shrink or shift each block by one cell while its POS improves."""
    moves = [(-1, 0, 0, 0), (0, 1, 0, 0), (0, 0, -1, 0), (0, 0, 0, 1),  # grow
             (1, 0, 0, 0), (0, -1, 0, 0), (0, 0, 1, 0), (0, 0, 0, -1),  # shrink
             (-1, -1, 0, 0), (1, 1, 0, 0), (0, 0, -1, -1), (0, 0, 1, 1)]  # shift
    owner = np.full((lat.nb, lat.na), -1)
    for i, (i0, i1, j0, j1) in blocks.items():
        owner[i0:i1, j0:j1] = i
    for _ in range(MAX_PASSES):
        improved = False
        for i, block in blocks.items():
            unit = units[i]
            z = unit.effort_nm2
            poc_in, pod = _block_pos(lat, block, z, cell_nm)
            current = poc_in * pod
            for move in moves:
                new = tuple(b + d for b, d in zip(block, move, strict=True))
                i0, i1, j0, j1 = new
                if not (0 <= i0 < i1 <= lat.nb and 0 <= j0 < j1 <= lat.na):
                    continue
                if not _fits(i1 - i0, j1 - j0, unit.track_length_nm, cell_nm):
                    continue
                region = owner[i0:i1, j0:j1]
                if np.any((region != -1) & (region != i)):
                    continue
                poc_in, pod = _block_pos(lat, new, z, cell_nm)
                if poc_in * pod > current * (1 + 1e-12):
                    owner[owner == i] = -1
                    owner[i0:i1, j0:j1] = i
                    blocks[i] = block = new
                    current = poc_in * pod
                    improved = True
        if not improved:
            return


def _assignment(unit: SearchUnit, block, lat: _Lattice, u, v, centre, cell_m: float,
                axis_deg: float, to_lonlat) -> Assignment:
    i0, i1, j0, j1 = block
    a_lo, a_hi = lat.a0 + j0 * cell_m, lat.a0 + j1 * cell_m
    b_lo, b_hi = lat.b0 + i0 * cell_m, lat.b0 + i1 * cell_m
    # A vertex at every lattice node on the boundary: neighbouring rectangles then share their
    # common edges exactly in lon/lat too.
    a_nodes = lat.a0 + np.arange(j0, j1 + 1) * cell_m
    b_nodes = lat.b0 + np.arange(i0, i1 + 1) * cell_m
    ring_a = np.concatenate([a_nodes, np.full(i1 - i0, a_hi), a_nodes[::-1][1:],
                             np.full(i1 - i0 - 1, a_lo)])
    ring_b = np.concatenate([np.full(j1 - j0 + 1, b_lo), b_nodes[1:], np.full(j1 - j0, b_hi),
                             b_nodes[::-1][1:-1]])
    xy = centre + ring_a[:, None] * u + ring_b[:, None] * v
    lon, la = to_lonlat.transform(xy[:, 0], xy[:, 1])
    mid = centre + 0.5 * (a_lo + a_hi) * u + 0.5 * (b_lo + b_hi) * v
    clon, clat = to_lonlat.transform(mid[0], mid[1])
    cell_nm = cell_m / NAUTICAL_MILE
    along, across = (j1 - j0) * cell_nm, (i1 - i0) * cell_nm
    if along >= across:
        length, width, orientation = along, across, axis_deg % 360.0
    else:
        length, width, orientation = across, along, (axis_deg + 90.0) % 360.0
    z = unit.effort_nm2
    area = length * width
    coverage = z / area
    poc_in, pod = _block_pos(lat, block, z, cell_nm)
    return Assignment(
        unit=unit, polygon=shapely.Polygon(np.column_stack([lon, la])),
        centre_lon=float(clon), centre_lat=float(clat), length_nm=length, width_nm=width,
        orientation_deg=orientation, area_nm2=area, coverage=coverage,
        track_spacing_nm=float(unit.sweep_width_nm) / coverage, pod=pod,
        poc_in_rectangle=poc_in, pos=poc_in * pod,
    )
