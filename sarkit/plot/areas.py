"""A map of the search areas for a person to read: areas, datum, LKP, drift envelope, coastline.

:func:`plot_search_areas` draws into a matplotlib Axes (a new figure when none is
given); :func:`save_map` writes the map as a PNG. matplotlib is imported inside
the functions only, so ``import sarkit`` never loads it, and figures are built
with :class:`matplotlib.figure.Figure` and the Agg canvas, never pyplot, so
maps render the same headless, in scripts and in notebooks.

The map shows:

* the real coastline (GSHHG full resolution via roaring-landmask, rasterised by
  :func:`sarkit.drift.coast.land_mask` at a resolution chosen so the raster is
  at most about 1500 cells wide) as filled land with a thin shore line, both traced through
  the raster at half a cell's land fraction;
* the drift envelope: the convex hull of every particle position at every
  output time (grey, dashed), and a thin sample of particle tracks;
* the search areas, filled from the outermost (light) to the innermost (dark),
  each in the legend with its level and area in NM²;
* the oriented search rectangle (dashed), the datum (star), the last known
  position (triangle) and the IAMSAR circle (dotted) when given;
* the search and rescue regions' boundaries and names (:func:`_draw_regions`, which every
  map uses);
* a scale bar labelled 0, middle and end in NM, a north arrow, lon/lat ticks in degrees, light
  grid lines, a title with the valid time (UTC) and an attribution of the coastline; a
  warning when the drift was forced by SYNTHETIC fields;
* in a new figure, a locator inset (:func:`_locator`): a coarse coastline of the region
  around the map (cached, on a 2-degree grid) with the map's extent in red.

The aspect ratio is ``1 / cos(mid-latitude)``, so distances east and north
look alike near the middle of the map.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from sarkit.drift.coast import land_mask
from sarkit.files.atomic import atomic_path
from sarkit.geodesy import METRES_PER_DEGREE
from sarkit.positions import format_position
from sarkit.units import NAUTICAL_MILE

if TYPE_CHECKING:  # pragma: no cover
    import matplotlib.axes
    import xarray as xr

    from sarkit.poc.areas import SearchAreas
    from sarkit.poc.iamsar import IamsarArea

__all__ = ["MAX_LAND_PIXELS", "DriftOutline", "drift_outline", "plot_search_areas", "save_map"]

MAX_LAND_PIXELS = 1500
"""Most cells of the coastline raster across the larger side of the map."""

MIN_LAND_RESOLUTION_M = 50.0
"""Finest coastline raster chosen automatically (m); GSHHG is not better than this."""

DPI = 150
"""Resolution of the PNG written by :func:`save_map`."""

FIGSIZE = (12.0, 8.0)
"""Size of a new figure (inches)."""

LAND_COLOUR = "#d9cfb8"
SHORE_COLOUR = "#8a7a5c"
SEA_COLOUR = "#eef5fb"
ENVELOPE_COLOUR = "#6e6e6e"
TRACK_COLOUR = "#b4b4b4"
SAMPLE_TRACKS = 50
MARGIN = 0.15
"""Margin around the drawn features, as a share of their larger side."""

_SCALE_LENGTHS_NM = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
_NM_PER_DEG = METRES_PER_DEGREE / NAUTICAL_MILE


def plot_search_areas(
    areas: SearchAreas,
    *,
    trajectories: xr.Dataset | DriftOutline | None = None,
    lkp: Sequence[float] | None = None,
    iamsar: IamsarArea | None = None,
    title: str | None = None,
    ax: matplotlib.axes.Axes | None = None,
    land_resolution_m: float | None = None,
) -> matplotlib.axes.Axes:
    """Draw the search areas on a map with the coastline, a scale bar and a legend.

    Parameters
    ----------
    areas : SearchAreas
        From :func:`sarkit.poc.search_areas`. Where some probability left the forcing
        (``areas.incomplete``), the map says so in a red INCOMPLETE banner with the share
        that left, the note under it says what the percentages are shares of, and an area
        that cannot hold its level says what it holds in the legend.
    trajectories : xarray.Dataset or DriftOutline, optional
        The drift ensemble (``lon``, ``lat`` on (trajectory, time)): its envelope
        over all times and a sample of tracks are drawn, and the map is widened
        to hold them. Its ``currents``/``winds`` attributes are checked for
        SYNTHETIC forcing, which the map then states. Or its :func:`drift_outline`,
        which is all the map takes from it.
    lkp : (lon, lat), optional
        The last known position (degrees), drawn as a triangle.
    iamsar : IamsarArea, optional
        The IAMSAR search circle (:func:`sarkit.poc.iamsar.iamsar_area`), dotted.
    title : str, optional
        Default: ``"Search areas at <valid time> UTC"``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new :class:`matplotlib.figure.Figure` (Agg canvas).
    land_resolution_m : float, optional
        Cell side of the coastline raster (m); by default the map's larger side
        over :data:`MAX_LAND_PIXELS`, at least :data:`MIN_LAND_RESOLUTION_M`.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn into (``ax.figure`` is its figure).
    """
    from matplotlib.lines import Line2D

    own_figure = ax is None
    if own_figure:
        ax = _new_axes()
    ref_lon = float(areas.levels[-1].polygon.centroid.x)
    outline = trajectories
    if trajectories is not None and not isinstance(trajectories, DriftOutline):
        outline = drift_outline(trajectories, areas)
    envelope = outline.envelope if outline is not None else None
    lkp_xy = None
    if lkp is not None:
        lkp_xy = (_wrap(float(lkp[0]), ref_lon), float(lkp[1]))
    iamsar_geom = None
    if iamsar is not None:
        iamsar_geom = _wrap_geom(iamsar.polygon, ref_lon)

    west, south, east, north = _extent(areas, envelope,
                                       outline.bounds if outline is not None else None,
                                       lkp_xy, iamsar_geom)
    mid_lat = 0.5 * (south + north)
    cos_mid = max(math.cos(math.radians(mid_lat)), 0.05)

    ax.set_facecolor(SEA_COLOUR)
    _draw_land(ax, (west, south, east, north), land_resolution_m)

    handles = []
    if envelope is not None:
        ax.add_patch(_patch(envelope, facecolor="none", edgecolor=ENVELOPE_COLOUR,
                            linestyle="--", linewidth=1.2, zorder=3))
        handles.append(Line2D([], [], color=ENVELOPE_COLOUR, linestyle="--", linewidth=1.2,
                              label="Drift envelope (all particles, "
                                    + ("all times)" if outline.all_times
                                       else "last positions)")))
    if outline is not None:
        handles.extend(_draw_tracks(ax, outline))

    busy = [_wrap_geom(areas.levels[-1].polygon, ref_lon),
            _wrap_geom(areas.rectangle.polygon, ref_lon)]
    busy.extend(geom for geom in (envelope, iamsar_geom) if geom is not None)
    handles.extend(_draw_regions(ax, (west, south, east, north),
                                 avoid=shapely.union_all(busy)))
    handles.extend(_draw_areas(ax, areas, ref_lon))

    rect = areas.rectangle
    ax.add_patch(_patch(_wrap_geom(rect.polygon, ref_lon), facecolor="none", edgecolor="#222222",
                        linestyle=(0, (6, 3)), linewidth=1.3, zorder=6))
    handles.append(Line2D([], [], color="#222222", linestyle=(0, (6, 3)), linewidth=1.3,
                          label=f"{_pct(rect.level)} rectangle: {rect.length_nm:.1f} x "
                                f"{rect.width_nm:.1f} NM ({_nm2(rect.area_nm2)} NM²)"))
    if iamsar_geom is not None:
        ax.add_patch(_patch(iamsar_geom, facecolor="none", edgecolor="#1f4e9c", linestyle=":",
                            linewidth=1.6, zorder=6))
        handles.append(Line2D([], [], color="#1f4e9c", linestyle=":", linewidth=1.6,
                              label=f"IAMSAR circle: R = {iamsar.radius_nm:.1f} NM"))

    datum_lon = _wrap(areas.datum_lon, ref_lon)
    members = [] if outline is None else outline.members
    handles.append(ax.plot(datum_lon, areas.datum_lat, linestyle="none", marker="*",
                           markersize=16, markerfacecolor="#1b1b1b", markeredgecolor="white",
                           markeredgewidth=0.8, zorder=8,
                           label=("Datum of all forcings " if members else "Datum ")
                           + format_position(datum_lon, areas.datum_lat))[0])
    for (name, share, lon, lat), colour in zip(members, MEMBER_COLOURS * len(members),
                                               strict=False):
        if not np.isfinite(lon):
            continue
        lon = _wrap(lon, ref_lon)
        handles.append(ax.plot(lon, lat, linestyle="none", marker="*", markersize=13,
                               markerfacecolor="white", markeredgecolor=colour,
                               markeredgewidth=1.8, zorder=8,
                               label=f"Datum on {name} ({share:.0%}): "
                                     f"{format_position(lon, lat)}")[0])
    if lkp_xy is not None:
        handles.append(ax.plot(*lkp_xy, linestyle="none", marker="^", markersize=10,
                               markerfacecolor="#2b8c3e", markeredgecolor="white",
                               markeredgewidth=0.8, zorder=8,
                               label=f"LKP {format_position(*lkp_xy)}")[0])

    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1.0 / cos_mid)
    _set_ticks(ax, west, south, east, north)
    ax.grid(True, color="#9aa5b1", linewidth=0.4, alpha=0.6, zorder=2)
    ax.set_axisbelow(False)
    _scale_bar(ax, west, south, east, north, cos_mid)
    _north_arrow(ax)

    when = str(np.datetime64(areas.valid_time, "m")).replace("T", " ")
    ax.set_title(title if title is not None else f"Search areas at {when} UTC", fontsize=13)
    if areas.incomplete:
        shares = (f"Percentages are of the probability afloat, out of the forcing included "
                  f"({areas.afloat_anywhere:.1%}; {areas.unaccounted:.1%} left the forcing and "
                  f"is in no area; stranded {areas.stranded:.1%}).")
    else:
        shares = (f"Percentages are of the probability afloat ({areas.afloat:.1%}; stranded "
                  f"{areas.stranded:.1%}, out of the forcing {areas.unaccounted:.1%}).")
    notes = [shares, f"Coastline: GSHHG (roaring-landmask). POC cells {areas.cell_nm:g} NM."]
    ax.text(0.995, 0.005, "\n".join(notes), transform=ax.transAxes, ha="right", va="bottom",
            fontsize=7, color="#444444", zorder=10,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 1.5})
    banners = [text for text in (_synthetic_note(outline), _incomplete_note(areas))
               if text]
    if banners:
        ax.text(0.5, 0.985, "\n".join(banners), transform=ax.transAxes, ha="center", va="top",
                fontsize=9, fontweight="bold", color=WARNING_COLOUR, zorder=10,
                bbox={"facecolor": "white", "edgecolor": WARNING_COLOUR, "alpha": 0.85,
                      "pad": 3})
    if own_figure:  # beside the map, in the room _new_axes leaves on the right
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=9,
                  borderaxespad=0.0, title="Legend", title_fontsize=9)
        _locator(ax.figure, LOCATOR_RECT, (west, south, east, north))
    else:
        ax.legend(handles=handles, loc="best", fontsize=8, framealpha=0.9)
    return ax


def save_map(path: str | os.PathLike, areas: SearchAreas, **kwargs: Any) -> Path:
    """Draw :func:`plot_search_areas` in a new figure and write it as a PNG atomically.

    Parameters
    ----------
    path : str or path-like
        The PNG to write (its folder is made when missing).
    areas : SearchAreas
        The search areas.
    **kwargs
        ``trajectories``, ``lkp``, ``iamsar``, ``title``, ``land_resolution_m`` as for
        :func:`plot_search_areas` (not ``ax``).

    Returns
    -------
    Path
        The path written.
    """
    if "ax" in kwargs:
        raise TypeError("save_map draws its own figure; do not pass ax")
    ax = plot_search_areas(areas, **kwargs)
    target = Path(path)
    with atomic_path(target) as tmp:
        ax.figure.savefig(tmp, format="png", dpi=DPI, facecolor="white")
    return target


# --- helpers ---------------------------------------------------------------------------------


LOCATOR_RECT = (0.72, 0.06, 0.24, 0.30)
"""Where a new map's locator inset goes (figure fraction), under the legend."""


