"""Run a scenario: load its forcing around the particles and drift them.

A :class:`~sarkit.scenario.Scenario` is plain data; this module is where it meets the
forcing files and the drift kernel. :func:`drift_scenario` is what ``sarkit drift``, the
plan files and the case files run.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import xarray as xr

from sarkit import positions
from sarkit.drift.members import assign_members, join_runs
from sarkit.drift.random import check_seed
from sarkit.drift.seeding import Particles, drift_reach, reach_box
from sarkit.drift.simulate import check_run_steps, keep_for, land_for_run, simulate
from sarkit.errors import BadValueError, ForcingCoverageError, ForcingGridError
from sarkit.files.forcing_cache import cached_forcing, cached_member_count
from sarkit.forcing import ConstantSource, ForcingGrid, open_forcing
from sarkit.scenario import ForcingSpec, Scenario

if TYPE_CHECKING:  # the plan file's reader brings the planner: imported where a plan runs
    from sarkit.files.planfile import DriftSource

__all__ = ["INCOMPLETE_FORCING_ATTR", "SYNTHETIC_BBOX", "ForcingMember", "ForcingShortfall",
           "drift_scenario", "forcing_members",
           "forcing_shortfalls", "load_forcing", "plan_trajectories", "scenario_inputs"]

INCOMPLETE_FORCING_ATTR = "incomplete_forcing"
"""The trajectories' attribute that says, in words, which forcing covered less than the drift
could reach in a run made with ``allow_incomplete_forcing`` (absent where all covered it)."""

SYNTHETIC_BBOX = (91.0, 4.0, 101.0, 16.0)
"""(west, south, east, north), degrees: the box a scenario's SYNTHETIC field is made over.

