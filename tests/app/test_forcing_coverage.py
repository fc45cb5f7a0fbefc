"""Coverage before the run (issue 17 item 4): forcing that covers less than the drift can reach
is refused, or, with ``--allow-incomplete-forcing``, run and marked incomplete."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from sarkit.app import cli
from sarkit.app.run import INCOMPLETE_FORCING_ATTR, drift_scenario
from sarkit.errors import ForcingCoverageError
from sarkit.files.scenario_toml import load_scenario

SCENARIO = """\
name = "regional current"
object = "FISHING-VESSEL-1"
particles = 400
seed = 4
[lkp]
time = "2024-06-10T00:00:00Z"
lon = {lon}
lat = 9.0
radius_nm = 10
[run]
duration_hours = 48
timestep_minutes = 30
output_every_minutes = 60
[forcing]
currents = "currents.nc"
winds = {{ constant = [0.0, 0.0] }}
"""

WARNING = re.compile(r"^warning: the forcing covers less than the drift can reach: "
                     r"(\d+\.\d) % of the probability left it; the areas are incomplete$",
                     re.MULTILINE)


def _currents(path: Path, west: float, south: float, east: float, north: float) -> Path:
    """A tiny CF netCDF file: a steady 0.5 m/s current to the east over the box, 0.1 degree."""
    lon = np.round(np.arange(west, east + 1e-9, 0.1), 6)
    lat = np.round(np.arange(south, north + 1e-9, 0.1), 6)
    times = np.array(["2024-06-09T00:00", "2024-06-13T00:00"], dtype="datetime64[ns]")
    east_v = np.full((times.size, lat.size, lon.size), 0.5, dtype=np.float32)
    velocity = {"units": "m s-1"}
    xr.Dataset(
        {"uo": (("time", "lat", "lon"), east_v,
                {**velocity, "standard_name": "eastward_sea_water_velocity"}),
         "vo": (("time", "lat", "lon"), np.zeros_like(east_v),
                {**velocity, "standard_name": "northward_sea_water_velocity"})},
        coords={"time": ("time", times, {"standard_name": "time"}),
                "lat": ("lat", lat, {"standard_name": "latitude", "units": "degrees_north"}),
                "lon": ("lon", lon, {"standard_name": "longitude", "units": "degrees_east"})},
    ).to_netcdf(path)
    return path


def _case(folder: Path, box: tuple[float, float, float, float], lon: float = 95.7) -> Path:
    """A 48 h scenario 10 NM around (lon, 9.0N) on a currents file covering ``box``."""
    folder.mkdir(parents=True, exist_ok=True)
    _currents(folder / "currents.nc", *box)
    path = folder / "case.toml"
    path.write_text(SCENARIO.format(lon=lon), encoding="utf-8")
    return path


SMALL = (95.5, 8.5, 96.5, 9.5)
"""1 x 1 degree: 48 h at 0.5 m/s is 0.78 degree east, so the cloud ends across its east edge."""


BOX = r"\d+\.\dN\.\.\d+\.\dN \d+\.\dE\.\.\d+\.\dE"
"""A box as positions.format_box writes it to 0.1 degree: 8.5N..9.5N 95.5E..96.5E."""


def _box(text: str) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a box written ``8.5N..9.5N 95.5E..96.5E`` (N and E)."""
    south, north, west, east = (float(v) for v in re.findall(r"(\d+\.\d)[NE]", text))
    return west, south, east, north


def test_forcing_smaller_than_the_reach_is_refused_naming_the_box(tmp_path, capsys):
    case = _case(tmp_path / "small", SMALL)
    out = tmp_path / "out"
    assert cli.main(["drift", str(case), "--out", str(out)]) == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    lines = printed.err.splitlines()
    assert len(lines) == 1, printed.err
    message = lines[0]
    assert message.startswith("sarkit: error: ") and "currents.nc" in message
    assert "the currents cover less than the drift can reach" in message
    needed = re.search(f"it can reach ({BOX})", message)
    covered = re.search(f"the currents cover ({BOX})", message)
    assert needed and covered
    west, south, east, north = _box(needed.group(1))
    assert _box(covered.group(1)) == SMALL
    # east: the cloud's edge (95.7 + 10 NM) + 0.78 degree of current and the random walk
    assert 96.7 <= east <= 97.0 and west < 95.5 and 8.5 < south < 9.0 < north < 9.5
    assert f"Fix: give currents that cover {needed.group(1)}," in message
    assert "--allow-incomplete-forcing" in message and "marked incomplete" in message
    assert not out.exists()


def test_allowed_incomplete_forcing_runs_and_marks_every_product(tmp_path, capsys):
    case = _case(tmp_path / "small", SMALL)
    out = tmp_path / "out"
    assert cli.main(["drift", str(case), "--out", str(out), "--allow-incomplete-forcing"]) == 0
    printed = capsys.readouterr().out
    warnings = WARNING.findall(printed)
    assert len(warnings) == 1, printed
    left = float(warnings[0]) / 100.0
    assert 0.05 < left < 0.95  # the cloud ends across the file's east edge
    assert ("INCOMPLETE: areas hold shares of the probability afloat, out of the forcing "
            "included") in printed and "left the forcing and is in no area" in printed
    areas = [f["properties"] for f in json.loads((out / "areas.geojson").read_text())["features"]
             if f["properties"]["kind"] == "area"]
    assert len(areas) == 3
    for item in areas:
        assert item["incomplete"] is True
        assert item["unaccounted_share"] == pytest.approx(left, abs=5e-4)
        assert item["afloat_share"] + item["unaccounted_share"] == pytest.approx(1.0)
        # shares of all the probability afloat, never renormalised over those inside
        assert item["probability_contained"] <= item["afloat_share"] + 1e-12
        assert item["level_reached"] is (item["probability_contained"]
                                          >= item["probability"] - 1e-12)
    assert any(not item["level_reached"] for item in areas)  # 95 % of all is beyond reach
    assert (out / "map.png").stat().st_size > 0
    trajectories = xr.open_dataset(out / "trajectories.nc")
    try:
        assert "currents cover less" in trajectories.attrs[INCOMPLETE_FORCING_ATTR]
    finally:
        trajectories.close()


