"""The app starts on the demo business, and says clearly when it cannot open the data."""

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core.context import AppContext
from core.storage.paths import database_path
from gui.app import build_main_window, run_gui
from gui.dialogs.import_wizard import ImportWizard

ROOT = Path(__file__).resolve().parents[2]


def test_smoke_test_starts_the_full_app_on_the_demo_and_exits_zero(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "main.py", "--demo", "--smoke-test", "--data-dir", str(tmp_path)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert database_path(tmp_path / "demo-business").exists(), "the demo was created in its own folder"
    assert not database_path(tmp_path).exists(), "and never mixed with the real data"


def test_window_shows_the_business(qtbot, demo_context, ui_settings):
    window = build_main_window(demo_context, ui_settings)
    qtbot.addWidget(window)
    window.show()
    assert "Harbor Door & Supply" in window.windowTitle()
    assert window.customers.count_label.text() == "120 customers"
    assert window.customers.model.rowCount() > 0


def test_an_empty_business_explains_what_to_do_next(qtbot, tmp_path, ui_settings, monkeypatch):
    context = AppContext.build(data_dir=str(tmp_path))
    window = build_main_window(context, ui_settings)
    qtbot.addWidget(window)
    window.show()
    panel = window.customers
    assert panel.stack.currentWidget().isAncestorOf(panel.empty_message)
    assert "No customers yet" in panel.empty_message.text()
    assert "import them from your point-of-sale" in panel.empty_message.text().lower()
    opened = []
    monkeypatch.setattr(ImportWizard, "exec", lambda wizard: opened.append(type(wizard).__name__) or 0)
    qtbot.mouseClick(panel.empty_action, Qt.MouseButton.LeftButton)
    assert opened == ["ImportWizard"], "the empty state's button imports customers"
    context.close()


def test_a_file_that_is_not_ours_gets_a_dialog_not_a_crash(qtbot, tmp_path, monkeypatch, capsys):
    database_path(tmp_path).write_bytes(b"\x00\x01garbage" * 100)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    context = AppContext.build(data_dir=str(tmp_path))
    assert run_gui(context) == 1
    assert shown and "not a CallAhead database" in shown[0][1]
    assert "not a CallAhead database" in capsys.readouterr().err


# Runs main.py's main() as `python main.py ARGS` would, then reports the garbage collector's state.
GC_PROBE = """
import gc, sys
import main
code = main.main(sys.argv[1:])
print(f"GC enabled={gc.isenabled()} frozen={gc.get_freeze_count()}")
sys.exit(code)
"""


def test_a_window_start_sets_what_it_built_aside_and_collects_garbage_again(demo_data_dir):
    # The start pauses collection while it loads; left paused, the app would never free a cycle
    # again for as long as it runs (days, in the tray). Set aside, the start's objects cost the
    # later collections, and the quit, nothing.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", GC_PROBE, "--data-dir", str(demo_data_dir), "--smoke-test"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    state = dict(pair.split("=") for pair in result.stdout.split("GC ", 1)[1].split())
    assert state["enabled"] == "True", "collection resumed once the window was on screen"
    assert int(state["frozen"]) > 10_000, "the start's objects were set aside"
