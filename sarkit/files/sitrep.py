"""A situation report (SITREP) in the IAMSAR layout, with the case's numbers filled in.

:func:`sitrep` writes plain text for the contact lines between centres (telex, e-mail,
fax): the identification (SITREP number, SAR case, from, to, date-time group), then

* **A situation**: the search object and persons aboard, the last known position and time,
  the datum at the valid time of the areas, the 50/90/95 % areas (NM2, probability and
  centre), the stranded and unaccounted shares, the weather on scene;
* **B action taken**: the plan, one line per asset (centre, platform, pattern, times, area,
  track spacing, coverage, POD, POC, POS), its total POS against the bound, the cumulative
  POS with earlier searches, and the assets left out with the reason;
* **C future plans** and **D status** (case open or closed).

Positions are written as every sarkit printout writes them
(:func:`sarkit.positions.position_text`): decimal degrees with hemisphere letters and, in
brackets, degrees and decimal minutes, in plain ASCII as a telex carries them: ``9.200N
95.800E (09-12.00N 095-48.00E)``. Centres are named by their catalogue names, the search
object by the sweep-width tables' label.

The sending and receiving centres, the SITREP number and the persons aboard are checked
(:func:`check_sitrep_fields`): a control character in a centre would inject lines into the
report. Any other text (a case, object or asset name from the Python API) is written with its
control characters as visible escapes (:func:`sarkit.text.visible`), each line one line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np

from sarkit.errors import BadValueError, checked_text
from sarkit.planning.assets import centre_name
from sarkit.planning.plan import SearchPlan
from sarkit.planning.regions import area_time_zone
from sarkit.planning.sweep import object_label
from sarkit.poc.areas import SearchAreas
from sarkit.positions import position_text
from sarkit.scenario import Area, LastKnownPosition, Scenario, Track
from sarkit.text import visible
from sarkit.times import format_time, local_time, parse_time

__all__ = ["check_sitrep_fields", "date_time_group", "sitrep"]

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
DEFAULT_FUTURE = ("Search as planned in B. After the search, update the probabilities for the "
                  "effort flown (sarkit update) and plan the next period. Next SITREP when the "
                  "search period ends or on any significant development.")


def date_time_group(when: float | datetime) -> str:
    """The date-time group of a message, UTC: ``110600Z JUN 24``.

    Parameters
    ----------
    when : float or datetime
        Epoch seconds UTC, or a datetime (naive means UTC).
    """
    if not isinstance(when, datetime):
        when = datetime.fromtimestamp(float(when), UTC)
    elif when.tzinfo is not None:
        when = when.astimezone(UTC)
    return f"{when:%d%H%M}Z {_MONTHS[when.month - 1]} {when:%y}"


def _at(lon: float, lat: float) -> str:
    """A position, the one way (:func:`sarkit.positions.position_text`), in plain ASCII."""
    return position_text(lon, lat, ascii=True)


def _time(seconds: float) -> str:
    return f"{format_time(seconds)} ({date_time_group(seconds)})"


def _where(scenario: Scenario) -> list[str]:
    lines = []
    for sub in scenario.scenarios:
        where, label = sub.where, (f"{sub.name} (weight {sub.weight:g}): "
                                   if len(scenario.scenarios) > 1 else "")
        if isinstance(where, LastKnownPosition):
            window = ("" if where.end_time == where.time else
                      f" to {_time(where.end_time)}")
            lines.append(f"   LAST KNOWN POSITION: {label}{_at(where.lon, where.lat)}, "
                         f"within {where.radius_nm:g} NM, at {_time(where.time)}{window}")
        elif isinstance(where, Track):
            lines.append(f"   LAST KNOWN TRACK: {label}from {_at(*where.start)} at "
                         f"{_time(where.start_time)} to {_at(*where.end)} at "
                         f"{_time(where.end_time)}, within {where.radius_nm:g} NM")
        elif isinstance(where, Area):
            lon, lat = np.mean(np.asarray(where.polygon, dtype=float), axis=0)
            lines.append(f"   LAST KNOWN AREA: {label}{len(where.polygon)}-corner area "
                         f"around {_at(lon, lat)}, {_time(where.time)} to "
                         f"{_time(where.end_time)}")
    return lines


def _situation(plan: SearchPlan, areas: SearchAreas, scenario: Scenario | None,
               persons: int | None, description: str | None) -> list[str]:
    lines = ["A. SITUATION"]
    if description:
        lines.append(f"   DESCRIPTION: {description}")
    if scenario is not None:
        objects = sorted({f"{s.object.name} (leeway class {s.object.id})"
                          for s in scenario.scenarios})
        lines.append(f"   SEARCH OBJECT: {'; '.join(objects)}")
    lines.append(f"   PERSONS ABOARD: {persons if persons is not None else 'NOT KNOWN'}")
    if scenario is not None:
        lines.extend(_where(scenario))
    when = str(np.datetime64(areas.valid_time, "s")) + "Z"
    seconds = float(np.datetime64(areas.valid_time, "s").astype(np.int64))
    lines.append(f"   DATUM AT {when} ({date_time_group(seconds)}): "
                 f"{_at(areas.datum_lon, areas.datum_lat)}")
    lines.append(f"   SEARCH AREAS AT {when} (cells of {areas.cell_nm:.2f} NM):")
    for level in areas.levels:
        centre = level.polygon.centroid
        lines.append(f"     {level.level:.0%} AREA: {level.area_nm2:,.1f} NM2, POC "
                     f"{level.probability:.4f}, centre {_at(centre.x, centre.y)}")
    rect = areas.rectangle
    lines.append(f"     {rect.level:.0%} RECTANGLE: {rect.length_nm:.1f} x {rect.width_nm:.1f} "
                 f"NM, {rect.area_nm2:,.1f} NM2, long side {rect.orientation_deg:.0f} deg")
    poc = plan.poc
    lines.append(f"   STRANDED: {poc.stranded_weight:.1%} of the probability ashore; left the "
                 f"domain or forcing: {poc.unaccounted_weight:.1%}")
    weather = plan.weather
    lines.append(f"   WEATHER ON SCENE: visibility {weather.visibility_nm:g} NM, wind "
                 f"{weather.wind_kt:g} kt, seas {weather.seas_m:g} m"
                 + (", crews fatigued" if weather.fatigued else ""))
    return lines


def _action(plan: SearchPlan, earlier_pos: Sequence[float]) -> list[str]:
    lines = ["B. ACTION TAKEN",
             f"   SEARCH PLAN {format_time(plan.window.start)} TO "
             f"{format_time(plan.window.end)}, object {object_label(plan.search_object)} "
             f"({plan.tables} sweep widths):"]
    if not plan.assignments:
        lines.append("     NO ASSET CAN SEARCH IN THE WINDOW")
    for number, item in enumerate(plan.assignments, start=1):
        csp = item.pattern.commence_search_point
        lines.append(
            f"     {number}. {item.label} ({item.asset.type.platform}, "
            f"{centre_name(item.rcc) if item.rcc else 'no centre'})"
            f": {item.pattern.kind.replace('_', ' ')} {format_time(item.start)} to "
            f"{format_time(item.end)}, area {item.assignment.area_nm2:,.1f} NM2, CSP "
            f"{_at(csp[0], csp[1])}, track spacing {item.track_spacing_nm:.2f} NM, "
            f"coverage {item.coverage:.2f}, POD {item.pod:.3f}, POC {item.poc:.3f}, "
            f"POS {item.pos:.3f}")
    cumulative = 1.0 - math.prod(1.0 - p for p in (*earlier_pos, plan.total_pos))
    lines.append(f"   TOTAL POS {plan.total_pos:.3f} (bound {plan.bound:.3f}, gap "
                 f"{plan.gap:.1%}); CUMULATIVE POS {cumulative:.3f} after "
                 f"{len(earlier_pos) + 1} search period(s)")
    for item in plan.left_out:
        lines.append(f"   LEFT OUT: {item.asset.name}: {item.reason}")
    return lines


def _whole_number(value: object, name: str, fix: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise BadValueError(f"{name} = {value!r} is not a whole number of at least 1", fix)
    return value


def _local(when: float | datetime, areas: SearchAreas) -> str:
    """`` (HH:MM local (UTC+hh:mm zone))`` of the area's responsible centre at ``when``."""
    zone = area_time_zone(areas.datum_lon, areas.datum_lat)
    seconds = parse_time(when) if isinstance(when, datetime) else float(when)
    text = local_time(seconds, zone, areas.datum_lon)
    return f" ({text})" if text else ""


