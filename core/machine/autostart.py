"""Start CallAhead when the owner logs in (off by default; toggled in settings).

Windows: a value under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run.
macOS: a LaunchAgent plist in ~/Library/LaunchAgents.
Linux and other XDG desktops: a .desktop file in $XDG_CONFIG_HOME/autostart.

The entry starts the copy running now (the bundled app, or python main.py from source) on the
data folder it runs on, in the tray. It is written once but the app can move (a new folder, a
.app dragged elsewhere, an upgrade unpacked somewhere new), so each start compares the entry
with what it should be and rewrites it when it differs. A copy that runs from a place that
will vanish — macOS's App Translocation, a mounted disk image, Windows' temporary folder for a
program opened inside a zip file — would leave a dead entry: it is refused with advice, and
such a copy never overwrites a good entry left by the installed one.

Everything the system offers is injected (platform, home, environment, executable, frozen
flag, the `winreg` module), so tests run each platform's rules on any machine.
"""

from __future__ import annotations

import enum
import logging
import ntpath
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from core import APP_NAME
from core.machine.console_command import window_executable
from core.errors import InvalidInput

if TYPE_CHECKING:
    from core.context import AppContext

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
LAUNCH_AGENT_LABEL = "app.callahead.CallAhead"
SETTING = "start_at_login"
MAIN_SCRIPT = Path(__file__).resolve().parents[2] / "main.py"
# Characters the Desktop Entry spec reserves in Exec: an argument holding one must be quoted.
_DESKTOP_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")

log = logging.getLogger(__name__)


class StartAtLoginRefused(InvalidInput):
    """This copy runs from a place that will be gone at the next login."""

    def __init__(self, message: str):
        super().__init__(message, field=SETTING)


class EntryUpdate(enum.Enum):
    UNCHANGED = "unchanged"  # the entry already starts this copy on this data folder
    WRITTEN = "written"
    REMOVED = "removed"
    LEFT_ALONE = "left alone"  # not wanted, or this copy runs from a place that will vanish
    FAILED = "failed"  # the system refused the write; logged, the app starts anyway


def entry_arguments(data_dir: Path, demo: bool, default_data_dir: Path) -> list[str]:
    """What the entry must pass so the login start opens the same business as this run.

    A folder chosen by --data-dir or $CALLAHEAD_DATA_DIR is written out: neither the option nor
    the variable exists at login. The path is absolute because a login start has no useful
    working folder.
    """
    folder = data_dir.parent if demo else data_dir
    arguments = ["--demo"] if demo else []
    if Path(os.path.abspath(folder)) != Path(os.path.abspath(default_data_dir)):
        arguments += ["--data-dir", os.path.abspath(folder)]
    return arguments


def desktop_exec(command: list[str]) -> str:
    """An Exec value as the Desktop Entry spec quotes it (not shell quoting: no single quotes)."""
    parts = []
    for argument in command:
        argument = argument.replace("%", "%%")
        if _DESKTOP_RESERVED & set(argument):
            escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
            argument = f'"{escaped}"'
        parts.append(argument)
    value = " ".join(parts)
    # A .desktop value escapes backslashes and control characters once more.
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


