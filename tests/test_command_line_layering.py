"""The layering holds: the command line (core/cli/) and the window (gui/) reach the data only through
actions and queries. Neither opens a session or a transaction itself, nor imports the engine's
library (sqlalchemy), the models or core.storage.database; the one place a command opens a session is its read
path and its action path, core/cli/acting.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_MODULES = ("sqlalchemy", "core.storage.models", "core.storage.database")
SESSION_OPENERS = {"session", "transaction"}
ALLOWED_TO_OPEN_SESSIONS = {Path("core/cli/acting.py")}


def _modules(folder: str) -> list[Path]:
    return sorted(path.relative_to(ROOT) for path in (ROOT / folder).rglob("*.py"))


def _is_forbidden(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in FORBIDDEN_MODULES)


def _imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # `from core import db` names the module as an imported name
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def layering_breaches(module: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse((root / module).read_text(encoding="utf-8"), filename=str(module))
    breaches = [f"{module}:{line} imports {name}" for line, name in _imported_modules(tree) if _is_forbidden(name)]
    if module not in ALLOWED_TO_OPEN_SESSIONS:
        breaches += [f"{module}:{node.lineno} calls .{node.func.attr}()" for node in ast.walk(tree)
                     if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                     and node.func.attr in SESSION_OPENERS]
    return breaches


@pytest.mark.parametrize("folder", ["core/cli", "gui"])
def test_commands_and_the_window_reach_the_data_only_through_actions_and_queries(folder):
    modules = _modules(folder)
    assert modules, f"no modules found in {folder}"
    breaches = [breach for module in modules for breach in layering_breaches(module)]
    assert breaches == []


def test_the_scan_sees_a_session_opened_and_a_model_imported(tmp_path):
    # The scan itself must be able to fail: a command written the old way is caught.
    (tmp_path / "core" / "cli").mkdir(parents=True)
    (tmp_path / "core" / "cli" / "old_way.py").write_text(
        "from sqlalchemy import select\nfrom core.storage import models\nimport core.storage.database\n"
        "def run(context):\n    with context.database().session() as session:\n        pass\n", encoding="utf-8")
    assert layering_breaches(Path("core/cli/old_way.py"), root=tmp_path) == [
        "core/cli/old_way.py:1 imports sqlalchemy", "core/cli/old_way.py:1 imports sqlalchemy.select",
        "core/cli/old_way.py:2 imports core.storage.models", "core/cli/old_way.py:3 imports core.storage.database",
        "core/cli/old_way.py:5 calls .session()"]
