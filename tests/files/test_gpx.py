"""GPX 1.1 routes: valid XML, the GPX 1.1 namespace, waypoints in order, atomic writes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from sarkit.errors import BadValueError
from sarkit.files import gpx
from sarkit.files.gpx import GPX_NAMESPACE, write_gpx
from sarkit.planning.patterns import expanding_square, parallel_sweep

NS = {"g": "http://www.topografix.com/GPX/1/1"}


def _routes():
    return {
        "Dornier 328 (Denpasar)": parallel_sweep(115.2, -9.4, 20.0, 10.0, 30.0, 2.0),
        "KN Tanjung Datu": expanding_square(115.5, -9.6, 1.0, legs=7),
        "raw": np.array([[114.0, -8.0], [184.0, -8.5], [-175.5, -9.0]]),
    }


def test_gpx_is_valid_gpx_11_with_routes_in_order(tmp_path):
    routes = _routes()
    out = write_gpx(tmp_path / "plan.gpx", routes, name="case 2026-17")
    assert out == tmp_path / "plan.gpx"
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.topografix.com/GPX/1/1}gpx"
    assert GPX_NAMESPACE == NS["g"]
    assert root.get("version") == "1.1" and root.get("creator")
    assert root.find("g:metadata/g:name", NS).text == "case 2026-17"
    rtes = root.findall("g:rte", NS)
    assert [r.find("g:name", NS).text for r in rtes] == list(routes)
    for rte, route in zip(rtes, routes.values(), strict=True):
        expected = getattr(route, "waypoints", route)
        points = rte.findall("g:rtept", NS)
        assert len(points) == len(expected)
        assert [p.find("g:name", NS).text for p in points] == [
            f"WP{i:03d}" for i in range(1, len(expected) + 1)]
        lonlat = np.array([[float(p.get("lon")), float(p.get("lat"))] for p in points])
        wrapped = (expected[:, 0] + 180.0) % 360.0 - 180.0
        np.testing.assert_allclose(lonlat[:, 0], wrapped, atol=6e-7)
        np.testing.assert_allclose(lonlat[:, 1], expected[:, 1], atol=6e-7)
        assert np.all(np.abs(lonlat[:, 0]) <= 180.0)
        for p in points:  # six decimals
            assert len(p.get("lat").split(".")[1]) == 6
            assert len(p.get("lon").split(".")[1]) == 6


def test_gpx_rte_children_follow_the_schema_order(tmp_path):
    out = write_gpx(tmp_path / "plan.gpx", _routes())
    root = ET.parse(out).getroot()
    assert root.find("g:metadata", NS) is None  # no name given
    order = ["name", "cmt", "desc", "src", "link", "number", "type", "extensions", "rtept"]
    for rte in root.findall("g:rte", NS):
        tags = [child.tag.split("}")[1] for child in rte]
        assert tags == sorted(tags, key=order.index)
    first = root.find("g:rte", NS)
    assert first.find("g:type", NS).text == "parallel_sweep"


def test_many_waypoints_get_wider_names(tmp_path):
    track = np.column_stack([np.linspace(115, 116, 1200), np.full(1200, -9.0)])
    root = ET.parse(write_gpx(tmp_path / "long.gpx", {"a": track})).getroot()
    names = [p.find("g:name", NS).text for p in root.iterfind("g:rte/g:rtept", NS)]
    assert names[0] == "WP0001" and names[-1] == "WP1200"


def test_failed_write_leaves_no_file(tmp_path, monkeypatch):
    def broken(tree, path):
        path.write_text("<gpx")  # half written
        raise OSError("disk full")

    monkeypatch.setattr(gpx, "_serialise", broken)
    with pytest.raises(OSError, match="disk full"):
        write_gpx(tmp_path / "plan.gpx", _routes())
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "plan.gpx"
    write_gpx(target, _routes())
    before = target.read_bytes()

    def broken(tree, path):
        raise OSError("disk full")

    monkeypatch.setattr(gpx, "_serialise", broken)
    with pytest.raises(OSError):
        write_gpx(target, {"x": np.array([[0.0, 0.0], [1.0, 1.0]])})
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.gpx"]


@pytest.mark.parametrize(
    ("routes", "match"),
    [
        ({}, "no routes"),
        ({"": np.array([[0.0, 0.0], [1.0, 1.0]])}, "route name"),
        ({"a": np.array([[0.0, 0.0]])}, "shape"),
        ({"a": np.zeros((3, 3))}, "shape"),
        ({"a": np.array([[0.0, np.nan], [1.0, 1.0]])}, "missing or infinite"),
        ({"a": np.array([[0.0, 0.0], [1.0, 91.0]])}, "latitude"),
    ],
)
def test_bad_routes_raise_and_write_nothing(tmp_path, routes, match):
    with pytest.raises(BadValueError, match=match):
        write_gpx(tmp_path / "plan.gpx", routes)
    assert list(tmp_path.iterdir()) == []
