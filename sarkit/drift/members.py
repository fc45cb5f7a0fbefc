"""An ensemble drifted on several forcings at once: particles divided among forcing members by
weight, each part drifted on its own currents and winds, the parts joined again.

A scenario may weigh several current (or wind) models against each other, or the members of an
ensemble forecast (:class:`~sarkit.scenario.ForcingModel`). :func:`assign_members` gives each
particle its member, deterministically and spread evenly over the particles (so over their start
positions, times and sub-scenarios); :func:`join_runs` puts the drifted parts back into one set
of trajectories in the ensemble's order, each particle with its ``forcing_member``, and each
member carrying exactly its stated share of the probability.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from sarkit.drift.simulate import status_counts
from sarkit.drift.status import Status
from sarkit.errors import BadValueError
from sarkit.geodesy import mean_position

__all__ = ["MEMBER_VARIABLE", "assign_members", "join_runs", "member_datums", "member_shares"]

MEMBER_VARIABLE = "forcing_member"
"""The trajectories' variable naming each particle's forcing member (an index)."""

_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0


def _counts(total: int, weights: np.ndarray) -> np.ndarray:
    """``total`` split in proportion to ``weights`` by largest remainders (summing to it)."""
    share = weights / weights.sum() * total
    counts = np.floor(share).astype(np.int64)
    order = np.argsort(-(share - counts), kind="stable")
    counts[order[:total - int(counts.sum())]] += 1
    return counts


def assign_members(count: int, weights: Sequence[float]) -> np.ndarray:
    """Each of ``count`` particles' forcing member: member ``i`` gets its weight's share of
    them (largest remainders), spread evenly over the ensemble.

    Particles are ranked by the golden-ratio sequence ``frac(k * 0.618...)``, a low-discrepancy
    order; member 0 takes the first ranks, member 1 the next, and so on. So every member holds
    particles from the whole ensemble (each sub-scenario, each part of a release window) in its
    share, and the same count and weights always give the same division.

    Raises
    ------
    BadValueError
        Where a weight is not positive, or there are fewer particles than members.
    """
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim != 1 or not weights.size or not np.all(np.isfinite(weights)) or np.any(
            weights <= 0):
        raise BadValueError(f"forcing member weights {list(weights)} are not usable",
                            "give each member a weight above 0")
    if count < weights.size:
        raise BadValueError(f"{count} particles cannot cover {weights.size} forcing members",
                            "give at least one particle per member (thousands each)")
    counts = _counts(count, weights)
    rank = np.argsort(np.mod(np.arange(1, count + 1) * _GOLDEN, 1.0), kind="stable")
    members = np.empty(count, dtype=np.int32)
    members[rank] = np.repeat(np.arange(weights.size, dtype=np.int32), counts)
    return members


def join_runs(runs: Sequence[xr.Dataset], members: np.ndarray, names: Sequence[str],
              weights: Sequence[float]) -> xr.Dataset:
    """The trajectories of an ensemble drifted in parts, one part per forcing member.

    Parameters
    ----------
    runs : sequence of xarray.Dataset
        Part ``i``'s trajectories (:func:`~sarkit.drift.simulate.simulate`), its particles in
        the ensemble's order of those with ``members == i``.
    members : numpy.ndarray
        Each particle's member (:func:`assign_members`).
    names : sequence of str
        The members' names, as products show them.
    weights : sequence of float
        The members' shares of the probability (normalised to sum to 1).

    Returns
    -------
    xarray.Dataset
        One set of trajectories in the ensemble's order: ``forcing_member`` per particle, the
        weights scaled so that member ``i``'s particles carry exactly ``weights[i]``, the
        forcing of each member in ``attrs["currents"]`` and ``attrs["winds"]`` (one line each,
        by name), the status counts of the whole ensemble.
    """
    members = np.asarray(members)
    shares = np.asarray(weights, dtype=np.float64)
    shares = shares / shares.sum()
    order = np.concatenate([np.flatnonzero(members == i) for i in range(len(runs))])
    joined = xr.concat(list(runs), dim="trajectory", data_vars="all", coords="different",
                       compat="equals", join="exact", combine_attrs="override")
    joined = joined.isel(trajectory=np.argsort(order, kind="stable"))
    joined = joined.assign_coords(trajectory=("trajectory", np.arange(members.size),
                                              joined["trajectory"].attrs))
    weight = joined["weight"].values.copy()
    for i, share in enumerate(shares):
        mine = members == i
        weight[mine] *= share / weight[mine].sum()
    joined["weight"] = (("trajectory",), weight, joined["weight"].attrs)
    joined[MEMBER_VARIABLE] = (("trajectory",), members.astype(np.int32), {
        "long_name": "forcing member the particle drifted on",
        "flag_values": np.arange(len(runs), dtype=np.int32),
        "flag_meanings": " ".join(_token(name) for name in names),
        "member_names": "; ".join(names),
        "member_weights": shares,
    })
    for quantity in ("currents", "winds"):
        joined.attrs[quantity] = "; ".join(f"{name}: {run.attrs.get(quantity, '')}"
                                           for name, run in zip(names, runs, strict=True))
    joined.attrs.update({f"count_{k.replace(' ', '_')}": v
                         for k, v in status_counts(joined).items()})
    return joined


def member_shares(trajectories: xr.Dataset) -> list[tuple[str, float, int]]:
    """Each forcing member's name, share of the probability and particle count; empty for a
    run on one forcing."""
    if MEMBER_VARIABLE not in trajectories:
        return []
    variable = trajectories[MEMBER_VARIABLE]
    names = str(variable.attrs.get("member_names", "")).split("; ")
    members = variable.values
    weight = trajectories["weight"].values
    return [(name, float(weight[members == i].sum()), int(np.count_nonzero(members == i)))
            for i, name in enumerate(names)]


def member_datums(trajectories: xr.Dataset, time=-1) -> list[tuple[str, float, float, float]]:
    """Each forcing member's name, share, and datum at an output time (an index, or the output
    time nearest a time): the weighted mean position of its particles afloat there, on the
    sphere; NaN where none is afloat. Where models disagree, the datum of the whole ensemble
    may lie between their clouds, where no particle is: these say where each model puts the
    boat. Empty for a run on one forcing."""
    if MEMBER_VARIABLE not in trajectories:
        return []
    if isinstance(time, int | np.integer):
        at = trajectories.isel(time=int(time))
    else:
        at = trajectories.sel(time=np.datetime64(time, "ns"), method="nearest")
    lon, lat = at["lon"].values, at["lat"].values
    afloat = at["status"].values == Status.ACTIVE.value
    weight = trajectories["weight"].values
    members = trajectories[MEMBER_VARIABLE].values
    datums = []
    for i, (name, share, _) in enumerate(member_shares(trajectories)):
        mine = afloat & (members == i)
        datums.append((name, share, *mean_position(lon[mine], lat[mine], weight[mine])))
    return datums


def _token(name: str) -> str:
    """A name as one word of CF's ``flag_meanings``."""
    word = "".join(c if c.isalnum() or c in "-_." else "_" for c in name.strip())
    return word or "member"
