"""Running an ensemble in chunks of particles and blocks of time, on one machine or as tasks.

:func:`run_local` drives the kernel over fixed chunks of particles and, when
the forcing comes in time blocks, over the blocks (the outer loop, so each
block's forcing is read once). :func:`drift_chunk` runs one chunk through every
block by itself: the unit of work a Dask task does
(:mod:`sarkit.drift.distributed`). Both give the same numbers to the bit as one
kernel call over everything, because the kernel keys its random numbers by
particle id and global step and carries the particle state between calls.
"""

from __future__ import annotations

import ctypes
import mmap
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, fields

import numpy as np

from sarkit.drift import kernel_args, kernels
from sarkit.drift.blocks import block_forcing
from sarkit.drift.random import STREAM_LEEWAY, STREAM_SWITCH, normal_pairs, uniforms
from sarkit.drift.status import Status
from sarkit.forcing.grid import ForcingGrid

__all__ = ["Chunk", "Outputs", "RunSpec", "drift_chunk", "hazard_draws", "leeway_draws",
           "reduce_chunk", "run_local"]


@dataclass(frozen=True, eq=False)
class RunSpec:
    """Everything of a run that is the same for every chunk (checked by ``simulate``)."""

    table: np.ndarray  # (n_classes, 9) leeway coefficients, SI
    seed: int
    t0: float  # time of global step 0, epoch seconds
    step: float  # signed step, seconds
    n_steps: int
    every: int  # output interval, steps
    jibe_step: float  # jibe probability per step
    walk_std: float  # random-walk metres per axis per step
    land_params: tuple
    land: np.ndarray
    blocks: tuple  # ((first, last), ...) global steps
    final_only: bool  # keep only the last output time
    bbox: tuple | None  # box sources are loaded over
    # object transitions (sarkit.drift.transitions.transition_table); no rows: none
    transitions: np.ndarray = field(default_factory=lambda: np.zeros((0, 5)))
    # leeway perturbations that vary in time (kernel_args.Settings.leeway_memory); None: drawn
    # once
    leeway_memory: np.ndarray | None = None

    @property
    def switching(self) -> bool:
        """Whether the run has object transitions."""
        return self.transitions.shape[0] > 0

    @property
    def n_outputs(self) -> int:
        """Output times kept per particle."""
        if self.final_only:
            return 1
        return int(np.unique(np.append(np.arange(0, self.n_steps + 1, self.every),
                                       self.n_steps)).size)

    def window(self, block: tuple[int, int]) -> tuple[float, float]:
        """(time of the block's first step, time of its last), epoch seconds."""
        return self.t0 + block[0] * self.step, self.t0 + block[1] * self.step


@dataclass(frozen=True, eq=False)
class Chunk:
    """The particles ``lo..hi`` of the ensemble: what a chunk needs of them."""

    lo: int
    lon: np.ndarray
    lat: np.ndarray
    release: np.ndarray
    class_index: np.ndarray
    scenario: np.ndarray
    global_ids: np.ndarray | None = None  # a part of an ensemble: its particles' ids

    @classmethod
    def of(cls, particles, lo: int, hi: int) -> Chunk:
        """Views of ``particles`` (:class:`~sarkit.drift.seeding.Particles`) ``lo..hi``."""
        ids = None if particles.global_ids is None else particles.global_ids[lo:hi]
        return cls(lo, particles.lon[lo:hi], particles.lat[lo:hi], particles.release[lo:hi],
                   particles.object_index[lo:hi], particles.scenario[lo:hi], ids)

    @property
    def size(self) -> int:
        """Number of particles."""
        return int(self.lon.size)

    @property
    def ids(self) -> np.ndarray:
        """Global particle ids (the key of their random numbers)."""
        if self.global_ids is not None:
            return self.global_ids
        return np.arange(self.lo, self.lo + self.size, dtype=np.int64)


