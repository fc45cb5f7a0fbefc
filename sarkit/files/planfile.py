"""Plan files (``PLAN.toml``): the drift, the assets, the search window and the weather.

A plan file says everything :func:`sarkit.planning.plan_search` needs, for ``sarkit plan``
and ``sarkit update``::

    name = "Andaman Sea, first light search"   # optional title
    roster = "assets.toml"      # a TOML or CSV roster (sarkit.planning.load_roster),
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
    visibility_nm = 10          # meteorological visibility, NM
    wind_kt = 12                # optional, default 0
    seas_m = 1.0                # optional, default 0
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

import difflib
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xarray as xr

from sarkit.errors import SarkitError
from sarkit.files.scenario_toml import default_scenario, load_scenario
from sarkit.files.trajectories import read_trajectories
from sarkit.planning.assets import Asset, load_roster
from sarkit.planning.plan import SearchWindow, Weather
from sarkit.planning.sweep import SOURCES
from sarkit.scenario import Scenario

__all__ = ["DriftSource", "PlanFile", "PlanFileError", "load_plan_file"]

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


def read_toml(path: Path, error: type[SarkitError], what: str) -> dict[str, Any]:
    """The TOML document in ``path``; ``error`` (naming ``what`` and the file) where it
    cannot be read or parsed."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"cannot read the {what} ({exc.strerror or exc})", "check the path",
                    path) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise error(f"not valid TOML ({exc})", "fix the syntax", path) from None


def conditions_and_tables(data: Mapping[str, Any], sweep_keys: tuple[str, ...], path: Path,
                          error: type[SarkitError]) -> tuple[Weather, dict[str, Any], str]:
    """The ``[weather]`` of a plan or case file, its ``[sweep_width]`` table and table set.

    ``sweep_keys`` are the keys ``[sweep_width]`` may have; errors are ``error`` naming
    ``path``.
    """
    weather = _table(data, "weather", _WEATHER, path, required=True)
    sweep = _table(data, "sweep_width", sweep_keys, path, required=False)
    tables = _text(sweep, "tables", "sweep_width", path) or "uscg"
    if tables not in SOURCES:
        raise error(f"sweep_width.tables = {tables!r} is not a table set",
                    f"use one of: {', '.join(SOURCES)}", path)
    fatigued = weather.get("fatigued", False)
    if not isinstance(fatigued, bool):
        raise error(f"weather.fatigued = {fatigued!r} is not true or false",
                    "give fatigued = true or false", path)
    try:
        conditions = Weather(
            visibility_nm=_number(weather, "visibility_nm", "weather", path, required=True,
                                  positive=True),
            wind_kt=_number(weather, "wind_kt", "weather", path, default=0.0),
            seas_m=_number(weather, "seas_m", "weather", path, default=0.0),
            fatigued=fatigued)
    except error:
        raise
    except SarkitError as exc:  # a case file's weather errors are the case file's
        raise error(exc.problem, exc.fix, path) from exc
    return conditions, sweep, tables


def _refuse_unknown(table: Mapping[str, Any], allowed: tuple[str, ...], where: str,
                    path: Path) -> None:
    unknown = [key for key in table if key not in allowed]
    if not unknown:
        return
    hints = []
    for key in unknown:
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hints.append(f"`{key}` (did you mean `{close[0]}`?)" if close else f"`{key}`")
    raise PlanFileError(f"{where}: unknown key{'s' if len(unknown) > 1 else ''} "
                        f"{', '.join(hints)}",
                        f"rename or remove {'them' if len(unknown) > 1 else 'it'}; the keys "
                        f"are {', '.join(allowed)}", path)


def _table(data: Mapping[str, Any], key: str, allowed: tuple[str, ...], path: Path,
           required: bool) -> dict[str, Any]:
    if key not in data:
        if required:
            raise PlanFileError(f"the [{key}] table is missing",
                                f"add [{key}] with {', '.join(allowed)}", path)
        return {}
    table = data[key]
    if not isinstance(table, dict):
        raise PlanFileError(f"`{key}` is not a table", f"write it as [{key}]", path)
    _refuse_unknown(table, allowed, f"[{key}]", path)
    return table


