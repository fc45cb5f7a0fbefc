"""plan_search(): real assets, time on scene, sweep widths, left-outs and bad input."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod

from sarkit.app.run import drift_scenario
from sarkit.errors import BadValueError, SarkitError
from sarkit.files.geojson import plan_collection, read_searched, write_geojson
from sarkit.files.planfile import PlanFileError, load_plan_file
from sarkit.files.scenario_toml import scenario_from_dict
from sarkit.planning import (
    Asset,
    PlanError,
    SearchWindow,
    UnknownSweepWidthError,
    Weather,
    asset_sweep_width,
    asset_type,
    corrected_sweep_width_nm,
    on_scene,
    plan_search,
    sweep_object_for,
    sweep_object_for_drift,
)
from sarkit.times import parse_time

LKP = (96.0, 9.0)
START = "2024-06-10T00:00:00Z"
WINDOW = SearchWindow.from_iso("2024-06-10T04:00Z", "2024-06-10T08:00Z")
WEATHER = Weather(visibility_nm=10, wind_kt=10, seas_m=0.5)
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def trajectories():
    scenario = scenario_from_dict({
        "name": "plan test", "object": "FISHING-VESSEL-1", "particles": 400, "seed": 2,
        "lkp": {"time": START, "lon": LKP[0], "lat": LKP[1], "radius_nm": 10},
        "run": {"duration_hours": 12, "timestep_minutes": 20, "output_every_minutes": 60},
        "forcing": {"currents": {"constant": [0.1, 0.05]}, "winds": {"constant": [0.0, 0.0]}},
    })
    return drift_scenario(scenario)


def _vessel(name="KN SAR 1", base=(95.3, 5.6), ready="2024-06-09T12:00Z", **figures):
    figures.setdefault("search_speed_kt", 10.0)
    figures.setdefault("search_height_ft", 14)
    return Asset(name, asset_type("kn-sar-class-2"), parse_time(ready), base=base, **figures)


def _aircraft(name="CN-235", base=(98.67, 3.59), ready="2024-06-10T02:00Z", **figures):
    figures.setdefault("search_speed_kt", 150.0)
    figures.setdefault("search_height_ft", 1000)
    return Asset(name, asset_type("cn235-mpa"), parse_time(ready), base=base, **figures)


def test_on_scene_time_is_endurance_minus_transit_both_ways():
    asset = _aircraft()  # cruise 235 kn, endurance 10 h (catalogue)
    metres = GEOD.inv(98.67, 3.59, *LKP)[2]
    transit_h = metres / 1852.0 / 235.0
    wide = SearchWindow.from_iso("2024-06-10T00:00Z", "2024-06-11T00:00Z")
    time = on_scene(asset, *LKP, wide)
    assert time.available
    assert time.hours == pytest.approx(10.0 - 2 * transit_h, rel=1e-9)
    assert time.start == pytest.approx(parse_time("2024-06-10T02:00Z") + transit_h * 3600)
    # ready long before the window: it leaves so as to arrive when the window opens
    early = on_scene(_aircraft(ready="2024-06-01T00:00Z"), *LKP, wide)
    assert early.start == pytest.approx(wide.start)
    assert early.hours == pytest.approx(10.0 - 2 * transit_h, rel=1e-9)


def test_window_limits_the_time_on_scene():
    time = on_scene(_vessel(), *LKP, WINDOW)  # 60 h endurance, ready the day before
    assert time.start == pytest.approx(WINDOW.start)
    assert time.end == pytest.approx(WINDOW.end)
    assert time.hours == pytest.approx(4.0)


def test_plan_known_answers(trajectories):
    plan = plan_search(trajectories, [_vessel(), _aircraft(endurance_h=4.5)], WINDOW, WEATHER,
                       name="t")
    assert {item.name for item in plan.assignments} == {"KN SAR 1", "CN-235"}
    assert plan.left_out == ()
    mid = np.datetime64("2024-06-10T06:00", "ns")
    assert plan.poc.valid_time == mid  # the POC at mid-search
    assert plan.total_pos <= plan.bound + 1e-12
    assert plan.total_pos == pytest.approx(math.fsum(item.pos for item in plan.assignments))
    assert plan.gap == pytest.approx(1 - plan.total_pos / plan.bound)
    for item in plan.assignments:
        assert item.pos == pytest.approx(item.poc * item.pod, rel=1e-12)
        # the POD of the reached part is 1 - exp(-C_r), C_r = C / reached; the rest unsearched
        assert 0.0 < item.reached <= 1.0
        assert item.pod <= 1 - math.exp(-item.coverage / item.reached) + 1e-12
        assert item.start >= WINDOW.start - 1e-6
        assert item.end <= item.on_scene.end + 1e-6  # the pattern fits the time on scene
        assert item.pattern.kind in {"parallel_sweep", "creeping_line", "expanding_square"}
    vessel = next(item for item in plan.assignments if item.name == "KN SAR 1")
    assert vessel.sweep_width.corrected_nm == pytest.approx(corrected_sweep_width_nm(
        "power_boat_33ft", "vessel", 14, 10, wind_kt=10, seas_m=0.5))
    assert vessel.on_scene.hours == pytest.approx(4.0)


def test_unreachable_and_late_assets_are_left_out_with_the_reason(trajectories):
    far = _aircraft("Far away", base=(115.97, -31.94))
    late = _aircraft("Late", ready="2024-06-10T09:00Z")
    plan = plan_search(trajectories, [_vessel(), far, late], WINDOW, WEATHER)
    assert [item.name for item in plan.assignments] == ["KN SAR 1"]
    reasons = {item.asset.name: item.reason for item in plan.left_out}
    assert reasons["Far away"].startswith("cannot reach the area within its endurance")
    assert reasons["Late"].startswith("ready after the search window ends")
    table = plan.table()
    assert "left out: Far away: cannot reach the area" in table
    assert "left out: Late: ready after the search window ends" in table
    assert plan_collection(plan)["left_out"][0]["asset"] == "Far away"


def test_no_asset_able_to_search_is_an_error_with_each_reason(trajectories):
    with pytest.raises(PlanError, match=r"no asset can search.*Far away: cannot reach"):
        plan_search(trajectories, [_aircraft("Far away", base=(115.97, -31.94))], WINDOW,
                    WEATHER)


def test_the_table_gives_local_time_beside_utc_and_the_object_by_name(trajectories):
    from sarkit.planning import object_label, plan_situation
    from sarkit.times import local_parts

    plan = plan_search(trajectories, [_vessel()], WINDOW, WEATHER)
    table = plan.table()
    zone, lon = plan.time_zone(), plan.poc.datum_lon
    assert zone == "Asia/Kuala_Lumpur"  # the datum off 96E 9N: the Malaysian SRR (FIR proxy)
    title = table.splitlines()[0]
    assert ("search 2024-06-10T04:00Z .. 2024-06-10T08:00Z (12:00 .. 16:00 local (UTC+08:00 "
            "Asia/Kuala_Lumpur))") in title
    assert f"object {object_label(plan.search_object)} (" in title
    (item,) = plan.assignments
    row = next(line for line in table.splitlines() if line.startswith(item.label))
    start, end = (local_parts(t, zone, lon)[0] for t in (item.start, item.end))
    assert f"{start}-{end}" in row
    assert "START and END are UTC; LOCAL is local (UTC+08:00 Asia/Kuala_Lumpur)" in table
    said = plan_situation(plan)
    assert "(12:00 .. 16:00 local (UTC+08:00 Asia/Kuala_Lumpur))" in said
    assert f"POS {item.pos:.3f}" in said and "not covered: " in said


def test_zero_assets_is_an_error(trajectories):
    with pytest.raises(PlanError, match="no assets were given"):
        plan_search(trajectories, [], WINDOW, WEATHER)


@pytest.mark.parametrize(("start", "end", "message"), [
    ("2024-06-09T20:00Z", "2024-06-10T02:00Z", "starts before the drift run"),
    ("2024-06-10T10:00Z", "2024-06-10T16:00Z", "ends after the drift run"),
])
def test_window_outside_the_run_is_an_error(trajectories, start, end, message):
    with pytest.raises(PlanError, match=message):
        plan_search(trajectories, [_vessel()], SearchWindow.from_iso(start, end), WEATHER)


def test_window_ending_before_it_starts_is_an_error():
    with pytest.raises(BadValueError, match=r"ends .* before it starts"):
        SearchWindow.from_iso("2024-06-10T08:00Z", "2024-06-10T04:00Z")


def test_unknown_sweep_width_object_lists_the_options(trajectories):
    with pytest.raises(UnknownSweepWidthError, match=r"'canoe'.*raft_4p"):
        plan_search(trajectories, [_vessel()], WINDOW, WEATHER, search_object="canoe")


def test_object_missing_from_one_platform_leaves_that_asset_out(trajectories):
    # the USCG 1000 ft aircraft table has no sail boats; the vessel table has sail_boat_30ft
    plan = plan_search(trajectories, [_vessel(), _aircraft()], WINDOW, WEATHER,
                       search_object="sail_boat_30ft")
    assert [item.name for item in plan.assignments] == ["KN SAR 1"]
    assert "no sweep width for this search object" in plan.left_out[0].reason


def test_the_drift_s_search_object_and_an_asset_s_sweep_width(trajectories):
    assert sweep_object_for_drift(trajectories) == "power_boat_33ft"  # FISHING-VESSEL-1
    assert sweep_object_for_drift(trajectories, "sail_boat_30ft") == "sail_boat_30ft"
    with pytest.raises(UnknownSweepWidthError, match=r"'canoe'.*raft_4p"):
        sweep_object_for_drift(trajectories, "canoe")
    with pytest.raises(PlanError, match="what the search object is"):
        sweep_object_for_drift(trajectories.drop_vars("object_class"))
    width = asset_sweep_width(_vessel(), "power_boat_33ft", WEATHER)
    assert width.corrected_nm == pytest.approx(corrected_sweep_width_nm(
        "power_boat_33ft", "vessel", 14, 10, wind_kt=10, seas_m=0.5))
    # no row for the object in the asset's table: the reason, for the plan's left-out list
    reason = asset_sweep_width(_aircraft(), "sail_boat_30ft", WEATHER)
    assert reason.startswith("no sweep width for this search object")


def test_negative_speed_is_refused():
    with pytest.raises(BadValueError, match=r"search_speed_kt = -5.0 is not a positive number"):
        _vessel(search_speed_kt=-5.0)


def test_missing_figure_names_the_asset_and_key(trajectories):
    asset = Asset("No height", asset_type("kn-sar-class-2"), parse_time("2024-06-10T00:00Z"),
                  base=(95.3, 5.6), search_speed_kt=10)
    with pytest.raises(BadValueError, match=r"'No height'.*search_height_ft"):
        plan_search(trajectories, [asset], WINDOW, WEATHER)


def test_sweep_object_mapping():
    assert sweep_object_for("FISHING-VESSEL-1") == "power_boat_33ft"
    assert sweep_object_for("PIW-3") == "person_in_water"
    assert sweep_object_for("LIFE-RAFT-DB-18") == "raft_25p"
    assert sweep_object_for("LIFE-RAFT-DB-11") == "raft_4p"
    with pytest.raises(UnknownSweepWidthError, match=r"OIL-DRUM.*sweep_width"):
        sweep_object_for("OIL-DRUM")


def test_geojson_has_a_rectangle_and_a_track_per_asset(trajectories):
    plan = plan_search(trajectories, [_vessel(), _aircraft(endurance_h=4.5)], WINDOW, WEATHER)
    collection = plan_collection(plan)
    rectangles = [f for f in collection["features"]
                  if f["properties"]["kind"] == "search_rectangle"]
    tracks = [f for f in collection["features"] if f["properties"]["kind"] == "track"]
    assert len(rectangles) == len(tracks) == len(plan.assignments)
    assert {f["properties"]["asset"] for f in rectangles} == {"KN SAR 1", "CN-235"}
    for item in rectangles:  # an asset's rectangles, numbered in the order searched
        own = [f["properties"] for f in rectangles
               if f["properties"]["asset"] == item["properties"]["asset"]]
        assert [p["part"] for p in own] == list(range(1, len(own) + 1))
        assert all(p["parts"] == len(own) for p in own)
    for item in rectangles:
        assert item["geometry"]["type"] == "Polygon"
        assert {"asset", "rcc", "pattern", "track_spacing_nm", "coverage", "pod", "pos",
                "start_time", "end_time"} <= set(item["properties"])
    assert all(t["geometry"]["type"] == "LineString" for t in tracks)
    assert collection["total_pos"] == pytest.approx(plan.total_pos)


def test_the_searched_rectangles_read_back_are_the_plan_s(trajectories, tmp_path):
    plan = plan_search(trajectories, [_vessel(), _aircraft(endurance_h=4.5)], WINDOW, WEATHER)
    write_geojson(plan_collection(plan), tmp_path / "plan.geojson")
    flown = read_searched(tmp_path)  # the folder, as `sarkit update --searched` gets it
    assert [f.asset for f in flown] == [item.name for item in plan.assignments]
    for searched, item in zip(flown, plan.assignments, strict=True):
        assert searched.pod == pytest.approx(item.pod)
        assert searched.start == pytest.approx(item.start, abs=1.0)  # written to the second
        assert searched.end == pytest.approx(item.end, abs=1.0)
        assert searched.polygon.symmetric_difference(item.assignment.polygon).area < 1e-12
        assert (searched.end_lon, searched.end_lat) == pytest.approx(
            tuple(item.pattern.waypoints[-1]), abs=1e-7)  # where the track ended


def test_example_plan_file_loads():
    root = Path(__file__).resolve().parents[2]
    plan_file = load_plan_file(root / "sarkit" / "data" / "example_plan.toml")
    assert plan_file.drift.scenario is not None and len(plan_file.assets) == 5
    assert plan_file.window.hours == pytest.approx(6.0)


def test_plan_file_unknown_keys_are_named(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text('colour = "red"\nroster = "r.toml"\n[drift]\nscenario = "default"\n'
                    '[search]\nstart = "2024-06-11T00:00Z"\nend = "2024-06-11T06:00Z"\n'
                    "[weather]\nvisibilty_nm = 10\n")
    with pytest.raises(PlanFileError, match="unknown key `colour`"):
        load_plan_file(path)
    path.write_text(path.read_text().replace('colour = "red"\n', ""))
    with pytest.raises(PlanFileError, match="`visibilty_nm` \\(did you mean `visibility_nm`"):
        load_plan_file(path)


def test_errors_are_sarkit_errors():
    assert issubclass(PlanError, SarkitError) and issubclass(PlanFileError, SarkitError)


def _reference_coverage(item, samples: int = 400):
    """Reached share and coverage of a search, measured another way: points on a fine lattice
    over the rectangle (on a local tangent plane, NM), reached where their perpendicular foot
    on a leg lies on the leg within half a sweep width (the lateral range a sweep width
    stands for) or, at a turn, within half a sweep width of the turning point; the track
    length inside from the densified track."""
    lon0, lat0 = item.assignment.centre_lon, item.assignment.centre_lat
    k = math.cos(math.radians(lat0)) * 60.0

    def plane(lon, lat):
        return (np.asarray(lon) - lon0) * k, (np.asarray(lat) - lat0) * 60.0

    rx, ry = plane(*np.asarray(item.assignment.polygon.exterior.coords).T)
    rectangle = shapely.Polygon(np.column_stack([rx, ry]))
    tx, ty = plane(*item.pattern.waypoints.T)
    track = shapely.LineString(np.column_stack([tx, ty])).segmentize(0.01)
    west, south, east, north = rectangle.bounds
    gx, gy = np.meshgrid(np.linspace(west, east, samples), np.linspace(south, north, samples))
    points = shapely.points(gx.ravel(), gy.ravel())
    inside = shapely.contains(rectangle, points)
    px, py = gx.ravel()[inside][:, None], gy.ravel()[inside][:, None]
    ax, ay, bx, by = tx[:-1][None, :], ty[:-1][None, :], tx[1:][None, :], ty[1:][None, :]
    dx, dy = bx - ax, by - ay
    t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
    lateral = np.abs((px - ax) * dy - (py - ay) * dx) / np.hypot(dx, dy)
    # each leg stands for the strip within half a track spacing (half a sweep width where
    # wider) of it, to that distance beyond its ends
    half = max(item.sweep_width.corrected_nm, item.pattern.track_spacing_nm) / 2.0
    beyond = half / np.hypot(dx, dy)
    on_leg = (t >= -beyond) & (t <= 1.0 + beyond) & (lateral <= half)
    turns_x, turns_y = tx[1:-1][None, :], ty[1:-1][None, :]
    at_turn = np.hypot(px - turns_x, py - turns_y) <= half
    near = on_leg.any(axis=1) | at_turn.any(axis=1)
    dense = np.asarray(track.coords)
    mids = shapely.points((dense[1:] + dense[:-1]) / 2.0)
    steps = np.hypot(*np.diff(dense, axis=0).T)
    length_inside = float(steps[shapely.contains(rectangle, mids)].sum())
    coverage = item.sweep_width.corrected_nm * length_inside / rectangle.area
    return float(near.mean()), coverage


def test_coverage_pod_and_pos_are_those_of_the_track_flown(trajectories):
    # plenty of time (many legs) and very little (one leg in a wide rectangle)
    for hours in (4.0, 0.6):
        window = SearchWindow(WINDOW.start, WINDOW.start + hours * 3600.0)
        plan = plan_search(trajectories, [_vessel()], window, WEATHER)
        (item,) = plan.assignments
        reached, coverage = _reference_coverage(item)
        assert item.reached == pytest.approx(reached, abs=0.02)
        assert item.coverage == pytest.approx(coverage, rel=0.02)
        assert item.pos == pytest.approx(item.poc * item.pod, rel=1e-12)
        assert item.pos <= item.poc * (1 - math.exp(-item.coverage / item.reached)) + 1e-12
        if item.pattern.n_legs == 1:  # one leg spanning the rectangle: C = W L / A, no more
            assert item.pod == pytest.approx(1 - math.exp(-item.coverage), rel=0.03)
            assert item.coverage < 0.5



# ---------------------------------------------------------------- a boat that may capsize


@pytest.fixture(scope="module")
def capsizing():
    """The plan test's drift with a boat that capsizes at 0.1 per hour (persons in water)."""
    scenario = scenario_from_dict({
        "name": "capsize test", "object": "FISHING-VESSEL-1", "particles": 400, "seed": 2,
        "lkp": {"time": START, "lon": LKP[0], "lat": LKP[1], "radius_nm": 10},
        "run": {"duration_hours": 12, "timestep_minutes": 20, "output_every_minutes": 60},
        "forcing": {"currents": {"constant": [0.1, 0.05]}, "winds": {"constant": [0.0, 0.0]}},
        "transition": [{"to": "PIW-1", "rate_per_hour": 0.1}],
    })
    return drift_scenario(scenario)


