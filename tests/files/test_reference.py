"""The reference page of every input key (docs/input_reference.md) against the readers."""

from __future__ import annotations

import ast
import csv
import importlib
import io
import re
import tomllib
from pathlib import Path

import pytest

from sarkit.errors import SarkitError
from sarkit.files import scenario_toml
from sarkit.files.checked import KeyHelp, Table, recording
from sarkit.files.reference import (
    COMMAND,
    DOCUMENTS,
    PAGE,
    KeyReferenceError,
    example_files,
    main,
    reference_text,
)
from sarkit.files.tomlwrite import dumps
from sarkit.scenario import ScenarioError

ROOT = Path(__file__).resolve().parents[2]
FILES = ROOT / "sarkit" / "files"
ACCESSORS = ("number", "integer", "text", "flag", "time", "pair", "array", "table", "tables",
             "raw")
ROW = re.compile(r"^\| `([^`]+)` \| (.*) \|$")


@pytest.fixture(scope="module")
def page() -> str:
    return (ROOT / PAGE).read_text(encoding="utf-8")


def sections(page: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(file title, table heading, [(key, example cell)]) for every table listed in full."""
    found, title, heading = [], "", ""
    for line in page.splitlines():
        if line.startswith("## "):
            title = line[3:]
        elif line.startswith("### "):
            heading = line[4:]
            found.append((title, heading, []))
        elif (match := ROW.match(line)) and found:
            cells = match.group(2).split(" | ")
            found[-1][2].append((match.group(1), cells[4].strip("`")))
    return found


def page_keys(page: str) -> set[str]:
    """Every key the page names: in a table's rows and in the lists of a table's keys."""
    keys = {match.group(1) for line in page.splitlines() if (match := ROW.match(line))}
    for line in page.splitlines():
        if line.startswith("The keys of "):
            keys |= set(re.findall(r"`([^`\[\]]+)`", line.partition(":")[2]))
    return keys


def test_the_committed_page_is_the_one_the_readers_write(page):
    assert page == reference_text(), (
        f"{PAGE} is out of date: run `{COMMAND}` in the repository root and commit it")


def test_the_command_writes_the_page_and_checks_it(tmp_path, capsys):
    page = tmp_path / "docs" / "input_reference.md"
    assert main(["--check", str(page)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert main([str(page)]) == 0
    assert page.read_text(encoding="utf-8") == reference_text()
    assert main(["--check", str(page)]) == 0


def test_the_readme_links_the_page():
    assert "docs/input_reference.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def _strings(node: ast.AST, module) -> set[str]:
    """The key names an argument of only() or an accessor holds (module constants resolved)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Tuple | ast.List):
        return set().union(*(_strings(item, module) for item in node.elts))
    if isinstance(node, ast.Starred):
        return _strings(node.value, module)
    if isinstance(node, ast.IfExp):
        return _strings(node.body, module) | _strings(node.orelse, module)
    if isinstance(node, ast.Name) and isinstance(getattr(module, node.id, None), tuple):
        return {item for item in getattr(module, node.id) if isinstance(item, str)}
    return set()


def accepted_keys() -> set[str]:
    """Every key name the readers in sarkit/files accept or read, read from their source."""
    keys = set()
    for path in sorted(FILES.glob("*.py")):
        module = importlib.import_module(f"sarkit.files.{path.stem}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            if node.func.attr == "only" and node.args:
                keys |= _strings(node.args[0], module)
            elif node.func.attr in ACCESSORS and node.args:
                keys |= _strings(node.args[0], module)
            keys |= set().union(*(_strings(word.value, module) for word in node.keywords
                                  if word.arg == "allowed"))
    return keys


def test_every_key_the_readers_accept_is_on_the_page(page):
    keys = accepted_keys()
    assert {"radius_nm", "polygon", "weight", "start_time", "night_sensor", "base_lon",
            "period_hours", "visibility_nm", "season"} <= keys  # the source is read
    missing = sorted(keys - page_keys(page))
    assert not missing, (f"keys the readers accept but {PAGE} does not list: {missing}; explain "
                         f"each in the reader's KEY_HELP and run `{COMMAND}`")


def _insert(document: dict, path: list[str], key: str, value) -> bool:
    """Put ``key = value`` into ``document``'s table at ``path`` (an array's first item)."""
    node = document
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, list):
            node = node[0] if node and isinstance(node[0], dict) else None
        if not isinstance(node, dict):
            return False
    node.setdefault(key, value)
    return True


