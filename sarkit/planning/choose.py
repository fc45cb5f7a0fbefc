"""Which IAMSAR pattern an asset flies over its rectangle, and the coverage it achieves.

:func:`sarkit.planning.allocate` gives each asset a rectangle; :func:`choose_pattern` picks
the pattern from where the probability lies inside it, following the IAMSAR Manual
(Vol. II/III, search patterns):

* **expanding square** (SS) where the object's position is known within close limits: a
  small, square rectangle (side at most :data:`SQUARE_MAX_SIDE_NM`) whose POC is peaked at the
  centre (the central quarter of its area holds at least :data:`CENTRAL_SHARE` of its POC,
  against 0.25 for a uniform spread). The CSP is the rectangle's centre.
* **creeping line** (CS) where one end of the rectangle, along the drift, is more probable
  than the other (it holds at least :data:`END_SHARE` of the rectangle's POC): legs across
  the rectangle, starting at the more probable end, so it is searched first.
* **parallel sweep** (PS) otherwise: a large area with the object anywhere in it. The CSP is
  at the more probable end and side.

The thresholds are sarkit's choices, stated here, not IAMSAR figures. The sector search (VS)
is for a datum known so well that a few NM suffice (a person overboard seen going in); it
covers a circle, not a rectangle, and no plan chooses it: :func:`~sarkit.planning.sector`
draws one on demand.

Every pattern is fitted to the asset's time on scene: where the legs rounded to a whole
number make the track longer than the asset can fly, the spacing is widened one leg at a time
(rectangles) or legs are dropped (expanding square) until it fits. The coverage is that of the
pattern flown: ``W x legs / (side the legs advance across)`` for the rectangle patterns, ``W x
track length / area`` for the expanding square.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import shapely

from sarkit.geodesy import WGS84
from sarkit.planning.allocate import Assignment
from sarkit.planning.patterns import Pattern, creeping_line, expanding_square, parallel_sweep
from sarkit.planning.sweep import pod_exponential
from sarkit.poc.grid import PocGrid
from sarkit.units import NAUTICAL_MILE

__all__ = [
    "CENTRAL_SHARE",
    "END_SHARE",
    "SQUARE_MAX_SIDE_NM",
    "SUBPOINTS",
    "FlownCoverage",
    "FlownPattern",
    "choose_pattern",
    "class_coverage_as_flown",
    "coverage_as_flown",
    "probability_layout",
]

SQUARE_MAX_SIDE_NM = 20.0
"""Largest square side (NM) flown as an expanding square."""

CENTRAL_SHARE = 0.5
"""Share of the rectangle's POC in its central quarter (by area) that calls for a square."""

END_SHARE = 0.65
"""Share of the rectangle's POC in one half along the drift that calls for a creeping line."""

_SQUARE_TOLERANCE = 0.05  # sides equal within 5 %: a square

SUBPOINTS = 8
"""Sub-points per POC cell side where the reached part of a rectangle is measured."""


@dataclass(frozen=True)
class ProbabilityLayout:
    """Where the POC lies inside a rectangle (shares of the rectangle's POC).

    Attributes
    ----------
    total : float
        POC of the POC-grid cells whose centres are inside.
    far_end : float
        Share in the half ahead along the orientation (the drift).
    right_side : float
        Share in the half to the right of the orientation.
    central : float
        Share in the central rectangle of half the length and half the width.
    """

    total: float
    far_end: float
    right_side: float
    central: float


@dataclass(frozen=True)
class FlownPattern:
    """A pattern fitted to an asset's time on scene and the coverage it gives its rectangle."""

    pattern: Pattern
    coverage: float


@dataclass(frozen=True)
class FlownCoverage:
    """What a pattern flown over its rectangle achieves, measured on the track itself.

    Attributes
    ----------
    coverage : float
        :math:`C = Z / A`: the sweep width times the length of track inside the rectangle at
        sea, over the rectangle's area at sea (IAMSAR's coverage factor of the effort spent
        there).
    reached : float
        Share of the rectangle's sea within half a track spacing of the track (half a sweep
        width where that is wider): the part the pattern searches, each leg standing for the
        strip between it and its neighbours as IAMSAR's coverage factor :math:`C = W / S`
        assumes. The rest (beyond the last leg, past the ends of short legs) is unsearched.
    poc : float
        POC of the reached part: the rectangle's POC (as :func:`sarkit.planning.allocate`
        counts it) times the share of it whose sub-points (:data:`SUBPOINTS` ² per cell) lie
        in the reached part.
    pod : float
        POD in the reached part, :math:`1 - e^{-C_r}` with :math:`C_r = W L / A_r` the
        coverage of the reached part.
    pos : float
        ``poc * pod``: the probability of success of the search.
    sea_share : float
        Share of the rectangle's area at sea; coverage and reach count the sea only.
    track_over_land_nm : float
        Length of the track over land (NM): a ship cannot steam it, and no aircraft searches
        for a boat there.
    """

    coverage: float
    reached: float
    poc: float
    pod: float
    pos: float
    sea_share: float = 1.0
    track_over_land_nm: float = 0.0


