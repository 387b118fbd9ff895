"""Another CallAhead holding the database: waits long enough for real work, and when a wait still
runs out the owner is told what CallAhead is busy with — never a traceback, nothing half-written.

The other process is real (tests/lock_holder.py): it holds SQLite's write lock on the same
file, inside an unfinished transaction, until the test lets it go.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from lock_holder import HELD_CUSTOMER, LockHolder
from sqlalchemy import text

import core.storage.database
import main
from core.context import AppContext
from core.errors import DatabaseBusy
from core.storage.paths import database_path

pytestmark = pytest.mark.sqlite_only  # SQLite's write lock and busy timeout

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def import_holding_the_lock(demo_data_dir):
    holder = LockHolder(database_path(demo_data_dir), "an import from the command line")
    yield holder
    holder.release(commit=False)


def _rows(data_dir, sql, *parameters):
    connection = sqlite3.connect(database_path(data_dir))
    try:
        return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()


def _a_pending_call(data_dir) -> int:
    return _rows(data_dir, "SELECT id FROM call_tasks WHERE status = 'pending' AND kind = 'call' "
                           "ORDER BY id LIMIT 1")[0][0]


def test_a_command_kept_waiting_too_long_says_what_it_waited_for_and_writes_nothing(
        demo_data_dir, import_holding_the_lock, monkeypatch, capsys):
    monkeypatch.setattr(core.storage.database, "BUSY_TIMEOUT_MS", 200)  # the real wait is 30 s; the outcome is the same
    task_id = _a_pending_call(demo_data_dir)
    code = main.main(["log", str(task_id), "--outcome", "reached", "--data-dir", str(demo_data_dir)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert ("CallAhead is busy with an import from the command line — try again in a moment. Nothing was changed."
            in captured.err)
    assert "Traceback" not in captured.err and "OperationalError" not in captured.err

    import_holding_the_lock.release(commit=True)
    assert _rows(demo_data_dir, "SELECT status FROM call_tasks WHERE id = ?", task_id) == [("pending",)]
    assert _rows(demo_data_dir, "SELECT count(*) FROM call_logs WHERE task_id = ?", task_id) == [(0,)]
    assert _rows(demo_data_dir, "SELECT count(*) FROM customers WHERE name = ?", HELD_CUSTOMER) == [(1,)]
    assert main.main(["log", str(task_id), "--outcome", "reached", "--data-dir", str(demo_data_dir)]) == 0


def test_a_command_waits_for_the_other_process_to_finish_and_then_does_its_work(demo_data_dir):
    holder = LockHolder(database_path(demo_data_dir), "an import from the command line")
    task_id = _a_pending_call(demo_data_dir)
    command = subprocess.Popen([sys.executable, "main.py", "log", str(task_id), "--outcome", "reached",
                                "--data-dir", str(demo_data_dir)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    holder.release(commit=True)  # whenever the command got to its write, it waits for this
    out, err = command.communicate(timeout=120)
    assert command.returncode == 0, err
    # "Reached." — or, since the stored plan merges one customer's reasons into one call,
    # "Reached; it covered 3 reasons."
    assert err.startswith("Reached"), err
    assert _rows(demo_data_dir, "SELECT status FROM call_tasks WHERE id = ?", task_id) == [("done",)]
    assert _rows(demo_data_dir, "SELECT count(*) FROM customers WHERE name = ?", HELD_CUSTOMER) == [(1,)]


@pytest.mark.parametrize("command,waited_ms", [("agenda", 30_000), (None, 3_000)])
def test_the_command_line_waits_thirty_seconds_and_the_window_three(demo_data_dir, command, waited_ms, monkeypatch,
                                                                    capsys):
    built = []
    monkeypatch.setattr(AppContext, "close", lambda self: built.append(self))  # keep it to look at
    if command:
        assert main.main([command, "--json", "--data-dir", str(demo_data_dir)]) == 0
    else:
        monkeypatch.setattr("gui.app.run_gui", lambda context, **options: 0)
        main.main(["--data-dir", str(demo_data_dir)])
    [context] = built
    with context.database().transaction() as session:
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == waited_ms
    context.database().dispose()


def test_a_read_kept_waiting_is_the_same_clear_answer(demo_data_dir, monkeypatch):
    monkeypatch.setattr(core.storage.database, "BUSY_TIMEOUT_MS", 100)
    context = AppContext.build(data_dir=str(demo_data_dir))
    database = context.database()
    database.activity = "a test holding its own lock"
    blocker = sqlite3.connect(database_path(demo_data_dir), timeout=0)
    try:
        blocker.execute("BEGIN EXCLUSIVE")  # a stronger lock than CallAhead ever takes; readers must wait
        with pytest.raises(DatabaseBusy, match="busy with another window or command"):
            with database.transaction():
                pass
    finally:
        blocker.rollback()
        blocker.close()
        context.close()
