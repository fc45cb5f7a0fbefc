"""Run a scenario: load its forcing around the particles and drift them.

A :class:`~sarkit.scenario.Scenario` is plain data; this module is where it meets the
forcing files and the drift kernel. :func:`drift_scenario` is what ``sarkit drift``, the
plan files and the case files run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import xarray as xr

from sarkit.drift.random import check_seed
from sarkit.drift.seeding import reach_box
from sarkit.drift.simulate import check_run_steps, land_for_run, simulate
from sarkit.files.planfile import DriftSource, read_drift_trajectories
from sarkit.forcing import ConstantSource, ForcingGrid, open_forcing
from sarkit.scenario import ForcingSpec, Scenario

__all__ = ["drift_scenario", "load_forcing", "plan_trajectories", "scenario_inputs"]


def scenario_inputs(scenario: Scenario) -> tuple[Path, ...]:
    """The files a scenario's run reads: its TOML file and its forcing files (an output folder
    may not hold them, :func:`sarkit.files.outdir.check_target`)."""
    source = Path(scenario.source) if scenario.source else None
    files = [source] if source is not None and source.is_file() else []
    return (*files, *scenario.currents.paths, *scenario.winds.paths)


def load_forcing(scenario: Scenario, bbox: tuple[float, float, float, float]
                 ) -> tuple[ForcingGrid, ForcingGrid]:
    """Load the scenario's currents and winds over ``bbox`` and its run's time window.

    Files are read with :func:`~sarkit.forcing.open_forcing`, which keeps one forcing
    record either side of the window; a synthetic field is made from the run's first day
    for the run's length plus a day.

    Raises
    ------
    ForcingError
        From the files (``ForcingCoverageError`` where they do not cover the box or window).
    """
    return (_load(scenario, scenario.currents, "current", bbox),
            _load(scenario, scenario.winds, "wind", bbox))


def _load(scenario: Scenario, spec: ForcingSpec, quantity: str, bbox) -> ForcingGrid:
    start, stop = sorted(scenario.window())
    if spec.kind == "constant":
        assert spec.constant is not None
        return ConstantSource(quantity, *spec.constant).load(bbox)
    if spec.kind == "synthetic":
        source = open_forcing(_synthetic(spec, quantity, start, stop), quantity)
    else:
        source = open_forcing(list(spec.paths), quantity, units=scenario.units,
                              time_origin=scenario.time_origin)
    return source.load(bbox, start, stop)


def drift_scenario(scenario: Scenario, *, particles: int | None = None,
                   seed: int | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   chunk_size: int | None = None, scheduler=None) -> xr.Dataset:
    """Seed the scenario, load the forcing around the particles and drift them.

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

    Returns
    -------
    xarray.Dataset
        The trajectories, with the scenario's name in ``attrs["scenario"]``.
    """
    seed = scenario.seed if seed is None else check_seed(seed)
    ensemble = scenario.particles(particles, seed)
    start, stop = scenario.window()
    check_run_steps(start, stop, scenario.run_settings.timestep_minutes)  # before the forcing
    currents, winds = load_forcing(scenario, reach_box(ensemble, abs(stop - start)))
    land = land_for_run(currents, ensemble, abs(stop - start))  # as simulate would draw it
    if land.contains(ensemble.lon, ensemble.lat).any():  # near the coast: seed at sea
        ensemble = scenario.particles(particles, seed, land=land)
    run = scenario.run_settings
    result = simulate(
        ensemble, currents, winds, start=start,
        duration_hours=run.duration_hours, end=run.end,
        timestep_minutes=run.timestep_minutes,
        output_every_minutes=run.output_every_minutes, seed=seed,
        diffusivity_m2_s=run.diffusivity_m2_s,
        jibe_probability_per_hour=run.jibe_probability_per_hour, progress=progress,
        land=land,
        chunk_size=chunk_size, scheduler=scheduler,
    )
    result.attrs["scenario"] = scenario.name
    if ensemble.redrawn:
        result.attrs["seeded_on_land_redrawn"] = ensemble.redrawn
    return result


def _synthetic(spec: ForcingSpec, quantity: str, start: float, stop: float) -> xr.Dataset:
    from sarkit.forcing.synthetic import andaman_monsoon

    day = np.datetime64(int(start // 86400), "D")
    hours = (stop - start) / 3600.0 + 24.0
    return andaman_monsoon(kind=quantity, season=spec.season, start=day, hours=hours)


def plan_trajectories(source: DriftSource) -> xr.Dataset:
    """The drift a plan file names: its scenario run, or its trajectories file read.

    Raises
    ------
    SarkitError
        From the scenario run, or where the file cannot be read as trajectories.
    """
    if source.scenario is not None:
        return drift_scenario(source.scenario, particles=source.particles, seed=source.seed)
    assert source.trajectories_path is not None
    return read_drift_trajectories(source.trajectories_path)
