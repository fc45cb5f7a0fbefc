"""The coastline as a land mask the drift kernels read.

The coastline is GSHHG (Wessel and Smith 1996, "A Global Self-consistent,
Hierarchical, High-resolution Shoreline Database", J. Geophys. Res. 101,
8741-8743) at its *full* resolution, as held by the roaring-landmask package:
its ``RoaringLandmask`` screens a point with a global bitmap and checks every
point near the shore against the GSHHG full-resolution polygons (its
``Shapes.wkb`` docstring: "the GSHHG shapes (full resolution)"). roaring-landmask
0.11 also ships an OpenStreetMap coastline; sarkit asks for GSHHG by name.

Asking roaring-landmask about every particle at every step would be slow, so
:func:`land_mask` rasterises the coastline once per domain: the box is cut into
cells of about ``resolution_m`` metres on each side, each cell is land when its
centre is, and the result is cached on disk keyed by the box, the resolution and
the roaring-landmask version. The kernel :func:`is_land` is then one array
lookup.

Choosing the resolution
-----------------------
A particle is stranded when the *end point* of a step falls in a land cell;
what lies between the two ends is not looked at. So:

* an island is seen when it holds at least one cell centre. With square cells
  of side ``d``, any island that contains a square of side ``d`` does, so an
  island about 1.5 ``d`` across is always seen; the default 450 m stops a
  1 km island (which covers 2 x 2 cells or more).
* a step must be shorter than the smallest land you want to stop it: a boat
  drifting at 1 m/s moves 600 m in a 10-minute step, so steps of 10 minutes or
  less at drift speeds stay within one or two cells. Use shorter steps, not
  only finer cells, to stop fast drifters at narrow land.
* a cell is land or sea as a whole, so the shore is placed to within half a
  cell. GSHHG full resolution comes mostly from the 1:250,000 World Vector
  Shoreline, itself good to a few hundred metres, so much finer cells add
  little.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import tempfile
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from sarkit._numba import njit
from sarkit.errors import BadValueError
from sarkit.forcing.request import check_bbox, format_box
from sarkit.geodesy import METRES_PER_DEGREE

__all__ = [
    "DEFAULT_RESOLUTION_M",
    "MAX_CELLS",
    "LandMask",
    "cache_directory",
    "is_land",
    "land_mask",
]

DEFAULT_RESOLUTION_M = 450.0
"""Default cell side in metres (0.004 degrees of latitude): a 1 km island covers 2 x 2 cells."""

MAX_CELLS = 200_000_000
"""Largest mask :func:`land_mask` builds (one byte a cell: 200 MB)."""

"""Metres per degree of latitude on the sphere of the drift kernels."""

_CACHE_FORMAT = 1
"""Bumped when the layout of cached files changes, so old files are rebuilt."""

_BLOCK_CELLS = 1_000_000
"""Cells asked of roaring-landmask at a time while rasterising (bounds memory)."""


@njit(inline="always")
def is_land(lon, lat, west, south, dlon, dlat, land):
    """Whether a point is in a land cell of a mask.

    Parameters
    ----------
    lon, lat : float
        The point in degrees; any longitude (it is wrapped into
        ``[west, west + 360)``).
    west, south : float
        Lower-left corner of cell ``(0, 0)`` in degrees.
    dlon, dlat : float
        Cell size in degrees.
    land : ndarray of uint8, shape (ny, nx)
        1 where land.

    Returns
    -------
    bool
        True in a land cell; False at sea, outside the mask and for NaN
        positions (whether a point is inside the domain is checked elsewhere).
    """
    ny, nx = land.shape
    fy = (lat - south) * (1.0 / dlat)  # multiplies by hoisted reciprocals: no divide per call
    if not (fy >= 0.0 and fy < ny):
        return False
    x = lon - west
    if x < 0.0 or x >= 360.0:  # a float modulo only where needed
        x -= 360.0 * np.floor(x * (1.0 / 360.0))
    fx = x * (1.0 / dlon)
    if not (fx >= 0.0 and fx < nx):
        return False
    return land[int(fy), int(fx)] != 0


@njit
def _is_land_many(lon, lat, west, south, dlon, dlat, land, out):
    for k in range(lon.size):
        out[k] = is_land(lon[k], lat[k], west, south, dlon, dlat, land)


@dataclass(frozen=True, eq=False)
class LandMask:
    """Land and sea cells over a lon/lat box, as the drift kernels read them.

    Parameters
    ----------
    west, south : float
        Lower-left corner of cell ``(0, 0)`` in degrees.
    dlon, dlat : float
        Cell size in degrees (positive).
    land : ndarray, shape (ny, nx)
        Nonzero (or True) where the cell centre is on land; row 0 is the
        southern row. Stored as a C-contiguous, read-only uint8 array of 0 and 1
        (a copy, unless it already is a read-only C-contiguous uint8 array).
    source : str, optional
        Where the coastline came from, for reports.
    """

    west: float
    south: float
    dlon: float
    dlat: float
    land: np.ndarray = field(repr=False)
    source: str = ""

    def __post_init__(self) -> None:
        for name in ("west", "south", "dlon", "dlat"):
            value = float(getattr(self, name))
            if not math.isfinite(value):
                raise BadValueError(f"land mask {name} = {value} is not finite")
            object.__setattr__(self, name, value)
        if self.dlon <= 0.0 or self.dlat <= 0.0:
            raise BadValueError(
                f"land mask cell size dlon={self.dlon:g}, dlat={self.dlat:g} is not positive"
            )
        land = np.asarray(self.land)
        if land.ndim != 2:
            raise BadValueError(f"land mask has {land.ndim} dimensions", "give a (ny, nx) array")
        if not (land.dtype == np.uint8 and land.flags.c_contiguous and not land.flags.writeable):
            land = np.ascontiguousarray(land != 0, dtype=np.uint8)  # our own read-only copy
            land.setflags(write=False)
        object.__setattr__(self, "land", land)

    @classmethod
    def empty(cls) -> LandMask:
        """A mask with no cells: nothing is land (for runs without a coastline)."""
        return cls(0.0, 0.0, 1.0, 1.0, np.zeros((0, 0), np.uint8), source="no coastline")

    @property
    def shape(self) -> tuple[int, int]:
        """(ny, nx), the number of rows and columns of cells."""
        return self.land.shape

    @property
    def east(self) -> float:
        """Eastern edge in degrees (may pass 180 for a box across the antimeridian)."""
        return self.west + self.dlon * self.land.shape[1]

    @property
    def north(self) -> float:
        """Northern edge in degrees."""
        return self.south + self.dlat * self.land.shape[0]

    @property
    def land_params(self) -> tuple[float, float, float, float]:
        """(west, south, dlon, dlat): with :attr:`land`, the arguments of :func:`is_land`."""
        return self.west, self.south, self.dlon, self.dlat

    @property
    def cell_size_m(self) -> tuple[float, float]:
        """(widest east-west, north-south) side of a cell in metres on the kernels' sphere."""
        cos_max = _cos_nearest_equator(self.south, self.north)
        return self.dlon * METRES_PER_DEGREE * cos_max, self.dlat * METRES_PER_DEGREE

    def polygons(self) -> shapely.Geometry:
        """The land cells as one (Multi)Polygon in lon/lat degrees (empty where none).

        Built from the runs of land cells along each row, so its edges follow the
        raster (steps of one cell).
        """
        boxes = []
        for row in range(self.land.shape[0]):
            cells = np.flatnonzero(self.land[row])
            if cells.size == 0:
                continue
            breaks = np.flatnonzero(np.diff(cells) > 1)
            starts = cells[np.concatenate([[0], breaks + 1])]
            ends = cells[np.concatenate([breaks, [cells.size - 1]])] + 1
            south = self.south + row * self.dlat
            boxes.extend(
                shapely.box(self.west + a * self.dlon, south, self.west + b * self.dlon,
                            south + self.dlat)
                for a, b in zip(starts, ends, strict=True)
            )
        return shapely.union_all(boxes) if boxes else shapely.Polygon()

    def contains(self, lon: Any, lat: Any) -> np.ndarray:
        """Whether points are in land cells (the kernel :func:`is_land`, vectorised).

        Parameters
        ----------
        lon, lat : array_like
            Positions in degrees, broadcast together.

        Returns
        -------
        ndarray of bool
            Same shape as the broadcast inputs; False outside the mask.
        """
        lon_b, lat_b = np.broadcast_arrays(
            np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        )
        out = np.zeros(lon_b.shape, dtype=np.bool_)
        _is_land_many(
            np.ascontiguousarray(lon_b).ravel(),
            np.ascontiguousarray(lat_b).ravel(),
            *self.land_params,
            self.land,
            out.reshape(-1),
        )
        return out