def coverage_as_flown(pattern: Pattern, assignment: Assignment, poc: PocGrid,
                      land: shapely.Geometry | None = None) -> FlownCoverage:
    """Coverage, POD and POS of ``pattern`` over its rectangle, from the track actually flown.

    The track and the rectangle are projected onto the POC grid's equal-area plane; the
    searched part is the rectangle within half a track spacing (or half a sweep width, where
    wider) of a leg, measured across it (or of a turning point), and only the POC there can
    be found. A pattern that covers its rectangle therefore has :math:`C = W L / A` and POD
    :math:`1 - e^{-C}`; one cut short reaches less of it, and finds only what is there.

    Parameters
    ----------
    pattern : Pattern
        The track flown (:func:`choose_pattern`).
    assignment : Assignment
        Its rectangle and search unit (sweep width).
    poc : PocGrid
        The POC map the rectangle was placed on.
    land : shapely geometry, optional
        Land in lon/lat degrees (:meth:`sarkit.drift.coast.LandMask.polygons`): the part of
        the rectangle over land is not searched and not counted, and the track's length over
        land is reported.

    Returns
    -------
    FlownCoverage
    """
    project = poc.from_lonlat()
    lon, lat = np.asarray(pattern.waypoints, dtype=np.float64).T
    track = shapely.LineString(np.column_stack(project.transform(lon, lat)))
    corners = np.asarray(assignment.polygon.exterior.coords, dtype=np.float64)
    rectangle = shapely.Polygon(np.column_stack(project.transform(corners[:, 0],
                                                                  corners[:, 1])))
    width_m = assignment.unit.sweep_width_nm * NAUTICAL_MILE
    over_land_m = 0.0
    sea = rectangle
    if land is not None and not land.is_empty:
        shore = shapely.make_valid(shapely.transform(land, lambda xy: np.column_stack(
            project.transform(xy[:, 0], xy[:, 1]))))
        over_land_m = track.intersection(shore).length
        sea = rectangle.difference(shore)
    inside_m = track.intersection(sea).length
    half_m = max(width_m, pattern.track_spacing_nm * NAUTICAL_MILE) / 2.0
    reached = sea.intersection(_swept(np.asarray(track.coords), half_m))
    area, reached_area = sea.area, reached.area
    coverage = width_m * inside_m / area if area > 0 else 0.0
    sea_share = area / rectangle.area if rectangle.area > 0 else 0.0
    land_nm = over_land_m / NAUTICAL_MILE
    if reached_area <= 0.0:
        return FlownCoverage(coverage, 0.0, 0.0, 0.0, 0.0, sea_share, land_nm)
    in_rectangle, in_reached = _sub_point_poc(poc, rectangle, reached)
    share = in_reached / in_rectangle if in_rectangle > 0 else reached_area / area
    found_poc = assignment.poc_in_rectangle * min(share, 1.0)
    pod = float(pod_exponential(width_m * inside_m / reached_area))
    return FlownCoverage(coverage, min(reached_area / area, 1.0), found_poc, pod,
                         found_poc * pod, sea_share, land_nm)


def class_coverage_as_flown(pattern: Pattern, assignment: Assignment, poc: PocGrid,
                            widths_nm: Mapping[str, float],
                            land: shapely.Geometry | None = None
                            ) -> dict[str, tuple[float, FlownCoverage]]:
    """:func:`coverage_as_flown` per object class, where the object may have changed class
    on the way (object transitions: ``poc.class_poc``, a boat or persons in the water).

    Each class's part of the rectangle's POC is searched by the same track with that class's
    sweep width ``widths_nm[class id]``: its POD is the exponential detection of the coverage
    ``W_class L / A_reached``, and its POS that POD times the class's POC reached. The
    classes' POC add up to the rectangle's; their POS to the search's.

    Returns
    -------
    dict of str to (float, FlownCoverage)
        One per class of ``poc.class_poc`` (in its order): the class's POC in the rectangle
        and what the track achieves for it, POC as shares of the whole probability as the
        rectangle's; empty where the POC has no classes.
    """
    if not poc.class_poc:
        return {}
    project = poc.from_lonlat()
    corners = np.asarray(assignment.polygon.exterior.coords, dtype=np.float64)
    rectangle = shapely.Polygon(np.column_stack(project.transform(corners[:, 0],
                                                                  corners[:, 1])))
    whole, _ = _sub_point_poc(poc, rectangle, rectangle)
    out = {}
    for name, part in poc.class_poc.items():
        grid = replace(poc, poc=part)
        mine, _ = _sub_point_poc(grid, rectangle, rectangle)
        share = mine / whole if whole > 0 else poc.class_shares[name]
        unit = replace(assignment.unit, sweep_width_nm=float(widths_nm[name]))
        rectangle_poc = assignment.poc_in_rectangle * share
        own = replace(assignment, unit=unit, poc_in_rectangle=rectangle_poc)
        out[name] = (rectangle_poc, coverage_as_flown(pattern, own, grid, land))
    return out


