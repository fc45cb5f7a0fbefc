"""The one way a command writes its output folder: all of it, or nothing.

The rule for ``--out DIR``, the same for every command that writes a folder
(:func:`check_target`):

* DIR is a new folder, an empty one, or a folder that holds exactly an earlier output of the
  same command (its mark, ``.sarkit-output.json``, names the command and every file it
  wrote); such a folder is replaced whole, so no route or map of an earlier plan stays beside
  a new one;
* DIR is never a file, never a folder that holds anything else (a file of the user's is never
  deleted), never the current folder, and never one that is or holds an input of the command
  (``sarkit update --searched plan1 --out plan1``).

:func:`staged_folder` gives a staging folder beside the target
(``.<name>.sarkit-staging-<pid>-<random>``, in the target's parent folder). The command
writes every output there; only when the block succeeds does it become the target: a new
target in one rename; an earlier output is first renamed aside (``.<name>.sarkit-old-...``),
the new one renamed in, and the old one removed. Where the block fails, the staging folder is
removed and the target is as it was. A run killed at any moment (``kill -9``, a power cut)
leaves the old folder or the new one at DIR, or, killed between the two renames, the old one
aside: the next run for the same target puts it back, and removes the staging folders whose
process is gone (:func:`remove_stale_staging`).

:func:`file_names` is the one way a name from input (an asset, a case id) becomes a file name.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from sarkit.errors import SarkitError
from sarkit.files.atomic import _umask

__all__ = ["OUTPUT_MARK", "STAGING_MARK", "check_target", "file_names", "remove_stale_staging",
           "staged_folder"]

STAGING_MARK = ".sarkit-staging-"
"""What the name of a staging folder holds after ``.<target name>``."""

OLD_MARK = ".sarkit-old-"
"""What the name of an earlier output renamed aside holds after ``.<target name>``."""

OUTPUT_MARK = ".sarkit-output.json"
"""The file in every output folder that names the command and the files it wrote."""


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


def _dead_leftovers(target: Path, mark: str) -> list[Path]:
    """The folders ``.<target name><mark><pid>-...`` beside ``target`` whose process is gone."""
    prefix = f".{target.name}{mark}"
    try:
        candidates = sorted(p for p in target.parent.iterdir() if p.name.startswith(prefix))
    except OSError:
        return []
    dead = []
    for path in candidates:
        pid_text = path.name[len(prefix):].split("-", 1)[0]
        if (pid_text.isdigit() and path.is_dir() and not path.is_symlink()
                and _process_is_gone(int(pid_text))):
            dead.append(path)
    return dead


def remove_stale_staging(target: str | os.PathLike) -> list[Path]:
    """Clean up after runs for ``target`` that were killed.

    An earlier output renamed aside by a run killed before its new output was renamed in is
    put back where ``target`` is missing (else removed); staging folders are removed. Only
    the folders of processes that no longer run are touched.

    Returns
    -------
    list of Path
        The folders removed (or put back).
    """
    target = Path(os.path.abspath(target))
    done = []
    for path in _dead_leftovers(target, OLD_MARK):
        if not target.exists():
            os.rename(path, target)
        else:
            shutil.rmtree(path, ignore_errors=True)
        done.append(path)
    for path in _dead_leftovers(target, STAGING_MARK):
        shutil.rmtree(path, ignore_errors=True)
        done.append(path)
    return done


def _files(folder: Path) -> set[str]:
    """Every file under ``folder``, as relative POSIX paths."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}


