"""Plan files (``PLAN.toml``): the drift, the assets, the search window and the weather.

A plan file says everything :func:`sarkit.planning.plan_search` needs, for ``sarkit plan``
and ``sarkit update``::

    name = "Andaman Sea, first light search"   # optional title
    roster = "assets.toml"      # a TOML or CSV roster (sarkit.files.roster.load_roster),
                                # relative to this file; or [[asset]] tables below

    [drift]                     # exactly one of scenario and trajectories
    scenario = "default"        # a scenario TOML (relative to this file), or "default"
                                # for the bundled Andaman Sea example
    # trajectories = "case1/trajectories.nc"   # an existing drift (sarkit drift / plan)
    particles = 5000            # optional, scenario only: overrides the scenario's
    seed = 1                    # optional, scenario only

    [search]
    start = "2024-06-11T00:00Z" # the search window, ISO 8601 (UTC unless zoned)
    end = "2024-06-11T06:00Z"
    cell_nm = 1.0               # optional POC cell size, NM (default: from the drift)

    [weather]                   # on scene, for the sweep-width corrections
    visibility_nm = 10          # meteorological visibility, NM (at most 100)
    wind_kt = 12                # optional, default 0 (at most 200)
    seas_m = 1.0                # optional, default 0 (at most 20)
    fatigued = false            # optional: crews excessively fatigued (factor 0.9)

    [sweep_width]               # optional
    object = "power_boat_33ft"  # default: the drift's leeway class mapped by
                                # sarkit.planning.plan.SWEEP_OBJECTS
    tables = "uscg"             # or "natsar2023"

    [[asset]]                   # inline roster (instead of roster = ...), keys as in
    name = "KN SAR Kresna 232"  # load_roster: name, type, centre or base, ready,
    type = "kn-sar-class-2"     # cruise_speed_kt, search_speed_kt, endurance_h,
    centre = "kantor-sar-banda-aceh"                  # search_height_ft
    ready = "2024-06-10T08:00Z"
    search_speed_kt = 10
    search_height_ft = 14       # eye height for a vessel, altitude for an aircraft

Every key is checked; an unknown key is refused with the closest known one. Errors are
:class:`PlanFileError` naming the file and the key (``search.start``, ``asset 2
('HTMS T.991')``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import xarray as xr

from sarkit.errors import SarkitError
from sarkit.files.checked import KeyHelp, Table, read_toml
from sarkit.files.roster import assets_of
from sarkit.files.scenario_toml import default_scenario, load_scenario
from sarkit.files.trajectories import read_trajectories
from sarkit.planning.assets import Asset
from sarkit.planning.plan import (
    MAX_SEAS_M,
    MAX_VISIBILITY_NM,
    MAX_WIND_KT,
    SearchWindow,
    Weather,
)
from sarkit.planning.sweep import SOURCES
from sarkit.poc.grid import MAX_CELL_NM
from sarkit.scenario import Scenario

__all__ = ["KEY_HELP", "DriftSource", "PlanFile", "PlanFileError", "load_plan_file"]

_TOP = ("name", "roster", "asset", "drift", "search", "weather", "sweep_width")
_DRIFT = ("scenario", "trajectories", "particles", "seed")
_SEARCH = ("start", "end", "cell_nm")
_WEATHER = ("visibility_nm", "wind_kt", "seas_m", "fatigued")
_SWEEP = ("object", "tables")


class PlanFileError(SarkitError, ValueError):
    """A plan file with a missing, misspelt or nonsense entry."""


@dataclass(frozen=True)
class DriftSource:
    """Where the plan's drift comes from: a scenario to run, or trajectories already run.

    Attributes
    ----------
    scenario : Scenario or None
        A scenario to run (exactly one of ``scenario`` and ``trajectories_path``).
    trajectories_path : Path or None
        A trajectories netCDF file (from ``sarkit drift`` or ``sarkit plan``).
    particles, seed : int or None
        Overrides for the scenario's.
    """

    scenario: Scenario | None
    trajectories_path: Path | None
    particles: int | None = None
    seed: int | None = None


def read_drift_trajectories(path: str | os.PathLike) -> xr.Dataset:
    """Read a trajectories file that a plan file names, checked to be sarkit's.

    Raises
    ------
    PlanFileError
        Where the file cannot be read, or lacks ``lon``, ``lat``, ``status`` or ``time``.
    """
    path = Path(path)
    try:
        data = read_trajectories(path)
    except (OSError, ValueError) as exc:
        raise PlanFileError(f"cannot read the trajectories ({exc})",
                            "give a trajectories.nc written by sarkit drift or sarkit plan",
                            path) from exc
    missing = [v for v in ("lon", "lat", "status", "time") if v not in data.variables]
    if missing:
        raise PlanFileError(f"not sarkit trajectories: no {', '.join(missing)}",
                            "give a trajectories.nc written by sarkit drift or sarkit plan",
                            path)
    return data


@dataclass(frozen=True)
class PlanFile:
    """A checked plan file (see the module docstring for the format).

    Attributes
    ----------
    name : str
    drift : DriftSource
    assets : tuple of Asset
    window : SearchWindow
    weather : Weather
    search_object : str or None
        Sweep-width object; None for the mapping from the drift's leeway class.
    tables : str
        Sweep-width table set.
    cell_nm : float or None
    path : Path or None
        The file it was read from.
    """

    name: str
    drift: DriftSource
    assets: tuple[Asset, ...]
    window: SearchWindow
    weather: Weather
    search_object: str | None
    tables: str
    cell_nm: float | None
    path: Path | None = None


def conditions_and_tables(top: Table, sweep_keys: tuple[str, ...]
                          ) -> tuple[Weather, Table, str]:
    """The ``[weather]`` of a plan or case file, its ``[sweep_width]`` table and table set.

    ``sweep_keys`` are the keys ``[sweep_width]`` may have; errors are ``top``'s.
    """
    weather = top.table("weather", required=True)
    weather.only(_WEATHER)
    sweep = top.table("sweep_width")
    sweep.only(sweep_keys)
    tables = sweep.text("tables", '"uscg"', required=False, choices=SOURCES) or "uscg"
    conditions = Weather(
        visibility_nm=weather.number("visibility_nm", "10", low=0.0, above=True,
                                     high=MAX_VISIBILITY_NM),
        wind_kt=weather.number("wind_kt", "12", low=0.0, high=MAX_WIND_KT, default=0.0),
        seas_m=weather.number("seas_m", "1.0", low=0.0, high=MAX_SEAS_M, default=0.0),
        fatigued=weather.flag("fatigued"))  # type: ignore[arg-type]
    return conditions, sweep, tables


def _drift(top: Table, base: Path) -> DriftSource:
    table = top.table("drift", required=True)
    table.only(_DRIFT)
    scenario = table.text("scenario", '"case.toml"', required=False)
    trajectories = table.text("trajectories", '"out/trajectories.nc"', required=False)
    if (scenario is None) == (trajectories is None):
        raise top.fail(None, "[drift] needs exactly one of `scenario` and `trajectories`",
                       'give scenario = "case.toml" (or "default"), or trajectories = '
                       '"out/trajectories.nc"')
    particles = table.integer("particles", "5000", low=1, required=False)
    seed = table.integer("seed", "1", low=0, required=False)
    if trajectories is not None:
        if particles is not None or seed is not None:
            raise top.fail(None, "drift.particles and drift.seed only apply to a scenario",
                           "remove them: the trajectories are already run")
        return DriftSource(None, base / trajectories)
    run = default_scenario() if scenario == "default" else load_scenario(base / scenario)
    return DriftSource(run, None, particles, seed)


def search_window(search: Table) -> SearchWindow:
    """The ``start`` and ``end`` of a ``[search]`` table as a window, errors ``search``'s."""
    start, end = search.time("start"), search.time("end")
    try:
        return SearchWindow(start, end)  # type: ignore[arg-type]
    except SarkitError as exc:
        raise search.fail(None, exc.problem, exc.fix) from exc


