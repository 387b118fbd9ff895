"""Benchmark: a search keystroke in the customer list at 100,000 customers vs the raw index query.

    .venv/bin/python benchmarks/bench_customer_search.py [--customers N] [--repeat R] [--fresh]
    .venv/bin/python benchmarks/bench_customer_search.py --database-url postgresql+psycopg://…/db

The demo business (100,000 customers by default) is generated once into a cache folder in the
system's temporary directory (about half a minute) and reused by later runs. With
--database-url it is generated into that server database instead when it has no customers yet
(about six minutes; an ANALYZE follows, as autovacuum would), and reused when it has.

For each keystroke of "muller" and of a phone number, it prints the median of:
- raw index query: on SQLite `SELECT rowid FROM customer_search WHERE customer_search MATCH ?`
  through sqlite3, with the same MATCH expression the app builds; on a server, the token-table
  statement the app builds (core.customers.search.server_token_query) through psycopg (the floor:
  no order, no row data);
- model refresh: what the list does after the owner pauses typing — the ordered ids of every
  match (core.customers.queries), the figures of the first page of rows and the Qt model reset;
- with repaint: the same, plus the table view laying out and painting its rows (offscreen);
- new rows: the refresh when none of the first page's customers were shown before (the list
  remembers the rows it read until something changes, so a second keystroke that shows the
  same customers reads no figures again);
and the ratios to the raw query. The issue's target is a refresh within 3x the raw query.
It also prints a few other list operations at that size (sorts and filters), for reference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
from collections.abc import Callable
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402

from core.clock import FixedClock  # noqa: E402
from core.customers.queries import CustomerQuery, CustomerSort, QuickFilter  # noqa: E402
from core.customers.search import fts5_match_expression, server_token_query  # noqa: E402
from core.storage.database import open_database  # noqa: E402
from core.demo import generate_demo_business  # noqa: E402
from core.storage.models import Customer  # noqa: E402
from core.storage.server import describe  # noqa: E402
from core.storage.paths import database_path, sqlite_url  # noqa: E402
from core.services import Services  # noqa: E402
from gui.panels.customers import CustomersPanel  # noqa: E402
from gui.services import ServiceBridge  # noqa: E402

TODAY = dt.date(2026, 11, 24)
KEYSTROKES = ["m", "mu", "mul", "mull", "mulle", "muller", "503", "503 5", "503 55", "503 555"]


def demo_database(customers: int, fresh: bool) -> Path:
    folder = Path(tempfile.gettempdir()) / f"callahead-bench-{customers}"
    path = database_path(folder)
    if fresh and folder.exists():
        shutil.rmtree(folder)
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        database = open_database(sqlite_url(path))
        with database.transaction() as session:
            generate_demo_business(session, today=TODAY, customers=customers, seed=7)
        with database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        database.dispose()
        print(f"generated {customers:,} demo customers in {time.perf_counter() - started:.1f} s -> {path}")
    else:
        print(f"reusing {path}")
    return path


def server_database(url: str, customers: int) -> str:
    database = open_database(url)
    with database.session() as session:
        present = session.execute(select(func.count()).select_from(Customer)).scalar()
    if present:
        print(f"reusing {present:,} customers on {describe(url)}")
    else:
        started = time.perf_counter()
        with database.transaction() as session:
            generate_demo_business(session, today=TODAY, customers=customers, seed=7)
        with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
        print(f"generated {customers:,} demo customers in {time.perf_counter() - started:.1f} s on {describe(url)}")
    database.dispose()
    return url


def raw_index_query(url: str | None, path: Path | None) -> tuple[Callable[[str], list], Callable[[], None]]:
    """The floor for a typed text: the index's own statement on a connection of its own; and its closing."""
    if url is None:
        raw = sqlite3.connect(path)

        def matches(typed: str) -> list:
            return raw.execute("SELECT rowid FROM customer_search WHERE customer_search MATCH ?",
                               (fts5_match_expression(typed),)).fetchall()
        return matches, raw.close

    import psycopg

    engine = create_engine(url)
    arguments, keywords = engine.dialect.create_connect_args(engine.url)
    raw = psycopg.connect(*arguments, **keywords, autocommit=True)

    def server_matches(typed: str) -> list:
        return raw.execute(*server_token_query(typed)).fetchall()
    return server_matches, raw.close


