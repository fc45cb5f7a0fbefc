"""The ``sarkit mass`` subcommand (registered by :func:`sarkit.app.cli.build_parser`)."""

from __future__ import annotations

import argparse
import json

__all__ = ["add_mass_command"]


def _mass(args: argparse.Namespace) -> int:
    from sarkit.app.mass import run_event
    from sarkit.files.casefile import load_case_file

    result = run_event(load_case_file(args.cases), args.out)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False, default=str))
    elif not args.quiet:
        print(result.summary())
        if args.verbose:
            print(result.details())
    return 0


def add_mass_command(commands, epilog: str, add_output_options) -> None:
    """Add ``sarkit mass CASES.toml --out DIR`` to the subcommands, with the
    --quiet/--verbose/--json options of the others (``add_output_options``)."""
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
                + epilog),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    mass.add_argument("cases", metavar="CASES.toml", help="the case file")
    mass.add_argument("--out", required=True, metavar="DIR", help="folder for the outputs")
    add_output_options(mass, verbose_help="also print every idle asset with the reason, "
                                          "per period", json_keys="EventResult.to_dict")
    mass.set_defaults(run=_mass)
