"""A map drawn in a process of its own, beside the command that needs it.

matplotlib's import and first figure take about half a second, and drawing and encoding a map
about as long again; all of it in Python, one core. ``sarkit drift`` (and ``demo``, ``plan``,
``update``, the same way) starts a
:class:`MapProcess` before anything else: while the command imports, reads the forcing and
drifts, the child imports matplotlib and renders a first figure on the other core; when the
search areas are known the command hands it the map's few kilobytes (:func:`~sarkit.plot.areas.
drift_outline`, never the trajectories) and writes ``trajectories.nc`` and the other files while
the child draws ``map.png``. The map is the same as one drawn in the command's own process.

The child reads one job from its standard input and exits. If the command dies, the child's
input closes and it exits too. Where no child can be started (no interpreter to run), the map is
drawn in the command's own process.

Run as ``python -m sarkit.app.mapprocess`` by :meth:`MapProcess.start` only.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sarkit.errors import SarkitError

__all__ = ["MapProcess"]

_MAPS = {
    "save_map": ("sarkit.plot.areas", ("sarkit.poc.areas", "sarkit.poc.iamsar")),
    "save_plan_map": ("sarkit.plot.plan", ("sarkit.planning.plan", "sarkit.poc.grid", "xarray")),
}
"""The maps a child may draw: function name -> (its module, the modules of its arguments'
types). Each function takes the PNG's path first. The child imports both before its job comes,
so that unpickling the job imports nothing."""

WAIT_SECONDS = 600.0
"""How long a command waits for its map before it gives up on it."""


class MapProcess:
    """A child process that draws one map (:func:`~sarkit.plot.areas.save_map`,
    :func:`~sarkit.plot.plan.save_plan_map`).

    Use :meth:`start` early, naming the map, :meth:`draw` when the map's inputs are known,
    :meth:`wait` before the output folder is made final; :meth:`close` (or ``with``) ends a
    child that was never given a map. Where no child could be started, :meth:`draw` draws at
    once, in this process.
    """

    def __init__(self, child: subprocess.Popen | None = None, function: str | None = None):
        self._child = child
        self._function = function
        self._pending = False

    @classmethod
    def here(cls) -> MapProcess:
        """One that draws in this process, at once (what :meth:`start` falls back to)."""
        return cls(None)

    @classmethod
    def start(cls, function: str) -> MapProcess:
        """Start the child that will draw ``function``'s map (a name of :data:`_MAPS`), which
        loads matplotlib and the map's modules while the caller goes on."""
        if function not in _MAPS:
            raise ValueError(f"no map function {function!r}")
        env = dict(os.environ)
        root = Path(__file__).resolve().parents[2]  # where this sarkit is: the child's too
        if root.name not in ("site-packages", "dist-packages"):  # a checkout: give its path
            # (never a site folder: first on the path, its packages would hide the stdlib's)
            env["PYTHONPATH"] = os.pathsep.join(
                [str(root), *filter(None, [os.environ.get("PYTHONPATH")])])
        try:
            child = subprocess.Popen(
                [sys.executable, "-m", "sarkit.app.mapprocess", function], stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        except OSError:  # no interpreter to start (an embedded Python): draw here instead
            return cls.here()
        return cls(child, function)

    def draw(self, function: str, path: str | os.PathLike, *args: Any, **kwargs: Any) -> None:
        """Have the child draw ``function(path, *args, **kwargs)``, the function it was
        started for (any of :data:`_MAPS` where it draws here); the arguments are small (pickled
        to the child)."""
        if function not in _MAPS or self._function not in (None, function):
            raise ValueError(f"no map function {function!r} in this map process")
        if self._child is None:
            _run(function, Path(path), args, kwargs)
            return
        if self._child.stdin is None:
            raise RuntimeError("a MapProcess draws one map: start another for the next")
        try:
            pickle.dump((function, str(path), args, kwargs), self._child.stdin,
                        protocol=pickle.HIGHEST_PROTOCOL)
            self._child.stdin.close()
        except (BrokenPipeError, OSError):
            pass  # the child has died: wait() says why
        self._child.stdin = None  # given: communicate() only reads what the child says
        self._pending = True

    def wait(self) -> None:
        """Wait for the map the child draws.

        Raises
        ------
        SarkitError
            Where the child could not draw it, with the child's own message.
        """
        if self._child is None or not self._pending:
            return
        self._pending = False
        try:
            _, err = self._child.communicate(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.communicate()
            raise SarkitError(f"the map was not drawn within {WAIT_SECONDS:.0f} s",
                              "run again with --no-map to make the other files") from None
        said = err.decode("utf-8", "replace").strip()
        if self._child.returncode != 0:
            if os.environ.get("SARKIT_DEBUG"):  # the child's traceback
                print(said, file=sys.stderr)
            lines = said.splitlines()
            raise SarkitError("the map could not be drawn: "
                              + (lines[-1] if lines else f"exit {self._child.returncode}"),
                              "run again with --no-map to make the other files")
        if said:  # a warning while drawing: shown, as where the map is drawn in this process
            print(said, file=sys.stderr)

    @contextmanager
    def finishing(self) -> Iterator[MapProcess]:
        """Around writing the other files into the map's folder: at the end, :meth:`wait` for
        the map; where the block fails, the child is ended first, before its folder goes."""
        try:
            yield self
            self.wait()
        finally:
            self.close()

    def close(self) -> None:
        """End the child where it was given no map (or is still drawing one)."""
        if self._child is not None and self._child.poll() is None:
            self._child.kill()
            self._child.communicate()

    def __enter__(self) -> MapProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _run(function: str, path: Path, args: tuple, kwargs: dict) -> None:
    import importlib

    getattr(importlib.import_module(_MAPS[function][0]), function)(path, *args, **kwargs)


def _warm_up(function: str) -> None:
    """What ``function``'s map pays first, paid while the command is still busy: matplotlib's
    imports and fonts, the map's module and its arguments' (unpickling the job then imports
    nothing), and the regions' boundaries. (Drawing a whole map-like figure here too made the
    command slower: on two cores the child's work then competes with the drift.)"""
    import importlib

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from sarkit.planning.regions import search_regions

    module, arguments = _MAPS[function]
    for name in (module, *arguments):
        importlib.import_module(name)
    search_regions()
    figure = Figure(figsize=(1, 1))
    FigureCanvasAgg(figure)
    figure.text(0.5, 0.5, "0.5 NM")
    figure.canvas.draw()


def _main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in _MAPS:
        print(f"usage: python -m sarkit.app.mapprocess {{{','.join(_MAPS)}}}", file=sys.stderr)
        return 2
    _warm_up(argv[0])
    try:
        job = pickle.load(sys.stdin.buffer)
    except EOFError:  # the command ended (or needs no map after all)
        return 0
    function, path, args, kwargs = job
    try:
        _run(function, Path(path), args, kwargs)
    except Exception as exc:  # reported to the command, which fails with it
        if os.environ.get("SARKIT_DEBUG"):
            import traceback

            traceback.print_exc()
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    from sarkit.app.leave import leave

    leave(_main(sys.argv[1:]))  # the command waits for this process's end
