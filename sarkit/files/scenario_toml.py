"""Reading scenario TOML files: every key checked, named in errors, unknown keys refused."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sarkit.drift.leeway import JIBE_PROBABILITY_PER_HOUR, ObjectClass, object_class
from sarkit.drift.seeding import MAX_RADIUS_NM
from sarkit.drift.simulate import DEFAULT_DIFFUSIVITY
from sarkit.drift.transitions import MAX_RATE_PER_HOUR, Transition, check_transitions
from sarkit.errors import SarkitError
from sarkit.files.checked import Table, describe, read_toml
from sarkit.forcing import ConstantSource
from sarkit.scenario.model import (
    DEFAULT_PARTICLES,
    MAX_DURATION_HOURS,
    SEASONS,
    SYNTHETIC_FIELDS,
    Area,
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

__all__ = ["default_scenario", "load_scenario", "scenario_from_dict"]


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
                "diffusivity_m2_s", "jibe_probability_per_hour"))
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
    )


def _forcing(table: Table, name: str, quantity: str, base_dir: Path) -> ForcingSpec:
    key = table.key(name)
    example = '["currents.nc"]' if quantity == "current" else '["winds.nc"]'
    value = table.raw(name, True, example)
    if isinstance(value, str):
        value = [value]
    if isinstance(value, dict):
        return _forcing_table(Table(value, ScenarioError, table.source, key), quantity)
    if not isinstance(value, list) or not value:
        raise table.fail(key, f"expected a list of files, got {describe(value)}",
                         f"write e.g. `{name} = {example}`, or {{ constant = [east, north] }}")
    return ForcingSpec("files", paths=tuple(_file(table, f"{key}[{i}]", item, base_dir)
                                            for i, item in enumerate(value)))


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


def _forcing_table(table: Table, quantity: str) -> ForcingSpec:
    if table.has("constant"):
        table.only(("constant",))
        pair = table.pair("constant", "[0.2, 0.1]", lon_lat=False)
        assert pair is not None
        try:
            ConstantSource(quantity, *pair)
        except SarkitError as exc:
            raise table.fail(table.key("constant"), exc.problem, exc.fix or "") from None
        return ForcingSpec("constant", constant=pair)
    if table.has("synthetic"):
        table.only(("synthetic", "season"))
        field = table.text("synthetic", '"andaman_monsoon"', choices=SYNTHETIC_FIELDS)
        season = table.text("season", '"southwest"', choices=SEASONS)
        return ForcingSpec("synthetic", synthetic=field, season=season)
    table.only(("constant", "synthetic"))
    raise table.fail(table.path, "no source given", "write { constant = [east, north] } in "
                     'm/s, { synthetic = "andaman_monsoon", season = "southwest" } or a list '
                     "of files")


def _check_window(top: Table, scenario: Scenario) -> None:
    start, stop = scenario.window()
    if stop == start:
        raise top.fail("run.end", "the run ends when it starts",
                       "give an end before or after the time of distress")
    if scenario.run_settings.end is not None and abs(stop - start) > MAX_DURATION_HOURS * 3600:
        raise top.fail("run.end", f"the run spans more than {MAX_DURATION_HOURS:g} hours",
                       "give an end closer to the time of distress")

