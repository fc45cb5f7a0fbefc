"""The files ring: every file a user gives sarkit or gets from it.

Readers check what they read and say what is wrong and how to fix it; writers write
whole files (a temporary name, then one rename: :mod:`~sarkit.files.atomic`) and whole
output folders (a staging folder beside the target: :func:`staged_folder`).

* scenario, plan and case files (TOML) and rosters (TOML or CSV): :func:`load_scenario`,
  :func:`default_scenario`, :func:`scenario_from_dict`, :func:`load_plan_file`,
  :func:`load_case_file`, :func:`load_roster`, all read through :mod:`~sarkit.files.checked`;
* search areas and plans for a GIS or chart plotter: :mod:`~sarkit.files.geojson`,
  :mod:`~sarkit.files.kml`, :mod:`~sarkit.files.gpx`, :mod:`~sarkit.files.waypoints_csv`;
* tables for a spreadsheet (CSV): :mod:`~sarkit.files.csv_tables`;
* trajectories (CF netCDF): :func:`write_trajectories`, :func:`read_trajectories`;
  observed drifter tracks (CF trajectory netCDF or CSV): :func:`read_tracks`;
* case exchange: :func:`sitrep`, :func:`read_package`;
* what an officer reads out: ``summary.txt`` (:func:`write_summary`).

Names are imported on first use, so ``sarkit --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

_NAMES = {
    "default_scenario": "scenario_toml", "load_scenario": "scenario_toml",
    "scenario_from_dict": "scenario_toml",
    "DriftSource": "planfile", "PlanFile": "planfile", "PlanFileError": "planfile",
    "load_plan_file": "planfile",
    "Case": "casefile", "CaseFile": "casefile", "CaseFileError": "casefile",
    "load_case_file": "casefile",
    "load_roster": "roster",
    "read_trajectories": "trajectories", "write_trajectories": "trajectories",
    "read_tracks": "tracks",
    "sitrep": "sitrep",
    "write_summary": "summary",
    "CasePackage": "package_reader", "read_package": "package_reader",
    "PackageError": "manifest",
    "staged_folder": "outdir",
}

_MODULES = ("atomic", "casefile", "checked", "csv_tables", "geojson", "gpx", "kml", "manifest",
            "outdir", "package_reader", "planfile", "reference", "roster", "scenario_toml",
            "sitrep", "tomlwrite", "tracks", "trajectories", "waypoints_csv")
"""The modules, also imported on first use (``sarkit.files.geojson.areas_collection``)."""

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        return getattr(importlib.import_module(f"sarkit.files.{_NAMES[name]}"), name)
    if name in _MODULES:
        return importlib.import_module(f"sarkit.files.{name}")
    raise AttributeError(f"module 'sarkit.files' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_NAMES) | set(_MODULES))
