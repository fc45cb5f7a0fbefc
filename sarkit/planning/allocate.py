"""Assignment of search rectangles to search units over a POC grid.

:func:`allocate` gives each :class:`SearchUnit` (sweep width :math:`W`, search speed :math:`V`,
time on scene :math:`T`: effort :math:`Z = W V T` NM²) a rectangle (or, where effort is scarce,
several searched one after another: step 4), oriented along the major axis of the POC cloud
(``PocGrid.spread_axis_deg``, in practice the drift), with the parallel sweep that fits its
time: ``n`` whole legs along the length at the spacing :math:`S = w / n` that spans the
width :math:`w`, a track of :math:`L = n \\ell - w / n \\le V T` (:func:`_sweep`). The
coverage of the rectangle of area :math:`A` is :math:`C = W L / A` -- the effort actually
flown there, which is less than :math:`Z` by the part of a leg that does not fit -- and the
unit's POS is :math:`\\mathrm{POC}_r (1 - e^{-C})` (random-search POD of its rectangle), as
:func:`sarkit.planning.choose.coverage_as_flown` measures it on the track. Rectangles never
overlap. The plan is compared with the optimal-effort bound
(:func:`sarkit.planning.optimal_effort` on the same grid with the total effort of all units).

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
   then (with at most :data:`MAX_PIECES` units) each block is taken away and placed afresh
   among the others (its best free block of any candidate size), each pair of blocks is
   swapped where that gains, and with at most :data:`MAX_PERMUTED_UNITS` units each pair is
   placed afresh together (the first in each of its :data:`REPLACE_TRIES` best sizes: on the
   best plan only); rounds repeat while the total improves (at most :data:`MAX_PASSES`).
   With at most :data:`MAX_PERMUTED_UNITS` units the greedy placement runs in every order
   of the units; on a lattice of at most :data:`SMALL_LATTICE_CELLS`
   cells every block size is a candidate. The plan of highest total POS is returned.
   Measured against the best plan of the same shape found exhaustively (branch and bound
   over every size and position: ``benchmarks/exhaustive.py``) on small instances.
4. **Several rectangles per sortie** where effort is scarce: one uniform rectangle per unit
   spreads its effort evenly over POC that is not even, and the optimal effort is far from
   even when there is little of it. Where the units are few (units x parts at most
   :data:`MAX_PIECES`), each unit's time on scene is also split into 2 and 3 equal parts
   (:data:`PARTS`), the parts placed as units of their own by steps 1-3, and the unit then
   flies its parts one after another: highest POS first, then the nearest part not yet
   searched. The time to go from one part to the next (at the search speed, from the corner
   of the first farthest from the second to the second's corner nearest it: a pattern ends
   at one of its rectangle's corners, and the next starts at the corner nearest to that) is
   taken off the unit's time, shared equally by its parts, and their POS
   recomputed on the same blocks; a split where a part's sweep no longer fits is not used. The
   plan of highest total POS among the splits tried is returned (a single rectangle per unit
   where that is best, as where effort is plentiful).

A block is only accepted where a parallel sweep fits in it: at least one full leg
(the long side shorter than :math:`V T`).

POC of a rectangle: the sum of the POC of the sub-points inside it, scaled down by
``area / sampled area`` where the sub-points inside represent more area than the rectangle
has (aliasing at the edges of a rotated lattice). With this rule the plan is a feasible
effort distribution over the original cells (concavity of :math:`1 - e^{-c}`), so its POS can
never exceed the bound.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

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

ASPECTS = (1 / 4, 1 / 3, 1 / 2, 2 / 3, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0)
"""Ratios of the along-axis side to the across-axis side the first placement tries."""

SUBSAMPLES = 4
"""Sub-points per POC cell side when the POC is resampled onto the axis-frame lattice."""

PRICES = (0.75, 1.0)
"""Weights of the optimal-effort value of the cells a block takes, one greedy plan each."""

MAX_SEARCH_CELLS = 150_000
"""Most POC cells searched at their own size: on a finer grid the lattice cells are larger."""

MAX_PASSES = 200
"""Most local-improvement passes over all rectangles."""

MAX_PERMUTED_UNITS = 3
"""With this many units or fewer, the greedy placement is run in every order of the units,
and pairs of blocks are placed afresh together (step 3)."""

REPLACE_TRIES = 8
"""Sizes the first of a pair of blocks placed afresh tries (its best block of each)."""

SMALL_LATTICE_CELLS = 400
"""On a lattice of at most this many cells every block size that fits is tried, not only the
sizes of :data:`COVERAGES` and :data:`ASPECTS`."""

PARTS = (1, 2, 3)
"""Numbers of rectangles a unit's sortie may be split into (step 4 of the module notes)."""

