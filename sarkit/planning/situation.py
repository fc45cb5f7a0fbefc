"""A search plan in a few lines an officer reads out or pastes into a SITREP.

:func:`plan_situation` is what ``sarkit plan`` writes as ``summary.txt`` beside
``plan.geojson`` (:func:`sarkit.files.summary.write_summary`), the plan's counterpart of the
drift's :meth:`sarkit.app.drift.DriftResult.situation`: the case, the search object by its
name, the datum (:func:`sarkit.positions.position_text`) at the POC's time and the search
window in UTC with the local time of the responsible centre beside them
(:func:`sarkit.times.utc_and_local`), who is responsible for the datum, each asset's area
(centre, size, pattern, track spacing, time on scene, POD, POS), the total POS, and what the
plan does not cover.
"""

from __future__ import annotations

import numpy as np

from sarkit.planning.assets import centre_name
from sarkit.planning.plan import SearchPlan
from sarkit.planning.regions import area_time_zone, holders_text, responsible
from sarkit.planning.sweep import object_label
from sarkit.positions import position_text
from sarkit.times import parse_time, span_and_local, utc_and_local

__all__ = ["plan_situation"]


def plan_situation(plan: SearchPlan) -> str:
    """The plan in lines for a person (see the module docstring).

    Parameters
    ----------
    plan : SearchPlan
        From :func:`sarkit.planning.plan_search`.

    Returns
    -------
    str
        Lines separated by ``\\n``, no trailing newline.
    """
    poc = plan.poc
    lon, lat = poc.datum_lon, poc.datum_lat
    zone = area_time_zone(lon, lat)
    at = parse_time(np.datetime64(poc.valid_time, "ms"))
    weather = plan.weather
    lines = [
        plan.name or "search plan",
        f"search object: {object_label(plan.search_object)} ({plan.tables} sweep widths)",
        f"datum at {utc_and_local(at, zone, lon)}: {position_text(lon, lat)}",
        f"search {span_and_local(plan.window.start, plan.window.end, zone, lon)}",
        f"responsible: {holders_text(responsible(lon, lat))}",
        f"weather: visibility {weather.visibility_nm:g} NM, wind {weather.wind_kt:g} kt, "
        f"seas {weather.seas_m:g} m" + (", crews fatigued" if weather.fatigued else ""),
    ]
    if plan.daylight is not None and plan.daylight.usable != (plan.window.start,
                                                              plan.window.end):
        lines.append(plan.daylight.text(zone))
    lines.append(f"areas ({len(plan.assignments)}):" if plan.assignments
                 else "areas: none: no asset can search in the window")
    for number, item in enumerate(plan.assignments, start=1):
        area = item.assignment
        centre = centre_name(item.rcc) if item.rcc else "no centre"
        lines.append(
            f"  {number}. {item.label} ({centre}): {item.pattern.kind.replace('_', ' ')}, "
            f"{area.length_nm:.1f} x {area.width_nm:.1f} NM ({area.area_nm2:,.0f} NM²) "
            f"centred {position_text(area.centre_lon, area.centre_lat)}, long side "
            f"{area.orientation_deg:03.0f}°, track spacing {item.track_spacing_nm:.2f} NM")
        lines.append(f"     on scene {span_and_local(item.start, item.end, zone, lon)}; "
                     f"POD {item.pod:.2f}, POC {item.poc:.3f}, POS {item.pos:.3f}")
    lines.append(f"total POS {plan.total_pos:.3f} (bound {plan.bound:.3f}, gap {plan.gap:.1%})"
                 f" of the probability afloat ({poc.sea_weight:.1%})")
    outside = max(0.0, 1.0 - sum(item.poc for item in plan.assignments))
    lines.append(f"not covered: {outside:.1%} of the probability afloat lies outside the "
                 f"areas; inside them {sum(item.poc - item.pos for item in plan.assignments):.1%}"
                 " is searched but missed; of all the probability, "
                 f"{poc.stranded_weight:.1%} stranded and {poc.unaccounted_weight:.1%} out of "
                 "the forcing are not searched")
    lines += [f"left out: {item.asset.name}: {item.reason}" for item in plan.left_out]
    return "\n".join(lines)
