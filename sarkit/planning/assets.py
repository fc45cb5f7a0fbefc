"""Rescue centres, asset types, assets and transit times.

Two catalogues ship as package data, each citing its sources (``sarkit/tables/``):

* ``rcc.csv`` — the RCCs, JRCCs, MRCCs, MRSCs, ARCCs and national SAR offices of the Bali
  Process region (:func:`rescue_centres`, :func:`rescue_centre`). **Their coordinates are
  city-centre approximations (about ±0.1°), not facility positions**; give an asset's real base
  in its roster where you know it;
* ``asset_types.csv`` — ships and aircraft with the cruise speed, endurance and sensors that
  public sources give (:func:`asset_types`, :func:`asset_type`). A figure no source gave is
  ``None``; sarkit never guesses it, and an :class:`Asset` of that type must give it.

An :class:`Asset` is one on hand: its type, a base (a centre or ``(lon, lat)``), the time it is
ready to leave, and overrides for the figures (a roster file lists them:
:func:`sarkit.files.roster.load_roster`).
:func:`transit` gives the great-circle (WGS84) distance from its base to a point, the transit
time at cruise speed, the arrival time and the time left on scene: endurance minus the
transit both ways.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TypeVar

from sarkit.errors import BadValueError, SarkitError
from sarkit.geodesy import WGS84
from sarkit.planning.routing import SeaRoute, sea_route
from sarkit.times import format_time
from sarkit.units import NAUTICAL_MILE

__all__ = [
    "FIGURES",
    "FIGURE_MAXIMA",
    "MAX_NIGHT_SWEEP_WIDTH_NM",
    "MAX_TURNAROUND_H",
    "TURNAROUND_H",
    "Asset",
    "AssetType",
    "RescueCentre",
    "Transit",
    "UnknownAssetTypeError",
    "UnknownCentreError",
    "asset_type",
    "asset_types",
    "centre_name",
    "centre_time_zone",
    "rescue_centre",
    "rescue_centres",
    "transit",
]

PLATFORMS = ("vessel", "fixed_wing", "helicopter")
_MAX_LISTED = 6


class UnknownCentreError(SarkitError, LookupError):
    """A rescue centre that no catalogue entry matches, or that several match equally."""


class UnknownAssetTypeError(SarkitError, LookupError):
    """An asset type that no catalogue entry matches, or that several match equally."""


# --- catalogues ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RescueCentre:
    """A rescue co-ordination centre or SAR office of the catalogue.

    Attributes
    ----------
    id : str
        sarkit's stable tag, e.g. ``"kantor-sar-banda-aceh"``.
    name, centre_type, agency, country, city : str
        As the sources give them; ``city`` has the district in brackets where known.
    lon, lat : float
        Degrees east and north, WGS84: **a city-centre approximation (about ±0.1°), not the
        facility position**.
    role : str
        What the centre does.
    city_status : str
        ``"stated"`` by a source, or ``"assumed ..."`` with the reason.
    coordinate_note : str
        The approximation caveat, and where the facility lies if known.
    tag : str
        ``V`` (a cited source states it), ``S`` (secondary source) or ``I`` (inferred).
    sources : tuple of str
        Public URLs (with notes) for the centre's existence, city and role.
    """

    id: str
    name: str
    centre_type: str
    agency: str
    country: str
    city: str
    lon: float
    lat: float
    role: str
    city_status: str
    coordinate_note: str
    tag: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class AssetType:
    """A kind of ship or aircraft with the figures public sources give (``None`` where none).

    Attributes
    ----------
    id, name : str
        sarkit's stable tag (``"kn-sar-class-2"``) and the type's name.
    platform : str
        ``"vessel"``, ``"fixed_wing"`` or ``"helicopter"``.
    operator : str
        Who operates it (and where, if stated).
    cruise_speed_kt, search_speed_kt : float or None
        Transit and search speeds, kn.
    endurance_h : float or None
        Published endurance, h, before reserves (for ships the days at sea).
    search_height_ft : float or None
        Search height, ft.
    sensor : str or None
        Sensors as published.
    max_speed_kt, range_nm : float or None
        Published maximum speed and range, for information; never used as a cruise speed.
    tag : str
        ``V``, ``S`` or ``I`` as in the catalogue.
    figures_note : str
        How each figure was read from the sources.
    sources : str
        Reference numbers [Rn], spelled out in ``sarkit/tables/assets_README.md``.
    """

    id: str
    name: str
    platform: str
    operator: str
    cruise_speed_kt: float | None
    search_speed_kt: float | None
    endurance_h: float | None
    search_height_ft: float | None
    sensor: str | None
    max_speed_kt: float | None
    range_nm: float | None
    tag: str
    figures_note: str
    sources: str


def _table_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("sarkit").joinpath(f"tables/{name}").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _optional_float(text: str) -> float | None:
    return float(text) if text.strip() else None


@cache
def rescue_centres() -> tuple[RescueCentre, ...]:
    """All rescue centres of the catalogue, in catalogue order (coordinates approximate).

    Returns
    -------
    tuple of RescueCentre
    """
    return tuple(
        RescueCentre(
            id=row["id"],
            name=row["name"],
            centre_type=row["centre_type"],
            agency=row["agency"],
            country=row["country"],
            city=row["city"],
            lon=float(row["lon_city_approx"]),
            lat=float(row["lat_city_approx"]),
            role=row["role"],
            city_status=row["city_status"],
            coordinate_note=row["coordinate_note"],
            tag=row["existence_tag"],
            sources=tuple(s.strip() for s in row["sources"].split("|") if s.strip()),
        )
        for row in _table_rows("rcc.csv")
    )


@cache
def asset_types() -> tuple[AssetType, ...]:
    """All asset types of the catalogue, in catalogue order.

    Returns
    -------
    tuple of AssetType
    """
    return tuple(
        AssetType(
            id=row["id"],
            name=row["name"],
            platform=row["platform"],
            operator=row["operator"],
            cruise_speed_kt=_optional_float(row["cruise_speed_kt"]),
            search_speed_kt=_optional_float(row["search_speed_kt"]),
            endurance_h=_optional_float(row["endurance_h"]),
            search_height_ft=_optional_float(row["search_height_ft"]),
            sensor=row["sensor"] or None,
            max_speed_kt=_optional_float(row["max_speed_kt"]),
            range_nm=_optional_float(row["range_nm"]),
            tag=row["tag"],
            figures_note=row["figures_note"],
            sources=row["sources"],
        )
        for row in _table_rows("asset_types.csv")
    )


# --- forgiving look-up -----------------------------------------------------------------------


_Item = TypeVar("_Item", RescueCentre, AssetType)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _lookup(
    text: str,
    items: tuple[_Item, ...],
    texts: Callable[[_Item], tuple[str, ...]],
    error: type[SarkitError],
    what: str,
    listing: str,
) -> _Item:
    """The item whose id or name is ``text`` (any case), else the one whose words hold all of
    the words of ``text`` (a word may be the start of one: ``"banda ac"``)."""
    key = " ".join(_words(text))
    if not key:
        raise error(f"an empty {what} name", f"give an id, e.g. {items[0].id}; see {listing}")
    for item in items:
        if key in (" ".join(_words(item.id)), " ".join(_words(item.name))):
            return item
    query = key.split()
    hits = []
    for item in items:
        words = _words(" ".join(texts(item)))
        if all(any(w.startswith(q) for w in words) for q in query):
            exact = sum(q in words for q in query)
            hits.append((exact, item))
    if hits:
        best = max(exact for exact, _ in hits)
        top = [item for exact, item in hits if exact == best]
        if len(top) == 1:
            return top[0]
        shown = "; ".join(f"{item.id} ({item.name})" for item in top[:_MAX_LISTED])
        more = f"; and {len(top) - _MAX_LISTED} more" if len(top) > _MAX_LISTED else ""
        raise error(
            f"{text!r} matches {len(top)} {what}s equally well: {shown}{more}",
            f"give the id, e.g. {top[0].id}",
        )
    names = {item.id: item for item in items} | {item.name.lower(): item for item in items}
    close = difflib.get_close_matches(text.lower(), list(names), n=3, cutoff=0.5)
    ids = list(dict.fromkeys(names[c].id for c in close))
    hint = f"did you mean {', '.join(ids)}? " if ids else ""
    raise error(f"no {what} matches {text!r}", f"{hint}see {listing} for the ids")


@cache
def _centres_by_id() -> dict[str, RescueCentre]:
    return {centre.id: centre for centre in rescue_centres()}


COUNTRY_TIME_ZONES = {
    "Australia": "Australia/Sydney", "Bangladesh": "Asia/Dhaka", "India": "Asia/Kolkata",
    "Indonesia": "Asia/Jakarta", "Malaysia": "Asia/Kuala_Lumpur", "Myanmar": "Asia/Yangon",
    "Papua New Guinea": "Pacific/Port_Moresby", "Philippines": "Asia/Manila",
    "Singapore": "Asia/Singapore", "Sri Lanka": "Asia/Colombo", "Thailand": "Asia/Bangkok",
    "Vietnam": "Asia/Ho_Chi_Minh",
}
"""IANA time zone of each catalogue country's centres (the capital's)."""

CENTRE_TIME_ZONES = {
    "kantor-sar-denpasar": "Asia/Makassar", "kantor-sar-kupang": "Asia/Makassar",
    "kantor-sar-manado": "Asia/Makassar", "kantor-sar-biak": "Asia/Jayapura",
    "kantor-sar-pontianak": "Asia/Pontianak",
}
"""Centres whose city keeps another time than their country's capital (Indonesia's WITA and
WIT)."""


def centre_time_zone(centre_id: str | None) -> str | None:
    """The IANA time zone of a catalogue centre (None where unknown)."""
    if centre_id is None:
        return None
    if centre_id in CENTRE_TIME_ZONES:
        return CENTRE_TIME_ZONES[centre_id]
    centre = _centres_by_id().get(centre_id)
    return None if centre is None else COUNTRY_TIME_ZONES.get(centre.country)


def centre_name(centre_id: str | None) -> str:
    """The catalogue name of a rescue centre id, for a person to read (a SITREP, a report).

    The id itself where the catalogue has no such centre (a user's own); ``"centre unknown"``
    for None.
    """
    if centre_id is None:
        return "centre unknown"
    centre = _centres_by_id().get(centre_id)
    return centre_id if centre is None else centre.name


def rescue_centre(text: str | RescueCentre) -> RescueCentre:
    """Find a rescue centre by id, name or words of its name, city, country or agency.

    Parameters
    ----------
    text : str or RescueCentre
        ``"mrcc-port-blair"``, ``"MRCC Port Blair"``, ``"port blair"``, ``"banda aceh"``; case and
        punctuation do not matter; a word may be cut short.

    Returns
    -------
    RescueCentre

    Raises
    ------
    UnknownCentreError
        If no centre matches (with the closest ids) or several match equally (listed).
    """
    if isinstance(text, RescueCentre):
        return text
    return _lookup(
        str(text),
        rescue_centres(),
        lambda c: (c.id, c.name, c.city, c.country, c.agency, c.centre_type),
        UnknownCentreError,
        "rescue centre",
        "sarkit.planning.assets.rescue_centres()",
    )


def asset_type(text: str | AssetType) -> AssetType:
    """Find an asset type by id, name or words of its name, operator or platform.

    Parameters
    ----------
    text : str or AssetType
        ``"kn-sar-class-2"``, ``"challenger"``, ``"dornier 228"``; case and punctuation do not
        matter; a word may be cut short.

    Returns
    -------
    AssetType

    Raises
    ------
    UnknownAssetTypeError
        If no type matches (with the closest ids) or several match equally (listed).
    """
    if isinstance(text, AssetType):
        return text
    return _lookup(
        str(text),
        asset_types(),
        lambda t: (t.id, t.name, t.operator, t.platform),
        UnknownAssetTypeError,
        "asset type",
        "sarkit.planning.assets.asset_types()",
    )


# --- assets ----------------------------------------------------------------------------------

FIGURES = ("cruise_speed_kt", "search_speed_kt", "endurance_h", "search_height_ft")
"""The figures an asset may give to replace its type's (a roster's columns of the same names)."""

FIGURE_MAXIMA = {
    "cruise_speed_kt": 600.0,  # above any SAR aircraft's cruise (long-range jets: ~490 kt)
    "search_speed_kt": 400.0,  # a visual search is flown far slower; no sweep table goes higher
    "endurance_h": 240.0,  # ten days: a frigate's patrol; the plan is a period of hours
    "search_height_ft": 45_000.0,  # above any search aircraft's ceiling
}
"""The largest value of each figure: beyond them a figure is a typing error, not an asset."""

TURNAROUND_H = {"fixed_wing": 2.0, "helicopter": 1.0, "vessel": 0.0}
"""Hours at base between an aircraft's sorties (refuel, crew), by platform, where the roster
gives no ``turnaround_h``: sarkit's stated defaults, not figures from a source. A vessel does
not return between searches."""

MAX_TURNAROUND_H = 48.0
"""Longest turnaround a roster may give (h)."""

MAX_NIGHT_SWEEP_WIDTH_NM = 20.0
"""Widest night-sensor sweep width a roster may give (NM): beyond any FLIR or radar figure."""


def _check_lon_lat(lon: float, lat: float, where: str) -> None:
    if not (math.isfinite(lon) and -180.0 <= lon <= 360.0):
        raise BadValueError(f"{where}: longitude {lon} is not in -180..360", "give degrees east")
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise BadValueError(f"{where}: latitude {lat} is not in -90..90", "give degrees north")


@dataclass(frozen=True)
class Asset:
    """A ship or aircraft on hand: its type, base, ready time and own figures.

    Parameters
    ----------
    name : str
        The asset's name, e.g. ``"KN SAR Kresna 232"``.
    type : AssetType
        Its type from the catalogue (:func:`asset_type`) or one of your own.
    ready : float
        When it can leave its base, seconds since 1970-01-01 UTC.
    centre : RescueCentre, optional
        Its base centre (city-centre approximation); give this or ``base``.
    base : (float, float), optional
        Its base as ``(lon, lat)`` degrees; give this or ``centre``.
    cruise_speed_kt, search_speed_kt, endurance_h, search_height_ft : float, optional
        Figures that replace the type's (needed where the type has none).
    turnaround_h : float, optional
        Hours at base between two sorties (refuel, crew); by default :data:`TURNAROUND_H` of
        its platform.
    night_sensor : str, optional
        The sensor it searches with in the dark (``"FLIR"``, ``"radar"``); needs
        ``night_sweep_width_nm``.
    night_sweep_width_nm : float, optional
        Its sweep width (NM) with that sensor for the object searched for, from the
        operator's own figures (IAMSAR's tables are for visual search only). Without it the
        asset searches in daylight only.

    Raises
    ------
    BadValueError
        If both or neither of ``centre`` and ``base`` are given, a position is off the globe, or
        a figure is not a positive number.
    """

    name: str
    type: AssetType
    ready: float
    centre: RescueCentre | None = None
    base: tuple[float, float] | None = None
    cruise_speed_kt: float | None = None
    search_speed_kt: float | None = None
    endurance_h: float | None = None
    search_height_ft: float | None = None
    turnaround_h: float | None = None
    night_sensor: str | None = None
    night_sweep_width_nm: float | None = None

    def __post_init__(self) -> None:
        if (self.centre is None) == (self.base is None):
            raise BadValueError(
                f"asset {self.name!r} needs exactly one of a centre and a base position",
                'give centre = "<centre id>" or base = [lon, lat], not both',
            )
        if self.base is not None:
            lon, lat = (float(v) for v in self.base)
            _check_lon_lat(lon, lat, f"asset {self.name!r} base")
            object.__setattr__(self, "base", (lon, lat))
        if not math.isfinite(float(self.ready)):
            raise BadValueError(
                f"asset {self.name!r}: ready time is not finite",
                "give an ISO time, e.g. 2024-03-20T06:00Z",
            )
        for key in FIGURES:
            value = getattr(self, key)
            if value is not None and not (math.isfinite(value) and value > 0):
                raise BadValueError(
                    f"asset {self.name!r}: {key} = {value} is not a positive number",
                    f"give {key} greater than 0",
                )
            if value is not None and value > FIGURE_MAXIMA[key]:
                raise BadValueError(
                    f"asset {self.name!r}: {key} = {value:g} is more than {FIGURE_MAXIMA[key]:g}",
                    f"give {key} at most {FIGURE_MAXIMA[key]:g}",
                )
        for key, low, high in (("turnaround_h", 0.0, MAX_TURNAROUND_H),
                               ("night_sweep_width_nm", 0.0, MAX_NIGHT_SWEEP_WIDTH_NM)):
            value = getattr(self, key)
            if value is None:
                continue
            if not (math.isfinite(value) and low <= value <= high) or (
                    key == "night_sweep_width_nm" and value == 0):
                raise BadValueError(
                    f"asset {self.name!r}: {key} = {value} is not a number in {low:g}..{high:g}"
                    + (" (above 0)" if key == "night_sweep_width_nm" else ""),
                    f"give {key} between {low:g} and {high:g}")
        if (self.night_sensor is None) != (self.night_sweep_width_nm is None):
            raise BadValueError(
                f"asset {self.name!r}: a night sensor needs its sweep width, and a night sweep "
                "width its sensor",
                'give both night_sensor = "FLIR" and night_sweep_width_nm = <NM>, or neither')

    @property
    def lon(self) -> float:
        """Base longitude, degrees east (a centre's is a city-centre approximation)."""
        return self.base[0] if self.base is not None else self.centre.lon

    @property
    def lat(self) -> float:
        """Base latitude, degrees north (a centre's is a city-centre approximation)."""
        return self.base[1] if self.base is not None else self.centre.lat

    def figure(self, key: str) -> float:
        """The asset's own ``key`` figure, else its type's; an error if neither has one.

        Parameters
        ----------
        key : str
            One of ``cruise_speed_kt``, ``search_speed_kt``, ``endurance_h``,
            ``search_height_ft``.

        Raises
        ------
        BadValueError
            Naming the asset, the type and the key to give in the roster.
        """
        if key not in FIGURES:
            raise ValueError(f"no figure {key!r}; one of {FIGURES}")
        own = getattr(self, key)
        if own is not None:
            return float(own)
        typed = getattr(self.type, key)
        if typed is not None:
            return float(typed)
        raise BadValueError(
            f"asset {self.name!r}: the catalogue (asset_types.csv) gives no {_LABELS[key]} for "
            f"{self.type.name} ({self.type.id})",
            f"give {key} for {self.name!r} in the roster",
        )

    @property
    def cruise(self) -> float:
        """Cruise (transit) speed, kt."""
        return self.figure("cruise_speed_kt")

    @property
    def search_speed(self) -> float:
        """Search speed, kt."""
        return self.figure("search_speed_kt")

    @property
    def endurance(self) -> float:
        """Endurance, h."""
        return self.figure("endurance_h")

    @property
    def turnaround(self) -> float:
        """Hours at base between sorties: its own, else :data:`TURNAROUND_H` of its platform."""
        if self.turnaround_h is not None:
            return float(self.turnaround_h)
        return TURNAROUND_H.get(self.type.platform, 0.0)

    @property
    def search_height(self) -> float:
        """Search height, ft."""
        return self.figure("search_height_ft")


_LABELS = {
    "cruise_speed_kt": "cruise speed",
    "search_speed_kt": "search speed",
    "endurance_h": "endurance",
    "search_height_ft": "search height",
}


# --- transit ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transit:
    """An asset's trip from its base to a search point.

    Attributes
    ----------
    asset : Asset
    lon, lat : float
        The point, degrees.
    distance_nm : float
        Distance from the base, NM: the great circle (WGS84 geodesic) for an aircraft, the
        shortest route at sea around land for a vessel (:func:`sarkit.planning.routing.
        sea_route`; from the sea nearest its base where that is a town).
    transit_h : float
        One-way transit time at cruise speed, h.
    arrival : float
        Ready time + transit, seconds since 1970-01-01 UTC.
    on_scene_h : float
        Endurance minus the transit both ways, h; 0 where that is not positive.
    reachable : bool
        Whether any time is left on scene.
    reason : str
        Why not, where ``reachable`` is False; ``""`` otherwise.
    route : SeaRoute or None
        A vessel's route at sea (waypoints, and how it was found); None for an aircraft.
    """

    asset: Asset
    lon: float
    lat: float
    distance_nm: float
    transit_h: float
    arrival: float
    on_scene_h: float
    reachable: bool
    reason: str
    route: SeaRoute | None = None

    @property
    def arrival_iso(self) -> str:
        """Arrival time as ``YYYY-MM-DDTHH:MM:SSZ``."""
        return format_time(self.arrival)


def transit(asset: Asset, lon: float, lat: float) -> Transit:
    """Transit of ``asset`` from its base to ``(lon, lat)``, and its time there.

    An aircraft flies the great circle; a vessel the shortest route at sea around land
    (:func:`sarkit.planning.routing.sea_route`, from the sea nearest its base within
    :data:`VESSEL_HARBOUR_REACH_M`); a vessel with no route at sea cannot reach the point.

    Parameters
    ----------
    asset : Asset
        From a roster or built in code; its base, cruise speed and endurance are used.
    lon, lat : float
        The search point (e.g. the datum), degrees.

    Returns
    -------
    Transit

    Raises
    ------
    BadValueError
        If the point is off the globe, or the asset has no cruise speed or endurance (from its
        type or its own).
    """
    _check_lon_lat(float(lon), float(lat), "search point")
    speed, endurance = asset.cruise, asset.endurance
    route = None
    if asset.type.platform == "vessel":
        try:
            route = _sea_route(asset.lon, asset.lat, float(lon), float(lat))
        except BadValueError as exc:
            return Transit(asset, float(lon), float(lat), math.inf, math.inf, math.inf, 0.0,
                           False, f"{asset.name} has no route at sea to the search point: "
                           f"{exc.problem}")
        distance = route.distance_nm
    else:
        distance = float(WGS84.inv(asset.lon, asset.lat, float(lon), float(lat))[2]) / NAUTICAL_MILE
    hours = distance / speed
    left = endurance - 2.0 * hours
    reachable = left > 0.0
    way = "route at sea" if route is not None and not route.direct else "transit"
    reason = (
        ""
        if reachable
        else (
            f"{asset.name} needs {2 * hours:.1f} h for the {distance:.0f} NM {way} both ways at "
            f"{speed:g} kt, more than its endurance of {endurance:g} h"
        )
    )
    return Transit(
        asset=asset,
        lon=float(lon),
        lat=float(lat),
        distance_nm=distance,
        transit_h=hours,
        arrival=float(asset.ready) + hours * 3600.0,
        on_scene_h=max(left, 0.0),
        reachable=reachable,
        reason=reason,
        route=route,
    )


VESSEL_HARBOUR_REACH_M = 40_000.0
"""How far a vessel's base may lie from the sea (m): a base given by its rescue centre is the
centre's city (up to tens of km inland); the route starts at the sea nearest it."""


@lru_cache(maxsize=1024)
def _sea_route(lon0: float, lat0: float, lon1: float, lat1: float) -> SeaRoute:
    """:func:`sea_route` from a vessel's base, remembered: a plan asks for the same trips
    again (each period, each case)."""
    return sea_route((lon0, lat0), (lon1, lat1), harbour_reach_m=VESSEL_HARBOUR_REACH_M)
