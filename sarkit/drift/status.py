"""Particle status codes: what happened to each particle, instead of exceptions in kernels."""

from __future__ import annotations

import enum

__all__ = ["Status"]


class Status(enum.IntEnum):
    """The state of one particle at one output time.

    The kernels write these codes; :func:`sarkit.drift.simulate` counts them,
    and the counts always add up to the number of particles seeded.
    """

    ACTIVE = 0
    """Drifting at sea."""
    STRANDED = 1
    """Would have stepped onto land: kept where it was, on the shore."""
    LEFT_DOMAIN = 2
    """Would have left the area covered by the current or wind forcing."""
    OUT_OF_TIME = 3
    """The run went past the times the forcing covers."""
    NOT_RELEASED = 4
    """Its time of distress is still ahead: waiting at its seed position."""

    @property
    def label(self) -> str:
        """Lower-case words for reports ("left domain")."""
        return self.name.lower().replace("_", " ")
