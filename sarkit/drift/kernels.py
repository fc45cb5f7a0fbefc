"""Numba kernels of the drift model: plain functions over flat arrays, nothing else.

The driver :func:`drift` takes four records (named tuples of arrays and numbers,
:mod:`sarkit.drift.kernel_args`): the particles' state, the fields (current, wind,
land), the settings of the call and the output arrays. Its phases take the same
records and the block's scratch (:class:`_Scratch`).

The velocity of a particle is the surface current plus its leeway plus a random
walk:

* current and 10 m wind: linear in time, then bilinear in space, on the regular
  lon/lat grids of :class:`~sarkit.forcing.ForcingGrid`, or on an ocean model's own
  curvilinear or projected grid (a field with ``xyz`` and ``cells``: the point is found
  in the model's cells by :func:`sarkit.forcing.meshsearch.mesh_position`, the rest is the
  same in the grid's index space; outside the model's grid is LEFT_DOMAIN, tested after
  every move). Each grid corner is
  first interpolated to the time (``u0 + w (u1 - u0)``), then the four corners
  are weighted bilinearly. Missing grid values (the ocean model's land) are
  skipped and the weights of the other corners renormalised, so a particle near
  the coast sees the nearby sea (a corner missing at either of the two records
  counts as missing); where all four corners are missing the current is zero.
  Where land is, is decided by the coastline mask, not by the forcing.
* leeway (Allen & Plourde 1999; as in SAROPS and OpenDrift): with U the wind
  speed, downwind ``L_d = (a_d + e_d/20) U + b_d + e_d/2`` and crosswind
  ``L_c = (a_c + e_c/20) U + b_c + e_c/2`` (SI units: slopes as fractions,
  offsets and perturbations in m/s); ``e = r * sigma`` with ``r`` a standard
  normal drawn once per particle. A positive crosswind leeway is to the right
  of downwind (the USCG convention). A jibe switches the particle to the other
  side's regression (slope, offset and standard error), keeping its ``r``.
* leeway perturbations that vary in time (``settings.leeway_memory``, a correlation time
  ``T``): after each step a particle moved, its ``r_down`` and ``r_cross`` advance as an
  Ornstein-Uhlenbeck process of unit variance, ``r <- r exp(-|dt|/T) + sqrt(1 -
  exp(-2|dt|/T)) N(0, 1)`` (:func:`_advance_leeway`; the normals keyed by the particle and
  the step), ``r_down`` reflected where the perturbed downwind slope would be negative (the
  start's draw is redrawn there; a process reflected there keeps the normal cut there as its
  distribution). The velocity of the last step (Adams-Bashforth) is kept: the perturbation
  moves little in a step. Without it nothing of this is compiled.
* jibes: with probability ``p`` per step, independently in every step. A
  particle's steps until its next jibe are drawn at once, as the geometric
  waiting time ``floor(log(U) / log(1 - p))`` (the same distribution as a coin
  flipped every step, one random number per jibe instead of one per step); ``U``
  is keyed by the step at which the wait starts (the release, or the step after
  the last jibe).
* random walk: each step adds ``sqrt(2 K |dt|) N(0, 1)`` metres per axis.
* object transitions (:mod:`sarkit.drift.transitions`, a boat that capsizes): in each step
  a moving particle of a class with transitions accumulates their hazard at the wind of the
  step's start times ``|dt|`` (:func:`_hazard_block`); when the hazard it still has to
  accumulate (an exponential number at its start, ``hazard_left``) is used up, it takes
  the new class from the next step on (drawn among competing transitions in proportion to
  their hazards then), with new leeway perturbations of its own (:func:`_switch_class`),
  keeping its position and side. Without transitions nothing of this runs or draws.

The deterministic part is integrated to second order with one reading of the
fields per step: the two-step Adams-Bashforth method, ``x[n+1] = x[n] + dt (3/2
f[n] - 1/2 f[n-1])``, where ``f`` is the velocity (current plus leeway, in degrees
of longitude and latitude per second) at the particle's position at the start of a
step. A particle has no ``f[n-1]`` at its first step and after a jibe (its leeway
changed): that step is an explicit midpoint step (second order too, two readings).
Against the midpoint method at every step this halves the readings of the fields,
the main cost of a step; its error per step is larger (in a solid-body rotation
the phase leads by 5/12 (w dt)^3 per step instead of 1/6 (w dt)^3), so that at
equal cost (half the step) it is the more accurate. The random walk is added after
it (Euler-Maruyama). Time steps may be
negative (backward runs). A particle that would step onto land is stranded
where it was; one that would leave the forcing's area or time stops with its
status set. Random numbers come from :mod:`sarkit.drift.random`, keyed by
(seed, particle id, step number, stream), so every particle's path is the same
on any number of threads and in any chunking of the ensemble.

Compile time (the first run, before numba's cache holds the kernel): the samplers are
inlined into the kernel at numba's IR level, each once (as calls they cost a third of the
throughput: numba compiles the body of a parallel loop with its arrays marked as not
aliased, and that reaches code inlined there, not a call); the phases of a step and the
rare paths (a missing corner, a point outside the prepared window, a jibe, a particle's
first step) are ordinary calls, each compiled once. Numba types the body of a parallel
loop twice (in the driver, then as the loop's own function) and its machine code goes
through LLVM four times (that function, its two wrappers, the driver), and every parallel
loop is such a function: so the driver has one, the particles' set-up before the steps and
the interpolation of the window in time (:func:`field_at`) are serial loops (well under a
millisecond a step). The object transitions, the varying leeway perturbations and the
search on a model's own grid are chosen by types (overloads: ``settings.transitions`` and
``settings.leeway_memory`` None without them, ``xyz`` and ``cells`` None on a regular grid),
so a run without them compiles none of it, and the first run with them compiles a kernel
of its own. Likewise the sampler of the fields on regular grids: one grid for both fields
or one each, decided in Python (:func:`~sarkit.drift.kernel_args.same_grid`) and passed as
:func:`drift`'s ``shared`` or ``apart`` (the other None, which numba prunes before typing).
The first compilation (regular grids, no transitions) took 17-20 s of numba's
compile events in a cold ``sarkit demo`` on a busy 2-core machine, against 22-28 s before
these choices (alternated, 2026-12-07).

How it is fast:

* one reading of the fields per step (above).
* step by step over the whole ensemble. Before each step the two fields a step
  reads (current and wind at its start) are interpolated in time once,
  onto the window of grid cells around the particles (:func:`field_at`); each
  particle then reads four corners instead of eight per sample. A particle
  outside the window (it moved far) reads the records themselves with the same
  arithmetic, so its result is the same to the bit and does not depend on the
  other particles. Where the particles are is measured every
  :data:`BOUNDS_EVERY` steps; the window grows in between.
* current and wind on one grid (a common case) are packed together and read
  with one index and one set of weights (:func:`sample_pair`).
* each step runs over blocks of :data:`BLOCK` particles in parallel, and over a
  block in phases (:func:`_start_block`, the fields, :func:`_velocity_block`,
  :func:`_end_block`): short loops whose values stay in registers, with the
  block's scratch in the cache. The leeway and the moves are loops over every
  particle of the block in plain arithmetic (:func:`cos_degrees` instead of a
  call to the C library), which the compiler turns into vector instructions.
  The phases read the block's particles through views indexed from 0: an index
  the compiler knows is not negative needs no wrap-around test, and only then
  does it vectorise such a loop (a third faster in all).
* outputs are stored time-major, so that writing an output time is one run of
  memory.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import prange, types

from sarkit._numba import njit, njit_helper, njit_parallel, overload
from sarkit.drift.coast import is_land
from sarkit.drift.kernel_args import Land
from sarkit.drift.random import (
    STREAM_JIBE,
    STREAM_LEEWAY_PROCESS,
    STREAM_SWITCH,
    STREAM_SWITCH_LEEWAY,
    STREAM_WALK,
    normal_pair,
    uniform,
)
from sarkit.drift.status import Status
from sarkit.forcing.meshsearch import mesh_inside, mesh_position
from sarkit.geodesy import METRES_PER_DEGREE

__all__ = [
    "cos_degrees",
    "drift",
    "field_at",
    "jibe_wait",
    "leeway",
    "particle_leeway",
    "sample",
    "sample_pair",
    "time_index",
    "time_tables",
]

"""Metres per degree of latitude on the sphere used for moving particles."""

ACTIVE = int(Status.ACTIVE)
STRANDED = int(Status.STRANDED)
LEFT_DOMAIN = int(Status.LEFT_DOMAIN)
OUT_OF_TIME = int(Status.OUT_OF_TIME)
NOT_RELEASED = int(Status.NOT_RELEASED)

NEVER = 2**62
"""Step number of a jibe that never comes."""

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
    # the last time at or before t (np.searchsorted(times, t, "right") - 1 on these sorted,
    # finite times: numba's general searchsorted took a second of the first compilation)
    lo = 0
    hi = nt
    while lo < hi:
        middle = (lo + hi) >> 1
        if times[middle] <= t:
            lo = middle + 1
        else:
            hi = middle
    it = min(max(lo - 1, 0), nt - 2)
    return it, (t - times[it]) / (times[it + 1] - times[it]), 0


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


BOUNDS_EVERY = 8
"""Steps between two measurements of where the particles are; in between, the prepared
window grows by what WINDOW_MARGIN_SPEED crosses in the steps since."""

WINDOW_MARGIN_SPEED = 5.0
"""Speed (m/s) from which the margin of the prepared window around the particles is sized.

