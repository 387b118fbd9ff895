"""Adding, editing and deleting a customer; each re-plans that customer's calls."""

from __future__ import annotations

from core.actions.results import ActionResult, ChangeSet, UndoStep
from core.actions.runner import UnitOfWork, owner_action
from core.customers.editing import CustomerInput, restore_customer
from core.customers.editing import add_customer as insert_customer
from core.customers.editing import delete_customer as remove_customer
from core.customers.editing import update_customer as change_customer
from core.storage.models import Customer
from core.settings import load_settings


def _changed(customer_id: int) -> ChangeSet:
    return ChangeSet(customers=frozenset({customer_id}), customer_list=True, tasks=True)


@owner_action()
def add_customer(unit: UnitOfWork, data: CustomerInput, *, allow_duplicate: bool = False) -> ActionResult[int]:
    """Raises PossibleDuplicate (nothing saved) when another customer has the phone or e-mail,
    unless `allow_duplicate`. The value is the new customer's id."""
    customer_id = insert_customer(unit.session, data, load_settings(unit.session).phone_region,
                                  allow_duplicate=allow_duplicate)
    unit.replan({customer_id})
    return ActionResult(customer_id, _changed(customer_id), message="Customer added.")


@owner_action(rows_to_lock=lambda customer_id, *_inputs, **_named: [(Customer, customer_id)])
def update_customer(unit: UnitOfWork, customer_id: int, data: CustomerInput, *,
                    allow_duplicate: bool = False) -> ActionResult[None]:
    change_customer(unit.session, customer_id, data, load_settings(unit.session).phone_region,
                    allow_duplicate=allow_duplicate)
    unit.replan({customer_id})  # a new phone, do-not-call or caller changes who can be called and by whom
    return ActionResult(None, _changed(customer_id), message="Customer saved.")


@owner_action(rows_to_lock=lambda customer_id, *_inputs, **_named: [(Customer, customer_id)])
def delete_customer(unit: UnitOfWork, customer_id: int) -> ActionResult[None]:
    deleted = remove_customer(unit.session, customer_id)

    def undo(undo_unit: UnitOfWork) -> ChangeSet:
        restored = restore_customer(undo_unit.session, deleted)
        undo_unit.replan({restored})
        return _changed(restored)

    return ActionResult(None, _changed(customer_id), UndoStep(f"Undo delete of {deleted.name}", undo),
                        f"Deleted {deleted.name}.")
