"""Search planning: assets, sweep width, coverage, POD and POS, effort, patterns, update.

* :mod:`sarkit.planning.assets` — the region's rescue centres and asset types (package data
  with sources), assets, transit (an aircraft by great circle, a ship by its route at sea:
  :mod:`sarkit.planning.routing`) and on-scene time (rosters are read by
  :mod:`sarkit.files.roster`);
* :mod:`sarkit.planning.regions` — search and rescue regions (published boundaries only, marked
  approximate), who is responsible for a datum, and the nearest assets of every centre;
* :mod:`sarkit.planning.sweep` — sweep widths from the IAMSAR/USCG and NATSAR tables with
  weather, speed and fatigue corrections; coverage; POD by the exponential and visual curves;
  POS and cumulative POD;
* :mod:`sarkit.planning.effort` — :func:`optimal_effort`, the optimal continuous allocation
  (water-filling) and its POS, the upper bound every plan is measured against;
* :mod:`sarkit.planning.allocate` — rectangles for several units along the drift axis, not
  overlapping, maximising POS (a stated heuristic with local improvement), with the gap to the
  optimal-effort bound;
* :mod:`sarkit.planning.daylight` — :func:`daylight_window`, the daylight (civil dawn to dusk)
  part of a search window at the datum: a visual search is planned only then;
* :mod:`sarkit.planning.update` — :func:`update_after_search`, the particle weights after a
  search that found nothing;
* :mod:`sarkit.planning.plan` — :func:`plan_search`, the search plan from a drift, the assets on
  hand, a search window and the weather: transit and time on scene per asset, sweep widths
  (:func:`asset_sweep_width` for the object of a drift, :func:`sweep_object_for_drift`),
  rectangles and patterns, left-out assets with the reason;
* :mod:`sarkit.planning.situation` — :func:`plan_situation`, the plan in the few lines an
  officer reads out (``summary.txt``);
* :mod:`sarkit.files.planfile` — :func:`load_plan_file`, plan files (``PLAN.toml``) for
  ``sarkit plan`` and ``sarkit update``;
* :mod:`sarkit.planning.patterns` — parallel sweep, creeping line, expanding square and sector
  patterns with waypoints (GPX through :func:`sarkit.files.gpx.write_gpx`).
"""

from __future__ import annotations

from sarkit._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "allocate": ["Allocation", "Assignment", "LeftOut", "SearchUnit", "allocate"],
    "assets": [
        "Asset", "AssetType", "RescueCentre", "Transit", "asset_type", "asset_types",
        "centre_name", "rescue_centre", "rescue_centres", "transit",
    ],
    "daylight": ["Daylight", "daylight_window"],
    "effort": ["EffortAllocation", "optimal_effort"],
    "patterns": ["Pattern", "creeping_line", "expanding_square", "parallel_sweep", "sector"],
    "plan": [
        "SWEEP_OBJECTS", "AssetSearch", "LeftOutAsset", "OnScene", "PlanError", "SearchPlan",
        "SearchWindow", "Weather", "asset_sweep_width", "on_scene", "plan_search", "search_time",
        "sweep_object_for", "sweep_object_for_drift",
    ],
    "regions": ["SearchRegion", "nearest_assets", "responsible", "search_regions"],
    "routing": ["SeaRoute", "sea_route"],
    "situation": ["plan_situation"],
    "sweep": [
        "SweepWidth", "UnknownSweepWidthError", "corrected_sweep_width",
        "corrected_sweep_width_nm", "coverage", "coverage_from_effort", "cumulative_pod",
        "cumulative_pos", "effort_nm2", "fatigue_factor", "object_label", "pod",
        "pod_exponential", "pod_visual", "pos", "speed_factor", "track_spacing_nm",
        "uncorrected_sweep_width_nm", "weather_factor",
    ],
    "update": ["SearchedArea", "SearchUpdate", "update_after_search"],
})
