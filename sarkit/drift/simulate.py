"""simulate(): drift an ensemble through the forcing and return its trajectories.

The checked public wrapper around :func:`sarkit.drift.kernels.drift`: it checks
the inputs (particles at sea and inside the forcing, times inside it, memory),
draws each particle's leeway perturbation, runs the kernel (in chunks if asked:
the result is the same bit for bit) and packs the result as an xarray Dataset in
the CF trajectory layout.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import xarray as xr

from sarkit.drift.blocks import (
    FORCING_MEMORY_SHARE,
    ForcingSource,
    auto_block_hours,
    block_forcing,
    check_block_hours,
    plan_blocks,
)
from sarkit.drift.coast import LandMask, land_mask
from sarkit.drift.ensemble import RunSpec, run_local
from sarkit.drift.leeway import JIBE_PROBABILITY_PER_HOUR
from sarkit.drift.random import check_seed
from sarkit.drift.seeding import Particles, available_memory, reach_box
from sarkit.drift.status import Status
from sarkit.drift.transitions import Transition, transition_table
from sarkit.errors import BadValueError, ForcingCoverageError, SarkitError, checked_number
from sarkit.forcing.grid import ForcingGrid
from sarkit.forcing.request import check_time
from sarkit.positions import format_box, format_position
from sarkit.times import format_time

__all__ = ["DEFAULT_DIFFUSIVITY", "MAX_LEEWAY_CORRELATION_HOURS", "TRAJECTORIES_LIMIT_BYTES",
           "SeedError", "check_run_steps", "describe_counts", "keep_for", "land_for_run",
           "leeway_memory", "simulate", "status_counts"]

DEFAULT_DIFFUSIVITY = 5.0
"""Horizontal diffusivity of the random walk, m^2/s.

Stands for current variability the forcing does not resolve; Okubo's (1971)
diffusion diagram gives about 1-10 m^2/s at the 1-10 km scales of regional
ocean models. Set 0 for a purely deterministic current + leeway drift.
"""

BYTES_PER_OUTPUT = 8 + 8 + 1 + 1
"""Memory per particle per output time (lon, lat float64; status, side int8)."""

BYTES_PER_PARTICLE = 168
"""Memory per particle besides the outputs: seeds, state, leeway draws and coefficients,
next jibe step, last velocity, and the class, hazard left and switch of object transitions
(20 B; 8 more in the outputs of a run with transitions) (rounded up)."""

BYTES_PER_PARTICLE_FINAL = 160
"""Peak memory per particle of a ``keep="final"`` run, the particles themselves excluded:
the kept final output (18 B), the returned Dataset's per-trajectory variables (release
time, class id text, scenario, trajectory number: ~40 B), the state carried between time
blocks (lon, lat, status, side, next jibe, last velocity, leeway draws: 58 B) and the
working arrays of one chunk, rounded up (measured with :mod:`tracemalloc` on such runs)."""

FINAL_CHUNK_SIZE = 1 << 17
"""Particles per chunk of a ``keep="final"`` run when no chunk size is given."""

KEEP = ("all", "final")
"""What a run keeps: every output time, or only the last (memory-bounded)."""


class SeedError(SarkitError, ValueError):
    """Particles start where they cannot drift: on land, outside the forcing, outside its time."""


def _coefficient_table(objects) -> np.ndarray:
    return np.array(
        [[o.downwind_slope, o.downwind_offset, o.downwind_std,
          o.right_slope, o.right_offset, o.right_std,
          o.left_slope, o.left_offset, o.left_std] for o in objects],
        dtype=np.float64,
    )


def _check_start(particles: Particles, currents, winds, land: LandMask | None, start, stop,
                 spans):
    """Particles inside the grids and at sea; the run inside the forcing's times ``spans``."""
    for grid, times in zip((currents, winds), spans, strict=True):
        outside = ~grid.covers(particles.lon, particles.lat)
        if outside.any():
            i = int(np.flatnonzero(outside)[0])
            model = "" if grid.native is None else " where its model grid reaches"
            raise SeedError(
                f"{outside.sum()} of {particles.count} particles start outside the "
                f"{grid.quantity.value} forcing (e.g. at "
                f"{format_position(particles.lon[i], particles.lat[i])}; it covers "
                f"{format_box(grid.bbox, 2)}{model})",
                "move the last known position or use forcing that covers it",
            )
        if times.size > 1:
            first, last = times[0], times[-1]
            if min(start, stop) < first - 1 or max(start, stop) > last + 1:
                raise ForcingCoverageError(
                    f"the run {format_time(start)} .. {format_time(stop)} is outside the "
                    f"{grid.quantity.value} forcing, which covers {format_time(first)} .. "
                    f"{format_time(last)}",
                    "shorten the run, change its start, or add forcing that covers it",
                )
    if land is not None:
        on_land = land.contains(particles.lon, particles.lat)
        if on_land.any():
            i = int(np.flatnonzero(on_land)[0])
            raise SeedError(
                f"{on_land.sum()} of {particles.count} particles start on land (e.g. at "
                f"{format_position(particles.lon[i], particles.lat[i], 4)})",
                "move the last known position to sea, or reduce the radius",
            )


