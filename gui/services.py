"""The one adapter between core.services and the window: actions go through it, and it tells
every panel what changed with a single `changed` signal (a core.services.ChangeSet).

Panels read through `queries` (core.services.Services, plain dataclasses back) and act through
the methods here, so no panel ever opens a database session or refreshes another panel.

`with bridge.batch():` holds the broadcast back until the block ends, so an action and its
epilogue (what the window does next, for the call just logged) reach the panels as one change
set, after the whole action has finished — never while it runs.

What other processes write (a command, another desk) arrives the same way: gui/change_feed.py
polls core's change log and calls `announce` with one change set, exactly like an own action.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, Signal

from core.customer_editing import CustomerInput
from core.enums import Reason
from core.services import ChangeSet, Services
from core.staff import StaffEntry


class ServiceBridge(QObject):
    changed = Signal(object)  # ChangeSet
    undo_available = Signal(str)  # what Undo would do now, "" when nothing

    def __init__(self, services: Services, parent: QObject | None = None):
        super().__init__(parent)
        self.queries = services
        self._held: ChangeSet | None = None  # what a batch has changed so far

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
        """For actions that run elsewhere (an import, a logged call, another process's write, brought
        in by the change feed): tell every panel what changed."""
        self._announce(changes)

    def prepare(self) -> None:
        self._announce(self.queries.prepare())

    def add_customer(self, data: CustomerInput, *, allow_duplicate: bool = False) -> int:
        customer_id, changes = self.queries.add_customer(data, allow_duplicate=allow_duplicate)
        self._announce(changes)
        return customer_id

    def update_customer(self, customer_id: int, data: CustomerInput, *, allow_duplicate: bool = False) -> None:
        self._announce(self.queries.update_customer(customer_id, data, allow_duplicate=allow_duplicate))

    def delete_customer(self, customer_id: int) -> None:
        self._announce(self.queries.delete_customer(customer_id))

    def undo(self) -> ChangeSet:
        changes = self.queries.undo()
        self._announce(changes)
        return changes

    def save_script(self, reason: Reason, title: str, body: str) -> None:
        self._announce(self.queries.save_script(reason, title, body))

    def reset_script(self, reason: Reason) -> None:
        self._announce(self.queries.reset_script(reason))

    def save_business_settings(self, changes: Mapping[str, Any], staff: Sequence[StaffEntry]) -> None:
        self._announce(self.queries.save_business_settings(changes, staff))

    def log_call(self, task_id: int, outcome, **details):
        result, changes = self.queries.log_call(task_id, outcome, **details)
        self._announce(changes)
        return result

    def log_unplanned_call(self, customer_id: int, outcome, **details):
        result, changes = self.queries.log_unplanned_call(customer_id, outcome, **details)
        self._announce(changes)
        return result

    def add_quote(self, customer_id: int, data):
        record, changes = self.queries.add_quote(customer_id, data)
        self._announce(changes)
        return record

    def update_quote(self, quote_id: int, data):
        record, changes = self.queries.update_quote(quote_id, data)
        self._announce(changes)
        return record

    def decide_quote(self, quote_id: int, won: bool, on=None):
        record, changes = self.queries.decide_quote(quote_id, won, on)
        self._announce(changes)
        return record

    def add_stamps(self, customer_id: int, count: int = 1):
        card, changes = self.queries.add_stamps(customer_id, count)
        self._announce(changes)
        return card

    def redeem_reward(self, customer_id: int):
        card, changes = self.queries.redeem_reward(customer_id)
        self._announce(changes)
        return card

    def announce_change(self, request):
        plan, changes = self.queries.announce_change(request)
        self._announce(changes)
        return plan

    def move_change(self, change_id: int, effective_on):
        plan, changes = self.queries.move_change(change_id, effective_on)
        self._announce(changes)
        return plan

    def cancel_change(self, change_id: int) -> int:
        cancelled, changes = self.queries.cancel_change(change_id)
        self._announce(changes)
        return cancelled
