"""A power cut, a crash or a killed process never leaves half an action in the database.

tests/core/crash_worker.py logs calls, imports a large file or announces changes, one
transaction per action, and this test kills it with SIGKILL many times, each time on something
the worker printed (its K-th action begun, its K-th SQL statement, the moment before its
commit) — never after a time, so a busy machine gets the same verdict as an idle one.
After each kill the database must open as the app opens it, pass SQLite's full integrity
check, and hold every committed action whole and nothing of an interrupted one:

- a logged call always comes with its task updated (attempts, status, the note that follows
  the last unanswered try), and every call the worker saw committed is there;
- an import is all of its customers, their extra phones and their search entries, or none;
- a change has every one of its planned tasks and products, or does not exist;
- an upgrade of an older database is complete, or the file is still the older one, whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.storage.backups import list_backups
from core.storage.database import MIGRATIONS_DIR, head_revision, open_database
from core.demo import generate_demo_business
from core.storage.integrity import integrity_check_problems
from core.storage.paths import sqlite_url

pytestmark = pytest.mark.sqlite_only  # a process killed while writing the SQLite file

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("crash_worker.py")
CUSTOMERS = 500
IMPORT_ROWS = 10_000
KILLS = {"log": 10, "announce": 8, "import": 10, "upgrade": 8}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX"),
]


@dataclass
class Journal:
    """What the worker printed before it died: the actions it began and those it saw committed."""

    begun: dict[int, list[str]] = field(default_factory=dict)
    committed: set[int] = field(default_factory=set)
    in_flight: set[int] = field(default_factory=set)  # under way when a kill came: committed or not

    def read(self, lines: list[str]) -> None:
        """Add one run's output."""
        last_begun = None
        for line in lines:
            word, *rest = line.split()
            if word == "begin":
                self.begun[int(rest[0])] = rest[1:]
                last_begun = int(rest[0])
            elif word == "commit":
                self.committed.add(int(rest[0]))
        if last_begun is not None and last_begun not in self.committed:
            self.in_flight.add(last_begun)

    @property
    def next_number(self) -> int:
        return max(self.begun, default=0) + 1

    def check_against(self, in_database: set[int]) -> None:
        assert self.committed <= in_database, "an action the worker saw committed was lost"
        assert in_database <= set(self.begun), "the database holds an action nobody began"
        # Only an action under way when a kill came may have committed unseen.
        assert in_database - self.committed <= self.in_flight


def _run_and_kill(arguments: list[str], kill_on: Callable[[str], bool] | None) -> list[str]:
    """Start the worker and SIGKILL it as soon as it prints a line `kill_on` picks (None: let it
    finish); return all it printed."""
    process = subprocess.Popen([sys.executable, str(WORKER), *arguments], cwd=ROOT, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, PYTHONPATH=str(ROOT)))
    lines = []
    try:
        while True:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
            if kill_on is not None and kill_on(line.strip()):
                process.send_signal(signal.SIGKILL)
                break
        lines += [line.strip() for line in process.stdout.read().splitlines()]
    finally:
        process.kill()
        process.wait(timeout=60)
        errors = process.stderr.read()
        for stream in (process.stdin, process.stdout, process.stderr):
            stream.close()
    assert process.returncode == -signal.SIGKILL or (process.returncode == 0 and "done" in lines), errors
    return lines


def _nth(word: str, n: int) -> Callable[[str], bool]:
    """Picks the n-th line starting with `word` (n = 0: the first line starting with `word`)."""
    seen = 0

    def pick(line: str) -> bool:
        nonlocal seen
        if line.split(" ", 1)[0] != word:
            return False
        seen += 1
        return seen >= max(n, 1)

    return pick


def _after(first: str, then: Callable[[str], bool]) -> Callable[[str], bool]:
    """Picks what `then` picks, counting only from the first line starting with `first`."""
    started = False

    def pick(line: str) -> bool:
        nonlocal started
        if not started:
            started = line.split(" ", 1)[0] == first
            return False
        return then(line)

    return pick


