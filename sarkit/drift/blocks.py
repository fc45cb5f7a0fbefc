"""Time blocks: forcing larger than memory, loaded one block of the run at a time.

A run of ``n_steps`` steps is cut into consecutive blocks of global steps
``(first, last)``; each block needs only the forcing records that cover its
times (the last record at or before its start to the first at or after its
end), so consecutive blocks overlap by one record and every time inside a
block is interpolated between the same two records as in one long run. The
kernel carries the particle state from block to block and keys its random
numbers by the global step, so the result equals a one-block run to the bit
(given times that are exact in float64: whole seconds, or binary fractions of
a second, from 2004 to 2038 -- every run sarkit makes).
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np

from sarkit.errors import BadValueError
from sarkit.forcing.grid import ForcingGrid

__all__ = ["FORCING_MEMORY_SHARE", "ForcingSource", "auto_block_hours", "block_forcing",
           "check_block_hours", "covering_records", "plan_blocks"]

FORCING_MEMORY_SHARE = 0.25
"""Share of the free memory the forcing of a run from sources may take before it is
loaded in time blocks."""


class ForcingSource(Protocol):
    """Anything that loads a :class:`ForcingGrid` for a box and a time window."""

    def load(self, bbox=None, start=None, end=None) -> ForcingGrid:
        """The grid over ``bbox`` spanning ``start``..``end``, one record either side."""
        ...


def check_block_hours(hours) -> float | None:
    """The block length in hours, checked: None (one block) or a positive number."""
    if hours is None:
        return None
    try:
        value = float(hours)
    except (TypeError, ValueError):
        value = float("nan")
    if isinstance(hours, bool) or not math.isfinite(value) or value <= 0.0:
        raise BadValueError(
            f"time block length {hours!r} hours is not a positive number",
            "give the hours of forcing to hold in memory at once, e.g. 24, or None for one "
            "block")
    return value


def auto_block_hours(forcings, bbox, start: float, probe_stop: float, run_seconds: float,
                     budget: float | None) -> float | None:
    """Block length (hours) for sources whose forcing over the run would exceed ``budget``.

    Each source (not a loaded grid) is probed over ``start..probe_stop`` for its
    bytes per record; with the spacing of its time axis that gives the bytes
    per hour of run. None (one block) where everything fits, or where nothing
    is known.
    """
    per_hour = 0.0
    for forcing in forcings:
        times = getattr(forcing, "time", None)
        if isinstance(forcing, ForcingGrid) or not isinstance(times, np.ndarray) or (
                times.size < 2):
            continue
        probe = block_forcing(forcing, bbox, start, probe_stop)
        per_record = (probe.east.nbytes + probe.north.nbytes) / probe.time.size
        per_hour += per_record * 3600.0 / float(np.median(np.diff(times)))
    if budget is None or per_hour == 0.0 or per_hour * abs(run_seconds) / 3600.0 <= budget:
        return None
    return max(budget / per_hour, 1e-3)


def plan_blocks(n_steps: int, every: int, dt: float, hours: float | None
                ) -> tuple[tuple[int, int], ...]:
    """Consecutive blocks ``(first, last)`` of global step numbers covering ``0..n_steps``.

    Block boundaries fall on output steps (multiples of ``every``), so each
    block writes whole output times; a block is at least one output interval
    long. ``hours`` None gives one block.
    """
    if hours is None:
        return ((0, n_steps),)
    steps = max(round(hours * 3600.0 / abs(dt)), 1)
    length = every * math.ceil(steps / every)
    return tuple((a, min(a + length, n_steps)) for a in range(0, n_steps, length))


def covering_records(times: np.ndarray, lo: float, hi: float) -> slice:
    """The records of ``times`` covering ``lo..hi``: one at or before ``lo`` to one at or
    after ``hi`` (as :meth:`sarkit.forcing.NetcdfSource.load` selects them)."""
    first = max(int(np.searchsorted(times, lo, side="right")) - 1, 0)
    last = min(int(np.searchsorted(times, hi, side="left")), times.size - 1)
    if last == first:
        last = min(first + 1, times.size - 1)
        first = max(last - 1, 0)
    return slice(first, last + 1)


def block_forcing(forcing: ForcingGrid | ForcingSource, bbox, start: float, stop: float
                  ) -> ForcingGrid:
    """The forcing a block from time ``start`` to ``stop`` needs (either order).

    A loaded :class:`ForcingGrid` is cut to the covering records (views, no
    copy); a source is asked to load ``bbox`` over the block's times, so only
    that block's records are read from disk.
    """
    lo, hi = min(start, stop), max(start, stop)
    if isinstance(forcing, ForcingGrid):
        if forcing.is_steady:
            return forcing
        part = covering_records(forcing.time, lo, hi)
        if part == slice(0, forcing.time.size):
            return forcing
        return forcing.records(part)
    if not callable(getattr(forcing, "load", None)):
        raise BadValueError(
            f"forcing {type(forcing).__name__} is neither a ForcingGrid nor a source with "
            "load(bbox, start, end)",
            "pass sarkit.forcing.open_forcing(...) or its .load(...) result")
    return forcing.load(bbox, lo, hi)