def _new_axes():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIGSIZE)
    FigureCanvasAgg(fig)
    # the map on the left (shrunk to its aspect, kept to the left), the legend on the right
    ax = fig.add_axes((0.07, 0.06, 0.58, 0.88))
    ax.set_anchor("W")
    return ax


def _wrap(lon: float, ref: float) -> float:
    """``lon`` moved by whole turns to within 180 degrees of ``ref``."""
    return ref + ((lon - ref + 180.0) % 360.0 - 180.0)


def _wrap_geom(geom: shapely.Geometry, ref: float) -> shapely.Geometry:
    def shift(xy: np.ndarray) -> np.ndarray:
        out = xy.copy()
        out[:, 0] = ref + ((xy[:, 0] - ref + 180.0) % 360.0 - 180.0)
        return out

    return shapely.transform(geom, shift)


@dataclass(frozen=True)
class DriftOutline:
    """What a map draws of a drift: its envelope, a sample of tracks, the models' datums and
    whether its forcing was SYNTHETIC. A few kilobytes, where the trajectories are megabytes,
    so that a map can be drawn in another process (``sarkit drift`` draws it beside writing
    the files).

    Attributes
    ----------
    envelope : shapely.Polygon or None
        The drift envelope (:data:`ENVELOPE_CELLS`): every position at every output time lies
        in it. None where the positions span no area.
    bounds : (west, south, east, north) or None
        The box of every finite position (None where there is none).
    tracks : numpy.ndarray
        (2, k, n_times): lon and lat of up to :data:`SAMPLE_TRACKS` particles, evenly picked.
    particles : int
        How many particles the drift has.
    all_times : bool
        Whether the trajectories hold every output time (else the last positions only).
    members : tuple of (name, share, lon, lat)
        Each forcing model's share and datum at the valid time, where several were weighed.
    attrs : mapping
        The trajectories' ``currents`` and ``winds`` attributes (for the SYNTHETIC banner).

    Longitudes are within 180 degrees of the search areas' centre, as the map draws them.
    """

    envelope: shapely.Polygon | None
    bounds: tuple[float, float, float, float] | None
    tracks: np.ndarray
    particles: int
    all_times: bool
    members: tuple = ()
    attrs: Mapping[str, str] = field(default_factory=dict)


