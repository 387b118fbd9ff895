"""No customer too small to matter: the courtesy floor.

Ranking by value alone would leave the smallest quiet customers uncalled whenever the team is
busy. So every customer with a phone hears from the business at least once every
`courtesy_floor_months`: a share of each day (`courtesy_floor_share`) is kept for them, longest
unheard first. Once a day `top_up_courtesy` plans courtesy calls for as many as the kept share
holds; the planner places them in it (what they leave unused goes to other calls).
`courtesy_outlook` says how many customers the team cannot reach in a year at its capacity, and
how many calls a day more would.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from core.dates import date_text
from core.storage.enums import Outcome, Reason, TaskKind, TaskStatus
from core.storage.models import CallLog, CallTask, Customer, StaffMember
from core.scheduling.business_days import BusinessCalendar
from core.settings import Settings, load_settings

COURTESY_KEY = "courtesy"  # dedupe keys "courtesy:<customer>:<day planned>"


def kept_per_day(capacity: int, settings: Settings) -> int:
    """Calls a day kept for the courtesy floor."""
    return math.ceil(capacity * settings.courtesy_floor_share - 1e-9) if capacity > 0 else 0


def _short(day: dt.date) -> str:
    return f"{day.day} {date_text(day, '%b %Y')}"


def top_up_courtesy(session: Session, today: dt.date, settings: Settings, open_days: int, capacity: int) -> int:
    """Plan courtesy calls for the longest-unheard customers, as many as the kept share of the
    plan's days holds (less those already waiting); returns how many were planned."""
    slots = kept_per_day(capacity, settings) * open_days
    waiting = session.scalar(select(func.count()).select_from(CallTask).where(
        CallTask.status == TaskStatus.PENDING, CallTask.dedupe_key.like(f"{COURTESY_KEY}:%"))) or 0
    room = slots - waiting
    if room <= 0:
        return 0
    cutoff = dt.datetime.combine(today - relativedelta(months=settings.courtesy_floor_months), dt.time.min)
    heard = (select(CallLog.customer_id, func.max(CallLog.logged_at).label("last"))
             .where(CallLog.outcome == Outcome.REACHED).group_by(CallLog.customer_id).subquery())
    since = func.coalesce(heard.c.last, Customer.created_at)
    has_call = select(CallTask.customer_id).where(CallTask.status == TaskStatus.PENDING,
                                                  CallTask.kind == TaskKind.CALL)
    candidates = session.execute(
        select(Customer.id, heard.c.last, Customer.created_at).outerjoin(heard, heard.c.customer_id == Customer.id)
        .where(Customer.do_not_call.is_(False), Customer.needs_data_fix.is_(False), Customer.phone.is_not(None),
               since < cutoff, Customer.id.not_in(has_call))
        .order_by(since, Customer.id).limit(room)).all()
    rows = []
    for customer_id, last, created in candidates:
        why = (f"Has not heard from you since {_short(_day(last))} — courtesy call" if last is not None else
               f"No conversation on record since {_short(_day(created))} — courtesy call")
        rows.append({"customer_id": customer_id, "kind": TaskKind.CALL, "reason": Reason.NEGLECTED, "due_on": today,
                     "due_time": None, "deadline": None, "customer_value_cents": 0, "why": why,
                     "status": TaskStatus.PENDING, "attempts": 0,
                     "dedupe_key": f"{COURTESY_KEY}:{customer_id}:{today.isoformat()}"})
    if rows:
        session.execute(insert(CallTask), rows)
    return len(rows)


def _day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.datetime.fromisoformat(str(value)).date()


@dataclass(frozen=True)
class CourtesyOutlook:
    customers: int  # customers with a phone who may be called
    reachable_in_a_year: int  # courtesy calls the kept share holds in the coming year
    not_reached: int  # customers who will not hear from the business this year
    extra_calls_per_day: int  # what would reach them
    message: str


def courtesy_outlook(session: Session, today: dt.date) -> CourtesyOutlook:
    """How many customers cannot hear from the business within the floor's interval, and the
    extra calls a day that would reach them."""
    settings = load_settings(session)
    capacity = session.scalar(select(func.coalesce(func.sum(StaffMember.daily_quota), 0))
                              .where(StaffMember.active, StaffMember.daily_quota > 0)) or 0
    customers = session.scalar(select(func.count()).select_from(Customer).where(
        Customer.do_not_call.is_(False), Customer.needs_data_fix.is_(False), Customer.phone.is_not(None))) or 0
    calendar = BusinessCalendar.from_settings(settings)
    open_days = sum(1 for _ in calendar.open_days(today, today + dt.timedelta(days=364)))
    needed = math.ceil(customers * 12 / settings.courtesy_floor_months)
    reachable = kept_per_day(capacity, settings) * open_days
    short = max(needed - reachable, 0)
    extra = math.ceil(short / open_days) if short and open_days else 0
    if short:
        message = (f"{short:,} customer{'s' if short != 1 else ''} will not hear from you this year: "
                   f"add {extra} call{'s' if extra != 1 else ''} a day.")
    else:
        message = f"Every one of your {customers:,} customers with a phone can hear from you this year."
    return CourtesyOutlook(customers, reachable, short, extra, message)
