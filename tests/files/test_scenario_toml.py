"""Scenario files: the bundled example runs; every bad entry gives an error naming its key."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from sarkit.app.run import drift_scenario, load_forcing
from sarkit.errors import SarkitError
from sarkit.files.scenario_toml import default_scenario, load_scenario, scenario_from_dict
from sarkit.forcing.synthetic import andaman_monsoon
from sarkit.scenario import (
    Area,
    LastKnownPosition,
    ScenarioError,
    Track,
    split_by_weight,
)
from sarkit.times import parse_time

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "data" / "scenarios" / "andaman_fishing_boat.toml"

BASE = """\
name = "test"
object = "FISHING-VESSEL-1"
particles = 100
seed = 3
{location}
[run]
{run}
[forcing]
{forcing}
"""
LKP = """\
[lkp]
time = "2024-06-10T02:00:00Z"
lon = 95.8
lat = 9.2
radius_nm = 5
"""
RUN = "duration_hours = 6"
CONSTANT = "currents = { constant = [0.2, 0.0] }\nwinds = { constant = [0.0, 5.0] }"


def write(tmp_path: Path, location: str = LKP, run: str = RUN, forcing: str = CONSTANT,
          **replace: str) -> Path:
    text = BASE.format(location=location, run=run, forcing=forcing)
    for old, new in replace.items():
        text = text.replace(old.replace("__", " "), new)
    path = tmp_path / "case.toml"
    path.write_text(text)
    return path


def error(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert "Fix:" in message
    assert str(path) in message
    return message


# --------------------------------------------------------------------------- bundled scenario


def test_bundled_scenario_loads_and_runs():
    scenario = load_scenario(BUNDLED)
    assert "SYNTHETIC" in scenario.name
    assert scenario.scenarios[0].object.id == "FISHING-VESSEL-1"
    spec = scenario.currents[0].spec
    assert spec.kind == "synthetic" and spec.season == "southwest"
    assert scenario.run_settings.duration_hours == 48
    result = drift_scenario(scenario, particles=200)
    assert result.sizes["trajectory"] == 200
    assert result.attrs["scenario"] == scenario.name
    assert result.attrs["count_stranded"] == 0  # far from land for the whole run
    assert result.attrs["count_active"] == 200
    lon, lat = result.lon.values[:, -1], result.lat.values[:, -1]
    assert np.all((lon > 91) & (lon < 100) & (lat > 4) & (lat < 16))


def test_package_copy_matches_the_bundled_file():
    packaged = REPO / "sarkit" / "data" / "default_scenario.toml"
    assert packaged.read_text() == BUNDLED.read_text()
    assert default_scenario().name == load_scenario(BUNDLED).name


# --------------------------------------------------------------------------- good files


def test_lkp_with_constant_forcing(tmp_path):
    scenario = load_scenario(write(tmp_path))
    where = scenario.scenarios[0].where
    assert isinstance(where, LastKnownPosition)
    assert where.time == where.end_time == parse_time("2024-06-10T02:00Z")
    assert scenario.currents[0].spec.constant == (0.2, 0.0)
    assert scenario.seed == 3 and scenario.particle_count == 100
    particles = scenario.particles()
    assert particles.count == 100
    currents, winds = load_forcing(scenario, (95, 9, 96, 10))
    assert currents.is_steady and float(winds.north.max()) == pytest.approx(5.0)


def test_constant_forcing_runs_and_drifts_east(tmp_path):
    scenario = load_scenario(write(tmp_path, run="duration_hours = 6\ndiffusivity_m2_s = 0"))
    result = drift_scenario(scenario, particles=50, seed=2)
    assert result.sizes["trajectory"] == 50
    east = np.mean(result.lon.values[:, -1] - result.lon.values[:, 0])
    north = np.mean(result.lat.values[:, -1] - result.lat.values[:, 0])
    assert east == pytest.approx(0.2 * 6 * 3600 / 111_195 / np.cos(np.radians(9.2)), rel=0.3)
    assert north > 0  # the downwind leeway of a northward wind


def test_leeway_perturbations_that_vary_in_time(tmp_path):
    fixed = load_scenario(write(tmp_path, run="duration_hours = 6"))
    assert fixed.run_settings.leeway_correlation_hours is None
    scenario = load_scenario(write(tmp_path, run="duration_hours = 6\n"
                                                 "leeway_correlation_hours = 4"))
    assert scenario.run_settings.leeway_correlation_hours == 4.0
    result = drift_scenario(scenario, particles=50, seed=2)
    assert result.attrs["leeway_correlation_hours"] == 4.0
    assert "leeway_correlation_hours" not in drift_scenario(fixed, particles=50, seed=2).attrs


def test_toml_datetimes_are_accepted(tmp_path):
    path = write(tmp_path, **{'time = "2024-06-10T02:00:00Z"': "time = 2024-06-10T02:00:00Z"})
    assert load_scenario(path).scenarios[0].where.time == parse_time("2024-06-10T02:00Z")


def test_track(tmp_path):
    location = """\
