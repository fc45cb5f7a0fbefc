"""summary.txt: the lines an officer reads out, written whole (:mod:`sarkit.files.summary`)."""

from __future__ import annotations

from sarkit.files.summary import SUMMARY_NAME, write_summary


def test_summary_is_written_whole_with_one_line_per_line(tmp_path):
    path = tmp_path / SUMMARY_NAME
    assert write_summary("case\ndatum 9.296N 96.180E (09°17.78'N 096°10.77'E)\n\n", path) == path
    assert path.read_bytes().decode("utf-8") == (
        "case\ndatum 9.296N 96.180E (09°17.78'N 096°10.77'E)\n")
    write_summary("shorter", path)  # replaced, never appended to
    assert path.read_text(encoding="utf-8") == "shorter\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [SUMMARY_NAME]  # no temporary left


def test_a_control_character_in_a_name_cannot_add_a_line(tmp_path):
    path = write_summary("asset Evil\rSITREP 99\x1b[2J", tmp_path / SUMMARY_NAME)
    assert path.read_text(encoding="utf-8").splitlines() == [
        "asset Evil\\u000dSITREP 99\\u001b[2J"]
