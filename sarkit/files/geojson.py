"""GeoJSON (RFC 7946) for any GIS or chart plotter: search areas, datums, rectangles, plans.

:func:`areas_features` and :func:`areas_collection` turn :class:`~sarkit.poc.areas.SearchAreas`
into Features (``areas.geojson``); :func:`plan_collection` turns a
:class:`~sarkit.planning.plan.SearchPlan` into a FeatureCollection (``plan.geojson``).
:func:`write_geojson` writes either; :func:`read_searched` reads a plan's search rectangles
back (:class:`FlownSearch`) for the search update.

RFC 7946 rules kept here: WGS84 longitude/latitude order, polygons with closed
rings whose exterior rings run counter-clockwise and holes clockwise (the
right-hand rule), no ``crs`` member, longitudes in -180..180 (a geometry that
would cross the antimeridian is refused rather than written wrongly: the Bali
Process region never needs it). Coordinates are rounded to 7 decimals (about
1 cm). Files are written to a temporary name and renamed.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
import shapely.errors
import shapely.geometry
from shapely.geometry import mapping
from shapely.geometry.polygon import orient

from sarkit.errors import SarkitError
from sarkit.files.atomic import atomic_path
from sarkit.times import format_time, parse_time

if TYPE_CHECKING:  # pragma: no cover
    from sarkit.planning.plan import SearchPlan
    from sarkit.poc.areas import SearchAreas

__all__ = ["FlownSearch", "GeoJSONError", "areas_collection", "areas_features", "feature",
           "feature_collection", "plan_collection", "read_searched", "write_geojson"]

DECIMALS = 7


class GeoJSONError(SarkitError, ValueError):
    """A geometry that RFC 7946 GeoJSON cannot hold as it is."""


def _oriented(geometry: shapely.Geometry) -> shapely.Geometry:
    if geometry.geom_type == "Polygon":
        return orient(geometry, sign=1.0)
    if geometry.geom_type == "MultiPolygon":
        return shapely.MultiPolygon([orient(p, sign=1.0) for p in geometry.geoms])
    if geometry.geom_type == "GeometryCollection":
        return shapely.GeometryCollection([_oriented(g) for g in geometry.geoms])
    return geometry


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def _wrapped(geometry: shapely.Geometry) -> shapely.Geometry:
    """Longitudes moved into -180..180 as a whole; refuse a geometry across 180."""
    west, _, east, _ = geometry.bounds
    if -180.0 <= west and east <= 180.0:
        return geometry
    if east - west <= 180.0 and (west >= 180.0 or east <= -180.0):
        shift = -360.0 if west >= 180.0 else 360.0
        return shapely.transform(geometry, lambda xy: xy + np.array([shift, 0.0]))
    raise GeoJSONError("a geometry crosses the antimeridian (180 degrees of longitude)",
                       "split it at 180 degrees before writing")


def feature(geometry: shapely.Geometry, properties: Mapping[str, Any]) -> dict:
    """One GeoJSON Feature from a shapely geometry in lon/lat degrees.

    Raises
    ------
    GeoJSONError
        For an empty or invalid geometry, or one across the antimeridian.
    """
    if geometry is None or geometry.is_empty:
        raise GeoJSONError("an empty geometry cannot be written", "leave the feature out")
    if not geometry.is_valid:
        raise GeoJSONError(f"an invalid geometry ({shapely.is_valid_reason(geometry)})",
                           "repair it with shapely.make_valid first")
    geometry = _oriented(_wrapped(geometry))
    return {
        "type": "Feature",
        "geometry": _rounded(mapping(geometry)),
        "properties": dict(properties),
    }


def feature_collection(features: Iterable[dict], **members: Any) -> dict:
    """A FeatureCollection; extra top-level members (e.g. ``name``) are kept."""
    return {"type": "FeatureCollection", **members, "features": list(features)}


def areas_features(areas: SearchAreas, **common: Any) -> list[dict]:
    """GeoJSON Features of search areas: one per area, the rectangle and the datum.

    Parameters
    ----------
    areas : SearchAreas
        From :func:`sarkit.poc.search_areas`.
    **common
        Properties put on every feature (e.g. ``object``, ``scenario``, ``particles``).

    Returns
    -------
    list of dict
        The areas from the largest level down (``kind = "area"``, with ``probability``
        the area's level: 0.5, 0.9, 0.95, ``probability_contained`` what its cells hold,
        at least the level, both shares of the probability afloat, out of the forcing
        included (``of_probability``; ``afloat_share`` in the forcing, ``stranded_share``,
        ``unaccounted_share`` out of the forcing, of all of it: see
        :class:`~sarkit.poc.areas.SearchAreas`), ``area_nm2``, ``cells``, ``cell_nm``;
        where some probability left the forcing, also ``incomplete = true`` and
        ``level_reached``, false for an area that holds less than its level), then the
        rectangle
        (``kind = "rectangle"``, with ``level``, ``probability``, ``area_nm2``,
        ``length_nm``, ``width_nm``, ``orientation_deg``), then the datum (``kind =
        "datum"``); each with ``valid_time`` (ISO 8601 UTC) and the ``common`` ones. Pass
        them to :func:`feature_collection` and :func:`write_geojson`.

    Raises
    ------
    GeoJSONError
        For a geometry RFC 7946 cannot hold (see :func:`feature`).
    """
    when = str(np.datetime64(areas.valid_time, "s")) + "Z"
    features = [
        feature(entry.polygon, {
            "kind": "area", "probability": entry.level,
            "probability_contained": entry.probability, "of_probability": "afloat",
            "afloat_share": areas.afloat, "stranded_share": areas.stranded,
            "unaccounted_share": areas.unaccounted,
            **({"incomplete": True, "level_reached": entry.reached} if areas.incomplete
               else {}),
            "area_nm2": entry.area_nm2, "cells": entry.cells, "cell_nm": areas.cell_nm,
            "valid_time": when, **common})
        for entry in reversed(areas.levels)
    ]
    rect = areas.rectangle
    features.append(feature(rect.polygon, {
        "kind": "rectangle", "level": rect.level, "probability": rect.probability,
        "area_nm2": rect.area_nm2, "length_nm": rect.length_nm, "width_nm": rect.width_nm,
        "orientation_deg": rect.orientation_deg, "valid_time": when, **common}))
    features.append(feature(shapely.Point(areas.datum_lon, areas.datum_lat),
                            {"kind": "datum", "valid_time": when, **common}))
    return features


def areas_collection(areas: SearchAreas, **common: Any) -> dict:
    """Search areas, their rectangle and datum as an RFC 7946 FeatureCollection (a dict).

    Parameters
    ----------
    areas : SearchAreas
        From :func:`sarkit.poc.search_areas`.
    **common
        Properties put on every feature (see :func:`areas_features`).

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": areas_features(areas, **common)}``;
        write it with :func:`write_geojson`.
    """
    return feature_collection(areas_features(areas, **common))


def plan_collection(plan: SearchPlan) -> dict:
    """A search plan as an RFC 7946 FeatureCollection (a dict): what ``plan.geojson`` holds.

    Parameters
    ----------
    plan : SearchPlan
        From :func:`sarkit.planning.plan_search`.

    Returns
    -------
    dict
        One Polygon per assigned rectangle (``kind = "search_rectangle"``) with properties
        ``asset``, ``part`` and ``parts`` (an asset may search several rectangles one after
        another: ``part`` of ``parts``, in order), ``rcc``, ``pattern``,
        ``track_spacing_nm``, ``coverage`` (of the track flown), ``reached_share`` (of the
        rectangle within half a track spacing of the track),
        ``pod``, ``poc``, ``pos``, ``start_time``, ``end_time`` (ISO 8601 UTC) and the sizes
        (where the object may have changed class, also ``pod_by_class`` and
        ``sweep_width_nm_by_class``: class id to its POD and sweep width); one
        LineString per rectangle (``kind = "track"``) with its waypoints; for a vessel, its
        route at sea from its base to the search area (``kind = "transit"``, around land);
        the datum at mid-search (``kind = "datum"``). Top-level members ``name``, ``search_window``,
        ``poc_time``, ``search_object``, ``total_pos``, ``bound``, ``gap`` and ``left_out``
        (a list of ``{"asset", "reason"}``). Write it with :func:`write_geojson`.
    """
    features = []
    for item in plan.assignments:
        a = item.assignment
        common = {"asset": item.name, "part": item.part, "parts": item.parts, "rcc": item.rcc,
                  "pattern": item.pattern.kind,
                  "start_time": format_time(item.start), "end_time": format_time(item.end)}
        features.append(feature(a.polygon, {
            "kind": "search_rectangle", **common,
            "asset_type": item.asset.type.id, "platform": item.asset.type.platform,
            "track_spacing_nm": item.track_spacing_nm, "sweep_width_nm":
            item.sweep_width.corrected_nm, "sensor": (
                item.asset.night_sensor if item.sweep_width.source.startswith("night")
                else "visual"), "search_speed_kt": item.asset.search_speed,
            "coverage": item.coverage, "reached_share": item.reached,
            "sea_share": item.sea_share, "track_over_land_nm": item.track_over_land_nm,
            "pod": item.pod,
            "poc": item.poc, "pos": item.pos,
            **({"pod_by_class": {part.object_class: part.pod for part in item.by_class},
                "sweep_width_nm_by_class": {part.object_class: part.sweep_width_nm
                                            for part in item.by_class}}
               if item.by_class else {}),
            "area_nm2": a.area_nm2, "length_nm": a.length_nm, "width_nm": a.width_nm,
            "orientation_deg": a.orientation_deg,
            "commence_search_point": list(item.pattern.commence_search_point),
            "transit_nm": item.on_scene.transit.distance_nm,
            "departure_time": format_time(item.on_scene.departure)}))
        features.append(feature(item.pattern.as_linestring(), {
            "kind": "track", **common, "track_length_nm": item.pattern.track_length_nm,
            "track_spacing_nm": item.pattern.track_spacing_nm}))
        route = item.on_scene.transit.route
        if route is not None and item.part == 1:
            features.append(feature(shapely.LineString(route.waypoints), {
                "kind": "transit", "asset": item.name, "distance_nm": route.distance_nm,
                "around_land": not route.direct, "note": route.note}))
    when = str(np.datetime64(plan.poc.valid_time, "s")) + "Z"
    features.append(feature(shapely.Point(plan.poc.datum_lon, plan.poc.datum_lat),
                            {"kind": "datum", "valid_time": when}))
    return feature_collection(
        features, name=plan.name, search_window=[format_time(plan.window.start),
                                                 format_time(plan.window.end)],
        poc_time=when, search_object=plan.search_object, total_pos=plan.total_pos,
        bound=plan.bound, gap=plan.gap,
        left_out=[{"asset": item.asset.name, "reason": item.reason}
                  for item in plan.left_out])


def write_geojson(collection: Mapping[str, Any], path: str | os.PathLike) -> Path:
    """Write a FeatureCollection as GeoJSON, atomically (no partial file on failure)."""
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    with atomic_path(path) as temporary:
        temporary.write_text(text + "\n", encoding="utf-8")
    return Path(path)


@dataclass(frozen=True)
class FlownSearch:
    """One rectangle of a written plan, as searched (read back by :func:`read_searched`).

    Attributes
    ----------
    asset : str
    polygon : shapely.Polygon
        The rectangle, lon/lat degrees.
    pod : float
        The POD planned for it.
    start, end : float
        When it was searched, epoch seconds UTC.
    end_lon, end_lat : float or None
        Where its track ended (the last waypoint of the asset's ``track`` feature), degrees;
        None where the plan has no track for it.
    class_pod : dict of str to float
        The POD planned for each object class where the object may have changed class
        (``pod_by_class``); empty otherwise.
    """

    asset: str
    polygon: shapely.Geometry
    pod: float
    start: float
    end: float
    end_lon: float | None = None
    end_lat: float | None = None
    class_pod: dict[str, float] = dataclasses.field(default_factory=dict)


def _class_pod(props: dict) -> dict[str, float]:
    """A search rectangle's ``pod_by_class`` (class id to POD, each 0 to 1), or {}."""
    given = props.get("pod_by_class", {})
    if not isinstance(given, dict):
        raise ValueError(f"its pod_by_class {given!r} is not a table of class PODs")
    out = {}
    for name, value in given.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
                0.0 <= value <= 1.0):
            raise ValueError(f"its POD of {name} {value!r} is not between 0 and 1")
        out[str(name)] = float(value)
    return out


