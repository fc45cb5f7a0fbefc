"""Tests of the rescue-centre and asset-type catalogues, transit times and roster loading."""

from __future__ import annotations

import csv
import math
from importlib import resources
from pathlib import Path

import pytest
from pyproj import Geod

from sarkit.errors import BadValueError, SarkitError
from sarkit.files.roster import load_roster
from sarkit.planning.assets import (
    Asset,
    AssetType,
    UnknownAssetTypeError,
    UnknownCentreError,
    asset_type,
    asset_types,
    rescue_centre,
    rescue_centres,
    transit,
)

# The region box: Mumbai (72.8 E) to Port Moresby (147 E) and Canberra (149 E, 35 S).
REGION_LON = (70.0, 155.0)
REGION_LAT = (-40.0, 25.0)
T0 = 1710914400.0  # 2024-03-20T06:00Z


def _package_text(name: str) -> str:
    return resources.files("sarkit").joinpath(f"tables/{name}").read_text(encoding="utf-8")


# --- centres ---------------------------------------------------------------------------------


def test_catalogue_has_every_row_of_the_shared_facts(shared_data: Path) -> None:
    facts = shared_data.parent / "facts" / "rcc.csv"
    with facts.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    centres = rescue_centres()
    assert len(centres) == len(rows) == 46
    for row, centre in zip(rows, centres, strict=True):
        assert centre.name == row["name"]
        assert centre.agency == row["agency"]
        assert centre.country == row["country"]
        assert centre.city == row["city"]
        assert centre.role == row["role"]
        assert centre.lat == float(row["lat_city_approx"])
        assert centre.lon == float(row["lon_city_approx"])
        assert "city-centre approximation" in centre.coordinate_note
        assert centre.sources == tuple(s.strip() for s in row["sources"].split("|"))


def test_centres_inside_the_region_with_unique_ids() -> None:
    centres = rescue_centres()
    assert len({c.id for c in centres}) == len(centres)
    for centre in centres:
        assert REGION_LON[0] < centre.lon < REGION_LON[1], centre
        assert REGION_LAT[0] < centre.lat < REGION_LAT[1], centre
        assert centre.sources and all(s for s in centre.sources)
        assert centre.tag in {"V", "S", "I"}


def test_caveat_in_the_package_csv_header() -> None:
    header = [line for line in _package_text("rcc.csv").splitlines() if line.startswith("#")]
    text = " ".join(header)
    assert "CITY-CENTRE APPROXIMATIONS" in text
    assert "NOT FACILITY POSITIONS" in text


def test_readme_names_both_tables() -> None:
    text = _package_text("assets_README.md")
    assert "rcc.csv" in text and "asset_types.csv" in text
    assert "city-centre approximation" in " ".join(text.lower().split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mrcc-port-blair", "mrcc-port-blair"),
        ("MRCC Port Blair", "mrcc-port-blair"),
        ("port blair", "mrcc-port-blair"),
        ("PORT BL", "mrcc-port-blair"),
        ("banda aceh", "kantor-sar-banda-aceh"),
        ("Kantor SAR Kupang (Kelas A)", "kantor-sar-kupang"),
        ("langkawi", "mrsc-langkawi"),
        ("bkkrcc", "bkkrcc"),
        ("mrcc singapore", "mrcc-singapore"),
    ],
)
def test_centre_lookup(text: str, expected: str) -> None:
    assert rescue_centre(text).id == expected


def test_centre_lookup_passes_a_centre_through() -> None:
    centre = rescue_centres()[0]
    assert rescue_centre(centre) is centre


def test_unknown_centre_suggests() -> None:
    with pytest.raises(UnknownCentreError, match="did you mean mrcc-colombo") as info:
        rescue_centre("mrcc colmbo")
    assert "Fix:" in str(info.value)
    assert isinstance(info.value, LookupError) and isinstance(info.value, SarkitError)


def test_ambiguous_centre_lists_candidates() -> None:
    with pytest.raises(UnknownCentreError, match="matches 2 rescue centres") as info:
        rescue_centre("singapore")
    assert "mrcc-singapore" in str(info.value) and "rcc-singapore" in str(info.value)


def test_empty_centre_name() -> None:
    with pytest.raises(UnknownCentreError, match="empty"):
        rescue_centre("  ")


# --- asset types -----------------------------------------------------------------------------


def test_asset_types_are_sourced_and_sane() -> None:
    types = asset_types()
    assert len({t.id for t in types}) == len(types) >= 10
    for item in types:
        assert item.platform in {"vessel", "fixed_wing", "helicopter"}
        assert item.sources and item.figures_note
        for key in ("cruise_speed_kt", "endurance_h", "max_speed_kt", "range_nm"):
            value = getattr(item, key)
            assert value is None or value > 0
        if item.cruise_speed_kt and item.max_speed_kt:
            assert item.cruise_speed_kt <= item.max_speed_kt
        # No source in the region gave search speeds or heights.
        assert item.search_speed_kt is None and item.search_height_ft is None


