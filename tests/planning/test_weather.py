"""Weather beyond physical sense is refused, with the plausible range, by Weather and by the
plan- and case-file readers alike (one set of maxima, beside Weather)."""

from __future__ import annotations

from importlib.resources import files

import pytest

from sarkit.errors import BadValueError
from sarkit.files.casefile import CaseFileError, load_case_file
from sarkit.files.planfile import PlanFileError, load_plan_file
from sarkit.planning import Weather
from sarkit.planning.plan import MAX_SEAS_M, MAX_VISIBILITY_NM, MAX_WIND_KT

DATA = files("sarkit") / "data"
PLAN = (DATA / "example_plan.toml").read_text(encoding="utf-8")
CASES = (DATA / "example_cases.toml").read_text(encoding="utf-8")


def test_the_limits():
    assert (MAX_WIND_KT, MAX_SEAS_M, MAX_VISIBILITY_NM) == (200.0, 20.0, 100.0)
    at_the_limits = Weather(visibility_nm=MAX_VISIBILITY_NM, wind_kt=MAX_WIND_KT,
                            seas_m=MAX_SEAS_M)
    assert at_the_limits.wind_kt == 200.0


@pytest.mark.parametrize(("values", "fragments"), [
    ({"wind_kt": 500}, ("wind_kt = 500 is more than 200", "<= 200 kt", "km/h")),
    ({"seas_m": 40}, ("seas_m = 40 is more than 20", "<= 20 m", "feet")),
    ({"visibility_nm": 1e4}, ("visibility_nm = 10000.0 is more than 100", "> 0 and <= 100 NM")),
    ({"visibility_nm": 0}, ("visibility_nm = 0 is not a finite number > 0 and <= 100",)),
    ({"wind_kt": -1}, ("wind_kt = -1 is not a finite number >= 0 and <= 200",)),
    ({"seas_m": float("inf")}, ("seas_m = inf is not a finite number",))])
def test_weather_refuses_absurd_values(values, fragments):
    with pytest.raises(BadValueError) as caught:
        Weather(**{"visibility_nm": 10, **values})
    for fragment in fragments:
        assert fragment in str(caught.value), str(caught.value)


@pytest.mark.parametrize(("old", "new", "key", "bound"), [
    ("wind_kt = 18", "wind_kt = 500", "weather.wind_kt", "at least 0 and at most 200"),
    ("seas_m = 1.5", "seas_m = 40", "weather.seas_m", "at least 0 and at most 20"),
    ("visibility_nm = 10", "visibility_nm = 1000", "weather.visibility_nm",
     "above 0 and at most 100")])
@pytest.mark.parametrize(("text", "load", "error", "name"), [
    (PLAN, load_plan_file, PlanFileError, "plan.toml"),
    (CASES, load_case_file, CaseFileError, "cases.toml")])
def test_plan_and_case_files_refuse_absurd_weather(tmp_path, old, new, key, bound, text, load,
                                                    error, name):
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(error) as caught:
        load(path)
    message = str(caught.value)
    assert f"{key}: {new.split(' = ')[1]} is out of range" in message, message
    assert f"give a number {bound}" in message
