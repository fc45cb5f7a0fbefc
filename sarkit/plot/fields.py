"""Quick maps for a notebook: POC cells, a current or wind field, drift tracks, particles.

:func:`plot_poc` maps a :class:`~sarkit.poc.grid.PocGrid`, :func:`plot_forcing` a
:class:`~sarkit.forcing.ForcingGrid` at one time, :func:`plot_tracks` the trajectories of a run
and :func:`plot_particles` the particles at one time coloured by their object class or by the
forcing model they drifted on, each group with its share and its datum.
Each draws into a matplotlib Axes (a new Agg :class:`~matplotlib.figure.Figure` when none is
given, never pyplot) with the real coastline, lon/lat axes in degrees and an aspect of
``1 / cos(mid-latitude)``, and returns the Axes. A figure made from SYNTHETIC forcing says so in
a red banner at its top (:func:`forcing_note`; the trajectories' ``currents``/``winds``
attributes). matplotlib is imported inside the functions
only, so ``import sarkit`` never loads it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sarkit.geodesy import mean_position
from sarkit.plot.areas import WARNING_COLOUR, _synthetic_note

if TYPE_CHECKING:  # pragma: no cover
    import matplotlib.axes
    import xarray as xr

    from sarkit.forcing.grid import ForcingGrid
    from sarkit.poc.grid import PocGrid

__all__ = ["forcing_note", "plot_forcing", "plot_particles", "plot_poc", "plot_tracks"]

FIGSIZE = (9.0, 7.0)
"""Size of a new figure (inches)."""

MAX_TRACKS = 200
"""Most particle tracks :func:`plot_tracks` draws (an even sample of the ensemble)."""

MAX_POINTS = 5000
"""Most particles :func:`plot_particles` draws (an even sample of the ensemble)."""

GROUP_COLOURS = ("#1f5fa8", "#d9480f", "#2b8c3e", "#862e9c", "#c2255c", "#5c940d")
"""Colours of the groups of :func:`plot_particles`, in order."""


def _axes(ax):
    if ax is not None:
        return ax
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIGSIZE, layout="constrained")
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def _frame(ax, west: float, south: float, east: float, north: float, land: bool) -> None:
    """Limits, aspect, land, axis labels."""
    from sarkit.plot.areas import SEA_COLOUR, _draw_land

    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    cos_mid = max(math.cos(math.radians(0.5 * (south + north))), 0.05)
    ax.set_aspect(1.0 / cos_mid)
    ax.set_facecolor(SEA_COLOUR)
    if land:
        _draw_land(ax, (west, south, east, north), None)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.grid(True, color="#9aa5b1", linewidth=0.4, alpha=0.6)




def forcing_note(grid: ForcingGrid) -> str:
    """The banner of a SYNTHETIC field ("" for any other): its source or notes say SYNTHETIC
    (:func:`sarkit.forcing.synthetic.uniform_flow` and the others mark their datasets so).

    Parameters
    ----------
    grid : ForcingGrid
        A loaded current or wind.

    Returns
    -------
    str
    """
    marks = (str(getattr(grid, "source", "")), *map(str, getattr(grid, "notes", ())))
    if not any("SYNTHETIC" in text.upper() for text in marks):
        return ""
    return (f"SYNTHETIC {grid.quantity.value} field: illustration only, not for operational "
            "use")


def _banner(ax, text: str) -> None:
    """``text`` in a red box at the top of the map (a SYNTHETIC warning); nothing for ""."""
    if text:
        ax.text(0.5, 0.985, text, transform=ax.transAxes, ha="center", va="top", fontsize=8,
                fontweight="bold", color=WARNING_COLOUR, zorder=10,
                bbox={"facecolor": "white", "edgecolor": WARNING_COLOUR, "alpha": 0.85,
                      "pad": 2})


def _padded(west: float, south: float, east: float, north: float, share: float = 0.1):
    pad = share * max(east - west, north - south, 0.05)
    return west - pad, max(south - pad, -89.9), east + pad, min(north + pad, 89.9)


def plot_poc(grid: PocGrid, *, ax: matplotlib.axes.Axes | None = None, land: bool = True,
             title: str | None = None, trajectories: xr.Dataset | None = None
             ) -> matplotlib.axes.Axes:
    """Draw the POC per cell (a colour per cell, empty cells left out) and the datum.

    Parameters
    ----------
    grid : PocGrid
        From :func:`sarkit.poc.poc_grid`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    land : bool
        Draw the coastline (GSHHG via roaring-landmask).
    title : str, optional
        Default: ``"POC per <cell> NM cell at <valid time> UTC"``.
    trajectories : xarray.Dataset, optional
        The drift the grid was made from, only to label the map SYNTHETIC when its forcing
        was.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    ny, nx = grid.shape
    x = grid.x0 + np.arange(nx + 1) * grid.cell_m
    y = grid.y0 + np.arange(ny + 1) * grid.cell_m
    xx, yy = np.meshgrid(x, y)
    lon, lat = grid.to_lonlat().transform(xx, yy)
    poc = np.ma.masked_less_equal(np.asarray(grid.poc), 0.0)
    mesh = ax.pcolormesh(lon, lat, poc, cmap="magma_r", shading="flat", zorder=2)
    ax.figure.colorbar(mesh, ax=ax, shrink=0.8, label=f"POC per cell ({grid.cell_nm:g} NM side)")
    ax.plot(grid.datum_lon, grid.datum_lat, linestyle="none", marker="*", markersize=14,
            markerfacecolor="#1b1b1b", markeredgecolor="white", zorder=4, label="datum")
    _frame(ax, *_padded(float(np.min(lon)), float(np.min(lat)), float(np.max(lon)),
                        float(np.max(lat))), land)
    when = str(np.datetime64(grid.valid_time, "m")).replace("T", " ")
    ax.set_title(title if title is not None else
                 f"POC per {grid.cell_nm:g} NM cell at {when} UTC")
    ax.legend(loc="lower left", fontsize=8)
    _banner(ax, _synthetic_note(trajectories))
    return ax