def test_asset_type_figures_from_region_md() -> None:
    kn = asset_type("kn-sar-class-2")
    assert (kn.platform, kn.cruise_speed_kt, kn.max_speed_kt, kn.endurance_h) == (
        "vessel",
        20.0,
        30.0,
        60.0,
    )
    jet = asset_type("challenger")
    assert (jet.platform, jet.cruise_speed_kt, jet.endurance_h) == ("fixed_wing", 445.0, 8.0)
    heli = asset_type("aw139")
    assert heli.platform == "helicopter" and heli.cruise_speed_kt is None
    assert heli.endurance_h is None


def test_asset_type_errors() -> None:
    with pytest.raises(UnknownAssetTypeError, match="matches 2 asset types"):
        asset_type("kn sar")
    with pytest.raises(UnknownAssetTypeError, match="no asset type matches"):
        asset_type("zeppelin")


# --- assets and transit ----------------------------------------------------------------------


def _kresna(**figures: float) -> Asset:
    return Asset(
        "KN SAR Kresna 232",
        asset_type("kn-sar-class-2"),
        T0,
        centre=rescue_centre("banda aceh"),
        **figures,
    )


def test_known_great_circle_distance_phuket_to_banda_aceh() -> None:
    # Independent: pyproj's WGS84 geodesic, and a hand value on a 6371 km sphere.
    phuket = rescue_centre("phuket")
    aceh = rescue_centre("banda aceh")
    jet = Asset("Rescue 1", asset_type("challenger"), T0, centre=phuket)
    trip = transit(jet, aceh.lon, aceh.lat)
    _, _, metres = Geod(ellps="WGS84").inv(98.41, 7.80, 95.32, 5.55)
    assert trip.distance_nm == pytest.approx(metres / 1852.0, rel=1e-9)
    phi1, phi2 = math.radians(7.80), math.radians(5.55)
    dlon = math.radians(95.32 - 98.41)
    sphere = 6371.0 * math.acos(
        math.sin(phi1) * math.sin(phi2) + math.cos(phi1) * math.cos(phi2) * math.cos(dlon)
    )
    assert trip.distance_nm == pytest.approx(sphere / 1.852, rel=0.01)  # about 207 NM


def test_region_md_derived_distance_to_andaman_datum() -> None:
    # REGION.md section 6: Banda Aceh to 8N 95E is 148 NM (sphere; within about 3 NM).
    trip = transit(_kresna(), 95.0, 8.0)
    assert trip.distance_nm == pytest.approx(148.0, abs=3.0)


def test_on_scene_arithmetic() -> None:
    asset = _kresna()
    trip = transit(asset, 95.0, 8.0)
    assert trip.transit_h == pytest.approx(trip.distance_nm / 20.0)
    assert trip.on_scene_h == pytest.approx(60.0 - 2.0 * trip.transit_h)
    assert trip.arrival == pytest.approx(T0 + trip.transit_h * 3600.0)
    assert trip.reachable and trip.reason == ""
    assert trip.arrival_iso.startswith("2024-03-20T")


def test_overrides_replace_type_figures() -> None:
    asset = _kresna(cruise_speed_kt=14.0, endurance_h=30.0)
    trip = transit(asset, 95.0, 8.0)
    assert trip.transit_h == pytest.approx(trip.distance_nm / 14.0)
    assert trip.on_scene_h == pytest.approx(30.0 - 2.0 * trip.distance_nm / 14.0)


def test_unreachable_asset_has_reason() -> None:
    # REGION.md section 6: Perth to Christmas Island, about 1,411 NM; a Challenger at 445 kn
    # with 8 h is fine, with 6 h it is not.
    perth = (115.86, -31.95)
    xmas = (105.69, -10.45)
    jet = Asset("Challenger", asset_type("challenger"), T0, base=perth)
    trip = transit(jet, *xmas)
    assert trip.reachable
    assert trip.distance_nm == pytest.approx(1411.0, abs=15.0)
    assert trip.on_scene_h == pytest.approx(8.0 - 2 * trip.distance_nm / 445.0)
    short = Asset("Challenger", asset_type("challenger"), T0, base=perth, endurance_h=6.0)
    trip = transit(short, *xmas)
    assert not trip.reachable and trip.on_scene_h == 0.0
    assert "Challenger" in trip.reason and "6 h" in trip.reason


