"""The reference page of every key of sarkit's input files, written from the readers themselves.

``docs/input_reference.md`` lists, for each kind of file a user writes (scenario, plan, case,
roster in TOML or CSV), every table and key: its type, unit, allowed values, default, an
example and what it means. It cannot drift from the code, because it is not written by hand:

* :func:`record_readers` runs each reader over complete example documents (written here, every
  table and variant exercised: [lkp], [track], [area], [[scenario]], files, constant and
  synthetic forcing, inline assets and rosters ...) inside :func:`sarkit.files.checked.recording`,
  which notes the keys each table allows (``only``) and what each accessor asks of each key;
* the meaning (and unit) of each key is the ``KEY_HELP`` dict beside each reader;
* :func:`reference_text` joins the two, refusing a key allowed but not documented, a key
  documented but not allowed, and a key no example reads (:class:`KeyReferenceError`).

Run ``python -m sarkit.files.reference`` to write the page (``--check`` to compare it);
``tests/files/test_reference.py`` fails when the committed page differs.
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from sarkit.files import casefile, planfile, roster, scenario_toml
from sarkit.files.atomic import atomic_path
from sarkit.files.checked import KeyHelp, KeyRecorder, TableRecord, recording
from sarkit.files.tomlwrite import dumps

__all__ = ["COMMAND", "DOCUMENTS", "PAGE", "Document", "KeyReferenceError", "example_files",
           "main", "record_readers", "reference_text"]

PAGE = Path("docs") / "input_reference.md"
"""The page, relative to the repository root."""

COMMAND = "python -m sarkit.files.reference"
"""The command that writes the page (run in the repository root)."""


class KeyReferenceError(Exception):
    """The readers and their ``KEY_HELP`` disagree: a programming error, named with its fix."""


@dataclass(frozen=True)
class Document:
    """One kind of input file on the page.

    Attributes
    ----------
    name : str
        Its name in :func:`example_files` (``"scenario"``).
    recorded : str
        Its name in the recorder: the reader's error class (``"ScenarioError"``), ``":csv"``
        for the rows of a CSV table.
    title : str
        The section's title.
    noun : str
        The file in a sentence (``"a scenario file"``).
    about : str
        What the file is for and which command reads it (markdown).
    help : mapping of str to KeyHelp
        The reader's ``KEY_HELP``.
    prefix : str
        Where the keys are in ``help``: ``"asset"`` for the columns of a CSV roster.
    load : callable
        The reader: a path in, the checked contents out.
    """

    name: str
    recorded: str
    title: str
    noun: str
    about: str
    help: Mapping[str, KeyHelp]
    load: Callable[[Path], Any]
    prefix: str = ""


DOCUMENTS = (
    Document("scenario", "ScenarioError", "Scenario file", "a scenario file",
             "What drifted, where and when it was last known, how long to drift and on which "
             "currents and winds: `sarkit drift SCENARIO.toml`, the `[drift]` of a plan file, "
             "the `scenario` of a case. Read by `sarkit/files/scenario_toml.py`. Give exactly "
             "one of `[lkp]`, `[track]`, `[area]` or several `[[scenario]]` tables.",
             scenario_toml.KEY_HELP, scenario_toml.load_scenario),
    Document("plan", "PlanFileError", "Plan file", "a plan file",
             "A search plan: the drift, the assets, the search window and the weather: "
             "`sarkit plan PLAN.toml`, `sarkit update PLAN.toml`, `sarkit case export`. Read by "
             "`sarkit/files/planfile.py`.", planfile.KEY_HELP, planfile.load_plan_file),
    Document("case", "CaseFileError", "Case file", "a case file",
             "Several concurrent cases, one pool of assets, search periods one after the other: "
             "`sarkit mass CASES.toml`. Read by `sarkit/files/casefile.py`.",
             casefile.KEY_HELP, casefile.load_case_file),
    Document("roster", "BadValueError", "Roster, TOML", "a roster",
             "The assets on hand, one `[[asset]]` table each: the `roster` of a plan or case "
             "file, `sarkit.load_roster`. Read by `sarkit/files/roster.py`. Types and centres "
             "are looked up in `sarkit/tables/asset_types.csv` and `sarkit/tables/rcc.csv`.",
             roster.KEY_HELP, roster.load_roster),
    Document("roster-csv", "BadValueError:csv", "Roster, CSV", "a CSV roster",
             "The same roster as a spreadsheet: a header row of these columns, one asset a row; "
             "empty cells are absent, blank lines and lines starting with `#` are skipped. The "
             "base is two columns, `base_lon` and `base_lat`.",
             roster.KEY_HELP, roster.load_roster, prefix="asset"),
)
"""The kinds of input file, in the page's order."""

