"""A window start loads only what its first screen needs: the command-line commands, exporting,
importing, printing, the demo maker and the dialogs wait until the owner asks for them.

Measured in a fresh process (the test session itself imports everything), through main.py's
own entry, on the demo business, with the smoke test's start: the window shown, its panels
filled, the event loop run once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]

# Runs main.py's main() as `python main.py ARGS` would, then says which modules were loaded
# and, for each quick check of the database started ahead, whether SQLAlchemy had loaded by then.
PROBE = """
import json, sys
import core.storage.integrity
checks = []
start_check = core.storage.integrity.QuickCheckAhead.__init__
def noting_the_start(check, path):
    checks.append("sqlalchemy" in sys.modules)
    start_check(check, path)
core.storage.integrity.QuickCheckAhead.__init__ = noting_the_start
import main
code = main.main(sys.argv[1:])
print("MODULES " + json.dumps(sorted(sys.modules)))
print("MODULES_IN_ORDER " + json.dumps(list(sys.modules)))
print("CHECKS " + json.dumps(checks))
sys.exit(code)
"""

# Loaded only when the owner asks for them: a command, an export or import, printing, the demo,
# a dialog; the server database's dialect; and the libraries only they use. (Babel too: the first
# screen's day and month names are written out in core.dates, checked against Babel's by a test.)
NOT_FOR_A_WINDOW_START = (
    "babel", "core.cli.agenda_command", "core.cli.export_command", "core.cli.import_command", "core.cli.demo_command",
    "core.cli.plan_command", "core.cli.review_command", "core.cli.staff_lookup",
    "core.reports.exporting", "core.importing", "core.reports.day_sheets", "core.demo", "core.scheduling.holiday_countries",
    "icalendar", "plistlib", "sqlalchemy.dialects.postgresql", "PySide6.QtPrintSupport", "gui.printing",
    "gui.dialogs.import_wizard", "gui.dialogs.announce_dialog", "gui.dialogs.settings_dialog",
    "gui.dialogs.script_editor", "gui.dialogs.review_window", "gui.dialogs.restore_dialog",
    "gui.dialogs.news_dialog", "gui.dialogs.thanks_dialog", "gui.dialogs.customer_dialog",
    # The owner's actions other than the day's own, and what only they use: announcing a change,
    # editing a customer, stamping a card, the weekly habits (the day's list, the calendar and the
    # customer shown are read without them).
    "core.actions.calls", "core.actions.changes", "core.actions.customers", "core.actions.quotes",
    "core.actions.settings", "core.actions.stamps", "core.actions.habits", "core.habits.services",
    "core.habits.weekly_review", "core.scheduling.changes", "core.scheduling.change_review",
    "core.scheduling.exposure", "core.customers.editing", "core.customers.rewards",
    # Logging a call, and the standing rules (which run once a day, not on every start).
    "core.scheduling.outcomes", "core.scheduling.rules",
)


def probe(arguments: list[str]) -> dict[str, list]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", PROBE, *arguments], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return {line.split(" ", 1)[0]: json.loads(line.split(" ", 1)[1]) for line in result.stdout.splitlines()
            if line.startswith(("MODULES ", "MODULES_IN_ORDER ", "CHECKS "))}


def modules_loaded_by(arguments: list[str]) -> set[str]:
    return set(probe(arguments)["MODULES"])


@pytest.mark.sqlite_only  # a server database loads its own dialect
def test_a_window_start_leaves_commands_exports_printing_and_dialogs_unloaded(demo_data_dir):
    loaded = modules_loaded_by(["--data-dir", str(demo_data_dir), "--today", TODAY.isoformat(), "--smoke-test"])
    assert "gui.main_window" in loaded, "the window was built"
    assert {"PySide6.QtWidgets", "sqlalchemy.orm", "core.storage.models"} <= loaded
    too_early = sorted(name for name in NOT_FOR_A_WINDOW_START if name in loaded)
    assert too_early == [], f"a window start loaded {too_early}"
    commands = sorted(name for name in loaded if name.startswith("core.cli.") and name.endswith("_command"))
    assert commands == [], f"a window start loaded the commands {commands}"


def test_a_command_loads_its_own_module_only(demo_data_dir):
    loaded = modules_loaded_by(["--data-dir", str(demo_data_dir), "--today", TODAY.isoformat(),
                                "agenda", "--json"])
    assert "core.cli.agenda_command" in loaded
    assert "core.cli.export_command" not in loaded and "core.reports.exporting" not in loaded, "nor the other commands"
    assert "PySide6.QtWidgets" not in loaded, "a command never loads Qt"


# The two small core modules that only the window's own Qt adapters import (gui/change_feed.py,
# gui/single_instance.py): they load with them, after Qt.
CORE_OF_THE_QT_ADAPTERS = ["core.storage.change_listener", "core.storage.instance_lock"]


@pytest.mark.sqlite_only  # a server database loads its own dialect
def test_the_core_the_window_reads_through_loads_before_qt(demo_data_dir):
    # Once PySide6 is imported it reads the source text of every module imported after it
    # (shiboken's feature check): the core is loaded first, so its hundred modules are not read.
    order = probe(["--data-dir", str(demo_data_dir), "--today", TODAY.isoformat(), "--smoke-test"])["MODULES_IN_ORDER"]
    after_qt = order[order.index("PySide6"):]
    assert "core.services" in order and "gui.main_window" in after_qt
    assert sorted(name for name in after_qt if name.startswith("core.")) == CORE_OF_THE_QT_ADAPTERS


@pytest.mark.sqlite_only  # the quick check is of the SQLite file
def test_the_database_check_starts_before_the_window_code_loads(demo_data_dir):
    # SQLite reads the file on a second core while SQLAlchemy, Qt and the app load beside it.
    checks = probe(["--data-dir", str(demo_data_dir), "--today", TODAY.isoformat(), "--smoke-test"])["CHECKS"]
    assert checks == [False], "one quick check, started before SQLAlchemy was loaded"
