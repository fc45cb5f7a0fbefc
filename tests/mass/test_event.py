"""plan_event() and EventResult: an event planned from a case file's content, no file written."""

from __future__ import annotations

import dataclasses

import pytest

from sarkit.app.run import drift_scenario
from sarkit.errors import BadValueError
from sarkit.files.casefile import Case, CaseFile
from sarkit.files.scenario_toml import scenario_from_dict
from sarkit.mass import (
    JOINT,
    OWN_REGION,
    CaseRun,
    EventResult,
    check_sweep_widths,
    plan_cases,
    plan_event,
)
from sarkit.planning import Asset, SearchWindow, Weather, asset_type, rescue_centre
from sarkit.times import parse_time

START = "2024-06-10T00:00:00Z"
PERIODS = (SearchWindow.from_iso("2024-06-10T04:00Z", "2024-06-10T07:00Z"),
           SearchWindow.from_iso("2024-06-10T07:00Z", "2024-06-10T10:00Z"))
WEATHER = Weather(visibility_nm=10, wind_kt=10, seas_m=0.5)


def _case(case_id: str, persons: int, lon: float, lat: float, seed: int, **aboard) -> Case:
    scenario = scenario_from_dict({
        "name": f"boat {case_id}", "object": "FISHING-VESSEL-1", "particles": 300,
        "seed": seed, "lkp": {"time": START, "lon": lon, "lat": lat, "radius_nm": 6},
        "run": {"duration_hours": 12, "timestep_minutes": 30, "output_every_minutes": 60},
        "forcing": {"currents": {"constant": [0.1, 0.05]}, "winds": {"constant": [0.0, 0.0]}},
    })
    return Case(case_id, f"boat {case_id}", scenario, persons, **aboard)


ASSETS = (
    Asset("Aceh boat", asset_type("kn-sar-class-2"), parse_time("2024-06-09T12:00Z"),
          centre=rescue_centre("banda aceh"), search_speed_kt=10.0, search_height_ft=14),
    Asset("Thai aircraft", asset_type("cn235-mpa"), parse_time("2024-06-10T02:00Z"),
          centre=rescue_centre("phuket"), search_speed_kt=150.0, search_height_ft=1000),
)
EVENT = CaseFile(name="two boats",
                 cases=(_case("N", 40, 97.4, 7.4, 1, children=10), _case("S", 120, 95.2, 6.2, 2)),
                 assets=ASSETS, regions=(), periods=PERIODS, weather=WEATHER, tables="uscg",
                 cell_nm=None)


@pytest.fixture(scope="module")
def runs() -> tuple[CaseRun, ...]:
    return tuple(CaseRun(case.case_id, case.persons, drift_scenario(case.scenario))
                 for case in EVENT.cases)


@pytest.fixture(scope="module")
def result(runs) -> EventResult:
    return plan_event(EVENT, runs)


def test_the_event_is_the_joint_and_own_region_plans(result, runs):
    assert result.case_file is EVENT and result.runs == runs and result.files == {}
    for plan, rule in ((result.joint, JOINT), (result.own_region, OWN_REGION)):
        alone = plan_cases(runs, ASSETS, PERIODS, WEATHER, rule=rule, regions=())
        assert plan.rule == rule
        assert plan.expected_found == pytest.approx(alone.expected_found)
        assert [e.assets for e in plan.entries] == [e.assets for e in alone.entries]
    assert result.gain_persons == pytest.approx(
        result.joint.expected_found - result.own_region.expected_found)
    # no regions given: every case starts outside every known SRR and enters none
    assert result.handovers == {"N": ([], []), "S": ([], [])}


def test_the_summaries(result):
    text = result.summary()
    assert text.startswith("two boats: 2 cases, 2 assets, 2 periods from 2024-06-10T04:00")
    assert "N: boat N, 40 persons (10 children); in distress since" in text
    assert "handover S: starts outside every known SRR; stays" in text
    assert "wrote" not in text  # no files
    summary = result.to_dict()
    assert summary["command"] == "mass" and [c["id"] for c in summary["cases"]] == ["N", "S"]
    assert summary["cases"][0]["children"] == 10 and summary["files"] == {}
    assert result.details()
    written = dataclasses.replace(result, files={"plan.csv": "out/plan.csv"})
    assert written.summary().endswith("wrote plan.csv: out/plan.csv")


def test_a_roster_error_comes_before_any_drift():
    check_sweep_widths(EVENT)
    no_height = Asset("No height", asset_type("kn-sar-class-2"),
                      parse_time("2024-06-10T00:00Z"), base=(95.3, 5.6), search_speed_kt=10)
    with pytest.raises(BadValueError, match=r"'No height'.*search_height_ft"):
        check_sweep_widths(dataclasses.replace(EVENT, assets=(*ASSETS, no_height)))
