"""The one adapter between core.services and the window: actions go through it, and it tells
every panel what changed with a single `changed` signal (a core.services.ChangeSet).

Panels read through `queries` (core.services.Services, plain dataclasses back) and act with
`run(action, *inputs)` — an owner action of core/actions/, run by the one runner the command
line uses too — so no panel ever opens a database session or refreshes another panel.

`with bridge.batch():` holds the broadcast back until the block ends, so an action and its
epilogue (what the window does next, for the call just logged) reach the panels as one change
set, after the whole action has finished — never while it runs.

What other processes write (a command, another desk) arrives the same way: gui/change_feed.py
polls core's change log and calls `announce` with one change set, exactly like an own action.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from core.actions import ChangeSet, OwnerAction
from core.errors import CallAheadError
from core.services import Services
from gui.background import BackgroundTask

T = TypeVar("T")
# What fixes today's lists or logs against them: refused while the morning pass may still replace them.
# Named rather than imported: logging a call loads with the first call logged, not at start.
ON_TODAYS_LISTS = frozenset({("core.actions.calls", "log_call"), ("core.actions.calls", "log_unplanned_call"),
                             ("core.actions.day", "start_day"), ("core.actions.day", "hand_over")})


class ServiceBridge(QObject):
    changed = Signal(object)  # ChangeSet
    undo_available = Signal(str)  # what Undo would do now, "" when nothing

    def __init__(self, services: Services, parent: QObject | None = None):
        super().__init__(parent)
        self.queries = services
        self._held: ChangeSet | None = None  # what a batch has changed so far
        self._lists_held_because: str | None = None  # why today's lists take no log now
        self._writes_wait_because: str | None = None  # why no action runs now (the morning pass writes)

    def _announce(self, changes: ChangeSet) -> None:
        # Reads after an action (the batch's epilogue too) must see it: caches go at once.
        self.queries.forget_cached(settings=changes.settings)
        if changes.customers or changes.customer_list:
            self.queries.customers_changed()
        if self._held is not None:
            self._held = self._held | changes
        else:
            self._broadcast(changes)

    def _broadcast(self, changes: ChangeSet) -> None:
        self.undo_available.emit(self.queries.undo_description() or "")
        if changes:
            with self.queries.one_read():  # every panel reads what it shows from one snapshot
                self.changed.emit(changes)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Broadcast what the block changed once, when it ends (nested blocks join the outer one)."""
        if self._held is not None:
            yield
            return
        self._held = ChangeSet()
        try:
            yield
        finally:
            held, self._held = self._held, None
            self._broadcast(held)

    def announce(self, changes: ChangeSet) -> None:
        """For what other processes wrote (a command, another desk), brought in by the change feed:
        tell every panel what changed, exactly as for an own action."""
        self._announce(changes)

    def run(self, action: OwnerAction[T], *inputs: Any, **named: Any) -> T:
        """Run an owner action (core/actions/) through the one runner and tell every panel what it
        changed; returns what the action made (a log's result, a new customer's id...)."""
        if self._lists_held_because is not None and (action.body.__module__, action.body.__name__) in ON_TODAYS_LISTS:
            raise CallAheadError(self._lists_held_because)
        if self._writes_wait_because is not None:
            raise CallAheadError(self._writes_wait_because)
        result = self.queries.run(action, *inputs, **named)
        self._announce(result.changes)
        return result.value

    def run_in_background(self, action: OwnerAction, *inputs: Any, parent: QObject | None = None,
                          **named: Any) -> BackgroundTask:
        """The same on a worker thread (an import of a big file), not yet started: every panel is told
        before the task's own `finished(ActionResult)` reaches whoever started it."""
        task = BackgroundTask(lambda: self.queries.run(action, *inputs, **named), parent)
        task.finished.connect(lambda result: self._announce(result.changes))
        return task

    def prepare(self) -> None:
        self._announce(self.queries.prepare())

    def hold_writes(self, because: str | None) -> None:
        """While the morning pass writes on its worker thread, `run` refuses every action at once
        with `because`: it would otherwise wait for the pass's write lock with the window frozen,
        and after the window's busy timeout be told the database is busy. None: go."""
        self._writes_wait_because = because

    def hold_todays_lists(self, because: str | None) -> None:
        """While today's lists may still be replaced (the morning pass runs on a worker thread):
        no log, print or hand-over is run against them; `run` refuses with `because`. None: go."""
        self._lists_held_because = because

    def undo(self) -> ChangeSet:
        changes = self.queries.undo()
        self._announce(changes)
        return changes
