"""Positions written one way (:mod:`sarkit.positions`)."""

from __future__ import annotations

import pytest

from sarkit.positions import (
    degrees_minutes,
    format_position,
    format_position_dm,
    hemisphere_degrees,
    position_text,
    wrap_longitude,
)


@pytest.mark.parametrize(("lon", "lat", "text"), [
    (96.583, 9.39, "9.390N 96.583E"),
    (-125.019, 47.845, "47.845N 125.019W"),  # never -125.019E
    (234.981, 47.845, "47.845N 125.019W"),  # 0..360 longitudes too
    (180.0, -10.5, "10.500S 180.000E"),
    (-0.0001, -0.0001, "0.000N 0.000E"),  # a zero that rounds has no W or S
])
def test_format_position(lon, lat, text):
    assert format_position(lon, lat) == text


def test_degrees_and_minutes_and_both():
    assert format_position_dm(96.583, 9.39) == "09°23.400'N 096°34.980'E"
    assert format_position_dm(-125.019, 47.845) == "47°50.700'N 125°01.140'W"
    assert degrees_minutes(9.9999999, "NS", 2) == "10°00.00'N"  # never 60.00'
    assert degrees_minutes(-95.8, "EW", 0) == "095°48'W"
    assert position_text(96.583, 9.39) == "9.390N 96.583E (09°23.40'N 096°34.98'E)"
    assert hemisphere_degrees(-6.25, "NS", 2) == "6.25S"


def test_ascii_degrees_and_minutes_for_a_sitrep():
    assert format_position_dm(95.8, 9.2, 2, ascii=True) == "09-12.00N 095-48.00E"
    assert format_position_dm(-0.5, -12.999999, 2, ascii=True) == "13-00.00S 000-30.00W"
    assert degrees_minutes(-125.019, "EW", 2, ascii=True) == "125-01.14W"
    text = position_text(-125.019, 47.845, ascii=True)
    assert text == "47.845N 125.019W (47-50.70N 125-01.14W)" and text.isascii()


def test_a_box_latitudes_then_longitudes_each_with_its_letter():
    from sarkit.positions import format_box

    assert format_box((91.0, 4.0, 100.0, 16.0)) == "4.000N..16.000N 91.000E..100.000E"
    assert format_box((-125.5, -3.25, 190.0, 2.0), 1) == "3.2S..2.0N 125.5W..170.0W"


def test_longitudes_wrap_into_minus_180_to_180():
    assert wrap_longitude(190.0) == -170.0
    assert wrap_longitude(-190.0) == 170.0
    assert wrap_longitude(180.0) == 180.0
    assert wrap_longitude(540.0) == 180.0


def test_a_position_must_be_finite():
    with pytest.raises(ValueError, match="not finite"):
        format_position(float("nan"), 9.0)
