"""Case exchange: one self-describing package file that another centre imports and re-runs.

:func:`export_case` writes ``CASE.sarkit.zip`` from a plan file whose drift is a scenario:

==================  ==========================================================================
``manifest.json``   format, schema version, sarkit version, time, case, parameters, and the
                    size and SHA-256 of every other file (:mod:`sarkit.files.manifest`)
``scenario.toml``   the scenario, self-contained: forcing files point into ``forcing/``;
                    synthetic and constant forcing stay specifications
``forcing/...``     the forcing files the scenario reads (``currents-0.nc``, ``winds-0.nc`` ...)
``roster.toml``     the assets (the plan's roster file, or its ``[[asset]]`` tables);
                    ``roster.csv`` for a CSV roster
``plan.toml``       the plan file, pointing at ``scenario.toml`` and the roster
``areas.geojson``   the search areas at mid-search, byte for byte as ``sarkit plan`` writes them
``plan.geojson``    the plan, likewise
``sitrep.txt``      the SITREP (:func:`sarkit.files.sitrep`)
==================  ==========================================================================

:func:`import_case` checks the whole package first
(:func:`sarkit.files.package_reader.read_package`),
writes it into a staging folder (:func:`sarkit.files.outdir.staged_folder`), re-runs the
case there and compares the recomputed
``areas.geojson`` and ``plan.geojson`` with the sender's byte for byte, and only then moves
the folder into place: a refused package leaves nothing behind. The re-run plan's
``summary.txt`` (the lines an officer reads out, :func:`sarkit.planning.plan_situation`) is
written beside ``plan.geojson``. The receiving centre goes on with ``sarkit plan
DIR/plan.toml``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sarkit._version import __version__
from sarkit.app.run import plan_trajectories
from sarkit.errors import SarkitError
from sarkit.files.atomic import atomic_path
from sarkit.files.checked import read_toml
from sarkit.files.manifest import FORCING_NAME, FORMAT, SCHEMA_VERSION, PackageError
from sarkit.files.outdir import staged_folder
from sarkit.files.package_reader import CasePackage, read_package
from sarkit.files.sitrep import check_sitrep_fields, sitrep
from sarkit.files.summary import SUMMARY_NAME, write_summary
from sarkit.files.tomlwrite import dumps
from sarkit.planning.situation import plan_situation

__all__ = ["CaseExport", "CaseImport", "export_case", "import_case"]

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_HEADER = "sarkit case package: {what}, rewritten by sarkit case export {version}."


@dataclass(frozen=True)
class CaseExport:
    """What :func:`export_case` wrote: the package path and the plan and areas it holds."""

    path: Path
    plan: Any
    areas: Any
    sitrep: str


@dataclass(frozen=True)
class CaseImport:
    """What :func:`import_case` did.

    Attributes
    ----------
    out_dir : Path
        The folder with the case's files (``plan.toml`` to go on planning).
    manifest : dict
    areas_identical, plan_identical : bool or None
        Whether the recomputed ``areas.geojson`` and ``plan.geojson`` equal the sender's byte
        for byte (always True when checked: a difference is refused); None when not checked.
    """

    out_dir: Path
    manifest: dict[str, Any]
    areas_identical: bool | None
    plan_identical: bool | None

    def summary(self) -> str:
        """One paragraph for the officer."""
        case = self.manifest["case"]
        text = (f"imported {case['name']!r} (sarkit {self.manifest['sarkit_version']}, "
                f"{self.manifest['created_utc']}) into {self.out_dir}")
        if self.areas_identical is None:
            return text + "; not re-run (--no-check)"
        return (text + "; re-run here: areas.geojson and plan.geojson identical byte for byte"
                f"; go on with: sarkit plan {self.out_dir / 'plan.toml'} --out NEXT")


@dataclass(frozen=True)
class _Case:
    plan_file: Any
    plan: Any
    areas: Any
    areas_bytes: bytes
    plan_bytes: bytes


def _compute(plan_path: Path) -> _Case:
    """Run the plan file's drift and plan, as ``sarkit plan`` does; the GeoJSON bytes too."""
    from sarkit.files.geojson import (
        areas_features,
        feature_collection,
        plan_collection,
        write_geojson,
    )
    from sarkit.files.planfile import load_plan_file
    from sarkit.planning.plan import plan_search
    from sarkit.poc.areas import search_areas

    plan_file = load_plan_file(plan_path)
    trajectories = plan_trajectories(plan_file.drift)
    plan = plan_search(trajectories, plan_file.assets, plan_file.window, plan_file.weather,
                       search_object=plan_file.search_object, tables=plan_file.tables,
                       cell_nm=plan_file.cell_nm, name=plan_file.name)
    areas = search_areas(plan.poc)
    with tempfile.TemporaryDirectory(prefix="sarkit-case-") as folder:
        write_geojson(feature_collection(areas_features(areas, scenario=plan_file.name),
                                         name=plan.name), Path(folder) / "areas.geojson")
        write_geojson(plan_collection(plan), Path(folder) / "plan.geojson")
        return _Case(plan_file, plan, areas, (Path(folder) / "areas.geojson").read_bytes(),
                     (Path(folder) / "plan.geojson").read_bytes())


