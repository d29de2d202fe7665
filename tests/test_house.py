"""The house rules of STYLE.md that code can check: rooms, import direction, sizes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nrecalc"
MAX_MODULE_LINES = 650
MAX_FUNCTION_LINES = 120


def _modules() -> dict[str, Path]:
    """Return every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Return the package's modules this module imports, anywhere in it (lazily too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:  # `from . import table` imports the module table
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycle() -> list[str] | None:
    """Return one import cycle of the package, or None."""
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := walk(nxt)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(GRAPH):
        if start not in state and (found := walk(start)) is not None:
            return found
    return None


def test_no_import_cycle() -> None:
    cycle = _cycle()
    assert cycle is None, " -> ".join(cycle or [])


def test_the_graph_sees_imports() -> None:
    # The checks below would pass on an empty graph: make sure it is not one.
    assert "nrecalc.render.layout" in GRAPH["nrecalc.render.document"]
    assert "nrecalc.render.explain" in GRAPH["nrecalc.render.table"]  # a lazy import
    assert "nrecalc.choices" in GRAPH["nrecalc.validate"]


def _reaches(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in GRAPH[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_validate_imports_nothing_from_render() -> None:
    assert not {m for m in _reaches("nrecalc.validate") if m.startswith("nrecalc.render")}


@pytest.mark.parametrize("name", sorted(m for m in MODULES if m.startswith("nrecalc.render")))
def test_renderers_read_no_file(name: str) -> None:
    """A renderer is a function of its inputs: it imports no loader and opens no file."""
    rooms = {
        "nrecalc.loader",
        "nrecalc.catalog",
        "nrecalc.company",
        "nrecalc.pipeline",
        "nrecalc.validate",
    }
    assert not (GRAPH[name] & rooms)
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    calls = {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }
    assert not calls & {"open", "read_text", "read_bytes", "stat", "FileSystemLoader"}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_are_short(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES


def _function_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from the first statement of the body to the end (a long signature aside)."""
    return (node.end_lineno or node.lineno) - node.body[0].lineno + 1


@pytest.mark.parametrize("name", sorted(MODULES))
def test_functions_are_short(name: str) -> None:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    long = {
        node.name: _function_lines(node)
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and _function_lines(node) > MAX_FUNCTION_LINES
    }
    assert not long
