"""numba's options: the cache lives in the user's cache folder, never inside the installed
package; the helpers compiled without an entry for Python are private."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import sarkit
from sarkit._numba import HELPER_OPTIONS

PACKAGE = Path(sarkit.__file__).resolve().parent

CODE = """
import numba, sarkit._numba as options
from sarkit.drift import kernels
kernels.jibe_wait(1, 2, 3, 0.5, -0.69)  # a cached kernel, compiled and written now
print(options.CACHE_DIR)
print(numba.config.CACHE_DIR)
"""


def _run(env: dict) -> list[str]:
    done = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True,
                          text=True, check=True)
    return done.stdout.split()


def _index_files(folder: Path) -> set[Path]:
    return set(folder.rglob("*.nbi"))


def test_the_cache_goes_to_the_user_cache_folder(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    before = _index_files(PACKAGE)
    cache_dir, numba_dir = _run(env)
    assert cache_dir == numba_dir and not Path(cache_dir).is_relative_to(PACKAGE)
    if sys.platform.startswith("linux"):  # where XDG_CACHE_HOME names the user cache folder
        assert cache_dir == str(tmp_path / "cache" / "sarkit" / "numba")
    assert any("jibe_wait" in p.name for p in _index_files(Path(cache_dir)))
    assert _index_files(PACKAGE) == before  # nothing new inside the package


def test_a_cache_folder_set_by_the_user_wins(tmp_path):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "mine"))
    assert _run(env) == [str(tmp_path / "mine")] * 2
    assert any("jibe_wait" in p.name for p in _index_files(tmp_path / "mine"))


def _dispatchers():
    import importlib
    import pkgutil

    from numba.core.dispatcher import Dispatcher

    for info in pkgutil.walk_packages(sarkit.__path__, "sarkit."):
        if info.name.endswith(".__main__"):  # runs the command line
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, Dispatcher) and value.py_func.__module__ == info.name:
                yield info.name, name, value


def test_helpers_without_an_entry_for_python_are_private():
    # called from Python, a helper compiled without numba's Python wrapper crashes the
    # interpreter: only compiled code may call one, so none is public
    helpers = [(module, name) for module, name, dispatcher in _dispatchers()
               if all(dispatcher.targetoptions.get(key) == value
                      for key, value in HELPER_OPTIONS.items())]
    assert ("sarkit.drift.kernels", "_end_block") in helpers
    assert [(module, name) for module, name in helpers if not name.startswith("_")] == []


@pytest.mark.parametrize("name", ["drift", "time_tables", "field_at", "jibe_wait", "sample"])
def test_the_public_kernels_have_an_entry_for_python(name):
    from sarkit.drift import kernels

    options = getattr(kernels, name).targetoptions
    assert not any(options.get(key) for key in HELPER_OPTIONS)
