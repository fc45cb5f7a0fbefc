"""The worked notebooks: stored without outputs, and each runs from start to end.

Each notebook is executed by nbclient in a fresh temporary working folder, with a kernel that
runs this very Python (the test writes its own kernel spec, so the notebooks see the sarkit and
the packages of the environment that runs the tests). The parameter cell keeps the particle
counts small. Where ``../shared/data/realworld`` is beside the clone, notebook 03 reads the real
files from it (through ``SARKIT_REALWORLD_DATA``); otherwise it says so and writes synthetic ones.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REALWORLD = ROOT.parent / "shared" / "data" / "realworld"
EXPECTED = ("01_drift_and_search_areas", "02_planning_with_regional_assets",
            "03_your_own_forcing", "04_mass_event", "05_boat_that_may_capsize")


def test_the_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == list(EXPECTED)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        assert cell.get("outputs") == [], f"cell {number} has outputs: clear them"
        assert cell.get("execution_count") is None, f"cell {number} has an execution count"
    parameters = [c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(parameters) == 1 and "PARTICLES" in "".join(parameters[0]["source"])


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """A kernel spec named python3 that runs this interpreter, first on JUPYTER_PATH."""
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    jupyter = tmp_path_factory.mktemp("jupyter")
    spec = jupyter / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (sarkit tests)", "language": "python"}))
    env = {"JUPYTER_PATH": os.pathsep.join([str(jupyter), os.environ.get("JUPYTER_PATH", "")]),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "MPLBACKEND": "Agg"}
    if REALWORLD.is_dir():
        env["SARKIT_REALWORLD_DATA"] = str(REALWORLD)
    return env


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, kernel_env, tmp_path, monkeypatch):
    import nbclient
    import nbformat

    for key, value in kernel_env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, kernel_name="python3", timeout=600,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2, "the notebook should show its maps"
    text = "".join(o.get("text", "") for o in outputs)
    if path.stem.startswith("03"):
        assert ("real files:" in text) == REALWORLD.is_dir()
    assert "Traceback" not in text
