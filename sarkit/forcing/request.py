"""Checks of what a user asks the forcing for: a box and a time window."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sarkit import positions
from sarkit.errors import BadValueError
from sarkit.times import parse_time

__all__ = ["check_bbox", "check_time", "format_box"]


def check_bbox(bbox: Sequence[float] | None) -> tuple[float, float, float, float] | None:
    """A (west, south, east, north) box in degrees as floats, or a BadValueError."""
    if bbox is None:
        return None
    try:
        west, south, east, north = (float(v) for v in bbox)
    except (TypeError, ValueError):
        raise BadValueError(
            f"bbox {bbox!r} is not four numbers", "give (west, south, east, north) in degrees"
        ) from None
    if not all(np.isfinite([west, south, east, north])):
        raise BadValueError(f"bbox {bbox!r} has a non-finite value", "give finite degrees")
    if not (-90.0 <= south < north <= 90.0):
        raise BadValueError(
            f"bbox latitudes south={south:g}, north={north:g} are impossible",
            "give -90 <= south < north <= 90",
        )
    if west == east:
        raise BadValueError(f"bbox has west == east == {west:g}", "give a box with some width")
    return west, south, east, north


def check_time(value, name: str) -> float:
    """Epoch seconds from a number, ISO 8601 text or datetime64, or a BadValueError."""
    if isinstance(value, int | float | np.floating | np.integer):
        if not np.isfinite(value):
            raise BadValueError(f"{name} time is not finite", "give a date and time")
        return float(value)
    try:
        return parse_time(value)
    except (TypeError, ValueError) as exc:
        raise BadValueError(f"{name} time: {exc}",
                            "write times as ISO 8601 UTC, e.g. 2024-03-20T06:00Z") from None


def format_box(box) -> str:
    """A box for messages, as every position is written (:func:`sarkit.positions.format_box`,
    to 0.01 degree: ``8.50N..9.50N 95.50E..96.50E``); ``"(whole grid)"`` for None."""
    if box is None:
        return "(whole grid)"
    return positions.format_box(box, 2)

