"""The ``sarkit`` command line.

Exit codes: 0 success; 1 bad input (a file, a value or an option that cannot be
used: the message says what and how to fix it); 2 usage error (unknown command
or option); 3 an internal error in sarkit (a bug: please report it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from sarkit import __version__
from sarkit.errors import SarkitError

__all__ = ["main"]

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

_EPILOG = """\
exit codes: 0 ok, 1 bad input (the message says how to fix it), 2 usage error,
3 internal error (please report it)."""


def _forcing_info(args: argparse.Namespace) -> int:
    from sarkit.forcing import describe

    reports = describe(args.files, units=args.units, time_origin=args.time_origin)
    if args.json:
        print(json.dumps([_report_dict(r) for r in reports], indent=2))
    else:
        print("\n\n".join(r.to_text() for r in reports))
    per_file = [r for r in reports if r.label != "all files together"]
    together = [r for r in reports if r.label == "all files together"]
    usable = all(r.usable for r in per_file) or any(r.usable for r in together)
    return EXIT_OK if usable else EXIT_BAD_INPUT


def _report_dict(report) -> dict:
    return {
        "file": report.label,
        "usable": report.usable,
        "problems": list(report.problems),
        "fields": [
            {
                "quantity": f.quantity.value,
                "variables": list(f.components),
                "usable": f.usable,
                "details": list(f.lines),
                "problems": list(f.problems),
            }
            for f in report.fields
        ],
    }


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``sarkit`` command."""
    parser = argparse.ArgumentParser(
        prog="sarkit",
        description="Maritime search-and-rescue drift and search planning.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sarkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    forcing = commands.add_parser(
        "forcing", help="inspect current and wind files", description="Inspect forcing files."
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except SarkitError as exc:
        print(f"sarkit: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("sarkit: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("SARKIT_DEBUG"):
            raise
        print(
            f"sarkit: internal error: {type(exc).__name__}: {exc} (this is a bug in sarkit; "
            "rerun with SARKIT_DEBUG=1 for the traceback and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
