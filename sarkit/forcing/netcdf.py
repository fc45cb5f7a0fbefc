"""Read surface currents and 10 m winds from CF netCDF files into a ForcingGrid.

:func:`open_forcing` opens one or many files (or ``xarray.Dataset`` objects)
lazily and checks that they form one source: the velocity components are found
(:mod:`sarkit.forcing.variables`), their units, time axis, surface level and
grid understood (:mod:`~sarkit.forcing.axes`, :mod:`~sarkit.forcing.horizontal`),
files joined along time and components that come in separate files paired.
Nothing but coordinates is read until :meth:`NetcdfSource.load` asks for a box
and a time window; then only that part is read, converted to m/s, masked and rotated to
east/north: a regular grid onto evenly spaced axes, a curvilinear or projected one on the
model's own grid (:mod:`sarkit.forcing.native`), with a regular copy for maps.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import xarray as xr

from sarkit.errors import (
    BadValueError,
    ForcingCoverageError,
    ForcingMismatchError,
    ForcingUnitsError,
    ForcingVariableError,
    checked_number,
)
from sarkit.forcing.coastfill import COAST_FILL_PASSES, fill_coast
from sarkit.forcing.grid import MAX_PLAUSIBLE_SPEED, ForcingGrid, Quantity
from sarkit.forcing.horizontal import Horizontal, projection_angle
from sarkit.forcing.part import (
    FETCHED_ATTR,
    Part,
    Source,
    analyse,
    as_list,
    component_for,
    is_synthetic,
    open_dataset,
)
from sarkit.forcing.regrid import Window, interpolator, select_window, target_grid
from sarkit.forcing.request import check_bbox, check_time, format_box
from sarkit.forcing.variables import Component, find_components, partner_name
from sarkit.times import format_time

if TYPE_CHECKING:
    from sarkit.forcing.native import NativeGrid

__all__ = ["NetcdfSource", "open_forcing"]

class NetcdfSource:
    """Currents or winds from one or more netCDF files, read lazily.

    Create it with :func:`open_forcing`. Use :meth:`load` to get a
    :class:`ForcingGrid` for a box and time window, and :meth:`close` (or a
    ``with`` block) to release the files.

    Attributes
    ----------
    quantity : Quantity
    x_parts, y_parts : list of Part
        The eastward (or grid-x) and northward (or grid-y) components, one per
        file, in time order.
    """

    def __init__(
        self,
        quantity: Quantity,
        x_parts: list[Part],
        y_parts: list[Part],
        owned: Sequence[xr.Dataset] = (),
    ) -> None:
        self.quantity = quantity
        self.x_parts = x_parts
        self.y_parts = y_parts
        self._owned = list(owned)
        self.time = np.concatenate([p.time.seconds for p in x_parts])

    # --- description ------------------------------------------------------------------------

    @property
    def is_steady(self) -> bool:
        """True when the source has a single time (held constant) or none."""
        return self.time.size == 1

    @property
    def members(self) -> int:
        """How many ensemble members the files hold (0: not an ensemble forecast)."""
        member = self.x_parts[0].member
        return 0 if member is None else member.count

    @property
    def labels(self) -> list[str]:
        """The files (or datasets) this source reads."""
        return list(dict.fromkeys(p.label for p in self.x_parts + self.y_parts))

    def __repr__(self) -> str:
        span = "steady" if self.is_steady else (
            f"{format_time(self.time[0])} .. {format_time(self.time[-1])}")
        x, y = self.x_parts[0], self.y_parts[0]
        return (
            f"<NetcdfSource {self.quantity.value}: {x.component.name}/{y.component.name} "
            f"on a {x.grid.kind} grid, {span}, {len(self.labels)} file(s)>"
        )

    def close(self) -> None:
        """Close the files this source opened (not Datasets the caller passed in)."""
        for dataset in self._owned:
            dataset.close()

    def __enter__(self) -> NetcdfSource:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- loading -----------------------------------------------------------------------------

    def _records(self, start: float | None, end: float | None) -> np.ndarray:
        times = self.time
        if self.is_steady:
            return np.array([0])
        start = times[0] if start is None else start
        end = times[-1] if end is None else end
        start, end = min(start, end), max(start, end)
        if start < times[0] - 1.0 or end > times[-1] + 1.0:
            raise ForcingCoverageError(
                f"the time window {format_time(start)} .. {format_time(end)} is outside the "
                f"data, which covers {format_time(times[0])} .. {format_time(times[-1])}",
                "choose times inside the data or add files that cover them",
                ", ".join(self.labels),
            )
        first = max(int(np.searchsorted(times, start, side="right")) - 1, 0)
        last = min(int(np.searchsorted(times, end, side="left")), times.size - 1)
        if last == first:
            last = min(first + 1, times.size - 1)
            first = last - 1
        return np.arange(first, last + 1)

    def _read(self, parts: list[Part], records: np.ndarray, window: Window) -> np.ndarray:
        blocks, offset = [], 0
        for part in parts:
            count = part.time.seconds.size
            mine = records[(records >= offset) & (records < offset + count)] - offset
            if mine.size:
                blocks.append(part.read(mine, window))
            offset += count
        return np.concatenate(blocks, axis=0)

    def load(
        self,
        bbox: Sequence[float] | None = None,
        start: float | str | np.datetime64 | None = None,
        end: float | str | np.datetime64 | None = None,
        *,
        coast_fill_passes: int = COAST_FILL_PASSES,
    ) -> ForcingGrid:
        """Read a box and time window into a :class:`ForcingGrid` (with the model's own grid
        for a curvilinear or projected file).

        Parameters
        ----------
        bbox : sequence of 4 floats, optional
            (west, south, east, north) in degrees; ``east < west`` crosses the
            antimeridian. Default: the whole grid.
        start, end : float, str or numpy.datetime64, optional
            Time window (epoch seconds or ISO 8601, UTC). The grid returned spans
            it, with one record either side where the data allow. Default: all.
        coast_fill_passes : int
            For a current: how many model cells the current is carried into the model's land
            before it is interpolated (:func:`sarkit.forcing.coastfill.fill_coast`), so that
            it reaches the coastline; 0 keeps the file's values as they are (land missing).

        Returns
        -------
        ForcingGrid

        Raises
        ------
        ForcingCoverageError
            If the box or window is outside the data, or the box holds no sea values.
        ForcingVariableError
            If a component holds no valid value anywhere (all missing or fill).
        ForcingFileError
            If the read would take more memory than :data:`~sarkit.forcing.part.MAX_READ_BYTES`
            (a smaller box or window, or a file cut to the region, fits).
        ForcingUnitsError
            If the values are implausibly large for the stated units.
        """
        box, records, x_window, y_window = self._request(bbox, start, end)
        x0, y0 = self.x_parts[0], self.y_parts[0]
        target = target_grid(x0.grid, x_window, box)
        x_source = self._read(self.x_parts, records, x_window)
        y_source = self._read(self.y_parts, records, y_window)
        x_filled = 0
        passes = int(checked_number(coast_fill_passes, "coast_fill_passes", minimum=0,
                                    maximum=50))
        if self.quantity is Quantity.CURRENT and passes:  # a wind's missing values: not land
            x_source, x_filled = fill_coast(x_source, passes)
            y_source, _ = fill_coast(y_source, passes)
        notes = self._notes()
        if x_filled:
            notes.append(f"{self.quantity.value} carried {passes} model cells into "
                         "the model's land (mean of the sea neighbours, pass by pass), so that "
                         "it reaches the coastline")
        native = None
        if x0.grid.kind == "regular":
            east = interpolator(x_window, target)(x_source)
            north = interpolator(y_window, target)(y_source)
            if target.lon.size != x_window.lon.size:
                step_x, step_y = target.lon[1] - target.lon[0], target.lat[1] - target.lat[0]
                notes.append(f"regridded once from the regular grid to a regular {step_x:.4g} x "
                             f"{step_y:.4g} deg grid")
        else:
            from sarkit.forcing.native import bilinear_records  # numba: only for model grids

            native = self._native(x0, y0, x_window, y_window, x_source, y_source, notes)
            mesh = native.mesh
            tlon, tlat = np.meshgrid(target.lon, target.lat)
            fx, fy = mesh.positions(tlon, tlat)
            east = bilinear_records(native.east, fx, fy)
            north = bilinear_records(native.north, fx, fy)
            step_x, step_y = target.lon[1] - target.lon[0], target.lat[1] - target.lat[0]
            notes.append(
                f"sampled on the model's own {x0.grid.kind} grid ({mesh.shape[1]} x "
                f"{mesh.shape[0]} points: each point found in the model's cells, bilinear in "
                f"the grid's index space); shown on a regular {step_x:.4g} x {step_y:.4g} deg "
                "grid for maps")
        self._check_values(east, north, box)
        times = self.time[records]
        return ForcingGrid(
            self.quantity, target.lon, target.lat, times, east, north,
            source=", ".join(f"{p.label} [{p.component.name}]" for p in (x0, y0)),
            notes=tuple(notes), native=native,
        )

    def subset(
        self,
        bbox: Sequence[float] | None = None,
        start: float | str | np.datetime64 | None = None,
        end: float | str | np.datetime64 | None = None,
    ) -> list[tuple[str, xr.Dataset]]:
        """The part of each file that :meth:`load` reads for this box and window, in memory.

        Each is a Dataset with the file's own variables, attributes and encodings, cut to the
        window's records (one either side) and, on a regular grid, to the box with a point
        around it (:mod:`sarkit.forcing.subset`): written to netCDF and opened again, it loads
        as this source does over that box and window. Used to fetch a server's forcing once.

        Returns
        -------
        list of (str, xarray.Dataset)
            The label of each file that holds records of the window, and its cut.

        Raises
        ------
        ForcingCoverageError
            If the box or window is outside the data.
        """
        from sarkit.forcing.subset import cut_datasets

        _, records, x_window, y_window = self._request(bbox, start, end)
        return cut_datasets(self.x_parts, self.y_parts, records, x_window, y_window)

    def _request(self, bbox, start, end) -> tuple[tuple | None, np.ndarray, Window, Window]:
        """The box checked, the records of the window, and the windows of both components."""
        box = check_bbox(bbox)
        start_s = None if start is None else check_time(start, "start")
        end_s = None if end is None else check_time(end, "end")
        records = self._records(start_s, end_s)
        try:
            x_window = select_window(self.x_parts[0].grid, box)
            y_window = select_window(self.y_parts[0].grid, box)
        except ValueError:
            raise ForcingCoverageError(
                f"the box {format_box(box)} is outside the data "
                f"({format_box(_grid_box(self.x_parts[0].grid))})",
                "choose a box inside the data or use forcing that covers it",
                ", ".join(self.labels),
            ) from None
        return box, records, x_window, y_window

    def _native(self, x0: Part, y0: Part, x_window: Window, y_window: Window,
                x_source: np.ndarray, y_source: np.ndarray, notes: list[str]) -> NativeGrid:
        """The records on the model's own grid: at the x component's points, the y component
        bilinear from its own points where they differ (a C grid), rotated to east/north."""
        from sarkit.forcing.native import Mesh, NativeGrid, bilinear_records
        same = (x0.grid.same_positions(y0.grid)
                and np.array_equal(x_window.y_index, y_window.y_index)
                and np.array_equal(x_window.x_index, y_window.x_index))
        rows, cols = x_window.y_index, x_window.x_index
        lon, lat = x_window.lon, x_window.lat
        if same:
            y_values = y_source
        else:
            fx, fy = Mesh(y_window.lon, y_window.lat).positions(lon, lat)
            # the x component's outer rows and columns beyond the y component's points: cut
            within = np.isfinite(fx)
            keep_y, keep_x = np.flatnonzero(within.any(axis=1)), np.flatnonzero(within.any(axis=0))
            if keep_y.size < 2 or keep_x.size < 2:
                raise ForcingCoverageError(
                    f"the points of {x0.component.name!r} and {y0.component.name!r} do not "
                    "overlap in this box", "choose a larger box",
                    ", ".join(self.labels))
            cut = (slice(keep_y[0], keep_y[-1] + 1), slice(keep_x[0], keep_x[-1] + 1))
            rows, cols, lon, lat = rows[cut[0]], cols[cut[1]], lon[cut], lat[cut]
            x_source = x_source[(slice(None), *cut)]
            y_values = bilinear_records(y_source, fx[cut], fy[cut])
            notes.append(f"{y0.component.name!r} taken to the points of {x0.component.name!r} "
                         "(bilinear on its own grid)")
        mesh = Mesh(lon, lat)
        if x0.component.grid_relative:
            if x0.grid.kind == "projected":
                angle = projection_angle(x0.grid.crs, lon, lat)
            else:
                angle = x0.grid.angle[np.ix_(rows, cols)]
            cos, sin = np.cos(angle), np.sin(angle)
            east = x_source * cos - y_values * sin
            north = x_source * sin + y_values * cos
            low, high = np.degrees(np.nanmin(angle)), np.degrees(np.nanmax(angle))
            notes.append("grid-relative components rotated to east/north at the model's points "
                         f"(grid angle {low:.1f}..{high:.1f} deg)")
        else:
            east, north = x_source, y_values
        # a value with no partner is missing (land of the other component's mask)
        missing = np.isnan(east) | np.isnan(north)
        east, north = np.where(missing, np.nan, east), np.where(missing, np.nan, north)
        return NativeGrid(mesh, east, north, kind=x0.grid.kind)

    def _notes(self) -> list[str]:
        x, y = self.x_parts[0], self.y_parts[0]
        notes = [
            f"{self.quantity.value} from {x.component.name!r}/{y.component.name!r} "
            f"({x.component.found_by}), units {x.units}",
            x.grid.note,
            x.time.note,
        ]
        if x.level is not None:
            notes.append(x.level.note)
        if x.member is not None:
            notes.append(x.member.note)
        if x.mask is not None:
            notes.append("land masked with the file's mask variable")
        if len(self.labels) > 1:
            notes.append(f"joined from {len(self.labels)} files")
        if self.is_steady:
            notes.append("one time only: the field is held constant in time")
        if self.quantity is Quantity.WIND and not _states_10m(x):
            notes.append("the file does not state the wind's height: taken as the 10 m wind")
        fetched = {str(p.dataset.attrs.get(FETCHED_ATTR)) for p in self.x_parts + self.y_parts
                   if p.dataset.attrs.get(FETCHED_ATTR)}
        if fetched:
            notes.append(f"fetched over OPeNDAP at {', '.join(sorted(fetched))} (a subset of the "
                         "server's dataset, cached on this machine)")
        if is_synthetic(x.dataset):
            notes.insert(0, "SYNTHETIC field (analytic, not model output): not for operational use")
        return notes

    def _check_values(self, east: np.ndarray, north: np.ndarray, box) -> None:
        speed = np.hypot(east, north)
        if not np.isfinite(speed).any():
            for part in self.x_parts + self.y_parts:
                if part.missing_everywhere():
                    raise part.no_values_error()
            raise ForcingCoverageError(
                f"the box {format_box(box)} holds no sea values (all land or missing)",
                "choose a box over the sea, or check the file's mask and fill values",
                ", ".join(self.labels),
            )
        top = float(np.nanmax(speed))
        if top > MAX_PLAUSIBLE_SPEED[self.quantity]:
            part = self.x_parts[0]
            raise ForcingUnitsError(
                f"speeds up to {top:.3g} m/s after converting from units {part.units!r}: far too "
                f"fast for a {self.quantity.value}",
                "check the variable's units (cm/s stored as m/s?) and fix the units attribute",
                f"{part.label}: variable {part.component.name!r}",
            )


def _states_10m(part: Part) -> bool:
    """True if the wind variable's name or metadata mention a 10 m height."""
    variable = part.dataset[part.component.name]
    text = " ".join(str(v) for v in variable.attrs.values()).lower()
    return bool(
        re.search(r"(?<![\d.])10(?!\d)", part.component.name)
        or re.search(r"(?<![\d.])10\s*-?\s*(m|metre|meter)s?\b", text)
    )


