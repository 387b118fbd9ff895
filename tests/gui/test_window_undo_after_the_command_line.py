"""The window's Undo after the command line logged the same call: refused with a message, the
task and both logs left as they are, and the step no longer offered."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from core.storage.paths import database_path

ROOT = Path(__file__).resolve().parents[2]


def _rows(data_dir, sql, *parameters):
    connection = sqlite3.connect(database_path(data_dir))
    try:
        return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()


def test_undo_refuses_after_the_command_line_logged_the_same_call(qtbot, window, demo_data_dir, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: warnings.append(text))
    window.day_list.caller_picker.setCurrentIndex(window.day_list.caller_picker.findText("Dave Chen"))
    call = window.day_list.selected_call()
    window.day_list.table.setFocus()
    QTest.keyClick(window.day_list.table, Qt.Key.Key_2)  # voicemail
    qtbot.waitUntil(lambda: window.undo_action.isEnabled())

    other_desk = subprocess.run(
        [sys.executable, "main.py", "log", str(call.task_id), "--outcome", "reached", "--data-dir", str(demo_data_dir),
         "--today", "2026-11-24"], cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert other_desk.returncode == 0, other_desk.stderr

    QTest.keySequence(window, "Ctrl+Z")
    qtbot.waitUntil(lambda: bool(warnings))
    assert warnings == [f"Cannot undo the call log for {call.customer}: the call was logged again after it, in another "
                        "window or on the command line. Nothing was changed."]
    assert _rows(demo_data_dir, "SELECT status FROM call_tasks WHERE id = ?", call.task_id) == [("done",)]
    assert _rows(demo_data_dir, "SELECT outcome FROM call_logs WHERE task_id = ? ORDER BY id", call.task_id) == [
        ("voicemail",), ("reached",)]
    assert not window.undo_action.isEnabled() and window.undo_action.text() == "&Undo"
    assert "Done:" not in window.statusBar().currentMessage()
