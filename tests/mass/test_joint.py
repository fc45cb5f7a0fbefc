"""Several cases sharing one pool of assets: the joint allocation, periods, the own-region rule."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarkit.app.run import drift_scenario
from sarkit.files.scenario_toml import scenario_from_dict
from sarkit.geodesy import WGS84
from sarkit.mass import JOINT, OWN_REGION, CaseRun, plan_cases
from sarkit.planning import (
    Asset,
    PlanError,
    SearchWindow,
    Weather,
    asset_type,
    plan_search,
    rescue_centre,
)
from sarkit.planning.plan import LEG_SLACK
from sarkit.times import parse_time
from sarkit.units import NAUTICAL_MILE

START = "2024-06-10T00:00:00Z"
WINDOW = SearchWindow.from_iso("2024-06-10T04:00Z", "2024-06-10T08:00Z")
LATER = SearchWindow.from_iso("2024-06-10T08:00Z", "2024-06-10T12:00Z")
WEATHER = Weather(visibility_nm=10, wind_kt=10, seas_m=0.5)


def _drift(lon: float, lat: float, seed: int = 2):
    scenario = scenario_from_dict({
        "name": "mass test", "object": "FISHING-VESSEL-1", "particles": 400, "seed": seed,
        "lkp": {"time": START, "lon": lon, "lat": lat, "radius_nm": 8},
        "run": {"duration_hours": 14, "timestep_minutes": 20, "output_every_minutes": 60},
        "forcing": {"currents": {"constant": [0.1, 0.05]}, "winds": {"constant": [0.0, 0.0]}},
    })
    return drift_scenario(scenario)


@pytest.fixture(scope="module")
def north():
    return _drift(97.4, 7.4)


@pytest.fixture(scope="module")
def south():
    return _drift(95.2, 6.2, seed=3)


def _vessel(name="KN SAR 1", ready="2024-06-09T12:00Z", **where):
    where = where or {"base": (95.3, 5.6)}
    return Asset(name, asset_type("kn-sar-class-2"), parse_time(ready), search_speed_kt=10.0,
                 search_height_ft=14, **where)


def _aircraft(name="CN-235", ready="2024-06-10T02:00Z", **where):
    where = where or {"base": (98.67, 3.59)}
    return Asset(name, asset_type("cn235-mpa"), parse_time(ready), search_speed_kt=150.0,
                 search_height_ft=1000, **where)


def test_one_case_is_the_planning_issue_plan(north):
    assets = [_vessel(), _aircraft()]
    joint = plan_cases([CaseRun("A", 30, north)], assets, [WINDOW], WEATHER)
    single = plan_search(north, assets, WINDOW, WEATHER)
    (entry,) = joint.entries
    assert set(entry.assets) == {"KN SAR 1", "CN-235"}
    assert entry.plan.total_pos == pytest.approx(single.total_pos, rel=1e-12)
    for mine, theirs in zip(entry.plan.assignments, single.assignments, strict=True):
        assert mine.name == theirs.name
        assert mine.polygon.equals(theirs.polygon)
        assert mine.pos == pytest.approx(theirs.pos, rel=1e-12)
    assert joint.expected_found == pytest.approx(30 * single.total_pos)
    assert joint.expected_found <= joint.bound + 1e-9


def test_one_asset_goes_to_the_case_with_more_people(north):
    cases = [CaseRun("few", 12, north), CaseRun("many", 80, north)]
    joint = plan_cases(cases, [_aircraft()], [WINDOW], WEATHER)
    given = {e.case_id: e.assets for e in joint.entries}
    assert given == {"few": (), "many": ("CN-235",)}
    cases = [CaseRun("many", 80, north), CaseRun("few", 12, north)]  # order does not matter
    assert {e.case_id: e.assets for e in plan_cases(cases, [_aircraft()], [WINDOW],
                                                   WEATHER).entries}["many"] == ("CN-235",)


def test_periods_update_and_cumulate(north, south):
    cases = [CaseRun("N", 40, north), CaseRun("S", 60, south)]
    assets = [_vessel(), _aircraft(), _aircraft("CN-235 two")]
    joint = plan_cases(cases, assets, [WINDOW, LATER], WEATHER)
    assert len(joint.entries) == 4
    for case in cases:
        mine = [e for e in joint.entries if e.case_id == case.case_id]
        survive = math.prod(1.0 - e.pos for e in mine)
        assert joint.cumulative_pos[case.case_id] == pytest.approx(1.0 - survive)
        assert mine[1].survival_before == pytest.approx(1.0 - mine[0].pos)
        # the second period's POC is the updated one: searched cells lost probability
        assert not np.allclose(mine[0].poc.poc.sum(), 0)
    found = math.fsum(e.expected_found for e in joint.entries)
    assert joint.expected_found == pytest.approx(found)
    assert 0 < joint.expected_found <= joint.bound + 1e-9
    assert 0 <= joint.gap < 1
    assert set(joint.by_centre()) == {"(no centre)"}
    assert "expected persons found" in joint.table()


def test_own_region_rule_keeps_assets_home_and_joint_does_no_worse(north, south):
    phuket, aceh = rescue_centre("phuket"), rescue_centre("banda aceh")
    assets = [_aircraft("Thai aircraft", centre=phuket), _vessel("Aceh boat", centre=aceh)]
    cases = [CaseRun("N", 5, north), CaseRun("S", 100, south)]
    own = plan_cases(cases, assets, [WINDOW], WEATHER, rule=OWN_REGION, regions=())
    joint = plan_cases(cases, assets, [WINDOW], WEATHER, rule=JOINT, regions=())
    # without SRR polygons a case belongs to the country of the nearest centre
    assert own.owner == {"N": phuket.country, "S": aceh.country}
    given = {e.case_id: e.assets for e in own.entries}
    assert "Thai aircraft" not in given["S"] and "Aceh boat" not in given["N"]
    assert joint.expected_found >= own.expected_found - 1e-9
    assert {e.case_id: e.assets for e in joint.entries}["S"] != ()


def test_bad_input(north):
    with pytest.raises(PlanError, match="no cases"):
        plan_cases([], [_vessel()], [WINDOW], WEATHER)
    with pytest.raises(PlanError, match="persons"):
        plan_cases([CaseRun("A", 0, north)], [_vessel()], [WINDOW], WEATHER)
    with pytest.raises(PlanError, match="used twice"):
        plan_cases([CaseRun("A", 3, north), CaseRun("A", 4, north)], [_vessel()], [WINDOW],
                   WEATHER)
    with pytest.raises(PlanError, match="out of order"):
        plan_cases([CaseRun("A", 3, north)], [_vessel()], [LATER, WINDOW], WEATHER)
    with pytest.raises(PlanError, match="no assets"):
        plan_cases([CaseRun("A", 3, north)], [], [WINDOW], WEATHER)


def test_a_case_ashore_gets_no_asset_and_says_why(north, south):
    from sarkit.drift.status import Status
    from sarkit.mass.joint import NOTHING_AT_SEA

    ashore = north.copy(deep=True)
    ashore["status"].values[:, 1:] = int(Status.STRANDED)
    cases = [CaseRun("ashore", 500, ashore), CaseRun("S", 20, south)]
    joint = plan_cases(cases, [_aircraft()], [WINDOW], WEATHER)
    entry = {e.case_id: e for e in joint.entries}
    assert entry["ashore"].poc is None and entry["ashore"].assets == ()
    assert entry["ashore"].expected_found == 0.0
    assert entry["S"].assets == ("CN-235",)  # the asset goes where there is sea to search
    assert joint.expected_found <= joint.bound + 1e-9
    only = plan_cases([CaseRun("ashore", 500, ashore)], [_aircraft()], [WINDOW], WEATHER)
    assert only.idle[("CN-235", 0)] == NOTHING_AT_SEA and only.expected_found == 0.0


def test_no_asset_is_in_two_places_and_none_departs_before_its_last_search_ended(tmp_path):
    """Over the example event's periods: each asset's searches do not overlap, each departs
    after its previous search (and an aircraft's return and turnaround) ended, and a ship's
    next search starts no earlier than it can steam there from where its track ended."""
    import itertools
    import json
    from pathlib import Path

    from sarkit.app.cli import main
    from sarkit.files.casefile import load_case_file
    from sarkit.geodesy import WGS84
    from sarkit.planning.assets import VESSEL_HARBOUR_REACH_M
    from sarkit.planning.routing import sea_route
    from sarkit.times import parse_time
    from sarkit.units import NAUTICAL_MILE

    data = Path(__file__).resolve().parents[2] / "sarkit" / "data" / "example_cases.toml"
    path = tmp_path / "cases.toml"
    path.write_text(data.read_text(encoding="utf-8").replace("particles = 1500",
                                                             "particles = 300"))
    assert main(["mass", str(path), "--out", str(tmp_path / "event"), "--quiet"]) == 0
    roster = {asset.name: asset for asset in load_case_file(path).assets}
    features = json.loads((tmp_path / "event" / "plan.geojson").read_text())["features"]
    rectangles = [f["properties"] for f in features
                  if f["properties"]["kind"] == "search_rectangle"]
    tracks = {(f["properties"]["asset"], f["properties"]["start_time"]):
              f["geometry"]["coordinates"] for f in features if f["properties"]["kind"] == "track"}
    datums = {(f["properties"]["case"], f["properties"]["period"]): f["geometry"]["coordinates"]
              for f in features if f["properties"]["kind"] == "datum"}
    by_asset: dict[str, list[dict]] = {}
    for item in rectangles:
        by_asset.setdefault(item["asset"], []).append(item)
    assert any(len(items) > 1 for items in by_asset.values())  # some assets search again
    for name, items in by_asset.items():
        items.sort(key=lambda p: parse_time(p["start_time"]))
        for before, after in itertools.pairwise(items):
            ended = parse_time(before["end_time"])
            assert parse_time(after["start_time"]) >= ended - 1.0, name
            end_lon, end_lat = tracks[(name, before["start_time"])][-1]
            if (after["period"], after["departure_time"]) == (before["period"],
                                                              before["departure_time"]):
                # the next rectangle of the same sortie: after the move to its start
                start_lon, start_lat = tracks[(name, after["start_time"])][0]
                move_nm = WGS84.inv(end_lon, end_lat, start_lon, start_lat)[2] / NAUTICAL_MILE
                assert after["part"] == before["part"] + 1
                cruise = roster[name].cruise
                assert parse_time(after["start_time"]) - ended >= move_nm / cruise * 3600 - 1.0
                continue
            assert parse_time(after["departure_time"]) >= ended - 1.0, name
            if after["platform"] == "vessel":  # it steams from where its track ended
                datum_lon, datum_lat = datums[(after["case"], after["period"])]
                route = sea_route((end_lon, end_lat), (datum_lon, datum_lat),
                                  harbour_reach_m=VESSEL_HARBOUR_REACH_M)
                assert after["transit_nm"] == pytest.approx(route.distance_nm, rel=1e-6)
                metres = WGS84.inv(end_lon, end_lat, datum_lon, datum_lat)[2]
                assert route.distance_nm >= metres / NAUTICAL_MILE * (1 - 1e-3)
            else:
                assert parse_time(after["departure_time"]) >= (
                    ended + roster[name].turnaround * 3600.0 - 1.0), name


@pytest.fixture(scope="module")
def example_event():
    """The example case file's cases, drifted with few particles, and its roster."""
    from pathlib import Path

    from sarkit.app.run import drift_scenario
    from sarkit.files.casefile import load_case_file

    data = Path(__file__).resolve().parents[2] / "sarkit" / "data" / "example_cases.toml"
    event = load_case_file(data)
    runs = tuple(CaseRun(c.case_id, c.persons, drift_scenario(c.scenario, particles=150,
                                                               seed=c.seed))
                 for c in event.cases)
    return event, runs


@settings(max_examples=8, deadline=None)
@given(chosen=st.lists(st.booleans(), min_size=7, max_size=7).filter(any),
       shifts=st.lists(st.floats(-8.0, 8.0), min_size=7, max_size=7),
       turnarounds=st.lists(st.one_of(st.none(), st.floats(0.0, 6.0)), min_size=7,
                            max_size=7),
       cases=st.lists(st.booleans(), min_size=4, max_size=4).filter(any),
       persons=st.lists(st.integers(1, 400), min_size=4, max_size=4))
def test_random_rosters_never_put_an_asset_in_two_places(example_event, chosen, shifts,
                                                         turnarounds, cases, persons):
    """Random rosters (which assets, when ready, their turnarounds) and random events (which
    cases, how many people): every plan is flyable (see the checks below)."""
    import dataclasses
    import itertools

    event, runs = example_event
    assets = [dataclasses.replace(a, ready=a.ready + shift * 3600.0, turnaround_h=turn)
              for a, keep, shift, turn in zip(event.assets, chosen, shifts, turnarounds,
                                              strict=True) if keep]
    runs = [dataclasses.replace(run, persons=count)
            for run, keep, count in zip(runs, cases, persons, strict=True) if keep]
    joint = plan_cases(runs, assets, event.periods, event.weather, cell_nm=event.cell_nm)
    searches: dict[str, list] = {}
    for entry in joint.entries:
        if entry.plan is None:
            continue
        light = entry.plan.daylight.usable
        for item in entry.plan.assignments:
            searches.setdefault(item.name, []).append(item)
            # visual search only: in the usable daylight at the datum
            # (a single leg may run over by the plan's stated slack: geodesic against plane)
            slack = LEG_SLACK * (item.end - item.start) + 1e-6
            assert light[0] - 1e-6 <= item.start <= item.end <= light[1] + slack, item.label
    for name, items in searches.items():
        items.sort(key=lambda s: s.start)
        for before, after in itertools.pairwise(items):
            assert after.start >= before.end - 1e-6, name  # never two searches at once
            if after.on_scene is before.on_scene:  # the next rectangle of the same sortie
                move_nm = WGS84.inv(*before.pattern.waypoints[-1],
                                    *after.pattern.commence_search_point)[2] / NAUTICAL_MILE
                assert after.start - before.end >= move_nm / after.asset.cruise * 3600 - 1e-3
                continue
            assert after.on_scene.departure >= before.end - 1e-6, name
            if after.asset.type.platform != "vessel":
                assert after.on_scene.departure >= (
                    before.end + after.asset.turnaround * 3600.0 - 1e-6), name
            else:  # from where its track ended
                assert after.asset.base == pytest.approx(tuple(before.pattern.waypoints[-1]))
        for sortie in {id(item.on_scene): item.on_scene for item in items}.values():
            if sortie.asset.type.platform == "vessel":
                continue
            last = max((item for item in items if item.on_scene is sortie),
                       key=lambda item: item.end)
            home_nm = WGS84.inv(*last.pattern.waypoints[-1], sortie.asset.lon,
                                sortie.asset.lat)[2] / NAUTICAL_MILE
            back = last.end + home_nm / sortie.asset.cruise * 3600.0
            # home within its endurance
            slack = LEG_SLACK * (last.end - last.start) + 1e-3
            assert back <= sortie.departure + sortie.asset.endurance * 3600.0 + slack, name
