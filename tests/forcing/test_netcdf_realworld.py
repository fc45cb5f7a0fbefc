"""The netCDF reader on real model files (../shared/data/realworld, see its README).

Every forcing file there either opens with the right values or is refused with a
message that names the reason. Values are checked against an independent read of
the raw file with ``netCDF4`` (no automatic masking or scaling: the tests unpack,
mask and rotate by hand), so a check never shares code with the reader.

Curvilinear and projected grids are sampled on the model's own grid (issue 17): the
reference there is the file's own value at each of its points, rotated by hand with the
angle from the file's ``angle`` variable, from the projection (pyproj) or from the
positions of neighbouring points, and, on a C grid, the other component averaged from
its four points around (the mean of four neighbours, not an interpolation on positions).
"""

from __future__ import annotations

from pathlib import Path

import netCDF4
import numpy as np
import pyproj
import pytest
from scipy.interpolate import LinearNDInterpolator

from sarkit.errors import (
    ForcingCoverageError,
    ForcingFileError,
    ForcingGridError,
    ForcingMismatchError,
    ForcingTimeError,
    ForcingUnitsError,
    ForcingVariableError,
    SarkitError,
)
from sarkit.forcing import describe, open_forcing
from sarkit.times import format_time, parse_time

NEMO = ("parcels/Uu_eastward_nemo_cross_180lon.nc", "parcels/Vv_eastward_nemo_cross_180lon.nc")
ACCESS = ("parcels/access-om2-01_u.nc", "parcels/access-om2-01_v.nc")
NORDIC = "opendrift/Nordic_subset.nc"
NORDIC_DAYS = tuple(f"opendrift/Nordic_subset_day{i}.nc" for i in (1, 2, 3))
AROME = "opendrift/AROME_MetCoOp_00_DEF_20160114_subset.nc"
ARCTIC = "opendrift/Arctic20_1to5Feb_2016.nc"
WCOFS = "gridded/WCOFS_subset.nc"
CMEMS = "cmems/cmems_mod_glo_phy-cur_anfc_0.083deg_P1D-m_2024-01_1deg_5day.nc"
GNOME_CURRENT = "pygnome/gridded_current.nc"
GNOME_WIND = "pygnome/gridded_wind.nc"
RTOFS = "pygnome/wa_RTOFS_global.nc"
HYCOM = "geocat/archv.0021_016_00_3zu.nc"
CROCO = "opendrift/croco_his.nc"
FVCOM = "gridded/tri_grid_example-FVCOM.nc"
ERA5 = "geocat/era5_1995-07-14T12.nc"  # int16 packed, descending latitude, one time
NEMO_MASK = "parcels/mask_nemo_cross_180lon.nc"


# --------------------------------------------------------------------------- helpers


def raw(path: Path) -> netCDF4.Dataset:
    """The file as stored: no masking, no scaling."""
    dataset = netCDF4.Dataset(path)
    dataset.set_auto_maskandscale(False)
    return dataset


def unpack(variable: netCDF4.Variable) -> np.ndarray:
    """Packed values by hand: raw * scale_factor + add_offset, NaN at a fill value.

    A fill value is honoured only where it fits the stored type (the Nordic
    file's float 1e37 on int16 data cannot occur, which is quirk 9).
    """
    values = np.asarray(variable[:])
    out = values.astype(np.float64)
    for name in ("_FillValue", "missing_value"):
        if name in variable.ncattrs():
            out[values == variable.getncattr(name)] = np.nan
    scale = float(variable.getncattr("scale_factor")) if "scale_factor" in variable.ncattrs() else 1
    offset = float(variable.getncattr("add_offset")) if "add_offset" in variable.ncattrs() else 0
    return out * scale + offset


def rotate(x, y, angle):
    """Grid-relative (x, y) to (east, north) for a grid x axis ``angle`` rad from east (CCW)."""
    return x * np.cos(angle) - y * np.sin(angle), x * np.sin(angle) + y * np.cos(angle)


def paths(realworld: Path, names) -> list[Path]:
    names = (names,) if isinstance(names, str) else names
    return [realworld / n for n in names]


def target_nodes(grid):
    """2-D lon, lat of the ForcingGrid's nodes."""
    return np.meshgrid(grid.lon, grid.lat)


def scattered(lon, lat, values, qlon, qlat):
    """Linear interpolation on a Delaunay triangulation in (lon cos(mean lat), lat)."""
    scale = np.cos(np.radians(np.mean(lat)))
    points = np.column_stack([np.ravel(lon) * scale, np.ravel(lat)])
    flat = values.reshape(values.shape[0], -1).T
    out = LinearNDInterpolator(points, flat)(np.column_stack([qlon.ravel() * scale, qlat.ravel()]))
    return out.T.reshape(values.shape[0], *qlon.shape)


def assert_same_field(east, north, ref_east, ref_north, *, typical=1e-5, worst=0.05):
    """Same NaN pattern; 90 % of nodes within ``typical`` m/s, none beyond ``worst``.

    ``worst`` allows for triangulation ties: a near-square cell can be split
    along either diagonal, which changes linear interpolation inside it.
    """
    assert np.array_equal(np.isnan(east), np.isnan(ref_east))
    finite = np.isfinite(east)
    assert finite.sum() > 100
    error = np.hypot(east - ref_east, north - ref_north)[finite]
    assert np.percentile(error, 90) < typical
    assert error.max() < worst


# --------------------------------------------------------------------------- every file

OPENS = [
    pytest.param(NEMO, "current", {"units": "m/s"}, id="nemo-u-v-units-given"),
    pytest.param(ACCESS, "current", {}, id="access-om2-u-v"),
    pytest.param(ACCESS[::-1], "current", {}, id="access-om2-v-u"),
    pytest.param(NORDIC, "current", {}, id="nordic"),
    *[pytest.param(day, "current", {}, id=Path(day).stem) for day in NORDIC_DAYS],
    pytest.param(NORDIC_DAYS, "current", {}, id="nordic-days-joined"),
    pytest.param(AROME, "wind", {}, id="arome-wind"),
    pytest.param(ARCTIC, "current", {}, id="arctic20"),
    pytest.param(WCOFS, "current", {}, id="wcofs"),
    pytest.param(CMEMS, "current", {}, id="cmems"),
    pytest.param(GNOME_CURRENT, "current", {}, id="pygnome-current"),
    pytest.param(GNOME_WIND, "wind", {}, id="pygnome-wind"),
    pytest.param(RTOFS, "current", {}, id="rtofs"),
    pytest.param(ERA5, "wind", {}, id="era5-wind"),
]

