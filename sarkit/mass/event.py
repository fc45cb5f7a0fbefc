"""A mass event planned: every case jointly and by the own-region rule, and its handovers.

:func:`plan_event` takes the content of a case file and each case's drift and returns an
:class:`EventResult`: the joint plan (:func:`sarkit.mass.plan_cases`, :data:`JOINT`), the
plan by the own-region rule for comparison (:data:`OWN_REGION`), and each case's handovers
between search and rescue regions (:func:`sarkit.mass.handovers`). :func:`check_sweep_widths`
raises a roster's errors before any drift is run.

The content of a case file is :class:`sarkit.files.casefile.CaseFile`, or anything with the
attributes of :class:`EventCases`. Nothing here reads or writes a file, prints or draws:
:func:`sarkit.app.run_event` runs the drifts and writes the outputs, and
:func:`sarkit.plot.plot_event` draws the map.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from sarkit.mass.handover import Handover, handovers
from sarkit.mass.joint import JOINT, OWN_REGION, CaseRun, JointPlan, plan_cases
from sarkit.planning.assets import Asset, centre_name, centre_time_zone
from sarkit.planning.plan import SearchWindow, Weather, asset_sweep_width, sweep_object_for
from sarkit.planning.regions import SearchRegion, area_time_zone
from sarkit.scenario import Scenario
from sarkit.times import format_time, parse_time, utc_and_local

__all__ = ["EventCase", "EventCases", "EventResult", "check_sweep_widths", "plan_event"]


class EventCase(Protocol):
    """One case of an event, as an event reads it (:class:`sarkit.files.casefile.Case` is one).

    Its ``case_id``, ``name``, drift ``scenario``, ``persons`` aboard and, where known,
    ``children``, ``women`` and ``injured``, as read-only attributes.
    """

    @property
    def case_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def scenario(self) -> Scenario: ...
    @property
    def persons(self) -> int: ...
    @property
    def children(self) -> int | None: ...
    @property
    def women(self) -> int | None: ...
    @property
    def injured(self) -> int | None: ...

    def distress_time(self) -> float:
        """Earliest time of distress, epoch seconds UTC."""
        ...

    def aboard(self) -> str:
        """Who is aboard, as the officer reads it: "120 persons (40 children)"."""
        ...


class EventCases(Protocol):
    """What an event is planned from: the content of a case file
    (:class:`sarkit.files.casefile.CaseFile` is one).

    Its ``name``, ``cases``, roster (``assets``), search and rescue ``regions``, search
    ``periods``, on-scene ``weather``, sweep-width ``tables`` and POC ``cell_nm`` (None: from
    the spread of the drift), as read-only attributes.
    """

    @property
    def name(self) -> str: ...
    @property
    def cases(self) -> Sequence[EventCase]: ...
    @property
    def assets(self) -> Sequence[Asset]: ...
    @property
    def regions(self) -> Sequence[SearchRegion]: ...
    @property
    def periods(self) -> Sequence[SearchWindow]: ...
    @property
    def weather(self) -> Weather: ...
    @property
    def tables(self) -> str: ...
    @property
    def cell_nm(self) -> float | None: ...


@dataclass(frozen=True, eq=False)
class EventResult:
    """What ``sarkit mass`` computed.

    Attributes
    ----------
    case_file : EventCases
        The case file's content (a :class:`sarkit.files.casefile.CaseFile`).
    runs : tuple of CaseRun
    joint : JointPlan
        All assets for all cases.
    own_region : JointPlan
        Each centre's assets for the cases in its own region only.
    handovers : dict
        Case id -> (start regions, list of Handover).
    files : dict of str to Path
        What :func:`sarkit.app.run_event` wrote, by name; empty where nothing was written.
    """

    case_file: EventCases
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
        """:meth:`situation`, then the files written."""
        lines = [self.situation()]
        lines += [f"wrote {name}: {path}" for name, path in self.files.items()]
        return "\n".join(lines)

    def situation(self) -> str:
        """The officer's summary, the lines ``summary.txt`` holds: cases (their distress time in
        UTC and the local time of their area), the joint table, the gain, the centres' shares,
        handovers (each in UTC and the local time of the centre the case enters)."""
        zones = {case.case_id: self._zone(case.case_id) for case in self.case_file.cases}
        first = self.case_file.periods[0].start
        shared = set(zones.values())  # one local time where every case has the same zone
        zone, lon = shared.pop() if len(shared) == 1 else (None, None)
        lines = [f"{self.case_file.name}: {len(self.runs)} cases, "
                 f"{len(self.case_file.assets)} assets, {len(self.case_file.periods)} periods "
                 f"from {utc_and_local(first, zone, lon)}"]
        for case in self.case_file.cases:
            hours = (first - case.distress_time()) / 3600.0
            lines.append(f"  {case.case_id}: {case.name}, {case.aboard()}; in distress since "
                         f"{utc_and_local(case.distress_time(), *zones[case.case_id])} "
                         f"({hours:.0f} h before the first search period)")
        lines.append(self.joint.table())
        lines.append(f"own-region rule: expected persons found "
                     f"{self.own_region.expected_found:.1f}; the joint plan finds "
                     f"{self.gain_persons:+.1f} more")
        for centre, row in sorted(self.joint.by_centre().items()):
            lines.append(f"  {centre_name(centre)}: "
                         f"{row['sorties']:.0f} sorties, expected persons found "
                         f"{row['expected_found']:.1f}")
        for case_id, (start, entered) in self.handovers.items():
            where = f"in {', '.join(start)}" if start else "outside every known SRR"
            moves = "; ".join(
                f"enters {h.region} ({centre_name(h.centre)}) at "
                f"{utc_and_local(parse_time(h.time), centre_time_zone(h.centre), h.lon)}"
                f" with {h.share:.0%}" for h in entered) or "stays"
            lines.append(f"handover {case_id}: starts {where}; {moves}")
        return "\n".join(lines)

    def _zone(self, case_id: str) -> tuple[str | None, float | None]:
        """The time zone of a case's area (its responsible centre's) and its datum's longitude,
        at the first period with probability at sea."""
        entry = next((e for e in self.joint.entries
                      if e.case_id == case_id and e.poc is not None), None)
        if entry is None:
            return None, None
        lon, lat = entry.poc.datum_lon, entry.poc.datum_lat
        return area_time_zone(lon, lat, self.case_file.regions), lon


def check_sweep_widths(case_file: EventCases) -> None:
    """Raise the roster's errors before any drift is run.

    Every asset needs its cruise speed, endurance and search speed, and a sweep-width table
    for its platform and search height, for the search object of every case (its leeway
    class mapped by :func:`sarkit.planning.sweep_object_for`).

    Parameters
    ----------
    case_file : EventCases
        The case file's content.

    Raises
    ------
    SarkitError
        A missing figure, a platform or height without a sweep-width table, or a leeway
        class without a sweep-width object (:func:`sarkit.planning.asset_sweep_width`).
    """
    objects = {sweep_object_for(sub.object.id) for case in case_file.cases
               for sub in case.scenario.scenarios}
    for asset in case_file.assets:
        asset.cruise, asset.endurance, asset.search_speed  # noqa: B018 - raise if missing
        for obj in sorted(objects):
            asset_sweep_width(asset, obj, case_file.weather, case_file.tables)


def plan_event(case_file: EventCases, runs: Sequence[CaseRun]) -> EventResult:
    """Plan every case together and by the own-region rule, and find the handovers.

    Parameters
    ----------
    case_file : EventCases
        The case file's content: cases, roster, search and rescue regions, periods, weather,
        sweep-width tables and POC cell size.
    runs : sequence of CaseRun
        Each case's drift, in the order of ``case_file.cases``.

    Returns
    -------
    EventResult
        With no files.

    Raises
    ------
    SarkitError
        Everything :func:`sarkit.mass.plan_cases` refuses.
    """
    runs = tuple(runs)
    common = {"weather": case_file.weather, "tables": case_file.tables,
              "cell_nm": case_file.cell_nm, "regions": case_file.regions}
    joint = plan_cases(runs, case_file.assets, case_file.periods, rule=JOINT, **common)
    own = plan_cases(runs, case_file.assets, case_file.periods, rule=OWN_REGION, **common)
    crossing = {run.case_id: handovers(run.trajectories, case_file.regions) for run in runs}
    return EventResult(case_file, runs, joint, own, crossing)
