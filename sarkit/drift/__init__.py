"""Drift: move an ensemble of particles with the current, the leeway and a random walk."""

from sarkit.drift.leeway import (
    JIBE_PROBABILITY_PER_HOUR,
    OBJECT_CLASSES,
    ObjectClass,
    object_class,
    search_objects,
)

__all__ = [
    "JIBE_PROBABILITY_PER_HOUR",
    "OBJECT_CLASSES",
    "ObjectClass",
    "object_class",
    "search_objects",
]