TRAJECTORIES_LIMIT_BYTES = 2 * 2**30
"""Largest trajectories (every output time) :func:`keep_for` keeps: 2 GiB, about 10^7
particle-records of every output; a larger file is not usable on an officer's laptop."""


def keep_for(count: int, outputs: int) -> str:
    """What a run of ``count`` particles and ``outputs`` output times should keep:
    ``"all"`` where every output time fits in :data:`TRAJECTORIES_LIMIT_BYTES` and half the
    free memory, else ``"final"`` (the last positions only).

    Parameters
    ----------
    count, outputs : int
        Particles and output times of the run.

    Returns
    -------
    str
        ``"all"`` or ``"final"``.
    """
    small = int(count) * int(outputs) * BYTES_PER_OUTPUT <= TRAJECTORIES_LIMIT_BYTES
    need, available = _memory(int(count), int(outputs), False)
    return "all" if small and (available is None or need <= 0.5 * available) else "final"


def _memory(count: int, outputs: int, final_only: bool) -> tuple[int, int | None]:
    """Bytes a run needs, and the free memory (None where the system does not say)."""
    if final_only:
        need = count * BYTES_PER_PARTICLE_FINAL
    else:
        need = count * (outputs * BYTES_PER_OUTPUT + BYTES_PER_PARTICLE)
    return need, available_memory()


def _check_memory(count: int, outputs: int, final_only: bool) -> None:
    need, available = _memory(count, outputs, final_only)
    fix = ("use fewer particles, or run them as Dask tasks on several machines (scheduler=)"
           if final_only else
           "use fewer particles or fewer output times (a larger output interval), or "
           "keep='final' to keep only the last positions")
    if available is not None and need > 0.5 * available:
        raise BadValueError(
            f"{count} particles x {outputs} output times need about {need / 2**30:.1f} GiB, "
            f"more than half the {available / 2**30:.1f} GiB of free memory", fix)


def _forcing_budget() -> float | None:
    """Bytes the forcing of a run may take before it goes in time blocks."""
    available = available_memory()
    return None if available is None else FORCING_MEMORY_SHARE * available


def _time_span(forcing, loaded: ForcingGrid) -> np.ndarray:
    """The times a forcing covers: a source's whole axis where it has one."""
    times = getattr(forcing, "time", None)
    if isinstance(times, np.ndarray) and times.ndim == 1 and times.size:
        return times
    return loaded.time


def _keep(keep) -> bool:
    """True for keep='final' or a reducer of the final output."""
    if callable(getattr(keep, "reduce", None)) and callable(getattr(keep, "combine", None)):
        return True
    if not isinstance(keep, str) or keep not in KEEP:
        raise BadValueError(f"keep={keep!r} is not one of {', '.join(map(repr, KEEP))}",
                            "keep='all' for every output time, 'final' for the last only "
                            "(memory-bounded)")
    return keep == "final"


def _seconds(minutes, name: str) -> float:
    value = float(minutes) * 60.0
    if not np.isfinite(value) or value <= 0:
        raise BadValueError(f"{name} {minutes!r} minutes is not positive",
                            f"give {name} in minutes, e.g. 10")
    return value


