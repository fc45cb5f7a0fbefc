"""One velocity component of one file: understood from its metadata, read on demand.

:func:`diagnose` finds everything sarkit needs to know about a component
(units, time axis, surface level, horizontal grid, land mask) and collects every
reason it cannot be used; :class:`Part` reads a box and some records of it in
m/s with land and fill values as NaN.
"""

from __future__ import annotations

import inspect
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import xarray as xr

from sarkit.errors import (
    ForcingError,
    ForcingFileError,
    ForcingGridError,
    ForcingTimeError,
    ForcingUnitsError,
    ForcingVariableError,
)
from sarkit.forcing.address import address_label, is_address, open_address
from sarkit.forcing.axes import (
    Level,
    Member,
    TimeAxis,
    find_time,
    member_dimension,
    surface_level,
    time_dimension,
)
from sarkit.forcing.grid import Quantity
from sarkit.forcing.horizontal import Horizontal, horizontal_grid
from sarkit.forcing.regrid import Window
from sarkit.forcing.variables import STANDARD_NAMES, Component, velocity_units

__all__ = [
    "CACHED_FROM_ATTR",
    "FETCHED_ATTR",
    "MAX_READ_BYTES",
    "Part",
    "Source",
    "analyse",
    "as_list",
    "check_read_size",
    "component_for",
    "diagnose",
    "is_synthetic",
    "open_dataset",
]

FILL_MAGNITUDE = 1e10
"""Values this large are undeclared fill values, never velocities."""


def _memory_limit() -> int:
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not on every system (Windows)
        total = 0
    return total // 4 if total > 0 else 4 * 2**30


MAX_READ_BYTES = _memory_limit()
"""The most memory (bytes, as float64) one read from a forcing file may take: a quarter of
this machine's physical memory (4 GiB where that cannot be found).

Checked against the sizes a file *declares*, before anything is read: the coordinates
(:func:`diagnose`), one record of a component on the whole grid (what ``forcing info`` and a
load without a box read), and each read of a box and time window (:meth:`Part.read`; sarkit
normally reads only the box around the particles, so a big file stays usable when the box is
small). A file can declare dimensions far beyond its size on disk (compressed or never
written chunks); such a file is refused with the size instead of exhausting the memory."""

SCAN_RECORDS = 8
"""Records read, evenly spread, to tell whether a component holds any valid value."""

_CUT_FIX = (
    "cut the file to the case's region and times first, e.g. "
    "'ncks -d lon,92.0,99.0 -d lat,5.0,14.0 -d time,0,24 in.nc out.nc' or a Copernicus "
    "Marine subset (copernicusmarine subset --minimum-longitude ...)"
)


def _format_bytes(count: int) -> str:
    size = float(count)
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if size < 1024.0 or unit == "PiB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.3g} {unit}"
        size /= 1024.0
    raise AssertionError("unreachable")


def check_read_size(shape: Iterable[int], what: str, where: str, fix: str = _CUT_FIX) -> None:
    """Refuse a read of ``shape`` float64 values larger than :data:`MAX_READ_BYTES`.

    Raises
    ------
    ForcingFileError
        Naming ``what`` would be read, its size and the limit, with ``fix``.
    """
    shape = tuple(int(n) for n in shape)
    need = math.prod(shape) * 8
    if need > MAX_READ_BYTES:
        points = " x ".join(f"{n:,}" for n in shape)
        raise ForcingFileError(
            f"{what} ({points} values) would need {_format_bytes(need)} of memory, more than "
            f"the {_format_bytes(MAX_READ_BYTES)} sarkit reads at once (a quarter of this "
            "machine's memory)",
            fix, where,
        )

CACHED_FROM_ATTR = "sarkit_cached_from"
"""Global attribute of a subset of a server's dataset cached as a file: the address it came
from, which then names the forcing in messages and products."""

FETCHED_ATTR = "sarkit_fetched"
"""Global attribute of a cached subset: when it was fetched (ISO 8601, UTC)."""

_MASK_NAMES = {"mask", "mask_u", "mask_v", "mask_rho", "umask", "vmask", "tmask"}

Source = str | os.PathLike | xr.Dataset


