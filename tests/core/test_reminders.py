"""Reminders from the database with a fixed clock: start of day, timed callbacks, shown once."""

import datetime as dt
import shutil

import pytest
from sqlalchemy import select

from core.clock import FixedClock
from core.storage.database import open_database
from core.storage.enums import Reason
from core.machine.settings import MachineConfig
from core.storage.models import CallTask, Customer, ReminderShown, StaffMember
from core.storage.paths import database_path, sqlite_url
from core.scheduling.reminders import EVERY_DESK, due_reminders, mark_shown, next_reminder_time
from core.scheduling import replan
from core.services import Services
from core.settings import save_settings
from tools.freeze_schema_fixture import fixture_path

TUESDAY = dt.date(2026, 11, 24)
DESK = "a1" * 16


@pytest.fixture
def shop(db):
    with db.transaction() as session:
        save_settings(session, holiday_country="US", day_starts_at="08:30")
        session.add(StaffMember(name="Maria", daily_quota=10))
        ann = Customer(name="Ann Smith", phone="+15035550100")
        bob = Customer(name="Bob Jones", phone="+15035550101")
        session.add_all([ann, bob])
        session.flush()
        session.add(CallTask(customer_id=ann.id, reason=Reason.CALLBACK, due_on=TUESDAY, due_time=dt.time(14, 30),
                             why="Asked to be called back"))
        session.add(CallTask(customer_id=bob.id, reason=Reason.NEGLECTED, due_on=TUESDAY, why="Quiet"))
        session.flush()
        replan(session, TUESDAY)
    return db


def due(db, now):
    with db.session() as session:
        return due_reminders(session, now, desk=DESK)


def show(db, reminders, now):
    with db.transaction() as session:
        mark_shown(session, reminders, now, desk=DESK)


def test_nothing_before_the_business_day_starts(shop):
    assert due(shop, dt.datetime(2026, 11, 24, 8, 0)) == []


def test_the_start_of_day_reminder_counts_the_days_calls(shop):
    (reminder,) = due(shop, dt.datetime(2026, 11, 24, 8, 31))
    assert reminder.kind == "start_of_day"
    assert reminder.message == "2 calls today — 1 timed callback"


def test_a_timed_callback_is_announced_at_its_time(shop):
    show(shop, due(shop, dt.datetime(2026, 11, 24, 8, 31)), dt.datetime(2026, 11, 24, 8, 31))
    assert due(shop, dt.datetime(2026, 11, 24, 14, 29)) == []
    (reminder,) = due(shop, dt.datetime(2026, 11, 24, 14, 30))
    assert reminder.message == "Call back Ann Smith at 14:30" and reminder.task_id is not None


def test_reminders_missed_during_sleep_are_shown_once_never_repeated(shop):
    woke = dt.datetime(2026, 11, 24, 16, 0)
    missed = due(shop, woke)
    assert [r.kind for r in missed] == ["start_of_day", "callback"] and all(r.missed for r in missed)
    show(shop, missed, woke)
    assert due(shop, woke) == []
    assert due(shop, dt.datetime(2026, 11, 24, 17, 0)) == [], "a restart later the same day repeats nothing"


def test_nothing_on_a_closed_day(shop):
    assert due(shop, dt.datetime(2026, 11, 26, 10, 0)) == []  # Thanksgiving
    assert due(shop, dt.datetime(2026, 11, 28, 10, 0)) == []  # Saturday


def test_a_callback_missed_yesterday_is_shown_the_next_morning(shop):
    show(shop, due(shop, dt.datetime(2026, 11, 24, 8, 31)), dt.datetime(2026, 11, 24, 8, 31))
    reminders = due(shop, dt.datetime(2026, 11, 25, 9, 0))
    callback = next(r for r in reminders if r.kind == "callback")
    assert "missed a callback with Ann Smith on Tue 24 Nov at 14:30" in callback.message


