"""The manifest of a case package: its format, schema version, names, limits and checks.

``manifest.json`` describes the package (:func:`build_manifest`)::

    {
      "format": "sarkit-case",
      "schema_version": "1.0",            # MAJOR.MINOR of this layout
      "sarkit_version": "0.1.0",          # the sarkit that wrote it
      "created_utc": "2024-06-11T01:02:03Z",
      "case": {"name": "...", "from_centre": "...", "to_centre": "..."},
      "parameters": {"seed": 1, "particles": 5000, "run": {...run settings...},
                     "forcing": {"currents": "synthetic", "winds": "files"}},
      "files": {"scenario.toml": {"size": 812, "sha256": "..."}, ...}
    }

A package from another centre is untrusted input. :func:`check_manifest` checks the parsed
JSON by hand (required keys, their types, the names of the files against :func:`known_name`
and the limits below) and refuses a newer major schema version with the versions named.
Nothing in a package is ever executed or unpickled.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sarkit.errors import SarkitError

__all__ = [
    "FORMAT",
    "MAX_FILE_BYTES",
    "MAX_FORCING_BYTES",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "REQUIRED_FILES",
    "SCHEMA_VERSION",
    "PackageError",
    "check_manifest",
    "known_name",
    "member_limit",
    "parse_version",
]

FORMAT = "sarkit-case"
SCHEMA_VERSION = (1, 0)
"""(major, minor): a package of a newer major version is refused; a newer minor is read."""

MAX_FILE_BYTES = 64 * 2**20
"""Largest text member (TOML, GeoJSON, SITREP, manifest), uncompressed."""
MAX_MANIFEST_BYTES = 2**20
MAX_FORCING_BYTES = 512 * 2**20
"""Largest forcing file, uncompressed."""
MAX_TOTAL_BYTES = 1024 * 2**20
"""Largest package, all members uncompressed."""
MAX_MEMBERS = 64
MAX_RATIO = 200.0
"""Largest compression ratio (uncompressed / compressed) of a member over :data:`RATIO_FROM`."""
RATIO_FROM = 2**20

REQUIRED_FILES = ("manifest.json", "scenario.toml", "plan.toml", "areas.geojson",
                  "plan.geojson", "sitrep.txt")
_ROSTERS = ("roster.toml", "roster.csv")
FORCING_NAME = re.compile(r"forcing/(currents|winds)-[0-9]{1,2}(\.[A-Za-z0-9]{1,8})?")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_VERSION = re.compile(r"([0-9]{1,4})\.([0-9]{1,4})")


class PackageError(SarkitError, ValueError):
    """A case package that cannot be read or trusted: broken, unsafe, oversized or too new."""


def known_name(name: str) -> bool:
    """Whether ``name`` is a member a package may hold."""
    return name in REQUIRED_FILES or name in _ROSTERS or FORCING_NAME.fullmatch(name) is not None


def member_limit(name: str) -> int:
    """Largest uncompressed size of member ``name`` (bytes)."""
    if name == "manifest.json":
        return MAX_MANIFEST_BYTES
    return MAX_FORCING_BYTES if name.startswith("forcing/") else MAX_FILE_BYTES


def parse_version(text: Any, source: str) -> tuple[int, int]:
    """``"1.0"`` -> ``(1, 0)``; a PackageError for anything else."""
    match = _VERSION.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise PackageError(f"manifest.json: schema_version {text!r} is not MAJOR.MINOR",
                           "the package is damaged or not from sarkit; ask the sender for a "
                           "new export", source)
    return int(match[1]), int(match[2])


def _require(table: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str,
             source: str) -> Any:
    if key not in table:
        raise PackageError(f"manifest.json: {where}{key} is missing",
                           "the package is damaged or incomplete; ask the sender for a new "
                           "export", source)
    value = table[key]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        value = None  # true/false is not a number here
    if value is None or not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(
            k.__name__ for k in kind)
        raise PackageError(f"manifest.json: {where}{key} is {type(table[key]).__name__}, not "
                           f"{names.replace('dict', 'an object').replace('str', 'text')}",
                           "the package is damaged or not from sarkit; ask the sender for a "
                           "new export", source)
    return value


def check_version(manifest: Any, source: str, sarkit_version: str) -> tuple[int, int]:
    """Check the format name and the schema version; returns the version.

    Raises
    ------
    PackageError
        For another format, or a newer major version (naming both and the fix).
    """
    if not isinstance(manifest, dict):
        raise PackageError("manifest.json is not a JSON object",
                           "the package is damaged or not from sarkit", source)
    fmt = _require(manifest, "format", str, "", source)
    if fmt != FORMAT:
        raise PackageError(f"manifest.json: format {fmt!r} is not {FORMAT!r}",
                           "give a package written by sarkit case export", source)
    version = parse_version(_require(manifest, "schema_version", str, "", source), source)
    if version[0] > SCHEMA_VERSION[0]:
        writer = manifest.get("sarkit_version")
        by = f" (written by sarkit {writer})" if isinstance(writer, str) and len(
            writer) < 40 else ""
        raise PackageError(
            f"the package has case schema version {version[0]}.{version[1]}{by}, newer than "
            f"version {SCHEMA_VERSION[0]}.{SCHEMA_VERSION[1]} that this sarkit "
            f"{sarkit_version} understands",
            "update sarkit (pip install --upgrade sarkit) and import it again", source)
    return version


def check_manifest(manifest: Any, source: str, sarkit_version: str) -> dict[str, Any]:
    """Check a parsed ``manifest.json`` against the schema (module docstring) and the limits.

    Returns
    -------
    dict
        The manifest, unchanged.

    Raises
    ------
    PackageError
        For a missing key, a wrong type, an unknown or unsafe file name, a bad checksum
        text, a size over the limits, or a newer major schema version.
    """
    version = check_version(manifest, source, sarkit_version)
    _require(manifest, "sarkit_version", str, "", source)
    _require(manifest, "created_utc", str, "", source)
    case = _require(manifest, "case", dict, "", source)
    _require(case, "name", str, "case.", source)
    parameters = _require(manifest, "parameters", dict, "", source)
    _require(parameters, "seed", int, "parameters.", source)
    _require(parameters, "particles", int, "parameters.", source)
    _require(parameters, "run", dict, "parameters.", source)
    files = _require(manifest, "files", dict, "", source)
    if version <= SCHEMA_VERSION:
        known = {"format", "schema_version", "sarkit_version", "created_utc", "case",
                 "parameters", "files"}
        extra = sorted(set(manifest) - known)
        if extra:
            raise PackageError(f"manifest.json: unknown key {extra[0]!r}",
                               "the package is damaged or not from sarkit", source)
    if len(files) > MAX_MEMBERS:
        raise PackageError(f"manifest.json lists {len(files)} files, more than {MAX_MEMBERS}",
                           "refuse it: a case package holds a few files", source)
    total = 0
    for name, entry in files.items():
        if not known_name(name):
            raise PackageError(f"manifest.json lists an unknown file {name!r}",
                               "a case package holds only its known files; ask the sender "
                               "for a new export", source)
        if not isinstance(entry, dict):
            raise PackageError(f"manifest.json: files[{name!r}] is not an object",
                               "the package is damaged or not from sarkit", source)
        size = _require(entry, "size", int, f"files[{name!r}].", source)
        digest = _require(entry, "sha256", str, f"files[{name!r}].", source)
        if _SHA256.fullmatch(digest) is None:
            raise PackageError(f"manifest.json: files[{name!r}].sha256 is not a SHA-256 "
                               "hex digest", "the package is damaged", source)
        if not 0 <= size <= member_limit(name):
            raise PackageError(f"{name} declares {size} bytes, over the limit of "
                               f"{member_limit(name)} bytes", "refuse it, or ask the sender "
                               "for a smaller package (crop the forcing)", source)
        total += size
    if total > MAX_TOTAL_BYTES:
        raise PackageError(f"the files declare {total} bytes in all, over the limit of "
                           f"{MAX_TOTAL_BYTES} bytes", "ask the sender for a smaller package "
                           "(crop the forcing)", source)
    missing = [name for name in REQUIRED_FILES[1:] if name not in files]
    if missing:
        raise PackageError(f"manifest.json lists no {missing[0]}",
                           "the package is incomplete; ask the sender for a new export", source)
    if sum(name in files for name in _ROSTERS) != 1:
        raise PackageError("manifest.json must list exactly one roster (roster.toml or "
                           "roster.csv)", "the package is incomplete; ask the sender for a "
                           "new export", source)
    if "manifest.json" in files:
        raise PackageError("manifest.json lists itself", "the package is damaged", source)
    return manifest