def test_json_and_quiet_runs_give_the_warning_on_standard_error(tmp_path, capsys):
    case = _case(tmp_path / "small", SMALL)
    assert cli.main(["drift", str(case), "--out", str(tmp_path / "a"), "--json",
                     "--allow-incomplete-forcing"]) == 0
    printed = capsys.readouterr()
    summary = json.loads(printed.out)
    assert WARNING.fullmatch(summary["warning"])
    assert summary["valid_times"][0]["unaccounted_share"] > 0.05
    assert WARNING.fullmatch(printed.err.strip())
    assert cli.main(["drift", str(case), "--out", str(tmp_path / "b"), "--quiet",
                     "--allow-incomplete-forcing"]) == 0
    printed = capsys.readouterr()
    assert printed.out == "" and WARNING.fullmatch(printed.err.strip())


def test_a_scenario_well_inside_its_forcing_runs_as_before(tmp_path, capsys):
    case = _case(tmp_path / "large", (94.0, 7.0, 98.0, 11.0))
    out = tmp_path / "out"
    assert cli.main(["drift", str(case), "--out", str(out), "--json"]) == 0
    printed = capsys.readouterr()
    summary = json.loads(printed.out)
    assert summary["warning"] is None and printed.err == ""
    assert summary["counts"]["active"] == 400 and summary["counts"]["left domain"] == 0
    assert summary["valid_times"][0]["unaccounted_share"] == 0.0
    for item in json.loads((out / "areas.geojson").read_text())["features"]:
        assert "incomplete" not in item["properties"]
        if item["properties"]["kind"] == "area":
            assert item["properties"]["probability_contained"] >= \
                item["properties"]["probability"] - 1e-12
    assert cli.main(["drift", str(case), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "warning" not in text and "INCOMPLETE" not in text
    assert ("areas hold shares of the probability afloat (100.0%); stranded 0.0%, out of the "
            "forcing 0.0%") in text


def test_drift_scenario_refuses_or_marks_in_python(tmp_path):
    scenario = load_scenario(_case(tmp_path / "small", SMALL))
    with pytest.raises(ForcingCoverageError, match=r"currents cover less than the drift"):
        drift_scenario(scenario, particles=50)
    trajectories = drift_scenario(scenario, particles=50, allow_incomplete_forcing=True)
    assert "8.5N..9.5N 95.5E..96.5E" in trajectories.attrs[INCOMPLETE_FORCING_ATTR]


def test_the_winds_are_checked_too(tmp_path):
    folder = tmp_path / "winds"
    folder.mkdir()
    _currents(folder / "winds.nc", *SMALL)  # a "wind" file of 0.5 m/s over 1 x 1 degree
    with xr.open_dataset(folder / "winds.nc") as data:
        winds = data.rename({"uo": "u10", "vo": "v10"}).load()
    winds["u10"].attrs["standard_name"] = "eastward_wind"
    winds["v10"].attrs["standard_name"] = "northward_wind"
    winds.to_netcdf(folder / "winds10.nc")
    text = SCENARIO.format(lon=96.0).replace('currents = "currents.nc"',
                                             "currents = { constant = [0.5, 0.0] }").replace(
        "winds = { constant = [0.0, 0.0] }", 'winds = "winds10.nc"')
    (folder / "case.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ForcingCoverageError, match=r"winds10\.nc: the winds cover less"):
        drift_scenario(load_scenario(folder / "case.toml"), particles=20)


def test_a_drift_faster_than_the_loading_box_still_meets_the_coast(tmp_path):
    """The forcing is loaded again over the reach of a drift faster than 3 m/s; the coastline
    must cover that reach too, or the particles would sail across the land beyond the first
    box (a steady 4 m/s current east from 95.5E 8.0N for 24 h reaches 98.6E, past Phuket's
    coast at about 98.3E)."""
    case = tmp_path / "fast.toml"
    case.write_text('name = "fast"\nobject = "FISHING-VESSEL-1"\nparticles = 200\nseed = 3\n'
                    '[lkp]\ntime = "2024-06-10T00:00Z"\nlon = 95.5\nlat = 8.0\nradius_nm = 1\n'
                    '[run]\nduration_hours = 24\ntimestep_minutes = 30\n'
                    'output_every_minutes = 60\n'
                    '[forcing]\ncurrents = { constant = [4.0, 0.0] }\n'
                    'winds = { constant = [0.0, 0.0] }\n', encoding="utf-8")
    run = drift_scenario(load_scenario(case))
    status = run["status"].values[:, -1]
    lon = run["lon"].values[:, -1]
    assert (status == 1).all()  # every particle stranded on the coast
    assert lon.max() < 98.5
