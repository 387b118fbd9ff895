"""Whether a CallAhead window is running on a data folder, as code without Qt can tell.

The window holds `callahead.lock` in its data folder for as long as it runs (a QLockFile, see
gui/single_instance.py). Qt writes one line each: the holder's process id, its program name,
the machine's name (on Windows the NetBIOS `%COMPUTERNAME%`, upper case, at most 15
characters — not what Python's `gethostname()` says), the machine's unique id and the id of
its current boot. Whether the holder runs here is decided as Qt decides it: by the machine id
when the file has one, else by the name compared case-insensitively; a lock from an earlier
boot of this machine is stale. A command that replaces the database file — `restore` — asks
here first, so it never pulls the file from under a window that would go on writing to the old one.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Machine:
    """What Qt records of the machine in a lock file, for this machine ("" when it cannot be read)."""

    names: tuple[str, ...]
    machine_id: str = ""
    boot_id: str = ""


def _read_first_line(*paths: str) -> str:
    for candidate in paths:
        try:
            return Path(candidate).read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            continue
    return ""


def _windows_machine_guid() -> str:
    try:
        import winreg

        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography", 0,
                            winreg.KEY_READ | winreg.KEY_WOW64_64KEY) as key:
            return str(winreg.QueryValueEx(key, "MachineGuid")[0])
    except OSError:
        return ""


def this_machine() -> Machine:
    """This machine as Qt names it: COMPUTERNAME on Windows, the host name elsewhere (both kept)."""
    names = tuple(name for name in {os.environ.get("COMPUTERNAME", "") if os.name == "nt" else "",
                                    socket.gethostname()} if name)
    if os.name == "nt":
        return Machine(names, _windows_machine_guid())
    return Machine(names, _read_first_line("/etc/machine-id", "/var/lib/dbus/machine-id"),
                   _read_first_line("/proc/sys/kernel/random/boot_id"))


def _same_host(recorded_name: str, recorded_id: str, machine: Machine) -> bool:
    if recorded_id and machine.machine_id:
        return recorded_id.casefold() == machine.machine_id.casefold()
    if not recorded_name:
        return True
    wanted = recorded_name.casefold()
    # NetBIOS names are the host name cut to 15 characters, upper case.
    return any(wanted in (name.casefold(), name.casefold()[:15], name.split(".")[0].casefold())
               for name in machine.names)


def window_running(data_dir: Path, machine: Machine | None = None) -> bool:
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
    host, host_id, boot_id = (lines[i].strip() if len(lines) > i else "" for i in (2, 3, 4))
    machine = machine or this_machine()
    if not _same_host(host, host_id, machine):
        return True  # a window on another computer sharing the folder: its process cannot be checked from here
    if boot_id and machine.boot_id and boot_id.casefold() != machine.boot_id.casefold():
        return False  # written before this machine last started: its window is gone
    return _process_alive(pid)
