"""Trajectories in a notebook: a summary, a table, a map.

:func:`simulate` returns a plain :class:`xarray.Dataset` (CF trajectory layout), which xarray
already displays, converts (``.to_dataframe()``) and writes. These functions add what an
officer asks of it:

* :func:`summarize_trajectories` -> :class:`TrajectorySummary`: particles, time span, status
  counts at the last output time, the object classes (and, after object transitions, the
  particles of each class at the end), the forcing used (a short text in a
  shell, a table in a notebook);
* :func:`trajectories_dataframe`: one row per particle (at one output time) or per particle
  and time, with the status as words and positions in degrees;

A map of a sample of the tracks is :func:`sarkit.plot.plot_tracks`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import xarray as xr

from sarkit.drift.status import Status
from sarkit.drift.transitions import class_counts
from sarkit.errors import SarkitError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["TrajectorySummary", "summarize_trajectories", "trajectories_dataframe"]

_LABELS = {s.value: s.label for s in Status}


def _check(trajectories: object) -> xr.Dataset:
    if not isinstance(trajectories, xr.Dataset) or not {"lon", "lat", "status"} <= set(
            getattr(trajectories, "data_vars", ())):
        raise SarkitError("not a drift ensemble (an xarray Dataset with lon, lat and status)",
                          "pass what sarkit.simulate returns or sarkit.files.trajectories reads")
    return trajectories


@dataclass(frozen=True)
class TrajectorySummary:
    """What a drift ensemble holds, in a few lines.

    Attributes
    ----------
    particles : int
    output_times : int
    start, end : str
        First and last output time, ISO 8601 UTC (minutes).
    backward : bool
        True for a backward run (times descending).
    counts : dict of str to int
        Particles per status at the last output time; they add up to ``particles``.
    objects : tuple of str
        Leeway classes of the particles.
    currents, winds : str
        The forcing named in the dataset's attributes ("" where absent).
    classes : dict of str to int
        Particles per object class at the last output time, where the run had object
        transitions (:mod:`sarkit.drift.transitions`); empty otherwise.
    """

    particles: int
    output_times: int
    start: str
    end: str
    backward: bool
    counts: dict[str, int]
    objects: tuple[str, ...]
    currents: str
    winds: str
    classes: dict[str, int] = field(default_factory=dict)

    def _rows(self) -> list[tuple[str, str]]:
        status = ", ".join(f"{n} {label}" for label, n in self.counts.items() if n)
        direction = " (backward)" if self.backward else ""
        rows = [("particles", f"{self.particles:,}"),
                ("output times", f"{self.output_times}: {self.start} .. {self.end}{direction}"),
                ("at the end", status or "none"),
                ("object", ", ".join(self.objects) or "?")]
        if self.classes:
            rows.append(("classes", ", ".join(f"{n} {name}" for name, n in
                                              self.classes.items()) + " at the end"))
        rows += [(name, text) for name, text in (("currents", self.currents),
                                                 ("winds", self.winds)) if text]
        return rows

    def __repr__(self) -> str:
        return "\n".join(["<drift ensemble>"] + [f"  {k:<13}{v}" for k, v in self._rows()])

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                       f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
                       for k, v in self._rows())
        return f"<table><caption>drift ensemble</caption>{body}</table>"


def _minute(value: np.datetime64) -> str:
    return str(np.datetime64(value, "m")) + "Z"


def summarize_trajectories(trajectories: xr.Dataset) -> TrajectorySummary:
    """The summary of a drift ensemble (displays as a table in a notebook).

    Raises
    ------
    SarkitError
        Where ``trajectories`` is not a drift ensemble.
    """
    ds = _check(trajectories)
    times = ds["time"].values
    codes = ds["status"].isel(time=-1).values
    counts = {s.label: int(np.count_nonzero(codes == s.value)) for s in Status}
    objects = ()
    if "object_class" in ds:
        objects = tuple(str(v) for v in np.unique(ds["object_class"].values))
    return TrajectorySummary(
        particles=int(ds.sizes["trajectory"]), output_times=int(times.size),
        start=_minute(times[0]), end=_minute(times[-1]),
        backward=bool(times.size > 1 and times[-1] < times[0]), counts=counts,
        objects=objects, currents=str(ds.attrs.get("currents", "")),
        winds=str(ds.attrs.get("winds", "")),
        classes=class_counts(ds) if "class_index" in ds else {})


def trajectories_dataframe(trajectories: xr.Dataset, time: object = -1) -> pd.DataFrame:
    """The ensemble as a pandas table with the status in words.

    Parameters
    ----------
    trajectories : xarray.Dataset
        From :func:`sarkit.simulate` (or a ``trajectories.nc`` read back).
    time : int, str, numpy.datetime64 or None
        One output time (an index, default the last, or the nearest to a time), giving one
        row per particle; None gives one row per particle and output time.

    Returns
    -------
    pandas.DataFrame
        Columns ``trajectory``, ``time``, ``lon``, ``lat``, ``status``, and ``weight`` and
        ``object_class`` where the ensemble has them.
    """
    ds = _check(trajectories)
    if time is None:
        pass
    elif isinstance(time, int | np.integer):
        ds = ds.isel(time=[int(time)])
    else:
        ds = ds.sel(time=[np.datetime64(time, "ns")], method="nearest")
    names = [n for n in ("lon", "lat", "status", "weight", "object_class") if n in ds]
    table = ds[names].to_dataframe().reset_index()
    table["status"] = [_LABELS.get(int(v), str(v)) for v in table["status"]]
    return table[["trajectory", "time", *names]]
