"""Search areas: the smallest sets of POC cells that hold 50, 90, 95 % of the probability.

:func:`search_areas` sorts the cells of a :class:`~sarkit.poc.grid.PocGrid` by POC,
highest first (a stable sort, so ties keep the row-major cell order), and takes,
for each level, the smallest leading run of cells whose POC reaches the level.
All levels use the same order, so the areas are nested by construction
(50 % inside 90 % inside 95 %). The levels are shares of the probability afloat, the
share that left the forcing included (:class:`SearchAreas`): never renormalised over the
particles still inside it.

Each cell set is dissolved into a (Multi)Polygon in projected metres, its edges
densified (one vertex at least every cell side, :func:`shapely.segmentize`) so
that straight projected edges stay right, and transformed to WGS84 lon/lat with
exteriors counter-clockwise (RFC 7946). Areas are measured in the equal-area
projection, so they are true areas on the ellipsoid. A cloud across the
antimeridian gets continuous longitudes (past 180), so its polygons stay valid;
:mod:`sarkit.files.geojson` refuses to write such a shape rather than write it wrongly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import shapely
from pyproj import Transformer

from sarkit.errors import BadValueError
from sarkit.poc.grid import PocGrid
from sarkit.positions import format_position
from sarkit.units import NAUTICAL_MILE

__all__ = [
    "LEVEL_TOLERANCE",
    "AreaLevel",
    "SearchAreas",
    "SearchRectangle",
    "cell_polygon",
    "clip_to_sea",
    "continuous_lonlat",
    "search_areas",
]

_NM2 = NAUTICAL_MILE**2

LEVEL_TOLERANCE = 1e-12
"""How far below a level a cell set's summed POC may be and still count as holding it."""


@dataclass(frozen=True)
class AreaLevel:
    """One search area: the smallest set of cells that holds ``level``.

    Attributes
    ----------
    level : float
        The probability asked for (0 < level <= 1).
    probability : float
        The POC the cell set actually holds, as a share of the probability afloat
        (:attr:`SearchAreas.afloat_anywhere`, out of the forcing included), summed without
        rounding error (:func:`math.fsum`); >= level - :data:`LEVEL_TOLERANCE`, which only
        absorbs rounding of the POC values themselves, except where more than ``1 - level``
        left the forcing: then the set is every cell with probability and holds less
        (:attr:`reached` is False).
    polygon : shapely.Polygon or shapely.MultiPolygon
        The area in WGS84 lon/lat degrees.
    polygon_xy : shapely.Polygon or shapely.MultiPolygon
        The same area in the grid projection (m).
    area_nm2 : float
        Its area (NM²).
    cells : int
        Number of cells in it.
    """

    level: float
    probability: float
    polygon: shapely.Geometry
    polygon_xy: shapely.Geometry
    area_nm2: float
    cells: int

    @property
    def reached(self) -> bool:
        """Whether the area holds its level (False where too much left the forcing)."""
        return self.probability >= self.level - LEVEL_TOLERANCE


@dataclass(frozen=True)
class SearchRectangle:
    """The minimum-area oriented rectangle around one search area.

    Attributes
    ----------
    level : float
        The level of the area it encloses (0.9 by default).
    polygon : shapely.Polygon
        The rectangle in WGS84 lon/lat degrees (edges densified).
    polygon_xy : shapely.Polygon
        The rectangle in the grid projection (m).
    area_nm2 : float
        Its area (NM²).
    probability : float
        The POC of the cells whose centres lie inside it (at least the area's probability),
        a share of the probability afloat as the areas' are.
    length_nm, width_nm : float
        Its long and short sides (NM).
    orientation_deg : float
        Bearing of the long side in the grid projection, degrees in [0, 180).
    """

    level: float
    polygon: shapely.Geometry
    polygon_xy: shapely.Geometry
    area_nm2: float
    probability: float
    length_nm: float
    width_nm: float
    orientation_deg: float


