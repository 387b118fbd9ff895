"""Helpers for the import and export tests: the sample files and a look at what got stored."""

from pathlib import Path

from sqlalchemy import select

from core.importing import ImportKind, read_import_file
from core.models import Customer, CustomerPhone

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
    """The whole database as SQL text: equal dumps mean nothing changed."""
    with db.engine.connect() as connection:
        raw = connection.connection.driver_connection
        return list(raw.iterdump())
