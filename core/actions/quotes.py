"""Quotes sent to customers: add, edit, decide (won or lost; undoable). Each plans the follow-up
calls of an open quote in the same transaction (core.customers.quotes)."""

from __future__ import annotations

import datetime as dt

from core.actions.results import ActionResult, ChangeSet, UndoStep
from core.actions.runner import UnitOfWork, owner_action
from core.dates import date_text
from core.errors import InvalidInput
from core.storage.models import Quote
from core.customers.quotes import QuoteInput, QuoteRecord, decision_undo, quote_record, undo_decision
from core.customers.quotes import add_quote as record_quote
from core.customers.quotes import decide_quote as record_decision
from core.customers.quotes import update_quote as change_quote


def _changed(customer_id: int) -> ChangeSet:
    return ChangeSet(customers=frozenset({customer_id}), customer_list=True, tasks=True)


def _quote_row(quote_id: int, *_inputs, **_named):
    return [(Quote, quote_id)]


@owner_action()
def add_quote(unit: UnitOfWork, customer_id: int, data: QuoteInput) -> ActionResult[QuoteRecord]:
    record = record_quote(unit.session, customer_id, data, unit.today())
    follow_ups = ("; follow-up calls on " + ", ".join(date_text(d, "%a %d %b") for d in record.follow_ups)
                  if record.follow_ups else "")
    return ActionResult(record, _changed(customer_id), message=f"Quote #{record.quote_id} added{follow_ups}.")


@owner_action(rows_to_lock=_quote_row)
def update_quote(unit: UnitOfWork, quote_id: int, data: QuoteInput) -> ActionResult[QuoteRecord]:
    record = change_quote(unit.session, quote_id, data, unit.today())
    return ActionResult(record, _changed(record.customer_id), message=f"Quote #{record.quote_id} updated.")


@owner_action(rows_to_lock=_quote_row)
def amend_quote(unit: UnitOfWork, quote_id: int, *, what: str | None = None, amount_cents: int | None = None,
                sent: dt.date | None = None, staff_id: int | None = None) -> ActionResult[QuoteRecord]:
    """Change only what is given (None keeps it): the command line's `quote edit`."""
    if unit.session.get(Quote, quote_id) is None:
        raise InvalidInput(f"There is no quote with id {quote_id}.", field="quote_id")
    current = quote_record(unit.session, quote_id)
    data = QuoteInput(what if what is not None else (current.what or ""),
                      amount_cents if amount_cents is not None else current.amount_cents,
                      sent or current.sent, staff_id if staff_id is not None else current.staff_id)
    return update_quote.body(unit, quote_id, data)


@owner_action(rows_to_lock=_quote_row)
def decide_quote(unit: UnitOfWork, quote_id: int, won: bool,
                 on: dt.date | None = None) -> ActionResult[tuple[QuoteRecord, int]]:
    """Mark a quote won or lost (its open follow-ups are cancelled; the value says how many);
    undo reopens it with its follow-ups."""
    before = decision_undo(unit.session, quote_id)
    record, cancelled = record_decision(unit.session, quote_id, won, on or unit.today(), unit.today())
    changes = _changed(record.customer_id)

    def undo(undo_unit: UnitOfWork) -> ChangeSet:
        undo_decision(undo_unit.session, before)
        return changes

    return ActionResult((record, cancelled), changes, UndoStep(f"Undo marking the quote {record.status.value}", undo),
                        f"Quote #{record.quote_id} marked {record.status.value}; "
                        f"{cancelled} follow-up call(s) cancelled.")