MAX_PIECES = 12
"""Splits are tried only while units x parts is at most this (few units: effort scarce)."""

HOP_ROUNDS = 3
"""Most rounds of improving split parts for the time left after the moves between them."""


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
    part, parts : int
        This rectangle is the ``part``-th of the ``parts`` the unit searches one after
        another (1 and 1 for a single rectangle); ``unit.on_scene_h`` is this part's time.
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
    part: int = 1
    parts: int = 1

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
        The placed units, in the order given to :func:`allocate`; a unit whose sortie is
        split has one per part, in the order it searches them.
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
    _sums: OrderedDict = field(default_factory=OrderedDict, repr=False, compare=False)
    _kept_bytes: int = field(default=0, repr=False, compare=False)

    def block_pocs(self, h: int, w: int) -> np.ndarray:
        """The effective POC (:func:`_effective_poc`) of every h x w block; shape
        (nb - h + 1, na - w + 1), read-only."""
        return self._kept(("poc", h, w), lambda: _effective_poc(
            _block_sums(self.poc_sum, h, w), _block_sums(self.area_sum, h, w), h * w))

    def block_values(self, h: int, w: int) -> np.ndarray:
        """The net value (``value_sum``) of every h x w block, as :meth:`block_pocs`."""
        return self._kept(("value", h, w), lambda: _block_sums(self.value_sum, h, w))

    def _kept(self, key: tuple, make) -> np.ndarray:
        """``make()``, kept: a block size's sums are the same for every unit and placement of
        a plan, so the sizes asked for last are kept, up to :data:`_KEPT_BYTES`."""
        found = self._sums.get(key)
        if found is not None:
            self._sums.move_to_end(key)
            return found
        found = make()
        found.setflags(write=False)
        self._sums[key] = found
        self._kept_bytes += found.nbytes
        while self._kept_bytes > _KEPT_BYTES and len(self._sums) > 1:
            self._kept_bytes -= self._sums.popitem(last=False)[1].nbytes
        return found


_KEPT_BYTES = 64 * 2**20
"""How much of its block sums a lattice keeps, bytes."""


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
    """A parallel sweep fits: the fewest legs whose spacing ``short / n`` is less than the long
    side (one leg, two in a square) make a track of at most ``V T``."""
    long_nm, short_nm = max(h, w) * cell_nm, min(h, w) * cell_nm
    legs = _fewest_legs(long_nm, short_nm)
    return legs * long_nm - short_nm / legs <= track_nm * (1 - 1e-12)


