"""The command an owner types to use CallAhead's command line on this machine.

Messages that tell the owner to run a command ("… restore --list") name this one, so the
advice works wherever CallAhead runs:

- from source: `python main.py`;
- the Windows bundle: `callahead-cli.exe` beside `CallAhead.exe` (the window's executable is
  built without a console, so it has no output streams and its exit code is lost);
- the macOS bundle: the app's own executable, `CallAhead.app/Contents/MacOS/CallAhead`, which
  prints in Terminal (a second `callahead` there would be the same file on a Mac's
  case-insensitive disk);
- the Linux bundle: `callahead-cli` beside `CallAhead`.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import PurePosixPath, PureWindowsPath

CONSOLE_COMPANION = "callahead-cli"  # build.spec builds it; .ci/build-bundle runs it


def console_command(platform: str | None = None, frozen: bool | None = None,
                    executable: str | None = None) -> str:
    """The command line to type, quoted for the platform's shell when its path has spaces."""
    platform = sys.platform if platform is None else platform
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    executable = sys.executable if executable is None else executable
    if not frozen:
        return "python main.py"
    if platform == "win32":
        command = str(PureWindowsPath(executable).with_name(f"{CONSOLE_COMPANION}.exe"))
        return f'"{command}"' if " " in command else command
    path = PurePosixPath(executable)
    return shlex.quote(str(path if platform == "darwin" else path.with_name(CONSOLE_COMPANION)))
