"""Child-process tasks of the benchmark suite (``run_all.py``): one measurement per process.

Each task is run by ``run_all.py`` as ``python benchmarks/workers.py TASK --json FILE ...`` in a
fresh interpreter, so that ``NUMBA_NUM_THREADS`` and ``NUMBA_CACHE_DIR`` are set before numba is
imported, peak memory (``ru_maxrss``) is that of the task alone, and the whole-process wall time
covers the imports. Each task writes one JSON object to FILE.

Tasks:

* ``sarkit-drift``: the Leeway scenario of ``drift_throughput.py`` (FISHING-VESSEL-1 adrift 48 h
  from 96.0E 9.0N on the bundled SYNTHETIC Andaman forcing, coastline on, no random walk),
  after a 100-particle warm-up run (JIT or cache load, timed) unless ``--no-warmup``;
* ``opendrift``: the same scenario with OpenDrift's Leeway model;
* ``parcels``: pure advection by the same SYNTHETIC current (RK4, no wind, no land) with Parcels;
* ``poc``: :func:`sarkit.poc.poc_grid` + :func:`sarkit.poc.search_areas` on the two-lobe
  synthetic cloud of ``poc_areas.py``;
* ``jit``: ``import sarkit``, then the first and second drift and POC calls (JIT or cache load).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

_BEGIN = time.perf_counter()

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import drift_throughput as dt  # noqa: E402  (numpy only: numba is not imported here)


def _steps(step_minutes: float) -> int:
    return round(dt.HOURS * 60 / step_minutes)


def _sarkit_setup():
    from sarkit.drift.coast import land_mask
    from sarkit.forcing import open_forcing

    box = (91.0, 4.0, 100.0, 16.0)
    currents = open_forcing(dt.CURRENTS, "current").load(box)
    winds = open_forcing(dt.WINDS, "wind").load(box)
    return currents, winds, land_mask(box)


def _sarkit_drift(setup, count: int, step_minutes: float, output_minutes: float, seed: int = 1):
    from sarkit.drift.leeway import object_class
    from sarkit.drift.seeding import point
    from sarkit.drift.simulate import simulate

    currents, winds, land = setup
    particles = point(*dt.LKP, radius_nm=dt.RADIUS_NM, time=dt.START, count=count,
                      obj=object_class(dt.OBJECT), seed=seed)
    begin = time.perf_counter()
    result = simulate(particles, currents, winds, duration_hours=dt.HOURS,
                      timestep_minutes=step_minutes, output_every_minutes=output_minutes,
                      seed=seed, diffusivity_m2_s=dt.DIFFUSIVITY, land=land)
    return result, time.perf_counter() - begin


def task_sarkit_drift(args) -> dict:
    import numba

    setup = _sarkit_setup()
    warmup_s = None
    if not args.no_warmup:
        warmup_s = _sarkit_drift(setup, 100, args.step, args.output_every)[1]
    times, result = [], None
    for _ in range(args.repeats):
        result, seconds = _sarkit_drift(setup, args.particles, args.step, args.output_every)
        times.append(seconds)
    final = result.isel(time=-1)
    work = args.particles * _steps(args.step)
    return {"particles": args.particles, "step_min": args.step, "threads": numba.get_num_threads(),
            "output_every_min": args.output_every, "run_s": min(times), "run_s_all": times,
            "steps": _steps(args.step), "rate": work / min(times), "warmup_s": warmup_s,
            "cloud": dt._cloud(final.lon.values, final.lat.values)}


def task_opendrift(args) -> dict:
    (lon, lat), seconds, work = dt._opendrift_run(args.particles, args.step)
    return {"particles": args.particles, "step_min": args.step, "run_s": seconds,
            "steps": _steps(args.step), "rate": work / seconds, "cloud": dt._cloud(lon, lat)}


def task_parcels(args) -> dict:
    """Pure advection by the SYNTHETIC current with Parcels (v4 API, v3 as a fallback)."""
    import numpy as np
    import parcels
    import xarray as xr

    rng = np.random.default_rng(1)
    count = args.particles
    radius = dt.RADIUS_NM * 1852.0 / 111_195.0 * np.sqrt(rng.uniform(0.0, 1.0, count))
    angle = rng.uniform(0.0, 2 * np.pi, count)
    lon = dt.LKP[0] + radius * np.cos(angle) / np.cos(np.radians(dt.LKP[1]))
    lat = dt.LKP[1] + radius * np.sin(angle)
    ds = xr.open_dataset(dt.CURRENTS).load()
    step = np.timedelta64(int(args.step * 60), "s")
    runtime = np.timedelta64(int(dt.HOURS * 3600), "s")
    if int(parcels.__version__.split(".")[0]) >= 4:
        from parcels import convert

        sgrid = convert.copernicusmarine_to_sgrid(fields={"U": ds["uo"], "V": ds["vo"]})
        fieldset = parcels.FieldSet.from_sgrid_conventions(sgrid, mesh="spherical")
        pset = parcels.ParticleSet(fieldset=fieldset, pclass=parcels.Particle, x=lon, y=lat,
                                   t=np.full(count, np.datetime64(dt.START[:19])))
        begin = time.perf_counter()
        pset.execute(parcels.kernels.AdvectionRK4, dt=step, runtime=runtime,
                     verbose_progress=False)
        seconds = time.perf_counter() - begin
        end_lon, end_lat = np.asarray(pset.x, float), np.asarray(pset.y, float)
    else:  # Parcels v3
        fieldset = parcels.FieldSet.from_xarray_dataset(
            ds, variables={"U": "uo", "V": "vo"},
            dimensions={"lon": "lon", "lat": "lat", "time": "time"}, mesh="spherical")
        pset = parcels.ParticleSet(fieldset=fieldset, pclass=parcels.JITParticle, lon=lon,
                                   lat=lat)
        begin = time.perf_counter()
        pset.execute(parcels.AdvectionRK4, runtime=runtime, dt=step, verbose_progress=False)
        seconds = time.perf_counter() - begin
        end_lon, end_lat = np.asarray(pset.lon, float), np.asarray(pset.lat, float)
    cloud = dt._cloud(end_lon, end_lat)
    del pset  # before interpreter shutdown (Parcels v4's __del__ fails late in shutdown)
    work = count * _steps(args.step)
    return {"particles": count, "step_min": args.step, "run_s": seconds,
            "steps": _steps(args.step), "rate": work / seconds, "cloud": cloud,
            "parcels": parcels.__version__}


def task_poc(args) -> dict:
    import statistics

    from poc_areas import synthetic_cloud

    from sarkit.poc import poc_grid, search_areas

    poc_grid(synthetic_cloud(1000, True))  # compile or load the cached kernels
    rows = []
    for count in args.counts:
        cloud = synthetic_cloud(count, equal_weights=False)
        repeats = args.repeats if count <= 1_000_000 else 1
        grid_s, area_s, total = [], [], []
        for _ in range(repeats):
            begin = time.perf_counter()
            grid = poc_grid(cloud)
            middle = time.perf_counter()
            search_areas(grid)
            end = time.perf_counter()
            grid_s.append(middle - begin)
            area_s.append(end - middle)
            total.append(end - begin)
        best = total.index(min(total))
        ny, nx = grid.shape
        rows.append({"particles": count, "cells": f"{nx} x {ny}", "cell_nm": grid.cell_nm,
                     "grid_s": grid_s[best], "areas_s": area_s[best], "total_s": total[best],
                     "median_s": statistics.median(total), "repeats": repeats})
        del cloud
    return {"rows": rows}


def task_jit(args) -> dict:
    begin = time.perf_counter()
    import sarkit  # noqa: F401

    import_s = time.perf_counter() - begin
    setup = _sarkit_setup()
    from poc_areas import synthetic_cloud

    from sarkit.poc import poc_grid, search_areas

    out = {"import_s": import_s}
    for label in ("first", "second"):
        _, out[f"drift_{label}_s"] = _sarkit_drift(setup, 100, 15.0, 60.0)
        cloud = synthetic_cloud(1000, True)
        begin = time.perf_counter()
        search_areas(poc_grid(cloud))
        out[f"poc_{label}_s"] = time.perf_counter() - begin
    return out


TASKS = {"sarkit-drift": task_sarkit_drift, "opendrift": task_opendrift,
         "parcels": task_parcels, "poc": task_poc, "jit": task_jit}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--json", type=Path, required=True, help="where to write the result")
    parser.add_argument("--particles", type=int, default=100_000)
    parser.add_argument("--step", type=float, default=15.0, help="time step, minutes")
    parser.add_argument("--output-every", type=float, default=60.0, help="minutes")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--no-warmup", action="store_true")
    parser.add_argument("--counts", type=int, nargs="+", default=[10_000])
    args = parser.parse_args(argv)
    result = TASKS[args.task](args)
    result["process_s_inside"] = time.perf_counter() - _BEGIN
    args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
