"""Forcing on a server: OPeNDAP addresses (THREDDS, Hyrax, ERDDAP griddap), opened lazily.

An address is read through the netCDF library's own OPeNDAP (DAP2) client, so that opening
one reads its metadata only and a read of a box and some records asks the server for that
slice alone. Credentials (CMEMS and some NOAA servers) come from the user's ``~/.netrc``
through the netCDF library's ``~/.dodsrc`` (``HTTP.NETRC=...``), never from sarkit's files;
a password written into an address is never shown (:func:`address_label`).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import xarray as xr

from sarkit.errors import ForcingFileError

__all__ = ["ADDRESS_SCHEMES", "CONNECT_SECONDS", "TIMEOUT_ENV", "TIMEOUT_SECONDS", "address_label",
           "is_address", "open_address"]

ADDRESS_SCHEMES = ("http", "https")
"""The schemes of an OPeNDAP address (``https://`` on every public server today)."""

TIMEOUT_SECONDS = 180.0
"""How long one request to the server may take, seconds (each is a slice of one variable: a
day of a 1/12 deg box of a few degrees is tens of kilobytes)."""

CONNECT_SECONDS = 30.0
"""How long connecting to the server may take, seconds."""

TIMEOUT_ENV = "SARKIT_OPENDAP_TIMEOUT"
"""Environment variable overriding :data:`TIMEOUT_SECONDS`."""

_OURS: set[str] = set()  # the rc keys sarkit set itself (and may set again)

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def is_address(text: object) -> bool:
    """Whether ``text`` is a server address (``http://`` or ``https://``), not a file path."""
    if not isinstance(text, str):
        return False
    match = _SCHEME.match(text.strip())
    return match is not None and match.group(1).lower() in ADDRESS_SCHEMES


def address_label(address: str) -> str:
    """The address as sarkit shows it: a user name and password in it replaced by ``***``."""
    parts = urlsplit(address.strip())
    if parts.username is None and parts.password is None:
        return address.strip()
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


def open_address(address: str, **options) -> xr.Dataset:
    """Open an OPeNDAP address lazily (its metadata only) with xarray's netCDF4 engine.

    ``options`` are passed to :func:`xarray.open_dataset` (sarkit opens undecoded, with no
    index built, like a file).

    Raises
    ------
    ForcingFileError
        Where the server cannot be reached or does not serve the address as OPeNDAP; the
        message names the address (without credentials) and the netCDF library's reason.
    """
    label = address_label(address)
    if not is_address(address) or not urlsplit(address.strip()).hostname:
        raise ForcingFileError("not a server address", "write it as https://host/path "
                               "(the OPeNDAP address of the dataset)", label)
    seconds = _set_timeouts()
    try:
        with _library_quiet():
            return xr.open_dataset(address.strip(), engine="netcdf4", **options)
    except Exception as exc:  # the netCDF library raises OSError with its own code
        detail = " ".join(str(exc).replace(address.strip(), label).split()) or type(exc).__name__
        raise ForcingFileError(
            f"cannot be opened as OPeNDAP ({detail})",
            "check the address (its page ADDRESS.html in a browser shows the dataset), the "
            "network, and for a server that needs a login the user's ~/.netrc and ~/.dodsrc; "
            f"a server that does not answer is given up after {seconds:g} s ({TIMEOUT_ENV})",
            label,
        ) from exc


def _set_timeouts() -> float:
    """Give the netCDF library's requests a time limit (:data:`TIMEOUT_SECONDS`), unless the
    user's ``.ncrc``/``.dodsrc`` sets one: a server that accepts and never answers would
    otherwise hold a run for ever. Returns the limit in seconds."""
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    try:
        seconds = float(text) if text else TIMEOUT_SECONDS
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < 86400:
        raise ForcingFileError(f"{TIMEOUT_ENV}={text!r} is not a number of seconds",
                               f"set {TIMEOUT_ENV} to seconds, e.g. {TIMEOUT_SECONDS:g}")
    import netCDF4

    if not getattr(netCDF4, "__has_nc_rc_set__", False):  # pragma: no cover - netCDF < 4.9
        return seconds
    for key, value in (("HTTP.TIMEOUT", seconds),
                       ("HTTP.CONNECTTIMEOUT", min(seconds, CONNECT_SECONDS))):
        if key not in _OURS and netCDF4.rc_get(key) not in (None, ""):
            continue  # the user's own rc file says
        netCDF4.rc_set(key, str(max(round(value), 1)))
        _OURS.add(key)
    return seconds


@contextlib.contextmanager
def _library_quiet() -> Iterator[None]:
    """The netCDF library's own lines on stderr (``ERR: curl error ...``) silenced: its
    failure reaches the user once, as sarkit's error. Where stderr is no file, nothing done."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    try:
        with open(os.devnull, "w") as sink:
            os.dup2(sink.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
