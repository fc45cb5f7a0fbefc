"""sarkit: maritime search-and-rescue drift and search planning for rescue coordination centres.

What a notebook needs, in a few names (each loads its module on first use, so importing
sarkit compiles nothing and imports neither matplotlib nor numba):

* forcing: :func:`open_forcing`, :func:`describe`, :class:`ForcingGrid`;
* the drift: :func:`point`, :func:`track`, :func:`area`, :func:`combine` (uncertain last known
  positions), :func:`object_class`, :func:`search_objects` (leeway classes), :func:`simulate`,
  :func:`land_mask`, :func:`summarize_trajectories`, :func:`trajectories_dataframe`;
* search areas: :func:`poc_grid`, :func:`search_areas`; planning: :func:`plan_search`,
  :class:`SearchWindow`, :class:`Weather`;
* files: :func:`load_scenario`, :func:`default_scenario`, :func:`load_roster`,
  :func:`read_trajectories`, :func:`read_tracks`; the whole ring is :mod:`sarkit.files`;
* the commands: :func:`run_scenario` (``sarkit drift``); the rest are in :mod:`sarkit.app`;
* maps: :mod:`sarkit.plot` (``sarkit.plot.plot_search_areas(areas)`` ...).

The packages behind them (:mod:`sarkit.forcing`, :mod:`sarkit.drift`, :mod:`sarkit.poc`,
:mod:`sarkit.planning`, :mod:`sarkit.mass`) hold the rest, each listing its public names.
"""

from __future__ import annotations

from sarkit._lazy import lazy_exports
from sarkit._version import __version__
from sarkit.errors import SarkitError

_PACKAGES = ("app", "drift", "files", "forcing", "mass", "planning", "plot", "poc", "scenario")

__getattr__, __dir__, _names = lazy_exports(__name__, {
    "sarkit.forcing": ["ConstantSource", "ForcingGrid", "Quantity", "describe", "open_forcing"],
    "sarkit.drift": [
        "LandMask", "ObjectClass", "Particles", "Status", "area", "combine", "land_mask",
        "liu_weisberg_skill", "object_class", "point", "search_objects", "simulate",
        "status_counts", "summarize_trajectories", "track", "trajectories_dataframe",
    ],
    "sarkit.poc": ["poc_grid", "search_areas"],
    "sarkit.planning": ["SearchWindow", "Weather", "plan_search"],
    "sarkit.files": ["default_scenario", "load_roster", "load_scenario", "read_trajectories",
                     "read_tracks"],
    "sarkit.app": ["run_scenario"],
}, _PACKAGES)

__all__ = ["SarkitError", "__version__", *_names]
