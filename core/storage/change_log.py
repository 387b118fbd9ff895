"""The change log: one row per committed action, so every open window hears the other writers.

core.storage.database's `Database.transaction` — the one door every write goes through (window, command line,
import) — appends the row in the action's own transaction: it exists exactly when the action's
writes do, and a rolled-back action leaves none. A transaction that changed nothing appends
nothing. What changed is gathered while the action runs, never declared by hand:

- every INSERT, UPDATE or DELETE SQLAlchemy sends (the ORM's flushes, bulk statements, text SQL)
  names its table, and the table says the kind: customers, tasks, settings, staff, scripts...;
- the objects a flush writes name their customers (up to `MAX_CUSTOMER_IDS`; a write to a
  customer's data outside a flush, or more customers, leaves `customer_ids` empty: not known which);
- on SQLite the driver counts every row it changes, so a write made past SQLAlchemy (an import
  hands big inserts straight to the driver) or by a statement this module cannot read is still
  noticed. When in doubt the entry says "everything": a window reading too much is slow for a
  moment, one reading too little shows the owner something false.

On a PostgreSQL server the append also sends `NOTIFY callahead_changes` in the same transaction,
delivered at commit, so windows listening (core.storage.change_listener) need not wait for their poll.

An action may add what it knows with `note_changes`. Readers ask `entries_since(session, n)`.
The table keeps the last `ROWS_KEPT` rows: a window polls every second or so, and one that fell
further behind than that reads everything again.
"""

from __future__ import annotations

import os
import re
import sqlite3
import socket
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine, bindparam, delete, event, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from core.storage.models import ChangeLogEntry

FIRST_REVISION = "0009"  # the schema revision that made the table
EVERYTHING = "everything"
MAX_CUSTOMER_IDS = 20
ROWS_KEPT = 5_000
PRUNE_EVERY = 250  # sequences between two prunes: one DELETE in 250 actions, never one per action
NOTIFY_CHANNEL = "callahead_changes"  # on a server, each append wakes the listening windows

# Which kinds of data a table holds, as the window refreshes them. A table not named here (a new
# one, or the schema's own) makes an entry "everything" until it is added.
KINDS_OF_TABLE: dict[str, tuple[str, ...]] = {
    "customers": ("customers",),
    "customer_phones": ("customers",),
    "customer_search": ("customers",),
    "purchases": ("customers",),
    "quotes": ("customers",),
    "reward_cards": ("customers",),
    "call_logs": ("customers",),
    "thank_you_notes": ("customers",),
    "import_pair_decisions": ("customers",),
    "call_tasks": ("tasks",),
    "planned_calls": ("tasks",),
    "planned_call_tasks": ("tasks",),
    "plan_waiting": ("tasks",),
    "changes": ("tasks",),
    "change_products": ("tasks",),
    "change_customers": ("tasks",),
    "products": ("tasks",),
    "settings": ("settings",),
    "staff_members": ("staff",),
    "scripts": ("scripts",),
    "news_items": ("scripts",),  # what's on is said in every call's script
    "reminders_shown": ("reminders",),
    "week_reflections": ("review",),
}
_CUSTOMER_TABLES = frozenset(t for t, kinds in KINDS_OF_TABLE.items() if "customers" in kinds)

_WRITE = re.compile(
    r"\s*(?:(?:INSERT|REPLACE)(?:\s+OR\s+\w+)?\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+[\"`\[]?(\w+)",
    re.IGNORECASE)
_READ = re.compile(r"\s*(?:SELECT|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|EXPLAIN|VALUES)\b", re.IGNORECASE)
_RECORDER = "callahead_change_recorder"
# Built once, so each append reuses SQLAlchemy's compiled statement (a fresh construct with its
# values costs more than the INSERT itself).
_APPEND = insert(ChangeLogEntry)
_NOTIFY = text("SELECT pg_notify(:channel, :writer)")
_PRUNE = delete(ChangeLogEntry).where(ChangeLogEntry.sequence <= bindparam("oldest_kept"))


@dataclass(frozen=True)
class Writer:
    """Who appends: the computer, the process, and one opened database in it (its token tells a
    window its own actions, already shown, from everyone else's)."""

    desk: str
    process: int
    token: str

    @classmethod
    def here(cls) -> "Writer":
        return cls(socket.gethostname()[:100] or "this computer", os.getpid(), uuid.uuid4().hex[:16])


@dataclass(frozen=True)
class LoggedChange:
    """One row of the change log, as readers see it."""

    sequence: int
    writer: str
    activity: str
    kinds: frozenset[str]
    customer_ids: frozenset[int] | None  # the customers changed; None: not known which, or none

    @property
    def everything(self) -> bool:
        return EVERYTHING in self.kinds


