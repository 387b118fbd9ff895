"""A new day's first start: the window shows at once on the stored plan while the day's backup and
the morning pass run on workers; today's list takes no log until the pass has made it; failures
are shown; a quit meanwhile waits for the pass, which is saved whole.

The morning pass is held midway through Desk's public `morning_pass` seam: the real action's
body, behind a gate the test opens."""

import datetime as dt
import sqlite3
import threading

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from core.actions import OwnerAction
from core.actions import calls as call_actions
from core.actions import day as day_actions
from core.clock import FixedClock
from core.storage.backup_files import backups_folder
from core.errors import CallAheadError
from core.storage.enums import Outcome, Reason
from core.storage.models import CallTask
from core.storage.paths import database_path
from gui.app import Desk

NEXT_MORNING = dt.datetime(2026, 11, 25, 9, 0)  # the day after the demo's: its first start


class HeldMorningPass:
    """The real morning pass, held at a gate: before its work (`at_start`) or after it, with its
    transaction still open (`at_end`). `fail_once`: the first run raises instead."""

    def __init__(self, at_end: bool = False, fail_once: bool = False):
        self.reached = threading.Event()
        self.gate = threading.Event()
        self.at_end = at_end
        self.fail_once = fail_once
        self.action = OwnerAction(self._body, "open the day")

    def _body(self, unit):
        if self.fail_once:
            self.fail_once = False
            raise RuntimeError("the planner tripped over a customer")
        result = day_actions.open_the_day.body(unit) if self.at_end else None
        self.reached.set()
        assert self.gate.wait(60), "the test never opened the gate"
        return result if result is not None else day_actions.open_the_day.body(unit)


@pytest.fixture
def held_pass():
    """A HeldMorningPass maker; every gate opens when the test ends, so no worker is left waiting."""
    made = []
    yield lambda **options: made.append(HeldMorningPass(**options)) or made[-1]
    for held in made:
        held.gate.set()


@pytest.fixture
def next_morning(demo_context):
    demo_context.clock = FixedClock(NEXT_MORNING)
    return demo_context


@pytest.fixture
def warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text, *rest: shown.append(text))
    return shown


def _desk(qtbot, context, held: HeldMorningPass | None = None) -> Desk:
    desk = Desk(context, QApplication.instance(), **({"morning_pass": held.action} if held else {}))
    qtbot.addWidget(desk.window)
    desk.window.destroyed.connect(desk.deleteLater)  # a Desk lives as long as the app
    return desk


def _callback_not_yet_planned(context) -> int:
    """A callback booked for this morning that only the morning pass puts on today's list."""
    with context.database().transaction() as session:
        task = CallTask(customer_id=5, reason=Reason.CALLBACK, due_on=NEXT_MORNING.date(),
                        due_time=dt.time(10, 30), why="Asked to be called back", staff_id=1)
        session.add(task)
        session.flush()
        return task.id


def _logged_calls(window) -> int:
    return sum(member.done for member in window.services.queries.agenda(NEXT_MORNING.date()).staff)


