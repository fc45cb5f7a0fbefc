"""Searching in the dark: only assets with a night sensor, with its sweep width; turnarounds."""

from __future__ import annotations

import pytest

from sarkit.errors import BadValueError
from sarkit.files.roster import load_roster
from sarkit.planning import (
    Asset,
    PlanError,
    SearchWindow,
    Weather,
    asset_type,
    daylight_window,
    plan_search,
)
from sarkit.planning.sorties import FlownEnd, assets_after
from sarkit.times import parse_time

LKP = (96.0, 9.0)
WEATHER = Weather(visibility_nm=10, wind_kt=10, seas_m=0.5)
NIGHT = SearchWindow.from_iso("2024-06-10T15:00Z", "2024-06-10T19:00Z")  # 21:00-01:00 local
DUSK = SearchWindow.from_iso("2024-06-10T10:00Z", "2024-06-10T15:00Z")  # day, then night


@pytest.fixture
def trajectories(trajectories_at_night):
    """The shared night drift (06:00-20:00Z): it spans both windows."""
    return trajectories_at_night[0]


def _ship(name: str, **extra) -> Asset:
    return Asset(name, asset_type("kn-sar-class-2"), parse_time("2024-06-09T12:00Z"),
                 base=(95.3, 5.6), search_speed_kt=10.0, search_height_ft=14, **extra)


def test_the_night_window_is_dark_at_the_datum():
    light = daylight_window(NIGHT.start, NIGHT.end, *LKP)
    assert light.usable is None and light.intervals == ()


def test_a_night_window_needs_a_night_sensor(trajectories):
    with pytest.raises(PlanError, match="night_sweep_width_nm"):
        plan_search(trajectories, [_ship("eyes only")], NIGHT, WEATHER)


def test_only_the_night_sensor_searches_in_the_dark_with_its_width(trajectories):
    flir = _ship("FLIR ship", night_sensor="FLIR", night_sweep_width_nm=0.9)
    plan = plan_search(trajectories, [_ship("eyes only"), flir], NIGHT, WEATHER)
    assert {item.name for item in plan.assignments} == {"FLIR ship"}
    for item in plan.assignments:
        assert item.sweep_width.corrected_nm == pytest.approx(0.9)
        assert NIGHT.start <= item.start < item.end <= NIGHT.end
    (left,) = plan.left_out
    assert left.asset.name == "eyes only" and "night" in left.reason
    assert "FLIR" in plan.table() and "in the dark" in plan.table()


def test_at_dusk_eyes_stop_and_the_sensor_goes_on(trajectories):
    flir = _ship("FLIR ship", night_sensor="FLIR", night_sweep_width_nm=0.9)
    plan = plan_search(trajectories, [_ship("eyes only"), flir], DUSK, WEATHER)
    light = plan.daylight
    assert light.usable is not None and DUSK.start <= light.usable[1] < DUSK.end
    eyes = [item for item in plan.assignments if item.name == "eyes only"]
    night = [item for item in plan.assignments if item.name == "FLIR ship"]
    assert eyes and night
    assert max(item.end for item in eyes) <= light.usable[1] + 1e-6  # visual: daylight only
    # the sensor's asset searches past dusk, with the smaller of its two sweep widths
    assert max(item.end for item in night) > light.usable[1]
    for item in night:
        assert item.sweep_width.corrected_nm == pytest.approx(
            min(0.9, eyes[0].sweep_width.corrected_nm))


def test_roster_keys_and_their_checks(tmp_path):
    roster = tmp_path / "roster.toml"
    roster.write_text('[[asset]]\nname = "CN-235"\ntype = "cn235-mpa"\nbase = [98.67, 3.59]\n'
                      'ready = "2024-06-10T00:00Z"\nsearch_speed_kt = 150\n'
                      'search_height_ft = 1000\nturnaround_h = 3.5\nnight_sensor = "FLIR"\n'
                      'night_sweep_width_nm = 1.5\n', encoding="utf-8")
    (asset,) = load_roster(roster)
    assert asset.turnaround == 3.5 and asset.night_sensor == "FLIR"
    assert asset.night_sweep_width_nm == 1.5
    # the turnaround the roster gives, not the platform's default, before the next sortie
    ended = asset.ready + 7200.0
    (after,) = assets_after([asset], [FlownEnd("CN-235", ended, asset.lon, asset.lat)])
    assert after.asset.ready == pytest.approx(ended + 3.5 * 3600.0)
    for bad, words in (("turnaround_h = -1\n", "turnaround_h"),
                       ("turnaround_h = 100\n", "turnaround_h"),
                       ('night_sensor = "FLIR"\n', "night"),
                       ("night_sweep_width_nm = 0\n", "night_sweep_width_nm")):
        roster.write_text('[[asset]]\nname = "CN-235"\ntype = "cn235-mpa"\n'
                          'base = [98.67, 3.59]\nready = "2024-06-10T00:00Z"\n' + bad,
                          encoding="utf-8")
        with pytest.raises(BadValueError, match=words):
            load_roster(roster)
