"""Integer POC counts: very many particles to a final POC map without keeping their positions.

:func:`poc_counts` drifts the ensemble chunk by chunk (here or as Dask tasks)
and counts where each chunk ends, per scenario, in the square equal-area cells
of a fixed lattice; the counts of the chunks add up exactly (integers), in any
order, on any number of workers. :meth:`CellCounts.to_poc_grid` makes them a
:class:`~sarkit.poc.grid.PocGrid` for :func:`~sarkit.poc.areas.search_areas`.

The lattice (a Lambert azimuthal equal-area projection centred on the cloud,
cells anchored at its centre, as :func:`~sarkit.poc.grid.poc_grid` makes it)
must be fixed before the run: give it, or let a pilot run of an even subset
of the particles choose it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from pyproj import CRS

from sarkit.drift.ensemble import Chunk, Outputs
from sarkit.drift.status import Status
from sarkit.errors import BadValueError
from sarkit.geodesy import transformer
from sarkit.units import NAUTICAL_MILE

__all__ = ["PILOT_PARTICLES", "CellCounter", "CellCounts", "Lattice", "poc_counts"]

PILOT_PARTICLES = 20_000
"""Particles of the pilot run that places the lattice when none is given."""

_SEA = (int(Status.ACTIVE), int(Status.NOT_RELEASED))
_OFFSET = 1 << 20  # cell indices within +-2^20 cells of the centre
_SHIFT = 21


@dataclass(frozen=True)
class Lattice:
    """Square cells of ``cell_nm`` on the equal-area projection centred at (lon0, lat0)."""

    lon0: float
    lat0: float
    cell_nm: float

    def __post_init__(self) -> None:
        for name in ("lon0", "lat0", "cell_nm"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
                    value):
                raise BadValueError(f"lattice {name} {value!r} is not a finite number",
                                    "give the centre in degrees and the cell side in NM")
        if not -90.0 <= self.lat0 <= 90.0 or self.cell_nm <= 0.0:
            raise BadValueError(
                f"lattice centre latitude {self.lat0} or cell {self.cell_nm} NM is out of range",
                "give a latitude from -90 to 90 and a positive cell side, e.g. 0.5 NM")

    @property
    def crs(self) -> CRS:
        """The ``+proj=laea`` projection (metres)."""
        return CRS.from_proj4(
            f"+proj=laea +lat_0={self.lat0:.10f} +lon_0={self.lon0:.10f} +x_0=0 +y_0=0 "
            "+ellps=WGS84 +units=m +no_defs")

    @property
    def cell_m(self) -> float:
        """Cell side in metres."""
        return self.cell_nm * NAUTICAL_MILE

    def cells(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(column, row) cell indices of points, counted from the projection centre."""
        x, y = transformer("EPSG:4326", self.crs).transform(lon, lat)
        return (np.floor(np.asarray(x) / self.cell_m).astype(np.int64),
                np.floor(np.asarray(y) / self.cell_m).astype(np.int64))


