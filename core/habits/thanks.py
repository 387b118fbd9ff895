"""Thank-you notes: one a day per caller, to a customer, a supplier or a colleague.

A note is logged in seconds (who wrote it, to whom — free text, since a supplier is no
customer —, optionally which customer, optionally what it said) and counts toward the day's
goal next to the calls ("Calls 8 of 10 · Notes 1 of 1"). A response is recorded later, when it
comes (called back, ordered more, asked for a quote). Suggestions point at the people a note
would mean most to, from the caller's own calls of the last seven days:

- customers they reached who had not bought for months (the neglected-customer setting);
- customers who placed an order after their call (tagged on the call, or a purchase since);
- people their call notes name ("Ann Smith sent us"), matched against the customer list.

Customers thanked in the last 30 days are not suggested again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.customers.contact_fields import clean_name
from core.storage.enums import Outcome, ResultTag, ThankYouResponse
from core.errors import InvalidInput
from core.labels import format_day
from core.storage.models import CallLog, Customer, Purchase, StaffMember, ThankYouNote
from core.settings import load_settings

RECIPIENT_MAX = 200
SUGGESTION_DAYS = 7  # "this week": the caller's last seven days, so Monday still has suggestions
THANKED_RECENTLY_DAYS = 30
MAX_SUGGESTIONS = 12
# Names in call notes are matched as runs of two or three words ("Ann Smith", "Mary Ann Lee").
_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)

RESPONSE_LABELS: dict[ThankYouResponse, str] = {
    ThankYouResponse.CALLED_BACK: "Called back",
    ThankYouResponse.ORDERED_MORE: "Ordered more",
    ThankYouResponse.ASKED_FOR_QUOTE: "Asked for a quote",
    ThankYouResponse.REPLIED: "Replied",
}


@dataclass(frozen=True)
class ThankYouEntry:
    id: int
    staff_id: int
    staff: str
    sent_on: dt.date
    recipient: str
    customer_id: int | None
    text: str | None
    response: ThankYouResponse | None
    response_on: dt.date | None


@dataclass(frozen=True)
class Suggestion:
    customer_id: int
    name: str
    why: str


@dataclass(frozen=True)
class NotesProgress:
    written: int
    goal: int


def _entry(note: ThankYouNote, staff_name: str) -> ThankYouEntry:
    return ThankYouEntry(note.id, note.staff_id, staff_name, note.sent_on, note.recipient, note.customer_id,
                         note.text, note.response, note.response_on)


def _staff_name(session: Session, staff_id: int) -> str:
    name = session.scalar(select(StaffMember.name).where(StaffMember.id == staff_id))
    if name is None:
        raise InvalidInput(f"There is no caller with id {staff_id}.", field="staff")
    return name


def log_thank_you(session: Session, staff_id: int, day: dt.date, recipient: str | None, *,
                  customer_id: int | None = None, text: str | None = None) -> ThankYouEntry:
    """Record a note written on `day`. The recipient may be left blank when a customer is given
    (their name is used). InvalidInput names the field before anything is written."""
    staff_name = _staff_name(session, staff_id)
    customer = None
    if customer_id is not None:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise InvalidInput(f"There is no customer with id {customer_id}.", field="customer")
    recipient = clean_name(recipient) or (customer.name if customer else None)
    if not recipient:
        raise InvalidInput("Say who the note is to (a customer, a supplier, a colleague).", field="to")
    if len(recipient) > RECIPIENT_MAX:
        raise InvalidInput(f"The recipient is too long ({len(recipient)} characters, at most {RECIPIENT_MAX}).",
                           field="to")
    note = ThankYouNote(staff_id=staff_id, sent_on=day, recipient=recipient, customer_id=customer_id,
                        text=(text or "").strip() or None)
    session.add(note)
    session.flush()
    return _entry(note, staff_name)


def record_response(session: Session, note_id: int, response: ThankYouResponse | str, day: dt.date) -> ThankYouEntry:
    """What came of a note, recorded on `day` (never before the note was written)."""
    note = session.get(ThankYouNote, note_id)
    if note is None:
        raise InvalidInput(f"There is no thank-you note with id {note_id}.", field="note")
    try:
        response = ThankYouResponse(response)
    except ValueError:
        known = ", ".join(r.value for r in ThankYouResponse)
        raise InvalidInput(f"'{response}' is not a response (responses: {known}).", field="response") from None
    if day < note.sent_on:
        raise InvalidInput(f"A response on {day.isoformat()} would come before the note was written "
                           f"({note.sent_on.isoformat()}).", field="response_on")
    note.response, note.response_on = response, day
    session.flush()
    return _entry(note, _staff_name(session, note.staff_id))


def notes_written(session: Session, first: dt.date, last: dt.date, staff_id: int | None = None) -> list[ThankYouEntry]:
    """Notes written from `first` to `last` (both included), the newest first."""
    query = (select(ThankYouNote, StaffMember.name).join(StaffMember, StaffMember.id == ThankYouNote.staff_id)
             .where(ThankYouNote.sent_on >= first, ThankYouNote.sent_on <= last)
             .order_by(ThankYouNote.sent_on.desc(), ThankYouNote.id.desc()))
    if staff_id is not None:
        query = query.where(ThankYouNote.staff_id == staff_id)
    return [_entry(note, name) for note, name in session.execute(query)]


def notes_for_customer(session: Session, customer_id: int) -> list[ThankYouEntry]:
    return [_entry(note, name) for note, name in session.execute(
        select(ThankYouNote, StaffMember.name).join(StaffMember, StaffMember.id == ThankYouNote.staff_id)
        .where(ThankYouNote.customer_id == customer_id).order_by(ThankYouNote.sent_on.desc()))]


def notes_progress(session: Session, day: dt.date, staff_id: int | None = None) -> NotesProgress:
    """Notes written on `day` against the goal: one caller's, or the whole team's (callers with a quota)."""
    per_day = load_settings(session).thank_you_notes_per_day
    written = select(func.count()).select_from(ThankYouNote).where(
        ThankYouNote.sent_on == day, *([ThankYouNote.staff_id == staff_id] if staff_id is not None else []))
    if staff_id is not None:
        return NotesProgress(session.scalar(written) or 0, per_day)
    callers = select(func.count()).select_from(StaffMember).where(StaffMember.active, StaffMember.daily_quota > 0)
    # Both counts in one statement: the day list's header asks at every window start.
    notes, team = session.execute(select(written.scalar_subquery(), callers.scalar_subquery())).one()
    return NotesProgress(notes or 0, per_day * (team or 0))


# --- suggestions -------------------------------------------------------------------------------

def _name_candidates(text: str) -> set[str]:
    words = [w.strip(".'’-") for w in _WORD.findall(text)]
    words = [w for w in words if w]
    found = set()
    for size in (2, 3):
        for start in range(len(words) - size + 1):
            run = words[start:start + size]
            if run[0][:1].isupper():  # names are written with a capital; "the order" is not one
                found.add(" ".join(run).lower())
    return found


def suggest_thank_yous(session: Session, staff_id: int, today: dt.date) -> list[Suggestion]:
    """Whom `staff_id` might thank today, each with why; the most telling first."""
    _staff_name(session, staff_id)
    settings = load_settings(session)
    since = dt.datetime.combine(today - dt.timedelta(days=SUGGESTION_DAYS - 1), dt.time.min)
    until = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min)
    calls = session.execute(
        select(CallLog.customer_id, Customer.name, CallLog.logged_at, CallLog.outcome, CallLog.result_tags,
               CallLog.notes)
        .join(Customer, Customer.id == CallLog.customer_id)
        .where(CallLog.staff_id == staff_id, CallLog.logged_at >= since, CallLog.logged_at < until)
        .order_by(CallLog.logged_at)).all()
    if not calls:
        return []
    thanked = set(session.scalars(select(ThankYouNote.customer_id).where(
        ThankYouNote.customer_id.is_not(None),
        ThankYouNote.sent_on > today - dt.timedelta(days=THANKED_RECENTLY_DAYS))))
    suggestions: dict[int, Suggestion] = {}

    def suggest(customer_id: int, name: str, why: str) -> None:
        if customer_id not in thanked and customer_id not in suggestions:
            suggestions[customer_id] = Suggestion(customer_id, name, why)

    # Ordered after the call: tagged on the call, or a purchase on or after its day.
    called = {customer_id for customer_id, *_rest in calls}
    purchase_days: dict[int, list[dt.date]] = {}
    for customer_id, day in session.execute(
            select(Purchase.customer_id, Purchase.purchased_on)
            .where(Purchase.customer_id.in_(called), Purchase.purchased_on >= since.date(),
                   Purchase.purchased_on <= today).order_by(Purchase.purchased_on)):
        purchase_days.setdefault(customer_id, []).append(_as_date(day))
    for customer_id, name, when, _outcome, tags, _notes in calls:
        if ResultTag.ORDER_PLACED.value in (tags or "").split(","):
            suggest(customer_id, name, f"Placed an order on your call of {format_day(when.date(), today)}")
            continue
        after = [day for day in purchase_days.get(customer_id, []) if day >= when.date()]
        if after:
            suggest(customer_id, name, f"Bought on {format_day(after[0], today)}, "
                                       f"after your call of {format_day(when.date(), today)}")

    # Named in the caller's notes (someone who sent a customer our way, a helpful site manager).
    # All the notes' name candidates are looked up at once: one pass over the customer list.
    candidates = {index: _name_candidates(call.notes or "") for index, call in enumerate(calls)}
    wanted = set().union(*candidates.values())
    named_by_lower: dict[str, list[tuple[int, str]]] = {}
    if wanted:
        for named_id, named in session.execute(select(Customer.id, Customer.name)
                                               .where(func.lower(Customer.name).in_(wanted)).order_by(Customer.id)):
            named_by_lower.setdefault(named.lower(), []).append((named_id, named))
    for index, (customer_id, name, when, _outcome, _tags, _notes) in enumerate(calls):
        for candidate in sorted(candidates[index]):
            for named_id, named in named_by_lower.get(candidate, []):
                if named_id != customer_id:
                    suggest(named_id, named, f"Named in your notes on the call with {name} "
                                             f"({format_day(when.date(), today)})")

    # Reached, and quiet for months before the call.
    reached = {}
    for customer_id, name, when, outcome, _tags, _notes in calls:
        if outcome == Outcome.REACHED:
            reached.setdefault(customer_id, (name, when))
    if reached:
        last_bought = dict(session.execute(
            select(Purchase.customer_id, func.max(Purchase.purchased_on))
            .where(Purchase.customer_id.in_(reached), Purchase.purchased_on < since.date())
            .group_by(Purchase.customer_id)).all())
        imported = dict(session.execute(select(Customer.id, Customer.imported_last_purchase)
                                        .where(Customer.id.in_(reached))).all())
        for customer_id, (name, when) in reached.items():
            last = _as_date(last_bought.get(customer_id)) or imported.get(customer_id)
            if last is not None and last < when.date() - relativedelta(months=settings.neglected_months):
                suggest(customer_id, name, f"Reached on {format_day(when.date(), today)}; "
                                           f"no purchase since {format_day(last, today)}")
    return list(suggestions.values())[:MAX_SUGGESTIONS]


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
