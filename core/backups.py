"""Rotating backups of the owner's database, what each one holds, and putting one back.

A backup is a consistent copy made through SQLite's online backup API (safe while the app
has the database open), written under a temporary name and renamed once complete, so the
backups folder only ever holds whole files:

    DATA_DIR/backups/callahead-20261124-083012-daily.sqlite3

One is made on the first start of each day, and before every migration, import and restore;
the newest `Settings.backups_to_keep` (14 by default) are kept and older ones removed. Only
files named this way are ever removed: anything else in the folder is left alone. A damaged
database is never backed up, so it cannot push the good backups out of the rotation.

Restoring checks the chosen file first (a whole CallAhead database, not newer than this
version), copies it in, keeps the current file aside under a new name (it is never
deleted), and brings the restored copy up to the current schema if it is older.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core.db import Database, check_revision, head_revision, inspect_sqlite_file, open_database
from core.errors import CallAheadError
from core.integrity import (
    DatabaseDamaged,
    problems_found,
    quick_check_problems,
    read_only_connection,
    set_database_aside,
    untouched_connection,
)
from core.paths import sqlite_url
from core.privacy import (
    SQLITE_COMPANION_SUFFIXES,
    create_owner_only_file,
    create_owner_only_folder,
    make_database_owner_only,
)
from core.settings import Settings, load_settings

log = logging.getLogger(__name__)

BACKUPS_FOLDER = "backups"
_STAMP_FORMAT = "%Y%m%d-%H%M%S"
_BACKUP_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z][a-z0-9-]*?)(?:\.(?P<number>\d+))?\.sqlite3$"
)
_REASON = re.compile(r"[a-z][a-z0-9-]*")
_PARTIAL_SUFFIX = ".partial"


class BackupReason(StrEnum):
    DAILY = "daily"
    MANUAL = "manual"
    BEFORE_UPGRADE = "before-upgrade"
    BEFORE_IMPORT = "before-import"
    BEFORE_RESTORE = "before-restore"


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


def backups_folder(data_dir: Path) -> Path:
    return data_dir / BACKUPS_FOLDER


def sqlite_file_of(url: str) -> Path | None:
    """The database file behind a SQLAlchemy URL, None for a server or in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


# --- making backups -----------------------------------------------------------------------------


def _backup_name(stem: str, now: dt.datetime, reason: str, number: int) -> str:
    suffix = "" if number == 1 else f".{number}"
    return f"{stem}-{now:{_STAMP_FORMAT}}-{reason}{suffix}.sqlite3"


def _free_backup_path(folder: Path, stem: str, now: dt.datetime, reason: str) -> Path:
    for number in range(1, 10_000):
        candidate = folder / _backup_name(stem, now, reason, number)
        if not candidate.exists():
            return candidate
    raise CallAheadError(f"Too many backups named for {now:%Y-%m-%d %H:%M:%S} in {folder}.")


def _copy_database(source: Path, destination: Path, *, source_is_live: bool) -> None:
    """A consistent single-file copy (the backup API reads one snapshot, even while the app writes).

    Raises DatabaseDamaged if the copy fails SQLite's quick check: the source is damaged.
    """
    create_owner_only_file(destination)
    reader = read_only_connection(source) if source_is_live else untouched_connection(source)
    try:
        writer = sqlite3.connect(destination)
        try:
            reader.backup(writer)
            # A copy of a WAL database is a WAL database too; a backup is one self-contained file.
            writer.execute("PRAGMA journal_mode=DELETE")
            problems = problems_found(writer)
        finally:
            writer.close()
    finally:
        reader.close()
    if problems:
        raise DatabaseDamaged(source, problems)
    with destination.open("rb+") as handle:
        os.fsync(handle.fileno())


def make_backup(database_file: Path, reason: BackupReason | str, now: dt.datetime, *,
                keep: int | None = None, protect: tuple[Path, ...] = ()) -> Path:
    """Copy the database into its backups folder and rotate; return the new backup's path.

    Raises DatabaseDamaged (and keeps no copy) when the database fails SQLite's quick check.
    `keep` defaults to the database's own `backups_to_keep` setting; `protect`ed backups are
    never removed by this rotation.
    """
    if not _REASON.fullmatch(str(reason)):
        raise ValueError(f"A backup's reason is lower-case words joined by '-', not {reason!r}.")
    folder = create_owner_only_folder(backups_folder(database_file.parent))
    _remove_partials(folder)
    target = _free_backup_path(folder, database_file.stem, now, str(reason))
    partial = target.with_name(target.name + _PARTIAL_SUFFIX)
    try:
        _copy_database(database_file, partial, source_is_live=True)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    removed = prune_backups(folder, keep if keep is not None else backups_to_keep(target),
                            protect=(target, *protect))
    log.info("backup made: %s (%s); %d old backup(s) removed", target.name, reason, len(removed))
    return target