def _reopened_and_whole(path: Path) -> sqlite3.Connection:
    """The checks the app makes at start, the full integrity check, then a connection for the invariants."""
    assert integrity_check_problems(path) == ()
    open_database(sqlite_url(path)).dispose()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    return connection


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A demo business large enough that the kills land in the middle of things."""
    path = tmp_path_factory.mktemp("crash-pristine") / "callahead.sqlite3"
    database = open_database(sqlite_url(path))
    with database.transaction() as session:
        generate_demo_business(session, today=dt.date(2026, 11, 24), customers=CUSTOMERS, seed=11)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


def _fresh_copy(pristine: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    path = folder / "callahead.sqlite3"
    shutil.copy(pristine, path)
    return path


# --- logging calls ---------------------------------------------------------------------------------

def _tasks(connection) -> dict[int, tuple[str, int]]:
    return {row[0]: (row[1], row[2]) for row in connection.execute("SELECT id, status, attempts FROM call_tasks")}


def test_killing_the_app_while_it_logs_calls_never_half_logs_one(pristine, tmp_path):
    path = _fresh_copy(pristine, tmp_path / "log")
    connection = sqlite3.connect(path)
    baseline = _tasks(connection)
    connection.close()
    journal = Journal()
    rng = random.Random(2026)

    least_committed = 0
    for kill in range(KILLS["log"]):
        # Killed once its k-th call is begun: the k - 1 before it were committed first.
        k = rng.randint(2, 5)
        least_committed += k - 1
        journal.read(_run_and_kill(["log", str(path), str(journal.next_number), str(kill)], _nth("begin", k)))
        connection = _reopened_and_whole(path)
        try:
            logs = connection.execute(
                "SELECT notes, task_id, outcome FROM call_logs WHERE notes LIKE 'crash-test #%'").fetchall()
            tasks = _tasks(connection)
        finally:
            connection.close()
        journal.check_against({int(notes.split("#")[1]) for notes, _task, _outcome in logs})
        retries, reached = Counter(), set()
        for notes, task_id, outcome in logs:
            assert journal.begun[int(notes.split("#")[1])] == [str(task_id), outcome], "the log is for its task"
            if outcome == "reached":
                reached.add(task_id)
            else:
                retries[task_id] += 1
        became_skipped = 0
        for task_id, (status_before, attempts_before) in baseline.items():
            status, attempts = tasks[task_id]
            assert attempts == attempts_before + retries[task_id], f"task {task_id}: every unanswered try counted"
            if task_id in reached:
                assert status == "done", f"task {task_id} was reached"
            elif not retries[task_id]:
                # A reached call also settles the other reasons its planned call covered.
                assert (status, attempts) == (status_before, attempts_before) or \
                    (status_before, status, attempts) == ("pending", "done", attempts_before), \
                    f"task {task_id} was not touched"
            became_skipped += status == "skipped" and status_before != "skipped" and retries[task_id] > 0
        created = {task_id: state for task_id, state in tasks.items() if task_id not in baseline}
        assert len(created) == became_skipped, "each call given up on has exactly one note planned instead"
    assert len(journal.committed) >= least_committed, "every call the worker finished before a kill is kept"


# --- a large import --------------------------------------------------------------------------------

def _write_large_csv(path: Path, rows: int) -> None:
    rng = random.Random(5)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Customer ID", "First Name", "Last Name", "Email", "Phone", "Mobile", "City"])
        for number in range(rows):
            writer.writerow([f"CRASH-{number:06d}", "Ann", f"Importtest{number}", f"ann.importtest{number}@example.org",
                             f"+1503{200 + number // 10_000}{number % 10_000:04d}",
                             f"+1971{200 + number // 10_000}{number % 10_000:04d}" if rng.random() < 0.5 else "",
                             "Portland"])


def _import_state(connection) -> tuple[int, int, int]:
    return tuple(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                 for table in ("customers", "customer_phones", "customer_search"))


def test_killing_the_app_during_a_large_import_leaves_all_of_it_or_none(pristine, tmp_path):
    source = tmp_path / "large.csv"
    _write_large_csv(source, IMPORT_ROWS)
    connection = sqlite3.connect(pristine)
    before = _import_state(connection)
    connection.close()

    # One import left to finish: what "all of it" is, and how many statements write it.
    path = _fresh_copy(pristine, tmp_path / "whole")
    lines = _run_and_kill(["import", str(path), str(source)], kill_on=None)
    writes = lines[lines.index("writing"):].count("statement")
    connection = _reopened_and_whole(path)
    after = _import_state(connection)
    connection.close()
    assert after[0] - before[0] == IMPORT_ROWS and after[1] > before[1]

    rng = random.Random(7)
    outcomes = Counter()
    for kill in range(KILLS["import"]):
        path = _fresh_copy(pristine, tmp_path / f"kill-{kill}")
        # Every other kill waits for the worker to have written everything but the commit; the
        # others land on one of the statements that write the rows.
        at_commit = kill % 2 == 1
        arguments = ["import", str(path), str(source)] + (["--pause-at-commit"] if at_commit else [])
        lines = _run_and_kill(arguments, _nth("committing", 1) if at_commit
                              else _after("writing", _nth("statement", rng.randint(0, writes))))
        wal = path.with_name(path.name + "-wal")
        wal_bytes = wal.stat().st_size if wal.exists() else 0
        connection = _reopened_and_whole(path)
        state = _import_state(connection)
        connection.close()
        assert state in (before, after), f"kill {kill}: half an import ({state}, not {before} or {after})"
        assert state[0] == state[2], "every customer has its search entry"
        if any(line.startswith("commit 1") for line in lines):
            assert state == after, "an import the worker saw committed is all there"
        if at_commit:
            assert state == before and wal_bytes > 0, "killed before its commit, with its pages written: none of it"
        outcomes["applied" if state == after else "cut with pages written" if wal_bytes else "cut"] += 1
    # Pages of the import already in the -wal when the kill came, yet none of it applied: the case that matters.
    assert outcomes["cut with pages written"] >= KILLS["import"] // 2, outcomes


# --- announcing changes ----------------------------------------------------------------------------

def test_killing_the_app_while_it_plans_changes_leaves_each_change_whole_or_absent(pristine, tmp_path):
    path = _fresh_copy(pristine, tmp_path / "announce")
    journal = Journal()
    rng = random.Random(11)

    least_committed = 0
    for _kill in range(KILLS["announce"]):
        k = rng.randint(2, 4)
        least_committed += k - 1
        journal.read(_run_and_kill(["announce", str(path), str(journal.next_number)], _nth("begin", k)))
        connection = _reopened_and_whole(path)
        try:
            changes = connection.execute(
                "SELECT c.title, (SELECT count(*) FROM call_tasks t WHERE t.change_id = c.id),"
                " (SELECT count(*) FROM change_products p WHERE p.change_id = c.id)"
                " FROM changes c WHERE c.title LIKE 'crash-test change #%'").fetchall()
        finally:
            connection.close()
        in_database = {int(title.split("#")[1]): (tasks, products) for title, tasks, products in changes}
        journal.check_against(set(in_database))
        for number, (tasks, products) in in_database.items():
            expected_tasks, expected_products = map(int, journal.begun[number])
            assert (tasks, products) == (expected_tasks, expected_products), f"change #{number} is not whole"
    assert len(journal.committed) >= least_committed, "every change the worker finished before a kill is kept"


# --- upgrading an older database -------------------------------------------------------------------

def _downgraded_copy(pristine: Path, folder: Path, revision: str) -> Path:
    """The demo business as an older CallAhead would have stored it."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    path = _fresh_copy(pristine, folder)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = create_engine(sqlite_url(path))  # a plain connection: foreign keys off, as migrations need
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    engine.dispose()
    return path


