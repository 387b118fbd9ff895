import plistlib
import shlex

import pytest

from core.autostart import Autostart, launch_command


def test_linux_autostart_writes_and_removes_a_desktop_entry(tmp_path):
    autostart = Autostart(platform="linux", home=tmp_path, environ={"XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    assert not autostart.is_enabled()
    autostart.apply(True)
    entry = tmp_path / "cfg" / "autostart" / "callahead.desktop"
    assert autostart.is_enabled() and entry.exists()
    exec_line = next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))
    assert shlex.split(exec_line[5:]) == launch_command()
    autostart.apply(False)
    assert not entry.exists() and not autostart.is_enabled()


def test_macos_autostart_is_a_launch_agent(tmp_path):
    autostart = Autostart(platform="darwin", home=tmp_path, environ={})
    autostart.enable(["/Applications/CallAhead.app/Contents/MacOS/CallAhead", "--minimized"])
    plist = plistlib.loads((tmp_path / "Library/LaunchAgents/app.callahead.CallAhead.plist").read_bytes())
    assert plist["RunAtLoad"] is True and plist["ProgramArguments"][-1] == "--minimized"


def test_starting_at_login_opens_minimized_in_the_tray():
    assert launch_command()[-1] == "--minimized"


@pytest.mark.parametrize("wanted", [True, False])
def test_apply_twice_is_harmless(tmp_path, wanted):
    autostart = Autostart(platform="linux", home=tmp_path, environ={})
    autostart.apply(wanted)
    autostart.apply(wanted)
    assert autostart.is_enabled() is wanted
