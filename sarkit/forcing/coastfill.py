"""The current carried into the ocean model's coastal land cells, so that it reaches the coast.

An ocean model's land cells hold no current (missing values). Interpolated as they are, the
last sea cell's current falls to nothing within one model cell of the model's coast, which
lies anywhere up to a cell from the real (GSHHG) coastline that stops the particles: a band
of still water along every shore, where a boat would stop drifting. :func:`fill_coast`
extrapolates the current into the land cells next to the sea, pass by pass: in each pass every
missing cell with at least one valid neighbour (of its eight) takes the mean of those
neighbours. :data:`COAST_FILL_PASSES` passes reach that many model cells inland; deeper land
stays missing. Each record and each component is filled alone, on the model's own grid (a
grid-relative component before it is rotated). Other drift models do the same (OpenDrift's
readers fill land with the nearest sea values before interpolating).
"""

from __future__ import annotations

import numpy as np

__all__ = ["COAST_FILL_PASSES", "fill_coast"]

COAST_FILL_PASSES = 3
"""Model cells the current is carried into the model's land."""


def fill_coast(values: np.ndarray, passes: int = COAST_FILL_PASSES) -> tuple[np.ndarray, int]:
    """Missing cells next to valid ones take the mean of their valid neighbours, ``passes`` times.

    Parameters
    ----------
    values : ndarray (..., ny, nx)
        A field on its model grid, missing values NaN (land).
    passes : int
        How many cells inland the values are carried.

    Returns
    -------
    (ndarray, int)
        The filled field (float64, a new array) and how many cells were filled (over all
        records). Cells with no valid value within ``passes`` cells stay NaN; valid cells are
        unchanged.
    """
    out = np.array(values, dtype=np.float64, copy=True)
    filled = 0
    for _ in range(passes):
        missing = np.isnan(out)
        if not missing.any():
            break
        valid = ~missing
        padded = np.pad(np.where(valid, out, 0.0), [(0, 0)] * (out.ndim - 2) + [(1, 1), (1, 1)])
        counted = np.pad(valid.astype(np.float64), [(0, 0)] * (out.ndim - 2) + [(1, 1), (1, 1)])
        total = np.zeros_like(out)
        count = np.zeros_like(out)
        ny, nx = out.shape[-2:]
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                if dy == 0 and dx == 0:
                    continue
                total += padded[..., 1 + dy:1 + dy + ny, 1 + dx:1 + dx + nx]
                count += counted[..., 1 + dy:1 + dy + ny, 1 + dx:1 + dx + nx]
        take = missing & (count > 0)
        if not take.any():
            break
        out[take] = total[take] / count[take]
        filled += int(take.sum())
    return out, filled
