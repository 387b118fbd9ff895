"""The change feed: an open window hears what the command line (another process) writes, and
shows it as it shows its own actions — the day's list, the progress, the calendar — within one
poll; its undo of a call the command line then logged again is refused with core's message."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from core.storage.change_listener import ChangeListener
from gui import change_feed
from gui.change_feed import POLL_MS
from gui.models.day_list_model import DayColumn
from tests.core.fake_listening_server import FakeServer

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 24)


def _command_line(data_dir, *arguments):
    finished = subprocess.run(
        [sys.executable, "main.py", *arguments, "--data-dir", str(data_dir), "--today", TODAY.isoformat()],
        cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert finished.returncode == 0, finished.stderr
    return finished


def _row_of(window, task_id):
    return window.day_list.model.row_of_task(task_id)


def _struck_through(window, task_id):
    row = _row_of(window, task_id)
    if row is None:
        return False
    font = window.day_list.model.index(row, DayColumn.CUSTOMER).data(Qt.ItemDataRole.FontRole)
    return font is not None and font.strikeOut()


def test_a_call_logged_on_the_command_line_shows_in_the_open_window_at_the_next_poll(
        qtbot, window, demo_data_dir, monkeypatch):
    assert POLL_MS <= 2_000, "the owner sees another desk's call within two seconds"
    window.day_list.caller_picker.setCurrentIndex(window.day_list.caller_picker.findText("Maria Lopez"))
    call = window.day_list.selected_call()
    assert window.day_list.progress_text() == "0 of 10" and not _struck_through(window, call.task_id)
    calendar_fills = []
    original_set_loads = window.calendar.set_loads
    monkeypatch.setattr(window.calendar, "set_loads",
                        lambda loads: (calendar_fills.append(loads), original_set_loads(loads)))
    feed = window.change_feed
    polls_before = feed.polls

    _command_line(demo_data_dir, "log", str(call.task_id), "--outcome", "reached")

    qtbot.waitUntil(lambda: _struck_through(window, call.task_id))
    assert feed.polls == polls_before + 1, "shown at the first poll after the command ended"
    assert window.day_list.progress_text() == "1 of 10"
    assert window.day_list.model.call(_row_of(window, call.task_id)).outcome.value == "reached"
    assert len(calendar_fills) == 1, "the calendar read its loads again, once"
    assert "Done:" not in window.statusBar().currentMessage()


def test_after_the_command_line_logged_the_same_call_the_window_hears_it_and_its_undo_refuses(
        qtbot, window, demo_data_dir, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: warnings.append(text))
    window.day_list.caller_picker.setCurrentIndex(window.day_list.caller_picker.findText("Dave Chen"))
    call = window.day_list.selected_call()
    window.day_list.table.setFocus()
    QTest.keyClick(window.day_list.table, Qt.Key.Key_2)  # voicemail: the call moves to a later day
    qtbot.waitUntil(lambda: window.undo_action.isEnabled())
    polls_before = window.change_feed.polls

    with qtbot.waitSignal(window.services.changed, check_params_cb=lambda changes: changes.tasks):
        _command_line(demo_data_dir, "log", str(call.task_id), "--outcome", "reached")
    assert window.change_feed.polls == polls_before + 1
    assert window.undo_action.isEnabled(), "the window's own step is still offered: core decides"
    QTest.keySequence(window, "Ctrl+Z")
    qtbot.waitUntil(lambda: bool(warnings))
    assert warnings == [f"Cannot undo the call log for {call.customer}: the call was logged again after it, in another "
                        "window or on the command line. Nothing was changed."]
    assert not window.undo_action.isEnabled()


def test_the_windows_own_actions_are_not_announced_twice(qtbot, window, monkeypatch):
    announced = []
    window.services.changed.connect(announced.append)
    window.day_list.table.setFocus()
    QTest.keyClick(window.day_list.table, Qt.Key.Key_1)
    assert len(announced) == 1
    window.change_feed.poll()
    assert len(announced) == 1, "the log's entry is the window's own: nothing more to show"


@pytest.fixture
def _fallback_poll_once_an_hour(monkeypatch):
    """Before the window: its feed's fallback poll never comes during the test, only notifications."""
    monkeypatch.setattr(change_feed, "SERVER_POLL_MS", 3_600_000)


@pytest.mark.server_only
def test_on_a_server_another_desks_call_shows_at_once_without_waiting_for_a_poll(
        qtbot, _fallback_poll_once_an_hour, window, demo_data_dir):
    feed = window.change_feed
    assert feed.listening
    window.day_list.caller_picker.setCurrentIndex(window.day_list.caller_picker.findText("Maria Lopez"))
    call = window.day_list.selected_call()
    polls_before = feed.polls

    _command_line(demo_data_dir, "log", str(call.task_id), "--outcome", "reached")

    qtbot.waitUntil(lambda: _struck_through(window, call.task_id), timeout=60_000)
    assert feed.notified >= 1 and feed.polls - polls_before == feed.notified, "every ask was a notification's"
    assert window.day_list.progress_text() == "1 of 10"


def test_a_feed_that_lost_its_server_connection_listens_again_at_its_next_poll(qtbot, services, monkeypatch):
    """Against a stand-in server (the real one: tests/core/test_server_change_listener.py)."""
    server = FakeServer()
    monkeypatch.setattr(change_feed, "listen_for_changes",
                        lambda database: ChangeListener(server.connect, own_writer="this-window"))
    feed = change_feed.ChangeFeed(services)
    feed.start()
    try:
        server.current.notify("another-desk")
        qtbot.waitUntil(lambda: feed.notified == 1)

        server.up = False
        server.current.cut_off()
        qtbot.waitUntil(lambda: not feed.listening)
        feed.poll()  # the poll's next tick: the server is still down
        assert not feed.listening and feed.reconnections == 0
        server.up = True
        qtbot.waitUntil(lambda: feed.listening, timeout=60_000)  # the poll's ticks, past the first back-off

        assert feed.reconnections == 1
        server.current.notify("another-desk")
        qtbot.waitUntil(lambda: feed.notified == 2)
    finally:
        feed.stop()
        server.close_all()
