"""Waypoints as CSV, for officers who read positions off a chart or type them into a plotter.

:func:`waypoints_csv` lists every asset's pattern waypoints in the order flown, one row each:

``asset, waypoint, leg, lat, lon, lat_dm, lon_dm``

* ``waypoint`` counts from 1 (WP001 in the GPX route); ``leg`` is the leg that ends at the
  waypoint (0 at the commence search point, the first waypoint);
* ``lat``/``lon`` are decimal degrees (6 decimals, about 0.1 m; north and east positive,
  longitudes in -180..180);
* ``lat_dm``/``lon_dm`` are degrees and decimal minutes with the hemisphere, as chart work and
  voice reports use them: ``09°12.345'N``, ``095°48.000'E`` (3 decimals of a minute, about 2 m).

The file is UTF-8 with a header row, written atomically by :func:`write_waypoints_csv`.
:func:`waypoints_table` gives the same rows as a pandas DataFrame, for a notebook.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sarkit.files.atomic import atomic_path
from sarkit.files.csv_tables import csv_text
from sarkit.positions import degrees_minutes, wrap_longitude

if TYPE_CHECKING:  # pragma: no cover
    from sarkit.planning.plan import SearchPlan

__all__ = ["WAYPOINT_COLUMNS", "degrees_minutes", "waypoint_rows", "waypoints_csv",
           "waypoints_table", "write_waypoints_csv"]

WAYPOINT_COLUMNS = ("asset", "waypoint", "leg", "lat", "lon", "lat_dm", "lon_dm")
"""Columns of the waypoint CSV."""

DECIMALS = 6


def waypoint_rows(plan: SearchPlan) -> list[dict]:
    """One dict per waypoint of every assigned asset (keys :data:`WAYPOINT_COLUMNS`)."""
    rows = []
    for item in plan.assignments:
        for k, (lon, lat) in enumerate(np.asarray(item.pattern.waypoints, dtype=float)):
            lon = wrap_longitude(float(lon))
            rows.append({"asset": item.label, "waypoint": k + 1, "leg": k,
                         "lat": round(float(lat), DECIMALS), "lon": round(lon, DECIMALS),
                         "lat_dm": degrees_minutes(float(lat), "NS"),
                         "lon_dm": degrees_minutes(lon, "EW")})
    return rows


def waypoints_table(plan: SearchPlan):
    """Every asset's waypoints in the order flown, as a table (the rows of the CSV).

    Parameters
    ----------
    plan : SearchPlan
        From :func:`sarkit.planning.plan_search`.

    Returns
    -------
    pandas.DataFrame
        Columns ``asset``, ``waypoint`` (from 1), ``leg`` (the leg that ends there; 0 at
        the commence search point), ``lat``, ``lon`` (decimal degrees), ``lat_dm``,
        ``lon_dm`` (degrees and decimal minutes, as read on a chart).
    """
    import pandas as pd

    return pd.DataFrame(waypoint_rows(plan))


def waypoints_csv(plan: SearchPlan) -> str:
    """The waypoint CSV as text (see the module docstring)."""
    rows = waypoint_rows(plan)
    return csv_text(WAYPOINT_COLUMNS, ([row[key] for key in WAYPOINT_COLUMNS] for row in rows))


def write_waypoints_csv(plan: SearchPlan, path: str | os.PathLike) -> Path:
    """Write :func:`waypoints_csv` to ``path`` atomically (no partial file on failure)."""
    with atomic_path(path) as temporary:
        temporary.write_text(waypoints_csv(plan), encoding="utf-8")
    return Path(path)
