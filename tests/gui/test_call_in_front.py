"""The call in front of the owner is the anchor: script, notes, detail and keys follow the call
selected in the day's list, whatever else the owner looks at meanwhile."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui.models.customer_table import Column
from gui.models.day_list_model import DayColumn


def _click_call(qtbot, window, row):
    table = window.day_list.table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(window.day_list.model.index(row, DayColumn.CUSTOMER)).center())
    return window.day_list.selected_call()


def _click_customer_other_than(qtbot, window, customer_id):
    table = window.customers.table
    model = window.customers.model
    row = next(r for r in range(model.rowCount()) if model.customer_id(r) != customer_id)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(model.index(row, Column.NAME)).center())
    return model.customer_id(row)


def _logged_notes(window, customer_id):
    """Notes of the calls logged today (the demo's history has older ones)."""
    today = window.services.queries.today()
    detail = window.services.queries.customer_detail(customer_id)
    return [entry.notes for entry in detail.timeline
            if entry.outcome is not None and entry.notes and entry.when.date() == today]


def _answer_next_question(qtbot, button_text, seen):
    """Click a button of the next modal question for real, once it is up."""
    def answer():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(10, answer)
            return
        seen.append(box.text())
        button = next(b for b in box.buttons() if b.text() == button_text)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, answer)


def test_focus_starts_on_the_days_list_so_a_key_logs_the_call(qtbot, window):
    qtbot.waitUntil(window.day_list.table.hasFocus)
    first = window.day_list.selected_call()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)
    assert window.customers.search_box.text() == ""
    assert window.day_list.model.call(window.day_list.model.row_of_task(first.task_id)).done


def test_browsing_another_customer_keeps_the_keys_and_notes_on_the_call(qtbot, window):
    call = _click_call(qtbot, window, 0)
    qtbot.keyClicks(window.script.notes_box, "Wants the quiet opener")
    browsed = _click_customer_other_than(qtbot, window, call.customer_id)
    assert window.detail.customer_id == browsed, "the detail shows who the owner looks at"
    assert window.detail.is_browsing()
    assert f"Back to the call with {call.customer} (Esc)" == window.detail.back_button.text()
    assert window.script.call_notes() == "Wants the quiet opener", "the notes stay the call's"

    QTest.keyClick(window.customers.table, Qt.Key.Key_1)  # reached: the call in front, not the browsed customer
    assert _logged_notes(window, call.customer_id) == ["Wants the quiet opener"]
    assert _logged_notes(window, browsed) == []


def test_escape_and_a_click_on_the_chosen_call_bring_the_call_back(qtbot, window):
    call = _click_call(qtbot, window, 0)
    _click_customer_other_than(qtbot, window, call.customer_id)
    QTest.keyClick(window.customers.table, Qt.Key.Key_Escape)
    assert window.detail.customer_id == call.customer_id and not window.detail.is_browsing()

    _click_customer_other_than(qtbot, window, call.customer_id)
    _click_call(qtbot, window, 0)  # the row already highlighted
    assert window.detail.customer_id == call.customer_id and not window.detail.is_browsing()


def test_undo_brings_the_undone_call_back_in_front_and_the_next_key_logs_it(qtbot, window):
    first = _click_call(qtbot, window, 0)
    QTest.keyClick(window.day_list.table, Qt.Key.Key_2)  # voicemail
    assert window.day_list.selected_call().task_id != first.task_id, "the next call comes forward"
    QTest.keySequence(window, "Ctrl+Z")
    assert window.day_list.selected_call().task_id == first.task_id, "the undone call is in front again"
    assert window.script.call_task_id() == first.task_id
    assert window.detail.customer_id == first.customer_id
    QTest.keyClick(window.day_list.table, Qt.Key.Key_1)
    row = window.day_list.model.row_of_task(first.task_id)
    assert window.day_list.model.call(row).done and window.day_list.model.call(row).outcome.value == "reached"


def test_a_logged_calls_notes_never_come_back_nor_are_saved_twice(qtbot, window):
    first = _click_call(qtbot, window, 0)
    qtbot.keyClicks(window.script.notes_box, "Order two springs")
    QTest.keyClick(window.script.notes_box, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    next_call = window.day_list.selected_call()
    assert next_call.task_id != first.task_id
    assert window.script.call_notes() == "", "the next call starts blank"
    _click_call(qtbot, window, window.day_list.model.row_of_task(first.task_id))
    assert window.script.call_notes() == "", "the logged call's draft is gone"
    _click_call(qtbot, window, window.day_list.model.row_of_task(next_call.task_id))
    QTest.keyClick(window.day_list.table, Qt.Key.Key_3)  # no answer on the next call: no notes of the first
    assert _logged_notes(window, first.customer_id) == ["Order two springs"]
    assert _logged_notes(window, next_call.customer_id) == []


def test_ctrl_digit_logs_from_inside_the_notes_and_escape_leaves_them(qtbot, window):
    first = _click_call(qtbot, window, 0)
    window.script.focus_notes()
    qtbot.keyClicks(window.script.notes_box, "Left a message with Sam")
    QTest.keyClick(window.script.notes_box, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert _logged_notes(window, first.customer_id) == ["Left a message with Sam"], "no stray digit"
    window.script.focus_notes()
    QTest.keyClick(window.script.notes_box, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.day_list.table.hasFocus)


def test_please_dont_call_asks_first_and_can_be_undone(qtbot, window):
    call = _click_call(qtbot, window, 0)
    planned = window.services.queries.calls_cancelled_by_do_not_call(call.task_id)
    seen = []
    _answer_next_question(qtbot, "Cancel", seen)
    QTest.keyClick(window.day_list.table, Qt.Key.Key_5)
    assert seen and seen[0].startswith(f"Stop calling {call.customer}?")
    if planned:
        assert f"{planned} planned call{'s' if planned != 1 else ''} will be cancelled" in seen[0]
    assert not window.services.queries.customer_detail(call.customer_id).do_not_call, "Cancel changes nothing"
    window.activateWindow()  # what the desktop does when a question closes (offscreen needs asking)
    qtbot.waitUntil(window.isActiveWindow)

    _answer_next_question(qtbot, f"Stop calling {call.customer}", seen)
    QTest.keyClick(window.day_list.table, Qt.Key.Key_5)
    assert len(seen) == 2, seen
    assert window.services.queries.customer_detail(call.customer_id).do_not_call
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keySequence(window, "Ctrl+Z")
    assert not window.services.queries.customer_detail(call.customer_id).do_not_call
    assert window.day_list.selected_call().task_id == call.task_id


def test_undo_that_core_refuses_shows_cores_message(qtbot, window, monkeypatch):
    from core.errors import InvalidInput

    QTest.keyClick(window.day_list.table, Qt.Key.Key_2)
    refusal = "This call was logged again from another desk since: nothing was undone."
    monkeypatch.setattr(window.services.queries, "undo", lambda: (_ for _ in ()).throw(InvalidInput(refusal)))
    shown = []
    from PySide6.QtWidgets import QMessageBox
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    QTest.keySequence(window, "Ctrl+Z")
    assert shown == [refusal]
