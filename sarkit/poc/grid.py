"""Probability of containment (POC) on square, equal-area cells.

:func:`poc_grid` takes the particles of a drift ensemble at one output time and
returns a :class:`PocGrid`: the probability that the search object is in each
cell of a square grid on a local Lambert azimuthal equal-area projection
(``+proj=laea``) centred on the weighted centroid of the cloud, so every cell
covers the same area of sea.

Which particles count (codes from :class:`sarkit.drift.status.Status`):

* ``ACTIVE`` (drifting at sea) and ``NOT_RELEASED`` (waiting at their start)
  go into the sea cells;
* ``STRANDED`` particles are on the shore: their weight and positions are
  reported separately (a shoreline search), never mixed into the sea cells;
* ``LEFT_DOMAIN`` and ``OUT_OF_TIME`` particles are counted and their weight is
  reported as unaccounted.

The POC over the sea cells is renormalised to sum to 1; the factor used
(1 / the weight of the sea particles) is reported as ``renormalisation``.

The reduction is deterministic: weights are accumulated per cell with
:func:`numpy.bincount`, which sums in particle order, so no result depends on
the number of threads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr
from pyproj import CRS, Transformer

from sarkit.drift.status import Status
from sarkit.drift.transitions import classes_at
from sarkit.errors import BadValueError
from sarkit.forcing.request import check_time
from sarkit.geodesy import transformer
from sarkit.positions import format_position
from sarkit.times import format_time
from sarkit.units import NAUTICAL_MILE

__all__ = ["MAX_CELLS", "MAX_CELL_NM", "MIN_CELL_NM", "NothingAtSeaError", "PocGrid",
           "choose_cell_nm", "output_index", "particle_weights", "poc_grid"]

MIN_CELL_NM = 0.1
"""The smallest cell the automatic rule chooses (NM)."""

MAX_CELL_NM = 60.0
"""The largest cell a user may ask for (NM): a degree of latitude. A search area is drawn from
cells; cells wider than a day's drift merge the 50 and 95 % areas into a few squares."""

MAX_CELLS = 25_000_000
"""The most cells one grid may have (200 MB of float64)."""

_NICE_MANTISSAS = (1.0, 2.0, 2.5, 5.0)
_CELLS_PER_EXTENT = 25.0
_SEA = (Status.ACTIVE, Status.NOT_RELEASED)
_UNACCOUNTED = (Status.LEFT_DOMAIN, Status.OUT_OF_TIME)


class NothingAtSeaError(BadValueError):
    """No particle (or no weight) is at sea at the time asked: there is no search area."""


