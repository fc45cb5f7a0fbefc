"""The arguments of the drift kernel (:func:`sarkit.drift.kernels.drift`), as named records.

Each record is a :class:`typing.NamedTuple` of arrays and numbers: numba takes a
named tuple as one argument and reads its fields at compile time, so a record
costs nothing at run time, and the kernel stays a plain function over flat arrays.
The Python wrapper (:func:`sarkit.drift.ensemble.run_block`) builds them.

* :class:`ParticleState`: the arrays over particles, some updated in place.
* :class:`Fields`: the current and the wind (:class:`Field` each) and the land mask
  (:class:`Land`); :func:`same_grid` says whether the two share one grid (the kernel's
  ``shared`` argument).
* :class:`Settings`: what is the same for every particle of a call.
* :class:`OutputArrays`: where the output times are written.

The dtypes given are the ones the kernel is compiled for; other dtypes compile
again (or fail).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["Field", "Fields", "Land", "OutputArrays", "ParticleState", "Settings", "same_grid"]


class ParticleState(NamedTuple):
    """The particles of a kernel call: one array over particles per field, all of one length.

    ``lon``, ``lat``, ``status``, ``side``, ``next_jibe``, ``prev_dlon``, ``prev_dlat`` and,
    where a particle changes class (:attr:`Settings.transitions`), ``class_index``,
    ``r_down``, ``r_cross``, ``hazard_left``, ``switch_step`` and ``switch_to`` (and ``r_down``,
    ``r_cross`` every step where they vary in time, :attr:`Settings.leeway_memory`) are updated
    in place, so that a run split into consecutive calls that carry this state equals one call.
    """

    lon: np.ndarray
    """float64, degrees east; updated."""
    lat: np.ndarray
    """float64, degrees north; updated."""
    status: np.ndarray
    """int8 :class:`~sarkit.drift.status.Status` codes; updated."""
    release: np.ndarray
    """float64, time of release (epoch seconds)."""
    side: np.ndarray
    """int8 crosswind side, +1 right / -1 left; updated at jibes."""
    next_jibe: np.ndarray
    """int64, global step number of the next jibe, -1 where not drawn yet; updated."""
    prev_dlon: np.ndarray
    """float64, the deterministic velocity (degrees of longitude per second) at the start of
    the particle's last step, NaN where it has none (first step, jibe); updated."""
    prev_dlat: np.ndarray
    """float64, the same in degrees of latitude per second; updated."""
    class_index: np.ndarray
    """int32, the particle's row of :attr:`Settings.classes`; updated at a transition."""
    r_down: np.ndarray
    """float64, the standard normal of the downwind leeway perturbation; redrawn at a
    transition, and advanced every step where it varies in time."""
    r_cross: np.ndarray
    """float64, the standard normal of the crosswind leeway perturbation; redrawn at a
    transition, and advanced every step where it varies in time."""
    ids: np.ndarray
    """int64, global particle ids: the key of their random numbers."""
    hazard_left: np.ndarray
    """float64, the transition hazard the particle still has to accumulate before it switches
    class (an exponential number at the start; inf: never); updated."""
    switch_step: np.ndarray
    """int32, global step number from which the particle has its new class, -1 where it has
    not switched; updated."""
    switch_to: np.ndarray
    """int32, the row of :attr:`Settings.classes` it switches to, -1 before it is drawn;
    updated."""


class Field(NamedTuple):
    """A forcing field (east, north), linear in time, on a regular lon/lat grid or on an
    ocean model's own grid.

    On a regular grid (``xyz`` and ``cells`` None) the grid point (row ``j``, column ``i``) is at
    (``lon0 + i dlon``, ``lat0 + j dlat``). On a model's own grid the nodes are ``xyz``, and
    ``lon0``, ``lat0``, ``dlon``, ``dlat`` and ``cells`` are the lookup raster that the search
    of a point starts from (:mod:`sarkit.forcing.meshsearch`).
    """

    lon0: float
    """Longitude of the first column (of the lookup raster), degrees."""
    lat0: float
    """Latitude of the first row (of the lookup raster), degrees."""
    dlon: float
    """Column spacing, degrees."""
    dlat: float
    """Row spacing, degrees."""
    times: np.ndarray
    """float64 (nt,), increasing, epoch seconds; one time: a steady field."""
    east: np.ndarray
    """(nt, ny, nx) eastward component, m/s (float32 or float64); NaN: missing (land)."""
    north: np.ndarray
    """(nt, ny, nx) northward component, m/s, the dtype of ``east``."""
    xyz: np.ndarray | None = None
    """float64 (3, ny, nx) unit vectors of a model grid's nodes; None on a regular grid (the
    kernel is then compiled without the search)."""
    cells: np.ndarray | None = None
    """int64 (my, mx) the lookup raster's start cells; None on a regular grid."""


