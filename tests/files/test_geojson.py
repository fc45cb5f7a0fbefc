"""GeoJSON written by sarkit follows RFC 7946 and opens in independent readers."""

from __future__ import annotations

import itertools
import json
import math

import geojson
import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from sarkit.errors import SarkitError
from sarkit.files.atomic import atomic_path
from sarkit.files.geojson import (
    GeoJSONError,
    areas_collection,
    areas_features,
    feature,
    feature_collection,
    read_searched,
    write_geojson,
)
from sarkit.poc import poc_grid, search_areas
from tests.poc import make_trajectories, offsets_to_lonlat


def _signed_area(ring) -> float:
    """Shoelace area: positive for a counter-clockwise ring."""
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))


def check_rfc7946(collection: dict) -> None:
    """The RFC 7946 rules a search-area file must keep (sections 3.1.1, 3.1.6, 4, 5)."""
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    for item in collection["features"]:
        assert item["type"] == "Feature" and isinstance(item["properties"], dict)
        geometry = item["geometry"]
        polygons = {"Polygon": [geometry["coordinates"]],
                    "MultiPolygon": geometry["coordinates"]}.get(geometry["type"], [])
        for rings in polygons:
            for i, ring in enumerate(rings):
                assert ring[0] == ring[-1] and len(ring) >= 4  # closed linear ring
                for lon, lat in ring:
                    assert -180 <= lon <= 180 and -90 <= lat <= 90
                # right-hand rule: exterior counter-clockwise, holes clockwise
                assert (_signed_area(ring) > 0) == (i == 0)
        if geometry["type"] == "Point":
            lon, lat = geometry["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_search_areas_features_are_rfc7946_geojson():
    rng = np.random.default_rng(7)
    lon, lat = offsets_to_lonlat(np.r_[rng.normal(0, 2.0, 1500), rng.normal(8.0, 1.0, 1500)],
                                 np.r_[rng.normal(0, 1.0, 1500), rng.normal(3.0, 2.0, 1500)])
    areas = search_areas(poc_grid(make_trajectories(lon, lat)))
    features = areas_features(areas)
    assert [f["properties"]["kind"] for f in features] == [
        "area", "area", "area", "rectangle", "datum"]
    assert [f["properties"]["probability"] for f in features[:3]] == [0.95, 0.9, 0.5]
    assert all(f["properties"]["probability_contained"] >= f["properties"]["probability"] - 1e-9
               for f in features[:3])
    first = features[0]["properties"]
    assert first["valid_time"] == "2026-03-01T06:00:00Z"
    assert math.isclose(first["area_nm2"], areas[0.95].area_nm2)
    collection = geojson.loads(geojson.dumps({"type": "FeatureCollection",
                                              "features": features}))
    assert collection.is_valid
    assert features[-1]["geometry"]["coordinates"] == pytest.approx(
        [areas.datum_lon, areas.datum_lat])
    common = areas_collection(areas, scenario="x")
    check_rfc7946(common)
    assert common["features"] == areas_features(areas, scenario="x")
    assert all(f["properties"]["scenario"] == "x" for f in common["features"])


def test_polygons_follow_the_right_hand_rule(tmp_path):
    clockwise = shapely.Polygon([(95, 6), (95, 7), (96, 7), (96, 6)],
                                holes=[[(95.2, 6.2), (95.8, 6.2), (95.8, 6.8), (95.2, 6.8)]])
    assert clockwise.exterior.is_ccw is False
    multi = shapely.MultiPolygon([clockwise, shapely.box(97, 6, 98, 7)])
    collection = feature_collection(
        [feature(clockwise, {"kind": "area", "probability": 0.5}),
         feature(multi, {"kind": "area", "probability": 0.9}),
         feature(shapely.Point(95.5, 6.5), {"kind": "datum"})],
        name="test",
    )
    path = write_geojson(collection, tmp_path / "areas.geojson")
    loaded = json.loads(path.read_text())
    check_rfc7946(loaded)
    assert shape(loaded["features"][0]["geometry"]).equals(clockwise)
    assert geojson.loads(path.read_text()).is_valid  # an independent reader's checks


def test_longitudes_past_180_are_written_in_range():
    polygon = shapely.box(190.0, 10.0, 191.0, 11.0)
    written = feature(polygon, {})
    check_rfc7946(feature_collection([written]))
    assert shape(written["geometry"]).bounds == pytest.approx((-170.0, 10.0, -169.0, 11.0))


def test_a_geometry_across_the_antimeridian_is_refused():
    with pytest.raises(GeoJSONError, match="antimeridian"):
        feature(shapely.box(179.0, 0.0, 181.0, 1.0), {})


@pytest.mark.parametrize("geometry", [shapely.Polygon(), shapely.Polygon(
    [(0, 0), (1, 1), (1, 0), (0, 1)])])
def test_empty_or_invalid_geometries_are_refused(geometry):
    with pytest.raises(GeoJSONError, match="Fix:"):
        feature(geometry, {})


def test_failed_write_leaves_no_file(tmp_path):
    target = tmp_path / "areas.geojson"
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("{partial")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError):  # NaN is not JSON: refused before anything is written
        write_geojson(feature_collection([{"type": "Feature", "geometry": None,
                                           "properties": {"x": float("nan")}}]), target)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("text", "message"), [
    (None, "cannot read the searched plan"),
    ("{not json", "not JSON"),
    ('{"type": "FeatureCollection", "features": []}', "no search rectangles"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, '
     '"properties": {"kind": "search_rectangle", "asset": "A"}}]}', "feature 1 is not"),
    ('{"type": "FeatureCollection", "features": ["x", {"properties": 3}]}',
     "no search rectangles"),
    ('{"type": "FeatureCollection", "features": 7}', "no search rectangles"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": '
     '"Point", "coordinates": [96, 9]}, "properties": {"kind": "search_rectangle", "asset": '
     '"A", "pod": 0.5, "start_time": "2024-06-10T04:00Z", "end_time": "2024-06-10T08:00Z"}}]}',
     "a Point, not a rectangle"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": '
     '"Polygon", "coordinates": [[[96, 9], [96.1, 9], [96.1, 9.1], [96, 9]]]}, "properties": '
     '{"kind": "search_rectangle", "asset": "A", "pod": NaN, "start_time": '
     '"2024-06-10T04:00Z", "end_time": "2024-06-10T08:00Z"}}]}', "POD nan"),
])
def test_a_searched_plan_that_cannot_be_read_is_refused(tmp_path, text, message):
    path = tmp_path / "plan.geojson"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(SarkitError, match=message) as info:
        read_searched(path)
    assert "Fix: give a plan.geojson written by sarkit plan" in str(info.value)