@dataclass(frozen=True, eq=False)
class CellCounts:
    """Sea particles per scenario and cell at the end of a run, and statuses per scenario.

    Attributes
    ----------
    lattice : Lattice
    i0, j0 : int
        Cell indices (from the projection centre) of ``counts[:, 0, 0]``.
    counts : numpy.ndarray
        (n_scenarios, ny, nx) int64: particles at sea in each cell.
    statuses : numpy.ndarray
        (n_scenarios, n_statuses) int64: particles per scenario and status
        (columns in :class:`~sarkit.drift.status.Status` order).
    particle_weight : numpy.ndarray
        (n_scenarios,) the weight of one particle of each scenario.
    valid_time : numpy.datetime64
        The end of the run.
    """

    lattice: Lattice
    i0: int
    j0: int
    counts: np.ndarray
    statuses: np.ndarray
    particle_weight: np.ndarray
    valid_time: np.datetime64

    @property
    def poc(self) -> np.ndarray:
        """POC per cell (ny, nx), summing to 1 over the sea cells."""
        sums = np.tensordot(self.particle_weight, self.counts, axes=1)
        return sums / sums.sum()

    def status_counts(self) -> dict[str, int]:
        """Particles per status label; they add up to the number of particles."""
        return {s.label: int(self.statuses[:, i].sum()) for i, s in enumerate(Status)}

    def to_poc_grid(self):
        """The counts as a :class:`~sarkit.poc.grid.PocGrid` (for search areas).

        The datum and spread are those of the cell centres (exact to within a
        cell); stranded particles are counted but their positions not kept.
        """
        from sarkit.poc.grid import PocGrid

        lattice, cell_m = self.lattice, self.lattice.cell_m
        poc = self.poc
        poc.setflags(write=False)
        ny, nx = poc.shape
        x = (self.i0 + np.arange(nx) + 0.5) * cell_m
        y = (self.j0 + np.arange(ny) + 0.5) * cell_m
        px, py = poc.sum(axis=0), poc.sum(axis=1)
        mx, my = float(px @ x), float(py @ y)
        cxx = float(px @ (x - mx) ** 2)
        cyy = float(py @ (y - my) ** 2)
        cxy = float(((y - my)[:, None] * (x - mx)[None, :] * poc).sum())
        values, vectors = np.linalg.eigh(np.array([[cxx, cxy], [cxy, cyy]]))
        minor, major = (math.sqrt(max(float(v), 0.0)) for v in values)
        datum_lon, datum_lat = transformer(lattice.crs, "EPSG:4326").transform(mx, my)
        weights = self.statuses * self.particle_weight[:, None]
        total = float(weights.sum())
        column = {s: i for i, s in enumerate(Status)}
        sea = sum(float(weights[:, column[s]].sum()) for s in (Status.ACTIVE,
                                                                Status.NOT_RELEASED))
        unaccounted = sum(float(weights[:, column[s]].sum()) for s in (Status.LEFT_DOMAIN,
                                                                        Status.OUT_OF_TIME))
        stranded = float(weights[:, column[Status.STRANDED]].sum())
        empty = np.empty((0, 2))
        empty.setflags(write=False)
        return PocGrid(
            crs=lattice.crs, x0=self.i0 * cell_m, y0=self.j0 * cell_m, cell_m=cell_m, poc=poc,
            valid_time=self.valid_time, counts=self.status_counts(),
            sea_weight=sea / total, renormalisation=total / sea,
            stranded_weight=stranded / total, stranded_lonlat=empty,
            stranded_weights=np.empty(0), unaccounted_weight=unaccounted / total,
            datum_lon=float(datum_lon), datum_lat=float(datum_lat),
            spread_major_nm=major / NAUTICAL_MILE, spread_minor_nm=minor / NAUTICAL_MILE,
            spread_axis_deg=math.degrees(math.atan2(*vectors[:, 1])) % 180.0,
        )


@dataclass(frozen=True, eq=False)
class CellCounter:
    """What a chunk keeps of its final output: sparse integer counts per scenario and cell."""

    lattice: Lattice
    particle_weight: np.ndarray  # (n_scenarios,)

    @property
    def n_scenarios(self) -> int:
        """Number of scenarios."""
        return int(self.particle_weight.size)

    def reduce(self, chunk: Chunk, out: Outputs):
        """(cell keys, counts, statuses) of a chunk's last output time."""
        status = out.status[:, -1]
        scenario = chunk.scenario.astype(np.int64)
        statuses = np.zeros((self.n_scenarios, len(Status)), dtype=np.int64)
        for i, s in enumerate(Status):
            statuses[:, i] = np.bincount(scenario[status == int(s)], minlength=self.n_scenarios)
        sea = np.isin(status, _SEA)
        col, row = self.lattice.cells(out.lon[sea, -1], out.lat[sea, -1])
        if col.size and max(np.abs(col).max(), np.abs(row).max()) >= _OFFSET:
            raise BadValueError("particles end more than 2^20 cells from the lattice centre",
                                "give a larger cell or a centre nearer the cloud")
        keys = (((scenario[sea] << _SHIFT) + (row + _OFFSET)) << _SHIFT) + (col + _OFFSET)
        keys, counts = np.unique(keys, return_counts=True)
        return keys, counts.astype(np.int64), statuses

    def combine(self, parts, valid_time) -> CellCounts:
        """Add the chunks' counts (exact: integers) into a dense :class:`CellCounts`."""
        keys = np.concatenate([p[0] for p in parts])
        counts = np.concatenate([p[1] for p in parts])
        statuses = np.sum([p[2] for p in parts], axis=0)
        mask = (1 << _SHIFT) - 1
        col = (keys & mask) - _OFFSET
        row = ((keys >> _SHIFT) & mask) - _OFFSET
        scenario = keys >> (2 * _SHIFT)
        if keys.size == 0:
            raise BadValueError("no particle is at sea at the end of the run: there is no "
                                "search area", "run a shorter drift or search the shoreline")
        i0, j0 = int(col.min()), int(row.min())
        dense = np.zeros((self.n_scenarios, int(row.max()) - j0 + 1, int(col.max()) - i0 + 1),
                         dtype=np.int64)
        np.add.at(dense, (scenario, row - j0, col - i0), counts)
        dense.setflags(write=False)
        return CellCounts(self.lattice, i0, j0, dense, statuses, self.particle_weight,
                          np.datetime64(valid_time, "ns"))