REFUSED = [
    pytest.param(NEMO, "current", {}, ForcingUnitsError, ["variable 'U'", "no units"],
                 id="nemo-no-units"),
    pytest.param(ACCESS[0], "current", {}, ForcingVariableError, ["only the eastward"],
                 id="access-u-only"),
    pytest.param(ACCESS[1], "current", {}, ForcingVariableError, ["only the northward"],
                 id="access-v-only"),
    pytest.param(HYCOM, "current", {}, ForcingVariableError, ["only the eastward", "(u)"],
                 id="hycom-u-only"),
    pytest.param(CROCO, "current", {}, ForcingTimeError, ["no reference date"],
                 id="croco-no-date"),
    pytest.param(CROCO, "current", {"time_origin": "2000-01-01T00:00Z"}, ForcingGridError,
                 ["no surface level"], id="croco-deep-levels"),
    pytest.param(FVCOM, "current", {}, ForcingGridError, ["unstructured"], id="fvcom-current"),
    pytest.param(FVCOM, "wind", {}, ForcingGridError, ["unstructured"], id="fvcom-wind"),
    pytest.param(NEMO_MASK, "current", {}, ForcingVariableError, ["no current velocity"],
                 id="nemo-mask-file"),
    pytest.param(AROME, "current", {}, ForcingVariableError, ["no current velocity"],
                 id="arome-as-current"),
    pytest.param(GNOME_WIND, "current", {}, ForcingVariableError, ["no current velocity"],
                 id="gfs-as-current"),
    pytest.param((NORDIC_DAYS[0], GNOME_CURRENT), "current", {}, ForcingMismatchError,
                 ["grids", "differ"], id="nordic-with-pygnome"),
    pytest.param((NORDIC, NORDIC_DAYS[1]), "current", {}, ForcingMismatchError, ["overlap"],
                 id="nordic-overlap"),
]


def _names(case) -> set[str]:
    names = case.values[0]
    return {names} if isinstance(names, str) else set(names)


def test_every_forcing_file_is_covered(realworld):
    forcing = {
        str(p.relative_to(realworld))
        for p in realworld.rglob("*.nc")
        if p.parts[-2] != "trajan" and not p.name.startswith("just_time_")
    }
    covered = set().union(*(_names(c) for c in OPENS + REFUSED))
    assert forcing - covered == set()
    assert covered - forcing == set()


@pytest.mark.parametrize(("names", "quantity", "options"), OPENS)
def test_file_opens_and_loads(realworld, names, quantity, options):
    with open_forcing(paths(realworld, names), quantity, **options) as source:
        grid = source.load()
    assert grid.quantity.value == quantity
    speed = np.hypot(grid.east, grid.north)
    assert np.isfinite(speed).any()
    assert np.nanmax(speed) < (5.0 if quantity == "current" else 40.0)
    assert np.all(np.diff(grid.lon) > 0) and np.all(np.diff(grid.lat) > 0)
    assert grid.is_steady or np.all(np.diff(grid.time) > 0)


@pytest.mark.parametrize(("names", "quantity", "options", "error", "reasons"), REFUSED)
def test_file_is_refused_with_its_reason(realworld, names, quantity, options, error, reasons):
    with pytest.raises(error) as caught:
        open_forcing(paths(realworld, names), quantity, **options).load()
    message = str(caught.value)
    for reason in reasons:
        assert reason in message
    assert "Fix:" in message
    first = names if isinstance(names, str) else names[0]
    assert Path(first).name in message


# --------------------------------------------------------------------------- NEMO (Parcels)


@pytest.fixture(scope="module")
def nemo(realworld):
    return open_forcing(paths(realworld, NEMO), "current", units="m/s").load()


@pytest.mark.parametrize("lon", [175.5, 179.5, -179.5, 180.5, -175.0, 177.0])
def test_nemo_grid_relative_flow_is_due_east(nemo, lon):
    # Parcels' ground truth: a purely eastward 1 m/s flow written as grid-relative
    # U/V on the tripolar ORCA025 grid, whose axes here are 5-19 deg off east.
    east, north = nemo.at(lon, 81.5, 0.0)
    assert abs(east - 1.0) < 1e-3
    assert abs(north) < 1e-3


def test_nemo_raw_components_are_not_east_north(realworld):
    # the check above can fail: unrotated, v would be up to 0.34 m/s
    v = raw(realworld / NEMO[1])["V"][0]
    assert np.abs(v).max() > 0.3


def test_nemo_across_the_antimeridian_is_continuous(realworld, nemo):
    assert 170 < nemo.lon[0] < 180 < nemo.lon[-1] < 190
    across = open_forcing(paths(realworld, NEMO), "current", units="m/s").load(
        (172.0, 80.8, -175.0, 81.9)
    )
    assert across.lon[0] < 180 < across.lon[-1]
    for lon in (175.5, 180.5, -179.5):
        east, north = across.at(lon, 81.5, 0.0)
        assert abs(east - 1.0) < 1e-3 and abs(north) < 1e-3


def test_nemo_undated_file_is_steady(nemo):
    # time_counter has units 'unknown': one record, kept and held constant in time
    assert nemo.is_steady
    assert any("held constant" in note for note in nemo.notes)


# --------------------------------------------------------------------------- Nordic (ROMS)


@pytest.fixture(scope="module")
def nordic(realworld):
    return open_forcing(realworld / NORDIC, "current").load(coast_fill_passes=0)


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)])
def test_nordic_day_files_join_to_the_full_file(realworld, nordic, order):
    days = [realworld / NORDIC_DAYS[i] for i in order]
    joined = open_forcing(days, "current").load(coast_fill_passes=0)
    np.testing.assert_array_equal(joined.time, nordic.time)
    np.testing.assert_array_equal(joined.lon, nordic.lon)
    np.testing.assert_array_equal(joined.lat, nordic.lat)
    np.testing.assert_array_equal(joined.east, nordic.east)  # NaN == NaN here
    np.testing.assert_array_equal(joined.north, nordic.north)


def test_nordic_times(nordic):
    assert [format_time(t) for t in nordic.time] == [
        "2016-02-02T12:00:00Z", "2016-02-03T12:00:00Z", "2016-02-04T12:00:00Z"]


class NordicRaw:
    """The Nordic file unpacked by hand."""

    def __init__(self, path: Path) -> None:
        with raw(path) as d:
            self.lon, self.lat = unpack(d["lon_rho"]), unpack(d["lat_rho"])
            self.angle = unpack(d["angle"])
            self.mask_rho = unpack(d["mask_rho"]) > 0.5
            self.mask_u, self.mask_v = unpack(d["mask_u"]) > 0.5, unpack(d["mask_v"]) > 0.5
            self.u, self.v = unpack(d["u"]), unpack(d["v"])  # (time, s_rho, eta, xi)
            self.u_offset = float(d["u"].add_offset)
            self.time = np.asarray(d["ocean_time"][:], dtype=np.float64)


