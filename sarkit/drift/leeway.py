"""Leeway object classes: the 85 search-object categories of the USCG leeway regressions.

The table is ``sarkit/tables/leeway.csv``: the categories of Allen & Plourde (1999, USCG report
CG-D-08-99) and Allen (2005, CG-D-05-05), as compiled by Ø. Breivik (2011-08-25) from the
SAROPS list and published in OpenDrift's ``OBJECTPROP.DAT``. Each class keeps its table key
as its stable id (``PIW-1``, ``LIFE-RAFT-NB-2``, ``FISHING-VESSEL-1`` ...), the ids SAROPS and
OpenDrift users already know, and its index 1-85 (OpenDrift's object type).

Model
-----
With :math:`U_{10}` the 10 m wind speed, the leeway (the object's motion through the water) is

.. math:: L_d = a_d U_{10} + b_d, \\qquad L_c = a_c^{\\pm} U_{10} + b_c^{\\pm}

along the downwind direction (where the wind blows to) and across it. The table gives the
slopes :math:`a` in % of :math:`U_{10}` and the offsets :math:`b` and standard errors
:math:`\\sigma` in cm/s; :class:`ObjectClass` holds them in SI, converted at load: slopes as
fractions (m/s of leeway per m/s of wind, ``pct / 100``), offsets and standard errors in m/s
(``cm/s / 100``).

Sign convention
---------------
There are two crosswind regressions: one for objects that drift to the right of downwind and
one for those that drift to the left. As published, right slopes are positive and left slopes
negative, and sarkit moves an object with a positive crosswind leeway to the RIGHT of
downwind: the USCG (SAROPS) convention. OpenDrift's Leeway model does the mirror image (a
positive crosswind leeway moves left of downwind, a convention inherited from the older C
implementation of Leeway; see OpenDrift issue 1693), so an OpenDrift ensemble of an
asymmetric class (e.g. SAILBOAT-1, SKIFF-2) is the mirror image of sarkit's.

Jibing
------
An object switches between its right and left regressions ("jibes") with probability
:data:`JIBE_PROBABILITY_PER_HOUR` (0.04 per hour, the OpenDrift/SAROPS default).

Rows to treat with care (as published, not corrected here)
---------------------------------------------------------
- 24 LIFE-RAFT-SB-10 has a positive left slope (0.1); 25 LIFE-RAFT-SB-11 and 68 SEPIRB have zero
  crosswind slopes. Rows 24-25 come from Turner (2006) "unconstrained" coefficients.
- 58 SAILBOAT-2: right standard error 12.6788 cm/s but left 2.13 cm/s; its left triple equals
  row 60's (perhaps a copy error in the published table).
- 57 SAILBOAT-1 (right slope 4.95 %, left -2.82 %) and several raft rows (7-17, 35-40) are
  asymmetric.
- 67 SLDMB is all zeros: a drifter that follows the water.
- ``depth`` is the published indentation; rows 18-19 and 23 are main classes although they read
  like sub-classes of rows 7 and 20.

Look-up
-------
:func:`object_class` takes an id (any case, spaces for hyphens: ``"fishing vessel 1"``), an
index (``50`` or ``"50"``) or words of the name in any order (``"sampan"``, ``"life raft no
ballast"``). :func:`search_objects` lists every class that matches. Every word must start a
word of the name or the id (plurals and footnote markers are ignored); a few synonyms are
understood (:data:`SYNONYMS`), and "no" belongs to the next word ("no drogue" does not match
"with drogue"). The best match is the class whose id holds most of the words, then whose name
holds most of them side by side (in the order given, then in any order). When several classes
match equally well, the one with the smallest depth (the main class) wins if it is alone, else
the one class with general (mean) values at that depth, following the table's advice "use main
class (mean values) unless specific information about SAR object is known"; otherwise the text
is ambiguous and the error lists the candidates.
"""

from __future__ import annotations

import csv
import difflib
import io
import itertools
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

from sarkit.errors import UnknownObjectError

__all__ = [
    "JIBE_PROBABILITY_PER_HOUR",
    "OBJECT_CLASSES",
    "SYNONYMS",
    "ObjectClass",
    "object_class",
    "search_objects",
]

JIBE_PROBABILITY_PER_HOUR = 0.04
"""Default probability per hour that an object jibes (switches crosswind side)."""

SYNONYMS: dict[str, str] = {
    "person in water": "piw",
    "person in the water": "piw",
    "persons in water": "piw",
    "people in water": "piw",
    "man overboard": "piw",
    "mob": "piw",
    "liferaft": "life raft",
    "migrant": "refugee",
    "migrants": "refugee",
    "immigrant": "refugee",
    "refugees": "refugee",
    "yacht": "sailboat",
    "sailing boat": "sailboat",
    "monohull": "mono hull",
    "dinghy": "dingy",
    "life jacket": "pfd",
    "lifejacket": "pfd",
    "dead": "deceased",
    "body": "deceased",
    "drifter": "sldmb",
    "without": "no",
}
"""Phrases in a search text replaced by words of the table before matching."""