[track]
start = [95.0, 9.0]
end = [96.0, 9.0]
start_time = "2024-06-10T00:00:00Z"
end_time = "2024-06-10T10:00:00Z"
radius_nm = 0
"""
    scenario = load_scenario(write(tmp_path, location))
    assert isinstance(scenario.scenarios[0].where, Track)
    particles = scenario.particles()
    assert particles.lon.min() >= 95.0 - 1e-9 and particles.lon.max() <= 96.0 + 1e-9
    assert scenario.window()[0] == parse_time("2024-06-10T00:00Z")


def test_area(tmp_path):
    location = """\
[area]
polygon = [[95, 9], [96, 9], [96, 10], [95, 10]]
time = "2024-06-10T02:00:00Z"
end_time = "2024-06-10T04:00:00Z"
"""
    scenario = load_scenario(write(tmp_path, location))
    assert isinstance(scenario.scenarios[0].where, Area)
    particles = scenario.particles()
    assert particles.lat.min() >= 9 and particles.lat.max() <= 10
    assert particles.release.max() <= parse_time("2024-06-10T04:00Z")


SCENARIOS = """\
[[scenario]]
name = "drifting"
weight = 3
[scenario.lkp]
time = "2024-06-10T02:00:00Z"
lon = 95.8
lat = 9.2
radius_nm = 2

