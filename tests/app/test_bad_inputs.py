"""A corpus of bad inputs, each through the command line as an officer would give it.

Every one must exit 1 with at most two lines on standard error (``sarkit: error: ...`` with
its fix), no traceback, no "internal error", no Python warning, and nothing left in or beside
``--out``. The families: scenario files, plan files and rosters, case files, case packages,
``--searched`` plans, output folders and command-line values. (Bad forcing files have their
own corpus in ``tests/forcing/test_bad_forcing.py``; bad package internals in
``test_refusals.py``.) The last tests check that valid inputs still work and that a run killed
with ``kill -9`` at several moments leaves the old output or the new one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path

import pytest

from sarkit.app.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "sarkit" / "data"

SCENARIO = """\
name = "corpus case"
object = "FISHING-VESSEL-1"
particles = 60
seed = 4
[lkp]
time = "2024-06-10T00:00:00Z"
lon = 96.0
lat = 9.0
radius_nm = 5
[run]
duration_hours = 6
timestep_minutes = 30
output_every_minutes = 60
[forcing]
currents = { constant = [0.1, 0.05] }
winds = { constant = [0.0, 0.0] }
"""

ASSET = """\
[[asset]]
name = "KN SAR 1"
type = "kn-sar-class-2"
centre = "kantor-sar-banda-aceh"
ready = "2024-06-09T12:00Z"
search_speed_kt = 10
search_height_ft = 14
"""

PLAN = """\
name = "corpus plan"
[drift]
scenario = "case.toml"
[search]
start = "2024-06-10T02:00Z"
end = "2024-06-10T05:00Z"
[weather]
visibility_nm = 10
wind_kt = 10
seas_m = 0.5
""" + ASSET

CASES = """\
name = "corpus event"
[search]
start = "2024-06-10T02:00Z"
period_hours = 3
periods = 1
[weather]
visibility_nm = 10
wind_kt = 10
[[case]]
id = "A"
persons = 40
[case.scenario]
name = "boat A"
object = "FISHING-VESSEL-1"
particles = 60
seed = 1
[case.scenario.lkp]
time = "2024-06-10T00:00Z"
lon = 97.4
lat = 7.4
radius_nm = 5
[case.scenario.run]
duration_hours = 6
timestep_minutes = 30
output_every_minutes = 60
[case.scenario.forcing]
currents = { constant = [0.1, 0.05] }
winds = { constant = [0.0, 0.0] }
""" + ASSET


def _edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def scenario(old: str, new: str) -> dict:
    return {"files": {"case.toml": _edit(SCENARIO, old, new)}, "argv": ["drift", "case.toml"]}


def plan(old: str, new: str, *, scenario_text: str = SCENARIO) -> dict:
    return {"files": {"case.toml": scenario_text, "plan.toml": _edit(PLAN, old, new)},
            "argv": ["plan", "plan.toml", "--no-map"]}


def cases(old: str, new: str) -> dict:
    return {"files": {"cases.toml": _edit(CASES, old, new)}, "argv": ["mass", "cases.toml"]}


def raw(name: str, data: bytes, command: str) -> dict:
    argv = {"drift": ["drift", name], "plan": ["plan", name], "mass": ["mass", name],
            "import": ["case", "import", name]}[command]
    return {"files": {name: data}, "argv": argv}


def _zip(members: dict[str, bytes]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CORPUS = {
    # ---------------------------------------------------------------- scenario files (drift)
    "scenario-not-utf8": raw("case.toml", b'name = "caf\xe9"\n', "drift"),
    "scenario-utf16": raw("case.toml", SCENARIO.encode("utf-16"), "drift"),
    "scenario-nul-bytes": raw("case.toml", b"\x00" * 64, "drift"),
    "scenario-binary": raw("case.toml", bytes(range(256)) * 4, "drift"),
    "scenario-empty": raw("case.toml", b"", "drift"),
    "scenario-deep-nesting": raw("case.toml", b"a = " + b"[" * 5000 + b"]" * 5000, "drift"),
    "scenario-deep-tables": raw("case.toml", b"a = " + b"{b = " * 3000 + b"1" + b"}" * 3000,
                                "drift"),
    "scenario-syntax": scenario("lon = 96.0", "lon = = 96.0"),
    "scenario-huge": raw("case.toml", b"# " + b"x" * (17 * 2**20), "drift"),
    "scenario-missing": {"files": {}, "argv": ["drift", "nowhere.toml"]},
    "scenario-is-folder": {"files": {"case.toml/x": "x"}, "argv": ["drift", "case.toml"]},
    "scenario-unknown-key": scenario("seed = 4", "seed = 4\nsede = 5"),
    "scenario-no-lkp": scenario("[lkp]", "[lkp_]"),
    "seed-negative": scenario("seed = 4", "seed = -1"),
    "seed-64-bits": scenario("seed = 4", "seed = 9223372036854775808"),
    "seed-huge": scenario("seed = 4", "seed = 99999999999999999999999"),
    "seed-float": scenario("seed = 4", "seed = 1.5"),
    "seed-text": scenario("seed = 4", 'seed = "4"'),
    "particles-zero": scenario("particles = 60", "particles = 0"),
    "particles-negative": scenario("particles = 60", "particles = -5"),
    "particles-float": scenario("particles = 60", "particles = 1e9"),
    "particles-memory": scenario("particles = 60", "particles = 100000000000"),
    "particles-64-bits": scenario("particles = 60", "particles = 18446744073709551616"),
    "object-unknown": scenario('"FISHING-VESSEL-1"', '"SPACESHIP"'),
    "object-number": scenario('object = "FISHING-VESSEL-1"', "object = 7.5"),
    "lon-beyond": scenario("lon = 96.0", "lon = 400.0"),
    "lat-beyond": scenario("lat = 9.0", "lat = 95.0"),
    "lat-nan": scenario("lat = 9.0", "lat = nan"),
    "lon-inf": scenario("lon = 96.0", "lon = inf"),
    "lon-text": scenario("lon = 96.0", 'lon = "96E"'),
    "on-land": scenario("lon = 96.0\nlat = 9.0", "lon = 99.6\nlat = 8.3"),  # inland Thailand
    "radius-negative": scenario("radius_nm = 5", "radius_nm = -5"),
    "radius-huge": scenario("radius_nm = 5", "radius_nm = 1e9"),
    "time-text": scenario('time = "2024-06-10T00:00:00Z"', 'time = "yesterday"'),
    "time-impossible": scenario('time = "2024-06-10T00:00:00Z"', 'time = "2024-02-30T00:00Z"'),
    "time-year-0": scenario('time = "2024-06-10T00:00:00Z"', 'time = "0000-01-01T00:00Z"'),
    "time-zone-absurd": scenario('time = "2024-06-10T00:00:00Z"',
                                 'time = "2024-06-10T00:00+25:00"'),
    "time-date-only": scenario('time = "2024-06-10T00:00:00Z"', "time = 2024-06-10"),
    "end-before-start": scenario('time = "2024-06-10T00:00:00Z"',
                                 'time = "2024-06-10T00:00:00Z"\nend_time = "2024-06-09T00:00Z"'),
    "duration-zero": scenario("duration_hours = 6", "duration_hours = 0"),
    "duration-absurd": scenario("duration_hours = 6", "duration_hours = 1e20"),
    "duration-negative-absurd": scenario("duration_hours = 6", "duration_hours = -1e20"),
    "duration-text": scenario("duration_hours = 6", 'duration_hours = "6"'),
    "step-zero": scenario("timestep_minutes = 30", "timestep_minutes = 0"),
    "step-negative": scenario("timestep_minutes = 30", "timestep_minutes = -30"),
    "step-longer-than-run": scenario("duration_hours = 6\ntimestep_minutes = 30",
                                     "duration_hours = 0.25\ntimestep_minutes = 60"),
    "step-absurd": scenario("timestep_minutes = 30", "timestep_minutes = 1e9"),
    "output-zero": scenario("output_every_minutes = 60", "output_every_minutes = 0"),
    "output-below-step": scenario("output_every_minutes = 60", "output_every_minutes = 10"),
    "diffusivity-negative": scenario("output_every_minutes = 60",
                                     "output_every_minutes = 60\ndiffusivity_m2_s = -1"),
    "diffusivity-absurd": scenario("output_every_minutes = 60",
                                   "output_every_minutes = 60\ndiffusivity_m2_s = 1e12"),
    "jibe-above-one": scenario("output_every_minutes = 60",
                               "output_every_minutes = 60\njibe_probability_per_hour = 2"),
    "forcing-missing-file": scenario("currents = { constant = [0.1, 0.05] }",
                                     'currents = "nowhere.nc"'),
    "forcing-device": scenario("currents = { constant = [0.1, 0.05] }",
                               'currents = "/dev/zero"'),
    "forcing-folder": scenario("currents = { constant = [0.1, 0.05] }", 'currents = "/tmp"'),
    "forcing-not-netcdf": {"files": {"c.nc": "not netCDF",
                                     "case.toml": _edit(SCENARIO,
                                                        "currents = { constant = [0.1, 0.05] }",
                                                        'currents = "c.nc"')},
                           "argv": ["drift", "case.toml"]},
    "forcing-constant-absurd": scenario("currents = { constant = [0.1, 0.05] }",
                                        "currents = { constant = [1e9, 0.05] }"),
    "forcing-constant-one-value": scenario("currents = { constant = [0.1, 0.05] }",
                                           "currents = { constant = [0.1] }"),
    "forcing-synthetic-unknown": scenario("currents = { constant = [0.1, 0.05] }",
                                          'currents = { synthetic = "gulf_stream" }'),
    "name-escape-code": scenario('name = "corpus case"', 'name = "case \\u001b[31m red"'),
    "name-newline": scenario('name = "corpus case"', 'name = "two\\nlines"'),
    # ---------------------------------------------------------------- plan files and rosters
    "plan-wind-absurd": plan("wind_kt = 10", "wind_kt = 500"),
    "plan-seas-absurd": plan("seas_m = 0.5", "seas_m = 40"),
    "plan-visibility-zero": plan("visibility_nm = 10", "visibility_nm = 0"),
    "plan-visibility-negative": plan("visibility_nm = 10", "visibility_nm = -3"),
    "plan-window-reversed": plan('end = "2024-06-10T05:00Z"', 'end = "2024-06-10T01:00Z"'),
    "plan-window-empty": plan('end = "2024-06-10T05:00Z"', 'end = "2024-06-10T02:00Z"'),
    "plan-window-after-drift": plan('start = "2024-06-10T02:00Z"\nend = "2024-06-10T05:00Z"',
                                    'start = "2024-06-20T02:00Z"\nend = "2024-06-20T05:00Z"'),
    "plan-window-text": plan('start = "2024-06-10T02:00Z"', 'start = "soon"'),
    "plan-cell-absurd": plan('end = "2024-06-10T05:00Z"',
                             'end = "2024-06-10T05:00Z"\ncell_nm = 1e9'),
    "plan-cell-tiny": plan('end = "2024-06-10T05:00Z"',
                           'end = "2024-06-10T05:00Z"\ncell_nm = 1e-9'),
    "plan-cell-zero": plan('end = "2024-06-10T05:00Z"', 'end = "2024-06-10T05:00Z"\ncell_nm = 0'),
    "plan-no-drift": plan('[drift]\nscenario = "case.toml"', ""),
    "plan-scenario-missing": plan('scenario = "case.toml"', 'scenario = "gone.toml"'),
    "plan-trajectories-missing": plan('scenario = "case.toml"', 'trajectories = "gone.nc"'),
    "plan-trajectories-not-netcdf": {"files": {"t.nc": "text", "case.toml": SCENARIO,
                                               "plan.toml": _edit(PLAN, 'scenario = "case.toml"',
                                                                  'trajectories = "t.nc"')},
                                     "argv": ["plan", "plan.toml"]},
    "plan-both-drifts": plan('scenario = "case.toml"',
                             'scenario = "case.toml"\ntrajectories = "t.nc"'),
    "plan-unknown-key": plan("[weather]", "[weather]\nrain_mm = 4"),
    "plan-asset-type-unknown": plan('type = "kn-sar-class-2"', 'type = "battleship"'),
    "plan-asset-centre-unknown": plan('centre = "kantor-sar-banda-aceh"', 'centre = "atlantis"'),
    "plan-asset-speed-negative": plan("search_speed_kt = 10", "search_speed_kt = -10"),
    "plan-asset-speed-absurd": plan("search_speed_kt = 10", "search_speed_kt = 1e9"),
    "plan-asset-height-negative": plan("search_height_ft = 14", "search_height_ft = -14"),
    "plan-asset-ready-text": plan('ready = "2024-06-09T12:00Z"', 'ready = "now"'),
    "plan-asset-no-name": plan('name = "KN SAR 1"\n', ""),
    "plan-asset-name-escape": plan('name = "KN SAR 1"', 'name = "KN \\u001b]0;pwned\\u0007"'),
    "plan-asset-twice": plan("search_height_ft = 14\n",
                             "search_height_ft = 14\n" + PLAN[PLAN.index("[[asset]]"):]),
    "plan-roster-missing": plan("[[asset]]", 'roster = "gone.toml"\n[[asset]]'),
    "plan-object-unknown": plan("[weather]", '[sweep_width]\nobject = "submarine"\n[weather]'),
    "plan-not-utf8": raw("plan.toml", b"name = \"\xff\"", "plan"),
    "plan-deep": raw("plan.toml", b"a = " + b"[" * 5000 + b"]" * 5000, "plan"),
    "plan-scenario-bad": plan('scenario = "case.toml"', 'scenario = "case.toml"',
                              scenario_text=_edit(SCENARIO, "lat = 9.0", "lat = 95.0")),
    # ---------------------------------------------------------------- case files (mass)
    "cases-period-absurd": cases("period_hours = 3", "period_hours = 1e9"),
    "cases-period-zero": cases("period_hours = 3", "period_hours = 0"),
    "cases-periods-zero": cases("periods = 1", "periods = 0"),
    "cases-periods-many": cases("periods = 1", "periods = 100000000"),
    "cases-persons-zero": cases("persons = 40", "persons = 0"),
    "cases-persons-negative": cases("persons = 40", "persons = -40"),
    "cases-persons-float": cases("persons = 40", "persons = 40.5"),
    "cases-children-too-many": cases("persons = 40", "persons = 40\nchildren = 41"),
    "cases-no-case": cases('[[case]]\nid = "A"', '[[notcase]]\nid = "A"'),
    "cases-id-twice": {"files": {"cases.toml": CASES + CASES[CASES.index("[[case]]"):
                                                             CASES.index("[[asset]]")]},
                       "argv": ["mass", "cases.toml"]},
    "cases-id-newline": cases('id = "A"', 'id = "A\\nB"'),
    "cases-scenario-lat": cases("lat = 7.4", "lat = -91"),
    "cases-cell-absurd": cases("periods = 1", "periods = 1\ncell_nm = 1e9"),
    "cases-weather-absurd": cases("wind_kt = 10", "wind_kt = 900"),
    "cases-not-utf8": raw("cases.toml", b"name = \"\xfe\"", "mass"),
    "cases-devzero": {"files": {}, "argv": ["mass", "/dev/zero"]},
    # ---------------------------------------------------------------- case packages (import)
    "package-not-zip": raw("case.sarkit.zip", b"PK\x03\x04 not really", "import"),
    "package-empty": raw("case.sarkit.zip", b"", "import"),
    "package-text": raw("case.sarkit.zip", b"hello", "import"),
    "package-empty-zip": raw("case.sarkit.zip", _zip({}), "import"),
    "package-no-manifest": raw("case.sarkit.zip", _zip({"plan.toml": b"x"}), "import"),
    "package-manifest-not-json": raw("case.sarkit.zip", _zip({"manifest.json": b"{"}),
                                     "import"),
    "package-manifest-list": raw("case.sarkit.zip", _zip({"manifest.json": b"[]"}), "import"),
    "package-slip": raw("case.sarkit.zip", _zip({"manifest.json": b"{}", "../evil": b"x"}),
                        "import"),
    "package-missing": {"files": {}, "argv": ["case", "import", "gone.sarkit.zip"]},
    "package-devzero": {"files": {}, "argv": ["case", "import", "/dev/zero"]},
    # ---------------------------------------------------------------- searched plans (update)
    "searched-missing": {"files": {"case.toml": SCENARIO, "plan.toml": PLAN},
                         "argv": ["update", "plan.toml", "--searched", "gone"]},
    "searched-not-json": {"files": {"case.toml": SCENARIO, "plan.toml": PLAN,
                                    "p1/plan.geojson": "{nope"},
                          "argv": ["update", "plan.toml", "--searched", "p1"]},
    "searched-no-rectangles": {"files": {"case.toml": SCENARIO, "plan.toml": PLAN,
                                         "p1/plan.geojson": '{"features": []}'},
                               "argv": ["update", "plan.toml", "--searched", "p1"]},
    "searched-features-not-objects": {"files": {"case.toml": SCENARIO, "plan.toml": PLAN,
                                                "p1/plan.geojson": '{"features": [1, "x"]}'},
                                      "argv": ["update", "plan.toml", "--searched", "p1"]},
    "searched-no-geometry": {
        "files": {"case.toml": SCENARIO, "plan.toml": PLAN, "p1/plan.geojson": json.dumps(
            {"features": [{"geometry": None, "properties": {
                "kind": "search_rectangle", "asset": "KN SAR 1", "pod": 0.5,
                "start_time": "2024-06-10T02:00Z", "end_time": "2024-06-10T05:00Z"}}]})},
        "argv": ["update", "plan.toml", "--searched", "p1"]},
    "searched-pod-absurd": {
        "files": {"case.toml": SCENARIO, "plan.toml": PLAN, "p1/plan.geojson": json.dumps(
            {"features": [{"geometry": {"type": "Polygon", "coordinates": [
                [[96, 9], [96.1, 9], [96.1, 9.1], [96, 9]]]}, "properties": {
                "kind": "search_rectangle", "asset": "KN SAR 1", "pod": 7,
                "start_time": "2024-06-10T02:00Z", "end_time": "2024-06-10T05:00Z"}}]})},
        "argv": ["update", "plan.toml", "--searched", "p1"]},
    # ---------------------------------------------------------------- command-line values
    "pod-not-a-pair": {"files": {"case.toml": SCENARIO, "plan.toml": PLAN},
                       "argv": ["update", "plan.toml", "--searched", "p1", "--pod", "half"]},
    "pod-above-one": {"files": {"case.toml": SCENARIO, "plan.toml": PLAN},
                      "argv": ["update", "plan.toml", "--searched", "p1", "--pod", "A=1.5"]},
    "particles-option-zero": {"files": {"case.toml": SCENARIO},
                              "argv": ["drift", "case.toml", "--particles", "0"]},
    "seed-option-huge": {"files": {"case.toml": SCENARIO},
                         "argv": ["drift", "case.toml", "--seed", str(2**70)]},
    "at-outside-run": {"files": {"case.toml": SCENARIO},
                       "argv": ["drift", "case.toml", "--at", "2030-01-01T00:00Z"]},
    "at-not-a-time": {"files": {"case.toml": SCENARIO},
                      "argv": ["drift", "case.toml", "--at", "noon"]},
    "export-persons-zero": {"files": {"case.toml": SCENARIO, "plan.toml": PLAN},
                            "argv": ["case", "export", "plan.toml", "--out", "c.sarkit.zip",
                                     "--from", "A", "--to", "B", "--persons", "0"]},
    "export-from-newline": {"files": {"case.toml": SCENARIO, "plan.toml": PLAN},
                            "argv": ["case", "export", "plan.toml", "--out", "c.sarkit.zip",
                                     "--from", "A\nZCZC", "--to", "B", "--persons", "3"]},
    "export-from-blank": {"files": {"case.toml": SCENARIO, "plan.toml": PLAN},
                          "argv": ["case", "export", "plan.toml", "--out", "c.sarkit.zip",
                                   "--from", " ", "--to", "B", "--persons", "3"]},
    "export-over-plan": {"files": {"case.toml": SCENARIO, "plan.toml": PLAN},
                         "argv": ["case", "export", "plan.toml", "--out", "plan.toml",
                                  "--from", "A", "--to", "B", "--persons", "3"]},
    "objects-unknown": {"files": {}, "argv": ["objects", "spaceship"]},
    # ---------------------------------------------------------------- output folders
    "out-is-a-file": {"files": {"case.toml": SCENARIO, "out": "mine"},
                      "argv": ["drift", "case.toml"]},
    "out-holds-user-files": {"files": {"case.toml": SCENARIO, "out/notes.txt": "mine"},
                             "argv": ["drift", "case.toml"]},
    "out-holds-input": {"files": {"out/case.toml": SCENARIO},
                        "argv": ["drift", "out/case.toml"]},
    "out-under-a-file": {"files": {"case.toml": SCENARIO, "f": "mine"},
                         "argv": ["drift", "case.toml"], "out": "f/out"},
    "out-is-current-folder": {"files": {"case.toml": SCENARIO},
                              "argv": ["drift", "case.toml"], "out": "."},
    "out-name-too-long": {"files": {"case.toml": SCENARIO},
                          "argv": ["drift", "case.toml"], "out": "x" * 300},
    "out-with-nul": {"files": {"case.toml": SCENARIO}, "argv": ["drift", "case.toml"],
                     "out": "a\x00b"},
    "out-of-another-command": {"files": {"case.toml": SCENARIO, "plan.toml": PLAN,
                                         "out/.sarkit-output.json":
                                             '{"command": "drift", "files": []}'},
                               "argv": ["plan", "plan.toml"]},
    "out-mark-damaged": {"files": {"case.toml": SCENARIO, "out/.sarkit-output.json": "{",
                                   "out/areas.geojson": "{}"},
                         "argv": ["drift", "case.toml"]},
    "import-into-user-folder": {"files": {"out/notes.txt": "mine",
                                          "case.sarkit.zip": _zip({})},
                                "argv": ["case", "import", "case.sarkit.zip"]},
}
"""name -> {"files": {relative path: text or bytes}, "argv": [...], "out": "out" by default}."""

#: commands that take no --out
_NO_OUT = {"objects", "forcing"}
#: cases whose --out is the export's own option (already in argv)
_OWN_OUT = {"export-persons-zero", "export-from-newline", "export-from-blank",
            "export-over-plan"}


def _tree(folder: Path) -> dict[str, bytes | None]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def test_the_corpus_is_large():
    assert len(CORPUS) >= 100


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_bad_input_exits_1_with_one_message_and_leaves_nothing(name, tmp_path, capsys,
                                                                 monkeypatch):
    case = CORPUS[name]
    monkeypatch.chdir(tmp_path)
    for relative, content in case["files"].items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    before = _tree(tmp_path)
    argv = list(case["argv"])
    if argv[0] not in _NO_OUT and name not in _OWN_OUT:
        argv += ["--out", case.get("out", "out")]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main(argv)
    printed = capsys.readouterr()
    err = printed.err
    assert code == 1, f"exit {code}; stderr: {err!r}; stdout: {printed.out[-300:]!r}"
    assert err.startswith("sarkit: error: "), err
    assert err.count("\n") <= 2, err
    for bad in ("Traceback", "internal error", "Warning", "warn("):
        assert bad not in err + printed.out, err + printed.out
    assert [str(w.message) for w in caught] == []
    assert _tree(tmp_path) == before  # nothing written, nothing staged, nothing removed


def test_forcing_info_on_a_missing_file_reports_it_and_exits_1(tmp_path, capsys):
    code = main(["forcing", "info", str(tmp_path / "gone.nc")])
    printed = capsys.readouterr()
    assert code == 1 and printed.err == ""
    assert "cannot serve" in printed.out and "gone.nc" in printed.out


# ------------------------------------------------------------------------- valid inputs


def test_the_corpus_bases_are_valid(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "case.toml").write_text(SCENARIO, encoding="utf-8")
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "cases.toml").write_text(CASES, encoding="utf-8")
    assert main(["drift", "case.toml", "--out", "d", "--quiet"]) == 0
    assert main(["drift", "case.toml", "--out", "d", "--quiet", "--seed", "2"]) == 0  # again
    assert main(["plan", "plan.toml", "--out", "p", "--quiet", "--no-map"]) == 0
    assert main(["mass", "cases.toml", "--out", "m", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.toml", "cases.toml", "d", "m",
                                                          "p", "plan.toml"]


# ------------------------------------------------------------------------- kill -9


def _complete(out: Path) -> bool:
    """Whether ``out`` is a whole output: its mark lists exactly the files it holds."""
    mark = json.loads((out / ".sarkit-output.json").read_text())
    held = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    return held == {*mark["files"], ".sarkit-output.json"}


@pytest.mark.parametrize("delay", [0.5, 1.5, 2.5, 3.5])
def test_a_kill_9_at_any_moment_leaves_the_old_output_or_the_new(tmp_path, delay):
    (tmp_path / "case.toml").write_text(SCENARIO.replace("particles = 60", "particles = 4000"),
                                        encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sarkit", "drift", "case.toml", "--out", "out", "--quiet"]
    first = subprocess.run([*command, "--seed", "1"], cwd=tmp_path, check=True)
    assert first.returncode == 0 and _complete(out)
    old = (out / "trajectories.nc").read_bytes()
    run = subprocess.Popen([*command, "--seed", "2"], cwd=tmp_path)
    time.sleep(delay)
    if run.poll() is None:
        os.kill(run.pid, signal.SIGKILL)
    run.wait()
    # killed anywhere: the old output or the new one at out, whole
    if out.exists():
        assert _complete(out)
    # the next run cleans up what the killed one left, and writes whole
    again = subprocess.run([*command, "--seed", "3"], cwd=tmp_path, check=True)
    assert again.returncode == 0 and _complete(out)
    assert (out / "trajectories.nc").read_bytes() != old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.toml", "out"]
