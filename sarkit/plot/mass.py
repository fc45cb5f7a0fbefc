"""The map of a mass event: one panel per search period, each with every case's particles and
90 % area at mid-period, the period's rectangles and tracks, the search and rescue regions and
the assets' bases; a key beside the panels and a locator inset. matplotlib is imported inside
the functions (``import sarkit`` stays light).

Every rectangle is labelled with its case and number (``C1``, ``C2`` ...) in a column of labels
beside its case's cluster, each joined to its rectangle by a leader line, so no label covers a
rectangle; the key says which asset searched each. Particles are dots in the case's colour,
rectangles are outlined in it and the tracks are black.
"""

from __future__ import annotations

import math
import os
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shapely

from sarkit.files.atomic import atomic_path
from sarkit.plot.areas import (
    DPI,
    SEA_COLOUR,
    WARNING_COLOUR,
    _draw_land,
    _draw_regions,
    _locator,
    _north_arrow,
    _scale_bar,
    _set_ticks,
    _synthetic_note,
)
from sarkit.times import span_and_local

if TYPE_CHECKING:  # pragma: no cover
    import matplotlib.axes

    from sarkit.mass.event import EventResult
    from sarkit.mass.joint import CasePeriod

__all__ = ["plot_event", "save_event_map"]

_COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
            "#17becf", "#bcbd22", "#7f7f7f")

TRACK_COLOUR = "#111111"
"""The search tracks: one colour, unlike any case's particles."""

PANEL_WIDTH = 5.4
"""Width of one period's panel in a new figure (inches)."""

KEY_WIDTH = 5.0
"""Width of the key beside the panels (inches)."""

KEY_CHARS = 72
"""Most characters on a line of the key."""

_KEY_LINE = 0.13
"""Height of a line of the key (inches)."""

MIN_HEIGHT, MAX_HEIGHT = 6.0, 10.0
"""Least and most height of a new figure (inches): the panels' aspect sets it between."""


def _outline(ax, geom: shapely.Geometry, colour: str, **kwargs) -> None:
    parts = getattr(geom, "geoms", [geom])
    for part in parts:
        if part.is_empty:
            continue
        x, y = part.exterior.xy
        ax.plot(x, y, color=colour, **kwargs)


def _entries(result: EventResult, period: int) -> list[CasePeriod]:
    return [e for e in result.joint.entries if e.period == period and e.poc is not None]


def _particles(result: EventResult, entry: CasePeriod) -> np.ndarray:
    """The case's particles at the entry's mid-period time, shape (n, 2)."""
    run = next(r for r in result.runs if r.case_id == entry.case_id)
    times = run.trajectories["time"].values
    index = int(np.argmin(np.abs(times - entry.poc.valid_time)))
    lon = np.asarray(run.trajectories["lon"].values[:, index], dtype=float)
    lat = np.asarray(run.trajectories["lat"].values[:, index], dtype=float)
    xy = np.column_stack([lon, lat])
    return xy[np.isfinite(xy).all(axis=1)]


def _extent(result: EventResult, periods: Sequence[int]):
    """(west, south, east, north) holding every period's particles and rectangles and the
    bases near them; the bases drawn, by position."""
    points = [np.zeros((0, 2))]
    for period in periods:
        for entry in _entries(result, period):
            points.append(_particles(result, entry))
            if entry.plan is not None:
                points.extend(np.asarray(item.polygon.exterior.coords)
                              for item in entry.plan.assignments)
    xy = np.concatenate(points)
    if not len(xy):
        xy = np.array([[a.lon, a.lat] for a in result.case_file.assets])
    west, south = xy.min(axis=0)
    east, north = xy.max(axis=0)
    bases: dict[tuple[float, float], list[str]] = {}
    for asset in result.case_file.assets:
        bases.setdefault((round(asset.lon, 3), round(asset.lat, 3)), []).append(asset.name)
    near = {}
    for (lon, lat), names in bases.items():
        if west - 3 <= lon <= east + 3 and south - 3 <= lat <= north + 3:
            near[lon, lat] = names
    for lon, lat in near:
        west, east = min(west, lon), max(east, lon)
        south, north = min(south, lat), max(north, lat)
    pad = 0.08 * max(east - west, north - south, 0.2)
    return (west - pad, south - pad, east + pad, north + pad), near


def _tags(result: EventResult, entry: CasePeriod) -> list[str]:
    """The labels of the entry's rectangles: case id and number (``C1``, ``C2`` ...)."""
    if entry.plan is None:
        return []
    return [f"{entry.case_id}{j + 1}" for j in range(len(entry.plan.assignments))]


