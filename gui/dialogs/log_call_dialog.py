"""Log a call made for no reason — "just to make sure everything is OK" — on any customer.

The same outcomes, result tags, notes and callback as a planned call; it counts toward the
caller's day and, reached, resets keep-in-touch and the courtesy clock. This is an explicit
action on the customer shown, never the 1–5 keys of the day's list. `save()` is what the Log
button does; a problem is shown in the dialog and nothing is saved."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from core.actions import calls as call_actions
from core.storage.enums import Outcome, ResultTag
from core.errors import CallAheadError
from core.labels import OUTCOME_LABELS, RESULT_TAG_LABELS
from core.scheduling import LogResult
from gui.services import ServiceBridge


class LogCallDialog(QDialog):
    def __init__(self, services: ServiceBridge, customer_id: int, *, staff_id: int | None = None, notes: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("logCallDialog")
        self._services = services
        self.customer_id = customer_id
        self.result_: LogResult | None = None
        detail = services.queries.customer_detail(customer_id)
        self.setWindowTitle(f"Log a call to {detail.name}")
        self.setMinimumWidth(440)
        intro = QLabel(f"A call for no reason to <b>{detail.name}</b> — it counts toward your day and, reached, "
                       "as the conversation keep-in-touch calls wait for.", wordWrap=True)

        self.outcome_group = QButtonGroup(self)
        self.outcome_buttons: dict[Outcome, QRadioButton] = {}
        outcomes = QHBoxLayout()
        for number, outcome in enumerate(Outcome, start=1):
            button = QRadioButton(f"&{number} {OUTCOME_LABELS[outcome]}", objectName=f"unplanned_{outcome.value}")
            self.outcome_group.addButton(button)
            self.outcome_buttons[outcome] = button
            outcomes.addWidget(button)
        self.outcome_buttons[Outcome.REACHED].setChecked(True)
        self.tag_boxes: dict[ResultTag, QCheckBox] = {}
        tags = QGridLayout()
        for number, (tag, label) in enumerate(RESULT_TAG_LABELS.items()):
            box = QCheckBox(label, objectName=f"unplanned_tag_{tag.value}")
            tags.addWidget(box, number // 3, number % 3)
            self.tag_boxes[tag] = box
        self.follow_up_box = QCheckBox("Call back on", objectName="unplannedFollowUpBox")
        self.follow_up_at = QDateTimeEdit(objectName="unplannedFollowUpAt", calendarPopup=True,
                                          displayFormat="ddd d MMM yyyy  HH:mm")
        tomorrow = services.queries.today() + dt.timedelta(days=1)
        self.follow_up_at.setDateTime(QDateTime(QDate(tomorrow.year, tomorrow.month, tomorrow.day), QTime(10, 0)))
        self.follow_up_at.setEnabled(False)
        self.follow_up_box.toggled.connect(self.follow_up_at.setEnabled)
        follow_up = QHBoxLayout()
        follow_up.addWidget(self.follow_up_box)
        follow_up.addWidget(self.follow_up_at, 1)
        self.caller = QComboBox(objectName="unplannedCaller")
        self.caller.addItem("—", None)
        for member in services.queries.staff():
            if member.active:
                self.caller.addItem(member.name, member.id)
        self.caller.setCurrentIndex(max(self.caller.findData(staff_id), 0))
        self.notes = QPlainTextEdit(objectName="unplannedNotes")
        self.notes.setPlainText(notes)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(80)

        form = QFormLayout()
        form.addRow("Outcome:", outcomes)
        form.addRow("Result:", tags)
        form.addRow("", follow_up)
        form.addRow("Called &by:", self.caller)
        form.addRow("&Notes:", self.notes)
        self.error_label = QLabel(objectName="unplannedError", wordWrap=True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.log_button = buttons.addButton("&Log the call", QDialogButtonBox.ButtonRole.AcceptRole)
        self.log_button.setObjectName("logUnplanned")
        self.log_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def outcome(self) -> Outcome:
        return next(outcome for outcome, button in self.outcome_buttons.items() if button.isChecked())

    def save(self) -> bool:
        tags = tuple(tag.value for tag, box in self.tag_boxes.items() if box.isChecked())
        follow_up = self.follow_up_at.dateTime().toPython() if self.follow_up_box.isChecked() else None
        try:
            self.result_ = self._services.run(
                call_actions.log_unplanned_call, self.customer_id, self.outcome(), staff_id=self.caller.currentData(),
                notes=self.notes.toPlainText().strip() or None, result_tags=tags, follow_up=follow_up)
        except CallAheadError as error:
            self.error_label.setText(str(error))
            self.error_label.show()
            return False
        self.accept()
        return True
