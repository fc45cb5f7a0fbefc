"""Search planning: the heuristic against the best plan of the same shape, found exhaustively.

:func:`sarkit.planning.allocate` places rectangles by a heuristic (greedy placement over a set
of block sizes with prices, then local improvement). On small instances (lattices of about
8 x 8 to 14 x 14 cells, 1-3 units) the problem restricted to ONE rectangle per unit can be
solved exactly: :func:`best_one_rectangle_each` is a branch-and-bound over every feasible
block size (not only the heuristic's candidate sizes) at every position on the lattice, with
the heuristic's own lattice, POS and feasibility rules (the private helpers of
:mod:`sarkit.planning.allocate`). The heuristic is run with its sorties kept whole
(``PARTS = (1,)``: no split into 2-3 rectangles), so that both solve the same problem.

The instances are synthetic drift clouds (one elongated Gaussian or two lobes, seeded) gridded
by :func:`sarkit.poc.poc_grid` at a cell size that gives the wanted lattice, with effort from
scarce (coverage 0.3 of the cloud's 2-sigma ellipse) to plentiful (3).

Run it from the repository root:

    python benchmarks/exhaustive.py

The issue's target: a gap of at most 2 % to the exhaustive best.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import math
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sarkit.planning.allocate import (
    SearchUnit,
    _axis_frame,
    _block_pos,
    _block_sums,
    _blocks_pos,
    _fits,
    _Lattice,
    _lattice,
    allocate,
)
from sarkit.poc import poc_grid
from sarkit.poc.grid import PocGrid
from sarkit.units import NAUTICAL_MILE
from tests.poc import make_trajectories, offsets_to_lonlat

Block = tuple[int, int, int, int]

RHOS = np.linspace(0.0, 1.0, 11)
"""Prices per unit of POC at which the Lagrangian bound of the units left is taken."""

TOLERANCE = 1e-12
"""Slack on the bounds against rounding: a branch is cut only where it cannot gain more."""


@dataclass
class _Candidates:
    """One unit's feasible blocks of POS > 0, in order of decreasing POS."""

    unit: int  # index of the unit in the order given
    pos: np.ndarray  # (n,) POS of the unit's sweep over the block
    poc: np.ndarray  # (n,) POC of the lattice cells inside (before the edge scaling)
    rect: np.ndarray  # (n, 4) i0, i1, j0, j1

    def apart_from(self, block: np.ndarray) -> _Candidates:
        """The candidates that do not overlap ``block`` (order kept)."""
        i0, i1, j0, j1 = (int(b) for b in block)
        r = self.rect
        keep = (r[:, 1] <= i0) | (r[:, 0] >= i1) | (r[:, 3] <= j0) | (r[:, 2] >= j1)
        return _Candidates(self.unit, self.pos[keep], self.poc[keep], r[keep])

    def most(self) -> np.ndarray:
        """Most of ``POS - rho * POC`` over the candidates (0: no block), for each of RHOS."""
        if not self.pos.size:
            return np.zeros(RHOS.size)
        gain = self.pos[:, None] - self.poc[:, None] * RHOS[None, :]
        return np.maximum(gain.max(axis=0), 0.0)


def candidates(lat: _Lattice, unit: SearchUnit, cell_nm: float, index: int = 0) -> _Candidates:
    """Every block of every size ``h`` x ``w`` whose sweep fits (:func:`_fits`) at every
    position on the lattice, with its POS for ``unit`` > 0, in order of decreasing POS.

    Parameters
    ----------
    lat : _Lattice
        The search lattice (:func:`sarkit.planning.allocate._lattice`).
    unit : SearchUnit
        The unit.
    cell_nm : float
        Side of a lattice cell (NM).
    index : int, default 0
        The unit's index, kept with its candidates.

    Returns
    -------
    _Candidates
    """
    pos, poc, rect = [], [], []
    for h in range(1, lat.nb + 1):
        for w in range(1, lat.na + 1):
            if not _fits(h, w, unit.track_length_nm, cell_nm):
                continue
            values = _blocks_pos(lat, h, w, unit, cell_nm)
            bi, bj = np.nonzero(values > 0)
            if not bi.size:
                continue
            pos.append(values[bi, bj])
            poc.append(_block_sums(lat.poc_sum, h, w)[bi, bj])
            rect.append(np.column_stack([bi, bi + h, bj, bj + w]))
    if not pos:
        return _Candidates(index, np.zeros(0), np.zeros(0), np.zeros((0, 4), dtype=np.int64))
    all_pos = np.concatenate(pos)
    order = np.argsort(-all_pos, kind="stable")
    return _Candidates(index, all_pos[order], np.concatenate(poc)[order],
                       np.concatenate(rect)[order].astype(np.int64))


