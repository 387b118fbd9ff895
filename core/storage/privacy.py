"""Keeping the owner's files to the owner: the database, its companions, backups and logs.

On macOS and Linux every file CallAhead writes with customer data is readable by its owner
only (0600) and every folder it makes for them is closed to others (0700). Windows keeps
per-user permissions on the profile folders already, so there these calls do nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

OWNER_ONLY_FILE = 0o600
OWNER_ONLY_FOLDER = 0o700
# SQLite's companions of a database file: the write-ahead log and its shared-memory index.
SQLITE_COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


def permissions_apply() -> bool:
    return os.name == "posix"


def make_owner_only(path: Path) -> None:
    """Close an existing file or folder to everyone but its owner (nothing on Windows)."""
    if not permissions_apply() or not path.exists():
        return
    os.chmod(path, OWNER_ONLY_FOLDER if path.is_dir() else OWNER_ONLY_FILE)


def missing_folders(path: Path) -> list[Path]:
    """The folders `path.mkdir(parents=True)` would create, deepest first."""
    missing = []
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    return missing


def create_owner_only_folder(path: Path) -> Path:
    """Create the folder if needed; it, and every parent this had to create, end up 0700."""
    created = missing_folders(path)
    path.mkdir(parents=True, exist_ok=True)
    for folder in {path, *created}:
        make_owner_only(folder)
    return path


def create_owner_only_file(path: Path) -> Path:
    """Create an empty file that is owner-only from its first byte, or close an existing one.

    Creating it with the mode (rather than chmod afterwards) leaves no moment in which another
    user could open it.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE)
    except FileExistsError:
        make_owner_only(path)
    else:
        os.close(descriptor)
    return path


def make_database_owner_only(path: Path) -> None:
    """The database and whichever of its SQLite companions exist."""
    make_owner_only(path)
    for suffix in SQLITE_COMPANION_SUFFIXES:
        make_owner_only(path.with_name(path.name + suffix))