def test_a_mixed_boat_and_piw_plan_has_pod_per_class_from_each_class_table(capsizing):
    assets = [_vessel(), _aircraft(endurance_h=4.5)]
    plan = plan_search(capsizing, assets, WINDOW, WEATHER, name="t")
    shares = plan.poc.class_shares
    assert set(shares) == {"FISHING-VESSEL-1", "PIW-1"}
    assert sum(shares.values()) == pytest.approx(1.0)
    assert 0.2 < shares["PIW-1"] < 0.7  # 1 - exp(-0.1 * 6) = 0.45 at mid-search, 400 particles
    tables = {"KN SAR 1": ("vessel", 14, None), "CN-235": ("fixed_wing", 1000, 150.0)}
    assert {item.name for item in plan.assignments} == set(tables)
    for item in plan.assignments:
        platform, height, speed = tables[item.name]
        boat, piw = item.by_class
        assert (boat.object_class, boat.search_object) == ("FISHING-VESSEL-1", "power_boat_33ft")
        assert (piw.object_class, piw.search_object) == ("PIW-1", "person_in_water")
        for part in (boat, piw):
            assert part.sweep_width_nm == pytest.approx(corrected_sweep_width_nm(
                part.search_object, platform, height, 10, wind_kt=10, seas_m=0.5,
                search_speed_kt=speed))
            assert part.pos == pytest.approx(part.poc * part.pod, rel=1e-12)
            # the POD over the rectangle is at most that of the part reached, 1 - exp(-W_class
            # L / A_reached): the plan's coverage scaled by the class's width (the part
            # reached, within half the track spacing or half the sweep width where wider,
            # differs a little with the width)
            scaled = 1 - math.exp(-item.coverage / item.reached * part.sweep_width_nm
                                  / item.assignment.unit.sweep_width_nm)
            assert 0.0 < part.pod <= scaled * 1.01
        assert piw.sweep_width_nm < boat.sweep_width_nm / 3  # a person is far harder to see
        assert piw.pod < boat.pod
        # the classes share the rectangle's POC, and the search's POS is theirs
        assert boat.poc + piw.poc == pytest.approx(item.poc, rel=1e-9)
        assert item.pos == pytest.approx(boat.pos + piw.pos, rel=1e-12)
        # the effort is spent with the classes' widths weighted by their probability, or
        # with one class's own width, whichever plan finds most
        weighted = (shares["FISHING-VESSEL-1"] * boat.sweep_width_nm
                    + shares["PIW-1"] * piw.sweep_width_nm)
        spaced = item.assignment.unit.sweep_width_nm
        assert any(spaced == pytest.approx(width)
                   for width in (weighted, boat.sweep_width_nm, piw.sweep_width_nm))
    assert "PIW-1 (person_in_water)" in plan.table()
    assert plan.spaced_for and plan.spaced_for in plan.table()
    assert plan.total_pos == pytest.approx(math.fsum(item.pos for item in plan.assignments))
    # the weighted widths' optimal effort bounds any plan of the mixture (Jensen)
    assert plan.total_pos <= plan.bound + 1e-12