def _grid_box(grid: Horizontal) -> tuple[float, float, float, float]:
    return (float(np.min(grid.lon)), float(np.min(grid.lat)),
            float(np.max(grid.lon)), float(np.max(grid.lat)))


def open_forcing(
    sources: Source | Iterable[Source],
    quantity: Quantity | str = Quantity.CURRENT,
    *,
    units: str | None = None,
    variables: tuple[str, str] | None = None,
    time_origin: str | None = None,
    member: int | None = None,
) -> NetcdfSource:
    """Open currents or winds from netCDF files or xarray Datasets, lazily.

    Parameters
    ----------
    sources : path, xarray.Dataset, or a list of them
        One file; several files of one model along time; or the files of a
        model that writes u and v separately (NEMO, some CMEMS products).
    quantity : {"current", "wind"} or Quantity
        Which field to open.
    units : str, optional
        Units of velocity variables that state none (``"m/s"``, ``"cm/s"``,
        ``"knots"``). Never overrides units a file states.
    variables : (str, str), optional
        Names of the x (east) and y (north) variables, when the standard-name
        and alias tables of :mod:`sarkit.forcing.variables` do not find them.
    time_origin : str, optional
        Start date for time units with no reference date (``"second"``).
    member : int, optional
        For an ensemble forecast (files with a member dimension, e.g. ``realization`` or
        ECMWF's ``number``): the member to read, from 0. Required for such files;
        :attr:`NetcdfSource.members` tells how many there are.

    Returns
    -------
    NetcdfSource

    Raises
    ------
    ForcingError
        A subclass whose message names the file, the problem and the fix.

    Examples
    --------
    >>> source = open_forcing(["cmems_day1.nc", "cmems_day2.nc"], "current")  # doctest: +SKIP
    >>> grid = source.load((92, 5, 99, 14), "2024-03-20T00Z", "2024-03-21T06Z")  # doctest: +SKIP
    """
    quantity = Quantity.parse(quantity)
    items = as_list(sources)
    if not items:
        raise BadValueError("no forcing files given", "give at least one netCDF file")
    opened: list[tuple[str, xr.Dataset]] = []
    try:
        for item in items:
            opened.append(open_dataset(item))
        x_parts, y_parts = _assemble(opened, quantity, units, variables, time_origin, member)
    except BaseException:
        _close_files(opened, items)
        raise
    given = {id(item) for item in items if isinstance(item, xr.Dataset)}
    used = {id(p.dataset) for p in x_parts + y_parts}
    _close_files([o for o in opened if id(o[1]) not in used], items)
    owned = [d for _, d in opened if id(d) in used and id(d) not in given]
    return NetcdfSource(quantity, x_parts, y_parts, owned)


