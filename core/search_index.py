"""Filling the customer search index in one statement when many customers arrive at once.

SQLite only. Migration 0002 keeps the FTS5 table `customer_search` in step with `customers` by
triggers, one index insert per customer row. For an import of thousands of customers that per-row
work is a large share of the time, so `index_new_customers_at_the_end` lifts the insert trigger for
the length of a bulk insert, then indexes every new row with one INSERT ... SELECT and puts the
trigger back, all inside the caller's transaction: if anything fails, the rollback restores the
trigger as it was. The index statement is derived from the trigger itself, so what a bulk insert
indexes can never drift from what a single insert indexes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import text
from sqlalchemy.orm import Session

INSERT_TRIGGER = "customer_search_after_insert"
# The trigger's body as migration 0002 writes it: INSERT INTO t (columns) VALUES (expressions over new.*)
_TRIGGER_BODY = re.compile(
    r"\bBEGIN\s+INSERT\s+INTO\s+(?P<table>\w+)\s*\((?P<columns>[^)]*)\)\s*VALUES\s*\((?P<values>.*)\)\s*;\s*END\s*$",
    re.IGNORECASE | re.DOTALL,
)


def _insert_trigger_sql(session: Session) -> str | None:
    if session.get_bind().dialect.name != "sqlite":
        return None
    return session.execute(text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
                           {"name": INSERT_TRIGGER}).scalar()


@contextmanager
def index_new_customers_at_the_end(session: Session) -> Iterator[None]:
    """Customers inserted inside the block are added to the search index once, at its end."""
    trigger_sql = _insert_trigger_sql(session)
    body = _TRIGGER_BODY.search(trigger_sql) if trigger_sql else None
    if body is None:  # another database, or a trigger this module does not recognise: leave it working
        yield
        return
    newest_before = session.execute(text("SELECT coalesce(max(id), 0) FROM customers")).scalar_one()
    session.execute(text(f"DROP TRIGGER {INSERT_TRIGGER}"))
    try:
        yield
    except BaseException:
        # The caller's rollback restores the trigger; putting it back now also covers a caller that
        # catches the error and commits what went in before it.
        with suppress(Exception):
            session.execute(text(trigger_sql))
        raise
    # `new` names the row in the trigger; aliasing the table as `new` lets its expressions run as written.
    session.execute(text(f"INSERT INTO {body['table']} ({body['columns']}) SELECT {body['values']} "
                         "FROM customers AS new WHERE new.id > :newest_before"), {"newest_before": newest_before})
    session.execute(text(trigger_sql))
