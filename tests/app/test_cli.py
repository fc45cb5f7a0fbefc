"""The command line as a user drives it: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sarkit.app import cli

REPO = Path(__file__).resolve().parents[2]
SAMPLES = [str(REPO / "data" / "andaman_synthetic_currents.nc"),
           str(REPO / "data" / "andaman_synthetic_winds.nc")]


def test_forcing_info_on_the_bundled_sample(capsys):
    assert cli.main(["forcing", "info", *SAMPLES]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC" in out
    assert "uo / vo" in out and "u10 / v10" in out
    assert "2024-06-10T00:00:00Z .. 2024-06-13T00:00:00Z, 25 records every 3 h" in out
    assert "box 4.000N..16.000N 91.000E..100.000E" in out


def test_forcing_info_json(capsys):
    assert cli.main(["forcing", "info", "--json", SAMPLES[0]]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert reports[0]["usable"] is True
    assert reports[0]["fields"][0]["quantity"] == "current"
    assert reports[0]["fields"][0]["variables"] == ["uo", "vo"]


def test_info_on_a_file_that_cannot_serve_exits_1(tmp_path, capsys):
    bad = tmp_path / "notes.nc"
    bad.write_text("this is not netCDF")
    assert cli.main(["forcing", "info", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "cannot be read as netCDF" in out and "Fix:" in out


def test_unknown_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["forcing", "info", "--bogus", SAMPLES[0]])
    assert stop.value.code == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_help_lists_options_with_an_example(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["forcing", "info", "--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    for expected in ("--units", "--time-origin", "--json", "example:", "exit codes"):
        assert expected in text


def test_bad_input_error_is_one_line_without_traceback(monkeypatch, capsys):
    from sarkit.errors import ForcingFileError

    def refuse(*args, **kwargs):
        raise ForcingFileError("cannot be read", "download it again", "x.nc")

    monkeypatch.setattr("sarkit.forcing.describe", refuse)
    assert cli.main(["forcing", "info", "x.nc"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "sarkit: error: x.nc: cannot be read. Fix: download it again."


def test_internal_error_exits_3_without_traceback(monkeypatch, capsys):
    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.delenv("SARKIT_DEBUG", raising=False)
    monkeypatch.setattr("sarkit.forcing.describe", crash)
    assert cli.main(["forcing", "info", "x.nc"]) == 3
    err = capsys.readouterr().err
    assert "internal error" in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_console_entry_point_runs_as_a_module(tmp_path):
    missing = tmp_path / "missing.nc"
    path = os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run(
        [sys.executable, "-m", "sarkit", "forcing", "info", str(missing)],
        capture_output=True, text=True, cwd=tmp_path, check=False, env=env,
    )
    assert done.returncode == 1
    assert "file not found" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_reader_that_stops_early_is_not_an_error(tmp_path):
    # `sarkit objects | head -1`: the pipe closes under a long listing; exit 0, no message
    path = os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    with subprocess.Popen([sys.executable, "-m", "sarkit", "objects"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, cwd=tmp_path, env=env) as process:
        assert process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0
    assert "Broken pipe" not in err and "error" not in err


def test_info_pairs_u_and_v_from_separate_files(realworld, capsys):
    u = realworld / "parcels" / "access-om2-01_u.nc"
    v = realworld / "parcels" / "access-om2-01_v.nc"
    assert cli.main(["forcing", "info", str(u), str(v)]) == 0
    out = capsys.readouterr().out
    assert "only the eastward (x) component" in out  # each file alone
    together = out.split("all files together")[1]
    assert "u / v" in together
    assert "one source of 2 files, 1950-01-01T12:00:00Z .. 1950-01-03T12:00:00Z, 3 records" in out


def test_info_needs_units_for_a_file_that_states_none(realworld, capsys):
    files = [str(realworld / "parcels" / "Uu_eastward_nemo_cross_180lon.nc"),
             str(realworld / "parcels" / "Vv_eastward_nemo_cross_180lon.nc")]
    assert cli.main(["forcing", "info", *files]) == 1
    assert "has no units" in capsys.readouterr().out
    assert cli.main(["forcing", "info", "--units", "m/s", *files]) == 0
    assert "units m/s (given)" in capsys.readouterr().out


def test_info_on_every_real_file_gives_a_report_and_no_traceback(realworld, tmp_path, capsys):
    damaged = tmp_path / "era5_cut_off.nc"  # a broken download: half the file
    era5 = (realworld / "geocat" / "era5_1995-07-14T12.nc").read_bytes()
    damaged.write_bytes(era5[: len(era5) // 2])
    files = [*sorted(str(p) for p in realworld.glob("*/*.nc")), str(damaged)]
    code = cli.main(["forcing", "info", *files])
    captured = capsys.readouterr()
    assert code in (0, 1)
    assert "Traceback" not in captured.out + captured.err
    for name in ("FVCOM", "archv", "era5", "croco"):
        assert name in captured.out
    assert "unstructured" in captured.out
    assert "no surface level" in captured.out
    assert "cannot be read as netCDF" in captured.out


def test_objects_lists_the_matching_classes(capsys):
    assert cli.main(["objects", "fishing"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:5] == ["ID", "DOWNWIND", "RIGHT", "LEFT", "DIVERGENCE"]
    ids = [line.split()[0] for line in lines[2:]]
    assert ids[:6] == [f"FISHING-VESSEL-{n}" for n in range(1, 7)]
    first = lines[2].split()
    assert first[1:5] == ["2.47", "2.76", "-2.76", "48.2"]
    assert "Fishing vessel, general (mean values)" in lines[2]
    assert len({line.index("Fishing") for line in lines[2:4]}) == 1  # aligned, both main


def test_objects_without_text_lists_all_85(capsys):
    assert cli.main(["objects"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 + 85
    assert lines[2].startswith("PIW-1 ") and lines[-1].startswith("MED-WASTE-7 ")
    assert any(line.split()[:2] == ["PIW-6", "1.117"] for line in lines)


def test_objects_takes_several_words(capsys):
    assert cli.main(["objects", "life", "raft", "no", "ballast"]) == 0
    ids = [line.split()[0] for line in capsys.readouterr().out.splitlines()[2:]]
    assert ids == [*(f"LIFE-RAFT-NB-{n}" for n in range(1, 6)), "AVIATION-1"]


def test_objects_with_no_match_exits_1_with_one_line(capsys):
    assert cli.main(["objects", "nosuchthing"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1
    assert captured.err.startswith("sarkit: error: no search object class matches 'nosuchthing'")
    assert "Fix:" in captured.err


def test_objects_json(capsys):
    assert cli.main(["objects", "--json", "sampan"]) == 0
    classes = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in classes] == ["FISHING-VESSEL-2"]
    sampan = classes[0]
    assert sampan["index"] == 51 and sampan["downwind_slope"] == 0.0267
    assert sampan["downwind_std_m_s"] == 0.083 and sampan["left_slope"] == -0.0298
    assert abs(sampan["iamsar_multiplier"] - 0.040) <= 0.0006
    assert abs(sampan["divergence_deg"] - 48) <= 1


def test_objects_help_has_an_example(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["objects", "--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    for expected in ("--json", "example:", "sarkit objects", "exit codes", "Allen"):
        assert expected in text
