"""``sarkit plan`` and ``sarkit update``: a plan file's search plan and its folder.

* :func:`run_plan` -- plan the plan file's search window on its drift (or on trajectories
  given, e.g. updated after a search) and write the plan's folder
  (:func:`sarkit.app.plan_outputs.write_plan`, with the trajectories and the search areas at
  mid-search);
* :func:`run_update` -- the search update: the particles' weights after searches that found
  nothing (:func:`sarkit.planning.update_after_search`), each rectangle's POD the planned one
  unless given; :func:`read_flown` reads the rectangles of the plans flown.

``sarkit update`` is :func:`run_update`, then :func:`run_plan` on its trajectories.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from sarkit.app.mapprocess import MapProcess
from sarkit.app.plan_outputs import write_plan
from sarkit.app.run import plan_trajectories, scenario_inputs
from sarkit.errors import SarkitError
from sarkit.files.geojson import FlownSearch, areas_features, read_searched
from sarkit.files.outdir import check_target
from sarkit.files.planfile import PlanFile
from sarkit.planning.assets import Asset
from sarkit.planning.plan import SearchPlan, plan_search
from sarkit.planning.sorties import AssetAfter, FlownEnd, assets_after
from sarkit.planning.update import SearchedArea, SearchUpdate, update_after_search
from sarkit.poc.areas import search_areas

__all__ = ["PlanRun", "UpdateRun", "plan_inputs", "read_flown", "run_plan", "run_update"]


@dataclass(frozen=True, eq=False)
class PlanRun:
    """What :func:`run_plan` made.

    Attributes
    ----------
    plan : SearchPlan
    files : dict of str to Path
        What was written, by a short name (:func:`sarkit.app.plan_outputs.write_plan`).
    """

    plan: SearchPlan
    files: dict[str, Path]


def plan_inputs(plan_file: PlanFile, searched: Iterable[str | os.PathLike] = ()
                ) -> tuple[Path, ...]:
    """The files ``sarkit plan`` (and ``update``, with the plans ``searched``) reads: the plan
    file, its drift's trajectories or scenario files; its output folder may hold none."""
    drift = plan_file.drift
    files = [plan_file.path] if plan_file.path is not None else []
    if drift.trajectories_path is not None:
        files.append(drift.trajectories_path)
    if drift.scenario is not None:
        files.extend(scenario_inputs(drift.scenario))
    return (*files, *(Path(p) for p in searched))


def run_plan(plan_file: PlanFile, out_dir: str | os.PathLike, *,
             trajectories: xr.Dataset | None = None, draw_map: bool = True,
             searched: Sequence[str | os.PathLike] = (),
             assets: Sequence[Asset] | None = None,
             flown: Sequence[FlownSearch] = (),
             map_process: MapProcess | None = None) -> PlanRun:
    """Plan the plan file's search window and write the plan's folder.

    Parameters
    ----------
    plan_file : PlanFile
        From :func:`sarkit.files.load_plan_file`: roster, window, weather, sweep-width object
        and tables, POC cell size.
    out_dir : path-like
        The plan's folder (made where missing).
    trajectories : xarray.Dataset, optional
        The drift to plan on (e.g. :attr:`UpdateRun.trajectories`); by default the plan
        file's (:func:`sarkit.app.plan_trajectories`).
    draw_map : bool
        Also draw ``plan.png``.
    searched : sequence of path-like
        The plans searched (``sarkit update``): inputs the folder may not hold.
    assets : sequence of Asset, optional
        The assets as the searches left them (:attr:`UpdateRun.assets`); by default the
        plan file's.
    flown : sequence of FlownSearch
        The rectangles searched (:attr:`UpdateRun.flown`): the map shows them.
    map_process : MapProcess, optional
        Draw ``plan.png`` in this child process, started before (:mod:`sarkit.app.mapprocess`;
        the CLI does); by default here.

    Returns
    -------
    PlanRun

    Raises
    ------
    SarkitError
        Everything :func:`sarkit.planning.plan_search` refuses, and an ``out_dir`` that breaks
        the rule of ``--out`` (:func:`sarkit.files.outdir.check_target`).
    """
    inputs = plan_inputs(plan_file, searched)
    check_target(out_dir, "plan", inputs)
    if trajectories is None:
        trajectories = plan_trajectories(plan_file.drift)
    roster = plan_file.assets if assets is None else tuple(assets)
    plan = plan_search(trajectories, roster, plan_file.window, plan_file.weather,
                       search_object=plan_file.search_object, tables=plan_file.tables,
                       cell_nm=plan_file.cell_nm, name=plan_file.name)
    areas = areas_features(search_areas(plan.poc), scenario=plan_file.name)
    files = write_plan(plan, out_dir, trajectories=trajectories, areas_features=areas,
                       draw_map=draw_map, inputs=inputs, searched=flown,
                       map_process=map_process)
    return PlanRun(plan, files)


