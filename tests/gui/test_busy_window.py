"""The window while another CallAhead process holds the database: a logged call that cannot wait
any longer says what CallAhead is busy with, logs nothing, and works once the other is done."""

from lock_holder import LockHolder
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

import core.storage.database
from core.context import AppContext
from core.storage.paths import database_path
from gui.app import run_gui


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


def test_opening_the_window_while_an_import_holds_the_database_says_so_instead_of_crashing(
        qtbot, demo_data_dir, monkeypatch, capsys):
    monkeypatch.setattr(core.storage.database, "BUSY_TIMEOUT_MS", 200)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    context = AppContext.build(data_dir=str(demo_data_dir))
    holder = LockHolder(database_path(demo_data_dir), "an import from the command line")
    try:
        assert run_gui(context) == 1
    finally:
        holder.release(commit=False)
        context.close()
    assert shown == ["CallAhead is busy with an import from the command line — try again in a moment. "
                     "Nothing was changed."]
    assert "Traceback" not in capsys.readouterr().err