def simulate(
    particles: Particles,
    currents: ForcingGrid | ForcingSource,
    winds: ForcingGrid | ForcingSource,
    *,
    duration_hours: float | None = None,
    end=None,
    start=None,
    timestep_minutes: float = 10.0,
    output_every_minutes: float = 60.0,
    seed: int = 1,
    diffusivity_m2_s: float = DEFAULT_DIFFUSIVITY,
    jibe_probability_per_hour: float = JIBE_PROBABILITY_PER_HOUR,
    land: LandMask | str | None = "auto",
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    time_block_hours: float | None = None,
    keep: str = "all",
    scheduler=None,
    transitions: Sequence[Transition] = (),
    leeway_correlation_hours: float | None = None,
) -> xr.Dataset:
    """Drift particles with the current, their leeway and a random walk.

    Parameters
    ----------
    particles : Particles
        The ensemble, from :mod:`sarkit.drift.seeding`.
    currents, winds : ForcingGrid or source
        Surface current and 10 m wind: loaded grids, or sources
        (:func:`sarkit.forcing.open_forcing`, :class:`~sarkit.forcing.ConstantSource`
        ...) that are loaded over the box the particles can reach, one time
        block at a time.
    duration_hours : float, optional
        Length of the run; negative runs backward in time. Give this or ``end``.
    end : time, optional
        End of the run (UTC).
    start : time, optional
        Start of the run; default the earliest time of distress (the latest for
        a backward run). Particles wait at their start until their own time.
    timestep_minutes, output_every_minutes : float
        Model step and output interval; the output interval is rounded to a
        whole number of steps.
    seed : int
        Seed of every random number of the run.
    diffusivity_m2_s : float
        Horizontal diffusivity of the random walk (:data:`DEFAULT_DIFFUSIVITY`).
    jibe_probability_per_hour : float
        Chance per hour that an object switches side of downwind (4 % by default).
    land : LandMask, "auto" or None
        The coastline: ``"auto"`` rasterises the GSHHG coast over the current
        grid's box (cached on disk); None runs without land (open-ocean tests).
    chunk_size : int, optional
        Run the ensemble in chunks of this many particles (same result). Default
        one chunk; 131072 with ``keep="final"``; 100000 with a ``scheduler``.
    progress : callable, optional
        Called as ``progress(particles_done, particles_total)`` after each chunk
        (a progress bar; give a ``chunk_size`` to get more than one call).
    time_block_hours : float, optional
        Hold at most this many hours of forcing in memory: the run goes block by
        block, each block loading (or cutting) only the forcing records that
        cover it, overlapping the next by one record, for forcing larger than
        memory. The result equals one block's to the bit. Default: one block,
        unless sources' forcing over the run would take more than a quarter
        of the free memory (:data:`~sarkit.drift.blocks.FORCING_MEMORY_SHARE`),
        then blocks that fit in it.
    keep : {"all", "final"} or reducer
        ``"final"`` keeps only the last output time: memory is bounded by
        :data:`BYTES_PER_PARTICLE_FINAL` (160) bytes per particle besides the
        particles themselves (about 40 bytes) and one chunk's working arrays
        (measured: 110 B traced at 2e5 particles, 140 B with time blocks; 10^7
        particles seeded, drifted and mapped by ``poc_grid`` in 2.3 GB of peak
        process memory). For less, :func:`sarkit.poc.counts.poc_counts`
        keeps only integer counts per POC cell. The positions are
        the same to the bit as the last time of a ``"all"`` run. A reducer (as
        :func:`sarkit.poc.counts.poc_counts` passes) keeps
        ``keep.reduce(chunk, outputs)`` of each chunk's final output and the
        run returns ``keep.combine(reductions, end_time)``.
    scheduler : distributed.Client, str, optional
        Run the chunks as Dask tasks (``pip install "sarkit[dask]"``): a
        ``distributed.Client``, a scheduler address (``"tcp://host:8786"``), or
        ``"local"`` for a LocalCluster on this machine. Chunks are fixed by
        ``chunk_size`` (not by the number of workers), so the result equals the
        local run to the bit.
    transitions : sequence of Transition
        Classes the object may become on the way (:mod:`sarkit.drift.transitions`: a
        boat that capsizes becomes persons in the water): each particle switches at its own
        random time, keeping its position. Forward runs only. Without transitions (or
        with hazards of 0) the result is the same to the bit.
    leeway_correlation_hours : float, optional
        Let each particle's leeway perturbation vary in time: its two standard normals
        (downwind, crosswind) follow an Ornstein-Uhlenbeck process of unit variance with
        this correlation time, ``r(t + dt) = r(t) exp(-|dt|/T) + sqrt(1 - exp(-2|dt|/T))
        N(0, 1)``, so that under a wind that turns back and forth the cloud keeps spreading
        instead of gathering again. Default None: one draw per particle for the whole run
        (as SAROPS and OpenDrift do; not measured against drifters here, so not changed).
        The result stays the same to the bit in any chunking, time blocks or threads.

    Returns
    -------
    xarray.Dataset
        CF trajectory layout: ``lon``, ``lat``, ``status`` (trajectory, time),
        and per trajectory ``release_time``, ``object_class`` (the class it starts as),
        ``scenario``, ``weight``. With transitions also ``class_index`` (trajectory,
        time; its class at each output time, an index into the ``flag_meanings`` of class
        ids) and ``switch_time`` (trajectory; NaT where it did not switch). ``attrs`` hold
        the settings and the status counts at the end; :func:`status_counts` gives them at
        any time.

    Raises
    ------
    SarkitError
        For particles on land or outside the forcing, times outside it,
        nonsense settings, or an ensemble too big for memory.
    """
    seed = check_seed(seed)
    dt = _seconds(timestep_minutes, "time step")
    every = max(round(_seconds(output_every_minutes, "output interval") / dt), 1)
    t0, stop, backward = _run_window(particles, start, end, duration_hours)
    check_run_steps(t0, stop, timestep_minutes)
    n_steps = max(int(np.ceil(abs(stop - t0) / dt - 1e-9)), 1)
    step = -dt if backward else dt
    diffusivity = checked_number(diffusivity_m2_s, "diffusivity (m2/s)",
                           fix="give 0 or more, e.g. 5")
    jibe = checked_number(jibe_probability_per_hour, "jibe probability per hour",
                           fix="give a number from 0 to 1 (0.04 is 4 % per hour)")
    if diffusivity < 0:
        raise BadValueError(f"diffusivity {diffusivity_m2_s!r} m2/s is negative", "give >= 0")
    if not 0.0 <= jibe <= 1.0:
        raise BadValueError(f"jibe probability {jibe_probability_per_hour!r} per hour is not a "
                            "probability", "give a number from 0 to 1 (0.04 is 4 % per hour)")
    final_only = _keep(keep)
    memory = leeway_memory(leeway_correlation_hours, dt)
    switching, classes = transition_table(transitions, particles.objects)
    if backward and switching.shape[0]:
        raise BadValueError("object transitions are given for a backward run",
                            "run forward, or give no transitions (an object changes forward "
                            "in time)")
    hours = check_block_hours(time_block_hours)
    default = FINAL_CHUNK_SIZE if final_only else None
    if scheduler is not None:
        from sarkit.drift.distributed import DASK_CHUNK_SIZE

        default = DASK_CHUNK_SIZE
    size = _chunk_size(chunk_size, particles.count, default)
    output_steps = np.unique(np.append(np.arange(0, n_steps + 1, every), n_steps))
    _check_memory(particles.count, 1 if final_only else output_steps.size, final_only)
    bbox = reach_box(particles, abs(stop - t0))
    if hours is None:
        hours = auto_block_hours((currents, winds), bbox, t0, t0 + every * step, stop - t0,
                                 _forcing_budget())
    blocks = plan_blocks(n_steps, every, dt, hours)
    first_stop = t0 + blocks[0][1] * step
    first = (block_forcing(currents, bbox, t0, first_stop),
             block_forcing(winds, bbox, t0, first_stop))
    mask = _land(land, first[0], particles, abs(stop - t0))
    spans = (_time_span(currents, first[0]), _time_span(winds, first[1]))
    _check_start(particles, first[0], first[1], mask, t0, t0 + n_steps * step, spans)
    land_params, land_raster = _land_arrays(mask)
    spec = RunSpec(
        table=_coefficient_table(classes), seed=seed, t0=t0, step=step,
        n_steps=n_steps, every=every, jibe_step=1.0 - (1.0 - jibe) ** (dt / 3600.0),
        walk_std=float(np.sqrt(2.0 * diffusivity * dt)), land_params=land_params,
        land=land_raster, blocks=blocks, final_only=final_only, bbox=bbox,
        transitions=switching, leeway_memory=memory,
    )
    sources = (first[0].source, first[1].source)
    reducer = None if isinstance(keep, str) else keep
    if scheduler is None:
        loaded = [first]
        del first
        out = run_local(spec, particles, currents, winds, loaded, size, progress, reducer)
    else:
        from sarkit.drift.distributed import run_dask

        del first
        out = run_dask(spec, particles, currents, winds, size, scheduler, progress, reducer)
    steps = output_steps[-1:] if final_only else output_steps
    times = t0 + step * steps
    if reducer is not None:
        return reducer.combine(out, _datetime(times)[-1])
    varying = {} if memory is None else {
        "leeway_correlation_hours": float(leeway_correlation_hours)}  # type: ignore[arg-type]
    switched = None if not switching.shape[0] else _Switched(
        classes, steps, out.switch_step, out.switch_to, t0, step,
        "; ".join(str(t) for t in transitions))
    return _dataset(particles, times, out.lon, out.lat, out.status, out.side, sources, {
        "seed": seed, "timestep_s": dt, "diffusivity_m2_s": diffusivity,
        "jibe_probability_per_hour": jibe, "direction": "backward" if backward else "forward",
        "coastline": "none" if mask is None else "GSHHG via roaring-landmask",
        "kept": "final output time only" if final_only else "every output time",
        "time_blocks": len(blocks), **varying,
    }, switched)


