"""What the commands print: ``--json`` summaries, ``--verbose`` details and the text reports.

The JSON summaries are for scripts: one object on standard output, SI-free units in the key
names (``area_nm2``, ``radius_nm``), times ISO 8601 UTC, positions ``[lon, lat]`` degrees, and
``files`` mapping a short name to the path written (a plan's GPX route of an asset under
``"route: NAME"``). Their keys are stable:

* drift/demo: ``command``, ``scenario``, ``particles``, ``counts`` (by status, at the end of the
  run), ``valid_times`` (each with ``time``, ``datum``, ``areas`` = ``[{"level", "area_nm2",
  "probability"}]``, ``rectangle``, ``iamsar_radius_nm``, and ``afloat_share``,
  ``stranded_share``, ``unaccounted_share``: the probability afloat in the forcing, ashore
  and out of the forcing; the areas' probabilities are shares of afloat + unaccounted;
  after object transitions ``class_shares``: each class id's share of the probability at
  sea),
  ``warning`` (the line of a run whose forcing covered less than the drift can reach, else
  null), ``files``;
* plan/update: ``command``, ``name``, ``search_window``, ``poc_time``, ``total_pos``, ``bound``,
  ``gap``, ``assets`` (one row of the plan table each), ``left_out`` (``asset``, ``reason``),
  ``afloat_share``, ``stranded_share``, ``unaccounted_share`` (what the POC, and so every
  POS, is a share of: the probability afloat), ``files``; update adds ``searched``
  (``asset``, ``pod``, ``pos`` as a share of the original probability,
  ``pos_given_earlier_failed``), ``cumulative_pos``, ``plan_pos_of_original`` and
  ``cumulative_pos_with_plan``;
* forcing info: per file (and for all files together) ``file``, ``usable``, ``problems``,
  ``fields`` (``quantity``, ``variables``, ``usable``, ``details``, ``problems``);
* objects: per leeway class its id, name and coefficients (SI units, m/s).

The text reports: :func:`objects_table` (``sarkit objects``), :func:`plan_text` (``sarkit
plan``'s table, who is responsible and the files), :func:`update_text` (``sarkit update``'s
searches).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable, Sequence

    from sarkit.app.drift import DriftResult
    from sarkit.app.plan import UpdateRun
    from sarkit.drift.leeway import ObjectClass
    from sarkit.forcing.inspect import FileReport
    from sarkit.planning.assets import Asset
    from sarkit.planning.plan import SearchPlan

__all__ = ["drift_details", "drift_summary", "forcing_summary", "object_summary",
           "objects_table", "plan_details", "plan_summary", "plan_text", "update_text"]


def _iso(value: Any) -> str:
    return str(np.datetime64(value, "s")) + "Z"


def drift_summary(command: str, result: DriftResult) -> dict:
    """The JSON summary of a drift run (see the module docstring)."""
    from sarkit.drift.simulate import status_counts

    times = []
    for areas, circle in zip(result.areas, result.iamsar, strict=True):
        rect = areas.rectangle
        times.append({
            "time": _iso(areas.valid_time), "datum": [areas.datum_lon, areas.datum_lat],
            "cell_nm": areas.cell_nm,
            "areas": [{"level": e.level, "area_nm2": e.area_nm2, "probability": e.probability}
                      for e in areas.levels],
            "rectangle": {"level": rect.level, "length_nm": rect.length_nm,
                          "width_nm": rect.width_nm, "area_nm2": rect.area_nm2,
                          "orientation_deg": rect.orientation_deg},
            "iamsar_radius_nm": circle.radius_nm, "afloat_share": areas.afloat,
            "stranded_share": areas.stranded, "unaccounted_share": areas.unaccounted,
            **({"class_shares": areas.class_shares} if areas.class_shares else {})})
    return {"command": command, "scenario": result.scenario.name,
            "particles": int(result.trajectories.sizes["trajectory"]),
            "counts": status_counts(result.trajectories), "valid_times": times,
            "warning": result.warning,
            "files": {key: str(path) for key, path in result.files.items()}}


def drift_details(result: DriftResult, seconds: float) -> str:
    """Extra lines for ``--verbose``: settings, forcing, each POC grid, the time taken."""
    ds = result.trajectories
    lines = [f"settings: seed {ds.attrs.get('seed', '?')}, "
             f"{ds.sizes['trajectory']} particles, {ds.sizes['time']} output times "
             f"{_iso(ds['time'].values[0])} .. {_iso(ds['time'].values[-1])}",
             f"currents: {ds.attrs.get('currents', '?')}",
             f"winds: {ds.attrs.get('winds', '?')}"]
    lines += [f"POC: {grid!r}" for grid in result.grids]
    lines.append(f"took {seconds:.1f} s")
    return "\n".join(lines)


def plan_summary(command: str, plan: SearchPlan, files: dict, update=None) -> dict:
    """The JSON summary of a plan (and of the search update before it)."""
    from sarkit.files.geojson import plan_collection
    from sarkit.planning.plan import TABLE_COLUMNS

    collection = plan_collection(plan)
    poc = plan.poc
    summary = {"command": command, "name": plan.name,
               "afloat_share": poc.sea_weight, "stranded_share": poc.stranded_weight,
               "unaccounted_share": poc.unaccounted_weight,
               "search_window": collection["search_window"], "poc_time": collection["poc_time"],
               "search_object": plan.search_object, "total_pos": plan.total_pos,
               "bound": plan.bound, "gap": plan.gap,
               "assets": [dict(zip(TABLE_COLUMNS, row, strict=True)) for row in plan.rows()],
               "left_out": collection["left_out"],
               "files": {str(key): str(path) for key, path in files.items()}}
    if update is not None:
        searched, result = update
        summary["searched"] = [
            {"asset": name, "pod": pod, "pos": pos, "pos_given_earlier_failed": conditional}
            for (name, pod), pos, conditional in zip(searched, _unconditional(result.pos),
                                                     result.pos, strict=True)]
        summary["cumulative_pos"] = result.cumulative_pos
        summary["plan_pos_of_original"] = _of_original(plan, result.cumulative_pos)
        summary["cumulative_pos_with_plan"] = (result.cumulative_pos
                                               + summary["plan_pos_of_original"])
    return summary


def plan_details(plan: SearchPlan) -> str:
    """Extra lines for ``--verbose``: each asset's transit, time on scene and sweep width."""
    from sarkit.positions import format_position_dm

    lines = []
    for item in plan.assignments:
        sweep, scene = item.sweep_width, item.on_scene
        lon, lat = item.pattern.commence_search_point
        lines.append(
            f"{item.label}: transit {scene.transit.distance_nm:.0f} NM, on scene "
            f"{scene.hours:.1f} h; sweep width {sweep.uncorrected_nm:.2f} NM x weather "
            f"{sweep.weather_factor:.2f} x speed {sweep.speed_factor:.2f} x fatigue "
            f"{sweep.fatigue_factor:.2f} = {sweep.corrected_nm:.2f} NM; CSP "
            f"{format_position_dm(lon, lat)}; "
            f"{item.pattern.n_legs} legs, {item.pattern.track_length_nm:.0f} NM")
    return "\n".join(lines)


