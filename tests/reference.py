"""Slow, obviously correct reference versions of the drift kernels, in plain Python.

Written from the model as documented (``sarkit/drift/kernels.py`` module docstring and
``../shared/facts/LEEWAY.md`` §2), not from the numba code: one particle at a time, one
corner at a time, with Python floats. The tests compare the kernels against these.

* :func:`sample`: bilinear in space, linear in time; a missing (NaN) corner is skipped
  and the weights of the others renormalised; all corners missing gives zero.
* :func:`leeway`: ``L_d = (a_d + e_d/20) U + b_d + e_d/2`` downwind and
  ``L_c = (a_c + e_c/20) U + b_c + e_c/2`` crosswind, ``e = r sigma``; a positive
  crosswind leeway is to the right of downwind (the USCG convention).
* :func:`step`: the two-step Adams-Bashforth method on the sphere of radius 6371 km, in
  degrees per second, with an explicit midpoint step where there is no last velocity
  (a particle's first step, and the step of a jibe).
* :func:`drift_one`: a whole run of one particle, with jibes and random-walk displacements
  given from outside (the random numbers themselves are tested in ``test_random.py``).
"""

from __future__ import annotations

import bisect
import math

EARTH_RADIUS_M = 6_371_000.0
M_PER_DEG = EARTH_RADIUS_M * math.pi / 180.0

OK, LEFT_DOMAIN, OUT_OF_TIME = 0, 2, 3


def sample(grid, lon: float, lat: float, t: float) -> tuple[float, float, int]:
    """(east, north, code) of a :class:`~sarkit.forcing.ForcingGrid` at one point and time."""
    lon0, lat0 = float(grid.lon[0]), float(grid.lat[0])
    nx, ny, nt = grid.lon.size, grid.lat.size, grid.time.size
    fx = ((lon - lon0) % 360.0) / grid.dlon
    fy = (lat - lat0) / grid.dlat
    if not (0.0 <= fx <= nx - 1 and 0.0 <= fy <= ny - 1):
        return 0.0, 0.0, LEFT_DOMAIN
    times = [float(x) for x in grid.time]
    if nt == 1:  # steady: one record held constant
        records = [(0, 1.0)]
    else:
        if not (times[0] <= t <= times[-1]):
            return 0.0, 0.0, OUT_OF_TIME
        k = min(bisect.bisect_right(times, t) - 1, nt - 2)
        w = (t - times[k]) / (times[k + 1] - times[k])
        records = [(k, 1.0 - w), (k + 1, w)]
    ix, iy = min(int(fx), nx - 2), min(int(fy), ny - 2)
    wx, wy = fx - ix, fy - iy
    total_u = total_v = total_w = 0.0
    for k, w_t in records:
        for j, w_y in ((iy, 1.0 - wy), (iy + 1, wy)):
            for i, w_x in ((ix, 1.0 - wx), (ix + 1, wx)):
                weight = w_t * w_y * w_x
                u = float(grid.east[k, j, i])
                v = float(grid.north[k, j, i])
                if weight == 0.0 or math.isnan(u) or math.isnan(v):
                    continue
                total_u += weight * u
                total_v += weight * v
                total_w += weight
    if total_w == 0.0:
        return 0.0, 0.0, OK
    return total_u / total_w, total_v / total_w, OK


def leeway(wind_east: float, wind_north: float, side: int, obj, r_down: float,
           r_cross: float) -> tuple[float, float]:
    """Leeway (east, north) in m/s of an object of class ``obj`` (SI) on ``side`` (+1 right)."""
    speed = math.hypot(wind_east, wind_north)
    if speed == 0.0:
        return 0.0, 0.0
    if side > 0:
        slope, offset, sigma = obj.right_slope, obj.right_offset, obj.right_std
    else:
        slope, offset, sigma = obj.left_slope, obj.left_offset, obj.left_std
    e_down = r_down * obj.downwind_std
    e_cross = r_cross * sigma
    down = (obj.downwind_slope + e_down / 20.0) * speed + obj.downwind_offset + e_down / 2.0
    cross = (slope + e_cross / 20.0) * speed + offset + e_cross / 2.0
    # unit vectors: downwind d = wind / |wind|; right of it, d turned clockwise: (d_n, -d_e)
    d_east, d_north = wind_east / speed, wind_north / speed
    return down * d_east + cross * d_north, down * d_north - cross * d_east


