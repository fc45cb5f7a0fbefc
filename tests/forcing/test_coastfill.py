"""The current carried into the model's coastal land cells (issue 17 item 2)."""

from __future__ import annotations

import numpy as np

from sarkit.forcing.coastfill import fill_coast


def test_each_pass_reaches_one_cell_further_with_the_mean_of_the_sea_neighbours():
    sea = np.full((1, 7, 7), np.nan)
    sea[0, :, :2] = 1.0  # sea in the two western columns, land east of them
    sea[0, 3, 1] = 4.0
    one, count = fill_coast(sea, passes=1)
    assert count == 7  # column 2, every row
    # (3, 2) sees (2, 1), (3, 1) and (4, 1): (1 + 4 + 1) / 3
    assert one[0, 3, 2] == 2.0
    assert one[0, 0, 2] == 1.0  # a corner cell sees two sea cells, both 1
    assert np.isnan(one[0, :, 3:]).all()  # deeper land stays missing
    np.testing.assert_array_equal(one[0, :, :2], sea[0, :, :2])  # sea values unchanged
    three, count = fill_coast(sea, passes=3)
    assert count == 21 and np.isnan(three[0, :, 5:]).all()
    assert np.isfinite(three[0, :, :5]).all()
    assert np.isnan(sea[0, :, 2:]).all()  # the input is not changed


def test_records_filled_alone_and_nothing_to_fill_is_a_copy():
    field = np.stack([np.full((3, 3), 2.0), np.full((3, 3), np.nan)])
    field[0, 1, 1] = np.nan
    out, count = fill_coast(field)
    assert count == 1 and out[0, 1, 1] == 2.0
    assert np.isnan(out[1]).all()  # a record with no sea gets none from the other
    still, count = fill_coast(np.ones((2, 4, 4)))
    assert count == 0 and (still == 1.0).all()
