"""Is the owner's database file whole? The check made at start, and what to do with a damaged one.

`check_intact` runs SQLite's `PRAGMA quick_check` read-only (and, when no other connection is
open, without creating even a -wal or -shm), so a damaged file is found before anything
writes to it; `move_damaged_aside` then renames it (with its -wal/-shm) to a name no other
file has, never over one (core.storage.replacing). Choosing the backup to put back is
core.storage.backups' job (`latest_good_backup`). Server databases keep their own integrity and are
not checked here.

Only SQLite's own verdicts are damage: the quick check's findings and its "corrupt" and
"not a database" codes. A file that cannot be opened because the disk is full, the folder is
read-only, a share refuses it or its permissions forbid it is reported as that
(core.storage.problems), never as damage.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from core.machine.console_command import console_command
from core.errors import CallAheadError, NotACallAheadDatabase
from core.storage.paths import live_file_uri
from core.storage.privacy import SQLITE_COMPANION_SUFFIXES, create_owner_only_file
from core.storage.replacing import set_database_aside, unused_name  # noqa: F401 - their home before core.storage.replacing
from core.storage.problems import explain_os_error, explain_sqlite_error, is_damage

log = logging.getLogger(__name__)


class DatabaseDamaged(CallAheadError):
    """The file is an SQLite database whose pages SQLite itself finds broken."""

    def __init__(self, path: Path, problems: tuple[str, ...]):
        self.path = path
        self.problems = problems
        shown = "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else "")
        super().__init__(
            f"The database {path} is damaged ({shown}). It was left untouched. "
            "Restore the latest good backup: Settings → Restore from backup in the window, "
            f"or `{console_command()} restore --list` then `{console_command()} restore FILE`."
        )


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that cannot write the database file; it honours locks and reads a -wal left by a crash.

    For the live database, which another CallAhead process may be writing at the same moment.
    """
    return sqlite3.connect(live_file_uri(path, mode="ro"), uri=True)


def _has_companions(path: Path) -> bool:
    return any(path.with_name(path.name + suffix).exists() for suffix in SQLITE_COMPANION_SUFFIXES)


def untouched_connection(path: Path) -> sqlite3.Connection:
    """A read-only connection to a file nothing else writes (a backup, a file offered for restoring).

    With no -wal or -journal beside it, the file is opened `immutable`: SQLite then takes no lock
    and creates no companion file, so the folder and the file stay exactly as they were. A file
    with a companion needs it read, so it is opened like the live database.
    """
    if _has_companions(path):
        return read_only_connection(path)
    return sqlite3.connect(live_file_uri(path, mode="ro", immutable="1"), uri=True)


def problems_found(connection: sqlite3.Connection, full: bool = False) -> tuple[str, ...]:
    """What SQLite's quick check (or with `full`, its integrity check) reports on an open connection.

    The quick check reads every page and record but not index contents, in a fraction of the time.
    An SQLite error that is not damage (a full disk, a locked file) is raised, not reported as a problem.
    """
    try:
        rows = connection.execute(f"PRAGMA {'integrity_check' if full else 'quick_check'}").fetchall()
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        return (str(exc),)
    return tuple(str(row[0]) for row in rows if row[0] != "ok")


def _check_with(connect, path: Path, full: bool) -> tuple[str, ...]:
    try:
        connection = connect(path)
        try:
            return problems_found(connection, full)
        finally:
            connection.close()
    except sqlite3.Error as exc:
        if is_damage(exc):
            return (str(exc),)
        raise explain_sqlite_error(exc, path, "check the database") from exc


def _check_file(path: Path, full: bool) -> tuple[str, ...]:
    """Check without leaving a trace: a file with no companions is read immutable (nothing created).

    No companions means no connection is open, since SQLite keeps -wal/-shm while one is. Had a
    process opened the file during the read, its companions appear: then the file is read again
    honouring its locks, so a write in progress is never mistaken for damage.
    """
    if _has_companions(path):
        return _check_with(read_only_connection, path, full)
    problems = _check_with(untouched_connection, path, full)
    if problems and _has_companions(path):
        problems = _check_with(read_only_connection, path, full)
    return problems


def quick_check_problems(path: Path) -> tuple[str, ...]:
    """SQLite's quick check of a file, read-only: () when whole."""
    return _check_file(path, full=False)


def integrity_check_problems(path: Path) -> tuple[str, ...]:
    """The slower full check, indexes included, read-only: () when whole."""
    return _check_file(path, full=True)


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


