"""Reproducibility: the same seed gives the same ensemble on any thread count and any chunking.

Random numbers are keyed by (seed, particle id, step, stream) (sarkit.drift.random), so a
particle's path cannot depend on which thread moves it or on the chunk it is in. These
tests compare whole runs bit for bit: positions, statuses and sides.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from sarkit.drift.leeway import object_class
from sarkit.drift.seeding import area, combine, point
from sarkit.drift.simulate import simulate
from sarkit.files.trajectories import read_trajectories
from sarkit.forcing import open_forcing

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
FIELDS = ("lon", "lat", "status", "side")

# One run on the Andaman sample fields, written to netCDF: two scenarios, a time window (so
# some particles wait), the default random walk and jibing, an artificial island in the way
# (some strand) and particles that leave the grid (the eastern edge is near), so every
# status path of the kernel is taken.
SCRIPT = textwrap.dedent("""
    import sys

    import numba
    import numpy as np

    from sarkit.drift.coast import LandMask
    from sarkit.drift.leeway import object_class
    from sarkit.drift.seeding import combine, point
    from sarkit.drift.simulate import simulate
    from sarkit.forcing import open_forcing
    from sarkit.files.trajectories import write_trajectories

    data, out, chunk = sys.argv[1], sys.argv[2], sys.argv[3]
    currents = open_forcing(data + "/andaman_synthetic_currents.nc", "current").load()
    winds = open_forcing(data + "/andaman_synthetic_winds.nc", "wind").load()
    seeds = combine([
        point(97.0, 9.0, radius_nm=20, time="2024-06-10T00:00", end_time="2024-06-10T06:00",
              count=600, obj=object_class("FISHING-VESSEL-1"), seed=4),
        point(99.6, 6.0, radius_nm=15, time="2024-06-10T02:00", count=400,
              obj=object_class("PIW-1"), seed=4),
    ], weights=[2, 1])
    island = LandMask(97.5, 8.8, 0.01, 0.01, np.ones((60, 30), np.uint8))
    run = simulate(seeds, currents, winds, duration_hours=36, seed=8, land=island,
                   chunk_size=None if chunk == "none" else int(chunk))
    write_trajectories(run, out)
    print(numba.get_num_threads())
""")


def _run_in_subprocess(tmp_path: Path, threads: int, chunk: str = "none") -> Path:
    script = tmp_path / "drift_run.py"
    script.write_text(SCRIPT)
    out = tmp_path / f"threads{threads}_chunk{chunk}.nc"
    env = {**os.environ, "NUMBA_NUM_THREADS": str(threads), "PYTHONPATH": str(REPO),
           "SARKIT_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, str(script), str(DATA), str(out), chunk], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == str(threads)  # numba really used that many threads
    return out


def _assert_same(first, second) -> None:
    for name in FIELDS:
        np.testing.assert_array_equal(first[name].values, second[name].values, err_msg=name)
    np.testing.assert_array_equal(first.time.values, second.time.values)


@pytest.fixture(scope="module")
def forcing():
    currents = open_forcing(DATA / "andaman_synthetic_currents.nc", "current").load()
    winds = open_forcing(DATA / "andaman_synthetic_winds.nc", "wind").load()
    return currents, winds


@pytest.fixture(scope="module")
def seeds():
    return combine([
        point(96.0, 8.0, radius_nm=10, time="2024-06-10T00:00", end_time="2024-06-10T03:00",
              count=300, obj=object_class("FISHING-VESSEL-1")),
        area([(93, 10), (94, 10), (94, 11), (93, 11)], time="2024-06-10T01:00", count=200,
             obj=object_class("LIFE-RAFT-NB-2")),
    ])


def _run(seeds, forcing, **settings):
    currents, winds = forcing
    return simulate(seeds, currents, winds, duration_hours=24, land=None, **settings)


@pytest.mark.parametrize("chunk_size", [37, 1, 499])
def test_chunked_run_equals_one_run(seeds, forcing, chunk_size):
    _assert_same(_run(seeds, forcing), _run(seeds, forcing, chunk_size=chunk_size))


def test_same_seed_same_result_other_seed_other_result(seeds, forcing):
    first = _run(seeds, forcing, seed=21)
    _assert_same(first, _run(seeds, forcing, seed=21))
    other = _run(seeds, forcing, seed=22)
    moved = first.status.values[:, -1] == 0
    # every particle has other leeway perturbations, walk and jibes under another seed
    assert np.all(first.lon.values[moved, -1] != other.lon.values[moved, -1])
    assert not np.array_equal(first.side.values, other.side.values)


def test_one_and_two_threads_give_identical_ensembles(tmp_path):
    # last in the file: the runs above have compiled the kernel into numba's disk cache,
    # which the two subprocesses then load instead of compiling it again
    one = read_trajectories(_run_in_subprocess(tmp_path, 1))
    two = read_trajectories(_run_in_subprocess(tmp_path, 2, chunk="37"))
    _assert_same(one, two)
    statuses = set(np.unique(one.status.values))
    assert statuses == {0, 1, 2, 4}, statuses  # active, stranded, left the grid, waiting
    assert len(np.unique(one.lon.values[:, -1])) == one.sizes["trajectory"]  # all distinct
