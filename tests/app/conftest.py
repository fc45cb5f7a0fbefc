"""A small exported case shared by the exchange tests, and a forger of bad packages."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest

from sarkit.app.case import CaseExport, export_case

PARTICLES = 300


@pytest.fixture(scope="session")
def small_plan(tmp_path_factory) -> Path:
    """The bundled example plan with few particles (fast), beside nothing else."""
    text = (files("sarkit") / "data" / "example_plan.toml").read_text(encoding="utf-8")
    assert "particles = 5000" in text
    path = tmp_path_factory.mktemp("plan") / "small_plan.toml"
    path.write_text(text.replace("particles = 5000", f"particles = {PARTICLES}"),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def exported(small_plan, tmp_path_factory) -> CaseExport:
    """The small case exported once for the session."""
    out = tmp_path_factory.mktemp("export") / "case.sarkit.zip"
    return export_case(small_plan, out, from_centre="JRCC Jakarta",
                       to_centre="MRCC Port Blair", persons=120)


def members(package: Path) -> dict[str, bytes]:
    """Every member of a package, by name."""
    with zipfile.ZipFile(package) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def forge(package: Path, target: Path,
          edit: Callable[[dict[str, bytes], dict], None] | None = None, *,
          reseal: bool = True, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A copy of ``package`` with its members edited (``edit(contents, manifest)``).

    With ``reseal`` the manifest's sizes and checksums are recomputed for the edited members,
    as a careful forger would; the manifest as edited is written last.
    """
    contents = members(package)
    manifest = json.loads(contents.pop("manifest.json"))
    if edit is not None:
        edit(contents, manifest)
    if reseal:
        for name, data in contents.items():
            if name in manifest.get("files", {}):
                manifest["files"][name] = {"size": len(data),
                                           "sha256": hashlib.sha256(data).hexdigest()}
    with zipfile.ZipFile(target, "w", compression=compression) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        for name, data in contents.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return target
