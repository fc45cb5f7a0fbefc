"""The package as a user imports it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sarkit

REPO = Path(__file__).resolve().parents[1]


def test_public_api_is_curated():
    for name in sarkit.__all__:
        assert hasattr(sarkit, name), name
    assert sarkit.__version__


def test_import_is_light():
    code = "import sys, sarkit; print('matplotlib' in sys.modules, 'numba' in sys.modules)"
    path = os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": path})
    assert done.stdout.split() == ["False", "False"]


PLANNER_ONLY = ("scipy.optimize", "scipy.special", "scipy.sparse", "scipy.ndimage",
                "sarkit.planning.plan", "sarkit.planning.allocate", "sarkit.files.planfile",
                "matplotlib")
"""What ``sarkit drift`` does not need: the planner's solvers, sweep tables and graph search
(about 0.4 s of imports together), and matplotlib (the map is drawn apart)."""


def test_the_drift_command_imports_no_planner():
    # `sarkit drift` reads the SRRs (sarkit.planning.regions) but plans nothing
    code = ("import sys, sarkit.app.drift, sarkit.app.cli; "
            f"print([name for name in {PLANNER_ONLY!r} if name in sys.modules])")
    path = os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": path})
    assert done.stdout.strip() == "[]"


def test_every_package_name_resolves():
    # the packages import their names on first use (sarkit._lazy): each listed name is there
    import importlib

    for package in ("app", "drift", "files", "forcing", "mass", "planning", "plot", "poc",
                    "scenario"):
        module = importlib.import_module(f"sarkit.{package}")
        for name in module.__all__:
            assert getattr(module, name) is not None, f"sarkit.{package}.{name}"
            assert name in dir(module), f"sarkit.{package}.{name}"