class QuickCheckAhead:
    """The start's quick check, begun on a thread while the window's code is still loading.

    SQLite reads the pages outside Python's interpreter lock, so on a second core the check costs
    the start only what is left of it when the database is opened. Its verdict counts only for
    the file it read: if the file changed since (a restore), it is checked again.
    """

    def __init__(self, path: Path):
        self.path = path
        self._identity = _identity(path)
        self._problems: tuple[str, ...] | None = None
        self._thread = threading.Thread(target=self._run, name="quick-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._problems = quick_check_problems(self.path)
        except Exception:  # noqa: BLE001 - any surprise means "check again", never a verdict
            log.exception("the early quick check failed; checking again on opening")

    def verdict(self, path: Path) -> tuple[str, ...] | None:
        """The problems found in `path` (() when whole), or None if this check does not answer for it."""
        self._thread.join()
        if path != self.path or self._identity is None or _identity(path) != self._identity:
            return None
        return self._problems


# --- a file closed whole and untouched since ------------------------------------------------------
#
# The quick check reads every page: at 100,000 customers 0.45 s of CPU at each start, and on a
# cold disk all 170 MB. What it finds comes from a crash, another program, a copy or a sync of the
# file, or a restore. None of these can have happened to a file this computer's CallAhead closed
# with its last connection (SQLite's checkpoint done, no -wal or -shm left) if it is still that
# very file: the same inode, size and modification time to the nanosecond, and still no companion.
# The note saying so is written at the close and removed at the next opening, so a process that
# crashes leaves none, and any change to the file makes it not match.


def _clean_close_note(path: Path) -> Path:
    return path.with_name(path.name + ".closed-whole")


def note_clean_close(path: Path) -> None:
    """Record that the database was just closed whole, as the file now is. Called once this
    process closed its last connection; if another process still has the file open (its -wal or
    -shm is there), nothing is recorded."""
    identity = _identity(path)
    if identity is None or _has_companions(path):
        return
    note = _clean_close_note(path)
    try:
        scratch = note.with_name(note.name + ".new")
        create_owner_only_file(scratch)
        scratch.write_text(" ".join(str(part) for part in identity), encoding="ascii")
        os.replace(scratch, note)
    except OSError as error:  # no note: the next start checks the file, as after a crash
        log.warning("could not note that %s was closed whole: %s", path.name, error)


def unchanged_since_clean_close(path: Path) -> bool:
    """Whether `path` is exactly the file CallAhead last closed whole, untouched since."""
    try:
        recorded = tuple(int(part) for part in _clean_close_note(path).read_text(encoding="ascii").split())
    except (OSError, ValueError):
        return False
    return not _has_companions(path) and _identity(path) == recorded


def forget_clean_close(path: Path) -> None:
    """At opening: from now on the file may change, and only a close may say it is whole again."""
    try:
        _clean_close_note(path).unlink(missing_ok=True)
    except OSError as error:  # harmless: any change to the file makes the note not match
        log.warning("could not remove %s: %s", _clean_close_note(path).name, error)


def check_intact(path: Path, ahead: QuickCheckAhead | None = None) -> None:
    """Raise DatabaseDamaged naming the file if SQLite's quick check finds a problem."""
    problems = ahead.verdict(path) if ahead is not None else None
    if problems is None:
        problems = quick_check_problems(path)
    if problems:
        log.error("quick_check failed on %s: %d problem(s)", path.name, len(problems))
        raise DatabaseDamaged(path, problems)


def move_damaged_aside(path: Path, now: dt.datetime) -> Path:
    """Move a damaged database out of the way as `callahead.damaged-<when>.sqlite3`, never over a file."""
    return set_database_aside(path, "damaged", now)


# --- whose file is it? ----------------------------------------------------------------------------

SQLITE_HEADER = b"SQLite format 3\x00"


def require_sqlite_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise explain_os_error(exc, path, f"read its database {path}") from exc
    if header != SQLITE_HEADER:
        raise NotACallAheadDatabase(
            f"{path} is not a CallAhead database (it is not an SQLite file). "
            "It was left untouched; choose another data folder with --data-dir."
        )


def inspect_sqlite_file(
    path: Path, connect: Callable[[Path], sqlite3.Connection] = read_only_connection
) -> tuple[str | None, bool]:
    """Read (revision, has_data) without writing a byte; raise if the file is not ours."""
    require_sqlite_header(path)
    try:
        connection = connect(path)
    except sqlite3.Error as exc:
        if is_damage(exc):
            raise NotACallAheadDatabase(f"{path} cannot be opened: {exc}. It was left untouched.") from exc
        raise explain_sqlite_error(exc, path, "read the database") from exc
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            if tables:
                raise NotACallAheadDatabase(
                    f"{path} is an SQLite database of another program, not CallAhead's. "
                    "It was left untouched; choose another data folder with --data-dir."
                )
            return None, False
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        has_data = "customers" in tables and connection.execute("SELECT 1 FROM customers LIMIT 1").fetchone() is not None
        return (row[0] if row else None), has_data
    except sqlite3.DatabaseError as exc:
        # The header says SQLite, so a file SQLite finds corrupt is a damaged database; any
        # other failure (a full disk, a lock, a share refusing a read) is told as what it is.
        if is_damage(exc):
            raise DatabaseDamaged(path, (str(exc),)) from exc
        raise explain_sqlite_error(exc, path, "read the database") from exc
    finally:
        connection.close()