def land_mask(
    bbox: Sequence[float],
    resolution_m: float = DEFAULT_RESOLUTION_M,
    cache_dir: str | os.PathLike | None = None,
) -> LandMask:
    """Rasterise the GSHHG coastline over a box, or read it from the disk cache.

    Parameters
    ----------
    bbox : sequence of 4 floats
        (west, south, east, north) in degrees; ``east < west`` crosses the
        antimeridian.
    resolution_m : float, default 450
        Largest side of a cell in metres. Rows are ``resolution_m`` apart (or a
        little less, so that whole cells fill the box); columns are as wide at
        the box's latitude nearest the equator, so no cell is wider anywhere.
    cache_dir : str or path-like, optional
        Folder of cached masks. Default: ``$SARKIT_CACHE/landmask``, else
        ``$XDG_CACHE_HOME/sarkit/landmask``, else ``~/.cache/sarkit/landmask``.

    Returns
    -------
    LandMask
        Covers exactly the box; cell ``(i, j)`` is land where roaring-landmask
        says its centre is.

    Raises
    ------
    BadValueError
        For a malformed box, a resolution that is not a positive number, or a
        mask of more than :data:`MAX_CELLS` cells.

    Notes
    -----
    Loading roaring-landmask takes several seconds; it is loaded once per
    process, and not at all when the mask is in the cache. A cache file that
    cannot be read is rebuilt; a cache folder that cannot be written only costs
    a warning.
    """
    west, south, east, north = _check_box(bbox)
    resolution_m = _check_resolution(resolution_m)
    width = east - west
    height = north - south
    dlat_target = resolution_m / METRES_PER_DEGREE
    dlon_target = min(dlat_target / _cos_nearest_equator(south, north), width)
    ny = _count_cells(height, dlat_target)
    nx = _count_cells(width, dlon_target)
    box_text = format_box((west, south, east, north))
    if ny * nx > MAX_CELLS:
        raise BadValueError(
            f"a land mask of {box_text} at {resolution_m:g} m has {ny:,} x {nx:,} = "
            f"{ny * nx:,} cells, more than {MAX_CELLS:,}",
            "give a smaller box or a coarser resolution_m",
        )
    dlon = width / nx
    dlat = height / ny
    version = _landmask_version()
    source = f"GSHHG full resolution via roaring-landmask {version}"
    key = _cache_key(west, south, east, north, resolution_m, version)
    folder = Path(cache_dir) if cache_dir is not None else cache_directory() / "landmask"
    path = folder / f"landmask-{key}.npz"

    land = _read_cache(path, key, (ny, nx))
    if land is None:
        land = _rasterise(west, south, dlon, dlat, ny, nx)
        _write_cache(path, key, land)
    land.setflags(write=False)
    return LandMask(west, south, dlon, dlat, land, source=source)


