"""``sarkit mass``: a case file to per-case areas, the joint plan, handovers, table and map.

:func:`run_event` runs every case's drift, plans all cases together
(:func:`sarkit.mass.plan_cases`, joint rule) and, for comparison, by the own-region rule,
finds each case's handovers between search and rescue regions, and writes into a folder:

* ``plan.geojson`` -- every search rectangle and track of every case and period (properties
  of a plan's features plus ``case``, ``case_name``, ``period``, ``persons``), each case's
  datum per period (``kind = "datum"``), and top-level ``expected_found``, ``bound``,
  ``gap``, ``own_region_expected_found`` and ``gain_persons``;
* ``cases/<id>/areas.geojson`` -- each case's 50/90/95 % areas at the middle of the first
  period (before any search; the first period with probability at sea, else no area), and
  ``cases/<id>/trajectories.nc``;
* ``plan.csv`` -- one row per case, period and asset;
* ``handover.csv`` -- per case, the regions its probability enters and when;
* ``map.png`` -- all cases and rectangles of the first period, and the assets' bases;
* ``sitreps/<id>.txt`` -- a SITREP per case in the IAMSAR layout
  (:func:`sarkit.files.sitrep`) for the first period it is searched in: from the
  coordinator of the case file to the centres whose assets search it or whose region it
  enters; the later periods are its future plans.

Everything is computed first and written into a staging folder, then moved into place, so a
failure leaves no partial output.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from sarkit.app.run import drift_scenario
from sarkit.errors import SarkitError
from sarkit.files.casefile import Case, CaseFile
from sarkit.files.geojson import feature, feature_collection, write_geojson
from sarkit.files.trajectories import write_trajectories
from sarkit.forcing.timeaxis import format_time
from sarkit.mass.handover import Handover, handovers
from sarkit.mass.joint import JOINT, OWN_REGION, CaseRun, JointPlan, plan_cases
from sarkit.poc.areas import search_areas

__all__ = ["EventResult", "run_event"]


@dataclass(frozen=True, eq=False)
class EventResult:
    """What ``sarkit mass`` computed.

    Attributes
    ----------
    case_file : CaseFile
    runs : tuple of CaseRun
    joint : JointPlan
        All assets for all cases.
    own_region : JointPlan
        Each centre's assets for the cases in its own region only.
    handovers : dict
        Case id -> (start regions, list of Handover).
    files : dict of str to Path
    """

    case_file: CaseFile
    runs: tuple[CaseRun, ...]
    joint: JointPlan
    own_region: JointPlan
    handovers: dict[str, tuple[list[str], list[Handover]]]
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def gain_persons(self) -> float:
        """Expected persons found by the joint plan beyond the own-region rule."""
        return self.joint.expected_found - self.own_region.expected_found

    def to_dict(self) -> dict:
        """A JSON-ready summary (``sarkit mass --json``): cases, totals, handovers, files."""
        joint, own = self.joint, self.own_region
        cases = []
        for case in self.case_file.cases:
            _, entered = self.handovers[case.case_id]
            cases.append({
                "id": case.case_id, "name": case.name, "persons": case.persons,
                "children": case.children, "women": case.women, "injured": case.injured,
                "distress_time": format_time(case.distress_time()),
                "cumulative_pos": joint.cumulative_pos[case.case_id],
                "expected_found": case.persons * joint.cumulative_pos[case.case_id],
                "own_region_expected_found":
                    case.persons * own.cumulative_pos[case.case_id],
                "periods": [{"period": e.period + 1, "assets": list(e.assets), "pos": e.pos}
                            for e in joint.entries if e.case_id == case.case_id],
                "handovers": [{"region": h.region, "centre": h.centre,
                               "time": str(np.datetime64(h.time, "s")) + "Z", "share": h.share}
                              for h in entered]})
        return {
            "command": "mass", "name": self.case_file.name, "cases": cases,
            "expected_found": joint.expected_found, "bound": joint.bound, "gap": joint.gap,
            "own_region_expected_found": own.expected_found, "gain_persons": self.gain_persons,
            "idle": [{"asset": name, "period": k + 1, "reason": why}
                     for (name, k), why in joint.idle.items()],
            "files": {name: str(path) for name, path in self.files.items()}}

    def details(self) -> str:
        """What ``--verbose`` adds: every idle asset with the reason, per period and rule."""
        lines = []
        for label, plan in (("joint", self.joint), ("own-region rule", self.own_region)):
            for (name, k), why in sorted(plan.idle.items(), key=lambda item: item[0][::-1]):
                lines.append(f"{label}, period {k + 1}: {name} idle: {why}")
        return "\n".join(lines) or "every asset searched in every period"

    def summary(self) -> str:
        """The officer's summary: cases, the joint table, the gain, handovers, files."""
        lines = [f"{self.case_file.name}: {len(self.runs)} cases, "
                 f"{len(self.case_file.assets)} assets, {len(self.case_file.periods)} periods "
                 f"from {format_time(self.case_file.periods[0].start)}"]
        first = self.case_file.periods[0].start
        for case in self.case_file.cases:
            hours = (first - case.distress_time()) / 3600.0
            lines.append(f"  {case.case_id}: {case.name}, {case.aboard()}; in distress since "
                         f"{format_time(case.distress_time())} ({hours:.0f} h before the first "
                         "search period)")
        lines.append(self.joint.table())
        lines.append(f"own-region rule: expected persons found "
                     f"{self.own_region.expected_found:.1f}; the joint plan finds "
                     f"{self.gain_persons:+.1f} more")
        for centre, row in sorted(self.joint.by_centre().items()):
            lines.append(f"  {centre}: {row['sorties']:.0f} sorties, expected persons found "
                         f"{row['expected_found']:.1f}")
        for case_id, (start, entered) in self.handovers.items():
            where = f"in {', '.join(start)}" if start else "outside every known SRR"
            moves = "; ".join(f"enters {h.region} ({h.centre or 'centre unknown'}) at "
                              f"{np.datetime64(h.time, 'm')!s}Z with {h.share:.0%}"
                              for h in entered) or "stays"
            lines.append(f"handover {case_id}: starts {where}; {moves}")
        for name, path in self.files.items():
            lines.append(f"wrote {name}: {path}")
        return "\n".join(lines)


