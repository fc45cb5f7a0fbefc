"""A search plan's files, written all at once through a staging folder.

:func:`write_plan` writes into a folder:

* ``plan.geojson`` -- :func:`sarkit.files.geojson.plan_collection` (RFC 7946): a Polygon per
  assigned rectangle and a LineString per asset's track, with the plan's totals and the
  assets left out (with the reason) as top-level members;
* ``summary.txt`` -- the plan in the lines an officer reads out or pastes into a SITREP
  (:func:`sarkit.planning.plan_situation`, :func:`sarkit.files.summary.write_summary`);
* ``<asset>.gpx`` -- one GPX 1.1 route per assigned asset (file names made safe: letters,
  digits, ``-``, ``_`` and ``.`` only);
* ``plan.csv`` -- the plan table (:data:`sarkit.planning.plan.TABLE_COLUMNS`), then one row per
  asset left out with its reason in the ``left_out_reason`` column;
* ``waypoints.csv`` -- every asset's waypoints in the order flown, decimal degrees and degrees
  and decimal minutes (:mod:`sarkit.files.waypoints_csv`);
* ``plan.png`` -- a map (:func:`sarkit.plot.plan.save_plan_map`; with the rectangles searched
  before, after ``sarkit update``), unless ``draw_map`` is False;
* ``trajectories.nc`` and ``areas.geojson`` when given: the drift the plan searched (with
  updated weights after earlier searches) and its search areas at mid-search, so that the
  folder is all ``sarkit update`` and the next plan need.

The rectangles of a ``plan.geojson`` are read back for the search update by
:func:`sarkit.files.geojson.read_searched`.

Everything goes into a staging folder beside the target first and is moved in only when
every file is written (:func:`sarkit.files.outdir.staged_folder`), so a failure leaves no
partial output.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import xarray as xr

from sarkit.app.mapprocess import MapProcess
from sarkit.files.csv_tables import plan_csv
from sarkit.files.geojson import (
    FlownSearch,
    feature_collection,
    plan_collection,
    write_geojson,
)
from sarkit.files.gpx import write_gpx
from sarkit.files.outdir import file_names, staged_folder
from sarkit.files.summary import SUMMARY_NAME, write_summary
from sarkit.files.trajectories import write_trajectories
from sarkit.files.waypoints_csv import write_waypoints_csv
from sarkit.planning.plan import SearchPlan
from sarkit.planning.situation import plan_situation

__all__ = ["gpx_names", "write_plan"]

_OUTPUT_STEMS = ("plan", "areas", "trajectories", "waypoints", "summary")
"""The stems of the plan folder's own files: no asset's route takes one."""


def gpx_names(plan: SearchPlan) -> dict[str, str]:
    """Asset name -> its GPX file name (:func:`sarkit.files.outdir.file_names`: safe, unique
    within the folder, never one of the folder's own files)."""
    return file_names(list(dict.fromkeys(item.name for item in plan.assignments)), suffix=".gpx",
                      reserved=_OUTPUT_STEMS, fallback="asset")


def write_plan(plan: SearchPlan, folder: str | os.PathLike, *,
               trajectories: xr.Dataset | None = None, areas_features: list[dict] | None = None,
               draw_map: bool = True, inputs: Sequence[str | os.PathLike] = (),
               searched: Sequence[FlownSearch] = (),
               map_process: MapProcess | None = None) -> dict[str, Path]:
    """Write the plan's files into ``folder`` (see the module docstring), all or nothing.

    Parameters
    ----------
    plan : SearchPlan
        From :func:`sarkit.planning.plan_search`.
    folder : path-like
        A new folder, or an earlier plan's, which is replaced whole (the rule of ``--out``,
        :func:`sarkit.files.outdir.check_target`).
    trajectories : xarray.Dataset, optional
        Also write them as ``trajectories.nc``.
    areas_features : list of dict, optional
        GeoJSON features of the search areas to write as ``areas.geojson``.
    draw_map : bool
        Also draw ``plan.png`` (needs matplotlib).
    inputs : sequence of path-like
        What the plan was made from: ``folder`` may not hold it.
    searched : sequence of FlownSearch
        The rectangles searched before (``sarkit update``): the map shows them.
    map_process : MapProcess, optional
        Draw ``plan.png`` in this child process (:mod:`sarkit.app.mapprocess`) while the other
        files are written; by default here.

    Returns
    -------
    dict of str to Path
        What was written, by a short name (``"plan"``, ``"csv"``, ``"waypoints"``,
        ``"summary"``, ``"trajectories"``, ``"areas"``, ``"map"``, and ``"route: NAME"`` per
        asset).

    Raises
    ------
    SarkitError
        Where ``folder`` breaks the rule of ``--out``.
    """
    folder = Path(folder)
    names: dict[str, str] = {"plan": "plan.geojson", "csv": "plan.csv",
                             "waypoints": "waypoints.csv", "summary": SUMMARY_NAME}
    maps = map_process or MapProcess.here()
    with staged_folder(folder, "plan", inputs) as stage, maps.finishing():
        if draw_map:  # first: a map process draws it while the files are written
            names["map"] = "plan.png"
            # of the drift the map says only whether its forcing was SYNTHETIC
            drift = None if trajectories is None else xr.Dataset(
                attrs=dict(trajectories.attrs))
            maps.draw("save_plan_map", stage / names["map"], plan, trajectories=drift,
                      searched=searched)
        write_geojson(plan_collection(plan), stage / names["plan"])
        write_summary(plan_situation(plan), stage / names["summary"])
        (stage / names["csv"]).write_text(plan_csv(plan), encoding="utf-8")
        write_waypoints_csv(plan, stage / names["waypoints"])
        routes = gpx_names(plan)
        for asset, route in routes.items():
            patterns = {item.label: item.pattern for item in plan.assignments
                        if item.name == asset}
            write_gpx(stage / route, patterns, name=plan.name or None)
            names[f"route: {asset}"] = route
        if trajectories is not None:
            names["trajectories"] = "trajectories.nc"
            write_trajectories(trajectories, stage / names["trajectories"])
        if areas_features is not None:
            names["areas"] = "areas.geojson"
            write_geojson(feature_collection(areas_features, name=plan.name),
                          stage / names["areas"])
    return {key: folder / name for key, name in names.items()}