Only a matter of speed: a particle that moves beyond the window reads the records
directly, with the same result.
"""


@njit(inline="always")
def _corner(east, north, it, t1, wt, iy, ix):
    """(east, north) of grid corner (iy, ix) at time weight ``wt`` between records it, t1."""
    u0 = np.float64(east[it, iy, ix])  # float64 before any arithmetic on float32 records
    v0 = np.float64(north[it, iy, ix])
    if wt == 0.0:
        return u0, v0
    u1 = np.float64(east[t1, iy, ix])
    v1 = np.float64(north[t1, iy, ix])
    if wt == 1.0:
        return u1, v1
    return u0 + wt * (u1 - u0), v0 + wt * (v1 - v0)


@njit
def field_at(it, wt, east, north, window, packed, channel=0):
    """Interpolate a field in time into ``packed`` (ny, nx, channels), over a window of cells.

    ``it``, ``wt``: the record and the weight of the next one (:func:`time_index`);
    ``east``, ``north`` (nt, ny, nx) the records; ``window`` = (row0, row1, col0,
    col1), the half-open block of grid points filled; east goes to ``channel`` and
    north to the one after it (a current and a wind on the same grid share one
    (ny, nx, 4) array: current in channels 0-1, wind in 2-3).
    """
    nt = east.shape[0]
    t1 = it + 1 if nt > 1 else it
    row0, row1, col0, col1 = window[0], window[1], window[2], window[3]
    for iy in range(row0, row1):
        for ix in range(col0, col1):
            u, v = _corner(east, north, it, t1, wt, iy, ix)
            packed[iy, ix, channel] = u
            packed[iy, ix, channel + 1] = v


@njit_helper
def _bilinear_careful(east, north, it, t1, wt, fx, fy, ix, iy):
    """Bilinear over the corners that are not missing, their weights renormalised."""
    wx = fx - ix
    wy = fy - iy
    total_u = 0.0
    total_v = 0.0
    total_w = 0.0
    for dy in range(2):
        w_y = wy if dy == 1 else 1.0 - wy
        for dx in range(2):
            w = w_y * (wx if dx == 1 else 1.0 - wx)
            if w == 0.0:
                continue
            u, v = _corner(east, north, it, t1, wt, iy + dy, ix + dx)
            if np.isnan(u) or np.isnan(v):
                continue
            total_u += w * u
            total_v += w * v
            total_w += w
    if total_w == 0.0:
        return 0.0, 0.0
    scale = 1.0 / total_w
    return total_u * scale, total_v * scale


@njit_helper
def _bilinear_records(east, north, it, t1, wt, ix, iy, a00, a01, a10, a11):
    """Bilinear of the four corners read from the records (outside the prepared window)."""
    u00, v00 = _corner(east, north, it, t1, wt, iy, ix)
    u01, v01 = _corner(east, north, it, t1, wt, iy, ix + 1)
    u10, v10 = _corner(east, north, it, t1, wt, iy + 1, ix)
    u11, v11 = _corner(east, north, it, t1, wt, iy + 1, ix + 1)
    return (a00 * u00 + a01 * u01 + a10 * u10 + a11 * u11,
            a00 * v00 + a01 * v01 + a10 * v10 + a11 * v11)


@njit_helper
def _sample_records(fx, fy, it, wt, east, north):
    """:func:`sample` at grid position (``fx``, ``fy``) from the records themselves."""
    nt, ny, nx = east.shape
    if not (fx >= 0.0 and fx <= nx - 1 and fy >= 0.0 and fy <= ny - 1):
        return 0.0, 0.0, LEFT_DOMAIN
    ix = min(int(fx), nx - 2)
    iy = min(int(fy), ny - 2)
    wx = fx - ix
    wy = fy - iy
    t1 = it + 1 if nt > 1 else it
    u, v = _bilinear_records(east, north, it, t1, wt, ix, iy, (1.0 - wy) * (1.0 - wx),
                             (1.0 - wy) * wx, wy * (1.0 - wx), wy * wx)
    if np.isnan(u) or np.isnan(v):  # a missing corner: the coast of the ocean model
        u, v = _bilinear_careful(east, north, it, t1, wt, fx, fy, ix, iy)
    return u, v, 0


@njit(inline="always")
def _east_of(lon, lon0):
    """Degrees east of ``lon0``, in [0, 360)."""
    x = lon - lon0
    if x < 0.0 or x >= 360.0:  # a float modulo only where needed
        x -= 360.0 * np.floor(x * (1.0 / 360.0))
    return x


@njit(inline="always")
def _grid_position(lon, lat, grid):
    """(fx, fy): a point's position in grid cells from the grid's first point."""
    x = _east_of(lon, grid[0])
    # reciprocals of loop invariants: the compiler hoists them, and a multiply is far
    # cheaper than a divide in the innermost loop
    return x * (1.0 / grid[2]), (lat - grid[1]) * (1.0 / grid[3])


@njit(inline="always")
def _in_window(fx, fy, window):
    """Whether the cell of grid position (``fx``, ``fy``) lies in ``window``, all four corners.

    The window lies inside the grid, so a point in it is inside the grid, and its cell is
    (int(fy), int(fx)); a NaN position is not in it.
    """
    return (fx >= window[2] and fx < window[3] - 1 and fy >= window[0]
            and fy < window[1] - 1)


@njit(inline="always")
def _corner_weights(fx, fy):
    """(row, column, a00, a01, a10, a11): the cell of grid position (``fx``, ``fy``), both
    non-negative, and the bilinear weights of its corners (row, column), (row, column + 1),
    (row + 1, column), (row + 1, column + 1)."""
    ix = int(fx)
    iy = int(fy)
    wx = fx - ix
    wy = fy - iy
    return iy, ix, (1.0 - wy) * (1.0 - wx), (1.0 - wy) * wx, wy * (1.0 - wx), wy * wx


@njit(inline="always")
def _bilinear(packed, channel, corner):
    """Bilinear value of ``packed[:, :, channel]`` at ``corner`` (:func:`_corner_weights`)."""
    iy, ix, a00, a01, a10, a11 = corner
    return (a00 * packed[iy, ix, channel] + a01 * packed[iy, ix + 1, channel]
            + a10 * packed[iy + 1, ix, channel] + a11 * packed[iy + 1, ix + 1, channel])


@njit(inline="always")
def sample(lon, lat, grid, it, wt, east, north, packed, window):
    """Field value at a point: (east, north, code); ``code`` 0, or LEFT_DOMAIN outside.

    ``grid`` = (lon0, lat0, dlon, dlat); ``it``, ``wt`` the time (:func:`time_index`);
    ``east``, ``north`` the records (nt, ny, nx); ``packed`` the field at that time
    over ``window`` (:func:`field_at`). Grids have at least two points per axis
    (ForcingGrid guarantees it). Outside the window, and where a corner is missing,
    the records are read with the same arithmetic.
    """
    fx, fy = _grid_position(lon, lat, grid)
    if _in_window(fx, fy, window):
        corner = _corner_weights(fx, fy)
        u = _bilinear(packed, 0, corner)
        v = _bilinear(packed, 1, corner)
        if not np.isnan(u + v):  # one test for both (a false alarm only costs time)
            return u, v, 0
    return _sample_records(fx, fy, it, wt, east, north)


@njit(inline="always")
def sample_pair(lon, lat, grid, c_it, c_wt, c_east, c_north, w_it, w_wt, w_east, w_north,
                both, window):
    """Current and wind at a point where both share one grid: (cu, cv, wu, wv, code).

    ``both`` (ny, nx, 4) holds the current (channels 0-1) and the wind (2-3) at their
    times over ``window``. One index and one set of weights serve the four values, so
    this costs about one :func:`sample` instead of two. The result is the same to the
    bit as :func:`sample` of each field.
    """
    fx, fy = _grid_position(lon, lat, grid)
    if _in_window(fx, fy, window):
        corner = _corner_weights(fx, fy)
        cu = _bilinear(both, 0, corner)
        cv = _bilinear(both, 1, corner)
        wu = _bilinear(both, 2, corner)
        wv = _bilinear(both, 3, corner)
        if not np.isnan(cu + cv + wu + wv):
            return cu, cv, wu, wv, 0
    return _pair_from_records(fx, fy, c_it, c_wt, c_east, c_north, w_it, w_wt, w_east, w_north)


@njit_helper
def _pair_from_records(fx, fy, c_it, c_wt, c_east, c_north, w_it, w_wt, w_east, w_north):
    """:func:`sample_pair` where the window does not serve: each field from its records."""
    cu, cv, code = _sample_records(fx, fy, c_it, c_wt, c_east, c_north)
    if code != 0:
        return 0.0, 0.0, 0.0, 0.0, code
    wu, wv, code = _sample_records(fx, fy, w_it, w_wt, w_east, w_north)
    return cu, cv, wu, wv, code


@njit_helper
def _sample_position(fx, fy, it, wt, east, north, packed, window):
    """:func:`sample` at a model grid's fractional node index (``fx``, ``fy``; NaN: outside
    it): the same reading, a call of its own (only a run on a model's grid compiles it; the
    regular grids' samplers are inlined, and compiling them twice would lengthen the first
    run by seconds)."""
    if _in_window(fx, fy, window):
        corner = _corner_weights(fx, fy)
        u = _bilinear(packed, 0, corner)
        v = _bilinear(packed, 1, corner)
        if not np.isnan(u + v):
            return u, v, 0
    return _sample_records(fx, fy, it, wt, east, north)


@njit_helper
def _sample_pair_position(fx, fy, c_it, c_wt, c_east, c_north, w_it, w_wt, w_east, w_north,
                          both, window):
    """:func:`sample_pair` at a model grid's fractional node index (:func:`_sample_position`)."""
    if _in_window(fx, fy, window):
        corner = _corner_weights(fx, fy)
        cu = _bilinear(both, 0, corner)
        cv = _bilinear(both, 1, corner)
        wu = _bilinear(both, 2, corner)
        wv = _bilinear(both, 3, corner)
        if not np.isnan(cu + cv + wu + wv):
            return cu, cv, wu, wv, 0
    return _pair_from_records(fx, fy, c_it, c_wt, c_east, c_north, w_it, w_wt, w_east, w_north)


