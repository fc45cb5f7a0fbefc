"""Text a user gave, made safe: the one definition of a character that text must not hold.

A name, id or centre goes into XML (KML, GPX), SITREPs and the terminal. A control character
in it (U+0000-U+001F, U+007F-U+009F), half of a surrogate pair or the noncharacters U+FFFE and
U+FFFF make XML 1.0 invalid, inject lines into a SITREP, or reach a terminal as an escape code.

* :func:`control_problem` says, in the words of an error message, which such character a text
  holds (``"contains the control character U+001B (ESC)"``), or None: the readers of the user's
  files (:class:`sarkit.files.checked.Table`) and :func:`sarkit.errors.checked_text` refuse text
  with it;
* :func:`visible` writes each such character as a visible escape (``\\u001b``), for text that
  did not come through a check (the Python API): the XML writers and the terminal use it.
"""

from __future__ import annotations

import functools
import re

__all__ = ["CONTROL_FIX", "control_problem", "describe_character", "visible"]

CONTROL_FIX = "remove it: give the text on one line of plain characters"
"""The advice of a message refusing a control character."""

_C0_NAMES = ("NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT",
             "FF", "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
             "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US")
_C1_NAMES = {0x7F: "DEL", 0x85: "NEL", 0x9B: "CSI", 0x9D: "OSC"}

# every character refused: C0, DEL and C1 controls, surrogates, U+FFFE and U+FFFF
_UNSAFE = "\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"


@functools.cache
def _pattern(allow: str) -> re.Pattern[str]:
    """The unsafe characters, less those in ``allow``."""
    allowed = "".join(re.escape(c) for c in sorted(set(allow)))
    return re.compile(f"(?![{allowed}])[{_UNSAFE}]" if allowed else f"[{_UNSAFE}]")


def describe_character(char: str) -> str:
    """``U+001B (ESC)``, ``U+0085 (NEL)``, ``U+D800 (a lone surrogate)``: a character in words."""
    code = ord(char)
    if code < 0x20:
        word = _C0_NAMES[code]
    elif code in _C1_NAMES:
        word = _C1_NAMES[code]
    elif 0x80 <= code <= 0x9F:
        word = "a C1 control"
    elif 0xD800 <= code <= 0xDFFF:
        word = "a lone surrogate, half of a character"
    elif code in (0xFFFE, 0xFFFF):
        word = "a noncharacter"
    else:
        return f"U+{code:04X}"
    return f"U+{code:04X} ({word})"


def control_problem(text: str, *, allow: str = "") -> str | None:
    """What is wrong with ``text`` in words, or None: ``"contains the control character U+001B
    (ESC)"`` for its first control character, surrogate or noncharacter not in ``allow``.

    Parameters
    ----------
    text : str
        The user's text.
    allow : str
        Characters allowed where a format allows them (``"\\t\\n"`` for text of several lines).
    """
    found = _pattern(allow).search(text)
    if found is None:
        return None
    char = found.group()
    kind = "the control character" if ord(char) < 0xA0 else "the character"
    return f"contains {kind} {describe_character(char)} at position {found.start() + 1}"


def visible(text: str, *, keep: str = "\t\n") -> str:
    """``text`` with each control character, surrogate or noncharacter (other than those in
    ``keep``) written as a visible escape, ``\\u001b``.

    The result is valid in XML 1.0 and inert in a terminal; text without such characters is
    returned unchanged. Inside a JSON string the escape reads back as the character itself.
    """
    pattern = _pattern(keep)
    if pattern.search(text) is None:
        return text
    return pattern.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
