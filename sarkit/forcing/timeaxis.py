"""Decode CF time axes to seconds since 1970-01-01 00:00 UTC.

sarkit decodes time itself instead of trusting a library's default, because the
libraries disagree on the awkward cases that real files contain: a time-zone
suffix in the units (``... 00:00:00 +00:00``, ``-7:00``, ``UTC``, ``Z``),
spellings like ``Hour since``, non-standard calendars (``noleap``, ``NOLEAP``,
``360_day``, ``all_leap``, ``julian``), and units with no reference date.

Times in a non-standard calendar keep the model's own elapsed seconds between
records (that is what the velocities were integrated over); the first record is
placed on the real calendar at the same year, month, day and time of day (a
360-day ``Feb 30`` moves to the last real day of that month). A file in such a
calendar is a model run, not a forecast for a real date, and the forcing
summary says so.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import cftime
import numpy as np

from sarkit.times import EPOCH as _EPOCH
from sarkit.times import DateTextError, split_datetime, utc_datetime

__all__ = ["EARLIEST", "LATEST", "TimeRangeError", "TimeUnitsError", "decode_time"]


_UNIT_SECONDS = {
    "second": 1.0,
    "seconds": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "s": 1.0,
    "minute": 60.0,
    "minutes": 60.0,
    "min": 60.0,
    "mins": 60.0,
    "hour": 3600.0,
    "hours": 3600.0,
    "hr": 3600.0,
    "hrs": 3600.0,
    "h": 3600.0,
    "day": 86400.0,
    "days": 86400.0,
    "d": 86400.0,
}

_STANDARD_CALENDARS = {"standard", "gregorian", "proleptic_gregorian", ""}
_OTHER_CALENDARS = {"noleap", "365_day", "all_leap", "366_day", "360_day", "julian"}

_SINCE = re.compile(r"^\s*([A-Za-z]+)\s+since\s+(.+?)\s*$", re.IGNORECASE)

EARLIEST = (datetime(1, 1, 1, tzinfo=_EPOCH.tzinfo) - _EPOCH).total_seconds()
"""Epoch seconds of 0001-01-01T00:00Z, the earliest time sarkit can hold and write."""

LATEST = (datetime(9999, 12, 31, 23, 59, 59, tzinfo=_EPOCH.tzinfo) - _EPOCH).total_seconds()
"""Epoch seconds of 9999-12-31T23:59:59Z, the latest time sarkit can hold and write."""


class TimeUnitsError(ValueError):
    """The time units or calendar cannot be decoded; the message says why."""


class TimeRangeError(TimeUnitsError):
    """The time values put the records outside the years 1 to 9999 (damaged values or units)."""


def _check_range(values: np.ndarray, factor: float, text: str) -> None:
    """Raise :class:`TimeRangeError` when a finite raw value is beyond what any date can be.

    Checked before any date arithmetic, so that absurd values (1e20 hours) never overflow.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        seconds = values * factor
    bad = ~np.isnan(values) & ~((seconds >= EARLIEST - LATEST) & (seconds <= LATEST - EARLIEST))
    if bad.any():
        value = values[np.flatnonzero(bad)[0]]
        raise TimeRangeError(
            f"holds the value {value:g} ({text}), beyond any date from the year 1 to 9999"
        )


def _check_dates(seconds: np.ndarray, text: str) -> np.ndarray:
    """``seconds`` when every finite one is a date from the year 1 to 9999, else TimeRangeError."""
    bad = ~np.isnan(seconds) & ~((seconds >= EARLIEST) & (seconds <= LATEST))
    if bad.any():
        raise TimeRangeError(
            f"puts a record outside the years 1 to 9999 ({seconds[np.flatnonzero(bad)[0]]:.4g} s "
            f"from 1970 with units {text!r})"
        )
    return seconds


def _parse_reference(text: str) -> tuple[tuple[int, int, int, int, int, float], float]:
    """Split ``1970-01-01 00:00:00 +00:00`` into date fields and a UTC offset (s)."""
    try:
        return split_datetime(text)
    except DateTextError as exc:
        raise TimeUnitsError(str(exc)) from None


