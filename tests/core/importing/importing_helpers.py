"""Helpers for the import and export tests: the sample files and a look at what got stored."""

from pathlib import Path

from sqlalchemy import select

from core.importing import ImportKind, read_import_file
from core.storage.models import Base, ChangeLogEntry, Customer, CustomerPhone

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


def sample(name: str, kind: ImportKind = ImportKind.CUSTOMERS):
    return read_import_file(FIXTURES / name, kind)


def stored_customers(db) -> dict[str, dict]:
    """Every customer by name, with its other phones as (number, label) pairs."""
    with db.session() as session:
        phones: dict[int, list[tuple[str, str | None]]] = {}
        for phone in session.scalars(select(CustomerPhone).order_by(CustomerPhone.id)):
            phones.setdefault(phone.customer_id, []).append((phone.number, phone.label))
        return {c.name: {**{k: getattr(c, k) for k in Customer.__table__.columns.keys()},
                         "other_phones": phones.get(c.id, [])}
                for c in session.scalars(select(Customer).order_by(Customer.id))}


def database_dump(db) -> list[str]:
    """The whole database as text: equal dumps mean nothing changed.

    The change log is left out: it records that an action ran (an import that re-plans the same
    calls appends an entry), not the business's data."""
    log = ChangeLogEntry.__tablename__
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            return [line for line in connection.connection.driver_connection.iterdump()
                    if not line.startswith(f'INSERT INTO "{log}"') and f"'{log}'" not in line]
        # A server: every row of every table, in key order (the search tokens, kept by trigger, too).
        lines = []
        for table in [*Base.metadata.sorted_tables, "customer_search_tokens"]:
            name = table if isinstance(table, str) else table.name
            if name == log:
                continue
            rows = connection.exec_driver_sql(f"SELECT * FROM {name} ORDER BY 1, 2").fetchall()
            lines += [f"{name}: {row!r}" for row in rows]
        return lines