@dataclass
class _Recorder:
    """What one transaction has changed so far."""

    connection_info: dict  # where the statement listener finds this recorder
    sqlite_driver: sqlite3.Connection | None
    changes_at_start: int | None  # SQLite's count of rows the connection changed; None elsewhere
    kinds: set[str] = field(default_factory=set)
    customer_ids: set[int] = field(default_factory=set)
    customers_unknown: bool = False
    flushing: bool = False
    in_statement: bool = False  # SQLAlchemy is running a statement (whose text it showed us)
    rows_changed: bool = False  # a server's statements changed a row (SQLite counts rows itself)

    def note_table(self, table: str) -> None:
        table = table.lower()
        if table.startswith("customer_search"):  # the search index and SQLite's tables behind it
            table = "customer_search"
        if table in (ChangeLogEntry.__tablename__, "sqlite_sequence"):
            return
        self.kinds.update(KINDS_OF_TABLE.get(table, (EVERYTHING,)))
        if table in _CUSTOMER_TABLES and not self.flushing:  # no flushed objects say which customers
            self.customers_unknown = True

    def note_statement(self, statement: str, rows: int = -1) -> None:
        """A statement SQLAlchemy ran; `rows` the rows it changed when the driver knows (else -1)."""
        match = _WRITE.match(statement)
        if match is not None:
            if rows == 0:  # an UPDATE or DELETE that matched nothing, an INSERT that was skipped
                return
            self.note_table(match.group(1))
            self.rows_changed = True
        elif _READ.match(statement) is None:  # DDL or anything unfamiliar
            self.kinds.add(EVERYTHING)
            self.rows_changed = True

    def trace(self, sql: str) -> None:
        """SQLite's trace: called as each statement starts, the driver's own included."""
        if self.in_statement or sql.startswith("--") or _READ.match(sql):
            return
        # A write handed straight to the driver (an import's big insert): not knowing what it
        # changed, say everything; nothing more need be watched in this transaction.
        self.kinds.add(EVERYTHING)
        if self.sqlite_driver is not None:
            self.sqlite_driver.set_trace_callback(None)

    def note_objects(self, objects: Iterable[object]) -> None:
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            customer_id = getattr(obj, "id", None) if table == "customers" else getattr(obj, "customer_id", None)
            if isinstance(customer_id, int):
                self.customer_ids.add(customer_id)
            elif table in _CUSTOMER_TABLES:
                self.customers_unknown = True


def watch(engine: Engine, sessions: sessionmaker) -> None:
    """Listen to the statements and flushes of `engine` and `sessions`, once per database.

    The listeners do nothing unless a transaction is being recorded (`start`)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _statement_begins(connection, cursor, statement, parameters, context, executemany):
        recorder = connection.info.get(_RECORDER)
        if recorder is not None:
            if recorder.sqlite_driver is not None:
                # SQLite's rowcount is not known yet for a statement with RETURNING; SQLite's own
                # count of changed rows tells at the end whether anything changed at all.
                recorder.note_statement(statement)
            recorder.in_statement = True

    @event.listens_for(engine, "after_cursor_execute")
    def _statement_ends(connection, cursor, statement, parameters, context, executemany):
        recorder = connection.info.get(_RECORDER)
        if recorder is not None:
            if recorder.sqlite_driver is None:
                # A server has no count of the rows a transaction changed, but tells each
                # statement's: one that changed nothing is not news, as on SQLite.
                recorder.note_statement(statement, cursor.rowcount)
            recorder.in_statement = False

    @event.listens_for(engine, "handle_error")
    def _statement_failed(exception_context):
        connection = exception_context.connection
        recorder = connection.info.get(_RECORDER) if connection is not None else None
        if recorder is not None:
            recorder.in_statement = False

    @event.listens_for(sessions, "before_flush")
    def _flush_begins(session, flush_context, instances):
        recorder = session.info.get(_RECORDER)
        if recorder is not None:
            recorder.flushing = True

    @event.listens_for(sessions, "after_flush")
    def _flushed(session, flush_context):
        recorder = session.info.get(_RECORDER)
        if recorder is not None:
            recorder.note_objects([*session.new, *session.dirty, *session.deleted])

    @event.listens_for(sessions, "after_flush_postexec")
    def _flush_ends(session, flush_context):
        recorder = session.info.get(_RECORDER)
        if recorder is not None:
            recorder.flushing = False


def start(session: Session) -> None:
    """Record what the session's transaction changes (core.storage.database calls this once it holds the lock)."""
    connection = session.connection()
    driver = connection.connection.driver_connection
    sqlite_driver = driver if isinstance(driver, sqlite3.Connection) else None
    recorder = _Recorder(connection.info, sqlite_driver, sqlite_driver.total_changes if sqlite_driver else None)
    session.info[_RECORDER] = recorder
    connection.info[_RECORDER] = recorder
    if sqlite_driver is not None:
        # SQLite shows every statement it runs, those handed straight to the driver included.
        sqlite_driver.set_trace_callback(recorder.trace)