@dataclass(frozen=True, repr=False)
class PocGrid:
    """POC on square, equal-area cells of a local azimuthal equal-area projection.

    Attributes
    ----------
    crs : pyproj.CRS
        The ``+proj=laea`` projection (metres) the cells are square in.
    x0, y0 : float
        Projected coordinates of the lower-left corner of cell ``[0, 0]`` (m).
    cell_m : float
        Side of one cell (m).
    poc : numpy.ndarray
        POC per cell, shape ``(ny, nx)`` (row ``j`` is ``y0 + j * cell_m``), float64,
        summing to 1 over the sea cells. Read-only.
    valid_time : numpy.datetime64
        The output time the particles were taken at (UTC).
    counts : dict of str to int
        Particles per status label (``"active"``, ``"stranded"`` ...); they add up
        to the number of particles.
    sea_weight : float
        Share of the total weight carried by the particles in the sea cells.
    renormalisation : float
        ``1 / sea_weight``: the factor the sea weights were multiplied by.
    stranded_weight : float
        Share of the total weight carried by stranded particles.
    stranded_lonlat : numpy.ndarray
        Positions of the stranded particles, shape ``(n, 2)``, lon/lat degrees.
    stranded_weights : numpy.ndarray
        Their weights, as shares of the total weight, shape ``(n,)``.
    unaccounted_weight : float
        Share of the total weight of particles that left the domain or ran out
        of forcing time.
    datum_lon, datum_lat : float
        The datum: the probability-weighted centre of the sea particles
        (weighted mean of the projected positions, transformed back), degrees.
    spread_major_nm, spread_minor_nm : float
        Weighted standard deviations along the principal axes of the cloud (NM).
    spread_axis_deg : float
        True bearing of the major axis, degrees in [0, 180).
    class_shares : dict of str to float
        Where the object may change class on the way (object transitions, the trajectories'
        ``class_index``): each class id's share of the probability at sea; they add up to 1.
        Empty otherwise (one class).
    class_poc : dict of str to numpy.ndarray
        For the same classes, the POC per cell of the object being of that class, shape
        ``(ny, nx)``: they add up to ``poc`` (each sums to its class's share). Read-only.
    """

    crs: CRS
    x0: float
    y0: float
    cell_m: float
    poc: np.ndarray
    valid_time: np.datetime64
    counts: dict[str, int]
    sea_weight: float
    renormalisation: float
    stranded_weight: float
    stranded_lonlat: np.ndarray
    stranded_weights: np.ndarray
    unaccounted_weight: float
    datum_lon: float
    datum_lat: float
    spread_major_nm: float
    spread_minor_nm: float
    spread_axis_deg: float
    class_shares: dict[str, float] = field(default_factory=dict)
    class_poc: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int]:
        """``(ny, nx)``."""
        return self.poc.shape

    @property
    def cell_nm(self) -> float:
        """Side of one cell (NM)."""
        return self.cell_m / NAUTICAL_MILE

    @property
    def cell_area_nm2(self) -> float:
        """Area of one cell (NM²)."""
        return self.cell_nm**2

    def cell_centres_xy(self) -> tuple[np.ndarray, np.ndarray]:
        """Projected cell centres (m), each of shape ``(ny, nx)``."""
        ny, nx = self.shape
        x = self.x0 + (np.arange(nx) + 0.5) * self.cell_m
        y = self.y0 + (np.arange(ny) + 0.5) * self.cell_m
        return np.meshgrid(x, y)

    def cell_centres_lonlat(self) -> tuple[np.ndarray, np.ndarray]:
        """Cell centres as lon/lat degrees (WGS84), each of shape ``(ny, nx)``."""
        x, y = self.cell_centres_xy()
        lon, lat = self.to_lonlat().transform(x, y)
        return np.asarray(lon), np.asarray(lat)

    def to_lonlat(self) -> Transformer:
        """Transformer from the grid projection to WGS84 lon/lat."""
        return transformer(self.crs, "EPSG:4326")

    def from_lonlat(self) -> Transformer:
        """Transformer from WGS84 lon/lat to the grid projection."""
        return transformer("EPSG:4326", self.crs)

    def __repr__(self) -> str:
        ny, nx = self.shape
        counted = ", ".join(f"{n} {label}" for label, n in self.counts.items() if n)
        return (
            f"PocGrid({nx} x {ny} cells of {self.cell_nm:g} NM at {_iso(self.valid_time)}, "
            f"datum {format_position(self.datum_lon, self.datum_lat, 4)}, "
            f"spread {self.spread_major_nm:.2f} x {self.spread_minor_nm:.2f} NM; "
            f"particles: {counted}; sea weight {self.sea_weight:.4f}, "
            f"stranded {self.stranded_weight:.4f}, unaccounted {self.unaccounted_weight:.4f})"
        )

    def _repr_html_(self) -> str:
        from sarkit._html import html_table

        ny, nx = self.shape
        rows = [("valid time", _iso(self.valid_time)),
                ("cells", f"{nx} x {ny} of {self.cell_nm:g} NM "
                          f"({int(np.count_nonzero(self.poc))} with POC > 0)"),
                ("datum", format_position(self.datum_lon, self.datum_lat, 4)),
                ("spread (1 sigma)", f"{self.spread_major_nm:.2f} x {self.spread_minor_nm:.2f}"
                                     f" NM, major axis {self.spread_axis_deg:.0f}°"),
                ("particles", ", ".join(f"{n} {k}" for k, n in self.counts.items() if n)),
                ("weight", f"sea {self.sea_weight:.4f}, stranded {self.stranded_weight:.4f}, "
                           f"unaccounted {self.unaccounted_weight:.4f}")]
        return html_table("POC grid", ("", ""), rows)

    def to_dataframe(self, *, all_cells: bool = False):
        """One row per cell with POC > 0 (every cell with ``all_cells``), highest POC first.

        Returns
        -------
        pandas.DataFrame
            Columns ``row``, ``col``, ``lon``, ``lat`` (cell centre, degrees), ``poc`` and
            ``cumulative_poc`` (the running sum in that order: a cell is in the p % area
            where its running sum up to the cell before it is below p).
        """
        import pandas as pd

        lon, lat = self.cell_centres_lonlat()
        rows, cols = np.indices(self.shape)
        table = pd.DataFrame({"row": rows.ravel(), "col": cols.ravel(), "lon": lon.ravel(),
                              "lat": lat.ravel(), "poc": np.asarray(self.poc).ravel()})
        if not all_cells:
            table = table[table["poc"] > 0]
        table = table.sort_values("poc", ascending=False, kind="stable").reset_index(drop=True)
        table["cumulative_poc"] = table["poc"].cumsum()
        return table

    def to_dataset(self) -> xr.Dataset:
        """The grid as an xarray Dataset (``poc`` on projected ``y``, ``x``, with lon/lat)."""
        ny, nx = self.shape
        x = self.x0 + (np.arange(nx) + 0.5) * self.cell_m
        y = self.y0 + (np.arange(ny) + 0.5) * self.cell_m
        lon, lat = self.cell_centres_lonlat()
        attrs: dict[str, Any] = {
            "title": "sarkit probability of containment",
            "crs_wkt": self.crs.to_wkt(),
            "cell_nm": self.cell_nm,
            "valid_time": _iso(self.valid_time),
            "sea_weight": self.sea_weight,
            "renormalisation": self.renormalisation,
            "stranded_weight": self.stranded_weight,
            "unaccounted_weight": self.unaccounted_weight,
            "datum_lon": self.datum_lon,
            "datum_lat": self.datum_lat,
            "spread_major_nm": self.spread_major_nm,
            "spread_minor_nm": self.spread_minor_nm,
            "spread_axis_deg": self.spread_axis_deg,
        }
        attrs.update({f"count_{k.replace(' ', '_')}": v for k, v in self.counts.items()})
        return xr.Dataset(
            {
                "poc": (("y", "x"), np.array(self.poc),
                        {"long_name": "probability of containment", "units": "1"}),
                "lon": (("y", "x"), lon, {"standard_name": "longitude",
                                          "units": "degrees_east"}),
                "lat": (("y", "x"), lat, {"standard_name": "latitude",
                                          "units": "degrees_north"}),
            },
            coords={
                "x": ("x", x, {"standard_name": "projection_x_coordinate", "units": "m"}),
                "y": ("y", y, {"standard_name": "projection_y_coordinate", "units": "m"}),
                "time": ((), np.datetime64(self.valid_time, "ns"), {"standard_name": "time"}),
            },
            attrs=attrs,
        )