def _accepts(load, path: Path) -> bool:
    """The reader reads ``path`` without refusing a key as unknown."""
    try:
        load(path)
    except SarkitError as exc:
        return "unknown key" not in str(exc) and "unknown column" not in str(exc)
    return True


def test_every_key_on_the_page_is_accepted_by_its_reader(page, tmp_path):
    examples = example_files(tmp_path)
    documents = {document.title: document for document in DOCUMENTS}
    checked = 0
    for title, heading, rows in sections(page):
        if title not in documents:
            continue
        document = documents[title]
        for key, example in rows:
            accepted = []
            for number, source in enumerate(examples[document.name]):
                target = tmp_path / f"try-{number}{source.suffix}"
                if source.suffix == ".csv":
                    lines = [line for line in source.read_text(encoding="utf-8").splitlines()
                             if not line.startswith("#")]
                    header, *rows_ = list(csv.reader(lines))
                    if key not in header:
                        header.append(key)
                        rows_ = [[*row, example] for row in rows_]
                    buffer = io.StringIO()
                    csv.writer(buffer, lineterminator="\n").writerows([header, *rows_])
                    target.write_text(buffer.getvalue(), encoding="utf-8")
                else:
                    doc = tomllib.loads(source.read_text(encoding="utf-8"))
                    table_path = ([] if heading == "Top level" else
                                  heading.strip("`[]").split("."))
                    value = ([{}] if example.startswith("[[") else {}
                             if example.startswith("[") else tomllib.loads(example)[key])
                    if not _insert(doc, table_path, key, value):
                        continue
                    target.write_text(dumps(doc), encoding="utf-8")
                accepted.append(_accepts(document.load, target))
            assert any(accepted), f"{title} {heading}: `{key}` is refused by its reader"
            checked += 1
    assert checked > 80


def test_a_key_without_its_meaning_stops_the_page(monkeypatch):
    monkeypatch.delitem(scenario_toml.KEY_HELP, "track.radius_nm")
    with pytest.raises(KeyReferenceError, match=r"`\[track\]`: `radius_nm` has no KEY_HELP"):
        reference_text()


def test_a_meaning_of_a_key_the_reader_refuses_stops_the_page(monkeypatch):
    monkeypatch.setitem(scenario_toml.KEY_HELP, "lkp.radius_km", KeyHelp("a misspelt key"))
    with pytest.raises(KeyReferenceError, match=r"documents `lkp\.radius_km`, which the "
                                                 r"reader does not accept"):
        reference_text()


def test_the_readers_note_nothing_outside_recording():
    document = {"lkp": {"radius_nm": 5}}
    with recording() as recorder:
        inside = Table(document, ScenarioError, None)
        inside.only(("lkp",))
        inside.table("lkp").number("radius_nm", "5", low=0.0)
    outside = Table(document, ScenarioError, None)
    outside.only(("lkp",))
    outside.table("lkp").number("radius_nm", "5", low=0.0)
    assert set(recorder.tables) == {("ScenarioError", ""), ("ScenarioError", "lkp")}
    assert recorder.tables[("ScenarioError", "lkp")].keys["radius_nm"][0]["low"] == 0.0
    assert len(recorder.tables[("ScenarioError", "lkp")].keys["radius_nm"]) == 2  # number, raw