@dataclass(frozen=True, eq=False)
class UpdateRun:
    """What :func:`run_update` computed.

    Attributes
    ----------
    flown : tuple of FlownSearch
        The rectangles searched, in the order flown.
    searches : tuple of SearchedArea
        Each with the POD used and the middle of its search.
    update : SearchUpdate
        The updated trajectories, each search's POS and their cumulative POS.
    assets : tuple of AssetAfter
        The plan file's assets as the searches left them: where each is and when it is free
        (:func:`sarkit.planning.sorties.assets_after`).
    """

    flown: tuple[FlownSearch, ...]
    searches: tuple[SearchedArea, ...]
    update: SearchUpdate
    assets: tuple[AssetAfter, ...] = ()

    @property
    def trajectories(self) -> xr.Dataset:
        """The drift with the particles' weights after the searches."""
        return self.update.trajectories

    @property
    def searched(self) -> list[tuple[str, float]]:
        """(asset, POD used) per search, in the order flown."""
        return [(item.asset, search.pod)
                for item, search in zip(self.flown, self.searches, strict=True)]


def read_flown(paths: Iterable[str | os.PathLike]) -> tuple[FlownSearch, ...]:
    """The search rectangles of the plans flown (folders or ``plan.geojson`` files), in order.

    Raises
    ------
    SarkitError
        From :func:`sarkit.files.geojson.read_searched`.
    """
    return tuple(item for path in paths for item in read_searched(path))


def run_update(plan_file: PlanFile, flown: Sequence[FlownSearch],
               pods: Mapping[str, float] | None = None) -> UpdateRun:
    """Update the plan file's drift after searches that found nothing.

    Parameters
    ----------
    plan_file : PlanFile
        The plan file of the next period; its drift should be the one the searched plans
        used.
    flown : sequence of FlownSearch
        The rectangles searched (:func:`read_flown`), in the order flown; each lowers the
        probability of the particles inside it at the middle of its search by its POD.
    pods : mapping of str to float, optional
        POD achieved by an asset where it differs from the planned one (0 where it did not
        search).

    Returns
    -------
    UpdateRun

    Raises
    ------
    SarkitError
        ``pods`` naming an asset that is not in the searched plans, and what the drift and
        :func:`sarkit.planning.update_after_search` refuse.
    """
    pods = dict(pods or {})
    flown = tuple(flown)
    unknown = sorted(set(pods) - {item.asset for item in flown})
    if unknown:
        raise SarkitError(f"--pod names {', '.join(map(repr, unknown))}, not in the searched "
                          "plan", "use one of: " + ", ".join(sorted({i.asset for i in flown})),
                          "--pod")
    searches = tuple(SearchedArea(item.polygon, pods.get(item.asset, item.pod),
                                  np.datetime64(round(0.5 * (item.start + item.end)), "s"),
                                  {} if item.asset in pods else item.class_pod)
                     for item in flown)
    update = update_after_search(plan_trajectories(plan_file.drift), searches)
    after = assets_after(plan_file.assets, [FlownEnd(item.asset, item.end, item.end_lon,
                                                     item.end_lat) for item in flown])
    return UpdateRun(flown, searches, update, after)
