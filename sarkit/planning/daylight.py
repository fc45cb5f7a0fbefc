"""Daylight at a search area: when a visual search can be flown.

The sweep widths sarkit plans with are those of a visual search, which needs daylight. The
day is taken from civil dawn to civil dusk (the sun :data:`TWILIGHT_DEPRESSION` degrees below
the horizon; a sarkit choice, stated here: at civil twilight the horizon and a boat are still
seen, at nautical twilight they are not), computed at the datum with the sun's position
(`astral <https://github.com/sffjunkie/astral>`_). :func:`daylight_window` gives the part of a
search window that is daylight; the plan searches only then and says so.

IAMSAR's sweep-width tables are for visual search: an asset searches in the dark only where
its roster gives a night sensor (radar, FLIR) and its sweep width for the object
(``night_sensor``, ``night_sweep_width_nm``; :func:`sarkit.planning.plan.search_time`). The
catalogue names sensors (``sensor`` column) but gives no night sweep widths.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from astral import Observer
from astral.sun import dawn, dusk, elevation

from sarkit.positions import format_position
from sarkit.times import span_and_local

__all__ = ["TWILIGHT_DEPRESSION", "Daylight", "daylight_intervals", "daylight_window"]

TWILIGHT_DEPRESSION = 6.0
"""Degrees of the sun below the horizon at dawn and dusk: civil twilight."""


@dataclass(frozen=True)
class Daylight:
    """The daylight part of a search window at the datum.

    Attributes
    ----------
    start, end : float
        The search window asked for, epoch seconds UTC.
    usable : tuple of (float, float) or None
        The part of it that is daylight (the longest stretch, where a window spans a night),
        or None where it is all night.
    intervals : tuple of (float, float)
        Each daylight stretch (civil dawn, civil dusk) that overlaps the window.
    lon, lat : float
        Where the sun was computed (the datum), degrees.
    """

    start: float
    end: float
    usable: tuple[float, float] | None
    intervals: tuple[tuple[float, float], ...]
    lon: float
    lat: float

    @property
    def hours(self) -> float:
        """Hours of the window usable for a visual search."""
        return 0.0 if self.usable is None else (self.usable[1] - self.usable[0]) / 3600.0

    def text(self, zone: str | None = None) -> str:
        """One line: the daylight at the datum and what the plan used, in UTC with the local
        time of ``zone`` (an IANA zone: the responsible centre's; without it, the zone time of
        the datum's longitude) beside it."""
        where = format_position(self.lon, self.lat)
        days = ", ".join(span_and_local(a, b, zone, self.lon) for a, b in self.intervals)
        days = days or "none in the window"
        if self.usable is None:
            return (f"daylight (civil twilight) at the datum {where}: {days}; the window is "
                    "all night: no visual search")
        if self.usable == (self.start, self.end):
            return f"daylight (civil twilight) at the datum {where}: {days}; the whole window"
        used = span_and_local(*self.usable, zone, self.lon)
        return (f"daylight (civil twilight) at the datum {where}: {days}; visual search only "
                f"{used} ({self.hours:.1f} h of the window)")


def _events(lon: float, lat: float, start: float, end: float) -> list[tuple[float, int]]:
    """Civil dawns (+1) and dusks (-1) around ``start .. end``, epoch seconds, in order."""
    observer = Observer(latitude=lat, longitude=lon)
    first = dt.datetime.fromtimestamp(start, dt.UTC).date() - dt.timedelta(days=2)
    days = int((end - start) // 86400) + 5
    events = []
    for k in range(days):
        day = first + dt.timedelta(days=k)
        for kind, event in ((1, dawn), (-1, dusk)):
            try:
                moment = event(observer, day, depression=TWILIGHT_DEPRESSION, tzinfo=dt.UTC)
            except ValueError:  # the sun does not cross the twilight line that day
                continue
            events.append((moment.timestamp(), kind))
    return sorted(set(events))


def daylight_intervals(lon: float, lat: float, start: float, end: float
                       ) -> tuple[tuple[float, float], ...]:
    """The daylight stretches (civil dawn to civil dusk) overlapping ``start .. end``.

    Parameters
    ----------
    lon, lat : float
        Where, degrees.
    start, end : float
        When, epoch seconds UTC.

    Returns
    -------
    tuple of (float, float)
        Each stretch clipped to ``start .. end``, in order. A day the sun stays above the
        twilight line (polar summer) is all daylight; one it stays below, none.
    """
    observer = Observer(latitude=lat, longitude=lon)

    def light_at(t: float) -> bool:
        moment = dt.datetime.fromtimestamp(t, dt.UTC)
        return elevation(observer, moment) > -TWILIGHT_DEPRESSION

    stretches = []
    opened = start if light_at(start) else None
    for moment, kind in _events(lon, lat, start, end):
        if not start < moment < end:
            continue
        if kind > 0 and opened is None:
            opened = moment
        elif kind < 0 and opened is not None:
            stretches.append((opened, moment))
            opened = None
    if opened is not None:
        stretches.append((opened, end))
    return tuple(stretches)


def daylight_window(start: float, end: float, lon: float, lat: float) -> Daylight:
    """The daylight part of the search window ``start .. end`` at ``(lon, lat)``.

    Parameters
    ----------
    start, end : float
        The search window, epoch seconds UTC.
    lon, lat : float
        The datum, degrees.

    Returns
    -------
    Daylight
        ``usable`` the longest daylight stretch in the window (None where there is none).
    """
    stretches = daylight_intervals(lon, lat, start, end)
    usable = max(stretches, key=lambda s: s[1] - s[0]) if stretches else None
    return Daylight(float(start), float(end), usable, stretches, float(lon), float(lat))
