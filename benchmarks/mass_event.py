"""Mass event benchmark: 10 cases, 30 assets of several centres, 3 search periods.

Ten boats adrift at once in the Andaman Sea on the bundled SYNTHETIC monsoon forcing (the
2015-like day of issue 8), thirty assets from the region's centres (catalogue types; figures
the catalogue lacks are assumed and marked), three 4-hour periods. Times the drifts, the joint
plan (``sarkit.mass.plan_cases``) and the own-region rule, and reports the expected people
found by each, the gain, and the gap to the joint bound.

    python benchmarks/mass_event.py            # target: the planning under a minute
"""

from __future__ import annotations

import argparse
import sys
import time

from sarkit.app.run import drift_scenario
from sarkit.files.scenario_toml import scenario_from_dict
from sarkit.mass import JOINT, OWN_REGION, CaseRun, plan_cases
from sarkit.planning import Asset, SearchWindow, Weather, asset_type, rescue_centre
from sarkit.times import parse_time

START = "2024-06-11T00:00Z"
# (lon, lat, persons) of ten boats, all at sea in 91-100 E, 4-16 N
BOATS = [(96.8, 9.6, 180), (95.5, 6.5, 90), (98.6, 6.6, 300), (93.4, 10.6, 60),
         (94.5, 13.5, 150), (97.3, 12.0, 220), (92.5, 8.0, 40), (95.0, 11.0, 110),
         (97.8, 8.2, 75), (93.8, 6.0, 130)]
# (centre, type, how many, assumed figures the catalogue lacks)
FLEET = [
    ("kantor-sar-banda-aceh", "kn-sar-class-2", 3, {"search_speed_kt": 10,
                                                   "search_height_ft": 14}),
    ("kantor-sar-medan", "cn235-mpa", 2, {"search_speed_kt": 150, "search_height_ft": 1000}),
    ("kantor-sar-medan", "kn-sar-class-2", 2, {"search_speed_kt": 10, "search_height_ft": 14}),
    ("mrsc-langkawi", "mmea-bagan-datuk", 3, {"cruise_speed_kt": 20, "endurance_h": 96,
                                              "search_speed_kt": 12, "search_height_ft": 14}),
    ("mrcc-putrajaya", "mmea-damen-1800", 1, {"cruise_speed_kt": 15, "endurance_h": 240,
                                              "search_speed_kt": 12, "search_height_ft": 14}),
    ("rtn-third-naval-area", "rtn-m21", 3, {"cruise_speed_kt": 20, "search_speed_kt": 12,
                                            "search_height_ft": 8}),
    ("rtn-third-naval-area", "rtn-krabi-opv", 2, {"cruise_speed_kt": 16, "endurance_h": 240,
                                                  "search_speed_kt": 12,
                                                  "search_height_ft": 14}),
    ("bkkrcc", "aw139", 2, {"cruise_speed_kt": 145, "endurance_h": 4.5, "search_speed_kt": 90,
                            "search_height_ft": 500}),
    ("mrcc-port-blair", "dornier-228-icg", 3, {"search_speed_kt": 150, "search_height_ft": 500}),
    ("icg-dhq-10-campbell-bay", "dornier-228-icg", 2, {"search_speed_kt": 150,
                                                       "search_height_ft": 500}),
    ("mrcc-chennai", "dornier-228-icg", 2, {"search_speed_kt": 150, "search_height_ft": 500}),
    ("myanmar-coast-guard-hq", "mcg-patrol-47m", 3, {"cruise_speed_kt": 16, "endurance_h": 120,
                                                     "search_speed_kt": 10,
                                                     "search_height_ft": 14}),
    ("jrcc-australia", "challenger-cl604", 2, {"search_speed_kt": 180,
                                               "search_height_ft": 1000}),
]


def _runs(particles: int) -> list[CaseRun]:
    runs = []
    for number, (lon, lat, persons) in enumerate(BOATS):
        scenario = scenario_from_dict({
            "name": f"boat {number + 1}", "object": "FISHING-VESSEL-1",
            "particles": particles, "seed": 100 + number,
            "lkp": {"time": "2024-06-10T04:00Z", "end_time": "2024-06-10T10:00Z",
                    "lon": lon, "lat": lat, "radius_nm": 8},
            "run": {"duration_hours": 40, "timestep_minutes": 15, "output_every_minutes": 60},
            "forcing": {"currents": {"synthetic": "andaman_monsoon", "season": "southwest"},
                        "winds": {"synthetic": "andaman_monsoon", "season": "southwest"}},
        })
        runs.append(CaseRun(f"boat {number + 1}", persons, drift_scenario(scenario)))
    return runs


def _assets() -> list[Asset]:
    assets = []
    for centre_id, type_id, count, figures in FLEET:
        centre = rescue_centre(centre_id)
        for k in range(count):
            assets.append(Asset(f"{type_id} {centre_id} {k + 1}", asset_type(type_id),
                                parse_time("2024-06-10T20:00Z") + 3600.0 * k, centre=centre,
                                **figures))
    return assets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=2000, help="particles per case")
    args = parser.parse_args(argv)
    begin = time.perf_counter()
    runs = _runs(args.particles)
    drift_s = time.perf_counter() - begin
    assets = _assets()
    start = parse_time(START)
    periods = [SearchWindow(start + k * 4 * 3600.0, start + (k + 1) * 4 * 3600.0)
               for k in range(3)]
    weather = Weather(visibility_nm=10, wind_kt=18, seas_m=1.5)
    results = {}
    for rule in (JOINT, OWN_REGION):
        begin = time.perf_counter()
        results[rule] = (plan_cases(runs, assets, periods, weather, rule=rule),
                         time.perf_counter() - begin)
    persons = sum(p for _, _, p in BOATS)
    print(f"# mass event: {len(runs)} cases ({persons} persons), {len(assets)} assets, "
          f"{len(periods)} periods, {args.particles} particles per case\n")
    print(f"drifts: {drift_s:.1f} s\n")
    print("| rule | planning (s) | expected persons found | assets idle in period 1 |")
    print("|---|---:|---:|---:|")
    for rule, (plan, seconds) in results.items():
        idle = sum(1 for (_, k) in plan.idle if k == 0)
        print(f"| {rule.replace('_', ' ')} | {seconds:.1f} | {plan.expected_found:.1f} | "
              f"{idle} |")
    joint, own = results[JOINT][0], results[OWN_REGION][0]
    print(f"\njoint plan: gap {100 * joint.gap:.1f} % to the sum of the per-period joint "
          f"optimal-effort bounds ({joint.bound:.1f} expected persons found; loose over "
          "several periods)")
    print(f"gain of the joint plan over the own-region rule: "
          f"{joint.expected_found - own.expected_found:+.1f} expected persons found "
          f"({100 * (joint.expected_found / own.expected_found - 1):+.0f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
