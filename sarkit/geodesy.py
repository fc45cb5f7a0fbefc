"""The shape of the Earth, defined once: the sphere the drift moves on and the WGS84 ellipsoid.

* :data:`EARTH_RADIUS` and :data:`METRES_PER_DEGREE` -- the sphere of the drift kernel, the
  coastline's reach, the regular map copy of a model grid's box and the synthetic fields: a step
  of ``u dt`` metres east is ``u dt / (METRES_PER_DEGREE cos(lat))`` degrees of longitude.
* :data:`WGS84` -- the geodesic on the WGS84 ellipsoid (:class:`pyproj.Geod`) for distances,
  areas and bearings a person reads: transits, search patterns, seeding circles, datum
  circles, track separations.
"""

from __future__ import annotations

import math

from pyproj import Geod

__all__ = ["EARTH_RADIUS", "METRES_PER_DEGREE", "WGS84"]

EARTH_RADIUS = 6_371_000.0
"""Mean radius of the Earth, metres (the sphere of the drift)."""

METRES_PER_DEGREE = EARTH_RADIUS * math.pi / 180.0
"""Metres per degree of latitude on that sphere (and of longitude at the equator)."""

WGS84 = Geod(ellps="WGS84")
"""Geodesics on the WGS84 ellipsoid (``WGS84.inv``, ``WGS84.fwd``,
``WGS84.geometry_area_perimeter``)."""
