"""Export then import reproduces the same GeoJSON byte for byte; the receiver plans on."""

from __future__ import annotations

import json
import zipfile

from sarkit.app.case import import_case
from sarkit.app.cli import main
from sarkit.files.manifest import FORMAT
from sarkit.files.package_reader import read_package
from tests.app.conftest import PARTICLES, members


def test_package_layout_and_manifest(exported):
    contents = members(exported.path)
    assert set(contents) == {"manifest.json", "scenario.toml", "plan.toml", "roster.toml",
                             "areas.geojson", "plan.geojson", "sitrep.txt"}
    manifest = json.loads(contents["manifest.json"])
    assert manifest["format"] == FORMAT
    assert manifest["parameters"]["particles"] == PARTICLES
    assert manifest["parameters"]["seed"] == 1
    assert manifest["parameters"]["run"]["duration_hours"] == 48
    assert manifest["parameters"]["forcing"] == {"currents": "synthetic", "winds": "synthetic"}
    assert set(manifest["files"]) == set(contents) - {"manifest.json"}
    package = read_package(exported.path)
    assert package.plan["drift"]["scenario"] == "scenario.toml"
    assert package.plan["roster"] == "roster.toml"
    assert package.scenario["forcing"]["currents"] == {"synthetic": "andaman_monsoon",
                                                       "season": "southwest"}
    with zipfile.ZipFile(exported.path) as archive:
        assert archive.testzip() is None


def test_export_then_import_is_byte_for_byte(exported, tmp_path):
    result = import_case(exported.path, tmp_path / "case")
    assert result.areas_identical and result.plan_identical
    sent = members(exported.path)
    for name in ("areas.geojson", "plan.geojson", "scenario.toml", "plan.toml", "sitrep.txt"):
        assert (tmp_path / "case" / name).read_bytes() == sent[name]
    assert "byte for byte" in result.summary()
    # the re-run plan read out, as sarkit plan writes it
    said = (tmp_path / "case" / "summary.txt").read_text(encoding="utf-8")
    assert said.startswith(exported.plan.name + "\n") and "datum at " in said
    assert f"total POS {exported.plan.total_pos:.3f}" in said


def test_receiver_plans_on_with_the_same_areas(exported, tmp_path, capsys):
    assert main(["case", "import", str(exported.path), "--out", str(tmp_path / "case")]) == 0
    assert "identical byte for byte" in capsys.readouterr().out
    assert main(["plan", str(tmp_path / "case" / "plan.toml"), "--out", str(tmp_path / "next"),
                 "--no-map", "--quiet"]) == 0
    sent = members(exported.path)
    assert (tmp_path / "next" / "areas.geojson").read_bytes() == sent["areas.geojson"]
    assert (tmp_path / "next" / "plan.geojson").read_bytes() == sent["plan.geojson"]


def test_cli_export_writes_a_package(small_plan, tmp_path, capsys):
    out = tmp_path / "cli.sarkit.zip"
    assert main(["case", "export", str(small_plan), "--out", str(out), "--from", "JRCC Jakarta",
                 "--to", "MRCC Port Blair", "--persons", "80"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("SITREP 1") and "PERSONS ABOARD: 80" in printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cli.sarkit.zip"]
    assert read_package(out).manifest["case"]["from_centre"] == "JRCC Jakarta"


def test_a_trajectories_plan_cannot_be_exported(tmp_path, capsys):
    plan = tmp_path / "plan.toml"
    plan.write_text('[drift]\ntrajectories = "t.nc"\n[search]\nstart = "2024-06-11T00:00Z"\n'
                    'end = "2024-06-11T06:00Z"\n[weather]\nvisibility_nm = 10\n\n[[asset]]\n'
                    'name = "KN SAR Kresna 232"\ntype = "kn-sar-class-2"\n'
                    'centre = "kantor-sar-banda-aceh"\nready = "2024-06-10T08:00Z"\n'
                    'search_speed_kt = 10\nsearch_height_ft = 14\n', encoding="utf-8")
    assert main(["case", "export", str(plan), "--out", str(tmp_path / "c.zip")]) == 1
    err = capsys.readouterr().err
    assert "trajectories file" in err and "Traceback" not in err
    assert not (tmp_path / "c.zip").exists()
