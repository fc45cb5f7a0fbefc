"""The kernels' prepared-window fast path against reading the records directly."""

from __future__ import annotations

import numpy as np
import pytest

from sarkit.drift import kernels


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
