"""One velocity component of one file: understood from its metadata, read on demand.

:func:`diagnose` finds everything sarkit needs to know about a component
(units, time axis, surface level, horizontal grid, land mask) and collects every
reason it cannot be used; :class:`Part` reads a box and some records of it in
m/s with land and fill values as NaN.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from sarkit.errors import (
    ForcingError,
    ForcingFileError,
    ForcingGridError,
    ForcingTimeError,
    ForcingUnitsError,
)
from sarkit.forcing.axes import Level, TimeAxis, find_time, surface_level, time_dimension
from sarkit.forcing.grid import Quantity
from sarkit.forcing.horizontal import Horizontal, horizontal_grid
from sarkit.forcing.regrid import Window
from sarkit.forcing.variables import STANDARD_NAMES, Component, velocity_units

__all__ = [
    "Part",
    "Source",
    "analyse",
    "as_list",
    "component_for",
    "diagnose",
    "is_synthetic",
    "open_dataset",
]

FILL_MAGNITUDE = 1e10
"""Values this large are undeclared fill values, never velocities."""

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

    @property
    def undated(self) -> bool:
        return bool(np.isnan(self.time.seconds).any())

    def read(self, records: np.ndarray, window: Window) -> np.ndarray:
        """Values (records, y, x) in m/s for the window; land and fill as NaN."""
        variable = self.dataset[self.component.name]
        index = {
            self.grid.y_dim: _as_slice(window.y_index),
            self.grid.x_dim: _as_slice(window.x_index),
        }
        if self.time.dim is not None:
            index[self.time.dim] = _as_slice(records)
        if self.level is not None:
            index[self.level.dim] = self.level.index
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


def open_dataset(source: Source) -> tuple[str, xr.Dataset]:
    """Open a file lazily (or take a Dataset as it is); returns a label and the dataset."""
    if isinstance(source, xr.Dataset):
        return str(source.attrs.get("title") or "<xarray.Dataset>"), source
    path = Path(source)
    if not path.exists():
        raise ForcingFileError("file not found", "check the path and the file name", path)
    if path.is_dir():
        raise ForcingFileError("is a folder, not a netCDF file", "give the files in it", path)
    try:
        dataset = xr.open_dataset(
            path, decode_times=False, decode_coords=False, decode_timedelta=False, cache=False
        )
    except Exception as exc:  # netCDF4/HDF5 raise OSError, ValueError, KeyError ...
        detail = " ".join(str(exc).split()) or type(exc).__name__  # one line for the CLI
        raise ForcingFileError(
            f"cannot be read as netCDF (damaged, truncated or another format: {detail})",
            "download the file again, or check that it is netCDF (ncdump -h FILE)",
            path,
        ) from exc
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
) -> tuple[Part | None, list[ForcingError]]:
    """Understand one component of one file, collecting every reason it cannot be used.

    Units, time axis, level and grid are checked independently, so that a
    report can list all the problems of a file at once.

    Returns
    -------
    part : Part or None
        The understood component, or None when there are problems.
    problems : list of ForcingError
        Each names the file, the variable, the problem and the fix.
    """
    variable = dataset[component.name]
    where = f"{label}: variable {component.name!r}"
    problems: list[ForcingError] = []
    try:
        factor, units_text = velocity_units(variable, units)
    except ValueError as exc:
        problems.append(_units_error(variable, exc, where))
    try:
        time = find_time(dataset, variable, time_origin)
    except ValueError as exc:
        problems.append(ForcingTimeError(
            str(exc),
            "give the start with time_origin='2024-01-01T00:00Z' (--time-origin) if the units "
            "lack a date, or fix the time variable's units",
            where,
        ))
    time_dim = time_dimension(dataset, variable)
    level = None
    try:
        others = [d for d in variable.dims if d != time_dim]
        if len(others) > 3:
            raise ValueError(f"too many dimensions {tuple(variable.dims)}")
        if len(others) == 3:
            level = surface_level(dataset, str(others[0]))
        grid = horizontal_grid(dataset, component.name,
                               tuple(d for d in (time_dim, level and level.dim) if d))
    except ValueError as exc:
        problems.append(ForcingGridError(str(exc), _grid_fix(str(exc)), where))
    if problems:
        return None, problems
    part = Part(label, dataset, component, factor, units_text, time, level, grid,
                _water_mask(dataset, grid))
    return part, []


def _grid_fix(problem: str) -> str:
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
) -> Part:
    """Understand one component of one file, or raise the first reason it cannot be used.

    Raises
    ------
    ForcingError
        A subclass naming the file, the variable, the problem and the fix.
    """
    part, problems = diagnose(label, dataset, component, units=units, time_origin=time_origin)
    if problems:
        raise problems[0]
    return part



def as_list(sources: Source | Iterable[Source]) -> list[Source]:
    """One source or several, as a list."""
    if isinstance(sources, str | os.PathLike | xr.Dataset):
        return [sources]
    return list(sources)

