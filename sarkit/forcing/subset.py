"""The part of a forcing's files that a box and time window need, as Datasets in memory.

Used to fetch forcing from a server once (:meth:`sarkit.forcing.NetcdfSource.subset`): the
Datasets hold the file's own variables, attributes and encodings, cut to the records of the
window (one either side), the surface level and the ensemble member read and, on a regular
lon/lat grid, to the box with one point around it, so that written to netCDF and opened again
they read as the whole file would over that box and window. Fields that vary in time and are
not the velocity (temperature, salinity, sea level ...) are left out; everything else
(coordinates, the time axis, grid and mask variables, a grid mapping) is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from sarkit.forcing.part import Part, check_read_size
from sarkit.forcing.regrid import Window

__all__ = ["cut_datasets"]

_ENCODING_KEPT = ("dtype", "_FillValue", "scale_factor", "add_offset", "missing_value")


def cut_datasets(x_parts: Sequence[Part], y_parts: Sequence[Part], records: np.ndarray,
                 x_window: Window, y_window: Window) -> list[tuple[str, xr.Dataset]]:
    """Each file's part that ``records`` (of the source's joined time axis) and the windows
    need, read into memory, with its label; files holding none of the records are left out.

    Raises
    ------
    ForcingFileError
        Where a component's cut would take more memory than sarkit reads at once.
    """
    plans: dict[int, dict] = {}
    for parts, window in ((x_parts, x_window), (y_parts, y_window)):
        offset = 0
        for part in parts:
            count = part.time.seconds.size
            mine = records[(records >= offset) & (records < offset + count)] - offset
            offset += count
            if not mine.size:
                continue
            plan = plans.setdefault(id(part.dataset), {"part": part, "index": {}, "names": set(),
                                                       "vary": set()})
            index = {}
            if part.time.dim is not None:
                index[part.time.dim] = slice(int(mine.min()), int(mine.max()) + 1)
                plan["vary"].add(part.time.dim)
            if part.level is not None:
                index[part.level.dim] = slice(part.level.index, part.level.index + 1)
            if part.member is not None and part.member.index is not None:
                index[part.member.dim] = part.member.index  # the member alone, its dim dropped
            if part.grid.kind == "regular":
                sizes = part.dataset.sizes
                for dim, wanted in ((part.grid.y_dim, window.y_index),
                                    (part.grid.x_dim, window.x_index)):
                    cut = _around(np.asarray(wanted), sizes[dim])
                    if cut is not None:
                        index[dim] = cut
            for dim, cut in index.items():
                plan["index"][dim] = _union(plan["index"].get(dim), cut)
            plan["names"].add(part.component.name)
    return [_cut(plan) for plan in plans.values()]


def _around(index: np.ndarray, size: int) -> slice | None:
    """The run of ``index`` with one point either side; None (all) where the run wraps (a
    global grid's box across its seam)."""
    ordered = np.sort(index)
    if not ordered.size or np.any(np.diff(ordered) != 1):
        return None
    return slice(max(int(ordered[0]) - 1, 0), min(int(ordered[-1]) + 2, size))


def _field(dims: tuple, time_dims: set) -> bool:
    """Whether a variable of these dimensions is a field in time (temperature, sea level ...):
    it varies in time and has two other dimensions or more (a time bounds variable has one)."""
    return bool(time_dims & set(dims)) and len(set(dims) - time_dims) >= 2


def _union(one: slice | int | None, other: slice | int) -> slice | int:
    if one is None or isinstance(other, int):
        return other
    return slice(min(one.start, other.start), max(one.stop, other.stop))


def _cut(plan: dict) -> tuple[str, xr.Dataset]:
    part: Part = plan["part"]
    dataset = part.dataset
    keep = [name for name, variable in dataset.variables.items()
            if name in plan["names"] or not _field(variable.dims, plan["vary"])]
    index = {dim: cut for dim, cut in plan["index"].items() if dim in dataset.dims}
    subset = dataset[keep].isel(index)
    for name in plan["names"]:
        check_read_size(subset[name].shape, f"fetching {name!r}",
                        f"{part.label}: variable {name!r}",
                        "choose a shorter run or a smaller area")
    subset = subset.load()
    for variable in subset.variables.values():
        variable.encoding = {key: value for key, value in variable.encoding.items()
                             if key in _ENCODING_KEPT}
    return part.label, subset