def best_one_rectangle_each(lat: _Lattice, units: Sequence[SearchUnit],
                            cell_nm: float) -> tuple[float, dict[int, Block]]:
    """The plan of highest total POS with at most one block per unit, blocks disjoint.

    Exact over all feasible block sizes and all positions on the lattice (the same POS and
    feasibility rules as :func:`sarkit.planning.allocate`), by branch-and-bound: the units
    are taken one after another, each either given one of its candidates that overlaps no
    block already given or none. A branch is cut where its POS so far plus a bound on what
    the units left can add is no more than the best plan found. The bound is the Lagrangian
    one of the disjointness (each lattice cell in at most one block) with a price ``rho``
    per unit of POC on the free cells: ``rho * (free POC) + sum over units left of the most
    of (POS - rho * POC) over their candidates``, the least over :data:`RHOS` (``rho = 0``
    is the sum of the units' best POS; ``rho = 1`` the free POC).

    Parameters
    ----------
    lat : _Lattice
        The search lattice (:func:`sarkit.planning.allocate._lattice`).
    units : sequence of SearchUnit
        The units (up to about 3 on lattices up to about 14 x 14 cells).
    cell_nm : float
        Side of a lattice cell (NM).

    Returns
    -------
    tuple of (float, dict of int to tuple of int)
        The best total POS and the block ``(i0, i1, j0, j1)`` of each unit (by its index in
        ``units``) that gets one.
    """
    # Units of most effort first: their choice constrains the others most.
    order = sorted(range(len(units)), key=lambda i: -units[i].effort_nm2)
    cands = [candidates(lat, units[i], cell_nm, i) for i in order]
    total_poc = float(lat.poc_sum[-1, -1])
    best_total, best_plan = _seed(cands)

    def search(left: list[_Candidates], current: float, free: float,
               plan: dict[int, Block]) -> None:
        nonlocal best_total, best_plan
        first, rest = left[0], left[1:]
        if not rest:  # the last unit: its best candidate that is still free
            value = current + (float(first.pos[0]) if first.pos.size else 0.0)
            if value > best_total:
                best_total = value
                best_plan = dict(plan)
                if first.pos.size:
                    best_plan[first.unit] = tuple(int(b) for b in first.rect[0])
            return
        most_rest = sum(c.most() for c in rest)
        # Bound of each candidate of ``first``: its POS, then the units left on the free cells
        # less the candidate's (their candidates may still overlap it: a looser bound).
        bound = current + first.pos + np.min(
            (free - first.poc)[:, None] * RHOS[None, :] + most_rest[None, :], axis=1)
        for k in np.argsort(-bound, kind="stable"):
            if bound[k] + TOLERANCE <= best_total:
                break
            block = first.rect[k]
            search([c.apart_from(block) for c in rest], current + float(first.pos[k]),
                   free - float(first.poc[k]), {**plan, first.unit: tuple(int(b) for b in block)})
        if current + float(np.min(free * RHOS + most_rest)) + TOLERANCE > best_total:
            search(rest, current, free, plan)  # ``first`` gets no block

    if cands:
        search(cands, 0.0, total_poc, {})
    return best_total, best_plan


def _seed(cands: list[_Candidates]) -> tuple[float, dict[int, Block]]:
    """A first plan to cut against: the units in every order, each taking its best free block."""
    best_total, best_plan = 0.0, {}
    for perm in itertools.permutations(cands):
        total, plan, taken = 0.0, {}, []
        for c in perm:
            for block in taken:
                c = c.apart_from(block)
            if c.pos.size:
                total += float(c.pos[0])
                plan[c.unit] = tuple(int(b) for b in c.rect[0])
                taken.append(c.rect[0])
        if total > best_total:
            best_total, best_plan = total, plan
    return best_total, best_plan