def _swept(points: np.ndarray, half_width: float) -> shapely.Geometry:
    """The area a track sweeps: each leg's rectangle of ``half_width`` either side and beyond
    its ends (a leg stops half a spacing short of the rectangle's end, and stands for the
    strip up to it), and at each turn the disc of that radius around the turning point."""
    legs = [shapely.LineString(points[k:k + 2]).buffer(half_width, cap_style="square")
            for k in range(len(points) - 1)]
    turns = [shapely.Point(p).buffer(half_width, quad_segs=16) for p in points[1:-1]]
    return shapely.union_all([*legs, *turns])


def _sub_point_poc(poc: PocGrid, rectangle: shapely.Polygon,
                   reached: shapely.Geometry) -> tuple[float, float]:
    """POC of the sub-points of the cells near ``rectangle`` that lie in it and in
    ``reached`` (each cell's POC shared equally by its :data:`SUBPOINTS` ² sub-points)."""
    west, south, east, north = rectangle.bounds
    ny, nx = poc.shape
    i0 = max(int((west - poc.x0) // poc.cell_m) - 1, 0)
    i1 = min(int((east - poc.x0) // poc.cell_m) + 2, nx)
    j0 = max(int((south - poc.y0) // poc.cell_m) - 1, 0)
    j1 = min(int((north - poc.y0) // poc.cell_m) + 2, ny)
    if i0 >= i1 or j0 >= j1:
        return 0.0, 0.0
    cells = poc.poc[j0:j1, i0:i1]
    offsets = (np.arange(SUBPOINTS) + 0.5) / SUBPOINTS * poc.cell_m
    x = poc.x0 + np.add.outer(np.arange(i0, i1) * poc.cell_m, offsets).ravel()
    y = poc.y0 + np.add.outer(np.arange(j0, j1) * poc.cell_m, offsets).ravel()
    grid_x, grid_y = np.meshgrid(x, y)
    weight = np.repeat(np.repeat(cells, SUBPOINTS, axis=0), SUBPOINTS, axis=1)
    in_rectangle = shapely.contains_xy(rectangle, grid_x, grid_y)
    in_reached = in_rectangle & shapely.contains_xy(reached, grid_x, grid_y)
    return float(weight[in_rectangle].sum()), float(weight[in_reached].sum())


def probability_layout(assignment: Assignment, poc: PocGrid) -> ProbabilityLayout:
    """Shares of the rectangle's POC by end, side and centre (cell centres inside).

    Parameters
    ----------
    assignment : Assignment
        The rectangle (centre, length, width, orientation).
    poc : PocGrid
        The POC map it was placed on.
    """
    x, y = poc.cell_centres_xy()
    cx, cy = poc.from_lonlat().transform(assignment.centre_lon, assignment.centre_lat)
    theta = math.radians(assignment.orientation_deg)
    dx, dy = (np.asarray(x) - cx) / NAUTICAL_MILE, (np.asarray(y) - cy) / NAUTICAL_MILE
    along = dx * math.sin(theta) + dy * math.cos(theta)
    across = dx * math.cos(theta) - dy * math.sin(theta)  # positive to the right
    half_l, half_w = assignment.length_nm / 2.0, assignment.width_nm / 2.0
    inside = (np.abs(along) <= half_l) & (np.abs(across) <= half_w)
    weights = np.where(inside, poc.poc, 0.0)
    total = float(weights.sum())
    if total <= 0.0:
        return ProbabilityLayout(0.0, 0.5, 0.5, 0.25)
    central = (np.abs(along) <= half_l / 2.0) & (np.abs(across) <= half_w / 2.0)
    return ProbabilityLayout(
        total=total,
        far_end=float(weights[along > 0].sum()) / total,
        right_side=float(weights[across > 0].sum()) / total,
        central=float(weights[central].sum()) / total,
    )


def choose_pattern(assignment: Assignment, poc: PocGrid, hours: float, *,
                   start_near: tuple[float, float] | None = None) -> FlownPattern:
    """The pattern an asset flies over its rectangle, fitted to its time on scene.

    Parameters
    ----------
    assignment : Assignment
        The rectangle and unit from :func:`sarkit.planning.allocate`.
    poc : PocGrid
        The POC map the rectangle was placed on.
    hours : float
        The asset's time on scene (h): the track must fit in ``search speed x hours``.
    start_near : (lon, lat), optional
        Where the asset comes from (the end of its previous rectangle's track): a parallel
        sweep or creeping line then starts at the rectangle's corner nearest to it, and no
        expanding square is flown (it would start at the centre).

    Returns
    -------
    FlownPattern
        The pattern (expanding square, creeping line or parallel sweep, by the rules of the
        module notes) and its coverage of the rectangle.
    """
    layout = probability_layout(assignment, poc)
    budget = assignment.unit.search_speed_kt * hours * (1.0 + 1e-9)
    length, width = assignment.length_nm, assignment.width_nm
    square = abs(length - width) <= _SQUARE_TOLERANCE * length
    if (start_near is None and square and length <= SQUARE_MAX_SIDE_NM
            and layout.central >= CENTRAL_SHARE):
        flown = _expanding_square(assignment, budget)
        if flown is not None:
            return flown
    end = max(layout.far_end, 1.0 - layout.far_end)
    corners = [("far_" if layout.far_end > 0.5 else "near_")
               + ("right" if layout.right_side > 0.5 else "left")]
    if start_near is not None:
        corners = [f"{end}_{side}" for end in ("near", "far") for side in ("left", "right")]
    kinds = ["creeping_line"] if end >= END_SHARE and assignment.track_spacing_nm < width else []
    for kind in [*kinds, "parallel_sweep"]:
        flown = _nearest([_rectangle(kind, assignment, budget, c) for c in corners], start_near)
        if flown is not None:
            return flown
    # allocate checked that one leg fits; fly it even if a little long
    return _nearest([_rectangle("parallel_sweep", assignment, math.inf, c) for c in corners],
                    start_near)


def _nearest(candidates: list[FlownPattern | None],
             point: tuple[float, float] | None) -> FlownPattern | None:
    """The candidate whose commence search point is nearest ``point`` (the first where None)."""
    candidates = [c for c in candidates if c is not None]
    if not candidates or point is None:
        return candidates[0] if candidates else None
    return min(candidates, key=lambda c: WGS84.inv(*point, *c.pattern.commence_search_point)[2])


def _rectangle(kind: str, a: Assignment, budget: float, corner: str) -> FlownPattern | None:
    """A parallel sweep or creeping line with as many legs as fit in ``budget`` NM of track.

    The legs advance across the width (PS) or the length (CS): ``n = round(across / S)``
    legs, or fewer where the track would be too long, at the spacing ``across / n`` that
    spans the rectangle.
    """
    make = parallel_sweep if kind == "parallel_sweep" else creeping_line
    across, along = (a.width_nm, a.length_nm) if kind == "parallel_sweep" else (
        a.length_nm, a.width_nm)
    most = max(1, math.floor(across / a.track_spacing_nm + 0.5))
    # on the plane the track of n legs is n * along - across / n: start near the largest n
    # that fits and step down (the geodesic length differs a little)
    fits = math.floor((budget + math.sqrt(budget * budget + 4.0 * along * across))
                      / (2.0 * along)) + 1 if math.isfinite(budget) else most
    for legs in range(min(most, max(fits, 1)), 0, -1):
        spacing = across / legs  # the legs span the rectangle: none of it is left unsearched
        if spacing >= along * (1.0 - 1e-9):  # no room left for a leg between the turns
            return None
        pattern = make(a.centre_lon, a.centre_lat, a.length_nm, a.width_nm, a.orientation_deg,
                       spacing, start_corner=corner)
        if pattern.track_length_nm <= budget:
            flown_legs = len(pattern.waypoints) // 2
            return FlownPattern(pattern, a.unit.sweep_width_nm * flown_legs / across)
    return None


def _square_track_nm(legs: int, spacing: float) -> float:
    """Track length of an expanding square of ``legs`` legs: S (1 + 1 + 2 + 2 + 3 + ...)."""
    return spacing * sum(math.ceil(k / 2) for k in range(1, legs + 1))


def _expanding_square(assignment: Assignment, budget: float) -> FlownPattern | None:
    """An expanding square from the centre over the (square) rectangle, trimmed to budget."""
    a = assignment
    half_side = a.length_nm / 2.0
    spacing = a.track_spacing_nm
    if spacing > half_side:
        return None
    legs = 4 * math.floor(half_side / spacing + 1e-9)
    while legs > 4 and _square_track_nm(legs, spacing) > budget:
        legs -= 1
    pattern = expanding_square(a.centre_lon, a.centre_lat, spacing, legs=legs,
                               first_bearing_deg=a.orientation_deg)
    if pattern.track_length_nm > budget:
        return None
    area = a.length_nm * a.width_nm
    coverage = min(a.unit.sweep_width_nm * pattern.track_length_nm / area,
                   a.unit.sweep_width_nm / spacing)
    return FlownPattern(pattern, coverage)
