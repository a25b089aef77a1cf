"""The package's imports run one way (DESIGN.md, "Layout"): read every module's imports with
``ast`` — at module level and inside functions alike, so that an import moved into a function
cannot hide a cycle — and check the rules of the layering."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "chatlint"


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return modules()[name].name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute name a ``from … import`` refers to, seen from ``module``."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not _is_package(module):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


@cache
def imports(module: str) -> tuple[tuple[str, str | None, int], ...]:
    """(imported module, imported name or None, line) for every import of ``module`` inside
    the package."""
    tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((a.name, None, node.lineno) for a in node.names if a.name.split(".")[0] == "chatlint")
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            if target.split(".")[0] != "chatlint":
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                if sub in modules():
                    out.append((sub, None, node.lineno))  # `from . import morph`: a module
                else:
                    out.append((target, a.name, node.lineno))
    return tuple(out)


def graph() -> dict[str, set[str]]:
    return {m: {t for t, _, _ in imports(m) if t in modules() and t != m} for m in modules()}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(g[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_the_walker_sees_every_kind_of_import():
    """The checks below are only as good as the walker: it must see relative, absolute and
    function-level imports, and tell a submodule from a name."""
    found = {t for t, _, _ in imports("chatlint.checks.lexical")}
    assert {"chatlint.registry", "chatlint.lexicon", "chatlint.document"} <= found
    assert ("chatlint.morph", None) in {(t, n) for t, n, _ in imports("chatlint.lexicon")}
    cli = {t for t, _, _ in imports("chatlint.cli")}
    assert "chatlint.server" in cli  # imported inside a function
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_inside_the_package():
    found = cycles(graph())
    assert not found, "import cycles (modules that import each other, directly or not): " + "; ".join(
        " ↔ ".join(c) for c in found
    )


def test_checks_modules_never_import_each_other():
    """Shared detection lives below checks/ (lexicon.py, acts.py, registry.py); a rule module
    that needs another one's helper is a sign the helper belongs there."""
    bad = []
    for m in modules():
        if not m.startswith("chatlint.checks."):
            continue
        for target, name, line in imports(m):
            if target.startswith("chatlint.checks"):
                bad.append(f"{modules()[m].name}:{line} imports {target}{'.' + name if name else ''}")
    assert not bad, bad


def test_registry_is_a_leaf():
    """The rule API imports only leaves: never the checks, the packs, the catalog, the config."""
    allowed = {"chatlint.findings", "chatlint.document", "chatlint.transcript", "chatlint.errors"}
    assert graph()["chatlint.registry"] <= allowed, graph()["chatlint.registry"] - allowed


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_private_name_imported_across_modules():
    """``from x import _helper`` or ``x._helper`` from another module couples the two: make the
    helper public in the module below both, or keep it to its own module."""
    bad = []
    for m, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bound: dict[str, str] = {}  # local name → a chatlint module it stands for
        for target, name, line in imports(m):
            if name is not None and _private(name):
                bad.append(f"{path.name}:{line} imports {target}.{name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = _resolve(m, node)
                for a in node.names:
                    if f"{target}.{a.name}" in modules():
                        bound[a.asname or a.name] = f"{target}.{a.name}"
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name in modules() and a.asname:
                        bound[a.asname] = a.name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in bound
                and bound[node.value.id] != m
                and _private(node.attr)
            ):
                bad.append(f"{path.name}:{node.lineno} uses {bound[node.value.id]}.{node.attr}")
    assert not bad, bad


@pytest.mark.parametrize("module", ["chatlint.registry", "chatlint.lexicon", "chatlint.acts", "chatlint.catalog"])
def test_layer_modules_exist(module):
    assert module in modules()