def plan_pos(lat: _Lattice, units: Sequence[SearchUnit], plan: dict[int, Block],
             cell_nm: float) -> float:
    """Total POS of ``plan`` (unit index -> block), each block taken alone."""
    return math.fsum(math.prod(_block_pos(lat, block, units[i], cell_nm))
                     for i, block in plan.items())


def search_lattice(grid: PocGrid) -> tuple[_Lattice, float]:
    """The lattice :func:`sarkit.planning.allocate` searches on ``grid``, and its cell (NM)."""
    u, v, centre = _axis_frame(grid)
    lat = _lattice(grid, u, v, centre, np.zeros(grid.shape))
    return lat, lat.cell_m / NAUTICAL_MILE


@contextlib.contextmanager
def whole_sorties() -> Iterator[None]:
    """:func:`sarkit.planning.allocate` with one rectangle per unit (``PARTS = (1,)``)."""
    module = importlib.import_module("sarkit.planning.allocate")
    saved = module.PARTS
    module.PARTS = (1,)
    try:
        yield
    finally:
        module.PARTS = saved


def heuristic_pos(grid: PocGrid, units: Sequence[SearchUnit]) -> float:
    """Total POS of :func:`sarkit.planning.allocate` with one rectangle per unit."""
    with whole_sorties():
        plan = allocate(grid, units)
    return math.fsum(a.pos for a in plan.assignments)


# --- small instances -------------------------------------------------------------------------


@dataclass(frozen=True)
class Instance:
    """A small planning problem: a synthetic cloud, a lattice size and a fleet.

    Attributes
    ----------
    name : str
    cloud : str
        ``"gaussian"`` (one elongated lobe) or ``"lobes"`` (two, 60 % / 40 %).
    seed : int
        Seed of the particles.
    cells : int
        Wanted cells along the longer side of the search lattice (about).
    coverage : float
        Total effort of the fleet over the area of the cloud's 2-sigma ellipse.
    fleet : tuple of (float, float, float)
        Sweep width (NM), search speed (kt) and share of the total effort of each unit.
    """

    name: str
    cloud: str
    seed: int
    cells: int
    coverage: float
    fleet: tuple[tuple[float, float, float], ...]

    def grid(self) -> PocGrid:
        """The POC grid at a cell size that gives a lattice of about :attr:`cells` a side."""
        lon, lat = _cloud(self.cloud, self.seed)
        trajectories = make_trajectories(lon, lat)
        grid = poc_grid(trajectories, cell_nm=1.0)
        closest = None
        for _ in range(6):
            lattice, _ = search_lattice(grid)
            side = max(lattice.na, lattice.nb)
            if closest is None or abs(side - self.cells) < closest[0]:
                closest = (abs(side - self.cells), grid)
            if side == self.cells:
                break
            grid = poc_grid(trajectories, cell_nm=grid.cell_nm * side / self.cells)
        return closest[1]

    def units(self, grid: PocGrid) -> list[SearchUnit]:
        """The fleet, its total effort :attr:`coverage` times the 2-sigma ellipse's area."""
        area = 4.0 * math.pi * grid.spread_major_nm * grid.spread_minor_nm
        total = self.coverage * area
        shares = math.fsum(s for _, _, s in self.fleet)
        return [SearchUnit(f"u{k}", width, speed, total * share / shares / (width * speed))
                for k, (width, speed, share) in enumerate(self.fleet)]


