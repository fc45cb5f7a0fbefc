"""The one output-folder writer and the rule of --out: whole folders or nothing, never a
file of the user's replaced, stale staging cleaned; and the one way a name becomes a file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sarkit.errors import SarkitError
from sarkit.files.outdir import (
    OLD_MARK,
    OUTPUT_MARK,
    STAGING_MARK,
    check_target,
    file_names,
    remove_stale_staging,
    staged_folder,
)


def _staging(parent):
    return sorted(p.name for p in parent.iterdir() if ".sarkit-" in p.name)


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def _write(target, names, command="drift"):
    with staged_folder(target, command) as stage:
        for name in names:
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            (stage / name).write_text(name)


def test_a_new_folder_appears_whole_with_its_mark(tmp_path):
    target = tmp_path / "deep" / "case1"
    with staged_folder(target, "mass") as stage:
        assert stage.parent == target.parent and not target.exists()
        (stage / "plan.geojson").write_text("{}")
        (stage / "cases" / "N").mkdir(parents=True)
        (stage / "cases" / "N" / "a.txt").write_text("a")
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [
        OUTPUT_MARK, "cases", "cases/N", "cases/N/a.txt", "plan.geojson"]
    mark = json.loads((target / OUTPUT_MARK).read_text())
    assert mark == {"command": "mass", "files": ["cases/N/a.txt", "plan.geojson"]}
    assert _staging(target.parent) == []
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o777 & ~mask


def test_an_earlier_output_of_the_same_command_is_replaced_whole(tmp_path):
    target = tmp_path / "plan1"
    _write(target, ["plan.geojson", "Old_asset.gpx", "plan.png"], "plan")
    _write(target, ["plan.geojson", "New_asset.gpx"], "plan")
    assert sorted(p.name for p in target.iterdir()) == [OUTPUT_MARK, "New_asset.gpx",
                                                         "plan.geojson"]
    assert _staging(tmp_path) == []


def test_an_empty_folder_is_filled(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    _write(target, ["areas.geojson"])
    assert sorted(p.name for p in target.iterdir()) == [OUTPUT_MARK, "areas.geojson"]


@pytest.mark.parametrize(("setup", "message"), [
    (lambda t: (t / "notes.txt").write_text("mine"), "holds files that sarkit did not write"),
    (lambda t: (_write(t, ["plan.geojson"], "plan")), "holds the output of sarkit plan, not"),
    (lambda t: (_write(t, ["areas.geojson"]), (t / "notes.txt").write_text("mine")),
     "holds notes.txt, which sarkit drift did not write"),
    (lambda t: (t.rmdir(), t.write_text("mine")), "is a file, not a folder"),
])
def test_a_folder_with_anything_else_is_refused_and_left_alone(tmp_path, setup, message):
    target = tmp_path / "out"
    target.mkdir()
    setup(target)
    before = {p: p.read_bytes() for p in [target, *target.rglob("*")] if p.is_file()}
    with pytest.raises(SarkitError, match=message), staged_folder(target, "drift"):
        pytest.fail("the block must not run")
    assert {p: p.read_bytes() for p in [target, *target.rglob("*")] if p.is_file()} == before
    assert _staging(tmp_path) == []


def test_the_current_folder_and_its_parents_are_refused(tmp_path, monkeypatch):
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    monkeypatch.chdir(work / "sub")
    for target in (".", "..", str(work)):
        with pytest.raises(SarkitError, match="is the current folder"):
            check_target(target, "drift")


def test_a_folder_that_is_or_holds_an_input_is_refused(tmp_path):
    plan1 = tmp_path / "plan1"
    _write(plan1, ["plan.geojson", "trajectories.nc"], "plan")
    with pytest.raises(SarkitError, match="which sarkit plan reads"):
        check_target(plan1, "plan", [plan1])  # update --searched plan1 --out plan1
    with pytest.raises(SarkitError, match="which sarkit plan reads"):
        check_target(plan1, "plan", [plan1 / "trajectories.nc"])
    check_target(tmp_path / "plan2", "plan", [plan1])


def test_a_failure_leaves_the_target_as_it_was(tmp_path):
    target = tmp_path / "out"
    with pytest.raises(RuntimeError), staged_folder(target, "drift") as stage:
        (stage / "areas.geojson").write_text("half")
        raise RuntimeError("the map failed")
    assert not target.exists() and _staging(tmp_path) == []
    _write(target, ["areas.geojson"])
    with pytest.raises(RuntimeError), staged_folder(target, "drift") as stage:
        (stage / "areas.geojson").write_text("half")
        raise RuntimeError("the map failed")
    assert (target / "areas.geojson").read_text() == "areas.geojson"
    assert _staging(tmp_path) == []


def test_the_staging_of_a_killed_run_is_removed_by_the_next_run(tmp_path):
    target = tmp_path / "out"
    code = ("import os, signal, sys\n"
            "from sarkit.files.outdir import staged_folder\n"
            "with staged_folder(sys.argv[1], 'drift') as stage:\n"
            "    (stage / 'trajectories.nc').write_bytes(b'x' * 1000)\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n")
    done = subprocess.run([sys.executable, "-c", code, str(target)], check=False)
    assert done.returncode == -9
    assert len(_staging(tmp_path)) == 1 and not target.exists()
    # a staging folder of a process that still runs (this one) is left alone
    mine = tmp_path / f".out{STAGING_MARK}{os.getpid()}-abc"
    mine.mkdir()
    _write(target, ["areas.geojson"])
    assert _staging(tmp_path) == [mine.name]
    assert sorted(p.name for p in target.iterdir()) == [OUTPUT_MARK, "areas.geojson"]


def test_an_earlier_output_left_aside_by_a_killed_run_is_put_back(tmp_path):
    target = tmp_path / "out"
    _write(target, ["areas.geojson"])
    # killed between renaming the old output aside and renaming the new one in
    aside = tmp_path / f".out{OLD_MARK}{_dead_pid()}-xyz"
    os.rename(target, aside)
    stage = tmp_path / f".out{STAGING_MARK}{_dead_pid()}-xyz"
    stage.mkdir()
    assert remove_stale_staging(target) == [aside, stage]
    assert (target / "areas.geojson").read_text() == "areas.geojson"
    assert _staging(tmp_path) == []


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
