"""Filling the customer search index in one statement when many customers arrive at once.

SQLite only. Migration 0004 keeps the FTS5 table `customer_search` in step with `customers` by
triggers that read each new row from the view `customer_search_source` (the customer's text
folded for search, and its phone's digits), one index insert per customer row. For an import of
thousands of customers that per-row work is a large share of the time, so
`index_new_customers_at_the_end` lifts the insert trigger for the length of a bulk insert, then
indexes every new row with one INSERT ... SELECT from the same view and puts the trigger back,
all inside the caller's transaction: if anything fails, the rollback restores the trigger as it
was. Single and bulk inserts read the one view, so what they index can never drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import text
from sqlalchemy.orm import Session

INSERT_TRIGGER = "customer_search_after_insert"
SOURCE_VIEW = "customer_search_source"
_INDEX_COLUMNS = "rowid, name, company, email, tags, phone_digits"


def _schema_sql(session: Session, kind: str, name: str) -> str | None:
    if session.get_bind().dialect.name != "sqlite":
        return None
    return session.execute(text("SELECT sql FROM sqlite_master WHERE type = :kind AND name = :name"),
                           {"kind": kind, "name": name}).scalar()


@contextmanager
def index_new_customers_at_the_end(session: Session) -> Iterator[None]:
    """Customers inserted inside the block are added to the search index once, at its end."""
    trigger_sql = _schema_sql(session, "trigger", INSERT_TRIGGER)
    if trigger_sql is None or SOURCE_VIEW not in trigger_sql:
        # Another database, or a trigger this module does not recognise: leave it working.
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
    session.execute(text(f"INSERT INTO customer_search ({_INDEX_COLUMNS}) SELECT id, name, company, email, tags, "
                         f"phone_digits FROM {SOURCE_VIEW} WHERE id > :newest_before"),
                    {"newest_before": newest_before})
    session.execute(text(trigger_sql))
