"""The tray icon: open the window, see today's count, print the list, quit; and reminders.

The icon belongs to the application, not the window, so closing the window keeps the app
running. Where the desktop has no tray (some Linux desktops, offscreen), `available` is
False and reminders are shown inside the window instead (`show_reminder` returns False).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from core import APP_NAME
from core.reminders import Reminder


class TrayController(QObject):
    open_requested = Signal()
    print_requested = Signal()
    quit_requested = Signal()
    reminder_clicked = Signal(object)  # the Reminder last shown, when its balloon is clicked

    def __init__(self, icon: QIcon, parent: QObject | None = None):
        super().__init__(parent)
        self._last_reminder: Reminder | None = None
        self.menu = QMenu()
        self.open_action = QAction(f"Open {APP_NAME}", self.menu)
        self.today_action = QAction("Today's calls", self.menu)
        self.print_action = QAction("Print today's list…", self.menu)
        self.quit_action = QAction("Quit", self.menu)
        self.open_action.triggered.connect(lambda: self.open_requested.emit())
        self.today_action.triggered.connect(lambda: self.open_requested.emit())
        self.print_action.triggered.connect(lambda: self.print_requested.emit())
        self.quit_action.triggered.connect(lambda: self.quit_requested.emit())
        for action in (self.open_action, self.today_action, self.print_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip(APP_NAME)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self._message_clicked)

    @staticmethod
    def available() -> bool:
        # supportsMessages() and isVisible() say True even where nothing can be shown;
        # only this tells whether a tray host is there (measured: shared/QT-HEADLESS.md).
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        if self.available():
            self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def set_today_count(self, pending: int, done: int) -> None:
        self.today_action.setText(f"Today's calls ({pending} to make, {done} done)")
        self.icon.setToolTip(f"{APP_NAME} — {pending} calls to make today")

    def show_reminder(self, reminder: Reminder) -> bool:
        """Show a balloon; False when there is no tray, so the caller shows it in the window."""
        if not self.available() or not self.icon.isVisible():
            return False
        self._last_reminder = reminder
        self.icon.showMessage(reminder.title, reminder.message, QSystemTrayIcon.MessageIcon.Information, 15_000)
        return True

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()

    def _message_clicked(self) -> None:
        if self._last_reminder is not None:
            self.reminder_clicked.emit(self._last_reminder)
        else:
            self.open_requested.emit()