# Taylor coefficients of cos(x) (x^0 .. x^22) and sin(x)/x (x^2 .. x^22): on [0, pi/4] the
# first term left out is below 1e-21 of the result
_COS = tuple((-1) ** k / math.factorial(2 * k) for k in range(12))
_SIN = tuple((-1) ** k / math.factorial(2 * k + 1) for k in range(12))
C0, C2, C4, C6, C8, C10, C12, C14, C16, C18, C20, C22 = _COS
S1, S3, S5, S7, S9, S11, S13, S15, S17, S19, S21, S23 = _SIN


@njit(inline="always")
def cos_degrees(lat):
    """cos(lat) for a latitude in degrees, in plain arithmetic (no libm call).

    Taylor series of cos on [0, 45] degrees and of sin(90 - |lat|) above: within
    1 ulp of ``np.cos(np.radians(lat))`` up to 60 degrees, 1e-15 (relative) up to 85
    and 2e-16 (absolute) everywhere. Unlike a call to the C library it vectorises, and it gives the
    same bits on every machine and C library.
    """
    a = abs(lat) * (np.pi / 180.0)
    near = a <= 0.25 * np.pi
    x = a if near else 0.5 * np.pi - a
    z = x * x
    cos_x = C22  # Horner's scheme in z = x^2
    for c in (C20, C18, C16, C14, C12, C10, C8, C6, C4, C2, C0):
        cos_x = cos_x * z + c
    sin_x = S23
    for c in (S21, S19, S17, S15, S13, S11, S9, S7, S5, S3):
        sin_x = sin_x * z + c
    sin_x = x + x * (sin_x * z)
    return cos_x if near else sin_x


@njit(inline="always")
def _inside(lon, lat, grid, field):
    """Whether a point lies within a field's regular grid (``grid`` = (lon0, lat0, dlon, dlat))."""
    _, ny, nx = field.shape
    x = lon - grid[0]
    if x < 0.0 or x >= 360.0:
        x -= 360.0 * np.floor(x / 360.0)
    y = lat - grid[1]
    return x <= (nx - 1) * grid[2] and 0.0 <= y <= (ny - 1) * grid[3]


@njit(inline="always")
def _moved(lon, lat, u, v, dt):
    step = dt * (1.0 / METRES_PER_DEGREE)
    return lon + u * step / cos_degrees(lat), lat + v * step


@njit
def jibe_wait(seed, ident, counter, jibe_step, log_stay):
    """Steps until a particle's next jibe (0: in this step), drawn at step ``counter``.

    The geometric waiting time of a jibe with probability ``jibe_step`` per step;
    ``log_stay`` = log(1 - jibe_step). Never jibes for ``jibe_step`` 0.
    """
    if jibe_step <= 0.0:
        return NEVER
    if jibe_step >= 1.0:
        return 0
    wait = np.floor(np.log(uniform(seed, ident, counter, STREAM_JIBE)) / log_stay)
    return int(wait) if wait < NEVER else NEVER


@njit_helper
def _set_leeway(lee, p, coefficients, side, r_down, r_cross):
    """Particle ``p``'s leeway (:func:`particle_leeway`) into column ``p`` of ``lee`` (4, n)."""
    l0, l1, l2, l3 = particle_leeway(coefficients, side, r_down, r_cross)
    lee[0, p] = l0
    lee[1, p] = l1
    lee[2, p] = l2
    lee[3, p] = l3


@njit_helper
def _switch_class(p, target, ident, seed, classes, class_index, r_down, r_cross, lee, side):
    """Particle ``p`` takes class row ``target``: its own new leeway perturbations (the
    downwind one redrawn while the perturbed slope would be negative, as at the start) and
    its leeway (:func:`_set_leeway`)."""
    coefficients = classes[target]
    new_down, new_cross = normal_pair(seed, ident, 0, STREAM_SWITCH_LEEWAY)
    attempt = 0
    while coefficients[DW_SLOPE] + new_down * coefficients[DW_STD] / 20.0 < 0.0:
        attempt += 1
        new_down, _ = normal_pair(seed, ident, attempt, STREAM_SWITCH_LEEWAY)
    class_index[p] = target
    r_down[p] = new_down
    r_cross[p] = new_cross
    _set_leeway(lee, p, coefficients, side, new_down, new_cross)


def _switch(p0, p1, step, settings, state, lee):
    """Before a step: :func:`_switch_block` where the run has object transitions
    (``settings.transitions`` an array with rows); nothing, and nothing compiled, where it has
    none (None)."""


@overload(_switch, inline=True)
def _switch_typed(p0, p1, step, settings, state, lee):
    if not _switching(settings):
        return lambda p0, p1, step, settings, state, lee: None

    def switch(p0, p1, step, settings, state, lee):
        if settings.transitions.shape[0] > 0:
            _switch_block(p0, p1, step, settings, state, lee)
    return switch


def _hazard_phase(p0, p1, now, settings, state, scratch):
    """After the fields at a step's start: :func:`_hazard_block` where the run has object
    transitions; nothing, and nothing compiled, where it has none (None)."""