def test_a_mixed_plan_finds_at_least_what_the_weighted_spacing_finds(capsizing):
    from sarkit.planning import plan as planning

    assets = [_vessel(), _aircraft(endurance_h=4.5)]
    plan = plan_search(capsizing, assets, WINDOW, WEATHER, name="t")
    original = planning._spacing_bases
    try:  # only the weighted spacing, as before the plan tried each class's
        planning._spacing_bases = lambda poc, objects: [""]
        weighted = plan_search(capsizing, assets, WINDOW, WEATHER, name="t")
    finally:
        planning._spacing_bases = original
    assert weighted.spaced_for == "the classes' widths weighted by their shares"
    assert plan.total_pos >= weighted.total_pos - 1e-12
    assert plan.bound == pytest.approx(weighted.bound, rel=1e-12)


def test_a_plan_without_transitions_has_no_classes(trajectories):
    plan = plan_search(trajectories, [_vessel()], WINDOW, WEATHER)
    assert plan.poc.class_shares == {}
    assert all(item.by_class == () for item in plan.assignments)


def test_the_pods_by_class_are_written_read_back_and_update_by_class(capsizing, tmp_path):
    from sarkit.planning.update import SearchedArea, update_after_search

    plan = plan_search(capsizing, [_vessel()], WINDOW, WEATHER)
    write_geojson(plan_collection(plan), tmp_path / "plan.geojson")
    (searched,) = read_searched(tmp_path)
    (item,) = plan.assignments
    assert searched.class_pod == pytest.approx({p.object_class: p.pod for p in item.by_class})
    area = SearchedArea(searched.polygon, searched.pod, np.datetime64("2024-06-10T06:00"),
                        searched.class_pod)
    update = update_after_search(capsizing, [area])
    # what the update removes is the plan's POS: each class found with its own POD (the
    # plan counts sub-points of cells, the update particles: close, not equal)
    assert update.pos[0] == pytest.approx(item.pos, rel=0.15)
    piw_pod, boat_pod = searched.class_pod["PIW-1"], searched.class_pod["FISHING-VESSEL-1"]
    assert piw_pod < boat_pod
