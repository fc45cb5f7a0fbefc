"""Mass events: several cases at once, one pool of assets from several centres.

* :mod:`sarkit.mass.joint` — :func:`plan_cases`, the allocation of assets to cases and
  rectangles over one or several search periods maximising the expected number of people
  found, with the own-region rule for comparison.
"""

from __future__ import annotations

from sarkit.mass.joint import JOINT, OWN_REGION, CasePeriod, CaseRun, JointPlan, plan_cases

__all__ = ["JOINT", "OWN_REGION", "CasePeriod", "CaseRun", "JointPlan", "plan_cases"]
