"""Object transitions: a boat that may capsize becomes persons in the water."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sarkit.drift.leeway import object_class
from sarkit.drift.seeding import point
from sarkit.drift.simulate import simulate
from sarkit.drift.summary import summarize_trajectories
from sarkit.drift.transitions import (
    Transition,
    check_transitions,
    class_counts,
    classes_at,
    transition_table,
)
from sarkit.errors import BadValueError
from sarkit.forcing import ConstantSource, open_forcing, synthetic
from sarkit.geodesy import METRES_PER_DEGREE

START = "2024-06-10T00:00"
BOAT, PIW, RAFT = "FISHING-VESSEL-1", "PIW-1", "LIFE-RAFT-NB-2"
STILL_WATER = ConstantSource("current", 0.0, 0.0).load()


def _current():
    dataset = synthetic.uniform_flow(0.25, 0.5, bbox=(90, 0, 100, 10), start=START, hours=30)
    return open_forcing(dataset, "current").load()


def _wind(speed: float):
    return ConstantSource("wind", 0.6 * speed, 0.8 * speed).load()


def _seeds(n: int, radius_nm: float = 3.0, end_time=None):
    return point(95.0, 5.0, radius_nm=radius_nm, time=START, end_time=end_time, count=n,
                 obj=BOAT)


def _share_switched(run, hours):
    """Share of the particles of a run (output every 10 min) in another class at ``hours``."""
    return (run.class_index.values[:, 6 * hours] != 0).mean()


def _binomial_close(share, expected, n, sigmas=4.0):
    return abs(share - expected) <= sigmas * math.sqrt(expected * (1 - expected) / n) + 1e-12


# --------------------------------------------------------------------------- the table


def test_a_chain_or_a_duplicate_is_refused():
    with pytest.raises(BadValueError, match="switches once"):
        check_transitions([Transition(BOAT, PIW, 0.1), Transition(PIW, RAFT, 0.1)])
    with pytest.raises(BadValueError, match="twice"):
        check_transitions([Transition(BOAT, PIW, 0.1), Transition(BOAT, PIW, 0.2)])
    with pytest.raises(BadValueError, match="not a number from 0"):
        Transition(BOAT, PIW, -0.1)
    with pytest.raises(BadValueError, match="to itself"):
        Transition(BOAT, BOAT, 0.1)


def test_the_kernel_table_adds_the_targets_to_the_classes():
    table, classes = transition_table([Transition(BOAT, PIW, 0.36, 10.0, 0.072)],
                                      (object_class(BOAT),))
    assert [c.id for c in classes] == [BOAT, PIW]
    np.testing.assert_allclose(table, [[0, 1, 1e-4, 10.0, 2e-5]])
    # a transition from a class no particle has is left out
    table, classes = transition_table([Transition(RAFT, PIW, 0.1)], (object_class(BOAT),))
    assert table.shape == (0, 5) and len(classes) == 1


# --------------------------------------------------------------------------- must show


@pytest.mark.parametrize("transition", [
    Transition(BOAT, PIW, 0.0),  # hazard 0
    Transition(BOAT, PIW, 0.0, 20.0, 0.5),  # a hazard above a wind never reached
    Transition(RAFT, PIW, 0.5),  # from a class no particle has
])
def test_hazard_zero_is_bit_identical_to_no_transition(transition):
    seeds = _seeds(3000, end_time="2024-06-10T02:00")
    common = {"duration_hours": 8, "land": None, "seed": 5, "jibe_probability_per_hour": 0.3}
    plain = simulate(seeds, _current(), _wind(12.0), **common)
    zero = simulate(seeds, _current(), _wind(12.0), transitions=[transition], **common)
    for name in ("lon", "lat", "status", "side"):
        np.testing.assert_array_equal(zero[name].values, plain[name].values)
    assert np.unique(plain.side.values).size == 2  # the run did jibe and walk
    if "class_index" in zero:
        assert np.all(zero.class_index.values == 0)
        assert np.all(np.isnat(zero.switch_time.values))


@pytest.mark.parametrize("rate", [0.1, 0.5])
def test_constant_hazard_switches_one_minus_exp_of_rate_times_t(rate):
    n = 20_000
    run = simulate(_seeds(n), STILL_WATER, _wind(8.0), duration_hours=12,
                   output_every_minutes=10, land=None, seed=11,
                   transitions=[Transition(BOAT, PIW, rate)])
    for hours in (1, 3, 6, 12):
        expected = 1.0 - math.exp(-rate * hours)
        assert _binomial_close(_share_switched(run, hours), expected, n), hours
    # the switching time is recorded, and the class holds from it on
    switched = ~np.isnat(run.switch_time.values)
    assert np.array_equal(switched, run.class_index.values[:, -1] == 1)
    times = run.time.values
    after = times[None, :] >= run.switch_time.values[:, None]
    assert np.array_equal(run.class_index.values == 1, after & switched[:, None])


def test_hazard_rising_with_wind_switches_above_the_threshold_only():
    n = 10_000
    # 0.04 per hour per m/s above 10 m/s: 0.2 per hour at 15 m/s, nothing at 9 m/s
    transition = Transition(BOAT, PIW, 0.0, 10.0, 0.04)
    strong = simulate(_seeds(n), STILL_WATER, _wind(15.0), duration_hours=6,
                      output_every_minutes=10, land=None, seed=2, transitions=[transition])
    assert _binomial_close(_share_switched(strong, 6), 1.0 - math.exp(-0.2 * 6), n)
    calm = simulate(_seeds(n), STILL_WATER, _wind(9.0), duration_hours=6,
                    output_every_minutes=10, land=None, seed=2, transitions=[transition])
    assert _share_switched(calm, 6) == 0.0


def test_competing_transitions_share_by_their_hazards():
    n = 20_000
    run = simulate(_seeds(n), STILL_WATER, _wind(8.0), duration_hours=6,
                   output_every_minutes=10, land=None, seed=4,
                   transitions=[Transition(BOAT, PIW, 0.3), Transition(BOAT, RAFT, 0.1)])
    meanings = run.class_index.attrs["flag_meanings"].split()
    assert meanings == [BOAT, PIW, RAFT]
    final = run.class_index.values[:, -1]
    total = 1.0 - math.exp(-0.4 * 6)
    assert _binomial_close((final != 0).mean(), total, n)
    switched = int((final != 0).sum())
    assert _binomial_close((final == 1).sum() / switched, 0.75, switched)


def test_a_switched_particle_drifts_with_the_new_class_leeway():
    # a hazard of one per second: every particle switches after its first step; in still
    # water and a steady wind its later steps move at a person in the water's leeway, with
    # perturbations of its own: the same distribution as particles that were PIW all along
    n, speed = 20_000, 10.0
    wind = ConstantSource("wind", 0.0, speed).load()
    common = {"duration_hours": 0.5, "output_every_minutes": 10, "land": None,
              "diffusivity_m2_s": 0.0, "jibe_probability_per_hour": 0.0}
    run = simulate(_seeds(n, radius_nm=0.0), STILL_WATER, wind, seed=7,
                   transitions=[Transition(BOAT, PIW, 3600.0)], **common)
    assert np.all(run.class_index.values[:, 1:] == 1)
    north = (run.lat.values[:, 2] - run.lat.values[:, 1]) * METRES_PER_DEGREE / 600.0
    piw_seeds = point(95.0, 5.0, radius_nm=0.0, time=START, count=n, obj=PIW)
    piw_run = simulate(piw_seeds, STILL_WATER, wind, seed=8, **common)
    piw = (piw_run.lat.values[:, 2] - piw_run.lat.values[:, 1]) * METRES_PER_DEGREE / 600.0
    error = math.hypot(north.std(), piw.std()) / math.sqrt(n)
    assert abs(north.mean() - piw.mean()) < 5 * error
    assert abs(north.std() / piw.std() - 1.0) < 5 * math.sqrt(2 / n)
    boat = object_class(BOAT)
    first = (run.lat.values[:, 1] - run.lat.values[:, 0]) * METRES_PER_DEGREE / 600.0
    assert abs(first.mean() - boat.downwind_slope * speed) < 0.01  # the boat's first step
    assert abs(piw.mean() - boat.downwind_slope * speed) > 0.1  # far from a boat's


def test_transitions_are_the_same_in_chunks_and_time_blocks():
    seeds = _seeds(3000, end_time="2024-06-10T02:00")
    common = {"duration_hours": 12, "land": None, "seed": 9,
              "transitions": [Transition(BOAT, PIW, 0.2, 8.0, 0.05)]}
    whole = simulate(seeds, _current(), _wind(12.0), **common)
    split = simulate(seeds, _current(), _wind(12.0), chunk_size=700, time_block_hours=5,
                     **common)
    assert split.attrs["time_blocks"] > 1
    for name in ("lon", "lat", "status", "side", "class_index", "switch_time"):
        np.testing.assert_array_equal(split[name].values, whole[name].values)
    assert 0 < (whole.class_index.values[:, -1] == 1).mean() < 1


def test_transitions_are_refused_backward():
    with pytest.raises(BadValueError, match="backward"):
        simulate(_seeds(10), STILL_WATER, _wind(8.0), duration_hours=-6, land=None,
                 transitions=[Transition(BOAT, PIW, 0.1)])


# --------------------------------------------------------------------------- the products


def _capsizing_run(n: int = 4000, rate: float = 0.2):
    return simulate(_seeds(n), _current(), _wind(10.0), duration_hours=6, land=None, seed=3,
                    transitions=[Transition(BOAT, PIW, rate)])


def test_trajectories_carry_the_class_as_cf_flags_and_the_switch_time():
    run = _capsizing_run()
    index = run["class_index"]
    assert index.dims == ("trajectory", "time") and index.dtype == np.int8
    assert index.attrs["flag_meanings"] == f"{BOAT} {PIW}"
    np.testing.assert_array_equal(index.attrs["flag_values"], [0, 1])
    assert run["switch_time"].dtype.kind == "M"
    assert run.attrs["transitions"] == f"{BOAT} -> {PIW} at 0.2/h"
    assert np.all(run["object_class"].values == BOAT)  # the class each one started as


def test_trajectories_with_classes_survive_the_file(tmp_path):
    from sarkit.files.trajectories import read_trajectories, write_trajectories

    run = _capsizing_run(500)
    back = read_trajectories(write_trajectories(run, tmp_path / "trajectories.nc"))
    np.testing.assert_array_equal(back.class_index.values, run.class_index.values)
    np.testing.assert_array_equal(back.switch_time.values, run.switch_time.values)
    assert np.isnat(back.switch_time.values).any() and not np.isnat(back.switch_time.values).all()
    assert back.class_index.attrs["flag_meanings"] == f"{BOAT} {PIW}"
    assert class_counts(back) == class_counts(run)


def test_the_summary_counts_particles_per_class_at_the_end():
    run = _capsizing_run()
    summary = summarize_trajectories(run)
    final = run.class_index.values[:, -1]
    assert summary.classes == {BOAT: int((final == 0).sum()), PIW: int((final == 1).sum())}
    assert sum(summary.classes.values()) == summary.particles
    assert f"{summary.classes[PIW]} {PIW}" in repr(summary)
    assert classes_at(run, 0).tolist() == [BOAT] * 4000
    plain = simulate(_seeds(100), _current(), _wind(10.0), duration_hours=1, land=None)
    assert summarize_trajectories(plain).classes == {}
    assert class_counts(plain) == {BOAT: 100}
