"""The map's drift envelope: it holds every position and lies within one raster cell of the
positions' own convex hull."""

from __future__ import annotations

import math

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sarkit.plot.areas import ENVELOPE_CELLS, _envelope


def _hull(points: np.ndarray):
    """The envelope of (n, 2) points given as (trajectory, time) arrays of one time."""
    envelope, _bounds = _envelope(points[:, :1], points[:, 1:])
    return envelope


def _check(points: np.ndarray) -> None:
    exact = shapely.MultiPoint(points).convex_hull
    envelope = _hull(points)
    if not isinstance(exact, shapely.Polygon) or exact.area == 0:
        return
    assert envelope is not None
    # every position inside (a hair of tolerance for the corners' float arithmetic)
    assert envelope.buffer(1e-9).contains(shapely.MultiPoint(points))
    cell = math.hypot(*(np.ptp(points, axis=0) / ENVELOPE_CELLS))
    assert envelope.buffer(-1e-12).within(exact.buffer(cell * (1 + 1e-9)))


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(3, 300), st.just(2)),
              elements=st.floats(-50, 50, allow_nan=False).map(lambda v: round(v, 3))))
def test_the_envelope_holds_every_point_and_is_within_a_cell_of_the_hull(points):
    _check(points)


def test_millions_of_positions_with_gaps_and_missing_ones():
    rng = np.random.default_rng(1)
    points = np.column_stack([rng.normal(96, 0.3, 1_000_000), rng.normal(9, 0.2, 1_000_000)])
    _check(points)
    with_nan = points.copy()
    with_nan[::7] = np.nan  # particles not yet released or gone: not positions
    envelope = _hull(with_nan)
    assert envelope.buffer(1e-9).contains(shapely.MultiPoint(with_nan[1::7]))
    assert _envelope(np.full((5, 1), np.nan), np.full((5, 1), np.nan)) == (None, None)
    line, bounds = _envelope(np.array([[1.0], [2.0], [3.0]]), np.array([[5.0], [5.0], [5.0]]))
    assert line is None and bounds == (1.0, 5.0, 3.0, 5.0)


def test_the_memory_order_of_the_positions_changes_nothing():
    # the drift's positions are time-major views (trajectory, time) of (time, trajectory)
    # arrays; the envelope reads them in that order, or in one order where the two differ
    rng = np.random.default_rng(2)
    lon = rng.normal(96, 0.3, (40, 500))  # (time, trajectory)
    lat = rng.normal(9, 0.2, (40, 500))
    lon[3, ::5] = np.nan
    lat[3, ::5] = np.nan
    expected = _envelope(np.ascontiguousarray(lon.T), np.ascontiguousarray(lat.T))
    for pair in ((lon.T, lat.T), (lon.T, np.ascontiguousarray(lat.T)),
                 (np.ascontiguousarray(lon.T), lat.T)):
        envelope, bounds = _envelope(*pair)
        assert bounds == expected[1]
        assert envelope.equals(expected[0])
