"""Start CallAhead when the owner logs in (off by default; toggled in settings).

Windows: a value under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run.
macOS: a LaunchAgent plist in ~/Library/LaunchAgents.
Linux and other XDG desktops: a .desktop file in $XDG_CONFIG_HOME/autostart.
The command started is the one running now (the bundled app, or python main.py from source).
"""

from __future__ import annotations

import os
import plistlib
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from core import APP_NAME

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
LAUNCH_AGENT_LABEL = "app.callahead.CallAhead"


def launch_command() -> list[str]:
    """How to start this CallAhead again: the frozen executable, or this interpreter and main.py."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--minimized"]
    main = Path(__file__).resolve().parent.parent / "main.py"
    return [sys.executable, str(main), "--minimized"]


@dataclass(frozen=True)
class Autostart:
    platform: str = sys.platform
    home: Path = Path.home()
    environ: dict | None = None

    def _env(self) -> dict:
        return dict(os.environ if self.environ is None else self.environ)

    @property
    def location(self) -> str:
        if self.platform.startswith("win"):
            return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{APP_NAME}"
        return str(self._file())

    def _file(self) -> Path:
        if self.platform == "darwin":
            return self.home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
        config = self._env().get("XDG_CONFIG_HOME") or str(self.home / ".config")
        return Path(config) / "autostart" / "callahead.desktop"

    def is_enabled(self) -> bool:
        if self.platform.startswith("win"):
            import winreg

            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                    winreg.QueryValueEx(key, APP_NAME)
                return True
            except OSError:
                return False
        return self._file().exists()

    def enable(self, command: list[str] | None = None) -> None:
        command = command or launch_command()
        if self.platform.startswith("win"):
            import subprocess
            import winreg

            with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                winreg.SetValueEx(key, APP_NAME, 0, winreg.REG_SZ, subprocess.list2cmdline(command))
            return
        target = self._file()
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.platform == "darwin":
            content = plistlib.dumps({"Label": LAUNCH_AGENT_LABEL, "ProgramArguments": command, "RunAtLoad": True})
            target.write_bytes(content)
        else:
            target.write_text(
                "[Desktop Entry]\nType=Application\n"
                f"Name={APP_NAME}\nComment=Reminds you whom to call today\n"
                f"Exec={shlex.join(command)}\nX-GNOME-Autostart-enabled=true\nTerminal=false\n",
                encoding="utf-8")

    def disable(self) -> None:
        if self.platform.startswith("win"):
            import winreg

            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                    winreg.DeleteValue(key, APP_NAME)
            except OSError:
                pass
            return
        self._file().unlink(missing_ok=True)

    def apply(self, wanted: bool) -> None:
        """Make the system match the owner's setting."""
        if wanted and not self.is_enabled():
            self.enable()
        elif not wanted and self.is_enabled():
            self.disable()