@pytest.fixture(scope="module")
def nordic_raw(realworld):
    return NordicRaw(realworld / NORDIC)


def test_nordic_land_is_nan_never_the_packing_offset(nordic, nordic_raw):
    # quirk 9: the int16 fill value cannot be stored, so land u reads as add_offset
    land_u = nordic_raw.u[:, -1][:, ~nordic_raw.mask_u]
    assert land_u.size and np.allclose(land_u, 0.341, atol=1e-3)
    assert np.allclose(nordic_raw.u_offset, 0.341, atol=1e-3)
    # every land rho point reads as missing, at every time
    land = ~nordic_raw.mask_rho
    for t in nordic.time:
        east, north = nordic.at(nordic_raw.lon[land], nordic_raw.lat[land], t)
        assert np.isnan(east).all() and np.isnan(north).all()
    assert np.nanmax(np.hypot(nordic.east, nordic.north)) < 0.6


def _half_cell(a: np.ndarray, axis: int) -> np.ndarray:
    """Positions half a cell along ``axis`` (C-grid u or v points), the last extrapolated.

    The subset cut u, v and rho to the same 31 x 21 shape, so u[k] lies between
    rho[k] and rho[k+1] along xi, and the last u point beyond the last rho point.
    """
    first = np.take(a, range(a.shape[axis] - 1), axis=axis)
    second = np.take(a, range(1, a.shape[axis]), axis=axis)
    last = 1.5 * np.take(a, [-1], axis=axis) - 0.5 * np.take(a, [-2], axis=axis)
    return np.concatenate([0.5 * (first + second), last], axis=axis)


def test_nordic_uses_the_surface_not_the_bottom(nordic, nordic_raw):
    # A coarse, interpolation-free check at interior sea rho points: u and v averaged
    # from the two C-grid faces around each point (u[k-1], u[k] along xi; v likewise
    # along eta) and rotated by the raw angle. Regridding smooths, so it agrees only
    # to a few cm/s, but the bottom level (index 0) is far worse.
    r = nordic_raw
    errors = {}
    for level in (-1, 0):
        misfit = []
        for j in range(1, r.lon.shape[0] - 1):
            for i in range(1, r.lon.shape[1] - 1):
                if not r.mask_rho[j - 1:j + 2, i - 1:i + 2].all():
                    continue
                u = 0.5 * (r.u[:, level, j, i - 1] + r.u[:, level, j, i])
                v = 0.5 * (r.v[:, level, j - 1, i] + r.v[:, level, j, i])
                east, north = rotate(u, v, r.angle[j, i])
                got_e, got_n = nordic.at(np.full(3, r.lon[j, i]), np.full(3, r.lat[j, i]),
                                         r.time)
                misfit.append(np.hypot(got_e - east, got_n - north))
        errors[level] = np.nanmean(misfit)
    assert errors[-1] < 0.03
    assert errors[0] > 2 * errors[-1]
    assert any("surface level 's_rho'" in note for note in nordic.notes)


# --------------------------------------------------------------------------- AROME (LCC)


@pytest.fixture(scope="module")
def arome(realworld):
    return open_forcing(realworld / AROME, "wind").load()


class AromeRaw:
    def __init__(self, path: Path) -> None:
        with raw(path) as d:
            self.proj = pyproj.Proj(d["projection_lambert"].getncattr("proj4"))
            self.x = np.asarray(d["x"][:], dtype=np.float64)
            self.y = np.asarray(d["y"][:], dtype=np.float64)
            self.lon = np.asarray(d["longitude"][:], dtype=np.float64)
            self.lat = np.asarray(d["latitude"][:], dtype=np.float64)
            self.xw = unpack(d["x_wind_10m"])
            self.yw = unpack(d["y_wind_10m"])
            self.time = np.asarray(d["time"][:], dtype=np.float64)

    def x_axis_angle(self, lon, lat):
        """Angle of the grid's x axis counter-clockwise from east (radians).

        pyproj's meridian convergence is gamma = n (lon - lon_0) here, with
        n = sin(63 deg) (checked in a test below); grid north is gamma clockwise
        of true north at lon > lon_0, so the x axis lies -gamma counter-clockwise
        from east, i.e. n (lon_0 - lon): +5.7..+12.7 deg over this domain west
        of lon_0 = 15 E (the README's -5.7..-12.7 is the same rotation seen from
        the other frame). Tested empirically: the opposite sign misses by metres
        per second.
        """
        return -np.radians(self.proj.get_factors(lon, lat).meridian_convergence)


@pytest.fixture(scope="module")
def arome_raw(realworld):
    return AromeRaw(realworld / AROME)


def test_arome_convergence_is_the_analytic_lambert_one(arome_raw):
    lon, lat = arome_raw.lon[::20, ::20], arome_raw.lat[::20, ::20]
    gamma = arome_raw.proj.get_factors(lon, lat).meridian_convergence
    np.testing.assert_allclose(gamma, np.sin(np.radians(63.0)) * (lon - 15.0), atol=1e-9)


def test_arome_positions_come_from_the_projection(arome_raw):
    lon, lat = arome_raw.proj(*np.meshgrid(arome_raw.x, arome_raw.y), inverse=True)
    np.testing.assert_allclose(lon, arome_raw.lon, atol=1e-9)
    np.testing.assert_allclose(lat, arome_raw.lat, atol=1e-9)


def test_arome_direction_at_raw_grid_points(arome, arome_raw):
    # At the file's own grid points (its 2-D longitude/latitude), the loaded wind,
    # interpolated twice (to the regular grid, then by ForcingGrid.at), points the
    # way the raw x/y wind rotated by the grid angle does. Fronts make single
    # points noisy, so compare the median over the strong-wind points: the
    # rotation is 5.7-12.7 deg, so an unrotated field would be off by ~9 deg.
    t = 0
    angle = arome_raw.x_axis_angle(arome_raw.lon, arome_raw.lat)
    east, north = rotate(arome_raw.xw[t], arome_raw.yw[t], angle)
    got_e, got_n = arome.at(arome_raw.lon, arome_raw.lat, arome.time[t])
    strong = (np.hypot(east, north) > 5.0) & np.isfinite(got_e)
    assert strong.sum() > 1000
    turn = np.degrees(np.angle((got_e + 1j * got_n) / (east + 1j * north)))[strong]
    unrotated = np.degrees(np.angle(
        (got_e + 1j * got_n) / (arome_raw.xw[t] + 1j * arome_raw.yw[t])))[strong]
    assert np.median(np.abs(turn)) < 1.0
    assert np.median(np.abs(unrotated)) > 5.0
    speed_ratio = np.hypot(got_e, got_n)[strong] / np.hypot(east, north)[strong]
    assert abs(np.median(speed_ratio) - 1.0) < 0.01


