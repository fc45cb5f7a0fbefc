"""Memory-bounded runs: keep='final' holds a stated number of bytes per particle.

simulate(..., keep="final") keeps only the last output time and runs the
ensemble in chunks, so its peak memory grows with the particle count by at most
BYTES_PER_PARTICLE_FINAL bytes per particle (the particles themselves apart),
whatever the number of output times. Measured two ways on 2e5 particles (1e7 in
the benchmark the same way): the NumPy allocations with tracemalloc, and the
whole process's resident memory (numba's arrays too) in a fresh process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from sarkit.drift.simulate import BYTES_PER_PARTICLE_FINAL, simulate

REPO = Path(__file__).resolve().parents[2]
COUNT = 200_000
COUNTS_BYTES_PER_PARTICLE = 40
"""Traced peak of poc_counts per particle at 2e5 particles in chunks of 2e4: the pilot run
and one chunk's arrays, spread over the particles (it shrinks as the count grows)."""

SETUP = """
import numpy as np

from sarkit.drift.leeway import object_class
from sarkit.drift.seeding import point
from sarkit.forcing import ForcingGrid


def forcing():
    t = 1.7e9 + np.arange(0, 30 * 3600 + 1, 3600.0)
    lon, lat = np.linspace(96, 100, 41), np.linspace(5, 10, 51)
    east = (0.2 + 0.1 * np.sin(t / 2e4))[:, None, None] * np.ones((1, lat.size, lon.size))
    return (ForcingGrid("current", lon, lat, t, east, 0.5 * east),
            ForcingGrid("wind", lon, lat, t, 8 + 0 * east, 3 * east))


def particles(count, t0):
    return point(98.0, 7.5, radius_nm=10, time=t0 + 600, end_time=t0 + 7200, count=count,
                 obj=object_class("FISHING-VESSEL-1"), seed=1)
"""
namespace: dict = {}
exec(SETUP, namespace)  # the same forcing and particles here and in the fresh process
_forcing, _particles = namespace["forcing"], namespace["particles"]


def _traced_peak(run) -> int:
    tracemalloc.start()
    try:
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result is not None
    return peak


@pytest.fixture(scope="module")
def ensemble():
    currents, winds = _forcing()
    particles = _particles(COUNT, currents.time[0])
    simulate(particles, currents, winds, duration_hours=1, land=None, keep="final")  # compile
    return particles, currents, winds


@pytest.mark.parametrize("blocks", [None, 1.0])
def test_final_only_run_stays_under_the_stated_bytes_per_particle(ensemble, blocks):
    particles, currents, winds = ensemble
    peak = _traced_peak(lambda: simulate(
        particles, currents, winds, duration_hours=6, land=None, keep="final",
        output_every_minutes=15, time_block_hours=blocks))
    assert peak / COUNT <= BYTES_PER_PARTICLE_FINAL
    # the bound has teeth: keeping every output time (25 here) needs several times more
    if blocks is None:
        full = _traced_peak(lambda: simulate(particles, currents, winds, duration_hours=6,
                                             land=None, output_every_minutes=15))
        assert full / COUNT > 2 * BYTES_PER_PARTICLE_FINAL


def test_final_only_memory_does_not_grow_with_the_output_times(ensemble):
    particles, currents, winds = ensemble
    peaks = [_traced_peak(lambda hours=hours: simulate(
        particles, currents, winds, duration_hours=hours, land=None, keep="final",
        output_every_minutes=10)) for hours in (1, 6)]
    assert peaks[1] <= 1.05 * peaks[0]


