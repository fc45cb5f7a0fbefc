"""Where the time of `sarkit drift` goes: the whole command, stage by stage, as a user runs it.

Runs ``sarkit drift`` on the benchmark scenario of ``commands.py`` (10^5 particles, 48 h,
15 min steps, hourly output, SYNTHETIC Andaman forcing) in a fresh process, several times,
with each stage of the command timed where it runs: the imports, the scenario, the forcing,
coastline and drift, POC and areas, the map's outline, each file, and the wait for the map
that a process of its own draws meanwhile (``sarkit.app.mapprocess``). The first run fills the
numba cache (cold); the table gives the best of the warm runs for each stage.

    .venv/bin/python benchmarks/cli_profile.py            # about 1 min on 2 cores

Run it on a quiet machine: the map's process needs the second core.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from commands import SCENARIO  # noqa: E402 (the same scenario as the whole-command rows)

CHILD = r"""
import json, sys, time
began = time.perf_counter()
stages = {}
def timed(module, name, label):
    function = getattr(module, name)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            stages[label] = stages.get(label, 0.0) + time.perf_counter() - start
    setattr(module, name, wrapper)
from sarkit.app import cli
import sarkit.app.mapprocess as mapprocess
start = time.perf_counter()
maps = mapprocess.MapProcess.start("save_map")  # first, as the command starts it
stages["map process started"] = time.perf_counter() - start
cli._map_process = lambda args, function: maps
start = time.perf_counter()
import sarkit.app.drift as drift
import sarkit.plot.areas as areas
stages["imports"] = time.perf_counter() - start
import sarkit.files.scenario_toml as scenario_toml
timed(scenario_toml, "load_scenario", "scenario file")
timed(drift, "drift_scenario", "forcing, coastline and drift")
timed(drift, "poc_grid", "POC grid")
timed(drift, "search_areas", "search areas")
timed(areas, "drift_outline", "map outline (envelope, tracks)")
timed(drift, "write_geojson", "areas.geojson")
timed(drift, "write_kml", "areas.kml")
timed(drift, "write_trajectories", "trajectories.nc")
timed(drift, "write_summary", "summary.txt")
timed(mapprocess.MapProcess, "wait", "map.png (waited for after the files)")
code = cli.main(sys.argv[1:])
stages["whole command"] = time.perf_counter() - began
print(json.dumps(stages))
sys.exit(code)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5, help="warm runs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sarkit-profile-") as work:
        work = Path(work)
        (work / "case.toml").write_text(SCENARIO.format(
            particles=args.particles, currents=REPO / "data" / "andaman_synthetic_currents.nc",
            winds=REPO / "data" / "andaman_synthetic_winds.nc"), encoding="utf-8")
        env = dict(os.environ, NUMBA_CACHE_DIR=str(work / "numba-cache"),
                   PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a user's machine (see commands.py)
        runs = []
        for k in range(args.repeats + 1):
            out = work / f"out{k}"
            done = subprocess.run([sys.executable, "-c", CHILD, "drift", "case.toml", "--out",
                                   str(out), "--quiet"], cwd=work, env=env, check=True,
                                  capture_output=True, text=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    cold, warm = runs[0], runs[1:]
    labels = list(warm[0])
    labels.remove("whole command")
    print(f"# Where the time of `sarkit drift` goes ({args.particles:,} particles, 48 h, "
          f"15 min steps; {os.cpu_count()} cores; warm = best of {args.repeats})\n")
    print("| stage | cold (s) | warm (s) |")
    print("|---|---:|---:|")
    for label in [*labels, "whole command"]:
        best = min(run.get(label, 0.0) for run in warm)
        print(f"| {label} | {cold.get(label, 0.0):.2f} | {best:.2f} |")
    print("\nStages overlap nowhere in the command's own process; the map's process works "
          "beside it, and only the wait for it counts here.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