_PACKAGE = (
    "## Case package\n\n"
    "A case package (`CASE.sarkit.zip`, `sarkit case export` and `sarkit case import`) holds "
    "`scenario.toml`, `plan.toml` and, where the plan names one, `roster.toml`: a scenario "
    "file, a plan file and a roster as above, read by the same readers once the package is "
    "checked (`sarkit/files/package_reader.py`: names, sizes, checksums, TOML syntax) and "
    "unpacked. Their forcing paths point into the package's `forcing/` folder.\n")


# --------------------------------------------------------------------------- examples


def _assets() -> list[dict[str, Any]]:
    return [
        {"name": "KN SAR Kresna 232", "type": "kn-sar-class-2",
         "centre": "kantor-sar-banda-aceh", "ready": "2024-06-10T08:00Z",
         "cruise_speed_kt": 18, "search_speed_kt": 10, "endurance_h": 72,
         "search_height_ft": 14, "turnaround_h": 0},
        {"name": "CN-235 P-8302", "type": "cn235-mpa", "base": [98.67, 3.64],
         "ready": "2024-06-10T23:00Z", "search_speed_kt": 150, "search_height_ft": 1000,
         "night_sensor": "FLIR", "night_sweep_width_nm": 1.2},
    ]


def _run(**extra: Any) -> dict[str, Any]:
    return {"duration_hours": 24, **extra}


def _scenarios() -> dict[str, dict[str, Any]]:
    synthetic = {"synthetic": "andaman_monsoon", "season": "southwest"}
    lkp = {"time": "2024-06-10T02:00:00Z", "end_time": "2024-06-10T06:00:00Z", "lon": 95.8,
           "lat": 9.2, "radius_nm": 5}
    track = {"start": [95.5, 9.0], "end": [96.0, 9.5], "start_time": "2024-06-10T02:00:00Z",
             "end_time": "2024-06-10T06:00:00Z", "radius_nm": 2}
    area = {"polygon": [[95.5, 9.0], [96.0, 9.0], [96.0, 9.5]], "time": "2024-06-10T02:00:00Z",
            "end_time": "2024-06-10T04:00:00Z"}
    return {
        "scenario_lkp.toml": {
            "name": "Fishing boat adrift", "object": "FISHING-VESSEL-1", "particles": 200,
            "seed": 1, "lkp": lkp,
            "run": _run(timestep_minutes=10, output_every_minutes=60, diffusivity_m2_s=5,
                        jibe_probability_per_hour=0.04),
            "forcing": {"currents": {"constant": [0.2, 0.1]}, "winds": ["winds.nc"],
                        "units": "m/s", "time_origin": "2024-01-01"}},
        "scenario_track.toml": {
            "object": "FISHING-VESSEL-1", "track": track,
            "run": {"end": "2024-06-11T06:00:00Z"},
            "forcing": {"currents": synthetic, "winds": {"constant": [3.0, 4.0]}}},
        "scenario_area.toml": {
            "object": 1, "area": area, "run": _run(),
            "forcing": {"currents": "currents.nc", "winds": synthetic}},
        "scenario_models.toml": {
            "object": "FISHING-VESSEL-1", "lkp": lkp, "run": _run(),
            "forcing": {
                "currents": [{"name": "CMEMS", "weight": 0.6, "files": ["currents.nc"]},
                             {"name": "HYCOM", "weight": 0.4, "constant": [0.2, 0.1]},
                             {"name": "demo", "weight": 0.1, **synthetic}],
                "winds": [{"name": "GFS", "weight": 0.5, "files": ["winds.nc"],
                           "members": "all"},
                          {"name": "ERA5", "weight": 0.5, "constant": [3.0, 4.0]}]}},
        "scenario_capsize.toml": {
            "object": "FISHING-VESSEL-1", "lkp": lkp, "run": _run(),
            "transition": [{"to": "PIW-1", "rate_per_hour": 0.02},
                           {"from": "FISHING-VESSEL-1", "to": "LIFE-RAFT-DB-10",
                            "rate_per_hour_per_ms": 0.01, "wind_threshold_ms": 10}],
            "forcing": {"currents": synthetic, "winds": synthetic}},
        "scenario_member.toml": {
            "object": "FISHING-VESSEL-1", "lkp": lkp, "run": _run(),
            "forcing": {"currents": {"files": ["currents.nc"], "member": 3},
                        "winds": synthetic}},
        "scenario_weighted.toml": {
            "object": "FISHING-VESSEL-1", "seed": 2,
            "scenario": [
                {"name": "drifting since the last call", "weight": 0.5, "particles": 100,
                 "lkp": lkp},
                {"name": "under way to the south", "weight": 0.3, "particles": 60,
                 "object": "PIW-1", "track": track},
                {"weight": 0.2, "particles": 40, "area": area}],
            "run": _run(), "forcing": {"currents": synthetic, "winds": synthetic}},
    }


