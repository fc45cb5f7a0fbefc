"""POC grid: sums, statuses, weights, datum, spread, cell-size rule, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarkit.drift.status import Status
from sarkit.errors import BadValueError
from sarkit.poc import PocGrid, choose_cell_nm, poc_grid
from sarkit.units import NAUTICAL_MILE
from tests.poc import VALID_TIME, make_trajectories, offsets_to_lonlat


def _cloud(n, sx=2.0, sy=1.0, seed=0, lon0=5.0, lat0=60.0):
    rng = np.random.default_rng(seed)
    return offsets_to_lonlat(rng.normal(0, sx, n), rng.normal(0, sy, n), lon0, lat0)


@st.composite
def ensembles(draw):
    n = draw(st.integers(5, 300))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    lon, lat = offsets_to_lonlat(rng.normal(0, draw(st.floats(0.05, 20)), n),
                                 rng.normal(0, draw(st.floats(0.05, 20)), n),
                                 draw(st.floats(-179, 179)), draw(st.floats(-70, 70)))
    status = rng.choice([0, 0, 0, 1, 2, 3, 4], size=n).astype(np.int8)
    status[0] = Status.ACTIVE
    weight = rng.uniform(0.0, 1.0, n) if draw(st.booleans()) else np.ones(n)
    weight[0] += 0.1
    return make_trajectories(lon, lat, status, weight / weight.sum())


@settings(max_examples=40, deadline=None)
@given(ensembles())
def test_poc_sums_to_one_and_reports_every_particle(ds):
    grid = poc_grid(ds)
    status = ds["status"].values[:, 0]
    weight = ds["weight"].values
    assert grid.poc.min() >= 0.0
    assert math.isclose(grid.poc.sum(), 1.0, rel_tol=0, abs_tol=1e-12)
    assert sum(grid.counts.values()) == ds.sizes["trajectory"]
    sea = np.isin(status, [0, 4])
    assert math.isclose(grid.sea_weight, weight[sea].sum(), abs_tol=1e-12)
    assert math.isclose(grid.renormalisation * grid.sea_weight, 1.0, abs_tol=1e-12)
    assert math.isclose(grid.stranded_weight, weight[status == 1].sum(), abs_tol=1e-12)
    assert math.isclose(grid.unaccounted_weight, weight[np.isin(status, [2, 3])].sum(),
                        abs_tol=1e-12)
    assert math.isclose(grid.sea_weight + grid.stranded_weight + grid.unaccounted_weight, 1.0,
                        abs_tol=1e-12)
    assert grid.stranded_lonlat.shape == (int((status == 1).sum()), 2)
    assert grid.cell_nm >= 0.1
    assert grid.spread_major_nm >= grid.spread_minor_nm >= 0.0


def test_stranded_particles_are_not_in_sea_cells():
    lon, lat = _cloud(400, seed=3)
    far_lon, far_lat = offsets_to_lonlat(np.full(100, 30.0), np.zeros(100))
    status = np.r_[np.zeros(400), np.full(100, Status.STRANDED)]
    ds = make_trajectories(np.r_[lon, far_lon], np.r_[lat, far_lat], status)
    grid = poc_grid(ds)
    assert grid.counts["stranded"] == 100
    assert math.isclose(grid.stranded_weight, 0.2)
    assert math.isclose(grid.sea_weight, 0.8)
    np.testing.assert_allclose(grid.stranded_lonlat[:, 0], far_lon)
    # the grid spans the sea particles only: the stranded cluster 30 NM east is outside it
    x_east = grid.x0 + grid.shape[1] * grid.cell_m
    assert x_east < 20 * NAUTICAL_MILE
    assert math.isclose(grid.poc.sum(), 1.0)


def test_not_released_count_at_sea_and_lost_are_unaccounted():
    lon, lat = _cloud(10, seed=1)
    status = [0, 0, 4, 4, 2, 3, 1, 0, 0, 0]
    grid = poc_grid(make_trajectories(lon, lat, status))
    assert grid.counts == {"active": 5, "stranded": 1, "left domain": 1, "out of time": 1,
                           "not released": 2}
    assert math.isclose(grid.sea_weight, 0.7)
    assert math.isclose(grid.unaccounted_weight, 0.2)
    assert math.isclose(grid.renormalisation, 1 / 0.7)


def test_weights_are_honoured():
    rng = np.random.default_rng(5)
    east = np.r_[rng.uniform(-6, -1, 500), rng.uniform(1, 6, 500)]
    north = rng.uniform(-2, 2, 1000)
    lon, lat = offsets_to_lonlat(east, north)
    weight = np.r_[np.zeros(500), np.full(500, 1 / 500)]
    grid = poc_grid(make_trajectories(lon, lat, weight=weight), cell_nm=0.5)
    clon, _ = grid.cell_centres_lonlat()
    assert grid.poc[clon < 5.0].sum() == 0.0
    assert math.isclose(grid.poc[clon > 5.0].sum(), 1.0)
    assert grid.datum_lon > 5.0


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(-170, 170), st.floats(-60, 60))
def test_datum_is_weighted_mean(seed, lon0, lat0):
    rng = np.random.default_rng(seed)
    lon, lat = offsets_to_lonlat(rng.normal(0, 3, 200), rng.normal(0, 1, 200), lon0, lat0)
    weight = rng.uniform(0, 1, 200)
    weight /= weight.sum()
    grid = poc_grid(make_trajectories(lon, lat, weight=weight))
    # the weighted mean of positions, within 1 m over a few-NM cloud
    assert math.isclose(grid.datum_lon, np.dot(weight, lon), abs_tol=1e-4)
    assert math.isclose(grid.datum_lat, np.dot(weight, lat), abs_tol=1e-4)


def test_datum_across_the_antimeridian():
    lon, lat = _cloud(500, lon0=180.0, lat0=-40.0, seed=2)
    lon = (lon + 180.0) % 360.0 - 180.0
    grid = poc_grid(make_trajectories(lon, lat))
    assert abs(abs(grid.datum_lon) - 180.0) < 0.01
    assert grid.spread_major_nm < 3.0


def test_spread_along_principal_axes():
    rng = np.random.default_rng(8)
    # major axis 4 NM along bearing 45 degrees, minor 1 NM
    a, b = rng.normal(0, 4, 20000), rng.normal(0, 1, 20000)
    c = math.sqrt(0.5)
    lon, lat = offsets_to_lonlat(c * (a + b), c * (a - b))
    grid = poc_grid(make_trajectories(lon, lat))
    assert math.isclose(grid.spread_major_nm, 4.0, rel_tol=0.03)
    assert math.isclose(grid.spread_minor_nm, 1.0, rel_tol=0.03)
    assert abs(grid.spread_axis_deg - 45.0) < 2.0


@pytest.mark.parametrize(("sigma", "cell"), [
    (0.0, 0.1), (0.5, 0.1), (1.0, 0.1), (3.0, 0.25), (6.25, 1.0), (10.0, 1.0), (20.0, 2.5),
    (100.0, 10.0),
])
def test_cell_size_rule(sigma, cell):
    assert choose_cell_nm(sigma) == cell


def test_cell_size_given_and_chosen():
    lon, lat = _cloud(1000, sx=10.0, sy=2.0)
    ds = make_trajectories(lon, lat)
    # 4 sigma / 25 = 1.6 NM, but 1000 particles over the 2-sigma ellipse (251 NM²) at 20 a cell
    # ask for sqrt(251 * 20 / 1000) = 2.2 NM: rounded down to 2
    assert poc_grid(ds).cell_nm == 2.0
    assert choose_cell_nm(10.0, 2.0, 10**6) == 1.0  # enough particles: the spread rule rules
    grid = poc_grid(ds, cell_nm=0.3)
    assert math.isclose(grid.cell_nm, 0.3)
    assert math.isclose(grid.cell_area_nm2, 0.09)


def test_equal_weights_and_unequal_weights_give_the_same_grid():
    lon, lat = _cloud(2000, seed=9)
    equal = poc_grid(make_trajectories(lon, lat))
    jitter = np.full(2000, 1 / 2000) * (1 + 1e-15 * (np.arange(2000) % 2))
    other = poc_grid(make_trajectories(lon, lat, weight=jitter))
    np.testing.assert_allclose(equal.poc, other.poc, atol=1e-13)


def test_time_selection_and_valid_time():
    lon1, lat1 = _cloud(100, seed=1)
    lon2, lat2 = _cloud(100, seed=1, lon0=6.0)
    ds = make_trajectories(np.c_[lon1, lon2], np.c_[lat1, lat2])
    assert poc_grid(ds, time=0).valid_time == VALID_TIME
    last = poc_grid(ds)
    assert last.valid_time == VALID_TIME + np.timedelta64(1, "h")
    assert last.datum_lon > 5.9
    near = poc_grid(ds, time="2026-03-01T06:20Z")
    assert near.valid_time == VALID_TIME
    assert poc_grid(ds, time=np.datetime64("2026-03-01T06:50")).valid_time == last.valid_time
    with pytest.raises(BadValueError, match="outside the run"):
        poc_grid(ds, time="2026-03-02T00:00")
    with pytest.raises(BadValueError, match="index"):
        poc_grid(ds, time=5)


def test_bad_input_is_refused():
    lon, lat = _cloud(10)
    with pytest.raises(BadValueError, match="no particle"):
        poc_grid(make_trajectories(lon, lat, np.full(10, Status.STRANDED)))
    with pytest.raises(BadValueError, match="cell size"):
        poc_grid(make_trajectories(lon, lat), cell_nm=-1)
    with pytest.raises(BadValueError, match="weights"):
        poc_grid(make_trajectories(lon, lat, weight=np.full(10, -0.1)))
    with pytest.raises(BadValueError, match="cells"):
        poc_grid(make_trajectories(lon, lat), cell_nm=0.0001)
    for absurd in (1e9, 61.0, float("inf"), True, "x"):
        with pytest.raises(BadValueError, match="cell size"):
            poc_grid(make_trajectories(lon, lat), cell_nm=absurd)


def test_outputs_repr_dataset_and_frozen():
    lon, lat = _cloud(300)
    grid = poc_grid(make_trajectories(lon, lat))
    assert isinstance(grid, PocGrid)
    text = repr(grid)
    assert "PocGrid(" in text and "300 active" in text and "2026-03-01T06:00:00Z" in text
    ds = grid.to_dataset()
    assert ds["poc"].shape == grid.shape
    assert math.isclose(float(ds["poc"].sum()), 1.0)
    assert ds.attrs["count_active"] == 300
    assert ds["time"].values == grid.valid_time
    clon, clat = grid.cell_centres_lonlat()
    assert clon.shape == grid.shape
    assert abs(float(clat.mean()) - 60.0) < 0.1
    with pytest.raises(AttributeError):
        grid.cell_m = 5.0
    with pytest.raises(ValueError, match="read-only"):
        grid.poc[0, 0] = 1.0


def test_equal_weights_reduce_exactly_whatever_the_particle_order():
    lon, lat = _cloud(5000, seed=12)
    grid = poc_grid(make_trajectories(lon, lat))
    perm = np.random.default_rng(0).permutation(5000)
    again = poc_grid(make_trajectories(lon[perm], lat[perm]))
    # integer counts per cell: bit-for-bit equal (the centroid sum may round differently in
    # the last bit, which moves no particle across a cell edge here)
    assert (again.x0, again.y0, again.poc.shape) == (grid.x0, grid.y0, grid.poc.shape)
    assert np.array_equal(grid.poc, again.poc)


def test_weights_as_large_as_a_double_give_the_same_poc():
    lon, lat = _cloud(200)
    weight = np.linspace(1.0, 2.0, 200)
    with np.errstate(all="raise"):
        plain = poc_grid(make_trajectories(lon, lat, weight=weight), cell_nm=1.0)
        huge = poc_grid(make_trajectories(lon, lat, weight=weight / 2.0 * 1e308), cell_nm=1.0)
    np.testing.assert_allclose(huge.poc, plain.poc, rtol=1e-12, atol=1e-15)


# --------------------------------------------------------------------------- object classes


def _two_classes():
    """A boat cloud 20 NM west and a person-in-water cloud 20 NM east (class_index at the
    one output time, as after object transitions), unequal weights, one PIW stranded."""
    rng = np.random.default_rng(5)
    east = np.concatenate([rng.normal(-20, 2, 300), rng.normal(20, 2, 200)])
    north = rng.normal(0, 2, 500)
    lon, lat = offsets_to_lonlat(east, north)
    status = np.zeros(500, np.int8)
    status[-1] = Status.STRANDED
    weight = np.where(np.arange(500) < 300, 1.0, 2.0)
    data = make_trajectories(lon, lat, status, weight / weight.sum())
    index = np.where(np.arange(500) < 300, 0, 1).astype(np.int8)[:, None]
    data["class_index"] = (("trajectory", "time"), index,
                           {"flag_values": np.array([0, 1], np.int8),
                            "flag_meanings": "FISHING-VESSEL-1 PIW-1"})
    return data


def test_poc_splits_by_object_class():
    grid = poc_grid(_two_classes(), cell_nm=1.0)
    sea_weight = 300 * 1.0 + 199 * 2.0
    assert grid.class_shares == pytest.approx({"FISHING-VESSEL-1": 300 / sea_weight,
                                               "PIW-1": 398 / sea_weight})
    total = grid.class_poc["FISHING-VESSEL-1"] + grid.class_poc["PIW-1"]
    np.testing.assert_allclose(total, grid.poc, atol=1e-15)
    x, _ = grid.cell_centres_xy()
    assert np.all(x[grid.class_poc["PIW-1"] > 0] > 0)  # the PIW cloud is east of the datum
    assert np.all(x[grid.class_poc["FISHING-VESSEL-1"] > 0] < 0)


def test_poc_of_one_object_class():
    data = _two_classes()
    piw = poc_grid(data, cell_nm=1.0, object_class="PIW-1")
    alone = poc_grid(data.isel(trajectory=slice(300, None)).drop_vars("class_index"),
                     cell_nm=1.0)
    np.testing.assert_allclose(piw.poc, alone.poc)
    assert piw.datum_lon == pytest.approx(alone.datum_lon)
    assert piw.class_shares == {}
    with pytest.raises(BadValueError, match="no particle is of object class 'PIW-2'"):
        poc_grid(data, object_class="PIW-2")


def test_a_grid_without_classes_has_none():
    grid = poc_grid(make_trajectories(*offsets_to_lonlat([0, 1, 2], [0, 1, 2])), cell_nm=1.0)
    assert grid.class_shares == {} and grid.class_poc == {}
