"""Trajectory output storage (sarkit.drift.ensemble.Outputs)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from sarkit.drift.ensemble import Outputs


def test_outputs_are_time_major_with_particle_by_time_views():
    out = Outputs.empty(5, 3)
    assert out.by_time[0].shape == (3, 5) and out.by_time[0].flags.c_contiguous
    out.by_time[0][:] = np.arange(15).reshape(3, 5)
    assert out.lon.shape == (5, 3)
    np.testing.assert_array_equal(out.lon[2], [2, 7, 12])
    part = out.rows(1, 4)
    assert part.lon.shape == (3, 3)
    part.lat[:] = 1.0  # a view: writes land in the shared storage
    np.testing.assert_array_equal(out.lat[1:4], 1.0)
    other = Outputs.empty(3, 2)
    other.status[:] = np.int8(4)
    part.put(slice(0, 2), other, slice(0, 2))
    np.testing.assert_array_equal(out.status[1:4, :2], 4)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="madvise is a Linux call")
def test_large_outputs_are_kept_off_huge_pages():
    out = Outputs.empty(400_000, 4)  # 12.8 MB of float64 per array
    address = out.by_time[0].ctypes.data + out.by_time[0].nbytes // 2
    smaps = Path("/proc/self/smaps")
    if not smaps.exists() or not Path("/sys/kernel/mm/transparent_hugepage").exists():
        pytest.skip("no /proc/self/smaps or no transparent huge pages here")
    flags = None
    inside = False
    for line in smaps.read_text().splitlines():
        head = line.split()[0]
        if "-" in head and not head.endswith(":"):
            lo, hi = (int(v, 16) for v in head.split("-"))
            inside = lo <= address < hi
        elif inside and line.startswith("VmFlags:"):
            flags = line.split()[1:]
            break
    assert flags is not None
    assert "nh" in flags  # MADV_NOHUGEPAGE: no stall on huge-page compaction when written