PARTICLES_PER_CELL = 20
"""Average particles per cell in the cloud's 2-sigma ellipse that the automatic cell size keeps."""


def choose_cell_nm(spread_major_nm: float, spread_minor_nm: float | None = None,
                   particles: int | None = None) -> float:
    """Cell side chosen from the spread of the cloud (NM).

    The rule: about 1/25 of the cloud's 2-sigma extent along its major axis
    (``4 * sigma_major / 25``), but not so small that the cloud's 2-sigma
    ellipse holds fewer than :data:`PARTICLES_PER_CELL` particles per cell on
    average (sparse cells make speckled areas); rounded *down* to a nice value
    (1, 2, 2.5 or 5 times a power of ten: ... 0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10 ...),
    never below :data:`MIN_CELL_NM` (0.1 NM).

    Parameters
    ----------
    spread_major_nm, spread_minor_nm : float
        Weighted standard deviations along the principal axes (NM).
    particles : int, optional
        Number of particles at sea; without it (or the minor spread) only the
        first rule applies.
    """
    raw = 4.0 * spread_major_nm / _CELLS_PER_EXTENT
    if particles and spread_minor_nm is not None and particles > 0:
        ellipse_nm2 = math.pi * (2.0 * spread_major_nm) * (2.0 * spread_minor_nm)
        raw = max(raw, math.sqrt(ellipse_nm2 * PARTICLES_PER_CELL / particles))
    if not math.isfinite(raw) or raw <= MIN_CELL_NM:
        return MIN_CELL_NM
    power = 10.0 ** math.floor(math.log10(raw))
    nice = max(m * power for m in _NICE_MANTISSAS if m * power <= raw * (1 + 1e-12))
    return max(nice, MIN_CELL_NM)