@dataclass(frozen=True)
class SearchAreas:
    """Nested search areas at one valid time.

    Attributes
    ----------
    levels : tuple of AreaLevel
        One entry per level, smallest level first.
    datum_lon, datum_lat : float
        The datum (probability-weighted centre), degrees.
    rectangle : SearchRectangle
        The minimum-area oriented rectangle around the ``rectangle_level`` area.
    valid_time : numpy.datetime64
        The time the areas hold for (UTC).
    cell_nm : float
        Cell side of the POC grid (NM): the discretisation of the areas.
    afloat, stranded, unaccounted : float
        Shares of all the probability that are afloat inside the forcing (the particles the
        cells hold), stranded, and out of the forcing (left its area or its time: afloat
        somewhere, in no cell). They add up to 1.
    class_shares : dict of str to float
        Where the object may have changed class on the way (object transitions): each class
        id's share of the probability in the cells (:attr:`PocGrid.class_shares`); empty for
        one class.

    Notes
    -----
    The levels (50/90/95 %) and every probability of the areas and the rectangle are shares
    of the probability afloat, out of the forcing included: :attr:`afloat_anywhere` =
    ``afloat + unaccounted`` (the stranded, ashore, are a shoreline search of their own). An
    area "90 %" holds 90 % of it; the POC is never renormalised over what stayed inside. Where
    the forcing covered the drift's reach (checked before every run), ``unaccounted`` is 0
    and this is ``afloat``. Where it did not (a run made with incomplete forcing),
    :attr:`incomplete` is True, and a level above ``afloat / afloat_anywhere`` cannot be
    reached: its area is every cell with probability, holding less than its level
    (:attr:`AreaLevel.reached`).
    """

    levels: tuple[AreaLevel, ...]
    datum_lon: float
    datum_lat: float
    rectangle: SearchRectangle
    valid_time: np.datetime64
    cell_nm: float
    afloat: float = 1.0
    stranded: float = 0.0
    unaccounted: float = 0.0
    class_shares: dict[str, float] = field(default_factory=dict)

    @property
    def afloat_anywhere(self) -> float:
        """``afloat + unaccounted``: the probability afloat, in the forcing or out of it; the
        levels and the areas' probabilities are shares of it."""
        return self.afloat + self.unaccounted

    @property
    def incomplete(self) -> bool:
        """Whether some probability left the forcing: afloat, but in no area."""
        return self.unaccounted > 0.0

    def shares_text(self) -> str:
        """What the levels are shares of, in words, for summaries and maps (and, after object
        transitions, the share of each class)."""
        return self._levels_text() + self.classes_text()

    def classes_text(self) -> str:
        """``; by class: FISHING-VESSEL-1 61.2 %, PIW-1 38.8 %`` where the object may have
        changed class, else ``""``."""
        if not self.class_shares:
            return ""
        return "; by class: " + ", ".join(f"{name} {share:.1%}"
                                          for name, share in self.class_shares.items())

    def _levels_text(self) -> str:
        if not self.incomplete:
            return (f"areas hold shares of the probability afloat ({self.afloat:.1%}); "
                    f"stranded {self.stranded:.1%}, out of the forcing {self.unaccounted:.1%}")
        short = [f"{entry.level:.0%}" for entry in self.levels if not entry.reached]
        missed = f"; the {', '.join(short)} not reached" if short else ""
        return (f"INCOMPLETE: areas hold shares of the probability afloat, out of the forcing "
                f"included ({self.afloat_anywhere:.1%}): {self.unaccounted:.1%} left the "
                f"forcing and is in no area{missed}; stranded {self.stranded:.1%}")

    def __getitem__(self, level: float) -> AreaLevel:
        """The area for ``level`` (e.g. ``areas[0.9]``)."""
        for entry in self.levels:
            if abs(entry.level - level) < 1e-12:
                return entry
        raise KeyError(level)

    # --- notebook helpers ----------------------------------------------------------------

    def _when(self) -> str:
        return str(np.datetime64(self.valid_time, "m")) + "Z"

    def __repr__(self) -> str:
        sizes = ", ".join(f"{e.level:.0%} {e.area_nm2:,.0f} NM²" for e in self.levels)
        rect = self.rectangle
        return (f"<SearchAreas at {self._when()}: datum "
                f"{format_position(self.datum_lon, self.datum_lat, 4)}; {sizes}; "
                f"{rect.level:.0%} rectangle "
                f"{rect.length_nm:.1f} x {rect.width_nm:.1f} NM; cells {self.cell_nm:g} NM>")

    def _repr_html_(self) -> str:
        from sarkit._html import html_table

        rect = self.rectangle
        return html_table(
            f"Search areas at {self._when()}",
            ("area", "POC held", "area NM²", "cells"),
            [(f"{e.level:.0%}", f"{e.probability:.3f}", f"{e.area_nm2:,.0f}", e.cells)
             for e in self.levels],
            [f"datum {format_position(self.datum_lon, self.datum_lat, 4)}; {rect.level:.0%} "
             "rectangle "
             f"{rect.length_nm:.1f} x {rect.width_nm:.1f} NM, oriented "
             f"{rect.orientation_deg:.0f}°; POC cells {self.cell_nm:g} NM"])

    def to_dataframe(self):
        """One row per area: ``level``, ``probability``, ``area_nm2``, ``cells``,
        ``valid_time`` and the polygon's bounds (``west``, ``south``, ``east``, ``north``).

        Returns
        -------
        pandas.DataFrame
        """
        import pandas as pd

        return pd.DataFrame([{
            "level": e.level, "probability": e.probability, "area_nm2": e.area_nm2,
            "cells": e.cells, "valid_time": np.datetime64(self.valid_time, "s"),
            **dict(zip(("west", "south", "east", "north"), e.polygon.bounds, strict=True)),
        } for e in self.levels])


