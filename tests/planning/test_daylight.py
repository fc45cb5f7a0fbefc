"""Daylight at the datum: civil dawn and dusk checked against an independent solar formula,
and plans that search only in daylight."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from sarkit.planning import SearchWindow, plan_search
from sarkit.planning.daylight import TWILIGHT_DEPRESSION, daylight_intervals, daylight_window
from sarkit.planning.plan import PlanError
from sarkit.times import parse_time


def _elevation_noaa(t: float, lon: float, lat: float) -> float:
    """Solar elevation (degrees, no refraction) from NOAA's general solar position formulas
    (fractional year, equation of time, declination): a reference independent of astral."""
    moment = dt.datetime.fromtimestamp(t, dt.UTC)
    day = moment.timetuple().tm_yday
    hour = moment.hour + moment.minute / 60 + moment.second / 3600
    g = 2 * math.pi / 365 * (day - 1 + (hour - 12) / 24)
    eqtime = 229.18 * (0.000075 + 0.001868 * math.cos(g) - 0.032077 * math.sin(g)
                       - 0.014615 * math.cos(2 * g) - 0.040849 * math.sin(2 * g))
    decl = (0.006918 - 0.399912 * math.cos(g) + 0.070257 * math.sin(g)
            - 0.006758 * math.cos(2 * g) + 0.000907 * math.sin(2 * g)
            - 0.002697 * math.cos(3 * g) + 0.00148 * math.sin(3 * g))
    true_solar = hour * 60 + eqtime + 4 * lon
    angle = math.radians(true_solar / 4 - 180)
    phi = math.radians(lat)
    cos_zenith = math.sin(phi) * math.sin(decl) + math.cos(phi) * math.cos(decl) * math.cos(angle)
    return 90 - math.degrees(math.acos(max(-1.0, min(1.0, cos_zenith))))


@pytest.mark.parametrize(("lon", "lat", "day"), [
    (98.39, 7.88, "2024-06-11"),    # Phuket, southwest monsoon
    (105.69, -10.45, "2024-12-21"),  # Christmas Island, southern summer
    (92.7, 11.6, "2025-03-20"),     # Port Blair, equinox
])
def test_civil_dawn_and_dusk_are_where_the_sun_is_six_degrees_down(lon, lat, day):
    start = parse_time(day + "T00:00Z") - 86400
    stretches = daylight_intervals(lon, lat, start, start + 3 * 86400)
    assert len(stretches) >= 2
    edges = [t for stretch in stretches for t in stretch if start < t < start + 3 * 86400]
    assert len(edges) >= 4
    for t in edges:
        # within 0.5 degrees: about two minutes of time, the simple formula's own accuracy
        assert _elevation_noaa(t, lon, lat) == pytest.approx(-TWILIGHT_DEPRESSION, abs=0.5)
    for a, b in stretches:  # light inside, dark just outside
        assert _elevation_noaa((a + b) / 2, lon, lat) > -TWILIGHT_DEPRESSION
        assert _elevation_noaa(a - 600, lon, lat) < -TWILIGHT_DEPRESSION or a == start
        assert 11.0 < (b - a) / 3600 < 14.0 or a == start or b == start + 3 * 86400


def test_the_daylight_part_of_a_window():
    lon, lat = 95.8, 9.2
    day = daylight_window(parse_time("2024-06-11T00:00Z"), parse_time("2024-06-11T06:00Z"),
                          lon, lat)
    assert day.usable == (day.start, day.end) and "the whole window" in day.text()
    assert "(06:00 .. 12:00 zone time (UTC+6, by longitude))" in day.text()  # no zone given
    assert "(07:00 .. 13:00 local (UTC+07:00 Asia/Bangkok))" in day.text("Asia/Bangkok")
    dusk = daylight_window(parse_time("2024-06-11T10:00Z"), parse_time("2024-06-11T16:00Z"),
                           lon, lat)
    assert dusk.usable[0] == dusk.start and dusk.usable[1] < dusk.end
    assert _elevation_noaa(dusk.usable[1], lon, lat) == pytest.approx(-6.0, abs=0.3)
    night = daylight_window(parse_time("2024-06-11T14:00Z"), parse_time("2024-06-11T20:00Z"),
                            lon, lat)
    assert night.usable is None and night.hours == 0.0 and "all night" in night.text()


def test_plans_search_only_in_daylight(trajectories_at_night):
    trajectories, vessel, weather = trajectories_at_night
    # 09:00-13:00Z at 96E is 15:00-19:00 local: dusk comes during the window
    window = SearchWindow.from_iso("2024-06-10T09:00Z", "2024-06-10T13:00Z")
    plan = plan_search(trajectories, [vessel], window, weather)
    dusk = plan.daylight.usable[1]
    assert dusk < window.end
    assert all(item.end <= dusk + 1e-6 for item in plan.assignments)
    assert "visual search only" in plan.table()
    # said in UTC with the responsible centre's local time, in the table and the summary
    from sarkit.planning import plan_situation
    from sarkit.times import span_and_local

    used = span_and_local(*plan.daylight.usable, plan.time_zone(), plan.poc.datum_lon)
    assert plan.time_zone() and f"visual search only {used}" in plan.table()
    assert f"visual search only {used}" in plan_situation(plan)
    with pytest.raises(PlanError, match="night at the datum"):
        plan_search(trajectories, [vessel], SearchWindow.from_iso("2024-06-10T14:00Z",
                                                                  "2024-06-10T18:00Z"), weather)
