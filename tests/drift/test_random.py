"""The counter-based generator: known answers, and statistics of what it gives."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sarkit.drift.random import MAX_SEED, check_seed, normal_pair, philox4x32, uniform
from sarkit.errors import BadValueError

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


def test_every_seed_from_0_to_max_seed_is_one_and_nothing_else():
    assert check_seed(0) == 0 and check_seed(MAX_SEED) == MAX_SEED == 2**63 - 1
    assert check_seed(np.int64(7)) == 7 and check_seed(3.0) == 3
    for bad in (-1, MAX_SEED + 1, 2**64, 10**23, 1.5, True, "x", None, float("nan")):
        with pytest.raises(BadValueError, match="is not a whole number from 0 to 2"):
            check_seed(bad)


def test_the_largest_seed_seeds_and_drifts():
    from sarkit.drift.leeway import object_class
    from sarkit.drift.seeding import point

    particles = point(96.0, 9.0, radius_nm=1, time="2024-06-10T00:00Z", count=5,
                      obj=object_class("FISHING-VESSEL-1"), seed=MAX_SEED)
    assert np.isfinite(particles.lon).all()

