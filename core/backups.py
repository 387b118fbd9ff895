"""Rotating backups of the owner's database, what each one holds, and putting one back.

A backup is a consistent copy made through SQLite's online backup API (safe while the app
has the database open), written under a temporary name and renamed once complete, so the
backups folder only ever holds whole files:

    DATA_DIR/backups/callahead-20261124-083012-daily.sqlite3

One is made on the first start of each day (and, for a window left open in the tray, when the
day changes), before every migration and restore, and before an import that changes
something (`backup_before_change`: an import of rows already there makes none). Rotation keeps
the newest `backups_to_keep` (a setting of this computer, core.machine_settings; 14 by default)
of each kind separately — daily backups, before-action backups, backups made by hand — so
fifteen imports cannot push out the daily ones. Only files CallAhead made itself are ever
removed: each one is recorded, with its size and time, in `backups/made-by-callahead.txt`, and a
file the owner put in the folder — even under a CallAhead-like name — is never touched. Backups
an older CallAhead made before that record existed are adopted into it when everything about
them says so (`adopt_earlier_backups`). A damaged database is never backed up, so it cannot push
the good backups out of the rotation.

Restoring checks the chosen file first (a whole CallAhead database, not newer than this
version), then holds the database alone (waiting for, or refusing while, another connection
uses it — core.replacing), copies the backup in, keeps the current file aside under a new
name (it is never deleted or overwritten), and brings the restored copy up to the current
schema if it is older.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core.db import (
    Database,
    check_revision,
    head_revision,
    inspect_sqlite_file,
    open_database,
    restoring_path,
)
from core.errors import CallAheadError, DatabaseBusy, NotACallAheadDatabase
from core.integrity import (
    DatabaseDamaged,
    problems_found,
    quick_check_problems,
    read_only_connection,
    untouched_connection,
)
from core.paths import sqlite_url
from core.privacy import (
    SQLITE_COMPANION_SUFFIXES,
    create_owner_only_file,
    create_owner_only_folder,
    make_database_owner_only,
)
from core.replacing import (
    clear_retired_mark,
    exclusive_hold,
    move_database,
    rename_no_replace,
    retire,
    retry_while_in_use,
    set_database_aside,
)
from core.machine_settings import MachineConfig, old_values_in_database
from core.storage_problems import explain_os_error, explain_sqlite_error, is_damage

log = logging.getLogger(__name__)

BACKUPS_FOLDER = "backups"
_STAMP_FORMAT = "%Y%m%d-%H%M%S"
_BACKUP_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z][a-z0-9-]*?)(?:\.(?P<number>\d+))?\.sqlite3$"
)
_REASON = re.compile(r"[a-z][a-z0-9-]*")
_PARTIAL_SUFFIX = ".partial"
_PARTIAL_STALE_SECONDS = 3600
MADE_BY_CALLAHEAD = "made-by-callahead.txt"
_RECORD_HEADER = ("# The backups CallAhead made in this folder (name, size, modification time). Only these are\n"
                  "# removed when old backups are rotated out; any other file here is left alone.\n")


class BackupReason(StrEnum):
    DAILY = "daily"
    MANUAL = "manual"
    BEFORE_UPGRADE = "before-upgrade"
    BEFORE_IMPORT = "before-import"
    BEFORE_RESTORE = "before-restore"


class RotationGroup(StrEnum):
    """Backups counted together when the oldest are rotated out: one kind cannot push out another."""

    DAILY = "daily"
    BY_HAND = "by-hand"
    BEFORE_ACTION = "before-action"


def rotation_group(reason: str) -> RotationGroup:
    if reason == BackupReason.DAILY:
        return RotationGroup.DAILY
    if reason == BackupReason.MANUAL:
        return RotationGroup.BY_HAND
    return RotationGroup.BEFORE_ACTION


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


def _claim_backup_path(folder: Path, stem: str, now: dt.datetime, reason: str) -> Path:
    """A backup name nobody uses, claimed by creating it (owner-only, empty): two processes never share one."""
    for number in range(1, 10_000):
        candidate = folder / _backup_name(stem, now, reason, number)
        try:
            descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        os.close(descriptor)
        return candidate
    raise CallAheadError(f"Too many backups named for {now:%Y-%m-%d %H:%M:%S} in {folder}.")


def _copy_database(source: Path, destination: Path, *, source_is_live: bool,
                   reader: sqlite3.Connection | None = None) -> None:
    """A consistent single-file copy (the backup API reads one snapshot, even while the app writes).

    `reader` is a connection to the source already open (a restore's exclusive hold).
    Raises DatabaseDamaged if SQLite finds the source corrupt (and keeps no copy), or a
    StorageProblem (the disk is full, the folder read-only...) that names what to do.
    """
    try:
        create_owner_only_file(destination)
    except OSError as exc:
        raise explain_os_error(exc, destination, "write a backup") from exc
    own_reader = reader is None
    try:
        if own_reader:
            reader = read_only_connection(source) if source_is_live else untouched_connection(source)
        try:
            writer = sqlite3.connect(destination)
            try:
                reader.backup(writer)
                # A copy of a WAL database is a WAL database too; a backup is one self-contained file.
                writer.execute("PRAGMA journal_mode=DELETE")
                clear_retired_mark(writer)  # a copy of a set-aside file is a live database again
                problems = problems_found(writer)
            finally:
                writer.close()
        finally:
            if own_reader and reader is not None:
                reader.close()
    except sqlite3.Error as exc:
        if is_damage(exc):
            raise DatabaseDamaged(source, (str(exc),)) from exc
        raise explain_sqlite_error(exc, destination, "write a backup") from exc
    if problems:
        raise DatabaseDamaged(source, problems)
    try:
        with destination.open("rb+") as handle:
            os.fsync(handle.fileno())
    except OSError as exc:
        raise explain_os_error(exc, destination, "write a backup") from exc


def _backups_folder_ready(data_dir: Path) -> Path:
    folder = backups_folder(data_dir)
    try:
        return create_owner_only_folder(folder)
    except OSError as exc:
        raise explain_os_error(exc, folder, f"use its backups folder {folder}", data_dir) from exc


def make_backup(database_file: Path, reason: BackupReason | str, now: dt.datetime, *,
                keep: int | None = None, protect: tuple[Path, ...] = (), rotate: bool = True,
                reader: sqlite3.Connection | None = None) -> Path:
    """Copy the database into its backups folder and rotate; return the new backup's path.

    Raises DatabaseDamaged (and keeps no copy) when the database fails SQLite's quick check.
    `keep` defaults to this computer's `backups_to_keep` setting; `protect`ed backups are
    never removed by this rotation. `reader` copies through a connection already holding the file.
    """
    if not _REASON.fullmatch(str(reason)):
        raise ValueError(f"A backup's reason is lower-case words joined by '-', not {reason!r}.")
    folder = _backups_folder_ready(database_file.parent)
    _remove_partials(folder)
    adopt_earlier_backups(database_file)  # before this one is recorded: the record may begin with it
    try:
        target = _claim_backup_path(folder, database_file.stem, now, str(reason))
    except OSError as exc:
        raise explain_os_error(exc, folder, "write a backup", database_file.parent) from exc
    partial = target.with_name(target.name + _PARTIAL_SUFFIX)
    try:
        _copy_database(database_file, partial, source_is_live=True, reader=reader)
        os.replace(partial, target)  # over the empty file that claimed the name, nothing else
        _record_made(target)
    except BaseException:
        with contextlib.suppress(OSError):  # the error that stopped the backup is the one to tell
            target.unlink(missing_ok=True)
        raise
    finally:
        with contextlib.suppress(OSError):  # a copy Windows still holds goes with the next backup
            partial.unlink(missing_ok=True)
    if rotate:
        rotate_backups(target, keep=keep, protect=protect)
    log.info("backup made: %s (%s)", target.name, reason)
    return target


def rotate_backups(newest: Path, *, keep: int | None = None, protect: tuple[Path, ...] = ()) -> list[Path]:
    """Rotate the kind of backup `newest` is (it is kept); return what was removed."""
    named = _parse_backup_name(newest)
    group = rotation_group(named.reason) if named else RotationGroup.BEFORE_ACTION
    removed = prune_backups(newest.parent, keep if keep is not None else backups_to_keep(newest),
                            protect=(newest, *protect), group=group)
    if removed:
        log.info("%d old %s backup(s) removed", len(removed), group)
    return removed


def _remove_partials(folder: Path) -> None:
    # A half-written copy left by a crash during a backup: ours, incomplete, never a backup. One still
    # being written by another process at this moment has been written to within the hour.
    stale_before = dt.datetime.now().timestamp() - _PARTIAL_STALE_SECONDS
    for partial in folder.glob(f"*.sqlite3{_PARTIAL_SUFFIX}"):
        with contextlib.suppress(OSError):
            if partial.stat().st_mtime < stale_before:
                partial.unlink(missing_ok=True)


def backups_to_keep(database_file: Path) -> int:
    """This computer's `backups_to_keep` setting (an older CallAhead's value in `database_file` taken over once)."""
    def old_values() -> dict:
        engine = create_engine("sqlite://", creator=lambda: untouched_connection(database_file))
        try:
            with Session(engine) as session:
                return old_values_in_database(session)
        except SQLAlchemyError:
            return {}
        finally:
            engine.dispose()

    return MachineConfig.from_environment().load(old_values).backups_to_keep


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
    if any(b.reason == BackupReason.DAILY and b.taken_at.date() == now.date() for b in _named_backups(folder)):
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


# --- which backups CallAhead made -----------------------------------------------------------------------


def _identity(path: Path) -> str | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"{path.name}\t{stat.st_size}\t{stat.st_mtime_ns}"


def _record_made(backup: Path) -> None:
    """Note a backup this CallAhead made (one appended line: whole even when two processes append)."""
    record = backup.parent / MADE_BY_CALLAHEAD
    identity = _identity(backup)
    if identity is None:
        return
    try:
        new = not record.exists()
        with record.open("a", encoding="utf-8") as handle:
            handle.write((_RECORD_HEADER if new else "") + identity + "\n")
    except OSError as exc:
        # Not fatal: an unrecorded backup is only never rotated out.
        log.warning("could not record backup %s in %s: %s", backup.name, record.name, exc)


def _made_by_callahead(folder: Path) -> set[str]:
    try:
        lines = (folder / MADE_BY_CALLAHEAD).read_text(encoding="utf-8").splitlines()
    except OSError:
        return set()
    return {line for line in lines if line and not line.startswith("#")}


# A backup's file is written in the minutes after the time in its name; an hour either way allows
# for a daylight-saving change in between. A copy the owner made later has a later time.
_WRITTEN_WHEN_NAMED = dt.timedelta(hours=2)


def adopt_earlier_backups(database_file: Path) -> list[Path]:
    """Record the backups an earlier CallAhead made before `made-by-callahead.txt` existed, so they are
    rotated like the others; return them.

    A file is adopted only when everything says CallAhead made it: its name is exactly a backup's
    name for this database (its stem, a time, a known reason), it was last written when its name
    says and before any recorded backup, and it is a CallAhead database (read through a read-only
    connection; never the live file). Anything else in the folder stays untouched.
    """
    folder = backups_folder(database_file.parent)
    made = _made_by_callahead(folder)
    recorded = {line.split("\t", 1)[0] for line in made}
    times = [int(fields[2]) for line in made if len(fields := line.split("\t")) == 3 and fields[2].isdigit()]
    record_began_ns = min(times, default=None)
    adopted = []
    for backup in reversed(_named_backups(folder)):
        if backup.path.name in recorded or not _made_by_an_earlier_callahead(backup, database_file.stem,
                                                                             record_began_ns):
            continue
        _record_made(backup.path)
        adopted.append(backup.path)
    if adopted:
        log.info("%d backup(s) made before %s existed are rotated from now on", len(adopted), MADE_BY_CALLAHEAD)
    return adopted


def _made_by_an_earlier_callahead(backup: _NamedBackup, stem: str, record_began_ns: int | None) -> bool:
    if backup.reason not in set(BackupReason) or _backup_name(stem, backup.taken_at, backup.reason,
                                                              backup.number) != backup.path.name:
        return False
    try:
        stat = backup.path.stat()
    except OSError:
        return False
    written = dt.datetime.fromtimestamp(stat.st_mtime)
    if abs(written - backup.taken_at) > _WRITTEN_WHEN_NAMED:
        return False
    if record_began_ns is not None and stat.st_mtime_ns >= record_began_ns:
        return False
    try:
        revision, _has_data = inspect_sqlite_file(backup.path, connect=untouched_connection)
    except (CallAheadError, sqlite3.Error, OSError):
        return False
    return revision is not None


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
    try:
        if not folder.is_dir():
            return []
        found = [parsed for path in folder.glob("*.sqlite3") if (parsed := _parse_backup_name(path))]
    except OSError:
        return []
    return sorted(found, key=lambda b: (b.taken_at, b.number, b.path.name), reverse=True)


def prune_backups(folder: Path, keep: int, protect: tuple[Path, ...] = (),
                  group: RotationGroup | None = None) -> list[Path]:
    """Remove all but the `keep` newest backups of `group` (every kind if None); return what was removed.

    Only backups CallAhead recorded making, still exactly as made, are counted and removed;
    a protected one is never removed. A file Windows reports in use is left for next time.
    """
    protected = {p.resolve() for p in protect}
    made = _made_by_callahead(folder)
    kept = len(protected)
    removed = []
    for backup in _named_backups(folder):
        if group is not None and rotation_group(backup.reason) != group:
            continue
        if backup.path.resolve() in protected or _identity(backup.path) not in made:
            continue
        if kept < keep:
            kept += 1
            continue
        try:
            retry_while_in_use(lambda path=backup.path: path.unlink(missing_ok=True), backup.path,
                               "remove an old backup")
        except CallAheadError as error:
            log.warning("old backup %s left in place: %s", backup.path.name, error)
            continue
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
            _copy_database(backup, incoming, source_is_live=False)
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
    finishes the restore (core.db.finish_interrupted_restore).
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
