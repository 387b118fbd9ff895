"""Wakes when core says the next reminder falls due and hands over what is due.

A thin timer: the rules live in core.scheduling.reminders. It wakes at the next reminder's moment but
at least once a minute, so a sleep, a clock change or a callback booked meanwhile is caught;
whatever is due is emitted once and marked shown in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from core.scheduling.reminders import Reminder

MAX_SLEEP = dt.timedelta(minutes=1)


class ReminderWatch(QObject):
    reminder_due = Signal(object)  # Reminder

    def __init__(self, due: Callable[[], list[Reminder]], mark_shown: Callable[[list[Reminder]], None],
                 next_time: Callable[[], dt.datetime | None], now: Callable[[], dt.datetime],
                 parent: QObject | None = None):
        super().__init__(parent)
        self._due, self._mark_shown, self._next_time, self._now = due, mark_shown, next_time, now
        self._timer = QTimer(self, singleShot=True, timeout=self.check_now)

    def start(self) -> None:
        self.check_now()

    def stop(self) -> None:
        self._timer.stop()

    def check_now(self) -> list[Reminder]:
        reminders = self._due()
        if reminders:
            self._mark_shown(reminders)
            for reminder in reminders:
                self.reminder_due.emit(reminder)
        self._schedule()
        return reminders

    def _schedule(self) -> None:
        now = self._now()
        upcoming = self._next_time()
        wait = MAX_SLEEP if upcoming is None else max(dt.timedelta(seconds=1), min(upcoming - now, MAX_SLEEP))
        self._timer.start(int(wait.total_seconds() * 1000))

    def interval_ms(self) -> int:
        return self._timer.interval()
