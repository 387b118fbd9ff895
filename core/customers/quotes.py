"""Quotes the owner sent: adding, editing and deciding them (won or lost).

Each function is one step of an owner's action and runs inside the caller's transaction.
The quote rule follows at once: a new quote gets its follow-up calls planned straight away
(3 and 7 days after sending, then weekly — core.scheduling.rules), an edited sending date
moves the follow-ups not yet tried, and a decided quote has its pending follow-ups cancelled.
Deciding is also what a quote follow-up call's "quote won" / "quote lost" tag does
(core.scheduling.outcomes), so the hit ratio (rules.quote_hit_ratio) counts quotes from
every front end alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core.storage.enums import QuoteStatus, Reason, TaskStatus
from core.errors import InvalidInput
from core.storage.models import CallLog, CallTask, Customer, Quote, StaffMember

DESCRIPTION_WIDTH = 300


@dataclass(frozen=True)
class QuoteRecord:
    quote_id: int
    customer_id: int
    customer: str
    what: str | None
    amount_cents: int
    sent: dt.date
    status: QuoteStatus
    decided_on: dt.date | None
    staff_id: int | None
    staff: str | None
    follow_ups: tuple[dt.date, ...]  # pending follow-up calls, soonest first

    @property
    def is_open(self) -> bool:
        return self.status is QuoteStatus.OPEN


@dataclass(frozen=True)
class QuoteInput:
    """What the owner types for a quote (amount in cents)."""

    what: str
    amount_cents: int
    sent: dt.date
    staff_id: int | None = None


def _checked(session: Session, data: QuoteInput, today: dt.date) -> QuoteInput:
    what = " ".join((data.what or "").split())
    if not what:
        raise InvalidInput("Say what the quote is for (a door, an installation...).", field="what")
    if len(what) > DESCRIPTION_WIDTH:
        raise InvalidInput(f"What the quote is for is {len(what)} characters long; at most {DESCRIPTION_WIDTH} fit.",
                           field="what")
    if data.amount_cents is None or data.amount_cents < 0:
        raise InvalidInput("The quote's amount must be zero or more.", field="amount")
    if data.sent > today:
        raise InvalidInput(f"The quote's sending date {data.sent.isoformat()} is in the future.", field="sent")
    if data.staff_id is not None and session.get(StaffMember, data.staff_id) is None:
        raise InvalidInput(f"There is no caller with id {data.staff_id}.", field="staff")
    return QuoteInput(what, data.amount_cents, data.sent, data.staff_id)


def _quote(session: Session, quote_id: int) -> Quote:
    quote = session.get(Quote, quote_id)
    if quote is None:
        raise InvalidInput(f"There is no quote with id {quote_id}.", field="quote_id")
    return quote


def add_quote(session: Session, customer_id: int, data: QuoteInput, today: dt.date) -> QuoteRecord:
    """Store a new open quote and plan its follow-up calls."""
    # The planner loads with the first quote written: the window's list of quotes needs it not.
    from core.scheduling.planner import replan_customers
    from core.scheduling.rules import plan_quote_and_reward_calls

    if session.get(Customer, customer_id) is None:
        raise InvalidInput(f"There is no customer with id {customer_id}.", field="customer")
    data = _checked(session, data, today)
    quote = Quote(customer_id=customer_id, staff_id=data.staff_id, description=data.what,
                  amount_cents=data.amount_cents, sent_on=data.sent, status=QuoteStatus.OPEN)
    session.add(quote)
    session.flush()
    plan_quote_and_reward_calls(session, today)
    replan_customers(session, today, {customer_id})  # its follow-ups join the stored plan at once
    return quote_record(session, quote.id)


def update_quote(session: Session, quote_id: int, data: QuoteInput, today: dt.date) -> QuoteRecord:
    """Change what, amount, sending date or sender; follow-ups not yet tried are planned afresh."""
    from core.scheduling.planner import replan_customers  # loaded with the first quote written (see add_quote)
    from core.scheduling.rules import plan_quote_and_reward_calls

    quote = _quote(session, quote_id)
    data = _checked(session, data, today)
    quote.description, quote.amount_cents, quote.sent_on, quote.staff_id = (
        data.what, data.amount_cents, data.sent, data.staff_id)
    if quote.status is QuoteStatus.OPEN:
        # A follow-up nobody tried yet is re-planned from the new details (its date, its one-line
        # why); one already tried keeps its history.
        tried = select(CallLog.task_id).where(CallLog.task_id.is_not(None))
        untried = select(CallTask.id).where(CallTask.quote_id == quote_id, CallTask.reason == Reason.QUOTE,
                                            CallTask.status == TaskStatus.PENDING, CallTask.id.not_in(tried))
        session.execute(delete(CallTask).where(CallTask.id.in_(untried)).execution_options(synchronize_session="fetch"))
        session.flush()
        plan_quote_and_reward_calls(session, today)
        replan_customers(session, today, {quote.customer_id})
    return quote_record(session, quote_id)


def decide_quote(session: Session, quote_id: int, won: bool, on: dt.date, today: dt.date,
                 staff_id: int | None = None) -> tuple[QuoteRecord, int]:
    """Mark a quote won or lost on `on`; its pending follow-ups are cancelled. Returns the quote and
    how many follow-ups were cancelled. `staff_id` is credited when nobody is named as its sender."""
    from core.scheduling.planner import replan_customers  # loaded with the first quote written (see add_quote)

    quote = _quote(session, quote_id)
    if on > today:
        raise InvalidInput(f"The decision date {on.isoformat()} is in the future.", field="on")
    if on < quote.sent_on:
        raise InvalidInput(f"The decision date {on.isoformat()} is before the quote was sent "
                           f"({quote.sent_on.isoformat()}).", field="on")
    quote.status = QuoteStatus.WON if won else QuoteStatus.LOST
    quote.decided_on = on
    if quote.staff_id is None and staff_id is not None:
        quote.staff_id = staff_id
    cancelled = session.execute(
        update(CallTask).where(CallTask.quote_id == quote_id, CallTask.reason == Reason.QUOTE,
                               CallTask.status == TaskStatus.PENDING)
        .values(status=TaskStatus.CANCELLED, completed_at=dt.datetime.combine(today, dt.time.min))
        .execution_options(synchronize_session="fetch")).rowcount or 0
    session.flush()
    replan_customers(session, today, {quote.customer_id})  # cancelled follow-ups leave the day's list
    return quote_record(session, quote_id), cancelled


def quote_record(session: Session, quote_id: int) -> QuoteRecord:
    return _records(session, [Quote.id == quote_id])[0]


def list_quotes(session: Session, *, open_only: bool = False, customer_id: int | None = None) -> list[QuoteRecord]:
    """Quotes, newest sent first."""
    where = []
    if open_only:
        where.append(Quote.status == QuoteStatus.OPEN)
    if customer_id is not None:
        where.append(Quote.customer_id == customer_id)
    return _records(session, where)


def _records(session: Session, where: list) -> list[QuoteRecord]:
    """The quotes matching `where` (conditions on Quote's own columns), with their pending follow-ups."""
    rows = session.execute(
        select(Quote, Customer.name, StaffMember.name).join(Customer, Customer.id == Quote.customer_id)
        .outerjoin(StaffMember, StaffMember.id == Quote.staff_id).where(*where)
        .order_by(Quote.sent_on.desc(), Quote.id.desc())).all()
    follow_ups: dict[int, list[dt.date]] = {}
    # A quote's follow-ups are calls to its own customer: matching the customer too lets the
    # database find one customer's through their calls' index, where matching the quote alone read
    # every pending call (call_tasks.quote_id has no index: ~60 ms at 100,000 customers, for each
    # customer shown). Sorted here: an ORDER BY due_on made SQLite prefer the due-date index again.
    for quote_id, due in session.execute(
            select(CallTask.quote_id, CallTask.due_on)
            .join(Quote, (Quote.id == CallTask.quote_id) & (Quote.customer_id == CallTask.customer_id))
            .where(*where, CallTask.reason == Reason.QUOTE, CallTask.status == TaskStatus.PENDING)):
        follow_ups.setdefault(quote_id, []).append(due)
    return [QuoteRecord(quote.id, quote.customer_id, customer, quote.description, quote.amount_cents, quote.sent_on,
                        quote.status, quote.decided_on, quote.staff_id, staff,
                        tuple(sorted(follow_ups.get(quote.id, ()))))
            for quote, customer, staff in rows]


@dataclass(frozen=True)
class DecisionUndo:
    """What deciding a quote changed, so Edit → Undo can reopen it as it was."""

    quote_id: int
    status: QuoteStatus
    decided_on: dt.date | None
    staff_id: int | None
    pending_follow_ups: tuple[int, ...]


def decision_undo(session: Session, quote_id: int) -> DecisionUndo:
    """Read before deciding: the quote's state and its pending follow-ups."""
    quote = _quote(session, quote_id)
    pending = tuple(session.scalars(select(CallTask.id).where(
        CallTask.quote_id == quote_id, CallTask.reason == Reason.QUOTE, CallTask.status == TaskStatus.PENDING)))
    return DecisionUndo(quote_id, quote.status, quote.decided_on, quote.staff_id, pending)


def undo_decision(session: Session, undo: DecisionUndo) -> None:
    """Put the quote back as it was, with the follow-ups the decision cancelled pending again."""
    quote = session.get(Quote, undo.quote_id)
    if quote is None:
        return
    quote.status, quote.decided_on, quote.staff_id = undo.status, undo.decided_on, undo.staff_id
    if undo.pending_follow_ups:
        session.execute(update(CallTask).where(CallTask.id.in_(undo.pending_follow_ups),
                                               CallTask.status == TaskStatus.CANCELLED)
                        .values(status=TaskStatus.PENDING, completed_at=None)
                        .execution_options(synchronize_session="fetch"))
    session.flush()