_STOP_WORDS = frozenset({"a", "an", "and", "the", "of", "in", "on", "or"})
_GENERAL_WORDS = ("general", "mean values", "average", "unknown")
_MAX_CANDIDATES = 8
_SI_COLUMNS = {  # field: CSV column; slopes % -> fraction and cm/s -> m/s both divide by 100
    "downwind_slope": "dw_slope_pct",
    "downwind_offset": "dw_offset_cm_s",
    "downwind_std": "dw_std_cm_s",
    "right_slope": "cwr_slope_pct",
    "right_offset": "cwr_offset_cm_s",
    "right_std": "cwr_std_cm_s",
    "left_slope": "cwl_slope_pct",
    "left_offset": "cwl_offset_cm_s",
    "left_std": "cwl_std_cm_s",
}


@dataclass(frozen=True)
class ObjectClass:
    """One leeway category, in SI units.

    Attributes
    ----------
    id : str
        The table key, e.g. ``"FISHING-VESSEL-1"``: the stable id.
    index : int
        Category number 1-85 (OpenDrift's object type).
    name : str
        The published description without its ``>`` indentation markers.
    depth : int
        The published indentation: 0 main class (mean values), 1 sub-class, 2 and 3 deeper.
    downwind_slope : float
        Downwind leeway per unit of 10 m wind speed (dimensionless; table % / 100).
    downwind_offset, downwind_std : float
        Downwind offset and standard error of the regression, m/s.
    right_slope, right_offset, right_std : float
        The same for objects drifting to the right of downwind (slope positive).
    left_slope, left_offset, left_std : float
        The same for objects drifting to the left of downwind (slope negative, except
        LIFE-RAFT-SB-10 as published).
    """

    id: str
    index: int
    name: str
    depth: int
    downwind_slope: float
    downwind_offset: float
    downwind_std: float
    right_slope: float
    right_offset: float
    right_std: float
    left_slope: float
    left_offset: float
    left_std: float

    @property
    def is_main(self) -> bool:
        """Whether this is a main class (no indentation in the table)."""
        return self.depth == 0

    @property
    def coefficients(self) -> tuple[float, ...]:
        """The nine numbers in table order (downwind, right, left; slope, offset, std), SI."""
        return (
            self.downwind_slope, self.downwind_offset, self.downwind_std,
            self.right_slope, self.right_offset, self.right_std,
            self.left_slope, self.left_offset, self.left_std,
        )  # fmt: skip

    def iamsar_multiplier_and_divergence(self) -> tuple[float, float]:
        """The IAMSAR manual-method form of the slopes: speed multiplier and divergence.

        Returns
        -------
        multiplier : float
            ``sqrt(a_d**2 + a_c**2)`` with ``a_c`` the mean of ``|right_slope|`` and
            ``|left_slope|``: leeway speed per unit wind speed (a fraction, e.g. 0.037).
        divergence_deg : float
            ``atan(a_c / a_d)`` in degrees: the angle either side of downwind.

        Notes
        -----
        For rows with zero offsets this reproduces the IAMSAR multiplier to 0.0006 and the
        divergence to 1 degree (the IAMSAR-form leeway table, as in AMSA NATSAR 2023 Tables
        D-5:1 and D-5:2). The IAMSAR modifier is not derived from the offsets, so it is not
        given here.
        """
        crosswind = (abs(self.right_slope) + abs(self.left_slope)) / 2.0
        multiplier = math.hypot(self.downwind_slope, crosswind)
        return multiplier, math.degrees(math.atan2(crosswind, self.downwind_slope))


def _read_table() -> tuple[ObjectClass, ...]:
    text = resources.files("sarkit").joinpath("tables/leeway.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return tuple(_from_row(row) for row in csv.DictReader(io.StringIO("\n".join(lines))))


def _from_row(row: dict[str, str]) -> ObjectClass:
    """One class from one CSV row; ``Decimal`` so that "2.47" % becomes exactly 0.0247."""
    si = {name: float(Decimal(row[column]) / 100) for name, column in _SI_COLUMNS.items()}
    return ObjectClass(
        id=row["key"],
        index=int(row["index"]),
        name=row["description"],
        depth=int(row["depth"]),
        **si,
    )


OBJECT_CLASSES: tuple[ObjectClass, ...] = _read_table()
"""All 85 classes, in index order."""

_BY_ID = {c.id.upper(): c for c in OBJECT_CLASSES}
_BY_INDEX = {c.index: c for c in OBJECT_CLASSES}


# --- words ------------------------------------------------------------------------------------


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    """Lower-case words of ``text``: footnote markers and stop words removed, plurals cut,
    and "no" joined to the next word (``no_drogue``) so that it cannot match "with drogue"."""
    text = re.sub(r"\(\*\d+\)", " ", text.lower())
    words = [_stem(w) for w in re.findall(r"[a-z0-9]+", text) if w not in _STOP_WORDS]
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] == "no":
            joined[-1] = f"no_{word}"
        else:
            joined.append(word)
    return joined