MAX_LEEWAY_CORRELATION_HOURS = 1e6
"""Longest correlation time of the leeway perturbations accepted, hours (beyond it they are
as good as drawn once: leave it out)."""


def leeway_memory(correlation_hours: float | None, seconds: float) -> np.ndarray | None:
    """The kernel's one-step factors of leeway perturbations that vary in time
    (:attr:`~sarkit.drift.kernel_args.Settings.leeway_memory`).

    Parameters
    ----------
    correlation_hours : float or None
        Correlation time ``T`` of the Ornstein-Uhlenbeck process, hours; None: the
        perturbations are drawn once (returns None).
    seconds : float
        The time step ``|dt|``, seconds.

    Returns
    -------
    numpy.ndarray or None
        float64 [``exp(-|dt|/T)``, ``sqrt(1 - exp(-2|dt|/T))``]: what a perturbation keeps
        of itself in a step, and the weight of the step's new standard normal (unit variance
        kept).

    Raises
    ------
    BadValueError
        Where ``correlation_hours`` is not a positive finite number of hours.
    """
    if correlation_hours is None:
        return None
    hours = checked_number(correlation_hours, "leeway_correlation_hours", minimum=0.0,
                           strict=True, maximum=MAX_LEEWAY_CORRELATION_HOURS,
                           fix="give a positive number of hours, e.g. 6, or leave it out to "
                           "draw each particle's perturbation once")
    ratio = abs(float(seconds)) / (hours * 3600.0)
    return np.array([np.exp(-ratio), np.sqrt(-np.expm1(-2.0 * ratio))])