def drift_outline(trajectories: xr.Dataset, areas: SearchAreas) -> DriftOutline:
    """What :func:`plot_search_areas` draws of ``trajectories`` with ``areas``: one pass over
    the positions, without copying them.

    Parameters
    ----------
    trajectories : xarray.Dataset
        The drift ensemble (``lon``, ``lat`` on (trajectory, time), or on trajectory only).
    areas : SearchAreas
        The search areas the map shows (their centre sets the longitudes' side of 180, their
        valid time the models' datums).

    Returns
    -------
    DriftOutline
    """
    from sarkit.drift.members import member_datums  # the drift's package: not where maps draw

    ref_lon = float(areas.levels[-1].polygon.centroid.x)
    lon, lat = trajectories["lon"].values, trajectories["lat"].values
    if lon.ndim == 1:
        lon, lat = lon[:, None], lat[:, None]
    if lon.size and not (np.nanmin(lon) >= ref_lon - 180.0 and np.nanmax(lon) < ref_lon + 180.0):
        lon = ref_lon + ((lon - ref_lon + 180.0) % 360.0 - 180.0)  # only where it is needed
    envelope, bounds = _envelope(lon, lat)
    n = lon.shape[0]
    pick = np.unique(np.linspace(0, n - 1, min(SAMPLE_TRACKS, n)).round().astype(int))
    tracks = np.stack([lon[pick], lat[pick]]).astype(np.float64)
    attrs = {name: str(trajectories.attrs[name]) for name in ("currents", "winds")
             if name in trajectories.attrs}
    return DriftOutline(envelope, bounds, tracks, n, lon.shape[1] > 1,
                        tuple(member_datums(trajectories, areas.valid_time)), attrs)


