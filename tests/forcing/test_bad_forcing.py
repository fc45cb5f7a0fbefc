"""Forcing files that cannot be right are refused with one clear error (issue 15, item 5).

Each class of bad file -- all values missing, a broken scale_factor/add_offset, impossible or
shuffled coordinates, declared sizes beyond the memory, one component only, empty or absurd
time axes -- is refused through the public API (``open_forcing(...).load()``, ``describe``)
and through the command line (``sarkit forcing info`` and ``sarkit drift``): one line, the
right :class:`~sarkit.errors.ForcingError` subclass, a ``Fix:``, never a traceback. Valid
files of the same shapes keep working. Every file is written here, in ``tmp_path``.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import netCDF4
import numpy as np
import pytest

import sarkit.forcing.part as part_module
from sarkit.app.cli import main
from sarkit.errors import (
    ForcingCoverageError,
    ForcingFileError,
    ForcingGridError,
    ForcingTimeError,
    ForcingUnitsError,
    ForcingVariableError,
)
from sarkit.forcing import describe, open_forcing
from sarkit.forcing.timeaxis import TimeRangeError, TimeUnitsError, decode_time

LON = np.arange(90.0, 100.01, 0.5)
LAT = np.arange(3.0, 12.01, 0.5)
BOX = (94.0, 6.0, 96.0, 8.0)
START, END = "2024-03-20T00:00Z", "2024-03-20T06:00Z"


def write(path: Path, *, lon=LON, lat=LAT, time=(0.0, 3.0, 6.0),
          time_units="hours since 2024-03-20 00:00:00", calendar=None,
          u=0.2, v=-0.1, names=("uo", "vo"), fill=None, packing=None,
          lonlat_2d=False) -> Path:
    """A CF file of surface currents; ``u``/``v`` are numbers or arrays (time, lat, lon).

    ``packing`` = (scale_factor, add_offset) stores int16; ``lonlat_2d`` writes a
    curvilinear file (2-D lon/lat on dimensions y, x) instead of 1-D coordinates.
    """
    lon, lat, time = np.asarray(lon, float), np.asarray(lat, float), np.asarray(time, float)
    shape = (time.size, lat.size, lon.size)
    with netCDF4.Dataset(path, "w") as nc:
        nc.createDimension("time", time.size)
        y_dim, x_dim = ("y", "x") if lonlat_2d else ("lat", "lon")
        nc.createDimension(y_dim, lat.size)
        nc.createDimension(x_dim, lon.size)
        t = nc.createVariable("time", "f8", ("time",))
        t.units = time_units
        if calendar:
            t.calendar = calendar
        t[:] = time
        if lonlat_2d:
            lon2, lat2 = np.meshgrid(lon, lat)
            for name, values, units in (("lon", lon2, "degrees_east"),
                                        ("lat", lat2, "degrees_north")):
                var = nc.createVariable(name, "f8", (y_dim, x_dim))
                var.units = units
                var[:] = values
        else:
            for name, values, units in (("lat", lat, "degrees_north"),
                                        ("lon", lon, "degrees_east")):
                var = nc.createVariable(name, "f8", (name,))
                var.units = units
                var.set_auto_mask(False)
                var[:] = values
        standard = {"uo": "eastward_sea_water_velocity", "vo": "northward_sea_water_velocity"}
        for name, value in zip(("uo", "vo"), (u, v), strict=True):
            if name not in names:
                continue
            dtype = "i2" if packing else "f4"
            var = nc.createVariable(name, dtype, ("time", y_dim, x_dim), fill_value=fill)
            var.units = "m/s"
            var.standard_name = standard[name]
            if lonlat_2d:
                var.coordinates = "lon lat"
            values = np.broadcast_to(np.asarray(value, dtype=float), shape)
            if packing:
                var.scale_factor, var.add_offset = packing
                var.set_auto_maskandscale(False)
                values = np.full(shape, 20, dtype=np.int16)
            else:
                var.set_auto_mask(False)
            var[:] = values
    return path


def huge(path: Path, size: int = 100_000_000) -> Path:
    """A small file (tens of kB) declaring a size x size grid: compressed, mostly unwritten."""
    with netCDF4.Dataset(path, "w") as nc:
        nc.createDimension("time", None)
        nc.createDimension("lat", size)
        nc.createDimension("lon", size)
        t = nc.createVariable("time", "f8", ("time",))
        t.units = "hours since 2024-03-20"
        t[:] = [0.0, 3.0]
        for name, units in (("lat", "degrees_north"), ("lon", "degrees_east")):
            var = nc.createVariable(name, "f8", (name,), chunksizes=(1000,))
            var.units = units
            var[:10] = np.arange(10.0)
        for name, standard in (("uo", "eastward_sea_water_velocity"),
                               ("vo", "northward_sea_water_velocity")):
            var = nc.createVariable(name, "f4", ("time", "lat", "lon"), zlib=True,
                                    chunksizes=(1, 100, 100))
            var.units = "m/s"
            var.standard_name = standard
            var[0, :10, :10] = 0.1
    return path


def nan_field(where=None):
    field = np.full((3, LAT.size, LON.size), 0.2)
    field[(slice(None),) if where is None else where] = np.nan
    return field


# every class of bad file: (id, how to write it, error class, words in the message)
BAD = [
    ("all-nan", {"u": np.nan, "v": np.nan}, ForcingVariableError, ["no valid values"]),
    ("all-fill", {"u": -9999.0, "v": -9999.0, "fill": -9999.0}, ForcingVariableError,
     ["no valid values", "-9999"]),
    ("all-undeclared-fill", {"u": 9.96921e36, "v": 9.96921e36}, ForcingVariableError,
     ["no valid values"]),
    ("u-all-nan", {"u": np.nan}, ForcingVariableError, ["'uo'", "no valid values"]),
    ("scale-zero", {"packing": (0.0, 0.0)}, ForcingUnitsError, ["scale_factor is 0"]),
    ("scale-nan", {"packing": (np.nan, 0.0)}, ForcingUnitsError, ["scale_factor is nan"]),
    ("scale-inf", {"packing": (np.inf, 0.0)}, ForcingUnitsError, ["scale_factor is inf"]),
    ("offset-inf", {"packing": (0.01, -np.inf)}, ForcingUnitsError, ["add_offset is -inf"]),
    ("lat-beyond-90", {"lat": np.linspace(80.0, 120.0, LAT.size)}, ForcingGridError,
     ["latitudes up to 120", "beyond +-90"]),
    ("lat-fill", {"lat": np.r_[LAT[:-1], 9.96921e36]}, ForcingGridError,
     ["latitudes up to 9.96921e+36"]),
    ("lat-nan", {"lat": np.r_[LAT[:-1], np.nan]}, ForcingGridError, ["missing"]),
    ("lon-beyond-720", {"lon": LON + 1000.0}, ForcingGridError, ["longitudes up to 1100"]),
    ("lon-fill", {"lon": np.r_[LON[:-1], -999.0]}, ForcingGridError,
     ["longitudes up to -999"]),
    ("lat-not-monotonic", {"lat": np.r_[LAT[:10], LAT[10:][::-1]]}, ForcingGridError,
     ["'lat' is not monotonic"]),
    ("lat-repeated", {"lat": np.r_[LAT[:5], LAT[4:-1]]}, ForcingGridError,
     ["'lat' is not monotonic"]),
    ("lon-shuffled", {"lon": np.r_[LON[:8], LON[12:], LON[8:12]]}, ForcingGridError,
     ["'lon' is not monotonic"]),
    ("curvilinear-lat-beyond-90", {"lat": np.linspace(80.0, 120.0, LAT.size), "lonlat_2d": True},
     ForcingGridError, ["2-D longitude/latitude are invalid", "beyond +-90"]),
    ("u-only", {"names": ("uo",)}, ForcingVariableError, ["only the eastward", "'vo'"]),
    ("v-only", {"names": ("vo",)}, ForcingVariableError, ["only the northward", "'uo'"]),
    ("no-times", {"time": ()}, ForcingTimeError, ["no records"]),
    ("time-1e20-hours", {"time": (0.0, 1e20, 2e20)}, ForcingTimeError,
     ["1e+20", "year 1 to 9999"]),
    ("one-time-1e20-hours", {"time": (1e20,)}, ForcingTimeError, ["1e+20", "year 1 to 9999"]),
    ("time-far-past", {"time": (-1e15, 0.0, 3.0)}, ForcingTimeError, ["-1e+15"]),
    ("time-infinite", {"time": (0.0, 3.0, np.inf)}, ForcingTimeError, ["inf"]),
    ("time-1e20-noleap", {"time": (1e20, 2e20, 3e20), "calendar": "noleap"}, ForcingTimeError,
     ["year 1 to 9999"]),
    ("time-years-beyond-9999", {"time": (0.0, 1.0, 2.0),
                                    "time_units": "days since 9999-12-31 12:00"},
     ForcingTimeError, ["years 1 to 9999"]),
]
IDS = [case[0] for case in BAD]


def one_line_with_fix(message: str, *words: str) -> None:
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert "Fix:" in message and "\n" not in message
    assert "Traceback" not in message and "internal error" not in message


@pytest.fixture(params=BAD, ids=IDS)
def bad(request, tmp_path):
    name, options, error, words = request.param
    return write(tmp_path / f"{name}.nc", **options), error, words


def test_load_refuses_the_bad_file(bad):
    path, error, words = bad
    with pytest.raises(error) as caught:
        open_forcing(path, "current").load(BOX, START, END)
    one_line_with_fix(str(caught.value), path.name, *words)


def test_load_without_a_box_refuses_it_too(bad):
    path, error, words = bad
    with pytest.raises(error) as caught:
        open_forcing(path, "current").load()
    one_line_with_fix(str(caught.value), *words)


def test_describe_says_cannot_serve(bad):
    path, _, words = bad
    [report] = describe(path)
    assert not report.usable
    text = report.to_text()
    problems = [line for line in text.splitlines() if "cannot serve:" in line]
    assert problems, text
    one_line_with_fix(" ".join(problems), *words)


def test_forcing_info_exits_1_with_the_reason(bad, capsys):
    path, _, words = bad
    assert main(["forcing", "info", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "cannot serve:" in out and err == ""
    for word in words:
        assert word in out
    assert "Traceback" not in out + err and "internal error" not in out + err


SCENARIO = """\
name = "bad forcing"
object = "PIW-1"
particles = 50
seed = 1
[lkp]
time = "2024-03-20T00:00:00Z"
lon = 95.0
lat = 7.5
radius_nm = 1
[run]
duration_hours = 3
timestep_minutes = 30
output_every_minutes = 60
[forcing]
currents = ["{currents}"]
winds = {{ constant = [0.0, 0.0] }}
"""


def test_drift_with_the_bad_file_exits_1_with_one_line(bad, tmp_path, capsys):
    path, _, words = bad
    scenario = tmp_path / "case.toml"
    scenario.write_text(SCENARIO.format(currents=path.as_posix()))
    assert main(["drift", str(scenario), "--out", str(tmp_path / "out")]) == 1
    _out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sarkit: error: "), err
    one_line_with_fix(lines[0], path.name, *words)
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- valid files


def test_drift_with_a_good_file_of_the_same_shape_runs(tmp_path, capsys):
    path = write(tmp_path / "good.nc")
    scenario = tmp_path / "case.toml"
    scenario.write_text(SCENARIO.format(currents=path.as_posix()))
    assert main(["drift", str(scenario), "--out", str(tmp_path / "out")]) == 0, \
        capsys.readouterr().err
    assert (tmp_path / "out" / "trajectories.nc").exists()


@pytest.mark.parametrize("options", [
    {},
    {"lat": LAT[::-1]},  # descending latitudes (ERA5)
    {"packing": (0.01, 0.0)},
    {"u": nan_field((slice(None), slice(0, 5))), "v": nan_field((slice(None), slice(0, 5)))},
    {"time": (0.0,)},  # one time: held constant
    {"lonlat_2d": True},
    {"calendar": "noleap"},
], ids=["plain", "lat-descending", "packed", "some-land", "one-time", "curvilinear", "noleap"])
def test_valid_files_of_the_same_shapes_keep_working(tmp_path, options):
    path = write(tmp_path / "good.nc", **options)
    [report] = describe(path)
    assert report.usable, report.to_text()
    grid = open_forcing(path, "current").load(BOX, START, END)
    speed = np.hypot(0.2, 0.2) if {"packing", "u"} & set(options) else np.hypot(0.2, 0.1)
    assert np.nanmax(np.hypot(grid.east, grid.north)) == pytest.approx(speed, rel=1e-3)


@pytest.mark.parametrize("lon", [
    np.mod(np.arange(175.0, 185.01, 0.5) + 180.0, 360.0) - 180.0,  # 175..180, -179.5..-175
    np.arange(175.0, 185.01, 0.5),  # the same in 0..360
    np.arange(175.0, 185.01, 0.5) - 720.0,  # the same, -545..-535: odd but possible
], ids=["across-180-in-pm180", "across-180-in-0-360", "minus-720"])
def test_longitudes_across_the_antimeridian_keep_working(tmp_path, lon):
    path = write(tmp_path / "pacific.nc", lon=lon)
    assert describe(path)[0].usable
    grid = open_forcing(path, "current").load((178.0, 6.0, -178.0, 8.0), START, END)
    assert np.isfinite(grid.east).all()


def test_a_file_with_values_outside_the_box_only_is_a_coverage_problem(tmp_path):
    values = nan_field()
    values[:, :, -3:] = 0.2  # sea only at the eastern edge, far from the box
    path = write(tmp_path / "edge.nc", u=values, v=values)
    with pytest.raises(ForcingCoverageError, match="holds no sea values"):
        open_forcing(path, "current").load(BOX, START, END)
    assert describe(path)[0].usable


def test_a_file_with_values_in_its_last_record_only_is_not_empty(tmp_path):
    values = nan_field()
    values[-1] = 0.2
    path = write(tmp_path / "late.nc", u=values, v=values)
    assert describe(path)[0].usable
    with pytest.raises(ForcingCoverageError, match="holds no sea values"):
        open_forcing(path, "current").load(BOX, "2024-03-20T00:00Z", "2024-03-20T01:00Z")


def test_the_bad_file_among_good_ones_is_named(tmp_path):
    good = write(tmp_path / "day1.nc")
    bad = write(tmp_path / "day2.nc", time=(9.0, 1e20, 2e20))
    with pytest.raises(ForcingTimeError, match=r"day2\.nc") as caught:
        open_forcing([good, bad], "current")
    one_line_with_fix(str(caught.value), "year 1 to 9999")


# --------------------------------------------------------------------------- memory


def test_huge_declared_dimensions_are_refused_before_reading(tmp_path, capsys):
    path = huge(tmp_path / "huge.nc")
    assert path.stat().st_size < 16 * 2**20
    tracemalloc.start()
    try:
        with pytest.raises(ForcingFileError) as caught:
            open_forcing(path, "current")
        [report] = describe(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20  # nothing near the 800 MB of one coordinate was allocated
    one_line_with_fix(str(caught.value), "huge.nc", "100,000,000 x 100,000,000",
                      "PiB", "ncks -d")
    assert not report.usable and "would need" in report.to_text()
    assert main(["forcing", "info", str(path)]) == 1
    assert "cannot serve:" in capsys.readouterr().out


def test_the_limit_applies_to_what_is_read(tmp_path, monkeypatch):
    """A big file stays usable when the box is small: the read is checked, not the file."""
    lon, lat = np.arange(90.0, 100.01, 0.1), np.arange(3.0, 12.01, 0.1)
    path = write(tmp_path / "big.nc", lon=lon, lat=lat)
    record = lon.size * lat.size * 8
    monkeypatch.setattr(part_module, "MAX_READ_BYTES", int(1.5 * record))
    grid = open_forcing(path, "current").load(BOX, START, END)
    assert grid.east.shape[0] == 3
    assert describe(path)[0].usable  # one record on the whole grid fits
    with pytest.raises(ForcingFileError, match="smaller box") as caught:
        open_forcing(path, "current").load()  # three records on the whole grid do not
    one_line_with_fix(str(caught.value), "big.nc", "3 x 91 x 101", "would need")
    monkeypatch.setattr(part_module, "MAX_READ_BYTES", record // 2)
    with pytest.raises(ForcingFileError, match="one record on its whole lat x lon grid"):
        open_forcing(path, "current")


def test_huge_time_axis_is_refused_before_reading(tmp_path, monkeypatch):
    path = write(tmp_path / "long.nc", time=np.arange(1000.0))
    monkeypatch.setattr(part_module, "MAX_READ_BYTES", 4000)
    with pytest.raises(ForcingFileError, match="coordinate 'time'"):
        open_forcing(path, "current")


def test_the_limit_is_a_fraction_of_the_memory():
    assert 2**28 <= part_module.MAX_READ_BYTES  # at least 256 MiB on any test machine


# --------------------------------------------------------------------------- time decoding


@pytest.mark.parametrize(("values", "units", "calendar"), [
    ([1e20], "hours since 2024-01-01", None),
    ([-1e20], "days since 2024-01-01", "360_day"),
    ([np.inf], "seconds since 1970-01-01", None),
    ([0.0, 1e300], "days since 1970-01-01", "julian"),
    ([1.0], "days since 9999-12-31 12:00", None),
])
def test_decode_time_refuses_absurd_times(values, units, calendar):
    with pytest.raises(TimeRangeError, match="9999") as caught:
        decode_time(np.array(values), units, calendar)
    assert isinstance(caught.value, TimeUnitsError)  # callers that catch it still do


def test_decode_time_keeps_nan_as_fill():
    seconds = decode_time(np.array([0.0, np.nan]), "hours since 2024-01-01")
    assert np.isnan(seconds[1]) and seconds[0] == 1704067200.0
