"""Sweep width, coverage, probability of detection and probability of success.

The IAMSAR Manual Vol. II manual-method chain, with the sweep-width and correction tables of
USCG COMDTINST M16130.2F and AMSA NATSAR 2023 Appendix D-5 (see
``sarkit/tables/sweep_widths/README.md``):

* :func:`uncorrected_sweep_width_nm` — :math:`W_0` from the packaged tables by search object,
  platform, height and meteorological visibility;
* :func:`weather_factor`, :func:`speed_factor`, :func:`fatigue_factor` — :math:`f_w`, :math:`f_v`,
  :math:`f_f`; :func:`corrected_sweep_width` gives :math:`W = W_0 f_w f_v f_f` with the factors
  used;
* :func:`coverage`, :func:`coverage_from_effort`, :func:`effort_nm2`, :func:`track_spacing_nm`;
* :func:`pod_exponential` (random search, :math:`1 - e^{-C}`) and :func:`pod_visual` (the
  inverse-cube law of a visual parallel sweep, :math:`\\operatorname{erf}(\\sqrt\\pi C / 2)`);
* :func:`pos` (POC × POD), :func:`cumulative_pod` and :func:`cumulative_pos`.

Rules that are sarkit choices, not source facts:

* **Visibility** is interpolated linearly between table columns. Below the smallest tabulated
  visibility the look-up is refused: the sweep width there is smaller than the smallest table
  value, so using that value would overstate POD. Above the largest column the last value is
  used (clamped): widths grow with visibility and the tables saturate (NATSAR labels its last
  column "more than"), so clamping can only understate the width, which is the safe side.
* **Search speed** is treated the same way in the opposite direction: the factor falls with
  speed, so below the slowest tabulated speed the slowest factor is used (safe side), and a
  speed above the fastest is refused.
* **Weather class** of a length range (NATSAR's "Power boat 8-12 m", "Boat < 12 m"): a class
  whose length range reaches the "small" limit counts as small, the smaller (safe) factor.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import erf

from sarkit.errors import BadValueError, SarkitError

__all__ = [
    "KM_PER_NM",
    "SOURCES",
    "SweepWidth",
    "UnknownSweepWidthError",
    "available_heights_ft",
    "available_objects",
    "corrected_sweep_width",
    "corrected_sweep_width_nm",
    "coverage",
    "coverage_from_effort",
    "cumulative_pod",
    "cumulative_pos",
    "effort_nm2",
    "fatigue_factor",
    "object_label",
    "pod",
    "pod_exponential",
    "pod_visual",
    "pos",
    "speed_factor",
    "track_spacing_nm",
    "uncorrected_sweep_width_nm",
    "weather_factor",
    "weather_object_class",
]

KM_PER_NM = 1.852
"""Kilometres per nautical mile (exact)."""

SOURCES = ("uscg", "natsar2023")
"""Table sets: USCG tables in IAMSAR layout (NM) and AMSA NATSAR 2023 (visibility in km)."""

FATIGUE_FACTOR = 0.9
"""Sweep-width factor for an excessively fatigued crew (US National SAR Manual Vol. I, App. D)."""

_TABLE_DIR = "tables/sweep_widths"
_PLATFORM_ALIASES = {
    "fixed_wing": "fixed_wing",
    "fixedwing": "fixed_wing",
    "aircraft": "fixed_wing",
    "aeroplane": "fixed_wing",
    "airplane": "fixed_wing",
    "plane": "fixed_wing",
    "helicopter": "helicopter",
    "helo": "helicopter",
    "vessel": "vessel",
    "boat": "vessel",
    "surface_vessel": "vessel",
    "merchant_ship_bridge": "merchant_ship_bridge",
    "merchant_ship": "merchant_ship_bridge",
    "merchant_vessel": "merchant_ship_bridge",
}
_OBJECT_ALIASES = {"piw": "person_in_water", "person": "person_in_water"}
_SPEED_FILES = {
    "fixed_wing": "correction_speed_fixed_wing.csv",
    "helicopter": "correction_speed_helicopter.csv",
}
_FT_PER_M = 1.0 / 0.3048


class UnknownSweepWidthError(SarkitError, LookupError):
    """No sweep-width table (or correction row) for this object, platform or height."""


@dataclass(frozen=True)
class _Table:
    """One sweep-width table: ``(source, platform, height_ft)`` with its rows per object."""

    source: str
    platform: str
    height_ft: int | None
    file: str
    labels: Mapping[str, str]
    visibility_nm: Mapping[str, tuple[float, ...]]
    width_nm: Mapping[str, tuple[float, ...]]


@dataclass(frozen=True)
class SweepWidth:
    """A corrected sweep width with the factors that made it.

    Attributes
    ----------
    search_object : str
        Table key of the search object (``"raft_4p"``).
    platform : str
        ``"fixed_wing"``, ``"helicopter"``, ``"vessel"`` or ``"merchant_ship_bridge"``.
    height_ft : int or None
        Search altitude (aircraft) or eye height (vessel), ft; None for tables without one.
    visibility_nm : float
        Meteorological visibility asked for (NM).
    source : str
        Table set, one of :data:`SOURCES`.
    uncorrected_nm : float
        :math:`W_0` (NM).
    weather_factor, speed_factor, fatigue_factor : float
        :math:`f_w`, :math:`f_v`, :math:`f_f`.
    """

    search_object: str
    platform: str
    height_ft: int | None
    visibility_nm: float
    source: str
    uncorrected_nm: float
    weather_factor: float
    speed_factor: float
    fatigue_factor: float

    @property
    def corrected_nm(self) -> float:
        """:math:`W = W_0 f_w f_v f_f` (NM)."""
        return self.uncorrected_nm * self.weather_factor * self.speed_factor * self.fatigue_factor


# --- tables ---------------------------------------------------------------------------------


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("sarkit").joinpath(_TABLE_DIR, name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def _tables() -> dict[tuple[str, str, int | None], _Table]:
    """Every sweep-width table in the package, keyed by (source, platform, height_ft)."""
    names = sorted(
        item.name
        for item in resources.files("sarkit").joinpath(_TABLE_DIR).iterdir()
        if item.name.endswith(".csv") and not item.name.startswith("correction_")
    )
    tables: dict[tuple[str, str, int | None], _Table] = {}
    for name in names:
        table = _parse_table(name, _read_csv(name))
        tables[table.source, table.platform, table.height_ft] = table
    return tables


def _parse_table(name: str, rows: list[dict[str, str]]) -> _Table:
    source = "natsar2023" if name.startswith("natsar2023") else "uscg"
    height = rows[0].get("altitude_ft") or rows[0].get("eye_height_ft") or None
    labels: dict[str, str] = {}
    points: dict[str, list[tuple[float, float]]] = {}
    for row in rows:
        key = row["search_object"]
        labels[key] = row["object_label"]
        if "visibility_nm" in row:
            vis = float(row["visibility_nm"])
        else:
            vis = float(row["visibility_km"]) / KM_PER_NM
        points.setdefault(key, []).append((vis, float(row["uncorrected_sweep_width_nm"])))
    for values in points.values():
        values.sort()
    return _Table(
        source=source,
        platform=rows[0]["platform"],
        height_ft=None if height is None else int(height),
        file=name,
        labels=labels,
        visibility_nm={k: tuple(v for v, _ in p) for k, p in points.items()},
        width_nm={k: tuple(w for _, w in p) for k, p in points.items()},
    )


@cache
def _speed_table(platform: str) -> dict[str, tuple[tuple[float, ...], tuple[float, ...]]]:
    points: dict[str, list[tuple[float, float]]] = {}
    for row in _read_csv(_SPEED_FILES[platform]):
        speed, factor = float(row["search_speed_kt"]), float(row["speed_factor_fv"])
        points.setdefault(row["search_object"], []).append((speed, factor))
    return {
        key: (tuple(s for s, _ in sorted(p)), tuple(f for _, f in sorted(p)))
        for key, p in points.items()
    }


@cache
def _weather_rows() -> tuple[dict[str, str], ...]:
    return tuple(_read_csv("correction_weather.csv"))


@cache
def _all_labels() -> dict[str, str]:
    """Every search-object key in every table, with a label."""
    labels: dict[str, str] = {}
    for table in _tables().values():
        for key, label in table.labels.items():
            labels.setdefault(key, label)
    return labels


# --- names --------------------------------------------------------------------------------


def _canonical(text: str) -> str:
    """A spelling-free form: "Life raft, 4 persons" and "raft_4p" both give ``raft4p``."""
    text = text.lower().replace("_", " ")
    for symbol, word in (("<=", " le "), (">=", " ge "), ("<", " lt "), (">", " gt ")):
        text = text.replace(symbol, word)
    text = re.sub(r"\b(feet|foot)\b", "ft", text)
    text = re.sub(r"\b(metres|meters|metre|meter)\b", "m", text)
    text = re.sub(r"(\d)\s*(persons|person|people|pers|man|pax)\b", r"\1p", text)
    text = re.sub(r"\blife\s*raft", "raft", text)
    text = re.sub(r"\b(motor|power)\s*boat", "powerboat", text)
    text = re.sub(r"\bsail\s*boat|\bsailboat|\byacht", "sailboat", text)
    text = re.sub(r"\b(\d+(?:\.\d+)?)\s*(?:-|to)\s*(\d)", r"\1to\2", text)
    return "".join(re.findall(r"[a-z0-9.]+", text))


def _without_comparators(text: str) -> str:
    return re.sub(r"(le|ge|lt|gt)(?=\d)", "", text)


def _spellings(key: str, label: str) -> set[str]:
    """Canonical spellings of one table row: key, label, label by its metric size."""
    plain = re.sub(r"\([^)]*\)", " ", label)
    names = {_canonical(key), _canonical(plain)}
    metric = re.match(r"(.*?)([<>]=?\s*)?[\d.]+\s*ft\s*\(([\d.]+\s*m)\)", label)
    if metric:
        names.add(_canonical(f"{metric[1]}{metric[2] or ''}{metric[3]}"))
    return names


def _resolve_object(name: str, labels: Mapping[str, str]) -> str | None:
    """The key in ``labels`` that ``name`` spells, or None (also when several match)."""
    if name in labels:
        return name
    text = _OBJECT_ALIASES.get(name.strip().lower(), name)
    query = _spellings(text, text)
    spellings = {key: _spellings(key, label) for key, label in labels.items()}
    hits = [key for key, names in spellings.items() if query & names]
    if len(hits) == 1:
        return hits[0]
    loose = {_without_comparators(n) for n in query}
    hits = [
        key for key, names in spellings.items() if loose & {_without_comparators(n) for n in names}
    ]
    return hits[0] if len(hits) == 1 else None


def _options(labels: Mapping[str, str]) -> str:
    return "; ".join(f"{key} ({label})" for key, label in labels.items())


def _platform(platform: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", platform.strip().lower()).strip("_")
    if key in _PLATFORM_ALIASES:
        return _PLATFORM_ALIASES[key]
    raise UnknownSweepWidthError(
        f"unknown search platform {platform!r}",
        "use one of: fixed_wing, helicopter, vessel, merchant_ship_bridge",
    )


def _source(source: str) -> str:
    if source not in SOURCES:
        raise UnknownSweepWidthError(
            f"unknown sweep-width table set {source!r}", f"use one of: {', '.join(SOURCES)}"
        )
    return source


def available_heights_ft(platform: str, source: str = "uscg") -> tuple[int | None, ...]:
    """Heights (altitude or eye height, ft) tabulated for ``platform`` in ``source``."""
    plat, src = _platform(platform), _source(source)
    heights = [h for (s, p, h) in _tables() if s == src and p == plat]
    return tuple(sorted(heights, key=lambda h: -1 if h is None else h))


def _table(platform: str, height_ft: float | None, source: str) -> _Table:
    plat, src = _platform(platform), _source(source)
    heights = available_heights_ft(plat, src)
    if not heights:
        others = sorted({s for (s, p, _) in _tables() if p == plat})
        raise UnknownSweepWidthError(
            f"the {src} tables have no sweep widths for platform {plat!r}",
            f"use source={others[0]!r}" if others else "choose another platform",
        )
    height = None if height_ft is None else float(height_ft)
    for candidate in heights:
        if candidate == height:
            return _tables()[src, plat, candidate]
    listed = ", ".join("none (leave height_ft=None)" if h is None else f"{h} ft" for h in heights)
    raise UnknownSweepWidthError(
        f"no {src} sweep-width table for a {plat} at height {height_ft} ft",
        f"heights are not interpolated; use one of: {listed}",
    )


def available_objects(
    platform: str, height_ft: float | None, source: str = "uscg"
) -> dict[str, str]:
    """Search-object keys and labels of one table (``{"raft_4p": "Raft, 4 persons", ...}``)."""
    return dict(_table(platform, height_ft, source).labels)


def object_label(search_object: str) -> str:
    """The name a person reads for a search object: the tables' label.

    Parameters
    ----------
    search_object : str
        A key or any spelling the tables know (``"power_boat_33ft"``, ``"raft 4 persons"``).

    Returns
    -------
    str
        The tables' label (``"Power boat 33 ft (10 m)"``), or ``search_object`` unchanged where
        no table knows it (a label is for reading, never a check).
    """
    labels = _all_labels()
    key = _resolve_object(str(search_object), labels)
    return str(search_object) if key is None else labels[key]


# --- sweep width ----------------------------------------------------------------------------


def uncorrected_sweep_width_nm(
    search_object: str,
    platform: str,
    height_ft: float | None,
    visibility_nm: float,
    *,
    source: str = "uscg",
) -> float:
    """Uncorrected sweep width :math:`W_0` (NM) from the tables.

    USCG COMDTINST M16130.2F (``source="uscg"``) or AMSA NATSAR 2023 Appendix D-5.

    Parameters
    ----------
    search_object : str
        A table key (``"raft_4p"``) or a label-like name: ``"Raft, 4 persons"``,
        ``"life raft 4 persons"``, ``"PIW"``, ``"power boat 33 ft"``, ``"power boat 10 m"``.
    platform : str
        ``"fixed_wing"`` (or ``"aircraft"``), ``"helicopter"``, ``"vessel"`` or
        ``"merchant_ship_bridge"`` (NATSAR only).
    height_ft : float or None
        Search altitude (aircraft) or observer eye height (vessel), ft; an exact table height
        (not interpolated). None for the merchant-ship bridge table.
    visibility_nm : float
        Meteorological visibility (NM). Interpolated linearly between columns, refused below
        the smallest column, clamped to the largest (see the module notes).
    source : {"uscg", "natsar2023"}
        Table set. NATSAR visibilities (km) are converted at 1.852 km/NM.

    Returns
    -------
    float
        :math:`W_0` in NM.

    Raises
    ------
    UnknownSweepWidthError
        Unknown platform, height or search object; the message lists what the table holds.
    BadValueError
        Visibility not finite or below the smallest tabulated value.
    """
    table = _table(platform, height_ft, source)
    key = _resolve_object(search_object, table.labels)
    if key is None:
        height = "" if table.height_ft is None else f" at {table.height_ft} ft"
        raise UnknownSweepWidthError(
            f"no sweep width for search object {search_object!r} from a {table.platform}"
            f"{height} in the {table.source} tables ({table.file})",
            f"use one of: {_options(table.labels)}",
        )
    vis, widths = table.visibility_nm[key], table.width_nm[key]
    value = float(visibility_nm)
    if not math.isfinite(value) or value < vis[0] - 1e-9:
        raise BadValueError(
            f"visibility {visibility_nm} NM is below the smallest tabulated visibility "
            f"{vis[0]:.3g} NM for {key} from a {table.platform}",
            "sweep widths are not extrapolated to poorer visibility (that would overstate "
            f"POD); use a visibility of at least {vis[0]:.3g} NM or a measured sweep width",
        )
    return float(np.interp(value, vis, widths))


def weather_object_class(search_object: str, scheme: str = "iamsar") -> str:
    """``"small"`` or ``"large"``: the object class of the weather correction.

    IAMSAR: PIW, rafts, power boats <= 20 ft and sail boats <= 25 ft are small. NATSAR 2023
    (Table D-5:4): PIW, rafts and boats < 10 m are small. A length range that reaches below
    the limit counts as small (the smaller, safe factor). Ships are large.
    """
    key = _resolve_object(search_object, _all_labels())
    if key is None:
        raise UnknownSweepWidthError(
            f"unknown search object {search_object!r} for the weather correction",
            f"use one of: {_options(_all_labels())}",
        )
    if key == "person_in_water" or key.startswith("raft"):
        return "small"
    if key.startswith("ship"):
        return "large"
    low_m = _lowest_length_m(key)
    if scheme == "natsar2023":
        return "small" if low_m < 10.0 - 1e-9 else "large"
    limit_ft = 25.0 if key.startswith("sail") else 20.0
    return "small" if low_m * _FT_PER_M <= limit_ft + 1e-9 else "large"


def _lowest_length_m(key: str) -> float:
    """Smallest length (m) of a boat class key (``power_boat_8to12m`` -> 8, ``boat_lt7m`` -> 0)."""
    match = re.search(r"_(le|lt|ge|gt)?(\d+(?:\.\d+)?)(?:to\d+)?(ft|m)$", key)
    if match is None:
        raise UnknownSweepWidthError(
            f"cannot tell the length of search object {key!r} for the weather correction",
            "give object_class='small' or 'large'",
        )
    if match[1] in ("le", "lt"):
        return 0.0
    value = float(match[2])
    return value / _FT_PER_M if match[3] == "ft" else value


def _band(value: float, rows: list[dict[str, str]], upper: str, what: str) -> int:
    if not math.isfinite(value) or value < 0:
        raise BadValueError(f"{what} must be a number >= 0, got {value}")
    for row in sorted(rows, key=lambda r: int(r["band"])):
        if row[upper] == "" or value <= float(row[upper]):
            return int(row["band"])
    raise AssertionError("the last weather band is unbounded")


def weather_factor(
    search_object: str,
    *,
    wind_kt: float,
    seas_m: float,
    scheme: str = "iamsar",
    object_class: str | None = None,
) -> float:
    """Weather factor :math:`f_w` (IAMSAR; NATSAR 2023 Table D-5:4; ``correction_weather.csv``).

    The worse of the wind band and the sea band is used ("winds ... or seas ..."); a value on a
    band edge belongs to the calmer band (15 kt is band 1).

    Parameters
    ----------
    search_object : str
        Search object (see :func:`uncorrected_sweep_width_nm`); sets the small/large class.
    wind_kt, seas_m : float
        Wind speed (kt) and sea height (m) on scene.
    scheme : {"iamsar", "natsar2023"}
        Which factor set.
    object_class : {"small", "large"}, optional
        Overrides the class derived from ``search_object``.
    """
    if scheme not in ("iamsar", "natsar2023"):
        raise UnknownSweepWidthError(
            f"unknown weather-correction scheme {scheme!r}", "use 'iamsar' or 'natsar2023'"
        )
    cls = object_class or weather_object_class(search_object, scheme)
    if cls not in ("small", "large"):
        raise BadValueError(f"object_class must be 'small' or 'large', got {cls!r}")
    rows = [r for r in _weather_rows() if r["scheme"] == scheme and r["object_class"] == cls]
    band = max(
        _band(float(wind_kt), rows, "wind_kt_upper", "wind_kt"),
        _band(float(seas_m), rows, "seas_m_upper", "seas_m"),
    )
    return next(float(r["weather_factor_fw"]) for r in rows if int(r["band"]) == band)


def fatigue_factor(fatigued: bool) -> float:
    """Fatigue factor :math:`f_f`: 0.9 for an excessively fatigued crew, else 1.0 (JP 3-50)."""
    return FATIGUE_FACTOR if fatigued else 1.0


def speed_factor(search_object: str, platform: str, search_speed_kt: float | None) -> float:
    """Search-speed factor :math:`f_v` for aircraft (USCG COMDTINST M16130.2F).

    Interpolated linearly between tabulated speeds; below the slowest the slowest factor is
    used, above the fastest the speed is refused (see the module notes). Surface platforms and
    ``search_speed_kt=None`` give 1.0 (the tables have no speed correction for vessels).

    Raises
    ------
    UnknownSweepWidthError
        The object has no row in the platform's speed table.
    BadValueError
        Speed not positive or above the fastest tabulated speed.
    """
    plat = _platform(platform)
    if plat not in _SPEED_FILES or search_speed_kt is None:
        return 1.0
    table = _speed_table(plat)
    labels = {key: _all_labels().get(key, key) for key in table}
    key = _resolve_object(search_object, labels)
    if key is None:
        raise UnknownSweepWidthError(
            f"no {plat} search-speed factor for search object {search_object!r}",
            f"use one of: {_options(labels)}, or leave search_speed_kt=None (factor 1.0)",
        )
    speeds, factors = table[key]
    speed = float(search_speed_kt)
    if not math.isfinite(speed) or speed <= 0 or speed > speeds[-1] + 1e-9:
        raise BadValueError(
            f"search speed {search_speed_kt} kt is outside the {plat} speed table "
            f"(up to {speeds[-1]:g} kt)",
            f"use a speed in (0, {speeds[-1]:g}] kt; faster speeds are not extrapolated",
        )
    return float(np.interp(speed, speeds, factors))


def corrected_sweep_width(
    search_object: str,
    platform: str,
    height_ft: float | None,
    visibility_nm: float,
    *,
    wind_kt: float = 0.0,
    seas_m: float = 0.0,
    search_speed_kt: float | None = None,
    fatigued: bool = False,
    source: str = "uscg",
    weather_scheme: str | None = None,
) -> SweepWidth:
    """Corrected sweep width :math:`W = W_0 f_w f_v f_f` with the factors used (IAMSAR Vol. II).

    ``weather_scheme`` defaults to ``"iamsar"`` for ``source="uscg"`` and to ``"natsar2023"``
    for NATSAR tables. Other parameters as in :func:`uncorrected_sweep_width_nm`,
    :func:`weather_factor`, :func:`speed_factor` and :func:`fatigue_factor`.
    """
    table = _table(platform, height_ft, source)
    w0 = uncorrected_sweep_width_nm(
        search_object, platform, height_ft, visibility_nm, source=source
    )
    key = _resolve_object(search_object, table.labels) or search_object
    scheme = weather_scheme or ("iamsar" if table.source == "uscg" else "natsar2023")
    return SweepWidth(
        search_object=key,
        platform=table.platform,
        height_ft=table.height_ft,
        visibility_nm=float(visibility_nm),
        source=table.source,
        uncorrected_nm=w0,
        weather_factor=weather_factor(key, wind_kt=wind_kt, seas_m=seas_m, scheme=scheme),
        speed_factor=speed_factor(key, table.platform, search_speed_kt),
        fatigue_factor=fatigue_factor(fatigued),
    )


def corrected_sweep_width_nm(
    search_object: str,
    platform: str,
    height_ft: float | None,
    visibility_nm: float,
    *,
    wind_kt: float = 0.0,
    seas_m: float = 0.0,
    search_speed_kt: float | None = None,
    fatigued: bool = False,
    source: str = "uscg",
    weather_scheme: str | None = None,
) -> float:
    """:attr:`SweepWidth.corrected_nm` of :func:`corrected_sweep_width` (same arguments)."""
    return corrected_sweep_width(
        search_object,
        platform,
        height_ft,
        visibility_nm,
        wind_kt=wind_kt,
        seas_m=seas_m,
        search_speed_kt=search_speed_kt,
        fatigued=fatigued,
        source=source,
        weather_scheme=weather_scheme,
    ).corrected_nm


# --- coverage and POD -------------------------------------------------------------------------


def _nonneg(value: ArrayLike, name: str) -> NDArray[np.float64]:
    array = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise BadValueError(f"{name} must be finite and >= 0, got {value!r}")
    return array


def _positive(value: ArrayLike, name: str) -> NDArray[np.float64]:
    array = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(array)) or np.any(array <= 0):
        raise BadValueError(f"{name} must be finite and > 0, got {value!r}")
    return array


def _probability(value: ArrayLike, name: str) -> NDArray[np.float64]:
    array = _nonneg(value, name)
    if np.any(array > 1):
        raise BadValueError(f"{name} must lie in [0, 1], got {value!r}")
    return array


def _out(array: NDArray[np.float64]) -> float | NDArray[np.float64]:
    return float(array) if array.ndim == 0 else array


def coverage(sweep_width_nm: ArrayLike, track_spacing_nm: ArrayLike) -> float | NDArray:
    """Coverage of parallel tracks :math:`C = W / S` (IAMSAR Vol. II)."""
    w = _nonneg(sweep_width_nm, "sweep_width_nm")
    return _out(w / _positive(track_spacing_nm, "track_spacing_nm"))


def track_spacing_nm(sweep_width_nm: ArrayLike, coverage: ArrayLike) -> float | NDArray:
    """Track spacing :math:`S = W / C` (NM) for a wanted coverage (IAMSAR Vol. II)."""
    w = _positive(sweep_width_nm, "sweep_width_nm")
    return _out(w / _positive(coverage, "coverage"))


def effort_nm2(sweep_width_nm: ArrayLike, speed_kt: ArrayLike, hours: ArrayLike) -> float | NDArray:
    """Effort (area swept) :math:`Z = W V T` in NM² (IAMSAR Vol. II)."""
    w = _nonneg(sweep_width_nm, "sweep_width_nm")
    return _out(w * _nonneg(speed_kt, "speed_kt") * _nonneg(hours, "hours"))


def coverage_from_effort(
    sweep_width_nm: ArrayLike, track_length_nm: ArrayLike, area_nm2: ArrayLike
) -> float | NDArray:
    """Coverage :math:`C = Z / A` with effort :math:`Z = W L` (IAMSAR Vol. II)."""
    z = _nonneg(sweep_width_nm, "sweep_width_nm") * _nonneg(track_length_nm, "track_length_nm")
    return _out(z / _positive(area_nm2, "area_nm2"))


def pod_exponential(coverage: ArrayLike) -> float | NDArray:
    """POD of random search, :math:`1 - e^{-C}` (as in USCG SAROPS)."""
    return _out(-np.expm1(-_nonneg(coverage, "coverage")))


def pod_visual(coverage: ArrayLike) -> float | NDArray:
    """POD of a visual parallel sweep under the inverse-cube law (as in USCG SAROPS).

    :math:`\\mathrm{POD}(C) = \\operatorname{erf}(\\tfrac{\\sqrt\\pi}{2} C)`; 0.79 at C = 1.
    """
    return _out(erf(0.5 * math.sqrt(math.pi) * _nonneg(coverage, "coverage")))


def pod(coverage: ArrayLike, detection: str = "exponential") -> float | NDArray:
    """POD from coverage by ``detection``: ``"exponential"`` or ``"visual"``."""
    if detection == "exponential":
        return pod_exponential(coverage)
    if detection == "visual":
        return pod_visual(coverage)
    raise BadValueError(f"unknown detection curve {detection!r}", "use 'exponential' or 'visual'")


def pos(poc: ArrayLike, pod: ArrayLike) -> float | NDArray:
    """Probability of success POS = POC × POD (IAMSAR Vol. II)."""
    return _out(_probability(poc, "poc") * _probability(pod, "pod"))


def cumulative_pod(pods: Iterable[ArrayLike] | ArrayLike) -> float | NDArray:
    """Cumulative POD of several searches of the same area, :math:`1 - \\prod_i (1 - POD_i)`.

    ``pods`` runs over searches along its first axis (a list of numbers, or of per-cell arrays).
    This is the correct form of the manual method's cumulative POS (IAMSAR Vol. II sums POS
    values, which holds only when each POS is computed on the POC left by the earlier searches).
    """
    array = _probability(np.asarray(list(pods) if not np.isscalar(pods) else pods), "pods")
    if array.ndim == 0:
        return float(array)
    return _out(1.0 - np.prod(1.0 - array, axis=0))


def cumulative_pos(poc: ArrayLike, pods: Iterable[ArrayLike] | ArrayLike) -> float | NDArray:
    """Cumulative POS: the prior POC times :func:`cumulative_pod` of the searches."""
    return pos(poc, cumulative_pod(pods))
