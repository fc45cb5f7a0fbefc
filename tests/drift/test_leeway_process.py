"""Leeway perturbations that vary in time: an Ornstein-Uhlenbeck process per particle.

``simulate(leeway_correlation_hours=T)``: each particle's standard normals of the leeway
perturbation (downwind, crosswind) follow a process of unit variance whose correlation at
lag ``L`` is ``exp(-L/T)``; without ``T`` they are drawn once, as before. The tests read the
perturbations back from the trajectories of a drift in a steady wind with no current, no
random walk and no jibes, where a particle's velocity is its leeway alone.
"""

from __future__ import annotations

import numpy as np
import pytest

from sarkit.drift.coast import LandMask
from sarkit.drift.leeway import object_class
from sarkit.drift.seeding import point
from sarkit.drift.simulate import simulate
from sarkit.drift.transitions import Transition
from sarkit.errors import BadValueError
from sarkit.forcing import ConstantSource, open_forcing, synthetic
from sarkit.geodesy import METRES_PER_DEGREE

START = "2024-06-10T00:00"
BOAT = "FISHING-VESSEL-1"  # its downwind slope is negative only 4 standard deviations down
STILL_WATER = ConstantSource("current", 0.0, 0.0).load()
WIND = 10.0  # m/s, from the south: downwind is north, right of downwind is east
STEP_MINUTES = 15.0
FIELDS = ("lon", "lat", "status", "side")


def _steady_run(obj: str, count: int, hours: float, correlation_hours: float | None,
                seed: int = 3):
    particles = point(95.0, 5.0, radius_nm=1.0, time=START, count=count, obj=obj, seed=seed)
    return simulate(particles, STILL_WATER, ConstantSource("wind", 0.0, WIND).load(),
                    duration_hours=hours, timestep_minutes=STEP_MINUTES,
                    output_every_minutes=STEP_MINUTES, seed=seed, diffusivity_m2_s=0.0,
                    jibe_probability_per_hour=0.0, land=None,
                    leeway_correlation_hours=correlation_hours)


def _velocities(moves: np.ndarray, seconds: float) -> np.ndarray:
    """Each step's velocity at its start from the moves of the steps (particles, steps): the
    first step moves at its velocity (a midpoint step in a steady uniform field), the others at
    1.5 times theirs less 0.5 times the last (Adams-Bashforth)."""
    velocity = np.empty_like(moves)
    velocity[:, 0] = moves[:, 0] / seconds
    for n in range(1, moves.shape[1]):
        velocity[:, n] = (moves[:, n] / seconds + 0.5 * velocity[:, n - 1]) / 1.5
    return velocity


def _perturbations(run, obj: str) -> tuple[np.ndarray, np.ndarray]:
    """(r_down, r_cross) (particles, steps): the standard normals of each particle's leeway
    perturbation in each step, from its velocity (``e = r sigma``: a speed ``a U + b + e (U/20
    + 1/2)``)."""
    c = object_class(obj)
    seconds = STEP_MINUTES * 60.0
    lat = run.lat.values
    lon = run.lon.values
    north = _velocities(np.diff(lat, axis=1) * METRES_PER_DEGREE, seconds)
    east_deg = _velocities(np.diff(lon, axis=1), seconds)
    east = east_deg * METRES_PER_DEGREE * np.cos(np.radians(lat[:, :-1]))
    scale = WIND / 20.0 + 0.5
    r_down = (north - c.downwind_slope * WIND - c.downwind_offset) / (c.downwind_std * scale)
    right = run.side.values[:, :1] > 0  # no jibes: each particle keeps its side
    slope = np.where(right, c.right_slope, c.left_slope)
    offset = np.where(right, c.right_offset, c.left_offset)
    std = np.where(right, c.right_std, c.left_std)
    # a positive crosswind leeway is to the right of downwind (east here) on either side
    r_cross = (east - slope * WIND - offset) / (std * scale)
    return r_down, r_cross


# --------------------------------------------------------------------------- the default


