"""The one runner of owner actions: the window and the command line both act through it.

For every action, in one place:
- the transaction: `Database.transaction` (core.storage.database), applied whole or not at all; it also takes
  the write lock (SQLite's BEGIN IMMEDIATE, a server's advisory writer lock) and appends the
  action's entry to the change log in the same transaction;
- the rows an action declares (`rows_to_lock`): locked FOR UPDATE on a server database, so the
  day desks stop sharing one writer lock needs no change to the actions (SQLite's write lock
  covers them already, and the statement is not sent there);
- the backup an action asks for (`backup=`), made before it and kept only if it changed data;
- the re-plan an action asks for (`unit.replan(...)`), run after its body in the same transaction;
- what an action wrote outside the database (`unit.on_rollback`), put back if it does not commit.

An action that must read at length before it writes (an import plans outside the write lock so
nobody waits on it) declares `plans_before_writing`; its body reads through `unit.database` and
writes inside `unit.database.transaction()`, which is the runner's transaction all the same.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from core.actions.results import ActionResult, ChangeSet, UndoStep
from core.storage import change_log
from core.storage.backup_files import BackupReason
from core.storage.backups import backup_before_change
from core.clock import Clock
from core.storage.database import Database
from core.errors import CallAheadError

log = logging.getLogger(__name__)

T = TypeVar("T")
RowsToLock = Callable[..., Iterable[tuple[type, int]]]  # from the action's inputs: (model, id) pairs


@dataclass(frozen=True)
class OwnerAction(Generic[T]):
    """An action's body and what it asks of the runner."""

    body: Callable[..., ActionResult[T]]  # (unit, *inputs) -> ActionResult
    name: str
    backup: BackupReason | None = None
    rows_to_lock: RowsToLock | None = None
    plans_before_writing: bool = False


def owner_action(*, backup: BackupReason | None = None, rows_to_lock: RowsToLock | None = None,
                 plans_before_writing: bool = False) -> Callable[[Callable[..., ActionResult[T]]], OwnerAction[T]]:
    """Declare a function of (unit, *inputs) an owner action: `runner.run(that_action, *inputs)`."""
    def declare(body: Callable[..., ActionResult[T]]) -> OwnerAction[T]:
        return OwnerAction(body, body.__name__.replace("_", " "), backup, rows_to_lock, plans_before_writing)
    return declare


class UnitOfWork:
    """What an action's body works with: the session of its transaction, the clock, and the
    runner's services it may ask for (a re-plan, a way to put back a file)."""

    def __init__(self, runner: "ActionRunner", action: OwnerAction, inputs: tuple, named: dict):
        self.clock: Clock = runner.clock
        self._runner = runner
        self._action = action
        self._inputs, self._named = inputs, named
        self._session: Session | None = None
        self._replan_ids: set[int] = set()
        self._replan_everything = False
        self._replan_if_written = False
        self._put_back: list[Callable[[], None]] = []

    def today(self) -> dt.date:
        return self.clock.today()

    def now(self) -> dt.datetime:
        return self.clock.now()

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError(f"'{self._action.name}' has no open transaction here")
        return self._session

    @property
    def database(self) -> "_PlanThenWrite":
        """For an action that `plans_before_writing`: reads from the database, writes in the runner's transaction."""
        return _PlanThenWrite(self._runner.database, self)

    def replan(self, customer_ids: Iterable[int] = (), *, everything: bool = False, if_written: bool = False) -> None:
        """After the body, in the same transaction: re-plan these customers' calls, or (everything)
        the standing rules and the whole plan. `if_written`: only if the transaction changed a row
        (an import that refused its file writes nothing, and then plans nothing)."""
        self._replan_ids.update(customer_ids)
        self._replan_everything = self._replan_everything or everything
        self._replan_if_written = if_written

    def on_rollback(self, put_back: Callable[[], None]) -> None:
        """Something written outside the database (a file): how to put it back if the action fails."""
        self._put_back.append(put_back)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._runner.database.transaction() as session:
            self._session = session
            try:
                self._runner.lock_rows(session, self._action, self._inputs, self._named)
                yield session
                self._replan_now(session)
            finally:
                self._session = None

    def _replan_now(self, session: Session) -> None:
        from core.scheduling import refresh_plan, replan_customers

        wanted = self._replan_everything or self._replan_ids
        if wanted and not (self._replan_if_written and not change_log.changed_rows(session)):
            if self._replan_everything:
                refresh_plan(session, self.today())
            else:
                replan_customers(session, self.today(), self._replan_ids)
        self._replan_ids, self._replan_everything, self._replan_if_written = set(), False, False

    def roll_back_outside(self) -> None:
        for put_back in reversed(self._put_back):
            try:
                put_back()
            except CallAheadError as error:  # the action's own failure is the one to tell
                log.warning("Could not put back what '%s' wrote outside the database: %s", self._action.name, error)


@dataclass(frozen=True)
class _PlanThenWrite:
    """The database as an action that plans before writing sees it: `session()` reads (no lock),
    `transaction()` is the runner's unit of work."""

    _database: Database
    _unit: UnitOfWork

    def session(self):
        return self._database.session()

    def transaction(self):
        return self._unit.transaction()


class _NoBackup:
    changed: bool | None = None


class ActionRunner:
    def __init__(self, database: Database, clock: Clock):
        self.database = database
        self.clock = clock

    def run(self, action: OwnerAction[T], *inputs: Any, **named: Any) -> ActionResult[T]:
        """Run `action` whole or not at all; raises what it raised, with nothing of it written."""
        unit = UnitOfWork(self, action, inputs, named)
        with self._backup(action) as backup:
            try:
                if action.plans_before_writing:
                    result = action.body(unit, *inputs, **named)
                else:
                    with unit.transaction():
                        result = action.body(unit, *inputs, **named)
            except BaseException:
                unit.roll_back_outside()
                raise
            backup.changed = bool(result.changes) if result.changed_data is None else result.changed_data
        return result

    def undo(self, step: UndoStep) -> ChangeSet:
        """Take an action back, in one transaction like any action (raises UndoOutdated, nothing changed,
        when what it would restore was changed since)."""
        return self.run(_undo_action(step)).changes

    def _backup(self, action: OwnerAction):
        if action.backup is None:
            return contextlib.nullcontext(_NoBackup())
        return backup_before_change(self.database, action.backup, self.clock.now())

    def lock_rows(self, session: Session, action: OwnerAction, inputs: tuple, named: dict) -> None:
        # SQLite's write lock (taken at BEGIN) already covers every row; a server locks those declared.
        if action.rows_to_lock is None or session.get_bind().dialect.name == "sqlite":
            return
        for model, row_id in action.rows_to_lock(*inputs, **named):
            if row_id is not None:
                session.get(model, row_id, with_for_update=True)


def _undo_action(step: UndoStep) -> OwnerAction[None]:
    def undo(unit: UnitOfWork) -> ActionResult[None]:
        return ActionResult(None, step.undo(unit), message=step.description)

    return OwnerAction(undo, step.description)
