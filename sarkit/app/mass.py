"""``sarkit mass``: a case file to per-case areas, the joint plan, handovers, table and map.

:func:`run_event` runs every case's drift, plans the event (:func:`sarkit.mass.plan_event`:
all cases together and, for comparison, by the own-region rule; each case's handovers between
search and rescue regions), and writes into a folder:

* ``plan.geojson`` -- every search rectangle and track of every case and period (properties
  of a plan's features plus ``case``, ``case_name``, ``period``, ``persons``), each case's
  datum per period (``kind = "datum"``), and top-level ``expected_found``, ``bound``,
  ``gap``, ``own_region_expected_found`` and ``gain_persons``;
* ``cases/<id>/areas.geojson`` -- each case's 50/90/95 % areas at the middle of the first
  period (before any search; the first period with probability at sea, else no area), and
  ``cases/<id>/trajectories.nc`` (``<id>`` the case id made a safe folder name,
  :func:`sarkit.files.outdir.file_names`: a case ``../../x`` writes ``cases/x``);
* ``plan.csv`` -- one row per case, period and asset;
* ``handover.csv`` -- per case, the regions its probability enters and when;
* ``summary.txt`` -- what an officer reads out (:meth:`EventResult.situation`: the cases, the
  joint table, the gain, the handovers, times in UTC and local time;
  :func:`sarkit.files.summary.write_summary`);
* ``map.png`` -- all cases and rectangles of the first period, and the assets' bases;
* ``sitreps/<id>.txt`` -- a SITREP per case in the IAMSAR layout
  (:func:`sarkit.files.sitrep`) for the first period it is searched in: from the
  coordinator of the case file to the centres whose assets search it or whose region it
  enters; the later periods are its future plans.

Everything is computed first and written into a staging folder, then moved into place
(:func:`sarkit.files.outdir.staged_folder`), so a failure leaves no partial output.
:class:`~sarkit.mass.event.EventResult` is the core's, re-exported here.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import shapely

from sarkit.app.run import drift_scenario, scenario_inputs
from sarkit.files.casefile import Case, CaseFile
from sarkit.files.csv_tables import csv_text
from sarkit.files.geojson import (
    areas_features,
    feature,
    feature_collection,
    plan_collection,
    write_geojson,
)
from sarkit.files.outdir import check_target, file_names, staged_folder
from sarkit.files.summary import SUMMARY_NAME, write_summary
from sarkit.files.trajectories import write_trajectories
from sarkit.mass.event import EventResult, check_sweep_widths, plan_event
from sarkit.mass.joint import CaseRun, JointPlan
from sarkit.planning.assets import centre_name, centre_time_zone
from sarkit.poc.areas import search_areas
from sarkit.positions import format_position
from sarkit.times import format_time, parse_time, utc_and_local

__all__ = ["EventResult", "run_event"]


def run_event(case_file: CaseFile, out_dir: str | os.PathLike | None = None) -> EventResult:
    """Run every case, plan them together and by the own-region rule, and write the outputs.

    Parameters
    ----------
    case_file : CaseFile
        From :func:`sarkit.files.load_case_file`.
    out_dir : path, optional
        Folder for the outputs (see the module notes); nothing is written without it.

    Raises
    ------
    SarkitError
        For any bad input (from the scenarios, the roster or the plans).
    """
    check_sweep_widths(case_file)  # before the drifts: a roster error should come at once
    if out_dir is not None:
        check_target(out_dir, "mass", event_inputs(case_file))
    runs = tuple(CaseRun(case.case_id, case.persons,
                         drift_scenario(case.scenario, particles=case.particles, seed=case.seed))
                 for case in case_file.cases)
    result = plan_event(case_file, runs)
    if out_dir is None:
        return result
    return _write(result, Path(out_dir))


def event_inputs(case_file: CaseFile) -> tuple[Path, ...]:
    """The files ``sarkit mass`` reads: the case file and each case's scenario files."""
    files = [case_file.path] if case_file.path is not None else []
    return (*files, *(p for case in case_file.cases for p in scenario_inputs(case.scenario)))


def _plan_features(result: EventResult) -> list[dict]:
    cases = {c.case_id: c for c in result.case_file.cases}
    features = []
    for entry in result.joint.entries:
        case: Case = cases[entry.case_id]
        extra = {"case": case.case_id, "case_name": case.name, "period": entry.period + 1,
                 "persons": case.persons}
        if entry.plan is not None:
            for item in plan_collection(entry.plan)["features"]:
                item["properties"] = {**item["properties"], **extra}
                features.append(item)
        elif entry.poc is not None:
            features.append(feature(
                shapely.Point(entry.poc.datum_lon, entry.poc.datum_lat),
                {"kind": "datum", "valid_time": str(np.datetime64(entry.poc.valid_time, "s"))
                 + "Z", **extra}))
    return features


def _areas(result: EventResult) -> dict[str, dict]:
    out = {}
    for case in result.case_file.cases:
        entry = next((e for e in result.joint.entries
                      if e.case_id == case.case_id and e.poc is not None), None)
        features = [] if entry is None else areas_features(
            search_areas(entry.poc), case=case.case_id, case_name=case.name, persons=case.persons)
        out[case.case_id] = feature_collection(
            features, name=f"{case.case_id}: {case.name}",
            note="" if entry is None else f"areas of period {entry.period + 1}, before its search")
    return out


