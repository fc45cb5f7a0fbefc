"""The plot ring: every map and figure; the only place matplotlib is imported.

Each function draws on a matplotlib Axes (a new one where ``ax`` is not given) and returns
it; ``save_*`` functions write a PNG whole (a temporary name, then one rename).

* :func:`plot_search_areas`, :func:`save_map` -- the 50/90/95 % areas, datum, rectangle,
  IAMSAR circle and tracks on the real coastline (``sarkit drift``'s ``map.png``), from the
  trajectories or their :func:`drift_outline` (:class:`DriftOutline`: what the map takes of
  them, kilobytes, for a map drawn in another process);
* :func:`plot_poc`, :func:`plot_forcing`, :func:`plot_tracks` -- a POC grid, a forcing
  field, a sample of tracks; :func:`plot_particles` -- the particles at one time by object
  class or by forcing model, with each one's share and datum;
* :func:`plot_plan`, :func:`save_plan_map` -- a search plan (``plan.png``), with the rectangles
  already searched after ``sarkit update``;
* :func:`plot_event`, :func:`save_event_map` -- a mass event (``sarkit mass``'s map, one panel
  per period).

The maps share one way of drawing the coastline, the search and rescue regions, the scale bar
(0, middle, end in NM) and a locator inset (a new figure's overview of the region with the map's
extent); a figure made from SYNTHETIC forcing says so.

matplotlib itself is imported only when something is drawn.
"""

from __future__ import annotations

from sarkit._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "areas": ["DriftOutline", "drift_outline", "plot_search_areas", "save_map"],
    "fields": ["plot_poc", "plot_forcing", "plot_tracks", "plot_particles"],
    "plan": ["plot_plan", "save_plan_map"],
    "mass": ["plot_event", "save_event_map"],
})