def test_arome_times(arome):
    # units 'seconds since 1970-01-01 00:00:00 +00:00'
    assert [format_time(t) for t in arome.time] == [
        "2016-01-14T00:00:00Z", "2016-01-14T01:00:00Z", "2016-01-14T02:00:00Z"]


# --------------------------------------------------------------------------- Arctic20 (stere)


@pytest.fixture(scope="module")
def arctic(realworld):
    return open_forcing(realworld / ARCTIC, "current").load(coast_fill_passes=0)


class ArcticRaw:
    def __init__(self, path: Path) -> None:
        with raw(path) as d:
            self.proj = pyproj.Proj(d["polar_stereographic"].getncattr("proj4_string"))
            self.x = np.asarray(d["X"][:], dtype=np.float64) * 1000.0  # km in the file
            self.y = np.asarray(d["Y"][:], dtype=np.float64) * 1000.0
            self.file_lon = np.asarray(d["longitude"][:], dtype=np.float64)
            self.file_lat = np.asarray(d["latitude"][:], dtype=np.float64)
            self.packed_u = np.asarray(d["u"][:, 0])
            self.scale = float(d["u"].scale_factor)
            self.u, self.v = unpack(d["u"]), unpack(d["v"])  # (time, depth, Y, X)
            self.depth = np.asarray(d["depth"][:])
            self.mask = np.asarray(d["mask"][:]) > 0.5


@pytest.fixture(scope="module")
def arctic_raw(realworld):
    return ArcticRaw(realworld / ARCTIC)


def test_arctic_packing_is_real(arctic_raw):
    # int16 with scale_factor ~3e-4 and fill -32767: unpacking matters
    assert arctic_raw.packed_u.dtype == np.int16
    assert 1e-4 < arctic_raw.scale < 1e-3
    assert (arctic_raw.packed_u == -32767).any()
    assert arctic_raw.depth[0] == 0.0 and arctic_raw.depth[1] > 0.0


def test_arctic_direction_at_raw_sea_points(arctic, arctic_raw):
    # At the raw grid's sea points, placed by X/Y and the proj4 string (not by the
    # file's 2-D lon/lat), the loaded current, interpolated twice on a 20 km grid,
    # points where the raw u/v rotated by 58 - lon do: the median over points
    # faster than 0.1 m/s is within a few degrees, while unrotated it is ~37 off.
    lon, lat = arctic_raw.proj(*np.meshgrid(arctic_raw.x, arctic_raw.y), inverse=True)
    u, v = arctic_raw.u[:, 0], arctic_raw.v[:, 0]
    east, north = rotate(u, v, np.radians(58.0 - lon))
    shape = east.shape
    got_e, got_n = arctic.at(np.broadcast_to(lon, shape), np.broadcast_to(lat, shape),
                             np.broadcast_to(arctic.time[:, None, None], shape))
    fast = np.isfinite(got_e) & (np.nan_to_num(np.hypot(east, north)) > 0.1)
    assert fast.sum() > 1000
    got = got_e[fast] + 1j * got_n[fast]
    turn = np.degrees(np.angle(got / (east[fast] + 1j * north[fast])))
    unrotated = np.degrees(np.angle(got / (u[fast] + 1j * v[fast])))
    assert np.median(np.abs(turn)) < 5.0
    assert np.median(np.abs(unrotated)) > 20.0


def test_arctic_land_and_below_floor_are_nan(arctic, arctic_raw):
    assert np.isnan(arctic_raw.u[0, 0][~arctic_raw.mask]).all()
    lon, lat = arctic_raw.proj(*np.meshgrid(arctic_raw.x, arctic_raw.y), inverse=True)
    land = ~arctic_raw.mask
    east, _ = arctic.at(lon[land], lat[land], arctic.time[0])
    assert np.isnan(east).all()


def test_arctic_uses_the_projection_not_the_stored_lonlat(arctic, arctic_raw):
    # quirk 18: the file's own 2-D lon/lat are ~17 km off its X/Y + proj4 positions
    lon, lat = arctic_raw.proj(*np.meshgrid(arctic_raw.x, arctic_raw.y), inverse=True)
    _, _, offset = pyproj.Geod(ellps="WGS84").inv(lon, lat, arctic_raw.file_lon,
                                                  arctic_raw.file_lat)
    assert 15e3 < offset.mean() < 20e3
    note = next(n for n in arctic.notes if "projected grid" in n)
    assert "lon_0=58" in note and "in km" in note
    assert "differ from its projection" in note and "sarkit uses the projection" in note


# --------------------------------------------------------------------------- WCOFS (ROMS C-grid)


# --------------------------------------------------------------------------- CMEMS global 1 deg


@pytest.fixture(scope="module")
def cmems_raw(realworld):
    with raw(realworld / CMEMS) as d:
        return {
            "lon": np.asarray(d["longitude"][:], dtype=np.float64),
            "lat": np.asarray(d["latitude"][:], dtype=np.float64),
            "uo": unpack(d["uo"]),
            "vo": unpack(d["vo"]),
            "time": np.asarray(d["time"][:]),
        }


@pytest.fixture(scope="module")
def cmems(realworld):
    source = open_forcing(realworld / CMEMS, "current")
    yield source
    source.close()


def _raw_subset(cmems_raw, grid):
    """Raw values at the grid's lon/lat (which must be raw grid points)."""
    wrapped = (grid.lon + 180.0) % 360.0 - 180.0
    ix = [int(np.argmin(np.abs(cmems_raw["lon"] - lon))) for lon in wrapped]
    iy = [int(np.argmin(np.abs(cmems_raw["lat"] - lat))) for lat in grid.lat]
    np.testing.assert_allclose(cmems_raw["lon"][ix], wrapped, atol=1e-4)
    np.testing.assert_allclose(cmems_raw["lat"][iy], grid.lat, atol=1e-4)
    return (cmems_raw["uo"][:, iy][:, :, ix], cmems_raw["vo"][:, iy][:, :, ix])


