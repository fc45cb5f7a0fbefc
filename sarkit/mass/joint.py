"""One pool of assets for several cases at once: who searches which case, period by period.

:func:`plan_cases` plans one or several search periods for several concurrent cases (boats
adrift at the same time) with the assets of several centres, maximising the expected number
of people found, :math:`\\sum_c n_c \\, \\mathrm{POS}_c`, where :math:`n_c` is the number of
persons aboard case :math:`c`.

The method (a sarkit choice, stated here; not a proven optimum):

1. **Sorties.** In every period each asset flies (or steams) one sortie to one case
   (:func:`sarkit.planning.plan.search_time`: transit, endurance and ready time,
   inside the daylight of the period, or the whole period for an asset with a night
   sensor). Its effort at case :math:`c` is :math:`z_{ac} = W_{ac}
   V_a T_{ac}`: sweep width for that case's object and the weather, search speed, time on
   scene. Each period starts from where the previous one left the assets
   (:func:`sarkit.planning.sorties.assets_after`): a ship from the end of its track, when its
   search ended; an aircraft after its flight home and turnaround. No asset is therefore in two
   places at once, and none departs before its previous search (and return) ended.
2. **Cases for assets** by greedy marginal value: the value of effort :math:`Z` at a case is
   :math:`n_c s_c B_c(Z)`, where :math:`B_c` is the optimal-effort POS of the case's POC map
   at mid-period (:func:`sarkit.planning.optimal_effort`) and :math:`s_c` the probability
   that the case was not found in earlier periods. Repeatedly the (asset, case) pair that
   adds most is taken, until no free asset adds anything. With one case every asset that can
   search goes to it, so the plan is the planning issue's plan for that case.
3. **Rectangles and patterns** for each case from its assets
   (:func:`sarkit.planning.plan_search`), then the update after an unsuccessful search
   (:func:`sarkit.planning.update_after_search`, with each rectangle's planned POD at
   mid-period) gives the POC of the next period.
4. **The bound** of each period: the optimal continuous allocation, over the cells of all
   cases together weighted by :math:`n_c s_c`, of the effort every asset would bring to the
   case where it brings most (:math:`\\sum_a \\max_c z_{ac}`), given the same earlier
   searches as the plan. The gap is ``1 - found / bound`` with both summed over the periods.
   The sum of per-period bounds is loose over several periods (it can exceed the persons
   aboard: each period's bound claims what the plan left); with one period it is the
   planning issue's bound, weighted by the persons aboard.

**The own-region rule** (:data:`OWN_REGION`), for comparison: each country's assets search
only the cases in its own search and rescue region (the SRR polygon containing the case's
datum, of a country with assets in the pool); a case in no known SRR belongs to the country
of the pool's centre nearest to its datum. An asset given by its base position, with no
centre, belongs to no country and stays idle under this rule. Everything else is the same.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from sarkit.errors import SarkitError
from sarkit.geodesy import WGS84
from sarkit.planning.assets import Asset
from sarkit.planning.daylight import daylight_window
from sarkit.planning.effort import optimal_effort
from sarkit.planning.plan import (
    PlanError,
    SearchPlan,
    SearchWindow,
    Weather,
    asset_sweep_width,
    plan_search,
    search_time,
    sweep_object_for_drift,
)
from sarkit.planning.regions import SearchRegion, responsible
from sarkit.planning.sorties import FlownEnd, assets_after
from sarkit.planning.update import SearchedArea, update_after_search
from sarkit.poc.grid import NothingAtSeaError, PocGrid, poc_grid

__all__ = ["JOINT", "NOTHING_AT_SEA", "OWN_REGION", "CasePeriod", "CaseRun", "JointPlan",
           "plan_cases"]

JOINT = "joint"
"""Rule: any asset may search any case."""
OWN_REGION = "own_region"
"""Rule: each centre's assets search only the cases in its own region (see the module notes)."""


