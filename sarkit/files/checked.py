"""The one checked reader of the files a user writes: TOML documents and CSV tables.

Every reader of sarkit's input files (scenario, plan, case and roster files, the TOML inside a
case package) reads through this module, so that each problem is found the same way and told
in the same words:

* :func:`read_text` reads a file of at most :data:`MAX_BYTES` as UTF-8 (a bad byte is named by
  its line and column); :func:`parse_toml` parses TOML (a syntax error is named by its line and
  column); :func:`read_toml` does both; :func:`read_csv` reads a CSV table with a header row;
* :class:`Table` is a TOML table (or a CSV row) being read: each accessor checks one key (a
  number in its range and finite, a whole number, text without control characters, a time in
  ISO 8601, a [lon, lat] pair, an array, a table, an array of tables), an unknown key is
  refused with the closest known one.

The reference page of every key (``docs/input_reference.md``, :mod:`sarkit.files.reference`)
is written from this module too: inside :func:`recording` (and only there) each table notes
the keys it allows and what each accessor asks of a key (its kind, range, choices, default and
example) in a :class:`KeyRecorder`; each reader keeps the meaning of its keys in one dict of
:class:`KeyHelp` beside its code.

Errors are the reader's own error class (a :class:`~sarkit.errors.SarkitError`: each reader
passes its class in), naming the file as the source and the key as ``lkp.radius_nm: ...``.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import os
import tomllib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sarkit.errors import SarkitError
from sarkit.text import CONTROL_FIX, control_problem
from sarkit.times import parse_time

__all__ = ["MAX_BYTES", "MAX_INTEGER", "KeyHelp", "KeyRecorder", "Table", "TableRecord",
           "decode_text", "describe", "parse_toml", "read_csv", "read_text", "read_toml",
           "recording"]

MAX_INTEGER = 2**63 - 1
"""The largest whole number read: every one ends in a 64-bit integer (numpy, numba, netCDF)."""

MAX_BYTES = 16 * 2**20
"""The largest input file read, bytes: a scenario, plan, case or roster file is kilobytes."""

_TIME_EXAMPLE = '"2024-03-20T06:00:00Z"'
_TYPE_WORDS = {bool: "true/false", int: "a whole number", float: "a number", str: "text",
               list: "a list", dict: "a table", datetime: "a date and time", date: "a date"}

Source = str | os.PathLike | None


# --------------------------------------------------------------------------- files


def decode_text(data: bytes, error: type[SarkitError], source: Source, *,
                name: str | None = None, fix: str | None = None) -> str:
    """``data`` as UTF-8 text; ``error`` naming the line and column of the first bad byte.

    ``name`` (a file inside ``source``, e.g. a package member) leads the problem; ``fix``
    replaces the usual advice.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(f"{_lead(name)}not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, "
                    f"column {column}",
                    fix or "save it as UTF-8 text (in most editors: Save as, encoding UTF-8)",
                    source) from None


