"""Whether a CallAhead window is running on a data folder, as code without Qt can tell.

The window holds `callahead.lock` in its data folder for as long as it runs (a QLockFile, see
gui/single_instance.py: its first lines are the holder's process id and host name). A command
that replaces the database file — `restore` — asks here first, so it never pulls the file
from under a window that would go on writing to the old one.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

LOCK_FILENAME = "callahead.lock"


def lock_path(data_dir: Path) -> Path:
    return data_dir / LOCK_FILENAME


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        process_query_limited_information, still_active = 0x1000, 259
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == still_active
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def window_running(data_dir: Path) -> bool:
    """True while a window holds the folder's lock; a lock left by a crashed window does not count."""
    path = lock_path(data_dir)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return False
    except OSError:
        return True  # held open exclusively (Windows): its holder is running
    try:
        pid = int(lines[0])
    except (IndexError, ValueError):
        return False
    host = lines[2] if len(lines) > 2 else ""
    if host and host != socket.gethostname():
        return True  # a window on another computer sharing the folder: its process cannot be checked from here
    return _process_alive(pid)
