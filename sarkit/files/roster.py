"""Rosters: the assets on hand, from a TOML or CSV file or a plan's ``[[asset]]`` tables.

TOML: one ``[[asset]]`` table per asset::

    [[asset]]
    name = "KN SAR Kresna 232"
    type = "kn-sar-class-2"          # id or words of a catalogue type
    centre = "kantor-sar-banda-aceh"  # or: base = [95.29, 5.58]  (lon, lat)
    ready = 2024-03-20T06:00:00Z      # or a string "2024-03-20T06:00Z"; UTC unless zoned
    search_speed_kt = 10              # optional: cruise_speed_kt, endurance_h,
                                      #   search_height_ft likewise
    turnaround_h = 2                  # optional: hours at base between sorties
    night_sensor = "FLIR"             # optional, both or neither: searches in the dark
    night_sweep_width_nm = 1.2        #   with this sweep width (the operator's figure)

CSV: a header row with the same keys, ``base_lon`` and ``base_lat`` in place of ``base``;
empty cells are absent; lines starting with ``#`` are comments.

The types and centres are looked up in the catalogues of :mod:`sarkit.planning.assets`; every
key is checked by :mod:`sarkit.files.checked`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from sarkit.errors import BadValueError, SarkitError
from sarkit.files.checked import KeyHelp, Table, read_csv, read_toml
from sarkit.planning.assets import (
    FIGURE_MAXIMA,
    FIGURES,
    MAX_NIGHT_SWEEP_WIDTH_NM,
    MAX_TURNAROUND_H,
    TURNAROUND_H,
    Asset,
    asset_type,
    rescue_centre,
)

__all__ = ["CSV_KEYS", "KEY_HELP", "TOML_KEYS", "asset_from_table", "assets_from_tables",
           "assets_of", "load_roster"]

EXTRA_KEYS = ("turnaround_h", "night_sensor", "night_sweep_width_nm")
"""Optional keys beyond the figures: turnaround and night sensor (:class:`Asset`)."""
TOML_KEYS = ("name", "type", "centre", "base", "ready", *FIGURES, *EXTRA_KEYS)
CSV_KEYS = ("name", "type", "centre", "base_lon", "base_lat", "ready", *FIGURES, *EXTRA_KEYS)


def load_roster(path: str | os.PathLike) -> tuple[Asset, ...]:
    """Read the assets on hand from a TOML or CSV roster (the format in the module docstring).

    Parameters
    ----------
    path : str or path-like
        A ``.toml`` or ``.csv`` file.

    Returns
    -------
    tuple of Asset
        In file order.

    Raises
    ------
    BadValueError
        Naming the file, the asset and the key, for an unknown key (with the closest known
        one), a missing or wrongly typed value, a duplicate name or an unreadable file.
    UnknownCentreError, UnknownAssetTypeError
        If a centre or type matches nothing in the catalogues.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".csv"):
        raise BadValueError(
            f"roster {path} is neither .toml nor .csv", "give a roster file ending in .toml or .csv"
        )
    if suffix == ".toml":
        top = Table(read_toml(path, BadValueError, "roster"), BadValueError, path)
        top.only(("asset",))
        tables = top.tables("asset", label=_asset_label)
    else:
        tables = read_csv(path, BadValueError, "roster", allowed=CSV_KEYS, label=_row_label)
    if not tables:
        raise BadValueError("the roster lists no assets",
                            "add an [[asset]] table (TOML) or a row (CSV)", source=path)
    return assets_from_tables(tables)


def assets_of(top: Table, base: Path, what: str) -> tuple[Asset, ...]:
    """The assets a plan or case file names: its ``roster`` file or its ``[[asset]]`` tables.

    ``what`` (``"the plan"``) names the file in messages; ``base`` is the folder a relative
    roster path is relative to.
    """
    if top.has("roster") == top.has("asset"):
        raise top.fail(None, f"{what} has no assets" if not top.has("roster") else
                       f"{what} gives both `roster` and [[asset]] tables",
                       'give roster = "assets.toml" (TOML or CSV) or [[asset]] tables, one of '
                       "them")
    name = top.text("roster", '"assets.toml"', required=False)
    if name is not None:
        return load_roster(base / name)
    tables = top.tables("asset", label=_asset_label)
    if not tables:
        raise top.fail(None, f"{what} lists no assets", "add an [[asset]] table")
    return assets_from_tables(tables)


def assets_from_tables(tables: Sequence[Table]) -> tuple[Asset, ...]:
    """One asset per table (:func:`asset_from_table`), their names unique."""
    assets = tuple(asset_from_table(table) for table in tables)
    seen: set[str] = set()
    for item in assets:
        if item.name in seen:
            raise tables[0].fail(None, f"two assets are named {item.name!r}",
                                 "give each asset its own name")
        seen.add(item.name)
    return assets