def poc_grid(
    trajectories: xr.Dataset, time: int | Any = -1, cell_nm: float | None = None,
    object_class: str | None = None,
) -> PocGrid:
    """POC per square, equal-area cell at one output time.

    Parameters
    ----------
    trajectories : xarray.Dataset
        A drift ensemble in CF trajectory layout (as from :func:`sarkit.simulate`):
        ``lon``, ``lat``, ``status`` on (trajectory, time), and optionally ``weight``
        per trajectory (equal weights when absent).
    time : int or datetime-like, default -1
        The output time: an integer is an index into ``time`` (-1 the last);
        anything else is a time (ISO 8601 UTC text, datetime, datetime64) and the
        nearest output time is taken; a time outside the run is refused.
    cell_nm : float, optional
        Cell side (NM); by default chosen from the spread (:func:`choose_cell_nm`).
    object_class : str, optional
        Only the particles that are of this object class (id) at the time: the POC of the
        object given that it is of that class (after object transitions, e.g. ``"PIW-1"``,
        the persons in the water of a boat that capsized). Default: every particle, and
        the grid's ``class_shares`` and ``class_poc`` split it by class.

    Returns
    -------
    PocGrid

    Raises
    ------
    sarkit.errors.BadValueError
        For a time outside the run, a bad cell size, bad weights, no particle at
        sea, or a grid that would need too many cells.
    """
    index = output_index(trajectories, time)
    if object_class is not None:
        trajectories = _of_class(trajectories, index, object_class)
    lon = np.asarray(trajectories["lon"].isel(time=index).values, dtype=np.float64)
    lat = np.asarray(trajectories["lat"].isel(time=index).values, dtype=np.float64)
    status = np.asarray(trajectories["status"].isel(time=index).values)
    valid_time = np.datetime64(trajectories["time"].values[index], "ns")
    weights = particle_weights(trajectories)
    total = math.fsum(weights)

    sea = np.isin(status, [int(s) for s in _SEA])
    stranded = status == int(Status.STRANDED)
    unaccounted = np.isin(status, [int(s) for s in _UNACCOUNTED])
    counts = {s.label: int(np.count_nonzero(status == int(s))) for s in Status}
    sea_w = weights[sea]
    sea_weight = math.fsum(sea_w) / total
    if not sea.any() or sea_weight <= 0.0:
        listed = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
        raise NothingAtSeaError(
            f"no particle (or no weight) is at sea at {_iso(valid_time)} ({listed}): there is "
            "no search area",
            "search the shoreline where they stranded, choose an earlier time, or run a shorter "
            "drift", "time")
    sea_lon, sea_lat = lon[sea], lat[sea]
    if not (np.isfinite(sea_lon).all() and np.isfinite(sea_lat).all()):
        raise BadValueError("particles at sea have missing (NaN) positions",
                            "check the trajectories", "lon/lat")

    crs = _laea(*_centroid(sea_lon, sea_lat, sea_w))
    forward = transformer("EPSG:4326", crs)
    x, y = forward.transform(sea_lon, sea_lat)
    x, y = np.asarray(x), np.asarray(y)
    mx, my, major, minor, axis = _moments(x, y, sea_w)
    inverse = transformer(crs, "EPSG:4326")
    datum_lon, datum_lat = inverse.transform(mx, my)

    if cell_nm is None:
        cell_nm = choose_cell_nm(major / NAUTICAL_MILE, minor / NAUTICAL_MILE, int(sea.sum()))
    else:
        cell_nm = _check_cell(cell_nm)
    cell_m = cell_nm * NAUTICAL_MILE
    poc, x0, y0, flat = _accumulate(x, y, sea_w, cell_m)
    poc.setflags(write=False)
    class_poc: dict[str, np.ndarray] = {}
    if "class_index" in trajectories and object_class is None:
        order = str(trajectories["class_index"].attrs.get("flag_meanings", "")).split()
        class_poc = _class_poc(classes_at(trajectories, index)[sea], flat, sea_w, poc.shape,
                               order)

    st_w = weights[stranded] / total
    st_xy = np.column_stack([lon[stranded], lat[stranded]])
    st_w.setflags(write=False)
    st_xy.setflags(write=False)
    return PocGrid(
        crs=crs, x0=x0, y0=y0, cell_m=cell_m, poc=poc, valid_time=valid_time, counts=counts,
        sea_weight=sea_weight, renormalisation=1.0 / sea_weight,
        stranded_weight=math.fsum(weights[stranded]) / total, stranded_lonlat=st_xy,
        stranded_weights=st_w, unaccounted_weight=math.fsum(weights[unaccounted]) / total,
        datum_lon=float(datum_lon), datum_lat=float(datum_lat),
        spread_major_nm=major / NAUTICAL_MILE, spread_minor_nm=minor / NAUTICAL_MILE,
        spread_axis_deg=axis,
        class_shares={name: float(part.sum()) for name, part in class_poc.items()},
        class_poc=class_poc,
    )


