"""Benchmark: a 200-call day sheet to PDF, against the same calls as a bare HTML table.

Goal (issue 5): within 2x the time of printing the same HTML table with a bare
QTextDocument. Both print to a PDF on the same A4 printer; the median of several runs.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_print.py
"""

from __future__ import annotations

import datetime as dt
import html
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtGui import QGuiApplication, QTextDocument  # noqa: E402
from PySide6.QtPrintSupport import QPrinter  # noqa: E402

from core.storage.database import open_database  # noqa: E402
from core.storage.enums import Reason  # noqa: E402
from core.storage.models import CallTask, Customer, StaffMember  # noqa: E402
from core.storage.paths import sqlite_url  # noqa: E402
from core.reports.day_sheets import day_sheets, sheets_html  # noqa: E402
from gui.printing import configure_printer, print_html  # noqa: E402

TODAY = dt.date(2026, 11, 24)
CALLS = 200
RUNS = 7


def pdf_printer(path: Path) -> QPrinter:
    printer = configure_printer(QPrinter(QPrinter.PrinterMode.HighResolution), "A4")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def median_ms(work) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp(prefix="callahead-print-"))
    database = open_database(sqlite_url(folder / "bench.sqlite3"))
    with database.transaction() as session:
        session.add(StaffMember(name="Maria Lopez", daily_quota=CALLS))
        for n in range(CALLS):
            customer = Customer(name=f"Customer {n:03d}", company="Lakeside Storage" if n % 3 == 0 else None,
                                phone=f"+1503555{n:04d}")
            session.add(customer)
            session.flush()
            session.add(CallTask(customer_id=customer.id, reason=Reason.POST_PURCHASE, due_on=TODAY,
                                 why=f"Installed Steel Carriage Door 9x7 on {n % 28 + 1} Oct — how is it working out?"))
    with database.session() as session:
        sheets = day_sheets(session, TODAY, TODAY)
    rows = sheets[0].rows
    assert len(rows) == CALLS

    sheet = sheets_html(sheets)
    bare = ("<table>" + "".join(
        f"<tr><td>{row.order}</td><td>{html.escape(row.customer)}</td><td>{html.escape(row.phone)}</td>"
        f"<td>{html.escape(row.reason)}</td><td>{html.escape(row.why)}</td></tr>" for row in rows) + "</table>")

    def print_bare() -> None:
        document = QTextDocument()
        document.setHtml(bare)
        document.print_(pdf_printer(folder / "bare.pdf"))

    def print_sheet() -> None:
        print_html(sheet, pdf_printer(folder / "sheet.pdf"))

    with database.session() as session:
        build_ms = median_ms(lambda: sheets_html(day_sheets(session, TODAY, TODAY)))
    bare_ms = median_ms(print_bare)
    sheet_ms = median_ms(print_sheet)
    print(f"{CALLS}-call day sheet to PDF: {sheet_ms:.0f} ms (plus {build_ms:.0f} ms reading the day and writing "
          f"its HTML)")
    print(f"the same calls as a bare HTML table in a QTextDocument to PDF: {bare_ms:.0f} ms")
    print(f"ratio {sheet_ms / bare_ms:.1f}x (goal: at most 2x)")
    database.dispose()


if __name__ == "__main__":
    main()
