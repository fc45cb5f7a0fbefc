"""Times as sarkit holds them: float seconds since 1970-01-01 00:00 UTC ("epoch seconds").

One place for reading a user's time (:func:`parse_time`: ISO 8601, UTC unless a zone is
given) and writing one (:func:`format_time`: ``YYYY-MM-DDTHH:MM:SSZ``), and for the date
splitting the CF time axes use (:func:`split_datetime`, :func:`utc_datetime`,
:mod:`sarkit.forcing.timeaxis`).

A time a person reads is written in UTC with the local time beside it, to the minute:
:func:`utc_and_local` (``2024-06-11T03:00Z (11:00 local (UTC+08:00 Asia/Kuala_Lumpur))``),
:func:`span_and_local` for a span, :func:`local_time` and :func:`local_parts` for the local
part alone (a table's column). The zone is the responsible centre's
(:func:`sarkit.planning.regions.area_time_zone`); without one, the nautical zone time of the
longitude.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import numpy as np

__all__ = ["EPOCH", "DateTextError", "format_time", "local_parts", "local_time", "parse_time",
           "span_and_local", "split_datetime", "utc_and_local", "utc_datetime"]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""Time zero of epoch seconds."""

_DATE = re.compile(
    r"^(-?\d{1,4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]+(\d{1,2})(?::(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?)?)?"
    r"\s*(.*)$"
)
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


class DateTextError(ValueError):
    """A date and time (or its time zone) cannot be read; the message says which part."""


def _zone_offset(text: str) -> float:
    """Offset of a time-zone suffix from UTC, in seconds (local = UTC + offset)."""
    zone = text.strip()
    if zone.upper() in ("", "Z", "UTC", "GMT", "UT"):
        return 0.0
    match = _OFFSET.match(zone)
    if not match:
        raise DateTextError(f"unrecognised time zone {zone!r} after the reference date")
    sign, hours, minutes = match.groups()
    offset = int(hours) * 3600 + int(minutes or 0) * 60
    if int(hours) > 14 or int(minutes or 0) >= 60:
        raise DateTextError(f"impossible time-zone offset {zone!r}")
    return offset if sign == "+" else -offset


def split_datetime(text: str) -> tuple[tuple[int, int, int, int, int, float], float]:
    """Split ``1970-01-01 00:00:00 +00:00`` into date fields and a UTC offset (s)."""
    match = _DATE.match(text.strip())
    if not match:
        raise DateTextError(f"cannot read the reference date {text!r}")
    year, month, day, hour, minute, second, zone = match.groups()
    fields = (
        int(year),
        int(month),
        int(day),
        int(hour or 0),
        int(minute or 0),
        float(second or 0.0),
    )
    return fields, _zone_offset(zone)


def utc_datetime(
    year: int, month: int, day: int, hour: int, minute: int, second: float, *, clamp: bool = False
) -> datetime:
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
    raise DateTextError(f"impossible date {year:04d}-{month:02d}-{day:02d}")


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
        return (moment - EPOCH).total_seconds()
    try:
        fields, offset = split_datetime(str(text))
        return (utc_datetime(*fields) - EPOCH).total_seconds() - offset
    except DateTextError as exc:
        raise ValueError(
            f"not a date and time: {text!r} ({exc}); write it as 2024-03-20T06:00Z"
        ) from exc


def format_time(seconds: float) -> str:
    """Epoch seconds as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC)."""
    if not np.isfinite(seconds):
        return "NaT"
    moment = EPOCH + timedelta(seconds=float(seconds))
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )


def local_time(seconds: float, zone: str | None = None, lon: float | None = None) -> str:
    """The local time a person reads beside UTC.

    Parameters
    ----------
    seconds : float
        Epoch seconds (UTC).
    zone : str, optional
        An IANA time zone (``"Asia/Bangkok"``): the responsible centre's.
    lon : float, optional
        Without a zone, the nautical zone time of this longitude (UTC + round(lon / 15) h).

    Returns
    -------
    str
        ``"16:00 local (UTC+07:00 Asia/Bangkok)"``, ``"16:00 zone time (UTC+7, by
        longitude)"``, or ``""`` with neither a zone nor a longitude (or a time that is not
        finite).
    """
    parts = local_parts(seconds, zone, lon)
    return "" if parts is None else f"{parts[0]} {parts[1]}"


def utc_and_local(seconds: float, zone: str | None = None, lon: float | None = None) -> str:
    """A time as a person reads it: UTC, then the local time beside it.

    Parameters
    ----------
    seconds : float
        Epoch seconds (UTC).
    zone, lon
        As :func:`local_time`: the responsible centre's IANA zone, or a longitude's zone time.

    Returns
    -------
    str
        ``"2024-06-11T03:00Z (11:00 local (UTC+08:00 Asia/Kuala_Lumpur))"``, to the minute
        (rounded); the UTC alone where no local time is known.
    """
    if not np.isfinite(seconds):
        return "NaT"
    seconds = 60.0 * round(float(seconds) / 60.0)  # the minute local_parts gives
    local = local_time(seconds, zone, lon)
    utc = format_time(seconds)[:16] + "Z"
    return f"{utc} ({local})" if local else utc


def span_and_local(start: float, end: float, zone: str | None = None,
                   lon: float | None = None) -> str:
    """A span of time as a person reads it: UTC, then the local times beside it.

    Returns
    -------
    str
        ``"2024-06-11T00:00Z .. 2024-06-11T06:00Z (08:00 .. 14:00 local (UTC+08:00
        Asia/Kuala_Lumpur))"``; the UTC alone where no local time is known.
    """
    utc = f"{utc_and_local(start)} .. {utc_and_local(end)}"
    first, last = local_parts(start, zone, lon), local_parts(end, zone, lon)
    if first is None or last is None:
        return utc
    if first[1] == last[1]:
        return f"{utc} ({first[0]} .. {last[0]} {last[1]})"
    return f"{utc} ({first[0]} {first[1]} .. {last[0]} {last[1]})"


def local_parts(seconds: float, zone: str | None = None, lon: float | None = None
                ) -> tuple[str, str] | None:
    """:func:`local_time` in its two parts, for a table: the clock (``"16:00"``, ``"06:00 13
    Jun"`` on another day than UTC's) and what it is (``"local (UTC+07:00 Asia/Bangkok)"``,
    ``"zone time (UTC+7, by longitude)"``); None where no local time is known."""
    if not np.isfinite(seconds):
        return None
    moment = EPOCH + timedelta(minutes=round(float(seconds) / 60.0))  # to the nearest minute
    if zone:
        from zoneinfo import ZoneInfo

        here = moment.astimezone(ZoneInfo(zone))
        offset = here.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        hours, rest = divmod(abs(minutes), 60)
        day = "" if here.date() == moment.date() else f" {here.day:02d} {here:%b}"
        return f"{here:%H:%M}{day}", f"local (UTC{sign}{hours:02d}:{rest:02d} {zone})"
    if lon is None or not np.isfinite(lon):
        return None
    hours = round((((float(lon) + 180.0) % 360.0) - 180.0) / 15.0)
    here = moment + timedelta(hours=hours)
    day = "" if here.date() == moment.date() else f" {here.day:02d} {here:%b}"
    return f"{here:%H:%M}{day}", f"zone time (UTC{hours:+d}, by longitude)"
