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


def test_the_drift_command_imports_no_planning_optimiser():
    # `sarkit drift` reads the SRRs (sarkit.planning.regions) but plans nothing: scipy.optimize
    # (0.2-0.4 s to import) waits for a plan
    code = ("import sys, sarkit.app.drift, sarkit.app.cli; "
            "print('scipy.optimize' in sys.modules, 'matplotlib' in sys.modules)")
    path = os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": path})
    assert done.stdout.split() == ["False", "False"]