class Land(NamedTuple):
    """The land mask: cell (row ``j``, column ``i``) spans ``west + i dlon`` .. ``+ dlon`` and
    ``south + j dlat`` .. ``+ dlat`` (:func:`sarkit.drift.coast.is_land`)."""

    west: float
    """Western edge of the first column, degrees."""
    south: float
    """Southern edge of the first row, degrees."""
    dlon: float
    """Cell width, degrees."""
    dlat: float
    """Cell height, degrees."""
    mask: np.ndarray
    """uint8 (ny, nx), 1 on land."""


class Fields(NamedTuple):
    """What the particles move in: the surface current, the 10 m wind and the land."""

    current: Field
    wind: Field
    land: Land


def same_grid(current: Field, wind: Field) -> bool:
    """Whether current and wind share one grid: the same ``lon0``, ``lat0``, ``dlon``,
    ``dlat``, the same (ny, nx), and on a model's own grid the same nodes (``xyz``; both None
    on regular grids): the kernel's own test of its ``shared`` argument
    (:func:`sarkit.drift.kernels.drift`).

    Parameters
    ----------
    current, wind : Field
        The two fields.

    Returns
    -------
    bool
        True where they share one grid.
    """
    if (current.lon0, current.lat0, current.dlon, current.dlat) != (
            wind.lon0, wind.lat0, wind.dlon, wind.dlat):
        return False
    if current.east.shape[1:] != wind.east.shape[1:]:
        return False
    if current.xyz is None or wind.xyz is None:
        return current.xyz is None and wind.xyz is None
    return current.xyz.shape == wind.xyz.shape and bool(np.all(current.xyz == wind.xyz))


class Settings(NamedTuple):
    """What is the same for every particle of a kernel call."""

    classes: np.ndarray
    """float64 (n_classes, 9): each leeway class's coefficients, SI (slopes as fractions,
    offsets and standard errors in m/s; the column order of :mod:`sarkit.drift.kernels`)."""
    seed: int
    """The run's seed: with the particle id, the step and a stream, the key of every random
    number."""
    start: float
    """Time of this call's step 0, epoch seconds."""
    first_step: int
    """Global step number of this call's step 0 (it keys the random numbers)."""
    dt: float
    """Signed time step, seconds (negative: backward)."""
    n_steps: int
    """Steps of this call."""
    output_every: int
    """Steps between two output times (step 0 and the last step are written too)."""
    jibe_step: float
    """Probability of a jibe per step."""
    walk_std: float
    """Random-walk displacement per axis per step, metres (sqrt(2 K |dt|)); 0: none."""
    transitions: np.ndarray | None = None
    """float64 (n_transitions, 5), the object transitions
    (:func:`sarkit.drift.transitions.transition_table`): rows of ``classes`` from and to, the
    hazard per second, the wind threshold (m/s), the hazard per second per m/s above it; no
    rows or None: none (the particles' ``hazard_left`` is then never touched; with None the
    kernel is compiled without them: a type, not a value)."""
    leeway_memory: np.ndarray | None = None
    """Leeway perturbations that vary in time: float64 [``exp(-|dt|/T)``, ``sqrt(1 -
    exp(-2|dt|/T))``] of an Ornstein-Uhlenbeck process of correlation time ``T``, by which
    each moving particle's ``r_down`` and ``r_cross`` advance every step; None: drawn once for
    the whole run (the kernel is then compiled without the process: a type, not a value; an
    array, not a tuple, as numba's parallel loops take a record's arrays)."""


class OutputArrays(NamedTuple):
    """Where the kernel writes the output times: arrays (n_outputs, n) time-major (an output
    time is one run of memory), whose columns ``first .. first + n_particles`` are this
    call's particles."""

    lon: np.ndarray
    """float64 longitudes."""
    lat: np.ndarray
    """float64 latitudes."""
    status: np.ndarray
    """int8 status codes."""
    side: np.ndarray
    """int8 crosswind sides."""
    first: int
    """Column of this call's first particle."""
