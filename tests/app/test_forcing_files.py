"""A case whose forcing is a file and whose roster is a file: both travel in the package."""

from __future__ import annotations

import hashlib
import tomllib
from importlib.resources import files

import numpy as np

from sarkit.app.case import export_case, import_case
from sarkit.files.package_reader import read_package
from sarkit.forcing.synthetic import andaman_monsoon
from tests.app.conftest import PARTICLES, members


def _case(folder):
    """A scenario reading a currents netCDF file, a plan naming a roster file, in ``folder``."""
    data = folder / "data"
    data.mkdir(parents=True)
    currents = andaman_monsoon(kind="current", start=np.datetime64("2024-06-10"), hours=36,
                               bbox=(94.0, 8.0, 98.5, 11.0), resolution_deg=0.25)
    currents.to_netcdf(data / "currents.nc")
    scenario = (files("sarkit") / "data" / "default_scenario.toml").read_text(encoding="utf-8")
    scenario = scenario.replace("duration_hours = 48", "duration_hours = 30").replace(
        'currents = { synthetic = "andaman_monsoon", season = "southwest" }',
        'currents = ["data/currents.nc"]')
    (folder / "case.toml").write_text(scenario, encoding="utf-8")
    plan = tomllib.loads((files("sarkit") / "data" / "example_plan.toml").read_text(
        encoding="utf-8"))
    roster = "\n".join(
        "[[asset]]\n" + "\n".join(f"{key} = {value!r}".replace("'", '"')
                                  for key, value in asset.items()) + "\n"
        for asset in plan["asset"])
    (folder / "assets.toml").write_text(roster, encoding="utf-8")
    (folder / "plan.toml").write_text(
        f'roster = "assets.toml"\n[drift]\nscenario = "case.toml"\nparticles = {PARTICLES}\n'
        '[search]\nstart = "2024-06-11T00:00Z"\nend = "2024-06-11T06:00Z"\n'
        "[weather]\nvisibility_nm = 10\nwind_kt = 18\nseas_m = 1.5\n", encoding="utf-8")
    return folder / "plan.toml", data / "currents.nc", folder / "assets.toml"


def test_forcing_and_roster_files_round_trip(tmp_path):
    plan, currents, roster = _case(tmp_path / "sender")
    sent = export_case(plan, tmp_path / "case.sarkit.zip")
    contents = members(sent.path)
    assert contents["forcing/currents-0.nc"] == currents.read_bytes()
    assert contents["roster.toml"] == roster.read_bytes()
    package = read_package(sent.path)
    assert package.scenario["forcing"]["currents"] == ["forcing/currents-0.nc"]
    assert package.manifest["files"]["forcing/currents-0.nc"]["sha256"] == hashlib.sha256(
        currents.read_bytes()).hexdigest()
    assert package.manifest["parameters"]["forcing"] == {"currents": "files",
                                                         "winds": "synthetic"}
    result = import_case(sent.path, tmp_path / "receiver")
    assert result.areas_identical
    assert (tmp_path / "receiver" / "forcing" / "currents-0.nc").read_bytes() == \
        currents.read_bytes()
    assert (tmp_path / "receiver" / "areas.geojson").read_bytes() == contents["areas.geojson"]
