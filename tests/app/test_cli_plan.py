"""`sarkit plan` and `sarkit update` as an officer runs them: outputs, table, bad input."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from shapely.geometry import shape

from sarkit.app import cli

SCENARIO = """\
name = "cli plan case"
object = "FISHING-VESSEL-1"
particles = 300
seed = 4
[lkp]
time = "2024-06-10T00:00:00Z"
lon = 96.0
lat = 9.0
radius_nm = 10
[run]
duration_hours = 12
timestep_minutes = 20
output_every_minutes = 60
[forcing]
currents = { constant = [0.1, 0.05] }
winds = { constant = [0.0, 0.0] }
"""

VESSEL = """
[[asset]]
name = "KN SAR Kresna 232"
type = "kn-sar-class-2"
centre = "kantor-sar-banda-aceh"
ready = "2024-06-09T12:00Z"
search_speed_kt = {speed}
search_height_ft = 14
"""

AIRCRAFT = """
[[asset]]
name = "CN-235 P/8302"
type = "cn235-mpa"
base = [98.67, 3.59]
ready = "2024-06-10T02:00Z"
search_speed_kt = 150
search_height_ft = 1000
endurance_h = 4.5
"""

FAR = """
[[asset]]
name = "Challenger Perth"
type = "challenger-cl604"
base = [115.97, -31.94]
ready = "2024-06-10T00:00Z"
search_speed_kt = 180
search_height_ft = 1000
"""


def _plan_file(tmp_path: Path, *, drift='scenario = "case.toml"', start="2024-06-10T04:00Z",
               end="2024-06-10T08:00Z", assets: str | None = None, extra: str = "",
               speed: float = 10, name: str = "plan.toml", top: str = "") -> Path:
    (tmp_path / "case.toml").write_text(SCENARIO)
    if assets is None:
        assets = VESSEL.format(speed=speed) + AIRCRAFT + FAR
    path = tmp_path / name
    path.write_text(f'name = "test plan"\n{top}[drift]\n{drift}\n[search]\nstart = "{start}"\n'
                    f'end = "{end}"\n[weather]\nvisibility_nm = 10\nwind_kt = 10\n'
                    f"seas_m = 0.5\n{extra}{assets}")
    return path


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    """One `sarkit plan` run with the map, shared by the output tests."""
    folder = tmp_path_factory.mktemp("planned")
    out = folder / "plan1"
    code = cli.main(["plan", str(_plan_file(folder)), "--out", str(out), "--quiet"])
    assert code == 0
    return out


def test_plan_writes_every_output(planned):
    names = sorted(p.name for p in planned.iterdir())
    assert names == [".sarkit-output.json", "CN-235_P_8302.gpx", "KN_SAR_Kresna_232.gpx",
                     "areas.geojson",
                     "plan.csv", "plan.geojson", "plan.png", "summary.txt", "trajectories.nc",
                     "waypoints.csv"]
    assert (planned / "plan.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plan_geojson_is_the_plan(planned):
    collection = json.loads((planned / "plan.geojson").read_text())
    assert collection["type"] == "FeatureCollection"
    rectangles = [f for f in collection["features"]
                  if f["properties"]["kind"] == "search_rectangle"]
    tracks = [f for f in collection["features"] if f["properties"]["kind"] == "track"]
    assert {f["properties"]["asset"] for f in rectangles} == {"KN SAR Kresna 232",
                                                              "CN-235 P/8302"}
    assert len(tracks) == 2
    for item in rectangles:
        props = item["properties"]
        polygon = shape(item["geometry"])
        assert polygon.is_valid and polygon.exterior.is_ccw  # RFC 7946 right-hand rule
        assert props["pos"] == pytest.approx(props["poc"] * props["pod"], rel=1e-6)
        assert props["start_time"].endswith("Z") and props["end_time"] > props["start_time"]
        assert props["pattern"] in {"parallel_sweep", "creeping_line", "expanding_square"}
        assert props["track_spacing_nm"] > 0
    assert {f["properties"]["rcc"] for f in rectangles} == {"kantor-sar-banda-aceh", None}
    assert collection["total_pos"] <= collection["bound"] + 1e-12
    (left,) = collection["left_out"]
    assert left["asset"] == "Challenger Perth"
    assert left["reason"].startswith("cannot reach the area within its endurance")


def test_plan_gpx_and_csv(planned):
    root = ET.parse(planned / "KN_SAR_Kresna_232.gpx").getroot()
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    assert root.find("g:rte/g:name", ns).text == "KN SAR Kresna 232"
    assert len(root.findall("g:rte/g:rtept", ns)) >= 2
    rows = list(csv.DictReader((planned / "plan.csv").open()))
    assert [r["asset"] for r in rows] == ["KN SAR Kresna 232", "CN-235 P/8302",
                                          "Challenger Perth"]
    assert rows[2]["left_out_reason"].startswith("cannot reach the area")
    assert rows[0]["left_out_reason"] == "" and float(rows[0]["pod"]) > 0


def test_plan_prints_the_table(tmp_path, capsys):
    code = cli.main(["plan", str(_plan_file(tmp_path)), "--out", str(tmp_path / "o"),
                     "--no-map"])
    assert code == 0
    out = capsys.readouterr().out
    assert "KN SAR Kresna 232" in out and "total POS" in out
    assert "left out: Challenger Perth: cannot reach the area within its endurance" in out
    assert not (tmp_path / "o" / "plan.png").exists()


def _bad(tmp_path: Path, capsys, path: Path) -> str:
    out = tmp_path / "out"
    code = cli.main(["plan", str(path), "--out", str(out), "--no-map"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err and err.startswith("sarkit: error: ")
    assert len(err.strip().splitlines()) == 1
    assert not out.exists() or not any(out.iterdir())  # nothing partial
    return err


def test_zero_assets(tmp_path, capsys):
    (tmp_path / "empty.csv").write_text("name,type,centre,ready\n")
    err = _bad(tmp_path, capsys, _plan_file(tmp_path, assets="", top='roster = "empty.csv"\n'))
    assert "the roster lists no assets" in err
    err = _bad(tmp_path, capsys, _plan_file(tmp_path, assets=""))
    assert "the plan has no assets" in err


def test_only_unreachable_assets(tmp_path, capsys):
    err = _bad(tmp_path, capsys, _plan_file(tmp_path, assets=FAR))
    assert "no asset can search" in err and "Challenger Perth: cannot reach the area" in err


def test_window_before_the_drift_run(tmp_path, capsys):
    err = _bad(tmp_path, capsys, _plan_file(tmp_path, start="2024-06-09T20:00Z",
                                           end="2024-06-10T02:00Z"))
    assert "starts before the drift run" in err


def test_window_after_the_drift_run(tmp_path, capsys):
    err = _bad(tmp_path, capsys, _plan_file(tmp_path, start="2024-06-10T10:00Z",
                                           end="2024-06-10T16:00Z"))
    assert "ends after the drift run" in err


def test_unknown_sweep_width_object(tmp_path, capsys):
    err = _bad(tmp_path, capsys, _plan_file(tmp_path, extra='[sweep_width]\nobject = "canoe"\n'))
    assert "'canoe'" in err and "raft_4p" in err and "person_in_water" in err


def test_negative_speed(tmp_path, capsys):
    err = _bad(tmp_path, capsys, _plan_file(tmp_path, speed=-5))
    assert "KN SAR Kresna 232" in err and "search_speed_kt: -5 is out of range" in err
    assert "give a number above 0 and at most 400" in err


def test_unknown_plan_key(tmp_path, capsys):
    err = _bad(tmp_path, capsys, _plan_file(tmp_path, extra="[wether]\nwind_kt = 3\n"))
    assert "unknown key `wether` (did you mean `weather`?)" in err


def test_update_plans_the_next_period(planned, tmp_path, capsys):
    drift = f'trajectories = "{planned / "trajectories.nc"}"'
    path = _plan_file(tmp_path, drift=drift, start="2024-06-10T08:00Z", end="2024-06-10T12:00Z",
                      assets=VESSEL.format(speed=10) + AIRCRAFT.replace("02:00Z", "07:00Z"))
    out = tmp_path / "plan2"
    code = cli.main(["update", str(path), "--searched", str(planned), "--out", str(out),
                     "--no-map", "--pod", "KN SAR Kresna 232=0.5"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "searched: KN SAR Kresna 232: POD 0.50" in printed
    assert "cumulative POS of the searches" in printed
    assert "responsible: the datum" in printed and "first asset of each centre" in printed
    assert (out / "plan.geojson").exists() and (out / "trajectories.nc").exists()
    import xarray as xr

    with xr.open_dataset(out / "trajectories.nc") as updated:
        weight = updated["weight"].values
        assert weight.sum() == pytest.approx(1.0)
        assert weight.max() > weight.min()  # the searched particles lost probability
        assert updated.attrs["searches_without_success"] == 2


def test_update_refuses_an_unknown_asset_pod(planned, tmp_path, capsys):
    drift = f'trajectories = "{planned / "trajectories.nc"}"'
    path = _plan_file(tmp_path, drift=drift, start="2024-06-10T08:00Z", end="2024-06-10T12:00Z")
    out = tmp_path / "plan2"
    code = cli.main(["update", str(path), "--searched", str(planned), "--out", str(out),
                     "--pod", "Nobody=0.5"])
    err = capsys.readouterr().err
    assert code == 1 and "'Nobody'" in err and "KN SAR Kresna 232" in err
    assert not out.exists()


def test_update_help_has_an_example(capsys):
    with pytest.raises(SystemExit):
        cli.main(["update", "--help"])
    assert "sarkit update period2.toml --searched plan1" in capsys.readouterr().out


def _no_drift(*args, **kwargs):
    raise AssertionError("the drift ran before the output folder was checked")


@pytest.mark.parametrize("command", ["drift", "plan", "update", "mass"])
def test_an_out_that_is_a_file_is_refused_before_the_drift(tmp_path, capsys, monkeypatch,
                                                           command):
    import sarkit.app.drift
    import sarkit.app.mass
    import sarkit.app.run

    for module in (sarkit.app.run, sarkit.app.drift, sarkit.app.mass):
        monkeypatch.setattr(module, "drift_scenario", _no_drift)
    out = tmp_path / "afile"
    out.write_text("mine")
    plan = _plan_file(tmp_path)
    examples = Path(__file__).resolve().parents[2] / "sarkit" / "data"
    argv = {"drift": ["drift", str(tmp_path / "case.toml")], "plan": ["plan", str(plan)],
            "update": ["update", str(plan), "--searched", str(tmp_path)],
            "mass": ["mass", str(examples / "example_cases.toml")]}[command]
    code = cli.main([*argv, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "is a file, not a folder. Fix: give a folder for the outputs" in err
    assert out.read_text() == "mine"


def test_assets_named_like_the_outputs_do_not_replace_them(tmp_path, capsys):
    assets = (VESSEL.format(speed=10).replace('"KN SAR Kresna 232"', '"plan"')
              + AIRCRAFT.replace('"CN-235 P/8302"', '"../waypoints"'))
    out = tmp_path / "plan1"
    code = cli.main(["plan", str(_plan_file(tmp_path, assets=assets)), "--out", str(out),
                     "--no-map", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert summary["files"]["plan"].endswith("plan.geojson")
    assert summary["files"]["route: plan"].endswith("plan-2.gpx")
    assert summary["files"]["route: ../waypoints"].endswith("waypoints-2.gpx")
    assert json.loads((out / "plan.geojson").read_text())["type"] == "FeatureCollection"
    assert (out / "waypoints.csv").read_text().startswith("asset,waypoint")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.toml", "plan.toml", "plan1"]


def test_the_out_rule_on_the_command_line(tmp_path, capsys):
    plan = _plan_file(tmp_path)
    out = tmp_path / "plan1"
    assert cli.main(["plan", str(plan), "--out", str(out), "--no-map", "--quiet"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # the folder a command reads from, a plan's folder for a drift, the plan file itself
    refused = [
        (["update", str(plan), "--searched", str(out), "--out", str(out)], "which sarkit plan"),
        (["drift", str(tmp_path / "case.toml"), "--out", str(out)],
         "holds the output of sarkit plan, not of sarkit drift"),
        (["case", "export", str(plan), "--out", str(plan), "--from", "A", "--to", "B",
          "--persons", "3"], "a file the case is made from"),
    ]
    for argv, message in refused:
        assert cli.main(argv) == 1
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # the same command again replaces its earlier output whole: no route of a gone asset
    only_vessel = _plan_file(tmp_path, assets=VESSEL.format(speed=10), name="plan2.toml")
    assert cli.main(["plan", str(only_vessel), "--out", str(out), "--no-map", "--quiet"]) == 0
    assert "CN-235_P_8302.gpx" in before and not (out / "CN-235_P_8302.gpx").exists()
    assert (out / "KN_SAR_Kresna_232.gpx").exists()


def test_update_says_what_each_pos_is_a_share_of(planned, tmp_path, capsys):
    drift = f'trajectories = "{planned / "trajectories.nc"}"'
    path = _plan_file(tmp_path, drift=drift, start="2024-06-10T08:00Z", end="2024-06-10T12:00Z",
                      assets=VESSEL.format(speed=10) + AIRCRAFT.replace("02:00Z", "07:00Z"))
    code = cli.main(["update", str(path), "--searched", str(planned), "--out",
                     str(tmp_path / "plan2"), "--no-map", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    # the searches' POS as shares of the original add up to their cumulative POS
    assert sum(s["pos"] for s in summary["searched"]) == pytest.approx(summary["cumulative_pos"])
    first = summary["searched"][0]
    assert first["pos"] == pytest.approx(first["pos_given_earlier_failed"])
    expected = (summary["total_pos"] * summary["afloat_share"]
                * (1.0 - summary["cumulative_pos"]))
    assert summary["plan_pos_of_original"] == pytest.approx(expected)
    assert summary["cumulative_pos_with_plan"] == pytest.approx(
        summary["cumulative_pos"] + expected)
    assert summary["afloat_share"] + summary["stranded_share"] + summary[
        "unaccounted_share"] == pytest.approx(1.0)


_DECIMAL = re.compile(r"(\d+\.\d+)([NS]) (\d+\.\d+)([EW]) \((\d+)°(\d+\.\d+)'([NS]) "
                      r"(\d+)°(\d+\.\d+)'([EW])\)")


def _read_position(text: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """(lon, lat) of the first position in ``text``, from its decimal degrees and from its
    degrees-minutes."""
    found = _DECIMAL.search(text)
    assert found, text
    lat, ns, lon, ew, lat_d, lat_m, ns2, lon_d, lon_m, ew2 = found.groups()
    assert (ns, ew) == (ns2, ew2)
    north, east = (1 if ns == "N" else -1), (1 if ew == "E" else -1)
    decimal = (east * float(lon), north * float(lat))
    minutes = (east * (int(lon_d) + float(lon_m) / 60), north * (int(lat_d) + float(lat_m) / 60))
    return decimal, minutes


def _summary_says_the_plan(folder: Path) -> None:
    """summary.txt: the case, the object by name, the datum that reads back to the plan's,
    the window in UTC and local time, the responsible centre, each asset's area, the POS."""
    collection = json.loads((folder / "plan.geojson").read_text(encoding="utf-8"))
    text = (folder / "summary.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == collection["name"]
    assert "search object: Power boat 33 ft" in lines[1]  # the name, not power_boat_33ft
    datum = next(line for line in lines if line.startswith("datum at "))
    (point,) = [f["geometry"]["coordinates"] for f in collection["features"]
                if f["properties"]["kind"] == "datum"]
    decimal, minutes = _read_position(datum)
    assert decimal == pytest.approx(point, abs=0.0005 + 1e-9)
    assert minutes == pytest.approx(point, abs=0.005 / 60 + 1e-9)
    assert "local (UTC+08:00 Asia/Kuala_Lumpur)" in datum  # the Malaysian SRR's centre
    assert re.search(r"^search 2024-06-11T00:00Z \.\. 2024-06-11T06:00Z \(08:00 \.\. 14:00 "
                     r"local", text, re.MULTILINE)
    assert "responsible: Malaysian SRR" in text and "MRCC Putrajaya" in text
    rectangles = [f["properties"] for f in collection["features"]
                  if f["properties"]["kind"] == "search_rectangle"]
    for number, props in enumerate(rectangles, start=1):
        line = next(line for line in lines if line.startswith(f"  {number}. {props['asset']} ("))
        assert f"track spacing {props['track_spacing_nm']:.2f} NM" in line
        assert "kantor-sar" not in line  # the centre by its name
    assert f"total POS {collection['total_pos']:.3f}" in text
    assert "not covered: " in text
    assert "left out: AMSA Challenger (Perth): cannot reach" in text


def test_the_shipped_second_period_starts_from_where_the_first_left_the_assets(tmp_path,
                                                                               capsys):
    data = Path(__file__).resolve().parents[2] / "sarkit" / "data"
    for name in ("example_plan.toml", "example_period2.toml"):
        text = (data / name).read_text(encoding="utf-8")
        assert "particles = 5000" in text  # the same drift in both periods
        (tmp_path / name).write_text(text.replace("particles = 5000", "particles = 300"),
                                     encoding="utf-8")
    assert cli.main(["plan", str(tmp_path / "example_plan.toml"), "--out",
                     str(tmp_path / "plan1"), "--no-map", "--quiet"]) == 0
    _summary_says_the_plan(tmp_path / "plan1")
    first = {f["properties"]["asset"]: f for f in json.loads(
        (tmp_path / "plan1" / "plan.geojson").read_text())["features"]
        if f["properties"]["kind"] == "track"}
    assert cli.main(["update", str(tmp_path / "example_period2.toml"), "--searched",
                     str(tmp_path / "plan1"), "--out", str(tmp_path / "plan2"), "--no-map",
                     "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["name"].startswith("Andaman Sea fishing boat: second")
    rows = {row["asset"]: row for row in summary["assets"]}
    for name, track in first.items():
        if name in rows:  # searching again: not before its first search ended
            assert rows[name]["start_time"] >= track["properties"]["end_time"]
