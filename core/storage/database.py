"""Opening the owner's database: checks first, a backup before any migration, then one engine.

A file that is not a CallAhead database, one written by a newer CallAhead, or one SQLite's
quick check finds damaged is refused before anything is written to it, so it stays
byte-for-byte as it was. A file that cannot be read or written (permissions, a full disk, a
read-only folder) is reported as that, never as damage. A restore interrupted between its two
renames is finished before anything else (the restored copy waits as `.callahead.sqlite3.restoring`).

Every new connection and every write transaction first checks the file was not retired by a
restore or `demo --force` (core.storage.replacing): a process that still reaches the set-aside file
fails cleanly and writes nothing into it. Alembic is imported only when the schema is actually behind (it
costs about half a second at start). The file and its -wal/-shm are the owner's alone (0600).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from core.storage import change_log
from core.storage.backup_files import make_backup
from core.errors import CallAheadError, DatabaseBusy, DatabaseTooNew
from core.storage.integrity import (
    QuickCheckAhead,
    check_intact,
    forget_clean_close,
    inspect_sqlite_file,
    note_clean_close,
    quick_check_problems,
    read_only_connection,
    require_sqlite_header,
    unchanged_since_clean_close,
)
from core.storage.paths import ensure_writable, sqlite_url
from core.storage.privacy import (
    SQLITE_COMPANION_SUFFIXES,
    create_owner_only_file,
    make_database_owner_only,
    make_owner_only,
    missing_folders,
)
from core.storage.replacing import DatabaseReplaced, is_retired, move_database, rename_no_replace, replaced_message
from core.storage.server import check_server, is_lock_timeout, plain_server_errors, take_migration_lock, take_writer_lock
from core.storage.problems import explain_os_error, explain_sqlite_error, is_damage

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# How long an action waits for another process's write (an import takes seconds) before the
# owner is told CallAhead is busy: long on the command line, where nothing else is waiting;
# short in the window, whose actions run on the GUI thread and would freeze it meanwhile.
BUSY_TIMEOUT_MS = 30_000
WINDOW_BUSY_TIMEOUT_MS = 3_000
# Beside the database while a process holds its write lock: what that process is doing, so one
# that waited in vain can say what it waited for. Every writer writes it when it takes the lock.
WRITER_NOTE = ".callahead-writing"
UNKNOWN_WRITER = "another window or command saving a change"
# Execution options: a connection that will write begins with BEGIN IMMEDIATE on SQLite, and
# waits up to its busy timeout for the write lock.
_WRITES = "callahead_writes"
_BUSY_TIMEOUT = "callahead_busy_timeout_ms"


class DatabaseUpgradeFailed(CallAheadError):
    """The shipped migrations could not bring the file up to date; it was left as it was."""


def include_in_autogenerate(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: the FTS5 search index is raw SQL (SQLite-only), not part of the models."""
    return not (type_ == "table" and name and name.startswith("customer_search"))