def cache_directory() -> Path:
    """sarkit's cache folder.

    Returns
    -------
    Path
        ``$SARKIT_CACHE`` if set, else ``$XDG_CACHE_HOME/sarkit``, else
        ``~/.cache/sarkit``. It may not exist yet.
    """
    if os.environ.get("SARKIT_CACHE"):
        return Path(os.environ["SARKIT_CACHE"]).expanduser()
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]).expanduser() / "sarkit"
    return Path.home() / ".cache" / "sarkit"


@functools.cache
def _roaring_landmask():
    """The process's one RoaringLandmask with the GSHHG coastline (slow to load: once)."""
    import roaring_landmask

    provider = getattr(roaring_landmask, "LandmaskProvider", None)
    if provider is not None:  # 0.10 and later also ship OpenStreetMap; ask for GSHHG by name
        return roaring_landmask.RoaringLandmask.new_with_provider(provider.Gshhg)
    return roaring_landmask.RoaringLandmask.new()


def _landmask_version() -> str:
    try:
        return metadata.version("roaring-landmask")
    except metadata.PackageNotFoundError:
        raise ModuleNotFoundError(
            "sarkit's coastline needs roaring-landmask: pip install roaring-landmask"
        ) from None


def _check_box(bbox: Sequence[float]) -> tuple[float, float, float, float]:
    if bbox is None:
        raise BadValueError("a land mask needs a bbox", "give (west, south, east, north)")
    west, south, east, north = check_bbox(bbox)
    if east < west:
        east += 360.0
    if east - west > 360.0:
        raise BadValueError(
            f"bbox west={west:g}, east={east:g} is wider than 360 degrees",
            "give longitudes at most 360 degrees apart",
        )
    return west, south, east, north


