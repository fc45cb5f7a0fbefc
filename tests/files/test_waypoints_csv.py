"""Waypoint CSV: decimal degrees and degrees-decimal-minutes, in the order flown."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import numpy as np
import pytest

from sarkit.files.waypoints_csv import (
    WAYPOINT_COLUMNS,
    degrees_minutes,
    waypoints_csv,
    waypoints_table,
    write_waypoints_csv,
)


@pytest.mark.parametrize(("value", "letters", "text"), [
    (9.20575, "NS", "09°12.345'N"),
    (-6.5, "NS", "06°30.000'S"),
    (95.8, "EW", "095°48.000'E"),
    (-124.9, "EW", "124°54.000'W"),
    (0.0, "NS", "00°00.000'N"),
    (9.9999999, "NS", "10°00.000'N"),  # rounds up to the next degree, never 60.000'
])
def test_degrees_minutes(value, letters, text):
    assert degrees_minutes(value, letters) == text


def _plan():
    legs = np.array([[95.5, 9.0], [95.5, 9.25], [95.52, 9.25], [95.52, 9.0]])
    square = np.array([[-124.9, 47.9], [-124.9, 47.95], [185.0 - 360.0, -1.5]])
    return SimpleNamespace(assignments=[
        SimpleNamespace(name="HTMS T.991", label="HTMS T.991",
                        pattern=SimpleNamespace(waypoints=legs)),
        SimpleNamespace(name="CG-791", label="CG-791", pattern=SimpleNamespace(waypoints=square)),
    ])


def test_waypoints_csv_rows_in_order_with_both_notations(tmp_path):
    path = write_waypoints_csv(_plan(), tmp_path / "waypoints.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == WAYPOINT_COLUMNS
    assert [(r["asset"], r["waypoint"], r["leg"]) for r in rows[:4]] == [
        ("HTMS T.991", "1", "0"), ("HTMS T.991", "2", "1"), ("HTMS T.991", "3", "2"),
        ("HTMS T.991", "4", "3")]
    assert float(rows[1]["lat"]) == 9.25 and float(rows[1]["lon"]) == 95.5
    assert rows[1]["lat_dm"] == "09°15.000'N" and rows[1]["lon_dm"] == "095°30.000'E"
    assert rows[4]["lon_dm"] == "124°54.000'W" and rows[6]["lat_dm"] == "01°30.000'S"
    assert float(rows[6]["lon"]) == -175.0
    for row in rows:  # the two notations agree to 0.001 minute
        for key, letters in (("lat", "NS"), ("lon", "EW")):
            assert row[f"{key}_dm"] == degrees_minutes(float(row[key]), letters)


def test_waypoints_csv_of_an_empty_plan_is_the_header():
    assert waypoints_csv(SimpleNamespace(assignments=[])) == ",".join(WAYPOINT_COLUMNS) + "\n"


def test_waypoints_table_holds_the_rows_of_the_csv():
    table = waypoints_table(_plan())
    assert tuple(table.columns) == WAYPOINT_COLUMNS and len(table) == 7
    rows = list(csv.DictReader(io.StringIO(waypoints_csv(_plan()))))
    assert [str(v) for v in table.iloc[6]] == list(rows[6].values())
    assert list(table["waypoint"]) == [1, 2, 3, 4, 1, 2, 3]
