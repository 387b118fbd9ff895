"""Replacing the owner's database file (restore, `demo --force`, damage recovery) without losing a byte.

Three rules, each against a way data was lost before:

- **Nothing is renamed over a file.** A set-aside name is chosen free and then taken with a
  rename that fails rather than replace (a hard link then unlink on POSIX, where `rename`
  would overwrite; Windows' rename already refuses). Two `demo --force` at once can then both
  choose the same free name and still lose nothing: the second one picks the next name.
- **The database is held exclusively while it is replaced.** `exclusive_hold` waits until no
  other connection has the file open (switching it out of WAL needs that), refuses with
  "CallAhead is busy" when the wait runs out, and keeps everyone else out until it lets go.
  Before the file is moved it is marked *retired* in its header (`PRAGMA user_version`), and
  every write transaction checks that mark first (core.storage.database): a process that opened the file at
  the last moment fails cleanly instead of writing into the set-aside file.
- **Windows' rules for files in use.** Renames retry briefly on a PermissionError (an antivirus
  or OneDrive holding the file: WinError 32), companions (-wal, -shm, -journal) move before
  their file so a stray -wal can never be replayed into the next database, and a move that
  fails half-way is rolled back before the owner is told.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from core.errors import CallAheadError, DatabaseBusy
from core.storage.privacy import SQLITE_COMPANION_SUFFIXES
from core.storage.paths import live_file_uri
from core.storage.problems import (
    SQLITE_BUSY,
    SQLITE_LOCKED,
    explain_os_error,
    explain_sqlite_error,
    is_damage,
    primary_code,
)

log = logging.getLogger(__name__)

# Written into a file's header just before a restore or `demo --force` moves it aside; no CallAhead
# database in use has it (its user_version is 0). "CAHR": CallAhead, retired.
RETIRED_MARK = 0x43414852
# How long a restore waits for other connections (an import, a command) to finish before refusing.
EXCLUSIVE_WAIT_SECONDS = 15.0
# A file held by another program (antivirus, OneDrive, a backup tool) is usually let go within a second or two.
IN_USE_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.5)

# Windows renames or deletes no file that any handle has open (ours included), and its rename never
# replaces a file. Read at each call, so a test can apply these rules on any system.
WINDOWS_FILE_RULES = os.name == "nt"

T = TypeVar("T")


class DatabaseReplaced(CallAheadError):
    """This connection's file was set aside by a restore or `demo --force`; nothing was written."""


def replaced_message(path: Path | None) -> str:
    where = f" ({path})" if path else ""
    return (f"The database file{where} was replaced by a restore or a new demo business while this was running, "
            "so nothing was written to it. Run it again: it will use the database now in place.")


# --- retrying what Windows refuses while a file is in use ------------------------------------------------


def retry_while_in_use(action: Callable[[], T], path: Path, doing: str) -> T:
    """Run `action`, retrying briefly on a PermissionError; then tell the owner what holds the file."""
    for delay in (*IN_USE_RETRY_DELAYS, None):
        try:
            return action()
        except PermissionError as error:
            if delay is None:
                raise explain_os_error(error, path, doing) from error
            log.info("%s is in use (%s); trying again in %.2f s", path.name, error, delay)
            time.sleep(delay)
    raise AssertionError("unreachable")


def _companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in SQLITE_COMPANION_SUFFIXES]


def _link_then_unlink(source: Path, target: Path) -> None:
    os.link(source, target)  # fails with FileExistsError instead of replacing
    try:
        os.unlink(source)
    except OSError:
        os.unlink(target)
        raise


def rename_no_replace(source: Path, target: Path) -> None:
    """Rename `source` to `target`, raising FileExistsError rather than ever replacing a file."""
    if WINDOWS_FILE_RULES:
        os.rename(source, target)  # Windows' rename refuses an existing target
        return
    try:
        _link_then_unlink(source, target)
    except FileExistsError:
        raise
    except OSError as error:
        # A file system without hard links (FAT, some network shares): check, then rename.
        if error.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "File exists", str(target)) from error
        os.rename(source, target)


def move_database(path: Path, target: Path) -> None:
    """Move the database and its companions to `target`, never over a file; all of them or none.

    Companions go first: were the file moved and its -wal left behind, the next database created
    here would have that -wal replayed into it. On a failure the moves already made are undone.
    Raises FileExistsError if a target name is taken (nothing moved), or a StorageProblem.
    """
    moves = [(c, t) for c, t in zip(_companions(path), _companions(target)) if c.exists()]
    if path.exists():
        moves.append((path, target))
    done: list[tuple[Path, Path]] = []
    try:
        for source, destination in moves:
            retry_while_in_use(lambda s=source, d=destination: rename_no_replace(s, d), source,
                               f"move {source.name} aside")
            done.append((source, destination))
    except BaseException:
        for source, destination in reversed(done):
            try:
                retry_while_in_use(lambda s=source, d=destination: rename_no_replace(d, s), destination,
                                   f"move {destination.name} back")
            except Exception:  # noqa: BLE001 - keep undoing the others; the file keeps its set-aside name
                log.exception("could not move %s back to %s", destination, source)
        raise


