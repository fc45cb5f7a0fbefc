"""Numba kernels of the drift model: plain functions over flat arrays, nothing else.

The velocity of a particle is the surface current plus its leeway plus a random
walk:

* current and 10 m wind: bilinear in space, linear in time, on the regular
  lon/lat grids of :class:`~sarkit.forcing.ForcingGrid`. Missing grid values
  (the ocean model's land) are skipped and the weights of the others
  renormalised, so a particle near the coast sees the nearby sea; where all
  corners are missing the current is zero. Where land is, is decided by the
  coastline mask, not by the forcing.
* leeway (Allen & Plourde 1999; as in SAROPS and OpenDrift): with U the wind
  speed, downwind ``L_d = (a_d + e_d/20) U + b_d + e_d/2`` and crosswind
  ``L_c = (a_c + e_c/20) U + b_c + e_c/2`` (SI units: slopes as fractions,
  offsets and perturbations in m/s); ``e = r * sigma`` with ``r`` a standard
  normal drawn once per particle. A positive crosswind leeway is to the right
  of downwind (the USCG convention). A jibe switches the particle to the other
  side's regression (slope, offset and standard error), keeping its ``r``.
* random walk: each step adds ``sqrt(2 K |dt|) N(0, 1)`` metres per axis.

The deterministic part is integrated with the explicit midpoint method (second
order); the random walk is added after it (Euler-Maruyama). Time steps may be
negative (backward runs). A particle that would step onto land is stranded
where it was; one that would leave the forcing's area or time stops with its
status set. Random numbers come from :mod:`sarkit.drift.random`, keyed by
(seed, particle id, step number, stream), so every particle's path is the same
on any number of threads and in any chunking of the ensemble.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from sarkit._numba import njit, njit_parallel
from sarkit.drift.coast import is_land
from sarkit.drift.random import STREAM_JIBE, STREAM_WALK, normal_pair, uniform
from sarkit.drift.status import Status

__all__ = [
    "M_PER_DEG",
    "drift",
    "leeway",
    "particle_leeway",
    "sample",
    "step_particle",
    "time_index",
    "time_tables",
]

M_PER_DEG = 6_371_000.0 * np.pi / 180.0
"""Metres per degree of latitude on the sphere used for moving particles."""

ACTIVE = int(Status.ACTIVE)
STRANDED = int(Status.STRANDED)
LEFT_DOMAIN = int(Status.LEFT_DOMAIN)
OUT_OF_TIME = int(Status.OUT_OF_TIME)
NOT_RELEASED = int(Status.NOT_RELEASED)

# columns of the per-class coefficient table (SI: slopes as fractions, m/s)
DW_SLOPE, DW_OFFSET, DW_STD = 0, 1, 2
CWR_SLOPE, CWR_OFFSET, CWR_STD = 3, 4, 5
CWL_SLOPE, CWL_OFFSET, CWL_STD = 6, 7, 8


@njit(inline="always")
def time_index(times, t):
    """(index, weight, code) of time ``t`` in ``times``: linear between ``index`` and the next.

    A single time is a steady field (index 0, weight 0). ``code`` is OUT_OF_TIME
    outside the times, else 0.
    """
    nt = times.size
    if nt == 1:
        return 0, 0.0, 0
    if not (t >= times[0] and t <= times[nt - 1]):
        return 0, 0.0, OUT_OF_TIME
    it = min(max(np.searchsorted(times, t, side="right") - 1, 0), nt - 2)
    return it, (t - times[it]) / (times[it + 1] - times[it]), 0


@njit(inline="always")
def sample(lon, lat, it, wt, lon0, lat0, dlon, dlat, east, north):
    """Field value at a point and a time index/weight: (east, north, code).

    ``code`` is 0, or LEFT_DOMAIN outside the grid. Grids have at least two
    points per axis (ForcingGrid guarantees it).
    """
    nt, ny, nx = east.shape
    x = lon - lon0
    if x < 0.0 or x >= 360.0:  # cheaper than a float modulo on every call
        x -= 360.0 * np.floor(x / 360.0)
    # reciprocals of loop invariants: the compiler hoists them, and a multiply is far
    # cheaper than a divide in the innermost loop
    fx = x * (1.0 / dlon)
    fy = (lat - lat0) * (1.0 / dlat)
    if not (fx >= 0.0 and fx <= nx - 1 and fy >= 0.0 and fy <= ny - 1):
        return 0.0, 0.0, LEFT_DOMAIN
    ix = min(int(fx), nx - 2)
    iy = min(int(fy), ny - 2)
    wx = fx - ix
    wy = fy - iy
    total_u = 0.0
    total_v = 0.0
    total_w = 0.0
    for dt_index in range(2 if nt > 1 else 1):
        w_t = wt if dt_index == 1 else 1.0 - wt
        for dy in range(2):
            w_y = wy if dy == 1 else 1.0 - wy
            for dx in range(2):
                w = w_t * w_y * (wx if dx == 1 else 1.0 - wx)
                if w == 0.0:
                    continue
                u = east[it + dt_index, iy + dy, ix + dx]
                v = north[it + dt_index, iy + dy, ix + dx]
                if np.isnan(u) or np.isnan(v):
                    continue
                total_u += w * u
                total_v += w * v
                total_w += w
    if total_w == 0.0:
        return 0.0, 0.0, 0
    scale = 1.0 / total_w
    return total_u * scale, total_v * scale, 0


@njit(inline="always")
def leeway(wind_east, wind_north, down_slope, down_offset, cross_slope, cross_offset):
    """Leeway velocity (east, north) in m/s from the 10 m wind.

    The slopes (fractions of the wind speed) and offsets (m/s) are a particle's
    own, perturbation included (:func:`particle_leeway`); a positive crosswind
    leeway is to the right of downwind.
    """
    speed = np.sqrt(wind_east * wind_east + wind_north * wind_north)
    if speed == 0.0:
        return 0.0, 0.0
    inverse = 1.0 / speed
    down_e = wind_east * inverse
    down_n = wind_north * inverse
    along = down_slope * speed + down_offset
    across = cross_slope * speed + cross_offset
    # right of downwind is the downwind vector turned 90 degrees clockwise: (down_n, -down_e)
    return along * down_e + across * down_n, along * down_n - across * down_e


@njit(inline="always")
def particle_leeway(coefficients, side, r_down, r_cross):
    """A particle's (down_slope, down_offset, cross_slope, cross_offset) on one side.

    ``coefficients`` is its class row (SI), ``side`` +1 right / -1 left, and
    ``r_down``, ``r_cross`` its standard normals: ``e = r * sigma``, slope
    ``a + e/20``, offset ``b + e/2`` (Allen & Plourde 1999, as SAROPS/OpenDrift).
    """
    e_down = r_down * coefficients[DW_STD]
    first = CWR_SLOPE if side > 0 else CWL_SLOPE  # slope, offset, std of this side
    e_cross = r_cross * coefficients[first + 2]
    return (coefficients[DW_SLOPE] + e_down / 20.0, coefficients[DW_OFFSET] + e_down / 2.0,
            coefficients[first] + e_cross / 20.0, coefficients[first + 1] + e_cross / 2.0)


@njit(inline="always")
def _velocity(lon, lat, c_it, c_wt, w_it, w_wt, lee, c_grid, c_east, c_north, w_grid,
              w_east, w_north):
    """Current + leeway at a point; ``*_it``/``*_wt`` time index and weight of each field,
    ``lee`` the particle's leeway tuple, ``*_grid`` = (lon0, lat0, dlon, dlat)."""
    cu, cv, code = sample(lon, lat, c_it, c_wt, c_grid[0], c_grid[1], c_grid[2], c_grid[3],
                          c_east, c_north)
    if code != 0:
        return 0.0, 0.0, code
    wu, wv, code = sample(lon, lat, w_it, w_wt, w_grid[0], w_grid[1], w_grid[2], w_grid[3],
                          w_east, w_north)
    if code != 0:
        return 0.0, 0.0, code
    lu, lv = leeway(wu, wv, lee[0], lee[1], lee[2], lee[3])
    return cu + lu, cv + lv, 0


