"""The counter-based generator: known answers, and statistics of what it gives."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sarkit.drift.random import normal_pair, philox4x32, uniform

U = np.uint64
MAX = U(0xFFFFFFFF)

# Known-answer vectors of Philox-4x32-10 from the Random123 distribution (kat_vectors)
KNOWN_ANSWERS = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


@pytest.mark.parametrize(("counter", "key", "expected"), KNOWN_ANSWERS)
def test_philox_known_answers(counter, key, expected):
    out = philox4x32(*(U(c) for c in counter), *(U(k) for k in key))
    assert tuple(int(x) for x in out) == expected


def test_same_key_same_numbers_and_keys_differ():
    assert uniform(7, 123, 5, 2) == uniform(7, 123, 5, 2)
    values = {uniform(7, 123, 5, 2), uniform(8, 123, 5, 2), uniform(7, 124, 5, 2),
              uniform(7, 123, 6, 2), uniform(7, 123, 5, 3)}
    assert len(values) == 5


def test_uniforms_are_uniform_and_normals_normal():
    u = np.array([uniform(42, i, 0, 1) for i in range(20000)])
    assert u.min() > 0.0 and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    pairs = np.array([normal_pair(42, i, 3, 1) for i in range(20000)])
    for column in pairs.T:
        assert stats.kstest(column, "norm").pvalue > 1e-3
    assert abs(np.corrcoef(pairs.T)[0, 1]) < 0.03
