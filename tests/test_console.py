"""The command line wherever it runs: no streams at all (the windowed Windows executable), a
narrow code page, and messages that name the command that exists on this platform."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

import main
from core import APP_NAME
from core.machine.console_command import companion_file_name, console_command
from core.storage.integrity import DatabaseDamaged
from core.storage.paths import database_path

ROOT = Path(__file__).resolve().parents[1]


def test_without_any_streams_a_command_still_does_its_work_and_returns_its_exit_code(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert main.main(["demo", "--customers", "5", "--data-dir", str(tmp_path)]) == 0
    assert database_path(tmp_path).exists()
    assert main.main(["log", "999999", "--outcome", "reached", "--data-dir", str(tmp_path)]) == 2
    with pytest.raises(SystemExit) as raised:
        main.main(["log", "--outcome", "nonsense"])
    assert raised.value.code == 2


def _rename_a_customer_on_todays_list(data_dir, name: str) -> None:
    connection = sqlite3.connect(database_path(data_dir))
    with connection:
        connection.execute("UPDATE customers SET name = ? WHERE id = (SELECT customer_id FROM call_tasks "
                           "WHERE status = 'pending' AND kind = 'call' AND due_on <= '2026-11-24' "
                           "ORDER BY id LIMIT 1)", (name,))
    connection.close()


def test_a_cp1252_console_shows_lodz_as_well_as_it_can_and_json_keeps_it_exact(demo_data_dir, monkeypatch):
    _rename_a_customer_on_todays_list(demo_data_dir, "Łódź Garage Doors")
    # stdout as Windows gives it to a command whose output goes to a file or a pipe.
    cp1252_stdout = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(cp1252_stdout, encoding="cp1252", errors="strict"))
    options = ["--data-dir", str(demo_data_dir), "--today", "2026-11-24"]
    assert main.main(["agenda", *options]) == 0
    sys.stdout.flush()
    listed = cp1252_stdout.getvalue().decode("cp1252")
    assert "?ód? Garage Doors" in listed

    cp1252_stdout.seek(0)
    cp1252_stdout.truncate()
    assert main.main(["agenda", "--json", *options]) == 0
    sys.stdout.flush()
    payload = json.loads(cp1252_stdout.getvalue().decode("cp1252"))
    assert "Łódź Garage Doors" in [call["customer"] for call in payload["calls"]]


def test_a_real_process_with_a_cp1252_pipe_prints_lodz_without_a_traceback(demo_data_dir):
    _rename_a_customer_on_todays_list(demo_data_dir, "Łódź Garage Doors")
    result = subprocess.run([sys.executable, "main.py", "agenda", "--today", "2026-11-24",
                             "--data-dir", str(demo_data_dir)], cwd=ROOT, capture_output=True,
                            env=dict(os.environ, PYTHONIOENCODING="cp1252"))
    assert result.returncode == 0, result.stderr.decode("cp1252", "replace")
    assert b"Garage Doors" in result.stdout and b"Traceback" not in result.stderr


@pytest.mark.parametrize("platform,executable,expected", [
    ("win32", r"C:\Program Files\CallAhead\CallAhead.exe", r'"C:\Program Files\CallAhead\callahead-cli.exe"'),
    ("win32", r"D:\Apps\CallAhead\CallAhead.exe", r"D:\Apps\CallAhead\callahead-cli.exe"),
    ("darwin", "/Applications/CallAhead.app/Contents/MacOS/CallAhead",
     "/Applications/CallAhead.app/Contents/MacOS/callahead-cli"),
    ("darwin", "/Users/ann/My Apps/CallAhead.app/Contents/MacOS/CallAhead",
     "'/Users/ann/My Apps/CallAhead.app/Contents/MacOS/callahead-cli'"),
    ("linux", "/opt/CallAhead/CallAhead", "/opt/CallAhead/callahead-cli"),
])
def test_the_bundle_names_the_command_that_exists_on_its_platform(platform, executable, expected):
    assert console_command(platform, frozen=True, executable=executable) == expected


@pytest.mark.parametrize("platform", ["win32", "darwin", "linux"])
def test_the_companion_s_name_differs_from_the_app_s_by_more_than_letter_case(platform):
    # A Mac's disk (APFS, HFS+) and Windows' NTFS ignore case: CallAhead and callahead are one file.
    app_file = f"{APP_NAME}.exe" if platform == "win32" else APP_NAME
    assert companion_file_name(platform).casefold() != app_file.casefold()
    folder, path_type = (r"C:\CallAhead", PureWindowsPath) if platform == "win32" else ("/b", PurePosixPath)
    command = console_command(platform, frozen=True, executable=str(path_type(folder, app_file)))
    assert path_type(command).name.casefold() not in {APP_NAME.casefold(), app_file.casefold()}


def test_from_source_the_command_is_python_main_py():
    assert console_command("win32", frozen=False, executable=r"C:\Python311\python.exe") == "python main.py"


def test_the_damage_message_and_the_usage_line_name_the_windows_console_companion(monkeypatch, capsys):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(sys, "executable", r"C:\Program Files\CallAhead\CallAhead.exe")
    message = str(DatabaseDamaged(Path("callahead.sqlite3"), ("page 3 is broken",)))
    assert r'`"C:\Program Files\CallAhead\callahead-cli.exe" restore --list`' in message
    assert "`callahead restore" not in message
    main.build_parser().print_usage()
    assert capsys.readouterr().out.startswith(r'usage: "C:\Program Files\CallAhead\callahead-cli.exe"')
