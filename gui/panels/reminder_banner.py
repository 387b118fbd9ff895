"""Reminders shown inside the window where the desktop has no tray to show them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from core.reminders import Reminder


class ReminderBanner(QFrame):
    open_requested = Signal(object)  # the Reminder

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reminderBanner")
        self.setStyleSheet("#reminderBanner { background: #fff4d6; border: 1px solid #e0c060; border-radius: 4px; }")
        self._reminder: Reminder | None = None
        self.text = QLabel()
        self.text.setObjectName("reminderText")
        self.text.setWordWrap(True)
        self.open_button = QPushButton("Show")
        self.dismiss_button = QPushButton("Dismiss")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(QLabel("🔔"))
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(self.dismiss_button)
        self.open_button.clicked.connect(self._open)
        self.dismiss_button.clicked.connect(self.hide)
        self.hide()

    def show_reminder(self, reminder: Reminder) -> None:
        self._reminder = reminder
        self.text.setText(f"<b>{reminder.title}</b> — {reminder.message}" if reminder.title not in reminder.message
                          else reminder.message)
        self.open_button.setVisible(reminder.task_id is not None)
        self.show()

    def current(self) -> Reminder | None:
        return self._reminder if self.isVisible() else None

    def _open(self) -> None:
        if self._reminder is not None:
            self.open_requested.emit(self._reminder)
        self.hide()
