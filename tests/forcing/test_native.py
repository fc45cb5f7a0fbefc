"""Sampling on a model's own grid (:mod:`sarkit.forcing.native`, :mod:`sarkit.forcing.meshsearch`).

The search of a point in a curvilinear grid is checked against a slow reference that shares
nothing with it: every cell is tried, and its bilinear map is inverted in closed form (the
quadratic of the two cell coordinates) on the plane tangent at the point.
"""

from __future__ import annotations

import numpy as np
import pytest

from sarkit.forcing.native import Mesh


def _tangent(lon, lat, lon0, lat0):
    """(east, north) of points on the plane tangent to the unit sphere at (lon0, lat0)."""
    la, lo = np.radians(lat), np.radians(lon)
    la0, lo0 = np.radians(lat0), np.radians(lon0)
    x, y, z = np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)
    east = -x * np.sin(lo0) + y * np.cos(lo0)
    north = -np.sin(la0) * (x * np.cos(lo0) + y * np.sin(lo0)) + z * np.cos(la0)
    return east, north


def _closed_form(a, b, c, d):
    """Every (s, t) with s, t in [0, 1] that puts the origin in quad A B C D (s along A->B,
    t along A->D): the roots of the quadratic in t."""
    e, f, g, h = b - a, d - a, a - b + c - d, -a
    cross = lambda p, q: p[0] * q[1] - p[1] * q[0]  # noqa: E731
    k2, k1, k0 = cross(g, f), cross(e, f) + cross(h, g), cross(h, e)
    roots = [-k0 / k1] if abs(k2) < 1e-14 * max(abs(k1), 1e-300) else []
    if not roots:
        disc = k1 * k1 - 4 * k0 * k2
        if disc < 0:
            return []
        roots = [(-k1 - np.sqrt(disc)) / (2 * k2), (-k1 + np.sqrt(disc)) / (2 * k2)]
    found = []
    for t in roots:
        den = e + g * t
        k = int(np.argmax(np.abs(den)))
        s = (h[k] - f[k] * t) / den[k]
        if -1e-9 <= s <= 1 + 1e-9 and -1e-9 <= t <= 1 + 1e-9:
            found.append((s, t))
    return found


def _reference(mesh_lon, mesh_lat, lon, lat):
    """(fx, fy) of a point by trying every cell; NaN if none holds it."""
    east, north = _tangent(mesh_lon, mesh_lat, lon, lat)
    ny, nx = mesh_lon.shape
    for j in range(ny - 1):
        for i in range(nx - 1):
            corners = [np.array([east[jj, ii], north[jj, ii]])
                       for jj, ii in ((j, i), (j, i + 1), (j + 1, i + 1), (j + 1, i))]
            for s, t in _closed_form(*corners):
                return i + s, j + t
    return np.nan, np.nan


def _curved_grid(lon0: float, lat0: float, ny: int = 14, nx: int = 17):
    """A curvilinear grid rotated and bent, cells of about 10 km."""
    j, i = np.mgrid[0:ny, 0:nx].astype(float)
    x = i * 0.12 + 0.02 * j**1.3
    y = j * 0.09 - 0.015 * i + 0.002 * i**2
    angle = np.radians(25.0)
    lon = lon0 + (x * np.cos(angle) - y * np.sin(angle)) / np.cos(np.radians(lat0))
    lat = lat0 + x * np.sin(angle) + y * np.cos(angle)
    return lon, lat


@pytest.mark.parametrize("lon0, lat0", [(95.0, 6.0), (179.2, -10.0), (20.0, 78.0)],
                         ids=["andaman", "across-180", "arctic"])
def test_positions_match_the_slow_reference(lon0, lat0):
    lon, lat = _curved_grid(lon0, lat0)
    mesh = Mesh(lon, lat)
    rng = np.random.default_rng(7)
    # points inside cells (random cell coordinates) and around the grid
    j = rng.integers(0, lon.shape[0] - 1, 150)
    i = rng.integers(0, lon.shape[1] - 1, 150)
    s, t = rng.uniform(0, 1, 150), rng.uniform(0, 1, 150)
    plon = ((1 - s) * (1 - t) * lon[j, i] + s * (1 - t) * lon[j, i + 1]
            + s * t * lon[j + 1, i + 1] + (1 - s) * t * lon[j + 1, i])
    plat = ((1 - s) * (1 - t) * lat[j, i] + s * (1 - t) * lat[j, i + 1]
            + s * t * lat[j + 1, i + 1] + (1 - s) * t * lat[j + 1, i])
    plon = np.concatenate([plon, rng.uniform(lon.min() - 0.5, lon.max() + 0.5, 150)])
    plat = np.concatenate([plat, rng.uniform(lat.min() - 0.5, lat.max() + 0.5, 150)])
    wrapped = np.where(plon > 180, plon - 360, plon)  # as a user gives them
    fx, fy = mesh.positions(wrapped, plat)
    expected = np.array([_reference(lon, lat, x, y) for x, y in zip(plon, plat, strict=True)])
    assert np.array_equal(np.isnan(fx), np.isnan(expected[:, 0]))
    assert np.isnan(fx).sum() > 30 and np.isfinite(fx).sum() > 150
    np.testing.assert_allclose(fx[np.isfinite(fx)], expected[np.isfinite(fx), 0], atol=1e-9)
    np.testing.assert_allclose(fy[np.isfinite(fx)], expected[np.isfinite(fx), 1], atol=1e-9)
    # the grid's own points are found exactly
    nodes_x, nodes_y = mesh.positions(lon, lat)
    jj, ii = np.indices(lon.shape)
    np.testing.assert_allclose(nodes_x, ii, atol=1e-9)
    np.testing.assert_allclose(nodes_y, jj, atol=1e-9)
    assert mesh.covers(lon, lat).all()


def test_a_mesh_needs_finite_positions():
    lon, lat = _curved_grid(95.0, 6.0)
    lon[3, 4] = np.nan
    with pytest.raises(ValueError, match="finite"):
        Mesh(lon, lat)
