"""The window's start reads what its first screen shows once: the month, the day's list and the
customer in front are not read again for the calendar's own signals, the detail's quotes come with
the detail, and the whole first screen costs a known number of SQL statements (each new statement
is compiled by SQLAlchemy in every fresh process: about a millisecond each at start).

Through the real start (build_main_window, the window shown), on the demo business."""

from collections import Counter

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

import core.services
from core.services import Services
from gui.app import Desk, build_main_window

READS = ("calendar_load", "agenda", "customer_detail", "render_script")
# What the start runs on the demo business (SQLite): the statements, and how many different ones.
# Lower them when a change makes the start cheaper; a change that raises them pays at every start.
STATEMENTS_AT_START = 52
DIFFERENT_STATEMENTS_AT_START = 41


def _start_window(qtbot, context, ui_settings):
    window = build_main_window(context, ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _assert_first_screen_filled(window, context):
    assert window.day_list.model.rowCount() > 0, "today's calls are shown"
    assert window.calendar.calendar.load(context.clock.today()) is not None, "the month is shown"
    assert window.detail.customer_id is not None, "the call in front's customer is shown"
    assert window.script.call_task_id() == window.day_list.selected_call().task_id, "its script is shown"
    assert window.customers.model.rowCount() > 0, "the customer list's first page is shown"


def test_the_month_and_the_call_in_front_are_read_once(qtbot, demo_context, ui_settings, monkeypatch):
    reads = Counter()
    for name in (*READS, "quotes"):
        real = getattr(Services, name)
        monkeypatch.setattr(Services, name, lambda self, *args, _real=real, _name=name, **kwargs: (
            reads.update([_name]), _real(self, *args, **kwargs))[1])
    real_list_staff = core.services.list_staff
    monkeypatch.setattr(core.services, "list_staff", lambda session: (
        reads.update(["list_staff"]), real_list_staff(session))[1])
    window = _start_window(qtbot, demo_context, ui_settings)
    _assert_first_screen_filled(window, demo_context)
    assert {name: reads[name] for name in READS} == dict.fromkeys(READS, 1)
    assert reads["quotes"] == 0, "the detail's open quotes come with the detail, not read again"
    assert reads["list_staff"] == 1, "the caller picker and the script's 'Calling as' share one read"


@pytest.mark.sqlite_only  # a server's sessions begin without SQLite's PRAGMA and BEGIN
def test_the_first_screen_costs_a_known_number_of_statements(qtbot, demo_context, ui_settings):
    database = demo_context.database()
    Services(database, demo_context.clock).prepare()  # the day opened already: its morning pass is not counted
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        window = _start_window(qtbot, demo_context, ui_settings)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    _assert_first_screen_filled(window, demo_context)
    said = f"{len(statements)} statements ({len(set(statements))} different) build the first screen:\n" + "\n".join(
        f"{n}× {text[:100]}" for text, n in Counter(statements).most_common())
    assert len(statements) <= STATEMENTS_AT_START, said
    assert len(set(statements)) <= DIFFERENT_STATEMENTS_AT_START, said


class CountingDesk(Desk):
    """The desk, counting the events its application-wide filter sees."""

    filtered = 0

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        self.filtered += 1
        return super().eventFilter(watched, event)


def test_building_the_window_sends_no_event_through_the_desk_s_python_filter(qtbot, demo_context):
    """An application-wide filter sees every event of building the window (thousands, each a call
    into Python); the desk's watches for the system's quit, which comes through the event loop: it
    is in place once the loop has turned, not while the window is built."""
    desk = CountingDesk(demo_context, QApplication.instance())
    qtbot.addWidget(desk.window)
    desk.window.destroyed.connect(desk.deleteLater)
    while_building = desk.filtered
    desk.window.show()
    qtbot.waitExposed(desk.window)
    qtbot.waitUntil(lambda: desk.filtered > while_building)  # the loop has turned: the filter sees events
    assert while_building == 0, f"building the window sent {while_building} events through the desk's filter"


def test_every_row_of_the_day_shows_its_two_lines(qtbot, demo_context, ui_settings):
    """The day's rows are as tall as the first, measured once (not every cell at every layout):
    each still fits what it holds, the customer with the why beneath."""
    window = _start_window(qtbot, demo_context, ui_settings)
    table = window.day_list.table
    rows = window.day_list.model.rowCount()
    assert rows > 1
    assert all(table.rowHeight(row) >= table.sizeHintForRow(row) for row in range(rows))
    window.day_list.set_caller(window.day_list.caller_picker.itemData(1))  # another list, read afresh
    assert all(table.rowHeight(row) >= table.sizeHintForRow(row) for row in range(window.day_list.model.rowCount()))