def _close_files(opened: list[tuple[str, xr.Dataset]], items: list[Source]) -> None:
    """Close the datasets sarkit opened itself (never a Dataset the caller passed in)."""
    given = {id(item) for item in items if isinstance(item, xr.Dataset)}
    for _, dataset in opened:
        if id(dataset) not in given:
            dataset.close()


def _assemble(opened, quantity, units, variables, time_origin,
              member=None) -> tuple[list[Part], list[Part]]:
    """The x and y parts of all files, joined in time and checked against each other."""
    x_parts: list[Part] = []
    y_parts: list[Part] = []
    seen: list[str] = []
    for label, dataset in opened:
        components = _components(label, dataset, quantity, variables)
        seen.extend(f"{c.quantity.value} {c.axis}:{c.name}" for c in find_components(dataset))
        for component in components:
            part = analyse(label, dataset, component, units=units, time_origin=time_origin,
                           member=member)
            if part.member is not None and part.member.index is None:
                raise part.unchosen_member_error()
            (x_parts if component.axis == "x" else y_parts).append(part)
    labels = ", ".join(label for label, _ in opened)
    if not x_parts and not y_parts:
        found = f" (found only: {', '.join(sorted(set(seen)))})" if seen else ""
        raise ForcingVariableError(
            f"no {quantity.value} velocity found{found}",
            f"give a file with {quantity.value} components, or name them with "
            "variables=('u', 'v')",
            labels,
        )
    for have, missing, parts in (("eastward (x)", "northward (y)", x_parts),
                                 ("northward (y)", "eastward (x)", y_parts)):
        if parts and not (y_parts if parts is x_parts else x_parts):
            names = ", ".join(p.component.name for p in parts)
            partner = partner_name(parts[0].component)
            usual = f" (usually {partner!r})" if partner else ""
            raise ForcingVariableError(
                f"only the {have} {quantity.value} component was found ({names}); the "
                f"{missing} one{usual} is missing",
                "add the file that holds the other component",
                labels,
            )
    x_parts, y_parts = _join(x_parts), _join(y_parts)
    _check_pair(x_parts, y_parts)
    return x_parts, y_parts


