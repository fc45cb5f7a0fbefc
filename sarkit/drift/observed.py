"""Observed drift tracks (drifters, found objects) and the skill of a simulated track.

:class:`ObservedTrack` is one track, :class:`TrackSet` the tracks of a file;
:func:`track_set` builds them from rows of fixes, leaving out and counting the fixes
without a time or a position (never dropped silently; NaN padding of an orthogonal
array is not a fix and is not counted). The files they come in are read by
:func:`sarkit.files.read_tracks`.

:func:`liu_weisberg_skill` is the normalised cumulative Lagrangian separation
skill score of Liu & Weisberg (2011, JGR Oceans 116, C09013).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from sarkit.errors import SarkitError
from sarkit.geodesy import WGS84

__all__ = ["ObservedTrack", "TrackError", "TrackSet", "liu_weisberg_skill", "track_set"]


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
    if time.size == 0:
        return None, skipped
    order = np.argsort(time, kind="stable")
    time, lon, lat = time[order], lon[order], lat[order]
    unique = np.concatenate([[True], np.diff(time) > 0])
    skipped += int(unique.size - unique.sum())
    return ObservedTrack(ident, time[unique], lon[unique], lat[unique]), skipped


def track_set(rows: Iterable[tuple[str, Any, Any, Any]],
              source: str | os.PathLike | None = None) -> TrackSet:
    """Tracks from ``(id, time, lon, lat)`` rows of fixes, counting the fixes left out.

    A fix without a time or a position, or at the time of an earlier fix of its track, is
    left out and counted in :attr:`TrackSet.skipped` (NaN padding, where time, lon and lat
    are all missing, is not a fix and is not counted); each track is sorted in time.

    Parameters
    ----------
    rows : iterable of (str, array_like, array_like, array_like)
        Per track: its id, the times (epoch seconds UTC), longitudes and latitudes (degrees).
    source : str or path-like, optional
        The file the rows come from, named in the error.

    Returns
    -------
    TrackSet

    Raises
    ------
    TrackError
        Where no fix has a position.
    """
    tracks, skipped = [], 0
    for ident, time, lon, lat in rows:
        track, dropped = _track(ident, time, lon, lat)
        skipped += dropped
        if track is not None:
            tracks.append(track)
    if not tracks:
        raise TrackError("holds no fix with a position", "check the file", source)
    return TrackSet(tuple(tracks), skipped)


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
        The track the simulated one is scored against.
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
