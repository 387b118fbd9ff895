"""Start at login on each platform, simulated: a fake `winreg`, a LaunchAgent and a .desktop file in a
temporary home, and a fake frozen executable that moves between starts."""

import os
import plistlib
import subprocess

import pytest

from core.machine.autostart import Autostart, EntryUpdate, StartAtLoginRefused
from core.context import AppContext
from core.errors import CallAheadError
from core.storage.paths import default_data_dir

ADVICE = "Move CallAhead to Applications first, then turn on start at login"
MAC_APP = "/Applications/CallAhead.app/Contents/MacOS/CallAhead"


class FakeWinreg:
    """The part of `winreg` start at login uses, over a dict; counts the values written."""

    HKEY_CURRENT_USER = "HKEY_CURRENT_USER"
    KEY_SET_VALUE = 0x0002
    REG_SZ = 1

    def __init__(self):
        self.keys: dict[str, dict[str, str]] = {}
        self.writes = 0
        self.refuse_writes = False

    class _Key:
        def __init__(self, values):
            self.values = values

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def OpenKey(self, root, sub_key, reserved=0, access=0):
        if sub_key not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return self._Key(self.keys[sub_key])

    def CreateKey(self, root, sub_key):
        return self._Key(self.keys.setdefault(sub_key, {}))

    def QueryValueEx(self, key, name):
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return key.values[name], self.REG_SZ

    def SetValueEx(self, key, name, reserved, kind, value):
        if self.refuse_writes:
            raise PermissionError(13, "Access is denied")
        assert kind == self.REG_SZ and isinstance(value, str)
        self.writes += 1
        key.values[name] = value

    def DeleteValue(self, key, name):
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del key.values[name]

    def run_value(self):
        return self.keys.get(r"Software\Microsoft\Windows\CurrentVersion\Run", {}).get("CallAhead")


def windows(registry, executable=r"C:\Apps\CallAhead\CallAhead.exe", **more):
    environ = {"TEMP": r"C:\Users\ann\AppData\Local\Temp", "TMP": r"C:\Users\ann\AppData\Local\Temp"}
    return Autostart(platform="win32", environ=environ, executable=executable, frozen=True, registry=registry, **more)


def mac(home, executable=MAC_APP, **more):
    return Autostart(platform="darwin", home=home, environ={}, executable=executable, frozen=True, **more)


def linux(home, executable="/opt/CallAhead/CallAhead", **more):
    environ = {"XDG_CONFIG_HOME": str(home / "config")}
    return Autostart(platform="linux", home=home, environ=environ, executable=executable, frozen=True, **more)


def launch_agent(home):
    return plistlib.loads((home / "Library/LaunchAgents/app.callahead.CallAhead.plist").read_bytes())


def desktop_entry(home):
    return (home / "config/autostart/callahead.desktop").read_text(encoding="utf-8")


def exec_line(home):
    return next(line for line in desktop_entry(home).splitlines() if line.startswith("Exec="))


# --- moved apps: each start points the entry at this copy again -------------------------------------

def test_windows_run_value_follows_the_app_to_its_new_folder():
    registry = FakeWinreg()
    windows(registry).apply(True)
    assert registry.run_value() == r"C:\Apps\CallAhead\CallAhead.exe --minimized"
    moved = windows(registry, executable=r"D:\Tools\CallAhead\CallAhead.exe")
    assert moved.refresh_at_start(True) is EntryUpdate.WRITTEN
    assert registry.run_value() == r"D:\Tools\CallAhead\CallAhead.exe --minimized"


def test_macos_launch_agent_follows_the_app_moved_out_of_applications(tmp_path):
    mac(tmp_path).apply(True)
    elsewhere = str(tmp_path / "Applications/CallAhead.app/Contents/MacOS/CallAhead")
    assert mac(tmp_path, executable=elsewhere).refresh_at_start(True) is EntryUpdate.WRITTEN
    agent = launch_agent(tmp_path)
    assert agent["ProgramArguments"] == [elsewhere, "--minimized"] and agent["RunAtLoad"] is True


def test_desktop_entry_follows_the_app_to_its_new_folder(tmp_path):
    linux(tmp_path).apply(True)
    assert exec_line(tmp_path) == "Exec=/opt/CallAhead/CallAhead --minimized"
    linux(tmp_path, executable="/home/ann/bin/CallAhead/CallAhead").refresh_at_start(True)
    assert exec_line(tmp_path) == "Exec=/home/ann/bin/CallAhead/CallAhead --minimized"


def test_an_entry_written_from_source_starts_python_on_main_py(tmp_path):
    from_source = Autostart(platform="darwin", home=tmp_path, environ={}, executable="/usr/bin/python3", frozen=False)
    from_source.apply(True)
    program = launch_agent(tmp_path)["ProgramArguments"]
    assert program[0] == "/usr/bin/python3" and program[1].endswith("main.py") and os.path.isfile(program[1])


# --- an entry that is right is left alone --------------------------------------------------------