def test_missing_figure_names_asset_and_key() -> None:
    heli = Asset("Rescue 7", asset_type("aw139"), T0, base=(101.7, 2.9))
    with pytest.raises(BadValueError, match="Rescue 7") as info:
        transit(heli, 100.0, 3.0)
    message = str(info.value)
    assert "cruise_speed_kt" in message and "asset_types.csv" in message
    with pytest.raises(BadValueError, match="search_speed_kt"):
        _ = _kresna().search_speed
    with pytest.raises(BadValueError, match="endurance_h"):
        transit(
            Asset("H", asset_type("aw139"), T0, base=(101.7, 2.9), cruise_speed_kt=140), 100.0, 3.0
        )


def test_asset_validation() -> None:
    kind = asset_type("kn-sar-class-2")
    with pytest.raises(BadValueError, match="exactly one"):
        Asset("X", kind, T0)
    with pytest.raises(BadValueError, match="exactly one"):
        Asset("X", kind, T0, centre=rescue_centres()[0], base=(100.0, 0.0))
    with pytest.raises(BadValueError, match="latitude"):
        Asset("X", kind, T0, base=(100.0, 95.0))
    with pytest.raises(BadValueError, match="cruise_speed_kt"):
        Asset("X", kind, T0, base=(100.0, 0.0), cruise_speed_kt=-3.0)
    with pytest.raises(BadValueError, match="search point"):
        transit(_kresna(), 95.0, -91.0)


def test_own_asset_type() -> None:
    mine = AssetType(
        "my-rib",
        "RIB",
        "vessel",
        "me",
        25.0,
        15.0,
        5.0,
        6.0,
        "visual",
        35.0,
        None,
        "I",
        "own figures",
        "own",
    )
    asset = Asset("RIB 1", mine, T0, base=(95.3, 5.6))
    assert asset.search_speed == 15.0 and asset.search_height == 6.0
    assert asset.lon == 95.3 and asset.lat == 5.6


# --- rosters ---------------------------------------------------------------------------------

TOML_ROSTER = """
[[asset]]
name = "KN SAR Kresna 232"
type = "kn-sar-class-2"
centre = "banda aceh"
ready = 2024-03-20T06:00:00Z
search_speed_kt = 10

[[asset]]
name = "Rescue 7"
type = "aw139"
base = [98.31, 7.88]
ready = "2024-03-20T13:00+07:00"
cruise_speed_kt = 140
endurance_h = 4.5
search_height_ft = 500
"""

