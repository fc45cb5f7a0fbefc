"""Reading a case package as untrusted input: every check before anything is used.

:func:`read_package` opens the zip, checks the member names (no absolute paths, no ``..``, no
links or folders, no duplicates, no encryption, only known names), the sizes (declared in the
manifest, in the zip directory and as actually decompressed, against the limits of
:mod:`sarkit.files.manifest`), the compression ratios (a zip bomb is refused before it is
inflated), the SHA-256 checksums, and parses the manifest (JSON), the TOML files
(:mod:`sarkit.files.checked`) and the GeoJSON (JSON). Nothing is executed, unpickled or written.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from sarkit._version import __version__
from sarkit.files.manifest import (
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    RATIO_FROM,
    PackageError,
    check_manifest,
    check_version,
    member_limit,
)

__all__ = ["CasePackage", "read_package"]

_CHUNK = 2**16
_DAMAGED = "ask the sender for a new export (sarkit case export)"


@dataclass(frozen=True)
class CasePackage:
    """A checked package: its manifest, its files' bytes, and the parsed TOML documents.

    Attributes
    ----------
    manifest : dict
    files : dict of str to bytes
        Every member but the manifest, checksums verified.
    scenario, plan : dict
        ``scenario.toml`` and ``plan.toml`` as parsed TOML documents.
    """

    manifest: dict[str, Any]
    files: dict[str, bytes]
    scenario: dict[str, Any]
    plan: dict[str, Any]


def _safe_name(info: zipfile.ZipInfo, source: str) -> None:
    name = info.filename
    parts = PurePosixPath(name).parts
    mode = info.external_attr >> 16
    if (name.startswith(("/", "\\")) or "\\" in name or (len(name) > 1 and name[1] == ":")
            or ".." in parts or "." in parts or not parts or "\x00" in name):
        raise PackageError(f"unsafe member name {name!r} (absolute or leaving the package)",
                           "refuse it: a case package holds only plain relative names", source)
    if info.is_dir() or stat.S_IFMT(mode) not in (0, stat.S_IFREG):
        raise PackageError(f"member {name!r} is a folder, link or device, not a plain file",
                           "refuse it: a case package holds only plain files", source)
    if info.flag_bits & 0x1:
        raise PackageError(f"member {name!r} is encrypted", "refuse it: a case package is "
                           "never encrypted", source)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PackageError(f"member {name!r} uses an unsupported compression",
                           "export it again with sarkit case export", source)


def _check_sizes(info: zipfile.ZipInfo, declared: int | None, source: str) -> None:
    name, size = info.filename, info.file_size
    limit = member_limit(name)
    if size > limit:
        raise PackageError(f"{name} is {size} bytes uncompressed, over the limit of {limit} "
                           "bytes", "refuse it, or ask the sender for a smaller package", source)
    if declared is not None and size != declared:
        raise PackageError(f"{name} is {size} bytes in the zip but the manifest declares "
                           f"{declared}", f"the package is damaged; {_DAMAGED}", source)
    if size > RATIO_FROM and size > MAX_RATIO * max(info.compress_size, 1):
        raise PackageError(f"{name} would inflate {size / max(info.compress_size, 1):.0f} "
                           f"times (a zip bomb?), over the limit of {MAX_RATIO:.0f}",
                           "refuse it: a real case package compresses far less", source)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str) -> bytes:
    """The member's bytes, never more than its declared size (a lying header is caught)."""
    limit = info.file_size
    chunks, read = [], 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(min(_CHUNK, limit + 1 - read))
                if not chunk:
                    break
                read += len(chunk)
                if read > limit:
                    raise PackageError(f"{info.filename} inflates beyond its declared "
                                       f"{limit} bytes", "refuse it: the package is forged "
                                       "or damaged", source)
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise PackageError(f"{info.filename} cannot be decompressed ({exc})",
                           f"the package is truncated or damaged; {_DAMAGED}", source) from None
    data = b"".join(chunks)
    if len(data) != limit:
        raise PackageError(f"{info.filename} holds {len(data)} bytes, not the {limit} its "
                           "header declares", f"the package is truncated; {_DAMAGED}", source)
    return data


