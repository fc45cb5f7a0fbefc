"""The shape of the Earth, defined once: the sphere the drift moves on and the WGS84 ellipsoid.

* :data:`EARTH_RADIUS` and :data:`METRES_PER_DEGREE` -- the sphere of the drift kernel, the
  coastline's reach, the regular map copy of a model grid's box and the synthetic fields: a step
  of ``u dt`` metres east is ``u dt / (METRES_PER_DEGREE cos(lat))`` degrees of longitude.
* :func:`mean_position` -- the weighted mean of positions on the sphere (a datum of particles,
  across 180 as anywhere).
* :data:`WGS84` -- the geodesic on the WGS84 ellipsoid (:class:`pyproj.Geod`) for distances,
  areas and bearings a person reads: transits, search patterns, seeding circles, datum
  circles, track separations.
* :func:`transformer` -- the one way sarkit makes a :class:`pyproj.Transformer` (longitude
  first), each pair of coordinate systems once.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from pyproj import CRS, Geod, Transformer

__all__ = ["EARTH_RADIUS", "METRES_PER_DEGREE", "WGS84", "mean_position", "transformer"]

EARTH_RADIUS = 6_371_000.0
"""Mean radius of the Earth, metres (the sphere of the drift)."""

METRES_PER_DEGREE = EARTH_RADIUS * math.pi / 180.0
"""Metres per degree of latitude on that sphere (and of longitude at the equator)."""

WGS84 = Geod(ellps="WGS84")
"""Geodesics on the WGS84 ellipsoid (``WGS84.inv``, ``WGS84.fwd``,
``WGS84.geometry_area_perimeter``)."""


@functools.lru_cache(maxsize=256)
def transformer(source: CRS | str, target: CRS | str) -> Transformer:
    """The :class:`pyproj.Transformer` from ``source`` to ``target`` (longitude or x first),
    made once for each pair and then shared.

    Parameters
    ----------
    source, target : pyproj.CRS or str
        Coordinate systems, as :meth:`pyproj.CRS.from_user_input` takes them (hashable).

    Returns
    -------
    pyproj.Transformer
        Safe to share between threads (pyproj 3.1 and later).

    Notes
    -----
    Making a transformer looks the pair up in PROJ's database, about 10 ms, and a POC grid
    or search pattern needs one for each projection it makes: ``sarkit mass`` had made some
    200 of them, about 2 s of its run.
    """
    return Transformer.from_crs(source, target, always_xy=True)


def mean_position(lon, lat, weight) -> tuple[float, float]:
    """The weighted mean of positions on the sphere (the mean of their unit vectors), degrees
    (lon, lat); NaN for no weight."""
    lon, lat, weight = np.radians(lon), np.radians(lat), np.asarray(weight, dtype=np.float64)
    x = np.sum(weight * np.cos(lat) * np.cos(lon))
    y = np.sum(weight * np.cos(lat) * np.sin(lon))
    z = np.sum(weight * np.sin(lat))
    if not np.sum(weight) > 0:
        return math.nan, math.nan
    return float(np.degrees(np.arctan2(y, x))), float(np.degrees(np.arctan2(z, np.hypot(x, y))))
