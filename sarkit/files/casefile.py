"""Case files (``CASES.toml``): several concurrent cases, one pool of assets, search periods.

A case file says everything ``sarkit mass`` needs::

    name = "Andaman Sea, 14 May"   # optional title
    coordinator = "MRCC Bangkok"   # optional: the centre planning (FROM of the SITREPs)
    roster = "assets.toml"         # TOML or CSV roster (sarkit.files.roster.load_roster),
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
from dataclasses import dataclass
from pathlib import Path

from sarkit.errors import SarkitError
from sarkit.files.checked import KeyHelp, Table, read_toml
from sarkit.files.planfile import conditions_and_tables
from sarkit.files.roster import assets_of
from sarkit.files.scenario_toml import default_scenario, load_scenario, scenario_from_dict
from sarkit.planning.assets import Asset
from sarkit.planning.plan import SearchWindow, Weather
from sarkit.planning.regions import SearchRegion, search_regions
from sarkit.poc.grid import MAX_CELL_NM
from sarkit.scenario import Scenario

__all__ = ["KEY_HELP", "Case", "CaseFile", "CaseFileError", "load_case_file"]

_TOP = ("name", "coordinator", "roster", "asset", "regions", "search", "weather",
        "sweep_width", "case")
_SEARCH = ("start", "period_hours", "periods", "cell_nm")
_SWEEP = ("tables",)
_CASE = ("id", "name", "scenario", "particles", "seed", "persons", "children", "women",
         "injured")
MAX_PERIODS = 48
MAX_PERIOD_HOURS = 72.0
"""The longest search period (hours): searches are planned for a day or two at a time (a
period is one plan of the assets, which cannot stay on scene longer)."""
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


def _scenario(table: Table, base: Path) -> Scenario:
    value = table.raw("scenario", True, '"boat.toml"')
    if isinstance(value, dict):
        return scenario_from_dict(value, base, source=f"{table.source} {table.key('scenario')}")
    name = table.text("scenario", '"boat.toml"')
    return default_scenario() if name == "default" else load_scenario(base / name)


def _case(table: Table, base: Path) -> Case:
    table.only(_CASE)
    case_id = table.text("id", '"A"')
    assert case_id is not None
    table = table.renamed(f"case {case_id!r}")
    persons = table.integer("persons", "120", low=1)
    assert persons is not None
    counts = {key: table.integer(key, "10", low=0, required=False)
              for key in ("children", "women", "injured")}
    for key, value in counts.items():
        if value is not None and value > persons:
            raise table.fail(table.path, f"{key} = {value} is more than the {persons} persons "
                             "aboard", f"check {key} and persons")
    return Case(case_id=case_id, name=table.text("name", '"Boat off Rakhine"', required=False)
                or case_id, scenario=_scenario(table, base), persons=persons,
                particles=table.integer("particles", "2000", low=1, required=False),
                seed=table.integer("seed", "1", low=0, required=False), **counts)


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
    top = Table(read_toml(path, CaseFileError, "case file"), CaseFileError, path)
    top.only(_TOP)
    base = path.resolve().parent
    search = top.table("search", required=True)
    search.only(_SEARCH)
    start = search.time("start")
    hours = search.number("period_hours", "6", low=0.0, above=True, high=MAX_PERIOD_HOURS)
    count = search.integer("periods", "3", low=1, default=1)
    assert start is not None and hours is not None and count is not None
    if count > MAX_PERIODS:
        raise search.fail(search.key("periods"), f"{count} is more than {MAX_PERIODS}",
                          "plan fewer periods at a time")
    conditions, _, tables = conditions_and_tables(top, _SWEEP)
    periods = tuple(SearchWindow(start + k * hours * 3600.0, start + (k + 1) * hours * 3600.0)
                    for k in range(count))
    case_tables = top.tables("case", label=lambda index, _: f"case {index + 1}")
    if not case_tables:
        raise top.fail(None, "the case file lists no cases",
                       "add a [[case]] table for each boat")
    if len(case_tables) > MAX_CASES:
        raise top.fail(None, f"{len(case_tables)} cases are more than {MAX_CASES}",
                       "split the event into several case files")
    cases = tuple(_case(table, base) for table in case_tables)
    ids = [c.case_id for c in cases]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise top.fail(None, f"the case id {', '.join(map(repr, repeated))} is used twice",
                       "give each case its own id")
    regions_file = top.text("regions", '"srr.geojson"', required=False)
    regions = search_regions(base / regions_file) if regions_file else search_regions()
    return CaseFile(
        name=top.text("name", '"Andaman Sea, 14 May"', required=False) or path.stem,
        cases=cases, assets=assets_of(top, base, "the case file"), regions=tuple(regions),
        periods=periods, weather=conditions, tables=tables,
        cell_nm=search.number("cell_nm", "1.0", low=0.0, above=True, high=MAX_CELL_NM,
                              required=False),
        path=path,
        coordinator=top.text("coordinator", '"MRCC Bangkok"', required=False) or "NOT GIVEN")


# --------------------------------------------------------------------------- key reference

KEY_HELP: dict[str, KeyHelp] = {
    "name": KeyHelp("title of the event in outputs", default="the file's name"),
    "coordinator": KeyHelp("the centre planning: FROM of the SITREPs", default="NOT GIVEN"),
    "roster": KeyHelp("the pool of assets: a TOML or CSV roster file (relative to this file); "
                      "exactly one of `roster` and [[asset]]", default="required, or [[asset]]"),
    "asset": KeyHelp("the pool of assets, one table each, instead of `roster`",
                     default="required, or `roster`"),
    "regions": KeyHelp("your own search and rescue regions: a GeoJSON file (relative to this "
                       "file; see sarkit.planning.regions.search_regions)",
                       default="the package's regions"),
    "search": KeyHelp("the search periods, one after the other"),
    "weather": KeyHelp("the weather on scene, for the sweep-width corrections"),
    "sweep_width": KeyHelp("the sweep-width tables"),
    "case": KeyHelp("one case each: a boat (or person, raft ...) adrift and who is aboard",
                    bounds=f"1 to {MAX_CASES} cases", default="required"),
    "search.start": KeyHelp("the first period starts, UTC unless zoned"),
    "search.period_hours": KeyHelp("length of each period", unit="h"),
    "search.periods": KeyHelp("how many periods", bounds=f"1 to {MAX_PERIODS}"),
    "search.cell_nm": KeyHelp("side of the POC cells", unit="NM", default="from the drift"),
    "sweep_width.tables": KeyHelp("the sweep-width tables: the US Coast Guard's (COMDTINST "
                                  "M16130.2F) or AMSA's (NATSAR Manual 2023)", default="uscg"),
    "case.id": KeyHelp("short id of the case, unique in the file"),
    "case.name": KeyHelp("name of the case in outputs", default="its `id`"),
    "case.scenario": KeyHelp("its drift: a scenario file (relative to this file), `default`, or "
                             "an inline [case.scenario] table with the keys of a scenario file",
                             kind="text or table"),
    "case.particles": KeyHelp("overrides the scenario's `particles`", default="the scenario's"),
    "case.seed": KeyHelp("overrides the scenario's `seed`", default="the scenario's"),
    "case.persons": KeyHelp("persons aboard (an estimate)", unit="persons"),
    "case.children": KeyHelp("children aboard, where known (at most `persons`)", unit="persons"),
    "case.women": KeyHelp("women aboard, where known (at most `persons`)", unit="persons"),
    "case.injured": KeyHelp("injured aboard, where known (at most `persons`)", unit="persons"),
}
"""What each key of a case file means: the reference page (:mod:`sarkit.files.reference`) joins
it to what the reader above checks."""
