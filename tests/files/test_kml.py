"""KML of the search areas: parsed back, coordinates lon,lat, polygons clamped to the ground."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
import shapely

from sarkit.errors import SarkitError
from sarkit.files.geojson import feature
from sarkit.files.kml import KML_NAMESPACE, areas_kml, write_kml

NS = {"k": KML_NAMESPACE}


def _features():
    square = shapely.Polygon([(95.0, 9.0), (95.5, 9.0), (95.5, 9.4), (95.0, 9.4)])
    holed = shapely.Polygon(square.exterior.coords,
                            [[(95.1, 9.1), (95.2, 9.1), (95.2, 9.2), (95.1, 9.2)]])
    two = shapely.MultiPolygon([square, shapely.box(96.0, 9.0, 96.2, 9.2)])
    when = "2024-06-11T02:00:00Z"
    return [
        feature(holed, {"kind": "area", "probability": 0.5, "area_nm2": 700.0,
                        "valid_time": when}),
        feature(two, {"kind": "area", "probability": 0.9, "area_nm2": 1000.0,
                      "valid_time": when}),
        feature(square, {"kind": "rectangle", "level": 0.9, "length_nm": 30.0,
                         "width_nm": 24.0, "area_nm2": 720.0, "valid_time": when}),
        feature(shapely.Point(95.25, 9.2), {"kind": "datum", "valid_time": when}),
        feature(shapely.MultiPoint([(95.3, 9.3), (95.31, 9.31)]),
                {"kind": "stranded", "count": 2, "valid_time": "2024-06-12T02:00:00Z"}),
    ]


def _pairs(text: str) -> np.ndarray:
    return np.array([[float(v) for v in item.split(",")] for item in text.split()])


def test_kml_parses_back_with_lon_lat_and_clamp_to_ground(tmp_path):
    path = write_kml(_features(), tmp_path / "areas.kml", name="case 1")
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{KML_NAMESPACE}}}kml"
    assert root.find("k:Document/k:name", NS).text == "case 1"
    folders = root.findall("k:Document/k:Folder", NS)
    assert [f.find("k:name", NS).text for f in folders] == [
        "valid 2024-06-11T02:00:00Z", "valid 2024-06-12T02:00:00Z"]
    polygons = root.findall(".//k:Polygon", NS)
    assert len(polygons) == 4  # holed area, two parts, rectangle
    for polygon in polygons:
        assert polygon.find("k:altitudeMode", NS).text == "clampToGround"
        assert polygon.find("k:tessellate", NS).text == "1"
        ring = _pairs(polygon.find("k:outerBoundaryIs/k:LinearRing/k:coordinates", NS).text)
        assert np.array_equal(ring[0], ring[-1])  # closed
        assert np.all((ring[:, 0] > 94) & (ring[:, 0] < 97))  # lon first
        assert np.all((ring[:, 1] > 8) & (ring[:, 1] < 10))
    holes = polygons[0].findall("k:innerBoundaryIs/k:LinearRing/k:coordinates", NS)
    assert len(holes) == 1
    assert shapely.Polygon(_pairs(holes[0].text)).area == pytest.approx(0.01)
    point = root.find(".//k:Placemark[k:name='datum']/k:Point/k:coordinates", NS)
    assert _pairs(point.text).tolist() == [[95.25, 9.2]]


def test_kml_placemarks_carry_names_styles_and_data(tmp_path):
    root = areas_kml(_features()).getroot()
    names = [p.find("k:name", NS).text for p in root.iter(f"{{{KML_NAMESPACE}}}Placemark")]
    assert names[:3] == ["50% area (700 NM²)", "90% area (1,000 NM²)",
                         "90% rectangle 30.0 x 24.0 NM"]
    first = root.find(".//k:Placemark", NS)
    assert first.find("k:styleUrl", NS).text == "#area-0.5"
    assert first.find("k:TimeStamp/k:when", NS).text == "2024-06-11T02:00:00Z"
    data = {d.get("name"): d.find("k:value", NS).text
            for d in first.findall("k:ExtendedData/k:Data", NS)}
    assert data["probability"] == "0.5" and data["kind"] == "area"
    styles = {s.get("id") for s in root.findall("k:Document/k:Style", NS)}
    assert {"area-0.5", "area-0.9", "area-0.95", "rectangle", "iamsar_circle"} <= styles


def test_kml_refuses_nothing_to_write_and_leaves_no_file(tmp_path):
    with pytest.raises(SarkitError, match="no search areas"):
        write_kml([], tmp_path / "areas.kml")
    assert list(tmp_path.iterdir()) == []


def test_kml_refuses_a_geometry_it_cannot_hold():
    bad = {"type": "Feature", "geometry": {"type": "GeometryCollection", "geometries": []},
           "properties": {"kind": "area", "probability": 0.5, "area_nm2": 1.0}}
    with pytest.raises(SarkitError, match="GeometryCollection"):
        areas_kml([bad])