def plot_forcing(grid: ForcingGrid, time: object = None, *, ax: matplotlib.axes.Axes | None = None,
                 arrows: int = 20, land: bool = True) -> matplotlib.axes.Axes:
    """Draw the speed of a current or wind field at one time, with arrows for its direction.

    Parameters
    ----------
    grid : ForcingGrid
        A loaded current or wind (``open_forcing(...).load()``).
    time : str, numpy.datetime64 or float, optional
        The time to draw (nearest record; linear in time between records is not needed for a
        look). Default: the first record.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    arrows : int
        About this many arrows along the longer side.
    land : bool
        Draw the coastline.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from sarkit.times import format_time, parse_time

    ax = _axes(ax)
    k = 0
    if time is not None and grid.time.size > 1:
        k = int(np.argmin(np.abs(grid.time - parse_time(time))))
    east = np.asarray(grid.east[k], dtype=float)
    north = np.asarray(grid.north[k], dtype=float)
    speed = np.hypot(east, north)
    unit = "m/s"
    mesh = ax.pcolormesh(grid.lon, grid.lat, np.ma.masked_invalid(speed), cmap="viridis",
                         shading="nearest", zorder=1.2)
    ax.figure.colorbar(mesh, ax=ax, shrink=0.8, label=f"{grid.quantity.value} speed ({unit})")
    step = max(1, round(max(grid.lon.size, grid.lat.size) / max(arrows, 1)))
    ax.quiver(grid.lon[::step], grid.lat[::step], east[::step, ::step], north[::step, ::step],
              color="white", zorder=3, width=0.003)
    west, south, east_edge, north_edge = grid.bbox
    _frame(ax, west, south, east_edge, north_edge, land)
    ax.set_title(f"{grid.quantity.value} at {format_time(grid.time[k])}")
    _banner(ax, forcing_note(grid))
    return ax


def plot_tracks(trajectories: xr.Dataset, *, ax: matplotlib.axes.Axes | None = None,
                land: bool = True, max_tracks: int = MAX_TRACKS) -> matplotlib.axes.Axes:
    """Draw a sample of particle tracks, their start (green) and end (red) positions.

    Parameters
    ----------
    trajectories : xarray.Dataset
        From :func:`sarkit.simulate` (``lon``, ``lat`` on (trajectory, time)).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    land : bool
        Draw the coastline.
    max_tracks : int
        Most tracks drawn (an even sample).

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    lon = np.asarray(trajectories["lon"].values, dtype=float)
    lat = np.asarray(trajectories["lat"].values, dtype=float)
    n = lon.shape[0]
    pick = np.unique(np.linspace(0, n - 1, min(max_tracks, n)).round().astype(int))
    ax.plot(lon[pick].T, lat[pick].T, color="#4a6fa5", linewidth=0.5, alpha=0.5, zorder=2)
    ax.plot(lon[:, 0], lat[:, 0], ".", color="#2b8c3e", markersize=1.5, zorder=3,
            label="first output time")
    ax.plot(lon[:, -1], lat[:, -1], ".", color="#b00020", markersize=1.5, zorder=3,
            label="last output time")
    finite = np.isfinite(lon) & np.isfinite(lat)
    _frame(ax, *_padded(float(lon[finite].min()), float(lat[finite].min()),
                        float(lon[finite].max()), float(lat[finite].max())), land)
    times = trajectories["time"].values
    ax.set_title(f"{n} particles, {str(times[0])[:16]} .. {str(times[-1])[:16]} UTC "
                 f"({len(pick)} tracks drawn)")
    ax.legend(loc="lower left", fontsize=8, markerscale=6)
    _banner(ax, _synthetic_note(trajectories))
    return ax