def test_without_a_correlation_time_the_run_is_as_before():
    particles = point(95.0, 5.0, radius_nm=3.0, time=START, count=300, obj=BOAT, seed=2)
    wind = ConstantSource("wind", 6.0, 8.0).load()
    kwargs = {"duration_hours": 6, "seed": 2, "land": None}
    before = simulate(particles, STILL_WATER, wind, **kwargs)
    given = simulate(particles, STILL_WATER, wind, **kwargs, leeway_correlation_hours=None)
    varying = simulate(particles, STILL_WATER, wind, **kwargs, leeway_correlation_hours=6)
    for name in FIELDS:
        np.testing.assert_array_equal(before[name].values, given[name].values, err_msg=name)
    assert "leeway_correlation_hours" not in before.attrs
    assert varying.attrs["leeway_correlation_hours"] == 6.0
    assert not np.array_equal(before.lat.values, varying.lat.values)


def test_drawn_once_the_perturbation_stays_the_same():
    r_down, r_cross = _perturbations(_steady_run(BOAT, 200, 6, None), BOAT)
    assert np.abs(r_down - r_down[:, :1]).max() < 1e-6
    assert np.abs(r_cross - r_cross[:, :1]).max() < 1e-6
    assert r_down[:, 0].std() > 0.5 and r_cross[:, 0].std() > 0.5


@pytest.mark.parametrize("hours", [0, -6, float("nan"), float("inf"), True, "six"])
def test_a_correlation_time_that_is_not_positive_is_refused(hours):
    particles = point(95.0, 5.0, radius_nm=1.0, time=START, count=10, obj=BOAT)
    with pytest.raises(BadValueError, match="leeway_correlation_hours"):
        simulate(particles, STILL_WATER, ConstantSource("wind", 0.0, WIND).load(),
                 duration_hours=1, land=None, leeway_correlation_hours=hours)


# --------------------------------------------------------------------------- the process


def test_the_perturbation_keeps_unit_variance_and_forgets_at_the_correlation_time():
    n, hours, correlation = 4000, 36, 6.0
    r_down, r_cross = _perturbations(_steady_run(BOAT, n, hours, correlation), BOAT)
    per_hour = round(60 / STEP_MINUTES)
    assert r_down.shape[1] == hours * per_hour
    tolerance = 5.0 * np.sqrt(2.0 / n)  # of a sample variance of n normals
    for r in (r_down, r_cross):
        for step in (0, 12 * per_hour, r.shape[1] - 1):
            assert abs(r[:, step].var() - 1.0) < tolerance, step
            assert abs(r[:, step].mean()) < 5.0 / np.sqrt(n), step
        for first in (0, 10 * per_hour):
            for lag_hours in (1, 3, 6, 12):
                lag = lag_hours * per_hour
                expected = np.exp(-lag_hours / correlation)
                found = np.corrcoef(r[:, first], r[:, first + lag])[0, 1]
                # the standard error of a correlation is (1 - rho^2) / sqrt(n)
                assert abs(found - expected) < 5.0 * (1 - expected**2) / np.sqrt(n) + 0.01, (
                    first, lag_hours, found, expected)
    # a step's change is the process's own: r(t + dt) - exp(-dt/T) r(t) has the variance
    # 1 - exp(-2 dt/T) and no memory of r(t)
    keep = np.exp(-STEP_MINUTES / 60.0 / correlation)
    innovation = r_down[:, 1:] - keep * r_down[:, :-1]
    assert abs(innovation.var() / (1 - keep**2) - 1.0) < 0.02
    assert abs(np.corrcoef(innovation[:, 40], r_down[:, 40])[0, 1]) < 5.0 / np.sqrt(n)


def test_the_downwind_slope_never_turns_upwind():
    # PIW-1's perturbed downwind slope is negative 1.6 standard deviations down: the start's
    # draw is redrawn there, and the process is reflected there
    r_down, _ = _perturbations(_steady_run("PIW-1", 2000, 24, 2.0), "PIW-1")
    c = object_class("PIW-1")
    least = -20.0 * c.downwind_slope / c.downwind_std
    assert r_down.min() > least - 1e-6
    assert (r_down < least + 0.3).mean() > 0.01  # it does come near


# --------------------------------------------------------------------------- the point of it