def run_event(case_file: CaseFile, out_dir: str | os.PathLike | None = None) -> EventResult:
    """Run every case, plan them together and by the own-region rule, and write the outputs.

    Parameters
    ----------
    case_file : CaseFile
        From :func:`sarkit.mass.load_case_file`.
    out_dir : path, optional
        Folder for the outputs (see the module notes); nothing is written without it.

    Raises
    ------
    SarkitError
        For any bad input (from the scenarios, the roster or the plans).
    """
    _check_sweep_widths(case_file)  # before the drifts: a roster error should come at once
    runs = tuple(CaseRun(case.case_id, case.persons,
                         drift_scenario(case.scenario, particles=case.particles, seed=case.seed))
                 for case in case_file.cases)
    common = {"weather": case_file.weather, "tables": case_file.tables,
              "cell_nm": case_file.cell_nm, "regions": case_file.regions}
    joint = plan_cases(runs, case_file.assets, case_file.periods, rule=JOINT, **common)
    own = plan_cases(runs, case_file.assets, case_file.periods, rule=OWN_REGION, **common)
    crossing = {run.case_id: handovers(run.trajectories, case_file.regions) for run in runs}
    result = EventResult(case_file, runs, joint, own, crossing)
    if out_dir is None:
        return result
    return _write(result, Path(out_dir))


def _check_sweep_widths(case_file: CaseFile) -> None:
    """Raise the roster's errors (a missing figure, a height without a sweep-width table ...)
    before any drift is run."""
    from sarkit.planning import asset_sweep_width, sweep_object_for

    objects = {sweep_object_for(sub.object.id) for case in case_file.cases
               for sub in case.scenario.scenarios}
    for asset in case_file.assets:
        asset.cruise, asset.endurance, asset.search_speed  # noqa: B018 - raise if missing
        for obj in sorted(objects):
            asset_sweep_width(asset, obj, case_file.weather, case_file.tables)


