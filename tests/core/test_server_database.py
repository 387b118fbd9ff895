"""Several desks on one PostgreSQL database: real processes racing, and a server's refusals in plain words.

The races need a server (CALLAHEAD_TEST_DATABASE_URL, see tests/conftest.py); the messages for a
refusal are checked against the real server where it can produce them.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

import main
from core.storage.database import head_revision, open_database
from core.storage.enums import Outcome, Reason
from core.errors import InvalidInput
from core.storage.models import CallLog, CallTask, Customer, ReminderShown, StaffMember
from core.scheduling.reminders import due_reminders, mark_shown
from core.scheduling.outcomes import log_outcome
from core.storage.server import ServerDatabaseUnavailable, refuse_old_server, server_problem

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("server_race_worker.py")
TUESDAY = dt.date(2026, 11, 24)


def desks(*arguments_per_desk: list[str]) -> list[tuple[int, str]]:
    """Start one worker per desk, wait until all are ready, let them act at once; (exit code, last line) each."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [subprocess.Popen([sys.executable, str(WORKER), *arguments], cwd=ROOT, env=environment, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for arguments in arguments_per_desk]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
        for worker in workers:
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = [worker.communicate(timeout=120) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    return [(worker.returncode, out.strip().splitlines()[-1] if out.strip() else err.strip()[-2000:])
            for worker, (out, err) in zip(workers, results)]


@pytest.fixture
def called_customer(db):
    with db.transaction() as session:
        ann, ben = StaffMember(name="Ann", daily_quota=5), StaffMember(name="Ben", daily_quota=5)
        customer = Customer(name="Rita Moreno", phone="+15035550100")
        session.add_all([ann, ben, customer])
        session.flush()
        task = CallTask(customer_id=customer.id, reason=Reason.NEGLECTED, due_on=TUESDAY, why="Quiet")
        session.add(task)
    return task.id, ann.id, ben.id


def test_logging_a_call_someone_already_logged_says_who_and_when(db, called_customer):
    task_id, ann, ben = called_customer
    with db.transaction() as session:
        log_outcome(session, task_id, Outcome.REACHED, dt.datetime(2026, 11, 24, 10, 42), staff_id=ann)
    with pytest.raises(InvalidInput, match="Already logged by Ann at 10:42"), db.transaction() as session:
        log_outcome(session, task_id, Outcome.REACHED, dt.datetime(2026, 11, 24, 10, 43), staff_id=ben)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(CallLog)) == 1


def test_a_reminder_this_desks_other_window_recorded_meanwhile_is_kept_as_it_was(demo_db):
    desk = "a1" * 16
    now = dt.datetime.combine(TUESDAY, dt.time(9, 30))
    with demo_db.session() as session:
        seen_here = due_reminders(session, now, desk=desk)
    assert seen_here, "the demo morning has a start-of-day reminder"
    earlier = now - dt.timedelta(minutes=5)
    with demo_db.transaction() as session:  # a second window on this desk, a moment before
        mark_shown(session, seen_here[:1], earlier, desk=desk)
    with demo_db.transaction() as session:
        mark_shown(session, seen_here, now, desk=desk)
    with demo_db.session() as session:
        shown = dict(session.execute(select(ReminderShown.key, ReminderShown.shown_at)).all())
    assert shown[seen_here[0].key] == earlier and len(shown) == len(seen_here)


@pytest.mark.server_only
def test_the_same_call_logged_at_two_desks_at_once_is_logged_once(db, called_customer):
    task_id, ann, ben = called_customer
    results = desks(["log", db.url, str(task_id), str(ann), "10:42"], ["log", db.url, str(task_id), str(ben), "10:43"])
    codes = sorted(code for code, _line in results)
    assert codes == [0, 2], results
    (refusal,) = [line for code, line in results if code == 2]
    winner = "Ann at 10:42" if results[0][0] == 0 else "Ben at 10:43"
    assert f"Already logged by {winner}" in refusal
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(CallLog)) == 1


@pytest.mark.server_only
@pytest.mark.parametrize("round_", range(3))  # one round without the lock fails about every other time
def test_three_desks_starting_on_an_empty_database_set_it_up_once(server_databases, round_):
    url = server_databases.fresh("blank")
    results = desks(*(["open", url] for _ in range(3)))
    assert [code for code, _line in results] == [0, 0, 0], results
    database = open_database(url)
    try:
        with database.session() as session:
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head_revision()]
    finally:
        database.dispose()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.server_only
@pytest.mark.parametrize("change,words", [
    ({"database": "callahead_no_such_shop"}, "has no database 'callahead_no_such_shop'"),
    ({"username": "nobody_at_this_shop"}, "has no user 'nobody_at_this_shop'"),
    ({"port": None}, "could not reach the database server"),
])
def test_a_server_that_refuses_is_explained_in_plain_words(db, change, words, capsys):
    url = make_url(db.url)
    if change == {"port": None}:
        change = {"port": _closed_port()}
    wrong = url.set(**change).render_as_string(hide_password=False)
    with pytest.raises(ServerDatabaseUnavailable, match=words):
        open_database(wrong)
    assert main.main(["agenda", "--database-url", wrong, "--today", TUESDAY.isoformat()]) != 0
    captured = capsys.readouterr()
    assert words in captured.err and "Traceback" not in captured.err


def test_a_wrong_password_and_an_old_server_are_explained_in_plain_words():
    url = "postgresql+psycopg://ann:wrong@shop-server:5432/callahead"
    refused = psycopg.OperationalError('connection failed: FATAL:  password authentication failed for user "ann"')
    problem = server_problem(refused, url)
    assert "refused the password for user 'ann'" in str(problem) and "wrong" not in str(problem)
    with pytest.raises(ServerDatabaseUnavailable, match="runs PostgreSQL 12.9; CallAhead needs PostgreSQL 13"):
        refuse_old_server((12, 9), url)
    refuse_old_server((15, 4), url)


def test_a_database_url_without_its_driver_says_how_to_install_it():
    problem = server_problem(ModuleNotFoundError("No module named 'psycopg'"), "postgresql+psycopg://ann@shop/callahead")
    assert "pip install" in str(problem) and "postgres" in str(problem)
