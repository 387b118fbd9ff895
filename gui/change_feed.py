"""The change feed: an open window hears what a command, another window or another desk wrote.

It asks core (`Services.changes_by_others`, one indexed read of the change log) and, when another
process wrote, announces the change set through the bridge exactly like one of the window's own
actions: one batched `changed` signal, after which each panel refreshes what it shows. Undo needs
nothing from here: core refuses an undo whose rows someone else changed since.

When it asks: on SQLite, every second. On a PostgreSQL server the change log's NOTIFY reaches a
listening connection (core.storage.change_listener) the moment another desk commits; a QSocketNotifier on
its socket asks at once, and the poll stays as a slower fallback (a notification lost with its
connection is then noticed within SERVER_POLL_MS).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from core.storage.change_listener import ChangeListener, listen_for_changes
from core.errors import CallAheadError
from gui.services import ServiceBridge

POLL_MS = 1_000  # the owner sees another desk's call within a second or two
SERVER_POLL_MS = 10_000  # with a listener: only what a lost notification may have missed

log = logging.getLogger(__name__)


class ChangeFeed(QObject):
    def __init__(self, bridge: ServiceBridge, interval_ms: int | None = None, parent: QObject | None = None,
                 listen: bool = True):
        """`listen`: hear a server's notifications when the database has them (False: only poll)."""
        super().__init__(parent)
        self._bridge = bridge
        self.polls = 0  # how many times it asked (tests count polls, never seconds)
        self.notified = 0  # how many of those a server's notification started
        # Listening before the first read of the change log: a commit in between is heard, not missed.
        self._listener: ChangeListener | None = listen_for_changes(bridge.queries.database) if listen else None
        bridge.queries.watch_other_writers()  # before the window's first read, so no write falls between
        self._notifier: QSocketNotifier | None = None
        if self._listener is not None:
            self._notifier = QSocketNotifier(self._listener.fileno(), QSocketNotifier.Type.Read, self)
            self._notifier.setEnabled(False)
            self._notifier.activated.connect(self._heard)
        if interval_ms is None:
            interval_ms = POLL_MS if self._listener is None else SERVER_POLL_MS
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)

    @property
    def listening(self) -> bool:
        return self._listener is not None and not self._listener.broken

    def start(self) -> None:
        self._timer.start()
        if self._notifier is not None and self.listening:
            self._notifier.setEnabled(True)

    def stop(self) -> None:
        """For good: the window's database is about to close (its listening connection closes now)."""
        self._timer.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        if self._listener is not None:
            self._listener.close()

    def _heard(self) -> None:
        heard = self._listener.drain()
        if self._listener.broken:
            # Its socket is gone: watching it would wake the loop for nothing. The poll carries on.
            self._notifier.setEnabled(False)
            self._timer.setInterval(POLL_MS)
        if heard:
            self.notified += 1
            self.poll()

    def poll(self) -> None:
        self.polls += 1
        try:
            changes = self._bridge.queries.changes_by_others()
        except CallAheadError as error:  # DatabaseUnreadable among them
            # Busy, replaced or briefly unreadable: nothing was read, the next poll asks again.
            log.info("change feed: %s", error)
            return
        if changes:
            self._bridge.announce(changes)