ENVELOPE_CELLS = 1024
"""Cells per side of the raster the drift envelope is taken on (finer than the map's pixels)."""

_ENVELOPE_CHUNK = 1 << 18


def _envelope(lon: np.ndarray, lat: np.ndarray):
    """The drift envelope and the positions' box: the convex hull of the occupied cells of an
    :data:`ENVELOPE_CELLS`-square raster of every position (all particles, all times).

    It holds every position and lies within one cell of the positions' own convex hull (less
    than a pixel on the map), at the cost of one pass over the positions instead of a hull of
    millions of points: each row of the raster gives the outer corners of its first and last
    occupied cells, and the hull is taken of those. The positions are read in their own
    memory order (the drift's are time-major), a piece at a time, never copied whole.
    """
    order = "K" if lon.strides == lat.strides else "C"  # the same order for both
    x, y = np.ravel(lon, order=order), np.ravel(lat, order=order)
    if not x.size:
        return None, None
    with warnings.catch_warnings():  # all NaN (nothing afloat) is answered below
        warnings.simplefilter("ignore", RuntimeWarning)
        x0, x1 = float(np.nanmin(x)), float(np.nanmax(x))
        y0, y1 = float(np.nanmin(y)), float(np.nanmax(y))
    if not all(map(math.isfinite, (x0, x1, y0, y1))):
        return None, None
    bounds = (x0, y0, x1, y1)
    if not (x1 > x0 and y1 > y0):  # on a line or a point: no area to draw
        return None, bounds
    n = ENVELOPE_CELLS
    cell_x, cell_y = (x1 - x0) / n, (y1 - y0) / n
    occupied = np.zeros(n * n, dtype=bool)
    for k in range(0, x.size, _ENVELOPE_CHUNK):  # small pieces: the temporaries stay in cache
        xs = x[k:k + _ENVELOPE_CHUNK].astype(np.float64)
        ys = y[k:k + _ENVELOPE_CHUNK].astype(np.float64)
        ok = np.isfinite(xs) & np.isfinite(ys)
        col = np.minimum(((xs[ok] - x0) * (1.0 / cell_x)).astype(np.int32), n - 1)
        row = np.minimum(((ys[ok] - y0) * (1.0 / cell_y)).astype(np.int32), n - 1)
        occupied[row * n + col] = True
    occupied = occupied.reshape(n, n)
    rows = np.flatnonzero(occupied.any(axis=1))
    first = np.argmax(occupied[rows], axis=1)
    last = n - 1 - np.argmax(occupied[rows, ::-1], axis=1)
    left, right = x0 + first * cell_x, x0 + (last + 1) * cell_x
    bottom, top = y0 + rows * cell_y, y0 + (rows + 1) * cell_y
    corners = np.concatenate([np.column_stack([left, bottom]), np.column_stack([left, top]),
                              np.column_stack([right, bottom]), np.column_stack([right, top])])
    hull = shapely.MultiPoint(corners).convex_hull
    return (hull if isinstance(hull, shapely.Polygon) else None), bounds