def read_text(path: str | os.PathLike, error: type[SarkitError], what: str, *,
              max_bytes: int = MAX_BYTES) -> str:
    """The text of the user's ``what`` (``"scenario file"``) at ``path``, checked.

    Raises
    ------
    error
        Where the file cannot be read, is larger than ``max_bytes`` or is not UTF-8.
    """
    path = Path(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise error(f"cannot read the {what} ({exc.strerror or exc})",
                    "check the path and its permissions", path) from None
    if len(data) > max_bytes:
        raise error(f"the {what} is larger than the limit of {max_bytes:,} bytes",
                    f"check that this is the {what}: it is a text file of a few kilobytes", path)
    return decode_text(data, error, path)


def parse_toml(text: str, error: type[SarkitError], source: Source, *, name: str | None = None,
               fix: str | None = None) -> dict[str, Any]:
    """The TOML document in ``text``; ``error`` with the line and column of a syntax error.

    ``name`` (a file inside ``source``) leads the problem; ``fix`` replaces the usual advice.
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problem = f"{_lead(name)}not valid TOML: {exc}"
    except RecursionError:
        problem = f"{_lead(name)}not valid TOML: nested too deeply"
    raise error(problem, fix or "correct the syntax at the line and column shown", source)


def read_toml(path: str | os.PathLike, error: type[SarkitError], what: str, *,
              max_bytes: int = MAX_BYTES) -> dict[str, Any]:
    """The TOML document of the user's ``what`` at ``path`` (:func:`read_text`, then
    :func:`parse_toml`)."""
    return parse_toml(read_text(path, error, what, max_bytes=max_bytes), error, Path(path))


def read_csv(path: str | os.PathLike, error: type[SarkitError], what: str, *,
             allowed: tuple[str, ...], label: Callable[[int, dict], str] | None = None,
             max_bytes: int = MAX_BYTES) -> list[Table]:
    """The rows of a CSV table with a header row, each a :class:`Table` of its cells (text).

    Lines starting with ``#`` and blank lines are skipped; cells are stripped and empty cells
    are absent. An unknown column is refused (with the closest of ``allowed``), and a row with
    more cells than the header. ``label(number, cells)`` names a row in messages (default
    ``row 1``, counting from the first row after the header).
    """
    path = Path(path)
    text = read_text(path, error, what, max_bytes=max_bytes)
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    header = [name.strip() for name in reader.fieldnames or []]
    Table(dict.fromkeys(header), error, path, place="the header", noun="column").only(allowed)
    rows = []
    try:
        for number, row in enumerate(reader, start=1):
            if None in row:
                raise error(f"row {number} has more cells than the header",
                            "quote cells that hold commas", path)
            cells = {key.strip(): value.strip() for key, value in row.items()
                     if value and value.strip()}
            name = label(number, cells) if label else f"row {number}"
            rows.append(Table(cells, error, path, name, place=name, text_cells=True))
    except csv.Error as exc:
        raise error(f"not a readable CSV table ({exc})", "check the quotes in the file",
                    path) from None
    return rows


def _lead(name: str | None) -> str:
    return f"{name} is " if name else ""


# --------------------------------------------------------------------------- tables


def describe(value: Any) -> str:
    """A TOML value in words for a message: ``text ('5')``, ``a whole number (3)``, ``a list``."""
    for kind, word in _TYPE_WORDS.items():
        if type(value) is kind:
            return f"{word} ({value!r})" if kind not in (list, dict) else word
    return repr(value)


class Table:
    """A TOML table (or a CSV row) being read: each accessor checks one key and names it.

    Parameters
    ----------
    data : mapping
        The table as :mod:`tomllib` gives it (or a CSV row's cells).
    error : type of SarkitError
        The reader's error class, raised for every problem.
    source : str or path-like, optional
        The file, leading every message.
    path : str
        The table's name in messages; a key is ``path.key`` (``""``: the top level).
    place : str, optional
        Where a missing key is to be added (default ``[path]``, or the top level).
    text_cells : bool
        Values are text to convert (CSV cells), not TOML values.
    noun : str
        What a key is called in messages (``"column"`` for a CSV header).
    """

    def __init__(self, data: Any, error: type[SarkitError], source: Source, path: str = "",
                 *, place: str | None = None, text_cells: bool = False,
                 noun: str = "key") -> None:
        self.data = data
        self.error = error
        self.source = None if source is None else str(source)
        self.path = path
        self.place = place or (f"[{path}]" if path else "the top level")
        self.text_cells = text_cells
        self.noun = noun
        recorder = _RECORDER.get()
        if recorder is not None:
            recorder.root(self)

    def key(self, name: str) -> str:
        """Dotted name of ``name`` in this table, as messages give it."""
        return f"{self.path}.{name}" if self.path else name

    def fail(self, key: str | None, problem: str, fix: str | None) -> SarkitError:
        """The error to raise: ``key: problem`` (just ``problem`` where ``key`` is None)."""
        return self.error(f"{key}: {problem}" if key else problem, fix, self.source)

    def renamed(self, path: str) -> Table:
        """The same table under another name in messages (a case once its id is known)."""
        other = Table(self.data, self.error, self.source, path, place=path,
                      text_cells=self.text_cells, noun=self.noun)
        recorder = _RECORDER.get()
        if recorder is not None:
            recorder.same(self, other)
        return other

    def _note(self, name: str, kind: str, **facts: Any) -> None:
        """Tell the recorder (:func:`recording`, the reference page only) how a key is read."""
        recorder = _RECORDER.get()
        if recorder is not None:
            recorder.note(self, name, kind, facts)

    # --- keys ---------------------------------------------------------------------------

    def only(self, allowed: tuple[str, ...], hints: Mapping[str, str] | None = None) -> None:
        """Refuse unknown keys, each with the closest allowed one (or the one ``hints`` gives)."""
        recorder = _RECORDER.get()
        if recorder is not None:
            recorder.allow(self, allowed)
        unknown = [str(name) for name in self.data if name not in allowed]
        if not unknown:
            return
        named = []
        for name in unknown:
            close = ([hints[name]] if hints and name in hints else
                     difflib.get_close_matches(name, allowed, n=1, cutoff=0.6))
            named.append(f"`{name}`" + (f" (did you mean `{close[0]}`?)" if close else ""))
        problem = f"unknown {self.noun} {named[0]}"
        if len(named) > 1:
            problem += f"; also unknown: {', '.join(named[1:])}"
        them = "it" if len(named) == 1 else "them"
        raise self.fail(self.key(unknown[0]), problem, f"rename or remove {them}; the "
                        f"{self.noun}s here are {', '.join(allowed)}")

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str, required: bool, example: str) -> Any:
        """The value of ``name`` unchecked; None where absent and not ``required``."""
        self._note(name, "value", required=required, example=example)
        if name in self.data:
            return self.data[name]
        if required:
            raise self.fail(self.key(name), "missing", f"add `{name} = {example}` to {self.place}")
        return None

    # --- typed accessors ------------------------------------------------------------------

    def number(self, name: str, example: str, *, low: float | None = None,
               high: float | None = None, above: bool = False, default: float | None = None,
               required: bool = True) -> float | None:
        """A finite number in ``[low, high]`` (``(low, high]`` where ``above``)."""
        self._note(name, "number", example=example, low=low, high=high, above=above,
                   default=default, required=required and default is None)
        value = self.raw(name, required and default is None, example)
        if value is None:
            return default
        return self.check_number(self.key(name), value, example, low=low, high=high,
                                 above=above)

    def integer(self, name: str, example: str, *, low: int | None = None,
                high: int = MAX_INTEGER, default: int | None = None,
                required: bool = True) -> int | None:
        """A whole number from ``low`` to ``high`` (at most :data:`MAX_INTEGER`)."""
        self._note(name, "integer", example=example, low=low,
                   high=None if high >= MAX_INTEGER else high, default=default,
                   required=required and default is None)
        value = self.raw(name, required and default is None, example)
        if value is None:
            return default
        key = self.key(name)
        if self.text_cells and isinstance(value, str):
            try:
                value = int(value)
            except ValueError:
                pass
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"expected a whole number, got {describe(value)}",
                            f"write e.g. `{name} = {example}`")
        if low is not None and value < low:
            raise self.fail(key, f"{value} is less than {low}", f"give {low} or more")
        top = min(high, MAX_INTEGER)
        if value > top or value < -MAX_INTEGER:
            raise self.fail(key, f"{value} is out of range", f"give at most {top}")
        return value

    def text(self, name: str, example: str, *, required: bool = True,
             choices: tuple[str, ...] | None = None) -> str | None:
        """Text that is not blank and holds no control character (one of ``choices`` where
        given).

        A control character (U+0000-U+001F, U+007F-U+009F, tab and newline included: every
        text read is one line), a lone surrogate or U+FFFE/U+FFFF is refused, named with its
        code point (:func:`sarkit.text.control_problem`): it would make the KML and GPX written
        invalid, inject lines into a SITREP or reach the terminal as an escape code.
        """
        self._note(name, "text", example=example, required=required, choices=choices)
        value = self.raw(name, required, example)
        if value is None:
            return None
        key = self.key(name)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected text, got {describe(value)}",
                            f"write e.g. `{name} = {example}`")
        problem = control_problem(value)
        if problem is not None:
            raise self.fail(key, problem, CONTROL_FIX)
        if choices is not None and value not in choices:
            raise self.fail(key, f"{value!r} is not one of {', '.join(choices)}",
                            f"give one of {', '.join(choices)}")
        return value

    def flag(self, name: str, *, default: bool = False) -> bool:
        """``true`` or ``false``."""
        self._note(name, "flag", example="true", required=False, default=default)
        value = self.raw(name, False, "true")
        if value is None:
            return default
        if self.text_cells and isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if not isinstance(value, bool):
            raise self.fail(self.key(name), f"expected true or false, got {describe(value)}",
                            f"write `{name} = true` or `{name} = false`")
        return value

    def time(self, name: str, *, required: bool = True) -> float | None:
        """A date and time (ISO 8601, UTC unless zoned) as epoch seconds."""
        self._note(name, "time", example=_TIME_EXAMPLE, required=required)
        value = self.raw(name, required, _TIME_EXAMPLE)
        if value is None:
            return None
        return self.check_time(self.key(name), value)

    def pair(self, name: str, example: str, *, lon_lat: bool = True,
             required: bool = True) -> tuple[float, float] | None:
        """Two numbers, ``[lon, lat]`` in degrees where ``lon_lat``."""
        self._note(name, "pair", example=example, required=required, lon_lat=lon_lat)
        value = self.raw(name, required, example)
        if value is None:
            return None
        return self.check_pair(self.key(name), value, example, lon_lat=lon_lat)

    def array(self, name: str, example: str, *, what: str = "items", min_items: int = 1,
              required: bool = True) -> list | None:
        """A list of at least ``min_items`` values (unchecked: the reader checks each)."""
        self._note(name, "array", example=example, required=required, what=what,
                   min_items=min_items)
        value = self.raw(name, required, example)
        if value is None:
            return None
        if not isinstance(value, list) or len(value) < min_items:
            raise self.fail(self.key(name), f"expected a list of at least {min_items} {what}, "
                            f"got {describe(value)}", f"write e.g. `{name} = {example}`")
        return value

    def table(self, name: str, *, required: bool = False) -> Table:
        """The sub-table ``[path.name]``; an empty one where absent and not ``required``."""
        key = self.key(name)
        if name not in self.data and required:
            raise self.fail(key, "missing", f"add a [{key}] table")
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table, got {describe(value)}",
                            f"write it as a [{key}] section")
        child = Table(value, self.error, self.source, key)
        recorder = _RECORDER.get()
        if recorder is not None:
            self._note(name, "table", required=required)
            recorder.child(self, child, name, array=False)
        return child

    def tables(self, name: str, *, label: Callable[[int, dict], str] | None = None,
               required: bool = False) -> list[Table]:
        """The array of tables ``[[name]]`` (empty where absent and not ``required``).

        ``label(index, table)`` names each in messages (default ``name[index]``).
        """
        key = self.key(name)
        if name not in self.data and required:
            raise self.fail(key, "missing", f"add a [[{key}]] table")
        items = self.data.get(name, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise self.fail(key, f"expected [[{key}]] tables, got {describe(items)}",
                            f"write each as a [[{key}]] section")
        found = []
        recorder = _RECORDER.get()
        if recorder is not None:
            self._note(name, "tables", required=required)
        for index, item in enumerate(items):
            label_text = label(index, item) if label else f"{key}[{index}]"
            found.append(Table(item, self.error, self.source, label_text, place=label_text))
            if recorder is not None:
                recorder.child(self, found[-1], name, array=True)
        return found

    # --- checks of a value under any name -------------------------------------------------

    def check_number(self, key: str, value: Any, example: str, *, low: float | None = None,
                     high: float | None = None, above: bool = False) -> float:
        """``value`` as a finite number in range, or the error naming ``key``."""
        if self.text_cells and isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                pass
        if isinstance(value, bool) or not isinstance(value, int | float):
            how = "a number" if self.text_cells else "a number without quotes"
            raise self.fail(key, f"expected a number, got {describe(value)}",
                            f"write {how}, e.g. `{key.split('.')[-1]} = {example}`")
        value = float(value)
        bound = ("above" if above else "at least") + f" {low:g}" if low is not None else ""
        if high is not None:
            bound = f"{bound} and at most {high:g}" if bound else f"at most {high:g}"
        if not math.isfinite(value):
            raise self.fail(key, f"{value:g} is not a finite number",
                            f"give a number {bound}".strip())
        too_low = low is not None and (value <= low if above else value < low)
        if too_low or (high is not None and value > high):
            raise self.fail(key, f"{value:g} is out of range", f"give a number {bound}")
        return value

    def check_pair(self, key: str, value: Any, example: str, *,
                   lon_lat: bool = True) -> tuple[float, float]:
        """``value`` as two numbers (``[lon, lat]``: lon in -360..360, lat in -90..90)."""
        if not isinstance(value, list) or len(value) != 2:
            raise self.fail(key, f"expected two numbers, got {describe(value)}",
                            f"write e.g. `{key.split('.')[-1]} = {example}`")
        first = self.check_number(f"{key}[0]", value[0], example)
        second = self.check_number(f"{key}[1]", value[1], example)
        if lon_lat:
            self.check_number(f"{key}[1]", second, example, low=-90.0, high=90.0)
            self.check_number(f"{key}[0]", first, example, low=-360.0, high=360.0)
        return first, second

    def check_time(self, key: str, value: Any) -> float:
        """``value`` (ISO 8601 text or a TOML date and time) as epoch seconds."""
        fix = f"write an ISO 8601 UTC time, e.g. {_TIME_EXAMPLE}"
        if isinstance(value, date) and not isinstance(value, datetime):
            raise self.fail(key, f"{value} is a date without a time", fix)
        if not isinstance(value, str | datetime):
            raise self.fail(key, f"expected a date and time, got {describe(value)}", fix)
        try:
            return parse_time(value)
        except (TypeError, ValueError, OverflowError):
            raise self.fail(key, f"{value!r} is not a date and time", fix) from None


# --------------------------------------------------------------------------- documentation


@dataclass(frozen=True)
class KeyHelp:
    """What a key of an input file means, for the reference page (:mod:`sarkit.files.reference`).

    The kind, range, choices, default and example come from the reader's accessor; the fields
    beyond ``text`` and ``unit`` replace them only where the accessor cannot say (a bound that is
    another key, a default computed by the reader).

    Attributes
    ----------
    text : str
        One line: what the key means.
    unit : str
        Its unit (``"NM"``, ``"kt"``), or empty.
    kind, bounds, default : str or None
        The type, allowed values and default as words, where the reader's accessor does not
        give them.
    """

    text: str
    unit: str = ""
    kind: str | None = None
    bounds: str | None = None
    default: str | None = None


@dataclass
class TableRecord:
    """What the readers asked of one table of one kind of file while recording.

    Attributes
    ----------
    document : str
        The kind of file: the reader's error class name (``"ScenarioError"``), with ``":csv"``
        for the rows of a CSV table.
    path : str
        The table in the document (``"lkp"``, ``"scenario.lkp"``; ``""``: the top level); an
        item of an array of tables is named by the array.
    array : bool
        It is an array of tables (``[[scenario]]``).
    allowed : list of str
        The keys its ``only`` allows, in order.
    keys : dict of str to list of dict
        For each key read, what each accessor call asked: ``kind`` (``"number"``, ``"text"``,
        ``"table"`` ..., ``"value"`` for a key read unchecked), ``required`` and the
        accessor's own arguments (``example``, ``low``, ``high``, ``above``, ``default``,
        ``choices`` ...).
    """

    document: str
    path: str
    array: bool = False
    allowed: list[str] = field(default_factory=list)
    keys: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


class KeyRecorder:
    """The tables and keys the readers read inside :func:`recording`, by document and path."""

    def __init__(self) -> None:
        self.tables: dict[tuple[str, str], TableRecord] = {}
        self._places: dict[int, tuple[Table, str, str]] = {}

    def root(self, table: Table) -> None:
        """Note a table made by a reader: a document's top level (or a table it makes itself)."""
        csv_row = table.text_cells or table.noun == "column"
        document = table.error.__name__ + (":csv" if csv_row else "")
        self._places[id(table)] = (table, document, "" if csv_row else table.path)

    def child(self, parent: Table, child: Table, name: str, array: bool) -> None:
        """Note ``child``, the table or an item of the array of tables ``name`` of ``parent``."""
        _, document, path = self._places[id(parent)]
        self._places[id(child)] = (child, document, f"{path}.{name}" if path else name)
        self.record(child).array = array

    def same(self, table: Table, other: Table) -> None:
        """Note ``other`` as ``table`` under another name in messages."""
        self._places[id(other)] = (other, *self._places[id(table)][1:])

    def record(self, table: Table) -> TableRecord:
        """The record of the table (document and path) that ``table`` is."""
        _, document, path = self._places[id(table)]
        return self.tables.setdefault((document, path), TableRecord(document, path))

    def allow(self, table: Table, allowed: tuple[str, ...]) -> None:
        """Note the keys ``table`` allows."""
        record = self.record(table)
        record.allowed.extend(key for key in allowed if key not in record.allowed)

    def note(self, table: Table, name: str, kind: str, facts: dict[str, Any]) -> None:
        """Note that ``table``'s key ``name`` was read as ``kind`` with these ``facts``."""
        self.record(table).keys.setdefault(name, []).append({"kind": kind, **facts})


_RECORDER: ContextVar[KeyRecorder | None] = ContextVar("sarkit_key_recorder", default=None)


@contextmanager
def recording() -> Iterator[KeyRecorder]:
    """Record every table and key the readers read inside the ``with`` block.

    Only the reference page (:mod:`sarkit.files.reference`) records: outside the block the
    readers note nothing.

    Yields
    ------
    KeyRecorder
    """
    recorder = KeyRecorder()
    token = _RECORDER.set(recorder)
    try:
        yield recorder
    finally:
        _RECORDER.reset(token)
