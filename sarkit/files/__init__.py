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

from sarkit._lazy import lazy_exports

_MODULES = (
    "atomic", "casefile", "checked", "csv_tables", "geojson", "gpx", "kml", "manifest", "outdir",
    "package_reader", "planfile", "reference", "roster", "scenario_toml", "sitrep", "tomlwrite",
    "tracks", "trajectories", "waypoints_csv",
)
"""The modules, also imported on first use (``sarkit.files.geojson.areas_collection``)."""

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "scenario_toml": ["default_scenario", "load_scenario", "scenario_from_dict"],
    "planfile": ["DriftSource", "PlanFile", "PlanFileError", "load_plan_file"],
    "casefile": ["Case", "CaseFile", "CaseFileError", "load_case_file"],
    "roster": ["load_roster"],
    "trajectories": ["read_trajectories", "write_trajectories"],
    "tracks": ["read_tracks"],
    "sitrep": ["sitrep"],
    "summary": ["write_summary"],
    "package_reader": ["CasePackage", "read_package"],
    "manifest": ["PackageError"],
    "outdir": ["staged_folder"],
}, _MODULES)
