"""The script in front of the caller: the customer's details filled in, never a raw placeholder."""

import re

from PySide6.QtCore import Qt

from core.storage.enums import Reason
from gui.dialogs.script_editor import ScriptEditorDialog
from gui.models.day_list_model import DayColumn

RAW = re.compile(r"[{}]|\[\[|\]\]")


def _choose_first_customer(qtbot, window):
    """The script follows the call in front of the owner: the first call of the day's list."""
    table = window.day_list.table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(window.day_list.model.index(0, DayColumn.CUSTOMER)).center())
    return window.day_list.selected_call().customer_id


def test_the_script_shows_the_customers_details_and_no_placeholder(qtbot, window, services):
    customer_id = _choose_first_customer(qtbot, window)
    detail = services.queries.customer_detail(customer_id)
    panel = window.script
    body = panel.body_view.toPlainText()
    assert body.startswith(f"Hi {detail.first_name},")
    assert "Harbor Door & Supply" in body and not RAW.search(body)
    questions = panel.questions()
    assert questions[0] == ("How's business going?" if detail.company else "How have you been?")
    assert len(questions) == 4
    assert not any(RAW.search(q) for q in questions)
    assert "thank them sincerely" in panel.closing_label.text()


def test_every_reason_reads_naturally_for_the_chosen_customer(qtbot, window):
    _choose_first_customer(qtbot, window)
    panel = window.script
    for index in range(panel.reason_box.count()):
        panel.reason_box.setCurrentIndex(index)
        panel.reason_box.activated.emit(index)
        text = panel.body_view.toPlainText()
        assert text and not RAW.search(text), panel.reason_box.currentText()


def test_choosing_a_caller_puts_their_name_in_the_greeting(qtbot, window):
    _choose_first_customer(qtbot, window)
    panel = window.script
    panel.caller_box.setCurrentIndex(panel.caller_box.findText("Maria Lopez"))
    panel.caller_box.activated.emit(panel.caller_box.currentIndex())
    assert "this is Maria Lopez calling from" in panel.body_view.toPlainText() \
        or "it's Maria Lopez calling from" in panel.body_view.toPlainText()


def test_call_notes_are_kept_per_call_until_logged(qtbot, window):
    _choose_first_customer(qtbot, window)
    qtbot.keyClicks(window.script.notes_box, "Wants two remotes")
    qtbot.keyClick(window.day_list.table, Qt.Key.Key_Down)
    assert window.script.call_notes() == ""
    qtbot.keyClick(window.day_list.table, Qt.Key.Key_Up)
    assert window.script.call_notes() == "Wants two remotes"


def test_the_script_editor_previews_live_and_refuses_mistakes(qtbot, window, services):
    customer_id = _choose_first_customer(qtbot, window)
    editor = ScriptEditorDialog(services, Reason.QUOTE, customer_id=customer_id, parent=window)
    qtbot.addWidget(editor)
    first_name = services.queries.customer_detail(customer_id).first_name
    editor.body_edit.clear()
    qtbot.keyClicks(editor.body_edit, "Hi {first_name}, about {quote_description|the quote we sent}.")
    qtbot.waitUntil(lambda: f"Hi {first_name}, about" in editor.preview_text())
    assert not RAW.search(editor.preview_text())

    editor.set_body("Hi {frist_name}.")
    assert "Line 1" in editor.problems_text() and "frist_name" in editor.problems_text()
    assert not editor.save()
    assert services.queries.script(Reason.QUOTE).body != "Hi {frist_name}."

    editor.set_body("Hi {first_name}, quick call about {quote_description|the quote we sent}.")
    assert editor.save()
    window.script.reason_box.setCurrentIndex(window.script.reason_box.findData(Reason.QUOTE))
    window.script.reason_box.activated.emit(window.script.reason_box.currentIndex())
    assert window.script.body_view.toPlainText().startswith(f"Hi {first_name}, quick call about")


def test_clicking_a_courtesy_questions_words_ticks_it(qtbot, window):
    _choose_first_customer(qtbot, window)
    row = window.script.checklist_rows[1]
    qtbot.mouseClick(row.label, Qt.MouseButton.LeftButton)
    assert row.box.isChecked()
    assert window.script.checked_questions() == [window.script.questions()[1]]