def clip_to_sea(areas: SearchAreas, poc: PocGrid, land: shapely.Geometry) -> SearchAreas:
    """The areas with land taken out (``land`` in lon/lat, e.g. ``LandMask.polygons()``).

    The cells of a POC grid are squares that can reach over the shore. The land
    is taken to the grid's projection and cut from each area there; sizes are
    recomputed, the probability stays that of the particles at sea (which never
    sit on land), and the datum and rectangle are kept.
    """
    if land.is_empty:
        return areas
    forward = poc.from_lonlat()
    land_xy = shapely.make_valid(shapely.transform(
        shapely.segmentize(land, max_segment_length=0.05),
        lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1]))))
    to_lonlat = poc.to_lonlat()
    levels = []
    for entry in areas.levels:
        sea_xy = _polygonal(shapely.make_valid(entry.polygon_xy).difference(land_xy))
        levels.append(replace(
            entry, polygon_xy=sea_xy, polygon=_to_lonlat(sea_xy, poc.cell_m, to_lonlat),
            area_nm2=float(sea_xy.area) / _NM2))
    return replace(areas, levels=tuple(levels))


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """Only the polygons of a geometry (a difference can leave slivers of lines)."""
    geometry = shapely.make_valid(geometry)
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if g.geom_type in ("Polygon",
                                                                         "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def search_areas(
    poc: PocGrid, levels: tuple[float, ...] = (0.5, 0.9, 0.95), rectangle_level: float = 0.9
) -> SearchAreas:
    """Smallest cell sets holding each probability level, as lon/lat polygons.

    Parameters
    ----------
    poc : PocGrid
        The POC grid (from :func:`sarkit.poc.grid.poc_grid`).
    levels : tuple of float, default (0.5, 0.9, 0.95)
        Probabilities, each in (0, 1].
    rectangle_level : float, default 0.9
        The level whose area the oriented rectangle encloses.

    Returns
    -------
    SearchAreas
        The levels are shares of the probability afloat, out of the forcing included
        (``poc.sea_weight + poc.unaccounted_weight``; see :class:`SearchAreas`): a POC grid
        sums to 1 over its cells, and is scaled back here by the share afloat that it holds.

    Raises
    ------
    sarkit.errors.BadValueError
        For a level outside (0, 1].
    """
    wanted = sorted({_check_level(v) for v in levels})
    rect_level = _check_level(rectangle_level)
    values = np.asarray(poc.poc, dtype=np.float64).ravel()
    share = poc.sea_weight / (poc.sea_weight + poc.unaccounted_weight)  # 1.0 when none left
    if share != 1.0:  # shares of all the probability afloat, never renormalised over the rest
        values = values * share
    order = np.argsort(-values, kind="stable")
    cumulative = np.cumsum(values[order])
    positive = int(np.count_nonzero(values > 0.0))
    to_lonlat = poc.to_lonlat()
    entries = []
    for level in wanted:
        count = _cells_for(cumulative, level, positive)
        geom_xy = cell_polygon(poc, order[:count])
        entries.append(AreaLevel(
            level=level, probability=math.fsum(values[order[:count]]),
            polygon=_to_lonlat(geom_xy, poc.cell_m, to_lonlat), polygon_xy=geom_xy,
            area_nm2=count * poc.cell_m**2 / _NM2, cells=count))
    rect_cells = order[:_cells_for(cumulative, rect_level, positive)]
    rectangle = _rectangle(poc, rect_level, cell_polygon(poc, rect_cells), to_lonlat, share)
    return SearchAreas(
        levels=tuple(entries), datum_lon=poc.datum_lon, datum_lat=poc.datum_lat,
        rectangle=rectangle, valid_time=poc.valid_time, cell_nm=poc.cell_nm,
        afloat=poc.sea_weight, stranded=poc.stranded_weight, unaccounted=poc.unaccounted_weight,
        class_shares=dict(poc.class_shares))


