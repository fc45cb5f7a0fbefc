"""Probability of containment, search areas and the IAMSAR manual method.

* :func:`poc_grid` — POC on square, equal-area cells at one output time;
* :func:`search_areas` — the nested 50/90/95 % areas, the datum and the oriented rectangle;
* :func:`class_shares` — where the object may change on the way (a boat that capsizes), each
  object class's share of the probability at every output time;
* :mod:`sarkit.poc.iamsar` — the IAMSAR manual datum, total probable error and search radius,
  for comparison.
"""

from __future__ import annotations

from sarkit._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "areas": ["AreaLevel", "SearchAreas", "SearchRectangle", "search_areas"],
    "classes": ["class_shares"],
    "grid": ["PocGrid", "choose_cell_nm", "poc_grid"],
})
