"""IAMSAR search patterns: tracks, commence search point and waypoints.

Four patterns are built, each as waypoints in lon/lat degrees:

* :func:`parallel_sweep` (PS) — legs parallel to the long side of a rectangle;
* :func:`creeping_line` (CS) — legs parallel to the short side, advancing along the long side;
* :func:`expanding_square` (SS) — legs S, S, 2S, 2S, 3S, ... from a datum, turning right 90°;
* :func:`sector` (VS) — equilateral triangles of side R through a datum, turning right 120°.

Geometry is built in a local azimuthal equidistant projection (metres) centred on the
rectangle centre or the datum, then turned into lon/lat with pyproj. Distances from the
centre are exact in that projection; for areas of a few tens of NM the other distances
and bearings are off by far less than a metre or a hundredth of a degree. Bearings are
degrees clockwise from true north. Track lengths are geodesic (WGS84).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import shapely
from pyproj import CRS

from sarkit.errors import BadValueError, checked_number
from sarkit.geodesy import WGS84, transformer
from sarkit.units import NAUTICAL_MILE

__all__ = [
    "CORNERS",
    "Pattern",
    "creeping_line",
    "expanding_square",
    "parallel_sweep",
    "sector",
]

PatternKind = Literal["parallel_sweep", "creeping_line", "expanding_square", "sector"]
Corner = Literal["near_left", "near_right", "far_left", "far_right"]

CORNERS: tuple[str, ...] = ("near_left", "near_right", "far_left", "far_right")
"""Corners of a rectangle, relative to its orientation.