def _run_window(particles: Particles, start, end, duration_hours) -> tuple[float, float, bool]:
    """(start, stop, backward) of the run, in epoch seconds."""
    if (duration_hours is None) == (end is None):
        raise BadValueError("give either the run's duration or its end, not both or neither",
                            "e.g. duration_hours=24")
    given_start = None if start is None else check_time(start, "start")
    if end is not None:
        stop = check_time(end, "end")
        reference = given_start if given_start is not None else float(particles.release.min())
        backward = stop < reference
    else:
        hours = checked_number(duration_hours, "duration (hours)",
                           fix="give hours, e.g. 24 (negative to run backward)")
        if hours == 0:
            raise BadValueError("the run's duration is zero",
                                "give a positive duration (negative to run backward)")
        backward = hours < 0
    if given_start is not None:
        t0 = given_start
    else:
        t0 = float(particles.release.max() if backward else particles.release.min())
    if end is None:
        stop = t0 + hours * 3600.0
    if stop == t0:
        raise BadValueError("the run ends when it starts", "give an end after the start, or a "
                            "duration")
    return t0, stop, backward


def check_run_steps(start: float, stop: float, timestep_minutes: float) -> None:
    """Refuse a time step longer than the run (epoch seconds ``start`` to ``stop``).

    The run takes whole steps, so its last step would reach up to a step past ``stop``: a
    forcing that covers the run would then be reported as not covering it.

    Raises
    ------
    BadValueError
        Where the step is longer than the run.
    """
    seconds = abs(float(stop) - float(start))
    if float(timestep_minutes) * 60.0 > seconds + 1e-6:
        raise BadValueError(f"the time step ({float(timestep_minutes):g} min) is longer than "
                            f"the run ({seconds / 60.0:g} min)",
                            f"give a time step of at most {seconds / 60.0:g} min, or a longer "
                            "run", "timestep_minutes")


