"""The benchmark suite in one command: writes benchmarks/results/results.md and throughput.png.

Every measurement runs in a child process of its own (``benchmarks/workers.py``), so that
``NUMBA_NUM_THREADS`` and ``NUMBA_CACHE_DIR`` are set before numba is imported, the peak memory
(``ru_maxrss`` of that child, from ``os.wait4``) is the measurement's alone, and the whole-process
wall time includes Python's start and the imports. It measures:

1. sarkit drift throughput (particle-steps/s) for 10^3..10^7 particles and 1..2 numba threads:
   the Leeway scenario of ``drift_throughput.py`` (48 h, 15 min steps, coastline on, output
   every 6 h so that 10^7 particles fit in memory), after a warm-up run in the same process;
2. the same Leeway scenario with OpenDrift and pure advection by the same current with Parcels,
   each in its own process, against sarkit in its own process (hourly output for all three):
   whole-process wall time, run-phase throughput, peak memory and the ratios sarkit / peer;
3. POC grid + search areas for 10^4..10^7 particles (the cloud of ``poc_areas.py``);
4. planning: ``planning.py`` (20 and 5 search units over a 113k-cell POC map);
5. ``import sarkit`` and the first drift and POC calls with a cold numba cache (an empty
   ``NUMBA_CACHE_DIR``) and then warm (a second process on the same folder).

Run it from the repository root in the benchmark environment (see benchmarks/README.md):

    .venv-bench/bin/python benchmarks/run_all.py            # about 8 min on 2 idle cores
    .venv-bench/bin/python benchmarks/run_all.py --quick    # about 3 min: up to 10^5 particles

``--max-particles 1000000`` skips 10^7 (about 3 GB and 3.5 of the 8 minutes); ``--skip-peers``
and ``--skip-planning`` leave those parts out; ``--from-json benchmarks/results/results.json``
rewrites the table and the plot without measuring. Seeds are fixed, so every run does the same
work.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORKER = HERE / "workers.py"
PACKAGES = ("sarkit", "numpy", "numba", "llvmlite", "xarray", "scipy", "opendrift", "parcels")
TARGET_RATE = 50e6  # issue 7: full Leeway step with land at >= 50 million particle-steps/s


# --------------------------------------------------------------------------- child processes

def run_child(argv: list[str], *, env: dict[str, str] | None = None,
              timeout: float = 1200.0) -> dict:
    """Run ``argv`` to the end; its wall time, peak RSS (MB) and exit status, and its log tail."""
    environment = dict(os.environ)
    environment.update(env or {})
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "child.log"
        return _run_logged(argv, environment, timeout, log)


def _busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (all processes), or None."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _run_logged(argv, environment, timeout, log: Path) -> dict:
    busy = _busy_seconds()
    with open(log, "wb") as out:
        begin = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=environment,
                                 cwd=REPO, start_new_session=True)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - begin > timeout:
                os.killpg(child.pid, signal.SIGKILL)
                timed_out = True
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.01)
        wall = time.perf_counter() - begin
    child.returncode = os.waitstatus_to_exitcode(status)
    own = usage.ru_utime + usage.ru_stime
    others = None if busy is None else max(0.0, (_busy_seconds() - busy - own) / wall)
    tail = log.read_text(errors="replace")[-4000:]
    return {"ok": child.returncode == 0 and not timed_out, "rc": child.returncode,
            "timed_out": timed_out, "wall_s": wall, "maxrss_mb": usage.ru_maxrss / 1024.0,
            "cpu_s": own, "others_cores": others,
            "log_tail": tail}


def run_task(python: str, task: str, args: list[str], *, env: dict[str, str] | None = None,
             timeout: float = 1200.0) -> dict:
    """One worker task in its own process: the child's figures plus the task's JSON result."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        argv = [python, str(WORKER), task, "--json", str(out), *args]
        label = " ".join([f"{k}={v}" for k, v in (env or {}).items()] + [task, *args])
        print(f"  running {label} ...", end=" ", flush=True)
        child = run_child(argv, env=env, timeout=timeout)
        child["result"] = json.loads(out.read_text()) if child["ok"] and out.exists() else None
    if child["ok"]:
        print(f"{child['wall_s']:.1f} s, {child['maxrss_mb']:.0f} MB", flush=True)
        child.pop("log_tail")
    else:
        why = "timed out" if child["timed_out"] else f"exit {child['rc']}"
        print(f"FAILED ({why})\n{child['log_tail'][-600:]}", flush=True)
        child["ok"] = False
    return child


