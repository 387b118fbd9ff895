"""When CallAhead backs up, what each backup holds, and putting one back.

One backup is made on the first start of each day (and, for a window left open in the tray, when
the day changes), before every migration and restore, and before an import that changes
something (`backup_before_change`: an import of rows already there makes none). Making,
rotating and recording the copies is core.storage.backup_files.

Restoring checks the chosen file first (a whole CallAhead database, not newer than this
version), then holds the database alone (waiting for, or refusing while, another connection
uses it — core.storage.replacing), copies the backup in, keeps the current file aside under a new
name (it is never deleted or overwritten), and brings the restored copy up to the current
schema if it is older.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from core.storage.backup_files import (
    BackupReason,
    adopt_earlier_backups,
    backups_folder,
    copy_database,
    make_backup,
    named_backups,
    parse_backup_name,
    rotate_backups,
)
from core.storage.database import Database, check_revision, head_revision, open_database, restoring_path
from core.errors import CallAheadError, DatabaseBusy, NotACallAheadDatabase
from core.storage.integrity import (
    DatabaseDamaged,
    inspect_sqlite_file,
    problems_found,
    quick_check_problems,
    untouched_connection,
)
from core.storage.paths import sqlite_url
from core.storage.privacy import SQLITE_COMPANION_SUFFIXES, create_owner_only_folder, make_database_owner_only
from core.storage.replacing import (
    clear_retired_mark,
    exclusive_hold,
    move_database,
    rename_no_replace,
    retire,
    retry_while_in_use,
    set_database_aside,
)
from core.storage.problems import explain_os_error

log = logging.getLogger(__name__)


class BackupNotRestorable(CallAheadError):
    pass


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds, read without changing a byte of it. `problem` says why it cannot be restored."""

    path: Path
    taken_at: dt.datetime
    reason: str | None  # None for a file CallAhead did not name (one the owner picked)
    size_bytes: int
    schema_revision: str | None = None
    business_name: str | None = None
    customers: int | None = None
    call_tasks: int | None = None
    call_logs: int | None = None
    purchases: int | None = None
    problem: str | None = None

    @property
    def restorable(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    database: Path
    set_aside: Path | None  # the file that was in place, under its new name
    safety_backup: Path | None  # a rotating before-restore backup of it, when it was whole
    upgraded_from: str | None  # the backup's schema revision when it had to be brought up to date


def sqlite_file_of(url: str) -> Path | None:
    """The database file behind a SQLAlchemy URL, None for a server or in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def back_up(database: Database, reason: BackupReason | str, now: dt.datetime) -> Path | None:
    """Back up an open database (None for a server database, which has its own backup tools)."""
    if database.path is None:
        return None
    return make_backup(database.path, reason, now)


def back_up_on_request(database_file: Path, now: dt.datetime) -> Path:
    """The owner's backup now (`backup`): refused, before anything is copied, when there is no
    database yet or the file is not CallAhead's."""
    if not database_file.exists() or database_file.stat().st_size == 0:
        raise CallAheadError(f"There is no database in {database_file.parent} yet: nothing to back up.")
    inspect_sqlite_file(database_file)
    return make_backup(database_file, BackupReason.MANUAL, now)


@dataclass
class ActionBackup:
    """The backup made before an action; the action says whether it changed anything."""

    path: Path | None
    changed: bool | None = None  # None (not said) keeps the backup


@contextlib.contextmanager
def backup_before_change(database: Database, reason: BackupReason | str, now: dt.datetime, *,
                         skip: bool = False) -> Iterator[ActionBackup]:
    """A backup before an action that may change nothing, kept only if it did change something.

        with backup_before_change(database, BackupReason.BEFORE_IMPORT, now) as backup:
            report = import_customers(database, source)
            backup.changed = <whether the import wrote anything>

    The copy is made first, so it holds the data from before; it joins the rotation only once
    the action changed something, and is removed again when the action said it changed nothing
    (it would be the very data in place). An action that raises keeps it. `skip` (a dry run)
    makes none.
    """
    if skip or database.path is None:
        yield ActionBackup(None)
        return
    backup = ActionBackup(make_backup(database.path, reason, now, rotate=False))
    try:
        yield backup
    except BaseException:
        rotate_backups(backup.path)
        raise
    if backup.changed is False:
        # Its record stays: it matches no file now, and a later file of that name has another size or time.
        try:
            retry_while_in_use(lambda: backup.path.unlink(missing_ok=True), backup.path, "remove an unneeded backup")
        except CallAheadError as error:  # still recorded, so a later rotation removes it
            log.warning("kept %s: %s", backup.path.name, error)
            rotate_backups(backup.path)
            return
        log.info("backup %s removed: the %s changed nothing", backup.path.name, reason)
        backup.path = None
    else:
        rotate_backups(backup.path)


_IMPORT_CHANGE_COUNTS = ("created", "updated", "products_created")  # a merge that changes a field counts as updated


def import_changed_data(summary: dict) -> bool:
    """The backup policy for an import, from its summary: it changed data if it applied any row.

    An import of rows that are all already there (or refused whole) wrote nothing, so the
    backup made before it is not kept.
    """
    return bool(summary.get("applied")) and any(summary.get(count) for count in _IMPORT_CHANGE_COUNTS)


def daily_backup_due(database: Database, now: dt.datetime) -> bool:
    """Whether today's daily backup is still to be made (there is a database with data, and none today)."""
    if database.path is None or not database.path.exists():
        return False
    folder = backups_folder(database.path.parent)
    if any(b.reason == BackupReason.DAILY and b.taken_at.date() == now.date() for b in named_backups(folder)):
        return False
    _revision, has_data = inspect_sqlite_file(database.path)
    return has_data


def daily_backup(database: Database, now: dt.datetime) -> Path | None:
    """The day's backup: made unless today's daily backup exists or there is nothing to keep.

    Asked at start and again whenever the date may have changed (a window left in the tray
    across midnight), so every day that CallAhead runs has its daily backup.
    """
    if database.path is not None:
        adopt_earlier_backups(database.path)  # at start, so the next backup of each kind rotates them
    if not daily_backup_due(database, now):
        return None
    return make_backup(database.path, BackupReason.DAILY, now)


DAILY_BACKUP_CHECK_SECONDS = 15 * 60


def seconds_until_daily_backup_check(now: dt.datetime) -> float:
    """When a window that stays open asks `daily_backup` again: just past midnight, and at least every
    quarter of an hour — a computer asleep at midnight (timers do not count sleep) checks soon after waking.
    """
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0, 0, 1), tzinfo=now.tzinfo)
    return max(1.0, min((tomorrow - now).total_seconds(), DAILY_BACKUP_CHECK_SECONDS))


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """Every backup in the data folder's backups folder, newest first, each with its preview."""
    return [preview_backup(backup.path) for backup in named_backups(backups_folder(data_dir))]


