"""Counter-based random numbers: Philox-4x32-10, keyed by (seed, particle id, step, stream).

A particle's random numbers are a pure function of the run's seed, its own id,
the time-step number and a stream number (what the numbers are for). No state
is carried between calls, so the numbers a particle gets do not depend on the
thread that moves it, on how the ensemble is split into chunks, or on where a
chunk runs: results are bit-identical on 1 thread, 16 threads or a Dask worker.

Philox-4x32-10 is the counter-based generator of Salmon, Moraes, Dror & Shaw
(2011), "Parallel random numbers: as easy as 1, 2, 3" (SC'11), the one in
Random123, cuRAND and JAX; it passes TestU01's BigCrush.

All functions are numba kernels (plain functions of integers and floats).
"""

from __future__ import annotations

import numpy as np

from sarkit._numba import njit
from sarkit.errors import BadValueError

__all__ = [
    "MAX_SEED",
    "STREAM_JIBE",
    "STREAM_LEEWAY",
    "STREAM_LEEWAY_PROCESS",
    "STREAM_SEED_POSITION",
    "STREAM_SEED_TIME",
    "STREAM_SWITCH",
    "STREAM_SWITCH_LEEWAY",
    "STREAM_WALK",
    "check_seed",
    "normal_pair",
    "normal_pairs",
    "philox4x32",
    "uniform",
    "uniforms",
]

_MASK32 = np.uint64(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)
_M0 = np.uint64(0xD2511F53)
_M1 = np.uint64(0xCD9E8D57)
_W0 = np.uint64(0x9E3779B9)
_W1 = np.uint64(0xBB67AE85)
_TWO_POW_53 = 9007199254740992.0

MAX_SEED = 2**63 - 1
"""The largest seed: a seed is a 64-bit signed integer wherever it goes (numpy, numba, netCDF)."""

STREAM_WALK = 1
"""Random-walk displacements (two normals per step)."""
STREAM_JIBE = 2
"""Whether a particle jibes in a step (one uniform)."""
STREAM_LEEWAY = 3
"""The per-particle leeway perturbations, drawn once (step = attempt number)."""
STREAM_SEED_POSITION = 4
"""Where in the last-known-position area a particle starts."""
STREAM_SEED_TIME = 5
"""When in the distress time window a particle starts."""
STREAM_SWITCH = 6
"""An object transition (:mod:`sarkit.drift.transitions`): the hazard a particle switches
class at (step 0: an exponential number) and, of competing transitions, which (step 1)."""
STREAM_SWITCH_LEEWAY = 7
"""The leeway perturbations of a particle's class after a transition (step = attempt)."""
STREAM_LEEWAY_PROCESS = 8
"""The innovations of leeway perturbations that vary in time (an Ornstein-Uhlenbeck process,
:mod:`sarkit.drift.kernels`): two normals per particle per step it moves (step = global step)."""


def check_seed(seed: object) -> int:
    """``seed`` as an int, or :class:`~sarkit.errors.BadValueError`: a whole number from 0 to
    :data:`MAX_SEED` (``True`` and ``1.5`` are not seeds)."""
    try:
        whole = float(seed).is_integer()  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        whole = False
    if isinstance(seed, bool) or not whole or not 0 <= int(seed) <= MAX_SEED:  # type: ignore
        raise BadValueError(f"seed {seed!r} is not a whole number from 0 to 2**63-1",
                            "give an integer seed, e.g. 1")
    return int(seed)  # type: ignore[call-overload]


@njit(inline="always")
def philox4x32(c0, c1, c2, c3, k0, k1):
    """Philox-4x32 with 10 rounds: four 32-bit words of counter, two of key.

    Arguments and results are uint64 holding 32-bit values.
    """
    for _ in range(10):
        product0 = _M0 * c0
        product1 = _M1 * c2
        hi0, lo0 = product0 >> _SHIFT32, product0 & _MASK32
        hi1, lo1 = product1 >> _SHIFT32, product1 & _MASK32
        c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
        k0 = (k0 + _W0) & _MASK32
        k1 = (k1 + _W1) & _MASK32
    return c0, c1, c2, c3


@njit(inline="always")
def _words(seed, particle, step, stream):
    key = np.uint64(seed)
    ident = np.uint64(particle)
    return philox4x32(
        ident & _MASK32,
        ident >> _SHIFT32,
        np.uint64(step) & _MASK32,
        np.uint64(stream) & _MASK32,
        key & _MASK32,
        key >> _SHIFT32,
    )


@njit(inline="always")
def _unit(high, low):
    """A double in (0, 1) from 53 random bits, never exactly 0 or 1."""
    bits = ((high << np.uint64(21)) ^ (low >> np.uint64(11))) & np.uint64(0x1FFFFFFFFFFFFF)
    return (float(bits) + 0.5) / _TWO_POW_53


@njit(inline="always")
def uniform(seed, particle, step, stream):
    """One uniform number in (0, 1) for (seed, particle, step, stream)."""
    r0, r1, _, _ = _words(seed, particle, step, stream)
    return _unit(r0, r1)


@njit(inline="always")
def normal_pair(seed, particle, step, stream):
    """Two independent standard normal numbers (Box-Muller) for (seed, particle, step, stream)."""
    r0, r1, r2, r3 = _words(seed, particle, step, stream)
    radius = np.sqrt(-2.0 * np.log(_unit(r0, r1)))
    angle = 2.0 * np.pi * _unit(r2, r3)
    return radius * np.cos(angle), radius * np.sin(angle)


@njit
def uniforms(seed, ids, step, stream):
    """Uniform numbers in (0, 1), one per particle id, for (seed, step, stream)."""
    out = np.empty(ids.size)
    for i in range(ids.size):
        out[i] = uniform(seed, ids[i], step, stream)
    return out


@njit
def normal_pairs(seed, ids, step, stream):
    """Two standard normals per particle id, as an (n, 2) array, for (seed, step, stream)."""
    out = np.empty((ids.size, 2))
    for i in range(ids.size):
        out[i, 0], out[i, 1] = normal_pair(seed, ids[i], step, stream)
    return out
