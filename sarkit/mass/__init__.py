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

from sarkit._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "joint": ["JOINT", "OWN_REGION", "CasePeriod", "CaseRun", "JointPlan", "plan_cases"],
    "handover": ["Handover", "handovers"],
    "event": ["EventCase", "EventCases", "EventResult", "check_sweep_widths", "plan_event"],
})
