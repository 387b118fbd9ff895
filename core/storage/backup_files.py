"""Making the owner's backups, rotating them, and knowing which ones CallAhead made.

A backup is a consistent copy made through SQLite's online backup API (safe while the app
has the database open), written under a temporary name and renamed once complete, so the
backups folder only ever holds whole files:

    DATA_DIR/backups/callahead-20261124-083012-daily.sqlite3

Rotation keeps the newest `backups_to_keep` (a setting of this computer, core.machine.settings;
14 by default) of each kind separately — daily backups, before-action backups, backups made by
hand — so fifteen imports cannot push out the daily ones. Only files CallAhead made itself are
ever removed: each one is recorded, with its size and time, in `backups/made-by-callahead.txt`,
and a file the owner put in the folder — even under a CallAhead-like name — is never touched.
Backups an older CallAhead made before that record existed are adopted into it when everything
about them says so (`adopt_earlier_backups`). A damaged database is never backed up, so it
cannot push the good backups out of the rotation.

This module works on files only: core.storage.database (which backs up before a migration) builds on it, and
core.storage.backups (when to back up, previews, restore) builds on both.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core.errors import CallAheadError
from core.storage.integrity import (
    DatabaseDamaged,
    inspect_sqlite_file,
    problems_found,
    read_only_connection,
    untouched_connection,
)
from core.storage.privacy import create_owner_only_file, create_owner_only_folder
from core.storage.replacing import clear_retired_mark, retry_while_in_use
from core.machine.settings import MachineConfig, old_values_in_database
from core.storage.problems import explain_os_error, explain_sqlite_error, is_damage

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


def backups_folder(data_dir: Path) -> Path:
    return data_dir / BACKUPS_FOLDER


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


def copy_database(source: Path, destination: Path, *, source_is_live: bool,
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
        copy_database(database_file, partial, source_is_live=True, reader=reader)
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
    named = parse_backup_name(newest)
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
    for backup in reversed(named_backups(folder)):
        if backup.path.name in recorded or not _made_by_an_earlier_callahead(backup, database_file.stem,
                                                                             record_began_ns):
            continue
        _record_made(backup.path)
        adopted.append(backup.path)
    if adopted:
        log.info("%d backup(s) made before %s existed are rotated from now on", len(adopted), MADE_BY_CALLAHEAD)
    return adopted


def _made_by_an_earlier_callahead(backup: NamedBackup, stem: str, record_began_ns: int | None) -> bool:
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
class NamedBackup:
    path: Path
    taken_at: dt.datetime
    reason: str
    number: int


def parse_backup_name(path: Path) -> NamedBackup | None:
    match = _BACKUP_NAME.match(path.name)
    if not match:
        return None
    try:
        taken_at = dt.datetime.strptime(match["stamp"], _STAMP_FORMAT)
    except ValueError:
        return None
    return NamedBackup(path, taken_at, match["reason"], int(match["number"] or 1))


def named_backups(folder: Path) -> list[NamedBackup]:
    """CallAhead's backups in a folder, newest first."""
    try:
        if not folder.is_dir():
            return []
        found = [parsed for path in folder.glob("*.sqlite3") if (parsed := parse_backup_name(path))]
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
    for backup in named_backups(folder):
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
