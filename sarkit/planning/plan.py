"""A search plan from a drift result, the assets on hand, a search window and the weather.

:func:`plan_search` ties :func:`sarkit.planning.allocate` to real assets:

1. **POC at mid-search.** The target keeps drifting, so the POC used is the one at the output
   time nearest to the middle of the search window (:func:`sarkit.poc.poc_grid`). The window
   must lie inside the drift run.
2. **Time on scene.** Each aircraft flies the great circle, each ship steams its shortest
   route at sea around land, from its base to the datum of that POC
   (:func:`sarkit.planning.transit`, WGS84, at its cruise speed). It leaves its base at
   its ready time, or later if it is ready so early that it would arrive before the window
   opens (``departure = max(ready, window start - transit)``). It searches from ``max(arrival,
   window start)`` until ``min(window end, departure + endurance - transit)``: it must keep the
   transit home out of its endurance. With a wide window the time on scene is therefore
   ``endurance - 2 x transit``. A visual search counts only the daylight part of the window
   at the datum (civil dawn to dusk, :func:`sarkit.planning.daylight.daylight_window`; the
   longest stretch where the window spans a night); an asset with a night sensor in the
   roster searches the whole window with its night sweep width where dark
   (:func:`search_time`). A window all at night with no such asset is refused.
3. **Sweep width.** The scenario's leeway class is mapped to a sweep-width search object by
   :data:`SWEEP_OBJECTS` (:func:`sweep_object_for`; a plan can name its own object instead),
   and each asset's corrected sweep width comes from the tables by its platform, search height
   (altitude, or eye height for a vessel) and the weather: visibility, wind, seas, fatigue and,
   for aircraft, the search speed (:func:`sarkit.planning.corrected_sweep_width`). The search
   speed and height come from the asset or its catalogue type; where neither has one the
   roster must give it (the error names the asset and the key).
4. **Rectangles.** :func:`sarkit.planning.allocate` gives each asset with time on scene a
   rectangle along the drift axis; the plan reports each one's POD and POS, the total and the
   gap to the optimal-effort bound.
5. **The pattern flown.** :func:`sarkit.planning.choose.choose_pattern` picks an expanding
   square, a creeping line or a parallel sweep from where the probability lies in the
   rectangle, and fits it to the time on scene (a whole number of legs; where rounding up
   makes the track too long, the spacing is widened one leg at a time). The figures reported
   are those of the track flown (:func:`sarkit.planning.choose.coverage_as_flown`): the
   coverage ``C = W L / A`` of the track inside the rectangle; the POS, the POC within half a
   sweep width of the track times ``1 - exp(-C_r)`` there (the part the legs do not reach is
   unsearched); the POD, POS over the rectangle's POC. The total is their sum, never above
   the bound.

Nothing is dropped silently: every asset is either in :attr:`SearchPlan.assignments` or in
:attr:`SearchPlan.left_out` with the reason ("cannot reach the area within its endurance",
"ready after the search window ends", no sweep width for this object from its platform, no
free rectangle ...). Bad input (no assets, a window outside the run, an unknown search
object, a missing figure, a negative speed) raises a :class:`~sarkit.errors.SarkitError`
that says what to fix.

Rules that are sarkit choices, not source facts: the transit is computed to the datum, not to
each asset's commence search point (a few NM at most inside the search area); the mapping of
leeway classes to sweep-width objects (:data:`SWEEP_OBJECTS`) errs on the small side, which
understates POD rather than overstating it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import shapely
import xarray as xr

from sarkit.drift.coast import land_mask
from sarkit.errors import BadValueError, SarkitError, checked_number
from sarkit.geodesy import WGS84
from sarkit.planning.allocate import Allocation, Assignment, SearchUnit, allocate
from sarkit.planning.assets import Asset, Transit, transit
from sarkit.planning.choose import choose_pattern, class_coverage_as_flown, coverage_as_flown
from sarkit.planning.daylight import Daylight, daylight_intervals, daylight_window
from sarkit.planning.patterns import Pattern
from sarkit.planning.regions import area_time_zone
from sarkit.planning.sweep import (
    SOURCES,
    SweepWidth,
    UnknownSweepWidthError,
    available_objects,
    corrected_sweep_width,
    object_label,
    weather_object_class,
)
from sarkit.poc.grid import PocGrid, poc_grid
from sarkit.positions import format_position
from sarkit.times import (
    format_time,
    local_parts,
    parse_time,
    span_and_local,
    utc_and_local,
)
from sarkit.units import NAUTICAL_MILE

__all__ = [
    "LEG_SLACK",
    "MAX_SEAS_M",
    "MAX_VISIBILITY_NM",
    "MAX_WIND_KT",
    "SWEEP_OBJECTS",
    "TABLE_COLUMNS",
    "AssetSearch",
    "ClassSearch",
    "LeftOutAsset",
    "OnScene",
    "PlanError",
    "SearchPlan",
    "SearchWindow",
    "Weather",
    "asset_sweep_width",
    "class_search_objects",
    "on_scene",
    "plan_search",
    "search_time",
    "sweep_object_for",
    "sweep_object_for_drift",
]

SWEEP_OBJECTS = MappingProxyType({
    "PIW-": "person_in_water",
    "LIFE-RAFT-DB-18": "raft_25p",
    "LIFE-RAFT-DB-19": "raft_25p",
    "LIFE-RAFT-DB-20": "raft_25p",
    "LIFE-RAFT-": "raft_4p",
    "OVATEK-CRAFT-": "raft_4p",
    "LIFE-CAPSULE": "raft_4p",
    "REFUGEE-RAFT-": "raft_6p",
    "PERSON-POWERED-VESSEL-": "person_in_water",
    "SKIFF-": "power_boat_le15ft",
    "SPORT-BOAT": "power_boat_20ft",
    "SPORT-FISHER": "power_boat_33ft",
    "FISHING-VESSEL-": "power_boat_33ft",
    "SAILBOAT-": "sail_boat_30ft",
    "COASTAL-FREIGHTER": "ship_120ft",
})
"""Leeway class id (or id prefix; the longest match wins) -> sweep-width search object (USCG).

