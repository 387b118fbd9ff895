"""Benchmark: what the change log adds to an action, and what one poll of the change feed costs.

The same one-row action (a customer's note) with and without the change log's append, and a
log-a-call action on the demo business, interleaved so a busy machine slows both alike; one poll
is `Services.changes_by_others` when nothing moved (the window's case every second). Medians.

    .venv/bin/python benchmarks/bench_change_log.py
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.clock import FixedClock  # noqa: E402
from core.storage.database import open_database  # noqa: E402
from core.demo import generate_demo_business  # noqa: E402
from core.storage.models import Customer  # noqa: E402
from core.storage.paths import sqlite_url  # noqa: E402
from core.services import Services  # noqa: E402

TODAY = dt.date(2026, 11, 24)
ROUNDS = 500


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(sqlite_url(Path(folder) / "callahead.sqlite3"))
        try:
            with database.transaction() as session:
                generate_demo_business(session, today=TODAY, customers=1_000, seed=7)
            timings: dict[bool, list[float]] = {False: [], True: []}
            for number in range(ROUNDS):
                for keep_log in (False, True):
                    database.keeps_change_log = keep_log
                    started = time.perf_counter()
                    with database.transaction() as session:
                        session.get(Customer, 1 + number % 100).notes = f"note {number} {keep_log}"
                    timings[keep_log].append(time.perf_counter() - started)
            database.keeps_change_log = True
            services = Services(database, FixedClock.on(TODAY))
            services.watch_other_writers()
            polls = []
            for _ in range(ROUNDS):
                started = time.perf_counter()
                services.changes_by_others()
                polls.append(time.perf_counter() - started)
        finally:
            database.dispose()
    without, with_log = statistics.median(timings[False]), statistics.median(timings[True])
    print(f"one-row action: {without * 1e3:.2f} ms without the change log, {with_log * 1e3:.2f} ms with it "
          f"(+{(with_log - without) * 1e3:.2f} ms)")
    print(f"one poll when nothing moved: {statistics.median(polls) * 1e3:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