def median_ms(action, repeat: int) -> float:
    action()  # warm the caches, as a second keystroke would find them
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--fresh", action="store_true", help="generate the demo business again (SQLite)")
    parser.add_argument("--database-url", help="a PostgreSQL database to measure instead of the SQLite file")
    args = parser.parse_args()

    if args.database_url:
        url, path = server_database(args.database_url, args.customers), None
    else:
        path = demo_database(args.customers, args.fresh)
        url = None
    app = QApplication.instance() or QApplication([])
    services = Services(open_database(url or sqlite_url(path)), FixedClock.on(TODAY))
    print(f"on {services.database.engine.dialect.name}")
    # The customer list as the window has it: the panel sizes a search's first page to its view.
    panel = CustomersPanel(ServiceBridge(services))
    panel.resize(900, 600)
    panel.show()
    app.processEvents()
    model, view = panel.model, panel.table
    print(f"the list shows {view.viewport().height() // view.verticalHeader().defaultSectionSize()} rows")
    raw_matches, close_raw = raw_index_query(url, path)

    print(f"\n{'typed':<10}{'matches':>9}{'raw index ms':>13}{'refresh ms':>12}{'ratio':>8}"
          f"{'+ repaint ms':>14}{'ratio':>8}{'new rows ms':>13}{'ratio':>8}")
    ratios, painted_ratios, cold_ratios = [], [], []
    for typed in KEYSTROKES:
        def raw_query(typed=typed):
            return raw_matches(typed)

        def refresh():
            model.set_query(CustomerQuery(text=typed))

        def refresh_and_paint():
            model.set_query(CustomerQuery(text=typed))
            view.viewport().repaint()

        def refresh_new_rows():
            services.forget_cached()
            model.set_query(CustomerQuery(text=typed))

        raw_ms = median_ms(raw_query, args.repeat)
        refresh_ms = median_ms(refresh, args.repeat)
        painted_ms = median_ms(refresh_and_paint, args.repeat)
        cold_ms = median_ms(refresh_new_rows, args.repeat)
        ratios.append(refresh_ms / raw_ms)
        painted_ratios.append(painted_ms / raw_ms)
        cold_ratios.append(cold_ms / raw_ms)
        print(f"{typed:<10}{len(raw_query()):>9,}{raw_ms:>13.2f}{refresh_ms:>12.2f}{refresh_ms / raw_ms:>7.1f}x"
              f"{painted_ms:>14.2f}{painted_ms / raw_ms:>7.1f}x{cold_ms:>13.2f}{cold_ms / raw_ms:>7.1f}x")
    print(f"median ratio over the keystrokes: {statistics.median(ratios):.1f}x, with repaint "
          f"{statistics.median(painted_ratios):.1f}x, new rows {statistics.median(cold_ratios):.1f}x "
          "(target: at most 3x)")

    print("\nother list operations at this size (median ms):")
    for label, query in [
        ("everyone, by name", CustomerQuery()),
        ("everyone, by value (12 mo)", CustomerQuery(sort=CustomerSort.VALUE, descending=True)),
        ("everyone, by last contact", CustomerQuery(sort=CustomerSort.LAST_CONTACT)),
        ("everyone, by last purchase", CustomerQuery(sort=CustomerSort.LAST_PURCHASE, descending=True)),
        ("filter: neglected", CustomerQuery(filters=frozenset({QuickFilter.NEGLECTED}))),
        ("filter: affected by a change", CustomerQuery(filters=frozenset({QuickFilter.AFFECTED_BY_CHANGE}))),
        ("filter: due now", CustomerQuery(filters=frozenset({QuickFilter.DUE_NOW}))),
    ]:
        def refresh(query=query):
            model.set_query(query)

        print(f"  {label:<32}{median_ms(refresh, max(3, args.repeat // 3)):>9.1f}  ({model.total:,} rows)")

    def scroll_page():
        if not model.canFetchMore():
            model.set_query(CustomerQuery())
        model.fetchMore()

    model.set_query(CustomerQuery())
    print(f"  {'scrolling: fetch the next page':<32}{median_ms(scroll_page, args.repeat):>9.1f}  (200 rows)")
    close_raw()
    services.database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
