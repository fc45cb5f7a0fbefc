"""Forcing from a server, fetched once: the subset a run needs, cached as netCDF files.

:func:`cached_forcing` opens OPeNDAP addresses (:mod:`sarkit.forcing.address`), cuts them
to the box and time window the drift needs (:meth:`sarkit.forcing.NetcdfSource.subset`) and
writes each cut as a netCDF file in :func:`cache_folder`, atomically, with a manifest written
last. The run then reads those files with the same reader and checks as any file. A second run
over the same box and window within :data:`MAX_AGE_HOURS` reads the cache and does not contact
the server at all (a server down at 3 a.m. does not stop a rerun); an older subset is fetched
again, since a forecast served at one address changes with each model run. The number of
members of a server's ensemble forecast (:func:`cached_member_count`, for ``members = "all"``)
is kept the same way.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from collections.abc import Sequence
from pathlib import Path

from sarkit.errors import SarkitError
from sarkit.files.atomic import atomic_path
from sarkit.forcing import open_forcing
from sarkit.forcing.address import address_label
from sarkit.forcing.part import CACHED_FROM_ATTR, FETCHED_ATTR
from sarkit.times import format_time

__all__ = ["CACHE_ENV", "MAX_AGE_ENV", "MAX_AGE_HOURS", "cache_folder", "cached_forcing",
           "cached_member_count"]

CACHE_ENV = "SARKIT_CACHE_DIR"
"""Environment variable naming the cache folder (default: ``$XDG_CACHE_HOME/sarkit`` or
``~/.cache/sarkit``); the forcing subsets go into its ``forcing`` folder."""

MAX_AGE_ENV = "SARKIT_FORCING_MAX_AGE_HOURS"
"""Environment variable overriding :data:`MAX_AGE_HOURS` (0: always fetch)."""

MAX_AGE_HOURS = 6.0
"""How long a fetched subset is reused, hours: a model's forecast cycle (a newer run may then
serve other values at the same address)."""

_FORMAT = 1  # the cache's layout: a change fetches again


def cache_folder() -> Path:
    """The folder of cached forcing subsets (:data:`CACHE_ENV`)."""
    named = os.environ.get(CACHE_ENV, "").strip()
    if named:
        return Path(named).expanduser() / "forcing"
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or Path.home() / ".cache"
    return Path(base) / "sarkit" / "forcing"


def _max_age_seconds() -> float:
    text = os.environ.get(MAX_AGE_ENV, "").strip()
    if not text:
        return MAX_AGE_HOURS * 3600.0
    try:
        hours = float(text)
    except ValueError:
        hours = float("nan")
    if not hours >= 0.0 or hours == float("inf"):
        raise SarkitError(f"{MAX_AGE_ENV}={text!r} is not a number of hours",
                          f"set {MAX_AGE_ENV} to hours, e.g. 6 (0 fetches every time)")
    return hours * 3600.0


def cached_forcing(addresses: Sequence[str], quantity: str,
                   bbox: tuple[float, float, float, float], start: float, end: float, *,
                   units: str | None = None, time_origin: str | None = None,
                   member: int | None = None,
                   folder: str | os.PathLike | None = None) -> list[Path]:
    """Local netCDF files holding what a run over ``bbox`` and ``start``..``end`` needs of the
    forcing at ``addresses``: fetched now, or from the cache.

    Parameters
    ----------
    addresses : sequence of str
        OPeNDAP addresses (one dataset, several along time, or u and v apart), as for
        :func:`~sarkit.forcing.open_forcing`.
    quantity : {"current", "wind"}
        Which field to fetch.
    bbox : tuple of float
        (west, south, east, north), degrees.
    start, end : float
        Epoch seconds, UTC.
    units, time_origin : str, optional
        As for :func:`~sarkit.forcing.open_forcing`.
    member : int, optional
        The ensemble member to fetch, of a server's ensemble forecast: the cached files hold
        that member alone (no member dimension).
    folder : path, optional
        The cache folder (default :func:`cache_folder`).

    Returns
    -------
    list of Path
        The cached files, to be opened with :func:`~sarkit.forcing.open_forcing`; each names
        the address it came from (its label in messages and products).

    Raises
    ------
    ForcingError
        From the server's dataset: it cannot be reached, holds no such velocity, or does not
        cover the box or window.
    SarkitError
        Where the cache folder cannot be written.
    """
    root = Path(folder) if folder is not None else cache_folder()
    request = [_FORMAT, [address.strip() for address in addresses], str(quantity),
               [round(float(v), 6) for v in bbox], float(start), float(end), units, time_origin,
               member]
    key = _key(request)
    manifest = root / f"{key}.json"
    cached = _read_manifest(manifest, root)
    if cached is not None:
        return cached
    fetched_at = time.time()
    with open_forcing(list(addresses), quantity, units=units, time_origin=time_origin,
                      member=member) as source:
        cuts = source.subset(bbox, start, end)
    paths = []
    try:
        for number, (label, dataset) in enumerate(cuts):
            dataset.attrs[CACHED_FROM_ATTR] = address_label(label)
            dataset.attrs[FETCHED_ATTR] = format_time(fetched_at)
            path = root / f"{key}-{number}.nc"
            with atomic_path(path) as temporary:
                dataset.to_netcdf(temporary)
            paths.append(path)
    except OSError as exc:
        raise _unwritable(root, exc) from exc
    _write_manifest(manifest, root, {"request": request, "fetched": fetched_at,
                                     "files": [p.name for p in paths]})
    return paths


def cached_member_count(addresses: Sequence[str], quantity: str, *, units: str | None = None,
                        time_origin: str | None = None,
                        folder: str | os.PathLike | None = None) -> int:
    """How many members the ensemble forecast at ``addresses`` holds: asked of the server once,
    then read from the cache for :data:`MAX_AGE_HOURS`, as its subsets are
    (:func:`cached_forcing`), so that a rerun of a case that drifts on every member does not
    contact the server.

    Parameters
    ----------
    addresses : sequence of str
        OPeNDAP addresses of the forecast, as for :func:`cached_forcing`.
    quantity : {"current", "wind"}
        Which field.
    units, time_origin : str, optional
        As for :func:`~sarkit.forcing.open_forcing`.
    folder : path, optional
        The cache folder (default :func:`cache_folder`).

    Returns
    -------
    int
        The number of members (at least 1).

    Raises
    ------
    ForcingError
        From the server's dataset: it cannot be reached, or holds no ensemble member
        dimension (:class:`~sarkit.errors.ForcingGridError`).
    SarkitError
        Where the cache folder cannot be written.
    """
    root = Path(folder) if folder is not None else cache_folder()
    request = [_FORMAT, "members", [address.strip() for address in addresses], str(quantity),
               units, time_origin]
    manifest = root / f"{_key(request)}.json"
    entry = _young_entry(manifest)
    count = None if entry is None else entry.get("members")
    if type(count) is int and count > 0:
        return count
    fetched_at = time.time()
    with open_forcing(list(addresses), quantity, units=units, time_origin=time_origin,
                      member=0) as first:
        count = first.members
    _write_manifest(manifest, root, {"request": request, "fetched": fetched_at,
                                     "members": count})
    return count


def _key(request: list) -> str:
    return hashlib.sha256(json.dumps(request).encode()).hexdigest()[:24]


def _write_manifest(manifest: Path, root: Path, entry: dict) -> None:
    """Write a request's manifest, last of its files: a cache entry exists once this is."""
    try:
        with atomic_path(manifest) as temporary:
            temporary.write_text(json.dumps(entry))
    except OSError as exc:
        raise _unwritable(root, exc) from exc


def _unwritable(root: Path, exc: OSError) -> SarkitError:
    return SarkitError(f"cannot write the forcing cache in {root} ({exc.strerror or exc})",
                       f"set {CACHE_ENV} to a folder this user can write")


def _young_entry(manifest: Path) -> dict | None:
    """A manifest's entry where it can be read and is younger than the maximum age; else None."""
    try:
        entry = json.loads(manifest.read_text())
        fetched = float(entry["fetched"]) if isinstance(entry, dict) else math.nan
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not time.time() - fetched <= _max_age_seconds():  # too old, or no time (NaN)
        return None
    return entry


def _read_manifest(manifest: Path, root: Path) -> list[Path] | None:
    """The cached files of a request, where all are there and young enough; else None."""
    entry = _young_entry(manifest)
    if entry is None:
        return None
    try:
        paths = [root / str(name) for name in entry["files"]]
    except (KeyError, TypeError):  # an entry without its list of files
        return None
    if not all(p.is_file() for p in paths):
        return None
    return paths
