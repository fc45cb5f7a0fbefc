"""A map of a search plan: POC at mid-search, each asset's rectangle and track, the datum.

:func:`plot_plan` draws into a matplotlib Axes (a new figure when none is given);
:func:`save_plan_map` writes it as a PNG, atomically. Like :mod:`sarkit.plot.areas`, matplotlib is
imported inside the functions and figures are built without pyplot. The map shows the POC
cells (shaded by probability, with a colour bar), the real coastline, each assigned rectangle
in its asset's colour with its parallel-sweep track (a bright line on a dark outline, above
the cells) and commence search point (circle), the rectangles already searched (hatched, after
``sarkit update``), the search and rescue regions' boundaries, the datum at mid-search (star),
a legend with each asset's POD and POS, the assets left out, a scale bar in NM, a north arrow,
a locator inset and a title with the window, the search object by its name and the total POS
against its bound. The colour bar's ticks are percentages at least :data:`MIN_TICK_GAP` of the
bar apart (:func:`poc_ticks`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shapely

from sarkit.files.atomic import atomic_path
from sarkit.planning.sweep import object_label
from sarkit.plot.areas import (
    DPI,
    SEA_COLOUR,
    _draw_land,
    _draw_regions,
    _locator,
    _north_arrow,
    _patch,
    _scale_bar,
    _set_ticks,
    _synthetic_note,
)

if TYPE_CHECKING:  # pragma: no cover
    import matplotlib.axes
    import xarray as xr

    from sarkit.files.geojson import FlownSearch
    from sarkit.planning.plan import SearchPlan

__all__ = ["plot_plan", "poc_ticks", "save_plan_map"]

FIGSIZE = (13.0, 8.5)
"""Size of a new figure (inches)."""

ASSET_COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
                 "#17becf", "#bcbd22", "#7f7f7f")
"""Colours of the assets, in plan order (repeated beyond ten)."""

MARGIN = 0.12
"""Margin around the drawn features, as a share of their larger side."""

POC_GAMMA = 0.5
"""The colour scale of the POC cells: a power of the POC (0.5: the faint cells still show)."""

MIN_TICK_GAP = 0.15
"""Least distance between two colour-bar ticks, as a share of the bar's length."""

SEARCHED_COLOUR = "#3a3a3a"
"""Outline and hatching of the rectangles already searched (the update map)."""

COLOUR_BAR_RECT = (0.66, 0.10, 0.30, 0.018)
"""Where the colour bar goes (figure fraction); the locator inset goes above it."""


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


