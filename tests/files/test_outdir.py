"""The one output-folder writer: whole folders or nothing, stale staging cleaned."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sarkit.errors import SarkitError
from sarkit.files.outdir import STAGING_MARK, file_names, remove_stale_staging, staged_folder


def _staging(parent):
    return sorted(p.name for p in parent.iterdir() if STAGING_MARK in p.name)


def test_a_new_folder_appears_whole(tmp_path):
    target = tmp_path / "deep" / "case1"
    with staged_folder(target) as stage:
        assert stage.parent == target.parent and not target.exists()
        (stage / "areas.geojson").write_text("{}")
        (stage / "cases" / "N").mkdir(parents=True)
        (stage / "cases" / "N" / "a.txt").write_text("a")
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [
        "areas.geojson", "cases", "cases/N", "cases/N/a.txt"]
    assert _staging(target.parent) == []
    mode = target.stat().st_mode & 0o777
    mask = os.umask(0o022)
    os.umask(mask)
    assert mode == 0o777 & ~mask


def test_an_existing_folder_keeps_other_files_and_replaces_same_names(tmp_path):
    target = tmp_path / "out"
    (target / "cases" / "old").mkdir(parents=True)
    (target / "notes.txt").write_text("mine")
    (target / "areas.geojson").write_text("old")
    with staged_folder(target) as stage:
        (stage / "areas.geojson").write_text("new")
        (stage / "cases" / "N").mkdir(parents=True)
    assert (target / "notes.txt").read_text() == "mine"
    assert (target / "areas.geojson").read_text() == "new"
    assert sorted(p.name for p in (target / "cases").iterdir()) == ["N"]
    assert _staging(tmp_path) == []


def test_a_failure_leaves_the_target_as_it_was(tmp_path):
    target = tmp_path / "out"
    with pytest.raises(RuntimeError), staged_folder(target) as stage:
        (stage / "areas.geojson").write_text("half")
        raise RuntimeError("the map failed")
    assert not target.exists() and _staging(tmp_path) == []
    target.mkdir()
    (target / "areas.geojson").write_text("old")
    with pytest.raises(RuntimeError), staged_folder(target) as stage:
        (stage / "areas.geojson").write_text("half")
        raise RuntimeError("the map failed")
    assert (target / "areas.geojson").read_text() == "old"
    assert _staging(tmp_path) == []


def test_a_file_target_and_a_full_new_folder_are_refused_before_anything_runs(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(SarkitError, match="is a file, not a folder"), \
            staged_folder(tmp_path / "file"):
        pytest.fail("the block must not run")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(SarkitError, match="not an empty folder"), \
            staged_folder(tmp_path / "full", new=True):
        pytest.fail("the block must not run")
    with staged_folder(tmp_path / "empty", new=True) as stage:
        (stage / "a").write_text("a")
    assert (tmp_path / "empty" / "a").read_text() == "a"


def test_the_staging_of_a_killed_run_is_removed_by_the_next_run(tmp_path):
    target = tmp_path / "out"
    code = ("import os, signal, sys\n"
            "from sarkit.files.outdir import staged_folder\n"
            "with staged_folder(sys.argv[1]) as stage:\n"
            "    (stage / 'trajectories.nc').write_bytes(b'x' * 1000)\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n")
    done = subprocess.run([sys.executable, "-c", code, str(target)], check=False)
    assert done.returncode == -9
    left = _staging(tmp_path)
    assert len(left) == 1 and not target.exists()
    # a staging folder of a process that still runs (this one) is left alone
    mine = tmp_path / f".out{STAGING_MARK}{os.getpid()}-abc"
    mine.mkdir()
    with staged_folder(target) as stage:
        (stage / "areas.geojson").write_text("{}")
    assert _staging(tmp_path) == [mine.name]
    assert sorted(p.name for p in target.iterdir()) == ["areas.geojson"]
    assert remove_stale_staging(target) == []


def test_the_current_folder_as_target_is_written_into(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    with staged_folder(".") as stage:
        (stage / "areas.geojson").write_text("{}")
    assert sorted(p.name for p in work.iterdir()) == ["areas.geojson"]
    assert _staging(tmp_path) == []
    (work / "sub").mkdir()
    monkeypatch.chdir(work / "sub")
    with staged_folder("..") as stage:
        (stage / "map.png").write_bytes(b"png")
    assert sorted(p.name for p in work.iterdir()) == ["areas.geojson", "map.png", "sub"]


@pytest.mark.parametrize(("text", "expected"), [
    ("KN SAR Kresna 232", "KN_SAR_Kresna_232.gpx"),
    ("../../x", "x.gpx"),
    ("/abs/x", "abs_x.gpx"),
    ("C:\\Windows\\x", "C_Windows_x.gpx"),
    ("a\x00b\x1b[31m", "a_b_31m.gpx"),
    ("..", "item.gpx"),
    ("", "item.gpx"),
    (".hidden", "hidden.gpx"),
    ("NUL", "NUL_.gpx"),
    ("plan", "plan-2.gpx"),
    ("WAYPOINTS", "WAYPOINTS-2.gpx"),
    ("x" * 300, "x" * 80 + ".gpx"),
])
def test_a_user_name_becomes_one_safe_file_name(text, expected):
    name = file_names([text], suffix=".gpx", reserved=("plan", "waypoints"))[text]
    assert name == expected
    assert "/" not in name and "\\" not in name and not name.startswith(".")


def test_file_names_are_unique_in_the_folder_ignoring_case():
    names = file_names(["A b", "a_b", "A/B", "a b"], suffix=".txt")
    assert names == {"A b": "A_b.txt", "a_b": "a_b-2.txt", "A/B": "A_B-3.txt",
                     "a b": "a_b-4.txt"}