def read_searched(path: str | os.PathLike) -> tuple[FlownSearch, ...]:
    """The search rectangles of a ``plan.geojson`` (:func:`plan_collection`, written by
    ``sarkit plan``), for the search update.

    Parameters
    ----------
    path : path-like
        A ``plan.geojson``, or the folder that holds one.

    Returns
    -------
    tuple of FlownSearch
        In file order.

    Raises
    ------
    SarkitError
        Where the file is missing, not JSON, or has no search rectangles with ``asset``,
        ``pod``, ``start_time`` and ``end_time``.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "plan.geojson"
    fix = "give a plan.geojson written by sarkit plan (or its folder)"
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SarkitError(f"cannot read the searched plan ({exc.strerror or exc})", fix,
                          path) from None
    except json.JSONDecodeError as exc:
        raise SarkitError(f"not JSON ({exc})", fix, path) from None
    features = collection.get("features", []) if isinstance(collection, dict) else []
    found, keys = [], []
    if not isinstance(features, list):
        features = []
    for number, item in enumerate(features, start=1):
        props = item.get("properties") if isinstance(item, dict) else None
        if not isinstance(props, dict) or props.get("kind") != "search_rectangle":
            continue
        try:
            polygon = shapely.geometry.shape(item["geometry"])
            if polygon.geom_type != "Polygon" or not polygon.is_valid or polygon.area <= 0:
                raise ValueError(f"its geometry is a {polygon.geom_type}, not a rectangle")
            pod = float(props["pod"])
            if not 0.0 <= pod <= 1.0:
                raise ValueError(f"its POD {pod!r} is not between 0 and 1")
            found.append(FlownSearch(
                asset=str(props["asset"]), polygon=polygon, pod=pod,
                start=parse_time(props["start_time"]), end=parse_time(props["end_time"]),
                class_pod=_class_pod(props)))
            keys.append((str(props["asset"]), str(props["start_time"])))
        except (KeyError, TypeError, ValueError, AttributeError,
                shapely.errors.ShapelyError) as exc:
            raise SarkitError(f"feature {number} is not a readable search rectangle ({exc})",
                              fix, path) from None
    if not found:
        raise SarkitError("the plan has no search rectangles (kind = search_rectangle)", fix,
                          path)
    ends = {}
    for item in features:
        props = item.get("properties") if isinstance(item, dict) else None
        geometry = item.get("geometry") if isinstance(item, dict) else None
        if (isinstance(props, dict) and props.get("kind") == "track"
                and isinstance(geometry, dict) and geometry.get("type") == "LineString"):
            try:
                lon, lat = (float(v) for v in geometry["coordinates"][-1][:2])
            except (KeyError, IndexError, TypeError, ValueError):
                continue
            if math.isfinite(lon) and -90.0 <= lat <= 90.0:  # a track and its rectangle
                ends[(str(props.get("asset")), str(props.get("start_time")))] = (lon, lat)
    return tuple(dataclasses.replace(item, end_lon=ends[key][0], end_lat=ends[key][1])
                 if key in ends else item for item, key in zip(found, keys, strict=True))