def test_the_app_knows_when_to_wake_next(shop):
    with shop.session() as session:
        assert next_reminder_time(session, dt.datetime(2026, 11, 24, 9, 0)) == dt.datetime(2026, 11, 24, 14, 30)
        assert next_reminder_time(session, dt.datetime(2026, 11, 24, 15, 0)) == dt.datetime(2026, 11, 25, 8, 30)
        # Wednesday evening: Thanksgiving and the weekend are skipped... Friday is open.
        assert next_reminder_time(session, dt.datetime(2026, 11, 25, 18, 0)) == dt.datetime(2026, 11, 27, 8, 30)


def test_demo_morning_mentions_heads_up_calls_before_the_change(demo_db):
    with demo_db.session() as session:
        reminders = due_reminders(session, dt.datetime(2026, 11, 27, 9, 0), desk=DESK)
    start = next(r for r in reminders if r.kind == "start_of_day")
    assert "heads-up calls before the price increase on springs" in start.message


def test_a_reminder_shown_on_one_desk_is_still_shown_on_another(shop, tmp_path):
    front, back = (Services(shop, FixedClock(dt.datetime(2026, 11, 24, 16, 0)), machine=MachineConfig(tmp_path / name))
                   for name in ("front desk", "back office"))
    assert front.machine.desk_id() != back.machine.desk_id()
    missed = front.due_reminders()
    assert [r.kind for r in missed] == ["start_of_day", "callback"]
    front.mark_reminders_shown(missed)

    assert front.due_reminders() == [], "shown once on the desk that showed it"
    assert back.due_reminders() == missed, "the other desk still shows both"
    back.mark_reminders_shown(back.due_reminders())
    assert back.due_reminders() == [] and front.due_reminders() == []


def test_a_reminder_shown_before_desks_were_told_apart_is_shown_on_no_desk_again(shop):
    (start,) = due(shop, dt.datetime(2026, 11, 24, 8, 31))
    with shop.transaction() as session:
        session.add(ReminderShown(key=start.key, desk=EVERY_DESK, shown_at=dt.datetime(2026, 11, 24, 8, 31)))
    assert due(shop, dt.datetime(2026, 11, 24, 8, 32)) == []
    with shop.session() as session:
        assert due_reminders(session, dt.datetime(2026, 11, 24, 8, 32), desk="b2" * 16) == []


def test_reminders_shown_before_the_upgrade_stay_shown_on_every_desk(data_dir):
    path = database_path(data_dir)
    shutil.copy(fixture_path("0007"), path)  # the last schema before desks were told apart
    upgraded = open_database(sqlite_url(path), now=dt.datetime(2026, 11, 24, 9, 0))
    try:
        with upgraded.session() as session:
            rows = session.execute(select(ReminderShown.key, ReminderShown.desk)).all()
    finally:
        upgraded.dispose()
    assert rows == [("start-of-day:2026-06-01", EVERY_DESK)]


@pytest.mark.sqlite_only  # reads SQLite's own query plan
def test_the_reminders_find_callbacks_through_the_timed_tasks_index_not_every_pending_task(shop):
    # At a big shop the pending tasks of the coming days are tens of thousands and the callbacks
    # a handful; the reminders ask at every start and every minute.
    from sqlalchemy import event

    statements = []
    record = lambda conn, cursor, statement, parameters, context, many: statements.append((statement, parameters))
    event.listen(shop.engine, "before_cursor_execute", record)
    try:
        with shop.session() as session:
            next_reminder_time(session, dt.datetime(2026, 11, 24, 9, 0))
            due_reminders(session, dt.datetime(2026, 11, 24, 15, 0), desk=DESK)
            driver = session.connection().connection.driver_connection
            timed = [(statement, parameters) for statement, parameters in statements
                     if "call_tasks.due_time IS NOT NULL" in statement]
            assert len(timed) == 2, "both questions about callbacks were asked"
            for statement, parameters in timed:
                plan = " ".join(row[-1] for row in driver.execute(f"EXPLAIN QUERY PLAN {statement}", parameters))
                assert "ix_call_tasks_timed" in plan, plan
    finally:
        event.remove(shop.engine, "before_cursor_execute", record)