def _plans() -> dict[str, dict[str, Any]]:
    weather = {"visibility_nm": 10, "wind_kt": 18, "seas_m": 1.5, "fatigued": False}
    search = {"start": "2024-06-11T00:00Z", "end": "2024-06-11T06:00Z"}
    return {
        "plan_scenario.toml": {
            "name": "First light search", "roster": "roster.toml",
            "drift": {"scenario": "scenario_lkp.toml", "particles": 500, "seed": 3},
            "search": {**search, "cell_nm": 1.0}, "weather": weather,
            "sweep_width": {"object": "power_boat_33ft", "tables": "uscg"}},
        "plan_trajectories.toml": {
            "drift": {"trajectories": "out/trajectories.nc"}, "search": search,
            "weather": {"visibility_nm": 5}, "sweep_width": {"tables": "natsar2023"},
            "asset": _assets()},
    }


def _cases() -> dict[str, dict[str, Any]]:
    weather = {"visibility_nm": 10, "wind_kt": 18, "seas_m": 1.5, "fatigued": True}
    inline = _scenarios()["scenario_track.toml"]
    return {
        "cases_roster.toml": {
            "name": "Andaman Sea, 14 May", "coordinator": "MRCC Bangkok",
            "roster": "roster.csv", "regions": "srr.geojson",
            "search": {"start": "2024-06-11T00:00Z", "period_hours": 6, "periods": 3,
                       "cell_nm": 1.0},
            "weather": weather, "sweep_width": {"tables": "uscg"},
            "case": [{"id": "A", "name": "Boat off Rakhine", "scenario": "scenario_lkp.toml",
                      "particles": 200, "seed": 1, "persons": 120, "children": 40,
                      "women": 30, "injured": 5},
                     {"id": "B", "scenario": "default", "persons": 1}]},
        "cases_inline.toml": {
            "search": {"start": "2024-06-11T00:00Z", "period_hours": 4}, "weather": weather,
            "asset": _assets(), "case": [{"id": "C", "persons": 60, "scenario": inline}]},
    }


