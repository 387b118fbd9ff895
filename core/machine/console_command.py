"""The command an owner types to use CallAhead's command line on this machine.

Messages that tell the owner to run a command ("… restore --list") name this one, so the
advice works wherever CallAhead runs:

- from source: `python main.py`;
- the Windows bundle: `callahead-cli.exe` beside `CallAhead.exe` (the window's executable is
  built without a console, so it has no output streams and its exit code is lost);
- the macOS bundle: `callahead-cli` beside the app's executable in `CallAhead.app/Contents/MacOS/`
  (a Mac's disk ignores letter case, so a `callahead` there would be the app's own `CallAhead`);
- the Linux bundle: `callahead-cli` beside `CallAhead`.

The companion's name differs from the app's by more than letter case on every platform.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import PurePosixPath, PureWindowsPath

from core import APP_NAME

CONSOLE_COMPANION = "callahead-cli"  # build.spec builds it; .ci/build-bundle runs it


def companion_file_name(platform: str | None = None) -> str:
    """The console companion's file name in the bundle's folder (Contents/MacOS on a Mac)."""
    platform = sys.platform if platform is None else platform
    return f"{CONSOLE_COMPANION}.exe" if platform == "win32" else CONSOLE_COMPANION


def window_executable(executable: str, platform: str | None = None) -> str:
    """The app's windowed executable for a bundle `executable`: itself, or the one beside the companion.

    Whatever starts the window later (start at login) must start CallAhead, not the console
    companion: on Windows that would open a console window at every login.
    """
    platform = sys.platform if platform is None else platform
    path_type = PureWindowsPath if platform == "win32" else PurePosixPath
    path = path_type(executable)
    if path.name.casefold() != companion_file_name(platform).casefold():
        return executable
    return str(path.with_name(f"{APP_NAME}.exe" if platform == "win32" else APP_NAME))


def console_command(platform: str | None = None, frozen: bool | None = None,
                    executable: str | None = None) -> str:
    """The command line to type, quoted for the platform's shell when its path has spaces."""
    platform = sys.platform if platform is None else platform
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    executable = sys.executable if executable is None else executable
    if not frozen:
        return "python main.py"
    if platform == "win32":
        command = str(PureWindowsPath(executable).with_name(companion_file_name(platform)))
        return f'"{command}"' if " " in command else command
    return shlex.quote(str(PurePosixPath(executable).with_name(companion_file_name(platform))))