def known_revisions() -> list[str]:
    """Revision ids are the numeric prefixes of the shipped migration files, in order."""
    names = (p.name for p in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    return sorted(name[:4] for name in names)


def head_revision() -> str:
    return known_revisions()[-1]


@dataclass
class Database:
    """One engine for the app's lifetime and a factory of short sessions."""

    engine: Engine
    url: str
    path: Path | None  # the SQLite file, None for a server database
    backup_made: Path | None = None
    # What this process is doing, for another one kept waiting ("an import from the command line").
    activity: str = UNKNOWN_WRITER
    busy_timeout_ms: int | None = None  # None: BUSY_TIMEOUT_MS
    # Signs this process's entries in the change log, so a window tells its own from others'.
    writer: change_log.Writer = field(default_factory=change_log.Writer.here)
    keeps_change_log: bool = True  # False only for a database opened at a revision before the log's


    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        change_log.watch(self.engine, self._sessions)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A read session: nothing it does is committed."""
        with self._busy_is_an_answer(), self._sessions() as session:
            options: dict = {_BUSY_TIMEOUT: self._busy_timeout()}
            if self.engine.dialect.name == "postgresql":
                options["isolation_level"] = "REPEATABLE READ"  # one snapshot for the whole read, as on SQLite
            session.connection(execution_options=options)
            yield session

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: committed whole when the block ends, rolled back whole if it raises.

        Raises DatabaseBusy, with nothing written, when another process held the write lock
        longer than its busy timeout, and DatabaseReplaced (nothing written) if the file this
        connection has open was set aside by a restore or `demo --force` since it was opened.
        """
        with self._busy_is_an_answer(), self._sessions() as session, session.begin():
            connection = session.connection(execution_options={_WRITES: True, _BUSY_TIMEOUT: self._busy_timeout()})
            if self.path is not None and is_retired(connection.exec_driver_sql("PRAGMA user_version").scalar()):
                raise DatabaseReplaced(replaced_message(self.path))
            note = self._leave_writer_note()
            # Every write passes here, whatever its front end, so the change log is appended here:
            # in the same transaction (no entry without its writes, none for a rollback), one
            # INSERT, and what changed is seen from the statements rather than declared by hand.
            if self.keeps_change_log:
                change_log.start(session)
            try:
                yield session
                change_log.append(session, self.writer, self.activity)
            finally:
                change_log.stop(session)
                # Removed while the lock is still held, so it never removes the next writer's note.
                if note is not None:
                    with contextlib.suppress(OSError):
                        note.unlink(missing_ok=True)

    def _busy_timeout(self) -> int:
        return BUSY_TIMEOUT_MS if self.busy_timeout_ms is None else self.busy_timeout_ms

    @contextlib.contextmanager
    def _busy_is_an_answer(self) -> Iterator[None]:
        # The one place a lock wait that ran out becomes a message for the owner. SQLite rolled
        # the action back (or never began it), so nothing of it is in the file.
        try:
            yield
        except OperationalError as error:
            if not _is_busy(error.orig):
                raise
            raise DatabaseBusy(self._writer_now()) from error

    def _note_path(self) -> Path | None:
        return self.path.parent / WRITER_NOTE if self.path is not None else None

    def _leave_writer_note(self) -> Path | None:
        note = self._note_path()
        if note is None:
            return None
        try:
            handle = os.open(note, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(self.activity)
        except OSError:
            return None  # only a courtesy to whoever waits; never a reason to refuse the action
        return note

    def _writer_now(self) -> str:
        note = self._note_path()
        try:
            text = note.read_text(encoding="utf-8").strip() if note is not None else ""
        except (OSError, UnicodeDecodeError):
            text = ""
        return text[:200] or UNKNOWN_WRITER

    def dispose(self) -> None:
        self.engine.dispose()
        if self.path is not None:
            # This process's connections are closed (a session still open would keep the -wal
            # and -shm, and then nothing is noted): the next opening need not check the file
            # again if it is still exactly this one (core.storage.integrity).
            note_clean_close(self.path)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLite-only: foreign keys are off by default, WAL lets the window read while a
    # command writes, and a busy timeout turns a brief lock into a wait, not an error.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # Before WAL is switched on: a connection that reached a file just set aside (it waited on the
    # restore's lock) must not create a -wal, whose name would be the new database's.
    if is_retired(cursor.execute("PRAGMA user_version").fetchone()[0]):
        cursor.close()
        raise DatabaseReplaced(replaced_message(None))
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # Python's sqlite3 would start a transaction only at the first INSERT, UPDATE or DELETE, leaving
    # an action's earlier reads and any schema change outside it. CallAhead begins every transaction
    # itself (_begin_sqlite_transaction), so an action's reads and writes are one whole.
    dbapi_connection.isolation_level = None


def _begin_sqlite_transaction(connection) -> None:
    # A user action takes the write lock before its first read (another desk's write waits out the
    # busy timeout), so nothing it read can change before it writes. A read takes a snapshot.
    options = connection.get_execution_options()
    if _BUSY_TIMEOUT in options:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={int(options[_BUSY_TIMEOUT])}")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(_WRITES, False) else "BEGIN")


def _begin_server_transaction(connection) -> None:
    # The server's counterpart of BEGIN IMMEDIATE (core.storage.server): one action writes at a time.
    options = connection.get_execution_options()
    if options.get(_WRITES, False):
        take_writer_lock(connection, int(options.get(_BUSY_TIMEOUT, BUSY_TIMEOUT_MS)))


def _is_busy(error: BaseException | None) -> bool:
    """SQLite's "database is locked": another connection held a lock longer than the busy timeout."""
    name = getattr(error, "sqlite_errorname", "")
    return name.startswith("SQLITE_BUSY") or is_lock_timeout(error) or (
        isinstance(error, sqlite3.OperationalError) and "database is locked" in str(error))


def create_database_engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_sqlite_transaction)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _begin_server_transaction)
    return engine