def _roster_csv() -> str:
    columns = list(roster.CSV_KEYS)
    rows = []
    for asset in _assets():
        cells = dict(asset)
        if "base" in cells:
            cells["base_lon"], cells["base_lat"] = cells.pop("base")
        rows.append([cells.get(column, "") for column in columns])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return "# the assets on hand\n" + buffer.getvalue()


def example_files(folder: str | Path) -> dict[str, list[Path]]:
    """Write the example documents into ``folder``: every table and key of every kind of file.

    Parameters
    ----------
    folder : str or path-like
        An empty folder; the files refer to each other by relative paths.

    Returns
    -------
    dict of str to list of Path
        For each :attr:`Document.name`, its example files.
    """
    folder = Path(folder)
    for name in ("currents.nc", "winds.nc"):
        (folder / name).write_bytes(b"")  # the scenario reader checks that they are files
    (folder / "srr.geojson").write_bytes((files("sarkit") / "tables" / "srr.geojson")
                                         .read_bytes())
    (folder / "roster.csv").write_text(_roster_csv(), encoding="utf-8")
    written: dict[str, list[Path]] = {"roster-csv": [folder / "roster.csv"]}
    documents = {"scenario": _scenarios(), "plan": _plans(), "case": _cases(),
                 "roster": {"roster.toml": {"asset": _assets()}}}
    for kind, documents_of_kind in documents.items():
        written[kind] = []
        for name, document in documents_of_kind.items():
            (folder / name).write_text(dumps(document), encoding="utf-8")
            written[kind].append(folder / name)
    return written


def record_readers(folder: str | Path) -> KeyRecorder:
    """Read every example document (:func:`example_files`) while recording the readers.

    Parameters
    ----------
    folder : str or path-like
        An empty folder for the example files.

    Returns
    -------
    KeyRecorder
        Every table and key the readers read.
    """
    examples = example_files(folder)
    with recording() as recorder:
        for document in DOCUMENTS:
            for path in examples[document.name]:
                document.load(path)
    return recorder


# --------------------------------------------------------------------------- the page


def _help_key(document: Document, path: str, key: str) -> str:
    return ".".join(part for part in (document.prefix, path, key) if part)


