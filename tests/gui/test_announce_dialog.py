"""The announce dialog on a small screen, and "send a note" changing the verdict and the plan."""

import datetime as dt

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QPushButton

from gui.dialogs.announce_dialog import AnnounceDialog
from gui.models.affected_model import AffectedColumn

HARD_CASE = ["PT-SPRING-TOR", "PT-ROLLER-13", "PT-SEAL-16", "PT-REMOTE-3B"]


def _hard_case(qtbot, window):
    dialog = AnnounceDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.title_edit, "Everything costs more")
    dialog.set_effective(dt.date(2026, 11, 30))
    dialog.set_products(HARD_CASE)
    dialog.preview_now()
    assert not dialog.plan().feasibility.feasible
    return dialog


def test_the_hard_case_fits_a_1024_by_768_screen(qtbot, window, monkeypatch):
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, 1024, 740))
    dialog = _hard_case(qtbot, window)
    dialog.show()
    assert dialog.width() <= 1024 and dialog.minimumSizeHint().width() <= 1024
    assert dialog.rect().contains(dialog.announce_button.geometry().translated(
        dialog.announce_button.parentWidget().mapTo(dialog, dialog.announce_button.parentWidget().rect().topLeft())))
    assert "&" not in " ".join(label.text().replace("&&", "") for label in dialog.findChildren(type(dialog.verdict))
                               if label.buddy() is None and not label.text().startswith("<"))


def test_choosing_send_notes_updates_the_verdict_and_each_customers_plan(qtbot, window):
    dialog = _hard_case(qtbot, window)
    missed = dialog.plan().missed
    assert "would be missed" in dialog.verdict.text()
    notes = dialog.findChild(QPushButton, "option_notes_for_missed")
    qtbot.mouseClick(notes, Qt.MouseButton.LeftButton)
    assert dialog.notes_for_missed.isChecked()
    assert "note instead" in dialog.verdict.text() and "none left out" in dialog.verdict.text()
    model = dialog.affected_model
    shown = {model.index(row, AffectedColumn.HEADS_UP).data() for row in range(model.rowCount())
             if dialog.plan().affected[row].exposure.customer_id in set(missed)}
    assert shown == {"a note instead"}
    assert dialog.findChild(QPushButton, "option_notes_for_missed") is None or \
        not dialog.findChild(QPushButton, "option_notes_for_missed").isVisible()
