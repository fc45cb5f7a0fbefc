"""Forcing in time blocks: a run over a file split into many blocks equals the one-block run.

The forcing is a small multi-record netCDF written here (hourly currents with a
moving eddy and 3-hourly winds that turn), read lazily by open_forcing; each
block loads only the records that cover it. Particles are released during the
run (some wait past block edges), jibe, take random-walk steps and strand on
an island, so every path of the kernel crosses block boundaries.
"""

from __future__ import annotations

import itertools
import sys

import numpy as np
import pytest
import xarray as xr

from sarkit.drift.blocks import covering_records, plan_blocks
from sarkit.drift.coast import LandMask
from sarkit.drift.leeway import object_class
from sarkit.drift.seeding import combine, point
from sarkit.drift.simulate import simulate
from sarkit.errors import BadValueError
from sarkit.forcing import open_forcing

FIELDS = ("lon", "lat", "status", "side")
START = np.datetime64("2024-06-10T00:00", "ns")


def _write(path, names, standard, hours, step_h, value):
    times = START + np.arange(0, hours + 1, step_h).astype("timedelta64[h]")
    lon = np.linspace(96.0, 100.0, 41)
    lat = np.linspace(5.0, 10.0, 51)
    t = np.arange(times.size)[:, None, None] * step_h
    east, north = value(t, lat[None, :, None], lon[None, None, :])
    east = np.broadcast_to(east, (times.size, lat.size, lon.size)).astype(np.float32)
    north = np.broadcast_to(north, (times.size, lat.size, lon.size)).astype(np.float32)
    east = east.copy()
    east[:, 40:, 35:] = np.nan  # the ocean model's land in a corner
    data = xr.Dataset(
        {names[0]: (("time", "lat", "lon"), east, {"standard_name": standard[0],
                                                   "units": "m s-1"}),
         names[1]: (("time", "lat", "lon"), north, {"standard_name": standard[1],
                                                    "units": "m s-1"})},
        coords={"time": times, "lat": ("lat", lat, {"units": "degrees_north"}),
                "lon": ("lon", lon, {"units": "degrees_east"})},
    )
    data.to_netcdf(path)
    return path


@pytest.fixture(scope="module")
def forcing(tmp_path_factory):
    folder = tmp_path_factory.mktemp("blocks")

    def eddy(t, lat, lon):
        phase = 2 * np.pi * t / 13.0
        return (0.3 * np.sin(np.radians(40 * (lat - 7.5)) + phase) + 0.0 * lon,
                0.25 * np.cos(np.radians(30 * (lon - 98.0)) - phase) + 0.0 * lat)

    def turning(t, lat, lon):
        angle = np.radians(20.0 * t)
        return 8.0 * np.cos(angle) + 0.1 * (lat - 7.5) + 0.0 * lon, 8.0 * np.sin(angle) + 0 * lat

    currents = _write(folder / "currents.nc", ("uo", "vo"),
                      ("eastward_sea_water_velocity", "northward_sea_water_velocity"),
                      40, 1, eddy)
    winds = _write(folder / "winds.nc", ("u10", "v10"), ("eastward_wind", "northward_wind"),
                   40, 3, turning)
    return open_forcing(currents, "current"), open_forcing(winds, "wind")


@pytest.fixture(scope="module")
def seeds():
    return combine([
        point(97.5, 7.0, radius_nm=15, time="2024-06-10T01:00", end_time="2024-06-10T09:00",
              count=500, obj=object_class("FISHING-VESSEL-1"), seed=3),
        point(98.5, 8.0, radius_nm=10, time="2024-06-10T04:30", count=300,
              obj=object_class("PIW-1"), seed=3),
    ])


ISLAND = LandMask(97.78, 6.8, 0.01, 0.01, np.ones((40, 10), np.uint8))


def _run(seeds, currents, winds, **kwargs):
    settings = {"duration_hours": 24, "timestep_minutes": 10, "output_every_minutes": 30,
                "seed": 5, "land": ISLAND}
    return simulate(seeds, currents, winds, **{**settings, **kwargs})


def _same(a, b):
    for name in FIELDS:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
    np.testing.assert_array_equal(a["time"].values, b["time"].values)


