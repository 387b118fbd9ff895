"""The tray icon: open the window, see today's count, print the list, quit; and reminders.

The icon belongs to the application, not the window, so closing the window keeps the app
running. Where the desktop has no tray (some Linux desktops, offscreen), `available` is
False and reminders are shown inside the window instead (`show_reminder` returns False).

macOS differs (`platform` is sys.platform, a parameter so tests can play any system): the
menu-bar icon is a monochrome mask, opening its menu also reports a Trigger (which must not
pop the window up), and Notification Center removes a notification when its timeout ends, so
reminders stay until dismissed.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from core import APP_NAME
from core.scheduling.reminders import Reminder
from gui.wording import count_of


REMINDER_SHOWN_MS = 15_000
MENU_BAR_ICON_SIZE = 44  # 22 pt at 2x; macOS scales it down on other screens


def menu_bar_icon(icon: QIcon) -> QIcon:
    """The app icon as a black silhouette marked as a mask, so macOS tints it to the menu bar."""
    size = QSize(MENU_BAR_ICON_SIZE, MENU_BAR_ICON_SIZE)
    shape = icon.pixmap(size)
    silhouette = QPixmap(shape.size() if not shape.isNull() else size)
    silhouette.fill(Qt.GlobalColor.transparent)
    if not shape.isNull():
        painter = QPainter(silhouette)
        painter.drawPixmap(0, 0, shape)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(silhouette.rect(), QColor("black"))
        painter.end()
    mask = QIcon(silhouette)
    mask.setIsMask(True)
    return mask


class TrayController(QObject):
    open_requested = Signal()
    print_requested = Signal()
    quit_requested = Signal()
    reminder_clicked = Signal(object)  # the Reminder last shown, when its balloon is clicked

    def __init__(self, icon: QIcon, parent: QObject | None = None, platform: str = sys.platform):
        super().__init__(parent)
        self._mac = platform == "darwin"
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
        self.icon = QSystemTrayIcon(menu_bar_icon(icon) if self._mac else icon, self)
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

    def dispose(self) -> None:
        """At quit: the icon goes first, then its menu, while Qt is still there to delete them
        (left to the interpreter's exit, the parentless menu could outlive the application)."""
        self.icon.hide()
        self.icon.setContextMenu(None)
        self.menu.deleteLater()

    def set_today_count(self, pending: int, done: int) -> None:
        self.today_action.setText(f"Today's calls ({pending} to make, {done} done)")
        self.icon.setToolTip(f"{APP_NAME} — {count_of(pending, 'call')} to make today")

    def show_reminder(self, reminder: Reminder) -> bool:
        """Show a balloon; False when there is no tray, so the caller shows it in the window."""
        if not self.available() or not self.icon.isVisible():
            return False
        self._last_reminder = reminder
        # On macOS a timeout removes the notification from Notification Center unseen: keep it.
        timeout = 0 if self._mac else REMINDER_SHOWN_MS
        self.icon.showMessage(reminder.title, reminder.message, QSystemTrayIcon.MessageIcon.Information, timeout)
        return True

    @property
    def keeps_reminders(self) -> bool:
        """Whether a reminder shown here stays until the owner dismisses it (else the window shows it too)."""
        return not self._mac

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        # macOS reports a Trigger whenever the menu opens: there only the menu's Open opens the window.
        opens = {QSystemTrayIcon.ActivationReason.DoubleClick}
        if not self._mac:
            opens.add(QSystemTrayIcon.ActivationReason.Trigger)
        if reason in opens:
            self.open_requested.emit()

    def _message_clicked(self) -> None:
        if self._last_reminder is not None:
            self.reminder_clicked.emit(self._last_reminder)
        else:
            self.open_requested.emit()