def _of_class(trajectories: xr.Dataset, index: int, object_class: str) -> xr.Dataset:
    """The particles of ``trajectories`` that are of ``object_class`` at output ``index``."""
    found = classes_at(trajectories, index)
    mine = found == str(object_class)
    if not mine.any():
        present = ", ".join(dict.fromkeys(found.tolist()))
        raise BadValueError(f"no particle is of object class {object_class!r} at that time "
                            f"(there are {present})", "give one of those classes",
                            "object_class")
    return trajectories.isel(trajectory=np.flatnonzero(mine))


def _class_poc(classes: np.ndarray, flat: np.ndarray, weights: np.ndarray,
               shape: tuple[int, int], order: list[str]) -> dict[str, np.ndarray]:
    """Per class of the sea particles (in the class table's ``order``), the POC per cell of
    those of that class (cells ``flat``, :func:`_accumulate`), as shares of the whole: they
    add up to the POC."""
    total = math.fsum(weights)
    out = {}
    present = set(classes.tolist())
    for name in [c for c in order if c in present] + sorted(present - set(order)):
        mine = classes == name
        sums = np.bincount(flat[mine], weights=weights[mine], minlength=shape[0] * shape[1])
        part = (sums / total).reshape(shape)
        part.setflags(write=False)
        out[name] = part
    return out


def output_index(trajectories: xr.Dataset, time: Any) -> int:
    """The index of an output time: ``time`` an index (``-1`` the last), or the output time
    nearest a time (ISO 8601 text, datetime, datetime64).

    Raises
    ------
    BadValueError
        For an index or a time outside the run.
    """
    times = trajectories["time"].values
    n = times.size
    if isinstance(time, int | np.integer) and not isinstance(time, bool):
        if not -n <= int(time) < n:
            raise BadValueError(f"output time index {int(time)} is outside 0..{n - 1}",
                                "give an index of an output time, or -1 for the last", "time")
        return int(time) % n
    wanted = check_time(time, "output")
    stamps = times.astype("datetime64[ns]").astype(np.int64) / 1e9
    first, last = float(stamps.min()), float(stamps.max())
    if wanted < first - 1e-6 or wanted > last + 1e-6:
        raise BadValueError(
            f"{format_time(wanted)} is outside the run ({format_time(first)} .. "
            f"{format_time(last)})", "choose a time inside the run", "time")
    return int(np.argmin(np.abs(stamps - wanted)))


def particle_weights(trajectories: xr.Dataset) -> np.ndarray:
    """The particles' weights (``weight``; equal where absent), checked: one per particle,
    finite, not negative, not all zero, and with a finite sum (weights as large as 1e308 are
    scaled down by the largest; only their ratios count).

    Raises
    ------
    BadValueError
        For weights that cannot be probabilities.
    """
    n = trajectories.sizes["trajectory"]
    if "weight" not in trajectories:
        return np.full(n, 1.0 / n)
    weights = np.asarray(trajectories["weight"].values, dtype=np.float64)
    if weights.shape != (n,) or not np.isfinite(weights).all() or (weights < 0).any():
        raise BadValueError("particle weights must be finite and not negative, one per particle",
                            "check the weight variable", "weight")
    if not weights.any():
        raise BadValueError("particle weights add up to zero", "give positive weights", "weight")
    with np.errstate(over="ignore"):
        total = weights.sum()
    if not np.isfinite(total):
        weights = weights / weights.max()
    return weights