def _extent(areas, envelope, bounds, lkp_xy, iamsar_geom) -> tuple[float, float, float, float]:
    ref = float(areas.levels[-1].polygon.centroid.x)
    geoms = [_wrap_geom(areas.levels[-1].polygon, ref), _wrap_geom(areas.rectangle.polygon, ref)]
    if envelope is not None:
        geoms.append(envelope)
    elif bounds is not None:
        geoms.append(shapely.box(*bounds))
    if lkp_xy is not None:
        geoms.append(shapely.Point(lkp_xy))
    if iamsar_geom is not None:
        geoms.append(iamsar_geom)
    geoms.append(shapely.Point(_wrap(areas.datum_lon, ref), areas.datum_lat))
    west, south, east, north = shapely.total_bounds(geoms)
    mid = 0.5 * (south + north)
    cos_mid = max(math.cos(math.radians(mid)), 0.05)
    # margins alike in distance east and north; at least about 1 NM
    size = max((east - west) * cos_mid, north - south, 1.0 / 60.0)
    pad = MARGIN * size
    # a map not much flatter or narrower than 3:2, so the legend and scale fit
    width = (east - west) * cos_mid + 2 * pad
    height = (north - south) + 2 * pad
    extra_w = max(0.0, height / 1.5 - width) / 2
    extra_h = max(0.0, width / 1.6 - height) / 2
    south = max(south - pad - extra_h, -89.9)
    north = min(north + pad + extra_h, 89.9)
    return (west - (pad + extra_w) / cos_mid, south, east + (pad + extra_w) / cos_mid, north)


def _draw_land(ax, box, resolution_m: float | None, shore: bool = True) -> None:
    """Land over ``box`` filled, and its shore line unless ``shore`` is False: both traced
    at half a cell's land fraction through the coastline raster, by one contour generator."""
    import contourpy
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    west, south, east, north = box
    if resolution_m is None:
        cos_eq = _cos_nearest_equator(south, north)
        side_m = max((east - west) * cos_eq, north - south) * METRES_PER_DEGREE
        resolution_m = max(side_m / MAX_LAND_PIXELS, MIN_LAND_RESOLUTION_M)
    mask_east = east - 360.0 if east > 180.0 else east
    mask_west = west + 360.0 if west < -180.0 else west
    mask = land_mask((mask_west, south, mask_east, north), resolution_m=resolution_m)
    land = np.asarray(mask.land)
    if not land.any():
        return
    x0 = mask.west if mask_west == west else mask.west - 360.0
    rows, cols = land.shape
    # cell centres, and the raster's outer edges as one more row and column each side holding
    # the border cells' values: the land is filled to the raster's edge, and no shore is
    # traced along it
    xs = np.concatenate(([x0], x0 + (np.arange(cols) + 0.5) * mask.dlon, [x0 + cols * mask.dlon]))
    ys = np.concatenate(([mask.south], mask.south + (np.arange(rows) + 0.5) * mask.dlat,
                         [mask.south + rows * mask.dlat]))
    values = np.pad(land, 1, mode="edge").astype(np.float64)
    # (a filled contour, not an image: matplotlib resamples an image as a masked array of
    # floats, which took most of a map's time at this size)
    trace = contourpy.contour_generator(xs, ys, values,
                                        fill_type=contourpy.FillType.ChunkCombinedCode,
                                        line_type=contourpy.LineType.ChunkCombinedCode)
    # added as artists, not patches: the map's limits are its own, and a patch's would be
    # found by walking every curve of the coast
    (points,), (codes,) = trace.filled(0.5, 2.0)
    ax.add_artist(PathPatch(MplPath(points, codes), facecolor=LAND_COLOUR, edgecolor="none",
                            zorder=1))
    if shore and not land.all():
        (points,), (codes,) = trace.lines(0.5)
        if points is not None:
            ax.add_artist(PathPatch(MplPath(points, codes), facecolor="none",
                                    edgecolor=SHORE_COLOUR, linewidth=0.7, zorder=1.5))