def _query_words(text: str) -> list[str]:
    padded = " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "
    for phrase, replacement in sorted(SYNONYMS.items(), key=lambda item: -len(item[0])):
        padded = padded.replace(f" {phrase} ", f" {replacement} ")
    return _words(padded)


def _match(query: str, word: str) -> int:
    """2 when ``query`` equals ``word``, 1 when one starts the other (forgiving), else 0."""
    if query == word:
        return 2
    if query.isdigit() or word.isdigit():
        return 0
    if len(query) >= 3 and word.startswith(query):
        return 1
    if len(word) >= 4 and query.startswith(word) and len(query) - len(word) <= 2:
        return 1
    return 0


@cache
def _name_words(item: ObjectClass) -> tuple[str, ...]:
    return tuple(_words(item.name))


@cache
def _id_words(item: ObjectClass) -> tuple[str, ...]:
    return tuple(_words(item.id.replace("-", " ")))


def _score(words: list[str], item: ObjectClass) -> tuple[int, ...] | None:
    """How well all ``words`` match ``item``: (id words, neighbours in order, in any order, exact).

    None when a word matches neither the name nor the id.
    """
    name, ident = _name_words(item), _id_words(item)
    exact = id_hits = 0
    positions: list[set[int]] = []
    for word in words:
        in_name = {i for i, w in enumerate(name) if _match(word, w)}
        in_id = max((_match(word, w) for w in ident), default=0)
        best = max([_match(word, name[i]) for i in in_name] + [in_id])
        if not best:
            return None
        exact += best == 2
        id_hits += in_id > 0 and not word.isdigit()  # "4 man" should not favour OVATEK-CRAFT-4
        positions.append(in_name)
    in_order, any_order = _neighbours(positions, (1,)), _neighbours(positions, (1, -1))
    return id_hits, in_order, any_order, exact


def _neighbours(positions: list[set[int]], steps: tuple[int, ...]) -> int:
    """How many neighbouring query words sit ``step`` words apart in the name."""
    return sum(
        any(i + step in following for i in found for step in steps)
        for found, following in itertools.pairwise(positions)
    )


def _is_general(item: ObjectClass) -> bool:
    name = item.name.lower()
    return any(word in name for word in _GENERAL_WORDS)


# --- look-up ----------------------------------------------------------------------------------


