"""Leeway object classes: the table, its SI conversion, the IAMSAR oracle and the look-up."""

from __future__ import annotations

import csv
import dataclasses
import io
import math
from importlib import resources
from pathlib import Path

import pytest

from sarkit.drift import leeway
from sarkit.drift.leeway import (
    JIBE_PROBABILITY_PER_HOUR,
    OBJECT_CLASSES,
    ObjectClass,
    object_class,
    search_objects,
)
from sarkit.errors import SarkitError, UnknownObjectError

FIELDS = (  # ObjectClass field, column of objectprop.csv, in OBJECTPROP.DAT column order
    ("downwind_slope", "dw_slope_pct"),
    ("downwind_offset", "dw_offset_cm_s"),
    ("downwind_std", "dw_std_cm_s"),
    ("right_slope", "cwr_slope_pct"),
    ("right_offset", "cwr_offset_cm_s"),
    ("right_std", "cwr_std_cm_s"),
    ("left_slope", "cwl_slope_pct"),
    ("left_offset", "cwl_offset_cm_s"),
    ("left_std", "cwl_std_cm_s"),
)

# IAMSAR oracle, from ../shared/facts/LEEWAY.md §4: the IAMSAR leeway table (multiplier as a
# fraction of the wind speed, divergence in degrees) of the public repository
# canterbury-air-patrol/marine-leeway-data, marine-leeway-table.ts (commit 3a3d3fad60), with the
# same values in AMSA's NATSAR Manual 2023, Tables D-5:1 and D-5:2. For these rows (all with
# zero offsets) the polar form of the USCG slopes reproduces the multiplier to 0.0006 and the
# divergence to 1 degree ("holds" in LEEWAY.md).
IAMSAR_HOLDS = {  # id: (IAMSAR multiplier, divergence deg)
    "PIW-1": (0.011, 30),  # PIW, unknown
    "PIW-2": (0.005, 18),  # PIW, vertical
    "LIFE-RAFT-NB-1": (0.042, 28),  # raft, no ballast, unknown
    "USCG-RESCUE": (0.025, 7),  # USCG sea rescue kit
    "SKIFF-1": (0.034, 22),  # skiff, flat bottom (Boston whaler)
    "SPORT-BOAT": (0.069, 19),  # sport boat, cuddy cabin
    "FISHING-VESSEL-1": (0.037, 48),  # commercial fishing vessel, unknown
    "FISHING-VESSEL-2": (0.040, 48),  # sampan
    "FISHING-VESSEL-3": (0.042, 48),  # side-stern trawler
    "FISHING-VESSEL-4": (0.037, 48),  # longliner
    "FISHING-VESSEL-5": (0.027, 48),  # junk
    "COASTAL-FREIGHTER": (0.028, 48),  # coastal freighter
    "FV-DEBRIS": (0.020, 10),  # F/V debris
}
IAMSAR_MULTIPLIER_ONLY = {"SKIFF-3": 0.017, "FISHING-VESSEL-6": 0.040}  # "multiplier only"

# LEEWAY.md §4 columns m (%, 2 decimals) and theta (deg, 1 decimal) computed from the table.
POLAR = {
    "PIW-1": (1.10, 29.4),
    "PIW-2": (0.50, 17.4),
    "PIW-6": (1.12, 2.1),
    "LIFE-RAFT-NB-1": (4.20, 28.2),
    "LIFE-RAFT-NB-2": (5.80, 22.9),
    "USCG-RESCUE": (2.50, 7.4),
    "SKIFF-1": (3.40, 22.3),
    "SKIFF-2": (2.91, 9.3),
    "SKIFF-3": (1.70, 13.3),
    "SPORT-BOAT": (6.90, 18.5),
    "FISHING-VESSEL-1": (3.70, 48.2),
    "FISHING-VESSEL-2": (4.00, 48.1),
    "FISHING-VESSEL-3": (4.20, 48.2),
    "FISHING-VESSEL-4": (3.70, 48.2),
    "FISHING-VESSEL-5": (2.70, 48.2),
    "FISHING-VESSEL-6": (3.98, 20.8),
    "COASTAL-FREIGHTER": (2.80, 48.2),
    "FV-DEBRIS": (2.00, 10.4),
}


def _facts(shared_data: Path) -> Path:
    return shared_data.parent / "facts" / "leeway"


def _package_rows() -> list[dict[str, str]]:
    text = resources.files("sarkit").joinpath("tables/leeway.csv").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body)))


