"""The runner: an action is applied whole or not at all, what it wrote outside the database is
put back when it fails, and the re-plan it asks for runs in its own transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.actions import ActionResult, ActionRunner, ChangeSet, owner_action
from core.clock import FixedClock
from core.customers.editing import CustomerInput, add_customer
from core.errors import InvalidInput
from core.storage.models import Customer
from tests.conftest import TODAY


def _customers(database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Customer))


def test_a_failing_action_writes_nothing_and_puts_back_what_it_wrote_outside(demo_db, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("before", encoding="utf-8")
    before = _customers(demo_db)

    @owner_action()
    def add_then_refuse(unit, data):
        add_customer(unit.session, data, "US")
        note.write_text("during", encoding="utf-8")
        unit.on_rollback(lambda: note.write_text("before", encoding="utf-8"))
        raise InvalidInput("Refused after writing.", field="name")

    with pytest.raises(InvalidInput):
        ActionRunner(demo_db, FixedClock.on(TODAY)).run(add_then_refuse, CustomerInput(first_name="Half"))
    assert _customers(demo_db) == before
    assert note.read_text(encoding="utf-8") == "before"


def test_the_replan_an_action_asks_for_is_part_of_it(demo_db, monkeypatch):
    """A re-plan that fails takes the action with it: never customers stored without their plan."""
    before = _customers(demo_db)
    asked = []

    @owner_action()
    def add_a_customer(unit, data):
        customer_id = add_customer(unit.session, data, "US")
        unit.replan({customer_id})
        return ActionResult(customer_id, ChangeSet(customers=frozenset({customer_id})))

    def replan_fails(session, today, customer_ids, settings=None):
        asked.append(set(customer_ids))
        raise InvalidInput("The plan could not be made.")

    monkeypatch.setattr("core.scheduling.replan_customers", replan_fails)
    with pytest.raises(InvalidInput):
        ActionRunner(demo_db, FixedClock.on(TODAY)).run(add_a_customer, CustomerInput(first_name="Nia"))
    assert len(asked) == 1 and _customers(demo_db) == before