def check_revision(revision: str | None, where: str) -> None:
    if revision is not None and revision not in known_revisions():
        raise DatabaseTooNew(
            f"{where} was written by a newer version of CallAhead (schema {revision}; this version knows up to "
            f"{head_revision()}). Install the newer CallAhead to open it; the file was left untouched."
        )


def backup_sqlite_file(path: Path, label: str, now: dt.datetime) -> Path:
    """A rotating backup (SQLite's online backup API) in the data folder's backups folder."""
    return make_backup(path, label, now)


def migrate(engine: Engine, target: str = "head") -> None:
    """Bring the schema to `target` with the shipped Alembic scripts."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                take_migration_lock(connection)  # a second desk starting now waits, then finds it done
            config.attributes["connection"] = connection
            command.upgrade(config, target)
        return
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        # Batch mode rebuilds a table as copy, drop, rename. With foreign keys on, the drop
        # fires the ON DELETE actions of every table pointing at it (call logs would lose their
        # task), so they are off while migrating — SQLite ignores the pragma inside a
        # transaction, hence before it — and every reference is checked before committing.
        driver.execute("PRAGMA foreign_keys=OFF")
        # The engine begins transactions itself (_begin_sqlite_transaction), so the whole upgrade,
        # schema changes included, is one transaction: a failure or a crash half-way leaves the
        # file exactly as it was. It takes the write lock before Alembic reads the schema's
        # revision: another CallAhead upgrading the same file at the same moment waits, then finds
        # the work done, instead of both running the same migrations.
        connection = connection.execution_options(**{_WRITES: True})
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, target)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the upgrade left broken references: {broken[:5]}")
        finally:
            driver.execute("PRAGMA foreign_keys=ON")


def open_database(url: str, *, now: dt.datetime | None = None, target: str = "head",
                  check_integrity: bool = True, checked_ahead: QuickCheckAhead | None = None) -> Database:
    """Open (creating or upgrading as needed) the database at `url`.

    `checked_ahead` is a quick check of the file already under way, used instead of a new one.

    Raises DataDirNotWritable, NotACallAheadDatabase, DatabaseDamaged or DatabaseTooNew with a
    message for the owner; in each case the file was left as it was.
    """
    parsed = make_url(url)
    path: Path | None = None
    backup: Path | None = None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        created_folders = missing_folders(path.parent)
        ensure_writable(path.parent)
        for folder in created_folders:
            make_owner_only(folder)
        finish_interrupted_restore(path)
        if not path.exists():
            _create_new_database(path, target)  # whole, at `target`: it is opened below as any other
        revision, has_data = (None, False)
        if path.exists() and path.stat().st_size > 0:
            require_sqlite_header(path)
            if check_integrity and not unchanged_since_clean_close(path):
                check_intact(path, checked_ahead)
            revision, has_data = inspect_sqlite_file(path)
            _refuse_retired(path)
        check_revision(revision, str(path))
        forget_clean_close(path)  # opened from here on: the file may change, a file refused stays as it was
        wanted = head_revision() if target == "head" else target
        if revision != wanted and has_data:
            backup = backup_sqlite_file(path, "before-upgrade", now or dt.datetime.now())
        # Owner-only before SQLite opens it: its -wal and -shm are created with the file's mode.
        try:
            create_owner_only_file(path)
            make_database_owner_only(path)
        except OSError as exc:  # a file left owned by root (a run with sudo): say so, with the fix
            raise explain_os_error(exc, Path(exc.filename or path), "open the database", path.parent) from exc
        engine = create_database_engine(url)
        _first_connection(engine, path)
        if revision != wanted:
            try:
                migrate(engine, target)
            except Exception as exc:
                engine.dispose()
                kept = f" A copy from before the attempt is {backup}." if backup else ""
                raise DatabaseUpgradeFailed(
                    f"CallAhead could not bring {path} up to date (schema {revision} to {wanted}: {exc}). "
                    f"The file was left as it was.{kept}"
                ) from exc
    else:
        with plain_server_errors(url):
            engine = create_database_engine(url)
        check_server(engine, url)
        with engine.connect() as connection:
            revision = _server_revision(connection)
        check_revision(revision, url)
        if revision != (head_revision() if target == "head" else target):
            migrate(engine, target)
    return Database(engine=engine, url=url, path=path, backup_made=backup,
                    keeps_change_log=target == "head" or target >= change_log.FIRST_REVISION)


def _create_new_database(path: Path, target: str) -> None:
    """Make a new database at `target` in a file of its own beside `path`, then move it in whole.

    Two processes starting at once on an empty data folder (a window and a command, two commands)
    each make their own: the first to move its file in wins, the other removes its own and opens
    that one. Neither sees the other's half-made schema nor waits out its set-up, and a crash
    half-way leaves no half-made database where the owner's goes.
    """
    building = path.with_name(f".{path.name}.new-{os.getpid()}")
    leftovers = (building, *(building.with_name(building.name + s) for s in SQLITE_COMPANION_SUFFIXES))
    for leftover in leftovers:  # a crashed process's of the same id: never reused
        leftover.unlink(missing_ok=True)
    try:
        try:
            create_owner_only_file(building)
        except OSError as exc:
            raise explain_os_error(exc, Path(exc.filename or building), "create the database", path.parent) from exc
        engine = create_database_engine(sqlite_url(building))
        try:
            _first_connection(engine, building)
            try:
                migrate(engine, target)
            except Exception as exc:
                raise DatabaseUpgradeFailed(f"CallAhead could not create the database {path} ({exc}). "
                                            "Nothing was written there.") from exc
        finally:
            engine.dispose()  # the last connection closing folds the -wal into the file
        try:
            move_database(building, path)
        except FileExistsError:
            pass  # another CallAhead moved its new database in first: that one is used
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)


def _first_connection(engine: Engine, path: Path) -> None:
    """Open the first connection now, so a -wal or -shm SQLite may not write is told at opening, not later."""
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        if isinstance(exc.orig, sqlite3.Error) and not is_damage(exc.orig):
            raise explain_sqlite_error(exc.orig, path, "open the database") from exc
        raise


def restoring_path(path: Path) -> Path:
    """Where a restore copies the backup before renaming it into place."""
    return path.with_name(f".{path.name}.restoring")


def finish_interrupted_restore(path: Path) -> Path | None:
    """Finish a restore that stopped between setting the old file aside and renaming the copy in.

    With the database gone and a whole copy waiting, the owner's restore is completed (the
    old file is already kept aside). A copy beside a database that is still in place is a
    restore that stopped earlier (the copy may be partial): it is removed, the source is still
    where it was. Returns the database when a restore was finished.
    """
    incoming = restoring_path(path)
    if not incoming.exists():
        return None
    database_gone = not any(p.exists() for p in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))))
    if database_gone and incoming.stat().st_size > 0 and not quick_check_problems(incoming):
        try:
            rename_no_replace(incoming, path)
        except FileExistsError:
            return None  # another process finished it at the same moment
        except OSError as exc:
            raise explain_os_error(exc, path, "finish the restore that was interrupted") from exc
        make_database_owner_only(path)
        return path
    if not database_gone:
        incoming.unlink(missing_ok=True)
    return None


def _refuse_retired(path: Path) -> None:
    """A set-aside file copied back by hand is not opened as the live database (restore it instead)."""
    connection = read_only_connection(path)
    try:
        retired = is_retired(connection.execute("PRAGMA user_version").fetchone()[0])
    finally:
        connection.close()
    if retired:
        raise DatabaseReplaced(
            f"{path} is a database a restore or `demo --force` set aside (it was copied back by hand); it was "
            "left untouched. To use it again, rename it (say to callahead.kept.sqlite3) and restore that file: "
            "Settings → Restore from backup → Restore from another file, or `callahead restore FILE`.")


def _server_revision(connection) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

