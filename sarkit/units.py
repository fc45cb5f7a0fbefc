"""Unit conversions: SI inside sarkit, the units people use at its edges.

Speeds are m/s inside, distances metres, times seconds. RCC officers speak in
knots and nautical miles; model files state speeds in many spellings
(``m/s``, ``m s-1``, ``m s**-1``, ``meter second-1``, ``m/sec``, ``cm/s``,
``knots`` ...). :func:`speed_factor` turns any such spelling into the factor
that converts the values to m/s, and refuses what it does not understand.
"""

from __future__ import annotations

import re

__all__ = [
    "KNOT",
    "NAUTICAL_MILE",
    "knots_to_m_s",
    "m_s_to_knots",
    "m_to_nm",
    "nm_to_m",
    "speed_factor",
    "units_in_long_name",
]

NAUTICAL_MILE = 1852.0
"""One international nautical mile in metres."""

KNOT = NAUTICAL_MILE / 3600.0
"""One knot in m/s."""

_LENGTH = {
    "m": 1.0,
    "meter": 1.0,
    "meters": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "cm": 0.01,
    "centimeter": 0.01,
    "centimeters": 0.01,
    "centimetre": 0.01,
    "centimetres": 0.01,
    "mm": 0.001,
    "km": 1000.0,
    "kilometer": 1000.0,
    "kilometers": 1000.0,
    "kilometre": 1000.0,
    "kilometres": 1000.0,
    "nm": NAUTICAL_MILE,
    "nmi": NAUTICAL_MILE,
}

_TIME = {
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    "min": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
    "day": 86400.0,
    "days": 86400.0,
}

_WHOLE = {
    "kt": KNOT,
    "kts": KNOT,
    "kn": KNOT,
    "knot": KNOT,
    "knots": KNOT,
    "mph": 0.44704,
    "kph": 1000.0 / 3600.0,
    "kmh": 1000.0 / 3600.0,
}

# "<length> <sep> <time> <inverse marker>", e.g. "m s-1", "m.s^-1", "meter second-1", "m s**-1"
_INVERSE = re.compile(r"^([a-z]+)\s*[ .*·]?\s*([a-z]+)\s*(?:\^|\*\*)?\s*-1$")
# "<length>/<time>" or "<length> per <time>"
_RATIO = re.compile(r"^([a-z]+)\s*(?:/|\sper\s)\s*([a-z]+)$")


def speed_factor(units: str) -> float:
    """Factor that converts values in ``units`` to metres per second.

    Parameters
    ----------
    units : str
        A unit string as found in a file or typed by a user, e.g. ``"m s-1"``,
        ``"meter second-1"``, ``"m/sec"``, ``"cm/s"``, ``"knots"``.

    Returns
    -------
    float
        Multiply the values by this to get m/s.

    Raises
    ------
    ValueError
        If the string is not a speed unit this function knows.

    Examples
    --------
    >>> speed_factor("cm/s")
    0.01
    >>> round(speed_factor("knots"), 6)
    0.514444
    """
    text = " ".join(units.strip().lower().replace("_", " ").split())
    text = text.replace("km/h", "kmh").replace("km h-1", "kmh")
    if text in _WHOLE:
        return _WHOLE[text]
    match = _RATIO.match(text) or _INVERSE.match(text)
    if match:
        length, time = match.groups()
        if length in _LENGTH and time in _TIME:
            return _LENGTH[length] / _TIME[time]
    raise ValueError(f"not a speed unit: {units!r}")


_BRACKETED = re.compile(r"[(\[]\s*([^()\[\]]+?)\s*[)\]]")


def units_in_long_name(long_name: str) -> str | None:
    """Speed units written in brackets inside a ``long_name``, if any.

    Some files (NOAA RTOFS subsets, for one) state units only as
    ``long_name = "eastward_sea_water_velocity (m/s)"``.

    Returns
    -------
    str or None
        The bracketed text that parses as a speed unit, or None.
    """
    for candidate in _BRACKETED.findall(long_name):
        try:
            speed_factor(candidate)
        except ValueError:
            continue
        return candidate
    return None


def knots_to_m_s(knots: float) -> float:
    """Convert a speed in knots to m/s."""
    return knots * KNOT


def m_s_to_knots(speed: float) -> float:
    """Convert a speed in m/s to knots."""
    return speed / KNOT


def nm_to_m(nautical_miles: float) -> float:
    """Convert a distance in nautical miles to metres."""
    return nautical_miles * NAUTICAL_MILE


def m_to_nm(metres: float) -> float:
    """Convert a distance in metres to nautical miles."""
    return metres / NAUTICAL_MILE