def _sitreps(result: EventResult) -> dict[str, str]:
    """Per case, the SITREP of the first period it is searched in (none if never searched)."""
    from sarkit.files.sitrep import sitrep

    file = result.case_file
    out = {}
    for case in file.cases:
        entries = [e for e in result.joint.entries if e.case_id == case.case_id]
        first = next((e for e in entries if e.plan is not None), None)
        if first is None:
            continue
        later = [e for e in entries if e.period > first.period]
        plans = "; ".join(f"period {e.period + 1} ({e.window}): "
                          f"{', '.join(e.assets) if e.assets else 'no asset'}" for e in later)
        _, entered = result.handovers[case.case_id]
        to = sorted({centre_name(item.rcc) for item in first.plan.assignments if item.rcc}
                    | {centre_name(h.centre) for h in entered if h.centre})
        future = (f"search {plans}; update after each period; report again."
                  if plans else None)
        if entered:
            future = (future or "") + " Handover: " + "; ".join(
                f"probable area enters {h.region} ({centre_name(h.centre)}) at "
                f"{utc_and_local(parse_time(h.time), centre_time_zone(h.centre), h.lon)}"
                for h in entered) + "."
        out[case.case_id] = sitrep(
            first.plan, search_areas(first.poc), scenario=case.scenario,
            number=first.period + 1, from_centre=file.coordinator,
            to_centre=", ".join(to) or "NOT GIVEN", when=first.window.start,
            persons=case.persons, description=f"{case.name}: {case.aboard()}",
            earlier_pos=[e.pos for e in entries if e.period < first.period],
            future_plans=future)
    return out


def _plan_rows(joint: JointPlan) -> list[list]:
    persons = {c.case_id: c.persons for c in joint.cases}
    rows = []
    for entry in joint.entries:
        if entry.plan is None:
            rows.append([entry.case_id, entry.period + 1, persons[entry.case_id], "", "", "",
                         "", "", "", f"{entry.pos:.4f}", f"{entry.expected_found:.2f}"])
            continue
        for item in entry.plan.assignments:
            rows.append([entry.case_id, entry.period + 1, persons[entry.case_id], item.label,
                         item.rcc or "", item.pattern.kind, format_time(item.start),
                         format_time(item.end), f"{item.pos:.4f}", f"{entry.pos:.4f}",
                         f"{entry.expected_found:.2f}"])
    return rows


def _handover_rows(result: EventResult) -> list[list]:
    rows = []
    for case_id, (start, entered) in result.handovers.items():
        rows.append([case_id, "; ".join(start) or "outside every known SRR", "", "", "", "",
                     ""])
        for h in entered:
            rows.append([case_id, "", h.region, h.centre or "",
                         str(np.datetime64(h.time, "s")) + "Z", f"{h.share:.3f}",
                         format_position(h.lon, h.lat, 4)])
    return rows


def _write(result: EventResult, folder: Path) -> EventResult:
    joint, own = result.joint, result.own_region
    collection = feature_collection(
        _plan_features(result), name=result.case_file.name, expected_found=joint.expected_found,
        bound=joint.bound, gap=joint.gap, own_region_expected_found=own.expected_found,
        gain_persons=result.gain_persons,
        idle=[{"asset": name, "period": k + 1, "reason": why}
              for (name, k), why in joint.idle.items()])
    areas = _areas(result)
    names = ["plan.geojson", SUMMARY_NAME, "plan.csv", "handover.csv", "map.png", "cases",
             "sitreps"]
    with staged_folder(folder, "mass", event_inputs(result.case_file)) as stage:
        write_geojson(collection, stage / "plan.geojson")
        write_summary(result.situation(), stage / SUMMARY_NAME)
        (stage / "plan.csv").write_text(csv_text([
            "case", "period", "persons", "asset", "rcc", "pattern", "start_time", "end_time",
            "asset_pos", "case_pos", "expected_found"], _plan_rows(joint)), encoding="utf-8")
        (stage / "handover.csv").write_text(csv_text([
            "case", "starts_in", "enters", "centre", "time", "share", "where_lat_lon"],
            _handover_rows(result)), encoding="utf-8")
        folders = file_names([run.case_id for run in result.runs], fallback="case")
        for run in result.runs:
            case_dir = stage / "cases" / folders[run.case_id]
            case_dir.mkdir(parents=True)
            write_geojson(areas[run.case_id], case_dir / "areas.geojson")
            write_trajectories(run.trajectories, case_dir / "trajectories.nc")
        (stage / "sitreps").mkdir()
        for case_id, text in _sitreps(result).items():
            (stage / "sitreps" / f"{folders[case_id]}.txt").write_text(text, encoding="utf-8")
        from sarkit.plot.mass import save_event_map

        save_event_map(stage / "map.png", result)
    files = {name: folder / name for name in names}
    return EventResult(result.case_file, result.runs, joint, own, result.handovers, files)
