"""Forcing from a server fetched once: the cache is reused without the server, refreshed when
old, and a folder that cannot be written is one clear error; an ensemble's member count the
same way."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from sarkit.errors import ForcingFileError, ForcingGridError, SarkitError
from sarkit.files.forcing_cache import (
    CACHE_ENV,
    MAX_AGE_ENV,
    cache_folder,
    cached_forcing,
    cached_member_count,
)
from sarkit.forcing import open_forcing
from sarkit.times import parse_time
from tests.ensembles import ensemble_of
from tests.opendap_server import opendap_server

REPO = Path(__file__).resolve().parents[2]
SAMPLE_CURRENTS = REPO / "data" / "andaman_synthetic_currents.nc"
BOX = (94.0, 7.0, 97.0, 10.0)
START, END = parse_time("2024-06-10T06:00Z"), parse_time("2024-06-11T06:00Z")


def test_a_subset_is_fetched_once_and_read_without_the_server(tmp_path):
    with opendap_server({"cur": SAMPLE_CURRENTS}) as (base, router):
        address = f"{base}/cur"
        paths = cached_forcing([address], "current", BOX, START, END, folder=tmp_path)
        asked = len(router.requests)
        assert asked and all(p.parent == tmp_path for p in paths)
        assert cached_forcing([address], "current", BOX, START, END, folder=tmp_path) == paths
        assert len(router.requests) == asked  # the second call never asked the server
    # the server is gone: the cache still answers, and the grid is the file's own
    again = cached_forcing([address], "current", BOX, START, END, folder=tmp_path)
    assert again == paths
    with open_forcing(again, "current") as cached, \
            open_forcing(SAMPLE_CURRENTS, "current") as local:
        grid, reference = cached.load(BOX, START, END), local.load(BOX, START, END)
    np.testing.assert_array_equal(grid.east, reference.east)
    assert address in grid.source and "cached" in grid.source
    assert any("fetched over OPeNDAP at" in note for note in grid.notes)
    # no temporary file left beside the cache
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".json", ".nc"]


def test_another_box_or_window_is_fetched_again(tmp_path):
    with opendap_server({"cur": SAMPLE_CURRENTS}) as (base, _):
        one = cached_forcing([f"{base}/cur"], "current", BOX, START, END, folder=tmp_path)
        other = cached_forcing([f"{base}/cur"], "current", (93.0, 7.0, 97.0, 10.0), START, END,
                               folder=tmp_path)
        later = cached_forcing([f"{base}/cur"], "current", BOX, START, END + 3600,
                               folder=tmp_path)
    assert len({one[0], other[0], later[0]}) == 3


def test_an_old_subset_is_fetched_again(tmp_path, monkeypatch):
    with opendap_server({"cur": SAMPLE_CURRENTS}) as (base, router):
        address = f"{base}/cur"
        cached_forcing([address], "current", BOX, START, END, folder=tmp_path)
        asked = len(router.requests)
        monkeypatch.setenv(MAX_AGE_ENV, "0")
        cached_forcing([address], "current", BOX, START, END, folder=tmp_path)
        assert len(router.requests) > asked
    # too old and the server gone: the error names the address, no stale data is used
    with pytest.raises(ForcingFileError, match="cannot be opened as OPeNDAP"):
        cached_forcing([address], "current", BOX, START, END, folder=tmp_path)
    monkeypatch.setenv(MAX_AGE_ENV, "soon")
    with pytest.raises(SarkitError, match=MAX_AGE_ENV):
        cached_forcing([address], "current", BOX, START, END, folder=tmp_path)


def _ensemble(path, members: int):
    with xr.open_dataset(SAMPLE_CURRENTS) as base:
        base = base.load()
    ensemble_of([base * (1.0 + 0.1 * k) for k in range(members)], "number").to_netcdf(path)
    return path


def test_an_ensembles_member_count_is_asked_once_and_kept(tmp_path, monkeypatch):
    ensemble = _ensemble(tmp_path / "ensemble.nc", 3)
    cache = tmp_path / "cache"
    with opendap_server({"ens": ensemble, "cur": SAMPLE_CURRENTS}) as (base, router):
        address = f"{base}/ens"
        assert cached_member_count([address], "current", folder=cache) == 3
        asked = len(router.requests)
        assert asked
        assert cached_member_count([address], "current", folder=cache) == 3
        assert len(router.requests) == asked  # the second call never asked the server
        # a damaged entry is asked again
        next(cache.glob("*.json")).write_text('{"fetched": 1e300, "members": "three"}')
        assert cached_member_count([address], "current", folder=cache) == 3
        assert len(router.requests) > asked
        # a forecast without members is refused as the reader refuses it
        with pytest.raises(ForcingGridError, match="no ensemble member dimension"):
            cached_member_count([f"{base}/cur"], "current", folder=cache)
    # the server gone: the count is still known; too old, the server is asked and the error
    # names the address
    assert cached_member_count([address], "current", folder=cache) == 3
    monkeypatch.setenv(MAX_AGE_ENV, "0")
    with pytest.raises(ForcingFileError, match="cannot be opened as OPeNDAP"):
        cached_member_count([address], "current", folder=cache)


def test_a_damaged_manifest_is_fetched_again(tmp_path):
    with opendap_server({"cur": SAMPLE_CURRENTS}) as (base, _):
        paths = cached_forcing([f"{base}/cur"], "current", BOX, START, END, folder=tmp_path)
        manifest = next(tmp_path.glob("*.json"))
        manifest.write_bytes(b"\x00{not json")
        assert cached_forcing([f"{base}/cur"], "current", BOX, START, END,
                              folder=tmp_path) == paths
    assert manifest.read_text().startswith("{")


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root writes into a read-only folder")
def test_a_cache_folder_that_cannot_be_written_is_one_error(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with opendap_server({"cur": SAMPLE_CURRENTS}) as (base, _):
            with pytest.raises(SarkitError, match=CACHE_ENV):
                cached_forcing([f"{base}/cur"], "current", BOX, START, END, folder=folder)
    finally:
        folder.chmod(0o700)


def test_a_cache_folder_under_a_file_is_one_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with opendap_server({"cur": SAMPLE_CURRENTS}) as (base, _):
        with pytest.raises(SarkitError, match=CACHE_ENV):
            cached_forcing([f"{base}/cur"], "current", BOX, START, END, folder=blocker / "c")


def test_the_cache_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "mine"))
    assert cache_folder() == tmp_path / "mine" / "forcing"
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "sarkit" / "forcing"