def stop(session: Session) -> None:
    """Stop recording (safe to call twice, and after a rollback)."""
    recorder = session.info.pop(_RECORDER, None)
    if recorder is not None:
        recorder.connection_info.pop(_RECORDER, None)
        if recorder.sqlite_driver is not None:
            recorder.sqlite_driver.set_trace_callback(None)


def note_changes(session: Session, kinds: Iterable[str] = (), customer_ids: Iterable[int] | None = ()) -> None:
    """What an action knows it changed, added to what was seen (`customer_ids=None`: not known which)."""
    recorder = session.info.get(_RECORDER)
    if recorder is None:
        return
    recorder.kinds.update(kinds)
    if customer_ids is None:
        recorder.customers_unknown = True
    else:
        recorder.customer_ids.update(customer_ids)


def changed_rows(session: Session) -> bool:
    """Whether the recorded transaction has changed a row so far (True when it is not recorded)."""
    recorder: _Recorder | None = session.info.get(_RECORDER)
    if recorder is None:
        return True
    session.flush()
    if recorder.sqlite_driver is not None:
        return recorder.sqlite_driver.total_changes != recorder.changes_at_start
    return recorder.rows_changed  # a server: some statement changed a row


def append(session: Session, writer: Writer, activity: str) -> int | None:
    """Append the transaction's entry (nothing when it changed nothing); returns its sequence."""
    recorder: _Recorder | None = session.info.get(_RECORDER)
    if recorder is None:
        return None
    if not changed_rows(session):
        return None  # no row changed (statements that matched none, or none at all): nothing to tell
    connection = session.connection()
    kinds = {EVERYTHING} if EVERYTHING in recorder.kinds else recorder.kinds
    known = not recorder.customers_unknown and 0 < len(recorder.customer_ids) <= MAX_CUSTOMER_IDS
    ids = ",".join(str(i) for i in sorted(recorder.customer_ids)) if known and "customers" in kinds else None
    stop(session)  # the log's own rows are not part of what changed
    if connection.dialect.name != "sqlite":
        # Sequence numbers must follow the order of commits, or a reader could pass over a number
        # committed late; SQLite has one writer at a time, a server database takes this lock.
        connection.exec_driver_sql("LOCK TABLE change_log IN SHARE ROW EXCLUSIVE MODE")
    sequence = connection.execute(_APPEND, {
        "desk": writer.desk, "process": writer.process, "writer": writer.token, "activity": activity[:200],
        "kinds": ",".join(sorted(kinds)), "customer_ids": ids}).inserted_primary_key[0]
    if sequence % PRUNE_EVERY == 0:
        connection.execute(_PRUNE, {"oldest_kept": sequence - ROWS_KEPT})
    if connection.dialect.name == "postgresql":
        # Delivered by the server when this transaction commits (never if it rolls back): the other
        # desks' windows listening (core.storage.change_listener) read the log at once instead of at their poll.
        # Signed with the writer's token, so the window that acted is not woken by its own action.
        connection.execute(_NOTIFY, {"channel": NOTIFY_CHANNEL, "writer": writer.token})
    return sequence


def latest_sequence(session: Session) -> int:
    return session.scalar(select(ChangeLogEntry.sequence).order_by(ChangeLogEntry.sequence.desc()).limit(1)) or 0


def entries_since(session: Session, sequence: int, limit: int = 200) -> Sequence[LoggedChange]:
    """Entries after `sequence`, oldest first, at most `limit` (more: the reader should read everything)."""
    rows = session.execute(
        select(ChangeLogEntry.sequence, ChangeLogEntry.writer, ChangeLogEntry.activity, ChangeLogEntry.kinds,
               ChangeLogEntry.customer_ids)
        .where(ChangeLogEntry.sequence > sequence).order_by(ChangeLogEntry.sequence).limit(limit)).all()
    return [_logged(*row) for row in rows]


def _logged(sequence: int, writer: str, activity: str, kinds: str, customer_ids: str | None) -> LoggedChange:
    ids = frozenset(int(i) for i in customer_ids.split(",")) if customer_ids else None
    return LoggedChange(sequence, writer, activity, frozenset(kinds.split(",")), ids)