def cell_polygon(poc: PocGrid, flat_cells: np.ndarray) -> shapely.Geometry:
    """Dissolve cells (flat row-major indices) into one valid (Multi)Polygon in projected metres.

    The union runs on the integer cell lattice, where shared edges match exactly,
    and is then scaled to metres; rings that touch themselves at a cell corner
    are repaired into a shell and a hole (OGC validity).
    """
    nx = poc.shape[1]
    iy, ix = np.divmod(np.asarray(flat_cells, dtype=np.int64), nx)
    boxes = shapely.box(ix, iy, ix + 1, iy + 1)
    merged = shapely.coverage_union_all(boxes)
    if not shapely.is_valid(merged):
        merged = shapely.make_valid(merged, method="structure", keep_collapsed=False)
    origin = np.array([poc.x0, poc.y0])
    return shapely.normalize(shapely.transform(merged, lambda uv: origin + uv * poc.cell_m))


def _check_level(level: float) -> float:
    value = float(level)
    if not 0.0 < value <= 1.0:
        raise BadValueError(f"probability level {level!r} is not in (0, 1]",
                            "give levels such as 0.5, 0.9, 0.95", "levels")
    return value


def _cells_for(cumulative: np.ndarray, level: float, positive: int) -> int:
    """Smallest number of leading cells whose cumulative POC reaches ``level``.

    A sum within :data:`LEVEL_TOLERANCE` below the level counts as reaching it, so
    that rounding (0.4 + 0.3 + 0.2 = 0.8999999999999999) does not add a cell.
    """
    count = int(np.searchsorted(cumulative, level - LEVEL_TOLERANCE, side="left")) + 1
    return max(1, min(count, positive))


def continuous_lonlat(lonlat: np.ndarray) -> np.ndarray:
    """Longitudes of one compact shape made continuous across the antimeridian.

    When the longitudes span more than 180 degrees (a shape across 180E/180W),
    the negative ones get 360 added, so the shape stays one valid planar polygon
    (longitudes then run past 180). Otherwise the coordinates are returned as they are.
    """
    lon = lonlat[:, 0]
    if lon.size and float(lon.max() - lon.min()) > 180.0:
        lonlat = lonlat.copy()
        lonlat[:, 0] = np.where(lon < 0.0, lon + 360.0, lon)
    return lonlat


def _to_lonlat(geom_xy: shapely.Geometry, cell_m: float, transformer: Transformer):
    dense = shapely.segmentize(geom_xy, max_segment_length=cell_m)
    geom = shapely.transform(dense, lambda xy: continuous_lonlat(np.column_stack(
        transformer.transform(xy[:, 0], xy[:, 1]))))
    if not shapely.is_valid(geom):
        geom = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    return shapely.orient_polygons(geom, exterior_cw=False)


def _rectangle(poc: PocGrid, level: float, area_xy: shapely.Geometry,
               transformer: Transformer, share: float = 1.0) -> SearchRectangle:
    rect = shapely.minimum_rotated_rectangle(area_xy)
    xs, ys = np.asarray(rect.exterior.coords).T
    sides = np.hypot(np.diff(xs[:3]), np.diff(ys[:3]))
    long_side = int(np.argmax(sides))
    bearing = np.degrees(np.arctan2(xs[long_side + 1] - xs[long_side],
                                    ys[long_side + 1] - ys[long_side])) % 180.0
    cx, cy = poc.cell_centres_xy()
    inside = shapely.contains_xy(rect, cx, cy)
    held = float(np.asarray(poc.poc)[inside].sum())
    return SearchRectangle(
        level=level, polygon=_to_lonlat(rect, poc.cell_m, transformer), polygon_xy=rect,
        area_nm2=float(rect.area) / _NM2, probability=held if share == 1.0 else held * share,
        length_nm=float(sides.max()) / NAUTICAL_MILE, width_nm=float(sides.min()) / NAUTICAL_MILE,
        orientation_deg=float(bearing))
