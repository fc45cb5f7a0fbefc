"""run_scenario(): the main job, scenario file to search areas, in one readable function.

Scenario -> particles and forcing -> drift -> POC grid -> 50/90/95 % areas (+ the
IAMSAR manual circle for comparison) -> files. The CLI's ``sarkit drift`` and
``sarkit demo`` and the notebooks call it; each step is also a public function.

Outputs in the folder (one set per run):

* ``areas.geojson`` -- RFC 7946 FeatureCollection with the areas, rectangle and
  datum of **every** valid time (each feature has ``valid_time``), the IAMSAR
  circle (``kind = "iamsar_circle"``) and the stranded particles (``kind =
  "stranded"``, a MultiPoint whose ``probability`` is the stranded weight);
* ``areas.kml`` -- the same features as KML 2.2 for Google Earth (:mod:`sarkit.files.kml`);
* ``trajectories.nc`` -- the ensemble, CF trajectory layout;
* ``summary.txt`` -- the lines an officer reads out (:meth:`DriftResult.situation`): each valid
  time in UTC and local time, the datum in decimal degrees and degrees-minutes, the areas;
* ``map.png`` -- the areas at the last valid time.

Before the drift, each forcing is checked against the box the drift can reach
(:func:`~sarkit.app.run.drift_scenario`): one that covers less is refused, unless the run is
asked for with ``allow_incomplete_forcing``; then the areas stay shares of all the
probability afloat, the share that left the forcing included, and every output says that
share and that the areas are incomplete.

Everything is computed first and the files are written at the end into a staging
folder that is moved into place (:func:`sarkit.files.outdir.staged_folder`), so a
failure leaves no partial output.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
import xarray as xr

from sarkit.app.mapprocess import MapProcess
from sarkit.app.run import INCOMPLETE_FORCING_ATTR, drift_scenario, scenario_inputs
from sarkit.drift.coast import land_mask
from sarkit.drift.members import member_datums, member_shares
from sarkit.drift.simulate import describe_counts, status_counts
from sarkit.drift.transitions import class_counts
from sarkit.errors import SarkitError
from sarkit.files.geojson import areas_features, feature, feature_collection, write_geojson
from sarkit.files.kml import write_kml
from sarkit.files.outdir import check_target, staged_folder
from sarkit.files.summary import SUMMARY_NAME, write_summary
from sarkit.files.trajectories import write_trajectories
from sarkit.forcing.request import check_time
from sarkit.planning.regions import area_time_zone, holders_text, responsible
from sarkit.poc.areas import SearchAreas, clip_to_sea, search_areas
from sarkit.poc.grid import PocGrid, poc_grid
from sarkit.poc.iamsar import (
    IamsarArea,
    drift_error_nm,
    drift_velocity_error_kt,
    iamsar_area,
    total_probable_error_nm,
)
from sarkit.positions import format_position, position_text
from sarkit.scenario import LastKnownPosition, Scenario
from sarkit.times import parse_time, utc_and_local
from sarkit.units import KNOT

__all__ = ["DriftResult", "run_scenario"]


@dataclass(frozen=True, eq=False)
class DriftResult:
    """What one run produced.

    Attributes
    ----------
    scenario : Scenario
    trajectories : xarray.Dataset
    grids : tuple of PocGrid
        One per valid time.
    areas : tuple of SearchAreas
        One per valid time.
    iamsar : tuple of IamsarArea
        The IAMSAR manual circle around each datum, for comparison.
    files : dict of str to Path
        The files written (empty when no folder was given).
    """

    scenario: Scenario
    trajectories: xr.Dataset
    grids: tuple[PocGrid, ...]
    areas: tuple[SearchAreas, ...]
    iamsar: tuple[IamsarArea, ...]
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def unaccounted(self) -> float:
        """The largest share of the probability out of the forcing at the valid times."""
        return max((areas.unaccounted for areas in self.areas), default=0.0)

    @property
    def warning(self) -> str | None:
        """The warning line of a run whose forcing covered less than the drift can reach
        (run with ``allow_incomplete_forcing``) or that lost probability out of the forcing
        anyway; None otherwise."""
        if INCOMPLETE_FORCING_ATTR not in self.trajectories.attrs and self.unaccounted <= 0.0:
            return None
        return (f"warning: the forcing covers less than the drift can reach: "
                f"{100.0 * self.unaccounted:.1f} % of the probability left it; the areas are "
                "incomplete")

    def summary(self) -> str:
        """:meth:`situation`, then the files written."""
        lines = [self.situation()]
        lines += [f"wrote {name}: {path}" for name, path in self.files.items()]
        return "\n".join(lines)

    def situation(self) -> str:
        """A few lines for the officer to read out: counts by status (and the warning of
        incomplete forcing), each valid time in UTC and local time, the datum in decimal
        degrees and degrees-minutes, area sizes in NM² and what their levels are shares of, and
        who is responsible for the last datum. ``summary.txt`` holds them."""
        lines = [f"{self.scenario.name}: {describe_counts(status_counts(self.trajectories))}"]
        if "class_index" in self.trajectories:  # the object may have changed class
            counts = class_counts(self.trajectories)
            lines.append("  object classes at the end: " + ", ".join(
                f"{n} {name}" for name, n in counts.items())
                + f" ({self.trajectories.attrs.get('transitions', '')})")
        if self.warning is not None:
            lines.append(self.warning)
            shortfall = self.trajectories.attrs.get(INCOMPLETE_FORCING_ATTR)
            if shortfall:
                lines.append(f"  {shortfall}")
        if _kept_last_only(self.trajectories):
            lines.append("  kept the last positions only: trajectories.nc holds the end of the "
                         "run (every output time of this many particles would pass 2 GiB or "
                         "half the free memory; --keep all to keep them anyway)")
        redrawn = int(self.trajectories.attrs.get("seeded_on_land_redrawn", 0))
        if redrawn:
            count = self.trajectories.sizes["trajectory"]
            lines.append(f"  {redrawn} of {count} particles first fell on land (about "
                         f"{redrawn / count:.0%} of the last known area is land) and were drawn "
                         "again at sea")
        for areas, circle in zip(self.areas, self.iamsar, strict=True):
            sizes = ", ".join(f"{entry.level:.0%} {entry.area_nm2:,.0f} NM²"
                              for entry in areas.levels)
            when = utc_and_local(parse_time(np.datetime64(areas.valid_time, "ms")),
                                 area_time_zone(areas.datum_lon, areas.datum_lat),
                                 areas.datum_lon)
            lines.append(f"{when}: datum "
                         f"{position_text(areas.datum_lon, areas.datum_lat)}; "
                         f"areas {sizes}; IAMSAR circle {circle.radius_nm:.1f} NM "
                         f"({circle.circle_area_nm2:,.0f} NM²)")
            lines.append(f"  {areas.shares_text()}")
        last = self.areas[-1]
        lines.extend(_member_lines(self.trajectories, last.valid_time))
        lines.append("  responsible for the datum: "
                     + holders_text(responsible(last.datum_lon, last.datum_lat)))
        return "\n".join(lines)

    # --- notebook helpers ----------------------------------------------------------------

    def __repr__(self) -> str:
        return f"<DriftResult\n{self.summary()}>"

    def _repr_html_(self) -> str:
        from sarkit._html import html_table

        table = self.to_dataframe()
        rows = [(utc_and_local(parse_time(np.datetime64(r.valid_time, "ms")),
                               area_time_zone(r.datum_lon, r.datum_lat), r.datum_lon),
                 f"{r.level:.0%}",
                 f"{r.area_nm2:,.0f}", format_position(r.datum_lon, r.datum_lat, 4),
                 f"{r.iamsar_radius_nm:.1f}") for r in table.itertuples()]
        notes = [describe_counts(status_counts(self.trajectories))]
        notes += [self.warning] if self.warning is not None else []
        notes += [f"wrote {name}: {path}" for name, path in self.files.items()]
        return html_table(self.scenario.name, ("valid time", "area", "area NM²", "datum",
                                               "IAMSAR radius NM"), rows, notes)

    def to_dataframe(self):
        """One row per valid time and area level.

        Returns
        -------
        pandas.DataFrame
            Columns ``valid_time``, ``level``, ``probability``, ``area_nm2``, ``cells``,
            ``datum_lon``, ``datum_lat``, ``iamsar_radius_nm``, ``iamsar_area_nm2``.
        """
        import pandas as pd

        rows = []
        for areas, circle in zip(self.areas, self.iamsar, strict=True):
            for entry in areas.levels:
                rows.append({
                    "valid_time": np.datetime64(areas.valid_time, "s"), "level": entry.level,
                    "probability": entry.probability, "area_nm2": entry.area_nm2,
                    "cells": entry.cells, "datum_lon": areas.datum_lon,
                    "datum_lat": areas.datum_lat, "iamsar_radius_nm": circle.radius_nm,
                    "iamsar_area_nm2": circle.circle_area_nm2})
        return pd.DataFrame(rows)

    def to_geojson(self) -> dict:
        """Everything ``areas.geojson`` holds, as an RFC 7946 FeatureCollection (a dict)."""
        return feature_collection(_features(self), name=self.scenario.name)

    def plot(self, time: int = -1, **kwargs):
        """Map of the areas at one valid time (an index; default the last), with the tracks,
        the LKP and the IAMSAR circle (:func:`sarkit.plot.areas.plot_search_areas`).

        Returns
        -------
        matplotlib.axes.Axes
        """
        from sarkit.plot.areas import plot_search_areas

        options = {"trajectories": self.trajectories, "iamsar": self.iamsar[time],
                   "lkp": _lkp(self.scenario), **kwargs}
        return plot_search_areas(self.areas[time], **options)


def _kept_last_only(trajectories: xr.Dataset) -> bool:
    """Whether the run kept only its last positions (``keep="final"``, ``attrs["kept"]``)."""
    return trajectories.sizes.get("time", 1) == 1 and str(
        trajectories.attrs.get("kept", "")).startswith("final")


def _valid_times(trajectories: xr.Dataset, at: Sequence | None) -> list:
    times = trajectories["time"].values
    if not at:
        return [times[-1]]
    if _kept_last_only(trajectories):
        raise SarkitError("only the last positions were kept (--keep final, or auto for this "
                          "many particles): there are no areas at other times",
                          "give --keep all (with fewer particles) for areas at --at times",
                          "--at")
    first, last = sorted((times[0], times[-1]))
    chosen = []
    for value in at:
        when = np.datetime64(round(check_time(value, "--at") * 1000), "ms")
        if not first <= when <= last:
            raise SarkitError(
                f"the time {value} is outside the run ({np.datetime_as_string(first, 'm')}Z .. "
                f"{np.datetime_as_string(last, 'm')}Z)",
                "give --at times within the run", "--at")
        chosen.append(when)
    return chosen


def _at_sea(areas: SearchAreas, grid: PocGrid) -> SearchAreas:
    """Cut the real coastline (the run's land raster) out of the areas."""
    west, south, east, north = areas.levels[-1].polygon.bounds
    pad = 0.05
    land = land_mask((west - pad, max(south - pad, -89.9), east + pad, min(north + pad, 89.9)))
    return clip_to_sea(areas, grid, land.polygons())


def _iamsar(scenario: Scenario, areas: SearchAreas, hours: float) -> IamsarArea:
    """The IAMSAR manual circle around the model's datum: E from X, De and Y (IAMSAR Vol. II)."""
    where = scenario.scenarios[0].where
    x_nm = where.radius_nm if isinstance(where, LastKnownPosition) else 5.0
    leeway_error = scenario.scenarios[0].object.downwind_std / KNOT
    error = total_probable_error_nm(
        drift_error_nm(drift_velocity_error_kt(leeway_error), hours), x_nm=max(x_nm, 0.0))
    return iamsar_area(areas.datum_lon, areas.datum_lat, error)


def _features(result: DriftResult) -> list[dict]:
    scenario = result.scenario
    common = {
        "object": ", ".join(sorted({s.object.id for s in scenario.scenarios})),
        "scenario": scenario.name,
        "particles": int(result.trajectories.sizes["trajectory"]),
    }
    features = []
    for grid, areas, circle in zip(result.grids, result.areas, result.iamsar, strict=True):
        when = str(np.datetime64(areas.valid_time, "s")) + "Z"
        features.extend(areas_features(areas, **common))
        features.append(feature(circle.polygon, {
            "kind": "iamsar_circle", "radius_nm": circle.radius_nm,
            "total_probable_error_nm": circle.total_probable_error_nm,
            "safety_factor": circle.safety_factor, "area_nm2": circle.circle_area_nm2,
            "valid_time": when, **common}))
        if grid.stranded_weight > 0 and len(grid.stranded_lonlat):
            points = shapely.MultiPoint(np.asarray(grid.stranded_lonlat))
            features.append(feature(points, {
                "kind": "stranded", "probability": grid.stranded_weight,
                "count": len(grid.stranded_lonlat), "valid_time": when, **common}))
    return features


def run_scenario(
    scenario: Scenario,
    out_dir: str | os.PathLike | None = None,
    *,
    particles: int | None = None,
    seed: int | None = None,
    at: Sequence | None = None,
    progress: Callable[[int, int], None] | None = None,
    draw_map: bool = True,
    scheduler=None,
    allow_incomplete_forcing: bool = False,
    keep: str = "all",
    map_process: MapProcess | None = None,
) -> DriftResult:
    """Run a scenario and make its search areas (and files, if ``out_dir`` is given).

    Parameters
    ----------
    scenario : Scenario
        From :func:`sarkit.scenario.load_scenario` or
        :func:`~sarkit.scenario.default_scenario`.
    out_dir : path, optional
        Folder for ``areas.geojson``, ``trajectories.nc`` and ``map.png``.
    particles, seed : int, optional
        Override the scenario's.
    at : sequence of times, optional
        Valid times for the areas (UTC); default the end of the run.
    progress : callable, optional
        ``progress(done, total)`` while drifting.
    draw_map : bool
        Also draw ``map.png`` (needs matplotlib).
    scheduler : distributed.Client or str, optional
        Drift on Dask: a Client, a scheduler address or ``"local"``
        (``pip install "sarkit[dask]"``); the result is the same.
    allow_incomplete_forcing : bool
        Run even where a forcing covers less than the drift can reach (CLI
        ``--allow-incomplete-forcing``; :func:`~sarkit.app.run.drift_scenario`). The areas
        stay shares of all the probability afloat, the share that left the forcing included
        (never renormalised over the particles inside); the files, the map and the summary
        give that share and :attr:`DriftResult.warning` says the areas are incomplete.
    keep : {"all", "final", "auto"}
        What the trajectories keep (:func:`~sarkit.app.run.drift_scenario`; CLI ``--keep``):
        with only the last positions, the areas are those of the end of the run and
        ``trajectories.nc`` holds that one time.
    map_process : MapProcess, optional
        Draw ``map.png`` in this child process (:class:`~sarkit.app.mapprocess.MapProcess`,
        started before the run so that matplotlib loads meanwhile: the CLI does) while the
        other files are written; the map is the same. By default it is drawn here.

    Raises
    ------
    SarkitError
        For any bad input, and when no particle is at sea at a valid time (all
        stranded or out of the forcing: there is no search area).
    ForcingCoverageError
        Where a forcing covers less than the drift can reach and
        ``allow_incomplete_forcing`` is not given.
    """
    if out_dir is not None:
        check_target(out_dir, "drift", scenario_inputs(scenario))
    count = scenario.particle_count if particles is None else particles
    chunk = max(int(count) // 20, 1) if progress is not None else None
    if scheduler is not None and chunk is None:
        chunk = max(int(count) // 20, 1)  # fixed by the count, never by the workers
    trajectories = drift_scenario(scenario, particles=particles, seed=seed, progress=progress,
                                  chunk_size=chunk, scheduler=scheduler,
                                  allow_incomplete_forcing=allow_incomplete_forcing, keep=keep)
    start, _stop = scenario.window()
    grids, areas, circles = [], [], []
    for when in _valid_times(trajectories, at):
        grid = poc_grid(trajectories, when)  # refuses a time with no particle at sea
        grids.append(grid)
        areas.append(_at_sea(search_areas(grid), grid))
        hours = abs((np.datetime64(when, "s") - np.datetime64(int(start), "s")).astype(float))
        circles.append(_iamsar(scenario, areas[-1], hours / 3600.0))
    result = DriftResult(scenario, trajectories, tuple(grids), tuple(areas), tuple(circles))
    if out_dir is None:
        return result
    return _write(result, Path(out_dir), draw_map, map_process or MapProcess.here())


def _write(result: DriftResult, folder: Path, draw_map: bool, maps: MapProcess) -> DriftResult:
    """Write every output into a staging folder, then move them all into ``folder``; the map
    first, where ``maps`` draws it in its own process while the other files are written."""
    collection = feature_collection(_features(result), name=result.scenario.name)
    names = {"areas": "areas.geojson", "kml": "areas.kml", "trajectories": "trajectories.nc",
             "summary": SUMMARY_NAME}
    if draw_map:
        names["map"] = "map.png"
    with staged_folder(folder, "drift", scenario_inputs(result.scenario)) as stage, \
            maps.finishing():  # the map, drawn meanwhile, waited for at the end
        if draw_map:
            from sarkit.plot.areas import drift_outline

            maps.draw("save_map", stage / names["map"], result.areas[-1],
                      trajectories=drift_outline(result.trajectories, result.areas[-1]),
                      iamsar=result.iamsar[-1], lkp=_lkp(result.scenario))
        write_geojson(collection, stage / names["areas"])
        write_kml(collection["features"], stage / names["kml"], name=result.scenario.name)
        write_trajectories(result.trajectories, stage / names["trajectories"])
        write_summary(result.situation(), stage / names["summary"])
    files = {key: folder / name for key, name in names.items()}
    return DriftResult(result.scenario, result.trajectories, result.grids, result.areas,
                       result.iamsar, files)


def _lkp(scenario: Scenario) -> tuple[float, float] | None:
    where = scenario.scenarios[0].where
    return (where.lon, where.lat) if isinstance(where, LastKnownPosition) else None


def _member_lines(trajectories: xr.Dataset, valid_time) -> list[str]:
    """Where the scenario weighs several forcings: each one's share and where it puts the boat
    at ``valid_time`` (the ensemble's datum may lie between the models' clouds)."""
    shares = member_shares(trajectories)
    if not shares:
        return []
    lines = ["  forcings weighed (the areas hold them all): " + "; ".join(
        f"{name} {share:.0%} ({count:,} particles)" for name, share, count in shares)]
    for name, _, lon, lat in member_datums(trajectories, valid_time):
        where = position_text(lon, lat) if np.isfinite(lon) else "no particle afloat"
        lines.append(f"    datum on {name}: {where}")
    return lines
