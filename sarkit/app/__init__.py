"""The app ring: the commands an officer runs, and the command line that calls them.

* :func:`drift_scenario` -- run a scenario's drift (forcing loaded around the particles);
* :func:`run_scenario` -- ``sarkit drift``: the drift, its POC, areas and files;
* :func:`export_case`, :func:`import_case` -- ``sarkit case``: a case package for another
  centre, and its checked import;
* :func:`run_event` -- ``sarkit mass``: several boats at once;
* :mod:`sarkit.app.cli` -- the command line.

Names are imported on first use, so ``sarkit --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

_NAMES = {
    "drift_scenario": "run", "load_forcing": "run", "plan_trajectories": "run",
    "DriftResult": "drift", "run_scenario": "drift",
    "CaseExport": "case", "CaseImport": "case", "export_case": "case", "import_case": "case",
    "EventResult": "mass", "run_event": "mass",
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        return getattr(importlib.import_module(f"sarkit.app.{_NAMES[name]}"), name)
    raise AttributeError(f"module 'sarkit.app' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_NAMES))
