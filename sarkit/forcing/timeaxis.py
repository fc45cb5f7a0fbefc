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
from datetime import UTC, datetime, timedelta

import cftime
import numpy as np

__all__ = ["decode_time", "format_time", "parse_time"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

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
_DATE = re.compile(
    r"^(-?\d{1,4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]+(\d{1,2})(?::(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?)?)?"
    r"\s*(.*)$"
)
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


class TimeUnitsError(ValueError):
    """The time units or calendar cannot be decoded; the message says why."""


def _parse_zone(text: str) -> float:
    """Offset of a time-zone suffix from UTC, in seconds (local = UTC + offset)."""
    zone = text.strip()
    if zone.upper() in ("", "Z", "UTC", "GMT", "UT"):
        return 0.0
    match = _OFFSET.match(zone)
    if not match:
        raise TimeUnitsError(f"unrecognised time zone {zone!r} after the reference date")
    sign, hours, minutes = match.groups()
    offset = int(hours) * 3600 + int(minutes or 0) * 60
    if int(hours) > 14 or int(minutes or 0) >= 60:
        raise TimeUnitsError(f"impossible time-zone offset {zone!r}")
    return offset if sign == "+" else -offset


def _parse_reference(text: str) -> tuple[tuple[int, int, int, int, int, float], float]:
    """Split ``1970-01-01 00:00:00 +00:00`` into date fields and a UTC offset (s)."""
    match = _DATE.match(text.strip())
    if not match:
        raise TimeUnitsError(f"cannot read the reference date {text!r}")
    year, month, day, hour, minute, second, zone = match.groups()
    fields = (
        int(year),
        int(month),
        int(day),
        int(hour or 0),
        int(minute or 0),
        float(second or 0.0),
    )
    return fields, _parse_zone(zone)


def _real_datetime(
    year: int, month: int, day: int, hour: int, minute: int, second: float, *, clamp=False
):
    """A timezone-aware UTC datetime; with ``clamp``, a day past the month's end is moved to it.

    Only a model calendar's date (a 360-day Feb 30) is clamped; an impossible
    date in real-calendar units or typed by a user is refused.
    """
    for last_day in (day, 31, 30, 29, 28) if clamp else (day,):
        if last_day > day:
            continue
        try:
            return datetime(year, month, last_day, hour, minute, tzinfo=UTC) + timedelta(
                seconds=second
            )
        except ValueError:
            continue
    raise TimeUnitsError(f"impossible date {year:04d}-{month:02d}-{day:02d}")


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
        message says which part.
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
    if calendar_name in _STANDARD_CALENDARS:
        start = _real_datetime(*fields)
        return (start - _EPOCH).total_seconds() - zone_offset + values * factor
    if calendar_name not in _OTHER_CALENDARS:
        raise TimeUnitsError(f"unknown calendar {calendar!r}")
    return _decode_model_calendar(values * factor, fields, calendar_name) - zone_offset


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
    first = reference + timedelta(seconds=first_seconds)
    anchor = _real_datetime(first.year, first.month, first.day, first.hour, first.minute,
                            first.second + first.microsecond * 1e-6, clamp=True)
    return (anchor - _EPOCH).total_seconds() + (seconds - first_seconds)


def parse_time(text: str | np.datetime64 | datetime) -> float:
    """Read a user's time (ISO 8601, UTC unless a zone is given) as epoch seconds.

    Parameters
    ----------
    text : str, numpy.datetime64 or datetime.datetime
        ``"2024-03-20T06:00Z"``, ``"2024-03-20 06:00"``, ``"2024-03-20T13:00+07:00"``;
        a naive datetime is taken as UTC.

    Returns
    -------
    float
        Seconds since 1970-01-01 00:00 UTC.

    Raises
    ------
    ValueError
        If the text is not a date and time.
    """
    if isinstance(text, np.datetime64):
        return float(text.astype("datetime64[ms]").astype(np.int64)) / 1000.0
    if isinstance(text, datetime):
        moment = text if text.tzinfo else text.replace(tzinfo=UTC)
        return (moment - _EPOCH).total_seconds()
    try:
        fields, offset = _parse_reference(str(text))
        return (_real_datetime(*fields) - _EPOCH).total_seconds() - offset
    except TimeUnitsError as exc:
        raise ValueError(
            f"not a date and time: {text!r} ({exc}); write it as 2024-03-20T06:00Z"
        ) from exc


def format_time(seconds: float) -> str:
    """Epoch seconds as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC)."""
    if not np.isfinite(seconds):
        return "NaT"
    moment = _EPOCH + timedelta(seconds=float(seconds))
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )
