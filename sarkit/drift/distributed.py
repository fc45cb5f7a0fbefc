"""Dask: the ensemble's fixed chunks run as tasks on a distributed cluster.

Optional (``pip install "sarkit[dask]"``); importing sarkit never imports dask.
Each task is :func:`sarkit.drift.ensemble.drift_chunk` over one chunk of
particles: it draws the chunk's leeway, runs every time block (cutting or
loading the block's forcing on the worker) and returns the chunk's outputs.
Chunk boundaries come from the chunk size alone, never from the number of
workers, and every particle's numbers depend only on its id, so the gathered
result equals the local run to the bit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import ExitStack

from sarkit.drift.ensemble import Chunk, Outputs, RunSpec, drift_chunk, reduce_chunk
from sarkit.errors import SarkitError

__all__ = ["DASK_CHUNK_SIZE", "DaskError", "client_for", "run_dask"]

DASK_CHUNK_SIZE = 100_000
"""Particles per task when no chunk size is given."""

CONNECT_TIMEOUT_S = 10
"""Seconds to wait for a scheduler at an address."""


class DaskError(SarkitError, RuntimeError):
    """Dask is missing, or its scheduler cannot be reached."""


def _distributed():
    try:
        import distributed
    except ImportError:
        raise DaskError(
            "running on Dask needs the packages dask and distributed, which are not installed",
            'pip install "sarkit[dask]" (or run without a scheduler)') from None
    return distributed


def client_for(scheduler, stack: ExitStack):
    """A ``distributed.Client`` for ``scheduler``; what this opens is closed by ``stack``.

    ``scheduler`` is a Client (used as it is), ``"local"`` (a LocalCluster of
    this machine's cores, one thread per worker) or a scheduler address.
    """
    distributed = _distributed()
    if isinstance(scheduler, distributed.Client):
        return scheduler
    if not isinstance(scheduler, str) or not scheduler.strip():
        raise DaskError(f"scheduler {scheduler!r} is not a Dask Client, an address or 'local'",
                        "give scheduler='local', an address like 'tcp://host:8786', or a "
                        "distributed.Client")
    address = scheduler.strip()
    if address == "local":
        cluster = stack.enter_context(distributed.LocalCluster(
            threads_per_worker=1, processes=True, dashboard_address=None))
        return stack.enter_context(distributed.Client(cluster))
    try:
        return stack.enter_context(distributed.Client(address, timeout=CONNECT_TIMEOUT_S))
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise DaskError(
            f"cannot reach the Dask scheduler at {address!r} ({type(exc).__name__}: {exc})",
            "start one (dask scheduler; dask worker ADDRESS), check the address "
            "(tcp://host:8786), or use 'local'") from None


def run_dask(spec: RunSpec, particles, currents, winds, size: int, scheduler,
             progress: Callable[[int, int], None] | None = None, reducer=None):
    """Run the ensemble as one Dask task per chunk of ``size`` particles and gather it.

    The forcing (grids or sources) and the run's settings are sent to the
    workers once; each task gets its chunk's particles. With a ``reducer``
    each task returns ``reducer.reduce(chunk, outputs)`` and the list of them,
    in chunk order, is returned instead of the outputs.
    """
    with ExitStack() as stack:
        client = client_for(scheduler, stack)
        distributed = _distributed()
        n = particles.count
        shared = client.scatter([spec, currents, winds], broadcast=True)
        futures = {}
        token = uuid.uuid4().hex
        for lo in range(0, n, size):
            hi = min(lo + size, n)
            chunk = Chunk.of(particles, lo, hi)
            if reducer is None:
                future = client.submit(drift_chunk, shared[0], chunk, shared[1], shared[2],
                                       pure=False, key=f"sarkit-drift-{token}-{lo}")
            else:
                future = client.submit(reduce_chunk, shared[0], chunk, shared[1], shared[2],
                                       reducer, pure=False, key=f"sarkit-drift-{token}-{lo}")
            futures[future] = (lo, hi)
        out = Outputs.empty(n, spec.n_outputs, spec.switching) if reducer is None else {}
        done = 0
        for future in distributed.as_completed(futures):
            lo, hi = futures[future]
            part = future.result()
            if reducer is None:
                rows = out.rows(lo, hi)
                rows.put(slice(None), part, slice(None))
                rows.keep_switches(part.switch_step, part.switch_to)
            else:
                out[lo] = part
            future.release()
            done += hi - lo
            if progress is not None:
                progress(done, n)
        return out if reducer is None else [out[lo] for lo in sorted(out)]
