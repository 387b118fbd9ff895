"""Calls → Changes: every announced change with its dates; move, cancel, results; and an
announcement just made taken back with Edit → Undo."""

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from core.storage.enums import ChangeKind, Reason
from gui.dialogs.announce_dialog import AnnounceDialog
from gui.dialogs.changes_dialog import ChangesDialog


def _open_changes(qtbot, window, monkeypatch):
    opened = []

    def show_instead_of_waiting(dialog):
        qtbot.addWidget(dialog)
        dialog.show()
        opened.append(dialog)
        return 0

    monkeypatch.setattr(ChangesDialog, "exec", show_instead_of_waiting)
    window.changes_action.trigger()
    return opened[0]


def _heads_up_days(window):
    first, last = window.services.queries.today(), window.services.queries.today() + dt.timedelta(days=60)
    return {day for day, load in window.services.queries.calendar_load(first, last).items() if load.changes_ahead}


def test_the_changes_window_lists_the_demos_change_with_its_results(qtbot, window, monkeypatch):
    dialog = _open_changes(qtbot, window, monkeypatch)
    change = dialog.selected()
    assert change is not None and change.is_active() and "Price increase" in change.title
    assert dialog.table.topLevelItem(0).text(2) == "Coming"
    assert "told in time 0 of" in dialog.results_text()
    assert "How their buying moved shows after" in dialog.results_text()


def test_moving_a_change_from_the_window_moves_its_calls(qtbot, window, monkeypatch):
    dialog = _open_changes(qtbot, window, monkeypatch)
    change = dialog.selected()
    later = change.effective_on + dt.timedelta(days=14)
    dialog.new_date.setDate(QDate(later.year, later.month, later.day))
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    assert dialog.selected().effective_on == later
    assert "Moved to" in dialog.results_text()
    assert window.services.queries.changes_in_progress()[0].effective_on == later


def test_cancelling_a_change_asks_and_keeps_its_history(qtbot, window, monkeypatch):
    dialog = _open_changes(qtbot, window, monkeypatch)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.selected().is_active() and dialog.table.topLevelItem(0).text(2) == "Cancelled"
    assert not dialog.move_button.isEnabled()
    assert Reason.CHANGE_HEADS_UP not in {call.reason for call in window.day_list.model.calls() if not call.done}


def test_an_announcement_just_made_is_taken_back_with_undo(qtbot, window):
    before = [change.id for change in window.services.queries.changes()]
    dialog = AnnounceDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData(ChangeKind.DISCONTINUED))
    qtbot.keyClicks(dialog.title_edit, "Chain openers discontinued")
    dialog.set_effective(dt.date(2027, 1, 12))
    dialog.set_products(["OP-CHAIN-12"])
    dialog.preview_now()
    dialog.announce_button.click()
    assert len(window.services.queries.changes()) == len(before) + 1
    assert "announcement of Chain openers discontinued" in window.undo_action.text()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keySequence(window, "Ctrl+Z")
    assert [change.id for change in window.services.queries.changes()] == before


def test_the_changes_window_takes_back_an_announcement_just_made(qtbot, window, monkeypatch):
    before = [change.id for change in window.services.queries.changes()]
    dialog = AnnounceDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.title_edit, "Chain openers discontinued")
    dialog.set_effective(dt.date(2027, 1, 12))
    dialog.set_products(["OP-CHAIN-12"])
    dialog.preview_now()
    dialog.announce_button.click()
    changes = _open_changes(qtbot, window, monkeypatch)
    new = dialog.created_plan.change_id
    changes.select_change(before[0])
    assert not changes.take_back_button.isVisible(), "an older change is cancelled, not taken back"
    changes.select_change(new)
    assert changes.take_back_button.isVisible()
    qtbot.mouseClick(changes.take_back_button, Qt.MouseButton.LeftButton)
    assert [change.id for change in window.services.queries.changes()] == before
    assert "Took back" in changes.results_text()
