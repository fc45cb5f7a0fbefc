"""Horizontal geometry of a velocity variable: regular, curvilinear or projected.

Choices this module makes, so that users can rely on them:

* **Projected grids** (a ``grid_mapping`` or ``proj4`` attribute with 1-D x/y):
  positions come from x/y and the projection, not from any 2-D lon/lat the file
  also carries. The projection defines the grid; stored lon/lat are a derived,
  often quantised copy (in the met.no Arctic20 file they are ~0.8 cell off). A
  ``proj4``-style string wins over CF grid-mapping attributes when both exist
  (Arctic20's CF attributes contradict its proj4 string). The grid's rotation
  comes from the projection itself.
* **Curvilinear grids** (2-D lon/lat): rotation from the ROMS ``angle`` variable
  where there is one, else from the direction of the grid's first axis between
  neighbouring points. C-grid positions whose coordinates are missing or
  destroyed (all zero) are derived from the rho points (u half a cell along
  xi, v half a cell along eta), as in ROMS.
* **Unstructured meshes** (FVCOM, UGRID) are refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj
import xarray as xr

from sarkit.forcing.axes import is_latitude, is_longitude
from sarkit.geodesy import WGS84, transformer

__all__ = [
    "MAX_ABS_LONGITUDE",
    "Horizontal",
    "grid_angle",
    "horizontal_grid",
    "position_problem",
    "projection_angle",
]


@dataclass(frozen=True, eq=False)
class Horizontal:
    """Where the values of one variable sit.

    Attributes
    ----------
    kind : str
        ``"regular"`` (1-D lon and lat), ``"curvilinear"`` (2-D lon/lat) or
        ``"projected"`` (1-D x/y in a map projection).
    y_dim, x_dim : str
        The variable's horizontal dimensions.
    lon, lat : numpy.ndarray
        1-D (regular) or 2-D (y, x) positions in degrees.
    angle : numpy.ndarray or None
        Curvilinear only: (y, x) angle of the grid's x axis counter-clockwise
        from east, radians.
    crs : pyproj.CRS or None
        Projected only: the grid's projection.
    x, y : numpy.ndarray or None
        Projected only: 1-D coordinates in the projection's units.
    note : str
        How the geometry was found.
    """

    kind: str
    y_dim: str
    x_dim: str
    lon: np.ndarray
    lat: np.ndarray
    angle: np.ndarray | None = None
    crs: pyproj.CRS | None = None
    x: np.ndarray | None = None
    y: np.ndarray | None = None
    note: str = ""

    def same_positions(self, other: Horizontal) -> bool:
        """True when both put their values at the same places."""
        return (
            self.kind == other.kind
            and self.lon.shape == other.lon.shape
            and self.lat.shape == other.lat.shape
            and np.allclose(self.lon, other.lon, rtol=0.0, atol=1e-6, equal_nan=True)
            and np.allclose(self.lat, other.lat, rtol=0.0, atol=1e-6, equal_nan=True)
        )


def grid_angle(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Angle of the grid's x axis (increasing last index), counter-clockwise from east.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        (y, x) positions in degrees; longitudes may jump at the antimeridian.

    Returns
    -------
    numpy.ndarray
        (y, x) radians.
    """
    lon_rad = np.unwrap(np.radians(lon), axis=1)
    lat_rad = np.radians(lat)
    d_east = np.gradient(lon_rad, axis=1) * np.cos(lat_rad)
    d_north = np.gradient(lat_rad, axis=1)
    return np.arctan2(d_north, d_east)


