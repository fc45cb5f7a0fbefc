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

from sarkit._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "run": ["drift_scenario", "load_forcing", "forcing_members", "plan_trajectories"],
    "drift": ["DriftResult", "run_scenario"],
    "plan": ["PlanRun", "UpdateRun", "read_flown", "run_plan", "run_update"],
    "case": ["CaseExport", "CaseImport", "export_case", "import_case"],
    "sarkit.mass.event": ["EventResult"],
    "mass": ["run_event"],
})