def _components(label, dataset, quantity, variables) -> list[Component]:
    if variables is None:
        return [c for c in find_components(dataset) if c.quantity is quantity]
    components = []
    for name, axis in zip(variables, ("x", "y"), strict=True):
        if name in dataset.data_vars:
            components.append(component_for(dataset, name, quantity, axis))
    if not components:
        raise ForcingVariableError(
            f"none of the variables {list(variables)} is in the file",
            f"choose from {sorted(map(str, dataset.data_vars))}",
            label,
        )
    return components


def _join(parts: list[Part]) -> list[Part]:
    """Order the files of one component in time and check that they agree."""
    parts = sorted(parts, key=lambda p: np.nan_to_num(p.time.seconds[0], nan=-np.inf))
    first = parts[0]
    for part in parts[1:]:
        where = f"{first.label} and {part.label}"
        if part.undated or first.undated:
            raise ForcingMismatchError(
                "files without a usable time axis cannot be joined",
                "give one such file only, or fix the time units", where,
            )
        if not part.grid.same_positions(first.grid):
            raise ForcingMismatchError(
                f"the grids of {first.component.name!r} differ "
                f"({first.grid.lon.shape} vs {part.grid.lon.shape} points, or other positions)",
                "give files from the same model and domain", where,
            )
        if part.component.name != first.component.name or part.units != first.units:
            raise ForcingMismatchError(
                f"the files name or scale the velocity differently ({first.component.name!r} "
                f"in {first.units!r} vs {part.component.name!r} in {part.units!r})",
                "give files of the same product", where,
            )
    for before, after in itertools.pairwise(parts):
        if after.time.seconds[0] <= before.time.seconds[-1]:
            raise ForcingMismatchError(
                f"the files overlap in time ({format_time(after.time.seconds[0])} is not after "
                f"{format_time(before.time.seconds[-1])})",
                "give each time once: drop the duplicate or overlapping file",
                f"{before.label} and {after.label}",
            )
    return parts


