"""The search update: where the boat probably is after a search that found nothing.

Bayes' rule on the particles after an unsuccessful search (the prior × pFail update of
USCG SAROPS):
a particle that was inside a searched area at the time of the search survives
the search with probability ``1 - POD``, so its weight is multiplied by
``1 - POD`` and all weights are renormalised. The probability of success (POS)
of the search is the weight it removed. Several searches compose: the
cumulative POS is ``1 - prod(1 - POS_k)`` of the conditional successes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
import xarray as xr

from sarkit.drift.transitions import classes_at
from sarkit.errors import BadValueError
from sarkit.poc.grid import particle_weights

__all__ = ["SearchUpdate", "SearchedArea", "update_after_search"]


@dataclass(frozen=True)
class SearchedArea:
    """An area searched without finding the object, and the POD achieved in it.

    Attributes
    ----------
    polygon : shapely.Polygon or shapely.MultiPolygon
        The area covered, lon/lat degrees.
    pod : float
        Probability of detection in it (0..1), e.g. from the coverage of the pattern flown.
    time : numpy.datetime64 or str
        When it was searched (the middle of the search: the object keeps drifting).
    class_pod : mapping of str to float
        Where the object may have changed class on the way (object transitions), the POD of
        each class id (a person in the water is found less often than a boat); a particle of
        a class not named gets ``pod``. Empty: ``pod`` for every particle.
    """

    polygon: shapely.Geometry
    pod: float
    time: object
    class_pod: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        pod = float(self.pod)
        if not 0.0 <= pod <= 1.0:
            raise BadValueError(f"POD {self.pod!r} is not a probability", "give 0 to 1")
        class_pod = {str(k): float(v) for k, v in dict(self.class_pod).items()}
        for name, value in class_pod.items():
            if not 0.0 <= value <= 1.0:
                raise BadValueError(f"POD {value!r} of {name} is not a probability",
                                    "give 0 to 1")
        object.__setattr__(self, "class_pod", class_pod)
        if self.polygon is None or self.polygon.is_empty:
            raise BadValueError("the searched area is empty", "give the polygon searched")
        object.__setattr__(self, "pod", pod)


@dataclass(frozen=True, eq=False)
class SearchUpdate:
    """The result of :func:`update_after_search`.

    Attributes
    ----------
    trajectories : xarray.Dataset
        The same ensemble with updated, renormalised ``weight``.
    pos : tuple of float
        For each search, the probability of success it had (given the ones before failed).
    cumulative_pos : float
        ``1 - prod(1 - pos)``: the probability that one of the searches would have found it.
    """

    trajectories: xr.Dataset
    pos: tuple[float, ...]
    cumulative_pos: float


def _positions(trajectories: xr.Dataset, time) -> tuple[np.ndarray, np.ndarray, int]:
    times = trajectories["time"].values
    when = np.datetime64(time, "ns") if not isinstance(time, np.datetime64) else time
    if not (min(times[0], times[-1]) <= when <= max(times[0], times[-1])):
        raise BadValueError(
            f"the search time {time} is outside the drift run ({times[0]} .. {times[-1]})",
            "give a search time within the run, or run the drift further",
        )
    index = int(np.argmin(np.abs(times - when)))
    return (
        np.asarray(trajectories["lon"].values[:, index]),
        np.asarray(trajectories["lat"].values[:, index]),
        index,
    )


def _pods(trajectories: xr.Dataset, search: SearchedArea, index: int) -> np.ndarray | float:
    """The POD of each particle in ``search``: its class's at output ``index`` where the
    search gives PODs by class, else the search's."""
    if not search.class_pod:
        return search.pod
    classes = classes_at(trajectories, index)
    pods = np.full(classes.size, search.pod)
    for name, value in search.class_pod.items():
        pods[classes == name] = value
    return pods


def update_after_search(trajectories: xr.Dataset, searches: Sequence[SearchedArea]) -> SearchUpdate:
    """Multiply each particle's weight by ``1 - POD`` of every searched area it was in (the
    POD of its class at the time, where the search gives them by class).

    Parameters
    ----------
    trajectories : xarray.Dataset
        A drift ensemble (:func:`sarkit.simulate`), with or without ``weight``.
    searches : sequence of SearchedArea
        In the order they were flown; each uses particle positions at its own
        time (the output time nearest to it).

    Returns
    -------
    SearchUpdate

    Raises
    ------
    BadValueError
        If a search time is outside the run, or the searches removed all the
        probability (POD = 1 over every particle: the object would have been found).
    """
    weight = particle_weights(trajectories)
    weight = weight / weight.sum()
    successes = []
    for search in searches:
        lon, lat, index = _positions(trajectories, search.time)
        inside = shapely.contains_xy(search.polygon, lon, lat)
        pod = _pods(trajectories, search, index)
        if np.ndim(pod) == 0:
            found = float(weight[inside].sum()) * pod
        else:
            found = float((weight[inside] * pod[inside]).sum())
        weight = np.where(inside, weight * (1.0 - pod), weight)
        remaining = weight.sum()
        if remaining <= 0:
            raise BadValueError(
                "the searches leave no probability anywhere (POD 1 over every particle)",
                "check the PODs: the object would have been found",
            )
        weight = weight / remaining
        successes.append(found)
    updated = trajectories.copy()
    updated["weight"] = (
        ("trajectory",),
        weight,
        {"long_name": "probability carried by the particle, after unsuccessful searches"},
    )
    cumulative = 1.0 - float(np.prod([1.0 - p for p in successes])) if successes else 0.0
    updated.attrs["searches_without_success"] = len(successes)
    updated.attrs["cumulative_pos"] = cumulative
    return SearchUpdate(updated, tuple(successes), cumulative)