NOTHING_AT_SEA = ("no probability left at sea at mid-period (every particle stranded or out of "
                  "the forcing): search the shoreline where they stranded")
"""Why a case gets no asset in a period where none of its particles is at sea."""


@dataclass(frozen=True, eq=False)
class CaseRun:
    """A case to plan for: its id, persons aboard and drift ensemble.

    Attributes
    ----------
    case_id : str
        Unique id.
    persons : int
        Persons aboard (>= 1): the weight of the case.
    trajectories : xarray.Dataset
        Its drift (:func:`sarkit.app.drift_scenario`), covering every search period.
    """

    case_id: str
    persons: int
    trajectories: xr.Dataset


@dataclass(frozen=True, eq=False)
class CasePeriod:
    """One case in one period: its assets, plan and what the period achieved.

    Attributes
    ----------
    case_id : str
    period : int
        From 0.
    window : SearchWindow
    poc : PocGrid or None
        The POC at mid-period (after the earlier periods' searches); None where no particle
        is at sea then (all stranded or out of the forcing: :data:`NOTHING_AT_SEA`).
    assets : tuple of str
        Names of the assets given to this case.
    plan : SearchPlan or None
        None where no asset searches it.
    pos : float
        POS of this period's search given the earlier ones failed.
    survival_before : float
        Probability that the case was not found before this period.
    expected_found : float
        ``persons x survival_before x pos``.
    """

    case_id: str
    period: int
    window: SearchWindow
    poc: PocGrid | None
    assets: tuple[str, ...]
    plan: SearchPlan | None
    pos: float
    survival_before: float
    expected_found: float


@dataclass(frozen=True, eq=False)
class JointPlan:
    """The plan of all cases over all periods.

    Attributes
    ----------
    rule : str
        :data:`JOINT` or :data:`OWN_REGION`.
    cases : tuple of CaseRun
    periods : tuple of SearchWindow
    entries : tuple of CasePeriod
        One per case and period.
    idle : dict
        ``(asset name, period) -> reason`` for every asset that searched nothing in a period.
    cumulative_pos : dict of str to float
        Per case, ``1 - prod(1 - POS)`` over the periods.
    expected_found : float
        :math:`\\sum_c n_c \\mathrm{POS}_c` (cumulative).
    bound : float
        Sum over periods of the joint optimal-effort bound of expected people found.
    gap : float
        ``1 - expected_found / bound``.
    owner : dict of str to str
        Under the own-region rule, the country each case belongs to (empty otherwise).
    """

    rule: str
    cases: tuple[CaseRun, ...]
    periods: tuple[SearchWindow, ...]
    entries: tuple[CasePeriod, ...]
    idle: dict[tuple[str, int], str]
    cumulative_pos: dict[str, float]
    expected_found: float
    bound: float
    gap: float
    owner: dict[str, str] = field(default_factory=dict)

    def by_centre(self) -> dict[str, dict[str, float]]:
        """Per centre: sorties flown and the expected persons found by its assets.

        A case's expected people found in a period are shared among its assets in proportion
        to their POS.
        """
        out: dict[str, dict[str, float]] = {}
        for entry in self.entries:
            if entry.plan is None:
                continue
            total = sum(item.pos for item in entry.plan.assignments)
            for item in entry.plan.assignments:
                centre = item.rcc or "(no centre)"
                row = out.setdefault(centre, {"sorties": 0.0, "expected_found": 0.0})
                row["sorties"] += 1 if item.part == 1 else 0  # a sortie may search several
                if total > 0:
                    row["expected_found"] += entry.expected_found * item.pos / total
        return out

    def table(self) -> str:
        """Per case and period: assets, POS and expected people found; then the totals."""
        persons = {c.case_id: c.persons for c in self.cases}
        lines = [f"{'CASE':<12}{'PERIOD':>7}{'PERSONS':>9}  {'POS':>6}{'FOUND':>8}  ASSETS"]
        for e in self.entries:
            lines.append(f"{e.case_id:<12}{e.period + 1:>7}{persons[e.case_id]:>9}  "
                         f"{e.pos:>6.3f}{e.expected_found:>8.1f}  "
                         f"{', '.join(e.assets) or '-'}")
        lines.append(f"expected persons found {self.expected_found:.1f} of "
                     f"{sum(persons.values())}; bound {self.bound:.1f}; gap {self.gap:.1%} "
                     f"({self.rule.replace('_', ' ')} rule)")
        return "\n".join(lines)


