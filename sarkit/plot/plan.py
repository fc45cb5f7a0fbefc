"""A map of a search plan: POC at mid-search, each asset's rectangle and track, the datum.

:func:`plot_plan` draws into a matplotlib Axes (a new figure when none is given);
:func:`save_plan_map` writes it as a PNG, atomically. Like :mod:`sarkit.plot.areas`, matplotlib is
imported inside the functions and figures are built without pyplot. The map shows the POC
cells (shaded by probability, with a colour bar), the real coastline, each assigned rectangle
in its asset's colour with its parallel-sweep track and commence search point (circle), the
datum at mid-search (star), a legend with each asset's POD and POS, the assets left out, a
scale bar in NM, a north arrow and a title with the window and the total POS against its
bound.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shapely

from sarkit.files.atomic import atomic_path
from sarkit.plot.areas import (
    DPI,
    SEA_COLOUR,
    _draw_land,
    _north_arrow,
    _scale_bar,
    _set_ticks,
    _synthetic_note,
)

if TYPE_CHECKING:  # pragma: no cover
    import matplotlib.axes
    import xarray as xr

    from sarkit.planning.plan import SearchPlan

__all__ = ["plot_plan", "save_plan_map"]

FIGSIZE = (13.0, 8.5)
"""Size of a new figure (inches)."""

ASSET_COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
                 "#17becf", "#bcbd22", "#7f7f7f")
"""Colours of the assets, in plan order (repeated beyond ten)."""

MARGIN = 0.12
"""Margin around the drawn features, as a share of their larger side."""


def _new_axes():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIGSIZE)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.06, 0.07, 0.56, 0.85))
    ax.set_anchor("W")
    return ax


def _cell_corners(plan: SearchPlan) -> tuple[np.ndarray, np.ndarray]:
    poc = plan.poc
    ny, nx = poc.shape
    x = poc.x0 + np.arange(nx + 1) * poc.cell_m
    y = poc.y0 + np.arange(ny + 1) * poc.cell_m
    gx, gy = np.meshgrid(x, y)
    lon, lat = poc.to_lonlat().transform(gx, gy)
    return np.asarray(lon), np.asarray(lat)


def _extent(plan: SearchPlan, lon: np.ndarray, lat: np.ndarray):
    values = np.asarray(plan.poc.poc)
    rows, cols = np.nonzero(values > 0)
    geoms = [shapely.Point(plan.poc.datum_lon, plan.poc.datum_lat)]
    if rows.size:
        geoms.append(shapely.MultiPoint(np.column_stack([
            lon[rows.min():rows.max() + 2, cols.min():cols.max() + 2].ravel(),
            lat[rows.min():rows.max() + 2, cols.min():cols.max() + 2].ravel()])))
    geoms.extend(item.polygon for item in plan.assignments)
    geoms.extend(item.pattern.as_linestring() for item in plan.assignments)
    west, south, east, north = shapely.total_bounds(geoms)
    cos_mid = max(math.cos(math.radians(0.5 * (south + north))), 0.05)
    size = max((east - west) * cos_mid, north - south, 1.0 / 60.0)
    pad = MARGIN * size
    width, height = (east - west) * cos_mid + 2 * pad, (north - south) + 2 * pad
    extra_w = max(0.0, height / 1.4 - width) / 2
    extra_h = max(0.0, width / 1.6 - height) / 2
    return (west - (pad + extra_w) / cos_mid, max(south - pad - extra_h, -89.9),
            east + (pad + extra_w) / cos_mid, min(north + pad + extra_h, 89.9)), cos_mid


def plot_plan(plan: SearchPlan, *, trajectories: xr.Dataset | None = None,
              ax: matplotlib.axes.Axes | None = None, title: str | None = None,
              land_resolution_m: float | None = None) -> matplotlib.axes.Axes:
    """Draw the plan on a map.

    Parameters
    ----------
    plan : SearchPlan
        From :func:`sarkit.planning.plan_search`.
    trajectories : xarray.Dataset, optional
        The drift, only to say on the map when its forcing was SYNTHETIC.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    title : str, optional
        Replaces the default title.
    land_resolution_m : float, optional
        Coastline raster resolution (default: chosen from the map size).

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.colors import PowerNorm
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ax = _new_axes() if ax is None else ax
    fig = ax.figure
    lon, lat = _cell_corners(plan)
    box, cos_mid = _extent(plan, lon, lat)
    west, south, east, north = box
    ax.set_facecolor(SEA_COLOUR)
    values = np.ma.masked_less_equal(np.asarray(plan.poc.poc, dtype=float), 0.0)
    handles = []
    if values.count():
        top = float(values.max())
        mesh = ax.pcolormesh(lon, lat, values, cmap="YlOrBr", shading="flat", zorder=2,
                             norm=PowerNorm(0.5, vmin=0.0, vmax=top), alpha=0.85, linewidth=0)
        bar = fig.colorbar(mesh, cax=fig.add_axes((0.66, 0.10, 0.30, 0.018)),
                           orientation="horizontal")
        when = float(np.datetime64(plan.poc.valid_time, "s").astype(np.int64))
        bar.set_label(f"POC per {plan.poc.cell_nm:g} NM cell at mid-search, "
                      f"{_hhmm(when, True)}Z", fontsize=8)
        bar.ax.tick_params(labelsize=7)
    _draw_land(ax, box, land_resolution_m)
    for k, item in enumerate(plan.assignments):
        colour = ASSET_COLOURS[k % len(ASSET_COLOURS)]
        x, y = item.polygon.exterior.xy
        ax.fill(x, y, facecolor=colour, alpha=0.12, edgecolor="none", zorder=3)
        ax.plot(x, y, color=colour, linewidth=2.0, zorder=5)
        track = np.asarray(item.pattern.waypoints)
        ax.plot(track[:, 0], track[:, 1], color=colour, linewidth=0.8, alpha=0.9, zorder=4)
        csp = item.pattern.commence_search_point
        ax.plot(*csp, marker="o", markersize=6, markerfacecolor="white",
                markeredgecolor=colour, markeredgewidth=1.5, zorder=6)
        corners = np.asarray(item.polygon.exterior.coords)[:-1]
        top = corners[int(np.argmax(corners[:, 1]))]
        ax.text(top[0], top[1], str(k + 1), ha="center", va="bottom", fontsize=10,
                fontweight="bold", color=colour, zorder=7,
                bbox={"facecolor": "white", "edgecolor": colour, "alpha": 0.9,
                      "boxstyle": "circle,pad=0.25"})
        handles.append(Patch(
            facecolor=colour, alpha=0.5, edgecolor=colour,
            label=(f"{k + 1}. {item.label} ({item.rcc or 'own base'})\n"
                   f"    S {item.track_spacing_nm:.2f} NM, C {item.coverage:.2f}, "
                   f"POD {item.pod:.2f}, POS {item.pos:.3f}\n"
                   f"    {_hhmm(item.start)}-{_hhmm(item.end)}Z")))
    ax.plot(plan.poc.datum_lon, plan.poc.datum_lat, marker="*", markersize=15, color="black",
            markeredgecolor="white", zorder=8)
    handles.append(Line2D([], [], marker="*", linestyle="none", color="black", markersize=12,
                          label="datum at mid-search"))
    handles.append(Line2D([], [], marker="o", linestyle="none", markerfacecolor="white",
                          markeredgecolor="black", label="commence search point (CSP)"))
    for item in plan.left_out:
        handles.append(Line2D([], [], linestyle="none", label=_wrap_text(
            f"left out: {item.asset.name}: {item.reason}", 60)))
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1.0 / cos_mid)
    _set_ticks(ax, west, south, east, north)
    ax.grid(True, color="white", linewidth=0.6, alpha=0.8, zorder=1.2)
    _scale_bar(ax, west, south, east, north, cos_mid)
    _north_arrow(ax)
    legend = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.04, 1.0),
                       fontsize=8, frameon=True, borderaxespad=0.0, labelspacing=0.9,
                       title=(f"total POS {plan.total_pos:.3f} of bound {plan.bound:.3f} "
                              f"(gap {plan.gap:.1%})"), title_fontsize=9)
    legend.set_zorder(10)
    ax.set_title(title or _wrap_text(
        f"{plan.name}\nsearch {_hhmm(plan.window.start, day=True)} to "
        f"{_hhmm(plan.window.end, day=True)} UTC; object {plan.search_object} "
        f"({plan.tables} tables)\nvisibility {plan.weather.visibility_nm:g} NM, wind "
        f"{plan.weather.wind_kt:g} kt, seas {plan.weather.seas_m:g} m", 90), fontsize=10,
        loc="left")
    note = _synthetic_note(trajectories)
    if note:
        ax.text(0.5, 0.015, note, transform=ax.transAxes, ha="center", va="bottom",
                fontsize=8, color="#a00000", zorder=9,
                bbox={"facecolor": "white", "edgecolor": "#a00000", "alpha": 0.85})
    ax.text(1.0, -0.07, "coastline: GSHHG via roaring-landmask; map by sarkit",
            transform=ax.transAxes, ha="right", va="top", fontsize=6, color="#555555")
    return ax


def _hhmm(seconds: float, day: bool = False) -> str:
    moment = np.datetime64(round(seconds), "s")
    text = str(moment)
    return f"{text[:10]} {text[11:16]}" if day else text[11:16]


def _wrap_text(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.fill(line, width, subsequent_indent="    ")
                     for line in text.splitlines())


def save_plan_map(path: str | os.PathLike, plan: SearchPlan, **kwargs) -> Path:
    """Draw :func:`plot_plan` in a new figure and write it as a PNG atomically.

    Parameters
    ----------
    path : path-like
        The PNG to write.
    plan : SearchPlan
        From :func:`sarkit.planning.plan_search`.
    **kwargs
        ``trajectories``, ``title``, ``land_resolution_m`` as for :func:`plot_plan`.

    Returns
    -------
    Path
    """
    ax = plot_plan(plan, **kwargs)
    target = Path(path)
    with atomic_path(target) as temporary:
        ax.figure.savefig(temporary, format="png", dpi=DPI, facecolor="white")
    return target
