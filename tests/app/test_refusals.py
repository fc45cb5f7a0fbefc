"""Untrusted packages: every malformed, unsafe, oversized or too new package is refused with a
clear message, and nothing is written."""

from __future__ import annotations

import json
import pickle
import zipfile
from pathlib import Path

import pytest

from sarkit.app.case import import_case
from sarkit.app.cli import main
from sarkit.files.manifest import MAX_FILE_BYTES, MAX_RATIO, PackageError
from tests.app.conftest import forge


def refused(package: Path, tmp_path: Path, *fragments: str) -> str:
    """Import must fail naming every fragment, leaving no output folder and no staging."""
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(PackageError) as caught:
        import_case(package, tmp_path / "received")
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    assert "Fix:" in message
    assert not (tmp_path / "received").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    return message


def test_truncated_zip(exported, tmp_path):
    data = exported.path.read_bytes()
    for cut in (len(data) // 2, len(data) - 30):
        bad = tmp_path / f"cut{cut}.sarkit.zip"
        bad.write_bytes(data[:cut])
        refused(bad, tmp_path, "truncated")


def test_not_a_zip(tmp_path):
    bad = tmp_path / "text.sarkit.zip"
    bad.write_text("name = 'case'\n")
    refused(bad, tmp_path, "not a complete zip package")


@pytest.mark.parametrize("name", ["../evil", "forcing/../../evil", "/etc/evil", "C:/evil"])
def test_names_leaving_the_package(exported, tmp_path, name):
    bad = forge(exported.path, tmp_path / "escape.sarkit.zip",
                lambda contents, manifest: contents.update({name: b"x"}))
    refused(bad, tmp_path, "unsafe member name", repr(name))


def test_a_link_is_refused(exported, tmp_path):
    bad = forge(exported.path, tmp_path / "link.sarkit.zip")
    with zipfile.ZipFile(bad, "a") as archive:
        info = zipfile.ZipInfo("forcing/currents-0.nc")
        info.external_attr = 0o120777 << 16  # a symbolic link
        archive.writestr(info, "/etc/passwd")
    refused(bad, tmp_path, "link")


def test_a_pickle_inside_is_refused(exported, tmp_path):
    payload = pickle.dumps({"plan": "never unpickled"})
    bad = forge(exported.path, tmp_path / "pickle.sarkit.zip",
                lambda contents, manifest: contents.update({"case.pkl": payload}))
    refused(bad, tmp_path, "unknown member 'case.pkl'")

    def listed(contents, manifest):
        contents["case.pkl"] = payload
        manifest["files"]["case.pkl"] = {"size": 1, "sha256": "0" * 64}

    bad = forge(exported.path, tmp_path / "listed.sarkit.zip", listed)
    refused(bad, tmp_path, "unknown file 'case.pkl'")


def test_oversized_member_declared(exported, tmp_path):
    def declare(contents, manifest):
        manifest["files"]["areas.geojson"]["size"] = MAX_FILE_BYTES + 1

    bad = forge(exported.path, tmp_path / "declared.sarkit.zip", declare, reseal=False)
    refused(bad, tmp_path, "areas.geojson declares", "over the limit")


def test_oversized_member_actual(exported, tmp_path):
    # The manifest keeps the honest small size; the member itself is over the limit.
    big = b" " * (MAX_FILE_BYTES + 1)
    bad = forge(exported.path, tmp_path / "actual.sarkit.zip",
                lambda contents, manifest: contents.update({"sitrep.txt": big}), reseal=False)
    refused(bad, tmp_path, "sitrep.txt is", "bytes uncompressed, over the limit")


def test_size_differs_from_manifest(exported, tmp_path):
    bad = forge(exported.path, tmp_path / "longer.sarkit.zip",
                lambda contents, manifest: contents.update(
                    {"sitrep.txt": contents["sitrep.txt"] + b"more"}), reseal=False)
    refused(bad, tmp_path, "sitrep.txt is", "the manifest declares")


def test_zip_bomb(exported, tmp_path):
    bomb = b"\x00" * (32 * 2**20)  # 32 MiB of zeros: under the size limit, ~1000x ratio
    bad = forge(exported.path, tmp_path / "bomb.sarkit.zip",
                lambda contents, manifest: contents.update({"areas.geojson": bomb}))
    message = refused(bad, tmp_path, "areas.geojson would inflate", "zip bomb")
    assert f"limit of {MAX_RATIO:.0f}" in message


def test_bad_checksum(exported, tmp_path):
    def tamper(contents, manifest):
        text = contents["sitrep.txt"]
        contents["sitrep.txt"] = text.replace(b"CASE OPEN", b"CASE SHUT")

    bad = forge(exported.path, tmp_path / "tampered.sarkit.zip", tamper, reseal=False)
    refused(bad, tmp_path, "sitrep.txt: the SHA-256 checksum does not match")


@pytest.mark.parametrize(("edit", "fragment"), [
    (lambda m: m.pop("parameters"), "parameters is missing"),
    (lambda m: m["parameters"].pop("seed"), "parameters.seed is missing"),
    (lambda m: m["parameters"].update(seed="1"), "parameters.seed is str"),
    (lambda m: m["parameters"].update(particles=True), "parameters.particles is bool"),
    (lambda m: m.update(files=["areas.geojson"]), "files is list"),
    (lambda m: m["case"].pop("name"), "case.name is missing"),
    (lambda m: m["files"]["plan.toml"].update(sha256="abc"), "not a SHA-256"),
    (lambda m: m.update(format="zip"), "format 'zip' is not 'sarkit-case'"),
    (lambda m: m.update(schema_version=2), "schema_version is int"),
    (lambda m: m.update(extra=1), "unknown key 'extra'"),
    (lambda m: m["files"].pop("sitrep.txt"), "manifest.json lists no sitrep.txt"),
])
def test_manifest_schema(exported, tmp_path, edit, fragment):
    bad = forge(exported.path, tmp_path / "schema.sarkit.zip",
                lambda contents, manifest: edit(manifest), reseal=False)
    refused(bad, tmp_path, "manifest.json", fragment)


def test_manifest_not_json(exported, tmp_path):
    bad = forge(exported.path, tmp_path / "nojson.sarkit.zip")
    contents = {}
    with zipfile.ZipFile(bad) as archive:
        contents = {i.filename: archive.read(i) for i in archive.infolist()}
    contents["manifest.json"] = b'{"format": "sarkit-case", NaN'
    with zipfile.ZipFile(bad, "w") as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    refused(bad, tmp_path, "manifest.json is not valid JSON")


def test_newer_schema_version(exported, tmp_path, capsys):
    def newer(contents, manifest):
        manifest.update(schema_version="2.0", sarkit_version="9.1.0", new_member={"x": 1})
        contents["forcing/tides-0.nc"] = b"a member this sarkit does not know"

    bad = forge(exported.path, tmp_path / "newer.sarkit.zip", newer, reseal=False)
    message = refused(bad, tmp_path, "schema version 2.0", "sarkit 9.1.0", "version 1.0",
                      "update sarkit")
    assert message.startswith(str(bad))
    assert main(["case", "import", str(bad), "--out", str(tmp_path / "received")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "update sarkit" in err and "Traceback" not in err
    assert not (tmp_path / "received").exists()


def test_newer_minor_version_is_read(exported, tmp_path):
    def minor(contents, manifest):
        manifest.update(schema_version="1.7", comment="a key a newer minor version added")

    good = forge(exported.path, tmp_path / "minor.sarkit.zip", minor)
    result = import_case(good, tmp_path / "received", check=False)
    assert result.areas_identical is None
    assert (tmp_path / "received" / "plan.toml").is_file()


@pytest.mark.parametrize("name", ["scenario.toml", "plan.toml", "roster.toml"])
def test_malformed_toml(exported, tmp_path, name):
    bad = forge(exported.path, tmp_path / "toml.sarkit.zip",
                lambda contents, manifest: contents.update({name: b"name = [\n"}))
    refused(bad, tmp_path, f"{name} is not valid TOML")


def test_malformed_geojson(exported, tmp_path):
    bad = forge(exported.path, tmp_path / "geojson.sarkit.zip",
                lambda contents, manifest: contents.update({"plan.geojson": b'{"type": '}))
    refused(bad, tmp_path, "plan.geojson is not valid JSON")


def test_plan_pointing_outside_the_package(exported, tmp_path):
    def outside(contents, manifest):
        contents["plan.toml"] = contents["plan.toml"].replace(
            b'scenario = "scenario.toml"', b'scenario = "/etc/case.toml"')

    bad = forge(exported.path, tmp_path / "outside.sarkit.zip", outside)
    refused(bad, tmp_path, "[drift] must name scenario")

    def forcing(contents, manifest):
        text = contents["scenario.toml"].decode()
        start = text.index("[forcing.currents]")
        end = text.index("[forcing.winds]")
        contents["scenario.toml"] = (text[:start] + text[end:]).replace(
            "[forcing]", '[forcing]\ncurrents = ["../../cmems.nc"]').encode()

    bad = forge(exported.path, tmp_path / "forcing.sarkit.zip", forcing)
    refused(bad, tmp_path, "forcing.currents names '../../cmems.nc'")


def test_semantic_errors_inside_the_package(exported, tmp_path):
    def nonsense(contents, manifest):
        contents["scenario.toml"] = contents["scenario.toml"].replace(
            b"radius_nm = 5", b"radius_nm = -5")

    bad = forge(exported.path, tmp_path / "nonsense.sarkit.zip", nonsense)
    refused(bad, tmp_path, "scenario.toml in the package does not load", "radius_nm")


def test_a_changed_drift_is_not_the_same_case(exported, tmp_path):
    def other_seed(contents, manifest):
        contents["plan.toml"] = contents["plan.toml"].replace(
            b"particles = 300", b"particles = 300\nseed = 7")

    bad = forge(exported.path, tmp_path / "seed.sarkit.zip", other_seed)
    refused(bad, tmp_path, "areas.geojson recomputed here differs from the sender's")


def test_out_dir_must_be_new(exported, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(Exception, match="holds files that sarkit did not write"):
        import_case(exported.path, tmp_path / "full")
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["keep.txt"]


def test_json_is_never_evaluated(exported, tmp_path):
    def code(contents, manifest):
        manifest["case"]["name"] = "__import__('os').system('touch pwned')"

    good = forge(exported.path, tmp_path / "code.sarkit.zip", code)
    result = import_case(good, tmp_path / "received", check=False)
    assert result.manifest["case"]["name"].startswith("__import__")
    assert not Path("pwned").exists() and not (tmp_path / "pwned").exists()
    assert json.loads((tmp_path / "received" / "manifest.json").read_text())["case"]["name"] \
        == result.manifest["case"]["name"]
