"""The kernels' prepared-window fast path against reading the records directly."""

from __future__ import annotations

import numpy as np
import pytest

from sarkit.drift import kernel_args, kernels
from sarkit.drift.kernel_args import Field, Fields, Land, OutputArrays, ParticleState, Settings


def _field(nt=3, ny=7, nx=9, missing=False, seed=0):
    rng = np.random.default_rng(seed)
    east = rng.normal(0.0, 0.5, (nt, ny, nx)).astype(np.float32)
    north = rng.normal(0.0, 0.5, (nt, ny, nx)).astype(np.float32)
    if missing:
        east[:, 2:4, 3:5] = np.nan
        north[:, 2:4, 3:5] = np.nan
        east[1, 5, 6] = np.nan  # missing in one record only
    return east, north


@pytest.mark.parametrize("missing", [False, True])
@pytest.mark.parametrize("it, wt", [(0, 0.0), (0, 0.37), (1, 1.0), (1, 0.5)])
def test_sample_inside_and_outside_the_window_is_bit_identical(missing, it, wt):
    east, north = _field(missing=missing)
    _, ny, nx = east.shape
    grid = (90.0, 5.0, 0.25, 0.2)
    packed = np.full((ny, nx, 2), np.nan)
    whole = np.array([0, ny, 0, nx], dtype=np.int64)
    kernels.field_at(it, wt, east, north, whole, packed)
    nothing = np.zeros(4, dtype=np.int64)
    rng = np.random.default_rng(1)
    lon = rng.uniform(90.0, 90.0 + 0.25 * (nx - 1), 300)
    lat = rng.uniform(5.0, 5.0 + 0.2 * (ny - 1), 300)
    for x, y in zip(lon, lat, strict=True):
        fast = kernels.sample(x, y, grid, it, wt, east, north, packed, whole)
        slow = kernels.sample(x, y, grid, it, wt, east, north, packed, nothing)
        assert fast == slow
        assert np.isfinite(fast[0]) and np.isfinite(fast[1]) and fast[2] == 0


def test_sample_is_trilinear_where_nothing_is_missing():
    east, north = _field()
    grid = (90.0, 5.0, 0.25, 0.2)
    whole = np.array([0, 7, 0, 9], dtype=np.int64)
    packed = np.empty((7, 9, 2))
    kernels.field_at(1, 0.25, east, north, whole, packed)
    # a point a quarter of the way across cell (row 2, column 3), at 1/4 from record 1 to 2
    x, y = 90.0 + 0.25 * 3.5, 5.0 + 0.2 * 2.25
    corners = [(2, 3, 0.75 * 0.5), (2, 4, 0.75 * 0.5), (3, 3, 0.25 * 0.5), (3, 4, 0.25 * 0.5)]
    expected = sum(w * (0.75 * float(east[1, j, i]) + 0.25 * float(east[2, j, i]))
                   for j, i, w in corners)
    u, _, code = kernels.sample(x, y, grid, 1, 0.25, east, north, packed, whole)
    assert code == 0
    assert u == pytest.approx(expected, abs=1e-12)


def test_sample_outside_the_grid_says_so():
    east, north = _field()
    packed = np.zeros((7, 9, 2))
    whole = np.array([0, 7, 0, 9], dtype=np.int64)
    _, _, code = kernels.sample(89.9, 5.5, (90.0, 5.0, 0.25, 0.2), 0, 0.0, east, north,
                                packed, whole)
    assert code == int(kernels.LEFT_DOMAIN)


def test_jibe_wait_is_geometric():
    p = 0.1
    waits = np.array([kernels.jibe_wait(7, ident, 0, p, np.log(1.0 - p))
                      for ident in range(20000)])
    assert waits.min() == 0
    # geometric on {0, 1, ...}: mean (1 - p) / p = 9, P(wait = 0) = p
    assert waits.mean() == pytest.approx((1 - p) / p, rel=0.03)
    assert np.mean(waits == 0) == pytest.approx(p, abs=0.01)
    assert kernels.jibe_wait(7, 1, 0, 0.0, 0.0) == kernels.NEVER
    assert kernels.jibe_wait(7, 1, 0, 1.0, 0.0) == 0