def unused_name(path: Path, label: str, now: dt.datetime) -> Path:
    """`callahead.<label>-YYYYmmdd-HHMMSS.sqlite3`, numbered if that name (or a companion) is taken."""
    base = f"{path.stem}.{label}-{now:%Y%m%d-%H%M%S}"
    for number in range(1, 10_000):
        name = base if number == 1 else f"{base}.{number}"
        candidate = path.with_name(f"{name}{path.suffix}")
        if not any(os.path.lexists(p) for p in (candidate, *_companions(candidate))):
            return candidate
    raise CallAheadError(f"Too many files named {base}* beside {path}; move some away and try again.")


def set_database_aside(path: Path, label: str, now: dt.datetime) -> Path:
    """Rename the database and its companions together to a free name; return the new name.

    Nothing is copied or deleted: the bytes stay exactly as they were. If another process takes
    the chosen name at the same moment, the next free name is used — never theirs.
    """
    for _attempt in range(100):
        target = unused_name(path, label, now)
        try:
            move_database(path, target)
        except FileExistsError:
            continue
        log.info("set %s aside as %s", path.name, target.name)
        return target
    raise CallAheadError(f"Could not find a free name to set {path} aside; nothing was moved.")


# --- holding the database alone -------------------------------------------------------------------------


def _connect_for_hold(path: Path) -> sqlite3.Connection:
    # A short busy timeout per attempt: _hold keeps trying until its own deadline.
    return sqlite3.connect(live_file_uri(path, mode="rw"), uri=True, timeout=0.2, isolation_level=None)


def _take_exclusive(connection: sqlite3.Connection) -> bool:
    """One attempt to hold the file alone through `connection`; False while another connection has it open."""
    try:
        # Leaving WAL needs the file to itself: it fails while any other connection has it open.
        if connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0] != "delete":
            return False
        # In exclusive locking mode the lock taken here stays after the commit, until the
        # connection closes, and the connection itself can still copy the file (a backup).
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("COMMIT")
        return True
    except sqlite3.OperationalError as error:
        if primary_code(error) not in (SQLITE_BUSY, SQLITE_LOCKED):  # else: someone else is connected
            raise
        return False


def _hold(path: Path, doing: str, wait: float) -> sqlite3.Connection | None:
    deadline = time.monotonic() + wait
    while path.exists():
        try:
            connection = _connect_for_hold(path)
        except sqlite3.Error as error:
            if is_damage(error):
                return None
            raise explain_sqlite_error(error, path, doing) from error
        try:
            if _take_exclusive(connection):
                if not is_retired(connection.execute("PRAGMA user_version").fetchone()[0]):
                    return connection
                # Another restore or `demo --force` set this file aside while we waited for it: hold
                # whatever is at the path now.
                connection.close()
                continue
        except sqlite3.DatabaseError as error:
            connection.close()
            if is_damage(error):
                return None
            raise explain_sqlite_error(error, path, doing) from error
        except BaseException:
            connection.close()
            raise
        # Let go before the next attempt, after a pause of random length: two processes each
        # holding their own connection while waiting for the other's to close would wait out
        # the deadline together (two `demo --force` at once both refused).
        connection.close()
        if time.monotonic() >= deadline:
            raise DatabaseBusy.saying(
                f"CallAhead is busy with another task on {path.name} (an import, a command, or a window on "
                f"another computer) — try again in a moment, once it has finished. Nothing was changed "
                f"({doing} did not start).")
        time.sleep(random.uniform(0.05, 0.25))
    return None


@contextlib.contextmanager
def exclusive_hold(path: Path, doing: str, wait: float | None = None) -> Iterator[sqlite3.Connection | None]:
    """Hold `path` so that no other connection reads or writes it until the block ends.

    Yields the holding connection (no transaction open; its lock stays until it closes), or
    None when there is no file or SQLite cannot read it as a database (a damaged one: nothing
    writes it through CallAhead, which refuses to open such a file).
    Raises DatabaseBusy when other connections keep it open longer than `wait` seconds.
    """
    connection = _hold(path, doing, EXCLUSIVE_WAIT_SECONDS if wait is None else wait)
    try:
        yield connection
    finally:
        if connection is not None:
            connection.close()


def retire(connection: sqlite3.Connection) -> bool:
    """Mark the held file retired; True if the hold had to let go so that the file can be moved.

    On POSIX the lock stays until the file is moved; Windows moves no open file, so there the
    connection is closed at once — the retired mark keeps out whoever reaches the file after.
    """
    connection.execute(f"PRAGMA user_version={RETIRED_MARK}")
    if WINDOWS_FILE_RULES:
        connection.close()
        return True
    return False


def is_retired(user_version: int | None) -> bool:
    return user_version == RETIRED_MARK


def clear_retired_mark(connection: sqlite3.Connection) -> None:
    """A copy of a set-aside file (restoring it) is a live database again."""
    if is_retired(connection.execute("PRAGMA user_version").fetchone()[0]):
        connection.execute("PRAGMA user_version=0")
