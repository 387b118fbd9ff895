"""What an action hands back: what changed, how to take it back, and what to tell the owner."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from core.storage.change_log import LoggedChange

if TYPE_CHECKING:
    from core.actions.runner import UnitOfWork

T = TypeVar("T")


@dataclass(frozen=True)
class ChangeSet:
    """What an action changed, so each screen refreshes only what it shows."""

    customers: frozenset[int] = frozenset()  # customers added, edited, deleted or restored
    customer_list: bool = False  # membership or order of the customer list may differ
    settings: bool = False
    staff: bool = False
    scripts: bool = False
    tasks: bool = False  # planned calls (the scheduling engine's)
    calls: frozenset[int] = frozenset()  # the planned calls an action logged (or an undo brought back)

    def __or__(self, other: "ChangeSet") -> "ChangeSet":
        return ChangeSet(self.customers | other.customers, self.customer_list or other.customer_list,
                         self.settings or other.settings, self.staff or other.staff,
                         self.scripts or other.scripts, self.tasks or other.tasks, self.calls | other.calls)

    def __bool__(self) -> bool:
        return bool(self.customers or self.customer_list or self.settings or self.staff or self.scripts
                    or self.tasks or self.calls)


EVERYTHING_CHANGED = ChangeSet(customer_list=True, settings=True, staff=True, scripts=True, tasks=True)


def logged_changes(entries: Sequence[LoggedChange]) -> ChangeSet:
    """The change set of change-log entries (another process's actions), as the window's own would be."""
    changes = ChangeSet()
    for entry in entries:
        if entry.everything or ("customers" in entry.kinds and entry.customer_ids is None):
            return EVERYTHING_CHANGED  # not known which customers: every panel reads again
        changes |= ChangeSet(customers=entry.customer_ids or frozenset(), customer_list="customers" in entry.kinds,
                             settings="settings" in entry.kinds, staff="staff" in entry.kinds,
                             scripts="scripts" in entry.kinds, tasks="tasks" in entry.kinds)
    return changes


@dataclass(frozen=True)
class UndoStep:
    """How to take an action back: run by the runner, in its own unit of work, like any action."""

    description: str  # "Undo delete of Jane Doe"
    undo: Callable[["UnitOfWork"], ChangeSet]
    announced_change: int | None = None  # the change this step takes back, when it is an announcement


@dataclass(frozen=True)
class ActionResult(Generic[T]):
    value: T  # what the action made or found (a log's result, a new customer's id, an import's report)
    changes: ChangeSet
    undo: UndoStep | None = None
    message: str = ""  # for the owner: "Will try again on Tue 03 Mar (attempt 2 of 3)."
    # Whether a backup made before the action is worth keeping (None: whether anything changed).
    changed_data: bool | None = None
