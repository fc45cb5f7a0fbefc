"""Observed drift tracks (drifters, found objects) from the files they come in.

:func:`read_tracks` reads the layouts drifter data come in: CF trajectory netCDF as an
orthogonal (trajectory, obs) array padded with NaN, or as a contiguous ragged array
(``rowsize``; a ``sample_dimension`` attribute that names the wrong dimension is tolerated),
and CSV (id, time, lon, lat columns; ISO times with or without fractions of a second). Fixes
without a position are left out and counted in :attr:`~sarkit.drift.observed.TrackSet.skipped`,
never dropped silently (:func:`sarkit.drift.observed.track_set`).
"""

from __future__ import annotations

import csv
import itertools
import os
from pathlib import Path

import numpy as np
import xarray as xr

from sarkit.drift.observed import TrackError, TrackSet, track_set
from sarkit.errors import SarkitError
from sarkit.forcing.axes import is_latitude, is_longitude
from sarkit.forcing.timeaxis import TimeUnitsError, decode_time
from sarkit.times import parse_time

__all__ = ["read_tracks"]


def read_tracks(path: str | os.PathLike) -> TrackSet:
    """Read observed tracks from CF trajectory netCDF or CSV.

    Raises
    ------
    TrackError
        If the file is missing, unreadable, or holds no track.
    """
    path = Path(path)
    if not path.is_file():
        raise TrackError("file not found", "check the path", path)
    if path.suffix.lower() in (".csv", ".txt"):
        return _read_csv(path)
    try:
        with xr.open_dataset(path, decode_times=False, decode_coords=False) as dataset:
            return _read_netcdf(path, dataset.load())
    except (OSError, ValueError) as exc:
        if isinstance(exc, SarkitError):
            raise
        raise TrackError(f"cannot be read as netCDF ({' '.join(str(exc).split())})",
                         "give a CF trajectory netCDF or a CSV file", path) from None


def _find(dataset: xr.Dataset, test) -> str | None:
    return next((str(n) for n in dataset.variables if test(dataset[n], str(n))), None)


def _read_netcdf(path: Path, dataset: xr.Dataset) -> TrackSet:
    lon_name = _find(dataset, lambda v, n: is_longitude(v, n) and v.ndim >= 1)
    lat_name = _find(dataset, lambda v, n: is_latitude(v, n) and v.ndim >= 1)
    time_name = _find(dataset, lambda v, n: "since" in str(v.attrs.get("units", "")))
    if not (lon_name and lat_name and time_name):
        raise TrackError("no longitude, latitude and time variables found",
                         "give a CF trajectory file (featureType = trajectory)", path)
    time_var = dataset[time_name]
    try:
        seconds = decode_time(time_var.values, time_var.attrs.get("units"),
                              time_var.attrs.get("calendar"))
    except TimeUnitsError as exc:
        raise TrackError(f"time variable {time_name!r}: {exc}", "fix its units", path) from None
    lon, lat = dataset[lon_name].values, dataset[lat_name].values
    names = _trajectory_names(dataset)
    if lon.ndim == 2:  # orthogonal / incomplete multidimensional (trajectory, obs)
        seconds = np.broadcast_to(seconds, lon.shape)
        rows = [(i, seconds[i], lon[i], lat[i]) for i in range(lon.shape[0])]
    elif "rowsize" in dataset.variables:  # contiguous ragged array
        sizes = np.asarray(dataset["rowsize"].values, dtype=np.int64)
        if sizes.sum() != lon.size:
            raise TrackError(f"rowsize adds up to {sizes.sum()}, not the {lon.size} fixes",
                             "check the ragged-array layout", path)
        edges = np.concatenate([[0], np.cumsum(sizes)])
        rows = [(i, seconds[a:b], lon[a:b], lat[a:b])
                for i, (a, b) in enumerate(itertools.pairwise(edges))]
    else:  # a single trajectory
        rows = [(0, seconds, lon, lat)]
    return track_set(
        [(names[i] if i < len(names) else str(i), time, x, y) for i, time, x, y in rows], path
    )


def _trajectory_names(dataset: xr.Dataset) -> list[str]:
    for name, variable in dataset.variables.items():
        if variable.attrs.get("cf_role") == "trajectory_id" or name == "drifter_names":
            values = np.asarray(variable.values)
            if values.dtype.kind == "S":
                values = np.char.decode(values, "utf-8")
            return [str(v).strip() for v in np.ravel(values)]
    return []


_CSV_COLUMNS = {
    "id": ("device", "id", "trajectory", "name", "drifter", "buoy", "platform"),
    "time": ("time", "datetime", "timestamp", "date", "time_utc"),
    "lon": ("longitude", "lon", "long", "x"),
    "lat": ("latitude", "lat", "y"),
}


def _read_csv(path: Path) -> TrackSet:
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        header = {h.strip().lower(): h for h in (reader.fieldnames or [])}
        columns = {key: next((header[c] for c in options if c in header), None)
                   for key, options in _CSV_COLUMNS.items()}
        missing = [k for k in ("time", "lon", "lat") if columns[k] is None]
        if missing:
            raise TrackError(f"no {', '.join(missing)} column (columns: {list(header.values())})",
                             "name the columns time, lon and lat", path)
        by_id: dict[str, list[tuple[float, float, float]]] = {}
        for line, row in enumerate(reader, start=2):
            ident = row[columns["id"]].strip() if columns["id"] else "track"
            try:
                time = parse_time(row[columns["time"]].strip())
            except ValueError:
                raise TrackError(f"line {line}: cannot read the time "
                                 f"{row[columns['time']]!r}", "write times as ISO 8601",
                                 path) from None
            by_id.setdefault(ident, []).append(
                (time, _number(row[columns["lon"]]), _number(row[columns["lat"]])))
    return track_set(
        [(ident, *(np.array(c) for c in zip(*fixes, strict=True))) for ident, fixes in
         by_id.items()], path
    )


def _number(text: str | None) -> float:
    try:
        return float(text) if text and text.strip() else np.nan
    except ValueError:
        return np.nan
