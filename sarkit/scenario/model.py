"""The scenario as data: frozen dataclasses, and how a scenario seeds, loads forcing and runs."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from sarkit.drift import seeding
from sarkit.drift.leeway import ObjectClass
from sarkit.drift.seeding import Particles, reach_box
from sarkit.drift.simulate import simulate
from sarkit.errors import SarkitError
from sarkit.forcing import ConstantSource, ForcingGrid, open_forcing
from sarkit.forcing.timeaxis import format_time

__all__ = [
    "Area",
    "ForcingSpec",
    "LastKnownPosition",
    "RunSettings",
    "Scenario",
    "ScenarioError",
    "SubScenario",
    "Track",
    "reach_box",
    "split_by_weight",
]

DEFAULT_PARTICLES = 10_000
SEED_STRIDE = 1000
"""Sub-scenario ``i`` is seeded with ``seed * SEED_STRIDE + i``."""
MAX_DURATION_HOURS = 720.0
SYNTHETIC_FIELDS = ("andaman_monsoon",)
SEASONS = ("southwest", "northeast")


class ScenarioError(SarkitError, ValueError):
    """A scenario file (or dictionary) with a missing, misspelt or nonsense entry."""


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class LastKnownPosition:
    """A last known position with a containment radius and a time-of-distress window.

    Times are epoch seconds UTC; ``end_time`` equals ``time`` without a window.
    """

    lon: float
    lat: float
    radius_nm: float
    time: float
    end_time: float


@dataclass(frozen=True)
class Track:
    """A track line: the boat went silent between ``start`` and ``end`` (lon, lat)."""

    start: tuple[float, float]
    end: tuple[float, float]
    start_time: float
    end_time: float
    radius_nm: float

    @property
    def time(self) -> float:
        """Earliest time of distress."""
        return self.start_time


@dataclass(frozen=True)
class Area:
    """A polygon of (lon, lat) vertices the boat is known to be in."""

    polygon: tuple[tuple[float, float], ...]
    time: float
    end_time: float


Where = LastKnownPosition | Track | Area


@dataclass(frozen=True)
class SubScenario:
    """One hypothesis of where and when: a location, its weight, object and particle count.

    ``particles`` is None where the count comes from splitting the total by weight.
    """

    name: str
    weight: float
    where: Where
    object: ObjectClass
    particles: int | None


@dataclass(frozen=True)
class RunSettings:
    """How to run the drift; exactly one of ``duration_hours`` and ``end`` is set."""

    duration_hours: float | None
    end: float | None
    timestep_minutes: float
    output_every_minutes: float
    diffusivity_m2_s: float
    jibe_probability_per_hour: float


@dataclass(frozen=True)
class ForcingSpec:
    """Where a current or wind comes from: files, a constant, or a synthetic field.

    ``kind`` is ``"files"`` (``paths``), ``"constant"`` (``constant`` = east,
    north m/s) or ``"synthetic"`` (``synthetic`` names the field, ``season``).
    """

    kind: str
    paths: tuple[Path, ...] = ()
    constant: tuple[float, float] | None = None
    synthetic: str | None = None
    season: str | None = None


@dataclass(frozen=True)
class Scenario:
    """A whole search case, checked: see the module docstring for the file format.

    Attributes
    ----------
    name : str
    particle_count : int
        Total particles (the sum of the sub-scenarios' counts where they give them).
    seed : int
    scenarios : tuple of SubScenario
        One for ``[lkp]``/``[track]``/``[area]``; one per ``[[scenario]]`` table.
    run_settings : RunSettings
    currents, winds : ForcingSpec
    units, time_origin : str or None
        Passed to :func:`~sarkit.forcing.open_forcing` for files.
    source : str or None
        The file it was read from (for messages).
    """

    name: str
    particle_count: int
    seed: int
    scenarios: tuple[SubScenario, ...]
    run_settings: RunSettings
    currents: ForcingSpec
    winds: ForcingSpec
    units: str | None = None
    time_origin: str | None = None
    source: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], base_dir: str | os.PathLike = ".",
                  source: str | os.PathLike | None = None) -> Scenario:
        """Check a parsed TOML document and build the scenario.

        Parameters
        ----------
        data : mapping
            The document, as :func:`tomllib.load` returns it.
        base_dir : path-like
            Folder that relative forcing paths are relative to.
        source : path-like, optional
            Name of the document in error messages (the file path).

        Raises
        ------
        ScenarioError
            For any missing, unknown, mistyped or out-of-range entry.
        """
        from sarkit.scenario.toml import parse_document

        return parse_document(data, Path(base_dir), source)

    # ------------------------------------------------------------------ derived values

    def window(self) -> tuple[float, float]:
        """(start, stop) of the run in epoch seconds; stop < start for a backward run.

        The run starts at the earliest time of distress (the latest for a
        backward run), as :func:`~sarkit.drift.simulate.simulate` does.
        """
        run = self.run_settings
        earliest = min(s.where.time for s in self.scenarios)
        latest = max(s.where.end_time for s in self.scenarios)
        if run.end is not None:
            start = latest if run.end < earliest else earliest
            return start, run.end
        assert run.duration_hours is not None
        start = latest if run.duration_hours < 0 else earliest
        return start, start + run.duration_hours * 3600.0

    def particles(self, count: int | None = None, seed: int | None = None) -> Particles:
        """Seed the ensemble (``count`` and ``seed`` override the scenario's)."""
        seed = self.seed if seed is None else seed
        counts = self._counts(count)
        if len(self.scenarios) == 1:
            return _seed(self.scenarios[0], counts[0], seed)
        parts = [_seed(s, n, seed * SEED_STRIDE + i)
                 for i, (s, n) in enumerate(zip(self.scenarios, counts, strict=True))]
        return seeding.combine(parts, [s.weight for s in self.scenarios])

    def _counts(self, count: int | None) -> list[int]:
        if count is None and all(s.particles is not None for s in self.scenarios):
            return [int(s.particles) for s in self.scenarios]  # type: ignore[arg-type]
        total = self.particle_count if count is None else count
        return split_by_weight(total, [s.weight for s in self.scenarios])

    def forcing(self, bbox: tuple[float, float, float, float]) -> tuple[ForcingGrid, ForcingGrid]:
        """Load the currents and winds over ``bbox`` and the run's time window.

        Files are read with :func:`~sarkit.forcing.open_forcing`, which keeps one
        forcing record either side of the window; a synthetic field is made
        from the run's first day for the run's length plus a day.

        Raises
        ------
        ForcingError
            From the files (``ForcingCoverageError`` where they do not cover
            the box or window).
        """
        return (self._load(self.currents, "current", bbox),
                self._load(self.winds, "wind", bbox))

    def _load(self, spec: ForcingSpec, quantity: str, bbox) -> ForcingGrid:
        start, stop = sorted(self.window())
        if spec.kind == "constant":
            assert spec.constant is not None
            return ConstantSource(quantity, *spec.constant).load(bbox)
        if spec.kind == "synthetic":
            source = open_forcing(_synthetic(spec, quantity, start, stop), quantity)
        else:
            source = open_forcing(list(spec.paths), quantity, units=self.units,
                                  time_origin=self.time_origin)
        return source.load(bbox, start, stop)

    def run(self, *, particles: int | None = None, seed: int | None = None,
            progress: Callable[[int, int], None] | None = None,
            chunk_size: int | None = None, scheduler=None) -> xr.Dataset:
        """Seed, load the forcing around the particles and drift them.

        Parameters
        ----------
        particles, seed : int, optional
            Override the scenario's particle count and seed (CLI ``--particles``,
            ``--seed``).
        progress, chunk_size : optional
            Passed to :func:`~sarkit.drift.simulate.simulate` (a progress bar
            needs chunks; the result is the same).
        scheduler : distributed.Client or str, optional
            Run the chunks as Dask tasks (an address or ``"local"``; CLI ``--dask``):
            the same result.

        Returns
        -------
        xarray.Dataset
            The trajectories, with the scenario's name in ``attrs["scenario"]``.
        """
        seed = self.seed if seed is None else _check_override_seed(seed)
        ensemble = self.particles(particles, seed)
        start, stop = self.window()
        currents, winds = self.forcing(reach_box(ensemble, abs(stop - start)))
        run = self.run_settings
        result = simulate(
            ensemble, currents, winds, start=start,
            duration_hours=run.duration_hours, end=run.end,
            timestep_minutes=run.timestep_minutes,
            output_every_minutes=run.output_every_minutes, seed=seed,
            diffusivity_m2_s=run.diffusivity_m2_s,
            jibe_probability_per_hour=run.jibe_probability_per_hour, progress=progress,
            chunk_size=chunk_size, scheduler=scheduler,
        )
        result.attrs["scenario"] = self.name
        return result

    def __repr__(self) -> str:
        start, stop = self.window()
        return (f"<Scenario {self.name!r}: {self.particle_count} particles, "
                f"{len(self.scenarios)} location(s), {format_time(start)} -> "
                f"{format_time(stop)}>")


def split_by_weight(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` particles in proportion to ``weights``, at least 1 each.

    Largest remainders get the leftover particles, so the counts add up to ``total``.
    """
    if total < len(weights):
        raise ScenarioError(f"{total} particles cannot cover {len(weights)} scenarios",
                            "give at least one particle per scenario (thousands each)")
    share = np.asarray(weights, dtype=float) / float(np.sum(weights)) * total
    counts = np.maximum(np.floor(share).astype(np.int64), 1)
    order = np.argsort(-(share - np.floor(share)), kind="stable")
    i = 0
    while counts.sum() < total:
        counts[order[i % len(order)]] += 1
        i += 1
    while counts.sum() > total:
        j = int(np.argmax(counts))
        counts[j] -= 1
    return [int(c) for c in counts]


def _seed(sub: SubScenario, count: int, seed: int) -> Particles:
    where = sub.where
    common = {"count": count, "obj": sub.object, "seed": seed, "name": sub.name}
    if isinstance(where, LastKnownPosition):
        return seeding.point(where.lon, where.lat, radius_nm=where.radius_nm, time=where.time,
                             end_time=where.end_time, **common)
    if isinstance(where, Track):
        return seeding.track(where.start, where.end, start_time=where.start_time,
                             end_time=where.end_time, radius_nm=where.radius_nm, **common)
    return seeding.area(list(where.polygon), time=where.time, end_time=where.end_time,
                        **common)


def _synthetic(spec: ForcingSpec, quantity: str, start: float, stop: float) -> xr.Dataset:
    from sarkit.forcing.synthetic import andaman_monsoon

    day = np.datetime64(int(start // 86400), "D")
    hours = (stop - start) / 3600.0 + 24.0
    return andaman_monsoon(kind=quantity, season=spec.season, start=day, hours=hours)


def _check_override_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ScenarioError(f"seed {seed!r} is not a whole number >= 0", "give e.g. --seed 1")
    return int(seed)


# --------------------------------------------------------------------------- parsing


