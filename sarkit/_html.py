"""Small HTML tables for ``_repr_html_`` (how a notebook displays sarkit's objects)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

__all__ = ["html_table"]


def html_table(caption: str, head: Sequence[str], rows: Iterable[Sequence[object]],
               notes: Iterable[str] = ()) -> str:
    """An HTML table with a caption, a header row and text cells (escaped), then notes."""
    def cells(tag: str, row: Sequence[object]) -> str:
        return "".join(f"<{tag} style='text-align:left'>{html.escape(str(v))}</{tag}>"
                       for v in row)

    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    extra = "".join(f"<p style='margin:2px 0'>{html.escape(n)}</p>" for n in notes)
    return (f"<div><table><caption style='text-align:left'><b>{html.escape(caption)}</b>"
            f"</caption><thead><tr>{cells('th', head)}</tr></thead><tbody>{body}</tbody>"
            f"</table>{extra}</div>")