def test_cmems_andaman_box_equals_the_raw_values(cmems, cmems_raw):
    grid = cmems.load((92.0, 5.0, 99.0, 14.0), coast_fill_passes=0)
    assert grid.lon[0] <= 92.0 and grid.lon[-1] >= 99.0
    assert grid.lat[0] <= 5.0 and grid.lat[-1] >= 14.0
    # regular grid: no regridding, the axes are the raw ones
    start = int(np.argmin(np.abs(cmems_raw["lon"] - grid.lon[0])))
    np.testing.assert_allclose(grid.lon, cmems_raw["lon"][start:start + grid.lon.size], atol=1e-5)
    uo, vo = _raw_subset(cmems_raw, grid)
    np.testing.assert_array_equal(grid.east, uo.astype(np.float32))
    np.testing.assert_array_equal(grid.north, vo.astype(np.float32))
    assert np.isnan(grid.east).any() and np.isfinite(grid.east).sum() > 50  # coast and sea
    assert not any("regridded" in note for note in grid.notes)


def test_cmems_box_across_the_antimeridian(cmems, cmems_raw):
    grid = cmems.load((170.0, -10.0, -170.0, 10.0))
    assert 167.0 < grid.lon[0] <= 170.0 and 190.0 <= grid.lon[-1] < 193.0
    np.testing.assert_allclose(np.diff(grid.lon), 1.0, atol=1e-4)
    uo, vo = _raw_subset(cmems_raw, grid)
    np.testing.assert_array_equal(grid.east, uo.astype(np.float32))
    np.testing.assert_array_equal(grid.north, vo.astype(np.float32))
    east, north = grid.at(-179.5417, 0.4583, grid.time[0])  # a raw point west of 180
    ix = int(np.argmin(np.abs(cmems_raw["lon"] + 179.5417)))
    iy = int(np.argmin(np.abs(cmems_raw["lat"] - 0.4583)))
    assert east == pytest.approx(cmems_raw["uo"][0, iy, ix], abs=1e-4)
    assert north == pytest.approx(cmems_raw["vo"][0, iy, ix], abs=1e-4)


def test_cmems_whole_grid_keeps_every_sea_value(cmems, cmems_raw):
    # the last row (90.0, all NaN) is padding 0.54 deg after 89.46: the grid stops at
    # 89.46 and every other value, coastal ones included, is the raw one
    grid = cmems.load(coast_fill_passes=0)
    assert grid.lat[-1] == pytest.approx(89.4583, abs=1e-3)
    np.testing.assert_array_equal(grid.east, cmems_raw["uo"][:, :-1].astype(np.float32))
    np.testing.assert_array_equal(grid.north, cmems_raw["vo"][:, :-1].astype(np.float32))


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2024-01-09T00:00Z", "2024-01-12T00:00Z", ["2024-01-08", "2024-01-13"]),
    ("2024-01-08T00:00Z", "2024-01-13T00:00Z", ["2024-01-08", "2024-01-13"]),
    ("2024-01-08T00:00Z", "2024-01-08T00:00Z", ["2024-01-08", "2024-01-13"]),
    ("2024-01-04T00:00Z", "2024-01-19T00:00Z",
     ["2024-01-03", "2024-01-08", "2024-01-13", "2024-01-18", "2024-01-23"]),
    (None, None, ["2024-01-03", "2024-01-08", "2024-01-13", "2024-01-18", "2024-01-23",
                  "2024-01-28"]),
])
def test_cmems_time_window_takes_records_around_it(cmems, cmems_raw, start, end, expected):
    grid = cmems.load((92.0, 5.0, 99.0, 14.0), start, end, coast_fill_passes=0)
    assert [format_time(t)[:10] for t in grid.time] == expected
    # raw times are int64 'days since 2024-01-03'
    days = (grid.time - parse_time("2024-01-03T00:00Z")) / 86400.0
    records = np.searchsorted(cmems_raw["time"], days)
    np.testing.assert_array_equal(cmems_raw["time"][records], days)
    uo, _ = _raw_subset(cmems_raw, grid)
    np.testing.assert_array_equal(grid.east, uo[records].astype(np.float32))


def test_cmems_time_window_as_epoch_and_datetime64(cmems):
    by_text = cmems.load((92, 5, 99, 14), "2024-01-09T00:00Z", "2024-01-12T00:00Z")
    by_epoch = cmems.load((92, 5, 99, 14), parse_time("2024-01-09T00:00Z"),
                          parse_time("2024-01-12T00:00Z"))
    by_numpy = cmems.load((92, 5, 99, 14), np.datetime64("2024-01-09T00:00"),
                          np.datetime64("2024-01-12T00:00"))
    np.testing.assert_array_equal(by_text.time, by_epoch.time)
    np.testing.assert_array_equal(by_text.time, by_numpy.time)


@pytest.mark.parametrize(("start", "end"), [
    ("2024-01-01T00:00Z", "2024-01-05T00:00Z"),
    ("2024-01-27T00:00Z", "2024-01-29T00:00Z"),
    ("2024-02-01T00:00Z", "2024-02-03T00:00Z"),
    ("2023-12-01T00:00Z", "2023-12-02T00:00Z"),
])
def test_cmems_window_outside_the_data_is_refused(cmems, start, end):
    with pytest.raises(ForcingCoverageError, match="outside the data") as caught:
        cmems.load((92.0, 5.0, 99.0, 14.0), start, end)
    assert "2024-01-03T00:00:00Z .. 2024-01-28T00:00:00Z" in str(caught.value)
    assert "Fix:" in str(caught.value) and Path(CMEMS).name in str(caught.value)


@pytest.mark.parametrize("box", [(0.0, -85.0, 10.0, -82.0), (10.0, -83.0, 20.0, -80.5),
                                 (-60.0, -89.0, 60.0, -86.0)])
def test_cmems_box_without_data_is_refused(cmems, box):
    with pytest.raises(ForcingCoverageError) as caught:
        cmems.load(box)
    assert "Fix:" in str(caught.value)


# --------------------------------------------------------------------------- PyGNOME, RTOFS


def _regular_check(grid, path, u_name, v_name):
    """A regular file: the loaded grid is the raw one, values exact, fill NaN."""
    with raw(path) as d:
        lon = np.asarray(d["lon"][:], dtype=np.float64)
        lat = np.asarray(d["lat"][:], dtype=np.float64)
        u, v = unpack(d[u_name]), unpack(d[v_name])
        fill = np.asarray(d[u_name][:]) == d[u_name].getncattr("_FillValue")
    # float32 axes, evenly spaced but for rounding: same points to 1e-4 deg
    np.testing.assert_allclose(grid.lon, lon, atol=1e-4)
    np.testing.assert_allclose(grid.lat, lat, atol=1e-4)
    np.testing.assert_array_equal(grid.east, u.astype(np.float32))
    np.testing.assert_array_equal(grid.north, v.astype(np.float32))
    return fill


