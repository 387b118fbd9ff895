"""Whether a window holds the data folder, read from the lock file Qt writes — as Qt itself reads it.

The lock files here are written by hand in Qt's format (pid, program, host name, machine id,
boot id), so Windows' NetBIOS names and other machines can be simulated anywhere.
"""

import os
import subprocess
import sys

import pytest

from core.storage.instance_lock import Machine, lock_path, window_running

WINDOWS_DESK = Machine(names=("Desktop-Ab12cd3.office.example", "DESKTOP-AB12CD3"), machine_id="", boot_id="")


def _qt_lock(folder, pid, host, host_id="", boot_id=""):
    lock_path(folder).write_bytes(f"{pid}\nCallAhead.exe\n{host}\n{host_id}\n{boot_id}\n".encode())


@pytest.fixture
def dead_pid():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_lock_left_by_a_crashed_window_on_this_windows_machine_is_stale(tmp_path, dead_pid):
    # Qt records %COMPUTERNAME% (NetBIOS, upper case, at most 15 characters), not Python's host name.
    _qt_lock(tmp_path, dead_pid, "DESKTOP-AB12CD3")
    assert not window_running(tmp_path, WINDOWS_DESK)
    long_name = Machine(names=("reception-computer-2.office.example",))
    _qt_lock(tmp_path, dead_pid, "RECEPTION-COMPU")
    assert not window_running(tmp_path, long_name), "the NetBIOS name is the host name cut to 15 characters"


def test_a_window_on_another_computer_sharing_the_folder_counts_as_running(tmp_path, dead_pid):
    _qt_lock(tmp_path, dead_pid, "FRONT-DESK")
    assert window_running(tmp_path, WINDOWS_DESK)


def test_the_machine_id_decides_over_the_name_as_in_qt(tmp_path, dead_pid):
    here = Machine(names=("shop",), machine_id="3d1219c7c4c5404aaa1f6d2a48adfda4", boot_id="955c338a")
    _qt_lock(tmp_path, dead_pid, "SHOP-RENAMED", host_id="3d1219c7c4c5404aaa1f6d2a48adfda4", boot_id="955c338a")
    assert not window_running(tmp_path, here), "same machine (renamed since): its dead process does not count"
    _qt_lock(tmp_path, dead_pid, "shop", host_id="ffffffffffffffffffffffffffffffff")
    assert window_running(tmp_path, here), "same name, another machine"


def test_a_lock_from_before_this_machine_last_started_is_stale_even_if_the_pid_is_reused(tmp_path):
    here = Machine(names=("shop",), machine_id="abc", boot_id="boot-2")
    _qt_lock(tmp_path, os.getpid(), "shop", host_id="abc", boot_id="boot-1")
    assert not window_running(tmp_path, here)
    _qt_lock(tmp_path, os.getpid(), "shop", host_id="abc", boot_id="boot-2")
    assert window_running(tmp_path, here)
