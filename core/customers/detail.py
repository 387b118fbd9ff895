"""Everything the owner sees about one customer while the phone rings: contact details,
purchases, open quotes, the reward card and a timeline of every call and touch.

The timeline merges the call log (what happened) with the tasks (what was planned): each
logged call or note is an event with its outcome; a task that was finished, skipped or
cancelled without a log (samples sent, a thank-you note posted) is an event of its own; a
pending task shows as planned. Newest first, planned ones on top.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.customers.contact_fields import display_phone, tel_uri
from core.dates import date_text
from core.customers.quotes import QuoteRecord, list_quotes
from core.storage.enums import Outcome, PurchaseKind, Reason, TaskKind, TaskStatus
from core.errors import CallAheadError
from core.storage.models import CallLog, CallTask, Customer, CustomerPhone, Product, Purchase, RewardCard, StaffMember
from core.settings import load_settings
from core.habits.thanks import RESPONSE_LABELS, notes_for_customer


class CustomerNotFound(CallAheadError):
    pass


@dataclass(frozen=True)
class PhoneNumber:
    display: str
    e164: str
    tel_uri: str
    label: str | None = None


@dataclass(frozen=True)
class PurchaseLine:
    day: dt.date
    product: str
    sku: str
    quantity: int
    amount_cents: int
    kind: PurchaseKind


@dataclass(frozen=True)
class RewardCardStatus:
    stamps: int
    stamps_needed: int
    rewards_redeemed: int
    last_stamp_on: dt.date | None

    @property
    def stamps_to_go(self) -> int:
        return self.stamps_needed - self.stamps


@dataclass(frozen=True)
class TimelineEntry:
    """One call, note, sample parcel or thank-you note — done, or planned."""

    when: dt.datetime  # planned entries: the due day at its time (or the start of the day)
    kind: TaskKind
    reason: Reason | None
    status: TaskStatus  # DONE for a logged contact
    outcome: Outcome | None
    notes: str | None
    result_tags: str | None
    staff: str | None
    why: str | None

    @property
    def planned(self) -> bool:
        return self.status is TaskStatus.PENDING


@dataclass(frozen=True)
class CustomerDetail:
    id: int
    name: str
    first_name: str | None
    last_name: str | None
    company: str | None
    phones: list[PhoneNumber]  # the main number first
    email: str | None
    address_lines: list[str]
    notes: str | None
    tags: list[str]
    do_not_call: bool
    needs_data_fix: bool
    preferred_call_time: dt.time | None
    keep_in_touch_days: int | None
    assigned_staff: str | None
    purchases: list[PurchaseLine]  # newest first
    open_quotes: list[QuoteRecord]  # newest sent first, each with its pending follow-ups
    reward_card: RewardCardStatus | None
    timeline: list[TimelineEntry]
    imported_total_spent_cents: int | None

    @property
    def main_phone(self) -> PhoneNumber | None:
        return self.phones[0] if self.phones else None


def _phone(e164: str, region: str, label: str | None = None) -> PhoneNumber:
    return PhoneNumber(display=display_phone(e164, region), e164=e164, tel_uri=tel_uri(e164) or "", label=label)


def _address_lines(customer: Customer) -> list[str]:
    town = " ".join(p for p in (customer.city and f"{customer.city}," if customer.region else customer.city,
                                customer.region, customer.postal_code) if p)
    return [line for line in (customer.address, town) if line]


def customer_detail(session: Session, customer_id: int) -> CustomerDetail:
    """The detail of one customer; CustomerNotFound if it was deleted meanwhile."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise CustomerNotFound(f"Customer #{customer_id} no longer exists (deleted?).")
    region = load_settings(session).phone_region
    phones = [_phone(customer.phone, region)] if customer.phone else []
    phones += [_phone(other.number, region, other.label)
               for other in session.scalars(select(CustomerPhone).where(CustomerPhone.customer_id == customer_id)
                                            .order_by(CustomerPhone.id))
               if other.number != customer.phone]
    staff_names = dict(session.execute(select(StaffMember.id, StaffMember.name)).all())

    purchases = [
        PurchaseLine(day=p.purchased_on, product=name, sku=sku, quantity=p.quantity, amount_cents=p.amount_cents,
                     kind=p.kind)
        for p, name, sku in session.execute(
            select(Purchase, Product.name, Product.sku).join(Product, Product.id == Purchase.product_id)
            .where(Purchase.customer_id == customer_id)
            .order_by(Purchase.purchased_on.desc(), Purchase.id.desc()))
    ]
    quotes = list_quotes(session, open_only=True, customer_id=customer_id)
    card = session.scalar(select(RewardCard).where(RewardCard.customer_id == customer_id))
    return CustomerDetail(
        id=customer.id, name=customer.name, first_name=customer.first_name, last_name=customer.last_name,
        company=customer.company, phones=phones, email=customer.email, address_lines=_address_lines(customer),
        notes=customer.notes, tags=[t for t in (customer.tags or "").split(",") if t],
        do_not_call=customer.do_not_call, needs_data_fix=customer.needs_data_fix,
        preferred_call_time=customer.preferred_call_time, keep_in_touch_days=customer.keep_in_touch_days,
        assigned_staff=staff_names.get(customer.assigned_staff_id), purchases=purchases, open_quotes=quotes,
        reward_card=RewardCardStatus(card.stamps, card.stamps_needed, card.rewards_redeemed, card.last_stamp_on)
        if card else None,
        timeline=customer_timeline(session, customer_id, staff_names),
        imported_total_spent_cents=customer.imported_total_spent_cents,
    )


