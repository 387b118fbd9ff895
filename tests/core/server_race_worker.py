"""A desk in another process, for tests/core/test_server_database.py: it acts when told.

    python tests/core/server_race_worker.py open URL
    python tests/core/server_race_worker.py log URL TASK_ID STAFF_ID HH:MM
    python tests/core/server_race_worker.py morning URL DAY
    python tests/core/server_race_worker.py quote URL DAY CUSTOMER_ID STAFF_ID SENT

Prints `ready` once it is set up, waits for a line on stdin (so several desks act at the same
moment, no sleeps), then opens the database (`open`, migrating it if needed), logs the task as
reached by that caller at that time (`log`), runs the window's morning pass for DAY (`morning`:
the standing rules and the whole plan once a day, then the day's lists fixed), or records a
quote that caller sent, its follow-up calls planned (`quote`); and prints `done` (`done planned`
for the morning that made the day's plan) or `refused: <message>`.
"""

from __future__ import annotations

import datetime as dt
import sys

from core.storage.database import open_database
from core.storage.enums import Outcome
from core.errors import CallAheadError
from core.customers.quotes import QuoteInput, add_quote
from core.scheduling import ensure_planned, start_day
from core.scheduling.outcomes import log_outcome


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(command: str, url: str, *rest: str) -> int:
    database = open_database(url) if command != "open" else None
    if command == "open":
        import alembic.command  # noqa: F401  (loaded before the start line, as the desks would differ by less)
    say("ready")
    sys.stdin.readline()
    try:
        if command == "open":
            database = open_database(url)
        elif command == "morning":
            day = dt.date.fromisoformat(rest[0])
            with database.transaction() as session:  # as the window's start does (core.services.prepare)
                planned = ensure_planned(session, day)
                start_day(session, day)
            say("done planned" if planned else "done")
            return 0
        elif command == "quote":
            day, customer_id, staff_id, sent = (dt.date.fromisoformat(rest[0]), int(rest[1]), int(rest[2]),
                                                dt.date.fromisoformat(rest[3]))
            with database.transaction() as session:
                add_quote(session, customer_id, QuoteInput("Two garage doors", 240_000, sent, staff_id), day)
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
