"""The schema itself refuses bad rows, whichever code path tries to write them."""

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError

from core.storage.enums import ChangeKind, QuoteStatus
from core.storage.models import (
    CallTask,
    Change,
    Customer,
    Product,
    Purchase,
    Quote,
    RewardCard,
    StaffMember,
)

D = dt.date(2026, 11, 24)


def _commit_rows(db, *rows):
    with db.transaction() as session:
        session.add_all(rows)


@pytest.fixture
def customer_and_product(db):
    with db.transaction() as session:
        customer = Customer(name="Ada Lovelace")
        product = Product(sku="SKU-1", name="Widget")
        session.add_all([customer, product])
    return customer.id, product.id


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(lambda c, p: Customer(name="   "), id="blank customer name"),
        pytest.param(lambda c, p: Customer(name="X", keep_in_touch_days=0), id="zero cadence"),
        pytest.param(lambda c, p: StaffMember(name="Sam", daily_quota=-1), id="negative quota"),
        pytest.param(lambda c, p: StaffMember(name="Sam", daily_quota=500), id="absurd quota"),
        pytest.param(lambda c, p: Product(sku="SKU-1", name="Duplicate"), id="duplicate sku"),
        pytest.param(lambda c, p: Purchase(customer_id=c, product_id=p, purchased_on=D, quantity=0,
                                           amount_cents=100), id="zero quantity"),
        pytest.param(lambda c, p: Purchase(customer_id=c, product_id=p, purchased_on=D, quantity=1,
                                           amount_cents=-5), id="negative amount"),
        pytest.param(lambda c, p: Purchase(customer_id=9999, product_id=p, purchased_on=D, quantity=1,
                                           amount_cents=5), id="purchase for a missing customer"),
        pytest.param(lambda c, p: RewardCard(customer_id=c, stamps=11, stamps_needed=10), id="overfull card"),
        pytest.param(lambda c, p: Quote(customer_id=c, amount_cents=100, sent_on=D, status=QuoteStatus.WON),
                     id="decided quote without a date"),
        pytest.param(lambda c, p: Change(kind=ChangeKind.OTHER, title="x", effective_on=D, announced_on=D,
                                         window_start_days=2, window_end_days=5), id="window backwards"),
        pytest.param(lambda c, p: Change(kind=ChangeKind.OTHER, title="x", effective_on=D, announced_on=D,
                                         capacity_share=1.5), id="share over 100%"),
    ],
)
def test_schema_rejects_bad_rows(db, customer_and_product, row):
    customer_id, product_id = customer_and_product
    with pytest.raises(IntegrityError):
        _commit_rows(db, row(customer_id, product_id))


@pytest.mark.parametrize("table,column", [("call_tasks", "reason"), ("call_tasks", "status"),
                                          ("changes", "kind"), ("call_logs", "outcome")])
def test_enumerations_are_checked_by_the_database_itself(db, customer_and_product, table, column):
    customer_id, _ = customer_and_product
    rows = {
        "call_tasks": "INSERT INTO call_tasks (customer_id, kind, reason, due_on, customer_value_cents, why, status, attempts)"
                      " VALUES (:c, 'call', :reason, '2026-11-24', 1, '', :status, 0)",
        "changes": "INSERT INTO changes (kind, title, effective_on, status, announced_on, window_start_days,"
                   " window_end_days, capacity_share, samples_count) VALUES (:kind, 't', '2026-12-01', 'active',"
                   " '2026-11-24', 21, 2, 0.6, 2)",
        "call_logs": "INSERT INTO call_logs (customer_id, logged_at, outcome) VALUES (:c, '2026-11-24 10:00', :outcome)",
    }
    values = {"c": customer_id, "reason": "neglected", "status": "pending", "kind": "other", "outcome": "reached"}
    values[column] = "made_up"
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.execute(text(rows[table]), values)


def test_python_side_refuses_unknown_enum_values_before_sql(db, customer_and_product):
    customer_id, _ = customer_and_product
    with pytest.raises(StatementError), db.transaction() as session:
        session.add(CallTask(customer_id=customer_id, reason="gossip", due_on=D))


def test_deleting_a_customer_removes_their_purchases_but_never_a_product_in_use(db, customer_and_product):
    customer_id, product_id = customer_and_product
    _commit_rows(db, Purchase(customer_id=customer_id, product_id=product_id, purchased_on=D, quantity=1,
                              amount_cents=100))
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.execute(text("DELETE FROM products WHERE id = :p"), {"p": product_id})
    with db.transaction() as session:
        session.execute(text("DELETE FROM customers WHERE id = :c"), {"c": customer_id})
    with db.session() as session:
        assert session.execute(text("SELECT count(*) FROM purchases")).scalar() == 0


def test_a_failed_action_leaves_nothing_half_written(db):
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.add(Customer(name="Kept only if all succeed"))
        session.flush()
        session.add(StaffMember(name="Bad", daily_quota=-3))
    with db.session() as session:
        assert session.execute(text("SELECT count(*) FROM customers")).scalar() == 0