def _check_cell(cell_nm: float) -> float:
    try:
        value = float(cell_nm)
    except (TypeError, ValueError):
        value = math.nan
    if isinstance(cell_nm, bool) or not math.isfinite(value) or value <= 0.0:
        raise BadValueError(f"cell size {cell_nm!r} NM is not a positive number",
                            "give a cell size in NM, e.g. 0.5, or leave it out", "cell_nm")
    if value > MAX_CELL_NM:
        raise BadValueError(f"cell size {value:g} NM is larger than {MAX_CELL_NM:g} NM (a "
                            "degree): the search areas would be a few squares",
                            f"give at most {MAX_CELL_NM:g} NM, or leave it out", "cell_nm")
    return value


def _centroid(lon: np.ndarray, lat: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Weighted centre on the sphere (mean of unit vectors): safe across the antimeridian."""
    lam, phi = np.radians(lon), np.radians(lat)
    cos_phi = np.cos(phi)
    vx = float(np.dot(w, cos_phi * np.cos(lam)))
    vy = float(np.dot(w, cos_phi * np.sin(lam)))
    vz = float(np.dot(w, np.sin(phi)))
    return math.degrees(math.atan2(vy, vx)), math.degrees(math.atan2(vz, math.hypot(vx, vy)))


def _laea(lon0: float, lat0: float) -> CRS:
    return CRS.from_proj4(
        f"+proj=laea +lat_0={lat0:.10f} +lon_0={lon0:.10f} +x_0=0 +y_0=0 "
        "+ellps=WGS84 +units=m +no_defs")


def _moments(x: np.ndarray, y: np.ndarray, w: np.ndarray):
    """Weighted mean, principal standard deviations (m) and major-axis bearing (deg)."""
    sw = float(w.sum())
    mx, my = float(np.dot(w, x)) / sw, float(np.dot(w, y)) / sw
    dx, dy = x - mx, y - my
    cxx = float(np.dot(w, dx * dx)) / sw
    cyy = float(np.dot(w, dy * dy)) / sw
    cxy = float(np.dot(w, dx * dy)) / sw
    values, vectors = np.linalg.eigh(np.array([[cxx, cxy], [cxy, cyy]]))
    minor, major = (math.sqrt(max(float(v), 0.0)) for v in values)
    ex, ey = vectors[:, 1]
    axis = math.degrees(math.atan2(ex, ey)) % 180.0
    return mx, my, major, minor, axis


def _accumulate(x: np.ndarray, y: np.ndarray, w: np.ndarray, cell_m: float):
    """Sum weights per cell; the lattice is anchored at the projection centre."""
    i0 = math.floor(float(x.min()) / cell_m)
    j0 = math.floor(float(y.min()) / cell_m)
    nx = math.floor(float(x.max()) / cell_m) - i0 + 1
    ny = math.floor(float(y.max()) / cell_m) - j0 + 1
    if nx * ny > MAX_CELLS:
        raise BadValueError(
            f"a {cell_m / NAUTICAL_MILE:g} NM grid over this cloud needs {nx} x {ny} cells "
            f"(more than {MAX_CELLS})", "give a larger cell size (cell_nm)", "cell_nm")
    ix = np.clip(np.floor(x / cell_m).astype(np.int64) - i0, 0, nx - 1)
    iy = np.clip(np.floor(y / cell_m).astype(np.int64) - j0, 0, ny - 1)
    flat = iy * nx + ix
    if w.size and (w == w[0]).all():
        sums = np.bincount(flat, minlength=nx * ny).astype(np.float64)
    else:
        sums = np.bincount(flat, weights=w, minlength=nx * ny)
    poc = (sums / sums.sum()).reshape(ny, nx)
    return poc, i0 * cell_m, j0 * cell_m, flat


def _iso(moment: np.datetime64) -> str:
    return str(np.datetime64(moment, "s")) + "Z"