@dataclass(frozen=True, eq=False)
class Part:
    """One velocity component in one file, understood but not yet read."""

    label: str
    dataset: xr.Dataset
    component: Component
    factor: float
    units: str
    time: TimeAxis
    level: Level | None
    grid: Horizontal
    mask: np.ndarray | None
    member: Member | None = None

    @property
    def undated(self) -> bool:
        return bool(np.isnan(self.time.seconds).any())

    def read(self, records: np.ndarray, window: Window) -> np.ndarray:
        """Values (records, y, x) in m/s for the window; land and fill as NaN.

        Raises
        ------
        ForcingFileError
            When the read would take more than :data:`MAX_READ_BYTES`.
        """
        check_read_size(
            (len(records), len(window.y_index), len(window.x_index)),
            f"reading {len(records)} record(s) of a {len(window.x_index)} x "
            f"{len(window.y_index)}-point box",
            f"{self.label}: variable {self.component.name!r}",
            "choose a smaller box or a shorter time window, or " + _CUT_FIX,
        )
        variable = self.dataset[self.component.name]
        index = {
            self.grid.y_dim: _as_slice(window.y_index),
            self.grid.x_dim: _as_slice(window.x_index),
        }
        if self.time.dim is not None:
            index[self.time.dim] = _as_slice(records)
        if self.level is not None:
            index[self.level.dim] = self.level.index
        if self.member is not None:
            if self.member.index is None:
                raise self.unchosen_member_error()
            index[self.member.dim] = self.member.index
        subset = variable.isel(index)
        order = [d for d in (self.time.dim, self.grid.y_dim, self.grid.x_dim) if d is not None]
        values = np.asarray(subset.transpose(*order).values, dtype=np.float64)
        if self.time.dim is None:
            values = values[None]
        values = values[:, _reorder(window.y_index), :][:, :, _reorder(window.x_index)]
        values[np.abs(values) >= FILL_MAGNITUDE] = np.nan
        if "scale_factor" not in variable.encoding and "add_offset" not in variable.encoding:
            low, high = _valid_range(variable)
            values[(values < low) | (values > high)] = np.nan
        if self.mask is not None:
            values[:, ~self.mask[np.ix_(window.y_index, window.x_index)]] = np.nan
        return values * self.factor

    def missing_everywhere(self) -> bool:
        """True when the component holds no valid value: every value read is land, missing or
        fill, in up to :data:`SCAN_RECORDS` records spread over the file (all of them in a
        file with no more), each read on the whole grid."""
        if self.member is not None and self.member.index is None:  # a report: the first
            return replace(self, member=replace(self.member, index=0)).missing_everywhere()
        count = max(self.time.seconds.size, 1) if self.time.dim is not None else 1
        records = np.unique(np.linspace(0, count - 1, min(count, SCAN_RECORDS)).round())
        ny = self.dataset.sizes[self.grid.y_dim]
        nx = self.dataset.sizes[self.grid.x_dim]
        whole = Window(np.arange(ny), np.arange(nx), np.empty(0), np.empty(0))
        for record in records.astype(np.int64):
            if np.isfinite(self.read(np.array([record]), whole)).any():
                return False
        return True

    def unchosen_member_error(self) -> ForcingGridError:
        """The error for a file of ensemble members read without a member chosen."""
        assert self.member is not None
        count, dim = self.member.count, self.member.dim
        return ForcingGridError(
            f"holds {count} ensemble forecast members along {dim!r}",
            f"choose one (member=0 .. {count - 1} in Python), or drift on all of them: in a "
            'scenario, { files = [...], members = "all" }',
            f"{self.label}: variable {self.component.name!r}",
        )

    def no_values_error(self) -> ForcingVariableError:
        """The error for a component that holds no valid value (:meth:`missing_everywhere`)."""
        variable = self.dataset[self.component.name]
        fill = variable.encoding.get("_FillValue", variable.attrs.get("_FillValue"))
        fill_text = "" if fill is None else f" (_FillValue {float(np.ravel(fill)[0]):g})"
        return ForcingVariableError(
            f"no valid values: every value is missing, NaN or the fill value{fill_text}",
            "the file holds no data (a failed download, an empty subset or a model that "
            "crashed): download or cut it again",
            f"{self.label}: variable {self.component.name!r}",
        )


def _as_slice(index: np.ndarray):
    """A slice for a run of increasing indices (fast to read), else the sorted indices."""
    index = np.asarray(index)
    ordered = np.sort(index)
    if ordered.size and np.all(np.diff(ordered) == 1):
        return slice(int(ordered[0]), int(ordered[-1]) + 1)
    return ordered


def _reorder(index: np.ndarray) -> np.ndarray:
    """Positions, within the sorted read, of the indices in their wanted order."""
    return np.argsort(np.argsort(index, kind="stable"), kind="stable")


def _valid_range(variable: xr.DataArray) -> tuple[float, float]:
    attrs = variable.attrs
    low, high = -np.inf, np.inf
    if "valid_range" in attrs:
        low, high = (float(v) for v in np.ravel(attrs["valid_range"])[:2])
    low = float(attrs.get("valid_min", low))
    high = float(attrs.get("valid_max", high))
    return low, high


def _water_mask(dataset: xr.Dataset, grid: Horizontal) -> np.ndarray | None:
    for name, variable in dataset.variables.items():
        if str(name).lower() in _MASK_NAMES and variable.dims == (grid.y_dim, grid.x_dim):
            return np.asarray(variable.values, dtype=np.float64) > 0.5
    return None


