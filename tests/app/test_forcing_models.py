"""A scenario that weighs several current models (or an ensemble forecast's members): the
particles are divided by weight, each part drifts on its own forcing, and the POC shows the
models' disagreement with the stated weights."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import xarray as xr

from sarkit.app.run import drift_scenario, forcing_members
from sarkit.drift.members import MEMBER_VARIABLE, assign_members, member_shares
from sarkit.errors import SarkitError
from sarkit.files.scenario_toml import scenario_from_dict
from sarkit.forcing.synthetic import andaman_monsoon
from sarkit.poc import poc_grid

LON, LAT = 96.0, 9.0
BASE = {
    "object": "FISHING-VESSEL-1", "particles": 2000, "seed": 5,
    "lkp": {"time": "2024-06-10T00:00:00Z", "lon": LON, "lat": LAT, "radius_nm": 1},
    "run": {"duration_hours": 24, "timestep_minutes": 30, "diffusivity_m2_s": 1},
}
EAST = {"name": "model east", "weight": 0.7, "constant": [0.5, 0.0]}
WEST = {"name": "model west", "weight": 0.3, "constant": [-0.5, 0.0]}


def _scenario(currents, winds=None):
    document = copy.deepcopy(BASE)
    document["forcing"] = {"currents": currents, "winds": winds or {"constant": [0.0, 0.0]}}
    return scenario_from_dict(document)


@pytest.fixture(scope="module")
def two_models() -> xr.Dataset:
    return drift_scenario(_scenario([EAST, WEST]))


def test_two_models_that_disagree_give_two_modes_with_their_weights(two_models):
    assert member_shares(two_models) == [("model east", pytest.approx(0.7, abs=1e-12), 1400),
                                         ("model west", pytest.approx(0.3, abs=1e-12), 600)]
    grid = poc_grid(two_models)
    lon, _ = grid.cell_centres_lonlat()
    east, west = lon > LON + 0.2, lon < LON - 0.2
    assert grid.poc[east].sum() == pytest.approx(0.7, abs=1e-9)
    assert grid.poc[west].sum() == pytest.approx(0.3, abs=1e-9)
    # two modes ~43 km either side (0.5 m/s for 24 h), nothing between them
    assert grid.poc[~(east | west)].sum() == 0.0
    final = two_models["lon"].isel(time=-1).values
    member = two_models[MEMBER_VARIABLE].values
    assert np.all(final[member == 0] > LON + 0.3) and np.all(final[member == 1] < LON - 0.3)
    assert "model east:" in two_models.attrs["currents"]
    assert "model west:" in two_models.attrs["currents"]
    assert two_models.attrs["count_active"] == 2000


def test_each_particle_drifts_as_it_would_on_its_model_alone(two_models):
    # the particles of the east model keep their ids: the same random walk as in a run on
    # that model alone, to the bit
    alone = drift_scenario(_scenario({"constant": [0.5, 0.0]}))
    mine = two_models[MEMBER_VARIABLE].values == 0
    np.testing.assert_array_equal(two_models["lon"].values[mine], alone["lon"].values[mine])
    np.testing.assert_array_equal(two_models["lat"].values[mine], alone["lat"].values[mine])


def test_the_division_is_deterministic_and_spread():
    members = assign_members(10_000, [0.5, 0.3, 0.2])
    np.testing.assert_array_equal(members, assign_members(10_000, [0.5, 0.3, 0.2]))
    assert np.bincount(members).tolist() == [5000, 3000, 2000]
    # every tenth of the ensemble (a sub-scenario, a part of a release window) has its share
    for part in np.split(members, 10):
        assert abs(np.count_nonzero(part == 1) - 300) <= 10
    with pytest.raises(SarkitError, match="at least one particle per member"):
        assign_members(2, [0.5, 0.3, 0.2])


def test_currents_and_winds_pair_with_product_weights():
    winds = [{"name": "GFS", "weight": 1, "constant": [0.0, 5.0]},
             {"name": "ECMWF", "weight": 3, "constant": [0.0, 6.0]}]
    members = forcing_members(_scenario([EAST, WEST], winds))
    assert [(m.name, round(m.weight, 6)) for m in members] == [
        ("model east / GFS", 0.175), ("model east / ECMWF", 0.525),
        ("model west / GFS", 0.075), ("model west / ECMWF", 0.225)]


def test_every_member_of_an_ensemble_forecast(tmp_path):
    base = andaman_monsoon(kind="current", start=np.datetime64("2024-06-10"), hours=30,
                           bbox=(93.0, 7.0, 99.0, 11.0), resolution_deg=0.25)
    parts = []
    for shift in (0.4, -0.4):
        member = base.copy(deep=True)
        member["uo"] = member["uo"] * 0 + np.float32(shift)
        member["vo"] = member["vo"] * 0
        parts.append(member)
    ensemble = xr.concat(parts, dim="realization").transpose("time", "realization", "lat", "lon")
    ensemble["realization"] = ("realization", [0, 1], {"standard_name": "realization"})
    path = tmp_path / "ensemble.nc"
    ensemble.to_netcdf(path)
    scenario = _scenario({"files": [str(path)], "members": "all"})
    assert [(m.name, m.weight) for m in forcing_members(scenario)] == [
        ("currents member 0", 0.5), ("currents member 1", 0.5)]
    result = drift_scenario(scenario, particles=400)
    final = result["lon"].isel(time=-1).values
    member = result[MEMBER_VARIABLE].values
    assert np.all(final[member == 0] > LON + 0.2) and np.all(final[member == 1] < LON - 0.2)
    assert "ensemble member 1 of 2" not in result.attrs["currents"]  # names, not notes
    with pytest.raises(SarkitError, match="holds 2 ensemble forecast members"):
        drift_scenario(_scenario([str(path)]), particles=100)


def test_drift_says_each_models_share_and_datum(tmp_path, capsys):
    from sarkit.app import cli

    scenario = tmp_path / "two models.toml"
    scenario.write_text(
        'name = "two models"\nobject = "FISHING-VESSEL-1"\nparticles = 1000\nseed = 2\n'
        f'[lkp]\ntime = "2024-06-10T00:00:00Z"\nlon = {LON}\nlat = {LAT}\nradius_nm = 1\n'
        "[run]\nduration_hours = 24\ntimestep_minutes = 30\n"
        "[forcing]\nwinds = { constant = [0.0, 0.0] }\n"
        '[[forcing.currents]]\nname = "CMEMS"\nweight = 0.7\nconstant = [0.5, 0.0]\n'
        '[[forcing.currents]]\nname = "HYCOM"\nweight = 0.3\nconstant = [-0.5, 0.0]\n',
        encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["drift", str(scenario), "--out", str(out)]) == 0
    said = (out / "summary.txt").read_text(encoding="utf-8")
    assert ("forcings weighed (the areas hold them all): CMEMS 70% (700 particles); HYCOM 30% "
            "(300 particles)") in said
    east = next(line for line in said.splitlines() if "datum on CMEMS" in line)
    west = next(line for line in said.splitlines() if "datum on HYCOM" in line)
    assert "96.3" in east or "96.4" in east
    assert "95.6" in west or "95.7" in west
    with xr.open_dataset(out / "trajectories.nc") as written:
        assert written[MEMBER_VARIABLE].attrs["member_names"] == "CMEMS; HYCOM"
        np.testing.assert_allclose(written[MEMBER_VARIABLE].attrs["member_weights"], [0.7, 0.3])
    capsys.readouterr()


def test_all_members_of_files_without_members_is_one_clear_error(tmp_path):
    path = tmp_path / "plain.nc"
    andaman_monsoon(kind="current", start=np.datetime64("2024-06-10"), hours=30,
                    bbox=(93.0, 7.0, 99.0, 11.0), resolution_deg=0.25).to_netcdf(path)
    with pytest.raises(SarkitError, match='members = "all" names files of one forecast'):
        drift_scenario(_scenario({"files": [str(path)], "members": "all"}), particles=100)


def test_more_members_than_particles_is_refused():
    many = [{"name": f"m{i}", "weight": 1, "constant": [0.1 * i, 0.0]} for i in range(8)]
    with pytest.raises(SarkitError, match="at least one particle per member"):
        drift_scenario(_scenario(many), particles=5)
