"""The ``sarkit`` command as an officer meets it: a real process, each subcommand.

For every subcommand: its ``--help`` (options with units, an example, the exit codes), a run
that works (exit 0), bad input (exit 1, one line that says the fix, no traceback), a usage
error (exit 2). The internal-error path (exit 3, no traceback) is forced in-process. Runs are
small (a few hundred particles) so the whole module takes well under a minute.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import sarkit
from sarkit.app import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PLAN = Path(sarkit.__file__).parent / "data" / "example_plan.toml"
SCENARIO = ROOT / "data" / "scenarios" / "andaman_fishing_boat.toml"
CURRENTS = ROOT / "data" / "andaman_synthetic_currents.nc"

COMMANDS = ["forcing", "forcing info", "objects", "drift", "demo", "plan", "update", "case",
            "case export", "case import", "mass"]


def sarkit_run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m sarkit ARGS`` in a fresh process, as a shell runs it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    env.pop("SARKIT_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "sarkit", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300, check=False)


def assert_bad_input(done: subprocess.CompletedProcess, *words: str) -> None:
    """Exit 1, one line on stderr that names the problem and the fix, no traceback."""
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("sarkit: error:") and "Fix:" in lines[0]
    assert "Traceback" not in done.stderr + done.stdout
    for word in words:
        assert word in lines[0]


def assert_usage(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("usage: sarkit") and "Traceback" not in done.stderr


# --- help ------------------------------------------------------------------------------------


def test_top_level_help_lists_commands_units_examples_and_exit_codes():
    done = sarkit_run("--help")
    assert done.returncode == 0
    for command in ("forcing", "objects", "drift", "demo", "plan", "update"):
        assert f"    {command}" in done.stdout
    assert "Units: distances NM, speeds kt" in done.stdout
    assert "examples:\n  sarkit demo --out demo-output" in done.stdout
    assert "exit codes: 0 ok, 1 bad input" in done.stdout and "2 usage error" in done.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_help_has_an_example_and_the_exit_codes(command):
    done = sarkit_run(*command.split(), "--help")
    assert done.returncode == 0, done.stderr
    assert f"usage: sarkit {command}" in done.stdout
    examples = re.split(r"\nexamples?:\n", done.stdout)
    assert len(examples) == 2, "no example in the help"
    assert f"  sarkit {command.split()[0]}" in examples[1]
    assert "exit codes: 0 ok, 1 bad input" in done.stdout


@pytest.mark.parametrize("command", ["drift", "demo", "plan", "update"])
def test_run_commands_offer_quiet_verbose_json_and_units(command):
    text = " ".join(sarkit_run(command, "--help").stdout.split())  # help wraps lines
    for option in ("--quiet", "--verbose", "--json", "--out DIR"):
        assert option in text
    if command in ("drift", "demo"):
        assert "number of particles, a count" in text
    if command == "drift":
        assert "ISO 8601 UTC, e.g. 2024-06-11T02:00Z" in text


def test_version():
    done = sarkit_run("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"sarkit {sarkit.__version__}"


# --- usage errors: exit 2 --------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    [], ["fly"], ["drift"], ["drift", str(SCENARIO)], ["demo", "--out", "x", "--bogus"],
    ["demo", "--out", "x", "--particles", "many"], ["demo", "--out", "x", "--quiet", "--json"],
    ["plan"], ["update", str(EXAMPLE_PLAN), "--out", "x"], ["forcing"], ["objects", "--bogus"],
    ["case"], ["mass"],
])
def test_usage_errors_exit_2(args):
    assert_usage(sarkit_run(*args))


# --- forcing and objects ---------------------------------------------------------------------


def test_forcing_info_ok_and_bad_file(tmp_path):
    done = sarkit_run("forcing", "info", str(CURRENTS))
    assert done.returncode == 0 and "current" in done.stdout and "box" in done.stdout
    parsed = json.loads(sarkit_run("forcing", "info", str(CURRENTS), "--json").stdout)
    assert parsed[0]["usable"] is True
    text = tmp_path / "notes.nc"
    text.write_text("not a netCDF file\n")
    bad = sarkit_run("forcing", "info", str(text))
    assert bad.returncode == 1 and "cannot serve" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr


def test_objects_ok_and_unknown():
    done = sarkit_run("objects", "fishing")
    assert done.returncode == 0 and "FISHING-VESSEL-1" in done.stdout
    assert_bad_input(sarkit_run("objects", "flying", "saucer"), "no search object class")


# --- drift and demo --------------------------------------------------------------------------


def test_demo_json_summary_and_files(tmp_path):
    done = sarkit_run("demo", "--out", str(tmp_path / "d"), "--particles", "300", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)  # nothing but the JSON on stdout
    assert summary["command"] == "demo" and summary["particles"] == 300
    assert sum(summary["counts"].values()) == 300
    (when,) = summary["valid_times"]
    assert [a["level"] for a in when["areas"]] == [0.5, 0.9, 0.95]
    assert when["iamsar_radius_nm"] > 0 and len(when["datum"]) == 2
    assert set(summary["files"]) == {"areas", "kml", "trajectories", "summary", "map"}
    for path in summary["files"].values():
        assert Path(path).is_file()


def test_drift_quiet_prints_nothing_and_verbose_prints_more(tmp_path):
    quiet = sarkit_run("drift", str(SCENARIO), "--out", str(tmp_path / "q"), "--particles",
                       "100", "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    assert sorted(p.name for p in (tmp_path / "q").iterdir()) == [
        ".sarkit-output.json", "areas.geojson", "areas.kml", "map.png", "summary.txt",
        "trajectories.nc"]
    loud = sarkit_run("drift", str(SCENARIO), "--out", str(tmp_path / "v"), "--particles",
                      "100", "--at", "2024-06-11T02:00Z", "2024-06-12T02:00Z", "--verbose")
    assert loud.returncode == 0
    assert "datum" in loud.stdout and "POC: PocGrid(" in loud.stdout and "took" in loud.stdout
    assert loud.stdout.count("POC: PocGrid(") == 2


def test_drift_bad_input_exits_1_without_traceback_or_partial_output(tmp_path):
    assert_bad_input(sarkit_run("drift", str(tmp_path / "missing.toml"), "--out",
                                str(tmp_path / "o")))
    broken = tmp_path / "broken.toml"
    broken.write_text(SCENARIO.read_text().replace("radius_nm = 5", "radius_nmi = 5"))
    assert_bad_input(sarkit_run("drift", str(broken), "--out", str(tmp_path / "o")),
                     "radius_nm")
    assert_bad_input(sarkit_run("drift", str(SCENARIO), "--out", str(tmp_path / "o"),
                                "--particles", "100", "--at", "2030-01-01T00:00Z"), "--at")
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())
    assert_bad_input(sarkit_run("demo", "--out", str(tmp_path / "o"), "--particles", "0"))


# --- plan and update -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    text = EXAMPLE_PLAN.read_text().replace("particles = 5000", "particles = 300")
    (folder / "period1.toml").write_text(text)
    period2 = (text.replace('scenario = "default"', 'trajectories = "plan1/trajectories.nc"')
               .replace("particles = 300\n", "")
               .replace('start = "2024-06-11T00:00Z"', 'start = "2024-06-11T06:00Z"')
               .replace('end = "2024-06-11T06:00Z"', 'end = "2024-06-11T11:00Z"'))
    (folder / "period2.toml").write_text(period2)
    return folder


def test_plan_json_then_update_verbose(plan_files):
    done = sarkit_run("plan", "period1.toml", "--out", "plan1", "--no-map", "--json",
                      cwd=plan_files)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["command"] == "plan" and 0 < summary["total_pos"] <= summary["bound"]
    assert {row["asset"] for row in summary["assets"]} >= {"KN SAR Kresna 232"}
    assert {item["asset"] for item in summary["left_out"]} >= {"AMSA Challenger (Perth)"}
    assert Path(plan_files / summary["files"]["waypoints"]).is_file()
    update = sarkit_run("update", "period2.toml", "--searched", "plan1", "--out", "plan2",
                        "--no-map", "--verbose", cwd=plan_files)
    assert update.returncode == 0, update.stderr
    assert "searched: KN SAR Kresna 232: POD" in update.stdout
    assert "cumulative POS" in update.stdout
    assert "transit" in update.stdout and "sweep width" in update.stdout and "CSP" in update.stdout
    assert_bad_input(sarkit_run("update", "period2.toml", "--searched", "plan1", "--out",
                                "plan4", "--pod", "ghost=2", cwd=plan_files), "--pod")
    again = sarkit_run("update", "period2.toml", "--searched", "plan1", "--out", "plan3",
                       "--no-map", "--json", cwd=plan_files)
    parsed = json.loads(again.stdout)
    assert parsed["command"] == "update" and 0 < parsed["cumulative_pos"] < 1
    assert [s["asset"] for s in parsed["searched"]] == [r["asset"] for r in summary["assets"]]


def test_plan_and_update_bad_input_exit_1(plan_files, tmp_path):
    assert_bad_input(sarkit_run("plan", str(tmp_path / "nope.toml"), "--out",
                                str(tmp_path / "p")))
    typo = tmp_path / "typo.toml"
    typo.write_text(EXAMPLE_PLAN.read_text().replace("wind_kt", "wind_knots"))
    assert_bad_input(sarkit_run("plan", str(typo), "--out", str(tmp_path / "p")), "wind_kt")
    assert_bad_input(sarkit_run("update", str(plan_files / "period2.toml"), "--searched",
                                str(tmp_path / "never-flown"), "--out", str(tmp_path / "u")))


def test_a_file_where_the_output_folder_should_be_is_bad_input(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("")
    assert_bad_input(sarkit_run("demo", "--out", str(blocker), "--particles", "20"))


# --- internal errors: exit 3 -----------------------------------------------------------------


def test_internal_error_exits_3_with_a_report_line_and_no_traceback(monkeypatch, capsys):
    import sarkit.app.drift

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.delenv("SARKIT_DEBUG", raising=False)
    monkeypatch.setattr(sarkit.app.drift, "run_scenario", broken)
    assert cli.main(["demo", "--out", "unused", "--quiet"]) == cli.EXIT_INTERNAL == 3
    err = capsys.readouterr().err
    assert "internal error: ZeroDivisionError" in err and "please report it" in err
    assert "Traceback" not in err


def test_exit_codes_are_documented():
    assert (cli.EXIT_OK, cli.EXIT_BAD_INPUT, cli.EXIT_USAGE, cli.EXIT_INTERNAL) == (0, 1, 2, 3)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "0 success; 1 bad input" in readme and "3 an internal error" in readme