def _small_pages(shape: tuple[int, int], dtype) -> np.ndarray:
    """An empty array whose memory the OS maps with small pages (Linux; elsewhere as is).

    numpy asks Linux for transparent huge pages for large arrays; where the kernel
    defragments memory to find them at the first write (the default "madvise" policy),
    the drift kernel's output writes stall unpredictably (0.35 to 0.55 s for the same
    run). The outputs are written once, in order, so small pages cost nothing.
    """
    array = np.empty(shape, dtype)
    if _MADVISE is not None and array.nbytes >= 4 * _PAGE:
        start = -(-array.ctypes.data // _PAGE) * _PAGE  # whole pages inside the array
        stop = (array.ctypes.data + array.nbytes) // _PAGE * _PAGE
        _MADVISE(ctypes.c_void_p(start), ctypes.c_size_t(stop - start), _MADV_NOHUGEPAGE)
    return array


def _madvise():
    """libc's madvise where there is one (Linux), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.madvise
    except (OSError, AttributeError):
        return None
    function.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    function.restype = ctypes.c_int
    return function


_MADVISE = _madvise()
_MADV_NOHUGEPAGE = 15  # <sys/mman.h> on Linux
_PAGE = mmap.PAGESIZE


@dataclass(frozen=True, eq=False)
class Outputs:
    """Positions, status and crosswind side per particle and kept output time.

    Stored time-major: each array of ``by_time`` is (times, all particles), C-contiguous,
    so that the kernel writes an output time as one run of memory; these outputs are the
    particles ``first .. first + count`` of them. ``lon``, ``lat``, ``status`` and ``side``
    are (particles, times) views, the CF trajectory layout.
    """

    by_time: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    first: int
    count: int
    # (2, all particles): each one's transition step and class (-1: none); None in a run
    # without transitions
    switches: np.ndarray | None = None

    @classmethod
    def empty(cls, count: int, times: int, switching: bool = False) -> Outputs:
        """Outputs of ``count`` particles at ``times`` output times (and their object
        transitions where ``switching``)."""
        shape = (times, count)
        return cls((_small_pages(shape, np.float64), _small_pages(shape, np.float64),
                    _small_pages(shape, np.int8), _small_pages(shape, np.int8)), 0, count,
                   np.full((2, count), -1, dtype=np.int32) if switching else None)

    def _view(self, k: int) -> np.ndarray:
        return self.by_time[k][:, self.first:self.first + self.count].T

    @property
    def lon(self) -> np.ndarray:
        """Longitudes (particles, times)."""
        return self._view(0)

    @property
    def lat(self) -> np.ndarray:
        """Latitudes (particles, times)."""
        return self._view(1)

    @property
    def status(self) -> np.ndarray:
        """Status codes (particles, times)."""
        return self._view(2)

    @property
    def side(self) -> np.ndarray:
        """Crosswind side, +1 right / -1 left (particles, times)."""
        return self._view(3)

    @property
    def switch_step(self) -> np.ndarray:
        """Global step from which each particle has the class it switched to (an object
        transition), -1 where it did not switch (particles,)."""
        if self.switches is None:
            return np.full(self.count, -1, dtype=np.int32)
        return self.switches[0, self.first:self.first + self.count]

    @property
    def switch_to(self) -> np.ndarray:
        """The class row each particle switched to, -1 where it did not (particles,)."""
        if self.switches is None:
            return np.full(self.count, -1, dtype=np.int32)
        return self.switches[1, self.first:self.first + self.count]

    def keep_switches(self, switch_step: np.ndarray, switch_to: np.ndarray) -> None:
        """Store the particles' transitions (a state's or another output's); nothing in a
        run without transitions."""
        if self.switches is not None:
            self.switches[0, self.first:self.first + self.count] = switch_step
            self.switches[1, self.first:self.first + self.count] = switch_to

    def rows(self, lo: int, hi: int) -> Outputs:
        """The outputs of particles ``lo..hi`` (of these), sharing the storage."""
        return Outputs(self.by_time, self.first + lo, hi - lo, self.switches)

    def put(self, columns: slice, source: Outputs, source_columns: slice) -> None:
        """Copy ``source``'s columns into ours."""
        for name in ("lon", "lat", "status", "side"):
            getattr(self, name)[:, columns] = getattr(source, name)[:, source_columns]


@dataclass(frozen=True, eq=False)
class _State:
    """What the kernel carries from one block to the next, per particle."""

    chunk: Chunk
    lon: np.ndarray
    lat: np.ndarray
    status: np.ndarray
    side: np.ndarray
    next_jibe: np.ndarray
    prev_dlon: np.ndarray  # the multistep method's last velocity (degrees/s), NaN: none yet
    prev_dlat: np.ndarray
    r_down: np.ndarray
    r_cross: np.ndarray
    class_index: np.ndarray  # the class now (it changes at a transition)
    hazard_left: np.ndarray  # transition hazard still to accumulate; inf: never switches
    switch_step: np.ndarray  # global step from which the new class holds, -1: none
    switch_to: np.ndarray  # the class switched to, -1: not drawn

    @classmethod
    def start(cls, spec: RunSpec, chunk: Chunk) -> _State:
        ids = chunk.ids
        r_down, r_cross = leeway_draws(ids, chunk.class_index, spec.table, spec.seed)
        waiting = chunk.release > spec.t0 if spec.step > 0 else chunk.release < spec.t0
        status = np.where(waiting, Status.NOT_RELEASED, Status.ACTIVE).astype(np.int8)
        side = np.where(ids % 2 == 0, 1, -1).astype(np.int8)
        next_jibe = np.full(chunk.size, -1, dtype=np.int64)  # drawn at each release
        return cls(chunk, chunk.lon.copy(), chunk.lat.copy(), status, side, next_jibe,
                   np.full(chunk.size, np.nan), np.full(chunk.size, np.nan), r_down, r_cross,
                   chunk.class_index.astype(np.int32), hazard_draws(ids, spec),
                   np.full(chunk.size, -1, dtype=np.int32),
                   np.full(chunk.size, -1, dtype=np.int32))

    def rows(self, lo: int, hi: int) -> _State:
        """The state of particles ``lo..hi`` (of these): views, sharing the arrays."""
        c = self.chunk
        part = Chunk(c.lo + lo, c.lon[lo:hi], c.lat[lo:hi], c.release[lo:hi],
                     c.class_index[lo:hi], c.scenario[lo:hi])
        arrays = (getattr(self, f.name)[lo:hi] for f in fields(self) if f.name != "chunk")
        return _State(part, *arrays)


def hazard_draws(ids: np.ndarray, spec: RunSpec) -> np.ndarray:
    """Per-particle hazard to accumulate before a transition: exponential numbers (mean 1)
    keyed by the particle id (:data:`~sarkit.drift.random.STREAM_SWITCH`, step 0); inf for
    every particle of a run without transitions (nothing drawn)."""
    if not spec.switching:
        return np.full(ids.size, np.inf)
    return -np.log(uniforms(spec.seed, ids, 0, STREAM_SWITCH))


def leeway_draws(ids: np.ndarray, class_index: np.ndarray, table: np.ndarray, seed: int):
    """Per-particle standard normals (r_down, r_cross), drawn once; r_down redrawn while the
    perturbed downwind slope would be negative. Each particle's draws depend on its id
    only, never on the other particles of the chunk."""
    draws = normal_pairs(seed, ids, 0, STREAM_LEEWAY)
    r_down, r_cross = draws[:, 0].copy(), draws[:, 1].copy()
    coefficients = table[class_index]
    bad = coefficients[:, 0] + r_down * coefficients[:, 2] / 20.0 < 0
    attempt = 1
    while bad.any():
        r_down[bad] = normal_pairs(seed, ids[bad], attempt, STREAM_LEEWAY)[:, 0]
        bad = coefficients[:, 0] + r_down * coefficients[:, 2] / 20.0 < 0
        attempt += 1
    return r_down, r_cross


def _field(grid: ForcingGrid) -> kernel_args.Field:
    """A loaded grid as the kernel reads it: its model's own grid where it has one."""
    times = np.ascontiguousarray(grid.time)
    if grid.native is not None:
        mesh = grid.native.mesh
        return kernel_args.Field(*mesh.lookup, times, grid.native.east, grid.native.north,
                                 mesh.xyz, mesh.cells)
    return kernel_args.Field(float(grid.lon[0]), float(grid.lat[0]), grid.dlon, grid.dlat,
                             times, grid.east, grid.north)


def _local_steps(spec: RunSpec, length: int) -> int:
    """Output interval of a block's kernel call: every step kept, or just its two ends."""
    return max(length, 1) if spec.final_only else spec.every


def run_block(spec: RunSpec, state: _State, block: tuple[int, int], grids, out: Outputs) -> None:
    """Advance ``state`` through ``block`` with its forcing ``grids`` (currents, winds) and
    write the block's output times into ``out`` (rows of these particles)."""
    first, last = block
    length = last - first
    every = _local_steps(spec, length)
    times = int(np.unique(np.append(np.arange(0, length + 1, every), length)).size)
    whole = first == 0 and last == spec.n_steps and not spec.final_only
    target = out if whole else Outputs.empty(state.chunk.size, times)
    c = state.chunk
    particles = kernel_args.ParticleState(
        lon=state.lon, lat=state.lat, status=state.status, release=c.release, side=state.side,
        next_jibe=state.next_jibe, prev_dlon=state.prev_dlon, prev_dlat=state.prev_dlat,
        class_index=state.class_index, r_down=state.r_down, r_cross=state.r_cross, ids=c.ids,
        hazard_left=state.hazard_left, switch_step=state.switch_step,
        switch_to=state.switch_to)
    forcing = kernel_args.Fields(current=_field(grids[0]), wind=_field(grids[1]),
                                 land=kernel_args.Land(*spec.land_params, spec.land))
    settings = kernel_args.Settings(
        classes=spec.table, seed=spec.seed, start=spec.t0 + first * spec.step,
        first_step=first, dt=spec.step, n_steps=length, output_every=every,
        jibe_step=spec.jibe_step, walk_std=spec.walk_std,
        transitions=spec.transitions if spec.switching else None,
        leeway_memory=spec.leeway_memory)
    outputs = kernel_args.OutputArrays(*target.by_time, first=target.first)
    shared = kernel_args.same_grid(forcing.current, forcing.wind)
    kernels.drift(particles, forcing, settings, outputs, True if shared else None,
                  None if shared else True)
    if whole:
        return
    if spec.final_only:
        if last == spec.n_steps:
            out.put(slice(0, 1), target, slice(times - 1, times))
        return
    slot = first // spec.every  # blocks start on output steps
    out.put(slice(slot, slot + times), target, slice(0, times))


def _grids(spec: RunSpec, block, currents, winds):
    start, stop = spec.window(block)
    return (block_forcing(currents, spec.bbox, start, stop),
            block_forcing(winds, spec.bbox, start, stop))


def drift_chunk(spec: RunSpec, chunk: Chunk, currents, winds, first=None,
                out: Outputs | None = None) -> Outputs:
    """Run one chunk of particles through the whole run, block by block.

    Parameters
    ----------
    spec : RunSpec
        The run's settings, shared by every chunk.
    chunk : Chunk
        The particles to move.
    currents, winds : ForcingGrid or source
        The forcing; each block's records are cut or loaded from it.
    first : (ForcingGrid, ForcingGrid), optional
        The first block's forcing, already loaded.
    out : Outputs, optional
        Where to write (rows of this chunk); new arrays by default.

    Returns
    -------
    Outputs
        (chunk size, kept output times).
    """
    out = Outputs.empty(chunk.size, spec.n_outputs, spec.switching) if out is None else out
    state = _State.start(spec, chunk)
    for b, block in enumerate(spec.blocks):
        grids = first if b == 0 and first is not None else _grids(spec, block, currents, winds)
        run_block(spec, state, block, grids, out)
    out.keep_switches(state.switch_step, state.switch_to)
    return out


def reduce_chunk(spec: RunSpec, chunk: Chunk, currents, winds, reducer, first=None):
    """Run one chunk (:func:`drift_chunk`) and keep only ``reducer.reduce(chunk, outputs)``."""
    return reducer.reduce(chunk, drift_chunk(spec, chunk, currents, winds, first))


def run_local(spec: RunSpec, particles, currents, winds, loaded: list, size: int,
              progress: Callable[[int, int], None] | None = None, reducer=None):
    """Run the ensemble here, in chunks of ``size`` particles.

    With one time block each chunk runs the whole run and only its own state
    is held; with several, the blocks are the outer loop (each block's
    forcing read once) and the state of every particle is held between them.
    ``loaded`` holds the first block's (currents, winds) grids, already
    loaded; it is emptied, so that they are freed after the first block.
    With a ``reducer`` each chunk's outputs are reduced as soon as they are
    made (one block) and the list of the reductions, in chunk order, is
    returned instead of the outputs.
    """
    n = particles.count
    first = loaded.pop()
    if reducer is not None and len(spec.blocks) == 1:
        parts = []
        for lo in range(0, n, size):
            hi = min(lo + size, n)
            parts.append(reduce_chunk(spec, Chunk.of(particles, lo, hi), currents, winds,
                                      reducer, first))
            if progress is not None:
                progress(hi, n)
        return parts
    out = Outputs.empty(n, spec.n_outputs, spec.switching)
    if len(spec.blocks) == 1:
        for lo in range(0, n, size):
            hi = min(lo + size, n)
            drift_chunk(spec, Chunk.of(particles, lo, hi), currents, winds, first,
                        out.rows(lo, hi))
            if progress is not None:
                progress(hi, n)
        return out
    state = _State.start(spec, Chunk.of(particles, 0, n))
    for b, block in enumerate(spec.blocks):
        grids = first if b == 0 else _grids(spec, block, currents, winds)
        first = None
        for lo in range(0, n, size):
            hi = min(lo + size, n)
            run_block(spec, state.rows(lo, hi), block, grids, out.rows(lo, hi))
            if progress is not None:
                progress((b * n + hi) // len(spec.blocks), n)
        del grids
    out.keep_switches(state.switch_step, state.switch_to)
    if reducer is not None:
        return [reducer.reduce(Chunk.of(particles, lo, min(lo + size, n)),
                               out.rows(lo, min(lo + size, n))) for lo in range(0, n, size)]
    return out