def _number(table: Mapping[str, Any], key: str, where: str, path: Path, *,
            default: float | None = None, required: bool = False,
            positive: bool = False) -> float | None:
    if key not in table:
        if required:
            raise PlanFileError(f"{where}.{key} is missing", f"add {key} = <number>", path)
        return default
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
            value) or value < 0 or (positive and value == 0):
        sign = ">" if positive else ">="
        raise PlanFileError(f"{where}.{key} = {value!r} is not a number {sign} 0",
                            f"give {key} as a number {sign} 0", path)
    return float(value)


def _text(table: Mapping[str, Any], key: str, where: str, path: Path) -> str | None:
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise PlanFileError(f"{where}.{key} = {value!r} is not text",
                            f"give {key} as a quoted string", path)
    return value


def _integer(table: Mapping[str, Any], key: str, path: Path) -> int | None:
    if key not in table:
        return None
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PlanFileError(f"drift.{key} = {value!r} is not a whole number >= 1",
                            f"give {key} as a whole number", path)
    return value


def _drift(data: Mapping[str, Any], base: Path, path: Path) -> DriftSource:
    table = _table(data, "drift", _DRIFT, path, required=True)
    scenario = _text(table, "scenario", "drift", path)
    trajectories = _text(table, "trajectories", "drift", path)
    if (scenario is None) == (trajectories is None):
        raise PlanFileError("[drift] needs exactly one of `scenario` and `trajectories`",
                            'give scenario = "case.toml" (or "default"), or trajectories = '
                            '"out/trajectories.nc"', path)
    particles, seed = _integer(table, "particles", path), _integer(table, "seed", path)
    if trajectories is not None:
        if particles is not None or seed is not None:
            raise PlanFileError("drift.particles and drift.seed only apply to a scenario",
                                "remove them: the trajectories are already run", path)
        return DriftSource(None, base / trajectories)
    run = default_scenario() if scenario == "default" else load_scenario(base / scenario)
    return DriftSource(run, None, particles, seed)


def _assets(data: Mapping[str, Any], base: Path, path: Path) -> tuple[Asset, ...]:
    from sarkit.planning import assets as roster

    if ("roster" in data) == ("asset" in data):
        raise PlanFileError(
            "the plan has no assets" if "roster" not in data else
            "the plan gives both `roster` and [[asset]] tables",
            'give roster = "assets.toml" (TOML or CSV) or [[asset]] tables, one of them', path)
    if "roster" in data:
        name = _text(data, "roster", "roster", path)
        assert name is not None
        return load_roster(base / name)
    tables = data["asset"]
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise PlanFileError("`asset` must be a list of tables",
                            "write each asset as an [[asset]] table", path)
    if not tables:
        raise PlanFileError("the plan lists no assets", "add an [[asset]] table", path)
    found = []
    for number, table in enumerate(tables, start=1):
        where = f"asset {number}" + (f" ({table['name']!r})" if "name" in table else "")
        roster._refuse_unknown(table, roster._TOML_KEYS, where, path)
        found.append(roster._asset(dict(table), where, path))
    names = [a.name for a in found]
    for name in names:
        if names.count(name) > 1:
            raise PlanFileError(f"two assets are named {name!r}", "give each its own name", path)
    return tuple(found)


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
    data = read_toml(path, PlanFileError, "plan file")
    _refuse_unknown(data, _TOP, "the plan", path)
    base = path.resolve().parent
    search = _table(data, "search", _SEARCH, path, required=True)
    for key in ("start", "end"):
        if key not in search:
            raise PlanFileError(f"search.{key} is missing",
                                f'add {key} = "2024-06-11T00:00Z" (UTC) to [search]', path)
    conditions, sweep, tables = conditions_and_tables(data, _SWEEP, path, PlanFileError)
    name = _text(data, "name", "name", path) or path.stem
    try:
        window = SearchWindow.from_iso(search["start"], search["end"])
    except SarkitError as exc:
        raise PlanFileError(exc.problem, exc.fix, path) from exc
    return PlanFile(
        name=name, drift=_drift(data, base, path), assets=_assets(data, base, path),
        window=window, weather=conditions,
        search_object=_text(sweep, "object", "sweep_width", path), tables=tables,
        cell_nm=_number(search, "cell_nm", "search", path, positive=True), path=path)