def plan_text(plan: SearchPlan, assets: Iterable[Asset], files: dict,
              update: UpdateRun | None = None) -> str:
    """What ``sarkit plan`` prints: the plan table, who is responsible for the datum and who
    can help (:func:`sarkit.planning.regions.responsibility_report`), the files written; after
    a search update (``sarkit update``), what the plan's POS is with the earlier searches."""
    from sarkit.planning.regions import responsibility_report

    who = responsibility_report(plan.poc.datum_lon, plan.poc.datum_lat, assets)
    after = "" if update is None else "\n" + _with_earlier(plan, update)
    return (plan.table() + after + "\n" + who + "\nwrote "
            + ", ".join(str(path) for path in files.values()))


def _unconditional(pos: Sequence[float]) -> list[float]:
    """Each search's POS as a share of the original probability: the POS given the earlier
    searches failed, times the chance that they all failed."""
    left, out = 1.0, []
    for value in pos:
        out.append(value * left)
        left *= 1.0 - value
    return out


def _of_original(plan: SearchPlan, earlier: float) -> float:
    """The plan's POS as a share of the original probability: of the probability afloat, of
    what the earlier searches (cumulative POS ``earlier``) left."""
    return plan.total_pos * plan.poc.sea_weight * (1.0 - earlier)