def velocity(currents, winds, lon, lat, t, side, obj, r_down, r_cross):
    """Current + leeway at a point: (east, north, code)."""
    cu, cv, code = sample(currents, lon, lat, t)
    if code:
        return 0.0, 0.0, code
    wu, wv, code = sample(winds, lon, lat, t)
    if code:
        return 0.0, 0.0, code
    lu, lv = leeway(wu, wv, side, obj, r_down, r_cross)
    return cu + lu, cv + lv, OK


def move(lon: float, lat: float, east: float, north: float, dt: float) -> tuple[float, float]:
    """Position after moving at (east, north) m/s for ``dt`` s, on the kernels' sphere."""
    return (lon + east * dt / (M_PER_DEG * math.cos(math.radians(lat))),
            lat + north * dt / M_PER_DEG)


def rate(lon: float, lat: float, east: float, north: float) -> tuple[float, float]:
    """(dlon/dt, dlat/dt) in degrees per second of a velocity (east, north) m/s at a point."""
    return east / (M_PER_DEG * math.cos(math.radians(lat))), north / M_PER_DEG


def step(currents, winds, lon, lat, t, dt, side, obj, r_down, r_cross, last=None):
    """One step: (lon, lat, code, f); the position is kept when code != 0.

    ``f`` is the velocity (degrees/s) at the start, the next step's ``last``. With ``last``
    the step moves at 1.5 f - 0.5 last (Adams-Bashforth); without, at the velocity at the
    midpoint reached with f (explicit midpoint), taken at the start's latitude.
    """
    u1, v1, code = velocity(currents, winds, lon, lat, t, side, obj, r_down, r_cross)
    if code:
        return lon, lat, code, None
    f = rate(lon, lat, u1, v1)
    if last is not None:
        return (lon + (1.5 * f[0] - 0.5 * last[0]) * dt,
                lat + (1.5 * f[1] - 0.5 * last[1]) * dt, OK, f)
    mid_lon, mid_lat = lon + f[0] * dt / 2.0, lat + f[1] * dt / 2.0
    u2, v2, code = velocity(currents, winds, mid_lon, mid_lat, t + dt / 2.0, side, obj,
                            r_down, r_cross)
    if code:
        return lon, lat, code, None
    g = rate(lon, lat, u2, v2)
    return lon + g[0] * dt, lat + g[1] * dt, OK, f


def drift_one(currents, winds, lon, lat, start, dt, n_steps, side, obj, r_down, r_cross,
              *, jibes=None, walk=None):
    """Positions of one particle at every step (lists of ``n_steps + 1`` lon, lat and side).

    ``jibes(n)`` says whether the particle switches side at the start of step ``n`` (before
    moving); ``walk(n)`` gives the random-walk displacement (east, north) in metres of step
    ``n``, added after the deterministic move. Both default to none.
    """
    lons, lats, sides = [lon], [lat], [side]
    last = None
    for n in range(n_steps):
        if jibes is not None and jibes(n):
            side = -side
            last = None  # the leeway changed: the step starts the integration again
        lon, lat, code, last = step(currents, winds, lon, lat, start + n * dt, dt, side, obj,
                                    r_down, r_cross, last)
        if code:
            raise ValueError(f"reference particle stopped with code {code} at step {n}")
        if walk is not None:
            east_m, north_m = walk(n)
            lon, lat = move(lon, lat, east_m, north_m, 1.0)
        lons.append(lon)
        lats.append(lat)
        sides.append(side)
    return lons, lats, sides