def _parse_dat(path: Path) -> list[tuple[str, int, str, list[float]]]:
    """OBJECTPROP.DAT as (key, index, description with its '>' markers, nine numbers)."""
    lines = path.read_text(encoding="latin-1").splitlines()
    blank = next(i for i, line in enumerate(lines) if not line.strip())
    classes = []
    for start in range(0, blank, 3):
        key, index = lines[start].split()
        numbers = [float(token) for token in lines[start + 2].split()]
        classes.append((key, int(index), lines[start + 1].strip(), numbers))
    return classes


# --- the table --------------------------------------------------------------------------------


def test_85_classes_with_unique_ids_and_indices_1_to_85():
    assert len(OBJECT_CLASSES) == 85
    assert [c.index for c in OBJECT_CLASSES] == list(range(1, 86))
    assert len({c.id.upper() for c in OBJECT_CLASSES}) == 85
    assert all(isinstance(c, ObjectClass) for c in OBJECT_CLASSES)
    assert {c.depth for c in OBJECT_CLASSES} == {0, 1, 2, 3}


def test_data_file_cites_its_sources_and_units():
    text = resources.files("sarkit").joinpath("tables/leeway.csv").read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    for expected in ("Allen", "Plourde", "CG-D-08-99", "CG-D-05-05", "Breivik", "2011-08-25",
                     "SAROPS", "OBJECTPROP.DAT", "cm/s", "% of the 10 m wind"):
        assert expected in header, expected


def test_si_conversion_of_some_rows():
    fv = object_class("FISHING-VESSEL-1")
    assert fv.index == 50 and fv.depth == 0
    assert fv.name == "Fishing vessel, general (mean values)"
    assert fv.coefficients == (0.0247, 0.0, 0.12, 0.0276, 0.0, 0.094, -0.0276, 0.0, 0.094)
    piw6 = object_class("PIW-6")  # 1.117 % ; 10.2 cm/s ; 3.04 cm/s ...
    assert piw6.downwind_slope == 0.01117
    assert piw6.downwind_offset == 0.102
    assert piw6.downwind_std == 0.0304
    assert piw6.left_offset == -0.039
    sailboat2 = object_class("SAILBOAT-2")
    assert sailboat2.right_std == 0.126788 and sailboat2.left_std == 0.0213
    assert object_class("OVATEK-CRAFT-6").left_slope == -0.00005


def test_package_table_equals_the_csv_numbers_as_text():
    for row, item in zip(_package_rows(), OBJECT_CLASSES, strict=True):
        assert (row["key"], int(row["index"]), int(row["depth"])) == (
            item.id, item.index, item.depth
        )
        assert row["description"] == item.name
        for field, column in FIELDS:
            assert getattr(item, field) == pytest.approx(float(row[column]) / 100, abs=1e-15)


def test_every_number_equals_the_shared_csv(shared_data):
    with open(_facts(shared_data) / "objectprop.csv", newline="", encoding="utf-8") as handle:
        shared = list(csv.DictReader(handle))
    assert shared == _package_rows()  # same text, nothing re-rounded
    for row, item in zip(shared, OBJECT_CLASSES, strict=True):
        assert row["key"] == item.id and int(row["index"]) == item.index
        for field, column in FIELDS:
            assert getattr(item, field) * 100 == pytest.approx(float(row[column]), abs=1e-12)


def test_every_number_equals_an_independent_parse_of_objectprop_dat(shared_data):
    parsed = _parse_dat(_facts(shared_data) / "OBJECTPROP.DAT")
    assert len(parsed) == 85
    for (key, index, description, numbers), item in zip(parsed, OBJECT_CLASSES, strict=True):
        assert (key, index) == (item.id, item.index)
        assert len(description) - len(description.lstrip(">")) == item.depth
        assert description.lstrip(">").strip() == item.name
        assert len(numbers) == 9
        for (field, _), number in zip(FIELDS, numbers, strict=True):
            assert getattr(item, field) * 100 == pytest.approx(number, abs=1e-12), (key, field)


def test_sign_convention_right_positive_left_negative_as_published():
    for item in OBJECT_CLASSES:
        assert item.right_slope >= 0, item.id
        if item.id != "LIFE-RAFT-SB-10":  # published with a positive left slope (0.1 %)
            assert item.left_slope <= 0, item.id
    assert object_class("LIFE-RAFT-SB-10").left_slope == 0.001


