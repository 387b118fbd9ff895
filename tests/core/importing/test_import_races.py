"""Two things at once, for real: separate processes on one SQLite file (issue 11, item 5).

An import reads and plans its rows without holding the write lock, then writes in one short
transaction that first checks nothing it read has changed. So a `log` while an import is
planning goes through at once, and two imports of the same file at once create each customer
once. The import process is paused between planning and writing (race_worker.py) so the other
process always runs in that window — no sleeps, no timing.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.storage.paths import database_path

pytestmark = pytest.mark.sqlite_only  # the checks read the SQLite file; the quick staleness check is SQLite's data_version

ROOT = Path(__file__).resolve().parents[3]
WORKER = Path(__file__).with_name("race_worker.py")
ROWS = 300


def _customers_file(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["First Name", "Last Name", "Email", "Phone"])
        for n in range(ROWS):
            phone = f"(503) 7{n // 100:02d}-{n % 10000:04d}"
            writer.writerow(["Race", f"Tester{n}", f"race.tester{n}@example.org", phone])
    return path


def _query(data_dir: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(database_path(data_dir))
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


class PausedImport:
    """The import command in its own process, stopped after planning until `finish()`."""

    def __init__(self, data_dir: Path, csv_file: Path) -> None:
        self.process = subprocess.Popen([sys.executable, str(WORKER), str(data_dir), str(csv_file)], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        self.early_messages: list[str] = []
        for line in self.process.stderr:
            if line.strip() == "planned":
                break
            self.early_messages.append(line)
        else:
            raise AssertionError("the import never finished planning outside its write transaction:\n"
                                 + "".join(self.early_messages) + self.process.stdout.read())

    def finish(self) -> dict:
        out, err = self.process.communicate("go\n", timeout=300)
        assert "Traceback" not in err, err
        assert self.process.returncode == 0, err
        return json.loads(out)


def _run_cli(data_dir: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", *argv, "--data-dir", str(data_dir), "--today", "2026-11-24"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture
def customers_csv(tmp_path) -> Path:
    return _customers_file(tmp_path / "customers.csv")


def test_a_call_logged_while_an_import_plans_goes_through_and_both_are_kept(demo_data_dir, customers_csv):
    before = _query(demo_data_dir, "SELECT count(*) FROM customers")[0][0]
    task_id = _query(demo_data_dir, "SELECT id FROM call_tasks WHERE status = 'pending' AND kind = 'call' "
                                    "ORDER BY id LIMIT 1")[0][0]
    importing = PausedImport(demo_data_dir, customers_csv)
    logged = _run_cli(demo_data_dir, "log", str(task_id), "--outcome", "reached", "--notes", "during the import")
    assert logged.returncode == 0 and "Traceback" not in logged.stderr, logged.stderr
    summary = importing.finish()
    assert summary["created"] == ROWS
    assert _query(demo_data_dir, "SELECT count(*) FROM customers")[0][0] == before + ROWS
    assert _query(demo_data_dir, f"SELECT notes FROM call_logs WHERE task_id = {task_id}") == [("during the import",)]


def test_two_imports_of_one_file_at_once_create_each_customer_once(demo_data_dir, customers_csv):
    before = _query(demo_data_dir, "SELECT count(*) FROM customers")[0][0]
    first = PausedImport(demo_data_dir, customers_csv)
    second = PausedImport(demo_data_dir, customers_csv)  # both planned against the same customers
    assert second.finish()["created"] == ROWS
    late = first.finish()  # what it planned went stale: it plans again under the lock
    assert late["created"] == 0
    assert _query(demo_data_dir, "SELECT count(*) FROM customers")[0][0] == before + ROWS
    assert _query(demo_data_dir, "SELECT count(*) FROM customers WHERE email LIKE 'race.tester%'")[0][0] == ROWS


def test_the_quick_staleness_check_sees_another_connections_commit(data_dir, db):
    # The write transaction skips comparing every stored row only when SQLite says nobody committed.
    import datetime as dt

    from core.storage.database import open_database
    from core.importing.customers import _nothing_committed_since, _watermark
    from core.storage.models import Customer
    from core.storage.paths import sqlite_url

    with db.session() as session:
        mark = _watermark(session)
    with db.transaction() as session:
        assert _nothing_committed_since(session, mark)
    other = open_database(sqlite_url(database_path(data_dir)))
    try:
        with other.transaction() as session:
            session.add(Customer(name="Written elsewhere", created_at=dt.datetime(2026, 11, 24)))
    finally:
        other.dispose()
    with db.transaction() as session:
        assert not _nothing_committed_since(session, mark)


def test_the_quick_staleness_check_sees_a_write_by_another_thread_on_the_same_connection(db):
    # The window logs calls on the GUI thread while the wizard imports on a worker: one pool, one connection.
    import datetime as dt

    from core.importing.customers import _nothing_committed_since, _watermark
    from core.storage.models import Customer

    with db.session() as session:
        mark = _watermark(session)
    with db.transaction() as session:
        assert session.connection().connection.driver_connection is mark.connection, "the pool's one connection"
        session.add(Customer(name="Edited in the window", created_at=dt.datetime(2026, 11, 24)))
    with db.transaction() as session:
        assert not _nothing_committed_since(session, mark)
