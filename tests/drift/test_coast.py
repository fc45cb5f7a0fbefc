"""The coastline mask: GSHHG via roaring-landmask, rasterised, cached, read by the kernel.

Every test keeps its cache in its own temporary folder; roaring-landmask itself
is loaded once for the whole session (a few seconds), by sarkit's singleton.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import ndimage

from sarkit.drift import coast
from sarkit.drift.coast import LandMask, is_land, land_mask
from sarkit.errors import BadValueError
from sarkit.geodesy import METRES_PER_DEGREE

# Similan Islands, Andaman Sea: a chain of islands of 0.1-6 km2
SIMILAN = (97.55, 8.45, 97.75, 8.75)
# Taveuni and Vanua Levu (Fiji): land on both sides of the antimeridian
FIJI = (179.7, -17.0, -179.7, -16.6)


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty sarkit cache for each test."""
    monkeypatch.setenv("SARKIT_CACHE", str(tmp_path))
    return tmp_path / "landmask"


def _roaring(lon, lat) -> np.ndarray:
    """roaring-landmask itself, at points (longitudes wrapped to -180..180)."""
    lon = (np.asarray(lon, dtype=np.float64) + 180.0) % 360.0 - 180.0
    lat = np.asarray(lat, dtype=np.float64)
    return np.asarray(coast._roaring_landmask().contains_many(lon.ravel(), lat.ravel()))


def _centres(mask: LandMask, rows, cols) -> tuple[np.ndarray, np.ndarray]:
    return mask.west + (cols + 0.5) * mask.dlon, mask.south + (rows + 0.5) * mask.dlat


@pytest.mark.parametrize(
    ("place", "land", "sea"),
    [
        ("Phuket Town", (98.38, 7.88), (97.0, 7.5)),
        ("Banda Aceh", (95.33, 5.54), (94.5, 5.8)),
        ("Cox's Bazar", (92.0, 21.43), (91.7, 21.0)),
    ],
)
def test_towns_are_land_and_the_sea_off_them_is_sea(place, land, sea):
    box = (
        min(land[0], sea[0]) - 0.05,
        min(land[1], sea[1]) - 0.05,
        max(land[0], sea[0]) + 0.05,
        max(land[1], sea[1]) + 0.05,
    )
    mask = land_mask(box)
    lon, lat = np.array([land[0], sea[0]]), np.array([land[1], sea[1]])
    assert mask.contains(lon, lat).tolist() == [True, False], place
    assert _roaring(lon, lat).tolist() == [True, False], place


def test_every_island_of_half_a_square_km_has_a_land_cell():
    mask = land_mask(SIMILAN)
    width_m, height_m = mask.cell_size_m
    assert width_m <= 450.0 + 1e-6 and height_m <= 450.0 + 1e-6
    assert width_m > 400.0 and height_m > 400.0

    # the islands, from roaring-landmask on a grid of about 55 m
    step = 0.0005
    lon = np.arange(SIMILAN[0] + step / 2, SIMILAN[2], step)
    lat = np.arange(SIMILAN[1] + step / 2, SIMILAN[3], step)
    grid_lon, grid_lat = np.meshgrid(lon, lat)
    fine = _roaring(grid_lon, grid_lat).reshape(grid_lon.shape)
    labels, n = ndimage.label(fine)
    cell_km2 = (step * METRES_PER_DEGREE / 1000.0) ** 2 * np.cos(np.radians(8.6))
    big = 0
    for k in range(1, n + 1):
        inside = labels == k
        if inside.sum() * cell_km2 < 0.5:
            continue
        big += 1
        assert mask.contains(grid_lon[inside], grid_lat[inside]).any(), (
            f"island near {grid_lon[inside].mean():.3f}E {grid_lat[inside].mean():.3f}N "
            f"({inside.sum() * cell_km2:.2f} km2) has no land cell"
        )
    assert big >= 6  # Ko Huyong to Ko Ba Ngu

    # Ko Ba Ngu, about 1.2 km x 0.9 km: land cells, and open sea 2 km north of it
    # (Ko Similan lies 1 km to its south)
    ba_ngu = (97.641, 8.670)
    near = np.abs(grid_lon - ba_ngu[0]) < 0.01
    near &= np.abs(grid_lat - ba_ngu[1]) < 0.01
    assert mask.contains(grid_lon[near & fine], grid_lat[near & fine]).sum() >= 2
    ring = np.linspace(0.0, np.pi, 13)
    off_lon = ba_ngu[0] + 0.018 * np.cos(ring) / np.cos(np.radians(ba_ngu[1]))
    off_lat = ba_ngu[1] + 0.018 * np.sin(ring)
    assert not mask.contains(off_lon, off_lat).any()