def asset_from_table(table: Table) -> Asset:
    """One asset from an ``[[asset]]`` table or a CSV row, every key checked.

    Raises
    ------
    SarkitError
        The table's error class for a bad key; the catalogue's (``UnknownCentreError`` ...)
        and :class:`~sarkit.errors.BadValueError` from :class:`Asset`, naming the asset.
    """
    table.only(CSV_KEYS if table.text_cells else TOML_KEYS)
    name = table.text("name", '"KN SAR Kresna 232"')
    kind = table.text("type", '"kn-sar-class-2"')
    centre = table.text("centre", '"kantor-sar-banda-aceh"', required=False)
    ready = table.time("ready")
    figures = {key: table.number(key, "10", low=0.0, above=True, high=FIGURE_MAXIMA[key])
               for key in FIGURES if table.has(key)}
    if table.has("turnaround_h"):
        figures["turnaround_h"] = table.number("turnaround_h", "2", low=0.0,
                                               high=MAX_TURNAROUND_H)
    if table.has("night_sweep_width_nm"):
        figures["night_sweep_width_nm"] = table.number(
            "night_sweep_width_nm", "1.2", low=0.0, above=True, high=MAX_NIGHT_SWEEP_WIDTH_NM)
    night_sensor = table.text("night_sensor", '"FLIR"', required=False)
    if table.text_cells:
        base = None
        if table.has("base_lon") or table.has("base_lat"):
            if not (table.has("base_lon") and table.has("base_lat")):
                raise table.fail(table.path, "give both base_lon and base_lat, or neither",
                                 "fill in both cells")
            base = (table.number("base_lon", "95.29"), table.number("base_lat", "5.58"))
    else:
        base = table.pair("base", "[95.29, 5.58]", lon_lat=False, required=False)
    try:
        return Asset(
            name=name,  # type: ignore[arg-type]
            type=asset_type(kind),  # type: ignore[arg-type]
            ready=ready,  # type: ignore[arg-type]
            centre=rescue_centre(centre) if centre is not None else None,
            base=base,  # type: ignore[arg-type]
            night_sensor=night_sensor,
            **figures,  # type: ignore[arg-type]
        )
    except SarkitError as exc:
        raise type(exc)(f"{table.path}: {exc.problem}", exc.fix, source=table.source) from exc


def _asset_label(index: int, table: dict) -> str:
    return f"asset {index + 1}" + (f" ({table['name']!r})" if "name" in table else "")


def _row_label(number: int, cells: dict) -> str:
    return f"row {number}" + (f" ({cells['name']!r})" if "name" in cells else "")


# --------------------------------------------------------------------------- key reference

_FIGURE = "the type's figure from sarkit/tables/asset_types.csv"
KEY_HELP: dict[str, KeyHelp] = {
    "asset": KeyHelp("one table per asset on hand", default="required"),
    "asset.name": KeyHelp("the asset's name in the plan, unique in the roster"),
    "asset.type": KeyHelp("its type: an id or words of a type in sarkit/tables/asset_types.csv"),
    "asset.centre": KeyHelp("its rescue centre, whose position is its base: an id or words of a "
                            "centre in sarkit/tables/rcc.csv; exactly one of `centre` and "
                            "`base`", default="required, or `base`"),
    "asset.base": KeyHelp("its base as [lon, lat], instead of `centre`", unit="degrees",
                          default="required, or `centre`"),
    "asset.base_lon": KeyHelp("longitude of its base (CSV), with `base_lat`, instead of "
                              "`centre`", unit="degrees east", default="required, or `centre`"),
    "asset.base_lat": KeyHelp("latitude of its base (CSV), with `base_lon`", unit="degrees north",
                              default="required, or `centre`"),
    "asset.ready": KeyHelp("when it can leave its base, UTC unless zoned"),
    "asset.cruise_speed_kt": KeyHelp("speed on transit", unit="kt", default=_FIGURE),
    "asset.search_speed_kt": KeyHelp("speed while searching", unit="kt", default=_FIGURE),
    "asset.endurance_h": KeyHelp("time it can stay out, transits included", unit="h",
                                 default=_FIGURE),
    "asset.search_height_ft": KeyHelp("eye height of a vessel's observers, altitude of an "
                                      "aircraft", unit="ft", default=_FIGURE),
    "asset.turnaround_h": KeyHelp("hours at base between sorties", unit="h",
                                  default="by platform: " + ", ".join(
                                      f"{k.replace('_', ' ')} {v:g}"
                                      for k, v in TURNAROUND_H.items())),
    "asset.night_sensor": KeyHelp("the sensor it searches with in the dark (`FLIR`, `radar`); "
                                  "with `night_sweep_width_nm`", default="none: daylight only"),
    "asset.night_sweep_width_nm": KeyHelp("its sweep width with that sensor for the object "
                                          "searched for (the operator's figure); with "
                                          "`night_sensor`", unit="NM", default="none"),
}
"""What each key of a roster means (``base_lon`` and ``base_lat``: CSV only): the reference page
(:mod:`sarkit.files.reference`) joins it to what the reader above checks."""
