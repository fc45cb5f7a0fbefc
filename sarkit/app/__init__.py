"""The app ring: the commands an officer runs, and the command line that calls them.

* :func:`drift_scenario` -- run a scenario's drift (forcing loaded around the particles);
* :func:`run_scenario` -- ``sarkit drift``: the drift, its POC, areas and files;
* :func:`run_plan`, :func:`run_update` -- ``sarkit plan`` and ``sarkit update``: a plan file's
  search plan and its folder, and the drift updated after searches that found nothing;
* :func:`export_case`, :func:`import_case` -- ``sarkit case``: a case package for another
  centre, and its checked import;
* :func:`run_event` -- ``sarkit mass``: several boats at once (its
  :class:`~sarkit.mass.event.EventResult` is the core's, re-exported);
* :mod:`sarkit.app.cli` -- the command line.

Names are imported on first use, so ``sarkit --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

_NAMES = {
    "drift_scenario": "sarkit.app.run", "load_forcing": "sarkit.app.run",
    "forcing_members": "sarkit.app.run",
    "plan_trajectories": "sarkit.app.run",
    "DriftResult": "sarkit.app.drift", "run_scenario": "sarkit.app.drift",
    "PlanRun": "sarkit.app.plan", "UpdateRun": "sarkit.app.plan",
    "read_flown": "sarkit.app.plan", "run_plan": "sarkit.app.plan",
    "run_update": "sarkit.app.plan",
    "CaseExport": "sarkit.app.case", "CaseImport": "sarkit.app.case",
    "export_case": "sarkit.app.case", "import_case": "sarkit.app.case",
    "EventResult": "sarkit.mass.event", "run_event": "sarkit.app.mass",
}
"""Public name -> the module that defines it."""

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        return getattr(importlib.import_module(_NAMES[name]), name)
    raise AttributeError(f"module 'sarkit.app' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_NAMES))
