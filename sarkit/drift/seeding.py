"""Seeding: turn an uncertain last known position into an ensemble of particles.

Three shapes of uncertainty, each with a time of distress that may be a window:

* :func:`point` -- a last known position and a radius. **The radius is a
  containment radius**: it is what an RCC officer means by "the boat is within
  R NM of this position", so every particle starts inside the circle, spread
  uniformly over its area (it is not a 1-sigma or a 50 % probable error).
* :func:`track` -- a boat on its way between two positions and times: the time
  of distress is uniform between them and the boat is where its track puts it
  then (along the great circle), within the radius.
* :func:`area` -- a polygon (an area the boat is known to be in), uniform over it.

:func:`combine` joins several scenarios with weights into one ensemble. Random
numbers come from :mod:`sarkit.drift.random`, keyed by the seed and each
particle's id, so a particle's start does not depend on how many others there are.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from sarkit.drift.leeway import object_class
from sarkit.drift.random import STREAM_SEED_POSITION, STREAM_SEED_TIME, check_seed, uniforms
from sarkit.errors import BadValueError
from sarkit.forcing.grid import ForcingGrid
from sarkit.forcing.request import check_time
from sarkit.geodesy import METRES_PER_DEGREE, WGS84
from sarkit.times import format_time
from sarkit.units import NAUTICAL_MILE

__all__ = ["MAX_RADIUS_NM", "REACH_SIGMAS", "Particles", "area", "combine", "drift_reach",
           "point", "reach_box", "track"]

MAX_RADIUS_NM = 500.0
"""Largest uncertainty radius accepted: beyond it a drift model adds nothing."""

_MAX_AREA_ATTEMPTS = 2000
_MAX_SEA_ATTEMPTS = 200  # a disc 99 % land still places a particle with odds 1 - 0.99**200


@dataclass(frozen=True, eq=False)
class Particles:
    """An ensemble of particles at their start, before drifting.

    Attributes
    ----------
    lon, lat : numpy.ndarray
        Start positions, degrees (float64).
    release : numpy.ndarray
        Time of distress of each particle, epoch seconds UTC: it starts
        drifting then (waiting at its start position before).
    objects : tuple
        The search-object classes (:class:`~sarkit.drift.leeway.ObjectClass`) used.
    object_index : numpy.ndarray
        Each particle's class, an index into ``objects``.
    scenario : numpy.ndarray
        Each particle's scenario, an index into ``scenarios``.
    scenarios : tuple of str
        Scenario names.
    weight : numpy.ndarray
        Probability carried by each particle; sums to 1.
    redrawn : int
        Particles that first fell on land and were drawn again at sea (seeding with
        ``land``).
    global_ids : numpy.ndarray or None
        For a part of an ensemble (:meth:`take`): each particle's id in the whole ensemble,
        the key of its random numbers, so that it drifts as it would there. None: 0..n-1.
    """

    lon: np.ndarray
    lat: np.ndarray
    release: np.ndarray
    objects: tuple
    object_index: np.ndarray
    scenario: np.ndarray
    scenarios: tuple[str, ...]
    weight: np.ndarray
    redrawn: int = 0
    global_ids: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = np.asarray(self.lon).size
        for name, dtype in (("lon", np.float64), ("lat", np.float64), ("release", np.float64),
                            ("object_index", np.int32), ("scenario", np.int32),
                            ("weight", np.float64)):
            array = np.ascontiguousarray(getattr(self, name), dtype=dtype)
            if array.shape != (n,):
                raise ValueError(f"{name} has shape {array.shape}, expected ({n},)")
            array.setflags(write=False)
            object.__setattr__(self, name, array)
        if self.global_ids is not None:
            ids = np.ascontiguousarray(self.global_ids, dtype=np.int64)
            if ids.shape != (n,):
                raise ValueError(f"global_ids has shape {ids.shape}, expected ({n},)")
            ids.setflags(write=False)
            object.__setattr__(self, "global_ids", ids)

    @property
    def count(self) -> int:
        """Number of particles."""
        return int(self.lon.size)

    @property
    def ids(self) -> np.ndarray:
        """Global particle ids (the key of each particle's random numbers): 0..n-1, or for a
        part of an ensemble (:meth:`take`) the ids the particles have in it."""
        if self.global_ids is not None:
            return self.global_ids
        return np.arange(self.count, dtype=np.int64)

    def take(self, index: np.ndarray) -> Particles:
        """The particles at ``index`` (in that order), keeping their ids: each drifts as it
        would in the whole ensemble (the same random numbers). Their weights are kept."""
        index = np.asarray(index, dtype=np.int64)
        return Particles(self.lon[index], self.lat[index], self.release[index], self.objects,
                         self.object_index[index], self.scenario[index], self.scenarios,
                         self.weight[index], 0, self.ids[index])

    def __repr__(self) -> str:
        names = ", ".join(o.id for o in self.objects)
        return (
            f"<Particles: {self.count} of {names} in {len(self.scenarios)} scenario(s), "
            f"released {format_time(self.release.min())} .. {format_time(self.release.max())}>"
        )


BYTES_PER_PARTICLE = 256
"""Rough memory one particle needs through seeding and a run, besides its outputs."""


def _count(count) -> int:
    try:
        whole = float(count).is_integer()
    except (TypeError, ValueError):
        whole = False
    if isinstance(count, bool) or not whole or int(count) < 1:
        raise BadValueError(f"particle count {count!r} is not a positive whole number",
                            "give at least 1 particle (thousands for a search area)")
    count = int(count)
    available = available_memory()
    if available is not None and count * BYTES_PER_PARTICLE > 0.5 * available:
        raise BadValueError(
            f"{count} particles need about {count * BYTES_PER_PARTICLE / 2**30:.1f} GiB, more "
            f"than half the {available / 2**30:.1f} GiB of free memory",
            "use fewer particles (10^4 to 10^6 is usual)",
        )
    return count


def available_memory() -> int | None:
    """Free physical memory in bytes, or None where the system does not say."""
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def _position(lon, lat, what: str) -> tuple[float, float]:
    lon, lat = float(lon), float(lat)
    if not (np.isfinite(lon) and np.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise BadValueError(f"{what} ({lon}, {lat}) is not a position",
                            "give longitude and latitude in degrees, latitude within +-90")
    return lon, lat


def _radius_m(radius_nm) -> float:
    radius = float(radius_nm)
    if not np.isfinite(radius) or radius < 0 or radius > MAX_RADIUS_NM:
        raise BadValueError(
            f"radius {radius_nm!r} NM is negative or absurd",
            f"give the containment radius in nautical miles, 0 to {MAX_RADIUS_NM:g}",
        )
    return radius * NAUTICAL_MILE


def _window(time, end_time) -> tuple[float, float]:
    start = check_time(time, "distress")
    end = start if end_time is None else check_time(end_time, "end of the distress")
    if end < start:
        raise BadValueError("the end of the time window is before its start",
                            "give the earliest time first")
    return start, end


def _scatter(lon, lat, radius_m, ids, seed, attempt: int = 0):
    """Positions uniform over circles of ``radius_m`` around (lon, lat); ``attempt`` > 0 draws
    again (other random numbers of the same particles)."""
    u_radius = uniforms(seed, ids, 2 * attempt, STREAM_SEED_POSITION)
    u_angle = uniforms(seed, ids, 2 * attempt + 1, STREAM_SEED_POSITION)
    distance = radius_m * np.sqrt(u_radius)
    azimuth = 360.0 * u_angle
    lon_out, lat_out, _ = WGS84.fwd(np.broadcast_to(lon, ids.shape).astype(float),
                                    np.broadcast_to(lat, ids.shape).astype(float),
                                    azimuth, distance)
    return np.asarray(lon_out), np.asarray(lat_out)


def _to_sea(lons: np.ndarray, lats: np.ndarray, land, draw, what: str) -> int:
    """Redraw in place, from the same distribution, the particles that fell on ``land``
    (``draw(ids, attempt)`` gives new positions of ``ids``); the number redrawn."""
    if land is None:
        return 0
    todo = np.flatnonzero(land.contains(lons, lats))
    redrawn = int(todo.size)
    for attempt in range(1, _MAX_SEA_ATTEMPTS + 1):
        if todo.size == 0:
            return redrawn
        x, y = draw(todo, attempt)
        sea = ~np.asarray(land.contains(x, y), dtype=bool)
        lons[todo[sea]], lats[todo[sea]] = x[sea], y[sea]
        todo = todo[~sea]
    if todo.size:
        raise BadValueError(f"the {what} is on land with no sea within its radius: {todo.size} "
                            f"particles could not be placed at sea in {_MAX_SEA_ATTEMPTS} draws",
                            "move the position to sea, or give a radius that reaches the sea")
    return redrawn


def _single(lon, lat, release, obj, name, ids) -> Particles:
    n = ids.size
    return Particles(lon, lat, release, (obj,), np.zeros(n), np.zeros(n), (name,),
                     np.full(n, 1.0 / n))


def point(lon: float, lat: float, *, radius_nm: float, time, count: int, obj,
          end_time=None, seed: int = 1, name: str = "last known position",
          land=None) -> Particles:
    """Particles around a last known position.

    Parameters
    ----------
    lon, lat : float
        Last known position, degrees.
    radius_nm : float
        Containment radius in nautical miles: the boat is within it. Particles
        are uniform over the circle (0 puts them all on the point).
    time : str, datetime64 or datetime
        Time of distress (UTC), or the start of its window.
    count : int
        Number of particles.
    obj : ObjectClass, str or int
        The search object's leeway class, or its id, index or name.
    end_time : optional
        End of the time-of-distress window; times are uniform over it.
    seed : int
        Seed of the random numbers.
    name : str
        Scenario name.
    land : LandMask, optional
        Where given, particles that fall on land are drawn again within the circle until at
        sea (:attr:`Particles.redrawn` counts them: their share estimates the share of the
        circle that is land); an error where the circle holds no sea.
    """
    n = _count(count)
    obj = object_class(obj)
    lon, lat = _position(lon, lat, "last known position")
    start, end = _window(time, end_time)
    ids = np.arange(n, dtype=np.int64)
    seed = check_seed(seed)
    radius = _radius_m(radius_nm)
    lons, lats = _scatter(lon, lat, radius, ids, seed)
    redrawn = _to_sea(lons, lats, land, lambda todo, k: _scatter(lon, lat, radius, todo, seed, k),
                      "last known position")
    release = start + (end - start) * uniforms(seed, ids, 0, STREAM_SEED_TIME)
    return dataclasses.replace(_single(lons, lats, release, obj, name, ids), redrawn=redrawn)


def track(start: tuple[float, float], end: tuple[float, float], *, start_time, end_time,
          radius_nm: float, count: int, obj, seed: int = 1,
          name: str = "track line", land=None) -> Particles:
    """Particles along a track line: a boat on its way that went silent somewhere on it.

    The time of distress is uniform between ``start_time`` and ``end_time``;
    each particle starts where a boat at constant speed along the great circle
    from ``start`` to ``end`` would be at that time, scattered within
    ``radius_nm`` (a containment radius, as for :func:`point`; with ``land``, particles on
    land are drawn again around their point of the track, as there).
    """
    n = _count(count)
    obj = object_class(obj)
    lon0, lat0 = _position(*start, "track start")
    lon1, lat1 = _position(*end, "track end")
    t0, t1 = _window(start_time, end_time)
    ids = np.arange(n, dtype=np.int64)
    seed = check_seed(seed)
    fraction = uniforms(seed, ids, 0, STREAM_SEED_TIME)
    azimuth, _, length = WGS84.inv(lon0, lat0, lon1, lat1)
    on_lon, on_lat, _ = WGS84.fwd(np.full(n, lon0), np.full(n, lat0), np.full(n, azimuth),
                                  fraction * length)
    on_lon, on_lat, radius = np.asarray(on_lon), np.asarray(on_lat), _radius_m(radius_nm)
    lons, lats = _scatter(on_lon, on_lat, radius, ids, seed)
    redrawn = _to_sea(lons, lats, land, lambda todo, k: _scatter(on_lon[todo], on_lat[todo],
                                                                 radius, todo, seed, k),
                      "track line")
    return dataclasses.replace(_single(lons, lats, t0 + (t1 - t0) * fraction, obj, name, ids),
                               redrawn=redrawn)


def area(polygon, *, time, count: int, obj, end_time=None, seed: int = 1,
         name: str = "area") -> Particles:
    """Particles uniform over a polygon (lon/lat degrees; a shapely polygon or vertex list)."""
    n = _count(count)
    obj = object_class(obj)
    try:
        shape = polygon if isinstance(polygon, shapely.Geometry) else shapely.Polygon(polygon)
    except (TypeError, ValueError, shapely.errors.GEOSException):
        shape = None
    if shape is None or shape.geom_type not in ("Polygon", "MultiPolygon") or shape.is_empty or (
        not shape.is_valid or shape.area <= 0
    ):
        raise BadValueError("the search-object area is not a valid polygon with an area",
                            "give at least three distinct lon/lat vertices, not crossing")
    start, end = _window(time, end_time)
    west, south, east, north = shape.bounds
    ids = np.arange(n, dtype=np.int64)
    seed = check_seed(seed)
    lons, lats = np.full(n, np.nan), np.full(n, np.nan)
    todo = ids
    low, high = np.sin(np.radians(south)), np.sin(np.radians(north))
    for attempt in range(_MAX_AREA_ATTEMPTS):
        # uniform in lon and in sin(lat): uniform per unit area on the sphere
        x = west + (east - west) * uniforms(seed, todo, 2 * attempt, STREAM_SEED_POSITION)
        s = low + (high - low) * uniforms(seed, todo, 2 * attempt + 1, STREAM_SEED_POSITION)
        y = np.degrees(np.arcsin(s))
        hit = shapely.contains_xy(shape, x, y)
        lons[todo[hit]], lats[todo[hit]] = x[hit], y[hit]
        todo = todo[~hit]
        if todo.size == 0:
            break
    else:
        raise BadValueError("could not place particles inside the area (is it a sliver?)",
                            "give a polygon with a real area")
    release = start + (end - start) * uniforms(seed, ids, 0, STREAM_SEED_TIME)
    return _single(lons, lats, release, obj, name, ids)


def combine(scenarios: Sequence[Particles], weights: Sequence[float] | None = None) -> Particles:
    """Join scenarios into one ensemble; scenario ``i`` carries ``weights[i]`` of the probability.

    Each scenario's particles share its weight equally. Weights need not sum
    to 1 (they are normalised); default equal weights.
    """
    if not scenarios:
        raise BadValueError("no scenarios to combine", "give at least one scenario")
    weights = np.ones(len(scenarios)) if weights is None else np.asarray(weights, dtype=float)
    if weights.shape != (len(scenarios),) or not np.all(np.isfinite(weights)) or np.any(
        weights < 0
    ) or weights.sum() <= 0:
        raise BadValueError(f"scenario weights {list(weights)} are not usable",
                            "give one non-negative weight per scenario, not all zero")
    weights = weights / weights.sum()
    objects: list = []
    object_index, scenario, weight = [], [], []
    for i, part in enumerate(scenarios):
        mapping = []
        for obj in part.objects:
            if obj not in objects:
                objects.append(obj)
            mapping.append(objects.index(obj))
        object_index.append(np.asarray(mapping)[part.object_index])
        scenario.append(np.full(part.count, i))
        weight.append(part.weight / part.weight.sum() * weights[i])
    names = tuple(name for part in scenarios for name in part.scenarios)
    if len(names) != len(scenarios):
        names = tuple(f"scenario {i + 1}" for i in range(len(scenarios)))
    return Particles(
        np.concatenate([p.lon for p in scenarios]),
        np.concatenate([p.lat for p in scenarios]),
        np.concatenate([p.release for p in scenarios]),
        tuple(objects),
        np.concatenate(object_index),
        np.concatenate(scenario),
        names,
        np.concatenate(weight),
        sum(p.redrawn for p in scenarios),
    )


MAX_DRIFT_SPEED_M_S = 3.0
"""Bound on current + leeway, for sizing the box particles can reach in a run."""
MAX_MARGIN_DEG = 15.0
"""Cap on that margin, degrees."""


def reach_box(particles: Particles, seconds: float) -> tuple[float, float, float, float]:
    """The particles' extent plus the distance they can drift at 3 m/s (capped at 15 deg).

    Returns (west, south, east, north) in degrees: the box of forcing and coastline a run
    of ``seconds`` needs.
    """
    margin = min(MAX_DRIFT_SPEED_M_S * abs(seconds) / 111_195.0 + 0.2, MAX_MARGIN_DEG)
    south = max(float(particles.lat.min()) - margin, -89.9)
    north = min(float(particles.lat.max()) + margin, 89.9)
    coslat = max(float(np.cos(np.radians(max(abs(south), abs(north))))), 0.05)
    west = float(particles.lon.min()) - margin / coslat
    east = float(particles.lon.max()) + margin / coslat
    if east - west >= 360.0:
        west, east = -180.0, 180.0
    return west, south, east, north


REACH_SIGMAS = 4.0
"""Standard deviations of the leeway perturbation and of the random walk that
:func:`drift_reach` allows: a draw beyond is rarer than 1 in 15 000."""

_DIRECTIONS = ((-1.0, 0.0), (0.0, -1.0), (1.0, 0.0), (0.0, 1.0))
"""Unit vectors (east, north) of the box's sides, in its order: west, south, east, north."""


def _records(grid: ForcingGrid, start: float, stop: float) -> tuple[np.ndarray, np.ndarray]:
    """(east, north) of a loaded grid, float64, over the records a run from ``start`` to
    ``stop`` reads (those inside the window and the one either side)."""
    records = slice(None)
    if grid.time.size > 1:
        low, high = min(start, stop), max(start, stop)
        first = max(int(np.searchsorted(grid.time, low, side="right")) - 1, 0)
        last = min(int(np.searchsorted(grid.time, high, side="left")), grid.time.size - 1)
        records = slice(first, max(last, first) + 1)
    return (grid.east[records].astype(np.float64).ravel(),
            grid.north[records].astype(np.float64).ravel())


def _top(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else 0.0


def _leeway_towards(objects: Sequence, wind_east: np.ndarray, wind_north: np.ndarray,
                    sigmas: float) -> list[float]:
    """The largest leeway speed (m/s) towards the west, south, east and north that any of
    ``objects`` gets in any of the winds (the values of a grid: those between them, linear
    interpolations, get no more)."""
    calm = not np.any(np.hypot(wind_east, wind_north) > 0.0)
    if calm:  # the kernel gives no leeway in a calm, offsets included
        return [0.0] * 4
    tops = [0.0] * 4
    for obj in objects:
        down_low = max(obj.downwind_slope - sigmas * obj.downwind_std / 20.0, 0.0)  # redrawn
        down_high = obj.downwind_slope + sigmas * obj.downwind_std / 20.0  # when negative
        sides = ((obj.right_slope, obj.right_offset, obj.right_std),
                 (obj.left_slope, obj.left_offset, obj.left_std))
        cross_low = min(slope - sigmas * std / 20.0 for slope, _, std in sides)
        cross_high = max(slope + sigmas * std / 20.0 for slope, _, std in sides)
        down_offset = abs(obj.downwind_offset) + sigmas * obj.downwind_std / 2.0
        cross_offset = max(abs(offset) + sigmas * std / 2.0 for _, offset, std in sides)
        offsets = float(np.hypot(down_offset, cross_offset))  # in any direction
        for k, (x, y) in enumerate(_DIRECTIONS):
            # towards (x, y): the slope part, slope * (wind along) + cross * (wind across)
            along = wind_east * x + wind_north * y  # downwind leeway is along the wind
            across = wind_north * x - wind_east * y  # crosswind: the wind turned right
            slopes = (np.maximum(down_low * along, down_high * along)
                      + np.maximum(cross_low * across, cross_high * across))
            tops[k] = max(tops[k], _top(slopes) + offsets)
    return tops


def drift_reach(particles: Particles, currents: ForcingGrid, winds: ForcingGrid,
                start: float, stop: float, *, diffusivity_m2_s: float,
                sigmas: float = REACH_SIGMAS) -> tuple[float, float, float, float]:
    """The box the particles can drift to in a run through these loaded grids.

    Unlike :func:`reach_box` (3 m/s in every direction for every run, the conservative box a
    run loads its forcing and coastline over), this is the box a run through ``currents``
    and ``winds`` can reach: the one to check the forcing's coverage against. Each side is
    the particles' extent (their start positions) plus, towards that side,

    ``D = (C + L) T + sigmas sqrt(2 K T)`` metres, where

    * ``T = |stop - start|``: every particle drifts the whole run (none waits for a later
      release);
    * ``C``: the largest current component towards that side (east, north, west or south)
      anywhere in the loaded current grid over the run's records (those inside the window
      and the one either side); the kernel interpolates between grid values, so it gets no
      more;
    * ``L``: the largest leeway towards that side that any of the particles' object classes
      gets in any wind of the loaded wind grid over those records, with every leeway
      coefficient at ``sigmas`` standard deviations (the kernel's ``L_d = (a_d + e_d/20) U
      + b_d + e_d/2`` downwind, ``L_c = (a_c + e_c/20) U + b_c + e_c/2`` across, ``e = r
      sigma``, :mod:`sarkit.drift.kernels`): the slopes at the most favourable end of their
      ranges (downwind ``a_d +- sigmas sigma_d / 20``, not below 0 as the kernel redraws a
      negative one; across the widest of the right and left regressions, as a particle
      may jibe) times the wind's components, plus the offsets ``|b| + sigmas sigma / 2`` in
      whatever direction (their vector's length); no leeway in a calm, as in the kernel;
    * ``sigmas sqrt(2 K T)``: the random walk (``K`` the diffusivity; its standard deviation
      per axis after ``T`` is ``sqrt(2 K T)``);

    on the drift's sphere (:data:`~sarkit.geodesy.METRES_PER_DEGREE` per degree of
    latitude, that over ``cos(lat)`` of longitude at the box's most poleward latitude). It
    is an upper bound, not an estimate: the current and the leeway are taken at their
    largest towards each side all the time. A constant current of 1 m/s to the east for
    10 h, with no wind and no random walk, reaches 36 km east of the particles and nothing
    beyond them to the west, north or south.

    Parameters
    ----------
    particles : Particles
        The ensemble at its start.
    currents, winds : ForcingGrid
        The loaded grids of the run (a constant field is a steady grid).
    start, stop : float
        The run's start and end, epoch seconds (``stop < start`` for a backward run: the
        particles then move against the current and the leeway, and the bound is taken
        in reverse).
    diffusivity_m2_s : float
        The random walk's diffusivity ``K``, m^2/s.
    sigmas : float
        Standard deviations of the leeway coefficients and of the walk allowed.

    Returns
    -------
    tuple of float
        (west, south, east, north) in degrees; latitudes within +-90, longitudes
        -180..180 where the box goes round the Earth.
    """
    seconds = abs(float(stop) - float(start))
    backward = -1.0 if stop < start else 1.0
    current_east, current_north = _records(currents, start, stop)
    wind_east, wind_north = _records(winds, start, stop)
    leeway = _leeway_towards(particles.objects, backward * wind_east, backward * wind_north,
                             sigmas)
    walk = sigmas * float(np.sqrt(2.0 * max(float(diffusivity_m2_s), 0.0) * seconds))
    margins = []
    for (x, y), lee in zip(_DIRECTIONS, leeway, strict=True):
        current = _top(backward * (current_east * x + current_north * y))
        margins.append((max(current + lee, 0.0) * seconds + walk) / METRES_PER_DEGREE)
    west_m, south_m, east_m, north_m = margins
    south = max(float(particles.lat.min()) - south_m, -90.0)
    north = min(float(particles.lat.max()) + north_m, 90.0)
    coslat = float(np.cos(np.radians(max(abs(south), abs(north)))))
    west_lon, east_lon = float(particles.lon.min()), float(particles.lon.max())
    if coslat <= 1e-9 or east_lon - west_lon + (west_m + east_m) / coslat >= 360.0:
        return -180.0, south, 180.0, north
    return west_lon - west_m / coslat, south, east_lon + east_m / coslat, north
