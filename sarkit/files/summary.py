"""``summary.txt``: the few lines an officer reads out or pastes into a SITREP.

The one way every command writes its summary beside its GeoJSON (``sarkit drift``'s
:meth:`sarkit.app.drift.DriftResult.situation` beside ``areas.geojson``, ``sarkit plan``'s
:func:`sarkit.planning.situation.plan_situation` beside ``plan.geojson``, ``sarkit mass``'s
beside its ``plan.geojson``): UTF-8, one line per line, a control character in a name written
as a visible escape (:func:`sarkit.text.visible`), the whole file or nothing
(:func:`sarkit.files.atomic.atomic_path`).
"""

from __future__ import annotations

import os
from pathlib import Path

from sarkit.files.atomic import atomic_path
from sarkit.text import visible

__all__ = ["SUMMARY_NAME", "write_summary"]

SUMMARY_NAME = "summary.txt"
"""The summary's file name in every output folder."""


def write_summary(text: str, path: str | os.PathLike) -> Path:
    """Write the lines an officer reads out.

    Parameters
    ----------
    text : str
        The summary, lines separated by ``\\n``.
    path : path-like
        The file (``<folder>/summary.txt``).

    Returns
    -------
    Path
        ``path``.
    """
    body = "\n".join(visible(line, keep="") for line in text.strip("\n").split("\n")) + "\n"
    target = Path(path)
    with atomic_path(target) as temporary:
        temporary.write_text(body, encoding="utf-8", newline="\n")
    return target