@overload(_hazard_phase, inline=True)
def _hazard_phase_typed(p0, p1, now, settings, state, scratch):
    if not _switching(settings):
        return lambda p0, p1, now, settings, state, scratch: None

    def hazard(p0, p1, now, settings, state, scratch):
        if settings.transitions.shape[0] > 0:
            _hazard_block(p0, p1, now, settings, state, scratch)
    return hazard


def _switching(settings) -> bool:
    """Whether a :class:`~sarkit.drift.kernel_args.Settings` type has object transitions
    (``transitions`` an array, not None)."""
    return not isinstance(settings.types[settings.fields.index("transitions")], types.NoneType)


@njit_helper
def _switch_block(p0, p1, step, settings, state, lee):
    """The particles ``p0 + k`` of a block whose transition comes at this ``step`` take their
    new class (:func:`_switch_class`) and forget their last velocity (the leeway changed);
    before :func:`_start_block`, whose jibes then turn the new class's leeway. Only in a run
    with transitions, and not in the step after the last move (a run in time blocks switches
    in the next block's first step)."""
    if step.last:
        return
    now, seed, classes = step.now, settings.seed, settings.classes
    status, switch_step, switch_to = state.status, state.switch_step, state.switch_to
    for p in range(p0, p1):
        if switch_step[p] == now and status[p] == ACTIVE:
            _switch_class(p, switch_to[p], state.ids[p], seed, classes, state.class_index,
                          state.r_down, state.r_cross, lee, state.side[p])
            state.prev_dlon[p] = np.nan


def _advance_leeway(p0, p1, step, settings, state, scratch, lee):
    """After a step: the leeway perturbations of the block's particles that moved advance
    (:func:`_advance_leeway_block`) where they vary in time (``settings.leeway_memory`` an
    array); nothing, and nothing compiled, where they are drawn once (None)."""


@overload(_advance_leeway, inline=True)
def _advance_leeway_typed(p0, p1, step, settings, state, scratch, lee):
    memory = settings.types[settings.fields.index("leeway_memory")]
    if isinstance(memory, types.NoneType):
        return lambda p0, p1, step, settings, state, scratch, lee: None

    def advance(p0, p1, step, settings, state, scratch, lee):
        _advance_leeway_block(p0, p1, step.now, settings, state, scratch, lee)
    return advance


@njit_helper
def _advance_leeway_block(p0, p1, now, settings, state, scratch, lee):
    """One Ornstein-Uhlenbeck step of the perturbations ``r_down``, ``r_cross`` of the
    particles ``p0 + k`` that moved in step ``now`` (``scratch.go``): ``r <- keep r + fresh
    N(0, 1)`` with [``keep``, ``fresh``] = ``settings.leeway_memory``, the normals keyed by
    (seed, particle id, ``now``, :data:`~sarkit.drift.random.STREAM_LEEWAY_PROCESS`); a
    ``r_down`` below the least whose perturbed downwind slope is not negative is reflected
    there. Their leeway (``lee``) follows (:func:`_set_leeway`)."""
    memory = settings.leeway_memory
    keep, fresh = memory[0], memory[1]
    seed, classes = settings.seed, settings.classes
    go = scratch.go
    ids, class_index, sides = state.ids, state.class_index, state.side
    r_down, r_cross = state.r_down, state.r_cross
    for k in range(p1 - p0):
        if go[k]:
            p = p0 + k
            new_down, new_cross = normal_pair(seed, ids[p], now, STREAM_LEEWAY_PROCESS)
            down = keep * r_down[p] + fresh * new_down
            cross = keep * r_cross[p] + fresh * new_cross
            coefficients = classes[class_index[p]]
            slope, std = coefficients[DW_SLOPE], coefficients[DW_STD]
            if std > 0.0 and slope + down * std / 20.0 < 0.0:
                down = -down - 40.0 * slope / std  # the mirror image in the least r_down
            r_down[p] = down
            r_cross[p] = cross
            _set_leeway(lee, p, coefficients, sides[p], down, cross)


@njit(inline="always")
def _hazard(table, row, speed):
    """Hazard per second of transition ``row`` at 10 m wind ``speed`` (m/s)."""
    return table[row, 2] + table[row, 4] * max(speed - table[row, 3], 0.0)


@njit_helper
def _hazard_block(p0, p1, now, settings, state, scratch):
    """The transitions of the moving particles ``p0 + k`` of a block in step ``now``: each of
    a class with transitions uses up their hazard at its wind (``scratch.wu``, ``wv``) times
    ``|dt|`` of its ``hazard_left``; where that is used up it switches at the next step
    (``switch_step``) to a class drawn in proportion to the competing hazards
    (``switch_to``)."""
    table = settings.transitions
    rows = table.shape[0]
    seconds = abs(settings.dt)
    seed = settings.seed
    go, wu, wv = scratch.go, scratch.wu, scratch.wv
    class_index, hazard_left, ids = state.class_index, state.hazard_left, state.ids
    switch_step, switch_to = state.switch_step, state.switch_to
    for k in range(p1 - p0):
        p = p0 + k
        if not go[k] or switch_step[p] >= 0:
            continue
        own = class_index[p]
        speed = np.sqrt(wu[k] * wu[k] + wv[k] * wv[k])
        total = 0.0
        for row in range(rows):
            if int(table[row, 0]) == own:
                total += _hazard(table, row, speed)
        if total <= 0.0:
            continue
        left = hazard_left[p] - total * seconds
        hazard_left[p] = left
        if left > 0.0:
            continue
        pick = uniform(seed, ids[p], 1, STREAM_SWITCH) * total
        target = -1
        for row in range(rows):
            if int(table[row, 0]) == own:
                rate = _hazard(table, row, speed)
                if rate > 0.0:
                    target = int(table[row, 1])
                    if pick < rate:
                        break
                    pick -= rate
        switch_to[p] = target
        switch_step[p] = now + 1


@njit_helper
def _window(lo, hi, lo_y, hi_y, lon0_shift, grid, shape, margin, window, on_mesh):
    """The block of grid points around particles between relative longitudes ``lo``..``hi``
    (degrees east of the current grid's origin) and latitudes ``lo_y``..``hi_y``, for a
    grid whose origin is ``lon0_shift`` degrees east of the current grid's; -> ``window``.
    On a model's own grid (``on_mesh``) the whole grid."""
    ny, nx = shape
    if not (lo <= hi and lo_y <= hi_y):  # no particle left to move
        window[0] = 0
        window[1] = 0
        window[2] = 0
        window[3] = 0
        return
    if on_mesh:  # a model's own grid (cut to the drift's box when read): all of it
        window[0] = 0
        window[1] = ny
        window[2] = 0
        window[3] = nx
        return
    x = _east_of(lo, lon0_shift)
    fx0 = x / grid[2]
    fx1 = (x + (hi - lo)) / grid[2]
    fy0 = (lo_y - grid[1]) / grid[3]
    fy1 = (hi_y - grid[1]) / grid[3]
    window[0] = max(int(np.floor(max(fy0, -1.0))) - margin, 0)
    window[1] = min(int(np.ceil(min(fy1, ny + 1.0))) + margin + 1, ny)
    window[2] = max(int(np.floor(max(fx0, -1.0))) - margin, 0)
    window[3] = min(int(np.ceil(min(fx1, nx + 1.0))) + margin + 1, nx)


@njit_helper
def _margin(grid, seconds):
    """Cells of margin around the particles: what WINDOW_MARGIN_SPEED crosses in ``seconds``."""
    cell_m = min(grid[2], grid[3]) * METRES_PER_DEGREE * 0.5  # lon cells shrink with latitude
    return 2 + int(np.ceil(WINDOW_MARGIN_SPEED * abs(seconds) / cell_m))


@njit_helper
def _prepare(it, wt, east, north, window, packed, channel, done):
    """Fill ``packed`` (from ``channel``) for (it, wt) over ``window`` unless ``done`` says it
    already is."""
    if (done[0] == it and done[1] == wt and done[2] == window[0] and done[3] == window[1]
            and done[4] == window[2] and done[5] == window[3]):
        return
    field_at(it, wt, east, north, window, packed, channel)
    done[0] = it
    done[1] = wt
    done[2] = window[0]
    done[3] = window[1]
    done[4] = window[2]
    done[5] = window[3]


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


BLOCK = 1024
"""Particles per block: each phase of a step runs over a block, whose scratch values
(72 KiB) stay in the core's L2 cache."""