def _stored(path: Path) -> tuple[str, dict[str, list[tuple]]]:
    """The revision and the rows every revision shares (the columns of 0001 that 0003 kept)."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        rows = {
            "customers": connection.execute("SELECT id, name, phone, email, notes FROM customers ORDER BY id").fetchall(),
            "call_tasks": connection.execute(
                "SELECT id, customer_id, reason, due_on, status, attempts, change_id FROM call_tasks ORDER BY id").fetchall(),
            "call_logs": connection.execute("SELECT id, task_id, customer_id, outcome FROM call_logs ORDER BY id").fetchall(),
            "purchases": connection.execute("SELECT id, customer_id, amount_cents FROM purchases ORDER BY id").fetchall(),
        }
        return revision, rows
    finally:
        connection.close()


def test_killing_the_app_while_it_upgrades_an_older_database_leaves_it_old_or_new_never_between(
        pristine, tmp_path):
    older = _downgraded_copy(pristine, tmp_path / "older", "0001")
    old_revision, old_rows = _stored(older)
    assert old_revision == "0001" and all(old_rows.values())

    path = _fresh_copy(older, tmp_path / "whole")
    lines = _run_and_kill(["upgrade", str(path)], kill_on=None)
    statements = lines[lines.index("begin 1"):].count("statement")
    assert _stored(path) == (head_revision(), old_rows), "the upgrade keeps every row"

    rng = random.Random(13)
    for kill in range(KILLS["upgrade"]):
        path = _fresh_copy(older, tmp_path / f"kill-{kill}")
        # The k-th statement of the upgrade; k = 0 kills as it begins (while it backs the file up).
        k = rng.randint(0, statements)
        lines = _run_and_kill(["upgrade", str(path)], _nth("begin", 1) if k == 0 else _nth("statement", k))
        assert integrity_check_problems(path) == ()
        revision, rows = _stored(path)
        assert revision in ("0001", head_revision()), f"kill {kill}: stopped between revisions ({revision})"
        assert rows == old_rows, f"kill {kill}: rows changed"
        if any(line.startswith("commit 1") for line in lines):
            assert revision == head_revision()
        assert all(backup.restorable for backup in list_backups(path.parent)), "only whole backups are listed"
        connection = _reopened_and_whole(path)  # the next start finishes the upgrade
        connection.close()
        assert _stored(path) == (head_revision(), old_rows)
