"""GeoJSON (RFC 7946) for any GIS or chart plotter: search areas, datums, rectangles.

RFC 7946 rules kept here: WGS84 longitude/latitude order, polygons with closed
rings whose exterior rings run counter-clockwise and holes clockwise (the
right-hand rule), no ``crs`` member, longitudes in -180..180 (a geometry that
would cross the antimeridian is refused rather than written wrongly: the Bali
Process region never needs it). Coordinates are rounded to 7 decimals (about
1 cm). Files are written to a temporary name and renamed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.polygon import orient

from sarkit.errors import SarkitError
from sarkit.files.atomic import atomic_path

__all__ = ["GeoJSONError", "feature", "feature_collection", "write_geojson"]

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


def write_geojson(collection: Mapping[str, Any], path: str | os.PathLike) -> Path:
    """Write a FeatureCollection as GeoJSON, atomically (no partial file on failure)."""
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    with atomic_path(path) as temporary:
        temporary.write_text(text + "\n", encoding="utf-8")
    return Path(path)