@dataclass(frozen=True)
class Autostart:
    platform: str = sys.platform
    home: Path | None = None  # None: the user's home, looked up when needed
    environ: Mapping[str, str] | None = None  # None: os.environ
    executable: str | None = None  # None: sys.executable
    frozen: bool | None = None  # None: whether this runs as the PyInstaller bundle
    registry: ModuleType | None = None  # the winreg module (a fake one in tests)
    arguments: tuple[str, ...] = ()  # --demo, --data-dir DIR: see entry_arguments
    realpath: Callable[[str], str] = os.path.realpath

    @classmethod
    def for_context(cls, context: AppContext, **system) -> Autostart:
        """The entry for the business this app runs on."""
        from core.storage.paths import default_data_dir

        arguments = entry_arguments(context.data_dir, context.is_demo, default_data_dir())
        return cls(arguments=tuple(arguments), **system)

    # --- what the entry should say ---------------------------------------------------------
    @property
    def _windows(self) -> bool:
        return self.platform.startswith("win")

    def _env(self) -> Mapping[str, str]:
        return os.environ if self.environ is None else self.environ

    def program(self) -> list[str]:
        """This copy of CallAhead: the bundle's window executable (also when this run came through
        the console companion, callahead-cli), or this Python and main.py."""
        executable = sys.executable if self.executable is None else self.executable
        frozen = getattr(sys, "frozen", False) if self.frozen is None else self.frozen
        return [window_executable(executable, self.platform)] if frozen else [executable, str(MAIN_SCRIPT)]

    def command(self) -> list[str]:
        """How to start this copy at login: in the tray, on this data folder."""
        return [*self.program(), *self.arguments, "--minimized"]

    def unsuitable_location(self) -> str | None:
        """Why this copy's place will be gone at the next login, with what to do; None if it is fine."""
        for path in self.program():
            if self.platform == "darwin":
                if "/AppTranslocation/" in path:
                    return ("macOS runs this copy of CallAhead from a temporary place because it was opened "
                            "straight from the download, and a start at login would find nothing there. "
                            "Move CallAhead to Applications first, then turn on start at login.")
                if self.realpath(path).startswith("/Volumes/"):
                    volume = "/".join(path.split("/")[:3])
                    return (f"This copy of CallAhead runs from {volume}, a disk image or drive that goes away "
                            "when it is ejected, so a start at login would find nothing there. "
                            "Move CallAhead to Applications first, then turn on start at login.")
            if self._windows and self._in_windows_temp(path):
                return ("This copy of CallAhead runs from Windows' temporary folder (it was opened inside the "
                        "zip file), which is emptied, so a start at login would find nothing there. Extract "
                        "CallAhead to a folder of its own first, then turn on start at login.")
        return None

    def check_location(self) -> None:
        """Refuse to turn on start at login from a place that will vanish; the message says what to do."""
        problem = self.unsuitable_location()
        if problem:
            raise StartAtLoginRefused(problem)

    def _in_windows_temp(self, path: str) -> bool:
        env = self._env()
        folder = ntpath.normcase(path)
        for name in ("TEMP", "TMP"):
            temp = env.get(name)
            if temp and folder.startswith(ntpath.normcase(temp.rstrip("\\/")) + "\\"):
                return True
        return False

    # --- where the entry lives ---------------------------------------------------------------
    @property
    def location(self) -> str:
        if self._windows:
            return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{APP_NAME}"
        return str(self._file())

    def _file(self) -> Path:
        home = Path.home() if self.home is None else self.home
        if self.platform == "darwin":
            return home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
        config = self._env().get("XDG_CONFIG_HOME") or str(home / ".config")
        return Path(config) / "autostart" / "callahead.desktop"

    def _winreg(self) -> ModuleType:
        if self.registry is not None:
            return self.registry
        import winreg

        return winreg

    def _expected(self, command: list[str]) -> str | dict:
        """The entry as it should be, in the form `_stored` reads it back."""
        if self._windows:
            # The Run value is one command line: list2cmdline quotes the way Windows splits it again.
            return subprocess.list2cmdline(command)
        if self.platform == "darwin":
            return {"Label": LAUNCH_AGENT_LABEL, "ProgramArguments": command, "RunAtLoad": True}
        return ("[Desktop Entry]\nType=Application\n"
                f"Name={APP_NAME}\nComment=Reminds you whom to call today\n"
                f"Exec={desktop_exec(command)}\nX-GNOME-Autostart-enabled=true\nTerminal=false\n")

    def _stored(self) -> str | dict | None:
        """The entry as it is now; None when there is none."""
        if self._windows:
            winreg = self._winreg()
            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                    value, _kind = winreg.QueryValueEx(key, APP_NAME)
            except OSError:
                return None
            return value
        path = self._file()
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            return None
        if self.platform == "darwin":
            import plistlib  # macOS's LaunchAgent only: other systems' starts need not load it

            try:
                return plistlib.loads(content)
            except Exception:  # a damaged plist: any difference means rewrite
                return {}
        return content.decode("utf-8", errors="replace")

    def _write(self, entry: str | dict) -> None:
        if self._windows:
            winreg = self._winreg()
            with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                winreg.SetValueEx(key, APP_NAME, 0, winreg.REG_SZ, entry)
            return
        target = self._file()
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(entry, dict):  # macOS's LaunchAgent
            import plistlib  # loaded for macOS only (see _read)

            content = plistlib.dumps(entry)
        else:
            content = entry.encode("utf-8")
        # Written aside then renamed: a login never finds half an entry.
        partial = target.with_name(target.name + ".new")
        partial.write_bytes(content)
        os.replace(partial, target)

    # --- what the app does -------------------------------------------------------------------
    def is_enabled(self) -> bool:
        return self._stored() is not None

    def is_current(self) -> bool:
        """The entry exists and starts this copy on this data folder."""
        return self._stored() == self._expected(self.command())

    def enable(self) -> EntryUpdate:
        """Write the entry for this copy, unless it is already exactly that."""
        self.check_location()
        expected = self._expected(self.command())
        if self._stored() == expected:
            return EntryUpdate.UNCHANGED
        self._write(expected)
        return EntryUpdate.WRITTEN

    def disable(self) -> EntryUpdate:
        if self._windows:
            winreg = self._winreg()
            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                    winreg.DeleteValue(key, APP_NAME)
            except FileNotFoundError:
                return EntryUpdate.UNCHANGED
            return EntryUpdate.REMOVED
        if not self._file().exists():
            return EntryUpdate.UNCHANGED
        self._file().unlink(missing_ok=True)
        return EntryUpdate.REMOVED

    def apply(self, wanted: bool) -> EntryUpdate:
        """Make the system match the owner's setting (after the settings were saved).

        Turning it on from a place that will vanish was refused before saving; if that is still
        the case here, an existing entry (likely the installed copy's) is left as it is.
        """
        if not wanted:
            return self.disable()
        if self.unsuitable_location():
            return EntryUpdate.LEFT_ALONE
        return self.enable()

    def refresh_at_start(self, wanted: bool) -> EntryUpdate:
        """At each start: point the entry at this copy and data folder again if it moved.

        Never stops the start: a refused write is logged and the app opens as usual.
        """
        if not wanted:
            return EntryUpdate.LEFT_ALONE
        try:
            update = self.apply(True)
        except OSError as error:
            log.warning("Could not update the start at login entry %s: %s", self.location, error)
            return EntryUpdate.FAILED
        if update is EntryUpdate.WRITTEN:
            log.info("Start at login entry %s now starts %s", self.location, self.program()[0])
        return update
