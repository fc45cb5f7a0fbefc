"""The drift on real model grids sampled where the model lives (issue 17).

A current-only drift on the Arctic20 file (polar-stereographic, 20 km) is checked against
an integrator of the test's own that shares nothing with sarkit's: fourth-order
Runge-Kutta in the projection's x/y (pyproj), the file's grid-relative u/v bilinear in x/y
(scipy), the map scale factor applied, no rotation at all. A particle that drifts off the
Nordic ROMS grid's edge is marked as having left the forcing, at its last position inside.
"""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
import xarray as xr
from scipy.interpolate import RegularGridInterpolator

from sarkit.drift.leeway import object_class
from sarkit.drift.seeding import Particles
from sarkit.drift.simulate import simulate
from sarkit.drift.status import Status
from sarkit.forcing import ConstantSource, open_forcing
from sarkit.forcing.coastfill import fill_coast

ARCTIC = "opendrift/Arctic20_1to5Feb_2016.nc"
NORDIC = "opendrift/Nordic_subset.nc"
CALM = ConstantSource("wind", 0.0, 0.0)


def _particles(lon, lat, release, obj="PIW-1"):
    n = np.size(lon)
    return Particles(np.asarray(lon), np.asarray(lat), np.full(n, release),
                     (object_class(obj),), np.zeros(n, int), np.zeros(n, int), ("s",),
                     np.full(n, 1.0 / n))


class _Arctic20:
    """The file read without sarkit: projection, x/y axes (m), times, surface u/v."""

    def __init__(self, path) -> None:
        with xr.open_dataset(path) as ds:
            self.proj = pyproj.Proj(ds["polar_stereographic"].attrs["proj4_string"])
            self.x = ds["X"].values.astype(float) * 1000.0  # km in the file
            self.y = ds["Y"].values.astype(float) * 1000.0
            self.times = ds["time"].values.astype("datetime64[s]").astype(np.int64).astype(float)
            surface_u = ds["u"].isel(depth=0).values.astype(float)
            self.sea = np.isfinite(surface_u[0])
            # the same coast fill as the reader's (a documented step, not what is checked here)
            self.u = fill_coast(surface_u, 3)[0]
            self.v = fill_coast(ds["v"].isel(depth=0).values.astype(float), 3)[0]


def _rk4_on_the_projection(arctic: _Arctic20, px, py, start, step, steps):
    """(lon, lat, distance travelled in metres) after ``steps`` RK4 steps in x/y."""
    proj, axes = arctic.proj, (arctic.times, arctic.y, arctic.x)
    u_at = RegularGridInterpolator(axes, arctic.u, bounds_error=False, fill_value=np.nan)
    v_at = RegularGridInterpolator(axes, arctic.v, bounds_error=False, fill_value=np.nan)

    def velocity(t, px, py):  # map metres per second: ground speed times the scale factor
        points = np.column_stack([np.full(px.size, t), py, px])
        lon, lat = proj(px, py, inverse=True)
        scale = proj.get_factors(lon, lat).meridional_scale
        return np.nan_to_num(u_at(points)) * scale, np.nan_to_num(v_at(points)) * scale

    travelled = np.zeros(px.size)
    for n in range(steps):
        t = start + n * step
        k1 = velocity(t, px, py)
        k2 = velocity(t + step / 2, px + step / 2 * k1[0], py + step / 2 * k1[1])
        k3 = velocity(t + step / 2, px + step / 2 * k2[0], py + step / 2 * k2[1])
        k4 = velocity(t + step, px + step * k3[0], py + step * k3[1])
        nx = px + step / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        ny = py + step / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
        lon, lat = proj(px, py, inverse=True)
        travelled += np.hypot(nx - px, ny - py) / proj.get_factors(lon, lat).meridional_scale
        px, py = nx, ny
    lon, lat = proj(px, py, inverse=True)
    return lon, lat, travelled


def test_arctic20_drift_follows_an_integrator_on_the_projection(realworld):
    path = realworld / ARCTIC
    arctic = _Arctic20(path)
    start = arctic.times[1]
    rng = np.random.default_rng(3)
    rows, cols = np.nonzero(arctic.sea[3:-3, 3:-3])
    pick = rng.choice(rows.size, 40, replace=False)
    step, steps = 900.0, 192  # 48 h
    px = arctic.x[cols[pick] + 3] + rng.uniform(-0.5, 0.5, 40) * 20_000.0
    py = arctic.y[rows[pick] + 3] + rng.uniform(-0.5, 0.5, 40) * 20_000.0
    lon0, lat0 = arctic.proj(px, py, inverse=True)
    ref_lon, ref_lat, travelled = _rk4_on_the_projection(arctic, px, py, start, step, steps)
    currents = open_forcing(path, "current").load()
    result = simulate(_particles(lon0, lat0, start), currents, CALM, duration_hours=48,
                      start=start, timestep_minutes=15, diffusivity_m2_s=0.0,
                      jibe_probability_per_hour=0.0, land=None)
    assert (result.status.isel(time=-1).values == int(Status.ACTIVE)).all()
    _, _, apart = pyproj.Geod(ellps="sphere").inv(result.lon.isel(time=-1).values,
                                                  result.lat.isel(time=-1).values,
                                                  ref_lon, ref_lat)
    share = apart / travelled
    assert travelled.mean() > 10_000.0  # the particles do move
    assert np.median(share) <= 0.02
    assert np.percentile(share, 90) <= 0.05


def test_a_particle_leaving_the_nordic_grid_is_marked(realworld):
    currents = open_forcing(realworld / NORDIC, "current").load()
    mesh = currents.native.mesh
    # a sport boat (leeway 6.5 % of the wind) two cells inside the grid's first column,
    # blown out across it by a gale
    geod = pyproj.Geod(ellps="sphere")
    j = mesh.shape[0] // 2
    azimuth, _, _ = geod.inv(mesh.lon[j, 2], mesh.lat[j, 2], mesh.lon[j, 0], mesh.lat[j, 0])
    speed = 20.0
    wind = ConstantSource("wind", speed * np.sin(np.radians(azimuth)),
                          speed * np.cos(np.radians(azimuth)))
    start = float(currents.time[0])
    result = simulate(_particles([mesh.lon[j, 2] % 360.0], [mesh.lat[j, 2]], start,
                                 "SPORT-BOAT"),
                      currents, wind, duration_hours=24, start=start, timestep_minutes=10,
                      diffusivity_m2_s=0.0, jibe_probability_per_hour=0.0, land=None)
    status = result.status.values.ravel()
    assert status[-1] == int(Status.LEFT_DOMAIN)
    assert (status[:3] == int(Status.ACTIVE)).all()  # it drifted a while first
    last = result.lon.values.ravel()[-1], result.lat.values.ravel()[-1]
    assert currents.covers(*last)  # stopped at its last position inside the model's grid
    fx, _ = mesh.positions(*last)
    assert fx < 1.0  # at the edge it crossed


def test_a_start_outside_the_model_grid_is_refused(realworld):
    currents = open_forcing(realworld / NORDIC, "current").load()
    mesh = currents.native.mesh
    # inside the grid's lon/lat box, outside the (rotated) grid itself
    lon, lat = float(mesh.lon.min()) + 0.01, float(mesh.lat.min()) + 0.01
    assert not currents.covers(lon, lat)
    with pytest.raises(Exception, match="outside the current forcing") as caught:
        simulate(_particles([lon], [lat], float(currents.time[0])), currents, CALM,
                 duration_hours=6, land=None)
    assert "model grid" in str(caught.value)
