"""What `sarkit drift` keeps of the trajectories: every output time, or for millions of
particles only the last positions (issue 18 item 3)."""

from __future__ import annotations

import importlib

import xarray as xr

from sarkit.app import cli
from sarkit.drift.simulate import TRAJECTORIES_LIMIT_BYTES, keep_for

simulate_module = importlib.import_module("sarkit.drift.simulate")

SCENARIO = "sarkit/data/default_scenario.toml"


def test_keep_for_keeps_every_output_until_it_is_too_big(monkeypatch):
    assert keep_for(20_000, 49) == "all"
    assert keep_for(10_000_000, 49) == "final"  # 8.2 GiB of every output: far past 2 GiB
    assert 10_000_000 * 49 * simulate_module.BYTES_PER_OUTPUT > TRAJECTORIES_LIMIT_BYTES
    monkeypatch.setattr(simulate_module, "available_memory", lambda: 10 * 2**20)  # 10 MiB free
    assert keep_for(20_000, 49) == "final"


def test_drift_keeps_the_last_positions_and_says_so(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["drift", SCENARIO, "--out", str(out), "--particles", "300",
                     "--keep", "final"]) == 0
    printed = capsys.readouterr().out
    assert "kept the last positions only" in printed
    with xr.open_dataset(out / "trajectories.nc") as run:
        assert run.sizes == {"trajectory": 300, "time": 1}
    assert (out / "areas.geojson").exists() and (out / "map.png").exists()
    # areas at earlier times need every output time: refused with the fix
    assert cli.main(["drift", SCENARIO, "--out", str(tmp_path / "at"), "--particles", "300",
                     "--keep", "final", "--at", "2024-06-11T02:00Z"]) == 1
    error = capsys.readouterr().err
    assert "only the last positions were kept" in error and "--keep all" in error
    assert not (tmp_path / "at").exists()


def test_auto_keeps_every_output_time_of_an_ordinary_run(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["drift", SCENARIO, "--out", str(out), "--particles", "300"]) == 0
    assert "kept the last positions only" not in capsys.readouterr().out
    with xr.open_dataset(out / "trajectories.nc") as run:
        assert run.sizes["time"] > 1