def _clusters(result: EventResult, period: int, box) -> shapely.Geometry:
    """Where the period's boats, rectangles and their labels lie (each cluster's bounds,
    widened to both sides for the column of labels): the regions' names keep clear of it."""
    west, _, east, _ = box
    wide = 0.15 * (east - west)
    boxes = []
    for entry in _entries(result, period):
        geoms = [shapely.MultiPoint(_particles(result, entry)),
                 shapely.Point(entry.poc.datum_lon, entry.poc.datum_lat)]
        if entry.plan is not None:
            geoms.extend(item.polygon for item in entry.plan.assignments)
        x0, y0, x1, y1 = shapely.total_bounds(geoms)
        boxes.append(shapely.box(x0 - wide, y0, x1 + wide, y1))
    return shapely.union_all(boxes)


def _draw_period(ax, result: EventResult, period: int, box, bases, colour) -> None:
    from sarkit.poc.areas import search_areas

    west, south, east, north = box
    cos_mid = max(math.cos(math.radians(0.5 * (south + north))), 0.05)
    ax.set_facecolor(SEA_COLOUR)
    _draw_land(ax, box, None)
    _draw_regions(ax, box, avoid=_clusters(result, period, box))
    cases = {c.case_id: c for c in result.case_file.cases}
    step_y = 0.035 * (north - south)
    gap_x = 0.03 * (east - west)
    for entry in _entries(result, period):
        c = colour[entry.case_id]
        xy = _particles(result, entry)
        ax.scatter(xy[:, 0], xy[:, 1], s=1, color=c, alpha=0.25, linewidths=0, zorder=2)
        ninety = next(a for a in search_areas(entry.poc).levels if abs(a.level - 0.9) < 1e-9)
        _outline(ax, ninety.polygon, c, linewidth=1.2, linestyle="--", zorder=3)
        geoms = [ninety.polygon, shapely.MultiPoint(xy)] if len(xy) else [ninety.polygon]
        rectangles = [] if entry.plan is None else list(entry.plan.assignments)
        for item in rectangles:
            _outline(ax, item.polygon, c, linewidth=1.6, zorder=4)
            ax.plot(*np.asarray(item.pattern.waypoints).T, color=TRACK_COLOUR, linewidth=0.5,
                    zorder=4.5)
            geoms.append(item.polygon)
        # a column of labels beside the cluster, each with a leader line to its rectangle
        x0, y0, x1, y1 = shapely.total_bounds(geoms)
        east_side = x1 + gap_x + 0.12 * (east - west) < east
        x = x1 + gap_x if east_side else x0 - gap_x
        align = "left" if east_side else "right"
        case = cases[entry.case_id]
        labels = [(f"{case.case_id}: {case.persons}", (entry.poc.datum_lon, entry.poc.datum_lat),
                   True)]
        labels.extend((tag, (item.polygon.centroid.x, item.polygon.centroid.y), False)
                      for tag, item in zip(_tags(result, entry), rectangles, strict=True))
        top = min(0.5 * (y0 + y1) + 0.5 * step_y * (len(labels) - 1), north - step_y)
        for k, (text, target, header) in enumerate(labels):
            ax.annotate(text, target, xytext=(x, top - k * step_y), textcoords="data",
                        ha=align, va="center", color=c if header else "black",
                        fontsize=8.5 if header else 7.5, fontweight="bold", zorder=8,
                        bbox={"facecolor": "white", "edgecolor": c, "alpha": 0.9,
                              "boxstyle": "round,pad=0.2", "linewidth": 0.8},
                        arrowprops={"arrowstyle": "-", "color": c, "linewidth": 0.7,
                                    "shrinkA": 0, "shrinkB": 0})
    for (lon, lat), names in bases.items():
        ax.plot(lon, lat, marker="^", color="black", markersize=6, zorder=5)
        right = lon > west + 0.85 * (east - west)  # near the east edge: the name to the left
        ax.annotate("\n".join(names), (lon, lat), fontsize=6, zorder=6,
                    xytext=(-4 if right else 4, -4), textcoords="offset points", va="top",
                    ha="right" if right else "left")
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1.0 / cos_mid)
    _set_ticks(ax, west, south, east, north)
    _scale_bar(ax, west, south, east, north, cos_mid)
    _north_arrow(ax)
    window = result.case_file.periods[period]
    ax.set_title(f"period {period + 1}: {span_and_local(window.start, window.end)}", loc="left",
                 fontsize=9)


def _key(result: EventResult, periods: Sequence[int], colour) -> list[tuple[str, str]]:
    """(colour, text) of each case: who it is, and per period its POS and rectangles."""
    lines = []
    for run in result.runs:
        case = next(c for c in result.case_file.cases if c.case_id == run.case_id)
        text = textwrap.fill(f"{case.case_id}: {case.name}, {case.aboard()}", width=60,
                             subsequent_indent="   ")
        for period in periods:
            entry = next((e for e in _entries(result, period) if e.case_id == run.case_id),
                         None)
            if entry is None:
                continue
            searched = ", ".join(
                f"{tag} {item.name}" for tag, item in zip(
                    _tags(result, entry), entry.plan.assignments if entry.plan else (),
                    strict=True)) or "not searched"
            text += "\n" + textwrap.fill(
                f"period {period + 1}: POS {entry.pos:.2f}, expected found "
                f"{entry.expected_found:.1f}; {searched}",
                width=KEY_CHARS, initial_indent="   ", subsequent_indent="      ")
        lines.append((colour[run.case_id], text))
    return lines




