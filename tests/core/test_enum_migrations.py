"""Every enumeration value the code may store is accepted by a database built by the shipped
migrations.

Enum columns are stored as text with a CHECK constraint listing the values (core.storage.models
enum_column). A value added to an enum without a migration that widens the constraint would
pass every test that builds its tables from the models and fail at the owner's first insert;
this test builds the database the way the owner's is built (the shipped migrations) and inserts
every value of every enum column, each in a transaction that is rolled back.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Enum, insert
from sqlalchemy.exc import IntegrityError

from core.storage.models import Base, CallTask, Change, Customer, Product, Purchase, Quote, StaffMember

DAY = dt.date(2026, 11, 24)

# A valid row for every table with an enum column; the enum column under test is then set to
# each value in turn. Dates that another value would require (a decided quote's day, a note's
# response day) are always filled, so only the enum value can make the insert fail.
SAMPLE_ROWS: dict[str, dict] = {
    "purchases": {"purchased_on": DAY, "quantity": 1, "amount_cents": 1000},
    "quotes": {"amount_cents": 185000, "sent_on": DAY, "decided_on": DAY},
    "changes": {"kind": "price_increase", "title": "Oak doors cost more", "effective_on": DAY, "announced_on": DAY},
    "call_tasks": {"reason": "keep_in_touch", "due_on": DAY},
    "call_logs": {"logged_at": dt.datetime(2026, 11, 24, 9, 30), "outcome": "reached"},
    "scripts": {"reason": "keep_in_touch", "title": "Keep in touch", "body": "Hi {first_name}"},
    "thank_you_notes": {"sent_on": DAY, "recipient": "Maria Lopez", "response": "replied", "response_on": DAY},
}


def _enum_columns() -> list[tuple[str, str, list[str]]]:
    """(table, column, every value its enum has now) for each enum column in the models."""
    return [(table.name, column.name, [member.value for member in column.type.enum_class])
            for table in Base.metadata.sorted_tables for column in table.columns
            if isinstance(column.type, Enum) and column.type.enum_class is not None]


def _parent_rows(connection) -> dict[str, int]:
    """The rows a sample row refers to: a caller, a customer, a product, its purchase, a quote,
    a change and a task."""
    def add(model, **values) -> int:
        return connection.execute(insert(model.__table__).values(**values)).inserted_primary_key[0]

    staff_id = add(StaffMember, name="Maria", daily_quota=10)
    customer_id = add(Customer, name="Ann Baker")
    product_id = add(Product, sku="DR-1", name="Oak Door Kit")
    return {"staff_id": staff_id, "customer_id": customer_id, "product_id": product_id,
            "purchase_id": add(Purchase, customer_id=customer_id, product_id=product_id, purchased_on=DAY),
            "quote_id": add(Quote, customer_id=customer_id, amount_cents=1, sent_on=DAY),
            "change_id": add(Change, kind="other", title="Anything", effective_on=DAY, announced_on=DAY),
            "task_id": add(CallTask, customer_id=customer_id, reason="neglected", due_on=DAY)}


def _sample_row(table, parents: dict[str, int]) -> dict:
    """The table's sample row, its foreign keys pointing at the parent rows."""
    row = dict(SAMPLE_ROWS[table.name])
    for column in table.columns:
        for key in column.foreign_keys:
            wanted = {"staff_members": "staff_id", "customers": "customer_id", "products": "product_id",
                      "purchases": "purchase_id", "quotes": "quote_id", "changes": "change_id",
                      "call_tasks": "task_id"}.get(key.column.table.name)
            if wanted is not None and column.name not in row and not column.nullable:
                row[column.name] = parents[wanted]
    return row


def _refused_values(database) -> list[str]:
    """Every (table.column = value) the migrated database refuses."""
    refused = []
    for table_name, column_name, values in _enum_columns():
        table = Base.metadata.tables[table_name]
        for value in values:
            with database.engine.connect() as connection:
                transaction = connection.begin()
                try:
                    row = _sample_row(table, _parent_rows(connection)) | {column_name: value}
                    connection.execute(insert(table).values(**row))
                except IntegrityError as error:
                    refused.append(f"{table_name}.{column_name} = {value!r} ({error.orig})")
                finally:
                    transaction.rollback()
    return refused


def test_every_enum_column_has_a_sample_row_to_try_its_values():
    tables = {table for table, _column, _values in _enum_columns()}
    assert tables - set(SAMPLE_ROWS) == set(), "add a valid sample row for the new table to SAMPLE_ROWS"
    # Sanity: the check covers the enumerations the issue names.
    columns = {(table, column) for table, column, _values in _enum_columns()}
    assert {("call_tasks", "reason"), ("call_tasks", "kind"), ("call_tasks", "status"), ("call_logs", "outcome"),
            ("quotes", "status"), ("changes", "kind"), ("scripts", "reason")} <= columns


def test_the_migrated_database_stores_every_value_of_every_enum(db):
    refused = _refused_values(db)
    assert refused == [], ("an enum value was added without the migration that lets the database store it "
                           "(write one in core/storage/migrations/versions/ widening the CHECK constraint):\n"
                           + "\n".join(refused))


@pytest.mark.parametrize("table_name", sorted(SAMPLE_ROWS))
def test_each_sample_row_is_itself_accepted(db, table_name):
    """Guards the check above: a refusal must come from the enum value, never from a bad sample."""
    with db.engine.connect() as connection:
        transaction = connection.begin()
        try:
            table = Base.metadata.tables[table_name]
            connection.execute(insert(table).values(**_sample_row(table, _parent_rows(connection))))
        finally:
            transaction.rollback()
