"""Dask: the ensemble's fixed chunks as tasks on a LocalCluster give the local run bit for bit.

The dask and distributed packages come with the ``test`` extra; without them
these tests skip, except where CI is set.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from sarkit.drift.coast import LandMask
from sarkit.drift.leeway import object_class
from sarkit.drift.seeding import combine, point
from sarkit.drift.simulate import simulate
from sarkit.errors import SarkitError
from sarkit.forcing import ForcingGrid

if not os.environ.get("CI"):
    pytest.importorskip("distributed", reason='needs pip install "sarkit[dask]"')
import distributed

REPO = Path(__file__).resolve().parents[2]
FIELDS = ("lon", "lat", "status", "side")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def case():
    t = 1.7e9 + np.arange(0, 20 * 3600 + 1, 3600.0)
    lon, lat = np.linspace(96, 100, 41), np.linspace(5, 10, 51)
    phase = (t / 3e4)[:, None, None]
    east = 0.3 * np.sin(phase + np.radians(40 * lat)[None, :, None]) * np.ones((1, 1, 41))
    north = 0.2 * np.cos(phase + np.radians(30 * lon)[None, None, :]) * np.ones((1, 51, 1))
    currents = ForcingGrid("current", lon, lat, t, east, north)
    winds = ForcingGrid("wind", lon, lat, t, 7 * np.cos(phase) + 0 * east,
                        7 * np.sin(phase) + 0 * north)
    seeds = combine([
        point(97.5, 7.0, radius_nm=15, time=t[1], end_time=t[4], count=1500,
              obj=object_class("FISHING-VESSEL-1"), seed=2),
        point(98.5, 8.0, radius_nm=10, time=t[2], count=700, obj=object_class("PIW-1"), seed=2),
    ])
    island = LandMask(97.2, 7.26, 0.01, 0.01, np.ones((20, 20), np.uint8))
    settings = {"duration_hours": 12, "timestep_minutes": 15, "output_every_minutes": 60,
                "seed": 9, "land": island}
    return seeds, currents, winds, settings


def _same(a, b):
    for name in FIELDS:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
    np.testing.assert_array_equal(a["time"].values, b["time"].values)
    assert a.attrs["count_stranded"] == b.attrs["count_stranded"]


def test_dask_run_equals_the_local_run_bit_for_bit(client, case):
    seeds, currents, winds, settings = case
    local = simulate(seeds, currents, winds, **settings)
    seen = []
    remote = simulate(seeds, currents, winds, **settings, scheduler=client, chunk_size=300,
                      progress=lambda done, total: seen.append((done, total)))
    _same(local, remote)
    assert len(seen) == 8 and seen[-1] == (2200, 2200)
    assert local.attrs["count_stranded"] > 0


def test_dask_final_only_with_time_blocks_equals_the_local_run(client, case):
    seeds, currents, winds, settings = case
    local = simulate(seeds, currents, winds, **settings)
    remote = simulate(seeds, currents, winds, **settings, scheduler=client, chunk_size=500,
                      keep="final", time_block_hours=3)
    _same(local.isel(time=[-1]), remote)


def test_dask_with_leeway_perturbations_that_vary_in_time_equals_the_local_run(client, case):
    seeds, currents, winds, settings = case
    local = simulate(seeds, currents, winds, **settings, leeway_correlation_hours=2)
    remote = simulate(seeds, currents, winds, **settings, leeway_correlation_hours=2,
                      scheduler=client, chunk_size=300, time_block_hours=5)
    _same(local, remote)
    assert not np.array_equal(local.lat.values, simulate(seeds, currents, winds,
                                                         **settings).lat.values)


def test_scheduler_address_of_a_running_cluster(client, case):
    _, currents, winds, settings = case
    few = combine([point(97.5, 7.0, radius_nm=5, time=currents.time[1], count=50,
                         obj=object_class("PIW-1"), seed=1)])
    _same(simulate(few, currents, winds, **settings),
          simulate(few, currents, winds, **settings, scheduler=client.scheduler.address))


def test_unreachable_scheduler_is_one_clear_error(case, monkeypatch):
    seeds, currents, winds, settings = case
    monkeypatch.setattr("sarkit.drift.distributed.CONNECT_TIMEOUT_S", 1)
    began = time.perf_counter()
    with pytest.raises(SarkitError, match="cannot reach the Dask scheduler") as error:
        simulate(seeds, currents, winds, **settings, scheduler="tcp://127.0.0.1:9")
    assert "dask scheduler" in str(error.value) and time.perf_counter() - began < 30


@pytest.mark.parametrize("scheduler", [42, "", "  "])
def test_scheduler_that_is_not_a_client_or_address_is_refused(case, scheduler):
    seeds, currents, winds, settings = case
    with pytest.raises(SarkitError, match="is not a Dask Client, an address or 'local'"):
        simulate(seeds, currents, winds, **settings, scheduler=scheduler)


def test_missing_dask_names_the_extra(case, monkeypatch):
    seeds, currents, winds, settings = case
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(SarkitError, match=r'pip install "sarkit\[dask\]"'):
        simulate(seeds, currents, winds, **settings, scheduler="local")


def test_importing_sarkit_does_not_import_dask():
    code = ("import sys, sarkit, sarkit.drift.simulate, sarkit.app.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


SCENARIO = """\
name = "dask case"
object = "FISHING-VESSEL-1"
particles = 600
seed = 3
[lkp]
time = "2024-06-10T00:00:00Z"
lon = 96.0
lat = 9.0
radius_nm = 3
[run]
duration_hours = 6
timestep_minutes = 15
output_every_minutes = 60
[forcing]
currents = "{currents}"
winds = {{ constant = [4.0, 2.0] }}
"""


def test_cli_drift_on_dask_writes_the_same_trajectories(client, tmp_path, capsys):
    from sarkit.app import cli
    from sarkit.files.trajectories import read_trajectories

    case = tmp_path / "case.toml"
    case.write_text(SCENARIO.format(currents=REPO / "data" / "andaman_synthetic_currents.nc"))
    runs = {}
    for name, extra in (("here", []), ("dask", ["--dask", client.scheduler.address])):
        out = tmp_path / name
        assert cli.main(["drift", str(case), "--out", str(out), "--quiet", *extra]) == 0
        runs[name] = read_trajectories(out / "trajectories.nc")
    _same(runs["here"], runs["dask"])


def test_cli_drift_with_an_unreachable_scheduler_exits_with_one_line(tmp_path, capsys,
                                                                      monkeypatch):
    from sarkit.app import cli

    monkeypatch.setattr("sarkit.drift.distributed.CONNECT_TIMEOUT_S", 1)
    case = tmp_path / "case.toml"
    case.write_text(SCENARIO.format(currents=REPO / "data" / "andaman_synthetic_currents.nc"))
    code = cli.main(["drift", str(case), "--out", str(tmp_path / "out"), "--dask",
                     "tcp://127.0.0.1:9"])
    error = capsys.readouterr().err
    assert code != 0 and "cannot reach the Dask scheduler" in error
    assert not (tmp_path / "out" / "trajectories.nc").exists()


def test_dask_integer_poc_counts_equal_the_local_counts(client, case):
    from sarkit.poc.counts import poc_counts

    seeds, currents, winds, settings = case
    local = poc_counts(seeds, currents, winds, **settings, chunk_size=400, pilot=500)
    remote = poc_counts(seeds, currents, winds, **settings, chunk_size=300, pilot=500,
                        scheduler=client)
    assert remote.lattice == local.lattice and (remote.i0, remote.j0) == (local.i0, local.j0)
    np.testing.assert_array_equal(remote.counts, local.counts)
    np.testing.assert_array_equal(remote.statuses, local.statuses)
    np.testing.assert_array_equal(remote.poc, local.poc)
    assert local.counts.shape[0] == 2 and local.status_counts()["stranded"] > 0
