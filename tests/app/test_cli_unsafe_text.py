"""The CLI refuses control characters and absurd values with exit 1 and one line on standard
error, before anything is run or written; nothing it prints holds an escape code."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from sarkit.app.cli import _say, main
from sarkit.files.sitrep import sitrep

DATA = files("sarkit") / "data"


def _one_line_error(capsys, *fragments: str) -> str:
    captured = capsys.readouterr()
    err = captured.err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    line = err.rstrip("\n")
    assert line.startswith("sarkit: error: ") and line.isprintable(), line
    assert "Traceback" not in err and "internal error" not in err
    for fragment in fragments:
        assert fragment in line, line
    return line


@pytest.mark.parametrize(("options", "fragments"), [
    (["--from", "JRCC Jakarta\nSITREP 99\nFROM: HQ"], ("--from", "U+000A (LF)")),
    (["--to", "MRCC Port Blair\x1b[2J"], ("--to", "U+001B (ESC)")),
    (["--to", "MRCC\x00"], ("--to", "U+0000 (NUL)")),
    (["--from", "JRCC\x9b31m"], ("--from", "U+009B (CSI)")),
    (["--persons", "0"], ("--persons", "= 0 is not a whole number of at least 1")),
    (["--persons", "-12"], ("--persons", "= -12")),
    (["--sitrep-number", "0"], ("--sitrep-number", "= 0")),
    (["--sitrep-number", "-1"], ("--sitrep-number", "= -1"))])
def test_case_export_refuses(small_plan, tmp_path, capsys, options, fragments):
    out = tmp_path / "case.sarkit.zip"
    assert main(["case", "export", str(small_plan), "--out", str(out), *options]) == 1
    _one_line_error(capsys, *fragments)
    assert list(tmp_path.iterdir()) == []


def _plan(tmp_path: Path, old: str, new: str) -> Path:
    text = (DATA / "example_plan.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "plan.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "fragments"), [
    ('name = "KN SAR Kresna 232"', r'name = "KN SAR\u001b]0;pwned\u0007 232"',
     ("asset 1", "name: contains the control character U+001B (ESC)", "Fix: remove it")),
    ("wind_kt = 18", "wind_kt = 500",
     ("weather.wind_kt: 500 is out of range", "at most 200")),
    ("seas_m = 1.5", "seas_m = 40", ("weather.seas_m: 40 is out of range", "at most 20"))])
def test_plan_refuses(tmp_path, capsys, old, new, fragments):
    plan = _plan(tmp_path, old, new)
    assert main(["plan", str(plan), "--out", str(tmp_path / "out"), "--no-map"]) == 1
    _one_line_error(capsys, *fragments)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]


def test_mass_refuses_a_case_id_with_a_newline(tmp_path, capsys):
    text = (DATA / "example_cases.toml").read_text(encoding="utf-8")
    path = tmp_path / "cases.toml"
    path.write_text(text.replace('id = "A"', r'id = "A\nB"', 1), encoding="utf-8")
    assert main(["mass", str(path), "--out", str(tmp_path / "event")]) == 1
    _one_line_error(capsys, "id: contains the control character U+000A (LF)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.toml"]


def test_a_path_with_control_characters_is_shown_escaped(tmp_path, capsys):
    missing = tmp_path / "plan\x1b[31m\nred.toml"
    assert main(["plan", str(missing), "--out", str(tmp_path / "out")]) == 1
    line = _one_line_error(capsys, "plan\\u001b[31m\\u000ared.toml")
    assert "\x1b" not in line


def test_sitrep_text_from_the_python_api_stays_in_its_lines(exported):
    text = sitrep(exported.plan, exported.areas, description="boat\nSITREP 9\x1b[2J",
                  future_plans="search\r\nD. STATUS")
    assert "   DESCRIPTION: boat\\u000aSITREP 9\\u001b[2J\n" in text
    assert "   search\\u000d\\u000aD. STATUS\n" in text
    assert all(line.isprintable() for line in text.splitlines())
    assert text.count("D. STATUS") == 2 and "\nSITREP 9" not in text


def test_what_the_cli_prints_is_escaped(capsys):
    _say("plan for KN SAR\x1b[31m 1\n  line two\tok\x9b")
    _say("bad\nthing\x00", error=True)
    captured = capsys.readouterr()
    assert captured.out == "plan for KN SAR\\u001b[31m 1\n  line two\tok\\u009b\n"
    assert captured.err == "bad\\u000athing\\u0000\n"