def _cloud(kind: str, seed: int, n: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    """Particle positions (lon, lat) of a synthetic cloud of about 20 x 10 NM, seeded.

    The lobes are Gaussians cut at 2.5 standard deviations (along and across), so that the
    grid's extent is not set by a few stray particles and the cloud fills the small lattice.
    """
    rng = np.random.default_rng(seed)
    bearing = math.radians(rng.uniform(0.0, 180.0))
    if kind == "gaussian":
        lobes = [(1.0, 0.0, rng.uniform(3.0, 5.0), 0.0, rng.uniform(1.2, 2.5))]
    elif kind == "lobes":
        lobes = [(0.6, -4.0, 3.0, -1.0, 1.5), (0.4, 6.0, 2.5, 2.0, 1.2)]
    else:
        raise ValueError(f"unknown cloud {kind!r}")
    along, across = [], []
    for share, a_mean, a_sd, c_mean, c_sd in lobes:
        count = round(share * n)
        a = rng.normal(0.0, 1.0, 4 * count)
        c = rng.normal(0.0, 1.0, 4 * count)
        keep = np.flatnonzero((np.abs(a) <= 2.5) & (np.abs(c) <= 2.5))[:count]
        along.append(a_mean + a_sd * a[keep])
        across.append(c_mean + c_sd * c[keep])
    a, c = np.concatenate(along), np.concatenate(across)
    east = a * math.sin(bearing) + c * math.cos(bearing)
    north = a * math.cos(bearing) - c * math.sin(bearing)
    return offsets_to_lonlat(east, north)


SHIP = (1.5, 10.0, 1.0)
HELO = (3.0, 60.0, 1.0)
BOAT = (0.8, 8.0, 0.5)

INSTANCES = (
    Instance("gauss-1u-scarce", "gaussian", 1, 10, 0.3, (SHIP,)),
    Instance("gauss-1u-plenty", "gaussian", 2, 12, 3.0, (SHIP,)),
    Instance("lobes-2u-scarce", "lobes", 3, 12, 0.3, (SHIP, HELO)),
    Instance("lobes-2u-mid", "lobes", 4, 12, 1.0, (SHIP, BOAT)),
    Instance("gauss-2u-plenty", "gaussian", 5, 12, 3.0, (HELO, SHIP)),
    Instance("lobes-3u-scarce", "lobes", 6, 12, 0.3, (SHIP, HELO, BOAT)),
    Instance("gauss-3u-mid", "gaussian", 7, 12, 1.0, (SHIP, SHIP, BOAT)),
    Instance("lobes-3u-plenty", "lobes", 8, 12, 3.0, (HELO, SHIP, BOAT)),
    Instance("gauss-3u-plenty-coarse", "gaussian", 12, 10, 3.0, (SHIP, HELO, BOAT)),
    Instance("gauss-2u-mid-14", "gaussian", 9, 14, 1.0, (SHIP, BOAT)),
    Instance("lobes-3u-scarce-14", "lobes", 10, 14, 0.3, (SHIP, HELO, BOAT)),
    Instance("lobes-3u-plenty-14", "lobes", 11, 14, 3.0, (HELO, SHIP, BOAT)),
)
"""The benchmark's instances (the test takes some of them)."""


@dataclass(frozen=True)
class Comparison:
    """The heuristic and the exhaustive best on one instance."""

    instance: Instance
    lattice: tuple[int, int]  # cells along, across the axis
    cell_nm: float
    heuristic: float
    best: float
    plan: dict[int, Block]
    heuristic_s: float
    exhaustive_s: float

    @property
    def gap(self) -> float:
        """``1 - heuristic / best`` (0 where the best is 0)."""
        return 1.0 - self.heuristic / self.best if self.best > 0 else 0.0


def compare(instance: Instance) -> Comparison:
    """Run the heuristic (one rectangle per unit) and the exhaustive search on ``instance``."""
    grid = instance.grid()
    units = instance.units(grid)
    lat, cell_nm = search_lattice(grid)
    begin = time.perf_counter()
    heuristic = heuristic_pos(grid, units)
    middle = time.perf_counter()
    best, plan = best_one_rectangle_each(lat, units, cell_nm)
    end = time.perf_counter()
    return Comparison(instance, (lat.na, lat.nb), cell_nm, heuristic, best, plan,
                      middle - begin, end - middle)


def main() -> int:
    """Print the comparison on :data:`INSTANCES` as a markdown table."""
    print("| instance | lattice | cell (NM) | units | coverage | heuristic POS | exhaustive POS "
          "| gap (%) | heuristic (s) | exhaustive (s) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    worst = 0.0
    begin = time.perf_counter()
    for instance in INSTANCES:
        c = compare(instance)
        worst = max(worst, c.gap)
        print(f"| {instance.name} | {c.lattice[0]} x {c.lattice[1]} | {c.cell_nm:.3g} "
              f"| {len(instance.fleet)} | {instance.coverage:g} | {c.heuristic:.5f} "
              f"| {c.best:.5f} | {100 * c.gap:.2f} | {c.heuristic_s:.2f} "
              f"| {c.exhaustive_s:.2f} |", flush=True)
    print()
    print(f"worst gap {100 * worst:.2f} % (target <= 2 %); "
          f"{time.perf_counter() - begin:.1f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
