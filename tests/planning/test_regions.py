"""Tests of the search and rescue regions (package data and user GeoJSON) and nearest assets."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from sarkit.errors import BadValueError, SarkitError
from sarkit.planning.assets import Asset, asset_type, centre_name, rescue_centre, rescue_centres
from sarkit.planning.regions import (
    SearchRegion,
    SearchRegionError,
    nearest_assets,
    responsibility_report,
    responsible,
    search_regions,
)

T0 = 1710914400.0  # 2024-03-20T06:00Z

# Points that the vertex lists of REGION.md §2.1 clearly contain (or clearly do not).
OFF_PHUKET = (98.2, 7.7)  # Andaman Sea SW of Phuket; the AIP edge 7.25N 98E-10N 96.5E is ~0.45° W
GULF_OF_THAILAND = (101.0, 9.0)  # west of the AIP line 10N-6.25N 102.25E
TIMOR_SEA = (126.0, -11.5)  # ~1.5° south of the AUS line 12S 123°20'E - 9°20'S 126°50'E
OFF_PERTH = (110.0, -30.0)
CHRISTMAS_ISLAND = (105.69, -10.45)  # north of the AUS line 2S 92E - 12S 107E: Indonesian SRR
ANDAMAN_DATUM = (95.0, 8.0)  # west of the Bangkok line: in the Kuala Lumpur FIR (Malaysia)
SOUTH_CHINA_SEA = (112.0, 12.0)  # Vietnamese or Philippine waters: not shipped
PUBLISHED = ["Bangkok SRR", "Australian SRR"]
PROXIES = ["Indian SRR (Chennai FIR)", "Indian SRR (Kolkata FIR)", "Indian SRR (Mumbai FIR)",
           "Myanmar SRR (Yangon FIR)", "Bangladesh SRR (Dhaka FIR)",
           "Sri Lankan SRR (Colombo FIR)", "Indonesian SRR (Jakarta FIR)",
           "Indonesian SRR (Ujung Pandang FIR)", "Malaysian SRR (Kuala Lumpur FIR)",
           "Malaysian SRR (Kota Kinabalu FIR)", "Singapore SRR (Singapore FIR)",
           "Maldives SRR (Male FIR)"]


# --- package data ----------------------------------------------------------------------------


def test_package_regions_are_valid_sourced_and_approximate() -> None:
    regions = search_regions()
    assert [r.name for r in regions] == PUBLISHED + PROXIES
    ids = {c.id for c in rescue_centres()}
    for region in regions:
        assert isinstance(region, SearchRegion)
        assert region.polygon.is_valid and not region.polygon.is_empty
        assert region.approximate is True
        assert region.source and region.note and region.status
        if region.name != "Maldives SRR (Male FIR)":  # no Maldivian centre in the catalogue
            assert region.centre in ids
            assert region.rescue_centre == rescue_centre(region.centre)
        if region.name in PROXIES:
            assert region.authoritative is False
            assert region.status.startswith("flight information region used as a proxy")
            assert "CC BY-SA 4.0" in region.source
        else:
            assert region.status.startswith("published SRR vertex list")
    by_name = {r.name: r for r in regions}
    assert by_name["Bangkok SRR"].authoritative is True  # Thai AIP, current text
    assert by_name["Australian SRR"].authoritative is False  # 1990s, truncated
    assert by_name["Bangkok SRR"].country == "Thailand"
    assert by_name["Australian SRR"].centre == "jrcc-australia"


def test_package_file_is_a_geojson_feature_collection() -> None:
    text = resources.files("sarkit").joinpath("tables/srr.geojson").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["type"] == "FeatureCollection"
    for feature in data["features"]:
        props = feature["properties"]
        assert props["approximate"] is True
        assert isinstance(props["authoritative"], bool)


def test_search_regions_is_cached_for_package_data() -> None:
    assert search_regions() is search_regions()


def test_aip_vertices_are_on_the_bangkok_boundary() -> None:
    bangkok = search_regions()[0]
    for lon, lat in [(102.25, 10.0), (102.25, 6.25), (99.5, 6.5), (98.0, 7.25), (96.5, 10.0)]:
        assert bangkok.polygon.boundary.distance(_point(lon, lat)) < 1e-9


# --- responsible -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("point", "name", "centre"),
    [
        (OFF_PHUKET, "Bangkok SRR", "bkkrcc"),
        (GULF_OF_THAILAND, "Bangkok SRR", "bkkrcc"),
        (TIMOR_SEA, "Australian SRR", "jrcc-australia"),
        (OFF_PERTH, "Australian SRR", "jrcc-australia"),
    ],
)
def test_responsible_finds_the_srr_and_centre(
    point: tuple[float, float], name: str, centre: str
) -> None:
    found = responsible(*point)
    assert [r.name for r in found] == [name]
    assert found[0].centre == centre


@pytest.mark.parametrize(
    ("point", "name", "centre", "says"),
    [
        ((93.0, 11.5), "Indian SRR (Chennai FIR)", "MRCC Chennai", True),  # off Port Blair
        ((94.9, 5.6), "Indonesian SRR (Jakarta FIR)", "Basarnas HQ", False),  # off Sabang
        ((100.0, 5.4), "Malaysian SRR (Kuala Lumpur FIR)", "MRCC Putrajaya", True),  # off Penang
        ((96.0, 15.8), "Myanmar SRR (Yangon FIR)", "Myanmar Coast Guard HQ", False),  # off Yangon
        ((91.6, 21.8), "Bangladesh SRR (Dhaka FIR)", "Bangladesh Navy MRCC", False),  # Chittagong
        ((81.6, 8.6), "Sri Lankan SRR (Colombo FIR)", "MRCC Colombo", True),  # off Trincomalee
        (ANDAMAN_DATUM, "Malaysian SRR (Kuala Lumpur FIR)", "MRCC Putrajaya", True),
        (CHRISTMAS_ISLAND, "Indonesian SRR (Jakarta FIR)", "Basarnas HQ", False),
    ],
)
def test_the_region_s_waters_have_a_responsible_srr_and_centre(
    point: tuple[float, float], name: str, centre: str, says: bool
) -> None:
    found = responsible(*point)
    assert [r.name for r in found] == [name]
    assert centre_name(found[0].centre).startswith(centre)
    assert ("the State says its SRR coincides with this FIR" in found[0].status) is says
    text = responsibility_report(*point, []).splitlines()[0]
    assert name in text and centre in text and "used as a proxy" in text


@pytest.mark.parametrize("point", [SOUTH_CHINA_SEA, (-30.0, 0.0)])
def test_outside_every_known_srr_is_an_empty_list(point: tuple[float, float]) -> None:
    assert responsible(*point) == []


def test_longitude_is_taken_modulo_360(tmp_path: Path) -> None:
    across = _feature("Across 180", [[170, -20], [190, -20], [190, -10], [170, -10], [170, -20]])
    regions = search_regions(_write(tmp_path, [across]))
    assert [r.name for r in responsible(-175.0, -15.0, regions)] == ["Across 180"]
    assert [r.name for r in responsible(175.0, -15.0, regions)] == ["Across 180"]


def test_responsible_refuses_a_datum_off_the_globe() -> None:
    with pytest.raises(BadValueError, match="Fix:"):
        responsible(98.0, 95.0)
    with pytest.raises(BadValueError):
        responsible(float("nan"), 7.0)


def test_overlapping_regions_are_all_returned_in_order(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            _feature("Outer", [[96, 5], [100, 5], [100, 9], [96, 9], [96, 5]]),
            _feature("Inner", [[97.5, 7], [99, 7], [99, 8.5], [97.5, 8.5], [97.5, 7]]),
        ],
    )
    regions = search_regions(path)
    assert [r.name for r in responsible(*OFF_PHUKET, regions)] == ["Outer", "Inner"]
    assert [r.name for r in responsible(96.5, 5.5, regions)] == ["Outer"]
    assert responsible(96.0, 7.0, regions)[0].name == "Outer"  # on the boundary counts
    assert responsible(*OFF_PERTH, regions) == []


# --- user GeoJSON ----------------------------------------------------------------------------


def _point(lon: float, lat: float):
    from shapely.geometry import Point

    return Point(lon, lat)


def _feature(name: str, ring: list[list[float]], **props: object) -> dict:
    properties = {
        "name": name,
        "country": "Testland",
        "centre": "kantor-sar-banda-aceh",
        "approximate": True,
        "authoritative": False,
        "source": "digitised by the test",
        **props,
    }
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _write(tmp_path: Path, features: list[dict], name: str = "srr.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


SQUARE = [[94, 2], [98, 2], [98, 6], [94, 6], [94, 2]]


def test_user_geojson_loads(tmp_path: Path) -> None:
    multi = {
        "type": "Feature",
        "properties": {
            "name": "Two parts",
            "country": "Testland",
            "centre": None,
            "approximate": False,
            "authoritative": True,
            "source": "an agreement",
            "note": "exact",
            "extra": 1,
        },
        "geometry": {
            "type": "MultiPolygon",
            "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]],
        },
    }
    regions = search_regions(_write(tmp_path, [_feature("Aceh SRR", SQUARE), multi]))
    aceh, two = regions
    assert aceh.name == "Aceh SRR" and aceh.centre == "kantor-sar-banda-aceh"
    assert aceh.rescue_centre.id == "kantor-sar-banda-aceh"
    assert aceh.approximate and not aceh.authoritative and aceh.note == ""
    assert two.centre is None and two.rescue_centre is None
    assert two.authoritative and not two.approximate and two.note == "exact"
    assert [r.name for r in responsible(95.5, 4.0, regions)] == ["Aceh SRR"]
    assert [r.name for r in responsible(5.8, 5.5, regions)] == ["Two parts"]
    assert responsible(3.0, 3.0, regions) == []


def test_user_geojson_accepts_str_path(tmp_path: Path) -> None:
    path = _write(tmp_path, [_feature("A", SQUARE)])
    assert search_regions(str(path))[0].name == "A"


def test_region_is_frozen() -> None:
    region = search_regions()[0]
    with pytest.raises(AttributeError):
        region.name = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps([1, 2]), "not a GeoJSON FeatureCollection"),
        (json.dumps({"type": "Feature"}), "not a GeoJSON FeatureCollection"),
        (json.dumps({"type": "FeatureCollection", "features": []}), 'no "features"'),
        (json.dumps({"type": "FeatureCollection", "features": [3]}), "not a GeoJSON Feature"),
    ],
)
def test_bad_files_say_how_to_fix(tmp_path: Path, content: str, match: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(content)
    with pytest.raises(SearchRegionError, match=match) as info:
        search_regions(path)
    assert "Fix:" in str(info.value)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SearchRegionError, match=r"cannot read.*Fix:"):
        search_regions(tmp_path / "nope.geojson")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"name": ""}, "'name' is missing"),
        ({"country": None}, "'country' is missing"),
        ({"source": 3}, "'source' is missing"),
        ({"approximate": "yes"}, "'approximate' is 'yes', not true or false"),
        ({"authoritative": None}, "'authoritative' is None"),
        ({"centre": 5}, "'centre' is 5"),
    ],
)
def test_bad_properties_name_the_feature(tmp_path: Path, change: dict, match: str) -> None:
    feature = _feature("Aceh SRR", SQUARE)
    feature["properties"].update(change)
    with pytest.raises(SearchRegionError, match=match) as info:
        search_regions(_write(tmp_path, [_feature("Fine", SQUARE), feature]))
    assert "feature 1" in str(info.value) and "Fix:" in str(info.value)


def test_missing_properties(tmp_path: Path) -> None:
    feature = _feature("A", SQUARE)
    del feature["properties"]
    with pytest.raises(SearchRegionError, match=r"no properties.*Fix:"):
        search_regions(_write(tmp_path, [feature]))


@pytest.mark.parametrize(
    ("geometry", "match"),
    [
        (None, "geometry is missing"),
        ({"type": "Point", "coordinates": [95, 5]}, "geometry is Point"),
        ({"type": "Polygon", "coordinates": [[[95, 5], [96, 5]]]}, "cannot be read"),
        ({"type": "Polygon", "coordinates": "x"}, "cannot be read"),
        ({"type": "Polygon", "coordinates": []}, "is empty"),
        (
            {"type": "Polygon", "coordinates": [[[5, 95], [6, 95], [6, 96], [5, 95]]]},
            "off the globe",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]},
            r"not valid.*Self-intersection",
        ),
    ],
)
def test_bad_geometry(tmp_path: Path, geometry: object, match: str) -> None:
    feature = _feature("Broken", SQUARE)
    feature["geometry"] = geometry
    with pytest.raises(SearchRegionError, match=match) as info:
        search_regions(_write(tmp_path, [feature]))
    assert "'Broken'" in str(info.value) and "Fix:" in str(info.value)


def test_duplicate_names(tmp_path: Path) -> None:
    path = _write(tmp_path, [_feature("A", SQUARE), _feature("A", SQUARE)])
    with pytest.raises(SearchRegionError, match=r"two features are named 'A'.*Fix:"):
        search_regions(path)


def test_unknown_centre_loads_but_does_not_resolve(tmp_path: Path) -> None:
    region = search_regions(_write(tmp_path, [_feature("A", SQUARE, centre="my-own-rcc")]))[0]
    assert region.centre == "my-own-rcc"
    with pytest.raises(SarkitError):
        _ = region.rescue_centre


def test_errors_are_sarkit_errors() -> None:
    assert issubclass(SearchRegionError, SarkitError)


# --- nearest assets --------------------------------------------------------------------------

# The Andaman datum 8N 95E: Banda Aceh 148 NM, Phuket 202 NM (REGION.md §6).


def _assets() -> list[Asset]:
    aceh = rescue_centre("kantor-sar-banda-aceh")
    phuket = rescue_centre("rtn-third-naval-area")
    ship = asset_type("kn-sar-class-2")
    return [
        Asset("Aceh slow", ship, T0, centre=aceh, cruise_speed_kt=14.0, endurance_h=60.0),
        Asset("Aceh fast", ship, T0, centre=aceh, cruise_speed_kt=20.0, endurance_h=60.0),
        # fast, but only ready in 3 h: arrives after Aceh fast
        Asset("Aceh late", ship, T0 + 3 * 3600, centre=aceh, cruise_speed_kt=30.0, endurance_h=60),
        Asset("Phuket M21", ship, T0, centre=phuket, cruise_speed_kt=30.0, endurance_h=24.0),
        # 2 x 6.7 h transit > 10 h endurance: unreachable
        Asset("Phuket short", ship, T0, centre=phuket, cruise_speed_kt=30.0, endurance_h=10.0),
        Asset("Own base", ship, T0, base=(96.0, 6.0), cruise_speed_kt=10.0, endurance_h=5.0),
    ]


def test_nearest_assets_one_per_centre_reachable_first() -> None:
    result = nearest_assets(*ANDAMAN_DATUM, _assets())
    names = [asset.name for asset, _ in result]
    assert names == ["Phuket M21", "Aceh fast", "Phuket short", "Own base"]
    arrivals = [t.arrival for _, t in result[:2]]
    assert arrivals == sorted(arrivals)
    assert all(t.reachable for _, t in result[:2])
    for _, t in result[2:]:
        assert not t.reachable and "endurance" in t.reason
    assert result[0][1].distance_nm == pytest.approx(202, abs=4)
    assert result[1][1].distance_nm == pytest.approx(148, abs=4)


def test_nearest_assets_per_centre_two() -> None:
    result = nearest_assets(*ANDAMAN_DATUM, _assets(), per_centre=2)
    names = [asset.name for asset, _ in result]
    assert names == ["Phuket M21", "Aceh fast", "Aceh late", "Phuket short", "Own base"]
    assert result[2][1].arrival > result[1][1].arrival  # ready later, though faster


def test_nearest_assets_per_centre_large_keeps_everything() -> None:
    assets = _assets()
    result = nearest_assets(*ANDAMAN_DATUM, assets, per_centre=10)
    assert {a.name for a, _ in result} == {a.name for a in assets}
    assert [a.name for a, _ in result][:4] == ["Phuket M21", "Aceh fast", "Aceh late", "Aceh slow"]


def test_nearest_assets_groups_base_only_assets_by_position() -> None:
    ship = asset_type("kn-sar-class-2")
    a = Asset("A", ship, T0, base=(96.0, 6.0), cruise_speed_kt=20.0, endurance_h=60.0)
    b = Asset("B", ship, T0, base=(96.0, 6.0), cruise_speed_kt=10.0, endurance_h=60.0)
    c = Asset("C", ship, T0, base=(97.0, 6.0), cruise_speed_kt=10.0, endurance_h=60.0)
    assert [x.name for x, _ in nearest_assets(95.0, 6.0, [b, c, a])] == ["A", "C"]


def test_nearest_assets_empty_and_bad_per_centre() -> None:
    assert nearest_assets(*ANDAMAN_DATUM, []) == []
    for bad in (0, -1, 1.5, True):
        with pytest.raises(BadValueError, match=r"per_centre.*Fix:"):
            nearest_assets(*ANDAMAN_DATUM, _assets(), per_centre=bad)  # type: ignore[arg-type]


def test_responsibility_report_names_the_srr_centre_and_who_can_help() -> None:
    text = responsibility_report(*OFF_PHUKET, _assets())
    first, *rest = text.splitlines()
    holder = responsible(*OFF_PHUKET)[0]
    assert first.startswith("responsible: the datum 7.700N 98.200E is in " + holder.name)
    assert "Bangkok Rescue Co-ordination Centre" in first
    assert "published SRR vertex list" in first
    helpers = [line for line in rest if line.startswith("  ") and "cannot help" not in line]
    # one line per centre, the first of each to arrive (Aceh late: the fastest, though ready
    # 3 h later); the asset whose endurance does not cover the trip, with the reason
    assert [line.split(" (")[0].strip() for line in helpers] == ["Phuket M21", "Aceh late"]
    cannot = [line for line in rest if "cannot help" in line]
    assert len(cannot) == 1 and "Own base" in cannot[0] and "endurance" in cannot[0]
    # centres by name, a base by its position the one way, arrivals in UTC and local time
    assert all("kantor-sar" not in line and "rtn-" not in line for line in rest)
    assert "local (UTC+07:00 Asia/Bangkok)" in helpers[0]
    assert re.search(r"\(base \d+\.\d{3}[NS] \d+\.\d{3}[EW]\)", cannot[0]), cannot[0]
    outside = responsibility_report(*SOUTH_CHINA_SEA, _assets()).splitlines()[0]
    assert "outside every known SRR" in outside and "12.000N 112.000E" in outside
    assert "100.000W" in responsibility_report(-100.0, 10.0, []).splitlines()[0]
