"""A new day's first start: the day's backup and the morning pass, off the GUI thread.

The window opens at once on the stored plan. Meanwhile one worker copies the database aside
(the day's backup: SQLite's backup API reads one snapshot, so the pass may write meanwhile) and
another runs the morning pass (core/actions/day.py `open_the_day`: standing rules, the whole
plan, today's lists fixed) through the one runner — one transaction, under the write lock, safe
against another process. What the pass changed reaches every panel through the bridge's
`changed` signal, like any action's.

While the pass may still replace today's lists, they are held (`ServiceBridge.hold_todays_lists`):
nothing logs, prints or hands over against a list about to be replaced. A failure of either
job is reported with what failed (`plan_failed`, `backup_failed`), never swallowed; the pass
can be tried again (`retry_plan`). `wait()` blocks until both workers are done, so an app that
ends meanwhile never stops a transaction or a copy halfway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Signal

from core.actions import OwnerAction
from core.actions import day as day_actions
from core.errors import CallAheadError
from gui.background import BackgroundTask
from gui.services import ServiceBridge

log = logging.getLogger(__name__)

PLANNING_TODAY = "Planning today's calls…"
LISTS_HELD = "Today's calls are still being planned: logging and printing wait until the list is ready."
WRITES_WAIT = "Today's calls are being planned (a few seconds): try again in a moment. Nothing was changed."


def failure_text(error: BaseException) -> str:
    """What the owner reads: core's own message, or the unexpected error's kind and words."""
    if isinstance(error, CallAheadError):
        return str(error)
    return f"{type(error).__name__}: {error}"


class DayOpening(QObject):
    plan_ready = Signal(object)  # ChangeSet: the morning pass is done (the panels were told first)
    plan_failed = Signal(str)  # what went wrong; today's lists stay held until a pass succeeds
    backup_failed = Signal(str)
    finished = Signal()  # nothing runs any more (each job done, or failed)

    def __init__(self, bridge: ServiceBridge, backup: Callable[[], Any],
                 morning_pass: OwnerAction = day_actions.open_the_day, parent: QObject | None = None):
        super().__init__(parent)
        self._bridge = bridge
        self._backup = backup
        self._morning_pass = morning_pass
        self._plan_task: BackgroundTask | None = None
        self._backup_task: BackgroundTask | None = None
        self.plan_failure: str | None = None
        self.backup_failure: str | None = None
        self.lists_held = False  # today's lists may still be replaced

    def start(self, hold_lists: bool) -> None:
        """Both jobs on their workers. `hold_lists`: the pass will make today's lists (the first
        start of the day), so they take no log until it is done; a later start's pass changes none."""
        self._hold(hold_lists)
        self._backup_task = BackgroundTask(self._backup, self)
        self._backup_task.finished.connect(lambda _made: self._backup_done(None))
        self._backup_task.failed.connect(self._backup_done)
        self._backup_task.start()
        self._start_plan()

    def retry_plan(self) -> None:
        """The owner asks again after a failed pass."""
        if self._plan_task is not None and self._plan_task.is_running():
            return
        self.plan_failure = None
        self._hold(True)
        self._start_plan()

    def planning(self) -> bool:
        return self._plan_task is not None and self._plan_task.is_running()

    def is_running(self) -> bool:
        return any(task is not None and task.is_running() for task in (self._plan_task, self._backup_task))

    def failures(self) -> list[str]:
        return [text for text in (self.plan_failure and f"Today's plan could not be made: {self.plan_failure}",
                                  self.backup_failure and f"Today's backup could not be made: {self.backup_failure}")
                if text]

    def wait(self) -> None:
        """Until both workers are done (the app is ending: nothing is cut off halfway). A loop of
        its own: each worker's end is delivered to this thread as an event."""
        if self.is_running():
            loop = QEventLoop()
            self.finished.connect(loop.quit)
            loop.exec()

    def _start_plan(self) -> None:
        # The bridge tells every panel what the pass changed before `finished` reaches us.
        # The first pass of a day writes for seconds at a big shop (a later one, in milliseconds).
        self._bridge.hold_writes(WRITES_WAIT if self.lists_held else None)
        self._plan_task = self._bridge.run_in_background(self._morning_pass, parent=self)
        self._plan_task.finished.connect(self._plan_done)
        self._plan_task.failed.connect(self._plan_error)
        self._plan_task.start()

    def _hold(self, held: bool) -> None:
        self.lists_held = held
        self._bridge.hold_todays_lists(LISTS_HELD if held else None)

    def _plan_done(self, result) -> None:
        self._bridge.hold_writes(None)
        self._hold(False)
        self.plan_ready.emit(result.changes)
        self._finish_if_done()

    def _plan_error(self, error: BaseException) -> None:
        self._bridge.hold_writes(None)  # a pass that failed writes nothing more: the rest of the window works
        if not isinstance(error, CallAheadError):  # a fault, not a refusal: its traceback goes to the log
            log.error("The morning pass failed", exc_info=error)
        self.plan_failure = failure_text(error)
        if self.lists_held:  # the list shown is still not today's: it stays held, now for this reason
            self._bridge.hold_todays_lists(f"Today's plan could not be made ({self.plan_failure}): "
                                           "no call is logged until it is.")
        self.plan_failed.emit(self.plan_failure)
        self._finish_if_done()

    def _backup_done(self, error: BaseException | None) -> None:
        if error is not None:
            if not isinstance(error, (CallAheadError, OSError)):
                log.error("The day's backup failed", exc_info=error)
            self.backup_failure = failure_text(error)
            self.backup_failed.emit(self.backup_failure)
        self._finish_if_done()

    def _finish_if_done(self) -> None:
        if not self.is_running():
            self.finished.emit()
