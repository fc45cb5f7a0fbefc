"""The ``sarkit`` command line: it parses, calls the app's commands and prints their reports.

Each command has a function that adds it to the parser (``_add_drift_command`` ...) and one
that runs it (``_drift`` ...); the work is done in :mod:`sarkit.app` (:mod:`~sarkit.app.drift`,
:mod:`~sarkit.app.plan`, :mod:`~sarkit.app.case`, :mod:`~sarkit.app.mass`) and the text and
JSON reports come from :mod:`sarkit.app.report`.

Exit codes: 0 success; 1 bad input (a file, a value or an option that cannot be
used: the message says what and how to fix it); 2 usage error (unknown command
or option); 3 an internal error in sarkit (a bug: please report it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

from sarkit._version import __version__
from sarkit.errors import SarkitError
from sarkit.text import describe_character, visible

__all__ = ["main"]

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

_EPILOG = """\
--out DIR: a new folder, an empty one, or an earlier output of the same command,
which is then replaced whole; never a folder with other files, the current folder
or one that holds an input. Written all at once: a failure leaves nothing partial.
exit codes: 0 ok, 1 bad input (the message says how to fix it), 2 usage error,
3 internal error (please report it)."""


# --- running the commands ----------------------------------------------------------------------


def _say(text: str, *, error: bool = False) -> None:
    """Print ``text`` on standard output (one line on standard error where ``error``), each
    control character written as a visible escape (:func:`sarkit.text.visible`): a name from
    the Python API or a file never reaches the terminal as an escape code, nor a message as
    several lines."""
    if error:
        print(visible(text, keep=""), file=sys.stderr)
    else:
        print(visible(text))


def _report(args: argparse.Namespace, text: str, summary, details=None) -> None:
    """Print ``--json``'s summary(), or the text (and details() with ``--verbose``)."""
    if getattr(args, "json", False):
        _say(json.dumps(summary(), indent=2, ensure_ascii=False, default=str))
    elif not args.quiet:
        _say(text)
        if getattr(args, "verbose", False) and details is not None:
            _say(details())


def _forcing_info(args: argparse.Namespace) -> int:
    from sarkit.app.report import forcing_summary
    from sarkit.forcing import describe

    reports = describe(args.files, units=args.units, time_origin=args.time_origin)
    if args.json:
        _say(json.dumps([forcing_summary(r) for r in reports], indent=2))
    else:
        _say("\n\n".join(r.to_text() for r in reports))
    per_file = [r for r in reports if r.label != "all files together"]
    together = [r for r in reports if r.label == "all files together"]
    usable = all(r.usable for r in per_file) or any(r.usable for r in together)
    return EXIT_OK if usable else EXIT_BAD_INPUT


def _objects(args: argparse.Namespace) -> int:
    from sarkit.app.report import object_summary, objects_table
    from sarkit.drift.leeway import search_objects

    text = " ".join(args.text) or None
    classes = search_objects(text, strict=True)
    if args.json:
        _say(json.dumps([object_summary(c) for c in classes], indent=2))
    else:
        _say(objects_table(classes))
    return EXIT_OK


