"""The map's drift envelope: the convex hull from a few candidate points is the hull of all."""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sarkit.plot.areas import _hull_candidates


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(3, 300), st.just(2)),
              elements=st.floats(-50, 50, allow_nan=False).map(lambda v: round(v, 3))))
def test_the_candidates_give_the_same_hull_as_all_the_points(points):
    full = shapely.MultiPoint(points).convex_hull
    reduced = shapely.MultiPoint(_hull_candidates(points[:, 0], points[:, 1])).convex_hull
    assert reduced.equals(full) or reduced.symmetric_difference(full).area < 1e-9


def test_millions_of_positions_become_a_few_candidates():
    rng = np.random.default_rng(1)
    points = np.column_stack([rng.normal(96, 0.3, 1_000_000), rng.normal(9, 0.2, 1_000_000)])
    candidates = _hull_candidates(points[:, 0], points[:, 1])
    assert len(candidates) < 1_000
    assert shapely.MultiPoint(candidates).convex_hull.equals(shapely.MultiPoint(points)
                                                            .convex_hull)