The Andaman box of :func:`~sarkit.forcing.synthetic.andaman_monsoon` (91-100 E, 4-16 N) with
the northern Strait of Malacca east of Langkawi (the Perlis, Kedah and Penang waters, to
101 E) added: a drift west of Langkawi can reach them (the bundled case file's case C), and
the coverage check refuses a field that stops short of where the drift can go. The demo's
outputs are the same bit for bit (its drift stays far from 100 E)."""

_LOADS = 3
"""Loads of the forcing at most: a drift faster than :func:`reach_box`'s 3 m/s loads again
over the box it can reach."""


def scenario_inputs(scenario: Scenario) -> tuple[Path, ...]:
    """The files a scenario's run reads: its TOML file and its forcing files (an output folder
    may not hold them, :func:`sarkit.files.outdir.check_target`)."""
    source = Path(scenario.source) if scenario.source else None
    files = [source] if source is not None and source.is_file() else []
    return (*files, *(path for model in (*scenario.currents, *scenario.winds)
                      for path in model.spec.paths))


@dataclass(frozen=True)
class ForcingMember:
    """One current and one wind a part of the ensemble drifts on, with its share.

    A scenario with one current and one wind has one member (its name empty); several current
    or wind models (:class:`~sarkit.scenario.ForcingModel`), or the members of an ensemble
    forecast, make one member per pairing of a current with a wind, its weight the product of
    theirs (:func:`forcing_members`).
    """

    name: str
    weight: float
    currents: ForcingSpec
    winds: ForcingSpec


def forcing_members(scenario: Scenario) -> list[ForcingMember]:
    """The pairings of the scenario's current and wind sources the drift runs on, each with its
    share of the probability (summing to 1); an ensemble forecast read with ``members = "all"``
    gives one source per member (its files are opened to count them; a server's count is
    asked once and kept with its data, :func:`~sarkit.files.forcing_cache.cached_member_count`).

    Raises
    ------
    ForcingError
        Where an ensemble forecast's files cannot be opened.
    """
    currents = _expanded(scenario, scenario.currents, "current")
    winds = _expanded(scenario, scenario.winds, "wind")
    return [ForcingMember(" / ".join(name for name in (c_name, w_name) if name),
                          c_weight * w_weight, c_spec, w_spec)
            for c_name, c_weight, c_spec in currents for w_name, w_weight, w_spec in winds]


def _expanded(scenario: Scenario, models, quantity: str) -> list[tuple[str, float, ForcingSpec]]:
    total = sum(model.weight for model in models)
    sources = []
    for model in models:
        share = model.weight / total
        if not model.spec.all_members:
            sources.append((model.name, share, model.spec))
            continue
        count = _member_count(scenario, model, quantity)
        base = model.name or ("currents" if quantity == "current" else "winds")
        sources.extend((f"{base} member {i}", share / count,
                        replace(model.spec, member=i, all_members=False)) for i in range(count))
    return sources


def _member_count(scenario: Scenario, model, quantity: str) -> int:
    """How many members the ensemble forecast named with ``members = "all"`` holds: its files
    opened, or its server's count (asked once, then cached as its data are); files of one
    forecast only are refused, naming the key."""
    spec = model.spec
    try:
        if spec.kind == "remote":
            return cached_member_count(list(spec.addresses), quantity, units=scenario.units,
                                       time_origin=scenario.time_origin)
        with open_forcing(list(spec.paths), quantity, units=scenario.units,
                          time_origin=scenario.time_origin, member=0) as first:
            return first.members
    except ForcingGridError as exc:
        if "no ensemble member dimension" not in exc.problem:
            raise
        raise ForcingGridError(
            'members = "all" names files of one forecast, not an ensemble (no member '
            "dimension such as realization, number or ens)",
            'remove members = "all", or give the files of an ensemble forecast',
            model.label) from None


def _only_member(scenario: Scenario) -> ForcingMember:
    members = forcing_members(scenario)
    if len(members) > 1:
        raise BadValueError(f"the scenario weighs {len(members)} forcings against each other",
                            "name the one to load: load_forcing(scenario, bbox, member) with a "
                            "member of forcing_members(scenario)")
    return members[0]


def load_forcing(scenario: Scenario, bbox: tuple[float, float, float, float],
                 member: ForcingMember | None = None) -> tuple[ForcingGrid, ForcingGrid]:
    """Load the scenario's currents and winds (of ``member``, where the scenario weighs several:
    :func:`forcing_members`) over ``bbox`` and its run's time window.

    Files are read with :func:`~sarkit.forcing.open_forcing`, which keeps one forcing
    record either side of the window; from OPeNDAP addresses, the part of the server's data
    over ``bbox`` and that window is fetched once and cached
    (:func:`~sarkit.files.forcing_cache.cached_forcing`), then read the same way; a synthetic
    field is made from the run's first day for the run's length plus a day, over
    :data:`SYNTHETIC_BBOX`.

    Raises
    ------
    ForcingError
        From the files (``ForcingCoverageError`` where they do not cover the box or window).
    """
    member = _only_member(scenario) if member is None else member
    return (_load(scenario, member.currents, "current", bbox),
            _load(scenario, member.winds, "wind", bbox))


def _load(scenario: Scenario, spec: ForcingSpec, quantity: str, bbox) -> ForcingGrid:
    start, stop = sorted(scenario.window())
    if spec.kind == "constant":
        assert spec.constant is not None
        return ConstantSource(quantity, *spec.constant).load(bbox)
    if spec.kind == "synthetic":
        source = open_forcing(_synthetic(spec, quantity, start, stop), quantity)
    elif spec.kind == "remote":
        files = cached_forcing(spec.addresses, quantity, bbox, start, stop,
                               units=scenario.units, time_origin=scenario.time_origin,
                               member=spec.member)
        source = open_forcing(files, quantity, units=scenario.units,
                              time_origin=scenario.time_origin)
    else:
        source = open_forcing(list(spec.paths), quantity, units=scenario.units,
                              time_origin=scenario.time_origin, member=spec.member)
    with source:
        return source.load(bbox, start, stop)


@dataclass(frozen=True)
class ForcingShortfall:
    """A forcing that covers less than the drift can reach.

    Attributes
    ----------
    quantity : str
        ``"currents"`` or ``"winds"``.
    source : str
        The forcing: its files, or the synthetic field.
    needed : tuple of float
        (west, south, east, north), degrees: the box the drift can reach
        (:func:`~sarkit.drift.seeding.drift_reach`).
    covered : tuple of float
        (west, south, east, north), degrees: the box the forcing's loaded grid covers (its
        points' extent; within the box loaded, which holds ``needed`` wherever the data do).
    """

    quantity: str
    source: str
    needed: tuple[float, float, float, float]
    covered: tuple[float, float, float, float]

    def text(self) -> str:
        """One line: the forcing, the box needed and the box it covers (to 0.1 degree, the
        need rounded out and the cover in, so that one never reads as holding the other)."""
        return (f"the {self.quantity} cover less than the drift can reach: it can reach "
                f"{_box_text(self.needed, outward=True)}, the {self.quantity} cover "
                f"{_box_text(self.covered, outward=False)}")


def _box_text(box, *, outward: bool) -> str:
    west, south, east, north = box
    low, high = (np.floor, np.ceil) if outward else (np.ceil, np.floor)
    nudge = 1e-6 if outward else -1e-6  # 96.49999999 (an axis of float steps) covers 96.5
    values = (low(west * 10 + nudge), low(south * 10 + nudge), high(east * 10 - nudge),
              high(north * 10 - nudge))
    return positions.format_box(tuple(v / 10 + 0.0 for v in values), 1)


def _covers(grid: ForcingGrid, box) -> bool:
    """Whether the grid's points span ``box`` (in any of its longitude frames)."""
    west, south, east, north = box
    tolerance = 1e-9
    if south < grid.lat[0] - tolerance or north > grid.lat[-1] + tolerance:
        return False
    if east - west >= 360.0:
        return grid.lon[-1] - grid.lon[0] >= 360.0 - tolerance
    return any(grid.lon[0] - tolerance <= west + shift and east + shift <= grid.lon[-1]
               + tolerance for shift in (-360.0, 0.0, 360.0))


