"""A drift on real forcing: PyGNOME's HYCOM current and GFS wind off the Washington coast.

``pygnome/gridded_current.nc`` and ``pygnome/gridded_wind.nc`` overlap over 47.25-48.75 N,
125.5-124.0 W from 2023-03-02 12:00 to 2023-03-04 00:00 (../shared/data/realworld/README.md).
The wind blows at about 10 m/s toward the east-south-east there, onto the coast, and the
current sets east at 0.1-0.2 m/s, so part of the ensemble strands on the real coastline.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from sarkit.drift.coast import land_mask
from sarkit.drift.leeway import object_class
from sarkit.drift.seeding import point
from sarkit.drift.simulate import simulate, status_counts
from sarkit.drift.status import Status
from sarkit.forcing import open_forcing
from sarkit.geodesy import METRES_PER_DEGREE

OVERLAP = (-125.5, 47.25, -124.0, 48.75)
START, END = "2023-03-02T12:00", "2023-03-03T12:00"
LKP = (-125.1, 47.8)  # about 46 km off the Olympic Peninsula coast


@pytest.fixture
def forcing(realworld: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SARKIT_CACHE", str(tmp_path))  # land masks built here
    currents = open_forcing(realworld / "pygnome" / "gridded_current.nc", "current")
    winds = open_forcing(realworld / "pygnome" / "gridded_wind.nc", "wind")
    return currents.load(OVERLAP, START, END), winds.load(OVERLAP, START, END)


def test_a_day_of_drift_off_washington_on_real_forcing(forcing):
    currents, winds = forcing
    obj = object_class("FISHING-VESSEL-1")
    mask = land_mask(currents.bbox)  # what land="auto" builds (the same cached mask)
    assert not mask.contains(*LKP), "the last known position must be at sea"
    seeds = point(*LKP, radius_nm=2, time=START, count=2000, obj=obj)
    run = simulate(seeds, currents, winds, duration_hours=24, land="auto")
    assert run.attrs["coastline"].startswith("GSHHG")
    lons, lats, status = run.lon.values, run.lat.values, run.status.values

    # every particle accounted for at every output time; none ever on land
    for k in range(run.time.size):
        assert sum(status_counts(run, time=k).values()) == seeds.count
    assert not mask.contains(lons, lats).any()
    assert set(np.unique(status)) <= {Status.ACTIVE, Status.STRANDED, Status.LEFT_DOMAIN}
    assert np.mean(status[:, -1] == Status.ACTIVE) > 0.5

    # a plausible distance: drift speeds of 0.04-1.7 m/s, i.e. 3.5-150 km in 24 h (stranded
    # particles stop earlier, but none is stranded at once: the coast is 46 km away)
    east = (lons[:, -1] - seeds.lon) * METRES_PER_DEGREE * math.cos(math.radians(LKP[1]))
    north = (lats[:, -1] - seeds.lat) * METRES_PER_DEGREE
    distance = np.hypot(east, north)
    assert distance.min() > 3_000 and distance.max() < 150_000, (distance.min(), distance.max())

    # the mean displacement agrees with the forcing at the last known position: the current
    # plus the downwind leeway a_d U + b_d, averaged over the day (the crosswind leeway of
    # right and left drifters cancels in the mean, as half are on each side). This ignores
    # the spatial variation of the fields along the 30 km track and the particles that
    # stranded early, so it is a rough check: 20 degrees and 35 % of the length.
    times = np.linspace(currents.time[0], currents.time[0] + 86400.0, 97)
    lon, lat = np.full(times.size, LKP[0]), np.full(times.size, LKP[1])
    current_e, current_n = currents.at(lon, lat, times)
    wind_e, wind_n = winds.at(lon, lat, times)
    speed = np.hypot(wind_e, wind_n)
    leeway = obj.downwind_slope * speed + obj.downwind_offset
    expected_e = np.mean(current_e + leeway * wind_e / speed) * 86400.0
    expected_n = np.mean(current_n + leeway * wind_n / speed) * 86400.0
    angle = math.degrees(math.atan2(east.mean(), north.mean()))
    expected_angle = math.degrees(math.atan2(expected_e, expected_n))
    assert abs(angle - expected_angle) < 20.0, (angle, expected_angle)
    ratio = math.hypot(east.mean(), north.mean()) / math.hypot(expected_e, expected_n)
    assert 0.65 < ratio < 1.35, ratio
