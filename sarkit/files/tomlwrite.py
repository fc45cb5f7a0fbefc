"""Writing parsed TOML documents back as TOML text (the subset that sarkit's files use).

Python reads TOML (:mod:`tomllib`) but does not write it. A case package rewrites the paths in
a scenario and a plan file, so :func:`dumps` turns a document back into text: tables,
arrays of tables, strings, integers, floats, booleans, dates and times, and lists of them.
Every text it returns is read back with :mod:`tomllib` and compared with the document, so a
document it cannot write faithfully is refused rather than changed.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import tomllib
from collections.abc import Mapping
from typing import Any

from sarkit.errors import SarkitError

__all__ = ["dumps"]

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _key(name: str) -> str:
    return name if _BARE.fullmatch(name) else _string(name)


def _string(text: str) -> str:
    # JSON string escapes are TOML basic-string escapes; DEL must be escaped in TOML too.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(item, Mapping) for item in value)


def _table(doc: Mapping[str, Any], path: tuple[str, ...], lines: list[str]) -> None:
    nested = []
    for name, value in doc.items():
        if isinstance(value, Mapping) or _is_table_array(value):
            nested.append((name, value))
        else:
            lines.append(f"{_key(name)} = {_value(value)}")
    for name, value in nested:
        here = (*path, name)
        header = ".".join(_key(part) for part in here)
        if isinstance(value, Mapping):
            lines.extend(["", f"[{header}]"])
            _table(value, here, lines)
        else:
            for item in value:
                lines.extend(["", f"[[{header}]]"])
                _table(item, here, lines)


def dumps(doc: Mapping[str, Any], *, header: str = "") -> str:
    """TOML text for a parsed document; reading it back gives the same document.

    Parameters
    ----------
    doc : mapping
        A document as :func:`tomllib.loads` returns it.
    header : str
        Comment lines put first (each line gets ``# ``).

    Raises
    ------
    SarkitError
        Where the text would not read back as the same document.
    """
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    _table(doc, (), lines)
    text = "\n".join(lines).lstrip("\n") + "\n"
    if tomllib.loads(text) != doc:
        raise SarkitError("sarkit cannot write this TOML document back faithfully",
                          "simplify the file (plain tables, strings, numbers, dates)")
    return text
