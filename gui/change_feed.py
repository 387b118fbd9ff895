"""The change feed: an open window hears what a command, another window or another desk wrote.

Every second it asks core (`Services.changes_by_others`, one indexed read of the change log) and,
when another process wrote, announces the change set through the bridge exactly like one of the
window's own actions: one batched `changed` signal, after which each panel refreshes what it shows.
Undo needs nothing from here: core refuses an undo whose rows someone else changed since.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from core.errors import CallAheadError
from gui.services import ServiceBridge

POLL_MS = 1_000  # the owner sees another desk's call within a second or two

log = logging.getLogger(__name__)


class ChangeFeed(QObject):
    def __init__(self, bridge: ServiceBridge, interval_ms: int = POLL_MS, parent: QObject | None = None):
        super().__init__(parent)
        self._bridge = bridge
        self.polls = 0  # how many times it asked (tests count polls, never seconds)
        bridge.queries.watch_other_writers()  # before the window's first read, so no write falls between
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

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
