"""Writing a file the owner asked for (a printed sheet as PDF) safely: whole or not at all,
readable by the owner only, and never through a link or onto a folder or a device.

The content is written to a new owner-only file beside the target (0600 from the start) and
renamed over it only when complete, so a failure leaves the target as it was. A target that is
a symbolic link, a folder or anything but a regular file is refused before anything is written:
replacing a link would put the owner's customers wherever the link pointed.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from core.errors import CallAheadError

T = TypeVar("T")


class OutputRefused(CallAheadError):
    """The place given for a file cannot take it; the message says why and what to give instead."""


def check_destination(path: Path) -> None:
    """Raise OutputRefused unless `path` is a new file or a regular file in an existing folder."""
    try:
        found = path.lstat()
    except FileNotFoundError:
        found = None
    if found is not None and stat.S_ISLNK(found.st_mode):
        raise OutputRefused(f"Cannot write {path}: it is a link to another file. Give the name of a new or "
                            "ordinary file instead.")
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise OutputRefused(f"Cannot write {path}: it is a folder. Give a file name in it, "
                            f"e.g. {path / 'calls.pdf'}.")
    if found is not None and not stat.S_ISREG(found.st_mode):
        raise OutputRefused(f"Cannot write {path}: it is not an ordinary file (a device or a pipe).")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputRefused(f"Cannot write {path}: the folder {folder} does not exist.")


def replace_with_owner_only_file(path: Path, write: Callable[[Path], T]) -> T:
    """Have `write(temporary)` fill a new owner-only file, then put it at `path`; returns what `write` returned.

    Raises OutputRefused (see check_destination, or when `write` produced nothing) and OSError
    when the folder cannot be written; `path` is then as it was and no partial file is left.
    """
    path = Path(path)
    check_destination(path)
    folder = path.parent if str(path.parent) else Path(".")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    os.close(handle)
    temporary = Path(name)
    try:
        result = write(temporary)
        if temporary.stat().st_size == 0:
            raise OutputRefused(f"Cannot write {path}: nothing could be written there.")
        check_destination(path)  # again, just before the rename: nothing may have put a link there meanwhile
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return result