def is_synthetic(dataset: xr.Dataset) -> bool:
    """True for the analytic fields of :mod:`sarkit.forcing.synthetic` (by their title)."""
    return "synthetic" in str(dataset.attrs.get("title", "")).lower()


# no index is built at opening (xarray >= 2025.7), so that no coordinate is read before
# diagnose has checked its declared size (an index of 1e8 longitudes would take 800 MB)
_LAZY_INDEXES = (
    {"create_default_indexes": False}
    if "create_default_indexes" in inspect.signature(xr.open_dataset).parameters else {}
)


def open_dataset(source: Source) -> tuple[str, xr.Dataset]:
    """Open a file or an OPeNDAP address lazily (or take a Dataset as it is); returns a label
    and the dataset."""
    if isinstance(source, xr.Dataset):
        return str(source.attrs.get("title") or "<xarray.Dataset>"), source
    if is_address(source):
        assert isinstance(source, str)
        dataset = open_address(source, decode_times=False, decode_coords=False,
                               decode_timedelta=False, cache=False, **_LAZY_INDEXES)
        return address_label(source), dataset
    path = Path(source)
    if not path.exists():
        raise ForcingFileError("file not found", "check the path and the file name", path)
    if path.is_dir():
        raise ForcingFileError("is a folder, not a netCDF file", "give the files in it", path)
    try:
        dataset = xr.open_dataset(
            path, decode_times=False, decode_coords=False, decode_timedelta=False, cache=False,
            **_LAZY_INDEXES,
        )
    except Exception as exc:  # netCDF4/HDF5 raise OSError, ValueError, KeyError ...
        detail = " ".join(str(exc).split()) or type(exc).__name__  # one line for the CLI
        raise ForcingFileError(
            f"cannot be read as netCDF (damaged, truncated or another format: {detail})",
            "download the file again, or check that it is netCDF (ncdump -h FILE)",
            path,
        ) from exc
    origin = dataset.attrs.get(CACHED_FROM_ATTR)
    if isinstance(origin, str) and origin:
        return f"{address_label(origin)} (subset cached in {path})", dataset
    return str(path), dataset


def component_for(dataset: xr.Dataset, name: str, quantity: Quantity, axis: str) -> Component:
    if name not in dataset.data_vars:
        raise KeyError(name)
    rule = STANDARD_NAMES.get(str(dataset[name].attrs.get("standard_name", "")).lower())
    relative = rule[2] if rule else True
    return Component(name, quantity, axis, relative, "given")


def diagnose(
    label: str,
    dataset: xr.Dataset,
    component: Component,
    *,
    units: str | None = None,
    time_origin: str | None = None,
    member: int | None = None,
) -> tuple[Part | None, list[ForcingError]]:
    """Understand one component of one file, collecting every reason it cannot be used.

    Units, time axis, level and grid are checked independently, so that a
    report can list all the problems of a file at once. ``member`` chooses a member of an
    ensemble forecast (a file with a member dimension, :data:`~sarkit.forcing.axes.
    MEMBER_NAMES`); left None, such a part is described but cannot be read.

    Returns
    -------
    part : Part or None
        The understood component, or None when there are problems.
    problems : list of ForcingError
        Each names the file, the variable, the problem and the fix.
    """
    variable = dataset[component.name]
    where = f"{label}: variable {component.name!r}"
    try:  # before anything is read: a file may declare sizes far beyond the memory
        _check_declared(dataset, variable, where)
    except ForcingError as exc:
        return None, [exc]
    problems: list[ForcingError] = []
    try:
        factor, units_text = velocity_units(variable, units)
    except ValueError as exc:
        problems.append(_units_error(variable, exc, where))
    packing = _packing_problem(variable)
    if packing:
        key, problem = packing
        problems.append(ForcingUnitsError(
            problem,
            f"download the file again, or fix the attribute (e.g. 'ncatted -a "
            f"{key},{component.name},o,f,{'0.001' if key == 'scale_factor' else '0.0'} FILE')",
            where,
        ))
    try:
        time = find_time(dataset, variable, time_origin)
    except ValueError as exc:
        problems.append(ForcingTimeError(str(exc), _time_fix(str(exc)), where))
    time_dim = time_dimension(dataset, variable)
    level = None
    members = None
    member_dim = member_dimension(dataset, variable, (time_dim,))
    if member_dim is not None:
        count = int(dataset.sizes[member_dim])
        members = Member(member_dim, member, count)
        if member is not None and not 0 <= member < count:
            problems.append(ForcingGridError(
                f"has no ensemble member {member}: it holds {count} along {member_dim!r}",
                f"choose a member from 0 to {count - 1}", where))
    elif member is not None:
        problems.append(ForcingGridError(
            f"has no ensemble member dimension (member {member} was asked for)",
            "give a file of ensemble members, or no member", where))
    try:
        others = [d for d in variable.dims if d not in (time_dim, member_dim)]
        if len(others) > 3:
            raise ValueError(f"too many dimensions {tuple(variable.dims)}")
        if len(others) == 3:
            level = surface_level(dataset, str(others[0]))
        grid = horizontal_grid(dataset, component.name,
                               tuple(d for d in (time_dim, level and level.dim, member_dim) if d))
    except ValueError as exc:
        problems.append(ForcingGridError(str(exc), _grid_fix(str(exc)), where))
    if problems:
        return None, problems
    part = Part(label, dataset, component, factor, units_text, time, level, grid,
                _water_mask(dataset, grid), members)
    return part, []