def _typed(calls: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The accessor calls of a key, those that read it unchecked only where nothing else did."""
    return [call for call in calls if call["kind"] != "value"] or list(calls)


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _kind(call: dict[str, Any]) -> str:
    kind = call["kind"]
    if kind == "pair":
        return "[lon, lat]" if call["lon_lat"] else "two numbers"
    if kind == "array":
        return f"list of {call['what']}"
    return {"number": "number", "integer": "whole number", "text": "text",
            "flag": "true or false", "time": "date and time", "table": "table",
            "tables": "array of tables", "value": "any"}[kind]


def _bounds(call: dict[str, Any]) -> str:
    kind = call["kind"]
    if kind in ("number", "integer"):
        low, high = call["low"], call["high"]
        above = call.get("above", False)
        lower = None if low is None else f"{'above' if above else 'at least'} {_number(low)}"
        if lower and high is not None:
            return (f"{_number(low)} to {_number(high)}" if not above
                    else f"{lower}, at most {_number(high)}")
        return lower or (f"at most {_number(high)}" if high is not None else "")
    if kind == "text":
        return ", ".join(f"`{choice}`" for choice in call["choices"] or ()) or "one line"
    if kind == "time":
        return "ISO 8601, UTC unless zoned"
    if kind == "pair" and call["lon_lat"]:
        return "lon -360 to 360, lat -90 to 90"
    if kind == "array":
        return f"at least {call['min_items']}"
    return ""


def _default(calls: Sequence[dict[str, Any]]) -> str:
    required = {call["required"] for call in calls}
    if required == {True}:
        return "required"
    if required == {True, False}:
        return "see meaning"
    defaults = [call["default"] for call in calls if call.get("default") is not None]
    return _number(defaults[0]) if defaults else "optional"


def _example(call: dict[str, Any], key: str, path: str, csv_row: bool) -> str:
    kind = call["kind"]
    if kind in ("table", "tables"):
        inner = f"{path}.{key}" if path else key
        return f"`[{inner}]`" if kind == "table" else f"`[[{inner}]]`"
    example = call["example"]
    if csv_row:
        return f"`{example.strip(chr(34))}`"
    return f"`{key} = {example}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|") or " "


def _row(document: Document, record: TableRecord, key: str) -> list[str]:
    calls = _typed(record.keys[key])
    first = calls[0]
    info = document.help[_help_key(document, record.path, key)]
    kinds = list(dict.fromkeys(_kind(call) for call in calls))
    return [f"`{key}`", info.kind or " or ".join(kinds), info.unit,
            info.bounds if info.bounds is not None else _bounds(first),
            info.default if info.default is not None else _default(calls),
            _example(first, key, record.path, document.recorded.endswith(":csv")), info.text]


def _signature(record: TableRecord) -> tuple:
    """What a table's keys are and how each is read, whatever the order they were met in."""
    return tuple(sorted((key, sorted({repr(call) for call in _typed(record.keys.get(key, []))}))
                        for key in record.allowed))


def _order(records: Mapping[str, TableRecord]) -> list[TableRecord]:
    """The tables of a document, each after its parent and in the order its parent allows."""
    def place(path: str) -> tuple[int, ...]:
        parts = path.split(".") if path else []
        indices, parent = [], ""
        for part in parts:
            allowed = records[parent].allowed if parent in records else []
            indices.append(allowed.index(part) if part in allowed else len(allowed))
            parent = f"{parent}.{part}" if parent else part
        return tuple(indices)

    return sorted(records.values(), key=lambda record: place(record.path))


def _heading(record: TableRecord, csv_row: bool) -> str:
    if csv_row:
        return "Columns"
    if not record.path:
        return "Top level"
    return f"`[[{record.path}]]`" if record.array else f"`[{record.path}]`"


def _check(recorder: KeyRecorder) -> list[str]:
    """Every disagreement of the readers and their ``KEY_HELP``, each with its fix."""
    problems = []
    documented: dict[int, set[str]] = {}
    for document in DOCUMENTS:
        used = documented.setdefault(id(document.help), set())
        for (name, path), record in recorder.tables.items():
            if name != document.recorded:
                continue
            where = f"{document.title} {_heading(record, False)}"
            for key in record.keys:
                if key not in record.allowed:
                    problems.append(f"{where}: `{key}` is read but not in the table's only()")
            for key in record.allowed:
                help_key = _help_key(document, path, key)
                used.add(help_key)
                if not _typed(record.keys.get(key, [])):
                    problems.append(f"{where}: no example reads `{key}`: add it to the examples "
                                    "in sarkit/files/reference.py")
    for document in DOCUMENTS:
        for help_key in document.help:
            if help_key not in documented[id(document.help)]:
                problems.append(f"{document.title}: KEY_HELP documents `{help_key}`, which the "
                                "reader does not accept: remove it or correct its name")
    return problems


def _documented(document: Document, record: TableRecord) -> bool:
    return any(_help_key(document, record.path, key) in document.help for key in record.allowed)


def reference_text(recorder: KeyRecorder | None = None) -> str:
    """The reference page (markdown) of every key of every kind of input file.

    Parameters
    ----------
    recorder : KeyRecorder, optional
        What the readers read (:func:`record_readers`); by default they are run here over the
        example documents in a temporary folder.

    Returns
    -------
    str

    Raises
    ------
    KeyReferenceError
        Where a reader allows a key its ``KEY_HELP`` does not explain, explains a key it does
        not allow, or no example document reads a key.
    """
    if recorder is None:
        with tempfile.TemporaryDirectory(prefix="sarkit-reference-") as folder:
            recorder = record_readers(folder)
    problems = _check(recorder)
    lines = [
        "# Input reference: every key of sarkit's input files",
        "",
        f"<!-- Written by `{COMMAND}` from the readers; do not edit by hand. -->",
        "",
        "Every file you write for sarkit is read by one checked reader "
        "(`sarkit/files/checked.py`): each key is checked for its type and range, a missing "
        "key is named with an example, and a key not listed here is refused with the closest "
        "known one. This page is written from that reader: the types, ranges, defaults and "
        "examples are the ones it checks, the meanings sit beside each reader (`KEY_HELP`), "
        f"and `tests/files/test_reference.py` fails when the page and the code differ "
        f"(`{COMMAND}` writes it again).",
        "",
        "Times are ISO 8601 (`2024-06-10T02:00Z`; UTC unless zoned, as text or a TOML date "
        "and time); positions are longitude then latitude in degrees; distances in nautical "
        "miles (NM) and speeds in knots (kt) where the key's name ends in `_nm` or `_kt`.",
        "",
        *[f"- [{document.title}](#{document.title.lower().replace(',', '').replace(' ', '-')})"
          for document in DOCUMENTS],
        "- [Case package](#case-package)",
        "",
    ]
    full: list[tuple[Document, TableRecord]] = []
    for document in DOCUMENTS:
        records = {path: record for (name, path), record in recorder.tables.items()
                   if name == document.recorded}
        full += [(document, record) for record in _order(records)
                 if _documented(document, record)]
    for document in DOCUMENTS:
        csv_row = document.recorded.endswith(":csv")
        records = {path: record for (name, path), record in recorder.tables.items()
                   if name == document.recorded}
        lines += [f"## {document.title}", "", document.about, ""]
        for record in _order(records):
            heading = _heading(record, csv_row)
            lines += [f"### {heading}", ""]
            parent, _, name = record.path.rpartition(".")
            about = document.help.get(_help_key(document, parent, name)) if record.path else None
            if about is not None:
                lines += [about.text[0].upper() + about.text[1:] + ".", ""]
            if not _documented(document, record):
                same = next(((other, theirs) for other, theirs in full
                             if _signature(theirs) == _signature(record)), None)
                if same is None:
                    problems.append(f"{document.title} {heading}: no key is in KEY_HELP and no "
                                    "documented table has the same keys: add them to KEY_HELP")
                    continue
                other, theirs = same
                where = "above" if other is document else f"in {other.noun}"
                lines += [f"The keys of {_heading(theirs, False)} {where}: "
                          f"{', '.join(f'`{key}`' for key in record.allowed)}.", ""]
                continue
            rows = []
            for key in record.allowed:
                if _help_key(document, record.path, key) not in document.help:
                    problems.append(f"{document.title} {heading}: `{key}` has no KEY_HELP "
                                    "entry: explain it beside its reader")
                elif _typed(record.keys.get(key, [])):
                    rows.append(_row(document, record, key))
            header = ["Column" if csv_row else "Key", "Type", "Unit", "Allowed", "Default",
                      "Example", "Meaning"]
            lines += ["| " + " | ".join(header) + " |",
                      "|" + "---|" * len(header),
                      *("| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows),
                      ""]
    if problems:
        raise KeyReferenceError("the readers and their KEY_HELP disagree:\n  "
                                + "\n  ".join(dict.fromkeys(problems)))
    return "\n".join([*lines, _PACKAGE])


def main(argv: Sequence[str] | None = None) -> int:
    """Write the page (``PATH``, default :data:`PAGE`), or with ``--check`` compare it.

    Parameters
    ----------
    argv : sequence of str, optional
        ``[--check] [PATH]``; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0, or 1 where ``--check`` finds the page out of date.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    paths = [arg for arg in args if arg != "--check"]
    page = Path(paths[0]) if paths else PAGE
    text = reference_text()
    if check:
        current = page.read_text(encoding="utf-8") if page.is_file() else ""
        if current != text:
            sys.stderr.write(f"{page} is out of date: run `{COMMAND}`\n")
            return 1
        return 0
    with atomic_path(page) as temporary:
        temporary.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {page}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
