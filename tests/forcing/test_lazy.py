"""The reader subsets before it loads: only the box and window asked for are read."""

from __future__ import annotations

import numpy as np
import xarray as xr
from xarray.backends import BackendArray
from xarray.core import indexing

from sarkit.forcing import open_forcing
from sarkit.forcing.synthetic import uniform_flow


class RecordingArray(BackendArray):
    """A lazily indexed array that records how many values each read returns."""

    def __init__(self, values: np.ndarray, reads: list[int]) -> None:
        self.values = values
        self.shape = values.shape
        self.dtype = values.dtype
        self.reads = reads

    def __getitem__(self, key):
        return indexing.explicit_indexing_adapter(
            key, self.shape, indexing.IndexingSupport.OUTER, self._read
        )

    def _read(self, key):
        out = self.values[key]
        self.reads.append(int(np.size(out)))
        return out


def test_load_reads_only_the_box_and_window():
    dataset = uniform_flow(0.3, -0.1, bbox=(90.0, 0.0, 100.0, 10.0), start="2024-03-20T00:00",
                           hours=48, step_hours=1, resolution_deg=0.1)
    reads: list[int] = []
    for name in ("uo", "vo"):
        variable = dataset[name].variable
        lazy = indexing.LazilyIndexedArray(RecordingArray(variable.values, reads))
        dataset[name] = xr.Variable(variable.dims, lazy, variable.attrs)
    full = dataset["uo"].size
    grid = open_forcing(dataset, "current").load(
        (95.0, 5.0, 96.0, 6.0), "2024-03-20T06:00Z", "2024-03-20T09:00Z"
    )
    assert grid.time.size == 4
    assert np.allclose(grid.east, 0.3) and np.allclose(grid.north, -0.1)
    # two components, each the window plus a two-cell margin: (11 + 4)^2 points x 4 times
    assert sum(reads) == 2 * 4 * 15 * 15
    assert sum(reads) < full / 50
