"""The one place where numba options are set.

Every compiled kernel in sarkit is decorated with :func:`njit` (or
:func:`njit_parallel` for drivers that loop over particles with ``prange``), so
caching, the error model and fast-math are the same everywhere. Importing this
module compiles nothing; kernels compile on first call and are cached on disk.
"""

from __future__ import annotations

import functools

import numba

__all__ = ["JIT_OPTIONS", "njit", "njit_parallel"]

JIT_OPTIONS = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy"}
"""Options of every sarkit kernel. fastmath stays off: results must not depend on the CPU."""

njit = functools.partial(numba.njit, **JIT_OPTIONS)
"""``numba.njit`` with sarkit's options."""

njit_parallel = functools.partial(numba.njit, parallel=True, **JIT_OPTIONS)
"""``numba.njit(parallel=True)`` with sarkit's options, for loops over particles."""