def _particle_weights(particles) -> np.ndarray:
    """The one weight of each scenario's particles; refused where they differ."""
    weights = np.zeros(len(particles.scenarios))
    for s in range(len(particles.scenarios)):
        mine = particles.weight[particles.scenario == s]
        if mine.size and not (mine == mine[0]).all():
            raise BadValueError(
                f"the particles of scenario {particles.scenarios[s]!r} carry different weights, "
                "which integer counts cannot hold",
                "use simulate(..., keep='final') and poc_grid for weighted particles")
        weights[s] = mine[0] if mine.size else 0.0
    return weights


def poc_counts(particles, currents, winds, *, lattice: Lattice | None = None,
               pilot: int = PILOT_PARTICLES, **run) -> CellCounts:
    """Drift very many particles to integer counts per POC cell at the end of the run.

    Only the counts are kept: memory is the particles themselves (about 40
    bytes each) and one chunk's working arrays; on Dask (``scheduler=``) each
    task returns its chunk's counts and they add up exactly, so the result is
    the same to the bit as here.

    Parameters
    ----------
    particles : Particles
        Equal weights within each scenario (as seeding makes them).
    currents, winds : ForcingGrid or source
        As :func:`~sarkit.drift.simulate.simulate`.
    lattice : Lattice, optional
        The cells. By default a pilot run of ``pilot`` particles (an even
        subset of the ensemble) places it: centred on their datum, the cell
        from their spread and the full count (:func:`~sarkit.poc.grid.choose_cell_nm`).
    pilot : int
        Particles of that pilot run.
    **run
        Settings of :func:`~sarkit.drift.simulate.simulate` (duration_hours,
        seed, land, chunk_size, time_block_hours, scheduler ...).

    Returns
    -------
    CellCounts
        ``.poc`` per cell, ``.to_poc_grid()`` for search areas.
    """
    from sarkit.drift.simulate import simulate

    if "keep" in run:
        raise BadValueError("poc_counts keeps only counts: keep= is not an option of it",
                            "leave keep out, or call simulate(..., keep=...) instead")
    weights = _particle_weights(particles)
    if lattice is None:
        lattice = _pilot_lattice(particles, currents, winds, pilot, run)
    elif not isinstance(lattice, Lattice):
        raise BadValueError(f"lattice {lattice!r} is not a Lattice",
                            "give Lattice(lon0, lat0, cell_nm) or leave it out")
    return simulate(particles, currents, winds, keep=CellCounter(lattice, weights), **run)


def _pilot_lattice(particles, currents, winds, pilot: int, run: dict) -> Lattice:
    from sarkit.drift.seeding import Particles
    from sarkit.drift.simulate import simulate
    from sarkit.poc.grid import choose_cell_nm, poc_grid

    if isinstance(pilot, bool) or not isinstance(pilot, int | np.integer) or pilot < 1:
        raise BadValueError(f"pilot {pilot!r} is not a positive whole number of particles",
                            f"give e.g. {PILOT_PARTICLES}, or a lattice")
    # an even subset of the ensemble (every scenario), with ids of its own: only a guide
    pick = np.unique(np.linspace(0, particles.count - 1, min(int(pilot), particles.count)
                                 ).astype(np.int64))
    first = Particles(particles.lon[pick], particles.lat[pick], particles.release[pick],
                      particles.objects, particles.object_index[pick],
                      particles.scenario[pick], particles.scenarios, particles.weight[pick])
    settings = {k: v for k, v in run.items() if k not in ("progress", "scheduler", "chunk_size")}
    grid = poc_grid(simulate(first, currents, winds, keep="final", **settings))
    cell = choose_cell_nm(grid.spread_major_nm, grid.spread_minor_nm,
                          round(particles.count * grid.sea_weight))
    return Lattice(grid.datum_lon, grid.datum_lat, cell)