def _with_earlier(plan: SearchPlan, update: UpdateRun) -> str:
    earlier = update.update.cumulative_pos
    of_original = _of_original(plan, earlier)
    return (f"with the earlier searches (cumulative POS {earlier:.3f}): this plan's POS "
            f"{plan.total_pos:.3f} is of the probability afloat ({plan.poc.sea_weight:.1%}) of "
            f"the {1.0 - earlier:.3f} they left: {of_original:.3f} of the original; cumulative "
            f"POS with this plan {earlier + of_original:.3f}")


def update_text(update: UpdateRun) -> str:
    """What ``sarkit update`` prints before the next plan: each search's POD and POS, and
    their cumulative POS."""
    pos = update.update.pos
    lines = [f"searched: {asset}: POD {pod:.2f}, POS {value:.3f} of the original probability"
             + (f" ({conditional:.3f} of what the searches before it left)"
                if abs(conditional - value) > 5e-4 else "")
             for (asset, pod), value, conditional in zip(update.searched, _unconditional(pos),
                                                         pos, strict=True)]
    lines.append(f"cumulative POS of the searches: {update.update.cumulative_pos:.3f}; the "
                 "next plan searches the updated probabilities")
    lines += [f"asset {item.note}" for item in update.assets]
    return "\n".join(lines)


def forcing_summary(report: FileReport) -> dict:
    """The JSON summary of one forcing report (``sarkit forcing info --json``)."""
    return {
        "file": report.label,
        "usable": report.usable,
        "problems": list(report.problems),
        "fields": [
            {
                "quantity": f.quantity.value,
                "variables": list(f.components),
                "usable": f.usable,
                "details": list(f.lines),
                "problems": list(f.problems),
            }
            for f in report.fields
        ],
    }


def object_summary(item: ObjectClass) -> dict:
    """The JSON summary of a leeway class (``sarkit objects --json``), SI units."""
    multiplier, divergence = item.iamsar_multiplier_and_divergence()
    return {
        "id": item.id,
        "index": item.index,
        "name": item.name,
        "depth": item.depth,
        "downwind_slope": item.downwind_slope,
        "downwind_offset_m_s": item.downwind_offset,
        "downwind_std_m_s": item.downwind_std,
        "right_slope": item.right_slope,
        "right_offset_m_s": item.right_offset,
        "right_std_m_s": item.right_std,
        "left_slope": item.left_slope,
        "left_offset_m_s": item.left_offset,
        "left_std_m_s": item.left_std,
        "iamsar_multiplier": multiplier,
        "divergence_deg": divergence,
    }


def _percent(fraction: float) -> str:
    """A slope as % with 2 to 4 decimals, as many as the table gives."""
    text = f"{fraction * 100:.4f}".rstrip("0")
    return text + "0" * (2 - len(text.split(".")[1]))


def objects_table(classes: Sequence[ObjectClass]) -> str:
    """What ``sarkit objects`` prints: id, slopes in % of the 10 m wind, divergence, name."""
    rows = [
        ("ID", "DOWNWIND", "RIGHT", "LEFT", "DIVERGENCE", "NAME (indented: sub-class)"),
        ("", "% of U10", "% of U10", "% of U10", "deg", ""),
    ]
    for item in classes:
        rows.append((
            item.id,
            _percent(item.downwind_slope),
            _percent(item.right_slope),
            _percent(item.left_slope),
            f"{item.iamsar_multiplier_and_divergence()[1]:.1f}",
            "  " * item.depth + " ".join(item.name.split()),
        ))  # fmt: skip
    widths = [max(len(row[col]) for row in rows) for col in range(5)]
    lines = [
        "  ".join([row[0].ljust(widths[0])] + [row[c].rjust(widths[c]) for c in range(1, 5)])
        + "  " + row[5]
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines)