def test_an_unchanged_run_value_is_not_written_again():
    registry = FakeWinreg()
    windows(registry).apply(True)
    for _start in range(3):
        assert windows(registry).refresh_at_start(True) is EntryUpdate.UNCHANGED
    assert registry.writes == 1


@pytest.mark.parametrize("system, entry", [
    (mac, "Library/LaunchAgents/app.callahead.CallAhead.plist"),
    (linux, "config/autostart/callahead.desktop"),
])
def test_an_unchanged_entry_file_is_not_rewritten(tmp_path, system, entry):
    system(tmp_path).apply(True)
    path = tmp_path / entry
    os.utime(path, ns=(0, 0))  # a rewrite, however quick, would move this
    assert system(tmp_path).refresh_at_start(True) is EntryUpdate.UNCHANGED
    assert path.stat().st_mtime_ns == 0


def test_a_start_with_start_at_login_off_leaves_the_entry_alone(tmp_path):
    # Another data folder may have it on: only the owner's setting change removes the entry.
    linux(tmp_path).apply(True)
    before = desktop_entry(tmp_path)
    assert linux(tmp_path, executable="/elsewhere/CallAhead").refresh_at_start(False) is EntryUpdate.LEFT_ALONE
    assert desktop_entry(tmp_path) == before
    assert linux(tmp_path).apply(False) is EntryUpdate.REMOVED
    assert not linux(tmp_path).is_enabled()


def test_turning_it_off_removes_the_run_value():
    registry = FakeWinreg()
    windows(registry).apply(True)
    assert windows(registry).apply(False) is EntryUpdate.REMOVED
    assert registry.run_value() is None and not windows(registry).is_enabled()
    assert windows(registry).apply(False) is EntryUpdate.UNCHANGED


def test_a_registry_that_refuses_the_write_does_not_stop_the_start():
    registry = FakeWinreg()
    registry.refuse_writes = True
    assert windows(registry).refresh_at_start(True) is EntryUpdate.FAILED


# --- places that will vanish are refused with advice --------------------------------------------

TRANSLOCATED = "/private/var/folders/x1/T/AppTranslocation/6E1F4C2A/d/CallAhead.app/Contents/MacOS/CallAhead"
DISK_IMAGE = "/Volumes/CallAhead 1.0/CallAhead.app/Contents/MacOS/CallAhead"


@pytest.mark.parametrize("executable", [TRANSLOCATED, DISK_IMAGE])
def test_a_translocated_or_disk_image_app_is_refused_with_advice(tmp_path, executable):
    app = mac(tmp_path, executable=executable)
    with pytest.raises(StartAtLoginRefused, match=ADVICE) as refused:
        app.enable()
    assert isinstance(refused.value, CallAheadError) and refused.value.field == "start_at_login"
    assert not (tmp_path / "Library/LaunchAgents").exists()


@pytest.mark.parametrize("executable", [TRANSLOCATED, DISK_IMAGE])
def test_a_translocated_or_disk_image_app_never_overwrites_the_installed_entry(tmp_path, executable):
    mac(tmp_path).apply(True)
    assert mac(tmp_path, executable=executable).refresh_at_start(True) is EntryUpdate.LEFT_ALONE
    assert launch_agent(tmp_path)["ProgramArguments"] == [MAC_APP, "--minimized"]


def test_the_system_volume_under_volumes_is_not_a_disk_image(tmp_path):
    on_system_volume = "/Volumes/Macintosh HD/Applications/CallAhead.app/Contents/MacOS/CallAhead"
    system_link = mac(tmp_path, executable=on_system_volume,
                      realpath=lambda path: path.replace("/Volumes/Macintosh HD", "", 1))
    assert system_link.unsuitable_location() is None
    assert system_link.apply(True) is EntryUpdate.WRITTEN


def test_an_app_opened_inside_a_zip_file_on_windows_is_refused():
    registry = FakeWinreg()
    unzipped_by_explorer = r"C:\Users\ann\AppData\Local\Temp\Temp1_CallAhead-windows.zip\CallAhead\CallAhead.exe"
    with pytest.raises(StartAtLoginRefused, match="Extract CallAhead to a folder of its own first"):
        windows(registry, executable=unzipped_by_explorer).enable()
    assert registry.run_value() is None


# --- the data folder goes with the entry ----------------------------------------------------------

def test_a_data_folder_from_the_environment_is_written_into_the_entry(tmp_path):
    folder = tmp_path / "shop data"
    context = AppContext.build(environ={"CALLAHEAD_DATA_DIR": str(folder)})
    Autostart.for_context(context, platform="darwin", home=tmp_path, environ={}, executable=MAC_APP,
                          frozen=True).apply(True)
    assert launch_agent(tmp_path)["ProgramArguments"] == [MAC_APP, "--data-dir", str(folder), "--minimized"]


def test_a_relative_data_dir_is_written_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    context = AppContext.build(data_dir="shop", environ={})
    app = Autostart.for_context(context, platform="linux", environ={"XDG_CONFIG_HOME": str(tmp_path / "config")},
                                executable="/opt/CallAhead/CallAhead", frozen=True)
    assert app.command() == ["/opt/CallAhead/CallAhead", "--data-dir", str(tmp_path / "shop"), "--minimized"]