def _cos_nearest_equator(south: float, north: float) -> float:
    lat = 0.0 if south <= 0.0 <= north else min(abs(south), abs(north))
    return max(math.cos(math.radians(lat)), 0.05)


def _draw_tracks(ax, outline: DriftOutline) -> list:
    tracks = outline.tracks
    if tracks.shape[2] < 2 or tracks.shape[1] == 0:
        return []
    lines = None
    for k in range(tracks.shape[1]):
        lines = ax.plot(tracks[0, k], tracks[1, k], color=TRACK_COLOUR, linewidth=0.5,
                        alpha=0.8, zorder=2.5)
    lines[0].set_label(f"Sample drift tracks ({tracks.shape[1]} of {outline.particles})")
    return [lines[0]]


SRR_COLOUR = "#6a3d9a"
"""Colour of the search and rescue regions' boundaries and names."""


def _draw_regions(ax, box, names: bool = True, linewidth: float = 1.1,
                  avoid: shapely.Geometry | None = None) -> list:
    """The search and rescue regions' boundaries across the map (sarkit's package data), each
    region named (unless ``names`` is False) where a fair part of it is in view, its name
    placed clear of ``avoid`` (what the map is about: areas, rectangles) where there is room;
    a legend handle if any is drawn. Every map draws the regions through this one function."""
    from matplotlib.lines import Line2D
    from shapely import affinity

    from sarkit.planning.regions import search_regions

    west, south, east, north = box
    frame = shapely.box(west, south, east, north)
    style = {"color": SRR_COLOUR, "linestyle": (0, (8, 3, 2, 3)), "linewidth": linewidth}
    drawn = False
    for region in search_regions():
        for shift in (-360.0, 0.0, 360.0):
            polygon = affinity.translate(region.polygon, xoff=shift)
            if not polygon.intersects(frame):
                continue
            edge = polygon.boundary.intersection(frame)
            for line in getattr(edge, "geoms", [edge]):
                if line.geom_type == "LineString" and not line.is_empty:
                    ax.plot(*line.xy, zorder=2.2, **style)
                    drawn = True
            inside = polygon.intersection(frame) if names else None
            if inside is not None and inside.area > 0.05 * frame.area:
                x, y = _name_spot(ax, box, inside, region.name, avoid)
                ax.text(x, y, region.name, fontsize=7, color=SRR_COLOUR, ha="center",
                        va="center", zorder=7,
                        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.6,
                              "pad": 1})
    if not drawn:
        return []
    return [Line2D([], [], label="SRR boundary (approximate; see summary)", **style)]


_NAME_GRID = 15
"""Candidate places per side for a region's name."""


def _name_spot(ax, box, inside: shapely.Geometry, name: str,
               avoid: shapely.Geometry | None) -> tuple[float, float]:
    """Where a region's name goes: of a grid of places, the one whose label box lies least on
    ``avoid`` or out of the region's part in view, and of those the nearest its middle."""
    spot = inside.representative_point()
    if avoid is None or avoid.is_empty:
        return spot.x, spot.y
    west, south, east, north = box
    fig_w, fig_h = ax.figure.get_size_inches()
    place = ax.get_position()
    # the label's half size in degrees (7 pt, about 0.6 em a character, a little to spare)
    half_w = 0.5 * 1.2 * len(name) * 0.6 * 7 / 72 * (east - west) / max(place.width * fig_w,
                                                                          0.1)
    half_h = 0.5 * 1.6 * 7 / 72 * (north - south) / max(place.height * fig_h, 0.1)
    x0, y0, x1, y1 = inside.bounds
    xs, ys = np.meshgrid(np.linspace(x0 + half_w, x1 - half_w, _NAME_GRID),
                         np.linspace(y0 + half_h, y1 - half_h, _NAME_GRID))
    xs, ys = xs.ravel(), ys.ravel()
    boxes = shapely.box(xs - half_w, ys - half_h, xs + half_w, ys + half_h)
    # the least of the label on what the map is about or out of its region, then the nearest
    covered = (shapely.area(shapely.intersection(boxes, avoid))
               + shapely.area(shapely.difference(boxes, inside)))
    distance = np.hypot(xs - spot.x, ys - spot.y)
    best = np.lexsort((distance, np.round(covered / (4 * half_w * half_h), 2)))[0]
    return float(xs[best]), float(ys[best])