def _check_resolution(resolution_m: float) -> float:
    try:
        value = float(resolution_m)
    except (TypeError, ValueError):
        raise BadValueError(f"resolution_m {resolution_m!r} is not a number") from None
    if not (math.isfinite(value) and value > 0.0):
        raise BadValueError(
            f"resolution_m {resolution_m!r} is not a positive number of metres",
            f"give e.g. {DEFAULT_RESOLUTION_M:g}",
        )
    return value


def _cos_nearest_equator(south: float, north: float) -> float:
    """cos of the latitude in [south, north] closest to the equator (where cells are widest)."""
    lat = 0.0 if south <= 0.0 <= north else min(abs(south), abs(north))
    return max(math.cos(math.radians(lat)), 1e-12)


def _count_cells(length: float, step: float) -> int:
    # a hair of slack so that a box of exactly n steps is not given n + 1 cells
    return max(1, math.ceil(length / step * (1.0 - 1e-12)))


def _cache_key(west, south, east, north, resolution_m, version) -> str:
    text = (
        f"landmask format={_CACHE_FORMAT} box={west!r},{south!r},{east!r},{north!r} "
        f"resolution_m={resolution_m!r} roaring-landmask={version}"
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _rasterise(west: float, south: float, dlon: float, dlat: float, ny: int, nx: int):
    """Land (1) where roaring-landmask says the cell centre is, in blocks of rows."""
    mask = _roaring_landmask()
    land = np.empty((ny, nx), dtype=np.uint8)
    lon = west + (np.arange(nx) + 0.5) * dlon
    lon = (lon + 180.0) % 360.0 - 180.0
    rows = max(1, _BLOCK_CELLS // nx)
    for i0 in range(0, ny, rows):
        i1 = min(ny, i0 + rows)
        lat = south + (np.arange(i0, i1) + 0.5) * dlat
        x = np.broadcast_to(lon, (i1 - i0, nx)).ravel()
        y = np.repeat(lat, nx)
        land[i0:i1] = np.asarray(mask.contains_many_par(x, y)).reshape(i1 - i0, nx)
    return land


def _read_cache(path: Path, key: str, shape: tuple[int, int]) -> np.ndarray | None:
    """The cached land array, or None where absent, unreadable or not this mask's."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["key"]) != key:
                return None
            land = data["land"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    if land.shape != shape or land.dtype != np.uint8:
        return None
    return land


def _write_cache(path: Path, key: str, land: np.ndarray) -> None:
    """Write atomically (a temporary file renamed), warning instead of failing."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=path.stem + ".", suffix=".tmp", delete=False
        ) as handle:
            tmp = handle.name
            np.savez_compressed(handle, key=np.array(key), land=land)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        warnings.warn(
            f"cannot cache the land mask in {path.parent} ({exc}); it will be rebuilt next time",
            RuntimeWarning,
            stacklevel=3,
        )
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
