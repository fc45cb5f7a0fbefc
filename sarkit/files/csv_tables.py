"""CSV tables sarkit writes for a spreadsheet: the plan table and the tables of a mass event.

One writer (:func:`csv_text`): a header row, then the rows, comma-separated with the quoting of
:mod:`csv`, ``\\n`` line ends; the caller writes the text as UTF-8 (through a staging folder or
:func:`sarkit.files.atomic.atomic_path`). :func:`plan_csv` is ``plan.csv`` of ``sarkit plan``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sarkit.planning.plan import TABLE_COLUMNS
from sarkit.text import visible

if TYPE_CHECKING:  # pragma: no cover
    from sarkit.planning.plan import SearchPlan

__all__ = ["csv_text", "plan_csv"]


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV table as text: ``header``, then one line per row (values as :func:`str` gives them;
    a control character in a text cell written as a visible escape, :func:`sarkit.text.visible`,
    so that a name from the Python API cannot break a line or reach a terminal as a code).

    Parameters
    ----------
    header : sequence of str
        The column names.
    rows : iterable of sequences
        The rows, each as long as ``header``.

    Returns
    -------
    str
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([visible(cell, keep="") if isinstance(cell, str) else cell
                      for cell in row] for row in rows)
    return buffer.getvalue()


def plan_csv(plan: SearchPlan) -> str:
    """The plan table as CSV text: the assignments (the columns of
    :data:`sarkit.planning.plan.TABLE_COLUMNS`), then the assets left out with the reason
    (``left_out_reason``)."""
    blanks = [""] * (len(TABLE_COLUMNS) - 3)
    rows = [(*row, "") for row in plan.rows()]
    rows += [(item.asset.name, item.asset.centre.id if item.asset.centre is not None else "",
              item.asset.type.platform, *blanks, item.reason) for item in plan.left_out]
    return csv_text((*TABLE_COLUMNS, "left_out_reason"), rows)
