"""The SITREP carries the datum, the areas and the plan figures of its case."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sarkit.files.sitrep import date_time_group, sitrep
from sarkit.planning import centre_name
from sarkit.positions import position_text
from sarkit.times import format_time


def position(lon: float, lat: float) -> str:
    """A SITREP's position is the one formatter's, in plain ASCII."""
    return position_text(lon, lat, ascii=True)


def test_date_time_group_and_position():
    assert date_time_group(datetime(2024, 6, 11, 6, 0, tzinfo=UTC)) == "110600Z JUN 24"
    assert date_time_group(0.0) == "010000Z JAN 70"


def test_layout(exported):
    text = exported.sitrep
    order = ["SITREP 1", "SAR CASE: ", "FROM: JRCC Jakarta", "TO: MRCC Port Blair", "DTG: ",
             "A. SITUATION", "B. ACTION TAKEN", "C. FUTURE PLANS", "D. STATUS", "CASE OPEN"]
    places = [text.index(part) for part in order]
    assert places == sorted(places)
    dtg = next(line for line in text.splitlines() if line.startswith("DTG: "))
    assert re.fullmatch(r"DTG: \d{6}Z [A-Z]{3} \d\d \(\d\d:\d\d( \d\d [A-Z][a-z]{2})? local "
                        r"\(UTC[+-]\d\d:\d\d [A-Za-z_/]+\)\)", dtg), dtg
    assert "PERSONS ABOARD: 120" in text
    assert f"SAR CASE: {exported.plan.name}\n" in text


def test_situation_has_the_datum_and_areas(exported):
    text, areas, plan = exported.sitrep, exported.areas, exported.plan
    assert position(areas.datum_lon, areas.datum_lat) in text
    assert str(areas.valid_time.astype("datetime64[s]")) + "Z" in text
    for level in areas.levels:
        centre = level.polygon.centroid
        assert (f"{level.level:.0%} AREA: {level.area_nm2:,.1f} NM2, POC "
                f"{level.probability:.4f}, centre {position(centre.x, centre.y)}") in text
    assert f"{plan.poc.stranded_weight:.1%} of the probability ashore" in text
    assert "LAST KNOWN POSITION: 9.200N 95.800E (09-12.00N 095-48.00E)" in text
    assert "FISHING-VESSEL-1" in text
    assert f"wind {plan.weather.wind_kt:g} kt, seas {plan.weather.seas_m:g} m" in text


def test_action_has_the_plan_figures(exported):
    text, plan = exported.sitrep, exported.plan
    assert plan.assignments
    for item in plan.assignments:
        line = next(line for line in text.splitlines() if f". {item.name} (" in line)
        assert f"{format_time(item.start)} to {format_time(item.end)}" in line
        assert item.pattern.kind.replace("_", " ") in line
        assert f"POD {item.pod:.3f}, POC {item.poc:.3f}, POS {item.pos:.3f}" in line
        assert centre_name(item.rcc) in line and f"{item.rcc})" not in line
    assert f"TOTAL POS {plan.total_pos:.3f} (bound {plan.bound:.3f}" in text
    for item in plan.left_out:
        assert f"LEFT OUT: {item.asset.name}: {item.reason}" in text


def test_cumulative_pos_and_status(exported):
    plan = exported.plan
    text = sitrep(plan, exported.areas, number=3, earlier_pos=[0.5, 0.2], closed=True,
                  future_plans="Stand down.", when=0.0)
    cumulative = 1 - (1 - 0.5) * (1 - 0.2) * (1 - plan.total_pos)
    assert f"CUMULATIVE POS {cumulative:.3f} after 3 search period(s)" in text
    assert text.startswith("SITREP 3\n") and "CASE CLOSED" in text and "Stand down." in text
    assert "PERSONS ABOARD: NOT KNOWN" in text and "DTG: 010000Z JAN 70" in text


def test_positions_are_plain_ascii_and_the_object_is_named(exported):
    from sarkit.planning import object_label

    text, plan = exported.sitrep, exported.plan
    datum = next(line for line in text.splitlines() if "DATUM AT" in line)
    assert datum.isascii() and datum.endswith(
        position(exported.areas.datum_lon, exported.areas.datum_lat))
    assert "°" not in text and "(9.2" not in text  # no second style of position
    assert f"object {object_label(plan.search_object)} (" in text
    assert object_label(plan.search_object) != plan.search_object
