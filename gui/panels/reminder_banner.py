"""Reminders shown inside the window: where the desktop has no tray to show them, and on macOS
beside Notification Center. One line high (the whole text in its tooltip), with a real icon
from the style, never a glyph the font may lack."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStyle, QWidget

from core.scheduling.reminders import Reminder


class ReminderBanner(QFrame):
    open_requested = Signal(object)  # the Reminder

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reminderBanner")
        self.setStyleSheet("#reminderBanner { background: #fff4d6; border: 1px solid #e0c060; border-radius: 4px; }")
        self._reminder: Reminder | None = None
        self.text = QLabel()
        self.text.setObjectName("reminderText")
        self.text.setWordWrap(False)
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.icon = QLabel(objectName="reminderIcon")
        size = self.fontMetrics().height()
        self.icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(size, size))
        self.icon.setAccessibleName("Reminder")
        self.open_button = QPushButton("Show")
        self.open_button.setAccessibleName("Show the reminder's call")
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setAccessibleName("Dismiss the reminder")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 4, 2)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(self.dismiss_button)
        self.open_button.clicked.connect(self._open)
        self.dismiss_button.clicked.connect(self.hide)
        self.hide()

    def show_reminder(self, reminder: Reminder) -> None:
        self._reminder = reminder
        text = (f"<b>{escape(reminder.title)}</b> — {escape(reminder.message)}"
                if reminder.title not in reminder.message else escape(reminder.message))
        self.text.setText(text)
        self.text.setToolTip(f"{reminder.title}\n{reminder.message}")
        self.open_button.setVisible(reminder.task_id is not None)
        self.show()

    def current(self) -> Reminder | None:
        return self._reminder if self.isVisible() else None

    def _open(self) -> None:
        if self._reminder is not None:
            self.open_requested.emit(self._reminder)
        self.hide()
