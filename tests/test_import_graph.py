"""The package's import graph: no circle, and no import hidden in a function to get round
one. A circle broken by a function-level import still ties the two modules together, only
later (and in the wrong order of knowledge); the shared piece belongs in its own module.

Read from the source (ast), so it sees every import: at module level, inside functions and
under ``if TYPE_CHECKING:`` (a type-only circle is a circle too)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "bridge"

# The only imports allowed inside a function, each for a reason that is not a circle.
DEFERRED = {
    # The entry point loads what it starts, and only that: the playground (with its own
    # optional dependencies) when no token is configured, else the Telegram runtime.
    ("bridge.main", "bridge.playground"),
    ("bridge.main", "bridge.runtime.runner"),
    # A storage backend's driver is loaded only when its URL scheme is used.
    ("bridge.storage", "bridge.storage.sqlite"),
    ("bridge.storage", "bridge.storage.postgres"),
}


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    in_function: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _resolve(module: str, name: str | None) -> str | None:
    """The module an import names: ``from a.b import c`` is ``a.b.c`` when that is a
    module, else ``a.b``."""
    if name is not None and f"{module}.{name}" in MODULES:
        return f"{module}.{name}"
    return module if module in MODULES else None


def _imports(source: str, path: Path) -> list[Import]:
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                for alias in child.names:
                    target = _resolve(child.module, alias.name)
                    if target is not None:
                        found.append(Import(source, target, child.lineno, in_function))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name in MODULES:
                        found.append(Import(source, alias.name, child.lineno, in_function))
            visit(child, nested)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


IMPORTS = [i for name, path in sorted(MODULES.items()) for i in _imports(name, path)]


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            connect(v)
    return found


def test_the_checker_sees_imports_at_every_level(tmp_path: Path) -> None:
    """Guards the guard: it finds imports of each kind, and circles."""
    seen = {(i.source, i.target, i.in_function) for i in IMPORTS}
    assert ("bridge.core.app", "bridge.core.outbox", False) in seen
    assert ("bridge.main", "bridge.runtime.runner", True) in seen
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from typing import TYPE_CHECKING\n"
        "from bridge.core.models import Member\n"
        "if TYPE_CHECKING:\n"
        "    from bridge.core import notify\n"
        "def f():\n"
        "    from bridge.core.outbox import Outbox\n",
        encoding="utf-8",
    )
    assert [(i.target, i.in_function) for i in _imports("probe", probe)] == [
        ("bridge.core.models", False),
        ("bridge.core.notify", False),
        ("bridge.core.outbox", True),
    ]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_hides_in_a_function() -> None:
    hidden = [
        f"{i.source} (line {i.line}) imports {i.target}"
        for i in IMPORTS
        if i.in_function and (i.source, i.target) not in DEFERRED
    ]
    assert hidden == [], "move the shared piece into its own module instead"


def test_no_module_of_the_package_imports_itself_back() -> None:
    """Counting every import, type-only and deferred ones too."""
    edges: dict[str, set[str]] = {}
    for i in IMPORTS:
        if i.target != i.source:
            edges.setdefault(i.source, set()).add(i.target)
    assert _cycles(edges) == []


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("bridge.core", ("telegram", "bridge.handlers", "bridge.storage.sqlite", "bridge.seed")),
        ("bridge.seed", ("bridge.storage.sqlite", "telegram", "bridge.handlers")),
        ("bridge.handlers", ("bridge.storage.sqlite",)),
    ],
)
def test_layers_import_only_downwards(layer: str, forbidden: tuple[str, ...]) -> None:
    """The core knows no framework nor adapter; the seeder writes through the storage
    port (`Store.bulk()`), never the SQLite adapter; handlers never write SQL."""
    wrong = []
    for name, path in MODULES.items():
        if name != layer and not name.startswith(layer + "."):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            wrong += [
                f"{name} imports {n}"
                for n in names
                if any(n == f or n.startswith(f + ".") for f in forbidden)
            ]
    assert wrong == []
