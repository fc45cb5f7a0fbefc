"""GPX 1.1 routes for chart plotters and flight planners: one route per search asset.

Each asset's pattern becomes one ``<rte>`` named after the asset, with its waypoints as
``<rtept lat=... lon=...>`` named WP001, WP002, ... in the order flown. Coordinates are
written with 6 decimals (about 0.1 m), longitudes in -180..180. The file is plain
ElementTree XML in the GPX 1.1 namespace, written to a temporary name and renamed. A name
from the Python API (an asset's) may hold characters XML 1.0 cannot: each is written as a
visible escape (:func:`sarkit.text.visible`).
"""

from __future__ import annotations

import math
import os
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from sarkit.errors import BadValueError
from sarkit.files.atomic import atomic_path
from sarkit.planning.patterns import Pattern
from sarkit.text import visible

__all__ = ["GPX_NAMESPACE", "gpx_tree", "write_gpx"]

GPX_NAMESPACE = "http://www.topografix.com/GPX/1/1"
"""XML namespace of GPX 1.1."""

DECIMALS = 6


def _lonlat(route: Pattern | np.ndarray, name: str) -> np.ndarray:
    """The ``(n, 2)`` lon/lat array of a route, checked, longitudes wrapped."""
    points = route.waypoints if isinstance(route, Pattern) else route
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2 or len(points) < 2:
        raise BadValueError(f"route {name!r} has shape {points.shape}, not (n >= 2, 2)",
                            "give a Pattern or an (n, 2) array of lon, lat with n >= 2",
                            source="write_gpx")
    if not np.isfinite(points).all():
        raise BadValueError(f"route {name!r} has a missing or infinite coordinate",
                            "drop or fill the bad waypoints", source="write_gpx")
    if (np.abs(points[:, 1]) > 90.0).any():
        raise BadValueError(f"route {name!r} has a latitude outside -90..90",
                            "give columns in lon, lat order", source="write_gpx")
    lon = (points[:, 0] + 180.0) % 360.0 - 180.0
    return np.column_stack([lon, points[:, 1]])


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, tag)
    child.text = visible(text)  # a control character would make the XML invalid
    return child


def _route(parent: ET.Element, name: str, route: Pattern | np.ndarray) -> None:
    points = _lonlat(route, name)
    rte = ET.SubElement(parent, "rte")
    _text(rte, "name", name)
    if isinstance(route, Pattern):
        _text(rte, "desc", f"{route.kind.replace('_', ' ')}, track spacing "
                           f"{route.track_spacing_nm:g} NM, {route.track_length_nm:.1f} NM")
        _text(rte, "type", route.kind)
    width = max(3, int(math.log10(len(points))) + 1)
    for i, (lon, lat) in enumerate(points, start=1):
        point = ET.SubElement(rte, "rtept", lat=f"{lat:.{DECIMALS}f}", lon=f"{lon:.{DECIMALS}f}")
        _text(point, "name", f"WP{i:0{width}d}")


def gpx_tree(routes: Mapping[str, Pattern | np.ndarray], *,
             name: str | None = None) -> ET.ElementTree:
    """The GPX 1.1 document of ``routes`` as an ElementTree (see :func:`write_gpx`)."""
    if not isinstance(routes, Mapping) or not routes:
        raise BadValueError("no routes to write", "give a mapping of asset name to Pattern",
                            source="write_gpx")
    root = ET.Element("gpx", {"xmlns": GPX_NAMESPACE, "version": "1.1", "creator": "sarkit"})
    if name is not None:
        _text(ET.SubElement(root, "metadata"), "name", str(name))
    for asset, route in routes.items():
        if not isinstance(asset, str) or not asset.strip():
            raise BadValueError(f"route name {asset!r} is not a non-empty string",
                                "name each route after its asset", source="write_gpx")
        _route(root, asset, route)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    return tree


def _serialise(tree: ET.ElementTree, path: Path) -> None:
    tree.write(path, encoding="UTF-8", xml_declaration=True)


def write_gpx(path: str | os.PathLike, routes: Mapping[str, Pattern | np.ndarray], *,
              name: str | None = None) -> Path:
    """Write one GPX 1.1 route per asset.

    Parameters
    ----------
    path : str or path-like
        Output file; written atomically (a failure leaves no file and keeps an old one).
    routes : mapping of str to Pattern or array
        Asset name to its :class:`~sarkit.planning.patterns.Pattern`, or to an ``(n, 2)``
        array of lon, lat degrees (n >= 2). Routes are written in the mapping's order.
    name : str, optional
        Name of the whole file (GPX ``<metadata><name>``), e.g. the case name.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    BadValueError
        For no routes, an empty route name, or a route that is not (n >= 2, 2) finite
        lon/lat with latitudes in -90..90. Nothing is written then.
    """
    tree = gpx_tree(routes, name=name)
    target = Path(path)
    with atomic_path(target) as temporary:
        _serialise(tree, temporary)
    return target