"near" is the end the long side starts from (the rectangle centre minus half its length
along the orientation bearing), "far" the other end; "left" and "right" are as seen looking
along the orientation bearing.
"""



@dataclass(frozen=True, eq=False)
class Pattern:
    """One search pattern as flown.

    Attributes
    ----------
    kind : {"parallel_sweep", "creeping_line", "expanding_square", "sector"}
        The IAMSAR pattern.
    waypoints : numpy.ndarray
        ``(n, 2)`` longitudes and latitudes in degrees (longitudes in -180..180), in the
        order flown; read-only.
    track_spacing_nm : float
        Distance between adjacent parallel tracks (for a sector pattern, the largest
        distance between adjacent tracks, at the end of the radial legs).
    commence_search_point : tuple of float
        ``(lon, lat)`` of the first waypoint.
    track_length_nm : float
        Sum of the geodesic lengths of all legs, in NM.
    """

    kind: PatternKind
    waypoints: np.ndarray = field(repr=False)
    track_spacing_nm: float
    commence_search_point: tuple[float, float]
    track_length_nm: float

    @property
    def n_legs(self) -> int:
        """Number of legs (waypoints minus one)."""
        return len(self.waypoints) - 1

    def as_linestring(self) -> shapely.LineString:
        """The track as a shapely LineString in lon/lat degrees."""
        return shapely.LineString(self.waypoints)


# --------------------------------------------------------------------------- validation


def _position(lon: float, lat: float, what: str) -> tuple[float, float]:
    lon = checked_number(lon, f"{what} longitude")
    lat = checked_number(lat, f"{what} latitude")
    if not -89.0 <= lat <= 89.0:
        raise BadValueError(f"{what} latitude {lat} is outside -89..89 degrees",
                            "give the latitude in degrees north (south negative)")
    return _wrap(lon), lat


def _rectangle_checks(length_nm: float, width_nm: float, spacing_nm: float) -> None:
    if length_nm < width_nm:
        raise BadValueError(
            f"length_nm {length_nm} is shorter than width_nm {width_nm}",
            "length is the long side: swap them and turn orientation_deg by 90 degrees")
    if spacing_nm > width_nm:
        raise BadValueError(
            f"track_spacing_nm {spacing_nm} is wider than the rectangle ({width_nm} NM)",
            "use a smaller track spacing or a wider rectangle")
    if spacing_nm >= length_nm:
        raise BadValueError(
            f"track_spacing_nm {spacing_nm} leaves no leg in a {length_nm} NM long rectangle",
            "use a smaller track spacing or a longer rectangle")


def _corner(start_corner: str) -> tuple[bool, bool]:
    """``(far, right)`` flags of a corner name."""
    if start_corner not in CORNERS:
        raise BadValueError(f"start_corner {start_corner!r} is not a corner",
                            f"use one of {', '.join(CORNERS)}")
    return start_corner.startswith("far"), start_corner.endswith("right")


# --------------------------------------------------------------------------- geometry


def _wrap(lon: np.ndarray | float) -> np.ndarray | float:
    """Longitudes into -180..180 (arrays stay arrays, numbers stay floats)."""
    wrapped = (np.asarray(lon, dtype=float) + 180.0) % 360.0 - 180.0
    return wrapped if np.ndim(wrapped) else float(wrapped)


def _unit(bearing_deg: float) -> np.ndarray:
    """East/north unit vector of a bearing (clockwise from north)."""
    rad = math.radians(bearing_deg)
    return np.array([math.sin(rad), math.cos(rad)])


def _to_lonlat(lon0: float, lat0: float, xy_m: np.ndarray) -> np.ndarray:
    """Local azimuthal equidistant metres around (lon0, lat0) to lon/lat degrees."""
    local = CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m")
    to_geo = transformer(local, CRS.from_epsg(4326))
    lon, lat = to_geo.transform(xy_m[:, 0], xy_m[:, 1])
    out = np.column_stack([_wrap(np.asarray(lon, dtype=float)), np.asarray(lat, dtype=float)])
    out.setflags(write=False)
    return out


def _track_length_nm(lonlat: np.ndarray) -> float:
    return float(WGS84.line_length(lonlat[:, 0], lonlat[:, 1])) / NAUTICAL_MILE


def _pattern(kind: PatternKind, lon0: float, lat0: float, xy_nm: np.ndarray,
             spacing_nm: float) -> Pattern:
    lonlat = _to_lonlat(lon0, lat0, np.asarray(xy_nm, dtype=float) * NAUTICAL_MILE)
    return Pattern(kind=kind, waypoints=lonlat, track_spacing_nm=float(spacing_nm),
                   commence_search_point=(float(lonlat[0, 0]), float(lonlat[0, 1])),
                   track_length_nm=_track_length_nm(lonlat))


def _n_tracks(extent_nm: float, spacing_nm: float) -> int:
    """round(extent / spacing), halves up, at least one."""
    return max(1, math.floor(extent_nm / spacing_nm + 0.5))


def _boustrophedon(n_legs: int, leg_nm: float, spacing_nm: float) -> np.ndarray:
    """Zig-zag in a frame (a: along the legs, b: across); first leg from a=0 to a=leg."""
    points = []
    for i in range(n_legs):
        b = spacing_nm / 2.0 + i * spacing_nm
        ends = (0.0, leg_nm) if i % 2 == 0 else (leg_nm, 0.0)
        points.extend((a, b) for a in ends)
    return np.array(points)


def _rectangle_pattern(kind: PatternKind, lon: float, lat: float, length_nm: float,
                       width_nm: float, orientation_deg: float, spacing_nm: float,
                       start_corner: str) -> Pattern:
    """Parallel sweep (legs along the length) or creeping line (legs across it)."""
    lon, lat = _position(lon, lat, "rectangle centre")
    length_nm = checked_number(length_nm, "length_nm", minimum=0.0, strict=True)
    width_nm = checked_number(width_nm, "width_nm", minimum=0.0, strict=True)
    spacing_nm = checked_number(spacing_nm, "track_spacing_nm", minimum=0.0, strict=True)
    orientation_deg = checked_number(orientation_deg, "orientation_deg")
    far, right = _corner(start_corner)
    _rectangle_checks(length_nm, width_nm, spacing_nm)
    along, across = (length_nm, width_nm) if kind == "parallel_sweep" else (width_nm, length_nm)
    if kind == "creeping_line" and spacing_nm >= width_nm:
        raise BadValueError(
            f"track_spacing_nm {spacing_nm} leaves no leg across a {width_nm} NM wide rectangle",
            "use a smaller track spacing or a wider rectangle")
    n_legs = _n_tracks(across, spacing_nm)
    frame = _boustrophedon(n_legs, along - spacing_nm, spacing_nm)
    frame[:, 0] += spacing_nm / 2.0
    # rectangle frame: u from the near end (0..length), v from the left side (0..width)
    u, v = (frame[:, 0], frame[:, 1]) if kind == "parallel_sweep" else (frame[:, 1], frame[:, 0])
    u = length_nm - u if far else u
    v = width_nm - v if right else v
    xy = (np.outer(u - length_nm / 2.0, _unit(orientation_deg))
          + np.outer(v - width_nm / 2.0, _unit(orientation_deg + 90.0)))
    return _pattern(kind, lon, lat, xy, spacing_nm)


# --------------------------------------------------------------------------- patterns


def parallel_sweep(rectangle_centre_lon: float, rectangle_centre_lat: float, length_nm: float,
                   width_nm: float, orientation_deg: float, track_spacing_nm: float, *,
                   start_corner: Corner = "near_left") -> Pattern:
    """Parallel sweep (PS): legs parallel to the long side of a rectangle.

    The rectangle is centred on the given point, ``length_nm`` long along the bearing
    ``orientation_deg`` and ``width_nm`` wide. There are ``round(width / S)`` legs (halves
    rounded up), the first S/2 inside the side of ``start_corner`` and the others S apart;
    each leg runs from S/2 inside one end to S/2 inside the other, so the swept strip
    (half a track spacing each side of a leg) reaches the edges. Adjacent legs are joined
    by cross legs of length S. The commence search point (CSP) is the start of the first
    leg, S/2 in from both sides at ``start_corner``; from the default ``"near_left"`` the
    first leg is flown on the bearing ``orientation_deg`` and the pattern advances to the
    right.

    Parameters
    ----------
    rectangle_centre_lon, rectangle_centre_lat : float
        Centre of the rectangle, degrees.
    length_nm, width_nm : float
        Long and short side, NM (``length_nm >= width_nm``).
    orientation_deg : float
        Bearing of the long side, degrees clockwise from true north (e.g. the drift).
    track_spacing_nm : float
        Track spacing S, NM; ``0 < S <= width_nm`` and ``S < length_nm``.
    start_corner : {"near_left", "near_right", "far_left", "far_right"}
        Corner of the CSP, relative to the orientation (see :data:`CORNERS`).

    Returns
    -------
    Pattern
        ``kind="parallel_sweep"``, with ``2 * round(width / S)`` waypoints.

    Raises
    ------
    BadValueError
        For a non-positive or non-finite size or spacing, a spacing wider than the
        rectangle, ``length_nm < width_nm``, or an unknown corner.
    """
    return _rectangle_pattern("parallel_sweep", rectangle_centre_lon, rectangle_centre_lat,
                              length_nm, width_nm, orientation_deg, track_spacing_nm,
                              start_corner)


def creeping_line(rectangle_centre_lon: float, rectangle_centre_lat: float, length_nm: float,
                  width_nm: float, orientation_deg: float, track_spacing_nm: float, *,
                  start_corner: Corner = "near_left") -> Pattern:
    """Creeping line (CS): legs parallel to the short side, advancing along the long side.

    Same rectangle as :func:`parallel_sweep`. There are ``round(length / S)`` legs, the
    first S/2 inside the end of ``start_corner``, each running from S/2 inside one long
    side to S/2 inside the other, joined by cross legs of length S. From the default
    ``"near_left"`` the first leg is flown on ``orientation_deg + 90`` and the pattern
    advances along ``orientation_deg`` (the drift), so the most probable end is searched
    first when the CSP is put there.

    Parameters
    ----------
    rectangle_centre_lon, rectangle_centre_lat, length_nm, width_nm, orientation_deg
        As for :func:`parallel_sweep`.
    track_spacing_nm : float
        Track spacing S, NM; ``0 < S < width_nm``.
    start_corner : {"near_left", "near_right", "far_left", "far_right"}
        Corner of the CSP.

    Returns
    -------
    Pattern
        ``kind="creeping_line"``, with ``2 * round(length / S)`` waypoints.

    Raises
    ------
    BadValueError
        As for :func:`parallel_sweep`, and when ``S >= width_nm``.
    """
    return _rectangle_pattern("creeping_line", rectangle_centre_lon, rectangle_centre_lat,
                              length_nm, width_nm, orientation_deg, track_spacing_nm,
                              start_corner)


def _square_legs(spacing_nm: float, legs: int | None, max_radius_nm: float | None) -> int:
    if (legs is None) == (max_radius_nm is None):
        raise BadValueError("expanding_square needs exactly one of legs and max_radius_nm",
                            "give the number of legs or the largest distance from the datum")
    if legs is not None:
        if isinstance(legs, bool) or int(legs) != legs or legs < 1:
            raise BadValueError(f"legs is {legs!r}", "give a whole number of legs >= 1")
        return int(legs)
    radius = checked_number(max_radius_nm, "max_radius_nm", minimum=0.0, strict=True)
    squares = math.floor(radius / spacing_nm + 1e-9)
    if squares < 1:
        raise BadValueError(
            f"max_radius_nm {radius} is smaller than the track spacing {spacing_nm}",
            "give max_radius_nm >= track_spacing_nm")
    return 4 * squares


def expanding_square(datum_lon: float, datum_lat: float, track_spacing_nm: float, *,
                     legs: int | None = None, max_radius_nm: float | None = None,
                     first_bearing_deg: float = 0.0) -> Pattern:
    """Expanding square (SS): legs S, S, 2S, 2S, 3S, 3S, ... from the datum, turning right.

    The CSP is the datum. Leg k (from 1) has length ``ceil(k / 2) * S`` and bearing
    ``first_bearing_deg + 90 * (k - 1)``, so every turn is 90° to the right. Give either
    the number of legs or ``max_radius_nm``: then whole squares are flown, ``4 *
    floor(max_radius / S)`` legs, so that no waypoint is farther than ``max_radius_nm``
    from the datum along or across the first bearing (the tracks lie on a square grid of
    side S around the datum).

    Parameters
    ----------
    datum_lon, datum_lat : float
        Datum (the CSP), degrees.
    track_spacing_nm : float
        Track spacing S, NM, > 0.
    legs : int, optional
        Number of legs, >= 1.
    max_radius_nm : float, optional
        Half-side of the square to search, NM, >= S.
    first_bearing_deg : float
        Bearing of the first leg, degrees clockwise from true north.

    Returns
    -------
    Pattern
        ``kind="expanding_square"``, with ``legs + 1`` waypoints.

    Raises
    ------
    BadValueError
        For a bad spacing, both or neither of ``legs`` and ``max_radius_nm``, or
        ``max_radius_nm < S``.
    """
    lon, lat = _position(datum_lon, datum_lat, "datum")
    spacing = checked_number(track_spacing_nm, "track_spacing_nm", minimum=0.0, strict=True)
    bearing = checked_number(first_bearing_deg, "first_bearing_deg")
    n_legs = _square_legs(spacing, legs, max_radius_nm)
    steps = [math.ceil(k / 2) * spacing * _unit(bearing + 90.0 * (k - 1))
             for k in range(1, n_legs + 1)]
    xy = np.vstack([np.zeros((1, 2)), np.cumsum(steps, axis=0)])
    return _pattern("expanding_square", lon, lat, xy, spacing)


def sector(datum_lon: float, datum_lat: float, radius_nm: float, first_bearing_deg: float = 0.0,
           sectors: int = 3) -> Pattern:
    """Sector search (VS): equilateral triangles of side R through the datum.

    Construction (no public source seen gives the geometry; this is the usual IAMSAR VS): start at
    the datum (the CSP) and fly R on ``first_bearing_deg``; turn 120° right and fly R
    across; turn 120° right and fly R, which ends at the datum. The next triangle carries
    straight on through the datum, so its first leg is on the bearing of the leg before
    (240° from the previous first leg); three triangles (nine legs, every turn at an outer
    point 120° right, straight on at the datum) put the outer points every 60° around the
    datum and end at the datum. Every leg is R long. A second search is usually flown with
    ``first_bearing_deg`` turned by 30°.

    Parameters
    ----------
    datum_lon, datum_lat : float
        Datum (the CSP), degrees.
    radius_nm : float
        Leg length R, NM, > 0.
    first_bearing_deg : float
        Bearing of the first leg, degrees clockwise from true north.
    sectors : int
        Number of triangles, 1 to 3.

    Returns
    -------
    Pattern
        ``kind="sector"``, with ``3 * sectors + 1`` waypoints, the first and every third
        at the datum. ``track_spacing_nm`` is the widest gap between adjacent radial legs,
        ``R`` (at their outer ends, 60° apart).

    Raises
    ------
    BadValueError
        For a bad radius or a number of triangles other than 1, 2 or 3.
    """
    lon, lat = _position(datum_lon, datum_lat, "datum")
    radius = checked_number(radius_nm, "radius_nm", minimum=0.0, strict=True)
    bearing = checked_number(first_bearing_deg, "first_bearing_deg")
    if isinstance(sectors, bool) or sectors not in (1, 2, 3):
        raise BadValueError(f"sectors is {sectors!r}", "give 1, 2 or 3 triangles")
    steps = [radius * _unit(bearing + 240.0 * (k // 3) + 120.0 * (k % 3))
             for k in range(3 * int(sectors))]
    xy = np.vstack([np.zeros((1, 2)), np.cumsum(steps, axis=0)])
    xy[::3] = 0.0  # exact datum returns, free of rounding
    return _pattern("sector", lon, lat, xy, radius)
