"""Case files and ``sarkit mass``: the example, a small event end to end, and bad input."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from sarkit.app.cli import main
from sarkit.files.casefile import CaseFileError, load_case_file
from sarkit.positions import position_text

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "sarkit" / "data" / "example_cases.toml"


def _case(case_id: str, aboard: str, name: str, seed: int, lon: float, lat: float) -> str:
    """A [[case]] table: a fishing boat 6 NM around (lon, lat), 12 h of slow drift."""
    return f"""[[case]]
id = "{case_id}"
{aboard}
[case.scenario]
name = "{name}"
object = "FISHING-VESSEL-1"
particles = 300
seed = {seed}
[case.scenario.lkp]
time = "2024-06-10T00:00Z"
lon = {lon}
lat = {lat}
radius_nm = 6
[case.scenario.run]
duration_hours = 12
timestep_minutes = 30
output_every_minutes = 60
[case.scenario.forcing]
currents = {{ constant = [0.1, 0.05] }}
winds = {{ constant = [0.0, 0.0] }}
"""


SMALL = ("""
name = "two boats"
[search]
start = "2024-06-10T04:00Z"
period_hours = 3
periods = 2
[weather]
visibility_nm = 10
wind_kt = 10
"""
         + _case("N", "persons = 40\nchildren = 10", "north boat", 1, 97.4, 7.4)
         + _case("S", "persons = 120", "south boat", 2, 95.2, 6.2)
         + """[[asset]]
name = "KN SAR 1"
type = "kn-sar-class-2"
centre = "kantor-sar-banda-aceh"
ready = "2024-06-09T12:00Z"
search_speed_kt = 10
search_height_ft = 14
[[asset]]
name = "CN-235"
type = "cn235-mpa"
centre = "kantor-sar-medan"
ready = "2024-06-10T02:00Z"
search_speed_kt = 150
search_height_ft = 1000
""")


def test_the_example_case_file_loads():
    cases = load_case_file(EXAMPLE)
    assert [c.case_id for c in cases.cases] == ["A", "B", "C", "D"]
    assert cases.cases[0].aboard() == "180 persons (40 children, 50 women)"
    assert len(cases.periods) == 3 and cases.periods[1].start == cases.periods[0].end
    assert len(cases.assets) == 7


def test_sarkit_mass_writes_every_output(tmp_path, capsys):
    path = tmp_path / "cases.toml"
    path.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "event"
    assert main(["mass", str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "expected persons found" in printed and "own-region rule" in printed
    assert sorted(p.name for p in out.iterdir()) == [".sarkit-output.json", "cases",
                                                     "handover.csv", "map.png", "plan.csv",
                                                     "plan.geojson", "sitreps", "summary.txt"]
    plan = json.loads((out / "plan.geojson").read_text())
    assert plan["expected_found"] <= plan["bound"] + 1e-9
    rectangles = [f for f in plan["features"] if f["properties"]["kind"] == "search_rectangle"]
    assert rectangles and {f["properties"]["case"] for f in rectangles} <= {"N", "S"}
    assert {f["properties"]["period"] for f in rectangles} <= {1, 2}
    for case in ("N", "S"):
        areas = json.loads((out / "cases" / case / "areas.geojson").read_text())
        assert {f["properties"]["kind"] for f in areas["features"]} >= {"area", "datum"}
        assert (out / "cases" / case / "trajectories.nc").stat().st_size > 0
    assert (out / "plan.csv").read_text().startswith("case,period,persons,asset")
    # a SITREP per case searched, with its datum and plan figures
    for case in ("N", "S"):
        text = (out / "sitreps" / f"{case}.txt").read_text()
        assert text.startswith("SITREP ") and "A. SITUATION" in text and "D. STATUS" in text
        assert "PERSONS ABOARD: " + ("40" if case == "N" else "120") in text
        datum = next(f for f in json.loads((out / "cases" / case / "areas.geojson")
                                           .read_text())["features"]
                     if f["properties"]["kind"] == "datum")
        lon, lat = datum["geometry"]["coordinates"]
        assert position_text(lon, lat, ascii=True) in text  # the one way, plain ASCII
    said = (out / "summary.txt").read_text(encoding="utf-8")
    assert said.strip() == printed.split("\nwrote ")[0].strip()  # what was printed
    assert "in distress since 2024-" in said and " local (UTC+" in said
    for row in csv.DictReader((out / "handover.csv").open(encoding="utf-8")):
        if row["where_lat_lon"]:
            assert re.fullmatch(r"\d+\.\d{4}[NS] \d+\.\d{4}[EW]", row["where_lat_lon"])


@pytest.mark.parametrize("change, message", [
    (("persons = 40\n", ""), "persons: missing"),
    (("persons = 40\n", "persons = 0\n"), "persons: 0 is less than 1"),
    (("children = 10\n", "children = 50\n"), "more than the 40 persons"),
    (('id = "S"\n', 'id = "N"\n'), "used twice"),
    (('centre = "kantor-sar-medan"\n', 'centre = "kantor-sar-atlantis"\n'), "atlantis"),
    (("period_hours = 3\n", "period_hours = -3\n"), "period_hours"),
    (("[weather]\n", "[weather]\nrain = 3\n"), "unknown key `rain`"),
])
def test_bad_case_files_exit_1_with_one_line_and_no_output(tmp_path, capsys, change, message):
    path = tmp_path / "cases.toml"
    path.write_text(SMALL.replace(*change, 1), encoding="utf-8")
    out = tmp_path / "event"
    assert main(["mass", str(path), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1
    assert not out.exists() or not any(out.iterdir())


def test_no_cases(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(SMALL.split("[[case]]")[0], encoding="utf-8")
    with pytest.raises(CaseFileError, match="no cases"):
        load_case_file(path)


def test_sarkit_mass_json_and_verbose(tmp_path, capsys):
    path = tmp_path / "cases.toml"
    path.write_text(SMALL, encoding="utf-8")
    assert main(["mass", str(path), "--out", str(tmp_path / "a"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in summary["cases"]] == ["N", "S"]
    assert summary["cases"][0]["children"] == 10 and summary["cases"][1]["children"] is None
    assert summary["gain_persons"] == pytest.approx(
        summary["expected_found"] - summary["own_region_expected_found"])
    assert set(summary["files"]) >= {"plan.geojson", "sitreps"}
    assert main(["mass", str(path), "--out", str(tmp_path / "b"), "--verbose"]) == 0
    printed = capsys.readouterr().out
    assert "expected persons found" in printed and ("idle:" in printed
                                                    or "every asset searched" in printed)
    with pytest.raises(SystemExit) as usage:
        main(["mass", str(path), "--out", str(tmp_path / "c"), "--json", "--quiet"])
    assert usage.value.code == 2


def test_case_ids_that_look_like_paths_stay_inside_out(tmp_path):
    text = (SMALL.replace('id = "N"', 'id = "../../escaped"')
            .replace('id = "S"', 'id = "/tmp/abs"'))
    path = tmp_path / "cases.toml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "deep" / "event"
    assert main(["mass", str(path), "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in (out / "cases").iterdir()) == ["escaped", "tmp_abs"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.toml", "deep"]
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["event"]
    assert {p.name for p in (out / "sitreps").iterdir()} <= {"escaped.txt", "tmp_abs.txt"}
