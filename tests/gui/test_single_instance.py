"""One window per data folder: a second launch brings the first forward and leaves."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow

from core.storage.instance_lock import lock_path, window_running
from gui.single_instance import SingleInstance, bring_to_front, server_name_for

ROOT = Path(__file__).resolve().parents[2]
SECOND_LAUNCH = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from gui.single_instance import SingleInstance
app = QCoreApplication([])
instance = SingleInstance.for_data_dir(Path(sys.argv[1]))
primary = instance.is_primary()
print("primary" if primary else "second", flush=True)
if primary and len(sys.argv) > 2:
    sys.stdin.readline()  # hold the lock until killed
"""


@pytest.fixture
def instances():
    made = []

    def make(data_dir: Path) -> SingleInstance:
        instance = SingleInstance.for_data_dir(data_dir)
        made.append(instance)
        return instance

    yield make
    for instance in made:
        instance.release()


def _launch(data_dir: Path, hold: bool = False) -> subprocess.Popen:
    arguments = [sys.executable, "-c", SECOND_LAUNCH, str(data_dir)] + (["hold"] if hold else [])
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(arguments, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def test_the_second_instance_on_a_data_folder_asks_the_first_to_come_forward(qtbot, tmp_path, instances):
    first = instances(tmp_path)
    assert first.is_primary()
    second = instances(tmp_path)
    with qtbot.waitSignal(first.activation_requested, timeout=5000):
        assert not second.is_primary()


def test_a_second_launch_in_another_process_hands_over_and_the_first_is_activated(qtbot, tmp_path, instances):
    first = instances(tmp_path)
    assert first.is_primary()
    with qtbot.waitSignal(first.activation_requested, timeout=5000):
        launch = _launch(tmp_path)
        output, _ = launch.communicate(timeout=60)
    assert output.strip() == "second" and launch.returncode == 0


def test_instances_on_different_data_folders_both_run(tmp_path, instances):
    assert instances(tmp_path / "shop").is_primary()
    assert instances(tmp_path / "shop" / "demo-business").is_primary()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_after_the_first_instance_crashed_the_next_launch_becomes_primary(tmp_path, instances):
    crashed = _launch(tmp_path, hold=True)
    assert crashed.stdout.readline().strip() == "primary"
    assert not instances(tmp_path).is_primary(), "while it runs, it is the primary"
    crashed.send_signal(signal.SIGKILL)
    crashed.wait(timeout=30)
    crashed.stdin.close()
    crashed.stdout.close()

    assert not window_running(tmp_path), "a crashed window does not count as running"
    assert instances(tmp_path).is_primary(), "a lock and a socket left by a dead process are taken over"


def test_a_released_instance_lets_the_next_one_be_primary(tmp_path, instances):
    first = instances(tmp_path)
    assert first.is_primary()
    first.release()
    assert not lock_path(tmp_path).exists()
    assert instances(tmp_path).is_primary()


def test_commands_without_qt_see_the_running_window_by_its_lock(tmp_path, instances):
    assert not window_running(tmp_path)
    first = instances(tmp_path)
    assert first.is_primary()
    assert window_running(tmp_path)
    first.release()
    assert not window_running(tmp_path)


def test_the_server_name_is_the_same_for_one_folder_and_does_not_show_its_path(tmp_path):
    folder = tmp_path / "Harbor Door"
    folder.mkdir()
    assert server_name_for(folder) == server_name_for(Path(str(folder) + "/")) == server_name_for(folder / ".")
    assert server_name_for(folder) != server_name_for(tmp_path)
    assert "Harbor" not in server_name_for(folder) and len(server_name_for(folder)) < 40


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window stack
def test_bringing_the_window_forward_restores_a_minimised_window(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.showMinimized()
    bring_to_front(window)
    assert window.isVisible() and not window.isMinimized()


def test_on_windows_the_second_launch_hands_the_foreground_to_the_running_window(monkeypatch):
    """Windows' foreground lock: without the hand-over a second launch only flashes the taskbar."""
    from gui import single_instance

    class FakeUser32:
        def __init__(self):
            self.calls = []

        def AllowSetForegroundWindow(self, process):  # noqa: N802 (the Windows name)
            self.calls.append(process)
            return 1

    user32 = FakeUser32()
    assert single_instance.hand_over_the_foreground("win32", user32) is True
    assert user32.calls == [single_instance.ASFW_ANY]
    assert single_instance.hand_over_the_foreground("darwin", user32) is False and len(user32.calls) == 1
    handed = []
    monkeypatch.setattr(single_instance, "hand_over_the_foreground", lambda *args: handed.append(True))
    single_instance.SingleInstance("callahead-test-nobody-listens").request_activation()
    assert handed, "asking the running window to come forward hands the foreground over first"