def _plan_features(result: EventResult) -> list[dict]:
    cases = {c.case_id: c for c in result.case_file.cases}
    features = []
    for entry in result.joint.entries:
        case: Case = cases[entry.case_id]
        extra = {"case": case.case_id, "case_name": case.name, "period": entry.period + 1,
                 "persons": case.persons}
        if entry.plan is not None:
            for item in entry.plan.to_geojson()["features"]:
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
        features = [] if entry is None else search_areas(entry.poc).to_features(
            case=case.case_id, case_name=case.name, persons=case.persons)
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
        to = sorted({item.rcc for item in first.plan.assignments if item.rcc}
                    | {h.centre for h in entered if h.centre})
        future = (f"search {plans}; update after each period; report again."
                  if plans else None)
        if entered:
            future = (future or "") + " Handover: " + "; ".join(
                f"probable area enters {h.region} ({h.centre or 'centre unknown'}) at "
                f"{np.datetime64(h.time, 'm')!s}Z" for h in entered) + "."
        out[case.case_id] = sitrep(
            first.plan, search_areas(first.poc), scenario=case.scenario,
            number=first.period + 1, from_centre=file.coordinator,
            to_centre=", ".join(to) or "NOT GIVEN", when=first.window.start,
            persons=case.persons, description=f"{case.name}: {case.aboard()}",
            earlier_pos=[e.pos for e in entries if e.period < first.period],
            future_plans=future)
    return out


def _csv(rows: list[list], header: list[str]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue()


def _plan_rows(joint: JointPlan) -> list[list]:
    persons = {c.case_id: c.persons for c in joint.cases}
    rows = []
    for entry in joint.entries:
        if entry.plan is None:
            rows.append([entry.case_id, entry.period + 1, persons[entry.case_id], "", "", "",
                         "", "", "", f"{entry.pos:.4f}", f"{entry.expected_found:.2f}"])
            continue
        for item in entry.plan.assignments:
            rows.append([entry.case_id, entry.period + 1, persons[entry.case_id], item.name,
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
                         f"{h.lat:.4f} {h.lon:.4f}"])
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
    if folder.exists() and not folder.is_dir():
        raise SarkitError("is a file, not a folder", "give a folder for the outputs", folder)
    folder.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".sarkit-", dir=folder))
    names = ["plan.geojson", "plan.csv", "handover.csv", "map.png", "cases", "sitreps"]
    try:
        write_geojson(collection, stage / "plan.geojson")
        (stage / "plan.csv").write_text(_csv(_plan_rows(joint), [
            "case", "period", "persons", "asset", "rcc", "pattern", "start_time", "end_time",
            "asset_pos", "case_pos", "expected_found"]), encoding="utf-8")
        (stage / "handover.csv").write_text(_csv(_handover_rows(result), [
            "case", "starts_in", "enters", "centre", "time", "share", "where_lat_lon"]),
            encoding="utf-8")
        for run in result.runs:
            case_dir = stage / "cases" / run.case_id
            case_dir.mkdir(parents=True)
            write_geojson(areas[run.case_id], case_dir / "areas.geojson")
            write_trajectories(run.trajectories, case_dir / "trajectories.nc")
        (stage / "sitreps").mkdir()
        for case_id, text in _sitreps(result).items():
            (stage / "sitreps" / f"{case_id}.txt").write_text(text, encoding="utf-8")
        from sarkit.plot.mass import save_event_map

        save_event_map(stage / "map.png", result)
        for name in ("cases", "sitreps"):
            if (folder / name).is_dir():
                shutil.rmtree(folder / name)
        for name in names:
            os.replace(stage / name, folder / name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    files = {name: folder / name for name in names}
    return EventResult(result.case_file, result.runs, joint, own, result.handovers, files)
