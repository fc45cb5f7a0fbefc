"""Drift: move an ensemble of particles with the current, the leeway and a random walk.

Seed an uncertain last known position (:func:`point`, :func:`track`,
:func:`area`, :func:`combine`), pick the search object's leeway class
(:func:`object_class`), and :func:`simulate` the drift through a current and a
wind :class:`~sarkit.forcing.ForcingGrid` on the real coastline
(:func:`land_mask`). Compare with observed tracks (:func:`liu_weisberg_skill`; the
files are read by :func:`sarkit.files.read_tracks`). The numba kernels live in
:mod:`sarkit.drift.kernels`; importing this package compiles nothing.
"""

from sarkit.drift.coast import LandMask, land_mask
from sarkit.drift.leeway import (
    JIBE_PROBABILITY_PER_HOUR,
    OBJECT_CLASSES,
    ObjectClass,
    object_class,
    search_objects,
)
from sarkit.drift.observed import ObservedTrack, TrackSet, liu_weisberg_skill, track_set
from sarkit.drift.seeding import Particles, area, combine, point, track
from sarkit.drift.simulate import DEFAULT_DIFFUSIVITY, SeedError, simulate, status_counts
from sarkit.drift.status import Status
from sarkit.drift.summary import (
    TrajectorySummary,
    summarize_trajectories,
    trajectories_dataframe,
)

__all__ = [
    "DEFAULT_DIFFUSIVITY",
    "JIBE_PROBABILITY_PER_HOUR",
    "OBJECT_CLASSES",
    "LandMask",
    "ObjectClass",
    "ObservedTrack",
    "Particles",
    "SeedError",
    "Status",
    "TrackSet",
    "TrajectorySummary",
    "area",
    "combine",
    "land_mask",
    "liu_weisberg_skill",
    "object_class",
    "point",
    "search_objects",
    "simulate",
    "status_counts",
    "summarize_trajectories",
    "track",
    "track_set",
    "trajectories_dataframe",
]