def check_sitrep_fields(*, number: object = 1, from_centre: object = "NOT GIVEN",
                        to_centre: object = "NOT GIVEN", persons: object = None) -> None:
    """Refuse a SITREP's number, centres or persons aboard that make no sense.

    The number is a whole number of at least 1; the persons aboard, where given, too (as in a
    case file, :mod:`sarkit.files.casefile`); a centre is text without a control character,
    lone surrogate or noncharacter (a newline would add lines to the report).

    Raises
    ------
    BadValueError
        Naming the argument (and the option of ``sarkit case export``).
    """
    _whole_number(number, "SITREP number (--sitrep-number)",
                  "number a case's SITREPs from 1")
    if persons is not None:
        _whole_number(persons, "persons aboard (--persons)",
                      "give 1 or more persons aboard, or leave it out where not known")
    for value, name in ((from_centre, "from_centre (--from)"), (to_centre, "to_centre (--to)")):
        checked_text(value, name, fix="give the centre's name as one line of plain text, "
                                      "e.g. \"JRCC Jakarta\"")


def sitrep(plan: SearchPlan, areas: SearchAreas, *, scenario: Scenario | None = None,
           number: int = 1, from_centre: str = "NOT GIVEN", to_centre: str = "NOT GIVEN",
           when: float | datetime | None = None, persons: int | None = None,
           description: str | None = None, earlier_pos: Sequence[float] = (),
           future_plans: str | None = None, closed: bool = False) -> str:
    """A SITREP for one case in the IAMSAR layout (see the module docstring).

    Parameters
    ----------
    plan : SearchPlan
        The search plan (action taken).
    areas : SearchAreas
        The search areas the plan searches (the datum and the 50/90/95 % areas).
    scenario : Scenario, optional
        The drift scenario: the search object and the last known position.
    number : int
        The SITREP's number in the case.
    from_centre, to_centre : str
        Sending and receiving centres.
    when : float or datetime, optional
        The date-time group (epoch seconds UTC); default now.
    persons : int, optional
        Persons aboard, where known.
    description : str, optional
        A line describing the case.
    earlier_pos : sequence of float
        The POS of earlier search periods, for the cumulative POS.
    future_plans : str, optional
        Part C; default: search as planned, update, report again.
    closed : bool
        Part D: the case is closed.

    Returns
    -------
    str
        The report, lines ending in ``\\n``.

    Raises
    ------
    BadValueError
        For a number or persons aboard below 1, or a centre with a control character
        (:func:`check_sitrep_fields`).
    """
    check_sitrep_fields(number=number, from_centre=from_centre, to_centre=to_centre,
                        persons=persons)
    when = datetime.now(UTC) if when is None else when
    lines = [
        f"SITREP {number}",
        f"SAR CASE: {plan.name or (scenario.name if scenario else 'NOT NAMED')}",
        f"FROM: {from_centre}",
        f"TO: {to_centre}",
        f"DTG: {date_time_group(when)}{_local(when, areas)}",
        "",
        *_situation(plan, areas, scenario, persons, description),
        "",
        *_action(plan, earlier_pos),
        "",
        "C. FUTURE PLANS",
        f"   {future_plans or DEFAULT_FUTURE}",
        "",
        "D. STATUS",
        f"   CASE {'CLOSED' if closed else 'OPEN'}",
    ]
    return "\n".join(visible(line, keep="") for line in lines) + "\n"