PROCESS = SETUP + textwrap.dedent("""
    import gc
    import sys

    from sarkit.drift.simulate import simulate


    def status(key):
        with open("/proc/self/status") as lines:
            for line in lines:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024


    currents, winds = forcing()
    ensemble = particles(int(sys.argv[1]), currents.time[0])
    simulate(ensemble, currents, winds, duration_hours=1, land=None, keep="final")
    gc.collect()
    with open("/proc/self/clear_refs", "w") as reset:
        reset.write("5")  # the peak resident memory starts again from here
    before = status("VmRSS:")
    simulate(ensemble, currents, winds, duration_hours=6, land=None, keep="final")
    print((status("VmHWM:") - before) / ensemble.count)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self")
def test_final_only_run_peak_resident_memory_per_particle():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", PROCESS, str(COUNT)], env=env, cwd=REPO,
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0 and "clear_refs" in result.stderr:
        pytest.skip("this kernel does not let a process reset its peak memory")
    assert result.returncode == 0, result.stderr
    per_particle = float(result.stdout.split()[-1])
    assert per_particle <= BYTES_PER_PARTICLE_FINAL


def test_final_positions_are_those_of_the_full_run(ensemble):
    _, currents, winds = ensemble
    few = _particles(2000, currents.time[0])
    full = simulate(few, currents, winds, duration_hours=6, land=None, chunk_size=300)
    final = simulate(few, currents, winds, duration_hours=6, land=None, keep="final",
                     chunk_size=700)
    for name in ("lon", "lat", "status", "side"):
        np.testing.assert_array_equal(full[name].values[:, -1:], final[name].values)


def test_poc_counts_are_the_binned_final_positions_exactly(ensemble):
    from sarkit.poc.counts import Lattice, poc_counts

    _, currents, winds = ensemble
    few = _particles(3000, currents.time[0])
    lattice = Lattice(98.05, 7.5, 0.5)
    counts = poc_counts(few, currents, winds, lattice=lattice, duration_hours=6, land=None,
                        chunk_size=700)
    final = simulate(few, currents, winds, duration_hours=6, land=None, keep="final")
    col, row = lattice.cells(final["lon"].values[:, 0], final["lat"].values[:, 0])
    expected = np.zeros_like(counts.counts[0])
    np.add.at(expected, (row - counts.j0, col - counts.i0), 1)
    np.testing.assert_array_equal(counts.counts[0], expected)
    assert counts.counts.dtype == np.int64 and counts.counts.sum() == 3000
    assert counts.status_counts()["active"] == 3000
    assert counts.poc.sum() == pytest.approx(1.0)


def test_poc_counts_give_the_search_areas_of_the_positions(ensemble):
    from sarkit.poc.areas import search_areas
    from sarkit.poc.counts import poc_counts
    from sarkit.poc.grid import poc_grid

    _, currents, winds = ensemble
    few = _particles(20_000, currents.time[0])
    counts = poc_counts(few, currents, winds, duration_hours=6, land=None, pilot=2000)
    reference = poc_grid(simulate(few, currents, winds, duration_hours=6, land=None,
                                  keep="final"))
    grid = counts.to_poc_grid()
    assert grid.cell_m == reference.cell_m
    assert abs(grid.datum_lat - reference.datum_lat) * 60 < 0.5 * grid.cell_nm
    assert grid.spread_major_nm == pytest.approx(reference.spread_major_nm, rel=0.02)
    ours, theirs = search_areas(grid), search_areas(reference)
    for a, b in zip(ours.levels, theirs.levels, strict=True):
        assert a.area_nm2 == pytest.approx(b.area_nm2, rel=0.05)


def test_poc_counts_memory_is_the_particles_and_one_chunk(ensemble):
    from sarkit.poc.counts import poc_counts

    particles, currents, winds = ensemble
    peak = _traced_peak(lambda: poc_counts(particles, currents, winds, duration_hours=2,
                                           land=None, chunk_size=20_000))
    assert peak / COUNT <= COUNTS_BYTES_PER_PARTICLE


def test_poc_counts_refuse_unequal_weights_within_a_scenario(ensemble):
    import dataclasses

    from sarkit.errors import BadValueError
    from sarkit.poc.counts import poc_counts

    _, currents, winds = ensemble
    few = _particles(100, currents.time[0])
    weighted = dataclasses.replace(few, weight=np.linspace(1, 2, 100) / np.linspace(1, 2, 100)
                                   .sum())
    with pytest.raises(BadValueError, match="different weights"):
        poc_counts(weighted, currents, winds, duration_hours=1, land=None)
