"""Errors raised by sarkit for bad input.

Every error a user can cause is a :class:`SarkitError`. Its message says what is
wrong, where (the file, variable or option) and how to fix it, in plain words, so
that the CLI can print it on one line and a notebook user can act on it.
Programming errors inside sarkit stay ordinary Python exceptions.
"""

from __future__ import annotations

import math
from os import PathLike

from sarkit.text import CONTROL_FIX, control_problem, visible

__all__ = [
    "BadValueError",
    "ForcingCoverageError",
    "ForcingError",
    "ForcingFileError",
    "ForcingGridError",
    "ForcingMismatchError",
    "ForcingTimeError",
    "ForcingUnitsError",
    "ForcingVariableError",
    "SarkitError",
    "UnknownObjectError",
    "checked_number",
    "checked_text",
]


class SarkitError(Exception):
    """Base class of every error caused by user input.

    The message is one line of visible characters: a control character that came with the
    user's text is shown as an escape (:func:`sarkit.text.visible`).

    Parameters
    ----------
    problem : str
        What is wrong, in plain words.
    fix : str, optional
        What the user can do about it.
    source : str or path-like, optional
        The file, variable or option the problem is in; it leads the message.
    """

    def __init__(
        self, problem: str, fix: str | None = None, source: str | PathLike | None = None
    ) -> None:
        self.problem = problem
        self.fix = fix
        self.source = None if source is None else str(source)
        super().__init__(self._message())

    def _message(self) -> str:
        text = self.problem.rstrip(". ")
        if self.source:
            text = f"{self.source}: {text}"
        if self.fix:
            text = f"{text}. Fix: {self.fix.rstrip('. ')}."
        else:
            text += "."
        return visible(text, keep="")


class ForcingError(SarkitError):
    """A current or wind source cannot serve the request."""


class ForcingFileError(ForcingError):
    """The file is missing, damaged, or not netCDF."""


class ForcingVariableError(ForcingError):
    """No usable velocity variable (or only one component of it)."""


class ForcingUnitsError(ForcingError):
    """Velocity units are missing or not understood."""


class ForcingGridError(ForcingError):
    """The grid (coordinates, levels, projection) cannot be read."""


class ForcingTimeError(ForcingError):
    """The time axis cannot be decoded."""


class ForcingMismatchError(ForcingError):
    """Several files that should form one source disagree."""


class ForcingCoverageError(ForcingError):
    """The requested box or time window is outside the data."""


class BadValueError(SarkitError, ValueError):
    """A number or option that makes no sense (a box with south > north, a negative count ...)."""


class UnknownObjectError(SarkitError, LookupError):
    """A search object (leeway class) that no class matches, or that several match equally."""


def checked_number(value: object, name: str, *, minimum: float = -math.inf,
                   maximum: float = math.inf, strict: bool = False,
                   fix: str | None = None) -> float:
    """``value`` as a float, or :class:`BadValueError` naming ``name``: the one check of a
    number given to a function (not ``True``/``False``, finite, ``>= minimum``, or
    ``> minimum`` where ``strict``, and ``<= maximum``).

    Parameters
    ----------
    value : object
        What the caller gave.
    name : str
        The argument, as the message names it (``"track_spacing_nm"``).
    minimum : float
        The least value allowed (none by default).
    maximum : float
        The largest value allowed (none by default).
    strict : bool
        ``minimum`` itself is refused.
    fix : str, optional
        What to do instead; by default "give NAME as a finite number [> or >= minimum]
        [and <= maximum]".

    Returns
    -------
    float

    Raises
    ------
    BadValueError
        For anything else.
    """
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if (isinstance(value, bool) or not math.isfinite(number) or number < minimum
            or (strict and number <= minimum) or number > maximum):
        bounds = [] if minimum == -math.inf else [f"{'>' if strict else '>='} {minimum:g}"]
        if maximum != math.inf:
            bounds.append(f"<= {maximum:g}")
        bound = f" {' and '.join(bounds)}" if bounds else ""
        problem = (f"{name} = {value!r} is more than {maximum:g}, the most that makes sense"
                   if math.isfinite(number) and number > maximum and not isinstance(value, bool)
                   else f"{name} = {value!r} is not a finite number{bound}")
        raise BadValueError(problem, fix or f"give {name} as a finite number{bound}")
    return number


def checked_text(value: object, name: str, *, allow: str = "",
                 fix: str | None = None) -> str:
    """``value`` as text without control characters, or :class:`BadValueError` naming ``name``:
    the one check of a text argument that goes into a file or report (a name, a centre).

    Parameters
    ----------
    value : object
        What the caller gave: a ``str``.
    name : str
        The argument, as the message names it (``"from_centre"``).
    allow : str
        Control characters allowed (``"\\t\\n"`` for text of several lines; none by default).
    fix : str, optional
        What to do instead; by default: remove the character.

    Raises
    ------
    BadValueError
        For a value that is not a ``str``, is blank, or holds a control character, a lone
        surrogate or a noncharacter (:func:`sarkit.text.control_problem`), named with its code
        point.
    """
    if not isinstance(value, str):
        raise BadValueError(f"{name} = {value!r} is not text", fix or f"give {name} as text")
    if not value.strip():
        raise BadValueError(f"{name} is blank", fix or f"give {name} as text")
    problem = control_problem(value, allow=allow)
    if problem is not None:
        raise BadValueError(f"{name} {problem}", fix or CONTROL_FIX)
    return value