def _chunk_size(chunk_size, count: int, default: int | None = None) -> int:
    if chunk_size is None:
        return max(min(default or count, count), 1)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int | np.integer) or (
        chunk_size < 1
    ):
        raise BadValueError(f"chunk size {chunk_size!r} is not a positive whole number",
                            "give a number of particles per chunk, or None")
    return int(chunk_size)


def _land(land, currents: ForcingGrid, particles: Particles, seconds: float) -> LandMask | None:
    if land is None or isinstance(land, LandMask):
        return land
    if isinstance(land, str) and land == "auto":
        return land_for_run(currents, particles, seconds)
    raise BadValueError(f"land={land!r} is not a LandMask, 'auto' or None",
                        "use land='auto' for the real coastline")


def land_for_run(currents: ForcingGrid, particles: Particles, seconds: float,
                 reach: tuple[float, float, float, float] | None = None) -> LandMask:
    """The coastline mask :func:`simulate` uses with ``land="auto"``: over the box the
    particles can reach in ``seconds`` (:func:`~sarkit.drift.seeding.reach_box`), within the
    current's grid.

    ``reach``: where the forcing allows a faster drift, the box it can reach
    (:func:`~sarkit.drift.seeding.drift_reach`): the coast is drawn over that too, so that a
    particle meets the coast wherever it can go (boxes in one longitude frame).
    """
    return land_mask(_reach(currents, particles, seconds, reach))


def _reach(currents: ForcingGrid, particles: Particles, seconds: float, reach=None):
    """The box particles can reach in the run (:func:`reach_box`, widened to ``reach``),
    within the current grid."""
    west, south, east, north = reach_box(particles, seconds)
    if reach is not None:
        west, south = min(west, reach[0]), min(south, reach[1])
        east, north = max(east, reach[2]), max(north, reach[3])
        if east - west >= 360.0:
            west, east = -180.0, 180.0
    south, north = max(south, currents.lat[0]), min(north, currents.lat[-1])
    if east - west < 360.0:
        return max(west, currents.lon[0]), south, min(east, currents.lon[-1]), north
    return currents.lon[0], south, currents.lon[-1], north


def _land_arrays(mask: LandMask | None):
    mask = LandMask.empty() if mask is None else mask
    return tuple(float(v) for v in mask.land_params), mask.land