def customer_timeline(session: Session, customer_id: int,
                      staff_names: dict[int, str] | None = None) -> list[TimelineEntry]:
    if staff_names is None:
        staff_names = dict(session.execute(select(StaffMember.id, StaffMember.name)).all())
    tasks = {t.id: t for t in session.scalars(select(CallTask).where(CallTask.customer_id == customer_id))}
    entries: list[TimelineEntry] = []
    logged_tasks: set[int] = set()
    for log in session.scalars(select(CallLog).where(CallLog.customer_id == customer_id)):
        task = tasks.get(log.task_id) if log.task_id else None
        if task:
            logged_tasks.add(task.id)
        entries.append(TimelineEntry(
            when=log.logged_at, kind=task.kind if task else TaskKind.CALL, reason=task.reason if task else None,
            status=TaskStatus.DONE, outcome=log.outcome, notes=log.notes, result_tags=log.result_tags,
            staff=staff_names.get(log.staff_id), why=task.why if task else None))
    for task in tasks.values():
        if task.status is not TaskStatus.PENDING and task.id in logged_tasks:
            continue
        when = (task.completed_at if task.status is not TaskStatus.PENDING and task.completed_at
                else dt.datetime.combine(task.due_on, task.due_time or dt.time(0, 0)))
        entries.append(TimelineEntry(
            when=when, kind=task.kind, reason=task.reason, status=task.status, outcome=None, notes=None,
            result_tags=None, staff=staff_names.get(task.staff_id), why=task.why or None))
    for note in notes_for_customer(session, customer_id):  # thank-you notes written to them (core.habits.thanks)
        response = (f"{RESPONSE_LABELS[note.response]} on {date_text(note.response_on, '%d %b')}"
                    if note.response else None)
        entries.append(TimelineEntry(
            when=dt.datetime.combine(note.sent_on, dt.time(0, 0)), kind=TaskKind.THANK_YOU, reason=None,
            status=TaskStatus.DONE, outcome=None, notes=" — ".join(p for p in (note.text, response) if p) or None,
            result_tags=None, staff=note.staff, why=f"To {note.recipient}"))
    entries.sort(key=lambda e: (e.planned, e.when), reverse=True)
    return entries
