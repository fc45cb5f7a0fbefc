"""simulate(): analytic flows, leeway statistics, jibing, backward runs, the coast, errors.

Every stochastic test asserts a statistic with a tolerance stated (and justified) beside it,
never an exact count from a random run. Runs are small (a few thousand particles, hours of
simulated time), so the whole file runs in seconds once the kernel is compiled.
"""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from scipy.spatial import cKDTree

from sarkit.drift.coast import land_mask
from sarkit.drift.leeway import object_class
from sarkit.drift.random import STREAM_JIBE, STREAM_LEEWAY, STREAM_WALK, normal_pairs, uniforms
from sarkit.drift.seeding import Particles, point
from sarkit.drift.simulate import SeedError, simulate, status_counts
from sarkit.drift.status import Status
from sarkit.errors import BadValueError, ForcingCoverageError, SarkitError
from sarkit.files.trajectories import read_trajectories, write_trajectories
from sarkit.forcing import ConstantSource, ForcingGrid, open_forcing, synthetic
from sarkit.geodesy import METRES_PER_DEGREE
from tests import reference

REPO = Path(__file__).resolve().parents[2]
START = "2024-06-10T00:00"
END = "2024-06-10T06:00"
EPOCH = np.datetime64("1970-01-01T00:00:00", "ns")
FISHING = object_class("FISHING-VESSEL-1")
STILL_WIND = ConstantSource("wind", 0.0, 0.0).load()
STILL_WATER = ConstantSource("current", 0.0, 0.0).load()


def _seconds(times) -> np.ndarray:
    """datetime64 values as epoch seconds (float)."""
    return (np.asarray(times, dtype="datetime64[ns]") - EPOCH) / np.timedelta64(1, "s")


def _particles(lon, lat, release, obj=FISHING) -> Particles:
    """Particles built directly: one scenario, one class, equal weights."""
    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    lat = np.broadcast_to(np.asarray(lat, dtype=float), lon.shape)
    n = lon.size
    return Particles(lon, lat, np.broadcast_to(np.asarray(release, dtype=float), lon.shape),
                     (obj,), np.zeros(n), np.zeros(n), ("test",), np.full(n, 1.0 / n))


def _metres(lon0, lat0, lon1, lat1) -> tuple[np.ndarray, np.ndarray]:
    """(east, north) metres from point 0 to point 1 on the kernels' sphere (short distances)."""
    east = (np.asarray(lon1) - lon0) * METRES_PER_DEGREE * np.cos(np.radians(lat0))
    north = (np.asarray(lat1) - lat0) * METRES_PER_DEGREE
    return east, north


def _deterministic(**kwargs) -> dict:
    """simulate() settings for a run without random walk and without jibes, open ocean."""
    return {"diffusivity_m2_s": 0.0, "jibe_probability_per_hour": 0.0, "land": None, **kwargs}


# --------------------------------------------------------------------------- analytic flows


def _uniform_current(east: float, north: float) -> ForcingGrid:
    # 0.25 and 0.5 m/s are exact in float32, so the grid holds exactly the stated speed
    dataset = synthetic.uniform_flow(east, north, bbox=(90, 0, 100, 10), start=START, hours=30)
    return open_forcing(dataset, "current").load()


