"""Fixtures of the planning tests."""

from __future__ import annotations

import numpy as np
import pytest

from sarkit.times import parse_time


@pytest.fixture(scope="session")
def trajectories_at_night():
    """A drift from 06:00Z to 20:00Z at 96E 9N (dusk about 12:25Z), a visual-only vessel and
    calm weather."""
    from sarkit.app.run import drift_scenario
    from sarkit.files.scenario_toml import scenario_from_dict
    from sarkit.planning import Asset, Weather, asset_type

    scenario = scenario_from_dict({
        "name": "night", "object": "FISHING-VESSEL-1", "particles": 300, "seed": 2,
        "lkp": {"time": "2024-06-10T06:00Z", "lon": 96.0, "lat": 9.0, "radius_nm": 5},
        "run": {"duration_hours": 14, "timestep_minutes": 30, "output_every_minutes": 60},
        "forcing": {"currents": {"constant": [0.1, 0.05]}, "winds": {"constant": [0.0, 0.0]}},
    })
    vessel = Asset("KN SAR 1", asset_type("kn-sar-class-2"), parse_time("2024-06-09T12:00Z"),
                   base=(95.3, 5.6), search_speed_kt=10.0, search_height_ft=14)
    assert np.isfinite(vessel.lon)
    return drift_scenario(scenario), vessel, Weather(visibility_nm=10, wind_kt=10, seas_m=0.5)