@njit(inline="always")
def _inside(lon, lat, grid, field):
    """Whether a point lies within a field's grid (``grid`` = (lon0, lat0, dlon, dlat))."""
    _, ny, nx = field.shape
    x = lon - grid[0]
    if x < 0.0 or x >= 360.0:
        x -= 360.0 * np.floor(x / 360.0)
    y = lat - grid[1]
    return x <= (nx - 1) * grid[2] and 0.0 <= y <= (ny - 1) * grid[3]


@njit(inline="always")
def _moved(lon, lat, u, v, dt):
    step = dt * (1.0 / M_PER_DEG)
    return lon + u * step / np.cos(lat * (np.pi / 180.0)), lat + v * step


@njit(inline="always")
def step_particle(lon, lat, dt, n, c_it, c_wt, w_it, w_wt, lee, c_grid, c_east, c_north,
                  w_grid, w_east, w_north):
    """The deterministic part of step ``n`` (explicit midpoint): (lon, lat, code) after it.

    ``c_it``, ``c_wt``, ``w_it``, ``w_wt`` are the (steps, 2) time indices and
    weights of the current and wind at each step's start and middle (:func:`time_tables`).
    """
    u1, v1, code = _velocity(lon, lat, c_it[n, 0], c_wt[n, 0], w_it[n, 0], w_wt[n, 0], lee,
                             c_grid, c_east, c_north, w_grid, w_east, w_north)
    if code != 0:
        return lon, lat, code
    # both moves start from (lon, lat): one cosine serves them
    lon_per_m = 1.0 / (M_PER_DEG * np.cos(lat * (np.pi / 180.0)))
    mid_lon = lon + u1 * (0.5 * dt) * lon_per_m
    mid_lat = lat + v1 * (0.5 * dt) * (1.0 / M_PER_DEG)
    u2, v2, code = _velocity(mid_lon, mid_lat, c_it[n, 1], c_wt[n, 1], w_it[n, 1], w_wt[n, 1],
                             lee, c_grid, c_east, c_north, w_grid, w_east, w_north)
    if code != 0:
        return lon, lat, code
    return lon + u2 * dt * lon_per_m, lat + v2 * dt * (1.0 / M_PER_DEG), 0


