"""Observed drift tracks (drifters, found objects) and the skill of a simulated track.

:func:`read_tracks` reads the layouts drifter data come in: CF trajectory
netCDF as an orthogonal (trajectory, obs) array padded with NaN, or as a
contiguous ragged array (``rowsize``; a ``sample_dimension`` attribute that
names the wrong dimension is tolerated), and CSV (id, time, lon, lat columns;
ISO times with or without fractions of a second). Fixes without a position are
left out and counted in :attr:`TrackSet.skipped`, never dropped silently (NaN
padding of an orthogonal array is not a fix and is not counted).

:func:`liu_weisberg_skill` is the normalised cumulative Lagrangian separation
skill score of Liu & Weisberg (2011, JGR Oceans 116, C09013).
"""

from __future__ import annotations

import csv
import itertools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from sarkit.errors import SarkitError
from sarkit.forcing.axes import is_latitude, is_longitude
from sarkit.forcing.timeaxis import TimeUnitsError, decode_time
from sarkit.geodesy import WGS84
from sarkit.times import parse_time

__all__ = ["ObservedTrack", "TrackError", "TrackSet", "liu_weisberg_skill", "read_tracks"]



class TrackError(SarkitError, ValueError):
    """A track file cannot be read, or a skill score cannot be computed."""


@dataclass(frozen=True, eq=False)
class ObservedTrack:
    """One observed trajectory, time-ordered.

    Attributes
    ----------
    id : str
    time : numpy.ndarray
        Epoch seconds UTC, strictly increasing.
    lon, lat : numpy.ndarray
        Degrees.
    """

    id: str
    time: np.ndarray
    lon: np.ndarray
    lat: np.ndarray

    def __len__(self) -> int:
        return int(self.time.size)

    def at(self, times) -> tuple[np.ndarray, np.ndarray]:
        """Positions at ``times`` (epoch s), linear in time; NaN outside the track."""
        times = np.asarray(times, dtype=np.float64)
        lon = np.interp(times, self.time, np.unwrap(self.lon, period=360.0), np.nan, np.nan)
        lat = np.interp(times, self.time, self.lat, np.nan, np.nan)
        return lon, lat


@dataclass(frozen=True)
class TrackSet:
    """The tracks of a file, and how many fixes were left out (no position or no time)."""

    tracks: tuple[ObservedTrack, ...]
    skipped: int = 0

    def __iter__(self):
        return iter(self.tracks)

    def __len__(self) -> int:
        return len(self.tracks)

    def __getitem__(self, key: int | str) -> ObservedTrack:
        if isinstance(key, str):
            for track in self.tracks:
                if track.id == key:
                    return track
            raise KeyError(key)
        return self.tracks[key]


def _track(ident: str, time, lon, lat) -> tuple[ObservedTrack | None, int]:
    time = np.asarray(time, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    good = np.isfinite(time) & np.isfinite(lon) & np.isfinite(lat)
    padding = ~(np.isfinite(time) | np.isfinite(lon) | np.isfinite(lat))  # not a fix at all
    skipped = int((~good & ~padding).sum())
    time, lon, lat = time[good], lon[good], lat[good]
    order = np.argsort(time, kind="stable")
    time, lon, lat = time[order], lon[order], lat[order]
    unique = np.concatenate([[True], np.diff(time) > 0])
    skipped += int(unique.size - unique.sum())
    if unique.sum() == 0:
        return None, skipped
    return ObservedTrack(ident, time[unique], lon[unique], lat[unique]), skipped


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
    return _collect(
        [(names[i] if i < len(names) else str(i), time, x, y) for i, time, x, y in rows], path
    )


def _collect(rows, path: Path) -> TrackSet:
    """Tracks from (id, time, lon, lat) rows, counting the fixes left out."""
    tracks, skipped = [], 0
    for ident, time, lon, lat in rows:
        track, dropped = _track(ident, time, lon, lat)
        skipped += dropped
        if track is not None:
            tracks.append(track)
    if not tracks:
        raise TrackError("holds no fix with a position", "check the file", path)
    return TrackSet(tuple(tracks), skipped)


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
    return _collect(
        [(ident, *(np.array(c) for c in zip(*fixes, strict=True))) for ident, fixes in
         by_id.items()], path
    )


def _number(text: str | None) -> float:
    try:
        return float(text) if text and text.strip() else np.nan
    except ValueError:
        return np.nan


def liu_weisberg_skill(
    observed: ObservedTrack,
    lon: np.ndarray,
    lat: np.ndarray,
    times: np.ndarray,
    tolerance: float = 1.0,
) -> float:
    """Liu & Weisberg (2011) skill score of a simulated track against an observed one.

    ``s = sum(d_i) / sum(l_i)``, with ``d_i`` the separation between the
    simulated and observed positions at time ``i`` and ``l_i`` the cumulative
    length of the observed track from the start to time ``i``;
    ``skill = max(0, 1 - s / tolerance)`` (1 is perfect, 0 no skill).

    Parameters
    ----------
    observed : ObservedTrack
    lon, lat : array_like
        Simulated positions at ``times`` (the first is the common start).
    times : array_like
        Epoch seconds; the observed track is interpolated linearly to them.
    tolerance : float
        The threshold ``n`` (default 1).

    Raises
    ------
    TrackError
        If the times are not within the observed track, or the object did not move.
    """
    times = np.asarray(times, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    if tolerance <= 0:
        return 0.0
    obs_lon, obs_lat = observed.at(times)
    if not np.isfinite(obs_lon).all():
        raise TrackError("the simulated times run outside the observed track",
                         "compare over the times the track covers", observed.id)
    _, _, legs = WGS84.inv(obs_lon[:-1], obs_lat[:-1], obs_lon[1:], obs_lat[1:])
    cumulative = np.concatenate([[0.0], np.cumsum(legs)])
    _, _, separation = WGS84.inv(lon, lat, obs_lon, obs_lat)
    total = cumulative[1:].sum()
    if total <= 0:
        raise TrackError("the observed object did not move", "choose a moving track",
                         observed.id)
    s = float(np.sum(separation[1:]) / total)
    return max(0.0, 1.0 - s / tolerance)