def _within(inner, outer) -> bool:
    """Whether box ``inner`` lies in box ``outer`` (the same longitude frame)."""
    return (inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2]
            and inner[3] <= outer[3]) or (outer[2] - outer[0] >= 360.0)


def _union(one, other) -> tuple[float, float, float, float]:
    west, east = min(one[0], other[0]), max(one[2], other[2])
    if east - west >= 360.0:
        west, east = -180.0, 180.0
    return west, min(one[1], other[1]), east, max(one[3], other[3])


def _label(spec: ForcingSpec, member: ForcingMember) -> str:
    text = ", ".join(spec.labels())
    return f"{member.name} ({text})" if member.name else text


def forcing_shortfalls(scenario: Scenario, currents: ForcingGrid, winds: ForcingGrid,
                       reach: tuple[float, float, float, float],
                       member: ForcingMember | None = None) -> list[ForcingShortfall]:
    """The scenario's forcings whose loaded grids do not cover ``reach`` (a constant field
    covers everything: it is loaded over the whole box asked for).

    Parameters
    ----------
    scenario : Scenario
        The case (its forcing specs name the files).
    currents, winds : ForcingGrid
        Loaded over a box that holds ``reach`` (so that a grid covers less only where its
        data do).
    reach : tuple of float
        (west, south, east, north): the box the drift can reach
        (:func:`~sarkit.drift.seeding.drift_reach`).
    member : ForcingMember, optional
        Whose forcing the grids are, where the scenario weighs several
        (:func:`forcing_members`).

    Returns
    -------
    list of ForcingShortfall
        Empty where both cover it.
    """
    member = _only_member(scenario) if member is None else member
    short = []
    for quantity, spec, grid in (("currents", member.currents, currents),
                                 ("winds", member.winds, winds)):
        if spec.kind != "constant" and not _covers(grid, reach):
            short.append(ForcingShortfall(quantity, _label(spec, member), tuple(reach),
                                          grid.bbox))
    return short


def _refusal(short: list[ForcingShortfall], hours: float) -> ForcingCoverageError:
    """One error naming every forcing that falls short, the box needed and the fix."""
    names = " and ".join(item.quantity for item in short)
    return ForcingCoverageError(
        "; ".join(item.text() for item in short) + f" (a run of {hours:g} h)",
        f"give {names} that cover {_box_text(short[0].needed, outward=True)}, or run sarkit "
        "drift with --allow-incomplete-forcing (allow_incomplete_forcing=True) to get areas of "
        "the probability that stays inside, marked incomplete",
        ", ".join(dict.fromkeys(item.source for item in short)))


def _forcing_for(scenario: Scenario, member: ForcingMember, ensemble: Particles, start: float,
                 stop: float
                 ) -> tuple[ForcingGrid, ForcingGrid, tuple[float, float, float, float]]:
    """The currents and winds loaded over a box that holds the drift's reach, and the reach.

    The forcing is first loaded over :func:`reach_box` (3 m/s); where the grids allow a faster
    drift, it is loaded again over the box that drift can reach (at most :data:`_LOADS`
    loads), so that a grid then covers less than the reach only where its data end.
    """
    box = reach_box(ensemble, abs(stop - start))
    diffusivity = scenario.run_settings.diffusivity_m2_s
    for _ in range(_LOADS):
        currents, winds = load_forcing(scenario, box, member)
        reach = drift_reach(ensemble, currents, winds, start, stop,
                            diffusivity_m2_s=diffusivity)
        if _within(reach, box):
            break
        box = _union(box, reach)
    return currents, winds, reach