def test_pygnome_current(realworld):
    grid = open_forcing(realworld / GNOME_CURRENT, "current").load(coast_fill_passes=0)
    fill = _regular_check(grid, realworld / GNOME_CURRENT, "water_u", "water_v")
    assert 0.2 < fill.mean() < 0.5  # fill 999.0 on land
    assert np.isnan(grid.east[fill]).all() and np.isfinite(grid.east[~fill]).all()
    assert grid.lon.size == 26 and grid.lat.size == 52  # no edge row or column lost
    assert format_time(grid.time[0]) == "2023-03-02T12:00:00Z"
    assert format_time(grid.time[-1]) == "2023-03-04T12:00:00Z"
    np.testing.assert_array_equal(np.diff(grid.time), 3 * 3600.0)


def test_pygnome_wind(realworld):
    grid = open_forcing(realworld / GNOME_WIND, "wind").load()
    _regular_check(grid, realworld / GNOME_WIND, "air_u", "air_v")
    # units 'Hour since 2023-02-28 00:00:00', first value 48
    assert format_time(grid.time[0]) == "2023-03-02T00:00:00Z"
    assert format_time(grid.time[-1]) == "2023-03-04T00:00:00Z"
    assert grid.time.size == 17


def test_pygnome_current_and_wind_overlap(realworld):
    current = open_forcing(realworld / GNOME_CURRENT, "current").load()
    wind = open_forcing(realworld / GNOME_WIND, "wind").load()
    shared = np.intersect1d(current.time, wind.time)
    assert shared.size == 13


def test_rtofs_units_in_long_name_and_days_since_2000(realworld):
    grid = open_forcing(realworld / RTOFS, "current").load(coast_fill_passes=0)
    fill = _regular_check(grid, realworld / RTOFS, "water_u", "water_v")
    assert fill.any() and np.isnan(grid.east[fill]).all()
    assert any("m/s (long_name)" in note for note in grid.notes)
    assert format_time(grid.time[0]) == "2024-10-28T03:00:00Z"
    assert format_time(grid.time[-1]) == "2024-11-05T00:00:00Z"
    assert grid.time.size == 64


# --------------------------------------------------------------------------- ACCESS-OM2


def test_access_om2_u_and_v_files_join(realworld):
    grid = open_forcing(paths(realworld, ACCESS), "current").load()
    with raw(realworld / ACCESS[0]) as d:
        lon = np.asarray(d["xu_ocean"][:], dtype=np.float64)
        lat = np.asarray(d["yu_ocean"][:], dtype=np.float64)
        u = unpack(d["u"])[:, 0]  # st_ocean index 0: 0.54 m
    with raw(realworld / ACCESS[1]) as d:
        v = unpack(d["v"])[:, 0]
    # longitudes -247.4..-246.4 are 112.6..113.6 E
    np.testing.assert_allclose(grid.lon, lon + 360.0, atol=1e-9)
    assert 112.5 < grid.lon[0] and grid.lon[-1] < 113.7
    # yu_ocean is Mercator-spaced (steps differ by 1 %): the even latitude axis
    # starts on the first raw row; values there are exact, and between rows they
    # are linear in latitude (independently: np.interp along each column)
    assert grid.lat[0] == lat[0]
    np.testing.assert_array_equal(grid.east[:, 0], u[:, 0].astype(np.float32))
    np.testing.assert_array_equal(grid.north[:, 0], v[:, 0].astype(np.float32))
    for t in range(grid.time.size):
        for i in range(lon.size):
            inside = grid.lat <= lat[-1]
            expected_u = np.interp(grid.lat[inside], lat, u[t, :, i])
            expected_v = np.interp(grid.lat[inside], lat, v[t, :, i])
            np.testing.assert_allclose(grid.east[t, inside, i], expected_u, atol=1e-6)
            np.testing.assert_allclose(grid.north[t, inside, i], expected_v, atol=1e-6)
    # NOLEAP days since 1900-01-01: 18250.5 days = 50 years of 365 days, plus 12 h
    assert [format_time(t) for t in grid.time] == [
        "1950-01-01T12:00:00Z", "1950-01-02T12:00:00Z", "1950-01-03T12:00:00Z"]
    assert any("NOLEAP" in note for note in grid.notes)
    assert any("st_ocean" in note for note in grid.notes)


# --------------------------------------------------------------------------- describe()


@pytest.mark.parametrize(("names", "reasons"), [
    (FVCOM, ["unstructured"]),
    (HYCOM, ["only the eastward"]),
    (ACCESS[0], ["only the eastward"]),
    (CROCO, ["no reference date", "no surface level"]),
    (NEMO[0], ["no units", "only the eastward"]),
    (NEMO_MASK, ["no current or wind velocity"]),
])
def test_describe_names_the_reason_a_file_cannot_serve(realworld, names, reasons):
    reports = describe(realworld / names)
    assert len(reports) == 1
    report = reports[0]
    assert not report.usable
    text = report.to_text()
    assert Path(names).name in text
    for reason in reasons:
        assert reason in text


@pytest.mark.parametrize(("names", "quantity"), [
    (NORDIC, "current"), (AROME, "wind"), (ARCTIC, "current"), (WCOFS, "current"),
    (CMEMS, "current"), (GNOME_CURRENT, "current"), (GNOME_WIND, "wind"), (RTOFS, "current"),
    (ERA5, "wind"),
])
def test_describe_usable_files(realworld, names, quantity):
    (report,) = describe(realworld / names)
    assert report.usable
    assert [f.quantity.value for f in report.fields if f.usable] == [quantity]
    assert "cannot serve" not in report.to_text()


def test_describe_pairs_files_that_serve_together(realworld):
    reports = describe(paths(realworld, ACCESS))
    assert [r.usable for r in reports[:2]] == [False, False]
    together = reports[-1]
    assert together.label == "all files together" and together.usable
    assert "3 records" in together.to_text()
    nemo = describe(paths(realworld, NEMO), units="m/s")
    assert nemo[-1].usable


def test_describe_reports_a_bad_combination(realworld):
    reports = describe(paths(realworld, (NORDIC, NORDIC_DAYS[1])))
    assert reports[0].usable and reports[1].usable
    assert not reports[-1].usable
    assert "overlap" in reports[-1].to_text()


def test_errors_are_sarkit_errors(realworld):
    with pytest.raises(SarkitError):
        open_forcing(realworld / FVCOM, "current")