def _progress_bar(args: argparse.Namespace):
    """A tqdm progress callback on a terminal, None otherwise (pipes, CI, --quiet)."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=1, unit="particle", unit_scale=True, desc="drifting", leave=False)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update, bar


@contextmanager
def _map_process(args: argparse.Namespace, function: str) -> Iterator:
    """The process that draws the command's map with ``function``, started first so that
    matplotlib loads while the command imports, reads and computes
    (:mod:`sarkit.app.mapprocess`); None with ``--no-map``. It ends with the command."""
    from sarkit.app.mapprocess import MapProcess

    maps = None if args.no_map else MapProcess.start(function)
    try:
        yield maps
    finally:
        if maps is not None:
            maps.close()


def _run_and_report(load_scenario: Callable, args: argparse.Namespace) -> int:
    """Run ``sarkit drift`` or ``demo`` on the scenario ``load_scenario()`` gives, and report."""
    with _map_process(args, "save_map") as maps:
        from sarkit.app.drift import run_scenario
        from sarkit.app.report import drift_details, drift_summary

        began = time.perf_counter()
        scenario = load_scenario()
        if args.command == "demo" and not (args.quiet or args.json):
            _say(f"demo: the bundled scenario, {scenario.name}")
        update, bar = _progress_bar(args)
        try:
            result = run_scenario(scenario, args.out, particles=args.particles, seed=args.seed,
                                  at=getattr(args, "at", None), progress=update,
                                  scheduler=getattr(args, "dask", None),
                                  allow_incomplete_forcing=getattr(
                                      args, "allow_incomplete_forcing", False),
                                  keep=args.keep, draw_map=not args.no_map, map_process=maps)
        finally:
            if bar is not None:
                bar.close()
    _report(args, result.summary(), lambda: drift_summary(args.command, result),
            lambda: drift_details(result, time.perf_counter() - began))
    if result.warning is not None and (args.quiet or args.json):  # else the summary has it
        _say(result.warning, error=True)
    return EXIT_OK


def _drift(args: argparse.Namespace) -> int:
    def load():
        from sarkit.files.scenario_toml import load_scenario

        return load_scenario(args.scenario)

    return _run_and_report(load, args)


def _demo(args: argparse.Namespace) -> int:
    def load():
        from sarkit.files.scenario_toml import default_scenario

        return default_scenario()

    return _run_and_report(load, args)


def _report_plan(args: argparse.Namespace, plan_file, run, update=None) -> None:
    """Print a plan (and the search update before it) as ``--quiet/--verbose/--json`` say."""
    from sarkit.app.report import plan_details, plan_summary, plan_text

    searched = None if update is None else (update.searched, update.update)
    assets = plan_file.assets if update is None else [item.asset for item in update.assets]
    _report(args, plan_text(run.plan, assets, run.files, update),
            lambda: plan_summary(args.command, run.plan, run.files, searched),
            lambda: plan_details(run.plan))


def _plan(args: argparse.Namespace) -> int:
    with _map_process(args, "save_plan_map") as maps:
        from sarkit.app.plan import run_plan
        from sarkit.files.planfile import load_plan_file

        plan_file = load_plan_file(args.plan)
        run = run_plan(plan_file, args.out, draw_map=not args.no_map, map_process=maps)
    _report_plan(args, plan_file, run)
    return EXIT_OK


def _pods(pairs: Sequence[str] | None) -> dict[str, float]:
    found: dict[str, float] = {}
    for pair in pairs or ():
        name, sep, value = pair.rpartition("=")
        try:
            pod = float(value)
        except ValueError:
            pod = float("nan")
        if not sep or not name.strip() or not 0.0 <= pod <= 1.0:
            raise SarkitError(f"--pod {pair!r} is not ASSET=POD with a POD from 0 to 1",
                              'give e.g. --pod "KN SAR Kresna 232=0.6"', "--pod")
        found[name.strip()] = pod
    return found


def _update(args: argparse.Namespace) -> int:
    with _map_process(args, "save_plan_map") as maps:
        from sarkit.app.plan import plan_inputs, read_flown, run_plan, run_update
        from sarkit.app.report import update_text
        from sarkit.files.outdir import check_target
        from sarkit.files.planfile import load_plan_file

        plan_file = load_plan_file(args.plan)
        check_target(args.out, "plan", plan_inputs(plan_file, args.searched))  # before drift
        update = run_update(plan_file, read_flown(args.searched), _pods(args.pod))
        if not (args.quiet or args.json):
            _say(update_text(update))
        run = run_plan(plan_file, args.out, trajectories=update.trajectories,
                       draw_map=not args.no_map, searched=args.searched,
                       assets=[item.asset for item in update.assets], flown=update.flown,
                       map_process=maps)
    _report_plan(args, plan_file, run, update)
    return EXIT_OK


def _case_export(args: argparse.Namespace) -> int:
    from sarkit.app.case import export_case

    result = export_case(args.plan, args.out, from_centre=args.from_centre,
                         to_centre=args.to_centre, persons=args.persons,
                         sitrep_number=args.sitrep_number)
    if not args.quiet:
        _say(result.sitrep)
        _say(f"wrote {result.path}")
    return EXIT_OK


def _case_import(args: argparse.Namespace) -> int:
    from sarkit.app.case import import_case

    result = import_case(args.package, args.out, check=not args.no_check)
    if not args.quiet:
        _say(result.summary())
    return EXIT_OK


def _mass(args: argparse.Namespace) -> int:
    from sarkit.app.mass import run_event
    from sarkit.files.casefile import load_case_file

    result = run_event(load_case_file(args.cases), args.out)
    _report(args, result.summary(), result.to_dict, result.details)
    return EXIT_OK


# --- the parser: one function per command --------------------------------------------------------


def _add_output_options(
    command: argparse.ArgumentParser,
    verbose_help: str = "also print the settings, the forcing, per-asset details and timing",
    json_keys: str = "see sarkit.app.report for its keys",
) -> None:
    """--quiet, --verbose and --json: one of them."""
    talk = command.add_mutually_exclusive_group()
    talk.add_argument("--quiet", action="store_true", help="print nothing but errors")
    talk.add_argument("--verbose", action="store_true", help=verbose_help)
    talk.add_argument("--json", action="store_true",
                      help=f"print one JSON summary for scripts instead of the text ({json_keys})")


def _add_run_options(command: argparse.ArgumentParser, at: bool) -> None:
    command.add_argument("--out", required=True, metavar="DIR",
                         help="folder for areas.geojson, areas.kml, trajectories.nc and map.png "
                              "(made where missing)")
    command.add_argument("--particles", type=int, metavar="N",
                         help="number of particles, a count (overrides the scenario's; "
                              "20000 or more for a real case)")
    command.add_argument("--seed", type=int, metavar="S",
                         help="seed of the random numbers, an integer (overrides the "
                              "scenario's; the same seed gives the same areas)")
    command.add_argument("--dask", metavar="ADDRESS|local",
                         help="drift on Dask: a scheduler address (tcp://host:8786) or 'local' "
                              "for this machine's cores; the same result (needs "
                              "pip install \"sarkit[dask]\")")
    command.add_argument("--no-map", action="store_true",
                         help="do not draw map.png (the other files are the same)")
    command.add_argument("--keep", choices=("auto", "all", "final"), default="auto",
                         help="what trajectories.nc keeps: every output time (all), or only the "
                              "last positions (final, for millions of particles); auto (the "
                              "default) keeps all unless it would pass 2 GiB or half the free "
                              "memory")
    if at:
        command.add_argument("--at", nargs="+", metavar="TIME",
                             help="valid times of the areas, ISO 8601 UTC, e.g. "
                                  "2024-06-11T02:00Z (default: the end of the run)")
    _add_output_options(command)


def _add_plan_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--out", required=True, metavar="DIR",
                         help="folder for plan.geojson, the GPX routes, plan.csv, "
                              "waypoints.csv and plan.png (made where missing)")
    command.add_argument("--no-map", action="store_true", help="do not draw plan.png")
    _add_output_options(command)


def _add_forcing_command(commands) -> None:
    """``sarkit forcing info``."""
    forcing = commands.add_parser(
        "forcing", help="inspect current and wind files", description="Inspect forcing files.",
        epilog="example:\n  sarkit forcing info cmems_uv.nc gfs_wind.nc\n\n" + _EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    forcing_commands = forcing.add_subparsers(dest="forcing_command", metavar="ACTION",
                                              required=True)
    info = forcing_commands.add_parser(
        "info",
        help="what sarkit finds in current/wind netCDF files, and why a file cannot serve",
        description=(
            "Print the velocity variables, units, grid type, box, time span and time step "
            "found in each file, and why a file cannot serve. Several files are also "
            "checked together (joined along time, u and v from separate files)."
        ),
        epilog=(
            "example:\n  sarkit forcing info data/andaman_synthetic_currents.nc "
            "data/andaman_synthetic_winds.nc\n\n" + _EPILOG
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    info.add_argument("files", nargs="+", metavar="FILE", help="netCDF files")
    info.add_argument(
        "--units",
        metavar="UNITS",
        help="units of velocity variables that state none, e.g. m/s, cm/s, knots",
    )
    info.add_argument(
        "--time-origin",
        metavar="TIME",
        help="start date for time units without one, e.g. 2024-03-20T00:00Z (UTC)",
    )
    info.add_argument("--json", action="store_true", help="print the reports as JSON")
    info.set_defaults(run=_forcing_info)


def _add_objects_command(commands) -> None:
    """``sarkit objects [TEXT]``."""
    objects = commands.add_parser(
        "objects",
        help="list the leeway classes of search objects (PIW-1, FISHING-VESSEL-1 ...)",
        description=(
            "List the 85 leeway classes of search objects (USCG: Allen & Plourde 1999,\n"
            "Allen 2005; as in SAROPS and OpenDrift) with their downwind and crosswind\n"
            "(right and left of downwind) slopes in % of the 10 m wind, and the divergence\n"
            "angle atan(mean |crosswind| / downwind). TEXT narrows the list: an id\n"
            "(FISHING-VESSEL-1), a number 1-85, or words of the name in any order (fishing\n"
            "vessel, person in water, life raft no ballast). Use the main class (mean\n"
            "values) unless more is known about the object."
        ),
        epilog="example:\n  sarkit objects fishing vessel\n\n" + _EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    objects.add_argument(
        "text", nargs="*", metavar="TEXT", help="id, number or words of the name (all if none)"
    )
    objects.add_argument(
        "--json", action="store_true", help="print the classes as JSON (SI units, m/s)"
    )
    objects.set_defaults(run=_objects)


def _add_drift_command(commands) -> None:
    """``sarkit drift SCENARIO.toml --out DIR``."""
    drift = commands.add_parser(
        "drift",
        help="drift a scenario and write its search areas (GeoJSON, netCDF, PNG map)",
        description=(
            "Run a scenario file: seed the uncertain last known position, drift the "
            "particles with the current, leeway and a random walk on the real coastline, "
            "and write the 50/90/95 % search areas (areas.geojson and areas.kml, all valid times), "
            "the "
            "trajectories (trajectories.nc) and a map (map.png) into DIR. The LKP radius is a "
            "containment radius: the boat is within it. The currents and winds must cover the "
            "box the drift can reach in the run (its fastest drift through them); a run they "
            "do not cover is refused unless --allow-incomplete-forcing is given."
        ),
        epilog=("example:\n  sarkit drift data/scenarios/andaman_fishing_boat.toml --out case1 "
                "--particles 20000 --at 2024-06-11T02:00Z 2024-06-12T02:00Z\n\n" + _EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    drift.add_argument("scenario", metavar="SCENARIO.toml", help="the scenario file")
    drift.add_argument("--allow-incomplete-forcing", action="store_true",
                       help="run even where the currents or winds cover less than the drift "
                            "can reach (refused otherwise): the areas are then shares of all "
                            "the probability afloat, the share that left the forcing included, "
                            "and are marked incomplete")
    _add_run_options(drift, at=True)
    drift.set_defaults(run=_drift)


def _add_demo_command(commands) -> None:
    """``sarkit demo --out DIR``."""
    demo = commands.add_parser(
        "demo",
        help="run the bundled Andaman Sea scenario (SYNTHETIC forcing)",
        description=(
            "Run the bundled default scenario -- an overloaded fishing boat adrift in the "
            "Andaman Sea, on SYNTHETIC monsoon forcing -- and write its outputs into DIR."
        ),
        epilog="example:\n  sarkit demo --out demo-output\n\n" + _EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_run_options(demo, at=False)
    demo.set_defaults(run=_demo)


def _add_plan_command(commands) -> None:
    """``sarkit plan PLAN.toml --out DIR``."""
    plan = commands.add_parser(
        "plan",
        help="plan a search: which asset searches which rectangle (GeoJSON, GPX, CSV, map)",
        description=(
            "Read a plan file (a drift scenario or trajectories, a roster of assets, the "
            "search window and the weather), give each asset that can reach the area in the "
            "window a rectangle and a parallel sweep, and write into DIR: plan.geojson "
            "(rectangles and tracks with asset, rcc, pattern, track_spacing_nm, coverage, "
            "pod, pos, start_time, end_time), one GPX route per asset, plan.csv (also "
            "printed), waypoints.csv (each asset's waypoints in decimal degrees and degrees "
            "and decimal minutes), plan.png, trajectories.nc and areas.geojson at mid-search. "
            "Assets "
            "left out are listed with the reason. The plan file format is in "
            "sarkit/data/example_plan.toml and sarkit.files.planfile."
        ),
        epilog="example:\n  sarkit plan sarkit/data/example_plan.toml --out plan1\n\n" + _EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    plan.add_argument("plan", metavar="PLAN.toml", help="the plan file")
    _add_plan_options(plan)
    plan.set_defaults(run=_plan)


def _add_update_command(commands) -> None:
    """``sarkit update PLAN.toml --searched SEARCHED... --out DIR``."""
    update = commands.add_parser(
        "update",
        help="after a search that found nothing: update the probabilities and plan again",
        description=(
            "The search update. SEARCHED is the folder (or plan.geojson) of a plan that was "
            "flown without finding the object; each of its rectangles lowers the probability "
            "of the particles inside it at the middle of its search by its POD (the planned "
            "POD, or the one given with --pod), and the weights are renormalised. PLAN.toml "
            "is the plan file of the next search period (its window and assets); its drift "
            "should be the one the searched plan used, e.g. trajectories = "
            "\"plan1/trajectories.nc\"; give the assets' new ready times. DIR receives the "
            "next plan, as sarkit plan writes it, with the updated trajectories and areas."
        ),
        epilog=("example:\n  sarkit plan period1.toml --out plan1\n"
                "  sarkit update period2.toml --searched plan1 --out plan2 "
                "--pod \"HTMS T.991=0.5\"\n\n" + _EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    update.add_argument("plan", metavar="PLAN.toml", help="the plan file of the next period")
    update.add_argument("--searched", required=True, nargs="+", metavar="SEARCHED",
                        help="plan folders (or plan.geojson files) searched without success, "
                             "in the order flown")
    update.add_argument("--pod", nargs="+", metavar="ASSET=POD",
                        help="POD achieved by an asset where it differs from the plan "
                             "(0 where it did not search)")
    _add_plan_options(update)
    update.set_defaults(run=_update)


def _add_case_command(commands) -> None:
    """``sarkit case export`` and ``sarkit case import``."""
    case = commands.add_parser(
        "case", help="exchange a case with another centre: one package file, and a SITREP",
        description=(
            "Case exchange between centres. export writes one package file (a zip) with the "
            "scenario (its forcing files included), the roster, the plan file, areas.geojson, "
            "plan.geojson, a SITREP in the IAMSAR layout and a manifest of sizes and "
            "checksums. import checks a package as untrusted input (names, sizes, checksums, "
            "schema and version; nothing in it is executed), re-runs it and requires the same "
            "areas and plan byte for byte, then writes DIR, all or nothing."),
        epilog=("example:\n  sarkit case export plan.toml --out case.sarkit.zip "
                "--from \"JRCC Jakarta\" --to \"MRCC Port Blair\"\n"
                "  sarkit case import case.sarkit.zip --out case1\n"
                "  sarkit plan case1/plan.toml --out plan2\n\n" + _EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", help="write a case package from a plan file",
        description="Run the plan file's drift and plan and write the case package.",
        epilog=("example:\n  sarkit case export plan.toml --out case.sarkit.zip "
                "--from \"JRCC Jakarta\" --to \"MRCC Port Blair\" --persons 120\n\n" + _EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    export.add_argument("plan", metavar="PLAN.toml", help="a plan file whose drift is a scenario")
    export.add_argument("--out", required=True, metavar="PACKAGE",
                        help="the package file to write, e.g. CASE.sarkit.zip")
    export.add_argument("--from", dest="from_centre", default="NOT GIVEN", metavar="CENTRE",
                        help="the sending centre, for the SITREP")
    export.add_argument("--to", dest="to_centre", default="NOT GIVEN", metavar="CENTRE",
                        help="the receiving centre, for the SITREP")
    export.add_argument("--persons", type=int, metavar="N", help="persons aboard, where known")
    export.add_argument("--sitrep-number", type=int, default=1, metavar="N",
                        help="the SITREP's number in the case (default 1)")
    export.add_argument("--quiet", action="store_true", help="print nothing but errors")
    export.set_defaults(run=_case_export)
    load = actions.add_parser(
        "import", help="check, re-run and unpack a case package from another centre",
        description=("Check the package (refused with one line if broken, unsafe, oversized "
                     "or from a newer sarkit), re-run it, compare the areas and plan byte for "
                     "byte, and write its files into DIR (a new folder)."),
        epilog="example:\n  sarkit case import case.sarkit.zip --out case1\n\n" + _EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    load.add_argument("package", metavar="PACKAGE", help="the package file")
    load.add_argument("--out", required=True, metavar="DIR", help="a new folder for the case")
    load.add_argument("--no-check", action="store_true",
                      help="do not re-run the case (take the sender's areas as they are)")
    load.add_argument("--quiet", action="store_true", help="print nothing but errors")
    load.set_defaults(run=_case_import)


def _add_mass_command(commands) -> None:
    """``sarkit mass CASES.toml --out DIR``."""
    mass = commands.add_parser(
        "mass",
        help="several boats at once: one pool of assets from several centres, joint plan",
        description=(
            "Read a case file (several cases, each a drift scenario with the persons aboard; "
            "one roster of assets from several centres; search periods; weather), run every "
            "case, give the assets to cases and rectangles period by period to maximise the "
            "expected number of people found (with the update after each period), compare "
            "with the rule 'each country searches the cases in its own region', find when "
            "each case's probability enters another search and rescue region, and write into "
            "DIR: plan.geojson, plan.csv, handover.csv, map.png and cases/<id>/areas.geojson "
            "and trajectories.nc. The case file format is in sarkit/data/example_cases.toml "
            "and sarkit.files.casefile."),
        epilog=("example:\n  sarkit mass sarkit/data/example_cases.toml --out event1\n\n"
                + _EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    mass.add_argument("cases", metavar="CASES.toml", help="the case file")
    mass.add_argument("--out", required=True, metavar="DIR", help="folder for the outputs")
    _add_output_options(mass, verbose_help="also print every idle asset with the reason, "
                                           "per period", json_keys="EventResult.to_dict")
    mass.set_defaults(run=_mass)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``sarkit`` command."""
    parser = argparse.ArgumentParser(
        prog="sarkit",
        description=(
            "Maritime search-and-rescue drift and search planning for rescue coordination\n"
            "centres: where a missing boat has drifted, the 50/90/95 % search areas, and\n"
            "which asset searches where. Units: distances NM, speeds kt (m/s in forcing\n"
            "files), times ISO 8601 UTC (2024-06-11T02:00Z), positions decimal degrees.\n"
            "Run `sarkit COMMAND --help` for a command's options and an example."),
        epilog=("examples:\n"
                "  sarkit demo --out demo-output\n"
                "  sarkit objects fishing\n"
                "  sarkit forcing info cmems_uv.nc gfs_wind.nc\n"
                "  sarkit drift my_case.toml --out case1 --at 2024-06-11T02:00Z\n"
                "  sarkit plan plan1.toml --out plan1\n"
                "  sarkit update plan2.toml --searched plan1 --out plan2\n\n" + _EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sarkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add_command in (_add_forcing_command, _add_objects_command, _add_drift_command,
                        _add_demo_command, _add_plan_command, _add_update_command,
                        _add_case_command, _add_mass_command):
        add_command(commands)
    return parser


def _check_arguments(args: argparse.Namespace) -> None:
    """Refuse a NUL character in any argument: no file or folder can be named with one."""
    for key, value in vars(args).items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and "\x00" in text:
                option = "--" + key.replace("_", "-")
                raise SarkitError(f"contains the control character {describe_character(chr(0))} "
                                  f"at position {text.index(chr(0)) + 1}",
                                  "remove it: no file, folder or name holds one", option)


def _quiet_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's final flush of a closed pipe
    prints nothing."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # stdout replaced (tests, notebooks)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _check_arguments(args)
        return args.run(args)
    except SarkitError as exc:
        _say(f"sarkit: error: {exc}", error=True)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader stopped (``sarkit objects | head``): not an error
        _quiet_stdout()
        return 0
    except OSError as exc:  # a file or folder that cannot be read or written
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        _say(f"sarkit: error: {exc.strerror or exc}{where}. Fix: check that the path exists "
             "and that you may read and write there", error=True)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _say("sarkit: interrupted", error=True)
        return 130
    except Exception as exc:
        if os.environ.get("SARKIT_DEBUG"):
            raise
        _say(
            f"sarkit: internal error: {type(exc).__name__}: {exc} (this is a bug in sarkit; "
            "rerun with SARKIT_DEBUG=1 for the traceback and please report it)",
            error=True,
        )
        return EXIT_INTERNAL


def run() -> NoReturn:
    """The ``sarkit`` command: :func:`main`, then leave without the interpreter's teardown
    (:func:`~sarkit.app.leave.leave`), with :func:`main`'s exit code."""
    from sarkit.app.leave import leave

    leave(main())


if __name__ == "__main__":
    run()
