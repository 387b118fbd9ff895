"""The change feed: an open window hears what a command, another window or another desk wrote.

It asks core (`Services.changes_by_others`, one indexed read of the change log) and, when another
process wrote, announces the change set through the bridge exactly like one of the window's own
actions: one batched `changed` signal, after which each panel refreshes what it shows. Undo needs
nothing from here: core refuses an undo whose rows someone else changed since.

When it asks: on SQLite, every second. On a PostgreSQL server the change log's NOTIFY reaches a
listening connection (core.storage.change_listener) the moment another desk commits; a QSocketNotifier on
its socket asks at once, and the poll stays as a slower fallback (a notification lost with its
connection is then noticed within SERVER_POLL_MS). A lost connection turns the poll back to every
second, and each poll gives the listener a chance to listen again (core decides when, backing off);
once it does, the feed watches its new socket and goes back to the slow poll.
"""

from __future__ import annotations

import logging
import time

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
        self.reconnections = 0  # how many times a lost listening connection was made again
        # Listening before the first read of the change log: a commit in between is heard, not missed.
        self._listener: ChangeListener | None = listen_for_changes(bridge.queries.database) if listen else None
        bridge.queries.watch_other_writers()  # before the window's first read, so no write falls between
        self._notifier: QSocketNotifier | None = None
        if self.listening:
            self._watch_listener()
        self._listening_interval_ms = interval_ms or SERVER_POLL_MS
        self._polling_interval_ms = interval_ms or POLL_MS
        self._timer = QTimer(self)
        self._timer.setInterval(self._listening_interval_ms if self.listening else self._polling_interval_ms)
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

    def _watch_listener(self) -> None:
        """Watch the listener's socket (a new one after each reconnection) instead of any before."""
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
        self._notifier = QSocketNotifier(self._listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.setEnabled(False)
        self._notifier.activated.connect(self._heard)

    def _heard(self) -> None:
        heard = self._listener.drain()
        if self._listener.broken:
            # Its socket is gone: watching it would wake the loop for nothing. The poll carries on,
            # every second, and tries to listen again.
            self._notifier.setEnabled(False)
            self._timer.setInterval(self._polling_interval_ms)
        if heard:
            self.notified += 1
            self.poll()

    def _listen_again_if_due(self) -> None:
        if self._listener.reconnect_if_due(time.monotonic()):
            self._watch_listener()
            self._notifier.setEnabled(self._timer.isActive())
            self._timer.setInterval(self._listening_interval_ms)
            self.reconnections += 1

    def poll(self) -> None:
        self.polls += 1
        if self._listener is not None and self._listener.broken:
            self._listen_again_if_due()  # then this poll reads what was missed while deaf
        try:
            changes = self._bridge.queries.changes_by_others()
        except CallAheadError as error:  # DatabaseUnreadable among them
            # Busy, replaced or briefly unreadable: nothing was read, the next poll asks again.
            log.info("change feed: %s", error)
            return
        if changes:
            self._bridge.announce(changes)
