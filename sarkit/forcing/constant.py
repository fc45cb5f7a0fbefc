"""A uniform, steady current or wind that the user states (``{ constant = [east, north] }``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sarkit.errors import BadValueError
from sarkit.forcing.grid import MAX_PLAUSIBLE_SPEED, ForcingGrid, Quantity
from sarkit.forcing.request import check_bbox

__all__ = ["ConstantSource"]


@dataclass(frozen=True)
class ConstantSource:
    """The same velocity everywhere and at all times.

    Use it where no forcing file exists and the officer states the current or
    wind from an observation ("wind NE 15 kt"); never as a silent default.

    Parameters
    ----------
    quantity : Quantity or str
        ``"current"`` or ``"wind"``.
    east, north : float
        Velocity components towards east and north, m/s.
    """

    quantity: Quantity | str
    east: float
    north: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "quantity", Quantity.parse(self.quantity))
        speed = float(np.hypot(self.east, self.north))
        if not np.isfinite(speed) or speed > MAX_PLAUSIBLE_SPEED[self.quantity]:
            raise BadValueError(
                f"constant {self.quantity.value} ({self.east}, {self.north}) m/s is not a "
                "plausible speed",
                "give east and north components in m/s",
            )

    def load(
        self, bbox: Sequence[float] | None = None, start=None, end=None
    ) -> ForcingGrid:
        """A steady 2 x 2 grid covering ``bbox`` (the whole globe when None)."""
        west, south, east, north = check_bbox(bbox) or (-180.0, -90.0, 180.0, 90.0)
        if east <= west:
            east += 360.0
        field = np.empty((1, 2, 2), dtype=np.float32)
        return ForcingGrid(
            self.quantity,
            np.array([west, east]),
            np.array([south, north]),
            np.array([0.0]),
            np.full_like(field, self.east),
            np.full_like(field, self.north),
            source=f"constant {self.quantity.value} ({self.east:g}, {self.north:g}) m/s",
            notes=("stated by the user: uniform and steady",),
        )