A sarkit choice, on the small side: a fishing vessel of any size is searched for as a 33 ft
(10 m) power boat, the small end of the region's migrant fishing boats (8 m "moon boats",
15-18 m trawlers: a Reuters graphic, via Kaler Kantho, 2017-11-03), so a larger boat is
detected at least as well as planned; a kayak or surf board with a person as a person in
water; a life raft as a 4-person raft (15-50-person deep-ballast rafts as 25-person). Classes
not listed (debris, containers ...) need an explicit object in the plan.
"""

TABLE_COLUMNS = (
    "asset", "rcc", "platform", "pattern", "start_time", "end_time", "search_h",
    "transit_nm", "sweep_width_nm", "search_speed_kt", "track_spacing_nm", "area_nm2",
    "coverage", "pod", "poc", "pos",
)
"""Columns of :meth:`SearchPlan.rows` (and of ``plan.csv``)."""


class PlanError(SarkitError, ValueError):
    """A search plan that cannot be made from what was given."""


# --- inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchWindow:
    """When the search may take place, epoch seconds UTC (``start < end``).

    Use :meth:`from_iso` for ISO 8601 text.
    """

    start: float
    end: float

    def __post_init__(self) -> None:
        start = checked_number(self.start, "search window start")
        end = checked_number(self.end, "search window end")
        if not end > start:
            raise BadValueError(
                f"the search window ends ({format_time(end)}) before it starts "
                f"({format_time(start)})", "give an end time after the start time",
                "search window")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @classmethod
    def from_iso(cls, start: object, end: object) -> SearchWindow:
        """A window from two times (ISO 8601 text, datetime, datetime64; UTC unless zoned)."""
        times = []
        for which, value in (("start", start), ("end", end)):
            try:
                times.append(parse_time(value))  # type: ignore[arg-type]
            except (TypeError, ValueError) as exc:
                raise BadValueError(f"search window {which} {value!r} is not a date and time",
                                    "give ISO 8601 UTC, e.g. 2024-06-11T00:00Z",
                                    "search window") from exc
        return cls(times[0], times[1])

    @property
    def mid(self) -> float:
        """The middle of the window, epoch seconds."""
        return 0.5 * (self.start + self.end)

    @property
    def hours(self) -> float:
        """Length of the window, h."""
        return (self.end - self.start) / 3600.0

    def __str__(self) -> str:
        return f"{format_time(self.start)} .. {format_time(self.end)}"


# The physical maxima of the weather on scene: beyond them a value is a typo or the wrong unit
# (km/h for kt, feet for m), not weather. They are the one range of Weather and of the plan-
# and case-file readers (sarkit.files.planfile reads [weather] with them as `high`).
LEG_SLACK = 0.01
"""Share of its time by which a search may overrun the time left (the window, daylight, an
aircraft's endurance): the legs are sized on the plane and flown on the ellipsoid, and a single
leg cannot be shortened."""

MIN_ON_SCENE_H = 0.5
"""Least time on scene an asset is sent for (h): a shorter search finds next to nothing for
the transit it costs (sarkit's stated default, not a figure from IAMSAR)."""

MAX_WIND_KT = 200.0
"""Wind on scene, kt: the strongest sustained surface winds ever estimated (hurricane Patricia,
2015, about 185 kt over one minute) stay below it; hurricane force (Beaufort 12) is 64 kt."""
MAX_SEAS_M = 20.0
"""Sea height (significant wave height), m: the highest measured, the WMO record of 19.0 m
(buoy, North Atlantic, February 2013), stays below it."""
MAX_VISIBILITY_NM = 100.0
"""Meteorological visibility, NM: above the largest a weather report gives (SYNOP code 89,
more than 70 km, 38 NM) and the largest column of any sweep-width table (which saturate)."""


@dataclass(frozen=True)
class Weather:
    """On-scene conditions that the sweep-width corrections need.

    Attributes
    ----------
    visibility_nm : float
        Meteorological visibility, NM (> 0, at most :data:`MAX_VISIBILITY_NM`).
    wind_kt : float
        Wind speed on scene, kt (>= 0, at most :data:`MAX_WIND_KT`).
    seas_m : float
        Sea height, m (>= 0, at most :data:`MAX_SEAS_M`).
    fatigued : bool
        Whether the crews are excessively fatigued (fatigue factor 0.9).
    """

    visibility_nm: float
    wind_kt: float = 0.0
    seas_m: float = 0.0
    fatigued: bool = False

    def __post_init__(self) -> None:
        for name, maximum, strict, why in (
                ("visibility_nm", MAX_VISIBILITY_NM, True, "NM (no weather report gives more "
                 "than 38 NM)"),
                ("wind_kt", MAX_WIND_KT, False, "kt (the strongest winds measured at sea are "
                 "about 185 kt); a speed in km/h or m/s is to be converted to kt"),
                ("seas_m", MAX_SEAS_M, False, "m (the highest seas measured are 19 m); a "
                 "height in feet is to be converted to m")):
            low = ">" if strict else ">="
            value = checked_number(getattr(self, name), name, minimum=0.0, maximum=maximum,
                                   strict=strict, fix=f"give {name} {low} 0 and <= "
                                   f"{maximum:g} {why}")
            object.__setattr__(self, name, value)
        if not isinstance(self.fatigued, bool):
            raise BadValueError(f"fatigued = {self.fatigued!r} is not true or false",
                                "give fatigued = true or false", "fatigued")


def sweep_object_for(leeway_class: str) -> str:
    """The sweep-width search object (USCG key) for a leeway class id, from :data:`SWEEP_OBJECTS`.

    Raises
    ------
    UnknownSweepWidthError
        For a class with no entry; the message says how to name the object in the plan.
    """
    key = str(leeway_class).strip().upper()
    matches = [prefix for prefix in SWEEP_OBJECTS
               if key == prefix or (prefix.endswith("-") and key.startswith(prefix))]
    if not matches:
        raise UnknownSweepWidthError(
            f"sarkit has no sweep-width search object for the leeway class {leeway_class!r}",
            "name one in the plan ([sweep_width] object = ..., e.g. \"power_boat_33ft\"); "
            "`python -c \"import sarkit.planning.sweep as s; print(s.available_objects("
            "'vessel', 14))\"` lists a table's objects")
    return SWEEP_OBJECTS[max(matches, key=len)]


# --- time on scene ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OnScene:
    """When an asset can search in a window, after its transit from base (see the module notes).

    Attributes
    ----------
    asset : Asset
    transit : Transit
        Base to the search point (great circle, or a ship's route at sea).
    departure : float
        When it leaves its base, epoch seconds.
    start, end : float
        When it can search, epoch seconds (``end <= start`` where it cannot).
    reason : str
        Why it cannot search in the window, or ``""``.
    """

    asset: Asset
    transit: Transit
    departure: float
    start: float
    end: float
    reason: str

    @property
    def available(self) -> bool:
        """Whether it has time on scene in the window."""
        return not self.reason

    @property
    def hours(self) -> float:
        """Time on scene in the window, h (0 where it has none)."""
        return max(self.end - self.start, 0.0) / 3600.0


def on_scene(asset: Asset, lon: float, lat: float, window: SearchWindow) -> OnScene:
    """The time ``asset`` can search at ``(lon, lat)`` inside ``window``.

    Parameters
    ----------
    asset : Asset
        Its ready time, transit and endurance are used.
    lon, lat : float
        The search point (the datum at mid-search), degrees.
    window : SearchWindow
        When the search may take place.

    Returns
    -------
    OnScene
        With a reason where the asset cannot search in the window.

    Raises
    ------
    BadValueError
        Where the asset has no cruise speed or endurance (neither its own nor its type's).
    """
    trip = transit(asset, lon, lat)
    transit_s = trip.transit_h * 3600.0
    departure = max(float(asset.ready), window.start - transit_s)
    start = max(departure + transit_s, window.start)
    latest = departure + (asset.endurance - trip.transit_h) * 3600.0
    end = min(window.end, latest)
    reason = ""
    if not trip.reachable:
        reason = f"cannot reach the area within its endurance: {trip.reason}"
    elif float(asset.ready) >= window.end:
        reason = (f"ready after the search window ends (ready {format_time(asset.ready)}, "
                  f"window ends {format_time(window.end)})")
    elif start >= window.end:
        reason = (f"arrives after the search window ends: ready {format_time(asset.ready)}, "
                  f"{trip.distance_nm:.0f} NM at {asset.cruise:g} kt takes "
                  f"{trip.transit_h:.1f} h, on scene {format_time(start)}")
    elif end <= start:
        reason = "has no time left on scene inside the window after its transit"
    elif end - start < MIN_ON_SCENE_H * 3600.0:
        reason = (f"would search only {(end - start) / 60.0:.0f} min in the window "
                  f"({format_time(start)} to {format_time(end)}): a sortie is sent for at "
                  f"least {MIN_ON_SCENE_H * 60:.0f} min on scene")
    return OnScene(asset, trip, departure, start, end, reason)


# --- the plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassSearch:
    """What one asset's search achieves for one object class, where the object may have
    changed class on the way (object transitions: a boat, or persons in the water).

    Attributes
    ----------
    object_class : str
        The leeway class id (``"PIW-1"``).
    search_object : str
        Its sweep-width search object (:data:`SWEEP_OBJECTS`, ``"person_in_water"``).
    sweep_width_nm : float
        The asset's corrected sweep width for it (NM).
    poc : float
        POC of the object being of this class in the rectangle (the classes' add up to the
        rectangle's).
    pod : float
        POD of this class over the rectangle with its sweep width: ``pos / poc`` (the part
        the track does not reach counts as unsearched, as for :attr:`AssetSearch.pod`).
    pos : float
        ``poc * pod``: this class's probability found.
    """

    object_class: str
    search_object: str
    sweep_width_nm: float
    poc: float
    pod: float
    pos: float


@dataclass(frozen=True)
class AssetSearch:
    """One asset's part of the plan: rectangle, pattern, times and what it achieves.

    Attributes
    ----------
    asset : Asset
    rcc : str or None
        Id of its base rescue centre (None where the roster gave a base position).
    sweep_width : SweepWidth
        The corrected sweep width and the factors that made it.
    on_scene : OnScene
        Transit and time available.
    assignment : Assignment
        The rectangle from :func:`~sarkit.planning.allocate` and its coverage, POD and POS.
    pattern : Pattern
        The parallel sweep over the rectangle, with waypoints.
    start, end : float
        When it searches, epoch seconds: from its time on scene for the pattern's track
        length at the search speed.
    coverage : float
        Coverage of the rectangle by the track flown, :math:`C = W L / A` (``L`` the track
        inside the rectangle; :func:`sarkit.planning.choose.coverage_as_flown`).
    pod : float
        POD over the rectangle: ``pos / poc``, the probability of detection given the object
        is in the rectangle (the part the track does not reach counts as unsearched).
    pos : float
        POS of the search: the POC of the part the track reaches times the POD there.
    reached : float
        Share of the rectangle's sea the track reaches (within half a track spacing).
    sea_share : float
        Share of the rectangle at sea (coverage and POD count the sea only).
    track_over_land_nm : float
        Length of the track over land, NM: a ship cannot steam it (the table warns).
    by_class : tuple of ClassSearch
        Where the object may have changed class on the way (the POC's ``class_poc``): each
        class's POC, POD and POS with the asset's sweep width for that class; ``pos`` is
        then their sum and ``pod`` ``pos / poc``. Empty for one class.
    """

    asset: Asset
    rcc: str | None
    sweep_width: SweepWidth
    on_scene: OnScene
    assignment: Assignment
    pattern: Pattern
    start: float
    end: float
    coverage: float
    pod: float
    pos: float
    reached: float = 1.0
    sea_share: float = 1.0
    track_over_land_nm: float = 0.0
    by_class: tuple[ClassSearch, ...] = ()

    @property
    def name(self) -> str:
        """The asset's name."""
        return self.asset.name

    @property
    def part(self) -> int:
        """Which of the asset's rectangles this is, in the order searched (1 for the first)."""
        return self.assignment.part

    @property
    def parts(self) -> int:
        """How many rectangles the asset searches one after another in this plan."""
        return self.assignment.parts

    @property
    def label(self) -> str:
        """The asset's name, with ``(part/parts)`` where it searches several rectangles."""
        return self.name if self.parts == 1 else f"{self.name} ({self.part}/{self.parts})"

    @property
    def track_spacing_nm(self) -> float:
        """Track spacing S of the pattern, NM."""
        return self.pattern.track_spacing_nm

    @property
    def poc(self) -> float:
        """POC in the rectangle (at mid-search)."""
        return self.assignment.poc_in_rectangle

    @property
    def polygon(self) -> shapely.Polygon:
        """The rectangle, lon/lat degrees."""
        return self.assignment.polygon


@dataclass(frozen=True)
class LeftOutAsset:
    """An asset that got no part of the plan, and why."""

    asset: Asset
    reason: str


@dataclass(frozen=True, eq=False)
class SearchPlan:
    """A search plan for one window (from :func:`plan_search`).

    Attributes
    ----------
    assignments : tuple of AssetSearch
        Assets with a rectangle, in roster order; an asset that searches several rectangles
        one after another has one entry per rectangle, in the order searched.
    left_out : tuple of LeftOutAsset
        Every other asset, in roster order, with the reason; then any later rectangle of an
        asset that no time was left for after the move to it (rare: the allocation reserves
        that time), with the reason.
    total_pos : float
        Sum of the assignments' POS.
    bound : float
        POS of the optimal continuous allocation of the searching assets' total effort
        over the POC: no plan can exceed it.
    gap : float
        ``1 - total_pos / bound`` (0 when the bound is 0).
    total_effort_nm2 : float
        Effort (sweep width x speed x time on scene) of the assets given to the allocation.
    window : SearchWindow
    weather : Weather
    search_object : str
        The sweep-width search object.
    tables : str
        The sweep-width table set (``"uscg"`` or ``"natsar2023"``).
    poc : PocGrid
        The POC at mid-search that the plan searches.
    name : str
        A title (the case name).
    daylight : Daylight or None
        The daylight at the datum in the window (:func:`sarkit.planning.daylight_window`):
        the assets search only in its usable part.
    spaced_for : str
        Where the object may have changed class: what the tracks are spaced for (the classes'
        widths weighted by their shares, or one class's width, whichever plan finds most);
        empty for one class.
    """

    assignments: tuple[AssetSearch, ...]
    left_out: tuple[LeftOutAsset, ...]
    total_pos: float
    bound: float
    gap: float
    total_effort_nm2: float
    window: SearchWindow
    weather: Weather
    search_object: str
    tables: str
    poc: PocGrid
    name: str = ""
    daylight: Daylight | None = None
    spaced_for: str = ""

    def rows(self) -> list[tuple]:
        """One row per assignment, columns :data:`TABLE_COLUMNS` (times ISO 8601 UTC)."""
        return [(
            item.label, item.rcc or "", item.asset.type.platform, item.pattern.kind,
            format_time(item.start), format_time(item.end),
            round((item.end - item.start) / 3600.0, 2),
            round(item.on_scene.transit.distance_nm, 1),
            round(item.sweep_width.corrected_nm, 3), item.asset.search_speed,
            round(item.track_spacing_nm, 3), round(item.assignment.area_nm2, 1),
            round(item.coverage, 3), round(item.pod, 4), round(item.poc, 4), round(item.pos, 4),
        ) for item in self.assignments]

    def table(self) -> str:
        """The plan as text for the officer: one line per asset, the totals, the left-outs.

        Times are UTC; the LOCAL column and every line beside them give the local time of the
        centre responsible for the datum (:func:`sarkit.planning.regions.area_time_zone`; the
        zone time of the datum's longitude where no centre is known)."""
        zone, lon = self.time_zone(), self.poc.datum_lon
        at = parse_time(np.datetime64(self.poc.valid_time, "ms"))
        label = (local_parts(at, zone, lon) or ("", "not known"))[1]

        def local(seconds: float) -> str:
            return (local_parts(seconds, zone, lon) or ("",))[0]

        head = ("ASSET", "RCC", "PATTERN", "START", "END", "LOCAL", "W NM", "S NM", "AREA NM²",
                "C", "POD", "POC", "POS")
        body = [(
            item.label, item.rcc or "-", item.pattern.kind.replace("_", " "),
            _short(item.start), _short(item.end),
            f"{local(item.start)}-{local(item.end)}",
            f"{item.sweep_width.corrected_nm:.2f}", f"{item.track_spacing_nm:.2f}",
            f"{item.assignment.area_nm2:,.0f}", f"{item.coverage:.2f}", f"{item.pod:.2f}",
            f"{item.poc:.3f}", f"{item.pos:.3f}",
        ) for item in self.assignments]
        widths = [max(len(row[c]) for row in (head, *body)) for c in range(len(head))]
        window = span_and_local(self.window.start, self.window.end, zone, lon)
        lines = [f"{self.name}: search {window}, POC at {utc_and_local(at, zone, lon)}, object "
                 f"{object_label(self.search_object)} ({self.tables} tables), visibility "
                 f"{self.weather.visibility_nm:g} NM, wind {self.weather.wind_kt:g} kt, seas "
                 f"{self.weather.seas_m:g} m"]
        for row in (head, *body):
            lines.append("  ".join(
                cell.ljust(widths[c]) if c < 3 else cell.rjust(widths[c])
                for c, cell in enumerate(row)).rstrip())
        lines.append(f"START and END are UTC; LOCAL is {label}")
        lines.append(f"total POS {self.total_pos:.3f}; bound {self.bound:.3f} (optimal "
                     f"effort); gap {self.gap:.1%}")
        lines.append(self.pos_meaning())
        if self.poc.class_shares:
            lines.append("the object may have changed class: " + ", ".join(
                f"{name} {share:.1%}" for name, share in self.poc.class_shares.items())
                + f" of the probability at sea (W above is for {self.search_object}; the tracks "
                f"are spaced, and C is, for {self.spaced_for or 'the search object'}: of the "
                "spacings tried, the plan that finds most); each class found with its own "
                "sweep width:")
        lines += [f"  {item.label}: " + "; ".join(
            f"{part.object_class} ({part.search_object}) W {part.sweep_width_nm:.2f} NM, "
            f"POC {part.poc:.3f}, POD {part.pod:.2f}, POS {part.pos:.3f}"
            for part in item.by_class) for item in self.assignments if item.by_class]
        if self.daylight is not None:
            lines.append(self.daylight.text(zone))
        lines += [f"{item.label} searches {span_and_local(item.start, item.end, zone, lon)}, "
                  f"partly or all in the dark, with its {item.asset.night_sensor} (sweep width "
                  f"{item.sweep_width.corrected_nm:.2f} NM, the roster's figure)"
                  for item in self.assignments if item.sweep_width.source.startswith("night")]
        lines += [f"warning: {item.label}'s track crosses {item.track_over_land_nm:.1f} NM of "
                  f"land ({1 - item.sea_share:.0%} of its rectangle is land, not counted)"
                  + ("; a ship cannot steam it: move the rectangle seaward"
                     if item.asset.type.platform == "vessel" else "")
                  for item in self.assignments if item.track_over_land_nm >= 0.1]
        for item in self.left_out:
            lines.append(f"left out: {item.asset.name}: {item.reason}")
        return "\n".join(lines)

    def time_zone(self) -> str | None:
        """The IANA time zone of the centre responsible for the datum, or None
        (:func:`sarkit.planning.regions.area_time_zone`): the local time a person reads."""
        return area_time_zone(self.poc.datum_lon, self.poc.datum_lat)

    def pos_meaning(self) -> str:
        """What the POS figures are a share of, in one line: this search's chance of finding
        the object given it is afloat (the POC is of the probability at sea, the rest
        stranded or out of the forcing)."""
        poc = self.poc
        return (f"POS: this search's chance of finding the object if it is afloat (the POC "
                f"holds the {poc.sea_weight:.1%} of the probability at sea; "
                f"{poc.stranded_weight:.1%} stranded, {poc.unaccounted_weight:.1%} out of the "
                "forcing)")

    def __repr__(self) -> str:
        names = ", ".join(item.label for item in self.assignments) or "none"
        return (f"<SearchPlan {self.name!r}: search {self.window}; {len(self.assignments)} "
                f"assets searching ({names}), {len(self.left_out)} left out; total POS "
                f"{self.total_pos:.3f}, bound {self.bound:.3f}, gap {self.gap:.1%}>")

    def _repr_html_(self) -> str:
        from sarkit._html import html_table

        head = ("asset", "rcc", "pattern", "start", "end", "W NM", "S NM", "area NM²", "C",
                "POD", "POC", "POS")
        rows = [(item.label, item.rcc or "-", item.pattern.kind.replace("_", " "),
                 _short(item.start), _short(item.end), f"{item.sweep_width.corrected_nm:.2f}",
                 f"{item.track_spacing_nm:.2f}", f"{item.assignment.area_nm2:,.0f}",
                 f"{item.coverage:.2f}", f"{item.pod:.2f}", f"{item.poc:.3f}",
                 f"{item.pos:.3f}") for item in self.assignments]
        window = span_and_local(self.window.start, self.window.end, self.time_zone(),
                                self.poc.datum_lon)
        notes = [f"search {window}; object {object_label(self.search_object)} "
                 f"({self.tables} tables); "
                 f"visibility {self.weather.visibility_nm:g} NM, wind {self.weather.wind_kt:g} "
                 f"kt, seas {self.weather.seas_m:g} m",
                 f"total POS {self.total_pos:.3f}; bound {self.bound:.3f} (optimal effort); "
                 f"gap {self.gap:.1%}", self.pos_meaning()]
        notes += [f"left out: {item.asset.name}: {item.reason}" for item in self.left_out]
        return html_table(self.name or "search plan", head, rows, notes)

    def to_dataframe(self):
        """The plan table (columns :data:`TABLE_COLUMNS`), one row per assigned asset.

        Returns
        -------
        pandas.DataFrame
        """
        import pandas as pd

        return pd.DataFrame(self.rows(), columns=list(TABLE_COLUMNS))


def _short(seconds: float) -> str:
    """``MM-DD HH:MM`` (UTC), to the nearest minute (as :func:`sarkit.times.utc_and_local`)."""
    text = format_time(60.0 * round(seconds / 60.0))
    return f"{text[5:10]} {text[11:16]}"


def _check_window(trajectories: xr.Dataset, window: SearchWindow) -> None:
    stamps = trajectories["time"].values.astype("datetime64[ns]").astype(np.int64) / 1e9
    first, last = float(stamps.min()), float(stamps.max())
    run = f"{format_time(first)} .. {format_time(last)}"
    if window.start < first - 1e-6:
        raise PlanError(
            f"the search window {window} starts before the drift run ({run})",
            "search inside the run: start the window at or after the run's start",
            "search window")
    if window.end > last + 1e-6:
        raise PlanError(
            f"the search window {window} ends after the drift run ({run})",
            "end the window inside the run, or run the drift for longer", "search window")


def sweep_object_for_drift(trajectories: xr.Dataset, search_object: str | None = None) -> str:
    """The sweep-width search object to plan for: the one given (checked), else the drift's.

    Parameters
    ----------
    trajectories : xarray.Dataset
        A drift ensemble with its ``object_class`` (leeway class id per particle).
    search_object : str, optional
        A sweep-width search object named in the plan (``"power_boat_33ft"`` ...); checked
        against the tables and returned as given.

    Returns
    -------
    str
        ``search_object``, else the drift's leeway class mapped by :func:`sweep_object_for`.

    Raises
    ------
    UnknownSweepWidthError
        A given object no table knows (the message lists them), or a leeway class without
        a sweep-width object.
    PlanError
        Trajectories without ``object_class``, or with several leeway classes that map to
        different objects: the plan must name one.
    """
    if search_object is not None:
        weather_object_class(str(search_object))  # refuses a name no table knows, listing all
        return str(search_object)
    if "object_class" not in trajectories:
        raise PlanError("the trajectories do not say what the search object is",
                        "name the sweep-width object in the plan ([sweep_width] object)")
    classes = sorted({str(v) for v in np.unique(trajectories["object_class"].values)})
    objects = {sweep_object_for(c) for c in classes}
    if len(objects) > 1:
        raise PlanError(
            f"the drift has several leeway classes ({', '.join(classes)}) with different "
            f"sweep-width objects ({', '.join(sorted(objects))})",
            "name the one to plan for in the plan ([sweep_width] object)")
    return objects.pop()


def asset_sweep_width(asset: Asset, search_object: str, weather: Weather,
                      tables: str = "uscg") -> SweepWidth | str:
    """An asset's corrected sweep width for a search object, or why it has none.

    Parameters
    ----------
    asset : Asset
        Its platform, search height and search speed (from the roster or its type).
    search_object : str
        Sweep-width search object (:func:`sweep_object_for_drift`).
    weather : Weather
        On-scene visibility, wind, seas and fatigue.
    tables : {"uscg", "natsar2023"}
        Sweep-width table set.

    Returns
    -------
    SweepWidth or str
        The corrected sweep width (:func:`sarkit.planning.corrected_sweep_width`), or, where
        the asset's table has no row for the object, the reason (``"no sweep width for this
        search object: ..."``): the asset is left out of the plan with it.

    Raises
    ------
    UnknownSweepWidthError
        The asset's platform or search height has no table (the message names the asset).
    BadValueError
        The asset lacks a figure the sweep width needs (search height or speed), or its
        search speed is outside the speed-correction table.
    """
    platform, height = asset.type.platform, asset.search_height
    speed = asset.search_speed
    try:
        available_objects(platform, height, tables)
    except SarkitError as exc:
        raise type(exc)(f"asset {asset.name!r}: {exc.problem}", exc.fix) from exc
    try:
        return corrected_sweep_width(
            search_object, platform, height, weather.visibility_nm, wind_kt=weather.wind_kt,
            seas_m=weather.seas_m, search_speed_kt=speed, fatigued=weather.fatigued,
            source=tables)
    except UnknownSweepWidthError as exc:
        return f"no sweep width for this search object: {exc.problem}"
    except SarkitError as exc:
        raise type(exc)(f"asset {asset.name!r}: {exc.problem}", exc.fix) from exc


def plan_search(
    trajectories: xr.Dataset,
    assets: Sequence[Asset],
    window: SearchWindow,
    weather: Weather,
    *,
    search_object: str | None = None,
    tables: str = "uscg",
    cell_nm: float | None = None,
    name: str = "",
) -> SearchPlan:
    """Plan a search: which asset searches which rectangle, when, and with what POS.

    Parameters
    ----------
    trajectories : xarray.Dataset
        A drift ensemble (:meth:`sarkit.scenario.Scenario.run`, or read back with
        :func:`sarkit.files.trajectories.read_trajectories`), with updated ``weight`` after
        earlier searches if any.
    assets : sequence of Asset
        The assets on hand (:func:`sarkit.planning.load_roster`), names unique.
    window : SearchWindow
        When the search may take place; inside the drift run.
    weather : Weather
        On-scene visibility, wind, seas and fatigue.
    search_object : str, optional
        Sweep-width search object (``"power_boat_33ft"``, ``"person in water"`` ...); by default
        the drift's leeway class mapped by :data:`SWEEP_OBJECTS`.
    tables : {"uscg", "natsar2023"}
        Sweep-width table set.
    cell_nm : float, optional
        POC cell size (NM); by default chosen from the spread of the drift.
    name : str
        Title of the plan.

    Returns
    -------
    SearchPlan

    Raises
    ------
    PlanError
        No assets, duplicate names, a window outside the drift run, no asset able to search
        in the window (the message gives each one's reason), or a search object that cannot
        be told.
    UnknownSweepWidthError
        A search object no table knows (the message lists them), or an asset's platform or
        search height without a table.
    BadValueError
        An asset without a figure that the plan needs (cruise or search speed, endurance,
        search height), or a search speed outside the speed-correction table.
    """
    assets = tuple(assets)
    if not assets:
        raise PlanError("no assets were given: there is nobody to search",
                        "list at least one asset in the roster", "assets")
    names = [a.name for a in assets]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise PlanError(f"several assets are named {', '.join(map(repr, duplicates))}",
                        "give each asset its own name", "assets")
    if tables not in SOURCES:
        raise UnknownSweepWidthError(f"unknown sweep-width table set {tables!r}",
                                     f"use one of: {', '.join(SOURCES)}")
    _check_window(trajectories, window)
    obj = sweep_object_for_drift(trajectories, search_object)
    poc = poc_grid(trajectories, np.datetime64(round(window.mid), "s"), cell_nm)
    light = daylight_window(window.start, window.end, poc.datum_lon, poc.datum_lat)
    if light.usable is None and all(a.night_sweep_width_nm is None for a in assets):
        following = daylight_intervals(poc.datum_lon, poc.datum_lat, window.end,
                                       window.end + 86400.0)
        dawn = f" (civil dawn at the datum {format_time(following[0][0])})" if following else ""
        where = format_position(poc.datum_lon, poc.datum_lat, 2)
        raise PlanError(f"the search window {window} is night at the datum {where}: a visual "
                        "search needs daylight", f"move the window into daylight{dawn}, or give "
                        "an asset's night sensor (night_sensor and night_sweep_width_nm in the "
                        "roster)",
                        "window")
    widths, times = {}, {}
    for asset in assets:
        time, width = search_time(asset, poc.datum_lon, poc.datum_lat, window, light,
                                  asset_sweep_width(asset, obj, weather, tables))
        widths[asset.name], times[asset.name] = width, time
    objects = class_search_objects(trajectories, poc, obj, search_object)
    by_class = {asset.name: _class_widths(asset, widths[asset.name], objects, weather, tables)
                for asset in assets}
    reasons = {}
    searching = []
    for asset in assets:
        width, time = widths[asset.name], times[asset.name]
        if isinstance(width, str):
            reasons[asset.name] = width
        elif not time.available:
            reasons[asset.name] = time.reason
        else:
            searching.append(asset)
    if not searching:
        listed = "; ".join(f"{n}: {r}" for n, r in reasons.items())
        raise PlanError(f"no asset can search in the window {window}: {listed}",
                        "add assets that can reach the area in time, or move the window",
                        "assets")
    best = None
    bound = None
    for basis in _spacing_bases(poc, objects):
        units = [SearchUnit(asset.name, _allocated_width(widths[asset.name],
                                                         by_class[asset.name], poc, basis),
                            asset.search_speed, times[asset.name].hours)
                 for asset in searching]
        allocation = allocate(poc, units)
        plan = _plan(allocation, assets, widths, times, reasons, window, weather, obj, tables,
                     poc, name, (objects, by_class))
        bound = allocation.bound if bound is None else bound  # the shares' (a true bound)
        if best is None or plan.total_pos > best.total_pos + 1e-12:
            best = dataclasses.replace(plan, spaced_for=_basis_text(basis, objects))
    assert best is not None and bound is not None
    gap = 1.0 - best.total_pos / bound if bound > 0 else 0.0
    return dataclasses.replace(best, bound=bound, gap=gap, daylight=light)


def _spacing_bases(poc: PocGrid, objects: dict[str, str]) -> list[str | None]:
    """What the allocation may space the tracks for: the search object alone (None) where
    the object keeps its class; else the classes' widths weighted by their shares (``""``),
    then each class's own width (:func:`plan_search` keeps the plan that finds most)."""
    if not objects:
        return [None]
    return ["", *[name for name in poc.class_poc if poc.class_shares.get(name, 0.0) > 0.0]]


def _basis_text(basis: str | None, objects: dict[str, str]) -> str:
    if basis is None:
        return ""
    if basis == "":
        return "the classes' widths weighted by their shares"
    return f"{basis} ({objects[basis]}) alone"


def search_time(asset: Asset, lon: float, lat: float, window: SearchWindow, light: Daylight,
                day_width: SweepWidth | str) -> tuple[OnScene, SweepWidth | str]:
    """When ``asset`` can search at ``(lon, lat)`` in ``window``, and with what sweep width.

    A visual search (every asset without a night sensor) is flown only in the daylight part
    of the window (``light.usable``). An asset with a night sensor (roster ``night_sensor``
    and ``night_sweep_width_nm``) searches the whole window: with its visual sweep width where
    its time on scene is all daylight, its night sweep width where it is all dark, and the
    smaller of the two where it is both (the pattern is then spaced for the worse of them).

    Parameters
    ----------
    asset : Asset
        Its ready time, transit, endurance and night sensor are used.
    lon, lat : float
        The datum, degrees.
    window : SearchWindow
        The search window asked for.
    light : Daylight
        The daylight at the datum in that window (:func:`daylight_window`).
    day_width : SweepWidth or str
        Its visual sweep width (:func:`asset_sweep_width`), or why it has none.

    Returns
    -------
    (OnScene, SweepWidth or str)
        The time on scene (with a reason where it has none) and the sweep width that applies
        (or why there is none).
    """
    if asset.night_sweep_width_nm is None:
        if light.usable is None:
            time = on_scene(asset, lon, lat, window)
            reason = time.reason or ("searches by eye only, and the window is night at the "
                                     "datum (no night sensor in the roster)")
            return dataclasses.replace(time, reason=reason), day_width
        return on_scene(asset, lon, lat, SearchWindow(*light.usable)), day_width
    time = on_scene(asset, lon, lat, window)
    lit = math.fsum(max(0.0, min(b, time.end) - max(a, time.start)) for a, b in light.intervals)
    dark = max(time.end - time.start, 0.0) - lit
    night = SweepWidth(
        search_object=day_width.search_object if not isinstance(day_width, str) else "",
        platform=asset.type.platform, height_ft=None, visibility_nm=math.nan,
        source=f"night sensor ({asset.night_sensor}; the roster's sweep width)",
        uncorrected_nm=float(asset.night_sweep_width_nm), weather_factor=1.0,
        speed_factor=1.0, fatigue_factor=1.0)
    if dark <= 1.0 or (lit > 1.0 and not isinstance(day_width, str)
                       and day_width.corrected_nm <= night.corrected_nm):
        return time, day_width
    return time, night


def _land(assignments) -> shapely.Geometry | None:
    """The land (GSHHG raster, lon/lat) around the rectangles, or None where there are none."""
    if not assignments:
        return None
    west, south, east, north = shapely.union_all([a.polygon for a in assignments]).bounds
    pad = 0.02
    return land_mask((west - pad, max(south - pad, -89.9), east + pad,
                      min(north + pad, 89.9))).polygons()


def _plan(allocation: Allocation, assets, widths, times, reasons, window, weather, obj,
          tables, poc, name, classes=({}, {})) -> SearchPlan:
    objects, class_widths = classes
    placed: dict[str, list[Assignment]] = {}
    for assignment in allocation.assignments:
        placed.setdefault(assignment.unit.name, []).append(assignment)
    land = _land(allocation.assignments)
    reasons = dict(reasons)
    reasons.update({item.unit.name: item.reason for item in allocation.left_out})
    searches, dropped = [], []
    for asset in assets:
        for part in _flown_parts(asset, placed.get(asset.name, ()), times[asset.name], poc):
            if isinstance(part, str):
                dropped.append(LeftOutAsset(asset, part))
                continue
            assignment, pattern, start = part
            flown = coverage_as_flown(pattern, assignment, poc, land)
            rectangle_poc = assignment.poc_in_rectangle
            parts = _class_searches(pattern, assignment, poc, land, objects,
                                    class_widths.get(asset.name, {}))
            found = math.fsum(part.pos for part in parts) if parts else flown.pos
            detect = found / rectangle_poc if rectangle_poc > 0 else flown.pod
            hours = pattern.track_length_nm / asset.search_speed
            searches.append(AssetSearch(
                asset=asset, rcc=asset.centre.id if asset.centre is not None else None,
                sweep_width=widths[asset.name], on_scene=times[asset.name],
                assignment=assignment, pattern=pattern, start=start,
                end=start + hours * 3600.0, coverage=flown.coverage, pod=detect, pos=found,
                reached=flown.reached, sea_share=flown.sea_share,
                track_over_land_nm=flown.track_over_land_nm, by_class=parts))
    left = tuple(LeftOutAsset(a, reasons[a.name]) for a in assets if a.name not in placed)
    total = math.fsum(item.pos for item in searches)
    bound = allocation.bound
    return SearchPlan(
        assignments=tuple(searches), left_out=left + tuple(dropped), total_pos=total,
        bound=bound, gap=1.0 - total / bound if bound > 0 else 0.0,
        total_effort_nm2=allocation.total_effort_nm2, window=window, weather=weather,
        search_object=obj, tables=tables, poc=poc, name=name)


def class_search_objects(trajectories: xr.Dataset, poc: PocGrid, search_object: str,
                         given: str | None = None) -> dict[str, str]:
    """The sweep-width search object of each object class of ``poc.class_poc`` (empty where
    the object keeps its class): the plan's ``search_object`` for the classes the particles
    start as where the plan names one (``given``), else each class mapped by
    :func:`sweep_object_for` (a person in the water: ``"person_in_water"``).

    Raises
    ------
    UnknownSweepWidthError
        A class the object may become with no sweep-width object.
    """
    if not poc.class_poc:
        return {}
    starting = {str(v) for v in np.unique(trajectories["object_class"].values)}
    return {name: search_object if given is not None and name in starting
            else sweep_object_for(name) for name in poc.class_poc}


def _class_widths(asset: Asset, width, objects: dict[str, str], weather: Weather,
                  tables: str) -> dict[str, float]:
    """The asset's corrected sweep width (NM) for each class's search object; a night sensor's
    roster figure serves every class; 0 where its table has no row for the object."""
    if isinstance(width, str) or not objects:
        return {}
    if width.source.startswith("night"):
        return dict.fromkeys(objects, width.corrected_nm)
    out = {}
    for name, search_object in objects.items():
        own = asset_sweep_width(asset, search_object, weather, tables)
        out[name] = 0.0 if isinstance(own, str) else own.corrected_nm
    return out


def _allocated_width(width: SweepWidth, by_class: dict[str, float], poc: PocGrid,
                     basis: str | None = "") -> float:
    """The sweep width the allocation spends an asset's effort with: its width for the search
    object; where the object may have changed class, the classes' widths weighted by their
    shares of the probability (``basis`` ``""``), or one class's own width (``basis`` its
    name).

    The weighted width gives a true bound: by Jensen's inequality a mixture's POS,
    ``sum_c p_c (1 - exp(-W_c e))``, is at most ``1 - exp(-(sum_c p_c W_c) e)`` for any
    effort ``e``; each class's own width may find more on the flown tracks where the classes'
    widths differ widely (a person in the water is hardly seen from an aircraft that can see a
    boat): the plan keeps whichever finds most, each class counted with its own width."""
    if not by_class:
        return width.corrected_nm
    if basis:
        return by_class[basis]
    return math.fsum(poc.class_shares[name] * by_class[name] for name in by_class)


def _class_searches(pattern: Pattern, assignment: Assignment, poc: PocGrid, land,
                    objects: dict[str, str], widths: dict[str, float]
                    ) -> tuple[ClassSearch, ...]:
    """Per object class, what the pattern achieves with its sweep width
    (:func:`~sarkit.planning.choose.class_coverage_as_flown`); () for one class."""
    if not widths:
        return ()
    flown = class_coverage_as_flown(pattern, assignment, poc, widths, land)
    return tuple(ClassSearch(name, objects[name], widths[name], inside,
                             part.pos / inside if inside > 0 else part.pod, part.pos)
                 for name, (inside, part) in flown.items())


def _flown_parts(asset: Asset, parts: Sequence[Assignment], time: OnScene, poc: PocGrid):
    """The rectangles of one asset flown one after another: ``(assignment, pattern, start)``
    for each, or a reason (str) for a part that no time is left for.

    The first rectangle is searched from the time on scene. Each later part starts at the
    corner nearest the end of the previous track, after the move there at the cruise speed.
    A pattern is cut to the time left: on scene, and for an aircraft also the time that
    leaves the flight home from the end of its track within its endurance (its coverage as
    flown then says so).
    """
    aircraft = asset.type.platform != "vessel"
    out: list = []
    clock, here = time.start, None
    for assignment in parts:
        start, pattern = clock, None
        hours = time.hours if len(parts) == 1 else assignment.unit.on_scene_h
        for _ in range(_FIT_TRIES):
            candidate = choose_pattern(assignment, poc, hours, start_near=here).pattern
            move_s = 0.0
            if here is not None:
                move_s = _flight_s(here, candidate.commence_search_point, asset.cruise)
            limit = time.end
            if aircraft:
                limit = min(limit, time.departure + asset.endurance * 3600.0 - _flight_s(
                    tuple(candidate.waypoints[-1]), (asset.lon, asset.lat), asset.cruise))
            left_h = (limit - clock - move_s) / 3600.0
            flown_h = candidate.track_length_nm / asset.search_speed
            # the allocation sized the legs on the plane: the geodesic track may be a hair
            # longer, and a single leg cannot be shortened (allowed: 1 % over)
            if flown_h <= left_h * (1 + LEG_SLACK) and left_h > 0.0:
                start, pattern = clock + move_s, candidate
                break
            hours = min(hours, left_h) * 0.999
            if hours <= 0.0:
                break
        if pattern is None:
            out.append(f"rectangle {assignment.part} of {assignment.parts}: "
                       + ("no time left on scene after the move from the previous one"
                          if here is not None else "its shortest pattern does not fit the "
                          "time on scene"))
            break
        out.append((assignment, pattern, start))
        clock = start + pattern.track_length_nm / asset.search_speed * 3600.0
        here = tuple(map(float, pattern.waypoints[-1]))
    return out


def _flight_s(origin: tuple[float, float], destination: tuple[float, float],
              speed_kt: float) -> float:
    """Seconds to fly or steam the great circle between two (lon, lat) points."""
    return WGS84.inv(*origin, *destination)[2] / NAUTICAL_MILE / speed_kt * 3600.0


_FIT_TRIES = 6
"""Most tries to fit a later rectangle's pattern into the time left after the move to it."""
