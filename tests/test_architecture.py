"""The house rules of sarkit's layout (docs/ARCHITECTURE.md), read from the source itself.

Every import in the package is read, those inside functions and ``TYPE_CHECKING`` blocks
included, and checked against the four rings: core < files < plot < app. A ring imports
only from the rings below it, no import cycle exists between modules, matplotlib is
imported only in ``plot`` and ``app``, and no private name (``_name``) is imported from
another package.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sarkit"

RINGS = {"core": 0, "files": 1, "plot": 2, "app": 3}
ABOVE_CORE = {"files": "files", "plot": "plot", "app": "app", "__main__": "app"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def ring(module: str) -> str | None:
    """The ring of a sarkit module; None for the package root (the curated public API)."""
    parts = module.split(".")
    if len(parts) == 1:
        return None
    return ABOVE_CORE.get(parts[1], "core")


def package_of(module: str) -> str:
    """``sarkit.planning`` for ``sarkit.planning.plan``; the module itself at the root."""
    parts = module.split(".")
    return ".".join(parts[:2])


def imports(module: str) -> Iterator[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import in ``module``."""
    path = MODULES[module]
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [alias.name for alias in node.names]
            # ``from sarkit.poc import grid`` imports the module sarkit.poc.grid
            submodules = [f"{target}.{name}" for name in names if f"{target}.{name}" in MODULES]
            if submodules:
                for sub in submodules:
                    yield sub, [], node.lineno
                rest = [n for n in names if f"{target}.{n}" not in MODULES]
                if rest:
                    yield target, rest, node.lineno
            else:
                yield target, names, node.lineno


def sarkit_imports(module: str) -> Iterator[tuple[str, list[str], int]]:
    for target, names, line in imports(module):
        if target == "sarkit" or target.startswith("sarkit."):
            # a name inside a module that does not exist as a module: its parent is meant
            while target not in MODULES and "." in target:
                target = target.rsplit(".", 1)[0]
            yield target, names, line


def test_the_modules_are_found():
    assert "sarkit.drift.kernels" in MODULES
    assert {ring(m) for m in MODULES} == {None, "core", "files", "plot", "app"}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_ring_imports_only_from_the_rings_below(module):
    own = ring(module)
    if own is None:
        return
    wrong = [f"line {line}: {target} ({ring(target) or 'the package root'})"
             for target, _names, line in sarkit_imports(module)
             if target != module and (ring(target) is None or RINGS[ring(target)] > RINGS[own])]
    assert not wrong, f"{module} ({own}) imports from a ring above it: {wrong}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_matplotlib_only_in_plot_and_app(module):
    if ring(module) in ("plot", "app"):
        return
    found = [f"line {line}: {target}" for target, _names, line in imports(module)
             if target == "matplotlib" or target.startswith("matplotlib.")]
    assert not found, f"{module} imports matplotlib: {found}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_name_is_imported_from_another_package(module):
    found = [f"line {line}: {name} from {target}"
             for target, names, line in sarkit_imports(module)
             if package_of(target) != package_of(module)
             for name in names if name.startswith("_") and not name.startswith("__")]
    assert not found, f"{module} imports private names of another package: {found}"


def module_aliases(module: str) -> dict[str, str]:
    """Local names bound to sarkit modules: ``from sarkit.planning import assets as roster``."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                if target in MODULES:
                    aliases[alias.asname or alias.name] = target
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES and alias.asname:
                    aliases[alias.asname] = alias.name
    return aliases


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_name_is_used_through_another_package_module(module):
    aliases = module_aliases(module)
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found = [f"line {node.lineno}: {node.value.id}.{node.attr}" for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
             and node.value.id in aliases and node.attr.startswith("_")
             and not node.attr.startswith("__")
             and package_of(aliases[node.value.id]) != package_of(module)]
    assert not found, f"{module} uses private names of another package: {found}"


def test_no_import_cycle():
    graph = {m: {t for t, _n, _l in sarkit_imports(m) if t != m} for m in MODULES}
    # a package's __init__ that re-exports its modules, and a module that imports a sibling
    # through that package, form a cycle: Python survives it only by import order
    cycles = _strongly_connected(graph)
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(sorted(c)) for c in cycles)


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative; components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _strongly_connected(graph) == [{"a", "b", "c"}]
    assert _strongly_connected({"a": {"b"}, "b": set()}) == []
