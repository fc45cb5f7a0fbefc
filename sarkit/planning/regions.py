"""Search and rescue regions (SRRs): who is responsible for a datum, and who can help.

sarkit ships two kinds of SRR as package data, each feature with its ``source`` and
``status``. **Every shipped polygon is approximate**; each says why in its ``note``.

Published vertex lists (``sarkit/tables/srr.geojson``, MIT like the rest of sarkit):

* **Bangkok SRR** (Thailand, ``bkkrcc``), from the Thai AIP GEN 3.6 (AIRAC 2024-02-22), which
  says the SRR equals the Bangkok FIR. It is the official current text (``authoritative``), but
  its land-border segments are a coarse trace by sarkit (about 0.2°);
* **Australian SRR** (``jrcc-australia``), from a 1990s published list (*GMDSS for Navigators*,
  Butterworth-Heinemann, Appendix 5, reproduced by permission of AMSA) that is truncated after
  17°40'S 163°E; sarkit closes the ring along 163°E and 70°S. Not authoritative for the current
  line. Christmas Island lies *outside* it, in the Indonesian SRR.

No official vertex list was found for the Indonesian, Indian, Malaysian, Myanmar, Bangladesh,
Sri Lankan, Singapore or Maldivian SRRs. For these sarkit ships the **flight information
regions as proxies** (``sarkit/tables/srr_fir_proxies.geojson``: community data of the VAT-Spy
project, **CC BY-SA 4.0**, that file shared alike): where the State says its SRR coincides with
its FIR (India's aeronautical SRR, Malaysia, Sri Lanka) the status says so; elsewhere the FIR
only stands in for an SRR whose boundary was not found. ``authoritative`` is false for all of
them. The Philippine, Vietnamese and PNG SRRs are not shipped: a datum there is outside every
shipped SRR. Load your own polygons (digitised from an AIP or an agreement) from a GeoJSON
FeatureCollection with :func:`search_regions`.

:func:`responsible` lists the regions that contain a datum; :func:`nearest_assets` lists the
fastest assets of every centre with their arrival time, so that neighbouring centres can offer
help.

Polygon edges are straight lines in longitude/latitude (plate carrée), not great circles; near
a boundary the answer is only as good as the polygon.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

import shapely
from shapely.errors import ShapelyError
from shapely.geometry import MultiPolygon, Point, Polygon, shape

from sarkit.errors import BadValueError, SarkitError
from sarkit.planning.assets import (
    Asset,
    RescueCentre,
    Transit,
    centre_name,
    centre_time_zone,
    rescue_centre,
    transit,
)
from sarkit.positions import format_position
from sarkit.times import utc_and_local

__all__ = [
    "SearchRegion",
    "SearchRegionError",
    "area_time_zone",
    "holders_text",
    "nearest_assets",
    "responsibility_report",
    "responsible",
    "search_regions",
]

_PACKAGE_FILES = ("tables/srr.geojson", "tables/srr_fir_proxies.geojson")
_REQUIRED_TEXT = ("name", "country", "source")
_REQUIRED_FLAGS = ("approximate", "authoritative")
_PROPERTY_HELP = (
    'give each feature "properties" with "name", "country" and "source" (text), "centre" '
    '(a rescue-centre id such as "bkkrcc", or null) and "approximate" and "authoritative" '
    "(true or false)"
)


class SearchRegionError(SarkitError, ValueError):
    """A search-region GeoJSON file that cannot be read or does not describe valid SRRs."""


@dataclass(frozen=True)
class SearchRegion:
    """A search and rescue region: its polygon and its responsible rescue centre.

    Attributes
    ----------
    name : str
        E.g. ``"Bangkok SRR"``.
    country : str
        The responsible state.
    centre : str or None
        Id of the responsible centre in ``rcc.csv`` (see :func:`rescue_centre`), e.g.
        ``"bkkrcc"``; ``None`` where none is known. A user file may name a centre outside the
        catalogue; :attr:`rescue_centre` then raises.
    polygon : shapely.Polygon or shapely.MultiPolygon
        The region in longitude/latitude degrees (WGS84); edges are straight in lon/lat.
    approximate : bool
        Whether the polygon is an approximation of the legal boundary (every shipped one is).
    authoritative : bool
        Whether the vertices come from the current official text (an AIP or agreement).
    source : str
        Where the boundary comes from.
    note : str
        Caveats: what was traced, assumed or closed by sarkit (``""`` if none).
    status : str
        What kind of boundary it is, e.g. ``"published SRR vertex list (...)"`` or ``"flight
        information region used as a proxy: the State says its SRR coincides with this FIR"``
        (``""`` where a user file gives none).
    """

    name: str
    country: str
    centre: str | None
    polygon: Polygon | MultiPolygon
    approximate: bool
    authoritative: bool
    source: str
    note: str = ""
    status: str = ""

    @property
    def rescue_centre(self) -> RescueCentre | None:
        """The responsible centre from the catalogue, or ``None`` where :attr:`centre` is.

        Raises
        ------
        UnknownCentreError
            If the id is not in the catalogue.
        """
        return None if self.centre is None else rescue_centre(self.centre)

    def contains(self, lon: float, lat: float) -> bool:
        """Whether ``(lon, lat)`` lies in the region or on its boundary.

        Longitudes are taken modulo 360, so 190 and -170 are the same point.
        """
        return any(self.polygon.covers(Point(x, lat)) for x in _longitudes(lon))


def _longitudes(lon: float) -> tuple[float, ...]:
    """``lon`` in -180..180 and the same meridian in 180..540 (for polygons past 180°E)."""
    wrapped = (float(lon) + 180.0) % 360.0 - 180.0
    return (wrapped, wrapped + 360.0)


# --- loading ---------------------------------------------------------------------------------


def search_regions(path: str | PathLike | None = None) -> tuple[SearchRegion, ...]:
    """The search and rescue regions sarkit ships, or those of your own GeoJSON file.

    Parameters
    ----------
    path : str or path-like, optional
        A GeoJSON ``FeatureCollection`` of ``Polygon`` or ``MultiPolygon`` features in
        longitude/latitude degrees, each with ``properties``: ``name``, ``country``, ``source``
        (text), ``centre`` (a rescue-centre id, or ``null``), ``approximate`` and
        ``authoritative`` (``true``/``false``), and optionally ``note`` and ``status``. Other
        properties are ignored. Without ``path``, the package data: the published vertex lists
        (``sarkit/tables/srr.geojson``), then the FIR proxies
        (``sarkit/tables/srr_fir_proxies.geojson``).

    Returns
    -------
    tuple of SearchRegion
        In the file's order; names are unique.

    Raises
    ------
    SearchRegionError
        If the file is missing, not JSON, not a FeatureCollection, or a feature has a missing or
        wrong property, an unsupported geometry, coordinates off the globe or an invalid
        (e.g. self-intersecting) polygon. The message names the feature and says how to fix it.
    """
    if path is None:
        return _package_regions()
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise SearchRegionError(
            f"cannot read the search-region file ({exc.strerror or exc})",
            "give the path of an existing GeoJSON file",
            file,
        ) from exc
    return _parse(text, file)


@cache
def _package_regions() -> tuple[SearchRegion, ...]:
    regions: list[SearchRegion] = []
    for name in _PACKAGE_FILES:
        text = resources.files("sarkit").joinpath(name).read_text(encoding="utf-8")
        regions.extend(_parse(text, f"sarkit/{name}"))
    return tuple(regions)


def _parse(text: str, source: str | PathLike) -> tuple[SearchRegion, ...]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SearchRegionError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            "save the regions as a GeoJSON FeatureCollection",
            source,
        ) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise SearchRegionError(
            "not a GeoJSON FeatureCollection",
            'give a JSON object with "type": "FeatureCollection" and a "features" list',
            source,
        )
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise SearchRegionError(
            'the FeatureCollection has no "features" (or they are not a list)',
            "add one Polygon or MultiPolygon feature per search region",
            source,
        )
    regions: list[SearchRegion] = []
    seen: set[str] = set()
    for index, feature in enumerate(features):
        region = _region(feature, f"feature {index}", source)
        if region.name in seen:
            raise SearchRegionError(
                f"two features are named {region.name!r}",
                "give every region its own name, or merge them into one MultiPolygon",
                source,
            )
        seen.add(region.name)
        regions.append(region)
    return tuple(regions)


def _region(feature: Any, where: str, source: str | PathLike) -> SearchRegion:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise SearchRegionError(
            f"{where} is not a GeoJSON Feature", 'give {"type": "Feature", ...}', source
        )
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise SearchRegionError(f"{where} has no properties", _PROPERTY_HELP, source)
    name = props.get("name")
    if isinstance(name, str) and name.strip():
        where = f"{where} ({name.strip()!r})"
    values = _properties(props, where, source)
    polygon = _polygon(feature.get("geometry"), where, source)
    return SearchRegion(polygon=polygon, **values)


def _properties(props: Mapping[str, Any], where: str, source: str | PathLike) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in _REQUIRED_TEXT:
        value = props.get(key)
        if not isinstance(value, str) or not value.strip():
            raise SearchRegionError(
                f"{where}: property {key!r} is missing or not a non-empty text",
                _PROPERTY_HELP,
                source,
            )
        values[key] = value.strip()
    for key in _REQUIRED_FLAGS:
        value = props.get(key)
        if not isinstance(value, bool):
            raise SearchRegionError(
                f"{where}: property {key!r} is {value!r}, not true or false",
                f'give "{key}": true or false (say "approximate": true unless the polygon '
                "reproduces the legal boundary exactly)",
                source,
            )
        values[key] = value
    centre = props.get("centre")
    if centre is not None and (not isinstance(centre, str) or not centre.strip()):
        raise SearchRegionError(
            f"{where}: property 'centre' is {centre!r}, not a centre id or null",
            'give the id of a rescue centre (e.g. "bkkrcc"; see sarkit.planning.rescue_centres) '
            "or null",
            source,
        )
    values["centre"] = None if centre is None else centre.strip()
    for key in ("note", "status"):
        text = props.get(key, "")
        values[key] = text.strip() if isinstance(text, str) else ""
    return values


def _polygon(geometry: Any, where: str, source: str | PathLike) -> Polygon | MultiPolygon:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        raise SearchRegionError(
            f"{where}: geometry is {kind or 'missing'}, not a Polygon or MultiPolygon",
            "give the region as a Polygon (or a MultiPolygon for several parts)",
            source,
        )
    try:
        polygon = shape(geometry)
    except (TypeError, ValueError, AttributeError, IndexError, ShapelyError) as exc:
        raise SearchRegionError(
            f"{where}: the {kind} coordinates cannot be read ({exc})",
            "give rings as lists of [lon, lat] pairs, each ring closed (first = last) with at "
            "least 4 positions",
            source,
        ) from exc
    if polygon.is_empty:
        raise SearchRegionError(
            f"{where}: the {kind} is empty", "give at least one ring of [lon, lat] pairs", source
        )
    minx, miny, maxx, maxy = polygon.bounds
    finite = all(math.isfinite(v) for v in (minx, miny, maxx, maxy))
    if not finite or minx < -180.0 or maxx > 360.0 or miny < -90.0 or maxy > 90.0:
        raise SearchRegionError(
            f"{where}: coordinates span lon {minx:g}..{maxx:g}, lat {miny:g}..{maxy:g}, off the "
            "globe",
            "give [longitude, latitude] pairs (GeoJSON order), longitude in -180..360 and "
            "latitude in -90..90",
            source,
        )
    if not polygon.is_valid:
        raise SearchRegionError(
            f"{where}: the {kind} is not valid ({shapely.is_valid_reason(polygon)})",
            "fix the ring so that it does not cross itself (check the vertex order), e.g. with "
            "shapely.make_valid",
            source,
        )
    return polygon


# --- responsibility --------------------------------------------------------------------------


def responsible(
    lon: float, lat: float, regions: Iterable[SearchRegion] | None = None
) -> list[SearchRegion]:
    """The search and rescue regions that contain a datum.

    Parameters
    ----------
    lon, lat : float
        The datum, degrees east and north (WGS84).
    regions : iterable of SearchRegion, optional
        Regions to search; default :func:`search_regions` (the package data).

    Returns
    -------
    list of SearchRegion
        Every region containing the datum (a point on a boundary is in both regions), in the
        order of ``regions``. Each names its responsible centre (:attr:`SearchRegion.centre`).
        **An empty list means the datum is outside every known SRR** — with the package data
        that includes the Philippine, Vietnamese and PNG SRRs, which are not shipped; it does
        not mean nobody is responsible. Where a published vertex list and a FIR proxy both
        contain the datum, the published one comes first. Load your own polygons with
        :func:`search_regions` to cover more.

    Raises
    ------
    BadValueError
        If the datum is off the globe.
    """
    lon, lat = float(lon), float(lat)
    if not (math.isfinite(lon) and -180.0 <= lon <= 360.0):
        raise BadValueError(f"datum longitude {lon} is not in -180..360", "give degrees east")
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise BadValueError(f"datum latitude {lat} is not in -90..90", "give degrees north")
    pool = search_regions() if regions is None else tuple(regions)
    return [region for region in pool if region.contains(lon, lat)]


def _centre_key(asset: Asset) -> str:
    """The group an asset counts in: its centre's id, else its base position."""
    if asset.centre is not None:
        return asset.centre.id
    return f"base {asset.lon:.4f},{asset.lat:.4f}"


