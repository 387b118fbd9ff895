"""The process tests/core/test_crash_safety.py kills: it does one kind of owner action, over and over.

    python tests/core/crash_worker.py log      DATABASE FIRST_NUMBER SEED
    python tests/core/crash_worker.py import   DATABASE CSV_FILE [--pause-at-commit]
    python tests/core/crash_worker.py announce DATABASE FIRST_NUMBER
    python tests/core/crash_worker.py upgrade  DATABASE

Each action is one transaction, opened as the app opens it (open_database, its checks and
pragmas) and written through the same core functions the window calls. Before an action
starts the worker prints `begin N ...` and after its commit `commit N`, unbuffered, so the test
knows which actions were committed when the SIGKILL came: what it prints is the test's journal.

The test kills on what the worker prints, never after a time, so the same commit always gets
the same verdict however busy the machine is. The import and the upgrade also print
`statement` before each SQL statement they send, so a kill can be aimed at the K-th one; with
`--pause-at-commit` the import prints `committing` once every row is written and waits on
stdin, so the kill lands with the whole import in the -wal and none of it committed.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, event, select

import core.importing.customers as customer_import
from core.storage.database import open_database
from core.storage.enums import ChangeKind, Outcome, TaskKind, TaskStatus
from core.importing import ImportKind, import_customers, read_import_file
from core.storage.models import CallTask, Product
from core.storage.paths import sqlite_url
from core.scheduling import ChangeRequest, announce_change, log_outcome, preview_change

TODAY = dt.date(2026, 11, 24)
NOW = dt.datetime(2026, 11, 24, 10, 0)
LOG_OUTCOMES = (Outcome.REACHED, Outcome.VOICEMAIL, Outcome.NO_ANSWER)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def log_calls(database, first_number: int, seed: int) -> None:
    rng = random.Random(seed)
    number = first_number
    while True:
        with database.transaction() as session:
            task_id = session.scalar(select(CallTask.id).where(
                CallTask.status == TaskStatus.PENDING, CallTask.kind == TaskKind.CALL).order_by(CallTask.id).limit(1))
            if task_id is None:
                return
            outcome = rng.choice(LOG_OUTCOMES)
            say(f"begin {number} {task_id} {outcome.value}")
            log_outcome(session, task_id, outcome, NOW, notes=f"crash-test #{number}")
        say(f"commit {number}")
        number += 1


def announce_statements() -> None:
    event.listen(Engine, "before_cursor_execute", lambda *_args: say("statement"))


def import_file(database, csv_file: Path, pause_at_commit: bool) -> None:
    # Most of an import's transaction is reading and matching; the test aims its kills at the
    # writing, so the worker says when that starts (the importer's own step, unchanged).
    write_plan = customer_import.apply_customer_plan
    started = 0.0

    def announced_write(session, plan):
        nonlocal started
        say("writing")
        started = time.perf_counter()
        announce_statements()
        if pause_at_commit:
            event.listen(session.connection().engine, "commit", wait_to_be_killed)
        return write_plan(session, plan)

    customer_import.apply_customer_plan = announced_write
    source = read_import_file(csv_file, ImportKind.CUSTOMERS)
    say("begin 1")
    import_customers(database, source)
    say(f"commit 1 {time.perf_counter() - started:.3f}")  # seconds from the first write to the commit's end


def wait_to_be_killed(_connection) -> None:
    say("committing")
    sys.stdin.readline()  # the test kills the worker here; end of input lets it commit after all


def announce_changes(database, first_number: int) -> None:
    with database.session() as session:
        products = list(session.scalars(select(Product.id).order_by(Product.id)))
    number = first_number
    while True:
        with database.transaction() as session:
            chosen = tuple(products[(number + k) % len(products)] for k in range(3))
            request = ChangeRequest(kind=ChangeKind.PRICE_INCREASE, title=f"crash-test change #{number}",
                                    effective_on=TODAY + dt.timedelta(days=30 + number % 20), product_ids=chosen)
            expected = len(preview_change(session, request, TODAY).steps)
            say(f"begin {number} {expected} {len(chosen)}")
            announce_change(session, request, TODAY)
        say(f"commit {number}")
        number += 1


def main(argv: list[str]) -> int:
    scenario, database_file = argv[0], Path(argv[1])
    if scenario == "upgrade":
        announce_statements()
        say("begin 1")  # opening an older database backs it up, then migrates it in one transaction
        started = time.perf_counter()
        open_database(sqlite_url(database_file), now=NOW).dispose()
        say(f"commit 1 {time.perf_counter() - started:.3f}")
        say("done")
        return 0
    database = open_database(sqlite_url(database_file), now=NOW)
    say("ready")
    if scenario == "log":
        log_calls(database, int(argv[2]), int(argv[3]))
    elif scenario == "import":
        import_file(database, Path(argv[2]), pause_at_commit="--pause-at-commit" in argv[3:])
    elif scenario == "announce":
        announce_changes(database, int(argv[2]))
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    database.dispose()
    say("done")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
