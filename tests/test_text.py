"""sarkit.text: the one definition of a character a user's text must not hold, and its
visible escape; the error messages built on it stay one line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from sarkit.errors import BadValueError, SarkitError, checked_text
from sarkit.text import control_problem, describe_character, visible

UNSAFE = ["\x00", "\x07", "\x0a", "\x0d", "\x1b", "\x7f", "\x85", "\x9b", "\ud800", "\udfff",
          "\ufffe", "\uffff"]


@pytest.mark.parametrize("char", UNSAFE)
def test_every_unsafe_character_is_found_and_escaped(char):
    text = f"KN SAR{char}232"
    problem = control_problem(text)
    assert problem is not None and f"U+{ord(char):04X}" in problem and "position 7" in problem
    shown = visible(text, keep="")
    assert shown == f"KN SAR\\u{ord(char):04x}232"
    assert shown.isprintable()
    ET.fromstring(f"<name>{shown}</name>")  # valid XML 1.0


def test_names_of_characters():
    assert describe_character("\x1b") == "U+001B (ESC)"
    assert describe_character("\x00") == "U+0000 (NUL)"
    assert describe_character("\n") == "U+000A (LF)"
    assert describe_character("\x7f") == "U+007F (DEL)"
    assert describe_character("\x9b") == "U+009B (CSI)"
    assert describe_character("\x90") == "U+0090 (a C1 control)"
    assert "lone surrogate" in describe_character("\udc80")
    assert control_problem("KN SAR\x1b[31m") == \
        "contains the control character U+001B (ESC) at position 7"


def test_clean_text_is_left_alone():
    for text in ("KN SAR Kresna 232", "Kantor SAR Banda Aceh — ĐÀ NẴNG 岘港", "CN-235 P/8302",
                 "two\nlines\twith a tab", ""):
        assert visible(text) is text
    assert control_problem("Kantor SAR Banda Aceh — ĐÀ NẴNG 岘港") is None


def test_allowed_characters():
    assert control_problem("two\nlines\tand tab", allow="\t\n") is None
    assert "U+000D (CR)" in control_problem("two\r\nlines", allow="\t\n")
    assert visible("a\tb\nc") == "a\tb\nc"
    assert visible("a\tb\nc", keep="") == "a\\u0009b\\u000ac"


def test_inside_json_the_escape_reads_back_as_the_character():
    value = "boat\x9b\x7f\ud800"
    text = visible(json.dumps({"name": value}, ensure_ascii=False))
    assert text.isprintable() and json.loads(text) == {"name": value}


def test_checked_text():
    assert checked_text("JRCC Jakarta", "from_centre") == "JRCC Jakarta"
    with pytest.raises(BadValueError) as caught:
        checked_text("JRCC\nSITREP 99", "from_centre")
    message = str(caught.value)
    assert message == ("from_centre contains the control character U+000A (LF) at position 5. "
                       "Fix: remove it: give the text on one line of plain characters.")
    with pytest.raises(BadValueError, match="is not text"):
        checked_text(5, "from_centre")


def test_an_error_message_is_one_visible_line():
    message = str(SarkitError("asset 'KN\x1b[2J' is \nunknown", "rename\r it", "roster\x07.csv"))
    assert message.isprintable()
    assert "\\u001b[2J" in message and "\\u000a" in message and "\\u0007" in message