def nearest_assets(
    lon: float, lat: float, assets: Iterable[Asset], *, per_centre: int = 1
) -> list[tuple[Asset, Transit]]:
    """The fastest assets of every centre to a datum, so neighbouring centres can offer help.

    Parameters
    ----------
    lon, lat : float
        The datum, degrees.
    assets : iterable of Asset
        The assets on hand (e.g. from :func:`sarkit.planning.load_roster`).
    per_centre : int, default 1
        How many reachable assets to keep per centre: those that arrive first. An asset with
        a ``base`` position instead of a centre counts under that position.

    Returns
    -------
    list of (Asset, Transit)
        First the kept reachable assets, by arrival time (then distance, then name); then
        **every** asset that cannot reach the datum with time left on scene, by arrival time,
        with :attr:`Transit.reason` saying why. Nothing unreachable is dropped; only reachable
        assets beyond ``per_centre`` at their centre are left out.

    Raises
    ------
    BadValueError
        If ``per_centre`` is not a positive integer, the datum is off the globe, or an asset
        has no cruise speed or endurance (its own or its type's).

    Notes
    -----
    Transits are great-circle distances from the base at cruise speed (:func:`transit`); base
    positions of catalogue centres are city-centre approximations (about ±0.1°).
    """
    if isinstance(per_centre, bool) or not isinstance(per_centre, int) or per_centre < 1:
        raise BadValueError(
            f"per_centre = {per_centre!r} is not a positive whole number", "give 1 or more"
        )
    trips = [(asset, transit(asset, lon, lat)) for asset in assets]

    def order(item: tuple[Asset, Transit]) -> tuple[float, float, str]:
        return (item[1].arrival, item[1].distance_nm, item[0].name)

    kept: list[tuple[Asset, Transit]] = []
    counts: dict[str, int] = {}
    for item in sorted((t for t in trips if t[1].reachable), key=order):
        key = _centre_key(item[0])
        if counts.get(key, 0) < per_centre:
            counts[key] = counts.get(key, 0) + 1
            kept.append(item)
    unreachable = sorted((t for t in trips if not t[1].reachable), key=order)
    return kept + unreachable


