"""Benchmark: a search keystroke on SQLite (FTS5) and on PostgreSQL (migration 0008), same demo business.

    .venv/bin/python benchmarks/bench_search_backends.py --database-url postgresql+psycopg://…/db [--customers N]

The server database must be empty (it is filled here). Generates the demo business (20,000
customers by default) on both backends, then prints, for each keystroke, the median time of
core.customers.queries.find_customer_ids (the ids of every match in name order, what the list
asks for) on each, and how many customers each found (they must be the same).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.customers.queries import CustomerQuery, find_customer_ids  # noqa: E402
from core.storage.database import open_database  # noqa: E402
from core.demo import generate_demo_business  # noqa: E402
from core.storage.paths import database_path, sqlite_url  # noqa: E402

TODAY = dt.date(2026, 11, 24)
KEYSTROKES = ["m", "mu", "mul", "mull", "mulle", "muller", "ri", "smith jo", "503", "503 5", "503 555"]


def filled(url: str, customers: int):
    database = open_database(url)
    started = time.perf_counter()
    with database.transaction() as session:
        generate_demo_business(session, today=TODAY, customers=customers, seed=7)
    print(f"{database.engine.dialect.name}: {customers} customers generated in {time.perf_counter() - started:.0f} s")
    return database


def median_ms(database, typed: str, repeat: int) -> tuple[float, int]:
    times, found = [], 0
    with database.session() as session:
        for _ in range(repeat):
            started = time.perf_counter()
            found = len(find_customer_ids(session, CustomerQuery(text=typed), TODAY))
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="callahead-bench-backends-"))
    backends = {"SQLite": filled(sqlite_url(database_path(folder)), args.customers),
                "PostgreSQL": filled(args.database_url, args.customers)}
    print(f"{'typed':<10} {'SQLite ms':>10} {'PostgreSQL ms':>14} {'found':>7}")
    for typed in KEYSTROKES:
        results = {name: median_ms(database, typed, args.repeat) for name, database in backends.items()}
        counts = {found for _ms, found in results.values()}
        same = "" if len(counts) == 1 else "  DIFFERENT COUNTS"
        print(f"{typed!r:<10} {results['SQLite'][0]:>10.1f} {results['PostgreSQL'][0]:>14.1f} "
              f"{results['SQLite'][1]:>7}{same}")
    for database in backends.values():
        database.dispose()


if __name__ == "__main__":
    main()
