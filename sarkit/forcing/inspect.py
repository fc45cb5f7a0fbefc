"""Describe forcing files: what sarkit finds in them, and why a file cannot serve.

This is what ``sarkit forcing info FILE...`` prints. It runs the same analysis as
:func:`~sarkit.forcing.open_forcing`, so a file described as usable opens, and
a file described as unusable fails with the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from sarkit.errors import SarkitError
from sarkit.forcing.grid import Quantity
from sarkit.forcing.netcdf import open_forcing
from sarkit.forcing.part import Part, Source, as_list, diagnose, open_dataset
from sarkit.forcing.variables import find_components, partner_name
from sarkit.positions import format_box
from sarkit.times import format_time

__all__ = ["FieldReport", "FileReport", "describe"]

_AXES = {"x": "eastward (x)", "y": "northward (y)"}


@dataclass(frozen=True)
class FieldReport:
    """One quantity (current or wind) in one file."""

    quantity: Quantity
    components: tuple[str, ...]
    lines: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def usable(self) -> bool:
        """True when the file alone can serve this quantity."""
        return not self.problems and len(self.components) == 2


@dataclass(frozen=True)
class FileReport:
    """What one file (or the set of files together) holds.

    Attributes
    ----------
    label : str
        The file name, or ``"all files together"``.
    fields : tuple of FieldReport
    problems : tuple of str
        Reasons that concern the whole file (unreadable, no velocity at all).
    """

    label: str
    fields: tuple[FieldReport, ...] = ()
    problems: tuple[str, ...] = field(default=())
    about: str = ""

    @property
    def usable(self) -> bool:
        """True when the file can serve at least one quantity on its own."""
        return any(f.usable for f in self.fields)

    def to_text(self) -> str:
        """A short, human-readable summary."""
        out = [self.label]
        if self.about:
            out.append(f"  {self.about}")
        out.extend(f"  cannot serve: {p}" for p in self.problems)
        for report in self.fields:
            head = f"  {report.quantity.value:<8}"
            names = " / ".join(report.components)
            out.append(f"{head}{names}")
            out.extend(f"  {'':<8}{line}" for line in report.lines)
            out.extend(f"  {'':<8}cannot serve: {p}" for p in report.problems)
        return "\n".join(out)


def _plain(exc: SarkitError) -> str:
    """The problem and its fix, without the file name the report already shows."""
    return f"{exc.problem.rstrip('. ')}. Fix: {exc.fix.rstrip('. ')}." if exc.fix else exc.problem


def _about(dataset) -> str:
    title = str(dataset.attrs.get("title", "")).strip()
    source = str(dataset.attrs.get("source", "")).strip()
    return "; ".join(t for t in (title, source) if t)


def _describe_part(part: Part) -> list[str]:
    grid = part.grid
    lon, lat = np.asarray(grid.lon), np.asarray(grid.lat)
    shape = lat.shape + lon.shape if grid.kind == "regular" else lon.shape
    lines = [
        f"{part.component.name}: found by {part.component.found_by}, units {part.units}",
        f"{grid.note}; {shape[-1]} x {shape[0]} points",
        f"box {format_box((np.min(lon), np.min(lat), np.max(lon), np.max(lat)))}",
    ]
    seconds = part.time.seconds
    if np.isnan(seconds).any():
        lines.append(part.time.note)
    elif seconds.size == 1:
        lines.append(f"one time {format_time(seconds[0])}: held constant in time")
    else:
        step = float(np.median(np.diff(seconds))) / 3600.0
        lines.append(
            f"{format_time(seconds[0])} .. {format_time(seconds[-1])}, "
            f"{seconds.size} records every {step:g} h"
        )
    if part.level is not None:
        lines.append(part.level.note)
    if part.member is not None:
        lines.append(f"an ensemble forecast of {part.member.count} members along "
                     f"{part.member.dim!r} (a scenario drifts on all of them with "
                     'members = "all", or on one with member = N)')
    if part.mask is not None:
        lines.append("land mask from the file's mask variable")
    return lines


def _describe_quantity(label, dataset, quantity, units, time_origin) -> FieldReport | None:
    components = [c for c in find_components(dataset) if c.quantity is quantity]
    if not components:
        return None
    lines: list[str] = []
    problems: list[str] = []
    for component in components:
        part, errors = diagnose(label, dataset, component, units=units, time_origin=time_origin)
        for error in errors:
            problem = _plain(error)
            if problem not in problems:
                problems.append(problem)
        if part is None:
            continue
        lines.extend(_describe_part(part) if not lines else _describe_part(part)[:1])
        try:
            empty = part.missing_everywhere()
        except SarkitError as exc:
            problems.append(_plain(exc))
        else:
            if empty:
                problems.append(f"variable {component.name!r}: {_plain(part.no_values_error())}")
    axes = {c.axis for c in components}
    for have, missing in (("x", "y"), ("y", "x")):
        if axes == {have}:
            partner = partner_name(components[0])
            usual = f" ({partner!r})" if partner else ""
            problems.append(
                f"only the {_AXES[have]} component ({components[0].name!r}); the "
                f"{_AXES[missing]} one{usual} is missing. Fix: add the file that holds it")
    return FieldReport(quantity, tuple(c.name for c in components), tuple(lines), tuple(problems))


def describe(
    sources: Source | Iterable[Source],
    *,
    units: str | None = None,
    time_origin: str | None = None,
) -> list[FileReport]:
    """Describe each file, and, for several files, whether they serve together.

    Parameters
    ----------
    sources : path, xarray.Dataset, or a list of them
        The forcing files (or datasets) to describe, each alone and all together.
    units, time_origin : str, optional
        As for :func:`~sarkit.forcing.open_forcing`.

    Returns
    -------
    list of FileReport
        One per file, then one labelled ``"all files together"`` when several
        files were given and some quantity is found in more than one of them.
    """
    items = as_list(sources)
    reports = []
    found: dict[Quantity, int] = {}
    for item in items:
        try:
            label, dataset = open_dataset(item)
        except SarkitError as exc:
            reports.append(FileReport(str(item), problems=(_plain(exc),)))
            continue
        with dataset:
            fields = []
            for quantity in Quantity:
                report = _describe_quantity(label, dataset, quantity, units, time_origin)
                if report is not None:
                    fields.append(report)
                    found[quantity] = found.get(quantity, 0) + 1
            problems = () if fields else (
                "no current or wind velocity found (by standard_name or the alias table)",)
            reports.append(FileReport(label, tuple(fields), problems, _about(dataset)))
    if len(items) > 1:
        reports.append(_together(items, [q for q, n in found.items() if n > 1], units,
                                 time_origin))
    return [r for r in reports if r is not None]


def _together(items, quantities, units, time_origin) -> FileReport | None:
    if not quantities:
        return None
    fields = []
    for quantity in quantities:
        try:
            with open_forcing(items, quantity, units=units, time_origin=time_origin) as source:
                line = (f"one source of {len(source.labels)} files, "
                        f"{format_time(source.time[0])} .. {format_time(source.time[-1])}, "
                        f"{source.time.size} records")
                names = (source.x_parts[0].component.name, source.y_parts[0].component.name)
                fields.append(FieldReport(quantity, names, (line,), ()))
        except SarkitError as exc:
            fields.append(FieldReport(quantity, (), (), (str(exc),)))
    return FileReport("all files together", tuple(fields))