CSV_ROSTER = """# a roster
name,type,centre,base_lon,base_lat,ready,cruise_speed_kt,endurance_h
KN SAR Kresna 232,kn-sar-class-2,kantor-sar-banda-aceh,,,2024-03-20T06:00Z,,
Rescue 7,aw139,,98.31,7.88,2024-03-20T06:00Z,140,4.5
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "text"), [("r.toml", TOML_ROSTER), ("r.csv", CSV_ROSTER)])
def test_roster_loads(tmp_path: Path, name: str, text: str) -> None:
    kresna, heli = load_roster(_write(tmp_path, name, text))
    assert kresna.name == "KN SAR Kresna 232"
    assert kresna.type.id == "kn-sar-class-2"
    assert kresna.centre is not None and kresna.centre.id == "kantor-sar-banda-aceh"
    assert kresna.ready == T0 and kresna.cruise == 20.0
    assert heli.base == (98.31, 7.88) and heli.centre is None
    assert heli.ready == T0
    assert heli.cruise == 140.0 and heli.endurance == 4.5
    assert transit(heli, 95.0, 8.0).reachable


def _toml_error(tmp_path: Path, text: str, error: type[Exception] = BadValueError) -> str:
    with pytest.raises(error) as info:
        load_roster(_write(tmp_path, "r.toml", text))
    return str(info.value)


BASE = 'name = "A"\ntype = "kn-sar-class-2"\ncentre = "langkawi"\nready = "2024-03-20T06:00Z"\n'


def test_roster_unknown_key_suggests(tmp_path: Path) -> None:
    message = _toml_error(tmp_path, "[[asset]]\n" + BASE + "cruise_speed_kn = 12\n")
    assert "unknown key `cruise_speed_kn`" in message
    assert "did you mean `cruise_speed_kt`" in message and "r.toml" in message


def test_roster_unknown_top_level_key(tmp_path: Path) -> None:
    assert "unknown key `assets`" in _toml_error(tmp_path, "[[assets]]\n" + BASE)


def test_roster_wrong_types_name_the_key(tmp_path: Path) -> None:
    message = _toml_error(tmp_path, "[[asset]]\n" + BASE + 'endurance_h = "long"\n')
    assert "asset 1 ('A').endurance_h: expected a number" in message
    message = _toml_error(tmp_path, "[[asset]]\n" + BASE.replace('"A"', "5"))
    assert "name: expected text" in message
    message = _toml_error(tmp_path, "[[asset]]\n" + BASE.replace('"2024-03-20T06:00Z"', "12"))
    assert "ready: expected a date and time" in message
    message = _toml_error(tmp_path, "[[asset]]\n" + BASE.replace("2024-03-20T", "tomorrow "))
    assert "ready: 'tomorrow 06:00Z' is not a date and time" in message
    text = "[[asset]]\n" + BASE.replace('centre = "langkawi"', "base = [1, 2, 3]")
    assert "base: expected two numbers" in _toml_error(tmp_path, text)
    message = _toml_error(tmp_path, "[[asset]]\n" + BASE + "endurance_h = nan\n")
    assert "endurance_h: nan is not a finite number" in message


def test_roster_missing_and_bad_values(tmp_path: Path) -> None:
    assert "ready: missing" in _toml_error(
        tmp_path, "[[asset]]\n" + BASE.replace('ready = "2024-03-20T06:00Z"\n', "")
    )
    assert "exactly one" in _toml_error(tmp_path, "[[asset]]\n" + BASE + "base = [100.0, 5.0]\n")
    assert "endurance_h: 0 is out of range. Fix: give a number above 0" in _toml_error(
        tmp_path, "[[asset]]\n" + BASE + "endurance_h = 0\n")
    assert "two assets" in _toml_error(tmp_path, "[[asset]]\n" + BASE + "[[asset]]\n" + BASE)
    assert "no assets" in _toml_error(tmp_path, "# empty\n")
    assert "not valid TOML" in _toml_error(tmp_path, "[[asset]\n")


def test_roster_unknown_centre_and_type(tmp_path: Path) -> None:
    message = _toml_error(
        tmp_path, "[[asset]]\n" + BASE.replace("langkawi", "atlantis"), UnknownCentreError
    )
    assert "asset 1 ('A')" in message and "r.toml" in message
    _toml_error(
        tmp_path, "[[asset]]\n" + BASE.replace("kn-sar-class-2", "zeppelin"), UnknownAssetTypeError
    )


def test_csv_roster_errors(tmp_path: Path) -> None:
    def error(text: str) -> str:
        with pytest.raises(BadValueError) as info:
            load_roster(_write(tmp_path, "r.csv", text))
        return str(info.value)

    assert "did you mean `endurance_h`" in error("name,type,centre,ready,endurance\n")
    row = "A,kn-sar-class-2,langkawi,2024-03-20T06:00Z"
    assert "row 1 ('A').endurance_h: expected a number" in error(
        f"name,type,centre,ready,endurance_h\n{row},six\n")
    assert "base_lon and base_lat" in error(
        "name,type,ready,base_lon\nA,kn-sar-class-2,2024-03-20T06:00Z,95\n"
    )
    assert "more cells" in error(f"name,type,centre,ready\n{row},extra\n")


def test_roster_file_errors(tmp_path: Path) -> None:
    with pytest.raises(BadValueError, match=r"neither \.toml nor \.csv"):
        load_roster(tmp_path / "r.json")
    with pytest.raises(BadValueError, match="cannot read"):
        load_roster(tmp_path / "missing.toml")


def test_a_ship_sails_around_land_an_aircraft_flies_over_it() -> None:
    """From Banda Aceh to the east side of Sumatra's north tip: the ship's transit is its route
    at sea (longer than the great circle, every leg at sea), the aircraft's the great circle."""
    from sarkit.planning import asset_type, transit
    from sarkit.planning.assets import Asset as _Asset

    ready = 1.7e9
    ship = _Asset("ship", asset_type("kn-sar-class-2"), ready, base=(95.32, 5.55))
    plane = _Asset("plane", asset_type("cn235-mpa"), ready, base=(95.32, 5.55))
    by_sea, by_air = transit(ship, 97.5, 5.3), transit(plane, 97.5, 5.3)
    straight = Geod(ellps="WGS84").inv(95.32, 5.55, 97.5, 5.3)[2] / 1852.0
    assert by_air.route is None
    assert by_air.distance_nm == pytest.approx(straight, rel=1e-9)
    assert by_sea.route is not None and not by_sea.route.direct
    assert by_sea.distance_nm == pytest.approx(by_sea.route.distance_nm)
    assert by_sea.distance_nm > straight * 1.01
    assert by_sea.transit_h == pytest.approx(by_sea.distance_nm / ship.cruise)
    # a lake: no route at sea, so the ship cannot reach it (Lake Toba, Sumatra)
    lake = transit(ship, 98.85, 2.6)
    assert not lake.reachable and "no route at sea" in lake.reason
