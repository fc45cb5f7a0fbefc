"""The one way a command writes its output folder: all of it, or nothing.

:func:`staged_folder` gives a staging folder beside the target
(``.<name>.sarkit-staging-<pid>-<random>``, in the target's parent folder). The command
writes every output there; only when the block succeeds do they move into the target:

* a target that does not exist becomes the staging folder in one rename, so the folder
  appears whole or not at all;
* into a folder that exists (an earlier run's, or one the user made), each output replaces
  the file or folder of its name in one rename of its own, and other files are left as they
  are.

Where the block fails, the staging folder is removed and the target is as it was. A run
killed in the middle (``kill -9``, a power cut) leaves its staging folder behind; the next
run for the same target removes the staging folders whose process is gone
(:func:`remove_stale_staging`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from sarkit.errors import SarkitError

__all__ = ["STAGING_MARK", "check_target", "file_names", "remove_stale_staging", "staged_folder"]

STAGING_MARK = ".sarkit-staging-"
"""What the name of a staging folder holds after ``.<target name>``."""


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DEVICES = {"con", "prn", "aux", "nul", *(f"com{k}" for k in range(10)),
            *(f"lpt{k}" for k in range(10))}
"""Names Windows gives to devices: a file of that name cannot be made there."""
_LONGEST = 80
"""Characters kept of a name (file systems allow 255 bytes; a chart plotter's list less)."""


def file_names(texts: Iterable[str], *, suffix: str = "", reserved: Iterable[str] = (),
               fallback: str = "item") -> dict[str, str]:
    """Safe file names for names a user gave (assets, case ids): the one way user text becomes
    a path.

    Each name keeps its letters, digits, ``.``, ``_`` and ``-``; any other run of characters
    (a separator ``/`` or ``\\``, a space, a control character) becomes one ``_``; leading and
    trailing ``._-`` go (so never ``..`` nor a hidden file), it is cut to 80 characters, and a
    Windows device name gets a trailing ``_``. Names are unique within the folder, ignoring
    case (``-2``, ``-3`` ... on a clash), and never one of ``reserved`` (the command's own
    outputs, e.g. ``plan``, ``waypoints``).

    Parameters
    ----------
    texts : iterable of str
        The names, in order (a repeated name gets the file of its first appearance).
    suffix : str
        Appended to each (``".gpx"``; ``""`` for a folder).
    reserved : iterable of str
        Stems no name may take (compared without case).
    fallback : str
        The stem of a name with nothing safe in it.

    Returns
    -------
    dict of str to str
        Each text -> its file name.

    Examples
    --------
    >>> file_names(["KN SAR 1", "../../etc", "plan"], suffix=".gpx", reserved=["plan"])
    {'KN SAR 1': 'KN_SAR_1.gpx', '../../etc': 'etc.gpx', 'plan': 'plan-2.gpx'}
    """
    taken = {name.lower() for name in reserved}
    names: dict[str, str] = {}
    for text in texts:
        if text in names:
            continue
        stem = _UNSAFE.sub("_", str(text)).strip("._-")[:_LONGEST].strip("._-") or fallback
        if stem.lower().split(".")[0] in _DEVICES:
            stem += "_"
        candidate, k = stem, 2
        while candidate.lower() in taken:
            candidate, k = f"{stem}-{k}", k + 1
        taken.add(candidate.lower())
        names[text] = candidate + suffix
    return names


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _process_is_gone(pid: int) -> bool:
    """Whether no process ``pid`` runs on this machine (a process of another user counts as
    running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, ValueError):
        return False
    return False


def remove_stale_staging(target: str | os.PathLike) -> list[Path]:
    """Remove the staging folders of ``target`` left by runs that were killed.

    A staging folder is stale where the process named in it no longer runs; the folders of
    a run still writing are left alone.

    Returns
    -------
    list of Path
        The folders removed.
    """
    target = Path(target)
    removed = []
    prefix = f".{target.name}{STAGING_MARK}"
    try:
        candidates = [p for p in target.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return removed
    for path in candidates:
        pid_text = path.name[len(prefix):].split("-", 1)[0]
        if not pid_text.isdigit() or not path.is_dir() or path.is_symlink():
            continue
        if _process_is_gone(int(pid_text)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def check_target(target: str | os.PathLike, *, new: bool = False) -> Path:
    """Refuse an output folder that cannot be one, before a command spends its time.

    :func:`staged_folder` checks the same again when it writes; a command calls this first,
    so that a wrong ``--out`` is said at once, not after the drift.

    Parameters
    ----------
    target : path-like
        The output folder.
    new : bool
        Require it to be missing or an empty folder.

    Returns
    -------
    Path

    Raises
    ------
    SarkitError
        Where ``target`` is a file (or, ``new``, a folder that is not empty).
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise SarkitError("is a file, not a folder", "give a folder for the outputs", target)
    if new and target.is_dir() and any(target.iterdir()):
        raise SarkitError("exists and is not an empty folder", "give a new folder", target)
    return target


@contextlib.contextmanager
def staged_folder(target: str | os.PathLike, *, new: bool = False) -> Iterator[Path]:
    """A staging folder for the outputs of ``target``, moved into it if the block succeeds.

    Parameters
    ----------
    target : path-like
        The output folder (made, with its parents, where missing).
    new : bool
        Require ``target`` to be missing or an empty folder (a case import).

    Yields
    ------
    Path
        The staging folder: write every output into it, under the names they are to have in
        ``target``.

    Raises
    ------
    SarkitError
        Where ``target`` is a file, or (``new``) a folder that is not empty; checked before
        the block runs.

    Examples
    --------
    >>> with staged_folder("case1") as stage:  # doctest: +SKIP
    ...     write_geojson(collection, stage / "areas.geojson")
    """
    target = Path(os.path.abspath(check_target(target, new=new)))  # "." and ".." named
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(target)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING_MARK}{os.getpid()}-",
                                  dir=target.parent))
    try:
        yield stage
        os.chmod(stage, 0o777 & ~_umask())  # mkdtemp makes 0700; give the usual mode
        if not target.exists():
            os.rename(stage, target)
            return
        if new:
            raise SarkitError("was made by something else while this ran",
                              "give a new folder", target)
        for item in sorted(stage.iterdir()):
            destination = target / item.name
            if item.is_dir() and destination.is_dir() and not destination.is_symlink():
                shutil.rmtree(destination)
            os.replace(item, destination)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
