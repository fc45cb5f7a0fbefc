"""The CSV writer: what a spreadsheet reads back is what was written."""

from __future__ import annotations

import csv
import io

from sarkit.files.csv_tables import csv_text


def test_cells_with_commas_quotes_and_newlines_read_back_as_written():
    rows = [["KN SAR 1", 'the "Kresna", 2nd', "a, b", 0.25, ""], ["é ü 中", 1, 2, 3, 4]]
    text = csv_text(["asset", "note", "text", "pod", "blank"], rows)
    assert text.endswith("\n") and "\r" not in text  # Unix line ends, as the other outputs
    back = list(csv.reader(io.StringIO(text)))
    assert back[0] == ["asset", "note", "text", "pod", "blank"]
    assert back[1:] == [[str(cell) for cell in row] for row in rows]


def test_control_characters_in_a_cell_are_written_visibly_on_one_line():
    text = csv_text(["asset"], [["two\nlines \x1b[31m red"]])
    assert text.splitlines() == ["asset", "two\\u000alines \\u001b[31m red"]
