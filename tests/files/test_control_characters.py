"""Control characters in the user's names: the checked reader refuses them (naming the key and
the character), and the XML writers escape what the Python API lets through."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest
import shapely

from sarkit.errors import BadValueError, SarkitError
from sarkit.files.casefile import load_case_file
from sarkit.files.geojson import feature
from sarkit.files.gpx import write_gpx
from sarkit.files.kml import KML_NAMESPACE, write_kml
from sarkit.files.planfile import load_plan_file
from sarkit.files.roster import load_roster
from sarkit.files.scenario_toml import load_scenario
from sarkit.files.sitrep import check_sitrep_fields
from sarkit.planning.patterns import parallel_sweep

DATA = files("sarkit") / "data"
PLAN = (DATA / "example_plan.toml").read_text(encoding="utf-8")
CASES = (DATA / "example_cases.toml").read_text(encoding="utf-8")
SCENARIO = (DATA / "default_scenario.toml").read_text(encoding="utf-8")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _refused(load, path: Path, *fragments: str) -> str:
    with pytest.raises(SarkitError) as caught:
        load(path)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    assert "Fix: remove it" in message and message.isprintable()
    return message


def _edit(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


# the TOML escapes \u001b ... in a basic string give the characters themselves
@pytest.mark.parametrize(("escape", "named"), [
    (r"\u001b[31m", "U+001B (ESC)"), (r"\u0000", "U+0000 (NUL)"), (r"\n", "U+000A (LF)"),
    (r"\t", "U+0009 (HT)"), (r"\u007f", "U+007F (DEL)"), (r"\u009b", "U+009B (CSI)")])
def test_asset_name_in_a_plan_file(tmp_path, escape, named):
    text = _edit(PLAN, 'name = "KN SAR Kresna 232"', f'name = "KN SAR {escape}Kresna 232"')
    _refused(load_plan_file, _write(tmp_path, "plan.toml", text),
             "asset 1", ".name: contains the control character", named)


def test_plan_name_and_scenario_path(tmp_path):
    text = _edit(PLAN, 'name = "Andaman Sea fishing boat', r'name = "Andaman\u0007 Sea boat')
    message = _refused(load_plan_file, _write(tmp_path, "plan.toml", text), "U+0007 (BEL)")
    assert "plan.toml: name: contains the control character" in message
    text = _edit(PLAN, 'scenario = "default"', r'scenario = "case\u001b.toml"')
    _refused(load_plan_file, _write(tmp_path, "plan.toml", text), "drift.scenario: contains",
             "U+001B (ESC)")


def test_scenario_name(tmp_path):
    text = _edit(SCENARIO, 'name = "', r'name = "\u009d8;;http://x\u001b\\')
    _refused(load_scenario, _write(tmp_path, "case.toml", text), "name: contains",
             "U+009D (OSC)")


def test_centre_in_a_toml_and_a_csv_roster(tmp_path):
    toml = ('[[asset]]\nname = "KN SAR 1"\ntype = "kn-sar-class-2"\n'
            'centre = "kantor-sar-banda-aceh\\r"\nready = "2024-06-10T08:00Z"\n')
    _refused(load_roster, _write(tmp_path, "roster.toml", toml), "centre: contains",
             "U+000D (CR)")
    csv = ("name,type,centre,ready\n"
           "KN SAR\x1b[2J 1,kn-sar-class-2,kantor-sar-banda-aceh,2024-06-10T08:00Z\n")
    message = _refused(load_roster, _write(tmp_path, "roster.csv", csv),
                       "row 1", "name: contains the control character U+001B (ESC)")
    assert "\x1b" not in message


def test_case_ids_names_and_coordinator_in_a_case_file(tmp_path):
    text = _edit(CASES, 'id = "A"', r'id = "A\nSITREP 2"')
    _refused(load_case_file, _write(tmp_path, "cases.toml", text), "id: contains",
             "U+000A (LF)")
    text = _edit(CASES, 'name = "Wooden boat', r'name = "Wooden\u0000 boat')
    _refused(load_case_file, _write(tmp_path, "cases.toml", text), "name: contains",
             "U+0000 (NUL)")
    text = _edit(CASES, 'coordinator = "MRCC Bangkok', r'coordinator = "MRCC\u0085 Bangkok')
    _refused(load_case_file, _write(tmp_path, "cases.toml", text), "coordinator: contains",
             "U+0085 (NEL)")


def test_clean_names_still_load(tmp_path):
    text = _edit(PLAN, 'name = "KN SAR Kresna 232"', 'name = "KN SAR Kresna 232 — Đà Nẵng"')
    plan = load_plan_file(_write(tmp_path, "plan.toml", text))
    assert plan.assets[0].name == "KN SAR Kresna 232 — Đà Nẵng"


# --- the XML writers, for names from the Python API ------------------------------------------

NASTY = "case\x00 \x1b[31mred\x7f \x9b \ud800 \ufffe end"


def test_kml_from_a_name_with_control_characters_is_valid_xml(tmp_path):
    square = shapely.box(95.0, 9.0, 95.5, 9.4)
    features = [feature(square, {"kind": "area", "probability": 0.5, "area_nm2": 700.0,
                                 "valid_time": "2024-06-11T02:00:00Z", "note": NASTY,
                                 "key\x01": 1})]
    path = write_kml(features, tmp_path / "areas.kml", name=NASTY)
    root = ET.parse(path).getroot()
    name = root.find("k:Document/k:name", {"k": KML_NAMESPACE}).text
    assert name == "case\\u0000 \\u001b[31mred\\u007f \\u009b \\ud800 \\ufffe end"
    assert "\\u0001" in path.read_text(encoding="utf-8")


def test_gpx_from_an_asset_name_with_control_characters_is_valid_xml(tmp_path):
    routes = {NASTY: parallel_sweep(115.2, -9.4, 20.0, 10.0, 30.0, 2.0),
              "two\nlines": np.array([[114.0, -8.0], [114.5, -8.5]])}
    path = write_gpx(tmp_path / "plan.gpx", routes, name=NASTY)
    root = ET.parse(path).getroot()
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    names = [r.find("g:name", ns).text for r in root.findall("g:rte", ns)]
    assert names[0] == "case\\u0000 \\u001b[31mred\\u007f \\u009b \\ud800 \\ufffe end"
    assert names[1] == "two\nlines"  # a newline is allowed in XML text
    assert root.find("g:metadata/g:name", ns).text.startswith("case\\u0000")


# --- the SITREP's own fields ------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "fragments"), [
    ({"from_centre": "JRCC Jakarta\nSITREP 99"}, ("from_centre (--from)", "U+000A (LF)")),
    ({"to_centre": "MRCC\x1b[8m Port Blair"}, ("to_centre (--to)", "U+001B (ESC)")),
    ({"to_centre": 5}, ("to_centre (--to) = 5 is not text",)),
    ({"persons": 0}, ("persons aboard (--persons) = 0",)),
    ({"persons": -3}, ("persons aboard (--persons) = -3",)),
    ({"persons": True}, ("persons aboard (--persons) = True",)),
    ({"number": 0}, ("SITREP number (--sitrep-number) = 0",)),
    ({"number": 2.5}, ("SITREP number (--sitrep-number) = 2.5",))])
def test_sitrep_fields_are_refused(fields, fragments):
    with pytest.raises(BadValueError) as caught:
        check_sitrep_fields(**fields)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    assert "Fix:" in message and message.isprintable()


def test_good_sitrep_fields():
    check_sitrep_fields(number=3, from_centre="JRCC Jakarta", to_centre="MRCC Port Blair",
                        persons=1)
    check_sitrep_fields()
