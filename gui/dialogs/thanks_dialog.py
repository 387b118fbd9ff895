"""Thank-you note…: log today's note in seconds, pick from suggestions, record a response later.

Choose the caller, click a suggestion (or type anyone: a supplier, a colleague), add a line
if you like and press Log note. The day's count against the goal shows at the top. Below, the
caller's notes of the last month: pick one and record what came of it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.storage.enums import ThankYouResponse
from core.errors import CallAheadError
from core.habits.services import HabitsServices
from core.labels import format_day
from core.habits.thanks import RESPONSE_LABELS, Suggestion, ThankYouEntry

ID_ROLE = Qt.ItemDataRole.UserRole


class ThanksDialog(QDialog):
    changed = Signal(object)  # ChangeSet, for the window to broadcast

    def __init__(self, habits: HabitsServices, staff_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Thank-you note")
        self.setObjectName("ThanksDialog")
        self.resize(620, 640)
        self._habits = habits
        self._customer_id: int | None = None
        self._build()
        for member in habits.callers():
            self.caller_picker.addItem(member.name, member.id)
        index = self.caller_picker.findData(staff_id) if staff_id is not None else 0
        self.caller_picker.setCurrentIndex(max(index, 0))
        self.caller_picker.currentIndexChanged.connect(lambda _index: self.refresh())
        self.refresh()
        self.recipient_edit.setFocus()

    # --- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.caller_picker = QComboBox(objectName="thanksCaller")
        self.progress_label = QLabel(objectName="thanksProgress")
        top = QHBoxLayout()
        caller_label = QLabel("&Written by:")
        caller_label.setBuddy(self.caller_picker)
        top.addWidget(caller_label)
        top.addWidget(self.caller_picker, 1)
        top.addWidget(self.progress_label)

        self.suggestions_list = QListWidget(objectName="thanksSuggestions")
        self.suggestions_list.setWordWrap(True)
        self.suggestions_list.itemClicked.connect(self._suggestion_chosen)
        self.suggestions_list.itemActivated.connect(self._suggestion_chosen)
        suggestions_box = QGroupBox("Suggestions from your calls this week")
        QVBoxLayout(suggestions_box).addWidget(self.suggestions_list)

        self.recipient_edit = QLineEdit(objectName="thanksRecipient")
        self.recipient_edit.setPlaceholderText("A customer, a supplier, a colleague who helped")
        self.recipient_edit.textEdited.connect(self._recipient_typed)
        self.customer_label = QLabel(objectName="thanksCustomer")
        self.note_edit = QPlainTextEdit(objectName="thanksNote")
        self.note_edit.setPlaceholderText("What you wrote (optional)")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(70)
        self.log_button = QPushButton("&Log note", objectName="thanksLog")
        self.log_button.setDefault(True)
        self.log_button.clicked.connect(self.log_note)
        self.message_label = QLabel(objectName="thanksMessage", wordWrap=True)
        form = QFormLayout()
        form.addRow("&To:", self.recipient_edit)
        form.addRow("", self.customer_label)
        form.addRow("&Note:", self.note_edit)
        form.addRow("", self.log_button)
        form.addRow("", self.message_label)

        self.recent_list = QListWidget(objectName="thanksRecent")
        self.response_picker = QComboBox(objectName="thanksResponse")
        for response, label in RESPONSE_LABELS.items():
            self.response_picker.addItem(label, response)
        self.respond_button = QPushButton("&Record response", objectName="thanksRespond")
        self.respond_button.setAutoDefault(False)
        self.respond_button.clicked.connect(self.record_response)
        respond_row = QHBoxLayout()
        respond_row.addWidget(QLabel("What came of it:"))
        respond_row.addWidget(self.response_picker, 1)
        respond_row.addWidget(self.respond_button)
        recent_box = QGroupBox("Your notes this month")
        recent_layout = QVBoxLayout(recent_box)
        recent_layout.addWidget(self.recent_list)
        recent_layout.addLayout(respond_row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(suggestions_box, 2)
        layout.addLayout(form)
        layout.addWidget(recent_box, 2)
        layout.addWidget(buttons)

    # --- reading -------------------------------------------------------------------------------
    def staff_id(self) -> int | None:
        return self.caller_picker.currentData()

    def refresh(self) -> None:
        staff_id = self.staff_id()
        self.suggestions_list.clear()
        self.recent_list.clear()
        if staff_id is None:
            self.progress_label.setText("Add a caller in Settings first.")
            self.log_button.setEnabled(False)
            return
        progress = self._habits.notes_progress(self._habits.today(), staff_id)
        self.progress_label.setText(f"Notes today: {progress.written} of {progress.goal}")
        suggestions = self._habits.thank_you_suggestions(staff_id)
        for suggestion in suggestions:
            item = QListWidgetItem(f"{suggestion.name} — {suggestion.why}")
            item.setData(ID_ROLE, suggestion)
            self.suggestions_list.addItem(item)
        if not suggestions:
            placeholder = QListWidgetItem("No suggestions yet: anyone who helped you this week is a fine choice.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.suggestions_list.addItem(placeholder)
        today = self._habits.today()
        for note in self._habits.recent_notes(staff_id):
            item = QListWidgetItem(self._note_text(note, today))
            item.setData(ID_ROLE, note.id)
            self.recent_list.addItem(item)

    @staticmethod
    def _note_text(note: ThankYouEntry, today) -> str:
        response = f" — {RESPONSE_LABELS[note.response]} ({format_day(note.response_on, today)})" if note.response else ""
        return f"{format_day(note.sent_on, today)}: {note.recipient}{response}"

    # --- acting -------------------------------------------------------------------------------------
    def _suggestion_chosen(self, item: QListWidgetItem) -> None:
        suggestion: Suggestion | None = item.data(ID_ROLE)
        if suggestion is None:
            return
        self._customer_id = suggestion.customer_id
        self.recipient_edit.setText(suggestion.name)
        self.customer_label.setText(f"Customer #{suggestion.customer_id}: the note shows in their history")
        self.note_edit.setFocus()

    def _recipient_typed(self, _text: str) -> None:
        # Typing someone else unlinks the suggested customer: a supplier is not that customer.
        self._customer_id = None
        self.customer_label.clear()

    def log_note(self) -> None:
        staff_id = self.staff_id()
        if staff_id is None:
            return
        try:
            note, changes = self._habits.log_thank_you(staff_id, self.recipient_edit.text(), self._customer_id,
                                                       self.note_edit.toPlainText())
        except CallAheadError as error:
            self.message_label.setStyleSheet("color: #b71c1c;")
            self.message_label.setText(str(error))
            return
        self.message_label.setStyleSheet("color: #1b5e20;")
        self.message_label.setText(f"Logged: a note to {note.recipient}. Thank you!")
        self.recipient_edit.clear()
        self.note_edit.clear()
        self._recipient_typed("")
        self.refresh()
        self.changed.emit(changes)

    def record_response(self) -> None:
        item = self.recent_list.currentItem()
        if item is None:
            self.message_label.setText("Pick a note below first.")
            return
        response: ThankYouResponse = self.response_picker.currentData()
        try:
            note, changes = self._habits.record_response(item.data(ID_ROLE), response)
        except CallAheadError as error:
            self.message_label.setStyleSheet("color: #b71c1c;")
            self.message_label.setText(str(error))
            return
        self.message_label.setStyleSheet("color: #1b5e20;")
        self.message_label.setText(f"Recorded: {note.recipient} — {RESPONSE_LABELS[note.response].lower()}.")
        self.refresh()
        self.changed.emit(changes)