def load_plan_file(path: str | os.PathLike) -> PlanFile:
    """Read and check a plan file (the format is in the module docstring).

    Paths inside it are relative to its folder. The scenario (if any) is read and checked
    but not run: :meth:`DriftSource.trajectories` runs it.

    Raises
    ------
    PlanFileError
        For an unreadable file, bad TOML, or a missing, unknown or wrong entry.
    SarkitError
        From the roster or scenario it names (their own errors, naming their files).
    """
    path = Path(path)
    top = Table(read_toml(path, PlanFileError, "plan file"), PlanFileError, path)
    top.only(_TOP)
    base = path.resolve().parent
    search = top.table("search", required=True)
    search.only(_SEARCH)
    window = search_window(search)
    conditions, sweep, tables = conditions_and_tables(top, _SWEEP)
    return PlanFile(
        name=top.text("name", '"Andaman Sea, first light search"', required=False) or path.stem,
        drift=_drift(top, base), assets=assets_of(top, base, "the plan"),
        window=window, weather=conditions,
        search_object=sweep.text("object", '"power_boat_33ft"', required=False), tables=tables,
        cell_nm=search.number("cell_nm", "1.0", low=0.0, above=True, high=MAX_CELL_NM,
                              required=False), path=path)


# --------------------------------------------------------------------------- key reference

