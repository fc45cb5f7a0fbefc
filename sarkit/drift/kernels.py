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

__all__ = ["M_PER_DEG", "drift", "leeway", "sample", "step_particle"]

M_PER_DEG = 6_371_000.0 * np.pi / 180.0
"""Metres per degree of latitude on the sphere used for moving particles."""

ACTIVE, STRANDED, LEFT_DOMAIN, OUT_OF_TIME, NOT_RELEASED = 0, 1, 2, 3, 4

# columns of the per-class coefficient table (SI: slopes as fractions, m/s)
DW_SLOPE, DW_OFFSET, DW_STD = 0, 1, 2
CWR_SLOPE, CWR_OFFSET, CWR_STD = 3, 4, 5
CWL_SLOPE, CWL_OFFSET, CWL_STD = 6, 7, 8


@njit
def sample(lon, lat, t, lon0, lat0, dlon, dlat, times, east, north):
    """Field value at a point: (east, north, code); code 0 ok, else LEFT_DOMAIN/OUT_OF_TIME."""
    nt, ny, nx = east.shape
    fx = ((lon - lon0) % 360.0) / dlon
    fy = (lat - lat0) / dlat
    if not (fx >= 0.0 and fx <= nx - 1 and fy >= 0.0 and fy <= ny - 1):
        return 0.0, 0.0, LEFT_DOMAIN
    it = 0
    wt = 0.0
    if nt > 1:
        if not (t >= times[0] and t <= times[nt - 1]):
            return 0.0, 0.0, OUT_OF_TIME
        it = min(max(np.searchsorted(times, t, side="right") - 1, 0), nt - 2)
        wt = (t - times[it]) / (times[it + 1] - times[it])
    ix = min(int(fx), nx - 2) if nx > 1 else 0
    iy = min(int(fy), ny - 2) if ny > 1 else 0
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
                u = east[it + dt_index, min(iy + dy, ny - 1), min(ix + dx, nx - 1)]
                v = north[it + dt_index, min(iy + dy, ny - 1), min(ix + dx, nx - 1)]
                if np.isnan(u) or np.isnan(v):
                    continue
                total_u += w * u
                total_v += w * v
                total_w += w
    if total_w == 0.0:
        return 0.0, 0.0, 0
    return total_u / total_w, total_v / total_w, 0


@njit
def leeway(wind_east, wind_north, side, coefficients, r_down, r_cross):
    """Leeway velocity (east, north) in m/s of one particle.

    ``side`` is +1 (right of downwind) or -1 (left); ``coefficients`` is the
    particle's row of the class table (SI).
    """
    speed = np.hypot(wind_east, wind_north)
    if speed == 0.0:
        return 0.0, 0.0
    down_e = wind_east / speed
    down_n = wind_north / speed
    e_down = r_down * coefficients[DW_STD]
    along = (coefficients[DW_SLOPE] + e_down / 20.0) * speed + coefficients[DW_OFFSET]
    along += e_down / 2.0
    first = CWR_SLOPE if side > 0 else CWL_SLOPE  # slope, offset, std of this side
    slope, offset, sigma = coefficients[first], coefficients[first + 1], coefficients[first + 2]
    e_cross = r_cross * sigma
    across = (slope + e_cross / 20.0) * speed + offset + e_cross / 2.0
    # right of downwind is the downwind vector turned 90 degrees clockwise: (down_n, -down_e)
    return along * down_e + across * down_n, along * down_n - across * down_e


@njit
def _velocity(lon, lat, t, side, coefficients, r_down, r_cross, current, wind):
    cu, cv, code = sample(lon, lat, t, *current)
    if code != 0:
        return 0.0, 0.0, code
    wu, wv, code = sample(lon, lat, t, *wind)
    if code != 0:
        return 0.0, 0.0, code
    lu, lv = leeway(wu, wv, side, coefficients, r_down, r_cross)
    return cu + lu, cv + lv, 0


@njit
def _moved(lon, lat, u, v, dt):
    return lon + u * dt / (M_PER_DEG * np.cos(np.radians(lat))), lat + v * dt / M_PER_DEG


@njit
def step_particle(lon, lat, t, dt, side, coefficients, r_down, r_cross, current, wind):
    """The deterministic part of one step (explicit midpoint): (lon, lat, code) after it."""
    u1, v1, code = _velocity(lon, lat, t, side, coefficients, r_down, r_cross, current, wind)
    if code != 0:
        return lon, lat, code
    mid_lon, mid_lat = _moved(lon, lat, u1, v1, 0.5 * dt)
    u2, v2, code = _velocity(mid_lon, mid_lat, t + 0.5 * dt, side, coefficients, r_down, r_cross,
                             current, wind)
    if code != 0:
        return lon, lat, code
    new_lon, new_lat = _moved(lon, lat, u2, v2, dt)
    return new_lon, new_lat, 0


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
    of position, status and crosswind side, filled at step 0 and every
    ``output_every`` steps. ``lon``, ``lat``,
    ``status`` and ``side`` are updated in place.
    """
    west, south, land_dlon, land_dlat = land_params
    forward = dt > 0
    for p in prange(lon.size):
        x = lon[p]
        y = lat[p]
        state = status[p]
        turn = side[p]
        coefficients = classes[class_index[p]]
        for n in range(n_steps + 1):
            t = start + n * dt
            if state == NOT_RELEASED and ((forward and t >= release[p])
                                          or (not forward and t <= release[p])):
                state = ACTIVE
            if n % output_every == 0:
                out_lon[p, n // output_every] = x
                out_lat[p, n // output_every] = y
                out_status[p, n // output_every] = state
                out_side[p, n // output_every] = turn
            if n == n_steps or state != ACTIVE:
                continue
            if jibe_step > 0.0 and uniform(seed, ids[p], n, STREAM_JIBE) < jibe_step:
                turn = -turn
            new_x, new_y, code = step_particle(x, y, t, dt, turn, coefficients, r_down[p],
                                               r_cross[p], current, wind)
            if code != 0:
                state = code
                continue
            if walk_std > 0.0:
                walk_e, walk_n = normal_pair(seed, ids[p], n, STREAM_WALK)
                new_x, new_y = _moved(new_x, new_y, walk_e * walk_std, walk_n * walk_std, 1.0)
            if is_land(new_x, new_y, west, south, land_dlon, land_dlat, land):
                state = STRANDED
                continue
            x = new_x
            y = new_y
        lon[p] = x
        lat[p] = y
        status[p] = state
        side[p] = turn