def _draw_areas(ax, areas: SearchAreas, ref_lon: float) -> list:
    from matplotlib import colormaps
    from matplotlib.patches import Patch

    cmap = colormaps["YlOrRd"]
    outer_first = list(reversed(areas.levels))
    count = len(outer_first)
    handles = []
    for rank, entry in enumerate(outer_first):
        shade = 0.2 + 0.65 * (rank / max(count - 1, 1))
        face = cmap(shade)
        edge = tuple(0.75 * c for c in face[:3])
        geom = _wrap_geom(entry.polygon, ref_lon)
        ax.add_patch(_patch(geom, facecolor=face, alpha=0.55, edgecolor="none",
                            zorder=4 + rank * 0.1))
        ax.add_patch(_patch(geom, facecolor="none", edgecolor=edge, linewidth=1.1,
                            zorder=4.05 + rank * 0.1))
        held = "" if entry.reached else f" (holds only {entry.probability:.1%})"
        handles.append(Patch(facecolor=(*face[:3], 0.55), edgecolor=edge,
                             label=f"{_pct(entry.level)} area: {_nm2(entry.area_nm2)} NM²{held}"))
    return handles


def _patch(geom: shapely.Geometry, **kwargs):
    """A PathPatch of a (Multi)Polygon, holes included (rings oriented for nonzero filling)."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    geom = shapely.orient_polygons(geom, exterior_cw=False)
    polygons = getattr(geom, "geoms", [geom])
    vertices, codes = [], []
    for polygon in polygons:
        if not isinstance(polygon, shapely.Polygon) or polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            ring_codes = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
            ring_codes[0] = MplPath.MOVETO
            ring_codes[-1] = MplPath.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    if not vertices:
        return PathPatch(MplPath(np.zeros((0, 2))), **kwargs)
    return PathPatch(MplPath(np.concatenate(vertices), np.concatenate(codes)), **kwargs)


def _pct(level: float) -> str:
    return f"{level * 100:g} %"


def _nm2(area: float) -> str:
    return f"{area:,.0f}" if area >= 100 else f"{area:.1f}"


def _degrees(value: float, hemispheres: str, decimals: int) -> str:
    if hemispheres == "EW":
        value = (value + 180.0) % 360.0 - 180.0
    letter = hemispheres[0] if value >= 0 else hemispheres[1]
    text = f"{abs(value):.{decimals}f}"
    if float(text) == 0.0 or (hemispheres == "EW" and float(text) == 180.0):
        letter = ""
    return f"{text}°{letter}"


def _nice_step(span: float, target: int = 5) -> float:
    raw = span / target
    exponent = math.floor(math.log10(raw))
    for mantissa in (1.0, 2.0, 5.0, 10.0):
        step = mantissa * 10.0**exponent
        if step >= raw:
            return step
    return 10.0 ** (exponent + 1)  # pragma: no cover


def _set_ticks(ax, west: float, south: float, east: float, north: float) -> None:
    from matplotlib.ticker import FixedLocator, FuncFormatter

    for axis, low, high, hemispheres in ((ax.xaxis, west, east, "EW"),
                                         (ax.yaxis, south, north, "NS")):
        step = _nice_step(high - low)
        ticks = np.arange(math.ceil(low / step), math.floor(high / step) + 1) * step
        decimals = max(0, -math.floor(math.log10(step) + 1e-9))
        axis.set_major_locator(FixedLocator(ticks))
        axis.set_major_formatter(FuncFormatter(
            lambda v, _pos, h=hemispheres, d=decimals: _degrees(v, h, d)))
    ax.tick_params(labelsize=8)


def _scale_bar(ax, west, south, east, north, cos_mid: float) -> None:
    width_nm = (east - west) * cos_mid * _NM_PER_DEG
    target = width_nm / 4.0
    length = _SCALE_LENGTHS_NM[0]
    for candidate in _SCALE_LENGTHS_NM:
        if candidate <= target:
            length = candidate
    dlon = length / (_NM_PER_DEG * cos_mid)
    x0 = west + 0.04 * (east - west)
    y0 = south + 0.06 * (north - south)
    tick = 0.012 * (north - south)
    half = dlon / 2
    for k, colour in enumerate(("black", "white")):
        ax.add_patch(_rect(x0 + k * half, y0, half, tick, colour))
    ax.plot([x0, x0 + dlon], [y0, y0], color="black", linewidth=0.8, zorder=9)
    # 0, the middle and the end, the end with its unit: the bar reads without counting
    for share, label in ((0.0, "0"), (0.5, f"{length / 2:g}"), (1.0, f"{length:g} NM")):
        ax.text(x0 + share * dlon, y0 - 0.6 * tick, label, ha="center",
                va="top", fontsize=8, fontweight="bold", zorder=9,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 0.5})


def _rect(x, y, w, h, colour):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, facecolor=colour, edgecolor="black", linewidth=0.8, zorder=9)


def _north_arrow(ax) -> None:
    ax.annotate("", xy=(0.965, 0.95), xytext=(0.965, 0.85), xycoords="axes fraction",
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.5,
                            "mutation_scale": 16}, zorder=9)
    ax.text(0.965, 0.83, "N", transform=ax.transAxes, ha="center", va="top", fontsize=11,
            fontweight="bold", zorder=9)


LOCATOR_PIXELS = 160
"""Cells of the locator inset's coastline raster across its larger side (coarse: cheap)."""

