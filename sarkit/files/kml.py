"""KML 2.2 of the search areas, for Google Earth and the chart software that reads KML.

:func:`areas_kml` turns the features of ``areas.geojson`` (the GeoJSON dicts of
:func:`sarkit.files.geojson.areas_features` and :func:`sarkit.app.drift.run_scenario`) into
one KML document: a Folder per valid time holding the 50/90/95 % areas, the search rectangle,
the IAMSAR circle (Polygons), the datum (a Point) and the stranded particles (a MultiGeometry of
Points), each a Placemark with the feature's properties as ExtendedData and a description an
officer can read in the balloon. Polygons are drawn on the sea surface
(``altitudeMode clampToGround``, ``tessellate`` 1, so long edges follow the Earth), with
coordinates ``lon,lat`` in WGS84 degrees (KML's order, as in GeoJSON), rings closed, and
styles from light (95 %) to dark (50 %).

Plain :mod:`xml.etree.ElementTree` in the KML 2.2 namespace; :func:`write_kml` writes to a
temporary name and renames. Text from the Python API (a scenario's name, a property) may hold
characters XML 1.0 cannot: each is written as a visible escape (:func:`sarkit.text.visible`).
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sarkit.errors import SarkitError
from sarkit.files.atomic import atomic_path
from sarkit.text import visible

__all__ = ["KML_NAMESPACE", "areas_kml", "write_kml"]

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"
"""XML namespace of KML 2.2."""

DECIMALS = 7

# KML colours are aabbggrr
_STYLES = {
    "area-0.5": ("c00000b0", "8c0000b0", 2.0),
    "area-0.9": ("c00060f0", "700060f0", 1.5),
    "area-0.95": ("c000c8ff", "5000c8ff", 1.5),
    "area": ("c00060f0", "600060f0", 1.5),
    "rectangle": ("ff222222", "00000000", 2.0),
    "iamsar_circle": ("ff9c4e1f", "00000000", 2.0),
}


def _q(tag: str) -> str:
    return f"{{{KML_NAMESPACE}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, _q(tag))
    if text is not None:
        element.text = visible(text)  # a control character would make the XML invalid
    return element


def _coordinates(points: Iterable) -> str:
    return " ".join(f"{round(float(p[0]), DECIMALS)},{round(float(p[1]), DECIMALS)}"
                    for p in points)


def _polygon(parent: ET.Element, rings: list) -> None:
    polygon = _sub(parent, "Polygon")
    _sub(polygon, "tessellate", "1")
    _sub(polygon, "altitudeMode", "clampToGround")
    for k, ring in enumerate(rings):
        boundary = _sub(polygon, "outerBoundaryIs" if k == 0 else "innerBoundaryIs")
        linear = _sub(boundary, "LinearRing")
        points = list(ring)
        if points and list(points[0]) != list(points[-1]):
            points.append(points[0])
        _sub(linear, "coordinates", _coordinates(points))


def _point(parent: ET.Element, xy) -> None:
    point = _sub(parent, "Point")
    _sub(point, "altitudeMode", "clampToGround")
    _sub(point, "coordinates", _coordinates([xy]))


def _geometry(parent: ET.Element, geometry: Mapping[str, Any]) -> None:
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        _polygon(parent, coords)
    elif kind == "MultiPolygon":
        multi = _sub(parent, "MultiGeometry")
        for rings in coords:
            _polygon(multi, rings)
    elif kind == "Point":
        _point(parent, coords)
    elif kind == "MultiPoint":
        multi = _sub(parent, "MultiGeometry")
        for xy in coords:
            _point(multi, xy)
    elif kind == "LineString":
        line = _sub(parent, "LineString")
        _sub(line, "tessellate", "1")
        _sub(line, "altitudeMode", "clampToGround")
        _sub(line, "coordinates", _coordinates(coords))
    else:
        raise SarkitError(f"a {kind} geometry cannot be written to KML by sarkit",
                          "give Polygon, MultiPolygon, Point, MultiPoint or LineString features")


def _name(props: Mapping[str, Any]) -> str:
    kind = props.get("kind", "feature")
    if kind == "area":
        return f"{float(props['probability']):.0%} area ({float(props['area_nm2']):,.0f} NM²)"
    if kind == "rectangle":
        return (f"{float(props.get('level', 0.9)):.0%} rectangle {props['length_nm']:.1f} x "
                f"{props['width_nm']:.1f} NM")
    if kind == "iamsar_circle":
        return f"IAMSAR circle R = {props['radius_nm']:.1f} NM"
    if kind == "stranded":
        return f"stranded ({props.get('count', '?')} particles)"
    return str(kind)


def _style_id(props: Mapping[str, Any]) -> str | None:
    kind = props.get("kind")
    if kind == "area":
        key = f"area-{float(props['probability']):g}"
        return key if key in _STYLES else "area"
    return kind if kind in _STYLES else None


def _description(props: Mapping[str, Any]) -> str:
    return "\n".join(f"{key}: {value}" for key, value in props.items())


def _styles(document: ET.Element) -> None:
    for key, (line, fill, width) in _STYLES.items():
        style = _sub(document, "Style")
        style.set("id", key)
        line_style = _sub(style, "LineStyle")
        _sub(line_style, "color", line)
        _sub(line_style, "width", f"{width:g}")
        poly_style = _sub(style, "PolyStyle")
        _sub(poly_style, "color", fill)
        _sub(poly_style, "fill", "0" if fill.startswith("00") else "1")


def areas_kml(features: Iterable[Mapping[str, Any]], name: str = "sarkit search areas"
              ) -> ET.ElementTree:
    """The KML document of GeoJSON features (see the module docstring).

    Parameters
    ----------
    features : iterable of dict
        GeoJSON Features (``geometry`` in lon/lat degrees, ``properties`` with ``kind`` and
        ``valid_time``), e.g. ``DriftResult.to_geojson()["features"]``.
    name : str
        The document's name.

    Returns
    -------
    xml.etree.ElementTree.ElementTree

    Raises
    ------
    SarkitError
        Where there is no feature, or a geometry KML cannot hold.
    """
    features = list(features)
    if not features:
        raise SarkitError("there are no search areas to write to KML",
                          "run the drift first; it makes the areas")
    ET.register_namespace("", KML_NAMESPACE)
    root = ET.Element(_q("kml"))
    document = _sub(root, "Document")
    _sub(document, "name", name)
    _sub(document, "description", "Search areas from sarkit: probability of containment "
         "(POC) areas, the search rectangle, the datum and the IAMSAR circle; times UTC.")
    _styles(document)
    folders: dict[str, ET.Element] = {}
    for item in features:
        props = dict(item.get("properties") or {})
        when = str(props.get("valid_time", ""))
        if when not in folders:
            folders[when] = _sub(document, "Folder")
            _sub(folders[when], "name", f"valid {when}" if when else "search areas")
        placemark = _sub(folders[when], "Placemark")
        _sub(placemark, "name", _name(props))
        _sub(placemark, "description", _description(props))
        style = _style_id(props)
        if style is not None:
            _sub(placemark, "styleUrl", f"#{style}")
        if when:
            stamp = _sub(placemark, "TimeStamp")
            _sub(stamp, "when", when)
        extended = _sub(placemark, "ExtendedData")
        for key, value in props.items():
            data = _sub(extended, "Data")
            data.set("name", visible(str(key)))
            _sub(data, "value", str(value))
        _geometry(placemark, item["geometry"])
    tree = ET.ElementTree(root)
    ET.indent(tree, space=" ")
    return tree


def write_kml(features: Iterable[Mapping[str, Any]], path: str | os.PathLike,
              name: str = "sarkit search areas") -> Path:
    """Write :func:`areas_kml` to ``path`` (UTF-8, XML declaration), atomically."""
    tree = areas_kml(features, name=name)
    with atomic_path(path) as temporary:
        tree.write(temporary, encoding="utf-8", xml_declaration=True)
    return Path(path)