# --------------------------------------------------------------------------- export


def _scenario_document(scenario, stage: Path) -> dict[str, Any]:
    """The scenario's TOML document with its forcing files copied into ``stage/forcing``."""
    if scenario.source is None:
        raise SarkitError("the plan's scenario was not read from a file",
                          "export a plan whose scenario is a TOML file or \"default\"")
    doc = read_toml(Path(scenario.source), SarkitError, "scenario file")
    doc["name"] = scenario.name
    remote = [model.label for model in (*scenario.currents, *scenario.winds)
              if model.spec.kind == "remote"]
    if remote:
        raise SarkitError(f"the scenario's forcing comes from a server ({remote[0]}): a case "
                          "package carries its forcing as files",
                          "download the forcing as netCDF files and name them in the "
                          "scenario, then export")
    copied: dict[Path, str] = {}
    for key, models in (("currents", scenario.currents), ("winds", scenario.winds)):
        mine = 0  # the files copied for this key: forcing/currents-0.nc, -1 ...
        for number, model in enumerate(models):
            if model.spec.kind != "files":
                continue
            names = []
            for path in model.spec.paths:
                resolved = Path(path).resolve()
                if resolved not in copied:
                    suffix = resolved.suffix if len(resolved.suffix) <= 9 else ""
                    name = f"forcing/{key}-{mine}{suffix}"
                    if FORCING_NAME.fullmatch(name) is None:
                        name = f"forcing/{key}-{mine}"
                    (stage / "forcing").mkdir(exist_ok=True)
                    shutil.copyfile(resolved, stage / name)
                    copied[resolved] = name
                    mine += 1
                names.append(copied[resolved])
            value = doc["forcing"][key]
            if isinstance(value, list) and value and isinstance(value[0], dict):
                value[number]["files"] = names  # one of several models
            elif isinstance(value, dict):
                value["files"] = names  # { files = [...], members = "all" }
            else:
                doc["forcing"][key] = names
    return doc