def test_cells_are_what_roaring_landmask_says_at_their_centres():
    mask = land_mask(SIMILAN)
    ny, nx = mask.shape
    rng = np.random.default_rng(20240611)
    rows = rng.integers(0, ny, 4000)
    cols = rng.integers(0, nx, 4000)
    # and every land cell, so that the sample is not all sea
    land_rows, land_cols = np.nonzero(mask.land)
    rows = np.concatenate([rows, land_rows])
    cols = np.concatenate([cols, land_cols])
    lon, lat = _centres(mask, rows, cols)
    expected = mask.land[rows, cols] != 0
    assert expected.sum() > 50
    np.testing.assert_array_equal(_roaring(lon, lat), expected)
    np.testing.assert_array_equal(mask.contains(lon, lat), expected)
    kernel = [is_land(x, y, *mask.land_params, mask.land) for x, y in zip(lon, lat, strict=True)]
    np.testing.assert_array_equal(kernel, expected)
    # longitudes given a turn further round the globe
    np.testing.assert_array_equal(mask.contains(lon + 360.0, lat), expected)
    np.testing.assert_array_equal(mask.contains(lon - 720.0, lat), expected)


def test_kernel_agrees_with_contains_anywhere_and_is_false_outside():
    mask = land_mask(SIMILAN)
    rng = np.random.default_rng(7)
    lon = rng.uniform(SIMILAN[0] - 0.1, SIMILAN[2] + 0.1, 3000)
    lat = rng.uniform(SIMILAN[1] - 0.1, SIMILAN[3] + 0.1, 3000)
    lon[:3] = [np.nan, 97.64, np.inf]
    lat[:3] = [8.6, np.nan, 8.6]
    kernel = np.array(
        [is_land(x, y, *mask.land_params, mask.land) for x, y in zip(lon, lat, strict=True)]
    )
    np.testing.assert_array_equal(mask.contains(lon, lat), kernel)
    outside = (lon < mask.west) | (lon >= mask.east) | (lat < mask.south) | (lat >= mask.north)
    outside |= ~np.isfinite(lon) | ~np.isfinite(lat)
    assert outside.sum() > 100 and not kernel[outside].any()
    assert kernel.any()
    assert mask.contains(97.64, 8.64).shape == ()


def test_box_across_the_antimeridian():
    mask = land_mask(FIJI, resolution_m=1000.0)
    assert mask.west == 179.7 and mask.east == pytest.approx(180.3)
    ny, nx = mask.shape
    rows, cols = np.meshgrid(np.arange(ny), np.arange(nx), indexing="ij")
    lon, lat = _centres(mask, rows.ravel(), cols.ravel())
    expected = _roaring(lon, lat)
    np.testing.assert_array_equal(mask.land.ravel() != 0, expected)
    west_of_180 = lon < 180.0
    assert expected[west_of_180].any() and expected[~west_of_180].any()
    # the same points written -180..180
    np.testing.assert_array_equal(mask.contains(np.where(lon > 180, lon - 360, lon), lat), expected)


def test_mask_is_read_only_and_covers_the_box():
    mask = land_mask(SIMILAN)
    assert mask.land.dtype == np.uint8 and mask.land.flags.c_contiguous
    assert not mask.land.flags.writeable
    assert set(np.unique(mask.land)) <= {0, 1}
    assert (mask.west, mask.south) == SIMILAN[:2]
    assert mask.east == pytest.approx(SIMILAN[2]) and mask.north == pytest.approx(SIMILAN[3])
    assert "GSHHG" in mask.source and "roaring-landmask" in mask.source
    with pytest.raises(ValueError, match="read-only"):
        mask.land[0, 0] = 1