# rows of a block's scratch (SCRATCH_ROWS, BLOCK): the values one phase of a step passes to
# the next, for the particles of the block
CU, CV, WU, WV, X, Y, LON_PER_M, STEP_DLON, STEP_DLAT = range(9)
SCRATCH_ROWS = 9


# The records the driver hands its phases. A record used inside a ``prange`` loop must be
# an argument of the driver or be built in the driver by calling its class (numba's parfors
# pass a named tuple in by its parts and rebuild it), and must not hold another record;
# these are built in the driver, or inside the loop itself.

class _Step(NamedTuple):
    """One step of the driver, as its phases see it."""

    t: float
    """Time at the step's start, epoch seconds."""
    now: int
    """Global step number (the key of the step's random numbers)."""
    write: bool
    """Whether the positions at the step's start are an output time."""
    slot: int
    """Row of the outputs written if ``write``."""
    moving: bool
    """Whether the particles move in this step (not the last one, and in the fields' time)."""
    last: bool
    """Whether this is the step after the last move (it only writes)."""
    measure: bool
    """Whether the particles' bounds are measured at the end of the step."""


class _Scratch(NamedTuple):
    """A block's scratch: the values one phase of a step passes to the next, per particle
    ``p0 + k`` of the block, at ``k``."""

    go: np.ndarray
    """Whether the particle moves in this step."""
    fresh: np.ndarray
    """Whether its step is a midpoint step (no last velocity)."""
    x: np.ndarray
    """Longitude at the step's start."""
    y: np.ndarray
    """Latitude at the step's start."""
    cu: np.ndarray
    """Current east (m/s) at the step's start; then the new longitude."""
    cv: np.ndarray
    """Current north (m/s) at the step's start; then the new latitude."""
    wu: np.ndarray
    """Wind east (m/s) at the step's start."""
    wv: np.ndarray
    """Wind north (m/s) at the step's start."""
    lon_per_m: np.ndarray
    """Degrees of longitude per metre at the step's start."""
    step_dlon: np.ndarray
    """The step's velocity, degrees of longitude per second."""
    step_dlat: np.ndarray
    """The step's velocity, degrees of latitude per second."""


class _Sampling(NamedTuple):
    """A field as a phase reads it at one time: the records and the prepared window."""

    grid: tuple
    """(lon0, lat0, dlon, dlat) of the field's regular grid, or of a model grid's lookup
    raster."""
    it: int
    """Record before the time (:func:`time_index`)."""
    wt: float
    """Weight of the record after it."""
    east: np.ndarray
    """(nt, ny, nx) records, east."""
    north: np.ndarray
    """(nt, ny, nx) records, north."""
    packed: np.ndarray
    """(ny, nx, channels) the field at the step's start over ``window`` (:func:`field_at`):
    this field's own, or the one both fields share on one grid."""
    window: np.ndarray
    """(row0, row1, col0, col1) the part of ``packed`` filled."""
    xyz: np.ndarray | None
    """A model grid's node unit vectors (3, ny, nx); None for a regular grid."""
    cells: np.ndarray | None
    """A model grid's lookup raster (:mod:`sarkit.forcing.meshsearch`); None for a regular
    grid. Kept apart from ``grid``: arrays in the tuple every particle's sampling reads cost
    a fifth of the regular grids' speed."""


# A field on a model's own grid carries its nodes and lookup raster (``xyz``, ``cells``); a
# field on a regular grid carries None there. The helpers below are overloads: their code is
# chosen by those types when the kernel is compiled, so that a run on regular grids compiles
# no search at all (it would add about a fifth to the first compilation).


def _searched(record) -> bool:
    """Whether a :class:`_Sampling` type is on a model's own grid (its cells are an array)."""
    return not isinstance(record.types[record.fields.index("cells")], types.NoneType)


def _has(value):
    """Whether ``value`` is an array, not None (a compile-time constant): ``_has(field.cells)``
    says whether a :class:`_Sampling` field is on a model's own grid."""


@overload(_has, inline=True)
def _has_typed(value):
    answer = not isinstance(value, types.NoneType)
    return lambda value: answer


def _position(lon, lat, field):
    """(fx, fy) of a point in a :class:`_Sampling` field's grid: its regular grid's cells, or
    its fractional node index on a model's own grid (NaN outside it)."""


@overload(_position)
def _position_typed(lon, lat, field):
    if _searched(field):
        def search(lon, lat, field):
            grid = field.grid
            return mesh_position(lon, lat, (grid[0], grid[1], grid[2], grid[3], field.xyz,
                                            field.cells))
        return search
    return lambda lon, lat, field: _grid_position(lon, lat, field.grid)


def _covers(lon, lat, field):
    """Whether a point lies within a :class:`_Sampling` field's grid."""


@overload(_covers)
def _covers_typed(lon, lat, field):
    if _searched(field):
        def search(lon, lat, field):
            grid = field.grid
            return mesh_inside(lon, lat, (grid[0], grid[1], grid[2], grid[3], field.xyz,
                                          field.cells))
        return search
    return lambda lon, lat, field: _inside(lon, lat, field.grid, field.east)


def _same_nodes(c_xyz, w_xyz):
    """Whether two fields' model-grid nodes are the same (both None: regular grids)."""


@overload(_same_nodes, inline=True)
def _same_nodes_typed(c_xyz, w_xyz):
    c_none, w_none = isinstance(c_xyz, types.NoneType), isinstance(w_xyz, types.NoneType)
    if c_none or w_none:
        answer = c_none and w_none
        return lambda c_xyz, w_xyz: answer

    def compare(c_xyz, w_xyz):
        if c_xyz.shape != w_xyz.shape:
            return False
        for k in range(c_xyz.shape[0]):
            for j in range(c_xyz.shape[1]):
                for i in range(c_xyz.shape[2]):
                    if c_xyz[k, j, i] != w_xyz[k, j, i]:
                        return False
        return True
    return compare


@njit_helper
def _start_block(p0, p1, step, state, lee, settings, log_stay, out, scratch):
    """First phase of a ``step`` for particles ``p0..p1``: releases, output, jibes;
    ``scratch.go[k]`` marks particle ``p0 + k`` if it moves in this step, and ``scratch.x``,
    ``scratch.y`` get its position. A particle released or jibing forgets its last velocity
    (``prev_dlon`` NaN): its step starts the integration again. Returns whether any moves."""
    t, now, write, slot, moving, last = (step.t, step.now, step.write, step.slot, step.moving,
                                         step.last)
    forward = settings.dt > 0
    seed, jibe_step, classes = settings.seed, settings.jibe_step, settings.classes
    prev_dlon, class_index, r_down, r_cross, ids = (state.prev_dlon, state.class_index,
                                                    state.r_down, state.r_cross, state.ids)
    go, x, y = scratch.go, scratch.x, scratch.y
    any_go = False
    m = p1 - p0
    lons, lats, states, sides = (state.lon[p0:p1], state.lat[p0:p1], state.status[p0:p1],
                                 state.side[p0:p1])
    jibes, releases = state.next_jibe[p0:p1], state.release[p0:p1]
    first = out.first + p0
    row_lon = out.lon[slot, first:first + m]
    row_lat = out.lat[slot, first:first + m]
    row_status = out.status[slot, first:first + m]
    row_side = out.side[slot, first:first + m]
    for k in range(m):
        state_k = states[k]
        if state_k == NOT_RELEASED:
            if (forward and t >= releases[k]) or (not forward and t <= releases[k]):
                state_k = ACTIVE
                p = p0 + k
                jibes[k] = now + jibe_wait(seed, ids[p], now, jibe_step, log_stay)
                prev_dlon[p] = np.nan
        if write:
            row_lon[k] = lons[k]
            row_lat[k] = lats[k]
            row_status[k] = state_k
            row_side[k] = sides[k]
        move = False
        if state_k == ACTIVE and not last:
            if now == jibes[k]:
                p = p0 + k
                turn = np.int8(-sides[k])
                sides[k] = turn
                _set_leeway(lee, p, classes[class_index[p]], turn, r_down[p], r_cross[p])
                jibes[k] = now + 1 + jibe_wait(seed, ids[p], now + 1, jibe_step, log_stay)
                prev_dlon[p] = np.nan  # the leeway changed: the last velocity is not this one's
            if moving:
                move = True
            else:
                state_k = OUT_OF_TIME
        states[k] = state_k
        go[k] = move
        x[k] = lons[k]
        y[k] = lats[k]
        any_go = any_go or move
    return any_go


