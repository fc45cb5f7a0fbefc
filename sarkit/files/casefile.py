"""Case files (``CASES.toml``): several concurrent cases, one pool of assets, search periods.

A case file says everything ``sarkit mass`` needs::

    name = "Andaman Sea, 14 May"   # optional title
    coordinator = "MRCC Bangkok"   # optional: the centre planning (FROM of the SITREPs)
    roster = "assets.toml"         # TOML or CSV roster (sarkit.planning.load_roster),
                                   # relative to this file; or [[asset]] tables
    regions = "srr.geojson"        # optional: your own search and rescue regions
                                   # (default: the package's, Thailand and Australia only)

    [search]
    start = "2024-06-11T00:00Z"    # the first period starts (UTC unless zoned)
    period_hours = 6               # length of each period
    periods = 3                    # how many periods, one after the other
    cell_nm = 1.0                  # optional POC cell size, NM

    [weather]                      # on scene, as in a plan file
    visibility_nm = 10
    wind_kt = 12
    seas_m = 1.0
    fatigued = false

    [sweep_width]                  # optional
    tables = "uscg"                # or "natsar2023"

    [[case]]
    id = "A"                       # short unique id
    name = "Boat off Rakhine"      # optional
    scenario = "boat_a.toml"       # a scenario TOML (relative to this file), "default",
                                   # or an inline [case.scenario] table (scenario keys)
    particles = 2000               # optional overrides of the scenario's
    seed = 1
    persons = 120                  # persons aboard (an estimate; required, >= 1)
    children = 40                  # optional: kept and shown, centres prioritise by them
    women = 30
    injured = 5

Every key is checked; an unknown key is refused with the closest known one. Errors are
:class:`CaseFileError` naming the file and the key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sarkit.errors import SarkitError
from sarkit.files.planfile import (
    _assets,
    _number,
    _refuse_unknown,
    _table,
    _text,
    conditions_and_tables,
    read_toml,
)
from sarkit.files.scenario_toml import default_scenario, load_scenario, scenario_from_dict
from sarkit.planning.assets import Asset
from sarkit.planning.plan import SearchWindow, Weather
from sarkit.planning.regions import SearchRegion, search_regions
from sarkit.scenario import Scenario

__all__ = ["Case", "CaseFile", "CaseFileError", "load_case_file"]

_TOP = ("name", "coordinator", "roster", "asset", "regions", "search", "weather",
        "sweep_width", "case")
_SEARCH = ("start", "period_hours", "periods", "cell_nm")
_SWEEP = ("tables",)
_CASE = ("id", "name", "scenario", "particles", "seed", "persons", "children", "women",
         "injured")
MAX_PERIODS = 48
MAX_CASES = 200


class CaseFileError(SarkitError, ValueError):
    """A case file with a missing, misspelt or nonsense entry."""


@dataclass(frozen=True)
class Case:
    """One case: a boat (or person, raft ...) adrift, and who is aboard.

    Attributes
    ----------
    case_id : str
    name : str
    scenario : Scenario
        Its drift scenario (last known position, object, forcing).
    persons : int
        Persons aboard (an estimate), >= 1.
    children, women, injured : int or None
        Where known; each at most ``persons``.
    particles, seed : int or None
        Overrides of the scenario's.
    """

    case_id: str
    name: str
    scenario: Scenario
    persons: int
    children: int | None = None
    women: int | None = None
    injured: int | None = None
    particles: int | None = None
    seed: int | None = None

    def distress_time(self) -> float:
        """Earliest time of distress of its scenario, epoch seconds UTC."""
        return min(sub.where.time for sub in self.scenario.scenarios)

    def aboard(self) -> str:
        """"120 persons (40 children, 30 women, 5 injured)", with what is known."""
        known = [f"{n} {label}" for n, label in ((self.children, "children"),
                                                 (self.women, "women"),
                                                 (self.injured, "injured")) if n is not None]
        return f"{self.persons} persons" + (f" ({', '.join(known)})" if known else "")


@dataclass(frozen=True)
class CaseFile:
    """A checked case file (see the module docstring for the format)."""

    name: str
    cases: tuple[Case, ...]
    assets: tuple[Asset, ...]
    regions: tuple[SearchRegion, ...]
    periods: tuple[SearchWindow, ...]
    weather: Weather
    tables: str
    cell_nm: float | None
    path: Path | None = None
    coordinator: str = "NOT GIVEN"


def _count(table: Mapping[str, Any], key: str, where: str, path: Path, *, low: int,
           required: bool = False) -> int | None:
    if key not in table:
        if required:
            raise CaseFileError(f"{where}.{key} is missing",
                                f"add {key} = <whole number >= {low}>", path)
        return None
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise CaseFileError(f"{where}.{key} = {value!r} is not a whole number >= {low}",
                            f"give {key} as a whole number >= {low}", path)
    return value


def _scenario(table: Mapping[str, Any], where: str, base: Path, path: Path) -> Scenario:
    value = table.get("scenario")
    if isinstance(value, dict):
        return scenario_from_dict(value, base, source=f"{path} {where}.scenario")
    if not isinstance(value, str) or not value.strip():
        raise CaseFileError(f"{where}.scenario is missing or not text",
                            'give scenario = "boat.toml" (or "default"), or a '
                            f"[{where}.scenario] table", path)
    return default_scenario() if value == "default" else load_scenario(base / value)


def _case(table: Any, number: int, base: Path, path: Path) -> Case:
    if not isinstance(table, dict):
        raise CaseFileError("`case` must be a list of tables", "write each as a [[case]] table",
                            path)
    where = f"case {number}"
    _refuse_unknown(table, _CASE, where, path)
    case_id = _text(table, "id", where, path)
    if case_id is None:
        raise CaseFileError(f"{where}.id is missing", 'add id = "A" (short and unique)', path)
    where = f"case {case_id!r}"
    persons = _count(table, "persons", where, path, low=1, required=True)
    assert persons is not None
    counts = {key: _count(table, key, where, path, low=0)
              for key in ("children", "women", "injured")}
    for key, value in counts.items():
        if value is not None and value > persons:
            raise CaseFileError(f"{where}: {key} = {value} is more than the {persons} persons "
                                "aboard", f"check {key} and persons", path)
    return Case(case_id=case_id, name=_text(table, "name", where, path) or case_id,
                scenario=_scenario(table, where, base, path), persons=persons,
                particles=_count(table, "particles", where, path, low=1),
                seed=_count(table, "seed", where, path, low=0), **counts)


def load_case_file(path: str | os.PathLike) -> CaseFile:
    """Read and check a case file (the format is in the module docstring).

    Paths inside it are relative to its folder. Scenarios are read and checked, not run.

    Raises
    ------
    CaseFileError
        For an unreadable file, bad TOML, or a missing, unknown or wrong entry (a case without
        persons aboard, duplicate ids, too many periods or cases).
    SarkitError
        From the roster, regions or scenarios it names (their own errors, naming their files),
        e.g. an asset of an unknown centre.
    """
    path = Path(path)
    data = read_toml(path, CaseFileError, "case file")
    _refuse_unknown(data, _TOP, "the case file", path)
    base = path.resolve().parent
    search = _table(data, "search", _SEARCH, path, required=True)
    if "start" not in search:
        raise CaseFileError("search.start is missing",
                            'add start = "2024-06-11T00:00Z" (UTC) to [search]', path)
    hours = _number(search, "period_hours", "search", path, required=True, positive=True)
    count = _count(search, "periods", "search", path, low=1) or 1
    if count > MAX_PERIODS:
        raise CaseFileError(f"search.periods = {count} is more than {MAX_PERIODS}",
                            "plan fewer periods at a time", path)
    conditions, _, tables = conditions_and_tables(data, _SWEEP, path, CaseFileError)
    start = _start(search["start"], path)
    assert hours is not None
    periods = tuple(SearchWindow(start + k * hours * 3600.0, start + (k + 1) * hours * 3600.0)
                    for k in range(count))
    tables_of_cases = data.get("case")
    if not isinstance(tables_of_cases, list) or not tables_of_cases:
        raise CaseFileError("the case file lists no cases",
                            "add a [[case]] table for each boat", path)
    if len(tables_of_cases) > MAX_CASES:
        raise CaseFileError(f"{len(tables_of_cases)} cases are more than {MAX_CASES}",
                            "split the event into several case files", path)
    cases = tuple(_case(t, n, base, path) for n, t in enumerate(tables_of_cases, start=1))
    ids = [c.case_id for c in cases]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise CaseFileError(f"the case id {', '.join(map(repr, repeated))} is used twice",
                            "give each case its own id", path)
    regions_file = _text(data, "regions", "regions", path)
    regions = search_regions(base / regions_file) if regions_file else search_regions()
    return CaseFile(name=_text(data, "name", "name", path) or path.stem, cases=cases,
                    assets=_assets(data, base, path), regions=tuple(regions), periods=periods,
                    weather=conditions, tables=tables,
                    cell_nm=_number(search, "cell_nm", "search", path, positive=True), path=path,
                    coordinator=_text(data, "coordinator", "coordinator", path) or "NOT GIVEN")


def _start(value: Any, path: Path) -> float:
    from sarkit.forcing.timeaxis import parse_time

    try:
        return float(parse_time(value))
    except (TypeError, ValueError) as exc:
        raise CaseFileError(f"search.start = {value!r} is not a date and time",
                            'give ISO 8601 UTC, e.g. "2024-06-11T00:00Z"', path) from exc
