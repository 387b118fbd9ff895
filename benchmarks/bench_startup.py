"""Benchmark: launch to a populated window at 100,000 customers, against a bare PySide6 window.

Goal (issue 4): no more than twice the time a bare PySide6 window with a calendar, a table and
a text box takes on the same machine. Both are timed as fresh processes (interpreter start,
imports, first paint; `--smoke-test` quits once the event loop has run). The first start of a
day also makes the day's backup and runs the standing rules; it is printed separately.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_startup.py [--customers N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QCalendarWidget, QHBoxLayout, QTableWidget, QTextEdit, QWidget
app = QApplication(sys.argv[:1])
window = QWidget()
layout = QHBoxLayout(window)
layout.addWidget(QCalendarWidget())
table = QTableWidget(200, 6)
layout.addWidget(table)
layout.addWidget(QTextEdit("Hi, calling from the shop"))
window.resize(1360, 860)
window.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "callahead-bench"))
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    folder = Path(args.cache) / f"startup-{args.customers}"
    if not (folder / "callahead.sqlite3").exists():
        print(f"making a demo business of {args.customers:,} customers (once)…")
        subprocess.run([sys.executable, "main.py", "demo", "--data-dir", str(folder), "--customers",
                        str(args.customers), "--today", "2026-11-24"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    app = [sys.executable, "main.py", "--data-dir", str(folder), "--today", "2026-11-24", "--smoke-test"]
    first = timed(app, env)  # the day's backup and the morning rules pass happen here (if not already today)
    ours = statistics.median(timed(app, env) for _ in range(args.runs))
    bare = statistics.median(timed([sys.executable, "-c", BARE], env) for _ in range(args.runs))
    # The floor under any app on the design card's stack: its two big libraries imported, nothing shown.
    stack = statistics.median(timed([sys.executable, "-c", "import PySide6.QtWidgets, sqlalchemy.orm"], env)
                              for _ in range(args.runs))
    print(f"CallAhead at {args.customers:,} customers, launch to populated window: {ours:.2f} s "
          f"(first start of the day, with its backup and rules pass: {first:.2f} s)")
    print(f"bare PySide6 window with a calendar, a table and a text box: {bare:.2f} s")
    print(f"ratio {ours / bare:.1f}x (goal: at most 2x)")
    print(f"for scale: importing PySide6's widgets and SQLAlchemy's ORM, nothing else, takes {stack:.2f} s "
          f"({stack / bare:.1f}x the bare window)")


if __name__ == "__main__":
    main()
