"""Benchmark: import 100,000 generated customers and compare with SQLite's own `.import`.

    .venv/bin/python benchmarks/bench_import.py [--rows N] [--keep DIR]

Prints the time `sqlite3 DB ".import --csv FILE table"` takes for the same file (no cleaning,
no duplicate check, no indexes), then the floor under any import into CallAhead: the same rows
uncleaned, straight into its indexed and searchable customers table (the search index folded as
migration 0004 folds it). Then CallAhead's full import (decoding, mapping, phone/e-mail
cleaning, the merge rules, planning outside the write lock, one short transaction) and a second
import of the same file (the weekly sync: it must change nothing), each as a multiple of the
floor. Issue 12's goals: a first import at most 3x the floor, a re-import at most 2x.
The machine's load average is printed too: figures from a busy machine are not comparable.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from core.storage.database import open_database  # noqa: E402
from core.importing import import_customers, read_import_file  # noqa: E402
from core.storage.paths import database_path, sqlite_url  # noqa: E402
from core.customers.search_index import index_new_customers_at_the_end  # noqa: E402

FIRST = ["James", "Mary", "Robert", "Patricia", "José", "Zoë", "Renée", "Søren", "Chloé", "Kwame", "Mei", "Raúl"]
LAST = ["Smith", "Johnson", "Müller", "Álvarez", "Nguyen", "O'Brien", "Kowalski", "Okafor", "Tanaka", "Peña"]
CITIES = ["Portland", "Beaverton", "Gresham", "Vancouver", "Hillsboro", "Lake Oswego"]
HEADER = ["First Name", "Last Name", "Company", "Email", "Phone", "Mobile", "City", "State", "Tags",
          "Total Spent", "Order Count", "Last Purchase", "Notes"]


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().replace("'", "")


def write_customers(path: Path, rows: int, seed: int = 6) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            phone = f"({rng.choice(['503', '971', '360'])}) {200 + n // 10000 % 800}-{n % 10000:04d}"
            mobile = f"+1 971 {300 + n // 10000 % 600} {(n * 7) % 10000:04d}" if n % 3 == 0 else ""
            writer.writerow([
                first, last, f"{rng.choice(LAST)} Builders" if n % 7 == 0 else "",
                f"{_ascii(first)}.{_ascii(last)}.{n}@example.com".lower(), phone, mobile, rng.choice(CITIES), "OR",
                rng.choice(["vip", "contractor", "", "door,opener"]), f"{rng.randint(0, 500000) / 100:.2f}",
                rng.randint(0, 40), f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "Prefers mornings, \"call first\"" if n % 11 == 0 else "",
            ])


def time_sqlite_import(csv_path: Path, workdir: Path) -> tuple[float, str]:
    target = workdir / "plain.sqlite3"
    if shutil.which("sqlite3"):
        started = time.perf_counter()
        subprocess.run(["sqlite3", str(target), f".import --csv {csv_path} customers_raw"], check=True)
        return time.perf_counter() - started, "sqlite3 CLI .import"
    # Without the CLI: the same work through Python's sqlite3 (one table of text columns, one transaction).
    started = time.perf_counter()
    connection = sqlite3.connect(target)
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        connection.execute(f"CREATE TABLE customers_raw ({', '.join(f'c{i} TEXT' for i in range(len(header)))})")
        connection.executemany(f"INSERT INTO customers_raw VALUES ({', '.join('?' * len(header))})", reader)
    connection.commit()
    connection.close()
    return time.perf_counter() - started, "Python sqlite3 executemany (no sqlite3 CLI found)"


def time_bare_insert(csv_path: Path, workdir: Path) -> float:
    """The floor under any import into CallAhead: the file's rows, uncleaned, straight into its
    customers table (its indexes, the unique e-mail, the search index filled in one go as a big
    import fills it) with one executemany in one transaction."""
    folder = workdir / "floor"
    folder.mkdir(exist_ok=True)
    database = open_database(sqlite_url(database_path(folder)))
    try:
        started = time.perf_counter()
        with csv_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            first, last, email, phone = (header.index(h) for h in ("First Name", "Last Name", "Email", "Phone"))
            rows = [{"name": f"{r[first]} {r[last]}", "first": r[first], "last": r[last], "email": r[email],
                     "phone": r[phone]} for r in reader]
        with database.transaction() as session, index_new_customers_at_the_end(session):
            session.execute(text("INSERT INTO customers (name, first_name, last_name, email, phone, do_not_call, "
                                 "needs_data_fix, created_at) VALUES (:name, :first, :last, :email, :phone, 0, 0, "
                                 "CURRENT_TIMESTAMP)"), rows)
        return time.perf_counter() - started
    finally:
        database.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the generated file and databases in this folder")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="callahead-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    csv_path = workdir / "customers.csv"
    write_customers(csv_path, args.rows)
    print(f"{args.rows:,} customer rows, {csv_path.stat().st_size / 1e6:.1f} MB; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")

    sqlite_seconds, how = time_sqlite_import(csv_path, workdir)
    print(f"SQLite's own import ({how}): {sqlite_seconds:.2f} s")

    floor_seconds = time_bare_insert(csv_path, workdir)
    print(f"The same rows uncleaned, straight into CallAhead's indexed and searchable table: {floor_seconds:.2f} s "
          f"({floor_seconds / sqlite_seconds:.1f}x)")

    data_dir = workdir / "callahead"
    data_dir.mkdir(exist_ok=True)
    database = open_database(sqlite_url(database_path(data_dir)))
    try:
        started = time.perf_counter()
        source = read_import_file(csv_path)
        read_seconds = time.perf_counter() - started
        report = import_customers(database, source, region="US")
        total = time.perf_counter() - started
        plan = report.plan
        print(f"CallAhead import: {total:.2f} s (reading {read_seconds:.2f} s) - created {plan.created:,}, "
              f"merged {len(plan.merges):,}, rejected {len(plan.rejected)}, flagged {len(plan.flagged)}")
        ratio = total / floor_seconds
        print(f"  = {ratio:.1f}x the floor (goal: at most 3x) -> {'OK' if ratio <= 3 else 'OVER'}")
        started = time.perf_counter()
        again = import_customers(database, read_import_file(csv_path), region="US")
        seconds = time.perf_counter() - started
        print(f"Re-import of the same file: {seconds:.2f} s - created {again.plan.created}, "
              f"updated {again.plan.updated}, unchanged {again.plan.unchanged:,}")
        ratio = seconds / floor_seconds
        print(f"  = {ratio:.1f}x the floor (goal: at most 2x) -> {'OK' if ratio <= 2 else 'OVER'}")
        print(f"Load average now {os.getloadavg()[0]:.2f}")
    finally:
        database.dispose()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
