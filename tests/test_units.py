"""Speed units as files and users write them."""

from __future__ import annotations

import pytest

from sarkit.units import KNOT, m_s_to_knots, m_to_nm, nm_to_m, speed_factor, units_in_long_name


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("m/s", 1.0), ("m s-1", 1.0), ("m s**-1", 1.0), ("meter second-1", 1.0),
        ("meters s-1", 1.0), ("m/sec", 1.0), ("M/S", 1.0), ("m.s-1", 1.0), ("m s^-1", 1.0),
        ("metres per second", 1.0), ("cm/s", 0.01), ("cm s-1", 0.01), ("centimeter/second", 0.01),
        ("knots", 1852 / 3600), ("kt", 1852 / 3600), ("kts", 1852 / 3600), ("km/h", 1 / 3.6),
        ("mph", 0.44704),
    ],
)
def test_speed_units_convert_to_m_per_s(text, factor):
    assert speed_factor(text) == pytest.approx(factor, rel=1e-12)


@pytest.mark.parametrize("text", ["furlongs/fortnight", "m", "degC", "", "m2 s-1", "s/m", "1"])
def test_unknown_units_are_refused(text):
    with pytest.raises(ValueError, match="not a speed unit"):
        speed_factor(text)


def test_units_found_in_long_name():
    assert units_in_long_name("eastward_sea_water_velocity (m/s) ") == "m/s"
    assert units_in_long_name("wind speed [knots]") == "knots"
    assert units_in_long_name("u-momentum (ROMS) component") is None


def test_nautical_conversions():
    assert nm_to_m(1.0) == 1852.0
    assert m_to_nm(3704.0) == 2.0
    assert m_s_to_knots(KNOT * 12.5) == pytest.approx(12.5)