def _exact(text: str | int) -> ObjectClass | None:
    """The class named by an id or an index, None when ``text`` is neither."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int) or str(text).strip().isdigit():
        number = int(text)
        if number not in _BY_INDEX:
            raise UnknownObjectError(
                f"there is no search object class number {number}: the classes are numbered "
                f"1 to {len(OBJECT_CLASSES)}",
                "give a number from 1 to 85 or an id such as FISHING-VESSEL-1; "
                "`sarkit objects` lists them all",
            )
        return _BY_INDEX[number]
    key = re.sub(r"[\s_]+", "-", str(text).strip()).upper()
    return _BY_ID.get(key)


def _ranked(words: list[str]) -> list[tuple[tuple[int, ...], ObjectClass]]:
    scored = [(_score(words, item), item) for item in OBJECT_CLASSES]
    return [(score, item) for score, item in scored if score is not None]


def search_objects(text: str | int | None = None, *, strict: bool = False) -> list[ObjectClass]:
    """Every class that ``text`` names or matches, in index order.

    Parameters
    ----------
    text : str or int, optional
        An id, an index or words of the name (see :func:`object_class`); all classes if None.
    strict : bool
        Raise :class:`~sarkit.errors.UnknownObjectError` (with suggestions) instead of
        returning an empty list when nothing matches.

    Returns
    -------
    list of ObjectClass
        The matching classes ordered by index.
    """
    if text is None:
        return list(OBJECT_CLASSES)
    found = _exact(text)
    if found is not None:
        return [found]
    words = _query_words(str(text))
    ranked = _ranked(words) if words else []
    if not ranked and strict:
        raise _unknown(str(text), words)
    return sorted((item for _, item in ranked), key=lambda item: item.index)


def object_class(text: str | int | ObjectClass) -> ObjectClass:
    """The one class that ``text`` names.

    Parameters
    ----------
    text : str, int or ObjectClass
        An id in any case (``"FISHING-VESSEL-1"``, ``"fishing vessel 1"``), an index 1-85
        (``50`` or ``"50"``), or words of the name in any order (``"sampan"``, ``"person in
        water"``, ``"life raft no ballast"``). An :class:`ObjectClass` is returned as is.

    Returns
    -------
    ObjectClass
        The best match: the class whose id holds most of the words, then whose name has most
        neighbouring words of the text side by side (in the same order, then in any order),
        then the most exact (not only starting) words. Among equally good matches, the one
        with the smallest depth (the main class) if it is alone there, else the one general
        (mean values) class at that depth.

    Raises
    ------
    UnknownObjectError
        Nothing matches (the message suggests close matches), or several classes match
        equally well (the message lists them).
    """
    if isinstance(text, ObjectClass):
        return text
    found = _exact(text)
    if found is not None:
        return found
    words = _query_words(str(text))
    ranked = _ranked(words) if words else []
    if not ranked:
        raise _unknown(str(text), words)
    best = max(score for score, _ in ranked)
    tied = [item for score, item in ranked if score == best]
    return _break_tie(str(text), tied)


def _rank_key(pair: tuple[tuple[int, ...], ObjectClass]) -> tuple:
    score, item = pair
    return (tuple(-s for s in score), item.depth, not _is_general(item), item.index)


def _break_tie(text: str, tied: list[ObjectClass]) -> ObjectClass:
    """The shallowest of ``tied`` if only one; else its only general class; else an error."""
    shallowest = min(item.depth for item in tied)
    top = [item for item in tied if item.depth == shallowest]
    general = [item for item in top if _is_general(item)]
    if len(top) == 1 or len(general) == 1:
        return top[0] if len(top) == 1 else general[0]
    listed = sorted(tied, key=lambda item: (item.depth, not _is_general(item), item.index))
    raise UnknownObjectError(
        f"{text!r} matches {len(tied)} search object classes equally well: {_listing(listed)}",
        f"give the id, e.g. {listed[0].id}, or see `sarkit objects {text}`",
    )


def _listing(items: list[ObjectClass]) -> str:
    """``ID (name); ID (name) ...`` for the first few, names without their common start."""
    shown = items[:_MAX_CANDIDATES]
    names = _distinct_parts([_plain(item.name) for item in shown])
    text = "; ".join(f"{item.id} ({_short(name)})" for item, name in zip(shown, names, strict=True))
    more = len(items) - len(shown)
    return text + (f"; and {more} more" if more > 0 else "")


def _distinct_parts(names: list[str]) -> list[str]:
    """``names`` without the words they all start with (all of each name if that is all)."""
    if len(names) < 2:
        return names
    split = [name.split(" ") for name in names]
    common = 0
    while (
        all(len(words) > common + 1 for words in split)
        and len({words[common] for words in split}) == 1
    ):
        common += 1
    return [" ".join(words[common:]).lstrip(",- ") for words in split]


def _plain(name: str) -> str:
    """``name`` without footnote markers and repeated spaces."""
    return " ".join(re.sub(r"\(\*\d+\)", " ", name).split())


def _short(name: str, width: int = 48) -> str:
    return name if len(name) <= width else name[: width - 3].rstrip(" ,") + "..."


# --- suggestions ------------------------------------------------------------------------------


@cache
def _vocabulary() -> tuple[str, ...]:
    words = {w for item in OBJECT_CLASSES for w in (*_name_words(item), *_id_words(item))}
    return tuple(sorted(words))


def _corrected(words: list[str]) -> list[str]:
    """``words`` with each unknown word replaced by the closest word of the table."""
    vocabulary = _vocabulary()
    out = []
    for word in words:
        if any(_match(word, known) for known in vocabulary):
            out.append(word)
        else:
            close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.7)
            out.append(close[0] if close else word)
    return out


def _suggestions(text: str, words: list[str]) -> list[ObjectClass]:
    corrected = _corrected(words)
    if corrected != words:
        ranked = _ranked(corrected)
        if ranked:
            return [item for _, item in sorted(ranked, key=_rank_key)]
    keys = difflib.get_close_matches(text.strip().upper(), list(_BY_ID), n=3, cutoff=0.6)
    return [_BY_ID[key] for key in keys]


def _unknown(text: str, words: list[str]) -> UnknownObjectError:
    suggestions = _suggestions(text, words)
    problem = f"no search object class matches {text!r}"
    if suggestions:
        problem += f"; did you mean {_listing(suggestions)}"
    example = suggestions[0].id if suggestions else "FISHING-VESSEL-1"
    return UnknownObjectError(
        problem,
        f"give an id (e.g. {example}), a number 1-85 or words from the names; "
        "`sarkit objects` lists all 85",
    )
