"""The IAMSAR manual method: total probable error, search radius and circle, for comparison.

The formulas are those of the IAMSAR Manual Vol. II (IMO/ICAO Doc 9731) manual method, from
public transcriptions (no primary page of Vol. II was seen), and of AMSA's National Search and
Rescue Manual (NATSAR), 2023 Edition:

* drift velocity error ``Dve = sqrt(ASWDve² + TWCe² + LWe²)`` and total water
  current error ``TWCe = sqrt(TCe² + SCe² + WCe² + OWCe²)``, default 0.3 kt each
  (IAMSAR Vol. II);
* drift error ``De = Dve * t`` (IAMSAR Vol. II);
* total probable error ``E = sqrt(X² + De² + Y²)`` (IAMSAR Vol. II; NATSAR 2023), with
  the defaults X = 5 NM and Y = 1 NM when unknown (AMSA NATSAR 2023 App. D-6);
* search radius ``R = fs * E`` with the stepped optimal search factor ``fs`` of
  AMSA NATSAR 2023 Table 3-2: 1.1, 1.6, 2.0, 2.3, 2.5 for the initial
  search, the 1st, 2nd and 3rd expansion and the final search. (The values of the IAMSAR
  ``fs`` curves themselves were not available.)
* the optimal area for a point datum is the square ``4 R²`` (IAMSAR Vol. II); this module
  also gives the circle of radius R around the datum, as a geodesic polygon,
  and :func:`poc_inside` says how much of a drift model's POC that circle holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from sarkit.errors import BadValueError
from sarkit.geodesy import WGS84
from sarkit.poc.areas import continuous_lonlat
from sarkit.poc.grid import PocGrid
from sarkit.units import NAUTICAL_MILE

__all__ = [
    "ASWD_VE_STEADY_KT",
    "ASWD_VE_VARIABLE_KT",
    "CURRENT_ERROR_KT",
    "DEFAULT_X_NM",
    "DEFAULT_Y_NM",
    "SAFETY_FACTORS",
    "IamsarArea",
    "drift_error_nm",
    "drift_velocity_error_kt",
    "iamsar_area",
    "poc_inside",
    "safety_factor",
    "search_radius_nm",
    "total_probable_error_nm",
    "total_water_current_error_kt",
]

ASWD_VE_STEADY_KT = 0.3
"""Average surface wind drift velocity error for steady winds (kt), IAMSAR Vol. II."""
ASWD_VE_VARIABLE_KT = 0.5
"""The same for forecast or highly variable winds (kt), IAMSAR Vol. II."""
CURRENT_ERROR_KT = 0.3
"""Default error of each water current component if nothing better is known (kt), IAMSAR Vol. II."""
DEFAULT_X_NM = 5.0
"""Default error of the drifting start point when unknown (NM), NATSAR 2023 App. D-6."""
DEFAULT_Y_NM = 1.0
"""Default position error of the search facility when unknown (NM), NATSAR 2023 App. D-6."""

SAFETY_FACTORS: dict[int, tuple[str, float]] = {
    1: ("initial", 1.1),
    2: ("1st expansion", 1.6),
    3: ("2nd expansion", 2.0),
    4: ("3rd expansion", 2.3),
    5: ("final", 2.5),
}
"""Optimal search factor fs by search number (AMSA NATSAR 2023 Table 3-2)."""



@dataclass(frozen=True)
class IamsarArea:
    """The IAMSAR manual search area around a point datum.

    Attributes
    ----------
    datum_lon, datum_lat : float
        The datum (degrees).
    total_probable_error_nm : float
        E (NM).
    search_number : int
        1 for the initial search, 2..5 for the expansions (NATSAR 2023 Table 3-2).
    safety_factor : float
        fs.
    radius_nm : float
        R = fs * E (NM).
    polygon : shapely.Polygon
        The geodesic circle of radius R around the datum, lon/lat degrees,
        counter-clockwise.
    circle_area_nm2 : float
        Geodesic area of that polygon (NM²), close to pi R².
    square_area_nm2 : float
        The IAMSAR optimal area for a point datum, 4 R² (NM², IAMSAR Vol. II).
    """

    datum_lon: float
    datum_lat: float
    total_probable_error_nm: float
    search_number: int
    safety_factor: float
    radius_nm: float
    polygon: shapely.Polygon
    circle_area_nm2: float
    square_area_nm2: float


def total_water_current_error_kt(
    tidal: float = CURRENT_ERROR_KT, sea: float = CURRENT_ERROR_KT,
    wind: float = CURRENT_ERROR_KT, other: float = CURRENT_ERROR_KT,
) -> float:
    """``TWCe = sqrt(TCe² + SCe² + WCe² + OWCe²)`` (kt), IAMSAR Vol. II; each default 0.3 kt.

    Give 0 for a current that is not part of the drift.
    """
    return _rss(_nonneg(tidal, "tidal"), _nonneg(sea, "sea"), _nonneg(wind, "wind"),
                _nonneg(other, "other"))


def drift_velocity_error_kt(
    leeway_error_kt: float, wind_drift_error_kt: float = ASWD_VE_STEADY_KT,
    current_error_kt: float | None = None,
) -> float:
    """``Dve = sqrt(ASWDve² + TWCe² + LWe²)`` (kt), IAMSAR Vol. II.

    Parameters
    ----------
    leeway_error_kt : float
        LWe, from the leeway table.
    wind_drift_error_kt : float, default 0.3
        ASWDve: 0.3 kt for steady winds, 0.5 kt for forecast or variable winds.
    current_error_kt : float, optional
        TWCe; default :func:`total_water_current_error_kt` with its defaults (0.6 kt).
    """
    twc = total_water_current_error_kt() if current_error_kt is None else current_error_kt
    return _rss(_nonneg(wind_drift_error_kt, "wind_drift_error_kt"),
                _nonneg(twc, "current_error_kt"), _nonneg(leeway_error_kt, "leeway_error_kt"))


def drift_error_nm(drift_velocity_error: float, hours: float) -> float:
    """``De = Dve * t`` (NM), drift velocity error in kt, drift time in h (IAMSAR Vol. II)."""
    return _nonneg(drift_velocity_error, "drift_velocity_error") * abs(float(hours))


def total_probable_error_nm(
    drift_error: float, x_nm: float = DEFAULT_X_NM, y_nm: float = DEFAULT_Y_NM
) -> float:
    """``E = sqrt(X² + De² + Y²)`` (NM), IAMSAR Vol. II.

    X = 5 NM and Y = 1 NM by default (AMSA NATSAR 2023 App. D-6).
    """
    return _rss(_nonneg(x_nm, "x_nm"), _nonneg(drift_error, "drift_error"),
                _nonneg(y_nm, "y_nm"))


def safety_factor(search_number: int = 1) -> float:
    """Optimal search factor fs for search 1 (initial) .. 5 (final), AMSA NATSAR 2023 Table 3-2."""
    if search_number not in SAFETY_FACTORS:
        raise BadValueError(
            f"search number {search_number!r} is not one of 1..5",
            "give 1 for the initial search, 2, 3, 4 for the expansions, 5 for the final one",
            "search_number")
    return SAFETY_FACTORS[search_number][1]


def search_radius_nm(total_probable_error: float, search_number: int = 1) -> float:
    """``R = fs * E`` (NM), IAMSAR Vol. II; ``fs`` from NATSAR 2023 Table 3-2."""
    return safety_factor(search_number) * _nonneg(total_probable_error, "total_probable_error")


def iamsar_area(
    datum_lon: float, datum_lat: float, total_probable_error: float, search_number: int = 1,
    points: int = 128,
) -> IamsarArea:
    """The IAMSAR manual search circle around a point datum.

    Parameters
    ----------
    datum_lon, datum_lat : float
        The datum (degrees), e.g. from the manual drift (IAMSAR Vol. II) or a POC grid.
    total_probable_error : float
        E (NM), from :func:`total_probable_error_nm`.
    search_number : int, default 1
        1 initial, 2..4 expansions, 5 final (NATSAR 2023 Table 3-2).
    points : int, default 128
        Vertices of the geodesic circle.

    Returns
    -------
    IamsarArea
    """
    if not (math.isfinite(datum_lon) and -90.0 <= datum_lat <= 90.0):
        raise BadValueError(f"datum ({datum_lon!r}, {datum_lat!r}) is not a lon/lat position",
                            "give the datum as longitude, latitude in degrees", "datum")
    if points < 8:
        raise BadValueError(f"{points} points are too few for a circle", "give 8 or more",
                            "points")
    e = _nonneg(total_probable_error, "total_probable_error")
    fs = safety_factor(search_number)
    radius = fs * e
    azimuths = np.linspace(360.0, 0.0, points, endpoint=False)
    lons, lats, _ = WGS84.fwd(np.full(points, float(datum_lon)),
                              np.full(points, float(datum_lat)), azimuths,
                              np.full(points, radius * NAUTICAL_MILE))
    ring = continuous_lonlat(np.column_stack([lons, lats]))
    polygon = shapely.orient_polygons(shapely.Polygon(ring), exterior_cw=False)
    area_m2, _ = WGS84.geometry_area_perimeter(polygon)
    return IamsarArea(
        datum_lon=float(datum_lon), datum_lat=float(datum_lat), total_probable_error_nm=e,
        search_number=search_number, safety_factor=fs, radius_nm=radius, polygon=polygon,
        circle_area_nm2=abs(area_m2) / NAUTICAL_MILE**2, square_area_nm2=4.0 * radius**2)


def poc_inside(area: IamsarArea, poc: PocGrid) -> float:
    """The POC of a grid inside an IAMSAR circle: how much of the drift model it covers.

    Sums the POC of the cells whose centres lie inside the circle (the circle is
    taken to the grid's equal-area projection), so it is exact to one cell at
    the rim.
    """
    forward = poc.from_lonlat()
    circle = shapely.transform(area.polygon, lambda xy: np.column_stack(
        forward.transform(xy[:, 0], xy[:, 1])))
    cx, cy = poc.cell_centres_xy()
    return float(np.asarray(poc.poc)[shapely.contains_xy(circle, cx, cy)].sum())


def _rss(*values: float) -> float:
    return math.sqrt(math.fsum(v * v for v in values))


def _nonneg(value: float, name: str) -> float:
    number = float(value)
    if not math.isfinite(number) or number < 0.0:
        raise BadValueError(f"{name} = {value!r} is not a number >= 0",
                            "give a non-negative error in the stated unit", name)
    return number