def _fewest_legs(long_nm: float, short_nm: float) -> int:
    """Fewest legs of a parallel sweep along ``long_nm``: its spacing ``short_nm / n`` must be
    shorter than the legs' run (a leg stops half a spacing from each end)."""
    return math.floor(short_nm / long_nm * (1 + 1e-9)) + 1 if long_nm > 0 else 1


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

    best_total, best = -1.0, None
    for parts in PARTS:
        if parts > 1 and len(units) * parts > MAX_PIECES:
            break
        found = _split_plan(lat, units, parts, cell_nm)
        if found is not None and found[0] > best_total * (1 + 1e-9):
            best_total, best = found
    assert best is not None
    placed, left = best

    to_lonlat = poc.to_lonlat()
    assignments = []
    for i in range(len(units)):
        for k, (block, unit) in enumerate(placed.get(i, ())):
            assignment = _assignment(unit, block, lat, u, v, centre, lat.cell_m,
                                     poc.spread_axis_deg, to_lonlat)
            assignments.append(dataclasses.replace(assignment, part=k + 1,
                                                   parts=len(placed[i])))
    bound = optimum.pos
    total = math.fsum(a.pos for a in assignments)
    gap = 1.0 - total / bound if bound > 0 else 0.0
    return Allocation(
        assignments=tuple(assignments),
        left_out=tuple(LeftOut(units[i], left[i]) for i in sorted(left)),
        total_pos=total, bound=bound, gap=gap, total_effort_nm2=total_effort,
    )


def _best_blocks(lat: _Lattice, units: Sequence[SearchUnit], cell_nm: float):
    """Steps 1-3 of the module notes: the best plan over :data:`PRICES` and the orders."""
    by_effort = sorted(range(len(units)), key=lambda i: -units[i].effort_nm2)
    orders, seen = [], set()
    candidates = (itertools.permutations(by_effort) if len(units) <= MAX_PERMUTED_UNITS
                  else [by_effort])
    for order in candidates:  # equal units (the parts of one sortie) in another order: same
        key = tuple((units[i].sweep_width_nm, units[i].search_speed_kt, units[i].on_scene_h)
                    for i in order)
        if key not in seen:
            seen.add(key)
            orders.append(list(order))
    best_total, best_plan = -1.0, None
    for order in orders:
        for price in PRICES:
            blocks, left = _greedy(lat, units, cell_nm, price, order)
            _polish(lat, blocks, units, cell_nm, pairs=False)
            plan_total = _total(lat, blocks, units, cell_nm)
            if plan_total > best_total * (1 + 1e-12):
                best_total, best_plan = plan_total, (blocks, left)
    assert best_plan is not None
    if len(best_plan[0]) <= MAX_PERMUTED_UNITS:
        _polish(lat, best_plan[0], units, cell_nm, pairs=True)
    return best_plan


def _total(lat: _Lattice, blocks: dict, units: Sequence[SearchUnit], cell_nm: float) -> float:
    return math.fsum(math.prod(_block_pos(lat, b, units[i], cell_nm)) for i, b in blocks.items())


def _polish(lat: _Lattice, blocks: dict, units: Sequence[SearchUnit], cell_nm: float,
            pairs: bool) -> None:
    """Step 3 of the module notes: one-cell moves, then each block placed afresh among the
    others and each pair of blocks swapped, while the total POS improves."""
    for _ in range(MAX_PASSES):
        _improve(lat, blocks, units, cell_nm)
        before = _total(lat, blocks, units, cell_nm)
        groups = [(i,) for i in blocks] if len(blocks) <= MAX_PIECES else []
        if pairs:
            groups += list(itertools.combinations(list(blocks), 2))
        for group in groups:
            _replace(lat, blocks, units, cell_nm, group)
        for i, j in itertools.combinations(list(blocks), 2):
            a, b = blocks[i], blocks[j]
            if not (_fits(a[1] - a[0], a[3] - a[2], units[j].track_length_nm, cell_nm)
                    and _fits(b[1] - b[0], b[3] - b[2], units[i].track_length_nm, cell_nm)):
                continue
            now = (math.prod(_block_pos(lat, a, units[i], cell_nm))
                   + math.prod(_block_pos(lat, b, units[j], cell_nm)))
            swapped = (math.prod(_block_pos(lat, b, units[i], cell_nm))
                       + math.prod(_block_pos(lat, a, units[j], cell_nm)))
            if swapped > now * (1 + 1e-12):
                blocks[i], blocks[j] = b, a
        if _total(lat, blocks, units, cell_nm) <= before * (1 + 1e-12):
            return