KEY_HELP: dict[str, KeyHelp] = {
    "name": KeyHelp("title of the plan in outputs", default="the file's name"),
    "roster": KeyHelp("the assets on hand: a TOML or CSV roster file (relative to this file); "
                      "exactly one of `roster` and [[asset]]", default="required, or [[asset]]"),
    "asset": KeyHelp("the assets on hand, one table each, instead of `roster`",
                     default="required, or `roster`"),
    "drift": KeyHelp("where the drift comes from: a scenario to run or trajectories already run"),
    "search": KeyHelp("the search window"),
    "weather": KeyHelp("the weather on scene, for the sweep-width corrections"),
    "sweep_width": KeyHelp("the sweep-width object and tables"),
    "drift.scenario": KeyHelp("a scenario file (relative to this file), or `default` for the "
                              "bundled Andaman Sea example; exactly one of `scenario` and "
                              "`trajectories`", default="required, or `trajectories`"),
    "drift.trajectories": KeyHelp("a trajectories.nc written by `sarkit drift` or `sarkit plan`",
                                  default="required, or `scenario`"),
    "drift.particles": KeyHelp("overrides the scenario's `particles` (a scenario only)",
                               default="the scenario's"),
    "drift.seed": KeyHelp("overrides the scenario's `seed` (a scenario only)",
                          default="the scenario's"),
    "search.start": KeyHelp("the search window starts, UTC unless zoned"),
    "search.end": KeyHelp("the search window ends, after `start`"),
    "search.cell_nm": KeyHelp("side of the POC cells", unit="NM", default="from the drift"),
    "weather.visibility_nm": KeyHelp("meteorological visibility", unit="NM"),
    "weather.wind_kt": KeyHelp("wind speed on scene", unit="kt"),
    "weather.seas_m": KeyHelp("significant wave height", unit="m"),
    "weather.fatigued": KeyHelp("crews excessively fatigued (sweep widths times 0.9)"),
    "sweep_width.object": KeyHelp("the sweep-width search object (`power_boat_33ft` ...)",
                                  default="the drift's leeway class mapped by "
                                  "sarkit.planning.plan.SWEEP_OBJECTS"),
    "sweep_width.tables": KeyHelp("the sweep-width tables: the US Coast Guard's (COMDTINST "
                                  "M16130.2F) or AMSA's (NATSAR Manual 2023)", default="uscg"),
}
"""What each key of a plan file means: the reference page (:mod:`sarkit.files.reference`)
joins it to what the reader above checks."""
