"""The calling hour in the window: the calendar, the day's list, logging by key, undo, changes."""

import datetime as dt
import re

from PySide6.QtCore import QDate, Qt
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtTest import QTest

from core.storage.enums import ChangeKind, Reason
from gui.dialogs.announce_dialog import AnnounceDialog
from gui.models.affected_model import AffectedModel
from gui.models.customer_table import SORT_KEY_ROLE, Column
from gui.models.day_list_model import DayColumn, DayListModel

TODAY = dt.date(2026, 11, 24)
FIRST_HEADS_UP_DAY = dt.date(2026, 11, 27)


def _click_day(qtbot, window, day):
    window.calendar.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
    qtbot.waitUntil(lambda: window.day_list.day() == day)


def _shown_calls(window):
    model = window.day_list.model
    return [model.call(row) for row in range(model.rowCount())]


def test_choosing_a_day_shows_its_calls(qtbot, window):
    assert window.day_list.day() == TODAY and _shown_calls(window), "today's calls are shown at start"
    _click_day(qtbot, window, FIRST_HEADS_UP_DAY)
    reasons = {call.reason for call in _shown_calls(window)}
    assert Reason.CHANGE_HEADS_UP in reasons
    assert "Friday" in window.day_list.title.text()
    _click_day(qtbot, window, dt.date(2026, 11, 26))  # Thanksgiving
    assert _shown_calls(window) == []
    assert "Thanksgiving" in window.day_list.empty_label.text()


def test_the_calendar_counts_each_days_calls_and_marks_the_coming_change(qtbot, window):
    today = window.calendar.calendar.load(TODAY)
    listed = len(window.services.queries.agenda(TODAY).calls)
    assert 0 < today.planned == listed <= 24 and not today.closed
    assert window.calendar.calendar.load(dt.date(2026, 11, 28)).closed
    assert window.calendar.calendar.load(FIRST_HEADS_UP_DAY).changes_ahead
    assert f"{listed} of 24 calls planned" in window.calendar.day_summary.text()


def test_logging_a_call_by_key_updates_the_list_the_progress_and_selects_the_next(qtbot, window):
    window.day_list.caller_picker.setCurrentIndex(window.day_list.caller_picker.findText("Maria Lopez"))
    first = window.day_list.selected_call()
    assert first is not None and window.day_list.progress_text() == "0 of 10"
    window.day_list.table.setFocus()
    QTest.keyClick(window.day_list.table, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.day_list.progress_text() == "1 of 10")
    calls = _shown_calls(window)
    assert calls[0].task_id == first.task_id and calls[0].done
    assert window.day_list.selected_call().task_id != first.task_id, "the next call is selected"
    font = window.day_list.model.index(0, DayColumn.CUSTOMER).data(Qt.ItemDataRole.FontRole)
    assert font.strikeOut(), "done calls are struck through"


def _last_talked_in_customer_list(window, customer_id):
    model = window.customers.model
    row = model.row_of(customer_id)
    return None if row is None else model.index(row, Column.LAST_CONTACT).data(SORT_KEY_ROLE)


def test_a_reached_call_shows_at_once_in_the_customer_lists_last_talked(qtbot, window):
    window.day_list.caller_picker.setCurrentIndex(window.day_list.caller_picker.findText("Maria Lopez"))
    call = window.day_list.selected_call()
    qtbot.keyClicks(window.customers.search_box, call.phone)  # typed as the owner reads it off the list
    qtbot.waitUntil(lambda: _last_talked_in_customer_list(window, call.customer_id) is not None)
    assert _last_talked_in_customer_list(window, call.customer_id) != TODAY.toordinal()
    window.day_list.table.setFocus()
    QTest.keyClick(window.day_list.table, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: _last_talked_in_customer_list(window, call.customer_id) == TODAY.toordinal())


def test_undo_puts_the_logged_call_back_on_the_list(qtbot, window):
    window.day_list.caller_picker.setCurrentIndex(window.day_list.caller_picker.findText("Dave Chen"))
    first = window.day_list.selected_call()
    QTest.keyClick(window.day_list.table, Qt.Key.Key_2)  # voicemail: it moves to a later day
    qtbot.waitUntil(lambda: first.task_id not in [c.task_id for c in _shown_calls(window) if not c.done])
    assert window.undo_action.isEnabled() and "call log" in window.undo_action.text()
    QTest.keySequence(window, "Ctrl+Z")
    qtbot.waitUntil(lambda: window.day_list.progress_text() == "0 of 8")
    assert first.task_id in [c.task_id for c in _shown_calls(window) if not c.done]