def _extent(plan: SearchPlan, lon: np.ndarray, lat: np.ndarray,
            searched: Sequence[FlownSearch] = ()):
    values = np.asarray(plan.poc.poc)
    rows, cols = np.nonzero(values > 0)
    geoms = [shapely.Point(plan.poc.datum_lon, plan.poc.datum_lat)]
    if rows.size:
        geoms.append(shapely.MultiPoint(np.column_stack([
            lon[rows.min():rows.max() + 2, cols.min():cols.max() + 2].ravel(),
            lat[rows.min():rows.max() + 2, cols.min():cols.max() + 2].ravel()])))
    geoms.extend(item.polygon for item in plan.assignments)
    geoms.extend(item.pattern.as_linestring() for item in plan.assignments)
    geoms.extend(item.polygon for item in searched)
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
              searched: Sequence[FlownSearch] = (),
              ax: matplotlib.axes.Axes | None = None, title: str | None = None,
              land_resolution_m: float | None = None) -> matplotlib.axes.Axes:
    """Draw the plan on a map.

    Parameters
    ----------
    plan : SearchPlan
        From :func:`sarkit.planning.plan_search`.
    trajectories : xarray.Dataset, optional
        The drift, only to say on the map when its forcing was SYNTHETIC.
    searched : sequence of FlownSearch, optional
        The rectangles searched before this plan without finding (``sarkit update``,
        :func:`sarkit.files.geojson.read_searched`): drawn hatched, numbered S1, S2 ... and
        listed in the legend with the asset, the time and the POD.
    ax : matplotlib Axes, optional
        Where to draw; a new figure (with a locator inset) when None.
    title : str, optional
        Replaces the default title.
    land_resolution_m : float, optional
        Coastline raster resolution (default: chosen from the map size).

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib import patheffects
    from matplotlib.colors import PowerNorm
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    own_figure = ax is None
    ax = _new_axes() if own_figure else ax
    fig = ax.figure
    searched = tuple(searched)
    lon, lat = _cell_corners(plan)
    box, cos_mid = _extent(plan, lon, lat, searched)
    west, south, east, north = box
    ax.set_facecolor(SEA_COLOUR)
    values = np.ma.masked_less_equal(np.asarray(plan.poc.poc, dtype=float), 0.0)
    handles = []
    bar = None
    if values.count():
        top = float(values.max())
        mesh = ax.pcolormesh(lon, lat, values, cmap="YlOrBr", shading="flat", zorder=2,
                             norm=PowerNorm(POC_GAMMA, vmin=0.0, vmax=top), alpha=0.85,
                             linewidth=0)
        cax = (fig.add_axes(COLOUR_BAR_RECT) if own_figure
               else ax.inset_axes((0.55, -0.16, 0.45, 0.025)))
        bar = fig.colorbar(mesh, cax=cax, orientation="horizontal")
        bar.set_ticks(poc_ticks(top))
        bar.set_ticklabels([_percent(v) for v in poc_ticks(top)])
        when = float(np.datetime64(plan.poc.valid_time, "s").astype(np.int64))
        bar.set_label(f"POC per {plan.poc.cell_nm:g} NM cell at mid-search (%), "
                      f"{_hhmm(when, True)}Z", fontsize=8)
        bar.ax.tick_params(labelsize=7)
    _draw_land(ax, box, land_resolution_m)
    busy = [item.polygon for item in (*plan.assignments, *searched)]
    busy.append(shapely.Point(plan.poc.datum_lon, plan.poc.datum_lat).buffer(0.02))
    handles.extend(_draw_regions(ax, box, avoid=shapely.union_all(busy)))
    for k, item in enumerate(searched):
        ax.add_patch(_patch(item.polygon, facecolor="none", edgecolor=SEARCHED_COLOUR,
                            hatch="////", linewidth=1.2, linestyle=(0, (4, 2)), zorder=3.5))
        corners = np.asarray(item.polygon.exterior.coords)[:-1]
        low = corners[int(np.argmin(corners[:, 1]))]
        ax.text(low[0], low[1], f"S{k + 1}", ha="center", va="top", fontsize=8,
                fontweight="bold", color="white", zorder=7,
                bbox={"facecolor": SEARCHED_COLOUR, "edgecolor": "none", "alpha": 0.9,
                      "boxstyle": "round,pad=0.2"})
        handles.append(Patch(
            facecolor="none", edgecolor=SEARCHED_COLOUR, hatch="////",
            label=(f"S{k + 1}. searched, nothing found: {item.asset}\n"
                   f"    {_hhmm(item.start)}-{_hhmm(item.end)}Z, POD {item.pod:.2f}")))
    outline = [patheffects.withStroke(linewidth=3.0, foreground="#111111")]
    for k, item in enumerate(plan.assignments):
        colour = ASSET_COLOURS[k % len(ASSET_COLOURS)]
        x, y = item.polygon.exterior.xy
        ax.fill(x, y, facecolor=colour, alpha=0.10, edgecolor="none", zorder=3)
        ax.plot(x, y, color=colour, linewidth=2.0, zorder=5)
        # the track above the POC and the rectangles: a bright line on a dark outline
        track = np.asarray(item.pattern.waypoints)
        ax.plot(track[:, 0], track[:, 1], color=_bright(colour), linewidth=1.3, zorder=5.5,
                path_effects=outline)
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
    if plan.assignments:
        handles.append(Line2D([], [], color="white", linewidth=1.3, path_effects=outline,
                              label="search track (in its asset's colour)"))
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
        f"{_hhmm(plan.window.end, day=True)} UTC; visibility {plan.weather.visibility_nm:g} "
        f"NM, wind {plan.weather.wind_kt:g} kt, seas {plan.weather.seas_m:g} m\n"
        f"search object: {object_label(plan.search_object)} ({plan.tables} sweep-width "
        "tables)", 100), fontsize=10, loc="left")
    note = _synthetic_note(trajectories)
    if note:
        ax.text(0.5, 0.015, note, transform=ax.transAxes, ha="center", va="bottom",
                fontsize=8, color="#a00000", zorder=9,
                bbox={"facecolor": "white", "edgecolor": "#a00000", "alpha": 0.85})
    ax.text(1.0, -0.07, "coastline: GSHHG via roaring-landmask; map by sarkit",
            transform=ax.transAxes, ha="right", va="top", fontsize=6, color="#555555")
    if own_figure:
        _plan_locator(fig, legend, box)
    return ax


def _plan_locator(fig, legend, box) -> None:
    """The locator inset in the room between the legend and the colour bar, when there is
    room enough for it (a long legend leaves none)."""
    renderer = fig.canvas.get_renderer()
    legend_bottom = fig.transFigure.inverted().transform(
        legend.get_window_extent(renderer))[0, 1]
    floor = COLOUR_BAR_RECT[1] + COLOUR_BAR_RECT[3] + 0.07
    height = min(legend_bottom - 0.04 - floor, 0.30)
    if height >= 0.14:
        _locator(fig, (COLOUR_BAR_RECT[0] + 0.04, floor, 0.22, height), box)


def poc_ticks(top: float) -> list[float]:
    """Colour-bar ticks for POC values 0 to ``top`` on the map's power scale: round values
    (1, 2, 5 x 10^n) at least
    :data:`MIN_TICK_GAP` of the bar apart, so their labels never run together.

    Parameters
    ----------
    top : float
        The largest POC of a cell (> 0).

    Returns
    -------
    list of float
        From 0, increasing.
    """
    if not top > 0:
        return [0.0]
    exponent = math.floor(math.log10(top)) - 3
    candidates = sorted(m * 10.0**e for e in range(exponent, exponent + 5) for m in (1, 2, 5)
                        if m * 10.0**e <= top * (1 + 1e-9))
    ticks, last = [0.0], 0.0
    for value in candidates:
        place = (value / top) ** POC_GAMMA
        if place - last >= MIN_TICK_GAP:
            ticks.append(value)
            last = place
    return ticks


def _bright(colour: str) -> str:
    """``colour`` taken halfway to white: a track's line, bright on its dark outline."""
    from matplotlib.colors import to_hex, to_rgb

    return to_hex(tuple(0.5 + 0.5 * c for c in to_rgb(colour)))


def _percent(value: float) -> str:
    """A POC as a percentage, as few digits as it needs (0.0025 -> "0.25")."""
    return f"{round(value * 100, 6):g}"


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
        ``trajectories``, ``searched``, ``title``, ``land_resolution_m`` as for
        :func:`plot_plan`.

    Returns
    -------
    Path
    """
    ax = plot_plan(plan, **kwargs)
    target = Path(path)
    with atomic_path(target) as temporary:
        ax.figure.savefig(temporary, format="png", dpi=DPI, facecolor="white")
    return target
