"""The commands a user runs, timed whole: `sarkit drift`, `demo`, `plan` and `mass`.

Each command runs as its own process, as from a shell, so its time includes the imports, the
forcing, the drift, the POC and areas, the files and the map. "cold" runs with an empty numba
cache (the first run after an install compiles the kernels), "warm" with the cache the cold run
filled. Where OpenDrift is installed, its whole process on the same drift scenario (the Leeway
model, the same object, position, forcing, length and steps; see ``drift_throughput.py``) runs
beside it, each run followed at once by a warm ``sarkit drift``, and the table gives the ratio
of the best of each (and run by run).

    python3 -m venv .venv-bench && .venv-bench/bin/pip install -e . opendrift
    python3 -m venv .venv-user && .venv-user/bin/pip install -e .
    .venv-bench/bin/python benchmarks/commands.py --sarkit-python .venv-user/bin/python

sarkit's commands run on ``--sarkit-python`` (default: this interpreter), best an environment
with sarkit alone as the README installs it: OpenDrift's dependencies bring dask, which xarray
then imports on every Dataset it makes (about 0.25 s, and 0.4 s more for ``distributed`` where
it is installed) -- a cost of that environment, not of sarkit. About 7 min on 2 cores.

Timings are wall-clock on whatever machine runs it: compare the ratios, which are measured in
the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCENARIO = """\
name = "benchmark: fishing vessel, Andaman Sea (SYNTHETIC forcing)"
object = "FISHING-VESSEL-1"
particles = {particles}
seed = 1
[lkp]
time = "2024-06-10T00:00:00Z"
lon = 96.0
lat = 9.0
radius_nm = 5
[run]
duration_hours = 48
timestep_minutes = 15
output_every_minutes = 60
diffusivity_m2_s = 0
[forcing]
currents = "{currents}"
winds = "{winds}"
"""

OPENDRIFT = """
import sys, time
sys.path.insert(0, {benchmarks!r})
from drift_throughput import _opendrift_run
_opendrift_run({particles}, 15.0)
"""


def _timed(command: list[str], env: dict, cwd: Path) -> float:
    begin = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - begin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3, help="warm runs per command")
    parser.add_argument("--skip-opendrift", action="store_true")
    parser.add_argument("--sarkit-python", default=sys.executable, metavar="PATH",
                        help="the interpreter that runs sarkit (default: this one)")
    args = parser.parse_args(argv)
    # absolute (the commands run in a scratch folder), not resolved: a venv's interpreter is a
    # link to the base one, which would run without the venv's packages
    sarkit = [os.path.abspath(args.sarkit_python), "-m", "sarkit"]
    work = Path(tempfile.mkdtemp(prefix="sarkit-bench-"))
    cache = work / "numba-cache"
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache))
    # as on a user's machine, where Python keeps the bytecode of what it imported (pip compiles
    # it at install): a shell or CI that sets PYTHONDONTWRITEBYTECODE recompiles every module of
    # sarkit at every start, about 0.3 s more per command and per OpenDrift run
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    (work / "case.toml").write_text(SCENARIO.format(
        particles=args.particles, currents=REPO / "data" / "andaman_synthetic_currents.nc",
        winds=REPO / "data" / "andaman_synthetic_winds.nc"), encoding="utf-8")
    data = REPO / "sarkit" / "data"
    drift = [*sarkit, "drift", "case.toml", "--out", "drift", "--quiet"]
    commands = {
        f"sarkit drift ({args.particles:,} particles, 48 h, 15 min)": drift,
        "sarkit demo": [*sarkit, "demo", "--out", "demo", "--quiet"],
        "sarkit plan (example plan)":
            [*sarkit, "plan", str(data / "example_plan.toml"), "--out", "plan", "--quiet"],
        "sarkit mass (example cases)":
            [*sarkit, "mass", str(data / "example_cases.toml"), "--out", "mass", "--quiet"],
    }
    rows = []
    try:
        for label, command in commands.items():
            shutil.rmtree(cache, ignore_errors=True)
            cold = _timed(command, env, work)
            warm = min(_timed(command, env, work) for _ in range(args.repeats))
            rows.append((label, cold, warm))
            print(f"{label}: cold {cold:.1f} s, warm {warm:.1f} s", file=sys.stderr)
        peer = None
        if not args.skip_opendrift:
            try:
                import opendrift  # noqa: F401
            except ImportError:
                print("OpenDrift is not installed: no peer row", file=sys.stderr)
            else:
                code = OPENDRIFT.format(benchmarks=str(REPO / "benchmarks"),
                                        particles=args.particles)
                # each OpenDrift run followed at once by a warm sarkit drift: the machine's
                # speed wanders within minutes, and the ratio should not take it for either
                pairs = [(_timed([sys.executable, "-c", code], env, work),
                          _timed(drift, env, work)) for _ in range(args.repeats)]
                peer = min(od for od, _ in pairs)
                paired_warm = min(ours for _, ours in pairs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"# Whole commands ({os.cpu_count()} cores; warm = best of {args.repeats})\n")
    print("| command | cold (s) | warm (s) |")
    print("|---|---:|---:|")
    for label, cold, warm in rows:
        print(f"| {label} | {cold:.1f} | {warm:.1f} |")
    if peer is not None:
        ratios = ", ".join(f"{od / ours:.1f}x" for od, ours in pairs)
        print(f"\nOpenDrift Leeway, whole process, same scenario: best {peer:.1f} s of "
              f"{args.repeats}, each run followed by a warm sarkit drift (best {paired_warm:.1f} "
              f"s): sarkit drift is {peer / paired_warm:.1f}x faster (run by run: {ratios}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