@njit(inline="always")
def _sample_two_block(p0, p1, status, scratch, current, wind):
    """Current, then wind (:class:`_Sampling` each, on grids of their own), at ``(x[k],
    y[k])`` of the moving particles ``p0 + k`` of the ``scratch`` -> its ``cu``, ``cv``,
    ``wu``, ``wv``; a particle outside a field stops there (``status``) and no longer moves
    (``go``)."""
    go, x, y = scratch.go, scratch.x, scratch.y
    cu, cv, wu, wv = scratch.cu, scratch.cv, scratch.wu, scratch.wv
    c_grid, c_it, c_wt, c_east, c_north = (current.grid, current.it, current.wt, current.east,
                                           current.north)
    c_packed, c_window = current.packed, current.window
    w_grid, w_it, w_wt, w_east, w_north = wind.grid, wind.it, wind.wt, wind.east, wind.north
    w_packed, w_window = wind.packed, wind.window
    for k in range(p1 - p0):
        if go[k]:
            u, v, code = sample(x[k], y[k], c_grid, c_it, c_wt, c_east, c_north, c_packed,
                                c_window)
            if code == 0:
                cu[k] = u
                cv[k] = v
                u, v, code = sample(x[k], y[k], w_grid, w_it, w_wt, w_east, w_north, w_packed,
                                    w_window)
                wu[k] = u
                wv[k] = v
            if code != 0:
                go[k] = False
                status[p0 + k] = code


@njit_helper
def _sample_two_searched(p0, p1, status, scratch, current, wind):
    """:func:`_sample_two_block` where a field is on a model's own grid: each point found
    (:func:`_position`), then read as on a regular grid."""
    go, x, y = scratch.go, scratch.x, scratch.y
    cu, cv, wu, wv = scratch.cu, scratch.cv, scratch.wu, scratch.wv
    for k in range(p1 - p0):
        if go[k]:
            fx, fy = _position(x[k], y[k], current)
            u, v, code = _sample_position(fx, fy, current.it, current.wt, current.east,
                                          current.north, current.packed, current.window)
            if code == 0:
                cu[k] = u
                cv[k] = v
                fx, fy = _position(x[k], y[k], wind)
                u, v, code = _sample_position(fx, fy, wind.it, wind.wt, wind.east, wind.north,
                                              wind.packed, wind.window)
                wu[k] = u
                wv[k] = v
            if code != 0:
                go[k] = False
                status[p0 + k] = code


@njit(inline="always")
def _sample_pair_block(p0, p1, status, scratch, current, wind):
    """:func:`_sample_two_block` where current and wind share one grid (:func:`sample_pair`):
    both are read from ``wind.packed`` over ``wind.window``."""
    go, x, y = scratch.go, scratch.x, scratch.y
    cu, cv, wu, wv = scratch.cu, scratch.cv, scratch.wu, scratch.wv
    grid, c_it, c_wt, c_east, c_north = (current.grid, current.it, current.wt, current.east,
                                         current.north)
    w_it, w_wt, w_east, w_north, both, window = (wind.it, wind.wt, wind.east, wind.north,
                                                 wind.packed, wind.window)
    for k in range(p1 - p0):
        if go[k]:
            cu[k], cv[k], wu[k], wv[k], code = sample_pair(
                x[k], y[k], grid, c_it, c_wt, c_east, c_north, w_it, w_wt, w_east, w_north,
                both, window)
            if code != 0:
                go[k] = False
                status[p0 + k] = code


@njit_helper
def _sample_pair_searched(p0, p1, status, scratch, current, wind):
    """:func:`_sample_pair_block` on a model's own grid: each point found once
    (:func:`_position`) for both fields."""
    go, x, y = scratch.go, scratch.x, scratch.y
    cu, cv, wu, wv = scratch.cu, scratch.cv, scratch.wu, scratch.wv
    for k in range(p1 - p0):
        if go[k]:
            fx, fy = _position(x[k], y[k], current)
            cu[k], cv[k], wu[k], wv[k], code = _sample_pair_position(
                fx, fy, current.it, current.wt, current.east, current.north, wind.it, wind.wt,
                wind.east, wind.north, wind.packed, wind.window)
            if code != 0:
                go[k] = False
                status[p0 + k] = code


def _sample_searched(p0, p1, status, scratch, current, wind, shared):
    """:func:`_sample_pair_block` (``shared``) or :func:`_sample_two_block` where a field is
    on a model's own grid: each point found (:func:`_position`), then read as on a regular
    grid. Compiled only for such fields (on regular grids it is never called)."""


@overload(_sample_searched, inline=True)
def _sample_searched_typed(p0, p1, status, scratch, current, wind, shared):
    if not (_searched(current) or _searched(wind)):
        return lambda p0, p1, status, scratch, current, wind, shared: None

    def search(p0, p1, status, scratch, current, wind, shared):
        if shared:
            _sample_pair_searched(p0, p1, status, scratch, current, wind)
        else:
            _sample_two_searched(p0, p1, status, scratch, current, wind)
    return search


@njit_helper
def _velocity_block(p0, p1, lee, state, scratch):
    """The velocity of each moving particle's step (degrees/s) from the fields at its start
    -> ``scratch.step_dlon``, ``scratch.step_dlat``.

    With f the velocity at the step's start and g the one at the last step's
    (``state.prev_dlon``, ``state.prev_dlat``), the step moves at 1.5 f - 0.5 g
    (Adams-Bashforth, second order); ``prev_dlon``, ``prev_dlat`` then get f. A particle
    without a last velocity (NaN: its first step, or a jibe) is marked ``scratch.fresh`` for
    :func:`_fresh_block`. Returns whether any is.
    """
    go, fresh, y, lon_per_m = scratch.go, scratch.fresh, scratch.y, scratch.lon_per_m
    cu, cv, wu, wv = scratch.cu, scratch.cv, scratch.wu, scratch.wv
    step_dlon, step_dlat = scratch.step_dlon, scratch.step_dlat
    for k in range(p1 - p0):
        lon_per_m[k] = 1.0 / (METRES_PER_DEGREE * cos_degrees(y[k]))
    # for every particle of the block, so that the loop vectorises; only the movers' are used
    n_fresh = 0
    m = p1 - p0
    a0, a1, a2, a3 = lee[0, p0:p1], lee[1, p0:p1], lee[2, p0:p1], lee[3, p0:p1]
    g_lons, g_lats = state.prev_dlon[p0:p1], state.prev_dlat[p0:p1]
    for k in range(m):
        lu, lv = leeway(wu[k], wv[k], a0[k], a1[k], a2[k], a3[k])
        f_lon = (cu[k] + lu) * lon_per_m[k]
        f_lat = (cv[k] + lv) * (1.0 / METRES_PER_DEGREE)
        g_lon = g_lons[k]
        g_lat = g_lats[k]
        step_dlon[k] = 1.5 * f_lon - 0.5 * g_lon
        step_dlat[k] = 1.5 * f_lat - 0.5 * g_lat
        moves = go[k]
        starts = moves & (g_lon != g_lon)
        fresh[k] = starts
        n_fresh += np.int64(starts)
        g_lons[k] = f_lon if moves else g_lon
        g_lats[k] = f_lat if moves else g_lat
    return n_fresh > 0