def _groups(trajectories: xr.Dataset, index: int, by: str) -> tuple[np.ndarray, list[str], str]:
    """Each particle's group (an index into the names) at output ``index``, the names, and
    what they are."""
    from sarkit.drift.members import MEMBER_VARIABLE
    from sarkit.drift.transitions import classes_at
    from sarkit.errors import BadValueError

    if by == "class":
        found = classes_at(trajectories, index)
        if "class_index" in trajectories:
            names = str(trajectories["class_index"].attrs["flag_meanings"]).split()
        else:
            names = list(dict.fromkeys(found.tolist()))
        lookup = {name: k for k, name in enumerate(names)}
        return np.array([lookup[c] for c in found]), names, "object class"
    if by == "forcing":
        if MEMBER_VARIABLE not in trajectories:
            raise BadValueError("the trajectories drifted on one forcing only: there are no "
                                "forcing models to tell apart",
                                'use by="class", or drift a scenario with several '
                                "[[forcing.currents]]", "by")
        variable = trajectories[MEMBER_VARIABLE]
        names = str(variable.attrs.get("member_names", "")).split("; ")
        return np.asarray(variable.values, dtype=np.int64), names, "forcing model"
    raise BadValueError(f"cannot group the particles by {by!r}", 'give by="class" or '
                        'by="forcing"', "by")