def drift_scenario(scenario: Scenario, *, particles: int | None = None,
                   seed: int | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   chunk_size: int | None = None, scheduler=None,
                   allow_incomplete_forcing: bool = False, keep: str = "all") -> xr.Dataset:
    """Seed the scenario, load the forcing around the particles, check that it covers the
    drift's reach and drift them.

    Parameters
    ----------
    scenario : Scenario
        The case.
    particles, seed : int, optional
        Override the scenario's particle count and seed (CLI ``--particles``, ``--seed``).
    progress, chunk_size : optional
        Passed to :func:`~sarkit.drift.simulate.simulate` (a progress bar needs chunks;
        the result is the same).
    scheduler : distributed.Client or str, optional
        Run the chunks as Dask tasks (an address or ``"local"``; CLI ``--dask``): the
        same result.
    allow_incomplete_forcing : bool
        Where a forcing covers less than the drift can reach
        (:func:`~sarkit.drift.seeding.drift_reach`), run anyway (CLI
        ``--allow-incomplete-forcing``): particles that leave it stop there (status left
        domain, their probability "unaccounted"), and the trajectories say so in
        ``attrs["incomplete_forcing"]``. Default: refuse.
    keep : {"all", "final", "auto"}
        Keep every output time, or only the last positions (:func:`~sarkit.drift.simulate.
        simulate`); ``"auto"`` keeps the last only where every output time would be too big
        (:func:`~sarkit.drift.simulate.keep_for`; CLI ``--keep``). A run that kept only the
        last positions says so in ``attrs["kept"]`` (:func:`~sarkit.drift.simulate.simulate`).

    Returns
    -------
    xarray.Dataset
        The trajectories, with the scenario's name in ``attrs["scenario"]``. Where the
        scenario weighs several forcings (:func:`forcing_members`), the particles are divided
        among them by weight (:func:`~sarkit.drift.members.assign_members`), each part drifts
        on its own currents and winds, and ``forcing_member`` says which each drifted on.

    Raises
    ------
    ForcingCoverageError
        Where a forcing covers less than the drift can reach (unless
        ``allow_incomplete_forcing``): the message names the forcing, the box needed and the
        box it covers.
    """
    seed = scenario.seed if seed is None else check_seed(seed)
    ensemble = scenario.particles(particles, seed)
    start, stop = scenario.window()
    check_run_steps(start, stop, scenario.run_settings.timestep_minutes)  # before the forcing
    hours = abs(stop - start) / 3600.0
    members = forcing_members(scenario)
    loaded, short = [], []
    for member in members:  # every forcing over the whole ensemble's reach, checked first
        currents, winds, reach = _forcing_for(scenario, member, ensemble, start, stop)
        loaded.append((currents, winds, reach))
        short.extend(forcing_shortfalls(scenario, currents, winds, reach, member))
    if short and not allow_incomplete_forcing:
        raise _refusal(short, hours)
    lands = [land_for_run(currents, ensemble, abs(stop - start), reach)
             for currents, _, reach in loaded]
    if lands[0].contains(ensemble.lon, ensemble.lat).any():  # near the coast: seed at sea
        ensemble = scenario.particles(particles, seed, land=lands[0])
    run = scenario.run_settings
    if keep == "auto":
        outputs = math.ceil(abs(stop - start) / (run.output_every_minutes * 60.0)) + 1
        keep = keep_for(ensemble.count, outputs)

    def drift(part: Particles, index: int) -> xr.Dataset:
        currents, winds, _ = loaded[index]
        return simulate(
            part, currents, winds, start=start,
            duration_hours=run.duration_hours, end=run.end,
            timestep_minutes=run.timestep_minutes,
            output_every_minutes=run.output_every_minutes, seed=seed,
            diffusivity_m2_s=run.diffusivity_m2_s,
            jibe_probability_per_hour=run.jibe_probability_per_hour, progress=progress,
            land=lands[index],
            chunk_size=chunk_size, scheduler=scheduler, keep=keep,
            transitions=scenario.transitions,
            leeway_correlation_hours=run.leeway_correlation_hours,
        )

    if len(members) == 1:
        result = drift(ensemble, 0)
    else:
        weights = [member.weight for member in members]
        assigned = assign_members(ensemble.count, weights)
        runs = [drift(ensemble.take(np.flatnonzero(assigned == i)), i)
                for i in range(len(members))]
        result = join_runs(runs, assigned, [member.name for member in members], weights)
    result.attrs["scenario"] = scenario.name
    if short:
        result.attrs[INCOMPLETE_FORCING_ATTR] = "; ".join(item.text() for item in short)
    if ensemble.redrawn:
        result.attrs["seeded_on_land_redrawn"] = ensemble.redrawn
    return result


def _synthetic(spec: ForcingSpec, quantity: str, start: float, stop: float) -> xr.Dataset:
    from sarkit.forcing.synthetic import andaman_monsoon

    day = np.datetime64(int(start // 86400), "D")
    hours = (stop - start) / 3600.0 + 24.0
    return andaman_monsoon(kind=quantity, season=spec.season, start=day, hours=hours,
                           bbox=SYNTHETIC_BBOX)


def plan_trajectories(source: DriftSource) -> xr.Dataset:
    """The drift a plan file names: its scenario run, or its trajectories file read.

    Raises
    ------
    SarkitError
        From the scenario run, or where the file cannot be read as trajectories.
    """
    from sarkit.files.planfile import read_drift_trajectories

    if source.scenario is not None:
        return drift_scenario(source.scenario, particles=source.particles, seed=source.seed)
    assert source.trajectories_path is not None
    return read_drift_trajectories(source.trajectories_path)