def test_quirky_rows_are_kept_as_published():
    assert all(value == 0 for value in object_class("SLDMB").coefficients)
    assert object_class("SEPIRB").right_slope == object_class("SEPIRB").left_slope == 0
    assert object_class("LIFE-RAFT-DB-21").depth == 0  # a main class, as published


def test_jibe_probability_default():
    assert JIBE_PROBABILITY_PER_HOUR == 0.04


def test_classes_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        object_class("PIW-1").downwind_slope = 0.5  # type: ignore[misc]


# --- IAMSAR oracle ----------------------------------------------------------------------------


@pytest.mark.parametrize("ident", sorted(IAMSAR_HOLDS))
def test_iamsar_multiplier_and_divergence_where_the_oracle_holds(ident):
    multiplier, divergence = object_class(ident).iamsar_multiplier_and_divergence()
    iamsar_multiplier, iamsar_divergence = IAMSAR_HOLDS[ident]
    assert abs(multiplier - iamsar_multiplier) <= 0.0006
    assert abs(divergence - iamsar_divergence) <= 1.0


@pytest.mark.parametrize("ident", sorted(IAMSAR_MULTIPLIER_ONLY))
def test_iamsar_multiplier_where_only_the_multiplier_holds(ident):
    multiplier, _ = object_class(ident).iamsar_multiplier_and_divergence()
    assert abs(multiplier - IAMSAR_MULTIPLIER_ONLY[ident]) <= 0.0006


def test_iamsar_oracle_is_not_vacuous():
    multiplier, divergence = object_class("PIW-6").iamsar_multiplier_and_divergence()
    assert abs(multiplier - 0.015) > 0.0006 and abs(divergence - 30) > 1  # "fails" in §4


@pytest.mark.parametrize("ident", sorted(POLAR))
def test_polar_form_matches_the_worked_table(ident):
    multiplier, divergence = object_class(ident).iamsar_multiplier_and_divergence()
    m_pct, theta = POLAR[ident]
    assert abs(multiplier * 100 - m_pct) <= 0.005 + 1e-9
    assert abs(divergence - theta) <= 0.05 + 1e-9


def test_polar_form_of_a_still_object_is_zero():
    assert object_class("SLDMB").iamsar_multiplier_and_divergence() == (0.0, 0.0)
    m, theta = object_class("FISHING-VESSEL-1").iamsar_multiplier_and_divergence()
    assert m == pytest.approx(math.hypot(0.0247, 0.0276))
    assert theta == pytest.approx(math.degrees(math.atan(2.76 / 2.47)))


# --- look-up ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ident"),
    [
        ("FISHING-VESSEL-1", "FISHING-VESSEL-1"),
        ("fishing-vessel-1", "FISHING-VESSEL-1"),
        (" Fishing Vessel 1 ", "FISHING-VESSEL-1"),
        ("life_raft_nb_2", "LIFE-RAFT-NB-2"),
        ("sailboat-6B", "SAILBOAT-6b"),
        (50, "FISHING-VESSEL-1"),
        ("50", "FISHING-VESSEL-1"),
        (27, "LIFE-RAFT-NB-2"),
        (1, "PIW-1"),
    ],
)
def test_look_up_by_id_or_index(text, ident):
    assert object_class(text).id == ident


@pytest.mark.parametrize(
    ("text", "ident"),
    [
        ("fishing vessel", "FISHING-VESSEL-1"),  # main class with mean values among 50-55
        ("vessel fishing", "FISHING-VESSEL-1"),  # any order
        ("FISHING VESSEL", "FISHING-VESSEL-1"),
        ("sampan", "FISHING-VESSEL-2"),
        ("Hawaiian sampan", "FISHING-VESSEL-2"),
        ("longliner", "FISHING-VESSEL-4"),
        ("PIW", "PIW-1"),
        ("person in water", "PIW-1"),
        ("person in the water", "PIW-1"),
        ("man overboard", "PIW-1"),
        ("PIW deceased", "PIW-6"),
        ("survival suit", "PIW-4"),
        ("life raft no ballast", "LIFE-RAFT-NB-1"),
        ("liferaft no ballast", "LIFE-RAFT-NB-1"),
        ("life raft no ballast no canopy no drogue", "LIFE-RAFT-NB-2"),
        ("shallow ballast", "LIFE-RAFT-SB-6"),
        ("deep ballast capsized", "LIFE-RAFT-DB-21"),
        ("sailboat", "SAILBOAT-1"),
        ("yacht dismasted", "SAILBOAT-2"),
        ("medical waste", "MED-WASTE-1"),
        ("skiffs swamped", "SKIFF-3"),
        ("oil drum", "OIL-DRUM"),
        ("kayak", "PERSON-POWERED-VESSEL-1"),
        ("migrant raft no sail", "REFUGEE-RAFT-1"),
        ("refugee raft with sail", "REFUGEE-RAFT-2"),
        ("refugee raft without sail", "REFUGEE-RAFT-1"),
        ("fv debris", "FV-DEBRIS"),
        ("drifter", "SLDMB"),
    ],
)
def test_look_up_by_name(text, ident):
    assert object_class(text).id == ident


