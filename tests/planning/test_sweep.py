"""Sweep width, corrections, coverage, POD and POS against known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sarkit.errors import BadValueError, SarkitError
from sarkit.planning import sweep
from sarkit.planning.sweep import (
    UnknownSweepWidthError,
    corrected_sweep_width,
    corrected_sweep_width_nm,
    coverage,
    coverage_from_effort,
    cumulative_pod,
    cumulative_pos,
    effort_nm2,
    fatigue_factor,
    pod,
    pod_exponential,
    pod_visual,
    pos,
    speed_factor,
    track_spacing_nm,
    uncorrected_sweep_width_nm,
    weather_factor,
)
from sarkit.poc import iamsar

# --- POD curves ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("c", "expected"),
    [(0.0, 0.0), (0.5, 0.3934693403), (1.0, 0.6321205588), (2.0, 0.8646647168), (3.0, 0.950212932)],
)
def test_pod_exponential_is_one_minus_exp_minus_c(c: float, expected: float) -> None:
    assert pod_exponential(c) == pytest.approx(expected, abs=1e-9)
    assert pod_exponential(c) == pytest.approx(1 - math.exp(-c), abs=1e-15)


def test_pod_visual_known_values() -> None:
    # IAMSAR.md §1.2: erf(sqrt(pi)/2 C); 0.79 at C = 1 and 0.99 at C = 2.
    assert pod_visual(0.0) == 0.0
    assert pod_visual(1.0) == pytest.approx(math.erf(math.sqrt(math.pi) / 2), abs=1e-15)
    assert round(pod_visual(1.0), 2) == 0.79
    assert round(pod_visual(2.0), 2) == 0.99
    assert round(pod_exponential(1.0), 2) == 0.63
    assert round(pod_exponential(2.0), 2) == 0.86


def test_pod_arrays_and_dispatch() -> None:
    c = np.array([[0.0, 1.0], [2.0, 0.5]])
    np.testing.assert_allclose(pod(c), 1 - np.exp(-c))
    visual = [[math.erf(math.sqrt(math.pi) / 2 * x) for x in row] for row in c]
    np.testing.assert_allclose(pod(c, "visual"), visual)
    with pytest.raises(BadValueError, match="Fix:"):
        pod(1.0, "ideal")
    with pytest.raises(BadValueError):
        pod_exponential(-0.1)


@given(st.floats(0, 20), st.floats(0, 20))
def test_pod_curves_monotone_and_visual_above_exponential(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert pod_exponential(lo) <= pod_exponential(hi) + 1e-15
    assert pod_visual(lo) <= pod_visual(hi) + 1e-15
    assert pod_visual(hi) >= pod_exponential(hi) - 1e-15


# --- coverage, POS ----------------------------------------------------------------------------


def test_coverage_spacing_effort() -> None:
    assert coverage(2.0, 1.0) == 2.0
    assert coverage(1.5, 3.0) == 0.5
    assert track_spacing_nm(4.0, 2.0) == 2.0
    assert effort_nm2(2.0, 10.0, 5.0) == 100.0
    # SARCORPS (IAMSAR.md §1.1): Z = 100 NM², A = 50 NM² -> C = 2 -> POD ≈ 0.86.
    c = coverage_from_effort(2.0, 50.0, 50.0)
    assert c == 2.0
    assert round(pod_exponential(c), 2) == 0.86
    with pytest.raises(BadValueError):
        coverage(1.0, 0.0)


def test_pos_and_cumulative() -> None:
    assert pos(0.6, 0.5) == pytest.approx(0.3)
    # 1 - (1 - 0.5)(1 - 0.4)(1 - 0.2) = 1 - 0.5 * 0.6 * 0.8 = 0.76
    assert cumulative_pod([0.5, 0.4, 0.2]) == pytest.approx(0.76)
    assert cumulative_pos(0.5, [0.5, 0.4, 0.2]) == pytest.approx(0.38)
    per_cell = cumulative_pod([np.array([0.5, 0.0]), np.array([0.5, 1.0])])
    np.testing.assert_allclose(per_cell, [0.75, 1.0])
    with pytest.raises(BadValueError):
        pos(1.2, 0.5)
    with pytest.raises(BadValueError):
        cumulative_pod([0.5, 1.5])


@given(st.lists(st.floats(0, 1), min_size=1, max_size=8))
def test_cumulative_pod_is_one_minus_product(pods: list[float]) -> None:
    expected = 1 - math.prod(1 - p for p in pods)
    assert cumulative_pod(pods) == pytest.approx(expected, abs=1e-12)
    # Equal to searching with the summed coverage under the exponential curve.
    cs = [1.0, 0.5, 2.0]
    assert cumulative_pod([pod_exponential(c) for c in cs]) == pytest.approx(
        pod_exponential(sum(cs))
    )


# --- table look-ups ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("obj", "platform", "height", "vis", "expected"),
    [
        ("raft_4p", "fixed_wing", 500, 10, 1.8),
        ("Raft, 4 persons", "fixed wing", 500, 10, 1.8),
        ("life raft 4 persons", "aircraft", 500, 3, 1.0),
        ("Person in water", "vessel", 14, 1, 0.3),
        ("PIW", "vessel", 14, 10, 0.5),
        ("Ship >= 300 ft (91 m)", "fixed_wing", 500, 30, 41.4),
        ("power boat 33 ft", "vessel", 14, 10, 6.1),
        ("power boat 10 m", "vessel", 14, 10, 6.1),
        ("power_boat_le15ft", "vessel", 14, 20, 2.3),
        ("power boat <= 15 ft", "vessel", 14, 20, 2.3),
        ("sail boat 30 ft", "vessel", 14, 5, 4.1),
        ("ship_ge300ft", "vessel", 14, 20, 29.2),
    ],
)
def test_uncorrected_sweep_width_exact_rows(
    obj: str, platform: str, height: int, vis: float, expected: float
) -> None:
    assert uncorrected_sweep_width_nm(obj, platform, height, vis) == pytest.approx(expected)


def test_uncorrected_sweep_width_interpolates_and_clamps() -> None:
    # Fixed wing 500 ft, raft 4 persons: 1.3 at 5 NM, 1.8 at 10 NM -> 1.55 at 7.5 NM.
    assert uncorrected_sweep_width_nm("raft_4p", "fixed_wing", 500, 7.5) == pytest.approx(1.55)
    # 3 NM 1.0, 5 NM 1.3 -> at 4 NM 1.15.
    assert uncorrected_sweep_width_nm("raft_4p", "fixed_wing", 500, 4) == pytest.approx(1.15)
    # Above the largest column (30 NM) the 30-NM value is used.
    assert uncorrected_sweep_width_nm("raft_4p", "fixed_wing", 500, 60) == pytest.approx(2.2)
    # Vessels stop at 20 NM.
    assert uncorrected_sweep_width_nm("raft_4p", "vessel", 14, 25) == pytest.approx(5.0)
    with pytest.raises(BadValueError, match="below the smallest tabulated visibility"):
        uncorrected_sweep_width_nm("raft_4p", "fixed_wing", 500, 0.5)


def test_natsar_tables_in_km() -> None:
    # D-5:5 merchant ship, "Boat < 12 m": 4.5 at 10 km, 7.6 at 20 km (no height).
    vis_nm = 10 / 1.852
    got = uncorrected_sweep_width_nm(
        "boat < 12 m", "merchant ship", None, vis_nm, source="natsar2023"
    )
    assert got == pytest.approx(4.5)
    # Halfway, 15 km: 6.05.
    got = uncorrected_sweep_width_nm(
        "boat_lt12m", "merchant_ship_bridge", None, 15 / 1.852, source="natsar2023"
    )
    assert got == pytest.approx(6.05)
    # D-5:3 vessel eye 8 ft, power boat 8-12 m at 10 km: 3.1.
    got = uncorrected_sweep_width_nm("power boat 8-12 m", "vessel", 8, vis_nm, source="natsar2023")
    assert got == pytest.approx(3.1)
    with pytest.raises(UnknownSweepWidthError, match="source='natsar2023'"):
        uncorrected_sweep_width_nm("raft_4p", "merchant ship", None, 10)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("dinghy", "vessel", 14, 10), "raft_4p"),
        (("raft_8p", "vessel", 14, 10), "raft_6p"),
        (("raft_4p", "vessel", 10, 10), "8 ft, 14 ft"),
        (("raft_4p", "fixed_wing", 750, 10), "500 ft, 1000 ft, 2000 ft"),
        (("raft_4p", "submarine", 10, 10), "fixed_wing, helicopter, vessel"),
    ],
)
def test_unknown_sweep_width_class_gives_clear_message(args: tuple, match: str) -> None:
    with pytest.raises(UnknownSweepWidthError, match="Fix:") as info:
        uncorrected_sweep_width_nm(*args)
    assert match in str(info.value)
    assert isinstance(info.value, SarkitError)
    assert isinstance(info.value, LookupError)


def test_tables_are_cached() -> None:
    assert sweep._tables() is sweep._tables()
    assert len(sweep._tables()) == 11


# --- corrections ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("obj", "wind", "seas", "scheme", "expected"),
    [
        ("raft_4p", 10, 0.5, "iamsar", 1.0),
        ("raft_4p", 15, 1.0, "iamsar", 1.0),  # band edges belong to the calmer band
        ("raft_4p", 20, 0.5, "iamsar", 0.5),
        ("raft_4p", 10, 1.2, "iamsar", 0.5),  # seas worse than wind
        ("raft_4p", 30, 0.5, "iamsar", 0.25),
        ("person_in_water", 10, 2.0, "iamsar", 0.25),
        ("power_boat_20ft", 20, 0, "iamsar", 0.5),
        ("power_boat_33ft", 20, 0, "iamsar", 0.9),
        ("sail_boat_25ft", 20, 0, "iamsar", 0.5),
        ("sail_boat_30ft", 30, 0, "iamsar", 0.9),
        ("ship_ge300ft", 30, 3, "iamsar", 0.9),
        ("ship_ge300ft", 20, 0, "natsar2023", 0.8),
        ("ship_ge300ft", 30, 0, "natsar2023", 0.5),
        ("sail_boat_30ft", 30, 0, "natsar2023", 0.25),  # 30 ft = 9.1 m < 10 m: small
    ],
)
def test_weather_factor(obj: str, wind: float, seas: float, scheme: str, expected: float) -> None:
    assert weather_factor(obj, wind_kt=wind, seas_m=seas, scheme=scheme) == expected


def test_weather_factor_override_and_errors() -> None:
    assert weather_factor("ship_ge300ft", wind_kt=20, seas_m=0, object_class="small") == 0.5
    with pytest.raises(BadValueError):
        weather_factor("raft_4p", wind_kt=-1, seas_m=0)
    with pytest.raises(UnknownSweepWidthError):
        weather_factor("raft_4p", wind_kt=1, seas_m=0, scheme="usnsm")
    with pytest.raises(UnknownSweepWidthError, match="Fix:"):
        weather_factor("dinghy", wind_kt=1, seas_m=0)


def test_fatigue_factor() -> None:
    assert fatigue_factor(True) == 0.9
    assert fatigue_factor(False) == 1.0


def test_speed_factor() -> None:
    assert speed_factor("person_in_water", "fixed_wing", 150) == 1.2
    assert speed_factor("person_in_water", "fixed_wing", 210) == 0.9
    assert speed_factor("person_in_water", "fixed_wing", 165) == pytest.approx(1.1)
    assert speed_factor("person_in_water", "fixed_wing", 120) == 1.2  # clamped, safe side
    assert speed_factor("person_in_water", "helicopter", 60) == 1.5
    assert speed_factor("person_in_water", "helicopter", 130) == pytest.approx(0.75)
    assert speed_factor("raft_4p", "vessel", 12) == 1.0
    assert speed_factor("raft_4p", "helicopter", None) == 1.0
    with pytest.raises(BadValueError, match="Fix:"):
        speed_factor("person_in_water", "fixed_wing", 250)
    with pytest.raises(UnknownSweepWidthError, match="sail_boat_70ft"):
        speed_factor("sail_boat_30ft", "helicopter", 90)


def test_corrected_sweep_width() -> None:
    # Helicopter 500 ft, raft 4 persons, 10 NM: W0 = 2.2 (table); wind 20 kt -> fw = 0.5 (small);
    # 60 kt -> fv = 1.3; fatigued -> ff = 0.9. W = 2.2 * 0.5 * 1.3 * 0.9 = 1.287 NM.
    sw = corrected_sweep_width(
        "Raft, 4 persons", "helicopter", 500, 10, wind_kt=20, search_speed_kt=60, fatigued=True
    )
    assert sw.search_object == "raft_4p"
    assert (sw.uncorrected_nm, sw.weather_factor, sw.speed_factor, sw.fatigue_factor) == (
        2.2,
        0.5,
        1.3,
        0.9,
    )
    assert sw.corrected_nm == pytest.approx(1.287)
    assert corrected_sweep_width_nm(
        "raft_4p", "helicopter", 500, 10, wind_kt=20, search_speed_kt=60, fatigued=True
    ) == pytest.approx(1.287)
    # Calm, no speed given: W = W0.
    assert corrected_sweep_width_nm("raft_4p", "vessel", 14, 10) == pytest.approx(4.0)
    # NATSAR tables default to the NATSAR weather scheme: large object at 20 kt -> 0.8.
    sw = corrected_sweep_width(
        "power boat 20-27 m", "vessel", 14, 10 / 1.852, wind_kt=20, source="natsar2023"
    )
    assert sw.weather_factor == 0.8
    assert sw.corrected_nm == pytest.approx(6.0 * 0.8)


# --- IAMSAR-style worked example -------------------------------------------------------------


def test_iamsar_worked_example_by_hand() -> None:
    """First search for a 4-person raft from a vessel (eye 14 ft), computed by hand.

    * Start-point error X = 5 NM, search-facility error Y = 1 NM (NATSAR defaults, §1.7).
    * Drift velocity error: ASWDve = 0.3 kt, TWCe = sqrt(4 x 0.3²) = 0.6 kt, LWe = 0.2 kt:
      Dve = sqrt(0.09 + 0.36 + 0.04) = sqrt(0.49) = 0.7 kt; drift 10 h -> De = 7 NM.
    * E = sqrt(5² + 7² + 1²) = sqrt(75) = 8.660 NM.
    * First search fs = 1.1 -> R = 1.1 x 8.660 = 9.526 NM; area 4R² = 4 x 1.21 x 75 = 363 NM².
    * W0 (vessel 14 ft, raft 4 persons, visibility 10 NM) = 4.0 NM; wind 10 kt, seas 0.5 m ->
      fw = 1; not fatigued; vessel -> fv = 1; W = 4.0 NM.
    * Chosen coverage C = 1 -> S = W / C = 4.0 NM; track length to fill the square
      L = A / S = 363 / 4 = 90.75 NM (9.075 h at 10 kt); C = W L / A = 1.
    * POD = 1 - e^-1 = 0.632 (exponential), erf(sqrt(pi)/2) = 0.790 (visual).
    * With POC 0.8 inside the square: POS = 0.8 x 0.632 = 0.506.
    """
    twc = math.sqrt(4 * 0.3**2)
    dve = math.sqrt(0.3**2 + twc**2 + 0.2**2)
    assert dve == pytest.approx(0.7)
    de = dve * 10
    e = math.sqrt(5**2 + de**2 + 1**2)
    assert e == pytest.approx(8.660254, abs=1e-6)
    # The same chain in sarkit.poc.iamsar.
    assert iamsar.drift_velocity_error_kt(0.2) == pytest.approx(0.7)
    assert iamsar.total_probable_error_nm(iamsar.drift_error_nm(0.7, 10)) == pytest.approx(e)
    r = iamsar.search_radius_nm(e, 1)
    assert r == pytest.approx(9.526279, abs=1e-6)
    area = 4 * r**2
    assert area == pytest.approx(363.0)

    w = corrected_sweep_width_nm("Raft, 4 persons", "vessel", 14, 10, wind_kt=10, seas_m=0.5)
    assert w == pytest.approx(4.0)
    s = track_spacing_nm(w, 1.0)
    assert s == pytest.approx(4.0)
    track_length = area / s
    assert track_length == pytest.approx(90.75)
    assert track_length / 10 == pytest.approx(9.075)
    c = coverage_from_effort(w, track_length, area)
    assert c == pytest.approx(1.0)
    assert coverage(w, s) == pytest.approx(1.0)
    assert pod_exponential(c) == pytest.approx(0.632, abs=5e-4)
    assert pod_visual(c) == pytest.approx(0.790, abs=5e-4)
    assert pos(0.8, pod_exponential(c)) == pytest.approx(0.506, abs=5e-4)


def test_object_label_names_a_search_object_as_a_person_reads_it():
    from sarkit.planning import object_label

    assert object_label("power_boat_33ft") == "Power boat 33 ft (10 m)"
    assert object_label("life raft 4 persons") == "Raft, 4 persons"
    assert object_label("person_in_water") == "Person in water"
    assert object_label("no such thing") == "no such thing"  # for reading, never a check
