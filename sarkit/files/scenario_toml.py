"""Reading scenario TOML files: every key checked, named in errors, unknown keys refused."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sarkit.drift.leeway import JIBE_PROBABILITY_PER_HOUR, ObjectClass, object_class
from sarkit.drift.seeding import MAX_RADIUS_NM
from sarkit.drift.simulate import DEFAULT_DIFFUSIVITY, MAX_LEEWAY_CORRELATION_HOURS
from sarkit.drift.transitions import MAX_RATE_PER_HOUR, Transition, check_transitions
from sarkit.errors import SarkitError
from sarkit.files.checked import KeyHelp, Table, describe, read_toml
from sarkit.forcing import ConstantSource
from sarkit.forcing.address import is_address
from sarkit.scenario.model import (
    DEFAULT_PARTICLES,
    MAX_DURATION_HOURS,
    SEASONS,
    SYNTHETIC_FIELDS,
    Area,
    ForcingModel,
    ForcingSpec,
    LastKnownPosition,
    RunSettings,
    Scenario,
    ScenarioError,
    SubScenario,
    Track,
    Where,
)
from sarkit.times import format_time

__all__ = ["KEY_HELP", "default_scenario", "load_scenario", "scenario_from_dict"]


def load_scenario(path: str | os.PathLike) -> Scenario:
    """Read and check a scenario TOML file.

    Relative forcing paths are resolved against the file's folder.

    Raises
    ------
    ScenarioError
        If the file cannot be read, is not TOML, or any entry is wrong.
    """
    path = Path(path)
    data = read_toml(path, ScenarioError, "scenario file")
    return scenario_from_dict(data, path.resolve().parent, source=path)


def default_scenario() -> Scenario:
    """The bundled example (``sarkit demo``): a fishing boat adrift in the Andaman Sea.

    Its forcing is SYNTHETIC (:func:`sarkit.forcing.synthetic.andaman_monsoon`):
    for demonstrations only.
    """
    from importlib.resources import as_file, files

    with as_file(files("sarkit") / "data" / "default_scenario.toml") as path:
        return load_scenario(path)


# --------------------------------------------------------------------------- helpers


def scenario_from_dict(data: Mapping[str, Any], base_dir: str | os.PathLike = ".",
                       source: str | os.PathLike | None = None) -> Scenario:
    """Check a parsed scenario document and build the scenario.

    Parameters
    ----------
    data : mapping
        The document, as :func:`tomllib.load` returns it.
    base_dir : path-like
        Folder that relative forcing paths are relative to.
    source : path-like, optional
        Name of the document in error messages (the file path).

    Raises
    ------
    ScenarioError
        For any missing, unknown, mistyped or out-of-range entry.
    """
    return _parse(Table(data, ScenarioError, source), Path(base_dir))


_TOP = ("name", "object", "particles", "seed", "lkp", "track", "area", "scenario", "run",
        "forcing", "transition")
_LOCATIONS = ("lkp", "track", "area")


def _parse(top: Table, base_dir: Path) -> Scenario:
    if not isinstance(top.data, Mapping):
        raise top.fail("(document)", "not a table of keys", "write a TOML scenario file")
    top.only(_TOP)
    default_name = Path(top.source).stem if top.source else "scenario"
    name = top.text("name", '"Fishing boat overdue"', required=False) or default_name
    particles = top.integer("particles", "20000", low=1, required=False)
    seed = top.integer("seed", "1", low=0, default=1)
    obj = _object(top, "object", required=not top.has("scenario"))
    scenarios = _scenarios(top, name, obj, particles)
    total = _total(top, scenarios, particles)
    run = _run(top.table("run", required=True))
    transitions = _transitions(top, scenarios, run)
    forcing = top.table("forcing", required=True)
    forcing.only(("currents", "winds", "units", "time_origin"))
    result = Scenario(
        name=name, particle_count=total, seed=seed, scenarios=scenarios,  # type: ignore[arg-type]
        run_settings=run,
        currents=_forcing(forcing, "currents", "current", base_dir),
        winds=_forcing(forcing, "winds", "wind", base_dir),
        units=forcing.text("units", '"m/s"', required=False),
        time_origin=forcing.text("time_origin", '"2024-01-01"', required=False),
        source=top.source, transitions=transitions,
    )
    _check_window(top, result)
    return result


def _object(table: Table, name: str, required: bool) -> ObjectClass | None:
    value = table.raw(name, required, '"FISHING-VESSEL-1"')
    if value is None:
        return None
    key = table.key(name)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise table.fail(key, f"expected a leeway class id or name, got {describe(value)}",
                         'write e.g. `object = "FISHING-VESSEL-1"`')
    try:
        return object_class(value)
    except SarkitError as exc:
        raise table.fail(key, exc.problem,
                         exc.fix or "list the classes with `sarkit objects`") from None


def _scenarios(top: Table, name: str, obj: ObjectClass | None,
               particles: int | None) -> tuple[SubScenario, ...]:
    present = [k for k in (*_LOCATIONS, "scenario") if top.has(k)]
    if len(present) != 1:
        problem = ("no location given" if not present else
                   f"{' and '.join(present)} are given together")
        raise top.fail("lkp", problem, "give exactly one of [lkp], [track], [area] or "
                       "several [[scenario]] tables")
    if present[0] != "scenario":
        where = _location(top, present[0])
        assert obj is not None
        return (SubScenario(name, 1.0, where, obj, particles),)
    items = top.tables("scenario")
    if not items:
        raise top.fail("scenario", "expected one or more [[scenario]] tables",
                       "write each as a [[scenario]] section with weight and [scenario.lkp]")
    return tuple(_sub(item, i, obj) for i, item in enumerate(items))


def _sub(table: Table, index: int, obj: ObjectClass | None) -> SubScenario:
    table.only(("name", "weight", "object", "particles", *_LOCATIONS))
    weight = table.number("weight", "0.5", low=0.0, above=True)
    own = _object(table, "object", required=obj is None)
    present = [k for k in _LOCATIONS if table.has(k)]
    if len(present) != 1:
        problem = "no location given" if not present else f"{' and '.join(present)} given"
        raise table.fail(table.key("lkp"), problem,
                         f"give exactly one of [{table.path}.lkp], .track or .area")
    name = table.text("name", '"drifting north"', required=False) or f"scenario {index + 1}"
    return SubScenario(name, float(weight),  # type: ignore[arg-type]
                       _location(table, present[0]), own or obj,  # type: ignore[arg-type]
                       table.integer("particles", "5000", low=1, required=False))


_TRANSITION_KEYS = ("from", "to", "rate_per_hour", "wind_threshold_ms", "rate_per_hour_per_ms")


def _transitions(top: Table, scenarios: tuple[SubScenario, ...],
                 run: RunSettings) -> tuple[Transition, ...]:
    """The ``[[transition]]`` tables: each from ``from`` (default: every scenario's object) to
    ``to`` at ``rate_per_hour``, plus ``rate_per_hour_per_ms`` per m/s of wind above
    ``wind_threshold_ms``."""
    items = top.tables("transition")
    if not items:
        return ()
    if (run.duration_hours is not None and run.duration_hours < 0) or (
            run.end is not None and run.end < min(s.where.time for s in scenarios)):
        raise top.fail("transition", "given for a backward run",
                       "remove the [[transition]] tables: an object changes forward in time")
    found: list[Transition] = []
    for table in items:
        table.only(_TRANSITION_KEYS, {"rate": "rate_per_hour", "target": "to",
                                      "source": "from", "into": "to"})
        target = _object(table, "to", required=True)
        own = _object(table, "from", required=False)
        sources = [own] if own is not None else list(dict.fromkeys(s.object for s in scenarios))
        sloped = table.has("rate_per_hour_per_ms")
        rate = table.number("rate_per_hour", "0.05", low=0.0, high=MAX_RATE_PER_HOUR,
                            default=0.0 if sloped else None)
        slope = table.number("rate_per_hour_per_ms", "0.01", low=0.0, high=MAX_RATE_PER_HOUR,
                             default=0.0)
        if table.has("wind_threshold_ms") and not sloped:
            raise table.fail(table.key("wind_threshold_ms"), "given without "
                             "rate_per_hour_per_ms", "add `rate_per_hour_per_ms = 0.01` (the "
                             "hazard per hour added per m/s of wind above the threshold)")
        threshold = table.number("wind_threshold_ms", "10", low=0.0, high=100.0, default=0.0)
        assert target is not None
        for source in sources:
            if own is None and source.id == target.id:
                continue  # a scenario whose object is already the target
            if source.id == target.id:
                raise table.fail(table.key("to"), f"the same class as from ({source.id})",
                                 "give the class the object becomes, e.g. PIW-1")
            found.append(Transition(source, target, rate,  # type: ignore[arg-type]
                                    threshold, slope))  # type: ignore[arg-type]
    try:
        return check_transitions(found)
    except SarkitError as exc:
        raise top.fail("transition", exc.problem, exc.fix) from None


def _total(top: Table, scenarios: tuple[SubScenario, ...], particles: int | None) -> int:
    counts = [s.particles for s in scenarios]
    if all(c is None for c in counts):
        total = DEFAULT_PARTICLES if particles is None else particles
        _check_split(top, total, len(scenarios))
        return total
    if any(c is None for c in counts):
        missing = next(i for i, c in enumerate(counts) if c is None)
        raise top.fail(f"scenario[{missing}].particles", "missing while other scenarios "
                       "give theirs", "give particles in every [[scenario]] or in none "
                       "(then the top-level particles are split by weight)")
    total = int(sum(counts))  # type: ignore[arg-type]
    if particles is not None and particles != total and len(scenarios) > 1:
        raise top.fail("particles", f"{particles} differs from the sum of the scenarios' "
                       f"particles ({total})", "remove the top-level particles or make them agree")
    return total


def _check_split(top: Table, total: int, parts: int) -> None:
    """Refuse fewer particles than scenarios."""
    if total < parts:
        raise top.fail("particles", f"{total} particles cannot cover {parts} scenarios",
                       "give at least one particle per scenario (thousands each)")


def _location(parent: Table, kind: str) -> Where:
    table = parent.table(kind, required=True)
    if kind == "lkp":
        return _lkp(table)
    if kind == "track":
        return _track(table)
    return _area(table)


def _radius(table: Table) -> float:
    return table.number("radius_nm", "5", low=0.0, high=MAX_RADIUS_NM)  # type: ignore[return-value]


def _window_end(table: Table, start: float, name: str = "end_time") -> float:
    end = table.time(name, required=False)
    if end is None:
        return start
    if end < start:
        raise table.fail(table.key(name), f"{format_time(end)} is before the start "
                         f"{format_time(start)}", "give the later time of the window here")
    return end


def _lkp(table: Table) -> LastKnownPosition:
    table.only(("time", "end_time", "lon", "lat", "radius_nm"), {"start_time": "time"})
    time = table.time("time")
    assert time is not None
    return LastKnownPosition(
        lon=table.number("lon", "95.5", low=-360.0, high=360.0),  # type: ignore[arg-type]
        lat=table.number("lat", "6.2", low=-90.0, high=90.0),  # type: ignore[arg-type]
        radius_nm=_radius(table), time=time, end_time=_window_end(table, time),
    )


def _track(table: Table) -> Track:
    table.only(("start", "end", "start_time", "end_time", "radius_nm"),
               {"time": "start_time", "lon": "start", "lat": "start"})
    start = table.pair("start", "[95.5, 6.2]")
    end = table.pair("end", "[96.0, 7.0]")
    start_time = table.time("start_time")
    assert start_time is not None
    if not table.has("end_time"):
        table.raw("end_time", True, '"2024-03-20T12:00:00Z"')
    return Track(start, end, start_time,  # type: ignore[arg-type]
                 _window_end(table, start_time), _radius(table))


def _area(table: Table) -> Area:
    table.only(("polygon", "time", "end_time"), {"start_time": "time"})
    key = table.key("polygon")
    example = "[[95, 6], [96, 6], [96, 7]]"
    vertices = table.array("polygon", example, what="[lon, lat] vertices", min_items=3)
    assert vertices is not None
    polygon = tuple(table.check_pair(f"{key}[{i}]", v, "[95.0, 6.0]")
                    for i, v in enumerate(vertices))
    time = table.time("time")
    assert time is not None
    return Area(polygon, time, _window_end(table, time))


def _run(table: Table) -> RunSettings:
    table.only(("duration_hours", "end", "timestep_minutes", "output_every_minutes",
                "diffusivity_m2_s", "jibe_probability_per_hour", "leeway_correlation_hours"))
    if table.has("duration_hours") == table.has("end"):
        problem = "both given" if table.has("end") else "neither given"
        raise table.fail("run.duration_hours / run.end", problem,
                         "give exactly one: `duration_hours = 24` or `end = \"...\"`")
    duration = table.number("duration_hours", "24", low=-MAX_DURATION_HOURS,
                            high=MAX_DURATION_HOURS, required=False)
    if duration == 0:
        raise table.fail("run.duration_hours", "zero", "give hours, negative to run backward")
    step = table.number("timestep_minutes", "10", low=0.0, above=True, high=360.0, default=10.0)
    every = table.number("output_every_minutes", "60", low=step, default=max(60.0, step))
    return RunSettings(
        duration_hours=duration, end=table.time("end", required=False),
        timestep_minutes=step, output_every_minutes=every,  # type: ignore[arg-type]
        diffusivity_m2_s=table.number("diffusivity_m2_s", "5", low=0.0, high=1000.0,
                                      default=DEFAULT_DIFFUSIVITY),  # type: ignore[arg-type]
        jibe_probability_per_hour=table.number(  # type: ignore[arg-type]
            "jibe_probability_per_hour", "0.04", low=0.0, high=1.0,
            default=JIBE_PROBABILITY_PER_HOUR),
        leeway_correlation_hours=table.number("leeway_correlation_hours", "6", low=0.0,
                                              above=True, high=MAX_LEEWAY_CORRELATION_HOURS,
                                              required=False),
    )


def _forcing(table: Table, name: str, quantity: str, base_dir: Path
             ) -> tuple[ForcingModel, ...]:
    """The sources of a current or wind: one (a list of files or addresses, or a table), or
    several weighed against each other (a list of tables, each with a ``weight``)."""
    key = table.key(name)
    example = '["currents.nc"]' if quantity == "current" else '["winds.nc"]'
    value = table.raw(name, True, example)
    if isinstance(value, str):
        value = [value]
    if isinstance(value, dict):
        return (ForcingModel(_forcing_table(Table(value, ScenarioError, table.source, key),
                                            quantity, base_dir)),)
    if not isinstance(value, list) or not value:
        raise table.fail(key, f"expected a list of files, got {describe(value)}",
                         f"write e.g. `{name} = {example}`, or {{ constant = [east, north] }}")
    if any(isinstance(item, dict) for item in value):
        return _models(table, name, quantity, base_dir)
    return (ForcingModel(_files(table, key, value, base_dir)),)


def _files(table: Table, key: str, value: list, base_dir: Path, **member) -> ForcingSpec:
    """Files, or OPeNDAP addresses (never both)."""
    remote = [is_address(item) for item in value]
    if any(remote):
        if not all(remote):
            raise table.fail(key, "mixes server addresses and files",
                             "give either OPeNDAP addresses or files, not both")
        return ForcingSpec("remote", addresses=tuple(item.strip() for item in value), **member)
    return ForcingSpec("files", paths=tuple(_file(table, f"{key}[{i}]", item, base_dir)
                                            for i, item in enumerate(value)), **member)


def _models(table: Table, name: str, quantity: str, base_dir: Path
            ) -> tuple[ForcingModel, ...]:
    """Several sources, each a table with its ``name`` and ``weight``."""
    models = []
    for item in table.tables(name, label=lambda i, _: f"{table.key(name)}[{i}]", required=True):
        weight = item.number("weight", "0.6", low=0.0, above=True)
        label = item.text("name", '"CMEMS"')
        models.append(ForcingModel(_forcing_table(item, quantity, base_dir, named=True),
                                   float(weight), str(label)))  # type: ignore[arg-type]
    names = [model.name for model in models]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise table.fail(table.key(name), f"two sources are named {twice[0]!r}",
                         "give each source its own name (products tell them apart by it)")
    return tuple(models)


def _file(table: Table, key: str, item: Any, base_dir: Path) -> Path:
    if not isinstance(item, str) or not item.strip():
        raise table.fail(key, f"expected a file path, got {describe(item)}",
                         'write the path in quotes, e.g. "currents.nc"')
    path = Path(item).expanduser()
    path = path if path.is_absolute() else base_dir / path
    if not path.is_file():
        problem = (f"{path} is not a file (a folder or a device)" if path.exists()
                   else f"file {path} does not exist")
        raise table.fail(key, problem, "check the path (relative paths are relative to the "
                         "scenario file's folder)")
    if not os.access(path, os.R_OK):
        raise table.fail(key, f"file {path} cannot be read", "check its permissions")
    return path


def _forcing_table(table: Table, quantity: str, base_dir: Path, named: bool = False
                   ) -> ForcingSpec:
    extra = ("name", "weight") if named else ()
    if table.has("files"):
        table.only(("files", "member", "members", *extra))
        files = table.raw("files", True, '["currents.nc"]')
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list) or not files:
            raise table.fail(table.key("files"), f"expected a list of files, got "
                             f"{describe(files)}", 'write e.g. files = ["currents.nc"]')
        if table.has("member") and table.has("members"):
            raise table.fail(table.key("members"), "gives both member and members",
                             'give member = N for one member, or members = "all"')
        member = table.integer("member", "0", low=0, required=False)
        everyone = table.text("members", '"all"', required=False, choices=("all",))
        return _files(table, table.key("files"), files, base_dir, member=member,
                      all_members=everyone == "all")
    if table.has("constant"):
        table.only(("constant", *extra))
        pair = table.pair("constant", "[0.2, 0.1]", lon_lat=False)
        assert pair is not None
        try:
            ConstantSource(quantity, *pair)
        except SarkitError as exc:
            raise table.fail(table.key("constant"), exc.problem, exc.fix or "") from None
        return ForcingSpec("constant", constant=pair)
    if table.has("synthetic"):
        table.only(("synthetic", "season", *extra))
        field = table.text("synthetic", '"andaman_monsoon"', choices=SYNTHETIC_FIELDS)
        season = table.text("season", '"southwest"', choices=SEASONS)
        return ForcingSpec("synthetic", synthetic=field, season=season)
    table.only(("files", "constant", "synthetic", "member", "members", *extra))
    raise table.fail(table.path, "no source given", 'write { files = ["currents.nc"] }, '
                     '{ constant = [east, north] } in m/s, { synthetic = "andaman_monsoon", '
                     'season = "southwest" } or a list of files')


def _check_window(top: Table, scenario: Scenario) -> None:
    start, stop = scenario.window()
    if stop == start:
        raise top.fail("run.end", "the run ends when it starts",
                       "give an end before or after the time of distress")
    if scenario.run_settings.end is not None and abs(stop - start) > MAX_DURATION_HOURS * 3600:
        raise top.fail("run.end", f"the run spans more than {MAX_DURATION_HOURS:g} hours",
                       "give an end closer to the time of distress")



# --------------------------------------------------------------------------- key reference

_ONE_OF = "one of [lkp], [track], [area] or [[scenario]]"
_ONE_OF_SUB = "one of lkp, track and area"
_SOURCE = "one of `files`, `constant` and `synthetic`"
_WINDOW_END = "end of the time-of-distress window (distress at a time spread evenly over it)"
KEY_HELP: dict[str, KeyHelp] = {
    "name": KeyHelp("title of the case in outputs, maps and messages",
                    default="the file's name"),
    "object": KeyHelp("the drifting object: a leeway class id or name (`sarkit objects` lists "
                      "them); required unless every [[scenario]] gives its own",
                      kind="text or whole number", bounds="a class of sarkit/tables/leeway.csv",
                      default="required, or each [[scenario]]'s"),
    "particles": KeyHelp("number of particles, in all (split over the [[scenario]] tables by "
                         "weight where they give none)", default=f"{DEFAULT_PARTICLES}"),
    "seed": KeyHelp("seed of the random numbers: the same seed gives the same drift"),
    "lkp": KeyHelp("where the boat was: a last known position with a containment radius",
                   default=_ONE_OF),
    "track": KeyHelp("where the boat was: somewhere on a track line between two positions and "
                     "times", default=_ONE_OF),
    "area": KeyHelp("where the boat was: inside a polygon", default=_ONE_OF),
    "scenario": KeyHelp("several weighted hypotheses of where and when, each with its own "
                        "[scenario.lkp], [scenario.track] or [scenario.area]", default=_ONE_OF),
    "run": KeyHelp("how long and how finely the drift is run"),
    "forcing": KeyHelp("where the currents and winds come from"),
    "lkp.time": KeyHelp("time of distress (start of its window), UTC unless zoned"),
    "lkp.end_time": KeyHelp(_WINDOW_END, default="`time`: no window"),
    "lkp.lon": KeyHelp("longitude of the last known position", unit="degrees east"),
    "lkp.lat": KeyHelp("latitude of the last known position", unit="degrees north"),
    "lkp.radius_nm": KeyHelp("containment radius: the boat is within this distance of the "
                             "position", unit="NM"),
    "track.start": KeyHelp("first position of the track line", unit="degrees"),
    "track.end": KeyHelp("last position of the track line", unit="degrees"),
    "track.start_time": KeyHelp("time the boat was at `start`; the time of distress is spread "
                                "evenly from here to `end_time`"),
    "track.end_time": KeyHelp("time the boat would have been at `end`", default="required"),
    "track.radius_nm": KeyHelp("containment radius around each point of the line", unit="NM"),
    "area.polygon": KeyHelp("the polygon's vertices, each [lon, lat]; it closes itself",
                            unit="degrees"),
    "area.time": KeyHelp("time of distress (start of its window), UTC unless zoned"),
    "area.end_time": KeyHelp(_WINDOW_END, default="`time`: no window"),
    "scenario.name": KeyHelp("name of the hypothesis in outputs", default="scenario 1, 2 ..."),
    "scenario.weight": KeyHelp("relative weight of the hypothesis: its share of the "
                               "probability (the weights are normalised to add up to 1)"),
    "scenario.object": KeyHelp("its drifting object (leeway class id or name)",
                               kind="text or whole number",
                               bounds="a class of sarkit/tables/leeway.csv",
                               default="the top-level `object`"),
    "scenario.particles": KeyHelp("its particles: in every [[scenario]] or in none",
                                  default="the top-level `particles` split by weight"),
    "scenario.lkp": KeyHelp("its last known position", default=_ONE_OF_SUB),
    "scenario.track": KeyHelp("its track line", default=_ONE_OF_SUB),
    "scenario.area": KeyHelp("its area", default=_ONE_OF_SUB),
    "run.duration_hours": KeyHelp("length of the run from the time of distress; negative runs "
                                  "backward; exactly one of `duration_hours` and `end`",
                                  unit="h", bounds=f"±{MAX_DURATION_HOURS:g}, not 0",
                                  default="required, or `end`"),
    "run.end": KeyHelp("time the run ends (before the time of distress: backward); exactly one "
                       "of `duration_hours` and `end`", default="required, or `duration_hours`"),
    "run.timestep_minutes": KeyHelp("time step of the drift", unit="min"),
    "run.output_every_minutes": KeyHelp("interval of the positions written", unit="min",
                                        bounds="at least `timestep_minutes`",
                                        default="60, or `timestep_minutes` if longer"),
    "run.diffusivity_m2_s": KeyHelp("horizontal diffusivity: the spread the forcing does not "
                                    "resolve", unit="m²/s"),
    "run.jibe_probability_per_hour": KeyHelp("chance per hour that the object jibes (switches "
                                             "the crosswind side of its leeway)",
                                             unit="per hour"),
    "run.leeway_correlation_hours": KeyHelp(
        "let each particle's leeway perturbation vary in time: an Ornstein-Uhlenbeck process "
        "with this correlation time, so that under a wind that turns back and forth the cloud "
        "keeps spreading instead of gathering again (not measured against drifters here)",
        unit="h", default="none: one draw per particle for the whole run, as SAROPS and "
        "OpenDrift"),
    "forcing.currents": KeyHelp("surface currents: a list of netCDF files (relative to this "
                                "file), one file, a list of OPeNDAP addresses (https://...: "
                                "the subset a run needs is fetched and cached), a table "
                                "{files = ...}, {constant = ...} or {synthetic = ...}, or "
                                "several models weighed against each other: a list of such "
                                "tables, each with a `name` and a `weight`",
                                kind="list of files or addresses, a table, or tables"),
    "forcing.winds": KeyHelp("10 m winds, given as `currents` is",
                             kind="list of files or addresses, a table, or tables"),
    "forcing.units": KeyHelp("units of files that state none (`m/s`, `cm/s`, `knots`); never "
                             "overrides the units a file states"),
    "forcing.time_origin": KeyHelp("start date for files whose time units have no reference "
                                   "date (`second`)"),
    "forcing.currents.constant": KeyHelp("a flow constant in space and time: [east, north]",
                                         unit="m/s", default=_SOURCE),
    "forcing.currents.synthetic": KeyHelp("a SYNTHETIC field for demonstrations, never for a "
                                          "real search", default=_SOURCE),
    "forcing.currents.season": KeyHelp("the season of the synthetic field",
                                       default="required with `synthetic`"),
    "forcing.currents.files": KeyHelp("netCDF files (relative to this file) or OPeNDAP "
                                      "addresses of the source", default=_SOURCE),
    "forcing.currents.member": KeyHelp("for an ensemble forecast (a file with a member "
                                       "dimension): the one member to drift on, from 0",
                                       default="required for an ensemble forecast, or "
                                       "`members`"),
    "forcing.currents.members": KeyHelp("`\"all\"`: drift on every member of an ensemble "
                                        "forecast, each with an equal share of the particles",
                                        default="required for an ensemble forecast, or "
                                        "`member`"),
    "transition": KeyHelp("the object may change on the way: each table a change (a boat "
                          "that capsizes becomes persons in the water) at a hazard per hour, "
                          "each particle at its own random time"),
    "transition.to": KeyHelp("the class the object becomes (`sarkit objects` lists them)"),
    "transition.from": KeyHelp("the class that changes", default="every scenario's object"),
    "transition.rate_per_hour": KeyHelp("the hazard: the chance per hour of the change (a "
                                        "constant 0.05 changes 1 - exp(-0.05 t) of them by "
                                        "hour t)", unit="per hour",
                                        default="0 with `rate_per_hour_per_ms`, else required"),
    "transition.wind_threshold_ms": KeyHelp("the wind above which the hazard rises",
                                            unit="m/s"),
    "transition.rate_per_hour_per_ms": KeyHelp("the hazard added per m/s of wind above "
                                               "`wind_threshold_ms`", unit="per hour per m/s"),
    "forcing.currents.name": KeyHelp("of several models weighed against each other (a list "
                                     "of tables): the model's name, as products show it"),
    "forcing.currents.weight": KeyHelp("of several models: the model's share of the "
                                       "probability, and so of the particles (the weights of "
                                       "the currents are normalised; each current pairs with "
                                       "each wind, their weights multiplied)"),
}
"""What each key of a scenario file means: the reference page (:mod:`sarkit.files.reference`)
joins it to what the reader above checks."""