def latest_good_backup(data_dir: Path) -> BackupInfo | None:
    """The newest backup that passes the checks a restore makes, or None."""
    return next((info for info in list_backups(data_dir) if info.restorable), None)


def _count(connection: sqlite3.Connection, table: str) -> int | None:
    try:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.DatabaseError:
        return None


def _business_name(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT value FROM settings WHERE key = 'business_name'").fetchone()
    except sqlite3.DatabaseError:
        return None
    try:
        value = json.loads(row[0]) if row else None
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def preview_backup(path: Path) -> BackupInfo:
    """What a backup (or any file offered for restoring) holds, and why it cannot be restored if not.

    Reads through a read-only, immutable connection: the file's bytes, its modification time
    and its folder stay exactly as they were.
    """
    named = parse_backup_name(path)
    try:
        stat = path.stat()
    except OSError as exc:
        return BackupInfo(path, named.taken_at if named else dt.datetime.min, named.reason if named else None, 0,
                          problem=f"{path} cannot be read: {exc.strerror or exc}.")
    taken_at = named.taken_at if named else dt.datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0)
    basics = {"path": path, "taken_at": taken_at, "reason": named.reason if named else None,
              "size_bytes": stat.st_size}
    if not path.is_file() or stat.st_size == 0:
        return BackupInfo(**basics, problem=f"{path} is empty or not a file, not a CallAhead backup.")
    try:
        revision, _has_data = inspect_sqlite_file(path, connect=untouched_connection)
        if revision is None:
            raise BackupNotRestorable(f"{path} holds no CallAhead business (it is an empty database).")
        check_revision(revision, str(path))
    except CallAheadError as error:
        return BackupInfo(**basics, problem=str(error))
    try:
        connection = untouched_connection(path)
    except sqlite3.Error as exc:
        return BackupInfo(**basics, schema_revision=revision, problem=f"{path} cannot be opened: {exc}.")
    try:
        try:
            problems = problems_found(connection)
        except sqlite3.Error as exc:  # not damage (a lock, a share refusing a read): say so, never crash the list
            return BackupInfo(**basics, schema_revision=revision, problem=f"{path} cannot be read now: {exc}.")
        return BackupInfo(
            **basics,
            schema_revision=revision,
            business_name=_business_name(connection),
            customers=_count(connection, "customers"),
            call_tasks=_count(connection, "call_tasks"),
            call_logs=_count(connection, "call_logs"),
            purchases=_count(connection, "purchases"),
            problem=str(DatabaseDamaged(path, problems)) if problems else None,
        )
    finally:
        connection.close()


# --- restoring -------------------------------------------------------------------------------------