def test_second_call_reads_the_cache_without_roaring_landmask(cache, monkeypatch):
    first = land_mask(SIMILAN)
    files = list(cache.glob("*.npz"))
    assert len(files) == 1
    assert not list(cache.glob("*.tmp"))

    def refuse():
        raise AssertionError("roaring-landmask was asked although the mask is cached")

    monkeypatch.setattr(coast, "_roaring_landmask", refuse)
    second = land_mask(SIMILAN)
    np.testing.assert_array_equal(second.land, first.land)
    assert second.land_params == first.land_params
    assert not second.land.flags.writeable


def test_corrupt_cache_file_is_rebuilt(cache):
    first = land_mask(SIMILAN)
    (path,) = cache.glob("*.npz")
    path.write_bytes(b"not a zip file")
    rebuilt = land_mask(SIMILAN)
    np.testing.assert_array_equal(rebuilt.land, first.land)
    path.write_bytes(path.read_bytes()[:100])  # truncated
    np.testing.assert_array_equal(land_mask(SIMILAN).land, first.land)
    with np.load(path) as data:  # and the file is whole again
        np.testing.assert_array_equal(data["land"], first.land)


def test_cache_key_differs_by_box_and_resolution(cache, tmp_path):
    land_mask(SIMILAN)
    land_mask((97.55, 8.45, 97.75, 8.70))
    land_mask(SIMILAN, resolution_m=900.0)
    land_mask(SIMILAN)
    assert len(list(cache.glob("*.npz"))) == 3
    assert coast._cache_key(1, 2, 3, 4, 450.0, "0.11.0") != coast._cache_key(
        1, 2, 3, 4, 450.0, "0.12.0"
    )
    elsewhere = tmp_path / "mine"
    land_mask(SIMILAN, cache_dir=elsewhere)
    assert len(list(elsewhere.glob("landmask-*.npz"))) == 1


def test_default_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SARKIT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert coast.cache_directory() == tmp_path / "xdg" / "sarkit"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert coast.cache_directory() == tmp_path / "home" / ".cache" / "sarkit"


@pytest.mark.parametrize(
    ("bbox", "words"),
    [
        ((97.0, 8.0, 98.0), "four numbers"),
        ((97.0, 9.0, 98.0, 8.0), "impossible"),
        ((97.0, 8.0, 97.0, 9.0), "width"),
        ((97.0, 8.0, float("nan"), 9.0), "non-finite"),
        ((0.0, 8.0, 400.0, 9.0), "360"),
        (None, "bbox"),
    ],
)
def test_bad_box(bbox, words):
    with pytest.raises(BadValueError, match=words):
        land_mask(bbox)


@pytest.mark.parametrize("resolution_m", [0.0, -5.0, float("nan"), "fine"])
def test_bad_resolution(resolution_m):
    with pytest.raises(BadValueError, match="resolution_m"):
        land_mask(SIMILAN, resolution_m=resolution_m)


def test_absurd_size_is_refused_before_any_work(monkeypatch):
    monkeypatch.setattr(coast, "_roaring_landmask", lambda: 1 / 0)
    with pytest.raises(BadValueError, match=r"cells.*smaller box or a coarser resolution_m"):
        land_mask((-180.0, -80.0, 180.0, 80.0))
    with pytest.raises(BadValueError, match="cells"):
        land_mask((90.0, 0.0, 100.0, 10.0), resolution_m=50.0)


def test_land_mask_dataclass_checks_and_empty_mask():
    writable = np.array([[0, 2], [1, 0]], dtype=np.int64)
    mask = LandMask(10, 20, 0.5, 0.5, writable)
    assert mask.land.dtype == np.uint8 and mask.land.tolist() == [[0, 1], [1, 0]]
    assert writable.flags.writeable  # the caller's array is left alone
    on_land = mask.contains([10.75, 10.25, 9.0], [20.25, 20.25, 20.25])
    assert on_land.tolist() == [True, False, False]
    with pytest.raises(BadValueError, match="dimensions"):
        LandMask(0, 0, 1, 1, np.zeros(3))
    with pytest.raises(BadValueError, match="not positive"):
        LandMask(0, 0, 0, 1, np.zeros((1, 1)))
    empty = LandMask.empty()
    assert empty.shape == (0, 0)
    assert not empty.contains(97.64, 8.64)
    assert not is_land(97.64, 8.64, *empty.land_params, empty.land)