def _remove_partials(folder: Path) -> None:
    # A half-written copy left by a crash during a backup: ours, incomplete, never a backup.
    for partial in folder.glob(f"*.sqlite3{_PARTIAL_SUFFIX}"):
        partial.unlink(missing_ok=True)


def backups_to_keep(database_file: Path) -> int:
    """The `backups_to_keep` setting stored in a database file (its default if it cannot be read)."""
    engine = create_engine("sqlite://", creator=lambda: untouched_connection(database_file))
    try:
        with Session(engine) as session:
            return load_settings(session).backups_to_keep
    except SQLAlchemyError:
        return Settings().backups_to_keep
    finally:
        engine.dispose()


def back_up(database: Database, reason: BackupReason | str, now: dt.datetime) -> Path | None:
    """Back up an open database (None for a server database, which has its own backup tools)."""
    if database.path is None:
        return None
    return make_backup(database.path, reason, now)


def daily_backup(database: Database, now: dt.datetime) -> Path | None:
    """The start-of-day backup: made unless a backup was already taken today or there is nothing to keep."""
    if database.path is None or not database.path.exists():
        return None
    if any(info.taken_at.date() == now.date() for info in _named_backups(backups_folder(database.path.parent))):
        return None
    _revision, has_data = inspect_sqlite_file(database.path)
    if not has_data:
        return None
    return make_backup(database.path, BackupReason.DAILY, now)


# --- listing and rotating -------------------------------------------------------------------------


@dataclass(frozen=True)
class _NamedBackup:
    path: Path
    taken_at: dt.datetime
    reason: str
    number: int


def _parse_backup_name(path: Path) -> _NamedBackup | None:
    match = _BACKUP_NAME.match(path.name)
    if not match:
        return None
    try:
        taken_at = dt.datetime.strptime(match["stamp"], _STAMP_FORMAT)
    except ValueError:
        return None
    return _NamedBackup(path, taken_at, match["reason"], int(match["number"] or 1))


def _named_backups(folder: Path) -> list[_NamedBackup]:
    """CallAhead's backups in a folder, newest first."""
    if not folder.is_dir():
        return []
    found = [parsed for path in folder.glob("*.sqlite3") if (parsed := _parse_backup_name(path))]
    return sorted(found, key=lambda b: (b.taken_at, b.number, b.path.name), reverse=True)


def prune_backups(folder: Path, keep: int, protect: tuple[Path, ...] = ()) -> list[Path]:
    """Remove all but the `keep` newest backups (never a protected one); return what was removed."""
    protected = {p.resolve() for p in protect}
    kept = len(protected)
    removed = []
    for backup in _named_backups(folder):
        if backup.path.resolve() in protected:
            continue
        if kept < keep:
            kept += 1
            continue
        backup.path.unlink(missing_ok=True)
        removed.append(backup.path)
    return removed


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """Every backup in the data folder's backups folder, newest first, each with its preview."""
    return [preview_backup(backup.path) for backup in _named_backups(backups_folder(data_dir))]


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
    named = _parse_backup_name(path)
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
        problems = problems_found(connection)
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
    try:
        inspect_sqlite_file(path)
    except CallAheadError:
        return False
    return not quick_check_problems(path)


def restore_backup(database_file: Path, backup: Path, now: dt.datetime) -> RestoreResult:
    """Put `backup` in place of `database_file`. Every connection to `database_file` must be closed first.

    The backup is checked before anything moves; the current file (whole or damaged) is then
    renamed aside — never deleted or overwritten — after a rotating backup of it if it is whole.
    A backup from an older CallAhead is brought up to this version's schema.
    """
    backup = backup.expanduser()
    if database_file.exists() and backup.resolve() == database_file.resolve():
        raise BackupNotRestorable(f"{backup} is the database in use; choose a backup to restore.")
    info = preview_backup(backup)
    if info.problem:
        raise BackupNotRestorable(f"{info.problem} Nothing was changed.")
    incoming = database_file.with_name(f".{database_file.name}.restoring")
    incoming.unlink(missing_ok=True)
    create_owner_only_folder(database_file.parent)
    safety_backup = set_aside = None
    try:
        _copy_database(backup, incoming, source_is_live=False)
        whole = database_file.exists() and database_file.stat().st_size > 0 and _whole_callahead_file(database_file)
        if whole:
            safety_backup = make_backup(database_file, BackupReason.BEFORE_RESTORE, now, protect=(backup,))
        if any(p.exists() for p in _database_and_companions(database_file)):
            set_aside = set_database_aside(database_file, "before-restore" if whole else "damaged", now)
        incoming.replace(database_file)
    finally:
        incoming.unlink(missing_ok=True)
    make_database_owner_only(database_file)
    upgraded_from = None
    if info.schema_revision != head_revision():
        upgraded_from = info.schema_revision
        open_database(sqlite_url(database_file), now=now).dispose()
    log.info("restored %s (schema %s) into %s; previous file kept as %s", backup.name, info.schema_revision,
             database_file.name, set_aside.name if set_aside else "-")
    return RestoreResult(backup, database_file, set_aside, safety_backup, upgraded_from)
