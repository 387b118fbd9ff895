"""A second CallAhead process that holds the database's write lock until told to let go.

    python tests/lock_holder.py DATABASE ACTIVITY

It opens the database as the app does, begins a transaction (as an import would), adds one
customer named HELD_CUSTOMER, prints `holding`, and waits for a line on stdin: `commit`
commits, anything else (or end of input) rolls back. It prints `released`. Tests start it
through `LockHolder`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HELD_CUSTOMER = "Held by the other process"
ROOT = Path(__file__).resolve().parents[1]


class LockHolder:
    """The running second process; it holds the lock once constructed."""

    def __init__(self, database_file: Path, activity: str):
        self.process = subprocess.Popen([sys.executable, __file__, str(database_file), activity], cwd=ROOT,
                                        env=dict(os.environ, PYTHONPATH=str(ROOT)), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "holding"

    def release(self, commit: bool) -> None:
        if self.process.poll() is None:
            self.process.stdin.write("commit\n" if commit else "rollback\n")
            self.process.stdin.flush()
            assert self.process.stdout.readline().strip() == "released"
        self.process.stdin.close()
        self.process.stdout.close()
        assert self.process.wait(timeout=60) == 0


def main(database_file: str, activity: str) -> int:
    from core.storage.database import open_database
    from core.storage.models import Customer
    from core.storage.paths import sqlite_url

    database = open_database(sqlite_url(Path(database_file)))
    database.activity = activity
    try:
        with database.transaction() as session:
            session.add(Customer(name=HELD_CUSTOMER))
            session.flush()
            print("holding", flush=True)
            if sys.stdin.readline().strip() != "commit":
                raise SystemExit(0)  # rolls the transaction back
    finally:
        print("released", flush=True)
        database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