# --------------------------------------------------------------------------- machine

def machine(python: str) -> dict:
    info = {"date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
            "os": platform.platform()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gb"] = int(line.split()[1]) / 1024**2
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                info["os"] = f"{line.split('=', 1)[1].strip(chr(34))} ({platform.platform()})"
    except OSError:
        pass
    probe = ("import json, sys, importlib.metadata as m\n"
             f"v = {{'python': sys.version.split()[0]}}\n"
             f"for p in {PACKAGES!r}:\n"
             "    try: v[p] = m.version(p)\n"
             "    except m.PackageNotFoundError: v[p] = 'not installed'\n"
             "print(json.dumps(v))")
    done = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True)
    info["versions"] = json.loads(done.stdout)
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "sarkit"],
                               capture_output=True, text=True, check=True).stdout.strip()
        info["commit"] = head + (" (sarkit/ has uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        info["commit"] = "unknown"
    return info


# --------------------------------------------------------------------------- sections

def bench_throughput(python, counts, threads, timeout) -> list[dict]:
    rows = []
    for n_threads in threads:
        for count in counts:
            repeats = 3 if count <= 1_000_000 else 1
            child = run_task(python, "sarkit-drift",
                             ["--particles", str(count), "--output-every", "360",
                              "--repeats", str(repeats)],
                             env={"NUMBA_NUM_THREADS": str(n_threads)}, timeout=timeout)
            rows.append({"particles": count, "threads": n_threads, **child})
    return rows


def bench_peers(python, count, opendrift_count, threads, timeout) -> dict:
    step = ["--step", "15", "--output-every", "60"]
    env = {"NUMBA_NUM_THREADS": str(threads)}
    peers = {"sarkit": run_task(python, "sarkit-drift", ["--particles", str(count), *step],
                                env=env, timeout=timeout)}
    if threads > 1:  # single-threaded like the peers, and robust when another job takes a core
        peers["sarkit_1thread"] = run_task(python, "sarkit-drift",
                                           ["--particles", str(count), *step],
                                           env={"NUMBA_NUM_THREADS": "1"}, timeout=timeout)
    if opendrift_count != count:
        peers["sarkit_at_opendrift"] = run_task(
            python, "sarkit-drift", ["--particles", str(opendrift_count), *step],
            env=env, timeout=timeout)
    peers["opendrift"] = run_task(python, "opendrift",
                                  ["--particles", str(opendrift_count), *step], timeout=timeout)
    peers["parcels"] = run_task(python, "parcels", ["--particles", str(count), *step],
                                timeout=timeout)
    return peers


def bench_poc(python, counts, timeout) -> dict:
    return run_task(python, "poc", ["--counts", *map(str, counts), "--repeats", "3"],
                    timeout=timeout)


def bench_planning(python, quick, timeout) -> dict:
    argv = [python, str(HERE / "planning.py")]
    argv += ["--particles", "50000", "--repeats", "1"] if quick else ["--repeats", "3"]
    print(f"  running {' '.join(argv[1:])} ...", end=" ", flush=True)
    child = run_child(argv, timeout=timeout)
    print(f"{child['wall_s']:.1f} s" if child["ok"] else f"FAILED\n{child['log_tail']}")
    log = child.pop("log_tail")
    separator = "|---|---|" + "---:|" * 8
    child["lines"] = [line for line in log.splitlines()
                      if line.startswith(("| case", "| 20 units", "| 5 units"))
                      or line == separator]
    child["source"] = next((line.split(";")[0] for line in log.splitlines()
                            if "particles" in line and "drifted" in line), "")
    return child


def bench_jit(python, threads, timeout) -> dict:
    with tempfile.TemporaryDirectory(prefix="sarkit-numba-cache-") as cache:
        env = {"NUMBA_CACHE_DIR": cache, "NUMBA_NUM_THREADS": str(threads)}
        cold = run_task(python, "jit", [], env=env, timeout=timeout)
        warm = run_task(python, "jit", [], env=env, timeout=timeout)
    return {"cold": cold, "warm": warm}


# --------------------------------------------------------------------------- report

def _f(value, spec=".2f", missing="failed"):
    return missing if value is None else format(value, spec)


def _get(child, key):
    result = child.get("result") if child else None
    return None if result is None else result.get(key)


def write_markdown(path: Path, info: dict, data: dict, argv: list[str]) -> None:
    v = info["versions"]
    others = [c["others_cores"] for c in _children(data) if c.get("others_cores") is not None]
    noise = (f"other jobs took {sum(others) / len(others):.2f} cores on average "
             f"(up to {max(others):.2f}) while the measurements ran; " if others else "")
    lines = [
        "# sarkit benchmark results",
        "",
        f"Written by `{shlex.join(['python', 'benchmarks/run_all.py', *argv])}` on "
        f"{info['date']}, sarkit commit {info['commit']}; {data['elapsed_s'] / 60:.1f} min in all.",
        "",
        f"**Noise:** the machine may be shared with other jobs ({noise}load average "
        f"{info['load_before']} before the run, {info['load_after']} after, on "
        f"{info['cores']} cores); a row whose `others` column is above about 0.2 cores is "
        "likely slow. Compare ratios taken in the same run rather than absolute figures.",
        "",
        "| machine | |",
        "|---|---|",
        f"| CPU | {info['cpu']} |",
        f"| cores | {info['cores']} |",
        f"| RAM | {info.get('ram_gb', 0):.1f} GB |",
        f"| OS | {info['os']} |",
        f"| date | {info['date']} |",
        *[f"| {name} | {v.get(name, '?')} |" for name in ("python", *PACKAGES)],
        "",
        "Scenario (all drift rows): FISHING-VESSEL-1 adrift 48 h from 96.0E 9.0N within 5 NM on "
        "the bundled SYNTHETIC Andaman monsoon current and wind (`data/`), 15 min steps, "
        "coastline on, no random walk, seeds fixed. Peak memory is `ru_maxrss` of the child "
        "process that ran the measurement (whole process: interpreter, libraries, forcing).",
        "",
    ]
    lines += _throughput_section(data)
    lines += _peer_section(data)
    lines += _poc_section(data)
    lines += _planning_section(data)
    lines += _jit_section(data)
    path.write_text("\n".join(lines) + "\n")


def _children(data) -> list[dict]:
    found = list(data.get("throughput", [])) + list((data.get("peers") or {}).values())
    found += [c for c in (data.get("poc"), data.get("planning")) if c]
    return found


def _throughput_section(data) -> list[str]:
    out = ["## 1. Drift throughput", "",
           "One process per row (NUMBA_NUM_THREADS set before numba is imported); a 100-particle "
           "warm-up run first, then the timed `simulate()` call (best of 3 up to 10^6 particles, "
           "one run above). Output every 6 h (9 records) so that 10^7 particles fit in memory. "
           f"Target of issue 7: {TARGET_RATE / 1e6:.0f} million particle-steps/s on 2 cores.", "",
           "The last column is the CPU that other jobs took while the row ran, in cores "
           "(machine busy time from /proc/stat less the row's own CPU time, over its wall time):"
           " above about 0.2 the row is likely slow, the 2-thread rows most, since a parallel "
           "loop waits for its slowest thread.", "",
           "| particles | threads | run (s) | particle-steps/s | peak RSS (MB) "
           "| process wall (s) | others (cores) |",
           "|---:|---:|---:|---:|---:|---:|---:|"]
    for row in data.get("throughput", []):
        out.append(f"| {row['particles']:.0e} | {row['threads']} | {_f(_get(row, 'run_s'))} "
                   f"| {_f(_get(row, 'rate'), '.3g')} | {row['maxrss_mb']:.0f} "
                   f"| {row['wall_s']:.1f} | {_f(row.get('others_cores'), missing='?')} |")
    for count in data.get("skipped_counts", []):
        out.append(f"| {count:.0e} | - | skipped (--max-particles) | | | | |")
    return [*out, ""]


def _peer_section(data) -> list[str]:
    peers = data.get("peers")
    if not peers:
        return ["## 2. sarkit against OpenDrift and Parcels", "", "Skipped (--skip-peers).", ""]
    v = data["versions"]
    names = {"sarkit": f"sarkit {v.get('sarkit')} Leeway ({data['peer_threads']} threads)",
             "sarkit_at_opendrift": f"sarkit {v.get('sarkit')} Leeway "
                                    f"({data['peer_threads']} threads)",
             "sarkit_1thread": f"sarkit {v.get('sarkit')} Leeway (1 thread)",
             "opendrift": f"OpenDrift {v.get('opendrift')} Leeway",
             "parcels": f"Parcels {v.get('parcels')} advection (RK4, current only)"}
    out = ["## 2. sarkit against OpenDrift and Parcels", "",
           "Each model in a process of its own; the process wall time counts everything: "
           "Python's start, the imports, loading the forcing and the coastline, seeding, the "
           "run and the output, and for sarkit a 100-particle warm-up call that loads the "
           "kernels from the warm numba cache (its time is the `first call` column; section 5 "
           "has the cold-cache figure). The run phase is the model's run call alone "
           "(`simulate()` after the warm-up, `Leeway.run()`, `ParticleSet.execute()`). "
           "Hourly output for all three. OpenDrift runs the same "
           "Leeway scenario with its own landmask; Parcels does pure advection by the same "
           "current (RK4: 4 current samples per step, no wind, no land, no leeway). sarkit's "
           "step reads current and wind once (second-order Adams-Bashforth) and checks the "
           "coastline; OpenDrift's Leeway reads them once too (Euler, first order).",
           "",
           "| model | particles | first call (s) | run phase (s) | run-phase particle-steps/s "
           "| process wall (s) | peak RSS (MB) | final centroid | spread (km) "
           "| others (cores) |",
           "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|"]
    for key in ("sarkit", "sarkit_1thread", "sarkit_at_opendrift", "opendrift", "parcels"):
        child = peers.get(key)
        if child is None:
            continue
        cloud = _get(child, "cloud")
        where = f"{cloud[0]:.4f}E {cloud[1]:.4f}N" if cloud else "-"
        count = _get(child, "particles") or "-"
        first = _f(_get(child, "warmup_s"), missing="-")
        out.append(f"| {names[key]} | {count} | {first} | {_f(_get(child, 'run_s'))} "
                   f"| {_f(_get(child, 'rate'), '.3g')} | {child['wall_s']:.1f} "
                   f"| {child['maxrss_mb']:.0f} | {where} | {_f(cloud and cloud[2])} "
                   f"| {_f(child.get('others_cores'), missing='?')} |")
    out += ["", "| sarkit / peer | particles | run-phase throughput | process wall time "
            "| peak memory (peer / sarkit) |", "|---|---:|---:|---:|---:|"]
    pairs = [("opendrift", "sarkit_at_opendrift", ""), ("parcels", "sarkit", "")]
    one = peers.get("sarkit_1thread")
    if one and _get(peers.get("opendrift") or {}, "particles") == _get(one, "particles"):
        pairs.append(("opendrift", "sarkit_1thread", ", sarkit on 1 thread"))
    if one:
        pairs.append(("parcels", "sarkit_1thread", ", sarkit on 1 thread"))
    for key, ours_key, note in pairs:
        theirs = peers.get(key)
        ours = peers.get(ours_key) or peers.get("sarkit")
        if not (theirs and ours and theirs["ok"] and ours["ok"]):
            out.append(f"| {key}{note} | - | failed | failed | failed |")
            continue
        with_first = _get(ours, "run_s") + (_get(ours, "warmup_s") or 0.0)
        out.append(f"| {key}{note} | {_get(theirs, 'particles')} "
                   f"| {_get(ours, 'rate') / _get(theirs, 'rate'):.1f}x "
                   f"({_get(theirs, 'run_s') / with_first:.1f}x counting the first call) "
                   f"| {theirs['wall_s'] / ours['wall_s']:.1f}x "
                   f"| {theirs['maxrss_mb'] / ours['maxrss_mb']:.1f}x |")
    out += ["", "Issue 7's targets at 10^5 particles: >= 100x OpenDrift's run-phase throughput and "
            ">= 20x its whole-process wall time.", ""]
    return out


def _poc_section(data) -> list[str]:
    child = data.get("poc")
    out = ["## 3. POC grid + search areas", "",
           "`poc_grid()` + `search_areas()` (50/90/95 % areas and the 90 % rectangle) on the "
           "two-lobe synthetic cloud of `poc_areas.py` with unequal weights, automatic cell; "
           "one process, kernels compiled before timing; best of 3 (one run at 10^7).", "",
           "| particles | cells | cell (NM) | poc_grid (s) | search_areas (s) | total (s) "
           "| median total (s) |", "|---:|---|---:|---:|---:|---:|---:|"]
    rows = _get(child, "rows") if child else None
    if not rows:
        return [*out, "| failed | | | | | | |", ""]
    for row in rows:
        out.append(f"| {row['particles']:.0e} | {row['cells']} | {row['cell_nm']:g} "
                   f"| {row['grid_s']:.3f} | {row['areas_s']:.3f} | {row['total_s']:.3f} "
                   f"| {row['median_s']:.3f} |")
    return [*out, "", f"Peak RSS of that process: {child['maxrss_mb']:.0f} MB.", ""]


def _planning_section(data) -> list[str]:
    child = data.get("planning")
    out = ["## 4. Planning", ""]
    if not child:
        return [*out, "Skipped (--skip-planning).", ""]
    if not child["ok"] or not child["lines"]:
        return [*out, "`planning.py` failed.", ""]
    return [*out, f"`benchmarks/planning.py` ({child['source'].strip()}): `allocate()` wall "
                  f"time, median / best of the repeats, on a POC map of that run; the whole "
                  f"script took {child['wall_s']:.0f} s.", "", *child["lines"], ""]


def _jit_section(data) -> list[str]:
    jit = data.get("jit")
    out = ["## 5. Import and first call (JIT)", "",
           "Two processes on the same, first empty, `NUMBA_CACHE_DIR`: cold compiles every "
           "kernel and writes the cache, warm loads it. Drift call: 100 particles of the scenario "
           "above, 48 h (the run itself takes milliseconds); POC call: `poc_grid()` + "
           "`search_areas()` of 1000 particles. The second call in the same process shows the "
           "cost without compilation.", "",
           "| numba cache | import sarkit (s) | first drift call (s) | second drift call (s) "
           "| first POC call (s) | second POC call (s) | process wall (s) |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for label in ("cold", "warm"):
        child = jit[label]
        keys = ("import_s", "drift_first_s", "drift_second_s", "poc_first_s", "poc_second_s")
        out.append(f"| {label} | " + " | ".join(_f(_get(child, k), ".3f") for k in keys)
                   + f" | {child['wall_s']:.1f} |")
    return [*out, ""]


def plot(path: Path, data: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 6.0),
                                      gridspec_kw={"width_ratios": [1.35, 1]})
    for threads, colour in zip(sorted({r["threads"] for r in data["throughput"]}),
                               ("tab:blue", "tab:green", "tab:purple", "tab:olive"),
                               strict=False):
        rows = [r for r in data["throughput"] if r["threads"] == threads and r["ok"]]
        left.plot([r["particles"] for r in rows], [_get(r, "rate") for r in rows], "o-",
                  color=colour, lw=2, label=f"sarkit Leeway, {threads} thread"
                  + ("s" if threads > 1 else ""))
    left.axhline(TARGET_RATE, color="grey", ls="--", lw=1)
    left.text(1.1e3, TARGET_RATE * 1.12, "issue 7 target, 2 cores", color="grey", fontsize=9)
    peers = data.get("peers") or {}
    v = data["versions"]
    for key, marker, colour, label in (
            ("opendrift", "s", "tab:red", f"OpenDrift {v.get('opendrift')} Leeway"),
            ("parcels", "D", "tab:orange", f"Parcels {v.get('parcels')} advection only")):
        child = peers.get(key)
        if child and child["ok"]:
            rate = _get(child, "rate")
            left.plot(_get(child, "particles"), rate, marker, color=colour, ms=10,
                      label=f"{label} ({rate / 1e6:.2f} M/s)")
            ours = peers.get("sarkit")
            if key == "opendrift":
                ours = peers.get("sarkit_at_opendrift", ours)
            if ours and ours["ok"]:
                left.annotate(f"sarkit {_get(ours, 'rate') / rate:.0f}x faster",
                              (_get(child, "particles"), rate), xytext=(12, -4),
                              textcoords="offset points", color=colour, fontsize=9)
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlim(5e2, 2e7)
    left.set_xlabel("particles")
    left.set_ylabel("particle-steps per second (run phase)")
    left.set_title("Drift throughput: 48 h, 15 min steps, coastline on")
    left.grid(True, which="both", alpha=0.3)
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=9)

    rows = _get(data.get("poc") or {}, "rows") or []
    if rows:
        right.plot([r["particles"] for r in rows], [r["total_s"] for r in rows], "o-",
                   color="tab:blue", lw=2, label="POC grid + search areas")
        right.plot([r["particles"] for r in rows], [r["grid_s"] for r in rows], "^--",
                   color="tab:cyan", label="POC grid alone")
        right.set_xscale("log")
        right.set_yscale("log")
        right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=9)
    right.set_xlabel("particles")
    right.set_ylabel("seconds")
    right.set_title("POC map and search areas")
    right.grid(True, which="both", alpha=0.3)
    fig.suptitle(f"sarkit benchmarks, {data['machine_line']}",
                 fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="short run: up to 10^5 particles, peers at 10^4, quick planning")
    parser.add_argument("--max-particles", type=int, default=10_000_000,
                        help="largest drift and POC ensemble (default 10^7)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--peer-particles", type=int, default=None,
                        help="ensemble of the peer comparison (default 10^5, --quick 10^4)")
    parser.add_argument("--opendrift-particles", type=int, default=None,
                        help="OpenDrift's ensemble if smaller (default: --peer-particles)")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-planning", action="store_true")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter of the child processes (default: this one)")
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds per child")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--from-json", type=Path, default=None, metavar="RESULTS_JSON",
                        help="measure nothing: rewrite results.md and throughput.png in --out "
                             "from a results.json of an earlier run")
    args = parser.parse_args(argv)
    if args.from_json is not None:
        data = json.loads(args.from_json.read_text())
        info = data.pop("machine")
        args.out.mkdir(parents=True, exist_ok=True)
        write_markdown(args.out / "results.md", info, data, data.get("argv", []))
        plot(args.out / "throughput.png", data)
        return 0
    if args.quick:
        args.max_particles = min(args.max_particles, 100_000)
    peer_count = args.peer_particles or (10_000 if args.quick else 100_000)
    opendrift_count = args.opendrift_particles or peer_count
    all_counts = [10**k for k in range(3, 8)]
    counts = [c for c in all_counts if c <= args.max_particles]
    threads = sorted(set(args.threads))

    begin = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    info = machine(args.python)
    info["load_before"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{info['cpu']}, {info['cores']} cores, {info.get('ram_gb', 0):.0f} GB; "
          f"load {info['load_before']}", flush=True)
    data = {"argv": argv, "versions": info["versions"], "peer_threads": max(threads),
            "skipped_counts": [c for c in all_counts if c > args.max_particles],
            "machine_line": f"{info['cpu']}, {info['cores']} cores, {info['date'][:10]}"}
    raw = args.out / "results.json"

    def save():
        raw.write_text(json.dumps({"machine": info, **data}, indent=1, default=str))

    print("5. import and first call (cold and warm numba cache)")
    data["jit"] = bench_jit(args.python, max(threads), args.timeout)
    save()
    print("1. drift throughput")
    data["throughput"] = bench_throughput(args.python, counts, threads, args.timeout)
    save()
    if not args.skip_peers:
        print("2. sarkit, OpenDrift, Parcels")
        data["peers"] = bench_peers(args.python, peer_count, opendrift_count, max(threads),
                                    args.timeout)
        save()
    print("3. POC + areas")
    data["poc"] = bench_poc(args.python, [c for c in counts if c >= 10_000], args.timeout)
    save()
    if not args.skip_planning:
        print("4. planning")
        data["planning"] = bench_planning(args.python, args.quick, args.timeout)
    info["load_after"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    data["elapsed_s"] = time.perf_counter() - begin
    save()
    write_markdown(args.out / "results.md", info, data, argv)
    plot(args.out / "throughput.png", data)
    print(f"wrote {args.out / 'results.md'} and {args.out / 'throughput.png'} "
          f"in {data['elapsed_s'] / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
