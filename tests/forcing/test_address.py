"""Forcing read over OPeNDAP from a server the tests start on 127.0.0.1: the same grids as the
files, and the subset a run fetches reads as the files do over its box and window."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from sarkit.errors import ForcingCoverageError, ForcingFileError
from sarkit.forcing import open_forcing
from sarkit.forcing.address import address_label, is_address
from sarkit.times import parse_time
from tests.opendap_server import opendap_server

REPO = Path(__file__).resolve().parents[2]
SAMPLE_CURRENTS = REPO / "data" / "andaman_synthetic_currents.nc"
NORDIC_DAYS = tuple(f"opendrift/Nordic_subset_day{i}.nc" for i in (1, 2, 3))
CMEMS = "cmems/cmems_mod_glo_phy-cur_anfc_0.083deg_P1D-m_2024-01_1deg_5day.nc"


def test_addresses_are_told_from_paths():
    assert is_address("https://tds.hycom.org/thredds/dodsC/GLBy0.08/expt_93.0")
    assert is_address("  HTTP://127.0.0.1:8080/cur")
    for text in ("currents.nc", "/data/https/cur.nc", "file:///data/cur.nc", "ftp://x/y", "",
                 "https:/missing-slash", None, 3):
        assert not is_address(text)


def test_a_password_in_an_address_is_never_shown():
    label = address_label("https://officer:s3cret@nrt.cmems-du.eu:443/thredds/dodsC/cur?x=1")
    assert "s3cret" not in label and "officer" not in label
    assert label == "https://***@nrt.cmems-du.eu:443/thredds/dodsC/cur?x=1"
    assert address_label("https://host/path") == "https://host/path"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_server_is_one_error_naming_the_address():
    address = f"http://officer:s3cret@127.0.0.1:{_free_port()}/cur"
    with pytest.raises(ForcingFileError) as caught:
        open_forcing(address, "current")
    text = str(caught.value)
    assert "cannot be opened as OPeNDAP" in text and "127.0.0.1" in text
    assert "s3cret" not in text and "~/.netrc" in text


def test_an_unknown_dataset_on_a_live_server_is_refused():
    with opendap_server({"cur": SAMPLE_CURRENTS}) as (base, _):
        with pytest.raises(ForcingFileError, match="cannot be opened as OPeNDAP"):
            open_forcing(f"{base}/nothing-here", "current")


def _same(one, other) -> None:
    np.testing.assert_array_equal(one.time, other.time)
    np.testing.assert_array_equal(one.lon, other.lon)
    np.testing.assert_array_equal(one.lat, other.lat)
    np.testing.assert_array_equal(one.east, other.east)  # NaN == NaN here
    np.testing.assert_array_equal(one.north, other.north)
    if other.native is not None:
        np.testing.assert_array_equal(one.native.east, other.native.east)
        np.testing.assert_array_equal(one.native.mesh.lon, other.native.mesh.lon)


def _served_and_cut(files: list[Path], box, start: str, end: str, tmp_path: Path) -> list:
    """Over OPeNDAP the grid equals the files'; the subset, written and read back, too."""
    t0, t1 = parse_time(start), parse_time(end)
    local = open_forcing(files, "current").load(box, t0, t1)
    with opendap_server({f"f{i}": path for i, path in enumerate(files)}) as (base, router):
        addresses = [f"{base}/f{i}" for i in range(len(files))]
        with open_forcing(addresses, "current") as remote:
            assert remote.labels == addresses
            _same(remote.load(box, t0, t1), local)
            cuts = remote.subset(box, t0, t1)
        # the server was asked for slices, never for a whole velocity variable
        asked = [item for r in router.requests if ".dods?" in r
                 for item in r.split("?", 1)[1].split(",")]
        velocity = [item for item in asked
                    if item.lower().split("%5b")[0] in ("uo", "vo", "u", "v")]
        assert velocity and all("%5b" in item.lower() for item in velocity)
    written = []
    for number, (label, dataset) in enumerate(cuts):
        assert label in addresses
        written.append(tmp_path / f"cut{number}.nc")
        dataset.to_netcdf(written[-1])
    with open_forcing(written, "current") as cut:
        _same(cut.load(box, t0, t1), local)
    return cuts


def test_the_synthetic_sample_over_opendap(tmp_path):
    _served_and_cut([SAMPLE_CURRENTS], (94.0, 7.0, 97.0, 10.0), "2024-06-10T06:00Z",
                    "2024-06-11T06:00Z", tmp_path)


@pytest.mark.parametrize("box", [(92.3, 4.4, 95.7, 7.6), (175.2, -20.0, -172.4, -12.5)],
                         ids=["andaman", "across-180"])
def test_cmems_over_opendap_is_cut_to_the_box_and_window(realworld, tmp_path, box):
    # a real global grid: cut to a point around the box, or (a box across the grid's seam)
    # to the box's latitudes and every longitude
    _served_and_cut([realworld / CMEMS], box, "2024-01-08T00:00Z", "2024-01-13T00:00Z",
                    tmp_path)


def test_nordic_days_over_opendap_curvilinear_and_packed(realworld, tmp_path):
    # three files along time, a ROMS C grid packed in int16 with its land quirk: the cut keeps
    # the model grid whole and only the records needed (the day files outside are left out)
    files = [realworld / name for name in NORDIC_DAYS]
    cuts = _served_and_cut(files, None, "2016-02-02T12:00Z", "2016-02-03T06:00Z", tmp_path)
    assert len(cuts) == 2
    for _, cut in cuts:
        assert cut.sizes["s_rho"] == 1 and "lon_rho" in cut and "angle" in cut
        assert not {"temp", "salt", "zeta", "ubar"} & set(cut.variables)


def test_a_window_outside_the_server_data_is_refused(tmp_path):
    with opendap_server({"cur": SAMPLE_CURRENTS}) as (base, _):
        with open_forcing(f"{base}/cur", "current") as remote:
            with pytest.raises(ForcingCoverageError, match="outside the data"):
                remote.subset((94.0, 7.0, 97.0, 10.0), "2025-01-01T00:00Z", "2025-01-02T00:00Z")


def test_a_server_that_never_answers_is_given_up(monkeypatch):
    monkeypatch.setenv("SARKIT_OPENDAP_TIMEOUT", "2")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # accepts connections, never answers
        address = f"http://127.0.0.1:{listener.getsockname()[1]}/silent"
        with pytest.raises(ForcingFileError, match="given up after 2 s"):
            open_forcing(address, "current")
    monkeypatch.setenv("SARKIT_OPENDAP_TIMEOUT", "never")
    with pytest.raises(ForcingFileError, match="SARKIT_OPENDAP_TIMEOUT"):
        open_forcing(address, "current")