def plan_cases(
    cases: Sequence[CaseRun],
    assets: Sequence[Asset],
    periods: Sequence[SearchWindow],
    weather: Weather,
    *,
    rule: str = JOINT,
    regions: Sequence[SearchRegion] | None = None,
    tables: str = "uscg",
    cell_nm: float | None = None,
) -> JointPlan:
    """Plan several cases sharing one pool of assets over one or several search periods.

    Parameters
    ----------
    cases : sequence of CaseRun
        The cases, ids unique, persons >= 1.
    assets : sequence of Asset
        The pool (from several centres), names unique.
    periods : sequence of SearchWindow
        Consecutive search periods, in time order, inside every case's drift run.
    weather : Weather
        On-scene conditions (the same for all cases).
    rule : {"joint", "own_region"}
        :data:`JOINT` (any asset for any case) or :data:`OWN_REGION` (the comparison rule).
    regions : sequence of SearchRegion, optional
        Search and rescue regions for the own-region rule; default the package's.
    tables : {"uscg", "natsar2023"}
        Sweep-width tables.
    cell_nm : float, optional
        POC cell size (NM); by default chosen per case from its spread.

    Returns
    -------
    JointPlan

    Raises
    ------
    SarkitError
        No cases, no assets, no periods, duplicate ids or names, persons < 1, periods out of
        order, an unknown rule, and everything :func:`sarkit.planning.plan_search` refuses.
    """
    cases, assets, periods = tuple(cases), tuple(assets), tuple(periods)
    _check(cases, assets, periods, rule)
    owner = _owners(cases, assets, regions) if rule == OWN_REGION else {}
    objects = {c.case_id: sweep_object_for_drift(c.trajectories) for c in cases}
    widths = {(a.name, c.case_id): asset_sweep_width(a, objects[c.case_id], weather, tables)
              for a in assets for c in cases}
    current = {c.case_id: c.trajectories for c in cases}
    survival = {c.case_id: 1.0 for c in cases}
    entries: list[CasePeriod] = []
    idle: dict[tuple[str, int], str] = {}
    bound_total = 0.0
    for k, window in enumerate(periods):
        flown: list[FlownEnd] = []
        grids = {c.case_id: _poc_or_none(current[c.case_id], window, cell_nm) for c in cases}
        weight = {c.case_id: c.persons * survival[c.case_id] if grids[c.case_id] else 0.0
                  for c in cases}
        effort = _efforts(cases, assets, window, grids, widths, owner)
        given = _greedy(cases, assets, grids, weight, effort, idle, k)
        bound_total += _joint_bound(cases, assets, grids, weight, effort)
        for case in cases:
            names = given[case.case_id]
            chosen = [a for a in assets if a.name in names]
            plan = (plan_search(current[case.case_id], chosen, window, weather,
                                search_object=objects[case.case_id], tables=tables,
                                cell_nm=cell_nm, name=f"{case.case_id} period {k + 1}")
                    if chosen else None)
            pos = plan.total_pos if plan is not None else 0.0
            found = case.persons * survival[case.case_id] * pos
            entries.append(CasePeriod(case.case_id, k, window, grids[case.case_id],
                                      tuple(a.name for a in chosen), plan, pos,
                                      survival[case.case_id], found))
            if plan is not None and k + 1 < len(periods):
                current[case.case_id] = _after(current[case.case_id], plan, window)
            survival[case.case_id] *= 1.0 - pos
            if plan is not None:
                flown += [FlownEnd(item.name, item.end, *map(float, item.pattern.waypoints[-1]))
                          for item in plan.assignments]
        # the next period starts from where this one left each asset: a ship at the end of
        # its track, an aircraft after its flight home and turnaround
        assets = tuple(item.asset for item in assets_after(assets, flown))
    cumulative = {c.case_id: 1.0 - survival[c.case_id] for c in cases}
    found = math.fsum(c.persons * cumulative[c.case_id] for c in cases)
    return JointPlan(rule=rule, cases=cases, periods=periods, entries=tuple(entries),
                     idle=idle, cumulative_pos=cumulative, expected_found=found,
                     bound=bound_total, gap=1.0 - found / bound_total if bound_total > 0 else 0.0,
                     owner=owner)


