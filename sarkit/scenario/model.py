"""The scenario as plain data: frozen dataclasses, its time window and how it seeds.

Reading a scenario file is :mod:`sarkit.files.scenario_toml`; loading its forcing and running
its drift is :mod:`sarkit.app.run`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sarkit.drift import seeding
from sarkit.drift.leeway import ObjectClass
from sarkit.drift.seeding import Particles, reach_box
from sarkit.drift.transitions import Transition
from sarkit.errors import SarkitError
from sarkit.times import format_time

__all__ = [
    "Area",
    "ForcingModel",
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
    # correlation time of leeway perturbations that vary in time; None: drawn once
    leeway_correlation_hours: float | None = None


@dataclass(frozen=True)
class ForcingSpec:
    """Where a current or wind comes from: files, a server, a constant, or a synthetic field.

    ``kind`` is ``"files"`` (``paths``), ``"remote"`` (``addresses``: OPeNDAP addresses, of
    which a run fetches and caches the subset it needs), ``"constant"`` (``constant`` = east,
    north m/s) or ``"synthetic"`` (``synthetic`` names the field, ``season``). For files or
    addresses of an ensemble forecast, ``member`` is the member read, or ``all_members``
    drifts on every member (each a :class:`ForcingModel` of an equal share).
    """

    def labels(self) -> tuple[str, ...]:
        """The files or addresses (as shown: no password), or a description."""
        from sarkit.forcing.address import address_label

        if self.kind == "files":
            return tuple(str(path) for path in self.paths)
        if self.kind == "remote":
            return tuple(address_label(address) for address in self.addresses)
        if self.kind == "synthetic":
            return (f"the SYNTHETIC {self.synthetic} field ({self.season} season)",)
        assert self.constant is not None
        return (f"a constant {self.constant[0]:g}, {self.constant[1]:g} m/s (east, north)",)


    kind: str
    paths: tuple[Path, ...] = ()
    addresses: tuple[str, ...] = ()
    member: int | None = None
    all_members: bool = False
    constant: tuple[float, float] | None = None
    synthetic: str | None = None
    season: str | None = None


@dataclass(frozen=True)
class ForcingModel:
    """One of the sources of a current or wind a scenario weighs against the others (several
    models, or the members of an ensemble forecast).

    Attributes
    ----------
    spec : ForcingSpec
        Where it comes from.
    weight : float
        Its share of the probability (the weights of a quantity's models are normalised to
        sum to 1): the share of the particles that drift on it.
    name : str
        How products name it (``"CMEMS"``); empty for a scenario's only source.
    """

    spec: ForcingSpec
    weight: float = 1.0
    name: str = ""

    @property
    def label(self) -> str:
        """Its name, or its files (a scenario's only source has no name)."""
        return self.name or ", ".join(self.spec.labels())


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
    currents, winds : tuple of ForcingModel
        The sources of the current and the wind: one, or several weighed against each other
        (:meth:`forcing_members` pairs them).
    units, time_origin : str or None
        Passed to :func:`~sarkit.forcing.open_forcing` for files.
    source : str or None
        The file it was read from (for messages).
    transitions : tuple of Transition
        The classes the object may become on the way (``[[transition]]``: a boat that may
        capsize becomes persons in the water); empty: it stays what it is.
    """

    name: str
    particle_count: int
    seed: int
    scenarios: tuple[SubScenario, ...]
    run_settings: RunSettings
    currents: tuple[ForcingModel, ...]
    winds: tuple[ForcingModel, ...]
    units: str | None = None
    time_origin: str | None = None
    source: str | None = None
    transitions: tuple[Transition, ...] = ()

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

    def particles(self, count: int | None = None, seed: int | None = None,
                  land=None) -> Particles:
        """Seed the ensemble (``count`` and ``seed`` override the scenario's); with ``land``
        (a :class:`~sarkit.drift.coast.LandMask`), particles of a position or track that fall
        on land are drawn again at sea (:func:`sarkit.drift.seeding.point`)."""
        seed = self.seed if seed is None else seed
        counts = self._counts(count)
        if len(self.scenarios) == 1:
            return _seed(self.scenarios[0], counts[0], seed, land)
        parts = [_seed(s, n, seed * SEED_STRIDE + i, land)
                 for i, (s, n) in enumerate(zip(self.scenarios, counts, strict=True))]
        return seeding.combine(parts, [s.weight for s in self.scenarios])

    def _counts(self, count: int | None) -> list[int]:
        if count is None and all(s.particles is not None for s in self.scenarios):
            return [int(s.particles) for s in self.scenarios]  # type: ignore[arg-type]
        total = self.particle_count if count is None else count
        return split_by_weight(total, [s.weight for s in self.scenarios])

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


def _seed(sub: SubScenario, count: int, seed: int, land=None) -> Particles:
    where = sub.where
    common = {"count": count, "obj": sub.object, "seed": seed, "name": sub.name}
    if isinstance(where, LastKnownPosition):
        return seeding.point(where.lon, where.lat, radius_nm=where.radius_nm, time=where.time,
                             end_time=where.end_time, land=land, **common)
    if isinstance(where, Track):
        return seeding.track(where.start, where.end, start_time=where.start_time,
                             end_time=where.end_time, radius_nm=where.radius_nm, land=land,
                             **common)
    return seeding.area(list(where.polygon), time=where.time, end_time=where.end_time,
                        **common)
