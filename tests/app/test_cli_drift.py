"""`sarkit drift` and `sarkit demo` as an officer runs them: outputs, summary, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from sarkit.app import cli

REPO = Path(__file__).resolve().parents[2]
SAMPLE_CURRENTS = REPO / "data" / "andaman_synthetic_currents.nc"

SCENARIO = """\
name = "test case"
object = "FISHING-VESSEL-1"
particles = 400
seed = 3
[lkp]
time = "{time}"
lon = {lon}
lat = {lat}
radius_nm = 2
[run]
duration_hours = {hours}
timestep_minutes = 15
output_every_minutes = 60
[forcing]
currents = {currents}
winds = {{ constant = [0.0, 0.0] }}
"""


def _scenario(tmp_path: Path, *, time="2024-06-10T00:00:00Z", lon=96.0, lat=9.0, hours=6,
              currents="{ constant = [0.2, 0.1] }", text: str | None = None) -> Path:
    path = tmp_path / "case.toml"
    path.write_text(text if text is not None else SCENARIO.format(
        time=time, lon=lon, lat=lat, hours=hours, currents=currents))
    return path


def test_drift_writes_areas_trajectories_and_map(tmp_path, capsys):
    out = tmp_path / "out"
    code = cli.main(["drift", str(_scenario(tmp_path)), "--out", str(out),
                     "--at", "2024-06-10T03:00Z", "2024-06-10T06:00Z"])
    assert code == 0
    summary = capsys.readouterr().out
    assert "400 particles: 400 active" in summary and "datum" in summary and "NM²" in summary
    # UTC with the local time of the responsible centre (the Kuala Lumpur FIR: Malaysia) beside
    # it, and the datum in both forms
    assert "2024-06-10T03:00Z (11:00 local (UTC+08:00 Asia/Kuala_Lumpur)): datum 9." in summary
    assert "N 96." in summary and "'N 096°" in summary
    assert sorted(p.name for p in out.iterdir()) == [".sarkit-output.json", "areas.geojson",
                                                     "areas.kml", "map.png", "summary.txt",
                                                     "trajectories.nc"]
    # summary.txt: what was printed, less the list of files written
    said = (out / "summary.txt").read_text(encoding="utf-8")
    assert said.strip() == summary.split("\nwrote ")[0].strip()
    collection = json.loads((out / "areas.geojson").read_text())
    kinds = [f["properties"]["kind"] for f in collection["features"]]
    assert kinds.count("area") == 6 and kinds.count("datum") == 2
    assert {"rectangle", "iamsar_circle"} <= set(kinds)
    times = {f["properties"]["valid_time"] for f in collection["features"]}
    assert times == {"2024-06-10T03:00:00Z", "2024-06-10T06:00:00Z"}
    for item in collection["features"]:
        assert item["properties"]["object"] == "FISHING-VESSEL-1"
        assert item["properties"]["particles"] == 400
        assert shape(item["geometry"]).is_valid
    areas = [shape(f["geometry"]) for f in collection["features"]
             if f["properties"]["kind"] == "area" and f["properties"]["valid_time"].endswith(
                 "06:00:00Z")]
    # the 0.2 m/s east current moves the datum about 4.3 km east in 6 h
    datum = next(shape(f["geometry"]) for f in collection["features"]
                 if f["properties"]["kind"] == "datum"
                 and f["properties"]["valid_time"].endswith("06:00:00Z"))
    assert 96.02 < datum.x < 96.06
    assert all(a.area > 0 for a in areas) and shapely.within(areas[2], areas[0].buffer(1e-9))
    assert (out / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_demo_runs_the_bundled_scenario(tmp_path, capsys):
    assert cli.main(["demo", "--out", str(tmp_path / "demo"), "--particles", "500"]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC" in out and "500 particles" in out
    assert (tmp_path / "demo" / "areas.geojson").exists()


@pytest.mark.parametrize(("change", "expected"), [
    ({"text": 'name = "x"\nparticles = 10\n'}, "object"),
    ({"text": SCENARIO.format(time="2024-06-10T00:00:00Z", lon='"east"', lat=9.0, hours=6,
                              currents="{ constant = [0.2, 0.1] }")}, "lkp.lon"),
    ({"text": SCENARIO.format(time="2024-06-10T00:00:00Z", lon=96.0, lat=9.0, hours=6,
                              currents="{ constant = [0.2, 0.1] }").replace(
        "FISHING-VESSEL-1", "SPACESHIP-9")}, "SPACESHIP-9"),
    ({"currents": '["missing.nc"]'}, "missing.nc"),
    ({"lon": 99.6, "lat": 8.3}, "on land with no sea within its radius"),
    ({"currents": f'["{SAMPLE_CURRENTS}"]', "time": "2025-01-01T00:00:00Z"}, "outside"),
    ({"lon": 98.2, "lat": 7.9, "hours": 30, "currents": "{ constant = [1.0, 0.0] }"},
     "is at sea"),
])
def test_bad_scenarios_end_with_one_line_and_no_files(tmp_path, capsys, change, expected):
    out = tmp_path / "out"
    code = cli.main(["drift", str(_scenario(tmp_path, **change)), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert expected in captured.err
    assert len(captured.err.strip().splitlines()) == 1 and "Traceback" not in captured.err
    assert not out.exists() or list(out.iterdir()) == []


def test_drift_help_names_units_and_an_example(capsys):
    with pytest.raises(SystemExit):
        cli.main(["drift", "--help"])
    text = capsys.readouterr().out
    assert "containment radius" in text and "example:" in text and "--particles" in text


def test_search_areas_leave_out_the_land(tmp_path):
    """Near Phuket's west coast the POC cells reach over the shore; the areas must not."""
    import numpy as np

    from sarkit.app.drift import run_scenario
    from sarkit.drift.coast import _roaring_landmask
    from sarkit.files.scenario_toml import load_scenario

    path = _scenario(tmp_path, lon=98.2, lat=7.9, hours=5, currents="{ constant = [0.3, 0.0] }")
    result = run_scenario(load_scenario(path))
    landmask = _roaring_landmask()
    rng = np.random.default_rng(7)
    for entry in result.areas[-1].levels:
        west, south, east, north = entry.polygon.bounds
        lon = rng.uniform(west, east, 20000)
        lat = rng.uniform(south, north, 20000)
        inside = shapely.contains_xy(entry.polygon, lon, lat)
        on_land = landmask.contains_many(lon[inside], lat[inside])
        # only the ~450 m coastline raster's edge cells may disagree with the GSHHG polygons
        assert inside.sum() > 1000 and on_land.mean() < 0.01


def test_drift_of_a_boat_that_may_capsize_says_its_classes(tmp_path, capsys):
    text = SCENARIO.format(time="2024-06-10T00:00:00Z", lon=96.0, lat=9.0, hours=6,
                           currents="{ constant = [0.2, 0.1] }")
    text += '\n[[transition]]\nto = "PIW-1"\nrate_per_hour = 0.2\n'
    out = tmp_path / "out"
    code = cli.main(["drift", str(_scenario(tmp_path, text=text)), "--out", str(out), "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    shares = summary["valid_times"][-1]["class_shares"]
    assert list(shares) == ["FISHING-VESSEL-1", "PIW-1"]
    assert sum(shares.values()) == pytest.approx(1.0)
    said = (out / "summary.txt").read_text(encoding="utf-8")
    assert "object classes at the end: " in said and " PIW-1 (FISHING-VESSEL-1 -> PIW-1" in said
    assert "; by class: FISHING-VESSEL-1 " in said
