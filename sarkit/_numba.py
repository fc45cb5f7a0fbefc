"""The one place where numba options are set.

Every compiled kernel in sarkit is decorated with :func:`njit` (or
:func:`njit_parallel` for drivers that loop over particles with ``prange``, or
:func:`njit_helper` for a private helper that only other kernels call), so
caching, the error model and fast-math are the same everywhere. Importing this
module compiles nothing; kernels compile on first call and are cached on disk.

The cache lives in the user's cache folder (:data:`CACHE_DIR`, e.g. ``~/.cache/sarkit/numba``
on Linux), never inside the installed package: numba's default puts ``__pycache__`` folders
in ``site-packages/sarkit``, which pip does not remove when sarkit is reinstalled, and what
is left of the old package then hides the new one. A ``NUMBA_CACHE_DIR`` set by the user wins.
"""

from __future__ import annotations

import functools
import os

import numba
import platformdirs

__all__ = ["CACHE_DIR", "HELPER_OPTIONS", "JIT_OPTIONS", "njit", "njit_helper", "njit_parallel",
           "overload"]


def _cache_dir() -> str:
    """``NUMBA_CACHE_DIR`` where the user set it; else numba's cache in the user's cache
    folder, set for numba (it reads it when a kernel is decorated) and for child processes."""
    given = os.environ.get("NUMBA_CACHE_DIR") or numba.config.CACHE_DIR
    if given:
        return given
    folder = os.path.join(platformdirs.user_cache_dir("sarkit", appauthor=False), "numba")
    numba.config.CACHE_DIR = folder
    os.environ["NUMBA_CACHE_DIR"] = folder
    return folder


CACHE_DIR = _cache_dir()
"""Where the compiled kernels are cached."""

JIT_OPTIONS = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy"}
"""Options of every sarkit kernel. fastmath stays off: results must not depend on the CPU."""

njit = functools.partial(numba.njit, **JIT_OPTIONS)
"""``numba.njit`` with sarkit's options."""

HELPER_OPTIONS = {"no_cpython_wrapper": True, "no_cfunc_wrapper": True}
"""Options of a function that only compiled code calls: numba builds no entry for Python or C
into it. Those entries were a sixth of the drift kernel's first compilation (about 2.5 s of
15 s), for functions never called from Python."""

njit_helper = functools.partial(numba.njit, **JIT_OPTIONS, **HELPER_OPTIONS)
"""``numba.njit`` with sarkit's options, for a helper that only other kernels call (see
:data:`HELPER_OPTIONS`). It has no entry for Python: called from Python it would crash the
interpreter, so its name is private (``_name``; ``tests/test_numba_cache.py`` checks)."""


def njit_parallel(*args, **kwargs):
    """``numba.njit(parallel=...)`` with sarkit's options, for loops over particles.

    Only the ``prange`` loops written as such run in parallel: numba's other automatic
    parallelisations (array expressions and ``np.zeros``/``np.full`` turned into parallel
    loops, their fusion) are off, as each parallel loop is compiled as a function of its own
    with two wrappers (seconds at the first run) for arrays of a few elements here.
    """
    # a new dict for every function: numba empties the one it is given
    parallel = {"prange": True, "fusion": False, "numpy": False, "reduction": False,
                "setitem": False, "comprehension": False, "inplace_binop": False,
                "stencil": False}
    return numba.njit(*args, parallel=parallel, **JIT_OPTIONS, **kwargs)


def overload(func, inline: bool = False):
    """``numba.extending.overload(func)`` with sarkit's options (``inline``: into its caller).

    For a kernel helper whose code is chosen by the types of its arguments when its caller
    is compiled, so that a path a run cannot take (a model grid's search, on regular grids)
    is not compiled at all. The implementation compiles inside its caller, which is cached.
    """
    from numba.extending import overload as numba_overload

    options = {key: value for key, value in JIT_OPTIONS.items() if key != "cache"}
    return numba_overload(func, jit_options=options, inline="always" if inline else "never")