def _event_note(result: EventResult) -> str:
    """The SYNTHETIC warning where any case drifted on SYNTHETIC forcing ("" otherwise)."""
    notes = [_synthetic_note(run.trajectories) for run in result.runs]
    return next((note for note in notes if note), "")


def plot_event(result: EventResult, ax: matplotlib.axes.Axes | None = None,
               period: int | None = None) -> matplotlib.axes.Axes:
    """Draw the event: one panel per search period (or the one period asked for).

    Parameters
    ----------
    result : EventResult
        From :func:`sarkit.mass.plan_event` (or :func:`sarkit.app.run_event`).
    ax : matplotlib.axes.Axes, optional
        Draw one period (``period``, default the first) in it. Without it, a new figure with
        one panel per period (only ``period`` where given), the key beside them and a
        locator inset; the panels share one extent.
    period : int, optional
        Which period (from 0).

    Returns
    -------
    matplotlib.axes.Axes
        The (first) panel; ``ax.figure.axes`` holds the others.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    count = len(result.case_file.periods)
    if period is not None and not 0 <= period < count:
        raise IndexError(f"period {period} of an event with {count} periods")
    colour = {c.case_id: _COLOURS[i % len(_COLOURS)] for i, c in enumerate(result.runs)}
    if ax is not None:
        periods = [0 if period is None else period]
        box, bases = _extent(result, periods)
        _draw_period(ax, result, periods[0], box, bases, colour)
        note = _event_note(result)
        if note:
            ax.text(0.5, 0.015, note, transform=ax.transAxes, ha="center", va="bottom",
                    fontsize=8, color=WARNING_COLOUR, zorder=10,
                    bbox={"facecolor": "white", "edgecolor": WARNING_COLOUR, "alpha": 0.85})
        return ax
    periods = list(range(count)) if period is None else [period]
    box, bases = _extent(result, periods)
    west, south, east, north = box
    cos_mid = max(math.cos(math.radians(0.5 * (south + north))), 0.05)
    map_w = PANEL_WIDTH - 0.6
    map_h = map_w * (north - south) / max((east - west) * cos_mid, 1e-9)
    key = _key(result, periods, colour)
    inset_h = 2.0
    key_h = (1.6 + inset_h + sum(0.22 + _KEY_LINE * (1 + text.count("\n")) for _, text in key)
             + 4 * _KEY_LINE)
    height = max(min(max(map_h + 1.6, MIN_HEIGHT), MAX_HEIGHT), key_h)
    width = PANEL_WIDTH * len(periods) + KEY_WIDTH
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    panels = []
    for k, each in enumerate(periods):
        panel = fig.add_axes(((0.5 + k * PANEL_WIDTH) / width, 0.55 / height, map_w / width,
                              (height - 1.55) / height))
        _draw_period(panel, result, each, box, bases, colour)
        panels.append(panel)
    joint, own = result.joint, result.own_region
    fig.text(0.5 / width, 1 - 0.12 / height, f"{result.case_file.name}\nexpected persons "
             f"found (all periods) {joint.expected_found:.1f} with the joint plan, "
             f"{own.expected_found:.1f} under the own-region rule", fontsize=11, va="top")
    note = _event_note(result)
    if note:
        fig.text(1 - 0.2 / width, 1 - 0.12 / height, note, ha="right", va="top", fontsize=9,
                 fontweight="bold", color=WARNING_COLOUR,
                 bbox={"facecolor": "white", "edgecolor": WARNING_COLOUR, "pad": 3})
    x = (PANEL_WIDTH * len(periods) + 0.15) / width
    _locator(fig, (x, 1 - (1.0 + inset_h) / height, inset_h / width, inset_h / height), box)
    y = 1 - (1.2 + inset_h) / height
    for c, text in key:
        fig.text(x, y, text, color=c, fontsize=7.5, va="top")
        y -= (0.22 + _KEY_LINE * (1 + text.count("\n"))) / height
    fig.text(x, y - 0.05 / height, "dots: particles at mid-period; dashed: 90 % area;\n"
             "outlined: search rectangles (black lines: tracks),\nlabelled case and number; "
             "^ asset bases", fontsize=7.5, va="top")
    return panels[0]


def save_event_map(path: str | os.PathLike, result: EventResult,
                   period: int | None = None) -> Path:
    """Draw :func:`plot_event` (one panel per period, or only ``period``) into a PNG,
    atomically."""
    ax = plot_event(result, period=period)
    target = Path(path)
    with atomic_path(target) as temporary:
        ax.figure.savefig(temporary, format="png", dpi=DPI, facecolor="white")
    return target