def test_object_class_passes_a_class_through():
    item = object_class("PIW-1")
    assert object_class(item) is item


def test_no_means_the_next_word_is_absent():
    ids = {c.id for c in search_objects("life raft with drogue")}
    assert "LIFE-RAFT-NB-3" in ids and "LIFE-RAFT-NB-2" not in ids
    assert {c.id for c in search_objects("no ballast no canopy")} == {
        "LIFE-RAFT-NB-2", "LIFE-RAFT-NB-3"
    }


def test_ambiguous_text_lists_the_candidates_and_the_fix():
    with pytest.raises(UnknownObjectError) as caught:
        object_class("skiff")
    message = str(caught.value)
    assert isinstance(caught.value, SarkitError) and isinstance(caught.value, LookupError)
    assert "equally well" in message and "Fix:" in message and "\n" not in message
    for ident in ("SKIFF-1", "SKIFF-2", "SKIFF-3", "SKIFF-4"):
        assert ident in message
    assert "`sarkit objects skiff`" in message


def test_ambiguity_lists_at_most_eight_candidates():
    with pytest.raises(UnknownObjectError) as caught:
        object_class("life raft")
    message = str(caught.value)
    assert message.count("LIFE-RAFT-") <= 8 + 1  # the listing plus the example in the fix
    assert "more" in message and message.index("LIFE-RAFT-DB-10") < message.index("LIFE-RAFT-SB-7")


def test_two_main_classes_without_a_general_one_are_ambiguous():
    with pytest.raises(UnknownObjectError, match=r"REFUGEE-RAFT-1.*REFUGEE-RAFT-2"):
        object_class("refugee")


@pytest.mark.parametrize("text", ["nosuchthing", "", "   ", "the"])
def test_unknown_text_is_an_error_with_a_fix(text):
    with pytest.raises(UnknownObjectError) as caught:
        object_class(text)
    message = str(caught.value)
    assert "no search object class matches" in message and "Fix:" in message
    assert "\n" not in message


def test_unknown_text_suggests_close_matches():
    with pytest.raises(UnknownObjectError, match="did you mean FISHING-VESSEL-2"):
        object_class("sampam")
    with pytest.raises(UnknownObjectError, match="did you mean FISHING-VESSEL-1"):
        object_class("FISHING-VESEL-1")


@pytest.mark.parametrize("number", [0, 86, "86", -1])
def test_index_out_of_range(number):
    with pytest.raises(UnknownObjectError, match=r"numbered 1 to 85.*Fix:"):
        object_class(number)


def test_search_objects():
    assert search_objects() == list(OBJECT_CLASSES)
    fishing = search_objects("fishing")
    assert [c.id for c in fishing][:6] == [f"FISHING-VESSEL-{n}" for n in range(1, 7)]
    assert [c.index for c in fishing] == sorted(c.index for c in fishing)
    assert [c.id for c in search_objects("50")] == ["FISHING-VESSEL-1"]
    assert [c.id for c in search_objects("PIW-3")] == ["PIW-3"]
    assert {c.id for c in search_objects("person in water")} == {f"PIW-{n}" for n in range(1, 7)}
    assert search_objects("nosuchthing") == []
    assert search_objects("") == []
    with pytest.raises(UnknownObjectError, match="Fix:"):
        search_objects("nosuchthing", strict=True)


def test_synonyms_map_to_words_of_the_table():
    vocabulary = set(leeway._vocabulary())
    for replacement in set(leeway.SYNONYMS.values()) - {"no"}:  # "no" joins the next word
        for word in leeway._words(replacement):
            assert word in vocabulary, (replacement, word)