def test_the_first_start_of_a_day_shows_the_window_at_once_and_logs_nothing_until_today_is_planned(
        qtbot, next_morning, warnings, held_pass):
    callback = _callback_not_yet_planned(next_morning)
    held = held_pass()
    desk = _desk(qtbot, next_morning, held)
    desk.start()
    window, day_list = desk.window, desk.window.day_list
    qtbot.waitExposed(window)
    qtbot.waitUntil(held.reached.is_set)

    # The window is up on the stored plan while the pass runs, and says so.
    assert day_list.model.rowCount() > 0, "today's stored list is shown"
    assert day_list.model.row_of_task(callback) is None
    assert day_list.plan_banner.isVisible() and day_list.plan_banner.text() == "Planning today's calls…"
    assert not any(button.isEnabled() for button in day_list.outcome_buttons.values())
    assert "still being planned" in day_list.outcome_buttons[next(iter(day_list.outcome_buttons))].toolTip()
    assert not window.print_action.isEnabled()
    day_list.focus_calls()
    QTest.keyClick(day_list.table, Qt.Key.Key_1)
    QTest.keyClick(day_list.table, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert _logged_calls(window) == 0 and not window.undo_action.isEnabled(), "no log against a list being replaced"
    with pytest.raises(CallAheadError, match="still being planned"):  # a call for no reason fixes today's lists too
        window.services.run(call_actions.log_unplanned_call, 5, Outcome.REACHED)

    with qtbot.waitSignal(window.services.changed):
        held.gate.set()

    qtbot.waitUntil(lambda: not day_list.plan_banner.isVisible())
    assert day_list.model.row_of_task(callback) is not None, "the list is read again once today is planned"
    assert window.statusBar().currentMessage() == "Today's calls are planned."
    assert window.print_action.isEnabled()
    day_list.focus_calls()
    QTest.keyClick(day_list.table, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: _logged_calls(window) == 1)
    assert warnings == []


def test_other_changes_wait_for_the_morning_pass_and_say_so_instead_of_freezing_the_window(
        qtbot, next_morning, warnings, held_pass):
    # Saving a script while the pass holds the write lock would freeze the window for its busy
    # timeout and then be told "busy"; it is refused at once, with why, and works once planned.
    from core.actions import settings as setting_actions

    held = held_pass()
    desk = _desk(qtbot, next_morning, held)
    desk.start()
    qtbot.waitUntil(held.reached.is_set)
    services = desk.window.services
    with pytest.raises(CallAheadError, match="being planned .* try again in a moment"):
        services.run(setting_actions.save_script, Reason.NEGLECTED, "Checking in", "Hi {first_name}, how are you?")
    assert services.queries.script(Reason.NEGLECTED).title != "Checking in", "nothing was changed"

    with qtbot.waitSignal(services.changed):
        held.gate.set()
    qtbot.waitUntil(lambda: not desk.opening.is_running())
    services.run(setting_actions.save_script, Reason.NEGLECTED, "Checking in", "Hi {first_name}, how are you?")
    assert services.queries.script(Reason.NEGLECTED).title == "Checking in"


def test_a_later_start_the_same_day_opens_ready_to_log(qtbot, next_morning, held_pass):
    first = _desk(qtbot, next_morning)
    first.start()
    qtbot.waitUntil(lambda: not first.opening.is_running())
    first.window.close()

    held = held_pass()
    later = _desk(qtbot, next_morning, held)
    later.start()
    qtbot.waitUntil(held.reached.is_set)
    try:
        assert not later.window.day_list.plan_banner.isVisible(), "today's lists are fixed already: they stay"
        assert later.window.day_list.outcome_buttons[next(iter(later.window.day_list.outcome_buttons))].isEnabled()
    finally:
        held.gate.set()
    qtbot.waitUntil(lambda: not later.opening.is_running())


def test_a_failing_morning_pass_is_shown_and_can_be_tried_again(qtbot, next_morning, warnings, held_pass):
    held = held_pass(fail_once=True)
    held.gate.set()
    desk = _desk(qtbot, next_morning, held)
    desk.start()
    day_list = desk.window.day_list
    qtbot.waitUntil(lambda: bool(warnings))

    expected = "Today's plan could not be made: RuntimeError: the planner tripped over a customer"
    assert warnings == [expected]
    assert desk.window.statusBar().currentMessage() == expected
    assert day_list.plan_banner.isVisible() and day_list.plan_banner.text() == expected
    assert not any(button.isEnabled() for button in day_list.outcome_buttons.values()), \
        "the list shown is not today's plan: nothing is logged against it"
    assert desk.opening.failures() == [expected]

    with qtbot.waitSignal(desk.opening.plan_ready):
        qtbot.mouseClick(day_list.plan_again_button, Qt.MouseButton.LeftButton)
    assert not day_list.plan_banner.isVisible()
    assert any(button.isEnabled() for button in day_list.outcome_buttons.values())
    assert desk.opening.failures() == []


def test_the_day_s_backup_is_made_at_start_and_a_failed_one_is_shown(qtbot, next_morning, warnings, tmp_path):
    desk = _desk(qtbot, next_morning)
    desk.start()
    qtbot.waitUntil(lambda: not desk.opening.is_running())
    assert list(backups_folder(next_morning.data_dir).glob("callahead-20261125-*-daily.sqlite3")), "today's backup"
    assert warnings == []
    desk.window.close()

    next_morning.clock = FixedClock(NEXT_MORNING + dt.timedelta(days=1))
    blocked = backups_folder(next_morning.data_dir)
    blocked.rename(tmp_path / "backups-moved")
    blocked.write_text("not a folder")  # nowhere to put the backup
    desk = _desk(qtbot, next_morning)
    desk.start()
    qtbot.waitUntil(lambda: not desk.opening.is_running())
    assert len(warnings) == 1 and warnings[0].startswith("Today's backup could not be made: ")
    assert desk.window.statusBar().currentMessage() == f"Today's calls are planned. {warnings[0]}", \
        "the plan's news does not hide the backup's failure"
    assert desk.opening.failures() == warnings


def test_quitting_during_the_morning_pass_waits_for_it_and_leaves_the_database_whole(
        qtbot, next_morning, monkeypatch, held_pass):
    quits = []
    monkeypatch.setattr(QApplication, "quit", lambda *args: quits.append(True))
    held = held_pass(at_end=True)  # its writes done, its transaction not yet committed
    desk = _desk(qtbot, next_morning, held)
    desk.start()
    qtbot.waitUntil(held.reached.is_set)

    QTest.keySequence(desk.window, "Ctrl+Q")
    assert quits == [], "the pass is not cut off"
    assert desk.closing_notice is not None and desk.closing_notice.isVisible()
    assert "CallAhead closes as soon as they are done" in desk.closing_notice.text()

    held.gate.set()
    qtbot.waitUntil(lambda: bool(quits))
    assert desk.closing_notice is None
    assert desk.window.services.queries.today_is_prepared(), "the whole pass was saved"
    connection = sqlite3.connect(database_path(next_morning.data_dir))
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()


def test_a_quit_asked_by_the_system_during_the_morning_pass_waits_for_it_too(
        qtbot, next_morning, monkeypatch, held_pass):
    """The last window closed, a logout, the Dock's Quit: the application's Quit event waits too."""
    quits = []
    monkeypatch.setattr(QApplication, "quit", lambda *args: quits.append(True))
    held = held_pass()
    desk = _desk(qtbot, next_morning, held)
    desk.start()
    qtbot.waitUntil(held.reached.is_set)

    assert desk.eventFilter(QApplication.instance(), QEvent(QEvent.Type.Quit)) is True, "held back"
    assert desk.closing_notice is not None and desk.closing_notice.isVisible()

    held.gate.set()
    qtbot.waitUntil(lambda: bool(quits))
    assert desk.window.services.queries.today_is_prepared()
    assert desk.eventFilter(QApplication.instance(), QEvent(QEvent.Type.Quit)) is False, "once saved, the quit goes on"