[[scenario]]
weight = 1
object = "PIW-1"
[scenario.area]
polygon = [[95, 9], [95.5, 9], [95.5, 9.5]]
time = "2024-06-10T03:00:00Z"
"""


def test_weighted_scenarios_split_particles(tmp_path):
    scenario = load_scenario(write(tmp_path, SCENARIOS))
    assert [s.name for s in scenario.scenarios] == ["drifting", "scenario 2"]
    assert scenario.scenarios[1].object.id == "PIW-1"
    particles = scenario.particles()
    assert np.bincount(particles.scenario).tolist() == [75, 25]
    assert particles.weight[particles.scenario == 0].sum() == pytest.approx(0.75)
    assert len(particles.objects) == 2
    assert np.bincount(scenario.particles(count=8).scenario).tolist() == [6, 2]


def test_per_scenario_counts(tmp_path):
    text = SCENARIOS.replace("weight = 3\n", "weight = 3\nparticles = 10\n").replace(
        "weight = 1\n", "weight = 1\nparticles = 30\n")
    scenario = load_scenario(write(tmp_path, text, **{"particles = 100\n": ""}))
    assert scenario.particle_count == 40
    particles = scenario.particles()
    assert np.bincount(particles.scenario).tolist() == [10, 30]
    assert particles.weight[particles.scenario == 0].sum() == pytest.approx(0.75)


def test_sub_scenarios_get_their_own_seeds(tmp_path):
    text = SCENARIOS.replace('object = "PIW-1"\n[scenario.area]\npolygon = [[95, 9], '
                             "[95.5, 9], [95.5, 9.5]]", "[scenario.lkp]\nlon = 95.8\nlat = 9.2\n"
                             "radius_nm = 2").replace("weight = 3", "weight = 1")
    particles = load_scenario(write(tmp_path, text)).particles()
    first, second = particles.lon[particles.scenario == 0], particles.lon[particles.scenario == 1]
    assert not np.array_equal(first, second)


def test_split_by_weight_adds_up():
    assert split_by_weight(10, [1, 1, 1]) == [4, 3, 3]
    assert split_by_weight(3, [1000, 1, 1]) == [1, 1, 1]
    assert sum(split_by_weight(1001, [0.2, 0.3, 0.5])) == 1001


def test_relative_forcing_paths_resolve_against_the_file(tmp_path, monkeypatch):
    folder = tmp_path / "forcing"
    folder.mkdir()
    for kind in ("current", "wind"):
        andaman_monsoon(kind=kind, start="2024-06-10", hours=24).to_netcdf(folder / f"{kind}.nc")
    forcing = 'currents = ["forcing/current.nc"]\nwinds = ["forcing/wind.nc"]\nunits = "m/s"'
    path = write(tmp_path, forcing=forcing)
    monkeypatch.chdir(REPO)
    scenario = load_scenario(path)
    assert scenario.currents[0].spec.paths == (folder / "current.nc",)
    assert scenario.units == "m/s"
    currents, winds = load_forcing(scenario, (95, 8.5, 96.5, 10))
    assert currents.times.min() <= np.datetime64("2024-06-10T02:00")
    assert winds.times.max() >= np.datetime64("2024-06-10T08:00")


def test_forcing_outside_the_files_window_propagates(tmp_path):
    andaman_monsoon(kind="current", start="2024-07-01", hours=6).to_netcdf(tmp_path / "c.nc")
    scenario = load_scenario(write(tmp_path, forcing='currents = ["c.nc"]\n'
                                   "winds = { constant = [0, 5] }"))
    with pytest.raises(SarkitError):
        load_forcing(scenario, (95, 9, 96, 10))


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(("replace", "key", "words"), [
    ({"lon = 95.8\n": ""}, "lkp.lon", "missing"),
    ({"radius_nm = 5": 'radius_nm = "5"'}, "lkp.radius_nm", "expected a number"),
    ({"radius_nm = 5": "radius_nm = true"}, "lkp.radius_nm", "expected a number"),
    ({"radius_nm = 5": "radius_nm = -1"}, "lkp.radius_nm", "out of range"),
    ({"radius_nm = 5": "radius_nm = 501"}, "lkp.radius_nm", "out of range"),
    ({"lat = 9.2": "lat = 91"}, "lkp.lat", "out of range"),
    ({"radius_nm = 5": "radius_mn = 5"}, "lkp.radius_mn", "did you mean `radius_nm`"),
    ({"seed = 3": "sead = 3"}, "sead", "did you mean `seed`"),
    ({"seed = 3": "seed = 1.5"}, "seed", "whole number"),
    ({"particles = 100": "particles = 0"}, "particles", "less than 1"),
    ({"particles = 100": 'particles = "many"'}, "particles", "whole number"),
    ({'object = "FISHING-VESSEL-1"': 'object = "submarine with wings"'}, "object", ""),
    ({'object = "FISHING-VESSEL-1"\n': ""}, "object", "missing"),
    ({'time = "2024-06-10T02:00:00Z"': 'time = "yesterday"'}, "lkp.time", "not a date"),
    ({'time = "2024-06-10T02:00:00Z"': "time = 2024-06-10"}, "lkp.time", "without a time"),
    ({'time = "2024-06-10T02:00:00Z"': 'time = "2024-06-10T02:00:00Z"\n'
      'end_time = "2024-06-10T01:00:00Z"'}, "lkp.end_time", "before the start"),
    ({"[lkp]": "[lpk]"}, "lpk", "did you mean `lkp`"),
])
def test_bad_entries_name_their_key(tmp_path, replace, key, words):
    message = error(write(tmp_path, **{k.replace(" ", "__"): v for k, v in replace.items()}))
    assert f"{key}:" in message
    assert words in message


@pytest.mark.parametrize(("run", "key", "words"), [
    ('duration_hours = 6\nend = "2024-06-11T00:00:00Z"', "run.duration_hours / run.end",
     "both given"),
    ("timestep_minutes = 10", "run.duration_hours / run.end", "neither given"),
    ("duration_hours = 0", "run.duration_hours", "zero"),
    ('duration_hours = "6"', "run.duration_hours", "expected a number"),
    ("duration_hours = 6\ntimestep_minutes = 0", "run.timestep_minutes", "out of range"),
    ("duration_hours = 6\ntimestep_minutes = 30\noutput_every_minutes = 10",
     "run.output_every_minutes", "out of range"),
    ("duration_hours = 6\njibe_probability_per_hour = 2", "run.jibe_probability_per_hour",
     "out of range"),
    ("duration_hours = 6\nleeway_correlation_hours = 0", "run.leeway_correlation_hours",
     "out of range"),
    ('duration_hours = 6\nleeway_correlation_hours = "6h"', "run.leeway_correlation_hours",
     "expected a number"),
    ("duration_hours = 6\ndifusivity_m2_s = 5", "run.difusivity_m2_s",
     "did you mean `diffusivity_m2_s`"),
    ('end = "2024-06-10T02:00:00Z"', "run.end", "ends when it starts"),
])
def test_bad_run_settings(tmp_path, run, key, words):
    message = error(write(tmp_path, run=run))
    assert f"{key}:" in message
    assert words in message


@pytest.mark.parametrize(("forcing", "key", "words"), [
    ('currents = ["missing.nc"]\nwinds = { constant = [0, 5] }', "forcing.currents[0]",
     "does not exist"),
    ("winds = { constant = [0, 5] }", "forcing.currents", "missing"),
    ("currents = { constant = [0.2] }\nwinds = { constant = [0, 5] }", "forcing.currents.constant",
     "two numbers"),
    ("currents = { constant = [20, 0] }\nwinds = { constant = [0, 5] }",
     "forcing.currents.constant", "plausible"),
    ('currents = { constant = [0, 0], season = "southwest" }\nwinds = { constant = [0, 5] }',
     "forcing.currents.season", "unknown key"),
    ('currents = { synthetic = "andaman_monsoon" }\nwinds = { constant = [0, 5] }',
     "forcing.currents.season", "missing"),
    ('currents = { synthetic = "gulf_stream", season = "southwest" }\n'
     "winds = { constant = [0, 5] }", "forcing.currents.synthetic", "not one of"),
    ("currents = { constant = [0, 0] }\nwinds = 5", "forcing.winds", "list of files"),
    ("currents = { constant = [0, 0] }\nwinds = { constnt = [0, 5] }", "forcing.winds.constnt",
     "did you mean `constant`"),
])
def test_bad_forcing(tmp_path, forcing, key, words):
    message = error(write(tmp_path, forcing=forcing))
    assert f"{key}:" in message
    assert words in message


def test_missing_second_forcing_file_names_its_index(tmp_path):
    (tmp_path / "a.nc").write_bytes(b"")
    message = error(write(tmp_path, forcing='currents = ["a.nc", "b.nc"]\n'
                          "winds = { constant = [0, 5] }"))
    assert "forcing.currents[1]:" in message
    assert str(tmp_path / "b.nc") in message


@pytest.mark.parametrize(("text", "key", "words"), [
    (SCENARIOS.replace("weight = 3", "weight = 0"), "scenario[0].weight", "out of range"),
    (SCENARIOS.replace("weight = 3", 'weight = "high"'), "scenario[0].weight",
     "expected a number"),
    (SCENARIOS.replace("weight = 3\n", ""), "scenario[0].weight", "missing"),
    (SCENARIOS.replace("weight = 3\n", "weight = 3\nparticles = 10\n"), "scenario[1].particles",
     "missing"),
    (SCENARIOS.replace("[scenario.lkp]", "[scenario.track]"), "scenario[0].track.time",
     "did you mean `start_time`"),
    (SCENARIOS.replace("[scenario.area]", "[scenario.ara]"), "scenario[1].ara",
     "did you mean `area`"),
    (SCENARIOS + LKP, "lkp", "given together"),
])
def test_bad_weighted_scenarios(tmp_path, text, key, words):
    message = error(write(tmp_path, text))
    assert f"{key}:" in message
    assert words in message


def test_no_location(tmp_path):
    assert "exactly one of [lkp]" in error(write(tmp_path, ""))


def test_area_needs_three_vertices(tmp_path):
    location = '[area]\npolygon = [[95, 9], [96, 9]]\ntime = "2024-06-10T02:00:00Z"\n'
    assert "area.polygon:" in error(write(tmp_path, location))


def test_not_toml_and_missing_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("name = \n")
    assert "not valid TOML" in error(path)
    assert "cannot read" in error(tmp_path / "absent.toml")


def test_from_dict_without_a_file():
    with pytest.raises(ScenarioError, match=r"name: expected text.*Fix:"):
        scenario_from_dict({"name": 5}, ".")


def test_copy_of_bundled_scenario_elsewhere_still_loads(tmp_path):
    shutil.copy(BUNDLED, tmp_path / "copy.toml")
    assert load_scenario(tmp_path / "copy.toml").particle_count == 20000


# --------------------------------------------------------------------------- transitions

TRANSITION = '\n[[transition]]\nto = "PIW-1"\nrate_per_hour = 0.05\n'


def test_transition_from_the_scenario_object(tmp_path):
    scenario = load_scenario(write(tmp_path, forcing=CONSTANT + TRANSITION))
    (transition,) = scenario.transitions
    assert (transition.source.id, transition.target.id) == ("FISHING-VESSEL-1", "PIW-1")
    assert transition.rate_per_hour == 0.05
    assert transition.rate_per_hour_per_ms == 0.0


def test_transition_rising_with_wind(tmp_path):
    text = ('\n[[transition]]\nfrom = "FISHING-VESSEL-1"\nto = "PIW-1"\n'
            "wind_threshold_ms = 10\nrate_per_hour_per_ms = 0.02\n")
    (transition,) = load_scenario(write(tmp_path, forcing=CONSTANT + text)).transitions
    assert transition.rate_per_hour == 0.0
    assert transition.wind_threshold_ms == 10.0
    assert transition.hazard_per_hour(15.0) == pytest.approx(0.1)
    assert transition.hazard_per_hour(5.0) == 0.0


def test_no_transition_by_default(tmp_path):
    assert load_scenario(write(tmp_path)).transitions == ()


@pytest.mark.parametrize(("text", "key", "words"), [
    ('to = "PIW-1"\nrate_per_hour = -0.1', "transition[0].rate_per_hour", "out of range"),
    ('to = "PIW-1"', "transition[0].rate_per_hour", "missing"),
    ('to = "PIW-11"\nrate_per_hour = 0.1', "transition[0].to", "did you mean"),
    ('rate_per_hour = 0.1', "transition[0].to", "missing"),
    ('to = "PIW-1"\nrate = 0.1', "transition[0].rate", "did you mean `rate_per_hour`"),
    ('to = "PIW-1"\nrate_per_hour = 0.1\nwind_threshold_ms = 10',
     "transition[0].wind_threshold_ms", "without rate_per_hour_per_ms"),
    ('to = "FISHING-VESSEL-1"\nfrom = "FISHING-VESSEL-1"\nrate_per_hour = 0.1',
     "transition[0].to", "same class"),
    ('to = "PIW-1"\nrate_per_hour = 0.1\n[[transition]]\nfrom = "PIW-1"\nto = "PIW-2"\n'
     "rate_per_hour = 0.1", "transition", "switches once"),
])
def test_bad_transitions(tmp_path, text, key, words):
    message = error(write(tmp_path, forcing=CONSTANT + "\n[[transition]]\n" + text + "\n"))
    assert f"{key}:" in message
    assert words in message


def test_transition_refused_backward(tmp_path):
    message = error(write(tmp_path, run="duration_hours = -6", forcing=CONSTANT + TRANSITION))
    assert "backward" in message
