"""The house's layers hold: no app imports one above it, and no app's modules import in a
circle (STYLE.md, "Dependencies point one way"). Read from the source, so a stray import in
a function body counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Each app and the apps it may import (besides itself).
MAY_IMPORT = {
    "core": set(),
    "agreements": {"core"},
    "forums": {"core", "agreements"},
    "accounts": {"core", "agreements"},
    "actionplans": {"core", "agreements", "forums"},
    "followup": {"core", "agreements", "forums", "actionplans"},
    "dashboard": {"core", "agreements", "forums", "actionplans", "followup", "accounts"},
}
APPS = set(MAY_IMPORT) | {"docimport"}


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _imported(tree) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_no_app_imports_one_above_it(app):
    wrong = {
        f"{path.relative_to(ROOT)} imports {other}"
        for path, tree in _modules(app)
        for other in _imported(tree) & APPS - MAY_IMPORT[app] - {app}
    }
    assert not wrong, sorted(wrong)


def _module_name(app: str, path: Path) -> str:
    """``agreements/models/__init__.py`` -> ``models``; ``agreements/models/areas.py`` ->
    ``models.areas``; ``agreements/selectors.py`` -> ``selectors``."""
    parts = list(path.relative_to(ROOT / app).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _local_graph(app: str) -> dict[str, set[str]]:
    """Which modules of the app each module imports (relative and absolute imports)."""
    graph: dict[str, set[str]] = {}
    for path, tree in _modules(app):
        name = _module_name(app, path)
        if not name:
            continue
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        graph[name] = set()
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join([*base, *([node.module] if node.module else [])])
                names = [target] if node.module else [".".join([*base, a.name]) for a in node.names]
            elif node.module == app:
                names = [alias.name for alias in node.names]
            elif node.module and node.module.startswith(f"{app}."):
                names = [node.module[len(app) + 1 :]]
            else:
                continue
            graph[name].update(n for n in names if n)
    # An import of a name from a package counts as an import of the package only.
    return {m: {t for t in targets if t != m} for m, targets in graph.items()}


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_no_modules_of_an_app_import_in_a_circle(app):
    graph = _local_graph(app)
    circles = set()

    def walk(start, node, path):
        for nxt in graph.get(node, ()):
            if nxt == start:
                circles.add(" -> ".join([*path, start]))
            elif nxt in graph and nxt not in path:
                walk(start, nxt, [*path, nxt])

    for module in graph:
        walk(module, module, [module])
    assert not circles, sorted(circles)


def test_no_view_reads_the_access_facts_itself():
    """Views reach objects through access.get_for_user/require/allows and the rules by name."""
    offenders = []
    for app in MAY_IMPORT:
        for path, tree in _modules(app):
            if not path.name.endswith("views.py"):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Name | ast.Attribute):
                    name = node.id if isinstance(node, ast.Name) else node.attr
                    if name == "get_access":
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders
