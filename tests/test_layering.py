"""The rooms of the house hold: core's packages import in one direction, the window and the command
line act only through core.actions, and every package says what it is for and what it may use.

Read from the source (every import, including those inside functions), so an import made late to
dodge a cycle is still seen; only names imported for annotations (`if TYPE_CHECKING:`) are left out.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The basics every package may use: they import nothing else of core's.
BASICS = {"core", "core.errors", "core.clock", "core.limits", "core.money"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(*folders: str) -> dict[str, Path]:
    found = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


CORE = _modules("core")


def _owning_module(name: str) -> str | None:
    """The core module (or package) an imported dotted name lives in."""
    while name and name not in CORE:
        name = name.rpartition(".")[0]
    return name or None


def _runtime_nodes(tree: ast.AST):
    """Every node, except under `if TYPE_CHECKING:` (names for annotations, never imported at run time)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and isinstance(child.test, ast.Name) and child.test.id == "TYPE_CHECKING":
                stack.extend(child.orelse)
                continue
            stack.append(child)


def _imports(path: Path) -> set[str]:
    """Every core module `path` imports at run time, anywhere in the file."""
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            owner = _owning_module(name)
            if owner:
                found.add(owner)
    return found


def _graph() -> dict[str, set[str]]:
    return {name: _imports(path) - {name} for name, path in CORE.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_two_core_modules_import_each_other_even_late():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_sees_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_storage_builds_on_nothing_above_it():
    allowed_outside = BASICS | {"core.machine.settings", "core.machine.console_command"}
    leaks = {
        name: sorted(target for target in targets
                     if not target.startswith("core.storage") and target not in allowed_outside)
        for name, targets in _graph().items() if name.startswith("core.storage")
    }
    assert {name: targets for name, targets in leaks.items() if targets} == {}


PACKAGES = sorted(name for name, path in CORE.items() if path.name == "__init__.py" and name != "core")
# Core's top-level modules every package may use without saying so.
TOP_LEVEL_BASICS = BASICS | {"core.dates", "core.labels", "core.settings", "core.resources"}


def _may_use(package: str) -> str:
    doc = ast.get_docstring(ast.parse(CORE[package].read_text(encoding="utf-8"))) or ""
    start = doc.find("May use:")
    return doc[start:].split("\n\n", 1)[0] if start >= 0 else ""


def _part_of(module: str) -> str:
    """The package (core.storage) or top-level module (core.services) a core module belongs to."""
    return ".".join(module.split(".")[:2])


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_says_what_it_may_use_and_uses_nothing_else(package):
    said = _may_use(package)
    assert said, f"{package}/__init__.py does not say what it may use ('May use: ...')"
    allowed = TOP_LEVEL_BASICS | {_part_of(name) for name in re.findall(r"core\.\w+", said)} | {package}
    used = {_part_of(target) for name, targets in _graph().items()
            if name == package or name.startswith(package + ".") for target in targets}
    assert sorted(used - allowed) == [], f"{package} uses what its __init__ does not list"


def test_the_core_package_says_what_it_holds():
    assert ast.get_docstring(ast.parse(CORE["core"].read_text(encoding="utf-8")))