@pytest.mark.parametrize("missing", [False, True])
def test_sample_pair_equals_sample_of_each_field(missing):
    c_east, c_north = _field(missing=missing, seed=2)
    w_east, w_north = _field(missing=missing, seed=3)
    _, ny, nx = c_east.shape
    grid = (90.0, 5.0, 0.25, 0.2)
    both = np.full((ny, nx, 4), np.nan)
    whole = np.array([0, ny, 0, nx], dtype=np.int64)
    part = np.array([1, ny - 2, 2, nx - 3], dtype=np.int64)  # some points outside it
    kernels.field_at(1, 0.37, c_east, c_north, whole, both, 0)
    kernels.field_at(0, 0.8, w_east, w_north, whole, both, 2)
    nothing = np.zeros(4, dtype=np.int64)  # an empty window: sample reads the records
    rng = np.random.default_rng(4)
    lon = rng.uniform(89.9, 90.1 + 0.25 * (nx - 1), 400)  # a few outside the grid
    lat = rng.uniform(4.9, 5.1 + 0.2 * (ny - 1), 400)
    for window in (whole, part):
        for x, y in zip(lon, lat, strict=True):
            cu, cv, wu, wv, code = kernels.sample_pair(x, y, grid, 1, 0.37, c_east, c_north,
                                                       0, 0.8, w_east, w_north, both, window)
            current = kernels.sample(x, y, grid, 1, 0.37, c_east, c_north, both, nothing)
            wind = kernels.sample(x, y, grid, 0, 0.8, w_east, w_north, both, nothing)
            assert code == current[2] == wind[2]
            if code == 0:
                assert (cu, cv, wu, wv) == (current[0], current[1], wind[0], wind[1])