def damaged_copy(realworld, tmp_path) -> Path:
    """ERA5's file cut off at half its length, as a broken download leaves it."""
    data = (realworld / ERA5).read_bytes()
    damaged = tmp_path / "era5_damaged.nc"
    damaged.write_bytes(data[: len(data) // 2])
    return damaged


def test_a_damaged_file_is_refused_with_its_reason(realworld, tmp_path):
    damaged = damaged_copy(realworld, tmp_path)
    with pytest.raises(ForcingFileError) as caught:
        open_forcing(damaged, "wind").load()
    message = str(caught.value)
    assert "cannot be read as netCDF" in message and "Fix:" in message
    assert damaged.name in message
    (report,) = describe(damaged)
    assert not report.usable and "cannot be read as netCDF" in report.to_text()


def test_era5_winds_are_the_unpacked_values_of_the_file(realworld):
    # reference: the int16 values unpacked by hand with the file's own scale and offset
    grid = open_forcing(realworld / ERA5, "wind").load()
    assert grid.is_steady  # one scalar time
    assert np.all(np.diff(grid.lat) > 0)  # stored descending, served ascending
    with netCDF4.Dataset(realworld / ERA5) as raw:
        raw.set_auto_maskandscale(False)
        lat = raw["latitude"][:]
        for name, served in (("u10", grid.east[0]), ("v10", grid.north[0])):
            packed = raw[name][:].astype(float).reshape(raw[name].shape[-2:])
            assert raw[name].dtype == np.int16
            scale, offset = raw[name].scale_factor, raw[name].add_offset
            expected = np.where(packed == raw[name]._FillValue, np.nan, packed * scale + offset)
            if lat[0] > lat[-1]:
                expected = expected[::-1]
            np.testing.assert_allclose(served, expected, rtol=0, atol=1e-6, equal_nan=True)


def test_arctic_current_reaches_the_coast(realworld, arctic, arctic_raw):
    """Issue 17 item 2: by default the current is carried three model cells into the model's
    land before it is regridded, so no sea point of the model reads missing (a band of still
    water along the model's coast); every value the file gives unfilled is unchanged."""
    filled = open_forcing(realworld / ARCTIC, "current").load()
    assert any("model cells into the model's land" in note for note in filled.notes)
    same = np.isfinite(arctic.east)
    assert (np.isfinite(filled.east) >= same).all()
    np.testing.assert_array_equal(filled.east[same], arctic.east[same])
    np.testing.assert_array_equal(filled.north[same], arctic.north[same])
    lon, lat = arctic_raw.proj(*np.meshgrid(arctic_raw.x, arctic_raw.y), inverse=True)
    # the model's own sea points, away from the edges of its grid (where the regular grid
    # does not reach: leaving the model's grid is another matter)
    sea = np.isfinite(arctic_raw.u[0, 0])
    sea[:3], sea[-3:], sea[:, :3], sea[:, -3:] = False, False, False, False
    t = arctic.time[0]
    before, _ = arctic.at(lon[sea], lat[sea], t)
    after, _ = filled.at(lon[sea], lat[sea], t)
    assert np.isnan(before).mean() > 0.01  # the band the issue measured (about 3 %)
    assert np.isnan(after).sum() == 0


# --------------------------------------------------------------------------- the model's own points


def _c_grid_partner(v: np.ndarray) -> np.ndarray:
    """A C grid's v at its u points: u(j, i) lies at rho (j, i + 1/2), v(j, i) at
    (j + 1/2, i), so the v points around u(j, i) are v(j-1, i), v(j-1, i+1), v(j, i) and
    v(j, i+1); their mean (NaN if any is missing). Row 0 has no v below it (NaN)."""
    nt, ny, nx = v.shape
    out = np.full((nt, ny, nx - 1 if nx > 1 else nx), np.nan)
    out[:, 1:] = 0.25 * (v[:, :-1, :-1] + v[:, :-1, 1:] + v[:, 1:, :-1] + v[:, 1:, 1:])
    return out


def _compare_at_points(grid, lon, lat, east, north, *, atol=1e-3, least=100):
    """``grid.at`` at the model's points equals the reference wherever the reference is
    defined; returns the worst error and how many points were compared."""
    shape = east.shape
    got_e, got_n = grid.at(np.broadcast_to(lon, shape), np.broadcast_to(lat, shape),
                           np.broadcast_to(grid.time[:, None, None], shape))
    known = np.isfinite(east) & np.isfinite(north)
    assert known.sum() >= least
    assert np.isfinite(got_e[known]).all() and np.isfinite(got_n[known]).all()
    error = np.hypot(got_e - east, got_n - north)[known]
    assert error.max() < atol, f"worst {error.max():.2e} m/s at the model's points"
    return error.max(), int(known.sum())


def test_arctic20_model_points_read_the_file_value(realworld, arctic_raw):
    # Issue 17: at the model's own points (placed by X/Y and the proj4 string), coastal ones
    # included, the current is the file's surface u/v rotated by 58 - lon (north-polar
    # stereographic, lon_0 58): the coastal jet is no longer weakened by a second
    # interpolation
    arctic = open_forcing(realworld / ARCTIC, "current").load()
    lon, lat = arctic_raw.proj(*np.meshgrid(arctic_raw.x, arctic_raw.y), inverse=True)
    east, north = rotate(arctic_raw.u[:, 0], arctic_raw.v[:, 0], np.radians(58.0 - lon))
    _compare_at_points(arctic, lon, lat, east, north, atol=1e-5, least=1000)
    # the strongest current in the file comes out at its full speed
    speed = np.hypot(east, north)
    j = np.unravel_index(np.nanargmax(speed[0]), speed[0].shape)
    got_e, got_n = arctic.at(lon[j], lat[j], arctic.time[0])
    assert np.hypot(got_e, got_n) == pytest.approx(speed[0][j], abs=1e-5)
    # the 3 m level and the unrotated components are measurably different
    deeper = rotate(arctic_raw.u[:, 1], arctic_raw.v[:, 1], np.radians(58.0 - lon))
    got = arctic.at(lon, lat, arctic.time[0])
    assert np.nanmax(np.hypot(got[0] - deeper[0][0], got[1] - deeper[1][0])) > 0.01
    assert np.nanmax(np.hypot(got[0] - arctic_raw.u[0, 0], got[1] - arctic_raw.v[0, 0])) > 0.1


def test_arome_model_points_read_the_file_value(arome, arome_raw):
    lon, lat = arome_raw.proj(*np.meshgrid(arome_raw.x, arome_raw.y), inverse=True)
    east, north = rotate(arome_raw.xw, arome_raw.yw, arome_raw.x_axis_angle(lon, lat))
    _compare_at_points(arome, lon, lat, east, north, atol=1e-4, least=10_000)


def test_nordic_model_points_read_the_file_value(realworld, nordic_raw):
    # the ROMS C grid, with the default coast fill (coastal points included): at each u
    # point (half a cell along xi from rho, as the reader derives it: lon_u is all zero in
    # this file) the surface u, and v the mean of its four points around; rotated by the
    # file's angle averaged to the u point
    r = nordic_raw
    u = np.where(r.mask_u, r.u[:, -1], np.nan)[:, :, :-1]
    v = _c_grid_partner(np.where(r.mask_v, r.v[:, -1], np.nan))
    lon, lat = (0.5 * (a[:, :-1] + a[:, 1:]) for a in (r.lon, r.lat))
    angle = np.arctan2(np.sin(r.angle[:, :-1]) + np.sin(r.angle[:, 1:]),
                       np.cos(r.angle[:, :-1]) + np.cos(r.angle[:, 1:]))
    east, north = rotate(u, v, angle)
    nordic = open_forcing(realworld / NORDIC, "current").load()
    _compare_at_points(nordic, lon, lat, east, north)


def test_wcofs_model_points_read_the_file_value(realworld):
    grid = open_forcing(realworld / WCOFS, "current").load()
    with raw(realworld / WCOFS) as d:
        get = {n: np.asarray(d[n][:], dtype=np.float64) for n in (
            "lon_u", "lat_u", "angle", "mask_u", "mask_v", "mask_rho", "lon_rho", "lat_rho")}
        u, v = unpack(d["u_sur"]), unpack(d["v_sur"])
    assert u.shape[1:] == (68, 36) and v.shape[1:] == (67, 37)  # true C-grid shapes
    u[:, get["mask_u"] < 0.5] = np.nan
    v[:, get["mask_v"] < 0.5] = np.nan
    angle = get["angle"]
    at_u = np.arctan2(np.sin(angle[:, :-1]) + np.sin(angle[:, 1:]),
                      np.cos(angle[:, :-1]) + np.cos(angle[:, 1:]))
    partner = np.full(u.shape, np.nan)  # u rows 1..66 lie between v rows
    partner[:, 1:-1] = 0.25 * (v[:, :-1, :-1] + v[:, :-1, 1:] + v[:, 1:, :-1] + v[:, 1:, 1:])
    east, north = rotate(u, partner, at_u)
    _compare_at_points(grid, get["lon_u"], get["lat_u"], east, north)
    # unrotated it would be off by ~15 deg: several cm/s
    got_e, got_n = grid.at(get["lon_u"], get["lat_u"], grid.time[0])
    assert np.nanmax(np.hypot(got_e - u[0], got_n - partner[0])) > 0.05
    land = get["mask_rho"] < 0.5
    bare = open_forcing(realworld / WCOFS, "current").load(coast_fill_passes=0)
    got, _ = bare.at(get["lon_rho"][land], get["lat_rho"][land], grid.time[0])
    assert land.sum() > 100 and np.isnan(got).all()
    assert [format_time(t) for t in grid.time[[0, -1]]] == [
        "2024-10-17T01:00:00Z", "2024-10-17T04:00:00Z"]


def test_nemo_model_points_across_the_antimeridian_read_the_file_value(realworld):
    # the NEMO file across 180: Parcels' ground truth is a purely eastward 1 m/s flow
    # written as grid-relative U/V (axes 5-19 deg off east); at every U point (nav_lon_u,
    # jumping from +180 to -180) with its four V points around, that is what is read
    grid = open_forcing(paths(realworld, NEMO), "current", units="m/s").load()
    with raw(realworld / NEMO[0]) as d:
        lon, lat = (np.asarray(d[n][:], dtype=np.float64) for n in ("nav_lon_u", "nav_lat_u"))
        u = np.asarray(d["U"][:], dtype=np.float64)
    assert lon.max() > 179 and lon.min() < -179
    east = np.where(np.isfinite(u), 1.0, np.nan)
    east[:, 0], east[:, :, -1] = np.nan, np.nan  # no V point below row 0 or right of the last
    # the file has no angle: it comes from the positions of the neighbouring points, one-sided
    # (0.3 deg less sure) on the first column
    east[:, :, 0] = np.nan
    _compare_at_points(grid, lon, lat, east, 0.0 * east, atol=1e-3, least=150)


@pytest.mark.parametrize("names, options", [
    pytest.param(ARCTIC, {}, id="arctic20"),
    pytest.param(NORDIC, {}, id="nordic"),
    pytest.param(WCOFS, {}, id="wcofs"),
    pytest.param(NEMO, {"units": "m/s"}, id="nemo"),
])
def test_coastal_model_points_keep_their_value_with_the_coast_fill(realworld, names, options):
    # with the default coast fill every point where the model gives a current reads one
    # (coastal points included), and the same one as without the fill wherever the model
    # gives all the values around it
    source = open_forcing(paths(realworld, names), "current", **options)
    filled, bare = source.load(), source.load(coast_fill_passes=0)
    mesh = filled.native.mesh
    sea = np.isfinite(bare.native.east)
    lon, lat = (np.broadcast_to(a, sea.shape) for a in (mesh.lon, mesh.lat))
    times = np.broadcast_to(filled.time[:, None, None], sea.shape)
    east, north = filled.at(lon[sea], lat[sea], times[sea])
    assert np.isfinite(east).all() and np.isfinite(north).all()
    before = bare.at(lon[sea], lat[sea], times[sea])
    known = np.isfinite(before[0])
    assert known.mean() > 0.5
    np.testing.assert_allclose(east[known], before[0][known], atol=1e-6)
    np.testing.assert_allclose(north[known], before[1][known], atol=1e-6)


@pytest.mark.parametrize("names, quantity, options", [
    pytest.param(ARCTIC, "current", {}, id="arctic20"),
    pytest.param(AROME, "wind", {}, id="arome"),
    pytest.param(NORDIC, "current", {}, id="nordic"),
    pytest.param(WCOFS, "current", {}, id="wcofs"),
])
def test_the_map_grid_is_the_model_field_at_its_nodes(realworld, names, quantity, options):
    # the regular grid beside the model's own (maps, boxes) holds the model's field
    # sampled at its nodes, no second interpolation of its own
    grid = open_forcing(paths(realworld, names), quantity, **options).load()
    assert grid.native is not None
    qlon, qlat = target_nodes(grid)
    for t in range(grid.time.size):
        east, north = grid.at(qlon, qlat, grid.time[t])
        same = np.isfinite(grid.east[t])
        assert same.sum() > 100
        np.testing.assert_allclose(grid.east[t][same], east[same], atol=1e-6)
        np.testing.assert_allclose(grid.north[t][same], north[same], atol=1e-6)
