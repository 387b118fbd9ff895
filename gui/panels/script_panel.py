"""What to say on this call: the script for the call's reason with the customer's details
filled in, the courtesy questions as a checklist, the reminder to thank them, and a notes box
for what they said. "Listen — you're not selling anything" stays in view above every script, as
on the printed sheet; in the "10 free minutes" mode the script opens with that mode's line. A
quote the customer asks for is added from here.

The panel follows the call in front of the owner (`show_call`); with no call chosen it shows
the script that fits a customer (`show_customer`). Notes belong to a call: a draft per planned
call, kept while the owner moves between calls, forgotten once that call is logged
(`forget_draft`). Escape in the notes box hands the keyboard back (`leave_notes_requested`)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.storage.enums import Reason
from core.errors import CallAheadError
from core.labels import REASON_LABELS, format_day
from core.scheduling.reasons import declaration
from core.scripts.library import RenderedScript
from core.services import ChangeSet
from gui.choices import chosen
from gui.services import ServiceBridge


def script_html(body: str) -> str:
    paragraphs = []
    for block in body.split("\n\n"):
        lines = [escape(line) for line in block.split("\n")]
        paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(paragraphs)


class FittedTextBrowser(QTextBrowser):
    """A read-only text that asks for the height of its content, so the space below goes to the notes."""

    def sizeHint(self) -> QSize:
        self.document().setTextWidth(self.viewport().width() or 400)
        height = int(self.document().size().height()) + 2 * self.frameWidth() + 4
        return QSize(super().sizeHint().width(), max(height, 80))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.updateGeometry()


class QuestionRow(QWidget):
    """A courtesy question to tick: the box, and its text wrapped to the panel's width
    (a long product name never widens the window). Clicking the text ticks the box too."""

    def __init__(self, question: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.box = QCheckBox()
        self.box.setAccessibleName(question)
        self.label = QLabel(question, wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setMinimumWidth(120)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1, Qt.AlignmentFlag.AlignTop)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if self.label.geometry().contains(event.position().toPoint()):
            self.box.toggle()
        super().mouseReleaseEvent(event)


class ScriptPanel(QWidget):
    edit_script_requested = Signal(object)  # Reason
    notes_changed = Signal(str)
    quote_requested = Signal(int)  # customer id: add a quote from the call
    leave_notes_requested = Signal()  # Escape in the notes box

    def __init__(self, services: ServiceBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scriptPanel")
        self._services = services
        self._customer_id: int | None = None
        self._task_id: int | None = None  # the planned call the script is rendered for
        self._call_task: int | None = None  # the call whose notes the box holds (None: no call)
        self._drafts: dict[int, str] = {}  # task id -> notes typed for that call
        self._free_minutes = False
        self.rendered: RenderedScript | None = None

        self.reason_box = QComboBox(objectName="scriptReason")
        for reason in Reason:
            self.reason_box.addItem(REASON_LABELS[reason], reason)
        self.change_box = QComboBox(objectName="scriptChange")
        self.caller_box = QComboBox(objectName="scriptCaller")
        for box, name in ((self.reason_box, "Reason"), (self.change_box, "About"), (self.caller_box, "Calling as")):
            # A long change title must not widen the panel: the box shrinks, its list stays wide.
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(12)
            box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # all the room the panel has
            box.setAccessibleName(name)
        self.title_label = QLabel(objectName="scriptTitle", wordWrap=True)
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title_label.setFont(font)
        self.edit_button = QPushButton("Script edit&or…", objectName="editScript")
        self.quote_button = QPushButton("Add a &quote…", objectName="quoteFromCall")
        self.quote_button.setToolTip("Record a quote for this customer; its follow-up calls are planned")
        self.listen_label = QLabel(objectName="listenReminder", wordWrap=True)
        self.listen_label.setStyleSheet("color: #0d47a1; font-weight: bold;")
        self.body_view = FittedTextBrowser(objectName="scriptBody")
        self.body_view.setAccessibleName("What to say")
        self.body_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.body_view.setOpenLinks(False)
        body_font = self.body_view.font()
        body_font.setPointSizeF(body_font.pointSizeF() * 1.1)
        self.body_view.setFont(body_font)
        self.checklist_box = QGroupBox("Courtesy questions", objectName="courtesyChecklist")
        self.checklist_layout = QVBoxLayout(self.checklist_box)
        self.checklist: list[QCheckBox] = []
        self.checklist_rows: list[QuestionRow] = []
        self.closing_label = QLabel(objectName="closingReminder", wordWrap=True)
        self.closing_label.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.notes_box = QPlainTextEdit(objectName="callNotes")
        self.notes_box.setPlaceholderText("Notes from this call — what they said, what to do next…")
        self.notes_box.setTabChangesFocus(True)
        self.notes_box.setMinimumHeight(70)
        self.notes_box.setAccessibleName("Call notes")
        self.notes_box.installEventFilter(self)
        self.empty_label = QLabel("Choose a customer to see what to say.", objectName="scriptEmpty",
                                  alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self._script_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.reason_box.activated.connect(self._reason_chosen)
        self.change_box.activated.connect(lambda _i: self._render())
        self.caller_box.activated.connect(lambda _i: self._render())
        self.edit_button.clicked.connect(lambda: self.edit_script_requested.emit(self.reason()))
        self.quote_button.clicked.connect(
            lambda: self._customer_id is not None and self.quote_requested.emit(self._customer_id))
        self.notes_box.textChanged.connect(self._notes_edited)
        self._fill_callers()

    def _script_page(self) -> QWidget:
        page = QWidget()
        choices = QFormLayout()
        choices.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        choices.addRow("&Reason:", self.reason_box)
        self.change_label = QLabel("A&bout:")
        self.change_label.setBuddy(self.change_box)
        choices.addRow(self.change_label, self.change_box)
        choices.addRow("Calling &as:", self.caller_box)
        # The buttons on a row of their own above the title: beside two buttons the title wrapped
        # word by word in a 1024 px window.
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.quote_button)
        buttons.addWidget(self.edit_button)
        notes_label = QLabel("Call &notes")
        notes_label.setBuddy(self.notes_box)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addLayout(choices)
        layout.addLayout(buttons)
        layout.addWidget(self.title_label)
        layout.addWidget(self.listen_label)
        layout.addWidget(self.body_view)
        layout.addWidget(self.checklist_box)
        layout.addWidget(self.closing_label)
        layout.addWidget(notes_label)
        layout.addWidget(self.notes_box, 1)
        return page

    # --- what the panel is about --------------------------------------------------------------
    def reason(self) -> Reason:
        return chosen(self.reason_box, Reason)

    def show_customer(self, customer_id: int | None) -> None:
        """No call is chosen: the script that fits this customer now (notes need a call)."""
        if customer_id is None:
            self._set_call(None, None)
            return
        choice = self._services.queries.suggest_script(customer_id)
        self._set_call(customer_id, None)
        self._show(choice.reason, choice.change_id, choice.task_id)

    def show_call(self, customer_id: int, reason: Reason, change_id: int | None = None,
                  task_id: int | None = None, caller_name: str | None = None) -> None:
        """The script for one planned call, with that call's notes."""
        self._set_call(customer_id, task_id)
        if caller_name is not None:
            self.caller_box.setCurrentIndex(max(self.caller_box.findText(caller_name), 0))
        self._show(reason, change_id, task_id)

    def _show(self, reason: Reason, change_id: int | None, task_id: int | None) -> None:
        self._task_id = task_id
        self.reason_box.setCurrentIndex(self.reason_box.findData(reason))
        self._fill_changes(change_id)
        self._render()

    def set_caller(self, name: str | None) -> None:
        index = self.caller_box.findText(name) if name else 0
        self.caller_box.setCurrentIndex(max(index, 0))
        self._render()

    def caller(self) -> str | None:
        """The caller the script speaks as ("Calling as"), None when none is chosen."""
        return self.caller_box.currentData()

    def set_free_minutes(self, on: bool) -> None:
        """The "10 free minutes" mode: scripts open with "I just got ten free minutes..."."""
        if on != self._free_minutes:
            self._free_minutes = on
            self._render()
    def call_task_id(self) -> int | None:
        return self._call_task

    def call_notes(self) -> str:
        return self.notes_box.toPlainText().strip()

    def draft(self, task_id: int) -> str:
        """The notes typed for this call so far."""
        return self._drafts.get(task_id, "").strip()

    def forget_draft(self, task_id: int) -> None:
        """This call was logged with its notes: they never come back, and are never saved twice."""
        self._drafts.pop(task_id, None)
        if self._call_task == task_id:
            self._show_notes("")
            for box in self.checklist:
                box.setChecked(False)

    def focus_notes(self) -> None:
        self.notes_box.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def checked_questions(self) -> list[str]:
        return [box.accessibleName() for box in self.checklist if box.isChecked()]

    def questions(self) -> list[str]:
        return [box.accessibleName() for box in self.checklist]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.notes_box and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) \
                and event.key() == Qt.Key.Key_Escape:
            event.accept()  # Escape here leaves the notes, before any window-wide Escape shortcut
            if event.type() == QEvent.Type.KeyPress:
                self.leave_notes_requested.emit()
            return True
        return super().eventFilter(watched, event)

    def _set_call(self, customer_id: int | None, task_id: int | None) -> None:
        if (customer_id, task_id) != (self._customer_id, self._call_task):
            self._customer_id, self._call_task = customer_id, task_id
            self._show_notes(self._drafts.get(task_id, "") if task_id is not None else "")
            for box in self.checklist:
                box.setChecked(False)
        self.notes_box.setEnabled(task_id is not None)
        self.notes_box.setPlaceholderText("Notes from this call — what they said, what to do next…" if task_id
                                          else "Notes belong to a call: choose one in the day's list.")
        self.stack.setCurrentIndex(0 if customer_id is None else 1)
        if customer_id is None:
            self.rendered = None

    def _show_notes(self, text: str) -> None:
        self.notes_box.blockSignals(True)
        self.notes_box.setPlainText(text)
        self.notes_box.blockSignals(False)

    def _notes_edited(self) -> None:
        if self._call_task is not None:
            self._drafts[self._call_task] = self.notes_box.toPlainText()
        self.notes_changed.emit(self.notes_box.toPlainText())

    def _reason_chosen(self, _index: int) -> None:
        self._task_id = None  # the owner chose another reason than the planned call's
        self._fill_changes(self.change_box.currentData())
        self._render()

    def _fill_changes(self, change_id: int | None) -> None:
        reason = self.reason()
        belongs_to_change = reason is not None and declaration(reason).belongs_to_change
        changes = self._services.queries.changes_in_progress() if belongs_to_change else []
        self.change_box.clear()
        for change in changes:
            self.change_box.addItem(f"{change.title} ({format_day(change.effective_on)})", change.id)
        if change_id is not None and self.change_box.findData(change_id) >= 0:
            self.change_box.setCurrentIndex(self.change_box.findData(change_id))
        self.change_box.setVisible(bool(changes))
        self.change_label.setVisible(bool(changes))

    def _fill_callers(self) -> None:
        current = self.caller_box.currentText()
        self.caller_box.clear()
        self.caller_box.addItem("—", None)
        for member in self._services.queries.staff():
            if member.active:
                self.caller_box.addItem(member.name, member.name)
        self.caller_box.setCurrentIndex(max(self.caller_box.findText(current), 0))

    def _render(self) -> None:
        if self._customer_id is None:
            return
        try:
            rendered = self._services.queries.render_script(
                self._customer_id, self.reason(), change_id=self.change_box.currentData(), task_id=self._task_id,
                caller_name=self.caller_box.currentData(), free_minutes=self._free_minutes)
        except CallAheadError:  # the customer was deleted meanwhile: the empty state, not a crash
            self._set_customer(None)
            return
        self.rendered = rendered
        self.title_label.setText(escape(rendered.title))
        self.listen_label.setText(rendered.listen_reminder)
        self.body_view.setHtml(script_html(rendered.body))
        self.body_view.updateGeometry()
        checked = set(self.checked_questions())
        for row in self.checklist_rows:
            self.checklist_layout.removeWidget(row)
            row.deleteLater()
        self.checklist, self.checklist_rows = [], []
        for question in rendered.checklist:
            row = QuestionRow(question)
            row.box.setChecked(question in checked)
            self.checklist_layout.addWidget(row)
            self.checklist.append(row.box)
            self.checklist_rows.append(row)
        # Made after the rest of the window, the boxes would come last on Tab: put them in their place.
        previous = self.body_view
        for box in self.checklist:
            QWidget.setTabOrder(previous, box)
            previous = box
        QWidget.setTabOrder(previous, self.notes_box)
        self.closing_label.setText(rendered.closing)

    def on_changes(self, changes: ChangeSet, render: bool = True) -> None:
        """Keep up with an action; `render=False` when the window is about to show another call anyway."""
        if changes.staff:
            self._fill_callers()
        if render and self._customer_id is not None and (
                changes.scripts or changes.settings or changes.staff or changes.tasks
                or self._customer_id in changes.customers):
            self._render()