def _earlier_output(target: Path) -> dict | None:
    try:
        mark = json.loads((target / OUTPUT_MARK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = (isinstance(mark, dict) and isinstance(mark.get("command"), str)
          and isinstance(mark.get("files"), list))
    return mark if ok else None


def check_target(target: str | os.PathLike, command: str,
                 inputs: Iterable[str | os.PathLike] = ()) -> Path:
    """Refuse an output folder that breaks the rule of ``--out`` (the module notes), before a
    command spends its time; :func:`staged_folder` checks it again when it writes.

    Parameters
    ----------
    target : path-like
        The output folder.
    command : str
        The command that writes it (``"drift"``, ``"plan"``, ``"mass"``, ``"case import"``):
        an earlier output of the same command may be replaced.
    inputs : iterable of path-like
        The files and folders the command reads: the target may not be or hold one.

    Returns
    -------
    Path
        The target, absolute.

    Raises
    ------
    SarkitError
        Where ``target`` is a file, the current folder, an input or a folder holding one, or
        a folder that holds anything but an earlier output of ``command``.
    """
    target = Path(os.path.abspath(target))
    fix = "give a new folder for --out (e.g. --out case2)"
    if target.exists() and not target.is_dir():
        raise SarkitError("is a file, not a folder", "give a folder for the outputs", target)
    above = next((p for p in target.parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise SarkitError(f"cannot be made: {above} is a file, not a folder", fix, target)
    real = target.resolve()
    here = Path.cwd().resolve()
    if here == real or here.is_relative_to(real):
        raise SarkitError("is the current folder (or holds it): the output replaces it whole",
                          fix, target)
    for item in inputs:
        source = Path(os.path.abspath(item)).resolve()
        if source == real or source.is_relative_to(real):
            raise SarkitError(f"is or holds {item}, which sarkit {command} reads: the output "
                              "would replace it", fix, target)
    if not target.is_dir() or not any(target.iterdir()):
        return target
    mark = _earlier_output(target)
    if mark is None:
        raise SarkitError("holds files that sarkit did not write (sarkit replaces only a "
                          "folder it wrote, with its .sarkit-output.json)",
                          f"{fix}, or empty this one", target)
    if mark["command"] != command:
        raise SarkitError(f"holds the output of sarkit {mark['command']}, not of sarkit "
                          f"{command}", fix, target)
    extra = sorted(_files(target) - {str(name) for name in mark["files"]} - {OUTPUT_MARK})
    if extra:
        raise SarkitError(f"holds {extra[0]}, which sarkit {command} did not write; the "
                          "output replaces the folder whole", f"move it out, or {fix}", target)
    return target


@contextlib.contextmanager
def staged_folder(target: str | os.PathLike, command: str,
                  inputs: Iterable[str | os.PathLike] = ()) -> Iterator[Path]:
    """A staging folder for the outputs of ``target``, which it becomes if the block succeeds.

    Parameters
    ----------
    target : path-like
        The output folder (its parents made where missing).
    command : str
        The command writing it; recorded in the folder's mark (see :func:`check_target`).
    inputs : iterable of path-like
        What the command reads (see :func:`check_target`).

    Yields
    ------
    Path
        The staging folder: write every output into it, under the names they are to have in
        ``target``.

    Raises
    ------
    SarkitError
        Where ``target`` breaks the rule of ``--out`` (:func:`check_target`); checked before
        the block runs.

    Examples
    --------
    >>> with staged_folder("case1", "drift") as stage:  # doctest: +SKIP
    ...     write_geojson(collection, stage / "areas.geojson")
    """
    inputs = tuple(inputs)
    target = check_target(target, command, inputs)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(target)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING_MARK}{os.getpid()}-",
                                  dir=target.parent))
    try:
        yield stage
        mark = {"command": command, "files": sorted(_files(stage))}
        (stage / OUTPUT_MARK).write_text(json.dumps(mark, indent=1) + "\n", encoding="utf-8")
        os.chmod(stage, 0o777 & ~_umask())  # mkdtemp makes 0700; give the usual mode
        check_target(target, command, inputs)  # again: it may have changed while this ran
        if not target.exists():
            os.rename(stage, target)
            return
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}{OLD_MARK}{os.getpid()}-",
                                    dir=target.parent))
        os.rename(target, old)  # onto the empty folder just made: one rename
        try:
            os.rename(stage, target)
        except OSError:
            os.rename(old, target)
            raise
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