def _json(data: bytes, name: str, source: str) -> Any:
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    try:
        return json.loads(data.decode("utf-8"), parse_constant=refuse)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PackageError(f"{name} is not valid JSON ({exc})",
                           f"the package is damaged; {_DAMAGED}", source) from None


def _toml(data: bytes, name: str, source: str) -> dict[str, Any]:
    from sarkit.files.checked import decode_text, parse_toml

    fix = f"the package is damaged; {_DAMAGED}"
    return parse_toml(decode_text(data, PackageError, source, name=name, fix=fix), PackageError,
                      source, name=name, fix=fix)


def _open(path: Path, source: str) -> zipfile.ZipFile:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PackageError(f"cannot read the package ({exc.strerror or exc})",
                           "check the path", source) from None
    if not path.is_file():
        raise PackageError("is not a file", "give the .sarkit.zip package file", source)
    if size > MAX_TOTAL_BYTES + 2**20:
        raise PackageError(f"the package is {size} bytes, over the limit of "
                           f"{MAX_TOTAL_BYTES} bytes", "ask the sender for a smaller package",
                           source)
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise PackageError(f"not a complete zip package ({exc})",
                           f"the file is truncated or not a sarkit case package; {_DAMAGED}",
                           source) from None


def read_package(path: str | os.PathLike) -> CasePackage:
    """Open and check a case package; nothing is written.

    Parameters
    ----------
    path : path-like
        A ``.sarkit.zip`` file from :func:`sarkit.app.case.export_case`.

    Raises
    ------
    PackageError
        For a truncated or malformed zip, an unsafe or unknown member, a size or compression
        ratio over the limits, a checksum that does not match, a manifest that breaks the
        schema, a newer schema version, or a TOML or JSON file that does not parse.
    """
    path = Path(path)
    source = str(path)
    with _open(path, source) as archive:
        try:
            infos = archive.infolist()
        except (zipfile.BadZipFile, ValueError) as exc:
            raise PackageError(f"the zip directory cannot be read ({exc})",
                               f"the package is damaged; {_DAMAGED}", source) from None
        if len(infos) > MAX_MEMBERS:
            raise PackageError(f"the package holds {len(infos)} members, more than "
                               f"{MAX_MEMBERS}", "refuse it: a case package holds a few files",
                               source)
        by_name: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            _safe_name(info, source)
            if info.filename in by_name:
                raise PackageError(f"member {info.filename!r} appears twice",
                                   "refuse it: the package is forged or damaged", source)
            by_name[info.filename] = info
        if "manifest.json" not in by_name:
            raise PackageError("no manifest.json: not a sarkit case package",
                               "give a package written by sarkit case export", source)
        _check_sizes(by_name["manifest.json"], None, source)
        manifest = _json(_read_member(archive, by_name["manifest.json"], source),
                         "manifest.json", source)
        check_version(manifest, source, __version__)
        check_manifest(manifest, source, __version__)
        declared = manifest["files"]
        for name in by_name:
            if name != "manifest.json" and name not in declared:
                raise PackageError(f"unknown member {name!r}, not in the manifest",
                                   "refuse it: a case package holds only the files its "
                                   "manifest lists", source)
        for name in declared:
            if name not in by_name:
                raise PackageError(f"{name} is listed in the manifest but missing",
                                   f"the package is incomplete; {_DAMAGED}", source)
        for name, entry in declared.items():
            _check_sizes(by_name[name], entry["size"], source)
        files = {}
        for name, entry in declared.items():
            data = _read_member(archive, by_name[name], source)
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise PackageError(f"{name}: the SHA-256 checksum does not match the manifest",
                                   f"the package was changed or damaged; {_DAMAGED}", source)
            files[name] = data
    for name in ("areas.geojson", "plan.geojson"):
        _json(files[name], name, source)
    try:
        files["sitrep.txt"].decode("utf-8")
    except UnicodeDecodeError:
        raise PackageError("sitrep.txt is not UTF-8 text", "the package is damaged",
                           source) from None
    if "roster.toml" in files:
        _toml(files["roster.toml"], "roster.toml", source)
    return CasePackage(manifest=manifest, files=files,
                       scenario=_toml(files["scenario.toml"], "scenario.toml", source),
                       plan=_toml(files["plan.toml"], "plan.toml", source))