def _check(cases, assets, periods, rule) -> None:
    if rule not in (JOINT, OWN_REGION):
        raise SarkitError(f"unknown allocation rule {rule!r}",
                          f"use {JOINT!r} or {OWN_REGION!r}", "rule")
    if not cases:
        raise PlanError("no cases were given", "give at least one case", "cases")
    if not assets:
        raise PlanError("no assets were given: there is nobody to search",
                        "list at least one asset in the roster", "assets")
    if not periods:
        raise PlanError("no search period was given", "give at least one search period",
                        "periods")
    ids = [c.case_id for c in cases]
    names = [a.name for a in assets]
    for label, values in (("case id", ids), ("asset name", names)):
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            raise PlanError(f"the {label} {', '.join(map(repr, repeated))} is used twice",
                            f"give each {label.split()[0]} its own {label.split()[1]}", label)
    for case in cases:
        if isinstance(case.persons, bool) or int(case.persons) != case.persons \
                or case.persons < 1:
            raise PlanError(f"case {case.case_id!r} has persons = {case.persons!r}",
                            "give the number of persons aboard, 1 or more (an estimate)",
                            "persons")
    for before, after in itertools.pairwise(periods):
        if after.start < before.end:
            raise PlanError(f"search periods overlap or are out of order: {before} then {after}",
                            "give consecutive periods in time order", "periods")


def _efforts(cases, assets, window, grids, widths, owner) -> dict:
    """(asset, case) -> (effort NM², reason); effort 0 with the reason where it cannot."""
    light = {c.case_id: daylight_window(window.start, window.end, grids[c.case_id].datum_lon,
                                        grids[c.case_id].datum_lat)
             for c in cases if grids[c.case_id] is not None}
    effort = {}
    for asset in assets:
        country = asset.centre.country if asset.centre is not None else None
        for case in cases:
            key = (asset.name, case.case_id)
            if owner and owner.get(case.case_id) != country:
                effort[key] = (0.0, "the case is in another country's region")
                continue
            grid = grids[case.case_id]
            if grid is None:
                effort[key] = (0.0, NOTHING_AT_SEA)
                continue
            time, width = search_time(asset, grid.datum_lon, grid.datum_lat, window,
                                      light[case.case_id], widths[key])
            if isinstance(width, str):
                effort[key] = (0.0, width)
            elif not time.available:
                effort[key] = (0.0, time.reason)
            else:
                effort[key] = (width.corrected_nm * asset.search_speed * time.hours, "")
    return effort


def _value(grid: PocGrid, effort: float) -> float:
    return optimal_effort(grid.poc, grid.cell_area_nm2, effort).pos


