"""What one key press costs: logging a call writes in one session, every panel then reads in one
shared session, and each panel draws once (issue 14: one batched change set, after the action).
The figures are printed."""

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import event
from sqlalchemy.orm import Session


def _count_calls(monkeypatch, counts, owner, name, label):
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        counts[label] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)


def test_one_key_press_logs_with_one_render_per_panel(qtbot, window, monkeypatch, capsys):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    counts: Counter = Counter()
    engine = window.services.queries.database.engine

    def statement(*_args):
        counts["SQL statements"] += 1

    def session_begun(*_args):
        counts["sessions"] += 1

    _count_calls(monkeypatch, counts, window.script, "_render", "script renders")
    _count_calls(monkeypatch, counts, window.detail, "_fill", "detail fills")
    _count_calls(monkeypatch, counts, window.day_list.model, "set_calls", "day list fills")
    _count_calls(monkeypatch, counts, window.calendar, "set_loads", "calendar fills")
    _count_calls(monkeypatch, counts, window.customers.model, "reload", "customer list reloads")
    first = window.day_list.selected_call()
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(Session, "after_begin", session_begun)
    try:
        QTest.keyClick(window.day_list.table, Qt.Key.Key_1)
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(Session, "after_begin", session_begun)
    assert window.day_list.selected_call().task_id != first.task_id
    with capsys.disabled():
        print("\none key press (log a call, next call in front): "
              + ", ".join(f"{what} {count}" for what, count in sorted(counts.items())))
    assert counts["script renders"] == 1 and counts["detail fills"] == 1
    assert counts["day list fills"] == 1 and counts["calendar fills"] == 1
    assert counts["customer list reloads"] <= 1
    # One write session (the log) and one read session (every panel's refresh, one snapshot).
    assert counts["sessions"] == 2


def test_a_click_on_another_call_draws_the_script_and_detail_once(qtbot, window, monkeypatch):
    counts: Counter = Counter()
    _count_calls(monkeypatch, counts, window.script, "_render", "script renders")
    _count_calls(monkeypatch, counts, window.detail, "_fill", "detail fills")
    table = window.day_list.table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(window.day_list.model.index(2, 2)).center())
    assert window.day_list.selected_call().task_id == window.day_list.model.call(2).task_id
    assert counts["script renders"] == 1 and counts["detail fills"] == 1
