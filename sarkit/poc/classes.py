"""What the object is over time: each object class's share of the probability at every output
time, where the object may change on the way (a boat that capsizes becomes persons in the water).

:func:`class_shares` weighs each particle by its ``weight`` (so after
:func:`sarkit.planning.update_after_search` the shares move to the classes that searches find
less often); :func:`sarkit.poc.poc_grid` gives the same split at one time over the particles at
sea (``class_shares``) and each class's POC (``object_class=``).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from sarkit.drift.transitions import classes_at
from sarkit.poc.grid import particle_weights

__all__ = ["class_shares"]


def class_shares(trajectories: xr.Dataset) -> xr.DataArray:
    """Each object class's share of the whole probability at each output time.

    Parameters
    ----------
    trajectories : xarray.Dataset
        A drift ensemble (:func:`sarkit.simulate`, :func:`sarkit.app.run.drift_scenario`),
        with ``class_index`` where the scenario has object transitions; ``weight`` per
        particle where there is one (equal weights otherwise).

    Returns
    -------
    xarray.DataArray
        ``(object_class, time)``: the share (0 to 1) of the probability held by the particles
        of each class at each output time, every particle counted (afloat, stranded or out of
        the forcing), so each time's shares add up to 1. The classes in the order of the class
        table (the starting classes first); one class where the object never changes.
        ``.to_pandas().T`` gives a table, one row per time.

    Raises
    ------
    SarkitError
        Where the trajectories say nothing of the classes, or their weights cannot be
        probabilities.
    """
    weights = particle_weights(trajectories)
    weights = weights / weights.sum()
    times = trajectories["time"].values
    if "class_index" in trajectories:
        variable = trajectories["class_index"]
        order = str(variable.attrs["flag_meanings"]).split()
        index = np.asarray(variable.transpose("trajectory", "time").values, dtype=np.int64)
        shares = np.stack([np.bincount(index[:, k], weights=weights, minlength=len(order))
                           for k in range(times.size)], axis=1)
    else:
        found = classes_at(trajectories)
        order = list(dict.fromkeys(found.tolist()))
        shares = np.array([np.full(times.size, weights[found == name].sum())
                           for name in order])
    seen = shares.max(axis=1) > 0
    return xr.DataArray(
        shares[seen], dims=("object_class", "time"),
        coords={"object_class": [n for n, s in zip(order, seen, strict=True) if s],
                "time": times},
        name="class_share",
        attrs={"long_name": "share of the probability held by each object class",
               "units": "1"})
