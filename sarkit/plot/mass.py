"""The map of a mass event: every case's particles and 90 % area, the first period's rectangles,
the assets' bases. matplotlib is imported inside the functions (``import sarkit`` stays light).
"""

from __future__ import annotations

import math
import os
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shapely

from sarkit.files.atomic import atomic_path
from sarkit.plot.areas import DPI, SEA_COLOUR, _draw_land, _north_arrow, _scale_bar, _set_ticks

if TYPE_CHECKING:  # pragma: no cover
    import matplotlib.axes

    from sarkit.mass.event import EventResult

__all__ = ["plot_event", "save_event_map"]

_COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
            "#17becf", "#bcbd22", "#7f7f7f")


def _outline(ax, geom: shapely.Geometry, colour: str, **kwargs) -> None:
    parts = getattr(geom, "geoms", [geom])
    for part in parts:
        if part.is_empty:
            continue
        x, y = part.exterior.xy
        ax.plot(x, y, color=colour, **kwargs)


def plot_event(result: EventResult, ax: matplotlib.axes.Axes | None = None,
               period: int = 0) -> matplotlib.axes.Axes:
    """Draw the cases, areas, one period's rectangles and the assets' bases.

    Parameters
    ----------
    result : EventResult
        From :func:`sarkit.mass.plan_event` (or :func:`sarkit.app.run_event`).
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; a new figure otherwise.
    period : int
        Which period's rectangles (from 0).

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.figure import Figure

    if ax is None:
        fig = Figure(figsize=(13, 8.5))
        ax = fig.add_axes((0.06, 0.07, 0.62, 0.86))
        ax.set_anchor("W")
    entries = [e for e in result.joint.entries if e.period == period and e.poc is not None]
    cases = {c.case_id: c for c in result.case_file.cases}
    colour = {c.case_id: _COLOURS[i % len(_COLOURS)] for i, c in enumerate(result.runs)}
    points, handles = [], []
    for entry in entries:
        run = next(r for r in result.runs if r.case_id == entry.case_id)
        times = run.trajectories["time"].values
        index = int(np.argmin(np.abs(times - entry.poc.valid_time)))
        lon = np.asarray(run.trajectories["lon"].values[:, index])
        lat = np.asarray(run.trajectories["lat"].values[:, index])
        c = colour[entry.case_id]
        ax.scatter(lon, lat, s=1, color=c, alpha=0.25, linewidths=0, zorder=2)
        from sarkit.poc.areas import search_areas

        ninety = next(a for a in search_areas(entry.poc).levels if abs(a.level - 0.9) < 1e-9)
        _outline(ax, ninety.polygon, c, linewidth=1.2, linestyle="--", zorder=3)
        case = cases[entry.case_id]
        ax.annotate(f"{case.case_id}: {case.persons}", (entry.poc.datum_lon,
                                                         entry.poc.datum_lat),
                    color=c, fontsize=9, fontweight="bold", zorder=6,
                    xytext=(6, 6), textcoords="offset points")
        points.extend(zip(lon, lat, strict=True))
        label = textwrap.fill(f"{case.case_id}: {case.name}, {case.aboard()}; POS "
                              f"{entry.pos:.2f}, expected found {entry.expected_found:.1f}",
                              width=58, subsequent_indent="   ")
        if entry.plan is not None:
            for item in entry.plan.assignments:
                _outline(ax, item.polygon, "black", linewidth=1.0, zorder=4)
                ax.plot(*np.asarray(item.pattern.waypoints).T, color=c, linewidth=0.4,
                        zorder=4)
                points.extend(item.polygon.exterior.coords)
            label += "\n" + textwrap.fill(
                "searched by " + ", ".join(
                    dict.fromkeys(item.name for item in entry.plan.assignments)),
                width=58, initial_indent="   ", subsequent_indent="   ")
        handles.append((c, label))
    bases = {}
    for asset in result.case_file.assets:
        bases.setdefault((round(asset.lon, 3), round(asset.lat, 3)), []).append(asset.name)
    xy = np.array(points) if points else np.zeros((1, 2))
    west, south = xy.min(axis=0)
    east, north = xy.max(axis=0)
    for (lon, lat), names in bases.items():
        if west - 3 <= lon <= east + 3 and south - 3 <= lat <= north + 3:
            ax.plot(lon, lat, marker="^", color="black", markersize=6, zorder=5)
            ax.annotate("\n".join(names), (lon, lat), fontsize=6.5, zorder=6,
                        xytext=(4, -4), textcoords="offset points", va="top")
            west, east = min(west, lon), max(east, lon)
            south, north = min(south, lat), max(north, lat)
    pad = 0.08 * max(east - west, north - south, 0.2)
    west, east, south, north = west - pad, east + pad, south - pad, north + pad
    cos_mid = math.cos(math.radians(0.5 * (south + north)))
    ax.set_facecolor(SEA_COLOUR)
    _draw_land(ax, (west, south, east, north), None)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1.0 / cos_mid)
    _set_ticks(ax, west, south, east, north)
    _scale_bar(ax, west, south, east, north, cos_mid)
    _north_arrow(ax)
    joint, own = result.joint, result.own_region
    window = result.case_file.periods[period]
    ax.set_title(f"{result.case_file.name}\nperiod {period + 1}: {window}; expected persons "
                 f"found (all periods) {joint.expected_found:.1f}, own-region rule "
                 f"{own.expected_found:.1f}", loc="left", fontsize=10)
    fig = ax.figure
    y = 0.93
    for c, label in handles:
        fig.text(0.70, y, label, color=c, fontsize=8, va="top")
        y -= 0.045 + 0.02 * label.count("\n")
    fig.text(0.70, y - 0.01, "dots: particles; dashed: 90 % area;\nblack: search rectangles "
             "(lines: tracks); ^ asset bases",
             fontsize=8, va="top")
    return ax


def save_event_map(path: str | os.PathLike, result: EventResult, period: int = 0) -> Path:
    """Draw :func:`plot_event` into a PNG, atomically."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    ax = plot_event(result, period=period)
    FigureCanvasAgg(ax.figure)
    target = Path(path)
    with atomic_path(target) as temporary:
        ax.figure.savefig(temporary, format="png", dpi=DPI, facecolor="white")
    return target
