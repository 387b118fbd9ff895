"""Undo refuses, saying why and changing nothing, when what it would undo was changed after it
was done — by a real second process (the command line) on the same database file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.context import AppContext
from core.storage.enums import Outcome
from core.errors import UndoOutdated
from core.storage.paths import database_path
from core.services import Services

pytestmark = pytest.mark.sqlite_only  # the checks read the SQLite file directly

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-24"


def command_line(data_dir: Path, *arguments: str) -> subprocess.CompletedProcess:
    """The owner's command line, in its own process, on the same data folder."""
    result = subprocess.run([sys.executable, "main.py", *arguments, "--data-dir", str(data_dir), "--today", TODAY],
                            cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 0, result.stderr
    return result


def rows(data_dir: Path, sql: str, *parameters) -> list[tuple]:
    connection = sqlite3.connect(database_path(data_dir))
    try:
        return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()


@pytest.fixture
def services(demo_data_dir, clock):
    context = AppContext.build(data_dir=str(demo_data_dir))
    yield Services(context.database(), clock)
    context.close()


def _todays_first_call(services: Services):
    return services.agenda(services.today()).pending(None)[0]


def test_undo_refuses_after_the_command_line_logged_the_same_call(services, demo_data_dir):
    call = _todays_first_call(services)
    services.log_call(call.task_id, Outcome.VOICEMAIL)
    command_line(demo_data_dir, "log", str(call.task_id), "--outcome", "reached")

    with pytest.raises(UndoOutdated) as refused:
        services.undo()
    assert str(refused.value) == (f"Cannot undo the call log for {call.customer}: the call was logged again after it, "
                                  "in another window or on the command line. Nothing was changed.")
    assert rows(demo_data_dir, "SELECT status FROM call_tasks WHERE id = ?", call.task_id) == [("done",)]
    assert rows(demo_data_dir, "SELECT outcome FROM call_logs WHERE task_id = ? ORDER BY id", call.task_id) == [
        ("voicemail",), ("reached",)], "both logs kept, neither orphaned"
    assert services.undo_description() is None, "the refused step is not offered again"


def test_undo_refuses_when_the_customer_was_flagged_elsewhere_since(services, demo_data_dir):
    call = _todays_first_call(services)
    services.log_call(call.task_id, Outcome.VOICEMAIL)
    [(other_task,)] = rows(demo_data_dir, "SELECT id FROM call_tasks WHERE customer_id = ? AND status = 'pending' "
                                          "AND id != ? ORDER BY id LIMIT 1", call.customer_id, call.task_id)
    command_line(demo_data_dir, "log", str(other_task), "--outcome", "wrong_number")  # another of their calls
    with pytest.raises(UndoOutdated, match="the call or the customer was changed after it"):
        services.undo()
    assert rows(demo_data_dir, "SELECT needs_data_fix FROM customers WHERE id = ?", call.customer_id) == [(1,)]
    assert rows(demo_data_dir, "SELECT count(*) FROM call_logs WHERE task_id = ?", call.task_id) == [(1,)]


def test_undo_still_works_when_only_other_customers_changed(services, demo_data_dir):
    first, second = services.agenda(services.today()).pending(None)[:2]
    assert first.customer_id != second.customer_id
    services.log_call(first.task_id, Outcome.VOICEMAIL)
    command_line(demo_data_dir, "log", str(second.task_id), "--outcome", "reached")
    services.undo()
    assert rows(demo_data_dir, "SELECT status, attempts FROM call_tasks WHERE id = ?", first.task_id) == [
        ("pending", 0)]
    assert rows(demo_data_dir, "SELECT count(*) FROM call_logs WHERE task_id = ?", first.task_id) == [(0,)]
    assert rows(demo_data_dir, "SELECT status FROM call_tasks WHERE id = ?", second.task_id) == [("done",)]
