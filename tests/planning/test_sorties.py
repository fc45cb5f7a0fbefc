"""The state an asset is left in by its search: a vessel stays at sea, an aircraft flies home
and turns around."""

from __future__ import annotations

import pytest

from sarkit.geodesy import WGS84
from sarkit.planning import Asset, asset_type
from sarkit.planning.assets import TURNAROUND_H
from sarkit.planning.sorties import FlownEnd, assets_after
from sarkit.times import parse_time, utc_and_local
from sarkit.units import NAUTICAL_MILE

READY = parse_time("2024-06-10T00:00Z")
END = parse_time("2024-06-10T10:00Z")


def _vessel(**kw):
    return Asset("KN SAR 1", asset_type("kn-sar-class-2"), READY, base=(95.3, 5.6),
                 search_speed_kt=10.0, search_height_ft=14, **kw)


def _aircraft(ready=READY):
    return Asset("CN-235", asset_type("cn235-mpa"), ready, base=(98.67, 3.59),
                 search_speed_kt=150.0, search_height_ft=1000)


def test_a_vessel_stays_at_sea_where_its_track_ended():
    (after,) = assets_after([_vessel()], [FlownEnd("KN SAR 1", END, 96.1, 9.2)])
    assert after.asset.base == (96.1, 9.2) and after.asset.centre is None
    assert after.asset.ready == END
    assert "stays at sea" in after.note
    # where and when, as a person reads them: the position the one way, UTC and local time
    assert "(9.200N 96.100E)" in after.note
    assert after.note.endswith(f"free {utc_and_local(END, 'Asia/Kuala_Lumpur')}")


def test_an_aircraft_flies_home_and_turns_around():
    aircraft = _aircraft()
    (after,) = assets_after([aircraft], [FlownEnd("CN-235", END - 3600, 0.0, 0.0),
                                         FlownEnd("CN-235", END, 96.0, 9.0)])  # the last
    home_h = WGS84.inv(96.0, 9.0, 98.67, 3.59)[2] / NAUTICAL_MILE / aircraft.cruise
    assert after.asset.ready == pytest.approx(
        END + (home_h + TURNAROUND_H["fixed_wing"]) * 3600.0)
    assert after.asset.base == aircraft.base
    # no centre: the zone time of its base's longitude beside UTC
    assert after.note.endswith(f"free {utc_and_local(after.asset.ready, None, 98.67)}")
    assert "zone time (UTC+7, by longitude)" in after.note


def test_the_roster_can_only_delay_and_an_idle_asset_keeps_its_state():
    late = parse_time("2024-06-11T00:00Z")
    idle = _vessel()
    out = assets_after([_aircraft(ready=late), idle], [FlownEnd("CN-235", END, 96.0, 9.0)])
    assert out[0].asset.ready == late
    assert out[1].asset is idle and "did not search" in out[1].note