def _real_datetime(*fields, clamp: bool = False) -> datetime:
    """:func:`sarkit.times.utc_datetime`, its errors as :class:`TimeUnitsError`."""
    try:
        return utc_datetime(*fields, clamp=clamp)
    except DateTextError as exc:
        raise TimeUnitsError(str(exc)) from None


def decode_time(
    values: np.ndarray,
    units: str | None,
    calendar: str | None = None,
    *,
    origin: str | None = None,
) -> np.ndarray:
    """Decode CF time values to float seconds since 1970-01-01 00:00 UTC.

    Parameters
    ----------
    values : array_like
        The raw numbers of the time variable (any numeric dtype). NaN stays NaN.
    units : str
        CF units, ``"<unit> since <reference date>[ time zone]"``; the unit may be
        any spelling of seconds, minutes, hours or days, in any case.
    calendar : str, optional
        CF calendar name in any case; default ``standard``.
    origin : str, optional
        Reference date to use when ``units`` has none (``"second"``, as CROCO
        writes), e.g. ``"2024-03-20T00:00Z"``.

    Returns
    -------
    numpy.ndarray
        float64 seconds since the Unix epoch, UTC.

    Raises
    ------
    TimeUnitsError
        If the units, reference date, time zone or calendar cannot be read; the
        message says which part. :class:`TimeRangeError` (a subclass) when a
        value is no date from the year 1 to 9999 (``1e20 hours since ...``).
    """
    values = np.asarray(values, dtype=np.float64)
    text = (units or "").strip()
    match = _SINCE.match(text)
    if match:
        unit, reference = match.groups()
        if origin is not None:
            raise TimeUnitsError(
                f"the time units {text!r} have a reference date already; drop the time origin"
            )
    elif origin is not None and text.lower() in _UNIT_SECONDS:
        unit, reference = text, origin
    elif text.lower() in _UNIT_SECONDS:
        raise TimeUnitsError(
            f"the time units {text!r} have no reference date (model time since an unknown start)"
        )
    else:
        raise TimeUnitsError(f"cannot read the time units {text!r}")
    factor = _UNIT_SECONDS.get(unit.lower())
    if factor is None:
        raise TimeUnitsError(
            f"unsupported time unit {unit!r} in {text!r} (months and years are not fixed lengths)"
        )
    fields, zone_offset = _parse_reference(reference)
    calendar_name = (calendar or "standard").strip().lower()
    if calendar_name not in _STANDARD_CALENDARS | _OTHER_CALENDARS:
        raise TimeUnitsError(f"unknown calendar {calendar!r}")
    _check_range(values, factor, text)
    if calendar_name in _STANDARD_CALENDARS:
        start = _real_datetime(*fields)
        return _check_dates((start - _EPOCH).total_seconds() - zone_offset + values * factor, text)
    return _check_dates(
        _decode_model_calendar(values * factor, fields, calendar_name) - zone_offset, text)


def _decode_model_calendar(
    seconds: np.ndarray, fields: tuple[int, int, int, int, int, float], calendar: str
) -> np.ndarray:
    """Seconds in a model calendar, anchored at the first record's calendar date."""
    finite = seconds[np.isfinite(seconds)]
    if finite.size == 0:
        return seconds
    year, month, day, hour, minute, second = fields
    try:
        reference = cftime.datetime(
            year, month, day, hour, minute, int(second), calendar=calendar
        )
    except ValueError as exc:
        raise TimeUnitsError(f"impossible reference date in calendar {calendar!r}: {exc}") from exc
    first_seconds = float(finite.min())
    try:
        first = reference + timedelta(seconds=first_seconds)
    except (OverflowError, ValueError) as exc:  # beyond cftime's years
        raise TimeRangeError(
            f"puts its first record {first_seconds:.4g} s from {reference} ({calendar}), "
            "outside the years 1 to 9999"
        ) from exc
    anchor = _real_datetime(first.year, first.month, first.day, first.hour, first.minute,
                            first.second + first.microsecond * 1e-6, clamp=True)
    return (anchor - _EPOCH).total_seconds() + (seconds - first_seconds)
