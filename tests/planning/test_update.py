"""The search update: Bayes' rule on the particle weights after an unsuccessful search."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
import xarray as xr

from sarkit.errors import BadValueError
from sarkit.planning.update import SearchedArea, update_after_search

TIMES = np.array(
    ["2024-06-10T00:00", "2024-06-10T01:00", "2024-06-10T02:00"], dtype="datetime64[ns]"
)


def _ensemble(count: int = 2000, seed: int = 5) -> xr.Dataset:
    """Particles spread over 96..97E, 9..10N, drifting 0.01 deg east per hour."""
    rng = np.random.default_rng(seed)
    lon0 = rng.uniform(96.0, 97.0, count)
    lat = rng.uniform(9.0, 10.0, count)
    lon = lon0[:, None] + 0.01 * np.arange(TIMES.size)[None, :]
    weight = rng.uniform(0.5, 1.5, count)
    return xr.Dataset(
        {
            "lon": (("trajectory", "time"), lon),
            "lat": (("trajectory", "time"), np.repeat(lat[:, None], TIMES.size, axis=1)),
            "weight": (("trajectory",), weight / weight.sum()),
        },
        coords={"time": TIMES},
    )


WEST_HALF = shapely.box(95.9, 8.9, 96.5, 10.1)


def test_a_perfect_search_zeroes_its_area_and_scales_up_the_rest():
    ensemble = _ensemble()
    prior = ensemble["weight"].values
    lon = ensemble["lon"].values[:, 1]
    inside = lon <= 96.5
    result = update_after_search(ensemble, [SearchedArea(WEST_HALF, 1.0, TIMES[1])])
    posterior = result.trajectories["weight"].values
    assert np.all(posterior[inside] == 0.0)
    np.testing.assert_allclose(posterior[~inside], prior[~inside] / prior[~inside].sum())
    assert result.pos[0] == pytest.approx(prior[inside].sum())
    assert posterior.sum() == pytest.approx(1.0)


def test_the_search_uses_positions_at_its_own_time():
    ensemble = _ensemble()
    lon_late = ensemble["lon"].values[:, 2]
    result = update_after_search(ensemble, [SearchedArea(WEST_HALF, 1.0, "2024-06-10T02:00")])
    assert np.all(result.trajectories["weight"].values[lon_late <= 96.5] == 0.0)


def test_cumulative_pos_is_one_minus_the_product_of_failures():
    ensemble = _ensemble()
    prior = ensemble["weight"].values
    east = shapely.box(96.4, 9.3, 97.2, 9.8)
    searches = [SearchedArea(WEST_HALF, 0.6, TIMES[0]), SearchedArea(east, 0.8, TIMES[2])]
    result = update_after_search(ensemble, searches)
    # the prior probability that survives both searches, computed particle by particle
    lon = ensemble["lon"].values
    lat = ensemble["lat"].values
    survive = np.ones_like(prior)
    survive[shapely.contains_xy(WEST_HALF, lon[:, 0], lat[:, 0])] *= 0.4
    survive[shapely.contains_xy(east, lon[:, 2], lat[:, 2])] *= 0.2
    missed = float((prior * survive).sum())
    assert result.cumulative_pos == pytest.approx(1.0 - missed)
    assert result.cumulative_pos == pytest.approx(
        1.0 - (1.0 - result.pos[0]) * (1.0 - result.pos[1])
    )
    np.testing.assert_allclose(result.trajectories["weight"].values, prior * survive / missed)


def test_bad_searches_are_refused():
    ensemble = _ensemble()
    with pytest.raises(BadValueError, match="not a probability"):
        SearchedArea(WEST_HALF, 1.5, TIMES[0])
    with pytest.raises(BadValueError, match="outside the drift run"):
        update_after_search(ensemble, [SearchedArea(WEST_HALF, 0.5, "2024-06-11T00:00")])
    everywhere = shapely.box(90, 0, 100, 20)
    with pytest.raises(BadValueError, match="no probability"):
        update_after_search(ensemble, [SearchedArea(everywhere, 1.0, TIMES[0])])


def test_weights_that_cannot_be_probabilities_are_refused_and_huge_ones_scaled():
    search = [SearchedArea(WEST_HALF, 0.5, TIMES[0])]
    for bad in (np.nan, -1.0, np.inf):
        ensemble = _ensemble()
        ensemble["weight"].values[3] = bad
        with pytest.raises(BadValueError, match="finite and not negative"):
            update_after_search(ensemble, search)
    ensemble = _ensemble()
    ensemble["weight"].values[:] = 0.0
    with pytest.raises(BadValueError, match="add up to zero"):
        update_after_search(ensemble, search)
    # weights near the largest double: the same update as the same weights made small
    small, huge = _ensemble(), _ensemble()
    huge["weight"].values[:] = small["weight"].values / small["weight"].values.max() * 1e308
    with np.errstate(all="raise"):
        expected = update_after_search(small, search)
        got = update_after_search(huge, search)
    np.testing.assert_allclose(got.trajectories["weight"].values,
                               expected.trajectories["weight"].values, rtol=1e-12)
    assert got.pos == pytest.approx(expected.pos, rel=1e-12)


def test_a_search_with_pods_by_class_lowers_each_class_by_its_own():
    # after object transitions: a boat is found with POD 0.8, a person in the water with 0.2;
    # the classes at the search's time (the second output) are the ones that count
    ensemble = _ensemble()
    count = ensemble.sizes["trajectory"]
    classes = np.zeros((count, TIMES.size), np.int8)
    classes[: count // 3, 1:] = 1  # a third capsized after the first output
    ensemble["class_index"] = (("trajectory", "time"), classes, {
        "flag_values": np.array([0, 1], np.int8), "flag_meanings": "FISHING-VESSEL-1 PIW-1"})
    prior = ensemble["weight"].values
    search = SearchedArea(WEST_HALF, 0.5, TIMES[1], {"FISHING-VESSEL-1": 0.8, "PIW-1": 0.2})
    result = update_after_search(ensemble, [search])
    inside = shapely.contains_xy(WEST_HALF, ensemble.lon.values[:, 1], ensemble.lat.values[:, 1])
    pod = np.where(classes[:, 1] == 1, 0.2, 0.8)
    expected = np.where(inside, prior * (1 - pod), prior)
    np.testing.assert_allclose(result.trajectories["weight"].values, expected / expected.sum())
    assert result.pos[0] == pytest.approx(float((prior * pod)[inside].sum()))
    # without PODs by class every particle gets the search's POD
    plain = update_after_search(ensemble, [SearchedArea(WEST_HALF, 0.5, TIMES[1])])
    assert plain.pos[0] == pytest.approx(0.5 * float(prior[inside].sum()))
    with pytest.raises(BadValueError, match=r"POD 1\.5 of PIW-1"):
        SearchedArea(WEST_HALF, 0.5, TIMES[1], {"PIW-1": 1.5})