@njit
def time_tables(start, dt, n_steps, current_times, wind_times):
    """For each step, the time index and weight of both fields at its start and middle.

    Returns ``(c_index, c_weight, w_index, w_weight, code)``, arrays (n_steps + 1, 2),
    ``code`` OUT_OF_TIME where either field does not cover the time.
    """
    c_index = np.zeros((n_steps + 1, 2), dtype=np.int64)
    w_index = np.zeros((n_steps + 1, 2), dtype=np.int64)
    c_weight = np.zeros((n_steps + 1, 2))
    w_weight = np.zeros((n_steps + 1, 2))
    code = np.zeros(n_steps + 1, dtype=np.int8)
    for n in range(n_steps + 1):
        for half in range(2):
            t = start + (n + 0.5 * half) * dt
            c_index[n, half], c_weight[n, half], c_code = time_index(current_times, t)
            w_index[n, half], w_weight[n, half], w_code = time_index(wind_times, t)
            if c_code != 0 or w_code != 0:
                code[n] = OUT_OF_TIME
    return c_index, c_weight, w_index, w_weight, code


@njit_parallel
def drift(lon, lat, status, release, side, class_index, r_down, r_cross, ids, classes,
          seed, start, dt, n_steps, output_every, jibe_step, walk_std,
          current, wind, land_params, land, out_lon, out_lat, out_status, out_side):
    """Move every particle ``n_steps`` steps of ``dt`` seconds from time ``start``.

    Parameters are flat arrays over particles (``lon``, ``lat``, ``status``,
    ``release`` time, ``side`` +1/-1, ``class_index``, ``r_down``, ``r_cross``,
    global ``ids``), the class table ``classes`` (n_classes, 9), scalars, the
    forcing tuples ``current`` and ``wind`` ``(lon0, lat0, dlon, dlat, times,
    east, north)``, the land mask (``land_params`` = (west, south, dlon, dlat)
    and ``land`` (ny, nx) uint8), and output arrays (n_particles, n_outputs)
    of position, status and crosswind side, filled at step 0, every
    ``output_every`` steps and at the last step. ``lon``, ``lat``,
    ``status`` and ``side`` are updated in place.
    """
    west, south, land_dlon, land_dlat = land_params
    forward = dt > 0
    # unpack the tuples once: unpacking arrays inside the loop costs reference counting
    c_lon0, c_lat0, c_dlon, c_dlat, c_times, c_east, c_north = current
    w_lon0, w_lat0, w_dlon, w_dlat, w_times, w_east, w_north = wind
    c_grid = (c_lon0, c_lat0, c_dlon, c_dlat)
    w_grid = (w_lon0, w_lat0, w_dlon, w_dlat)
    c_it, c_wt, w_it, w_wt, time_code = time_tables(start, dt, n_steps, c_times, w_times)
    for p in prange(lon.size):
        x = lon[p]
        y = lat[p]
        state = status[p]
        turn = side[p]
        k = class_index[p]
        lee = particle_leeway(classes[k], turn, r_down[p], r_cross[p])
        next_output = 0  # counters, not n % output_every: integer division is slow
        slot = 0
        for n in range(n_steps + 1):
            if state == NOT_RELEASED:
                t = start + n * dt
                if (forward and t >= release[p]) or (not forward and t <= release[p]):
                    state = ACTIVE
            if n == next_output or n == n_steps:  # every output_every steps, and the last
                out_lon[p, slot] = x
                out_lat[p, slot] = y
                out_status[p, slot] = state
                out_side[p, slot] = turn
                slot += 1
                next_output += output_every
            if n == n_steps or state != ACTIVE:
                continue
            if jibe_step > 0.0 and uniform(seed, ids[p], n, STREAM_JIBE) < jibe_step:
                turn = -turn
                lee = particle_leeway(classes[k], turn, r_down[p], r_cross[p])
            if time_code[n] != 0:
                state = OUT_OF_TIME
                continue
            new_x, new_y, code = step_particle(x, y, dt, n, c_it, c_wt, w_it, w_wt, lee, c_grid,
                                               c_east, c_north, w_grid, w_east, w_north)
            if code != 0:
                state = code
                continue
            if walk_std > 0.0:
                walk_e, walk_n = normal_pair(seed, ids[p], n, STREAM_WALK)
                new_x, new_y = _moved(new_x, new_y, walk_e * walk_std, walk_n * walk_std, 1.0)
                if not (_inside(new_x, new_y, c_grid, c_east) and _inside(new_x, new_y, w_grid,
                                                                          w_east)):
                    state = LEFT_DOMAIN
                    continue
            if is_land(new_x, new_y, west, south, land_dlon, land_dlat, land):
                state = STRANDED
                continue
            x = new_x
            y = new_y
        lon[p] = x
        lat[p] = y
        status[p] = state
        side[p] = turn