def _split_plan(lat: _Lattice, units: Sequence[SearchUnit], parts: int, cell_nm: float):
    """Step 4 of the module notes: every unit's sortie in ``parts`` rectangles.

    Returns ``(total POS, (placed, left))`` with ``placed[i]`` the list of ``(block, unit of
    the part)`` of unit ``i`` in the order flown, or None where a part's sweep does not fit
    once the time between parts is taken off.
    """
    pieces = [dataclasses.replace(unit, on_scene_h=unit.on_scene_h / parts)
              for unit in units for _ in range(parts)]
    blocks, left_pieces = _best_blocks(lat, pieces, cell_nm)
    if parts == 1:
        total = math.fsum(math.prod(_block_pos(lat, b, pieces[i], cell_nm))
                          for i, b in blocks.items())
        return total, ({i: [(b, units[i])] for i, b in blocks.items()}, left_pieces)
    # The time between parts comes off the parts' time; the blocks are improved again for the
    # shorter time, which may move them and change that time: a few rounds settle it.
    for _ in range(HOP_ROUNDS):
        placed = _with_hops(lat, units, parts, blocks, cell_nm)
        if placed is None:
            return None
        shorter = [placed[k // parts][1] if k // parts in placed else pieces[k]
                   for k in range(len(pieces))]
        before = dict(blocks)
        _improve(lat, blocks, shorter, cell_nm)
        if blocks == before:
            break
    placed = _with_hops(lat, units, parts, blocks, cell_nm)
    if placed is None:
        return None
    left = {i: left_pieces[i * parts] for i in range(len(units)) if i not in placed}
    total = math.fsum(math.prod(_block_pos(lat, b, unit, cell_nm))
                      for order, unit in placed.values() for b in order)
    return total, ({i: [(b, unit) for b in order] for i, (order, unit) in placed.items()}, left)


def _with_hops(lat: _Lattice, units: Sequence[SearchUnit], parts: int, blocks: dict,
               cell_nm: float) -> dict | None:
    """Each unit's placed parts in the order flown, and the unit of one part: the unit's time
    less the time between parts, shared equally; None where a part's sweep no longer fits."""
    placed = {}
    for i, unit in enumerate(units):
        own = [blocks[i * parts + k] for k in range(parts) if i * parts + k in blocks]
        if not own:
            continue
        order = _flight_order(lat, own, dataclasses.replace(
            unit, on_scene_h=unit.on_scene_h / parts), cell_nm)
        hop_nm = math.fsum(_corner_distance(a, b) * cell_nm for a, b in itertools.pairwise(order))
        speed = float(unit.search_speed_kt)
        hours = (unit.on_scene_h - (hop_nm / speed if speed > 0 else 0.0)) / len(order)
        if hours <= 0:
            return None
        part_unit = dataclasses.replace(unit, on_scene_h=hours)
        if not all(_fits(i1 - i0, j1 - j0, part_unit.track_length_nm, cell_nm)
                   for i0, i1, j0, j1 in order):
            return None
        placed[i] = (order, part_unit)
    return placed


def _flight_order(lat: _Lattice, blocks: list, unit: SearchUnit, cell_nm: float) -> list:
    """The parts in the order flown: the one of highest POS, then always the nearest left."""
    rest = sorted(blocks, key=lambda b: -math.prod(_block_pos(lat, b, unit, cell_nm)))
    order = [rest.pop(0)]
    while rest:
        nearest = min(rest, key=lambda b: _corner_distance(order[-1], b))
        rest.remove(nearest)
        order.append(nearest)
    return order


def _corner_distance(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """The move from block ``a`` to block ``b``, in lattice cells: from whichever corner of
    ``a`` its pattern ends at (the farthest, to be safe) to the corner of ``b`` nearest it."""
    return max(min(math.hypot(ra - rb, ca - cb) for rb in b[:2] for cb in b[2:])
               for ra in a[:2] for ca in a[2:])


def _replace(lat: _Lattice, blocks: dict, units: Sequence[SearchUnit], cell_nm: float,
             group: tuple[int, ...]) -> None:
    """Take the blocks of ``group`` away and place them afresh among the others, in each
    order: the first in each of its :data:`REPLACE_TRIES` best sizes, the others then at
    their best (POS alone, the candidate sizes and their current ones); keep the better."""
    own = {i: blocks.pop(i) for i in group}
    taken = np.zeros((lat.nb, lat.na), dtype=bool)
    for i0, i1, j0, j1 in blocks.values():
        taken[i0:i1, j0:j1] = True
    best = _total(lat, own, units, cell_nm)
    chosen = own
    for order in itertools.permutations(group):
        first, rest = order[0], order[1:]
        # the first takes each of its best few sizes in turn, the rest their best after it
        for start in _best_of_each_size(lat, taken, units[first], cell_nm,
                                        keep=own[first])[:REPLACE_TRIES]:
            free, placed = taken.copy(), {first: start}
            free[start[0]:start[1], start[2]:start[3]] = True
            for i in rest:
                found = _place(lat, free, units[i], cell_nm, 0.0, keep=own[i])
                if found is None:
                    break
                placed[i] = found
                free[found[0]:found[1], found[2]:found[3]] = True
            else:
                total = _total(lat, placed, units, cell_nm)
                if total > best * (1 + 1e-12):
                    best, chosen = total, placed
    blocks.update(chosen)


def _greedy(lat: _Lattice, units: Sequence[SearchUnit], cell_nm: float, price: float,
            order: Sequence[int]):
    """Place units in ``order``; returns blocks and reasons for left-outs."""
    taken = np.zeros((lat.nb, lat.na), dtype=bool)
    blocks: dict[int, tuple[int, int, int, int]] = {}
    left: dict[int, str] = {}
    for i in order:
        unit = units[i]
        z = unit.effort_nm2
        if z <= 0:
            left[i] = "its effort (sweep width x speed x time on scene) is zero"
            continue
        best = _place(lat, taken, unit, cell_nm, price)
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


def _place(lat: _Lattice, taken: np.ndarray, unit: SearchUnit, cell_nm: float,
           price: float = 0.0, keep: tuple[int, int, int, int] | None = None):
    """The free block of highest score among the candidate sizes, or None.

    The score is the block's POS less ``price`` times the net value its cells have in the
    optimal-effort plan (POS there less the marginal rate times the effort there), so that a
    unit does not spread over POC that others would search better. ``keep``: a block whose
    size is tried too (the unit's current one, when it is placed afresh).
    """
    found = _best_of_each_size(lat, taken, unit, cell_nm, price, keep)
    return found[0] if found else None


def _best_of_each_size(lat: _Lattice, taken: np.ndarray, unit: SearchUnit, cell_nm: float,
                       price: float = 0.0, keep: tuple[int, int, int, int] | None = None
                       ) -> list[tuple[int, int, int, int]]:
    """For each candidate size (:func:`_place`) its free block of highest score, best first."""
    taken_sum = _integral(taken.astype(float))
    if lat.na * lat.nb <= SMALL_LATTICE_CELLS:  # every size that fits
        sizes = [(h, w) for h in range(1, lat.nb + 1) for w in range(1, lat.na + 1)
                 if _fits(h, w, unit.track_length_nm, cell_nm)]
    else:
        sizes = _sizes(unit.effort_nm2, unit.track_length_nm, cell_nm, lat.na, lat.nb)
    if keep is not None and (keep[1] - keep[0], keep[3] - keep[2]) not in sizes:
        sizes.append((keep[1] - keep[0], keep[3] - keep[2]))
    found = []
    for h, w in sizes:
        busy = _block_sums(taken_sum, h, w) > 0.5
        if busy.all():
            continue
        score = _blocks_pos(lat, h, w, unit, cell_nm)
        if price:
            score = score - price * lat.block_values(h, w)
        score = np.where(busy, -np.inf, score)
        k = int(np.argmax(score))
        i0, j0 = divmod(k, score.shape[1])
        found.append((float(score.flat[k]), -len(found), (i0, i0 + h, j0, j0 + w)))
    return [block for *_, block in sorted(found, reverse=True)]


def _sweep(length_nm: float, width_nm: float, budget_nm: float) -> tuple[int, float]:
    """Legs and track length (NM) of the parallel sweep flown over a rectangle in a budget.

    ``n`` legs along the length at the spacing ``width / n`` that spans the rectangle, each
    inset half a spacing from the ends, make a track of ``n * length - width / n``: the most
    legs whose track fits in ``budget_nm`` (at least one), as
    :func:`sarkit.planning.choose.choose_pattern` flies it.
    """
    fewest = _fewest_legs(length_nm, width_nm)
    if not math.isfinite(budget_nm) or budget_nm <= 0 or length_nm <= 0:
        return fewest, max(fewest * length_nm - width_nm / fewest, 0.0)
    legs = max(fewest, math.floor((budget_nm + math.sqrt(budget_nm**2 + 4.0 * length_nm
                                                        * width_nm)) / (2.0 * length_nm) + 1e-9))
    return legs, min(budget_nm, legs * length_nm - width_nm / legs)


def _flown_effort(unit: SearchUnit, h: int, w: int, cell_nm: float) -> float:
    """Effort (NM²) the unit puts into an h x w block: its sweep width times the track of the
    parallel sweep that fits its time there (:func:`_sweep`), not the whole of ``W V T``
    (the legs are whole: the time a leg would not fit in is not searched)."""
    long_nm, short_nm = max(h, w) * cell_nm, min(h, w) * cell_nm
    return float(unit.sweep_width_nm) * _sweep(long_nm, short_nm, unit.track_length_nm)[1]


def _blocks_pos(lat: _Lattice, h: int, w: int, unit: SearchUnit, cell_nm: float) -> np.ndarray:
    """POS of the unit's sweep over every h x w block; shape (nb - h + 1, na - w + 1)."""
    cells = h * w
    z = _flown_effort(unit, h, w, cell_nm)
    return lat.block_pocs(h, w) * -math.expm1(-z / (cells * cell_nm**2))


def _block_pos(lat: _Lattice, block: tuple[int, int, int, int], unit: SearchUnit,
               cell_nm: float):
    i0, i1, j0, j1 = block
    h, w = i1 - i0, j1 - j0
    cells = h * w
    q = _block_sum(lat.poc_sum, *block)
    m = _block_sum(lat.area_sum, *block)
    poc_in = float(_effective_poc(q, m, cells))
    pod = -math.expm1(-_flown_effort(unit, h, w, cell_nm) / (cells * cell_nm**2))
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
            poc_in, pod = _block_pos(lat, block, unit, cell_nm)
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
                poc_in, pod = _block_pos(lat, new, unit, cell_nm)
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
    area = length * width
    legs, track = _sweep(length, width, unit.track_length_nm)
    coverage = float(unit.sweep_width_nm) * track / area
    poc_in, pod = _block_pos(lat, block, unit, cell_nm)
    return Assignment(
        unit=unit, polygon=shapely.Polygon(np.column_stack([lon, la])),
        centre_lon=float(clon), centre_lat=float(clat), length_nm=length, width_nm=width,
        orientation_deg=orientation, area_nm2=area, coverage=coverage,
        track_spacing_nm=width / legs, pod=pod,
        poc_in_rectangle=poc_in, pos=poc_in * pod,
    )