def test_the_default_data_folder_needs_no_option_and_the_demo_keeps_its_flag(tmp_path):
    def command(context):
        return Autostart.for_context(context, platform="linux", executable="/opt/CallAhead/CallAhead",
                                     frozen=True).command()

    assert command(AppContext.build(environ={})) == ["/opt/CallAhead/CallAhead", "--minimized"]
    assert AppContext.build(environ={}).data_dir == default_data_dir()
    assert command(AppContext.build(demo=True, environ={})) == ["/opt/CallAhead/CallAhead", "--demo", "--minimized"]
    shop = tmp_path / "shop"
    assert command(AppContext.build(data_dir=str(shop), demo=True, environ={})) == [
        "/opt/CallAhead/CallAhead", "--demo", "--data-dir", str(shop), "--minimized"]


def test_a_changed_data_folder_rewrites_the_entry():
    registry = FakeWinreg()
    windows(registry, arguments=("--data-dir", r"C:\Shop")).apply(True)
    windows(registry, arguments=("--data-dir", r"E:\Shop")).refresh_at_start(True)
    assert registry.run_value() == r"C:\Apps\CallAhead\CallAhead.exe --data-dir E:\Shop --minimized"


# --- quoting ---------------------------------------------------------------------------------------

def test_windows_paths_with_spaces_are_quoted_as_windows_splits_them():
    registry = FakeWinreg()
    windows(registry, executable=r"C:\Program Files\CallAhead\CallAhead.exe",
            arguments=("--data-dir", "C:\\Users\\Ann Smith\\Shop data\\")).apply(True)
    assert registry.run_value() == (
        r'"C:\Program Files\CallAhead\CallAhead.exe" --data-dir "C:\Users\Ann Smith\Shop data\\" --minimized')


def test_desktop_entry_quotes_as_the_desktop_entry_spec_says(tmp_path):
    linux(tmp_path, executable="/home/ann/My Apps/CallAhead/CallAhead",
          arguments=("--data-dir", '/home/ann/50% "shop"')).apply(True)
    assert exec_line(tmp_path) == (
        r'Exec="/home/ann/My Apps/CallAhead/CallAhead" --data-dir "/home/ann/50%% \\"shop\\"" --minimized')


def test_an_entry_from_an_older_callahead_with_shell_quoting_is_rewritten(tmp_path):
    entry = tmp_path / "config/autostart/callahead.desktop"
    entry.parent.mkdir(parents=True)
    entry.write_text("[Desktop Entry]\nType=Application\nName=CallAhead\nComment=Reminds you whom to call today\n"
                     "Exec='/home/ann/My Apps/CallAhead/CallAhead' --minimized\n"
                     "X-GNOME-Autostart-enabled=true\nTerminal=false\n", encoding="utf-8")
    app = linux(tmp_path, executable="/home/ann/My Apps/CallAhead/CallAhead")
    assert app.refresh_at_start(True) is EntryUpdate.WRITTEN
    assert exec_line(tmp_path) == 'Exec="/home/ann/My Apps/CallAhead/CallAhead" --minimized'


# --- started through the console companion: the entry still starts the window ------------------

def test_a_window_opened_through_callahead_cli_exe_writes_callahead_exe_with_its_data_folder():
    registry = FakeWinreg()
    context = AppContext.build(data_dir=r"E:\Shop", environ={})
    Autostart.for_context(context, platform="win32", environ={}, registry=registry, frozen=True,
                          executable=r"C:\Program Files\CallAhead\CALLAHEAD-CLI.EXE").apply(True)
    # No console window at each login: the windowed CallAhead.exe beside the companion.
    shop = os.path.abspath(r"E:\Shop")  # E:\Shop on Windows
    assert registry.run_value() == subprocess.list2cmdline(
        [r"C:\Program Files\CallAhead\CallAhead.exe", "--data-dir", shop, "--minimized"])


def test_a_window_opened_through_the_mac_companion_writes_the_app_s_own_executable(tmp_path):
    companion = "/Applications/CallAhead.app/Contents/MacOS/callahead-cli"
    mac(tmp_path, executable=companion, arguments=("--data-dir", "/Users/ann/Shop")).apply(True)
    assert launch_agent(tmp_path)["ProgramArguments"] == [MAC_APP, "--data-dir", "/Users/ann/Shop", "--minimized"]
    # The installed app's own start then finds the entry as it should be.
    assert mac(tmp_path, arguments=("--data-dir", "/Users/ann/Shop")).refresh_at_start(True) is EntryUpdate.UNCHANGED


def test_a_linux_bundle_started_as_callahead_cli_writes_callahead(tmp_path):
    linux(tmp_path, executable="/opt/CallAhead/callahead-cli").apply(True)
    assert exec_line(tmp_path) == "Exec=/opt/CallAhead/CallAhead --minimized"
