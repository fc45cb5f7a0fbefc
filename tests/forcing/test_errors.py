"""Bad forcing input is refused with a message that names the file or variable and a fix.

Small files are written here (tmp_path), so none of this needs ../shared.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sarkit.errors import (
    BadValueError,
    ForcingCoverageError,
    ForcingFileError,
    ForcingMismatchError,
    ForcingUnitsError,
    ForcingVariableError,
    SarkitError,
)
from sarkit.forcing import open_forcing
from sarkit.forcing.synthetic import uniform_flow
from sarkit.units import KNOT

BOX = (94.0, 6.0, 96.0, 8.0)


def flow(east=0.3, north=-0.1, *, kind="current", start="2024-03-20T00:00", hours=6.0):
    return uniform_flow(east, north, kind=kind, bbox=BOX, start=start, hours=hours,
                        step_hours=3.0, resolution_deg=0.5)


def write(dataset, path: Path) -> Path:
    dataset.to_netcdf(path)
    return path


def assert_helpful(error: SarkitError, *names: str) -> None:
    """The message names each of ``names`` (file, variable, option) and says how to fix it."""
    message = str(error)
    for name in names:
        assert name in message, f"{name!r} not in {message!r}"
    assert "Fix:" in message
    assert message.count("\n") == 0  # one line, for the command line


# --------------------------------------------------------------------------- unreadable files


def test_truncated_netcdf(tmp_path):
    path = write(flow(), tmp_path / "cut.nc")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ForcingFileError, match="cannot be read as netCDF") as caught:
        open_forcing(path)
    assert_helpful(caught.value, "cut.nc")


def test_text_file_named_nc(tmp_path):
    path = tmp_path / "notes.nc"
    path.write_text("wind NE 15 kt, current 0.5 kt SW\n")
    with pytest.raises(ForcingFileError, match="cannot be read as netCDF") as caught:
        open_forcing(path)
    assert_helpful(caught.value, "notes.nc")


def test_missing_path(tmp_path):
    with pytest.raises(ForcingFileError, match="not found") as caught:
        open_forcing(tmp_path / "nowhere" / "currents.nc")
    assert_helpful(caught.value, "currents.nc")


def test_folder_instead_of_a_file(tmp_path):
    with pytest.raises(ForcingFileError, match="folder") as caught:
        open_forcing(tmp_path)
    assert_helpful(caught.value, str(tmp_path))


def test_one_bad_file_among_good_ones(tmp_path):
    good = write(flow(), tmp_path / "good.nc")
    with pytest.raises(ForcingFileError) as caught:
        open_forcing([good, tmp_path / "missing.nc"])
    assert_helpful(caught.value, "missing.nc")


def test_no_files():
    with pytest.raises(BadValueError):
        open_forcing([])


# --------------------------------------------------------------------------- variables


def test_file_without_velocity(tmp_path):
    dataset = flow().rename({"uo": "temp", "vo": "salt"})
    for name in ("temp", "salt"):
        dataset[name].attrs = {"units": "degC"}
    path = write(dataset, tmp_path / "tracers.nc")
    with pytest.raises(ForcingVariableError, match="no current velocity found") as caught:
        open_forcing(path, "current")
    assert_helpful(caught.value, "tracers.nc")


def test_wind_file_asked_for_currents_says_what_it_has(tmp_path):
    path = write(flow(kind="wind"), tmp_path / "wind.nc")
    with pytest.raises(ForcingVariableError, match="found only") as caught:
        open_forcing(path, "current")
    assert_helpful(caught.value, "wind.nc", "u10")


def test_named_variables_that_are_absent(tmp_path):
    path = write(flow(), tmp_path / "c.nc")
    with pytest.raises(ForcingVariableError, match="none of the variables") as caught:
        open_forcing(path, variables=("east_vel", "north_vel"))
    assert_helpful(caught.value, "c.nc", "uo")  # it lists what the file has


def test_named_variables_are_used(tmp_path):
    dataset = flow(0.2, 0.1).rename({"uo": "ucomp", "vo": "vcomp"})
    for name in ("ucomp", "vcomp"):
        del dataset[name].attrs["standard_name"]
    path = write(dataset, tmp_path / "odd_names.nc")
    with pytest.raises(ForcingVariableError):
        open_forcing(path)
    grid = open_forcing(path, variables=("ucomp", "vcomp")).load()
    assert np.allclose(grid.east, 0.2) and np.allclose(grid.north, 0.1)


def test_only_one_component(tmp_path):
    path = write(flow().drop_vars("vo"), tmp_path / "u_only.nc")
    with pytest.raises(ForcingVariableError, match="only the eastward") as caught:
        open_forcing(path)
    assert_helpful(caught.value, "u_only.nc")


def test_unknown_quantity(tmp_path):
    path = write(flow(), tmp_path / "c.nc")
    with pytest.raises(ValueError, match="current' or 'wind"):
        open_forcing(path, "waves")


# --------------------------------------------------------------------------- units


def _with_units(tmp_path, units, east=0.3, north=-0.1, name="c.nc"):
    dataset = flow(east, north)
    for variable in ("uo", "vo"):
        if units is None:
            del dataset[variable].attrs["units"]
        else:
            dataset[variable].attrs["units"] = units
    return write(dataset, tmp_path / name)


def test_unknown_units_name_the_variable(tmp_path):
    path = _with_units(tmp_path, "furlongs", name="furlongs.nc")
    with pytest.raises(ForcingUnitsError, match="furlongs") as caught:
        open_forcing(path)
    assert_helpful(caught.value, "furlongs.nc", "variable 'uo'")


def test_cm_per_s_converted(tmp_path):
    path = _with_units(tmp_path, "cm/s", 30.0, -10.0)
    grid = open_forcing(path).load()
    np.testing.assert_allclose(grid.east, 0.3, rtol=1e-6)
    np.testing.assert_allclose(grid.north, -0.1, rtol=1e-6)
    assert any("cm/s" in note for note in grid.notes)


@pytest.mark.parametrize("units", ["knots", "kt", "kn"])
def test_knots_converted(tmp_path, units):
    path = _with_units(tmp_path, units, 2.0, -1.0)
    grid = open_forcing(path).load()
    np.testing.assert_allclose(grid.east, 2.0 * KNOT, rtol=1e-6)
    np.testing.assert_allclose(grid.north, -1.0 * 1852.0 / 3600.0, rtol=1e-6)


def test_missing_units_refused_then_accepted_when_stated(tmp_path):
    path = _with_units(tmp_path, None, 30.0, -10.0, name="no_units.nc")
    with pytest.raises(ForcingUnitsError, match="no units") as caught:
        open_forcing(path)
    assert_helpful(caught.value, "no_units.nc", "variable 'uo'", "units='m/s'")
    grid = open_forcing(path, units="cm/s").load()
    np.testing.assert_allclose(grid.east, 0.3, rtol=1e-6)
    np.testing.assert_allclose(grid.north, -0.1, rtol=1e-6)
    assert any("(given)" in note for note in grid.notes)


def test_stated_units_never_override_the_file(tmp_path):
    path = _with_units(tmp_path, "m s-1", 0.3, -0.1)
    grid = open_forcing(path, units="cm/s").load()
    np.testing.assert_allclose(grid.east, 0.3, rtol=1e-6)


def test_units_in_long_name(tmp_path):
    dataset = flow(30.0, -10.0)
    for variable in ("uo", "vo"):
        del dataset[variable].attrs["units"]
        dataset[variable].attrs["long_name"] = "velocity (cm/s)"
    grid = open_forcing(write(dataset, tmp_path / "c.nc")).load()
    np.testing.assert_allclose(grid.east, 0.3, rtol=1e-6)


@pytest.mark.parametrize(("kind", "east", "refused"), [
    ("current", 50.0, True),
    ("current", 3.0, False),
    ("wind", 150.0, True),
    ("wind", 50.0, False),
])
def test_implausible_speeds(tmp_path, kind, east, refused):
    path = write(flow(east, 0.0, kind=kind), tmp_path / "fast.nc")
    source = open_forcing(path, kind)
    if not refused:
        assert np.allclose(source.load().east, east)
        return
    with pytest.raises(ForcingUnitsError, match="far too fast") as caught:
        source.load()
    assert_helpful(caught.value, "fast.nc", "variable")


def test_cm_per_s_stored_as_m_per_s_is_caught(tmp_path):
    # 30 cm/s written with units m/s: 30 m/s is no ocean current
    path = _with_units(tmp_path, "m/s", 30.0, -10.0, name="mislabelled.nc")
    with pytest.raises(ForcingUnitsError, match="cm/s stored as m/s"):
        open_forcing(path).load()


def test_undeclared_fill_values_are_missing(tmp_path):
    dataset = flow()
    values = dataset["uo"].values.copy()
    values[:, 0, 0] = 1e20
    dataset["uo"].values = values
    grid = open_forcing(write(dataset, tmp_path / "c.nc")).load(coast_fill_passes=0)
    assert np.isnan(grid.east[:, 0, 0]).all()
    assert np.isfinite(grid.east[:, 1:, 1:]).all()


# --------------------------------------------------------------------------- requests


@pytest.mark.parametrize(("bbox", "reason"), [
    ((94.0, 8.0, 96.0, 6.0), "impossible"),  # south > north
    ((94.0, 6.0, 96.0, 95.0), "impossible"),  # north beyond the pole
    ((94.0, 6.0, 94.0, 8.0), "west == east"),
    ((94.0, 6.0, 96.0), "four numbers"),
    (("a", "b", "c", "d"), "four numbers"),
    ((94.0, np.nan, 96.0, 8.0), "non-finite"),
])
def test_bbox_nonsense(tmp_path, bbox, reason):
    source = open_forcing(write(flow(), tmp_path / "c.nc"))
    with pytest.raises(BadValueError, match=reason) as caught:
        source.load(bbox)
    assert_helpful(caught.value, "bbox")
    assert isinstance(caught.value, ValueError)


def test_time_nonsense(tmp_path):
    source = open_forcing(write(flow(), tmp_path / "c.nc"))
    with pytest.raises(BadValueError, match="start"):
        source.load(BOX, "yesterday", "2024-03-20T03:00Z")
    with pytest.raises(BadValueError, match="end"):
        source.load(BOX, "2024-03-20T00:00Z", float("nan"))


def test_box_outside_the_data(tmp_path):
    source = open_forcing(write(flow(), tmp_path / "c.nc"))
    with pytest.raises(ForcingCoverageError, match="outside the data") as caught:
        source.load((10.0, 40.0, 12.0, 42.0))
    assert_helpful(caught.value, "c.nc")
    assert "the box 40.00N..42.00N 10.00E..12.00E is outside" in str(caught.value)
    west = r"the box 40\.00N\.\.42\.00N 12\.00W\.\.10\.00W"  # west of Greenwich: never -12.00E
    with pytest.raises(ForcingCoverageError, match=west):
        source.load((-12.0, 40.0, -10.0, 42.0))


def test_window_outside_the_data(tmp_path):
    source = open_forcing(write(flow(), tmp_path / "c.nc"))
    with pytest.raises(ForcingCoverageError, match="outside the data") as caught:
        source.load(BOX, "2024-03-21T00:00Z", "2024-03-21T06:00Z")
    assert_helpful(caught.value, "c.nc", "2024-03-20T00:00:00Z .. 2024-03-20T06:00:00Z")


# --------------------------------------------------------------------------- several files


def test_u_and_v_files_with_different_times(tmp_path):
    u_file = write(flow(start="2024-03-20T00:00").drop_vars("vo"), tmp_path / "u.nc")
    v_file = write(flow(start="2024-03-20T01:00").drop_vars("uo"), tmp_path / "v.nc")
    with pytest.raises(ForcingMismatchError, match="different times") as caught:
        open_forcing([u_file, v_file])
    assert_helpful(caught.value, "u.nc", "v.nc")


def test_u_and_v_files_with_the_same_times_join(tmp_path):
    u_file = write(flow(0.3, -0.1).drop_vars("vo"), tmp_path / "u.nc")
    v_file = write(flow(0.3, -0.1).drop_vars("uo"), tmp_path / "v.nc")
    grid = open_forcing([v_file, u_file]).load()
    assert np.allclose(grid.east, 0.3) and np.allclose(grid.north, -0.1)


def test_overlapping_files(tmp_path):
    first = write(flow(start="2024-03-20T00:00"), tmp_path / "a.nc")
    second = write(flow(start="2024-03-20T03:00"), tmp_path / "b.nc")
    with pytest.raises(ForcingMismatchError, match="overlap") as caught:
        open_forcing([first, second])
    assert_helpful(caught.value, "a.nc", "b.nc")


def test_same_file_twice(tmp_path):
    path = write(flow(), tmp_path / "a.nc")
    with pytest.raises(ForcingMismatchError, match="overlap"):
        open_forcing([path, path])


def test_files_on_different_grids(tmp_path):
    first = write(flow(start="2024-03-20T00:00"), tmp_path / "a.nc")
    other = uniform_flow(0.3, -0.1, bbox=(90.0, 0.0, 92.0, 2.0), start="2024-03-21T00:00",
                         hours=6.0, step_hours=3.0, resolution_deg=0.5)
    second = write(other, tmp_path / "b.nc")
    with pytest.raises(ForcingMismatchError, match="grids") as caught:
        open_forcing([first, second])
    assert_helpful(caught.value, "a.nc", "b.nc")


def test_consecutive_files_join(tmp_path):
    first = write(flow(0.3, -0.1, start="2024-03-20T00:00"), tmp_path / "a.nc")
    second = write(flow(0.3, -0.1, start="2024-03-20T09:00"), tmp_path / "b.nc")
    grid = open_forcing([second, first]).load()
    assert grid.time.size == 6
    np.testing.assert_array_equal(np.diff(grid.time), 3 * 3600.0)
