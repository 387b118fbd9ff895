"""The change log: exactly one entry per action, written with it (none for a read, none for an
action rolled back), saying what kinds of data and which customers changed — also for writes made
past SQLAlchemy and by another process — and the caches of core.services follow its sequence."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

from core.storage import change_log
from core.storage.change_log import entries_since, latest_sequence
from core.clock import FixedClock
from core.storage.database import open_database
from core.storage.enums import Outcome
from core.errors import DatabaseUnreadable
from core.storage.models import ChangeLogEntry, Customer
from core.services import EVERYTHING_CHANGED, Services, logged_changes

from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[2]


def _entries(database):
    with database.session() as session:
        return entries_since(session, 0, limit=100_000)


def _pending(services):
    return {call.task_id for call in services.agenda(TODAY).pending()}


def _first_call(services):
    return services.agenda(TODAY).pending()[0]


def test_an_action_appends_one_entry_naming_what_and_whom_it_changed(demo_db):
    services = Services(demo_db, FixedClock.on(TODAY))
    services.prepare()
    before = _entries(demo_db)
    call = _first_call(services)
    services.log_call(call.task_id, Outcome.REACHED)
    after = _entries(demo_db)
    assert len(after) == len(before) + 1
    entry = after[-1]
    assert entry.kinds == {"customers", "tasks"} and entry.customer_ids == {call.customer_id}
    assert entry.writer == demo_db.writer.token and not entry.everything
    services.save_business_settings({"business_name": "Harbor Doors"}, services.staff())
    assert "settings" in _entries(demo_db)[-1].kinds


def test_reads_and_transactions_that_change_nothing_append_nothing(demo_db):
    services = Services(demo_db, FixedClock.on(TODAY))
    services.prepare()
    count = len(_entries(demo_db))
    services.agenda(TODAY)
    services.customer_detail(1)
    services.calendar_load(TODAY, TODAY.replace(day=30))
    with demo_db.transaction() as session:
        session.scalar(select(func.count()).select_from(Customer))
    with demo_db.transaction() as session:
        session.get(Customer, 1).notes = session.get(Customer, 1).notes  # the same value: no row changes
    assert len(_entries(demo_db)) == count


def test_writes_that_match_no_row_append_nothing_on_either_engine(demo_db):
    # SQLite counts the rows a transaction changed; a server is asked statement by statement.
    count = len(_entries(demo_db))
    with demo_db.transaction() as session:
        session.execute(update(Customer).where(Customer.id == -1).values(notes="nobody"))
        session.execute(text("DELETE FROM call_tasks WHERE id = -1"))
        change_log.note_changes(session, kinds={"scripts"})
    assert len(_entries(demo_db)) == count
    with demo_db.transaction() as session:
        session.execute(update(Customer).where(Customer.id == -1).values(notes="nobody"))
        session.execute(update(Customer).where(Customer.id == 3).values(notes="moved to Salem"))
    assert _entries(demo_db)[-1].kinds == {"customers"}


def test_a_rolled_back_action_leaves_no_entry(demo_db):
    count = len(_entries(demo_db))
    with pytest.raises(RuntimeError), demo_db.transaction() as session:
        session.add(Customer(name="Ann Smith", phone="+15035550100"))
        session.flush()
        raise RuntimeError("the action failed half-way")
    assert len(_entries(demo_db)) == count
    with demo_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Customer).where(Customer.name == "Ann Smith")) == 0


@pytest.mark.sqlite_only  # the raw-driver fast path (and SQLite's trace of it) exists on SQLite only
def test_a_write_handed_straight_to_the_driver_is_logged_as_everything(demo_db):
    # Imports hand big inserts to the SQLite driver, past every SQLAlchemy event.
    with demo_db.transaction() as session:
        session.get(Customer, 2)
        driver = session.connection().connection.driver_connection
        driver.execute("PRAGMA data_version")
        driver.execute("UPDATE customers SET notes = 'moved to Salem' WHERE id = 3")
        session.get(Customer, 4).notes = "a ramp at the back"
    entry = _entries(demo_db)[-1]
    assert entry.everything and logged_changes([entry]) == EVERYTHING_CHANGED


def test_a_bulk_write_to_customers_is_logged_without_guessing_whom(demo_db):
    with demo_db.transaction() as session:
        session.get(Customer, 4).notes = "a ramp at the back"
        session.flush()
        session.execute(update(Customer).where(Customer.id <= 3).values(notes="spring promotion"))
    entry = _entries(demo_db)[-1]
    assert entry.kinds == {"customers"} and entry.customer_ids is None, "not known which: every panel reads again"
    assert logged_changes([entry]) == EVERYTHING_CHANGED


def test_a_schema_change_is_logged_as_everything(demo_db):
    with demo_db.transaction() as session:
        session.execute(text("CREATE TEMP TABLE scratch (n INTEGER)"))
        session.execute(text("INSERT INTO scratch VALUES (1)"))
    assert _entries(demo_db)[-1].everything


def test_a_command_in_another_process_is_logged_with_who_wrote_it(demo_data_dir, demo_db):
    services = Services(demo_db, FixedClock.on(TODAY))
    services.prepare()
    call = _first_call(services)
    finished = subprocess.run(
        [sys.executable, "main.py", "log", str(call.task_id), "--outcome", "reached", "--data-dir", str(demo_data_dir),
         "--today", TODAY.isoformat()], cwd=ROOT, capture_output=True, text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert finished.returncode == 0, finished.stderr
    entry = _entries(demo_db)[-1]
    assert entry.activity == "logging a call from the command line" or "command line" in entry.activity
    assert entry.writer != demo_db.writer.token and {"customers", "tasks"} <= entry.kinds
    with demo_db.session() as session:
        process = session.scalar(select(ChangeLogEntry.process).where(ChangeLogEntry.sequence == entry.sequence))
    assert process != os.getpid()


def test_the_caches_follow_the_sequence_another_process_moved(demo_url, demo_db):
    window = Services(demo_db, FixedClock.on(TODAY))
    window.prepare()
    window.watch_other_writers()
    call = _first_call(window)
    own_call = window.agenda(TODAY).pending()[1]
    window.log_call(own_call.task_id, Outcome.REACHED)
    window.forget_cached()
    assert not window.changes_by_others(), "the window's own action is not news to it"
    assert call.task_id in _pending(window)

    other_desk = open_database(demo_url)
    try:
        Services(other_desk, FixedClock.on(TODAY)).log_call(call.task_id, Outcome.REACHED)
    finally:
        other_desk.dispose()
    assert call.task_id in _pending(window), "read from the cache until the window asks"
    changes = window.changes_by_others()
    assert changes.tasks and changes.customers == {call.customer_id}
    assert call.task_id not in _pending(window)
    assert not window.changes_by_others()


def test_the_log_keeps_only_the_latest_entries(db, monkeypatch):
    monkeypatch.setattr(change_log, "ROWS_KEPT", 10)
    monkeypatch.setattr(change_log, "PRUNE_EVERY", 5)
    services = Services(db, FixedClock.on(TODAY))
    for number in range(30):
        services.save_business_settings({"business_name": f"Harbor {number}"}, [])
    with db.session() as session:
        assert latest_sequence(session) == 30
        assert session.scalar(select(func.count()).select_from(ChangeLogEntry)) <= 10 + 5


def test_a_window_that_fell_behind_the_pruning_reads_everything(db, monkeypatch, database_url):
    monkeypatch.setattr(change_log, "ROWS_KEPT", 3)
    monkeypatch.setattr(change_log, "PRUNE_EVERY", 1)
    window = Services(db, FixedClock.on(TODAY))
    window.watch_other_writers()
    other_desk = open_database(database_url)
    try:
        for number in range(6):
            Services(other_desk, FixedClock.on(TODAY)).save_business_settings({"business_name": f"Harbor {number}"}, [])
    finally:
        other_desk.dispose()
    assert window.changes_by_others() == EVERYTHING_CHANGED


def test_a_sequence_gone_backwards_reads_everything(db, data_dir):
    # A restore of an older backup under a process that kept its place in the log.
    services = Services(db, FixedClock.on(TODAY))
    for number in range(3):
        services.save_business_settings({"business_name": f"Harbor {number}"}, [])
    services.watch_other_writers()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM change_log WHERE sequence > 1")
    assert services.changes_by_others() == EVERYTHING_CHANGED
    assert not services.changes_by_others()


def test_a_change_log_that_cannot_be_read_is_told_as_a_callahead_error(db):
    # The window's feed catches CallAhead errors only (gui/ never sees the engine's own exceptions).
    services = Services(db, FixedClock.on(TODAY))
    services.watch_other_writers()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE change_log")
    with pytest.raises(DatabaseUnreadable, match="change log could not be read"):
        services.changes_by_others()


def test_every_table_says_what_kind_of_data_it_holds():
    # A table left out is logged as "everything": correct, but every window reads all again.
    from core.storage.models import Base

    assert set(Base.metadata.tables) - {ChangeLogEntry.__tablename__} == set(change_log.KINDS_OF_TABLE) - {
        "customer_search"}


def test_an_action_may_add_what_it_knows_it_changed(demo_db):
    with demo_db.transaction() as session:
        session.get(Customer, 5).notes = "prefers mornings"
        change_log.note_changes(session, kinds={"scripts"}, customer_ids={7})
    entry = _entries(demo_db)[-1]
    assert entry.kinds == {"customers", "scripts"} and entry.customer_ids == {5, 7}