def test_uniform_northward_current_moves_every_particle_exactly_vt():
    current = _uniform_current(0.0, 0.5)
    seeds = point(95.0, 5.0, radius_nm=20, time=START, count=50, obj=FISHING)
    run = simulate(seeds, current, STILL_WIND, duration_hours=24, **_deterministic())
    elapsed = _seconds(run.time.values) - _seconds(run.time.values[0])
    # only rounding in 144 additions separates the kernel from v t / METRES_PER_DEGREE (~1e-14 deg)
    expected = seeds.lat[:, None] + 0.5 * elapsed[None, :] / METRES_PER_DEGREE
    np.testing.assert_allclose(run.lat.values, expected, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(run.lon.values, np.repeat(seeds.lon[:, None], elapsed.size, 1))
    assert run.attrs["count_active"] == 50


def test_uniform_eastward_current_moves_longitude_by_ut_over_m_cos_lat():
    current = _uniform_current(0.25, 0.0)
    seeds = point(95.0, 5.0, radius_nm=20, time=START, count=50, obj=FISHING)
    run = simulate(seeds, current, STILL_WIND, duration_hours=24, **_deterministic())
    elapsed = _seconds(run.time.values[-1]) - _seconds(run.time.values[0])
    expected = 0.25 * elapsed / (METRES_PER_DEGREE * np.cos(np.radians(seeds.lat)))
    np.testing.assert_allclose(run.lon.values[:, -1] - seeds.lon, expected, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(run.lat.values[:, -1], seeds.lat)


def test_leaving_the_forcing_is_a_status_without_any_random_walk():
    """A particle carried out of its current's grid stops at its last position inside, marked
    LEFT_DOMAIN at that step, with or without a random walk (issue 17 item 3)."""
    current = _uniform_current(0.5, 0.0)  # 0.5 m/s east over 90-100 E
    seeds = point(99.7, 5.0, radius_nm=1, time=START, count=20, obj=FISHING)
    for diffusivity in (0.0, 1.0):
        run = simulate(seeds, current, STILL_WIND, duration_hours=24,
                       **_deterministic(diffusivity_m2_s=diffusivity))
        status = run.status.values
        assert (status[:, -1] == Status.LEFT_DOMAIN).all()
        assert run.attrs["count_left_domain"] == 20
        lon = run.lon.values
        assert (lon <= 100.0).all()  # never written outside the grid
        # marked at the step it would have left: 0.3 deg at 0.5 m/s is about 18.5 h
        first = np.argmax(status == Status.LEFT_DOMAIN, axis=1)
        hours = (_seconds(run.time.values[first]) - _seconds(run.time.values[0])) / 3600.0
        assert (hours > 17.0).all() and (hours < 21.0).all()


def _return_error_m(step_minutes: float, lat0: float) -> np.ndarray:
    """Distance (m) from the start after one 24 h period of solid-body rotation, r = 50 km."""
    centre = (95.0, lat0)
    dataset = synthetic.solid_body_rotation(
        center=centre, period_hours=24.0, bbox=(94.3, lat0 - 0.7, 95.7, lat0 + 0.7),
        resolution_deg=0.05, start=START, hours=30)
    current = open_forcing(dataset, "current").load()
    offset = 50_000.0 / METRES_PER_DEGREE
    lon = 95.0 + offset / np.cos(np.radians(lat0)) * np.array([1.0, 0.0, -1.0, 0.0])
    lat = lat0 + offset * np.array([0.0, 1.0, 0.0, -1.0])
    seeds = _particles(lon, lat, current.time[0])
    run = simulate(seeds, current, STILL_WIND, duration_hours=24,
                   timestep_minutes=step_minutes, **_deterministic())
    east, north = _metres(seeds.lon, seeds.lat, run.lon.values[:, -1], run.lat.values[:, -1])
    return np.hypot(east, north)


def _scheme_rotation_error_m(step_minutes: float, radius_m: float = 50_000.0) -> float:
    """The time stepping's own error after one period of rotation, in the plane.

    For dz/dt = i w z the first step (explicit midpoint) multiplies z by
    A = 1 + i w h - (w h)^2 / 2, and every later one (Adams-Bashforth) sets
    z[n+1] = z[n] + i w h (3/2 z[n] - 1/2 z[n-1]); after N = T / h steps the error is
    |z[N] - z0|. To leading order it is a phase lead of N 5/12 (w h)^3 = 5 (2 pi)^3 / (12 N^2)
    radians: second order in h (249 m at 10 min and 62 m at 5 min for r = 50 km, T = 24 h;
    the midpoint method at every step would give 100 m and 25 m with twice the readings of
    the field).
    """
    steps = round(24 * 60 / step_minutes)
    omega_h = 2.0 * math.pi / steps
    before, now = 1.0 + 0j, complex(1.0 - omega_h**2 / 2.0, omega_h)
    for _ in range(steps - 1):
        before, now = now, now + 1j * omega_h * (1.5 * now - 0.5 * before)
    return abs(now - 1.0) * radius_m


@pytest.mark.parametrize("lat0", [0.0, 10.0])
def test_solid_body_rotation_returns_to_its_start_after_one_period(lat0):
    ten, five = _return_error_m(10.0, lat0), _return_error_m(5.0, lat0)
    # The analytic field is linear in x, y, so bilinear interpolation is exact and the error
    # is the time stepping's own (above), plus the difference between the synthetic
    # tangent plane and the kernels' sphere: speeds differ by O((r / R)^2) ~ 6e-5 relative
    # at the equator and by tan(lat0) r / R ~ 1.4e-3, odd about the centre, at 10 N, which
    # changes the period by O(1e-5 .. 1e-4): at most ~20 m along the 314 km orbit.
    for error, minutes in ((ten, 10.0), (five, 5.0)):
        np.testing.assert_allclose(error, _scheme_rotation_error_m(minutes), atol=20.0)
    assert ten.max() < 270.0  # the stated bound: under 0.1 % of the 314 km orbit
    # second order: the step-dependent part of the error is the scheme's, which falls from
    # 249 m to 62 m when the step is halved (the sphere's few metres do not depend on the
    # step)
    expected_drop = _scheme_rotation_error_m(10.0) - _scheme_rotation_error_m(5.0)
    np.testing.assert_allclose(ten - five, expected_drop, atol=1.0)


# --------------------------------------------------------------------------- random walk


def test_random_walk_variance_grows_as_2kt_per_axis():
    n, diffusivity = 10_000, 10.0
    seeds = point(95.0, 5.0, radius_nm=0, time=START, count=n, obj=FISHING)
    run = simulate(seeds, STILL_WATER, STILL_WIND, duration_hours=12, seed=11,
                   diffusivity_m2_s=diffusivity, jibe_probability_per_hour=0.0, land=None)
    for hours in (6, 12):
        east, north = _metres(95.0, 5.0, run.lon.values[:, hours], run.lat.values[:, hours])
        expected = 2.0 * diffusivity * hours * 3600.0
        for displacement in (east, north):
            # the mean of x^2 over n Gaussian displacements has relative standard error
            # sqrt(2 / n) = 1.4 %; allow 5 of them (7 %)
            variance = np.mean(displacement**2)
            assert abs(variance / expected - 1.0) < 5.0 * math.sqrt(2.0 / n), (hours, variance)
            # the mean is zero to within 5 standard errors sqrt(2 K t / n)
            assert abs(displacement.mean()) < 5.0 * math.sqrt(expected / n)
        # the two axes are independent: sample correlation within 5 / sqrt(n)
        assert abs(np.corrcoef(east, north)[0, 1]) < 5.0 / math.sqrt(n)


# --------------------------------------------------------------------------- leeway


def _one_step_velocities(obj, wind_east: float, wind_north: float, n: int, seed: int = 7):
    """(east, north) leeway velocity of n particles from one 10-minute step, and their side.

    The wind is uniform and steady and the water still, so every particle moves at its own
    constant leeway: one step's displacement divided by the step is that velocity exactly.
    """
    wind = ConstantSource("wind", wind_east, wind_north).load()
    seeds = point(95.0, 5.0, radius_nm=0, time=START, count=n, obj=obj)
    run = simulate(seeds, STILL_WATER, wind, duration_hours=10 / 60, output_every_minutes=10,
                   seed=seed, **_deterministic())
    east, north = _metres(95.0, 5.0, run.lon.values[:, 1], run.lat.values[:, 1])
    return east / 600.0, north / 600.0, run.side.values[:, 0]


@pytest.mark.parametrize("key", ["FISHING-VESSEL-1", "SKIFF-2", "LIFE-RAFT-NB-2"])
def test_mean_leeway_in_a_steady_wind_is_the_regression(key):
    obj, wind_speed, n = object_class(key), 10.0, 20_000
    # wind blowing toward north: downwind is north, right of downwind is east
    east, north, side = _one_step_velocities(obj, 0.0, wind_speed, n)
    assert set(np.unique(side)) == {-1, 1}
    np.testing.assert_array_equal(side, np.where(np.arange(n) % 2 == 0, 1, -1))
    # a particle's leeway is the regression plus e (U / 20 + 1 / 2), e ~ N(0, sigma): the
    # ensemble mean has standard error sigma (U / 20 + 1 / 2) / sqrt(n); allow 5 of them.
    # (The redraw of negative downwind slopes cuts r_down below -20 a_d / sigma_d, < -10
    # for these classes: never in practice.)
    factor = wind_speed / 20.0 + 0.5
    expected_down = obj.downwind_slope * wind_speed + obj.downwind_offset
    error = obj.downwind_std * factor / math.sqrt(n)
    assert abs(north.mean() - expected_down) < 5 * error
    # the spread is the regression's too: std of a std estimate ~ 1 / sqrt(2 n) relative
    assert abs(north.std() / (obj.downwind_std * factor) - 1.0) < 5 / math.sqrt(2 * n)
    for sign, slope, offset, sigma in ((1, obj.right_slope, obj.right_offset, obj.right_std),
                                       (-1, obj.left_slope, obj.left_offset, obj.left_std)):
        cross = east[side == sign]
        expected = slope * wind_speed + offset
        assert abs(cross.mean() - expected) < 5 * sigma * factor / math.sqrt(cross.size), sign


def test_fishing_vessel_leeway_matches_the_iamsar_multiplier_and_divergence():
    # IAMSAR (LEEWAY.md §4, canterbury-air-patrol/marine-leeway-data; NATSAR 2023 Table D-5):
    # commercial fishing vessel, unknown: leeway = 0.037 x wind speed, 48 degrees either side
    # of downwind. The polar form of the USCG slopes reproduces it to 0.0006 and 1 degree.
    multiplier, divergence, wind_speed, n = 0.037, 48.0, 10.0, 20_000
    east, north, side = _one_step_velocities(FISHING, 0.0, wind_speed, n)
    for sign in (1, -1):
        down, cross = north[side == sign].mean(), east[side == sign].mean()
        speed = math.hypot(down, cross)
        # standard error of each mean component: sigma (U / 20 + 1 / 2) / sqrt(n / 2) with
        # sigma <= 0.12 m/s: 0.0012 m/s, i.e. 0.00012 in the multiplier and 0.19 degrees
        error = 0.12 * (wind_speed / 20.0 + 0.5) / math.sqrt(n / 2)
        assert abs(speed / wind_speed - multiplier) < 0.0006 + 5 * error / wind_speed
        angle = math.degrees(math.atan2(sign * cross, down))  # positive: away from downwind
        assert abs(angle - divergence) < 1.0 + 5 * math.degrees(error / speed), (sign, angle)


@pytest.mark.parametrize("bearing", [0.0, 90.0, 225.0, 300.0])
@pytest.mark.parametrize("key", ["FISHING-VESSEL-1", "SKIFF-2", "LIFE-RAFT-NB-2"])
def test_leeway_without_perturbation_is_exact(key, bearing):
    obj = dataclasses.replace(object_class(key), downwind_std=0.0, right_std=0.0, left_std=0.0)
    wind_speed = 10.0
    # the wind blows toward ``bearing`` (degrees clockwise from north)
    down_e, down_n = math.sin(math.radians(bearing)), math.cos(math.radians(bearing))
    east, north, side = _one_step_velocities(obj, wind_speed * down_e, wind_speed * down_n, 40)
    wind = ConstantSource("wind", wind_speed * down_e, wind_speed * down_n).load()
    # the float32 grid holds the wind components rounded: use them for the expectation
    down_e, down_n = float(wind.east[0, 0, 0]) / wind_speed, float(wind.north[0, 0, 0]) / wind_speed
    norm = math.hypot(down_e, down_n)
    down_e, down_n = down_e / norm, down_n / norm
    along = obj.downwind_slope * wind_speed * norm + obj.downwind_offset
    for sign, slope, offset in ((1, obj.right_slope, obj.right_offset),
                                (-1, obj.left_slope, obj.left_offset)):
        across = slope * wind_speed * norm + offset
        # right of downwind: downwind turned 90 degrees clockwise, (down_n, -down_e)
        expected_e = along * down_e + across * down_n
        expected_n = along * down_n - across * down_e
        np.testing.assert_allclose(east[side == sign], expected_e, rtol=0, atol=1e-9)
        np.testing.assert_allclose(north[side == sign], expected_n, rtol=0, atol=1e-9)


# --------------------------------------------------------------------------- jibing


@pytest.mark.parametrize("probability", [0.04, 0.2])
def test_fraction_of_particles_that_jibed_is_one_minus_survival(probability):
    n = 4000
    seeds = point(95.0, 5.0, radius_nm=0, time=START, count=n, obj=FISHING)
    run = simulate(seeds, STILL_WATER, STILL_WIND, duration_hours=12, output_every_minutes=10,
                   diffusivity_m2_s=0.0, jibe_probability_per_hour=probability, land=None,
                   seed=3)
    side = run.side.values
    per_step = 1.0 - (1.0 - probability) ** (1 / 6)
    for hours in (3, 6, 12):
        changed = np.any(side[:, : 6 * hours + 1] != side[:, :1], axis=1).mean()
        expected = 1.0 - (1.0 - probability) ** hours
        # binomial standard error sqrt(p (1 - p) / n): <= 0.8 % here; allow 5 of them
        assert abs(changed - expected) < 5 * math.sqrt(expected * (1 - expected) / n), hours
    # jibes per particle in 12 h: binomial(72, per_step); mean within 5 standard errors
    jibes = np.count_nonzero(np.diff(side, axis=1), axis=1)
    expected_jibes = 72 * per_step
    assert abs(jibes.mean() - expected_jibes) < 5 * math.sqrt(expected_jibes / n)


def test_particles_released_later_jibe_at_the_same_rate_from_their_release():
    n, probability = 4000, 0.2
    seeds = point(95.0, 5.0, radius_nm=0, time="2024-06-10T06:00", count=n, obj=FISHING)
    run = simulate(seeds, STILL_WATER, STILL_WIND, start=START, duration_hours=12,
                   output_every_minutes=10, diffusivity_m2_s=0.0,
                   jibe_probability_per_hour=probability, land=None, seed=5)
    side = run.side.values  # every 10 min step; released at step 36
    assert np.all(side[:, :37] == side[:, :1])  # nothing happens before the release
    for hours in (2, 6):
        changed = np.any(side[:, 36: 37 + 6 * hours] != side[:, 36:37], axis=1).mean()
        expected = 1.0 - (1.0 - probability) ** hours
        assert abs(changed - expected) < 5 * math.sqrt(expected * (1 - expected) / n), hours


def test_no_jibes_when_the_probability_is_zero():
    seeds = point(95.0, 5.0, radius_nm=0, time=START, count=500, obj=FISHING)
    run = simulate(seeds, STILL_WATER, STILL_WIND, duration_hours=12, **_deterministic())
    side = run.side.values
    assert np.all(side == side[:, :1])


# --------------------------------------------------------------------------- backward


def _eddy_forcing():
    dataset = synthetic.moving_eddy(center=(95.0, 8.0), radius_km=40, max_speed=0.6,
                                    velocity=(0.1, 0.05), bbox=(93.5, 6.5, 96.5, 9.5),
                                    resolution_deg=0.05, start=START, hours=30, step_hours=1)
    return open_forcing(dataset, "current").load(), ConstantSource("wind", 4.0, -3.0).load()


def _forward_then_backward(seed_back: int):
    currents, winds = _eddy_forcing()
    seeds = point(95.2, 8.1, radius_nm=20, time="2024-06-10T03:00", count=200, obj=FISHING,
                  seed=3)
    forward = simulate(seeds, currents, winds, duration_hours=24, seed=5, **_deterministic())
    end = forward.time.values[-1]
    at_end = Particles(forward.lon.values[:, -1], forward.lat.values[:, -1],
                       np.full(seeds.count, _seconds(end)), seeds.objects, seeds.object_index,
                       seeds.scenario, seeds.scenarios, seeds.weight)
    backward = simulate(at_end, currents, winds, duration_hours=-24, start=end, seed=seed_back,
                        **_deterministic())
    assert backward.attrs["direction"] == "backward"
    np.testing.assert_array_equal(backward.time.values, forward.time.values[::-1])
    moved = np.hypot(*_metres(seeds.lon, seeds.lat, at_end.lon, at_end.lat))
    back = np.hypot(*_metres(seeds.lon, seeds.lat, backward.lon.values[:, -1],
                             backward.lat.values[:, -1]))
    return moved, back


def test_forward_then_backward_returns_to_the_start_in_a_time_varying_flow():
    moved, back = _forward_then_backward(seed_back=5)
    assert moved.min() > 2_000.0  # every particle went somewhere (2.6 to 59 km)
    # The same seed gives each particle the same leeway perturbation, so the backward run
    # integrates the same velocity field in reverse. The time stepping is not exactly
    # reversible: its local error O(h^3) (first order where a step crosses a kink of the
    # bilinear/linear-in-time interpolation) leaves at most 0.17 m after 2 x 144 steps of
    # 10 min here (0.03 m at 5 min). 5 m is far below what any sign, unit or perturbation
    # error would leave (kilometres).
    assert back.max() < 5.0, back.max()


def test_backward_run_with_another_seed_does_not_return():
    # the previous test has teeth: another seed draws other leeway perturbations
    _, back = _forward_then_backward(seed_back=6)
    assert np.median(back) > 500.0


# --------------------------------------------------------------------------- coast

PLACES = {
    # place: (seed position at sea, onshore direction (east, north), box)
    "Phuket west coast": ((98.2, 7.9), (1.0, 0.0), (97.9, 7.6, 98.5, 8.2)),
    "Banda Aceh": ((95.32, 5.7), (0.0, -1.0), (95.0, 5.4, 95.6, 5.9)),
    "Cox's Bazar": ((91.9, 21.4), (1.0, 0.0), (91.6, 21.1, 92.2, 21.7)),
}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh sarkit cache, so that land masks are built here and not in the user's home."""
    monkeypatch.setenv("SARKIT_CACHE", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("place", sorted(PLACES))
def test_onshore_drift_strands_on_the_real_coast_and_never_crosses_it(place, cache):
    (lon, lat), (east, north), box = PLACES[place]
    currents = ConstantSource("current", 0.2 * east, 0.2 * north).load(box)
    winds = ConstantSource("wind", 8.0 * east, 8.0 * north).load(box)
    mask = land_mask(box)
    seeds = point(lon, lat, radius_nm=1.0, time=START, count=1000, obj=FISHING)
    assert not mask.contains(seeds.lon, seeds.lat).any()
    land = "auto" if place == "Phuket west coast" else mask  # "auto" builds the same mask
    run = simulate(seeds, currents, winds, duration_hours=18, land=land)
    lons, lats, status = run.lon.values, run.lat.values, run.status.values
    # no particle is ever on land, at any output time
    assert not mask.contains(lons, lats).any()
    # the counts at every output time add up to the particles seeded
    for k in range(run.time.size):
        assert sum(status_counts(run, time=k).values()) == seeds.count
    assert sum(v for k, v in run.attrs.items() if k.startswith("count_")) == seeds.count
    # the coast is 9-11 km away and the drift onshore about 0.4 m/s (26 km in 18 h): all but
    # the few that leeway and walk carry along the shore or out of the box are stranded
    stranded = status[:, -1] == Status.STRANDED
    assert stranded.mean() > 0.8, status_counts(run)
    # stranded is final, and a stranded particle stays where it stopped
    first = np.argmax(status == Status.STRANDED, axis=1)
    for p in np.flatnonzero(stranded):
        k = first[p]
        assert np.all(status[p, k:] == Status.STRANDED)
        assert np.all(lons[p, k:] == lons[p, k]) and np.all(lats[p, k:] == lats[p, k])
    # and it stopped at the shore: the end of its last step was in a land cell, so a land
    # cell centre lies within one step plus half a cell diagonal. One step is at most
    # 600 s x 1 m/s (current 0.2 + leeway 0.4 + 3.5 sigma of perturbation, 0.4) plus the
    # walk, sqrt(2 K dt) = 77 m per axis, < 5.3 x 77 = 410 m (a 1e-6 tail); the cells are
    # 450 m: 600 + 410 + 320 m
    distance = _distance_to_land_m(mask, lons[stranded, -1], lats[stranded, -1])
    assert distance.max() < 1330.0, distance.max()


def _distance_to_land_m(mask, lon, lat) -> np.ndarray:
    """Distance (m) from each point to the nearest land-cell centre of a mask (local plane)."""
    rows, cols = np.nonzero(mask.land)
    land_lon = mask.west + (cols + 0.5) * mask.dlon
    land_lat = mask.south + (rows + 0.5) * mask.dlat
    scale = METRES_PER_DEGREE * math.cos(math.radians(float(np.mean(lat))))
    tree = cKDTree(np.column_stack([land_lon * scale, land_lat * METRES_PER_DEGREE]))
    distance, _ = tree.query(np.column_stack([lon * scale, lat * METRES_PER_DEGREE]))
    return distance


# --------------------------------------------------------------------------- release times


def test_particles_wait_at_their_start_until_their_time_of_distress():
    current = _uniform_current(0.25, 0.25)
    seeds = point(95.0, 5.0, radius_nm=2, time=START, end_time="2024-06-10T06:00", count=400,
                  obj=FISHING)
    run = simulate(seeds, current, STILL_WIND, duration_hours=12, **_deterministic())
    # the run starts at the earliest release; the time coordinate is that rounded to 1 ms
    times = seeds.release.min() + 3600.0 * np.arange(run.time.size)
    np.testing.assert_allclose(_seconds(run.time.values), times, atol=1e-3)
    status = run.status.values
    for k, t in enumerate(times):
        waiting = seeds.release > t
        counts = status_counts(run, time=k)
        assert counts["not released"] == waiting.sum()
        assert counts["active"] == seeds.count - waiting.sum()
        np.testing.assert_array_equal(status[waiting, k], Status.NOT_RELEASED)
        np.testing.assert_array_equal(run.lon.values[waiting, k], seeds.lon[waiting])
    # once released, a particle has drifted v (t - release) (within one step of 10 minutes)
    drifted = (run.lat.values[:, -1] - seeds.lat) * METRES_PER_DEGREE
    np.testing.assert_allclose(drifted, 0.25 * (times[-1] - seeds.release), atol=0.25 * 600)


# --------------------------------------------------------------------------- bad input


def test_particles_on_land_are_refused(cache):
    box = (97.9, 7.6, 98.5, 8.2)
    currents = ConstantSource("current", 0.1, 0.0).load(box)
    seeds = point(98.38, 7.88, radius_nm=0.5, time=START, count=10, obj=FISHING)  # Phuket Town
    with pytest.raises(SeedError, match="on land") as error:
        simulate(seeds, currents, STILL_WIND, duration_hours=6, land=land_mask(box))
    assert "Fix:" in str(error.value)


def test_particles_outside_the_forcing_are_refused():
    current = _uniform_current(0.1, 0.0)
    seeds = point(120.0, 5.0, radius_nm=1, time=START, count=10, obj=FISHING)
    with pytest.raises(SeedError, match="outside the current forcing") as error:
        simulate(seeds, current, STILL_WIND, duration_hours=6, land=None)
    assert "Fix:" in str(error.value)
    # where, the one way: latitude first, hemisphere letters, the box's edges likewise
    assert re.search(r"e\.g\. at \d\.\d{3}N 1\d\d\.\d{3}E; it covers "
                     r"\d+\.\d\d[NS]\.\.\d+\.\d\d[NS] \d+\.\d\d[EW]\.\.\d+\.\d\d[EW]",
                     str(error.value)), str(error.value)


@pytest.mark.parametrize(("start", "hours"), [(START, 48), ("2024-06-09T00:00", 6)])
def test_a_run_outside_the_forcing_times_is_refused(start, hours):
    current = _uniform_current(0.1, 0.0)  # 2024-06-10 00:00 .. 2024-06-11 06:00
    seeds = point(95.0, 5.0, radius_nm=1, time=start, count=10, obj=FISHING)
    with pytest.raises(ForcingCoverageError) as error:
        simulate(seeds, current, STILL_WIND, duration_hours=hours, land=None)
    assert "Fix:" in str(error.value)


@pytest.mark.parametrize("hours", [0, float("nan")])
def test_a_run_of_no_duration_is_refused(hours):
    seeds = point(95.0, 5.0, radius_nm=1, time=START, count=10, obj=FISHING)
    with pytest.raises(BadValueError) as error:
        simulate(seeds, STILL_WATER, STILL_WIND, duration_hours=hours, land=None)
    assert "Fix:" in str(error.value)


@pytest.mark.parametrize("settings", [
    {"timestep_minutes": 0}, {"timestep_minutes": -10}, {"output_every_minutes": 0},
    {"diffusivity_m2_s": -1}, {"diffusivity_m2_s": float("inf")},
    {"jibe_probability_per_hour": 1.5}, {"jibe_probability_per_hour": float("nan")},
    {"seed": -1}, {"seed": 2**64},
    {"seed": 1.5}, {"chunk_size": -5}, {"land": "sometimes"}, {"duration_hours": 6, "end": END},
])
def test_nonsense_settings_are_refused(settings):
    seeds = point(95.0, 5.0, radius_nm=1, time=START, count=10, obj=FISHING)
    run = {"duration_hours": 6, "land": None, **settings}
    with pytest.raises(SarkitError) as error:
        simulate(seeds, STILL_WATER, STILL_WIND, **run)
    assert "Fix:" in str(error.value)


@pytest.mark.parametrize("settings", [
    pytest.param({"start": "nonsense", "duration_hours": 6}, id="start"),
    pytest.param({"end": "nonsense"}, id="end"),
    pytest.param({"duration_hours": "six"}, id="duration"),
    pytest.param({"duration_hours": 6, "seed": "x"}, id="seed"),
])
def test_unreadable_run_settings_are_refused_with_a_fix(settings):
    # BUG: simulate() passes start/end to parse_time and duration/seed to float() unguarded,
    # so these raise a bare ValueError instead of a SarkitError with a fix
    seeds = point(95.0, 5.0, radius_nm=1, time=START, count=10, obj=FISHING)
    with pytest.raises(SarkitError) as error:
        simulate(seeds, STILL_WATER, STILL_WIND, land=None, **settings)
    assert "Fix:" in str(error.value)


def test_a_run_that_ends_when_it_starts_is_refused():
    # BUG: duration_hours=0 is refused, but end == start runs zero steps without complaint
    seeds = point(95.0, 5.0, radius_nm=1, time=START, count=10, obj=FISHING)
    with pytest.raises(BadValueError) as error:
        simulate(seeds, STILL_WATER, STILL_WIND, end=START, land=None)
    assert "Fix:" in str(error.value)


# --------------------------------------------------------------------------- netCDF


def _small_run() -> xr.Dataset:
    current = _uniform_current(0.25, 0.1)
    seeds = point(95.0, 5.0, radius_nm=2, time=START, end_time="2024-06-10T02:00", count=30,
                  obj=FISHING)
    return simulate(seeds, current, STILL_WIND, duration_hours=6, land=None)


def test_trajectories_written_to_netcdf_read_back_equal(tmp_path):
    run = _small_run()
    path = write_trajectories(run, tmp_path / "out" / "drift.nc")
    assert path == tmp_path / "out" / "drift.nc"
    back = read_trajectories(path)
    xr.testing.assert_equal(back, run)
    for name in ("lon", "lat", "status", "side"):
        assert back[name].dtype == run[name].dtype, name
    assert back.attrs == run.attrs
    assert sorted(p.name for p in path.parent.iterdir()) == ["drift.nc"]


def test_a_failed_write_leaves_no_partial_file(tmp_path):
    run = _small_run()
    # a folder that cannot be created: its parent is a file
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    with pytest.raises(OSError):
        write_trajectories(run, blocker / "drift.nc")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]
    # a write that fails half-way (an attribute netCDF cannot hold) leaves neither a
    # temporary file nor a target, and does not touch an earlier file of the same name
    target = tmp_path / "drift.nc"
    bad = run.assign_attrs(settings={"not": "storable"})
    with pytest.raises((TypeError, ValueError)):
        write_trajectories(bad, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]
    write_trajectories(run, target)
    before = target.read_bytes()
    with pytest.raises((TypeError, ValueError)):
        write_trajectories(bad, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "drift.nc"]
    assert target.read_bytes() == before


# --------------------------------------------------------------------------- reference


def _andaman():
    currents = open_forcing(REPO / "data" / "andaman_synthetic_currents.nc", "current").load()
    winds = open_forcing(REPO / "data" / "andaman_synthetic_winds.nc", "wind").load()
    return currents, winds


def _with_missing(grid: ForcingGrid, lon_range, lat_range) -> ForcingGrid:
    """The grid with NaN (land of the ocean model) over a lon/lat rectangle."""
    east, north = grid.east.copy(), grid.north.copy()
    cols = (grid.lon >= lon_range[0]) & (grid.lon <= lon_range[1])
    rows = (grid.lat >= lat_range[0]) & (grid.lat <= lat_range[1])
    east[:, rows[:, None] & cols[None, :]] = np.nan
    north[:, rows[:, None] & cols[None, :]] = np.nan
    return ForcingGrid(grid.quantity, grid.lon, grid.lat, grid.time, east, north,
                       source=grid.source + " with a missing block")


# positions on the Andaman fields: the open sea, the eddy at 96.5 E 11 N, near a grid line
REFERENCE_LON = np.array([93.0, 96.5, 96.9, 95.25, 97.6, 92.13])
REFERENCE_LAT = np.array([8.0, 10.6, 11.2, 6.5, 12.9, 13.37])


@pytest.mark.parametrize("missing", [False, True])
def test_kernel_agrees_with_the_reference_stepper(missing):
    currents, winds = _andaman()
    if missing:  # a block of NaN current next to the particles: skipped, weights renormalised
        currents = _with_missing(currents, (96.6, 97.4), (10.9, 11.6))
        currents = _with_missing(currents, (93.1, 93.6), (7.5, 8.4))
        assert np.isnan(currents.east).any()
    obj, seed, start = FISHING, 4, float(currents.time[0])
    seeds = _particles(REFERENCE_LON, REFERENCE_LAT, start, obj)
    run = simulate(seeds, currents, winds, duration_hours=24, seed=seed, **_deterministic())
    draws = normal_pairs(seed, seeds.ids, 0, STREAM_LEEWAY)
    assert np.all(obj.downwind_slope + draws[:, 0] * obj.downwind_std / 20 >= 0)  # no redraws
    for p in range(seeds.count):
        side = 1 if p % 2 == 0 else -1
        lons, lats, _ = reference.drift_one(currents, winds, seeds.lon[p], seeds.lat[p], start,
                                            600.0, 144, side, obj, draws[p, 0], draws[p, 1])
        np.testing.assert_allclose(run.lon.values[p], lons[::6], rtol=0, atol=1e-9)
        np.testing.assert_allclose(run.lat.values[p], lats[::6], rtol=0, atol=1e-9)
    assert run.attrs["count_active"] == seeds.count


def test_kernel_with_walk_and_jibes_agrees_with_the_reference_stepper():
    currents, winds = _andaman()
    obj, seed, start, diffusivity, jibe = object_class("SKIFF-2"), 9, float(currents.time[0]), \
        5.0, 0.3
    seeds = _particles(REFERENCE_LON, REFERENCE_LAT, start, obj)
    run = simulate(seeds, currents, winds, duration_hours=12, seed=seed, land=None,
                   output_every_minutes=10, diffusivity_m2_s=diffusivity,
                   jibe_probability_per_hour=jibe)
    draws = normal_pairs(seed, seeds.ids, 0, STREAM_LEEWAY)
    per_step = 1.0 - (1.0 - jibe) ** (600.0 / 3600.0)
    walk_std = math.sqrt(2.0 * diffusivity * 600.0)
    log_stay = math.log(1.0 - per_step)
    for p in range(seeds.count):
        ids = np.array([p])

        def wait(counter, ids=ids):
            """Geometric steps to the next jibe, drawn at step ``counter`` (kernels docstring)."""
            return math.floor(math.log(uniforms(seed, ids, counter, STREAM_JIBE)[0]) / log_stay)

        next_jibe = [wait(0)]

        def jibes(n, next_jibe=next_jibe, wait=wait):
            if n != next_jibe[0]:
                return False
            next_jibe[0] = n + 1 + wait(n + 1)
            return True

        def walk(n, ids=ids):
            east, north = normal_pairs(seed, ids, n, STREAM_WALK)[0]
            return east * walk_std, north * walk_std

        lons, lats, sides = reference.drift_one(
            currents, winds, seeds.lon[p], seeds.lat[p], start, 600.0, 72,
            1 if p % 2 == 0 else -1, obj, draws[p, 0], draws[p, 1], jibes=jibes, walk=walk)
        np.testing.assert_allclose(run.lon.values[p], lons, rtol=0, atol=1e-9)
        np.testing.assert_allclose(run.lat.values[p], lats, rtol=0, atol=1e-9)
        np.testing.assert_array_equal(run.side.values[p], sides)
    assert np.any(run.side.values != run.side.values[:, :1])  # some did jibe


def test_progress_is_reported_per_chunk_and_does_not_change_the_result():
    from sarkit.forcing import ConstantSource

    box = (94.0, 5.0, 98.0, 9.0)
    currents = ConstantSource("current", 0.3, 0.1).load(box)
    winds = ConstantSource("wind", 4.0, 2.0).load(box)
    particles = point(96.0, 7.0, radius_nm=3, time="2024-03-20T00:00Z", count=250,
                      obj=object_class("PIW-1"))
    calls = []
    chunked = simulate(particles, currents, winds, duration_hours=3, land=None, chunk_size=100,
                       progress=lambda done, total: calls.append((done, total)))
    whole = simulate(particles, currents, winds, duration_hours=3, land=None)
    assert calls == [(100, 250), (200, 250), (250, 250)]
    np.testing.assert_array_equal(chunked.lon.values, whole.lon.values)