def plot_particles(trajectories: xr.Dataset, time: object = -1, *, by: str = "class",
                   ax: matplotlib.axes.Axes | None = None, land: bool = True,
                   title: str | None = None, max_points: int = MAX_POINTS
                   ) -> matplotlib.axes.Axes:
    """Draw the particles afloat at one output time, a colour per object class or per forcing
    model, each dot's area in proportion to the particle's probability (its weight), each
    group's datum (its weighted mean position: a large dot ringed in white), the datum
    of all (a black star) and, in the legend, each group's share of the probability afloat.

    Where the object may have changed on the way (object transitions) ``by="class"`` shows
    where a boat and where persons in the water would be; where the scenario weighs several
    current or wind models ``by="forcing"`` shows each model's cloud: the datum of the whole
    may lie between them, where no particle is. The dots and shares use the particles'
    weights, so after :func:`sarkit.planning.update_after_search` they show where the
    probability moved (the particles a search covered shrink).

    Parameters
    ----------
    trajectories : xarray.Dataset
        A drift (:func:`sarkit.simulate`, :func:`sarkit.app.run.drift_scenario`).
    time : int or datetime-like, default -1
        An index into the output times (-1 the last), or a time (the nearest output time).
    by : {"class", "forcing"}
        Group by the object class at that time, or by the forcing model drifted on.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    land : bool
        Draw the coastline.
    title : str, optional
        Default: the time and what the colours are.
    max_points : int
        Most particles drawn (an even sample; the shares and datums use them all).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    SarkitError
        ``by`` neither "class" nor "forcing", "forcing" for a drift on one forcing, a time
        outside the run, or no particle afloat then.
    """
    from sarkit.drift.status import Status
    from sarkit.errors import BadValueError
    from sarkit.poc.grid import output_index, particle_weights
    from sarkit.times import format_time

    stamps = trajectories["time"].values.astype("datetime64[ns]").astype(np.int64) / 1e9
    index = output_index(trajectories, time)
    groups, names, what = _groups(trajectories, index, by)
    lon = np.asarray(trajectories["lon"].isel(time=index).values, dtype=float)
    lat = np.asarray(trajectories["lat"].isel(time=index).values, dtype=float)
    afloat = np.asarray(trajectories["status"].isel(time=index).values) == int(Status.ACTIVE)
    afloat &= np.isfinite(lon) & np.isfinite(lat)
    if not afloat.any():
        raise BadValueError(f"no particle is afloat at {format_time(stamps[index])}",
                            "choose an earlier time", "time")
    weights = particle_weights(trajectories)
    total = weights[afloat].sum()
    ax = _axes(ax)
    count = int(afloat.sum())
    shown = np.zeros(lon.size, dtype=bool)
    shown[np.flatnonzero(afloat)[np.unique(np.linspace(
        0, count - 1, min(max(int(max_points), 1), count)).round().astype(int))]] = True
    mean = weights[afloat].mean()
    size = np.clip(5.0 * weights / mean, 0.3, 40.0) if mean > 0 else np.full(lon.size, 5.0)
    for k, name in enumerate(names):
        mine = afloat & (groups == k)
        if not mine.any():
            continue
        colour = GROUP_COLOURS[k % len(GROUP_COLOURS)]
        share = weights[mine].sum() / total if total > 0 else 0.0
        drawn = shown & mine
        ax.scatter(lon[drawn], lat[drawn], s=size[drawn], color=colour, alpha=0.6,
                   linewidths=0, zorder=3)
        ax.plot([], [], "o", color=colour, markersize=6, label=f"{name}: {share:.0%} of the "
                f"probability ({int(mine.sum()):,} particles)")
        if weights[mine].sum() > 0:
            d_lon, d_lat = mean_position(lon[mine], lat[mine], weights[mine])
            ax.plot(d_lon, d_lat, "o", markersize=11, markerfacecolor=colour,
                    markeredgecolor="white", markeredgewidth=2.0, zorder=5)
    ax.plot([], [], "o", markersize=9, markerfacecolor="#777777", markeredgecolor="white",
            markeredgewidth=2.0, label="datum of each")
    if total > 0:
        d_lon, d_lat = mean_position(lon[afloat], lat[afloat], weights[afloat])
        ax.plot(d_lon, d_lat, linestyle="none", marker="*", markersize=14,
                markerfacecolor="#1b1b1b", markeredgecolor="white", zorder=6,
                label="datum of all")
    _frame(ax, *_padded(float(lon[afloat].min()), float(lat[afloat].min()),
                        float(lon[afloat].max()), float(lat[afloat].max())), land)
    ax.set_title(title if title is not None else
                 f"particles afloat at {format_time(stamps[index])[:16]} UTC, by {what}")
    ax.legend(loc="lower left", fontsize=8)
    _banner(ax, _synthetic_note(trajectories))
    return ax
