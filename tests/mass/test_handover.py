"""Handover between search and rescue regions as a case's probability drifts across them."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from sarkit.app.run import drift_scenario
from sarkit.files.scenario_toml import scenario_from_dict
from sarkit.mass.handover import handovers, region_shares
from sarkit.planning.regions import SearchRegion


def _region(name, centre, west, east):
    return SearchRegion(name=name, country="test", centre=centre,
                        polygon=shapely.box(west, 5.0, east, 10.0), approximate=True,
                        authoritative=False, source="test boxes", note="")


@pytest.fixture(scope="module")
def eastward():
    scenario = scenario_from_dict({
        "name": "handover", "object": "FISHING-VESSEL-1", "particles": 500, "seed": 4,
        "lkp": {"time": "2024-06-10T00:00Z", "lon": 97.4, "lat": 7.4, "radius_nm": 8},
        "run": {"duration_hours": 14, "timestep_minutes": 20, "output_every_minutes": 60},
        "forcing": {"currents": {"constant": [0.5, 0.0]}, "winds": {"constant": [0.0, 0.0]}},
    })
    return drift_scenario(scenario)


def test_entering_the_neighbouring_region_is_reported_once_with_its_centre(eastward):
    regions = [_region("West SRR", "west-rcc", 90.0, 97.6), _region("East SRR", "east-rcc",
                                                                     97.6, 100.0)]
    start, entered = handovers(eastward, regions)
    assert start == ["West SRR"]
    (east,) = entered
    assert east.region == "East SRR" and east.centre == "east-rcc"
    assert east.share >= 0.05 and east.lon > 97.6
    index = int(np.nonzero(eastward["time"].values == east.time)[0][0])
    assert region_shares(eastward, regions, index - 1)["East SRR"][0] < 0.05
    assert region_shares(eastward, regions, index)["East SRR"][0] == pytest.approx(east.share)
    shares = region_shares(eastward, regions, index)
    assert shares["West SRR"][0] + shares["East SRR"][0] == pytest.approx(1.0)


def test_outside_every_known_region(eastward):
    start, entered = handovers(eastward, [_region("Far", None, 110.0, 120.0)])
    assert start == [] and entered == []