def area_time_zone(lon: float, lat: float,
                   regions: Iterable[SearchRegion] | None = None) -> str | None:
    """The time zone of the centre responsible for a datum (the first region holding it whose
    centre's zone is known), or None: a person reads its local time beside UTC."""
    for region in responsible(lon, lat, regions):
        zone = centre_time_zone(region.centre)
        if zone is not None:
            return zone
    return None


def _kind(region: SearchRegion) -> str:
    """The region's status, or whether its boundary is approximate where it states none."""
    if region.status:
        return region.status
    return "approximate boundary" if region.approximate else "boundary as published"


def holders_text(found: Iterable[SearchRegion]) -> str:
    """The regions holding a datum, for a person: ``"Malaysian SRR (Kuala Lumpur FIR), MRCC
    Putrajaya (flight information region used as a proxy: ...)"``, each with its centre's name
    and status; ``"outside every known SRR"`` for none (:func:`responsible`)."""
    return "; ".join(f"{r.name}, {centre_name(r.centre)} ({_kind(r)})"
                     for r in found) or "outside every known SRR"


def responsibility_report(lon: float, lat: float, assets: Iterable[Asset],
                          regions: Iterable[SearchRegion] | None = None) -> str:
    """Who is responsible for a datum and who can help: lines for the officer.

    Parameters
    ----------
    lon, lat : float
        The datum, degrees.
    assets : iterable of Asset
        The assets on hand.
    regions : iterable of SearchRegion, optional
        Default the package's (:func:`search_regions`).

    Returns
    -------
    str
        The SRRs holding the datum with their centres (or that it is outside every known SRR),
        then the first asset of every centre to arrive (:func:`nearest_assets`) with its
        distance and arrival, and the assets that cannot reach it with the reason.
    """
    where = format_position(lon, lat)
    found = responsible(lon, lat, regions)
    if found:
        lines = [f"responsible: the datum {where} is in {holders_text(found)}"]
    else:
        lines = [f"responsible: the datum {where} is outside every known SRR (published "
                 "boundaries and FIR proxies; load your region's polygons with "
                 "search_regions(path))"]
    offers = nearest_assets(lon, lat, assets)
    reachable = [(a, t) for a, t in offers if t.reachable]
    zone = area_time_zone(lon, lat, regions)
    if reachable:
        lines.append("first asset of each centre to arrive:")
        lines += [f"  {a.name} ({_centre_label(a)}): {t.distance_nm:.0f} NM, arrives "
                  f"{utc_and_local(t.arrival, zone, lon)}, {t.on_scene_h:.1f} h on scene"
                  for a, t in reachable]
    lines += [f"  cannot help: {a.name} ({_centre_label(a)}): {t.reason}"
              for a, t in offers if not t.reachable]
    return "\n".join(lines)


def _centre_label(asset: Asset) -> str:
    """An asset's centre by its name, or its base position, for a person to read."""
    if asset.centre is not None:
        return centre_name(asset.centre.id)
    return f"base {format_position(asset.lon, asset.lat)}"
