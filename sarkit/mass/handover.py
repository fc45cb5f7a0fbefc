"""When a case's probable area enters another search and rescue region: the handovers to arrange.

:func:`handovers` follows a drift ensemble through its output times and reports, for every
search and rescue region (SRR) other than the one where the case starts, the first time the
share of the probability inside that region reaches a threshold (:data:`HANDOVER_SHARE`), the
share then, where (the probability-weighted centre of the particles inside) and which centre
is responsible. A case outside every known SRR is reported as such: with the package's regions
(Thailand and Australia only) that is common; load the region's own polygons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
import xarray as xr

from sarkit.drift.status import Status
from sarkit.planning.regions import SearchRegion

__all__ = ["HANDOVER_SHARE", "Handover", "handovers", "region_shares"]

HANDOVER_SHARE = 0.05
"""Share of a case's probability inside another SRR from which a handover is reported."""


@dataclass(frozen=True)
class Handover:
    """A case's probability reaching another search and rescue region.

    Attributes
    ----------
    region : str
        The region entered.
    centre : str or None
        Its responsible centre's id.
    time : numpy.datetime64
        The first output time with at least the threshold share inside.
    share : float
        The share of the case's probability inside then.
    lon, lat : float
        The probability-weighted centre of the particles inside then.
    """

    region: str
    centre: str | None
    time: np.datetime64
    share: float
    lon: float
    lat: float


def _weights(trajectories: xr.Dataset) -> np.ndarray:
    n = trajectories.sizes["trajectory"]
    if "weight" in trajectories:
        w = np.asarray(trajectories["weight"].values, dtype=float)
    else:
        w = np.full(n, 1.0 / n)
    return w / w.sum()


def region_shares(trajectories: xr.Dataset, regions: Sequence[SearchRegion],
                  index: int) -> dict[str, tuple[float, float, float]]:
    """Per region: (share of probability, lon, lat of its centre) at output ``index``.

    Particles still afloat count (active, not yet released, or left the forcing area: where
    they were last); stranded ones do not.
    """
    lon = np.asarray(trajectories["lon"].values[:, index], dtype=float)
    lat = np.asarray(trajectories["lat"].values[:, index], dtype=float)
    status = np.asarray(trajectories["status"].values[:, index])
    weight = np.where(status == int(Status.STRANDED), 0.0, _weights(trajectories))
    lon = np.where(lon > 180.0, lon - 360.0, lon)
    out = {}
    for region in regions:
        inside = np.zeros(lon.size, dtype=bool)
        for shift in (0.0, 360.0, -360.0):  # regions given in 0..360 or across 180
            inside |= shapely.contains_xy(region.polygon, lon + shift, lat)
        share = float(weight[inside].sum())
        if share > 0:
            w = weight[inside]
            out[region.name] = (share, float(np.average(lon[inside], weights=w)),
                                float(np.average(lat[inside], weights=w)))
        else:
            out[region.name] = (0.0, float("nan"), float("nan"))
    return out


def handovers(trajectories: xr.Dataset, regions: Sequence[SearchRegion], *,
              share: float = HANDOVER_SHARE) -> tuple[list[str], list[Handover]]:
    """Where a case starts and the regions its probability enters later.

    Parameters
    ----------
    trajectories : xarray.Dataset
        The case's drift.
    regions : sequence of SearchRegion
        The search and rescue regions (:func:`sarkit.planning.search_regions`).
    share : float
        Threshold share of the probability inside a region, 0 < share <= 1.

    Returns
    -------
    start_regions : list of str
        The regions holding at least ``share`` of the probability at the first output time
        (empty: outside every known region).
    entered : list of Handover
        For every other region, the first time its share reaches ``share``, in time order.
    """
    if not 0.0 < share <= 1.0:
        from sarkit.errors import BadValueError

        raise BadValueError(f"handover share {share!r} is not in (0, 1]", "give e.g. 0.05")
    times = trajectories["time"].values
    first = region_shares(trajectories, regions, 0)
    start = [name for name, (s, _, _) in first.items() if s >= share]
    centres = {r.name: r.centre for r in regions}
    entered: dict[str, Handover] = {}
    for index in range(1, times.size):
        for name, (s, lon, lat) in region_shares(trajectories, regions, index).items():
            if name in start or name in entered or s < share:
                continue
            entered[name] = Handover(name, centres[name], times[index], s, lon, lat)
    return start, sorted(entered.values(), key=lambda h: h.time)