@dataclass(frozen=True)
class _Switched:
    """The object transitions of a run, as the dataset needs them."""

    classes: tuple  # the class table: the particles' objects, then the targets
    steps: np.ndarray  # global step of each output time kept
    switch_step: np.ndarray  # each particle's, -1: none
    switch_to: np.ndarray
    t0: float
    step: float
    text: str

    def variables(self, start_index: np.ndarray) -> dict:
        """``class_index`` (trajectory, time) and ``switch_time`` (trajectory)."""
        ids = [o.id for o in self.classes]
        switched = (self.switch_step >= 0)[:, None] & (self.steps[None, :]
                                                       >= self.switch_step[:, None])
        index = np.where(switched, self.switch_to[:, None], start_index[:, None])
        seconds = np.where(self.switch_step >= 0, self.t0 + self.step * self.switch_step, np.nan)
        when = np.full(seconds.size, np.datetime64("NaT"), dtype="datetime64[ns]")
        done = np.isfinite(seconds)
        when[done] = _datetime(seconds[done])
        return {
            "class_index": (("trajectory", "time"), index.astype(np.int8), {
                "long_name": "leeway object class of the particle at the time",
                "flag_values": np.arange(len(ids), dtype=np.int8),
                "flag_meanings": " ".join(ids),
            }),
            "switch_time": (("trajectory",), when, {
                "long_name": "time the particle changed object class (NaT: it did not)"}),
        }


def _dataset(particles, times, lon, lat, status, side, sources, settings, switched=None):
    n = particles.count
    extra = {} if switched is None else switched.variables(particles.object_index)
    dataset = xr.Dataset(
        {
            "lon": (("trajectory", "time"), lon,
                    {"standard_name": "longitude", "units": "degrees_east"}),
            "lat": (("trajectory", "time"), lat,
                    {"standard_name": "latitude", "units": "degrees_north"}),
            "status": (("trajectory", "time"), status, {
                "long_name": "particle status",
                "flag_values": np.array([s.value for s in Status], dtype=np.int8),
                "flag_meanings": " ".join(s.name.lower() for s in Status),
            }),
            "side": (("trajectory", "time"), side, {
                "long_name": "side of downwind the object drifts to (leeway crosswind)",
                "flag_values": np.array([-1, 1], dtype=np.int8),
                "flag_meanings": "left right",
            }),
            "release_time": (("trajectory",), _datetime(particles.release),
                             {"long_name": "time of distress (start of drift)"}),
            "object_class": (("trajectory",),
                             np.array([o.id for o in particles.objects])[particles.object_index],
                             {"long_name": "leeway object class id"}),
            "scenario": (("trajectory",), particles.scenario.astype(np.int32), {
                "long_name": "scenario index",
                "scenario_names": "; ".join(particles.scenarios),
            }),
            "weight": (("trajectory",), particles.weight,
                       {"long_name": "probability carried by the particle"}),
            **extra,
        },
        coords={
            "trajectory": ("trajectory", np.arange(n), {"cf_role": "trajectory_id"}),
            "time": ("time", _datetime(times), {"standard_name": "time"}),
        },
        attrs={
            "featureType": "trajectory",
            "Conventions": "CF-1.10",
            "title": "sarkit drift ensemble",
            "currents": sources[0],
            "winds": sources[1],
            **{k: v if not isinstance(v, bool) else int(v) for k, v in settings.items()},
        },
    )
    if switched is not None:
        dataset.attrs["transitions"] = switched.text
    counts = status_counts(dataset)
    dataset.attrs.update({f"count_{k.replace(' ', '_')}": v for k, v in counts.items()})
    return dataset


def _datetime(seconds: np.ndarray) -> np.ndarray:
    return (np.round(np.asarray(seconds) * 1000).astype(np.int64)).astype("datetime64[ms]").astype(
        "datetime64[ns]")


def status_counts(trajectories: xr.Dataset, time=-1) -> dict[str, int]:
    """Number of particles in each status at an output time (default the last).

    The counts always add up to the number of particles.
    """
    if isinstance(time, int | np.integer):
        codes = trajectories["status"].isel(time=int(time)).values
    else:
        codes = trajectories["status"].sel(time=np.datetime64(time, "ns"), method="nearest").values
    return {s.label: int(np.count_nonzero(codes == s.value)) for s in Status}


def describe_counts(counts: dict[str, int]) -> str:
    """Counts as one line: ``10000 particles: 9850 active, 150 stranded``."""
    total = sum(counts.values())
    parts = [f"{n} {label}" for label, n in counts.items() if n]
    return f"{total} particles: " + ", ".join(parts)

