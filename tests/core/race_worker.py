"""A second process for tests/core/test_races_storage.py: it writes as an import does, when told.

    python tests/core/race_worker.py write DATABASE COUNT

Opens the database as the app does, begins one transaction, adds COUNT customers, prints
`writing` and waits for a line on stdin before it commits (then prints `committed`), so the
test knows the write lock is held — no sleeps, no timing.
"""

from __future__ import annotations

import sys

from core.storage.database import open_database
from core.errors import CallAheadError
from core.storage.models import Customer
from core.storage.paths import sqlite_url


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def write(database_file: str, count: int) -> int:
    database = open_database(sqlite_url(database_file))
    try:
        with database.transaction() as session:
            session.add_all(Customer(name=f"Imported Row {number}") for number in range(count))
            session.flush()
            say("writing")
            sys.stdin.readline()
        say("committed")
        return 0
    except CallAheadError as error:
        say(f"refused: {error}")
        return 2
    finally:
        database.dispose()


if __name__ == "__main__":
    sys.exit(write(sys.argv[2], int(sys.argv[3])))
