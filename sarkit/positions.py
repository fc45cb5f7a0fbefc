"""Positions written one way, for every printout, summary, map label and file a person reads.

* :func:`format_position`: decimal degrees with hemisphere letters, latitude first, as a
  chart is read: ``9.390N 96.583E``; longitudes are taken into -180..180 (``125.019W``, never
  ``-125.019E``).
* :func:`degrees_minutes` and :func:`format_position_dm`: degrees and decimal minutes, as
  said on the radio and written in SITREPs: ``09°23.400'N 096°34.980'E``.
* :func:`format_box`: a box (a forcing's, a route's), latitudes then longitudes:
  ``8.000N..10.000N 95.000E..97.000E``.
* :func:`position_text`: both, the decimal degrees first: ``9.390N 96.583E
  (09°23.40'N 096°34.98'E)``.

With ``ascii=True`` the degrees and minutes are written as telex and AFTN messages (SITREPs)
carry them, in plain ASCII: ``09-23.40N 096-34.98E``.

Minutes are rounded once, so that no position reads ``60.000'``.
"""

from __future__ import annotations

import math

__all__ = [
    "degrees_minutes",
    "format_box",
    "format_position",
    "format_position_dm",
    "hemisphere_degrees",
    "position_text",
    "wrap_longitude",
]


def wrap_longitude(lon: float) -> float:
    """``lon`` in -180..180 (180 stays 180)."""
    wrapped = (float(lon) + 180.0) % 360.0 - 180.0
    return 180.0 if wrapped == -180.0 and float(lon) > 0 else wrapped


def hemisphere_degrees(value: float, hemispheres: str, decimals: int = 3) -> str:
    """Decimal degrees with the hemisphere letter: ``9.390N``, ``125.019W``.

    Parameters
    ----------
    value : float
        Degrees, north/east positive; a longitude is taken into -180..180.
    hemispheres : {"NS", "EW"}
        The letters for positive and negative values.
    decimals : int
        Decimal places.
    """
    if hemispheres == "EW":
        value = wrap_longitude(value)
    text = f"{abs(value):.{decimals}f}"
    zero = float(text) == 0.0
    letter = hemispheres[0] if value >= 0 or zero else hemispheres[1]
    return f"{text}{letter}"


def degrees_minutes(value: float, hemispheres: str, decimals: int = 3, *,
                    ascii: bool = False) -> str:
    """Degrees and decimal minutes with the hemisphere letter.

    Parameters
    ----------
    value : float
        Degrees (north/east positive); a longitude is taken into -180..180.
    hemispheres : {"NS", "EW"}
        The letters for positive and negative values; ``"NS"`` pads degrees to 2 digits,
        ``"EW"`` to 3.
    decimals : int
        Decimal places of the minutes.
    ascii : bool
        Plain ASCII, as a telex or SITREP carries it: ``09-12.345N``.

    Examples
    --------
    >>> degrees_minutes(9.20575, "NS")
    "09°12.345'N"
    >>> degrees_minutes(-95.8, "EW")
    "095°48.000'W"
    >>> degrees_minutes(-95.8, "EW", 2, ascii=True)
    '095-48.00W'
    """
    if hemispheres == "EW":
        value = wrap_longitude(value)
    scale = 10**decimals
    units = round(abs(value) * 60 * scale)  # minutes x 10^decimals, rounded once: no 60.000'
    degrees, minutes = divmod(units, 60 * scale)
    letter = hemispheres[0] if value >= 0 or units == 0 else hemispheres[1]
    width = 2 if hemispheres == "NS" else 3
    whole, part = divmod(minutes, scale)
    fraction = f".{part:0{decimals}d}" if decimals > 0 else ""
    if ascii:
        return f"{degrees:0{width}d}-{whole:02d}{fraction}{letter}"
    return f"{degrees:0{width}d}°{whole:02d}{fraction}'{letter}"


def format_position(lon: float, lat: float, decimals: int = 3) -> str:
    """``9.390N 96.583E``: latitude then longitude, decimal degrees, hemisphere letters."""
    _check(lon, lat)
    return f"{hemisphere_degrees(lat, 'NS', decimals)} {hemisphere_degrees(lon, 'EW', decimals)}"


def format_position_dm(lon: float, lat: float, decimals: int = 3, *,
                       ascii: bool = False) -> str:
    """``09°23.400'N 096°34.980'E``: latitude then longitude, degrees and decimal minutes
    (``09-23.400N 096-34.980E`` with ``ascii``)."""
    _check(lon, lat)
    return (f"{degrees_minutes(lat, 'NS', decimals, ascii=ascii)} "
            f"{degrees_minutes(lon, 'EW', decimals, ascii=ascii)}")


def position_text(lon: float, lat: float, *, ascii: bool = False) -> str:
    """``9.390N 96.583E (09°23.40'N 096°34.98'E)``: both forms, for a line a person reads;
    ``9.390N 96.583E (09-23.40N 096-34.98E)`` with ``ascii`` (a SITREP)."""
    return f"{format_position(lon, lat)} ({format_position_dm(lon, lat, 2, ascii=ascii)})"


def format_box(box: tuple[float, float, float, float], decimals: int = 3) -> str:
    """``8.000N..10.000N 95.000E..97.000E``: a box ``(west, south, east, north)``, latitudes
    then longitudes, each edge with its hemisphere letter (a longitude taken into -180..180)."""
    west, south, east, north = (float(v) for v in box)

    def edge(value: float, hemispheres: str) -> str:
        return hemisphere_degrees(value, hemispheres, decimals)

    return f"{edge(south, 'NS')}..{edge(north, 'NS')} {edge(west, 'EW')}..{edge(east, 'EW')}"


def _check(lon: float, lat: float) -> None:
    if not (math.isfinite(float(lon)) and math.isfinite(float(lat))):
        raise ValueError(f"position ({lon}, {lat}) is not finite")
