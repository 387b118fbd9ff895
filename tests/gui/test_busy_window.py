"""The window while another CallAhead process holds the database: a logged call that cannot wait
any longer says what CallAhead is busy with, logs nothing, and works once the other is done."""

import os
import subprocess
import sys
from pathlib import Path

from lock_holder import LockHolder
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

import core.storage.database
from core.storage.paths import database_path

ROOT = Path(__file__).resolve().parents[2]


def test_logging_while_an_import_holds_the_database_says_so_and_logs_nothing(
        qtbot, window, demo_data_dir, monkeypatch):
    monkeypatch.setattr(core.storage.database, "BUSY_TIMEOUT_MS", 200)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: warnings.append(text))
    window.day_list.caller_picker.setCurrentIndex(window.day_list.caller_picker.findText("Maria Lopez"))
    call = window.day_list.selected_call()
    holder = LockHolder(database_path(demo_data_dir), "an import from the command line")
    try:
        window.day_list.table.setFocus()
        QTest.keyClick(window.day_list.table, Qt.Key.Key_1)
        qtbot.waitUntil(lambda: bool(warnings))
    finally:
        holder.release(commit=False)
    assert warnings == ["CallAhead is busy with an import from the command line — try again in a moment. "
                        "Nothing was changed."]
    assert window.day_list.progress_text() == "0 of 10"
    assert not window.undo_action.isEnabled()

    QTest.keyClick(window.day_list.table, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.day_list.progress_text() == "1 of 10")
    assert window.day_list.model.call(0).task_id == call.task_id


def test_opening_the_window_while_an_import_holds_the_database_says_so_instead_of_crashing(demo_data_dir):
    """The window opens on the stored plan; the morning pass, waiting in vain for the import, says
    what CallAhead is busy with — and the smoke test, which waits for it, fails."""
    holder = LockHolder(database_path(demo_data_dir), "an import from the command line")
    try:
        result = subprocess.run([sys.executable, "main.py", "--smoke-test", "--data-dir", str(demo_data_dir)],
                                cwd=ROOT, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), capture_output=True,
                                text=True, timeout=120)
    finally:
        holder.release(commit=False)
    assert result.returncode == 1, result.stderr
    assert ("callahead: Today's plan could not be made: CallAhead is busy with an import from the command line "
            "— try again in a moment. Nothing was changed.") in result.stderr
    assert "Traceback" not in result.stderr