@njit_helper
def _fresh_block(p0, p1, dt, lee, state, scratch, current, wind):
    """The explicit midpoint method for the ``scratch.fresh`` particles
    (:func:`_velocity_block`): the fields (``current``, ``wind``: :class:`_Sampling` at the
    middle of the step) at the midpoint reached with the velocity at the start; a particle
    whose midpoint is outside a field stops there.

    Few particles start in a step (about 1 % with jibes of 4 %/h at 15 min steps), so the
    fields are read from the records themselves (the same result as from a prepared window,
    see :func:`sample`), and no window is prepared for the middle of the step.
    """
    fresh, go, x, y, lon_per_m = (scratch.fresh, scratch.go, scratch.x, scratch.y,
                                  scratch.lon_per_m)
    step_dlon, step_dlat = scratch.step_dlon, scratch.step_dlat
    status, prev_dlon, prev_dlat = state.status, state.prev_dlon, state.prev_dlat
    c_it, c_wt, c_east, c_north = current.it, current.wt, current.east, current.north
    w_it, w_wt, w_east, w_north = wind.it, wind.wt, wind.east, wind.north
    for k in range(p1 - p0):
        if fresh[k]:
            p = p0 + k
            mid_x = x[k] + prev_dlon[p] * (0.5 * dt)
            mid_y = y[k] + prev_dlat[p] * (0.5 * dt)
            fx, fy = _position(mid_x, mid_y, current)
            cu, cv, code = _sample_records(fx, fy, c_it, c_wt, c_east, c_north)
            wu = wv = 0.0
            if code == 0:
                fx, fy = _position(mid_x, mid_y, wind)
                wu, wv, code = _sample_records(fx, fy, w_it, w_wt, w_east, w_north)
            if code != 0:
                go[k] = False
                status[p] = code
                continue
            lu, lv = leeway(wu, wv, lee[0, p], lee[1, p], lee[2, p], lee[3, p])
            step_dlon[k] = (cu + lu) * lon_per_m[k]
            step_dlat[k] = (cv + lv) * (1.0 / METRES_PER_DEGREE)


@njit_helper
def _end_block(p0, p1, step, settings, state, scratch, current, wind, land, bounds, b):
    """Last phase: the move with the step's velocity, the random walk, the coast (``land``);
    if ``step.measure``, ``bounds[b]`` = (west, east, south, north) of the block's particles
    still to move (longitudes relative to the current's grid origin). The new positions go
    through ``scratch.cu``, ``scratch.cv`` and, on a model's own grid, whether they left it
    through ``scratch.fresh`` (all free by now)."""
    now, measure = step.now, step.measure
    dt, seed, walk_std = settings.dt, settings.seed, settings.walk_std
    ids = state.ids
    go, step_dlon, step_dlat = scratch.go, scratch.step_dlon, scratch.step_dlat
    new_lon, new_lat = scratch.cu, scratch.cv
    c_grid, c_east, w_grid, w_east = current.grid, current.east, wind.grid, wind.east
    lon0 = c_grid[0]
    west, south, cell_lon, cell_lat, mask = land.west, land.south, land.dlon, land.dlat, land.mask
    lo = np.inf
    hi = -np.inf
    lo_y = np.inf
    hi_y = -np.inf
    m = p1 - p0
    lons, lats, states = state.lon[p0:p1], state.lat[p0:p1], state.status[p0:p1]
    # the move, in a loop of its own over every particle of the block (it vectorises; only
    # the movers' are used)
    for k in range(m):
        new_lon[k] = lons[k] + step_dlon[k] * dt
        new_lat[k] = lats[k] + step_dlat[k] * dt
    if walk_std > 0.0:
        for k in range(m):
            if go[k]:
                walk_e, walk_n = normal_pair(seed, ids[p0 + k], now, STREAM_WALK)
                new_lon[k], new_lat[k] = _moved(new_lon[k], new_lat[k], walk_e * walk_std,
                                                walk_n * walk_std, 1.0)
    # leaving a field's grid ends the drift there, whatever moved it (the step or the random
    # walk): the particle stays at its last position inside, marked. On a model's own grid
    # the test is a search, in a loop of its own (a call in the loop below slows the regular
    # grids' case by a fifth)
    on_mesh = _has(current.cells) or _has(wind.cells)
    outside = scratch.fresh
    _mark_outside(m, go, new_lon, new_lat, current, wind, outside)
    for k in range(m):
        if go[k]:
            new_x = new_lon[k]
            new_y = new_lat[k]
            state_k = ACTIVE
            if on_mesh:
                if outside[k]:
                    state_k = LEFT_DOMAIN
            elif not (_inside(new_x, new_y, c_grid, c_east)
                      and _inside(new_x, new_y, w_grid, w_east)):
                state_k = LEFT_DOMAIN
            if state_k == ACTIVE and is_land(new_x, new_y, west, south, cell_lon, cell_lat,
                                             mask):
                state_k = STRANDED
            if state_k == ACTIVE:
                lons[k] = new_x
                lats[k] = new_y
            states[k] = state_k
        if measure:
            state_k = states[k]
            track = state_k == ACTIVE or state_k == NOT_RELEASED
            rel = _east_of(lons[k], lon0)
            lo = min(lo, rel if track else np.inf)
            hi = max(hi, rel if track else -np.inf)
            lo_y = min(lo_y, lats[k] if track else np.inf)
            hi_y = max(hi_y, lats[k] if track else -np.inf)
    if not measure:
        return
    bounds[b, 0] = lo
    bounds[b, 1] = hi
    bounds[b, 2] = lo_y
    bounds[b, 3] = hi_y


def _mark_outside(m, go, new_lon, new_lat, current, wind, outside):
    """On a model's own grid: ``outside[k]`` whether mover ``k``'s new position left either
    field's grid (a search, in a loop of its own: a call in the end phase's main loop slows the
    regular grids' case by a fifth). On regular grids: nothing (the main loop tests)."""


@overload(_mark_outside, inline=True)
def _mark_outside_typed(m, go, new_lon, new_lat, current, wind, outside):
    if not (_searched(current) or _searched(wind)):
        return lambda m, go, new_lon, new_lat, current, wind, outside: None

    def mark(m, go, new_lon, new_lat, current, wind, outside):
        for k in range(m):
            if go[k]:
                outside[k] = not (_covers(new_lon[k], new_lat[k], current)
                                  and _covers(new_lon[k], new_lat[k], wind))
    return mark


@njit_helper
def _same_grid(c_grid, c_shape, w_grid, w_shape, c_xyz, w_xyz):
    """Whether current and wind share one grid (then they are sampled together); model grids
    (``xyz`` their nodes, None for a regular grid) are the same when their nodes are."""
    same = (c_grid[0] == w_grid[0] and c_grid[1] == w_grid[1] and c_grid[2] == w_grid[2]
            and c_grid[3] == w_grid[3] and c_shape[0] == w_shape[0]
            and c_shape[1] == w_shape[1])
    return same and _same_nodes(c_xyz, w_xyz)