def projection_angle(crs: pyproj.CRS, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Angle of a projection's x axis, counter-clockwise from east, at lon/lat points (radians)."""
    to_xy = transformer("EPSG:4326", crs)
    x, y = to_xy.transform(lon, lat)
    step = 10.0 / crs.axis_info[0].unit_conversion_factor  # 10 m in projection units
    lon2, lat2 = to_xy.transform(x + step, y, direction="INVERSE")
    d_east = (np.mod(lon2 - lon + 180.0, 360.0) - 180.0) * np.cos(np.radians(lat))
    return np.arctan2(lat2 - lat, d_east)


MAX_ABS_LONGITUDE = 720.0
"""Longitudes beyond +-720 degrees are fill values or not longitudes at all."""


def position_problem(lon: np.ndarray, lat: np.ndarray) -> str | None:
    """Why these longitudes/latitudes cannot be positions, or None when they can.

    Missing (NaN) values, latitudes beyond +-90, longitudes beyond
    +-:data:`MAX_ABS_LONGITUDE` (undeclared fill values such as 9.97e36 or -999
    land there), a single point, or all points in one place.
    """
    if lon.size == 0 or lat.size == 0:
        return "no points (a dimension of length 0)"
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        return "missing (fill) values"
    if np.abs(lat).max() > 90.0:
        return f"latitudes up to {lat.flat[np.argmax(np.abs(lat))]:.6g}, beyond +-90"
    if np.abs(lon).max() > MAX_ABS_LONGITUDE:
        return (f"longitudes up to {lon.flat[np.argmax(np.abs(lon))]:.6g}, beyond "
                f"+-{MAX_ABS_LONGITUDE:g}")
    if lon.size < 2 and lat.size < 2:
        return "a single point"
    if float(np.ptp(lon)) + float(np.ptp(lat)) <= 0.0:
        return "every point in the same place (all zero?)"
    return None


def _valid_positions(lon: np.ndarray, lat: np.ndarray) -> bool:
    return lon.size > 1 and position_problem(lon, lat) is None


def _monotonic_problem(values: np.ndarray, name: str, *, periodic: bool = False) -> str | None:
    """Why a 1-D axis is not strictly increasing or decreasing, or None when it is.

    Longitudes (``periodic``) may wrap once across 0/360 or -180/180 (steps taken mod 360).
    """
    if values.size < 2:
        return None
    steps = np.diff(values)
    if periodic:
        steps = np.mod(steps + 180.0, 360.0) - 180.0
    if (steps > 0).all() or (steps < 0).all():
        return None
    i = int(np.flatnonzero(steps <= 0)[0] if steps[0] > 0 else np.flatnonzero(steps >= 0)[0])
    return (f"its coordinate {name!r} is not monotonic (values {values[i]:.6g} then "
            f"{values[i + 1]:.6g} at index {i}): repeated or shuffled points")


def _named_coordinates(dataset: xr.Dataset, variable: xr.DataArray) -> list[str]:
    return [n for n in str(variable.attrs.get("coordinates", "")).split() if n in dataset.variables]


def _check_unstructured(dataset: xr.Dataset, variable: xr.DataArray) -> None:
    if "mesh" in variable.attrs:
        raise ValueError("unstructured grid (UGRID mesh): not supported")
    one_d = [
        dataset[n].dims
        for n in _named_coordinates(dataset, variable)
        if dataset[n].ndim == 1 and (is_longitude(dataset[n], n) or is_latitude(dataset[n], n))
    ]
    if len(one_d) >= 2 and one_d[0] == one_d[1] and one_d[0][0] in variable.dims:
        raise ValueError("unstructured grid (lon/lat share one dimension): not supported")


def _crs_of(dataset: xr.Dataset, variable: xr.DataArray) -> pyproj.CRS | None:
    name = str(variable.attrs.get("grid_mapping", "")).split(":")[0].strip()
    if not name or name not in dataset.variables:
        return None
    attrs = dict(dataset[name].attrs)
    for key in ("proj4", "proj4_string", "proj4text", "proj4_params"):
        if key in attrs:
            return pyproj.CRS.from_user_input(str(attrs[key]))
    for key in ("crs_wkt", "spatial_ref"):
        if key in attrs:
            return pyproj.CRS.from_wkt(str(attrs[key]))
    return pyproj.CRS.from_cf(attrs)


def _projected(dataset, variable, y_dim, x_dim) -> Horizontal | None:
    if x_dim not in dataset.variables or y_dim not in dataset.variables:
        return None
    xs, ys = dataset[x_dim], dataset[y_dim]
    if xs.ndim != 1 or ys.ndim != 1:
        return None
    if is_longitude(xs, x_dim) or is_latitude(ys, y_dim):
        return None
    try:
        crs = _crs_of(dataset, variable)
    except pyproj.exceptions.CRSError as exc:
        raise ValueError(f"cannot build the map projection: {exc}") from exc
    if crs is None or crs.is_geographic:
        return None
    scale = {"m": 1.0, "meter": 1.0, "meters": 1.0, "metre": 1.0, "metres": 1.0, "": 1.0,
             "km": 1000.0, "kilometer": 1000.0, "kilometers": 1000.0, "kilometre": 1000.0}
    x_units = str(xs.attrs.get("units", "")).strip().lower()
    y_units = str(ys.attrs.get("units", "")).strip().lower()
    if x_units not in scale or y_units not in scale:
        raise ValueError(f"projection coordinates in units {x_units!r}/{y_units!r}: not supported")
    per_unit = crs.axis_info[0].unit_conversion_factor
    x = np.asarray(xs.values, dtype=np.float64) * scale[x_units] / per_unit
    y = np.asarray(ys.values, dtype=np.float64) * scale[y_units] / per_unit
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError(f"its projection coordinate {x_dim!r} or {y_dim!r} has missing values")
    for values, name in ((x, x_dim), (y, y_dim)):
        problem = _monotonic_problem(values, name)
        if problem:
            raise ValueError(problem)
    to_lonlat = transformer(crs, "EPSG:4326")
    lon, lat = to_lonlat.transform(*np.meshgrid(x, y))
    problem = position_problem(np.asarray(lon), np.asarray(lat))
    if problem:
        raise ValueError(f"its projection gives impossible positions ({problem}): the x/y "
                         "coordinates or the projection are wrong")
    definition = crs.srs if crs.srs.startswith("+") else crs.name
    note = f"projected grid ({definition}), positions from x/y"
    if x_units.startswith("k"):
        note += " in km"
    stored = _stored_lonlat(dataset, variable, y_dim, x_dim)
    if stored is not None:
        _, _, offset = WGS84.inv(lon, lat, stored[0], stored[1])
        if np.nanmax(offset) > 100.0:
            note += (
                f"; the file's own 2-D lon/lat differ from its projection by up to "
                f"{np.nanmax(offset) / 1000:.1f} km (sarkit uses the projection)"
            )
    return Horizontal("projected", y_dim, x_dim, lon, lat, crs=crs, x=x, y=y, note=note)


def _stored_lonlat(dataset, variable, y_dim, x_dim) -> tuple[np.ndarray, np.ndarray] | None:
    dims = (y_dim, x_dim)
    named = _named_coordinates(dataset, variable)
    candidates = named + [str(n) for n in dataset.variables if n not in named]
    lon_name = next(
        (n for n in candidates if dataset[n].dims == dims and is_longitude(dataset[n], n)), None
    )
    lat_name = next(
        (n for n in candidates if dataset[n].dims == dims and is_latitude(dataset[n], n)), None
    )
    if lon_name is None or lat_name is None:
        return None
    return (
        np.asarray(dataset[lon_name].values, dtype=np.float64),
        np.asarray(dataset[lat_name].values, dtype=np.float64),
    )


def _stagger(rho: np.ndarray, shape: tuple[int, int], axis: int) -> np.ndarray | None:
    """Values half a cell along ``axis`` from rho points, for a C-grid variable of ``shape``."""
    mid = 0.5 * (np.take(rho, range(rho.shape[axis] - 1), axis=axis)
                 + np.take(rho, range(1, rho.shape[axis]), axis=axis))
    if mid.shape == shape:
        return mid
    if rho.shape == shape:  # subset cut u and rho to the same length: extrapolate the last
        last = np.take(rho, [-1], axis=axis) * 1.5 - np.take(rho, [-2], axis=axis) * 0.5
        return np.concatenate([mid, last], axis=axis)
    return None


def _rho_points(dataset, y_dim, x_dim, shape):
    """ROMS/CROCO: positions of a u or v variable derived from lon_rho/lat_rho."""
    if "lon_rho" not in dataset.variables or "lat_rho" not in dataset.variables:
        return None
    lon_rho = np.asarray(dataset["lon_rho"].values, dtype=np.float64)
    lat_rho = np.asarray(dataset["lat_rho"].values, dtype=np.float64)
    if not _valid_positions(lon_rho, lat_rho):
        return None
    if x_dim.endswith("_u"):
        axis = 1
    elif y_dim.endswith("_v"):
        axis = 0
    elif lon_rho.shape == shape:
        return lon_rho, lat_rho, "rho"
    else:
        return None
    lon = _stagger(np.unwrap(lon_rho, period=360.0, axis=1), shape, axis)
    lat = _stagger(lat_rho, shape, axis)
    if lon is None or lat is None:
        return None
    return lon, lat, "u" if axis == 1 else "v"


def _roms_angle(dataset, shape, where: str) -> np.ndarray | None:
    if "angle" not in dataset.variables or dataset["angle"].ndim != 2:
        return None
    angle = np.asarray(dataset["angle"].values, dtype=np.float64)
    if str(dataset["angle"].attrs.get("units", "radians")).lower().startswith("deg"):
        angle = np.radians(angle)
    if angle.shape == shape and where in ("rho", "same"):
        return angle
    axis = {"u": 1, "v": 0}.get(where)
    if axis is None:
        return angle if angle.shape == shape else None
    cos, sin = _stagger(np.cos(angle), shape, axis), _stagger(np.sin(angle), shape, axis)
    return None if cos is None else np.arctan2(sin, cos)


def _curvilinear(dataset, variable, y_dim, x_dim) -> Horizontal | None:
    shape = (dataset.sizes[y_dim], dataset.sizes[x_dim])
    stored = _stored_lonlat(dataset, variable, y_dim, x_dim)
    where = "u" if x_dim.endswith("_u") else "v" if y_dim.endswith("_v") else "same"
    note = "curvilinear grid (2-D lon/lat)"
    if stored is None or not _valid_positions(*stored):
        derived = _rho_points(dataset, y_dim, x_dim, shape)
        if derived is None:
            if stored is not None:
                raise ValueError("its 2-D longitude/latitude are invalid: "
                                 f"{position_problem(*stored) or 'fewer than two points'}")
            return None
        stored = derived[:2]
        note += f"; {derived[2]}-point positions derived from lon_rho/lat_rho"
    lon, lat = stored
    angle = _roms_angle(dataset, shape, where)
    if angle is not None:
        note += "; rotation from the 'angle' variable"
    else:
        angle = grid_angle(lon, lat)
        note += "; rotation from the grid's geometry"
    return Horizontal("curvilinear", y_dim, x_dim, lon, lat, angle=angle, note=note)


def horizontal_grid(dataset: xr.Dataset, name: str, skip_dims: tuple[str, ...]) -> Horizontal:
    """The horizontal geometry of variable ``name``.

    Parameters
    ----------
    dataset : xarray.Dataset
        The open file, decoded with ``decode_coords=False``.
    name : str
        The velocity variable.
    skip_dims : tuple of str
        Its time and level dimensions; the other two are horizontal.

    Raises
    ------
    ValueError
        If the grid is unstructured, or no positions can be found.
    """
    variable = dataset[name]
    _check_unstructured(dataset, variable)
    dims = [d for d in variable.dims if d not in skip_dims]
    if len(dims) != 2:
        raise ValueError(
            f"expected two horizontal dimensions besides time and level, found {dims}"
        )
    y_dim, x_dim = (str(d) for d in dims)
    empty = [d for d in (y_dim, x_dim) if dataset.sizes[d] == 0]
    if empty:
        raise ValueError(f"its grid has no points (dimension {empty[0]!r} has length 0)")
    if x_dim in dataset.variables and y_dim in dataset.variables:
        xs, ys = dataset[x_dim], dataset[y_dim]
        if xs.ndim == 1 and ys.ndim == 1 and is_longitude(xs, x_dim) and is_latitude(ys, y_dim):
            lon = np.asarray(xs.values, dtype=np.float64)
            lat = np.asarray(ys.values, dtype=np.float64)
            problem = position_problem(lon, lat)
            if problem and problem != "a single point":
                raise ValueError(f"its longitude or latitude coordinate is invalid: {problem}")
            problem = (_monotonic_problem(lat, y_dim)
                       or _monotonic_problem(lon, x_dim, periodic=True))
            if problem:
                raise ValueError(problem)
            return Horizontal("regular", y_dim, x_dim, lon, lat, note="regular lon/lat grid")
    projected = _projected(dataset, variable, y_dim, x_dim)
    if projected is not None:
        return projected
    curvilinear = _curvilinear(dataset, variable, y_dim, x_dim)
    if curvilinear is not None:
        return curvilinear
    raise ValueError(f"cannot find its longitude and latitude (dimensions {y_dim!r}, {x_dim!r})")