def _greedy(cases, assets, grids, weight, effort, idle, period) -> dict[str, set[str]]:
    given: dict[str, set[str]] = {c.case_id: set() for c in cases}
    total = {c.case_id: 0.0 for c in cases}
    base = {c.case_id: 0.0 for c in cases}
    free = [a.name for a in assets]
    gains: dict[tuple[str, str], float] = {}

    def gain(name: str, case_id: str) -> float:
        z = effort[(name, case_id)][0]
        if z <= 0 or weight[case_id] <= 0:
            return 0.0
        return weight[case_id] * (_value(grids[case_id], total[case_id] + z) - base[case_id])

    for name in free:
        for case in cases:
            gains[(name, case.case_id)] = gain(name, case.case_id)
    while free:
        best = max(((gains[(n, c.case_id)], -i, -j, n, c.case_id)
                    for i, n in enumerate(free) for j, c in enumerate(cases)), default=None)
        if best is None or best[0] <= 0.0:
            break
        _, _, _, name, case_id = best
        given[case_id].add(name)
        free.remove(name)
        total[case_id] += effort[(name, case_id)][0]
        base[case_id] = _value(grids[case_id], total[case_id])
        for other in free:  # only this case's gains changed
            gains[(other, case_id)] = gain(other, case_id)
    for name in free:
        reasons = sorted({effort[(name, c.case_id)][1] for c in cases} - {""})
        idle[(name, period)] = "; ".join(reasons) if reasons else "adds nothing to any case"
    return given


def _joint_bound(cases, assets, grids, weight, effort) -> float:
    """Persons-weighted optimal effort over all cases' cells with every asset's best effort."""
    total_weight = math.fsum(weight.values())
    if total_weight <= 0:
        return 0.0
    z = math.fsum(max(effort[(a.name, c.case_id)][0] for c in cases) for a in assets)
    values, areas = [], []
    for case in cases:
        grid = grids[case.case_id]
        if grid is None:
            continue
        values.append(np.nan_to_num(grid.poc).ravel() * (weight[case.case_id] / total_weight))
        areas.append(np.full(grid.poc.size, grid.cell_area_nm2))
    poc = np.concatenate(values)
    scale = max(1.0, float(poc.sum()))  # rounding can put the sum a hair above 1
    return total_weight * scale * optimal_effort(poc / scale, np.concatenate(areas), z).pos


def _poc_or_none(trajectories: xr.Dataset, window: SearchWindow,
                 cell_nm: float | None) -> PocGrid | None:
    """The POC at mid-period, or None where no particle (with weight) is at sea then."""
    try:
        return poc_grid(trajectories, np.datetime64(round(window.mid), "s"), cell_nm)
    except NothingAtSeaError:
        return None


def _after(trajectories: xr.Dataset, plan: SearchPlan, window: SearchWindow) -> xr.Dataset:
    """The ensemble after this period's search found nothing (planned POD, at mid-period)."""
    when = np.datetime64(round(window.mid), "s")
    searches = [SearchedArea(item.polygon, item.pod, when,
                             {part.object_class: part.pod for part in item.by_class})
                for item in plan.assignments]
    return update_after_search(trajectories, searches).trajectories


def _owners(cases, assets, regions) -> dict[str, str]:
    """Case id -> the country (with assets in the pool) whose region holds its datum, else the
    country of the pool's centre nearest to the datum."""
    centres: dict[str, tuple[str, float, float]] = {}
    for asset in assets:
        if asset.centre is not None:
            centres.setdefault(asset.centre.id, (asset.centre.country, asset.centre.lon,
                                                 asset.centre.lat))
    if not centres:
        raise PlanError("the own-region rule needs assets that belong to rescue centres",
                        "give each asset its centre in the roster", "rule")
    countries = {country for country, _, _ in centres.values()}
    owner = {}
    for case in cases:
        grid = poc_grid(case.trajectories, 0)
        lon, lat = grid.datum_lon, grid.datum_lat
        holders = [r.country for r in responsible(lon, lat, regions) if r.country in countries]
        if holders:
            owner[case.case_id] = holders[0]
            continue
        distance = {cid: WGS84.inv(lon, lat, c_lon, c_lat)[2]
                    for cid, (_, c_lon, c_lat) in centres.items()}
        owner[case.case_id] = centres[min(sorted(distance), key=distance.__getitem__)][0]
    return owner
