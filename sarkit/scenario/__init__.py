"""The search case as plain data (frozen dataclasses); its TOML file is read by
:func:`sarkit.files.load_scenario` and run by :func:`sarkit.app.drift_scenario`.

A scenario says what is searched for (``object``), where and when it was last
known (``[lkp]``, ``[track]``, ``[area]``, or several weighted ``[[scenario]]``
tables), how to run the drift (``[run]``) and which currents and winds drive it
(``[forcing]``)::

    name = "Fishing boat overdue"
    object = "FISHING-VESSEL-1"      # leeway class id, index or name
    particles = 20000                # optional, default 10000
    seed = 1                         # optional, default 1

    [lkp]
    time = "2024-03-20T06:00:00Z"
    end_time = "2024-03-20T09:00:00Z"   # optional time-of-distress window
    lon = 95.5
    lat = 6.2
    radius_nm = 5                       # containment radius

    [run]
    duration_hours = 24                 # or end = "..."; negative runs backward
    timestep_minutes = 10               # optional
    output_every_minutes = 60           # optional
    diffusivity_m2_s = 5                # optional
    jibe_probability_per_hour = 0.04    # optional
    # leeway_correlation_hours = 6      # optional: leeway perturbation varying in time

    [forcing]
    currents = ["cmems_day1.nc", "cmems_day2.nc"]   # paths relative to this file
    winds = { constant = [3.0, 4.0] }               # east, north m/s
    # or { synthetic = "andaman_monsoon", season = "southwest" }
    units = "m/s"                       # optional, for files without units

    [[transition]]                      # optional: the object may become another
    to = "PIW-1"                        # leeway class id, index or name
    rate_per_hour = 0.05                # hazard per hour (0 or more)
    wind_threshold_ms = 10              # optional, with rate_per_hour_per_ms: a hazard
    rate_per_hour_per_ms = 0.02         #   rising by this per m/s of wind above 10 m/s
    # from = "FISHING-VESSEL-1"         # optional, default every scenario's object

A ``[[transition]]`` says that the object can change on the way: a boat that capsizes
becomes persons in the water. Each particle switches at its own random time (its hazard
accumulated along its path exceeds an exponential number of its own: for a constant hazard
``h`` the share switched after ``t`` hours is ``1 - exp(-h t)``), keeps its position and
takes the new class's leeway. Several ``[[transition]]`` tables from one class compete (a
boat becomes persons in the water or a raft); a class switched to may not switch again.
Transitions are refused for a backward run.

Every key is checked when the file is read: its type, its range, and that it
is known at all (a misspelt key is an error that suggests the right one, never
a silent default). Errors are :class:`ScenarioError`; the message names the key
as a dotted path (``lkp.radius_nm``, ``forcing.currents[1]``, list indices from
0) and says how to fix it.

Seeds: a scenario with one location is seeded with ``seed``; with several
``[[scenario]]`` tables, sub-scenario ``i`` (from 0) is seeded with
``seed * 1000 + i``, so each has its own random numbers. The drift itself uses
``seed``.
"""
from sarkit._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "model": [
        "Area", "ForcingSpec", "LastKnownPosition", "RunSettings", "Scenario", "ScenarioError",
        "SubScenario", "Track", "reach_box", "split_by_weight",
    ],
})
