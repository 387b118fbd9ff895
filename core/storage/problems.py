"""What stops CallAhead from reading or writing its files, told apart from damage.

SQLite and the operating system report many kinds of failure; only SQLite's "corrupt" and
"not a database" codes mean that a file is damaged. A full disk, a read-only folder, a file
or folder that belongs to another user (after one run with `sudo`), and a file another
program holds open (Windows: antivirus, OneDrive, a backup tool) are told to the owner as
what they are, with what to do about it; the file itself is left as it was.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

from core.errors import CallAheadError, DatabaseBusy

# SQLite's primary result codes (an extended code keeps its primary code in the low byte).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26
_DAMAGE_CODES = frozenset({SQLITE_CORRUPT, SQLITE_NOTADB})
# Windows: "The process cannot access the file because it is being used by another process" (32),
# "... another process has locked a portion of the file" (33).
_WINDOWS_IN_USE = frozenset({32, 33})
NOT_DAMAGED = "Nothing was changed, and the data itself is not damaged."


class StorageProblem(CallAheadError):
    """The disk, the folder or the permissions stop CallAhead; the data itself is not damaged."""


class DiskFull(StorageProblem):
    pass


class FolderReadOnly(StorageProblem):
    pass


class NoPermission(StorageProblem):
    pass


class FileInUse(StorageProblem):
    pass


def primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_damage(error: sqlite3.Error) -> bool:
    """True only for SQLite's own verdict that the file's pages are broken or not a database."""
    return primary_code(error) in _DAMAGE_CODES


def _owner_note(path: Path) -> str | None:
    """Who owns `path`, when it is not the user running CallAhead (POSIX only)."""
    if os.name != "posix":
        return None
    try:
        owner = path.stat().st_uid
    except OSError:
        return None
    if owner == os.getuid():
        return None
    who = "root (CallAhead was probably run once with sudo)" if owner == 0 else f"the user with id {owner}"
    return f"{path} belongs to {who}"


def _fix_ownership(data_dir: Path) -> str:
    return f"Give the folder back to yourself: sudo chown -R \"$USER\" '{data_dir}' — then start CallAhead again."


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK) and not _read_only_mount(folder)


def _read_only_mount(folder: Path) -> bool:
    """A read-only disk or share (even root cannot write there)."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # Windows has no statvfs
        return False


# Below this, SQLite cannot even create its -shm or a page of a journal: a failure is the full disk.
_NEARLY_FULL_BYTES = 1024 * 1024


def _disk_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def _disk_full_message(folder: Path, doing: str) -> DiskFull:
    return DiskFull(f"CallAhead cannot {doing}: the disk is full ({folder}). Free some space on it and try again. "
                    f"{NOT_DAMAGED}")


def _read_only_message(folder: Path, doing: str) -> FolderReadOnly:
    return FolderReadOnly(f"CallAhead cannot {doing}: the folder {folder} is read-only (a read-only disk or share, "
                          f"or its permissions). Make it writable or choose another folder with --data-dir. "
                          f"{NOT_DAMAGED}")


def permission_problem(path: Path, doing: str, data_dir: Path | None = None) -> NoPermission | FolderReadOnly:
    """The owner-facing message for a PermissionError on `path` (a file or folder in the data folder)."""
    data_dir = data_dir or (path if path.is_dir() else path.parent)
    for suspect in (path, path.parent):
        note = _owner_note(suspect)
        if note:
            return NoPermission(f"CallAhead cannot {doing}: {note}. {_fix_ownership(data_dir)} {NOT_DAMAGED}")
    if os.name == "nt":
        return NoPermission(f"Windows does not let CallAhead {doing} ({path}). Check its permissions "
                            f"(right-click → Properties → Security) or choose another folder with --data-dir. "
                            f"{NOT_DAMAGED}")
    folder = path if path.is_dir() else path.parent
    if not _writable(folder):
        return _read_only_message(folder, doing)
    return NoPermission(f"CallAhead cannot {doing}: the permissions of {path} forbid it. Give yourself access "
                        f"(chmod u+rw '{path}') and start CallAhead again. {NOT_DAMAGED}")


def explain_os_error(error: OSError, path: Path, doing: str, data_dir: Path | None = None) -> CallAheadError:
    """Turn an OSError met while `doing` something to `path` into a message for the owner."""
    folder = path if path.is_dir() else path.parent
    if getattr(error, "winerror", None) in _WINDOWS_IN_USE:
        return FileInUse(f"CallAhead cannot {doing}: {path} is in use by another program (an antivirus, "
                         "OneDrive or a backup tool?). Wait a moment and try again, or pause that program. "
                         f"{NOT_DAMAGED}")
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or _disk_full(folder):
        return _disk_full_message(folder, doing)
    if error.errno == errno.EROFS or _read_only_mount(folder):
        return _read_only_message(folder, doing)
    if isinstance(error, PermissionError):
        return permission_problem(path, doing, data_dir)
    return StorageProblem(f"CallAhead cannot {doing} ({path}: {error.strerror or error}). {NOT_DAMAGED}")


def explain_sqlite_error(error: sqlite3.Error, path: Path, doing: str) -> CallAheadError:
    """A message for an SQLite failure that is not damage (is_damage(error) is False)."""
    code = primary_code(error)
    folder = path.parent
    if code == SQLITE_FULL or (code in (SQLITE_IOERR, SQLITE_CANTOPEN) and _disk_full(folder)):
        return _disk_full_message(folder, doing)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseBusy.saying(f"CallAhead is busy with another task on {path} — try again in a moment. "
                            "Nothing was changed.")
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_IOERR) and _read_only_mount(folder):
        return _read_only_message(folder, doing)
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM):
        if path.exists() and not os.access(path, os.R_OK):
            return permission_problem(path, doing)
        if not _writable(folder) or _owner_note(folder) or _owner_note(path):
            return permission_problem(path, doing)
    return StorageProblem(f"CallAhead cannot {doing} ({path}: SQLite says \"{error}\"). {NOT_DAMAGED}")