def _plan_document(plan_path: Path, plan_file, stage: Path) -> tuple[dict[str, Any], str]:
    """The plan file's document pointing into the package; writes the roster; its name."""
    doc = read_toml(plan_path, SarkitError, "plan file")
    doc["name"] = plan_file.name
    doc["drift"]["scenario"] = "scenario.toml"
    if "roster" in doc:
        source = plan_path.resolve().parent / doc["roster"]
        roster = "roster.csv" if source.suffix.lower() == ".csv" else "roster.toml"
        shutil.copyfile(source, stage / roster)
    else:
        roster = "roster.toml"
        (stage / roster).write_text(dumps({"asset": doc.pop("asset")}, header=_HEADER.format(
            what=f"the assets of {plan_file.name}", version=__version__)), encoding="utf-8")
    doc["roster"] = roster
    return doc, roster


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(2**20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_zip(stage: Path, names: list[str], manifest: dict[str, Any], target: Path) -> None:
    with atomic_path(target) as temporary, zipfile.ZipFile(
            temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ["manifest.json", *names]:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            if name == "manifest.json":
                archive.writestr(info, json.dumps(manifest, indent=1) + "\n")
            else:
                with (stage / name).open("rb") as source, archive.open(info, "w") as sink:
                    shutil.copyfileobj(source, sink, 2**20)


def export_case(plan_file_path: str | os.PathLike, out_path: str | os.PathLike, *,
                from_centre: str = "NOT GIVEN", to_centre: str = "NOT GIVEN",
                persons: int | None = None, sitrep_number: int = 1) -> CaseExport:
    """Write a case package (layout in the module docstring) for a plan file.

    The drift is run and the plan made from the package's own rewritten files, so the
    package holds exactly what a receiving centre recomputes.

    Parameters
    ----------
    plan_file_path : path-like
        A plan file (:mod:`sarkit.files.planfile`) whose drift is a scenario.
    out_path : path-like
        The package file (``CASE.sarkit.zip``), written atomically.
    from_centre, to_centre, persons, sitrep_number
        For the SITREP (:func:`sarkit.files.sitrep`).

    Raises
    ------
    SarkitError
        From the plan file, its scenario or roster, or where its drift is trajectories;
        :class:`~sarkit.errors.BadValueError` for a SITREP number or persons below 1 or a
        centre with a control character, before anything is run.
    """
    from sarkit.files.planfile import load_plan_file

    check_sitrep_fields(number=sitrep_number, from_centre=from_centre, to_centre=to_centre,
                        persons=persons)
    plan_path, out_path = Path(plan_file_path), Path(out_path)
    plan_file = load_plan_file(plan_path)
    scenario = plan_file.drift.scenario
    if scenario is None:
        raise SarkitError("the plan's drift is a trajectories file, which another centre "
                          "cannot re-run", 'export a plan whose [drift] names a scenario '
                          '(scenario = "case.toml" or "default")', plan_path)
    if out_path.is_dir():
        raise SarkitError("is a folder", "give a file name such as CASE.sarkit.zip", out_path)
    from sarkit.app.plan import plan_inputs

    if out_path.resolve() in {Path(p).resolve() for p in plan_inputs(plan_file)}:
        raise SarkitError("is a file the case is made from: the package would replace it",
                          "give a new file name such as CASE.sarkit.zip", out_path)
    with tempfile.TemporaryDirectory(prefix="sarkit-export-") as folder:
        stage = Path(folder)
        scenario_doc = _scenario_document(scenario, stage)
        (stage / "scenario.toml").write_text(dumps(scenario_doc, header=_HEADER.format(
            what=f"the scenario of {plan_file.name}", version=__version__)), encoding="utf-8")
        plan_doc, roster = _plan_document(plan_path, plan_file, stage)
        (stage / "plan.toml").write_text(dumps(plan_doc, header=_HEADER.format(
            what=f"the plan file of {plan_file.name}", version=__version__)), encoding="utf-8")
        case = _compute(stage / "plan.toml")
        (stage / "areas.geojson").write_bytes(case.areas_bytes)
        (stage / "plan.geojson").write_bytes(case.plan_bytes)
        report = sitrep(case.plan, case.areas, scenario=case.plan_file.drift.scenario,
                        number=sitrep_number, from_centre=from_centre, to_centre=to_centre,
                        persons=persons)
        (stage / "sitrep.txt").write_text(report, encoding="utf-8")
        names = ["scenario.toml", "plan.toml", roster, "areas.geojson", "plan.geojson",
                 "sitrep.txt", *sorted(str(p.relative_to(stage).as_posix())
                                       for p in (stage / "forcing").glob("*"))]
        run = case.plan_file.drift.scenario
        manifest = {
            "format": FORMAT,
            "schema_version": f"{SCHEMA_VERSION[0]}.{SCHEMA_VERSION[1]}",
            "sarkit_version": __version__,
            "created_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "case": {"name": plan_file.name, "scenario": scenario.name,
                     "from_centre": from_centre, "to_centre": to_centre},
            "parameters": {
                "seed": plan_file.drift.seed if plan_file.drift.seed is not None else run.seed,
                "particles": (plan_file.drift.particles if plan_file.drift.particles
                              is not None else run.particle_count),
                "run": dataclasses.asdict(run.run_settings),
                "forcing": {"currents": _kinds(run.currents), "winds": _kinds(run.winds)},
            },
            "files": {name: {"size": (stage / name).stat().st_size,
                             "sha256": _digest(stage / name)} for name in names},
        }
        _write_zip(stage, names, manifest, out_path)
    return CaseExport(out_path, case.plan, case.areas, report)


def _kinds(models) -> str:
    """What a scenario's current or wind comes from, for the manifest (``"files"``; several
    models: each model's, ``"files, remote"``)."""
    return ", ".join(model.spec.kind for model in models)


# --------------------------------------------------------------------------- import


def _check_documents(package: CasePackage, source: str) -> None:
    """The plan and scenario may only point at the package's own files."""
    plan, files = package.plan, package.files
    drift = plan.get("drift")
    roster = plan.get("roster")
    if not isinstance(drift, dict) or drift.get("scenario") != "scenario.toml" or (
            "trajectories" in drift):
        raise PackageError("plan.toml: [drift] must name scenario = \"scenario.toml\"",
                           "the package is damaged or forged; ask the sender for a new export",
                           source)
    if roster not in files or "asset" in plan:
        raise PackageError("plan.toml must name the package's roster (roster = "
                           "\"roster.toml\" or \"roster.csv\") and no [[asset]] tables",
                           "the package is damaged or forged; ask the sender for a new export",
                           source)
    forcing = package.scenario.get("forcing")
    if not isinstance(forcing, dict):
        raise PackageError("scenario.toml has no [forcing] table",
                           "the package is damaged; ask the sender for a new export", source)
    for key in ("currents", "winds"):
        for item in _named_files(forcing.get(key)):
            if not isinstance(item, str) or item not in files or not item.startswith(
                    "forcing/"):
                raise PackageError(f"scenario.toml: forcing.{key} names {item!r}, not a "
                                   "forcing file in the package", "the package is damaged or "
                                   "forged; ask the sender for a new export", source)


def _named_files(value) -> list:
    """Every file a scenario's ``currents`` or ``winds`` names: a file, a list of them, a table
    with ``files``, or a list of such tables (several models); none for a constant or
    synthetic table (checked by the scenario reader)."""
    if isinstance(value, dict):
        return _named_files(value["files"]) if "files" in value else []
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        return [name for item in value
                for name in (_named_files(item) if isinstance(item, dict) else [item])]
    return value if isinstance(value, list) else [value]


def _stage_files(stage: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = stage.joinpath(*name.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _recompute(stage: Path, package: CasePackage, source: str) -> _Case:
    try:
        case = _compute(stage / "plan.toml")
    except SarkitError as exc:
        where = Path(exc.source).name if exc.source else "the case"
        raise PackageError(f"{where} in the package does not load: {exc.problem}",
                           exc.fix or "ask the sender for a new export", source) from None
    for name, data in (("areas.geojson", case.areas_bytes), ("plan.geojson", case.plan_bytes)):
        if data != package.files[name]:
            raise PackageError(
                f"the {name} recomputed here differs from the sender's (sender sarkit "
                f"{package.manifest['sarkit_version']}, here {__version__})",
                "import with the sender's sarkit version to reproduce it, or with --no-check "
                "to take the sender's files as they are", source)
    return case


def import_case(package_path: str | os.PathLike, out_dir: str | os.PathLike, *,
                check: bool = True) -> CaseImport:
    """Check a case package, re-run it and write its files into ``out_dir``, all or nothing.

    Parameters
    ----------
    package_path : path-like
        A package from :func:`export_case` (untrusted: every check of
        :func:`sarkit.files.package_reader.read_package` runs before anything is written).
    out_dir : path-like
        A new (or empty) folder; made where missing.
    check : bool
        Re-run the drift and the plan and require ``areas.geojson`` and ``plan.geojson`` to
        equal the sender's byte for byte.

    Raises
    ------
    PackageError
        For a package that is refused (nothing is written) or whose recomputed files differ.
    SarkitError
        Where ``out_dir`` is a file or a folder that is not empty.
    """
    package_path, out_dir = Path(package_path), Path(out_dir)
    source = str(package_path)
    package = read_package(package_path)
    _check_documents(package, source)
    with staged_folder(out_dir, "case import", [package_path]) as stage:
        _stage_files(stage, package.files)
        (stage / "manifest.json").write_text(json.dumps(package.manifest, indent=1) + "\n",
                                             encoding="utf-8")
        if check:
            case = _recompute(stage, package, source)
            write_summary(plan_situation(case.plan), stage / SUMMARY_NAME)
    return CaseImport(out_dir, package.manifest, check or None, check or None)
