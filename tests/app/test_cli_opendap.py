"""`sarkit drift` with its forcing on an OPeNDAP server (started here on 127.0.0.1): the same
drift as from the files, a rerun from the cache with the server gone (on every member of an
ensemble forecast too), and a clear refusal."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import xarray as xr

from sarkit.app import cli
from sarkit.files.forcing_cache import CACHE_ENV
from tests.ensembles import ensemble_of
from tests.opendap_server import opendap_server

REPO = Path(__file__).resolve().parents[2]
CURRENTS = REPO / "data" / "andaman_synthetic_currents.nc"
WINDS = REPO / "data" / "andaman_synthetic_winds.nc"

SCENARIO = """\
name = "boat off Car Nicobar"
object = "FISHING-VESSEL-1"
particles = 500
seed = 11
[lkp]
time = "2024-06-10T06:00:00Z"
lon = 93.9
lat = 9.6
radius_nm = 3
[run]
duration_hours = 24
timestep_minutes = 15
output_every_minutes = 60
[forcing]
currents = {currents}
winds = {winds}
"""


def _scenario(folder: Path, currents: str, winds: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "case.toml"
    path.write_text(SCENARIO.format(currents=currents, winds=winds), encoding="utf-8")
    return path


def _positions(out: Path) -> tuple[np.ndarray, np.ndarray]:
    with xr.open_dataset(out / "trajectories.nc") as trajectories:
        return trajectories["lon"].values, trajectories["lat"].values


def test_drift_reads_forcing_from_an_opendap_server(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    local = _scenario(tmp_path / "local", f'["{CURRENTS}"]', f'["{WINDS}"]')
    assert cli.main(["drift", str(local), "--out", str(tmp_path / "from-files")]) == 0
    capsys.readouterr()
    with opendap_server({"currents": CURRENTS, "winds": WINDS}) as (base, router):
        remote = _scenario(tmp_path / "remote", f'["{base}/currents"]', f'["{base}/winds"]')
        assert cli.main(["drift", str(remote), "--out", str(tmp_path / "from-server")]) == 0
        assert any(".dods?" in request for request in router.requests)
    with xr.open_dataset(tmp_path / "from-server" / "trajectories.nc") as trajectories:
        assert f"{base}/currents (subset cached in " in trajectories.attrs["currents"]
        assert f"{base}/winds (subset cached in " in trajectories.attrs["winds"]
    lon, lat = _positions(tmp_path / "from-server")
    lon_files, lat_files = _positions(tmp_path / "from-files")
    np.testing.assert_array_equal(lon, lon_files)
    np.testing.assert_array_equal(lat, lat_files)
    assert (tmp_path / "cache" / "forcing").is_dir()
    # the server is gone: a rerun reads the cached subset, and drifts the same
    assert cli.main(["drift", str(remote), "--out", str(tmp_path / "rerun")]) == 0
    lon_again, _ = _positions(tmp_path / "rerun")
    np.testing.assert_array_equal(lon_again, lon_files)


def _ensemble(path: Path) -> Path:
    """A two-member ensemble forecast of the sample current (the second at half its speed)."""
    with xr.open_dataset(CURRENTS) as base:
        base = base.load()
    ensemble_of([base, base * 0.5], "realization", "realization").to_netcdf(path)
    return path


def test_a_rerun_on_every_member_of_a_servers_ensemble_needs_no_server(tmp_path, monkeypatch):
    # members = "all" asks the server how many members it holds once; with the server gone, a
    # rerun reads that count and every member's subset from the cache
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    path = _ensemble(tmp_path / "ensemble.nc")
    with opendap_server({"ens": path}) as (base, router):
        remote = _scenario(tmp_path / "remote", f'{{ files = ["{base}/ens"], members = "all" }}',
                           f'["{WINDS}"]')
        assert cli.main(["drift", str(remote), "--out", str(tmp_path / "first"), "--quiet"]) == 0
        assert router.requests
    assert cli.main(["drift", str(remote), "--out", str(tmp_path / "rerun"), "--quiet"]) == 0
    with xr.open_dataset(tmp_path / "rerun" / "trajectories.nc") as trajectories:
        assert set(np.unique(trajectories["forcing_member"].values)) == {0, 1}
    np.testing.assert_array_equal(_positions(tmp_path / "rerun")[0],
                                  _positions(tmp_path / "first")[0])


def test_an_unreachable_server_is_one_line_and_no_output(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    scenario = _scenario(tmp_path, f'["http://127.0.0.1:{port}/hycom"]',
                         "{ constant = [3.0, 1.0] }")
    out = tmp_path / "out"
    assert cli.main(["drift", str(scenario), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "cannot be opened as OPeNDAP" in err and f"127.0.0.1:{port}/hycom" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists() or list(out.iterdir()) == []


def test_addresses_and_files_are_not_mixed(tmp_path, capsys):
    scenario = _scenario(tmp_path, f'["https://example.org/dods/cur", "{CURRENTS}"]',
                         "{ constant = [3.0, 1.0] }")
    assert cli.main(["drift", str(scenario), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "forcing.currents" in err and "mixes server addresses and files" in err


def test_forcing_info_reads_an_address(capsys):
    with opendap_server({"currents": CURRENTS}) as (base, _):
        assert cli.main(["forcing", "info", f"{base}/currents"]) == 0
        assert "regular lon/lat grid" in capsys.readouterr().out
        assert cli.main(["forcing", "info", f"{base}/no-such-dataset"]) == 1
        assert "cannot be opened as OPeNDAP" in capsys.readouterr().out
