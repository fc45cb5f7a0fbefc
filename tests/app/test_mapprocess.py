"""The map drawn in a process of its own (``sarkit drift`` and ``sarkit demo``): the same map as
one drawn in the command's process, its failure one clear error with no output folder, and no
child left behind by a command that dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import xarray as xr

from sarkit.app import cli, plan_trajectories, run_plan, run_scenario
from sarkit.app.mapprocess import MapProcess
from sarkit.errors import SarkitError
from sarkit.files.planfile import load_plan_file
from sarkit.files.scenario_toml import scenario_from_dict

REPO = Path(__file__).resolve().parents[2]

SCENARIO = {
    "name": "map process", "object": "FISHING-VESSEL-1", "particles": 300, "seed": 5,
    "lkp": {"time": "2024-06-10T00:00:00Z", "lon": 96.0, "lat": 9.0, "radius_nm": 2},
    "run": {"duration_hours": 6, "timestep_minutes": 15, "output_every_minutes": 60},
    "forcing": {"currents": {"constant": [0.2, 0.1]}, "winds": {"constant": [3.0, 1.0]}},
}


def test_the_childs_map_is_the_map_drawn_here(tmp_path):
    scenario = scenario_from_dict(SCENARIO)
    here = run_scenario(scenario, tmp_path / "here")
    with MapProcess.start("save_map") as maps:
        apart = run_scenario(scenario, tmp_path / "apart", map_process=maps)
    for name in ("map.png", "trajectories.nc", "areas.geojson", "summary.txt"):
        assert (here.files["map"].parent / name).read_bytes() == (
            apart.files["map"].parent / name).read_bytes(), name


def test_the_childs_plan_map_is_the_plan_map_drawn_here(small_plan, tmp_path):
    plan_file = load_plan_file(small_plan)
    trajectories = plan_trajectories(plan_file.drift)
    here = run_plan(plan_file, tmp_path / "here", trajectories=trajectories)
    with MapProcess.start("save_plan_map") as maps:
        apart = run_plan(plan_file, tmp_path / "apart", trajectories=trajectories,
                         map_process=maps)
    assert here.files.keys() == apart.files.keys()
    for key in here.files:
        assert here.files[key].read_bytes() == apart.files[key].read_bytes(), key


def test_a_map_the_child_cannot_draw_is_one_clear_error(tmp_path):
    # the child is to draw into a folder that a file stands in the way of: it says why, and
    # the command fails with that
    areas = run_scenario(scenario_from_dict(SCENARIO)).areas[-1]
    (tmp_path / "a-file").write_text("not a folder")
    with MapProcess.start("save_map") as maps:
        maps.draw("save_map", tmp_path / "a-file" / "map.png", areas)
        with pytest.raises(SarkitError, match=r"the map could not be drawn: .*a-file"):
            maps.wait()
    assert (tmp_path / "a-file").read_text() == "not a folder"


def test_a_child_draws_the_map_it_was_started_for(tmp_path):
    with pytest.raises(ValueError, match="no map function 'save_chart'"):
        MapProcess.start("save_chart")
    with MapProcess.start("save_plan_map") as maps, \
            pytest.raises(ValueError, match="no map function 'save_map' in this map process"):
        maps.draw("save_map", tmp_path / "map.png", None)


UNPICKLE = r"""
import pickle, sys
from sarkit.app import mapprocess
function = sys.argv[1]
mapprocess._warm_up(function)
before = set(sys.modules)
with open(sys.argv[2], "rb") as job:
    assert pickle.load(job)[0] == function
print(" ".join(sorted(set(sys.modules) - before)))
"""


def test_the_warm_up_imports_what_the_job_needs(small_plan, tmp_path):
    # unpickling a job in the child, once warmed up for its map, imports nothing: the imports
    # happen while the command is still busy, not while it waits for the map
    import pickle

    from sarkit.plot.areas import drift_outline

    result = run_scenario(scenario_from_dict(SCENARIO))
    plan_file = load_plan_file(small_plan)
    trajectories = plan_trajectories(plan_file.drift)
    plan = run_plan(plan_file, tmp_path / "plan", trajectories=trajectories, draw_map=False).plan
    areas = result.areas[-1]
    outline = drift_outline(result.trajectories, areas)
    drift = xr.Dataset(attrs=dict(trajectories.attrs))
    jobs = {
        "save_map": ((areas,), {"trajectories": outline, "iamsar": result.iamsar[-1]}),
        "save_plan_map": ((plan,), {"trajectories": drift}),
    }
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO),
                                                       os.environ.get("PYTHONPATH", "")]))
    for function, (args, kwargs) in jobs.items():
        path = tmp_path / f"{function}.pickle"
        path.write_bytes(pickle.dumps((function, "map.png", args, kwargs)))
        done = subprocess.run([sys.executable, "-c", UNPICKLE, function, str(path)], env=env,
                              capture_output=True, text=True, check=True)
        assert done.stdout.split() == [], function


def test_the_cli_without_a_map(tmp_path):
    path = tmp_path / "case.toml"
    path.write_text("\n".join([
        'name = "no map"', 'object = "FISHING-VESSEL-1"', "particles = 200", "seed = 1",
        "[lkp]", 'time = "2024-06-10T00:00:00Z"', "lon = 96.0", "lat = 9.0", "radius_nm = 2",
        "[run]", "duration_hours = 3", "timestep_minutes = 15",
        "[forcing]", "currents = { constant = [0.2, 0.1] }", "winds = { constant = [0.0, 0.0] }",
    ]))
    assert cli.main(["drift", str(path), "--out", str(tmp_path / "out"), "--no-map",
                     "--quiet"]) == 0
    assert not (tmp_path / "out" / "map.png").exists()
    assert (tmp_path / "out" / "trajectories.nc").exists()


@pytest.mark.skipif(not Path("/proc").is_dir() or sys.platform == "win32",
                    reason="reads the children from /proc (Linux)")
def test_a_killed_command_leaves_no_child(tmp_path):
    # kill -9 the command while it drifts: its map child sees its input close and ends
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO),
                                                       os.environ.get("PYTHONPATH", "")]))
    command = subprocess.Popen([sys.executable, "-m", "sarkit", "demo", "--out",
                                str(tmp_path / "out"), "--quiet", "--particles", "200000"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: set[int] = set()
    deadline = time.monotonic() + 60
    while not children and time.monotonic() < deadline:
        children = _children(command.pid)
        time.sleep(0.05)
    assert children, "the command started no map child"
    os.kill(command.pid, signal.SIGKILL)
    command.wait()
    deadline = time.monotonic() + 60
    while any(Path(f"/proc/{pid}").exists() and not _zombie(pid) for pid in children):
        assert time.monotonic() < deadline, "the map child outlived its command"
        time.sleep(0.1)
    assert not (tmp_path / "out").exists()


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