def _database_and_companions(path: Path) -> list[Path]:
    return [path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANION_SUFFIXES)]


def _whole_callahead_file(path: Path) -> bool:
    """A CallAhead database SQLite finds whole (read-only). A file it cannot reach raises, it is not 'damaged'."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        revision, _has_data = inspect_sqlite_file(path)
    except (NotACallAheadDatabase, DatabaseDamaged):
        return False
    return revision is not None and not quick_check_problems(path)


def _unretire(path: Path, held: sqlite3.Connection | None) -> None:
    if held is not None:  # still holding the file (it was moved back under the same lock)
        clear_retired_mark(held)
        return
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        clear_retired_mark(connection)
    finally:
        connection.close()


def restore_backup(database_file: Path, backup: Path, now: dt.datetime, *, wait: float | None = None) -> RestoreResult:
    """Put `backup` in place of `database_file`. Close this process's connections to it first.

    The backup is checked before anything moves. The database is then held alone: a restore
    waits up to `wait` seconds for other connections (an import, a command, another desk) to
    finish and refuses with DatabaseBusy if they do not; a process reaching the file later finds
    it retired and writes nothing into it. The current file (whole or damaged) is renamed aside
    — never deleted or overwritten — after a rotating backup of it if it is whole; a damaged one
    is not even opened for writing. A backup from an older CallAhead is brought up to date.
    """
    backup = backup.expanduser()
    if database_file.exists() and backup.resolve() == database_file.resolve():
        raise BackupNotRestorable(f"{backup} is the database in use; choose a backup to restore.")
    info = preview_backup(backup)
    if info.problem:
        raise BackupNotRestorable(f"{info.problem} Nothing was changed.")
    try:
        create_owner_only_folder(database_file.parent)
    except OSError as exc:
        raise explain_os_error(exc, database_file.parent, "restore into its data folder") from exc
    whole = _whole_callahead_file(database_file)
    # A damaged file is set aside as it is: holding it would switch its journal and write to it.
    holding = exclusive_hold(database_file, "the restore", wait) if whole else contextlib.nullcontext(None)
    incoming = restoring_path(database_file)
    safety_backup = set_aside = None
    with holding as held:
        if whole and held is None:
            raise DatabaseBusy.saying(f"{database_file} changed while the restore began; nothing was changed. "
                               "Try again in a moment.")
        # Held (or damaged): no other restore is under way, so a copy left here is an earlier one's leftover.
        _remove_leftover(incoming)
        try:
            copy_database(backup, incoming, source_is_live=False)
            if held is not None:
                safety_backup = make_backup(database_file, BackupReason.BEFORE_RESTORE, now, protect=(backup,),
                                            reader=held)
                if retire(held):
                    held = None  # closed: Windows moves no open file
            if any(p.exists() for p in _database_and_companions(database_file)):
                set_aside = set_database_aside(database_file, "before-restore" if whole else "damaged", now)
            try:
                retry_while_in_use(lambda: rename_no_replace(incoming, database_file), incoming,
                                   "put the restored copy in place")
            except (CallAheadError, OSError):
                _undo_set_aside(set_aside, database_file, whole, held)
                raise
        finally:
            # With the old file aside and none in place, the copy waits for the next start to finish the restore.
            if set_aside is None or database_file.exists():
                _remove_leftover(incoming)
    make_database_owner_only(database_file)
    upgraded_from = None
    if info.schema_revision != head_revision():
        upgraded_from = info.schema_revision
        open_database(sqlite_url(database_file), now=now).dispose()
    log.info("restored %s (schema %s) into %s; previous file kept as %s", backup.name, info.schema_revision,
             database_file.name, set_aside.name if set_aside else "-")
    return RestoreResult(backup, database_file, set_aside, safety_backup, upgraded_from)


def _remove_leftover(path: Path) -> None:
    try:
        retry_while_in_use(lambda: path.unlink(missing_ok=True), path, "remove a restore's leftover copy")
    except CallAheadError as error:  # a copy of a backup that still exists: harmless, removed next time
        log.warning("left %s in place: %s", path.name, error)


def _undo_set_aside(set_aside: Path | None, database_file: Path, whole: bool,
                    held: sqlite3.Connection | None) -> bool:
    """Put the set-aside file back after the restored copy could not be moved in; False if that failed too.

    When it fails, the restored copy stays as `.callahead.sqlite3.restoring` and the next start
    finishes the restore (core.storage.database.finish_interrupted_restore).
    """
    if set_aside is None:
        return True
    try:
        move_database(set_aside, database_file)
        if whole:
            _unretire(database_file, held)
    except (CallAheadError, OSError, sqlite3.Error):
        log.exception("could not put %s back after a failed restore", set_aside.name)
        return False
    return True
