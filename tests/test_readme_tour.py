"""The README's 60-second Python tour runs as written (fewer particles, in a temporary folder)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_python_tour_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    tour = next(b for b in blocks if "run_scenario(sarkit.default_scenario()" in b)
    assert "particles=5000" in tour
    namespace: dict = {}
    exec(compile(tour.replace("particles=5000", "particles=300"), "README tour", "exec"),
         namespace)
    assert (tmp_path / "case1" / "areas.kml").is_file()
    assert namespace["areas"][0.9].area_nm2 > 0