def test_call_notes_from_the_script_panel_are_saved_with_the_log(qtbot, window, services):
    call = window.day_list.selected_call()
    window.script.notes_box.setPlainText("Wants a quote for a second door")
    window.day_list.outcome_buttons[list(window.day_list.outcome_buttons)[0]].click()
    qtbot.waitUntil(lambda: window.script.call_notes() == "")
    timeline = services.queries.customer_detail(call.customer_id)
    assert "Wants a quote for a second door" in str(timeline)


def test_ten_free_minutes_narrows_to_three(qtbot, window):
    window.day_list.free_minutes_button.click()
    assert len(_shown_calls(window)) == 3
    window.day_list.free_minutes_button.click()
    assert len(_shown_calls(window)) > 3


def test_announcing_a_change_puts_heads_up_calls_on_the_calendar_before_its_date(qtbot, window):
    effective = dt.date(2027, 1, 12)
    dialog = AnnounceDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData(ChangeKind.DISCONTINUED))
    qtbot.keyClicks(dialog.title_edit, "Chain openers discontinued")
    dialog.set_effective(effective)
    dialog.set_products(["OP-CHAIN-12"])
    dialog.preview_now()
    plan = dialog.plan()
    assert plan is not None and plan.affected and plan.feasibility.feasible
    assert dialog.affected_model.rowCount() == len(plan.affected)
    assert "Everyone can be called in time" in dialog.verdict.text()
    dialog.announce_button.click()
    assert dialog.created_plan is not None and dialog.created_plan.change_id is not None
    heads_up_days = {step.due for step in dialog.created_plan.steps if step.kind == "heads_up"}
    assert heads_up_days and max(heads_up_days) < effective
    window.refresh_calendar()
    first_day = min(heads_up_days)
    window.calendar.calendar.setCurrentPage(first_day.year, first_day.month)
    qtbot.waitUntil(lambda: window.calendar.calendar.load(first_day) is not None)
    assert window.calendar.calendar.load(first_day).due > 0


def test_an_infeasible_plan_offers_choices_that_fix_it(qtbot, window):
    dialog = AnnounceDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.title_edit, "Everything costs more")
    dialog.set_effective(dt.date(2026, 11, 30))
    dialog.set_products(["PT-SPRING-TOR", "PT-ROLLER-13", "PT-SEAL-16", "PT-REMOTE-3B"])
    dialog.preview_now()
    assert not dialog.plan().feasibility.feasible
    assert "would be missed" in dialog.verdict.text()
    notes = dialog.findChild(type(dialog.announce_button), "option_notes_for_missed")
    notes.click()
    assert dialog.notes_for_missed.isChecked()


def test_the_day_and_affected_models_pass_qt_model_tester(qtmodeltester, window, services):
    model = DayListModel()
    model.set_calls(services.queries.agenda(TODAY).calls, show_caller=True)
    qtmodeltester.check(model)
    plan_model = AffectedModel()
    from core.scheduling import ChangeRequest

    product_id = next(p.id for p in services.queries.products() if p.sku == "OP-CHAIN-12")
    plan = services.queries.preview_change(ChangeRequest(ChangeKind.PRICE_INCREASE, "x", dt.date(2026, 12, 20),
                                                         (product_id,)))
    plan_model.set_plan(plan.affected, plan.missed)
    qtmodeltester.check(plan_model)


def test_print_preview_lays_out_the_days_calls_for_the_chosen_caller(qtbot, window, monkeypatch, tmp_path):
    window.day_list.caller_picker.setCurrentIndex(window.day_list.caller_picker.findText("Priya Patel"))
    target = tmp_path / "preview.pdf"

    def print_to_pdf_instead_of_showing(dialog):  # a real modal preview would wait for a person
        printer = dialog.printer()
        printer.setOutputFormat(printer.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        dialog.paintRequested.emit(printer)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", print_to_pdf_instead_of_showing)
    QTest.keySequence(window, "Ctrl+P")
    assert _pdf_pages(target) == 1, "one caller's six calls fit one page"
    window.day_list.caller_picker.setCurrentIndex(0)  # all callers: a sheet each
    QTest.keySequence(window, "Ctrl+P")
    assert _pdf_pages(target) >= 3, "a page or more per caller"


def _pdf_pages(path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))
