"""Mass events: several cases at once, one pool of assets from several centres.

* :mod:`sarkit.files.casefile` — case files (``CASES.toml``): cases with persons aboard, the
  roster, search periods, weather;
* :mod:`sarkit.mass.joint` — :func:`plan_cases`, the allocation of assets to cases and
  rectangles over one or several search periods maximising the expected number of people
  found, with the own-region rule for comparison;
* :mod:`sarkit.mass.handover` — when a case's probability enters another search and rescue
  region, and whose;
* :mod:`sarkit.mass.event` — :func:`plan_event`, an event planned from a case file's content
  and each case's drift (joint plan, own-region rule, handovers): :class:`EventResult`;
* :mod:`sarkit.app.mass` — :func:`sarkit.app.run_event`, ``sarkit mass``: the drifts, all of
  it, and the files.

Names are imported on first use, so ``sarkit --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

_NAMES = {
    "JOINT": "joint", "OWN_REGION": "joint", "CasePeriod": "joint", "CaseRun": "joint",
    "JointPlan": "joint", "plan_cases": "joint",
    "Handover": "handover", "handovers": "handover",
    "EventCase": "event", "EventCases": "event", "EventResult": "event",
    "check_sweep_widths": "event", "plan_event": "event",
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        return getattr(importlib.import_module(f"sarkit.mass.{_NAMES[name]}"), name)
    raise AttributeError(f"module 'sarkit.mass' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_NAMES))