def _reversing_wind(hours: int, every_hours: int = 6):
    """SYNTHETIC 10 m/s east wind that blows from the west, then from the east, then from the
    west again, turning every ``every_hours`` hours (hourly records, linear in between)."""
    dataset = synthetic.uniform_flow(WIND, 0.0, kind="wind", bbox=(90, 0, 100, 10), start=START,
                                     hours=hours)
    sign = np.where((np.arange(dataset.time.size) // every_hours) % 2 == 0, 1.0, -1.0)
    turned = dataset.u10 * sign[:, None, None].astype(np.float32)
    return open_forcing(dataset.assign(u10=turned.astype(np.float32)), "wind").load()


def _spread_km(run) -> np.ndarray:
    """The cloud's spread at each output time: the root-mean-square distance (km) of the
    particles from their centre, of their moves since the start."""
    lat0 = np.radians(run.lat.values[:, :1])
    x = (run.lon.values - run.lon.values[:, :1]) * np.cos(lat0) * METRES_PER_DEGREE
    y = (run.lat.values - run.lat.values[:, :1]) * METRES_PER_DEGREE
    return np.sqrt(x.var(axis=0) + y.var(axis=0)) / 1000.0


def test_under_a_reversing_wind_a_varying_perturbation_keeps_the_cloud_spreading():
    hours = 48
    wind = _reversing_wind(hours + 1)
    particles = point(95.0, 5.0, radius_nm=1.0, time=START, count=2000, obj=BOAT, seed=5)
    kwargs = {"duration_hours": hours, "timestep_minutes": 15, "output_every_minutes": 60,
              "seed": 5, "diffusivity_m2_s": 0.0, "land": None}
    fixed = _spread_km(simulate(particles, STILL_WATER, wind, **kwargs,
                                jibe_probability_per_hour=0.0))
    varying = _spread_km(simulate(particles, STILL_WATER, wind, **kwargs,
                                  jibe_probability_per_hour=0.0, leeway_correlation_hours=6))
    # drawn once, a particle's perturbation carries it back after each turn of the wind:
    # the cloud gathers again at the end of every 12 h period (measured: 0.06 km against
    # 5.7 km at most, in the middle of a period)
    periods = slice(12, None, 12)
    assert fixed.max() > 4.0
    assert (fixed[periods] < 0.02 * fixed.max()).all()
    # varying in time (T = 6 h), it does not come back the way it went: at the end of each
    # period the cloud is wider than at the last (measured 2.45, 3.1, 3.6, 4.0 km; the most,
    # 6.3 km, in the middle of the last period but one)
    assert (np.diff(varying[periods]) > 0).all()
    assert varying[-1] > 0.5 * varying.max()
    assert varying[-1] > 30.0 * fixed[-1]


# --------------------------------------------------------------------------- reproducible


@pytest.fixture(scope="module")
def case():
    particles = point(95.0, 5.0, radius_nm=5.0, time=START, end_time="2024-06-10T03:00",
                      count=700, obj=BOAT, seed=7)
    currents = open_forcing(synthetic.uniform_flow(0.2, 0.1, bbox=(90, 0, 100, 10), start=START,
                                                   hours=20), "current")
    wind = _reversing_wind(20, every_hours=4)
    island = LandMask(95.1, 5.0, 0.01, 0.01, np.ones((30, 20), np.uint8))
    settings = {"duration_hours": 16, "timestep_minutes": 15, "output_every_minutes": 60,
                "seed": 7, "land": island, "leeway_correlation_hours": 3.0}
    return particles, currents, wind, settings


def _same(a, b):
    for name in FIELDS:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)


def test_chunks_and_time_blocks_give_the_same_run_to_the_bit(case):
    particles, currents, wind, settings = case
    one = simulate(particles, currents, wind, **settings)
    assert one.attrs["count_stranded"] > 0
    _same(one, simulate(particles, currents, wind, **settings, chunk_size=150))
    _same(one, simulate(particles, currents, wind, **settings, time_block_hours=3,
                        chunk_size=256))
    _same(one.isel(time=[-1]), simulate(particles, currents, wind, **settings, keep="final",
                                        time_block_hours=5))


def test_with_object_transitions_the_new_class_perturbation_varies_too(case):
    particles, currents, wind, settings = case
    capsize = [Transition(BOAT, "PIW-1", 0.3)]
    one = simulate(particles, currents, wind, **settings, transitions=capsize)
    assert 0 < (one.class_index.values[:, -1] == 1).sum() < particles.count
    _same(one, simulate(particles, currents, wind, **settings, transitions=capsize,
                        time_block_hours=4, chunk_size=200))