def _drift_outputs(wind_extra_column: bool, missing: bool):
    """Run the kernel on random fields; the wind on the current's grid, or on that grid with
    one more column (so the two are sampled apart, with the same values where particles are)."""
    rng = np.random.default_rng(5)
    nt, ny, nx = 4, 30, 34
    grid = (90.0, 5.0, 0.1, 0.1)
    c_east, c_north = (rng.normal(0.0, 0.4, (nt, ny, nx)).astype(np.float32) for _ in range(2))
    w_east, w_north = (rng.normal(0.0, 8.0, (nt, ny, nx + 1)).astype(np.float32)
                       for _ in range(2))
    if missing:
        c_east[:, 12:15, 14:17] = np.nan
        c_north[:, 12:15, 14:17] = np.nan
    if not wind_extra_column:
        w_east, w_north = w_east[:, :, :nx], w_north[:, :, :nx]
    times = np.array([0.0, 3600.0, 7200.0, 10800.0])
    current = (*grid, times, c_east, c_north)
    wind = (*grid, times, w_east, w_north)
    n = 600
    lon = rng.uniform(91.0, 92.5, n)
    lat = rng.uniform(6.0, 7.5, n)
    status = np.zeros(n, dtype=np.int8)
    side = np.where(rng.random(n) < 0.5, 1, -1).astype(np.int8)
    classes = np.array([[0.03, 0.02, 0.01, 0.01, 0.01, 0.005, -0.01, -0.01, 0.005]])
    land = np.zeros((4, 4), dtype=np.uint8)
    steps, every = 36, 6
    outputs = [np.empty((steps // every + 1, n)) for _ in range(2)]  # time-major
    flags = [np.empty((steps // every + 1, n), dtype=np.int8) for _ in range(2)]
    state = ParticleState(lon, lat, status, np.zeros(n), side, np.full(n, -1, dtype=np.int64),
                          np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, dtype=np.int64),
                          rng.normal(size=n), rng.normal(size=n), np.arange(n, dtype=np.int64),
                          *_no_transitions(n))
    fields = Fields(Field(*current), Field(*wind), Land(80.0, 0.0, 1.0, 1.0, land))
    shared = kernel_args.same_grid(fields.current, fields.wind)
    assert shared != wind_extra_column
    settings = Settings(classes, 11, 0.0, 0, 300.0, steps, every, 0.05, 30.0)
    kernels.drift(state, fields, settings, OutputArrays(*outputs, *flags, 0),
                  True if shared else None, None if shared else True)
    return [a.T for a in outputs + flags]


def _no_transitions(n):
    """A particle state's transition arrays where no particle switches class."""
    return np.full(n, np.inf), np.full(n, -1, dtype=np.int32), np.full(n, -1, dtype=np.int32)


@pytest.mark.parametrize("missing", [False, True])
def test_current_and_wind_on_one_grid_drift_as_on_two(missing):
    # on one grid the kernel samples both fields at once (sample_pair); the result must be
    # the same to the bit as sampling each field on a grid of its own
    together = _drift_outputs(wind_extra_column=False, missing=missing)
    apart = _drift_outputs(wind_extra_column=True, missing=missing)
    for one, other in zip(together, apart, strict=True):
        np.testing.assert_array_equal(one, other)
    assert np.all(together[2][:, -1] == int(kernels.ACTIVE)) or missing
    assert len(np.unique(together[3])) == 2  # jibes happened on both sides


def test_same_grid_says_whether_current_and_wind_share_one_grid():
    times = np.array([0.0])
    east = np.zeros((1, 3, 4))
    xyz = np.ones((3, 3, 4))
    one = Field(90.0, 5.0, 0.1, 0.1, times, east, east)
    assert kernel_args.same_grid(one, one._replace(times=np.array([1.0])))
    for other in (one._replace(lon0=90.1), one._replace(dlat=0.2),
                  one._replace(east=np.zeros((1, 3, 5)), north=np.zeros((1, 3, 5))),
                  one._replace(xyz=xyz, cells=np.zeros((2, 2), dtype=np.int64))):
        assert not kernel_args.same_grid(one, other)
    mesh = one._replace(xyz=xyz, cells=np.zeros((2, 2), dtype=np.int64))
    assert kernel_args.same_grid(mesh, mesh._replace(xyz=xyz.copy()))
    moved = xyz.copy()
    moved[2, 1, 1] = 0.5
    assert not kernel_args.same_grid(mesh, mesh._replace(xyz=moved))


def test_cos_degrees_is_the_cosine_to_the_last_bits():
    lat = np.linspace(-89.99, 89.99, 400_001)
    exact = np.cos(np.radians(lat))
    ours = np.array([kernels.cos_degrees(x) for x in lat])
    ulps = np.abs(ours - exact) / np.spacing(exact)
    assert ulps[np.abs(lat) <= 60.0].max() <= 1.0
    assert np.max(np.abs(ours - exact)[np.abs(lat) <= 85.0] / exact[np.abs(lat) <= 85.0]) < 1e-15
    assert np.max(np.abs(ours - exact)) < 2e-16
    assert kernels.cos_degrees(0.0) == 1.0
    assert kernels.cos_degrees(-30.0) == kernels.cos_degrees(30.0)


def test_particles_active_from_the_start_draw_their_jibes():
    # particles active at step 0 get their first jibe drawn by the driver itself (the others
    # at their release); a write the compiler could take for dead (see kernels.drift)
    rng = np.random.default_rng(3)
    grid = (90.0, 5.0, 0.1, 0.1)
    times = np.array([0.0, 20_000.0])
    east, north = (rng.normal(0.0, 0.3, (2, 30, 34)).astype(np.float32) for _ in range(2))
    n = 200
    side = np.where(np.arange(n) % 2 == 0, 1, -1).astype(np.int8)
    state = ParticleState(rng.uniform(91.0, 92.5, n), rng.uniform(6.0, 7.5, n),
                          np.zeros(n, dtype=np.int8), np.zeros(n), side.copy(),
                          np.full(n, -1, dtype=np.int64), np.full(n, np.nan), np.full(n, np.nan),
                          np.zeros(n, dtype=np.int64), rng.normal(size=n), rng.normal(size=n),
                          np.arange(n, dtype=np.int64), *_no_transitions(n))
    fields = Fields(Field(*grid, times, east, north), Field(*grid, times, east, north),
                    Land(80.0, 0.0, 1.0, 1.0, np.zeros((4, 4), dtype=np.uint8)))
    classes = np.array([[0.03, 0.02, 0.01, 0.01, 0.01, 0.005, -0.01, -0.01, 0.005]])
    steps = 30
    out = OutputArrays(np.empty((2, n)), np.empty((2, n)), np.empty((2, n), dtype=np.int8),
                       np.empty((2, n), dtype=np.int8), 0)
    kernels.drift(state, fields, Settings(classes, 4, 0.0, 0, 300.0, steps, steps, 0.1, 0.0),
                  out, True, None)
    assert np.all(state.status == int(kernels.ACTIVE))
    assert np.all(state.next_jibe >= steps - 1)  # drawn, and redrawn at each jibe
    flipped = np.mean(out.side[1] != out.side[0])
    assert 0.2 < flipped < 0.8  # an odd number of jibes in 30 steps of p = 0.1: about half


def test_time_index_finds_the_record_before_as_searchsorted_does():
    # the kernel's own search against numpy's, at the records, between them and at the ends
    rng = np.random.default_rng(3)
    times = np.cumsum(rng.uniform(600.0, 7200.0, 40))
    between = (times[:-1] + times[1:]) / 2
    for t in np.concatenate([times, between, [np.nextafter(times[-1], 0.0)]]):
        it, wt, code = kernels.time_index(times, t)
        expected = min(max(np.searchsorted(times, t, side="right") - 1, 0), times.size - 2)
        assert (it, code) == (expected, 0)
        assert wt == (t - times[it]) / (times[it + 1] - times[it])
    assert kernels.time_index(times, times[0] - 1.0)[2] == kernels.OUT_OF_TIME
    assert kernels.time_index(times, np.nan)[2] == kernels.OUT_OF_TIME
    assert kernels.time_index(times[:1], 5.0) == (0, 0.0, 0)  # one record: a steady field