LOCATOR_MIN_SPAN_DEG = 16.0
"""Least span of the locator inset (degrees of latitude): enough to show where the map is."""


def _locator(fig, rect: Sequence[float], box: Sequence[float]):
    """A small overview map at ``rect`` (figure fraction): the coast around the main map and
    the main map's extent ``box`` as a red frame, with the search and rescue regions' lines."""
    west, south, east, north = box
    # centre and size on a 2-degree grid: maps of one sea share the inset's cached coastline
    mid_lon, mid_lat = 2.0 * round((west + east) / 4.0), 2.0 * round((south + north) / 4.0)
    half = 2.0 * math.ceil(0.25 * max(LOCATOR_MIN_SPAN_DEG, 5.0 * (north - south),
                                      5.0 * (east - west) * _cos_nearest_equator(south, north)))
    lat0, lat1 = max(mid_lat - half, -89.0), min(mid_lat + half, 89.0)
    cos_mid = max(math.cos(math.radians(0.5 * (lat0 + lat1))), 0.05)
    lon0, lon1 = mid_lon - half / cos_mid, mid_lon + half / cos_mid
    inset = fig.add_axes(rect)
    inset.set_facecolor(SEA_COLOUR)
    side_m = (lat1 - lat0) * METRES_PER_DEGREE
    _draw_land(inset, (lon0, lat0, lon1, lat1), side_m / LOCATOR_PIXELS, shore=False)
    _draw_regions(inset, (lon0, lat0, lon1, lat1), names=False, linewidth=0.5)
    inset.add_patch(_patch(shapely.box(west, south, east, north), facecolor="none",
                           edgecolor="#d00000", linewidth=1.6, zorder=9))
    inset.set_xlim(lon0, lon1)
    inset.set_ylim(lat0, lat1)
    inset.set_aspect(1.0 / cos_mid)
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_title("where the map is", fontsize=7, pad=2)
    return inset


def _incomplete_note(areas: SearchAreas) -> str:
    """The banner of areas whose forcing covered less than the drift reached ("" if none)."""
    if not areas.incomplete:
        return ""
    return (f"INCOMPLETE: {areas.unaccounted:.1%} of the probability left the forcing and is "
            "in no area")


def _synthetic_note(trajectories) -> str:
    if trajectories is None:
        return ""
    attrs = getattr(trajectories, "attrs", {}) or {}
    which = [name for name in ("currents", "winds")
             if "SYNTHETIC" in str(attrs.get(name, "")).upper()]
    if not which:
        return ""
    return f"SYNTHETIC {' and '.join(which)} forcing: illustration only, not for operational use"


WARNING_COLOUR = "#b00020"
"""The colour of a map's warnings: SYNTHETIC forcing, INCOMPLETE forcing."""

MEMBER_COLOURS = ("#c2185b", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f")
"""Colours of the forcing members' datums (several current or wind models weighed)."""
