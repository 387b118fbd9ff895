"""Reading the stored plan: each day's lines, capacity and load, the waiting pool, expiries.

The calendar, the day's list (core.scheduling.agenda) and `plan --json` all read the lines the
planner stored, through `plan_lines`, so they can never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.storage.enums import TaskKind, TaskStatus
from core.storage.models import CallTask, Customer, PlannedCall, PlanWaiting, StaffMember
from core.scheduling.business_days import BusinessCalendar
from core.settings import load_settings


@dataclass(frozen=True)
class PlanDay:
    date: dt.date
    open: bool
    capacity: int  # the quotas of the callers working that day
    planned: int  # calls on the lists (notes and samples are not calls)


@dataclass(frozen=True)
class PlanLine:
    task_id: int
    customer_id: int
    customer: str
    date: dt.date
    time: dt.time | None
    staff_id: int | None
    staff: str | None
    reasons: tuple[str, ...]
    why: str
    value: float
    is_call: bool


@dataclass(frozen=True)
class StoredPlan:
    first: dt.date
    last: dt.date
    days: tuple[PlanDay, ...]
    waiting: int  # touches that did not fit, whose window meets these days
    expired: int  # touches whose window closed unplanned, recorded on these days
    calls: tuple[PlanLine, ...]  # day by day, caller by caller, in calling order


def calling_order(line) -> tuple:
    """Timed callbacks first, by their time; then the most valuable calls."""
    value = line.value if isinstance(line, PlanLine) else line.priority
    return (line.time is None, line.time or dt.time.min, -value, line.task_id)


def plan_lines(session: Session, first: dt.date, last: dt.date, staff_id: int | None = None) -> list[PlanLine]:
    """Stored lines from `first` to `last` whose task is still pending, whose customer may still
    be called (a customer marked do-not-call today leaves the list at once) and whose caller
    still calls."""
    query = (select(PlannedCall.task_id, PlannedCall.customer_id, Customer.name, PlannedCall.day, PlannedCall.time,
                    PlannedCall.staff_id, StaffMember.name, PlannedCall.reasons, PlannedCall.why, PlannedCall.value,
                    PlannedCall.is_call)
             .join(CallTask, CallTask.id == PlannedCall.task_id).join(Customer, Customer.id == PlannedCall.customer_id)
             .join(StaffMember, StaffMember.id == PlannedCall.staff_id)
             .where(StaffMember.active, StaffMember.daily_quota > 0, PlannedCall.day >= first, PlannedCall.day <= last, CallTask.status == TaskStatus.PENDING,
                    Customer.do_not_call.is_(False), Customer.needs_data_fix.is_(False),
                    or_(CallTask.kind != TaskKind.CALL, Customer.phone.is_not(None))))
    if staff_id is not None:
        query = query.where(PlannedCall.staff_id == staff_id)
    lines = [PlanLine(task_id, customer_id, customer, day, time, sid, staff, tuple(reasons.split(",")), why, value,
                      is_call)
             for task_id, customer_id, customer, day, time, sid, staff, reasons, why, value, is_call
             in session.execute(query)]
    lines.sort(key=lambda line: (line.date, line.staff or "", line.staff_id or 0) + calling_order(line))
    return lines


def stored_plan(session: Session, first: dt.date, last: dt.date, today: dt.date,
                staff_id: int | None = None) -> StoredPlan:
    """The plan from `first` to `last` (days before today have no lines left: what was not
    called then is planned again)."""
    calendar = BusinessCalendar.from_settings(load_settings(session))
    callers = select(func.coalesce(func.sum(StaffMember.daily_quota), 0)).where(
        StaffMember.active, StaffMember.daily_quota > 0)
    if staff_id is not None:
        callers = callers.where(StaffMember.id == staff_id)
    capacity = session.scalar(callers) or 0
    calls = tuple(plan_lines(session, max(first, today), last, staff_id)) if last >= today else ()
    planned: dict[dt.date, int] = {}
    for line in calls:
        if line.is_call:
            planned[line.date] = planned.get(line.date, 0) + 1
    days = []
    day = first
    while day <= last:
        is_open = calendar.is_open(day)
        days.append(PlanDay(day, is_open, capacity if is_open else 0, planned.get(day, 0)))
        day += dt.timedelta(days=1)
    waiting = session.scalar(select(func.count()).select_from(PlanWaiting).where(
        PlanWaiting.window_start <= last, PlanWaiting.window_end >= first)) or 0
    expired = session.scalar(select(func.count()).select_from(CallTask).where(
        CallTask.expired_on >= first, CallTask.expired_on <= last)) or 0
    return StoredPlan(first, last, tuple(days), waiting, expired, calls)
