"""Object transitions: a search object that may become another (a boat that capsizes).

A :class:`Transition` says that an object of class ``source`` becomes one of class
``target`` at a hazard rate: ``rate_per_hour``, plus ``rate_per_hour_per_ms`` for each m/s
of 10 m wind above ``wind_threshold_ms`` (a boat more likely to capsize in a gale). Each
particle switches at its own random time: with ``H(t)`` the hazard accumulated along its
own path since its release, it switches when ``H`` exceeds ``E``, an exponential number
(mean 1) of its own. For a constant hazard ``h`` the switching time is then exponential:
the share switched after ``t`` hours is ``1 - exp(-h t)``. The particle keeps its
position and takes the new class's leeway (and a perturbation drawn for it).

Where a class has several transitions (a boat that becomes persons in the water or a
raft), they compete: the hazard is their sum, and the class a particle becomes is drawn
in proportion to each one's hazard at the switching time. A particle switches once: a
target class may not have transitions of its own (:func:`check_transitions`).

:func:`transition_table` gives the kernel's table (:mod:`sarkit.drift.kernels`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xarray as xr

from sarkit.drift.leeway import ObjectClass, object_class
from sarkit.errors import BadValueError, SarkitError

__all__ = ["TRANSITION_COLUMNS", "Transition", "check_transitions", "class_counts", "classes_at",
           "transition_table"]

TRANSITION_COLUMNS = ("source", "target", "rate_per_s", "wind_threshold_ms",
                      "rate_per_s_per_ms")
"""Columns of the kernel's transition table (:func:`transition_table`): the rows of the
class table switched from and to, the hazard per second, the wind threshold (m/s) and the
hazard per second per m/s of wind above it."""

MAX_RATE_PER_HOUR = 3600.0
"""Largest hazard accepted, per hour (one per second): beyond it the switch is immediate."""


@dataclass(frozen=True)
class Transition:
    """An object class that may become another at a hazard rate.

    Attributes
    ----------
    source, target : ObjectClass
        The class switched from and the one switched to (:func:`object_class` reads an id,
        a number or words of the name).
    rate_per_hour : float
        Hazard per hour at any wind (0 or more).
    wind_threshold_ms : float
        10 m wind speed (m/s) above which ``rate_per_hour_per_ms`` adds to the hazard.
    rate_per_hour_per_ms : float
        Hazard per hour added for each m/s of wind above the threshold (0 or more).
    """

    source: ObjectClass
    target: ObjectClass
    rate_per_hour: float
    wind_threshold_ms: float = 0.0
    rate_per_hour_per_ms: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", object_class(self.source))
        object.__setattr__(self, "target", object_class(self.target))
        if self.source.id == self.target.id:
            raise BadValueError(f"a transition from {self.source.id} to itself",
                                "give a different class to become, e.g. PIW-1")
        for name, high in (("rate_per_hour", MAX_RATE_PER_HOUR),
                           ("wind_threshold_ms", 100.0),
                           ("rate_per_hour_per_ms", MAX_RATE_PER_HOUR)):
            value = getattr(self, name)
            number = float(value) if isinstance(value, int | float) and not isinstance(
                value, bool) else math.nan
            if not 0.0 <= number <= high:
                raise BadValueError(f"transition {name} {value!r} is not a number from 0 to "
                                    f"{high:g}",
                                    "give a hazard per hour of 0 or more, e.g. 0.05")
            object.__setattr__(self, name, number)

    def hazard_per_hour(self, wind_ms: float | np.ndarray) -> float | np.ndarray:
        """The hazard per hour at 10 m wind speed ``wind_ms`` (m/s)."""
        excess = np.maximum(np.asarray(wind_ms, dtype=float) - self.wind_threshold_ms, 0.0)
        return self.rate_per_hour + self.rate_per_hour_per_ms * excess

    def __str__(self) -> str:
        text = f"{self.source.id} -> {self.target.id} at {self.rate_per_hour:g}/h"
        if self.rate_per_hour_per_ms:
            text += (f" + {self.rate_per_hour_per_ms:g}/h per m/s of wind above "
                     f"{self.wind_threshold_ms:g} m/s")
        return text


def check_transitions(transitions: Sequence[Transition]) -> tuple[Transition, ...]:
    """``transitions`` as a tuple, checked: each a :class:`Transition`, one per pair of
    classes, and no target with transitions of its own (a particle switches once).

    Raises
    ------
    BadValueError
        Naming the transition that is wrong.
    """
    items = tuple(transitions)
    for item in items:
        if not isinstance(item, Transition):
            raise BadValueError(f"{item!r} is not a Transition",
                                "give sarkit.drift.transitions.Transition(source, target, "
                                "rate_per_hour)")
    pairs = [(t.source.id, t.target.id) for t in items]
    for pair in pairs:
        if pairs.count(pair) > 1:
            raise BadValueError(f"the transition {pair[0]} -> {pair[1]} is given twice",
                                "give each pair of classes once")
    sources = {t.source.id for t in items}
    for item in items:
        if item.target.id in sources:
            raise BadValueError(
                f"{item.target.id} is both a class switched to (from {item.source.id}) and "
                "one switched from: a particle switches once",
                f"give transitions from the starting class only, e.g. {item.source.id} -> "
                f"PIW-1 and {item.source.id} -> a raft")
    return items


def transition_table(transitions: Sequence[Transition],
                     objects: Sequence[ObjectClass]) -> tuple[np.ndarray, tuple]:
    """The kernel's table of ``transitions`` over the class table ``objects``.

    Returns
    -------
    table : numpy.ndarray
        float64 (n, 5), the columns :data:`TRANSITION_COLUMNS` (hazards per second); (0, 5)
        without transitions. Only transitions from a class in ``objects`` are kept.
    objects : tuple of ObjectClass
        ``objects`` followed by the targets not in it: the class table the kernel indexes.
    """
    items = check_transitions(transitions)
    classes = list(objects)
    ids = [o.id for o in classes]
    rows = []
    for item in items:
        if item.source.id not in ids:
            continue
        if item.target.id not in ids:
            classes.append(item.target)
            ids.append(item.target.id)
        rows.append((ids.index(item.source.id), ids.index(item.target.id),
                     item.rate_per_hour / 3600.0, item.wind_threshold_ms,
                     item.rate_per_hour_per_ms / 3600.0))
    table = np.array(rows, dtype=np.float64).reshape(len(rows), len(TRANSITION_COLUMNS))
    return table, tuple(classes)


def classes_at(trajectories: xr.Dataset, time: int = -1) -> np.ndarray:
    """Each particle's object class id at output time ``time`` (an index, default the last).

    With transitions the trajectories hold ``class_index`` (trajectory, time) whose
    ``flag_meanings`` are the class ids; without, every particle keeps its ``object_class``.

    Raises
    ------
    SarkitError
        Where the trajectories hold neither.
    """
    if "class_index" in trajectories:
        variable = trajectories["class_index"]
        ids = np.array(str(variable.attrs["flag_meanings"]).split())
        return ids[variable.isel(time=int(time)).values.astype(np.int64)]
    if "object_class" in trajectories:
        return np.asarray(trajectories["object_class"].values).astype(str)
    raise SarkitError("the trajectories say nothing of the particles' object classes",
                      "pass what sarkit.simulate returns or sarkit.files.trajectories reads")


def class_counts(trajectories: xr.Dataset, time: int = -1) -> dict[str, int]:
    """Particles per object class id at output time ``time`` (default the last), in the
    order of the class table (the starting classes first); classes with none left out."""
    found = classes_at(trajectories, time)
    if "class_index" in trajectories:
        order = str(trajectories["class_index"].attrs["flag_meanings"]).split()
    else:
        order = list(dict.fromkeys(found.tolist()))
    counts = {name: int(np.count_nonzero(found == name)) for name in order}
    return {name: n for name, n in counts.items() if n}
