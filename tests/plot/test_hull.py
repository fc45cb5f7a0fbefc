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


def _check(points: np.ndarray) -> None:
    exact = shapely.MultiPoint(points).convex_hull
    envelope = _envelope(points.T[:, :, None])
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
    envelope = _envelope(with_nan.T[:, :, None])
    assert envelope.buffer(1e-9).contains(shapely.MultiPoint(with_nan[1::7]))
    assert _envelope(np.full((2, 5, 1), np.nan)) is None
    assert _envelope(np.array([[[1.0], [2.0], [3.0]], [[5.0], [5.0], [5.0]]])) is None  # a line
