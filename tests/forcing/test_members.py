"""Files of an ensemble forecast: one member read at a time, never all mixed up."""

from __future__ import annotations

import numpy as np
import pytest

from sarkit.errors import ForcingGridError
from sarkit.forcing import describe, open_forcing
from sarkit.forcing.synthetic import andaman_monsoon
from tests.ensembles import ensemble_of

BOX = (94.0, 7.0, 97.0, 10.0)


@pytest.fixture(scope="module")
def members():
    """Three currents that differ by 0.1 m/s eastward, each alone and as one ensemble file."""
    base = andaman_monsoon(kind="current", hours=24, resolution_deg=0.25)
    alone = []
    for i in range(3):
        member = base.copy(deep=True)
        member["uo"] = member["uo"] + np.float32(0.1 * i)
        alone.append(member)
    return alone


@pytest.mark.parametrize(("dim", "standard_name"), [
    ("realization", "realization"), ("number", None), ("ens", None), ("run", "realization")])
def test_each_member_reads_as_its_own_file(members, tmp_path, dim, standard_name):
    path = tmp_path / "ensemble.nc"
    ensemble_of(members, dim, standard_name).to_netcdf(path)
    for index, member in enumerate(members):
        with open_forcing(path, "current", member=index) as source:
            assert source.members == 3
            grid = source.load(BOX)
        reference = open_forcing(member, "current").load(BOX)
        np.testing.assert_array_equal(grid.east, reference.east)
        np.testing.assert_array_equal(grid.north, reference.north)
        assert any(f"ensemble member {index} of 3" in note for note in grid.notes)


def test_an_ensemble_without_a_member_chosen_is_refused(members, tmp_path):
    path = tmp_path / "ensemble.nc"
    ensemble_of(members, "realization", "realization").to_netcdf(path)
    with pytest.raises(ForcingGridError, match="holds 3 ensemble forecast members") as caught:
        open_forcing(path, "current")
    assert 'members = "all"' in str(caught.value)
    with pytest.raises(ForcingGridError, match="has no ensemble member 3"):
        open_forcing(path, "current", member=3)
    with pytest.raises(ForcingGridError, match="no ensemble member dimension"):
        open_forcing(members[0], "current", member=0)
    report = describe(path)[0]
    assert not report.problems
    assert any("ensemble forecast of 3 members" in line for line in report.fields[0].lines)


def test_a_subset_holds_the_member_alone(members, tmp_path):
    path = tmp_path / "ensemble.nc"
    ensemble_of(members, "number").to_netcdf(path)
    with open_forcing(path, "current", member=2) as source:
        expected = source.load(BOX, "2024-06-10T03:00Z", "2024-06-10T12:00Z")
        (_, cut), = source.subset(BOX, "2024-06-10T03:00Z", "2024-06-10T12:00Z")
    assert "number" not in cut.dims
    grid = open_forcing(cut, "current").load(BOX, "2024-06-10T03:00Z", "2024-06-10T12:00Z")
    np.testing.assert_array_equal(grid.east, expected.east)
