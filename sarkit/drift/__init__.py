"""Drift: move an ensemble of particles with the current, the leeway and a random walk.

Seed an uncertain last known position (:func:`point`, :func:`track`,
:func:`area`, :func:`combine`), pick the search object's leeway class
(:func:`object_class`), and :func:`simulate` the drift through a current and a
wind :class:`~sarkit.forcing.ForcingGrid` on the real coastline
(:func:`land_mask`). Compare with observed tracks (:func:`liu_weisberg_skill`; the
files are read by :func:`sarkit.files.read_tracks`). The numba kernels live in
:mod:`sarkit.drift.kernels`; importing this package compiles nothing.
"""

from sarkit._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "coast": ["LandMask", "land_mask"],
    "leeway": [
        "JIBE_PROBABILITY_PER_HOUR", "OBJECT_CLASSES", "ObjectClass", "object_class",
        "search_objects",
    ],
    "observed": ["ObservedTrack", "TrackSet", "liu_weisberg_skill", "track_set"],
    "seeding": ["Particles", "area", "combine", "point", "track"],
    "simulate": ["DEFAULT_DIFFUSIVITY", "SeedError", "simulate", "status_counts"],
    "status": ["Status"],
    "summary": ["TrajectorySummary", "summarize_trajectories", "trajectories_dataframe"],
})