@njit_parallel
def drift(state, fields, settings, out, shared, apart):
    """Move every particle ``settings.n_steps`` steps of ``settings.dt`` seconds from time
    ``settings.start``.

    Parameters
    ----------
    state : :class:`~sarkit.drift.kernel_args.ParticleState`
        The particles: flat arrays over particles. ``lon``, ``lat``, ``status``, ``side``,
        ``next_jibe``, ``prev_dlon`` and ``prev_dlat`` are updated in place, so that a run
        split into consecutive calls that carry them (``settings.start`` and
        ``settings.first_step`` moved on) equals one call.
    fields : :class:`~sarkit.drift.kernel_args.Fields`
        The current and the wind (:class:`~sarkit.drift.kernel_args.Field` each) and the
        land mask (:class:`~sarkit.drift.kernel_args.Land`).
    settings : :class:`~sarkit.drift.kernel_args.Settings`
        The class table, the seed, the time and global number of step 0, the step, the
        number of steps, the output interval, the jibe probability and the random walk.
    out : :class:`~sarkit.drift.kernel_args.OutputArrays`
        Output arrays (n_outputs, n) of position, status and crosswind side, whose columns
        ``out.first .. out.first + n_particles`` are these particles' (time-major: an output
        time is written as one run of memory), filled at step 0, every
        ``settings.output_every`` steps and at the last step.
    shared, apart : True or None
        Which sampler reads the fields: ``shared`` True where current and wind share one
        grid (:func:`~sarkit.drift.kernel_args.same_grid`, both sampled at once), ``apart``
        True where each has its own; the other None. Types, not values: a sampler whose
        argument is None is dropped before typing (numba prunes ``x is not None`` on an
        argument typed None), so a run compiles one (each costs about 3 s of the first
        compilation; inlined, as calls they cost a third of the throughput). ``shared`` on
        two grids, or both or neither set, is refused (ValueError).

    Each step runs over blocks of :data:`BLOCK` particles in parallel, and over
    each block in phases (:func:`_start_block`, the fields at the start,
    :func:`_velocity_block`, :func:`_fresh_block` where a particle starts,
    :func:`_end_block`, and :func:`_advance_leeway` where the leeway perturbations vary in
    time): short loops that keep their values in registers. A
    particle's arithmetic is the same whatever its block.
    """
    # unpack the records once: unpacking arrays inside the loop costs reference counting.
    # One field per assignment: numba follows an array taken from an argument by its
    # attribute, but not through a tuple unpacking, and it drops the writes of a parallel
    # loop (at the loop's index) to an array it does not know is an argument's.
    lon = state.lon
    lat = state.lat
    status = state.status
    side = state.side
    next_jibe = state.next_jibe
    class_index = state.class_index
    r_down = state.r_down
    r_cross = state.r_cross
    ids = state.ids
    classes = settings.classes
    seed = settings.seed
    jibe_step = settings.jibe_step
    start = settings.start
    first_step = settings.first_step
    dt = settings.dt
    n_steps = settings.n_steps
    output_every = settings.output_every
    c_lon0, c_lat0, c_dlon, c_dlat, c_times, c_east, c_north, c_xyz, c_cells = fields.current
    w_lon0, w_lat0, w_dlon, w_dlat, w_times, w_east, w_north, w_xyz, w_cells = fields.wind
    # a record used in the parallel loop: built here (numba's parfors rebuild it by its class)
    land = Land(fields.land.west, fields.land.south, fields.land.dlon, fields.land.dlat,
                fields.land.mask)
    c_grid = (c_lon0, c_lat0, c_dlon, c_dlat)
    w_grid = (w_lon0, w_lat0, w_dlon, w_dlat)
    c_mesh = _has(c_cells)
    w_mesh = _has(w_cells)
    searched = c_mesh or w_mesh
    c_it, c_wt, w_it, w_wt, time_code = time_tables(start, dt, n_steps, c_times, w_times)
    c_shape = (c_east.shape[1], c_east.shape[2])
    w_shape = (w_east.shape[1], w_east.shape[2])
    together = _has(shared)  # constants: the arguments' types choose the sampler
    if together == _has(apart):
        raise ValueError("drift takes one of shared and apart as True, the other None")
    if together and not _same_grid(c_grid, c_shape, w_grid, w_shape, c_xyz, w_xyz):
        raise ValueError("shared is True but current and wind are on different grids: pass "
                         "apart=True (sarkit.drift.kernel_args.same_grid says which)")
    # the fields at a step's start: one (ny, nx, 4) array where current and wind share a
    # grid, else one (ny, nx, 2) array per field
    c_room = (1, 1) if together else c_shape
    w_room = (1, 1) if together else w_shape
    both_room = c_shape if together else (1, 1)
    c_packed = np.empty((c_room[0], c_room[1], 2))
    w_packed = np.empty((w_room[0], w_room[1], 2))
    both = np.empty((both_room[0], both_room[1], 4))
    # where each field goes (on one grid the two windows are the same); channels as int64
    # variables, not literals, so that the preparation compiles once
    c_into = both if together else c_packed
    w_into = both if together else w_packed
    c_channel = np.int64(0)
    w_channel = np.int64(2) if together else np.int64(0)
    c_window = np.zeros(4, dtype=np.int64)
    w_window = np.zeros(4, dtype=np.int64)
    done = np.full((2, 6), -1.0)  # what each of the two fields holds: it, wt, window
    log_stay = np.log(1.0 - jibe_step) if 0.0 < jibe_step < 1.0 else 0.0
    n_particles = lon.size
    lee = np.empty((4, n_particles))  # each coefficient contiguous over particles: loops vectorise
    n_blocks = (n_particles + BLOCK - 1) // BLOCK
    bounds = np.empty((n_blocks, 4))
    lo = np.inf
    hi = -np.inf
    lo_y = np.inf
    hi_y = -np.inf
    for p in range(n_particles):  # serial: a parallel loop more costs seconds to compile
        _set_leeway(lee, np.int64(p), classes[class_index[p]], side[p], r_down[p], r_cross[p])
        if status[p] == ACTIVE and next_jibe[p] < 0:
            next_jibe[p] = first_step + jibe_wait(seed, ids[p], first_step, jibe_step, log_stay)
        track = status[p] == ACTIVE or status[p] == NOT_RELEASED
        rel = _east_of(lon[p], c_lon0)
        lo = min(lo, rel if track else np.inf)
        hi = max(hi, rel if track else -np.inf)
        lo_y = min(lo_y, lat[p] if track else np.inf)
        hi_y = max(hi_y, lat[p] if track else -np.inf)
    slot = np.int64(0)  # not a literal 0: the phases compile once
    next_output = 0  # counters, not n % output_every: integer division is slow
    since = 0  # steps since the particles' bounds were measured
    for n in range(n_steps + 1):
        write = n == next_output or n == n_steps
        last = n == n_steps
        moving = not last and time_code[n] == 0
        measure = since + 1 == BOUNDS_EVERY
        step = _Step(start + n * dt, first_step + n, write, slot, moving, last, measure)
        if moving:  # the window: the bounds, and what the particles may have moved since
            reach = dt * (since + 1)
            _window(lo, hi, lo_y, hi_y, 0.0, c_grid, c_shape, _margin(c_grid, reach), c_window,
                    c_mesh)
            _window(lo, hi, lo_y, hi_y, w_lon0 - c_lon0, w_grid, w_shape,
                    _margin(w_grid, reach), w_window, w_mesh)
            _prepare(c_it[n, 0], c_wt[n, 0], c_east, c_north, c_window, c_into, c_channel,
                     done[0])
            _prepare(w_it[n, 0], w_wt[n, 0], w_east, w_north, w_window, w_into, w_channel,
                     done[1])
        for b in prange(n_blocks):
            block = np.int64(b)  # one type, so the phases compile once (prange's is unsigned)
            p0 = block * BLOCK
            p1 = min(p0 + BLOCK, n_particles)
            # the block's scratch: the values one phase of the step passes to the next
            mine = np.empty((SCRATCH_ROWS, BLOCK))
            scratch = _Scratch(np.empty(BLOCK, dtype=np.bool_), np.empty(BLOCK, dtype=np.bool_),
                               mine[X], mine[Y], mine[CU], mine[CV], mine[WU], mine[WV],
                               mine[LON_PER_M], mine[STEP_DLON], mine[STEP_DLAT])
            # the fields at the step's start
            current = _Sampling(c_grid, c_it[n, 0], c_wt[n, 0], c_east, c_north, c_into,
                                c_window, c_xyz, c_cells)
            wind = _Sampling(w_grid, w_it[n, 0], w_wt[n, 0], w_east, w_north, w_into, w_window,
                             w_xyz, w_cells)
            _switch(p0, p1, step, settings, state, lee)
            if _start_block(p0, p1, step, state, lee, settings, log_stay, out, scratch):
                if searched:  # the fields at the step's start
                    _sample_searched(p0, p1, status, scratch, current, wind, together)
                else:  # each pruned before typing where its argument is None
                    if shared is not None:
                        _sample_pair_block(p0, p1, status, scratch, current, wind)
                    if apart is not None:
                        _sample_two_block(p0, p1, status, scratch, current, wind)
                _hazard_phase(p0, p1, step.now, settings, state, scratch)
                if _velocity_block(p0, p1, lee, state, scratch):
                    middle_current = _Sampling(c_grid, c_it[n, 1], c_wt[n, 1], c_east,
                                               c_north, c_into, c_window, c_xyz, c_cells)
                    middle_wind = _Sampling(w_grid, w_it[n, 1], w_wt[n, 1], w_east, w_north,
                                            w_into, w_window, w_xyz, w_cells)
                    _fresh_block(p0, p1, dt, lee, state, scratch, middle_current, middle_wind)
            _end_block(p0, p1, step, settings, state, scratch, current, wind, land, bounds,
                       block)
            _advance_leeway(p0, p1, step, settings, state, scratch, lee)
        since += 1
        if measure:  # where the particles still to move are
            since = 0
            lo = np.inf
            hi = -np.inf
            lo_y = np.inf
            hi_y = -np.inf
            for b in range(n_blocks):
                lo = min(lo, bounds[b, 0])
                hi = max(hi, bounds[b, 1])
                lo_y = min(lo_y, bounds[b, 2])
                hi_y = max(hi_y, bounds[b, 3])
        if write:
            slot += 1
            next_output += output_every