def _check_pair(x_parts: list[Part], y_parts: list[Part]) -> None:
    """Check that the x and y components line up in time and agree on their frame."""
    x_time = np.concatenate([p.time.seconds for p in x_parts])
    y_time = np.concatenate([p.time.seconds for p in y_parts])
    labels = ", ".join(dict.fromkeys(p.label for p in x_parts + y_parts))
    # rtol=0: epoch seconds are ~1.7e9, so the default rtol would pass hours of difference
    if x_time.shape != y_time.shape or not np.allclose(
        x_time, y_time, rtol=0.0, atol=1.0, equal_nan=True
    ):
        if x_time.shape != y_time.shape:
            detail = f"{x_time.size} vs {y_time.size} records"
        else:
            first = int(np.flatnonzero(np.abs(x_time - y_time) > 1.0)[0])
            detail = f"record {first}: {format_time(x_time[first])} vs {format_time(y_time[first])}"
        raise ForcingMismatchError(
            f"the eastward and northward components have different times ({detail})",
            "give u and v files that cover the same times", labels,
        )
    x, y = x_parts[0], y_parts[0]
    if x.component.grid_relative != y.component.grid_relative:
        raise ForcingMismatchError(
            f"{x.component.name!r} is {'grid-relative' if x.component.grid_relative else 'east'}"
            f" but {y.component.name!r} is not", "give a consistent pair of components", labels,
        )

