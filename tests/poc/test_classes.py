"""The object classes' shares of the probability over time, after object transitions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sarkit.drift.seeding import point
from sarkit.drift.simulate import simulate
from sarkit.drift.transitions import Transition
from sarkit.forcing import ConstantSource
from sarkit.poc.classes import class_shares
from tests.poc import make_trajectories

BOAT, PIW = "FISHING-VESSEL-1", "PIW-1"
STILL_WATER = ConstantSource("current", 0.0, 0.0).load()
WIND = ConstantSource("wind", 4.8, 6.4).load()


def _run(rate: float, n: int = 4000):
    seeds = point(95.0, 5.0, radius_nm=3.0, time="2024-06-10T00:00", count=n, obj=BOAT)
    return simulate(seeds, STILL_WATER, WIND, duration_hours=6, output_every_minutes=60,
                    land=None, seed=5, transitions=[Transition(BOAT, PIW, rate)])


def test_shares_follow_the_hazard_and_add_up_to_one():
    run = _run(0.2)
    shares = class_shares(run)
    assert shares.dims == ("object_class", "time")
    assert list(shares.object_class.values) == [BOAT, PIW]
    np.testing.assert_allclose(shares.sum("object_class"), 1.0)
    assert shares.sel(object_class=PIW).values[0] == 0.0
    switched = shares.sel(object_class=PIW).values[-1]
    assert abs(switched - (1 - math.exp(-0.2 * 6))) < 4 * math.sqrt(0.25 / 4000)
    assert np.all(np.diff(shares.sel(object_class=PIW).values) >= 0)


def test_shares_use_the_particles_weights():
    run = _run(0.2, n=1000)
    piw = run["class_index"].values[:, -1] == 1
    weight = np.where(piw, 3.0, 1.0)
    run["weight"] = ("trajectory", weight / weight.sum())
    expected = 3.0 * piw.sum() / (3.0 * piw.sum() + (~piw).sum())
    assert class_shares(run).sel(object_class=PIW).values[-1] == pytest.approx(expected)


def test_one_class_without_transitions():
    ds = make_trajectories(np.zeros((5, 3)) + 95.0, np.zeros((5, 3)) + 5.0)
    shares = class_shares(ds)
    assert list(shares.object_class.values) == ["PIW-1"]
    np.testing.assert_allclose(shares.values, 1.0)
