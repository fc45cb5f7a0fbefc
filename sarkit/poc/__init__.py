"""Probability of containment, search areas and the IAMSAR manual method.

* :func:`poc_grid` — POC on square, equal-area cells at one output time;
* :func:`search_areas` — the nested 50/90/95 % areas, the datum and the oriented rectangle;
* :func:`class_shares` — where the object may change on the way (a boat that capsizes), each
  object class's share of the probability at every output time;
* :mod:`sarkit.poc.iamsar` — the IAMSAR manual datum, total probable error and search radius,
  for comparison.
"""

from __future__ import annotations

from sarkit.poc.areas import AreaLevel, SearchAreas, SearchRectangle, search_areas
from sarkit.poc.classes import class_shares
from sarkit.poc.grid import PocGrid, choose_cell_nm, poc_grid

__all__ = [
    "AreaLevel",
    "PocGrid",
    "SearchAreas",
    "SearchRectangle",
    "choose_cell_nm",
    "class_shares",
    "poc_grid",
    "search_areas",
]