def _check_declared(dataset: xr.Dataset, variable: xr.DataArray, where: str) -> None:
    """Refuse a variable whose declared sizes cannot be read: each of its coordinates, and one
    record on the whole grid (:data:`MAX_READ_BYTES`), checked before any is read."""
    for dim in variable.dims:
        if dim in dataset.variables:
            check_read_size(dataset[dim].shape, f"its coordinate {str(dim)!r}", where)
    time_dim = time_dimension(dataset, variable)
    others = [d for d in variable.dims if d != time_dim]
    if len(others) >= 2:
        shape = [dataset.sizes[d] for d in others[-2:]]
        check_read_size(shape, f"one record on its whole {' x '.join(map(str, others[-2:]))} grid",
                        where)


def _packing_problem(variable: xr.DataArray) -> tuple[str, str] | None:
    """The attribute (scale_factor or add_offset) that cannot decode a speed and why, or None."""
    for key in ("scale_factor", "add_offset"):
        for attributes in (variable.encoding, variable.attrs):
            if key not in attributes:
                continue
            try:
                values = np.asarray(attributes[key], dtype=np.float64).ravel()
            except (TypeError, ValueError):
                return key, f"its {key} {attributes[key]!r} is not a number"
            if values.size != 1:
                return key, f"its {key} holds {values.size} numbers, not one"
            if not np.isfinite(values[0]):
                return key, f"its {key} is {values[0]:g}: every value would decode to NaN"
            if key == "scale_factor" and values[0] == 0.0:
                return key, "its scale_factor is 0: every value would decode to the same speed"
    return None


def _time_fix(problem: str) -> str:
    if "no records" in problem:
        return "download or cut the file again with its time range"
    if "year" in problem or "missing" in problem or "increasing" in problem:
        return ("the time values or units are damaged: download the file again, or fix the "
                "time variable")
    return ("give the start with time_origin='2024-01-01T00:00Z' (--time-origin) if the units "
            "lack a date, or fix the time variable's units")


def _grid_fix(problem: str) -> str:
    if "length 0" in problem or "no points" in problem:
        return "download or cut the file again with its region"
    if "invalid" in problem or "monotonic" in problem or "impossible" in problem:
        return ("the coordinates are damaged or hold fill values: download the file again, "
                "or give one with valid longitude/latitude")
    if "surface" in problem or "level" in problem:
        return "use output that includes the sea-surface level (or surface-only fields)"
    if "unstructured" in problem:
        return "interpolate the mesh to a regular lon/lat grid first (e.g. with CDO or xESMF)"
    return "give a file on a regular, curvilinear or projected grid with CF coordinates"


def _units_error(variable: xr.DataArray, exc: ValueError, where: str) -> ForcingUnitsError:
    if "no units" in str(exc):
        return ForcingUnitsError(
            "has no units (none in 'units' or 'long_name')",
            "state them: units='m/s' in Python, --units m/s on the command line",
            where,
        )
    return ForcingUnitsError(
        f"units {variable.attrs.get('units')!r} are not a speed sarkit knows",
        "use m/s, cm/s, m/sec, knots ... (fix the file's units attribute)",
        where,
    )


def analyse(
    label: str,
    dataset: xr.Dataset,
    component: Component,
    *,
    units: str | None = None,
    time_origin: str | None = None,
    member: int | None = None,
) -> Part:
    """Understand one component of one file, or raise the first reason it cannot be used.

    Raises
    ------
    ForcingError
        A subclass naming the file, the variable, the problem and the fix.
    """
    part, problems = diagnose(label, dataset, component, units=units, time_origin=time_origin,
                              member=member)
    if problems:
        raise problems[0]
    return part



def as_list(sources: Source | Iterable[Source]) -> list[Source]:
    """One source or several, as a list."""
    if isinstance(sources, str | os.PathLike | xr.Dataset):
        return [sources]
    return list(sources)

