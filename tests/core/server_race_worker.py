"""A desk in another process, for tests/core/test_server_database.py: it acts when told.

    python tests/core/server_race_worker.py open URL
    python tests/core/server_race_worker.py log URL TASK_ID STAFF_ID HH:MM

Prints `ready` once it is set up, waits for a line on stdin (so several desks act at the same
moment, no sleeps), then opens the database (`open`, migrating it if needed) or logs the task as
reached by that caller at that time (`log`), and prints `done` or `refused: <message>`.
"""

from __future__ import annotations

import datetime as dt
import sys

from core.db import open_database
from core.enums import Outcome
from core.errors import CallAheadError
from core.scheduling.outcomes import log_outcome


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(command: str, url: str, *rest: str) -> int:
    database = open_database(url) if command == "log" else None
    if command == "open":
        import alembic.command  # noqa: F401  (loaded before the start line, as the desks would differ by less)
    say("ready")
    sys.stdin.readline()
    try:
        if command == "open":
            database = open_database(url)
        else:
            task_id, staff_id, at = int(rest[0]), int(rest[1]), dt.time.fromisoformat(rest[2])
            with database.transaction() as session:
                log_outcome(session, task_id, Outcome.REACHED, dt.datetime.combine(dt.date(2026, 11, 24), at),
                            staff_id=staff_id)
        say("done")
        return 0
    except CallAheadError as error:
        say(f"refused: {error}")
        return 2
    finally:
        if database is not None:
            database.dispose()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