@pytest.mark.parametrize("hours", [0.5, 1.3, 2, 5])
def test_run_in_many_time_blocks_equals_the_one_block_run_bit_for_bit(forcing, seeds, hours):
    currents, winds = forcing
    whole = _run(seeds, currents, winds)
    blocks = _run(seeds, currents, winds, time_block_hours=hours)
    assert blocks.attrs["time_blocks"] >= 4
    _same(whole, blocks)
    counts = {k: v for k, v in whole.attrs.items() if k.startswith("count_")}
    assert counts["count_stranded"] > 0 and counts["count_not_released"] == 0
    assert counts == {k: v for k, v in blocks.attrs.items() if k.startswith("count_")}


def test_sources_and_loaded_grids_and_chunks_give_the_same_run(forcing, seeds):
    currents, winds = forcing
    loaded = _run(seeds, currents.load(), winds.load())
    _same(loaded, _run(seeds, currents, winds, time_block_hours=3, chunk_size=77))
    _same(loaded, _run(seeds, currents.load(), winds.load(), time_block_hours=1))


def test_backward_run_in_time_blocks_equals_the_one_block_run(forcing, seeds):
    currents, winds = forcing
    kwargs = {"duration_hours": -20, "start": "2024-06-11T10:00"}
    _same(_run(seeds, currents, winds, **kwargs),
          _run(seeds, currents, winds, time_block_hours=2.5, **kwargs))


def test_keep_final_is_the_last_time_of_the_full_run(forcing, seeds):
    currents, winds = forcing
    whole = _run(seeds, currents, winds)
    for kwargs in ({}, {"time_block_hours": 2, "chunk_size": 100}):
        final = _run(seeds, currents, winds, keep="final", **kwargs)
        assert final.sizes["time"] == 1
        _same(whole.isel(time=[-1]), final)


def test_each_block_loads_only_the_records_that_cover_it(forcing, seeds):
    currents, winds = forcing
    asked = []

    class Recording:
        time = currents.time

        def load(self, bbox=None, start=None, end=None):
            grid = currents.load(bbox, start, end)
            asked.append(grid.time.size)
            return grid

    _run(seeds, Recording(), winds, time_block_hours=2)
    assert len(asked) == 12
    assert max(asked) == 4  # the two hours of hourly records inside and one either side


def test_plan_blocks_start_on_output_steps_and_cover_the_run():
    blocks = plan_blocks(145, 3, 600.0, 1.3)  # 8 steps -> 9, a multiple of 3
    assert blocks[0] == (0, 9) and blocks[-1] == (144, 145)
    assert all(a % 3 == 0 and b == c for (a, b), (c, _) in itertools.pairwise(blocks))
    assert plan_blocks(145, 3, -600.0, None) == ((0, 145),)


def test_covering_records_take_one_record_either_side():
    times = np.arange(0.0, 10.0)
    assert covering_records(times, 2.5, 4.5) == slice(2, 6)
    assert covering_records(times, 2.0, 4.0) == slice(2, 5)
    assert covering_records(times, 3.0, 3.0) == slice(3, 5)


@pytest.mark.parametrize("hours", [0, -2, float("nan"), "soon", True])
def test_block_length_must_be_positive(forcing, seeds, hours):
    currents, winds = forcing
    with pytest.raises(BadValueError, match="time block length") as error:
        _run(seeds, currents, winds, time_block_hours=hours)
    assert "e.g. 24" in str(error.value)


def test_keep_must_be_all_or_final(forcing, seeds):
    currents, winds = forcing
    with pytest.raises(BadValueError, match="keep='last'"):
        _run(seeds, currents, winds, keep="last")


def test_forcing_that_is_not_a_grid_nor_a_source_is_refused(forcing, seeds):
    _, winds = forcing
    with pytest.raises(BadValueError, match="neither a ForcingGrid nor a source"):
        _run(seeds, "currents.nc", winds)


def test_sources_too_big_for_the_free_memory_go_in_blocks_by_themselves(forcing, seeds,
                                                                          monkeypatch):
    currents, winds = forcing
    module = sys.modules["sarkit.drift.simulate"]  # the package's name is the function
    monkeypatch.setattr(module, "_forcing_budget", lambda: None)
    whole = _run(seeds, currents, winds)
    assert whole.attrs["time_blocks"] == 1
    per_hour = 41 * 51 * 2 * 4 * (1 + 1 / 3)  # hourly currents, 3-hourly winds, float32
    monkeypatch.setattr(module, "_forcing_budget", lambda: 3 * per_hour)  # 3 hours fit
    small = _run(seeds, currents, winds)
    assert small.attrs["time_blocks"] == 8
    _same(whole, small)
