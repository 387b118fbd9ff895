"""The day's calls for each caller, and how loaded each day of the calendar is.

For a date: every pending task due then (today, also those overdue), scored by
core.scheduling.priority; overdue calls and calls that must happen before a deadline (a
heads-up before a change) come first, so a backlog never pushes a heads-up past its
date; one task per customer; handed to callers up to
their daily quota (a task's own caller or the customer's, else whoever has most room). A
customer is on at most one list a day; do-not-call customers and numbers flagged wrong never
appear, nor calls to customers with no phone number (their notes and samples do); closed days
get nothing. Calls already logged that day stay on the list, done, and
count toward the quota. The same data and date always give the same list.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import String, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from core.enums import ChangeStatus, Outcome, Reason, TaskKind, TaskStatus
from core.models import CallLog, CallTask, Change, Customer, StaffMember
from core.scheduling.business_days import BusinessCalendar
from core.scheduling.outcomes import unplanned_calls_on
from core.scheduling.priority import REASON_WEIGHT, score
from core.settings import Settings, load_settings

FREE_MINUTES_CALLS = 3
SOON = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class AgendaCall:
    task_id: int
    customer_id: int
    customer: str
    company: str | None
    phone: str | None
    staff_id: int | None
    staff: str | None
    reason: Reason
    kind: TaskKind
    change_id: int | None
    due: dt.date
    time: dt.time | None
    priority: float
    why: str
    explanation: str
    done: bool
    outcome: Outcome | None  # for calls already logged that day
    overdue: bool
    attempts: int


@dataclass(frozen=True)
class CallerDay:
    staff_id: int
    name: str
    quota: int
    count: int  # calls on their list that day, done ones included
    done: int  # calls made that day: their list's, and calls for no reason


@dataclass(frozen=True)
class DailyAgenda:
    date: dt.date
    closed: bool
    closed_reason: str | None
    staff: tuple[CallerDay, ...]
    calls: tuple[AgendaCall, ...]  # caller by caller, each in calling order

    def for_staff(self, staff_id: int | None) -> list[AgendaCall]:
        return [call for call in self.calls if staff_id is None or call.staff_id == staff_id]

    def pending(self, staff_id: int | None = None) -> list[AgendaCall]:
        return [call for call in self.for_staff(staff_id) if not call.done]


def _callers(session: Session) -> list[tuple[int, str, int]]:
    return [tuple(row) for row in session.execute(
        select(StaffMember.id, StaffMember.name, StaffMember.daily_quota)
        .where(StaffMember.active, StaffMember.daily_quota > 0).order_by(StaffMember.name, StaffMember.id))]


def _closed_reason(calendar: BusinessCalendar, day: dt.date) -> str:
    holiday = calendar.holiday_name(day)
    if holiday:
        return f"Closed: {holiday}"
    if day.weekday() not in calendar.open_weekdays:
        return f"Closed on {day:%A}s"
    return "Closed"


def daily_agenda(session: Session, day: dt.date, today: dt.date, settings: Settings | None = None) -> DailyAgenda:
    settings = settings or load_settings(session)
    calendar = BusinessCalendar.from_settings(settings)
    callers = _callers(session)
    names = {sid: name for sid, name, _q in callers}
    if not calendar.is_open(day):
        return DailyAgenda(day, True, _closed_reason(calendar, day),
                           tuple(CallerDay(sid, name, quota, 0, 0) for sid, name, quota in callers), ())

    # Calls already logged that day: shown done, counted toward the caller's quota.
    done: dict[int, tuple[Outcome, int | None]] = {}
    done_count: dict[int, int] = defaultdict(int)
    handled_customers: set[int] = set()
    for task_id, customer_id, outcome, staff_id in _logged_on(session, day):
        done[task_id] = (outcome, staff_id)
        handled_customers.add(customer_id)
        if staff_id in names:
            done_count[staff_id] += 1
    # Calls for no reason (logged without a task) count toward the caller's day too.
    unplanned_done: dict[int, int] = defaultdict(int)
    for customer_id, staff_id in unplanned_calls_on(session, day):
        handled_customers.add(customer_id)
        if staff_id in names:
            done_count[staff_id] += 1
            unplanned_done[staff_id] += 1

    # Rank every due task on narrow rows; details are read only for the calls that make a list.
    # This loop meets thousands of rows on a big business, so it works on plain values.
    weights = {reason.value: weight for reason, weight in REASON_WEIGHT.items()}
    log10 = math.log10
    day_text = day.isoformat()
    ranked = []
    for task_id, customer_id, reason, due_on, due_time, deadline, staff_id, value_cents, assigned in (
            [] if day < today else _candidates(session, day, today)):
        if customer_id in handled_customers:
            continue
        due_on, due_time, deadline = _iso(due_on), _iso(due_time), _iso(deadline)
        urgency = 1.0 if deadline is None else \
            1.0 + 4.0 / (1 + max((dt.date.fromisoformat(deadline) - day).days, 0))
        value = weights[reason] * urgency * (1.0 + log10(1 + max(value_cents, 0) / 100) / 2)
        pressing = due_on < day_text or deadline is not None
        ranked.append((0 if pressing else 1, -round(value, 1), due_time or "99", due_on, task_id,
                       customer_id, staff_id, assigned, reason))
    ranked.sort()

    room = {sid: quota - done_count[sid] for sid, _n, quota in callers}
    chosen: dict[int, int] = {}
    seen_customers: set[int] = set()
    for *_key, task_id, customer_id, planned_staff, assigned, reason in ranked:
        if customer_id in seen_customers:
            continue
        staff_id = _choose_caller(reason, planned_staff, assigned, room)
        if staff_id is None:
            if not any(left > 0 for left in room.values()):
                break
            continue
        room[staff_id] -= 1
        seen_customers.add(customer_id)
        chosen[task_id] = staff_id

    details = _details(session, list(done) + list(chosen))
    lists: dict[int, list[AgendaCall]] = defaultdict(list)
    for task_id, (outcome, staff_id) in done.items():
        lists[staff_id].append(_call(details[task_id], day, staff_id, names.get(staff_id), settings, outcome))
    for task_id, staff_id in chosen.items():
        lists[staff_id].append(_call(details[task_id], day, staff_id, names[staff_id], settings, None))

    ordered: list[AgendaCall] = []
    staff_days = []
    for sid, name, quota in callers:
        mine = lists.get(sid, [])
        ordered += [c for c in mine if c.done] + [c for c in mine if not c.done]
        staff_days.append(CallerDay(sid, name, quota, len(mine), sum(1 for c in mine if c.done) + unplanned_done[sid]))
    return DailyAgenda(day, False, None, tuple(staff_days), tuple(ordered))


def _choose_caller(reason: str, planned_staff: int | None, assigned: int | None, room: dict[int, int]) -> int | None:
    for preferred in (planned_staff, assigned):
        if preferred in room and room[preferred] > 0:
            return preferred
    if reason == Reason.CALLBACK.value and planned_staff in room:
        return None  # a callback promised by one caller waits for that caller
    free = [sid for sid, left in room.items() if left > 0]
    if not free:
        return None
    return max(free, key=lambda sid: (room[sid], -sid))


def _candidates(session: Session, day: dt.date, today: dt.date):
    due = CallTask.due_on <= day if day == today else CallTask.due_on == day
    # Reason, dates and time are read as plain text: converting thousands of rows to enums and
    # date objects costs more than ranking them. ISO text sorts like the dates it holds.
    return session.execute(
        select(CallTask.id, CallTask.customer_id, type_coerce(CallTask.reason, String),
               type_coerce(CallTask.due_on, String), type_coerce(CallTask.due_time, String),
               type_coerce(CallTask.deadline, String), CallTask.staff_id, CallTask.customer_value_cents,
               Customer.assigned_staff_id)
        .join(Customer, Customer.id == CallTask.customer_id)
        .where(CallTask.status == TaskStatus.PENDING, due, Customer.do_not_call.is_(False),
               Customer.needs_data_fix.is_(False),
               # a call needs a number; notes and samples do not
               or_(CallTask.kind != TaskKind.CALL, Customer.phone.is_not(None)))).all()


def _iso(value) -> str | None:
    """Dates and times as ISO text whichever way the database driver returned them."""
    if value is None or value.__class__ is str:
        return value
    return value.isoformat()


def _logged_on(session: Session, day: dt.date) -> list[tuple[int, int, Outcome, int | None]]:
    """(task, customer, outcome, caller) for tasks logged that day, by the latest log of each."""
    start = dt.datetime.combine(day, dt.time.min)
    end = start + dt.timedelta(days=1)
    latest = (select(CallLog.task_id, func.max(CallLog.id).label("log_id"))
              .where(CallLog.logged_at >= start, CallLog.logged_at < end, CallLog.task_id.is_not(None))
              .group_by(CallLog.task_id).subquery())
    rows = session.execute(
        select(CallTask.id, CallTask.customer_id, CallLog.outcome, CallLog.staff_id, CallTask.staff_id)
        .join(latest, latest.c.task_id == CallTask.id).join(CallLog, CallLog.id == latest.c.log_id)
        .order_by(CallLog.logged_at, CallLog.id)).all()
    return [(task_id, customer_id, outcome, caller if caller is not None else planned)
            for task_id, customer_id, outcome, caller, planned in rows]


def _details(session: Session, task_ids: list[int]) -> dict:
    rows = {}
    for start in range(0, len(task_ids), 900):
        chunk = task_ids[start:start + 900]
        for row in session.execute(
                select(CallTask.id, CallTask.customer_id, CallTask.reason, CallTask.kind, CallTask.due_on,
                       CallTask.due_time, CallTask.deadline, CallTask.why, CallTask.change_id, CallTask.attempts,
                       CallTask.customer_value_cents, Customer.name, Customer.company, Customer.phone)
                .join(Customer, Customer.id == CallTask.customer_id).where(CallTask.id.in_(chunk))):
            rows[row.id] = row
    return rows


def _call(row, day: dt.date, staff_id, staff_name, settings: Settings, outcome: Outcome | None) -> AgendaCall:
    reason = Reason(row.reason)
    priority = score(reason, day, row.deadline, row.customer_value_cents, settings.currency_symbol)
    return AgendaCall(
        task_id=row.id, customer_id=row.customer_id, customer=row.name, company=row.company, phone=row.phone,
        staff_id=staff_id, staff=staff_name, reason=reason, kind=TaskKind(row.kind), change_id=row.change_id,
        due=row.due_on, time=row.due_time, priority=priority.score, why=row.why, explanation=priority.explanation,
        done=outcome is not None, outcome=outcome, overdue=outcome is None and row.due_on < day,
        attempts=row.attempts)


def free_minutes(session: Session, now: dt.datetime, staff_id: int | None) -> list[AgendaCall]:
    """"I have 10 free minutes": the top calls due right now for the person at the keyboard."""
    agenda = daily_agenda(session, now.date(), now.date())
    soon = (now + SOON).time()
    ready = [call for call in agenda.pending(staff_id) if call.time is None or call.time <= soon]
    return ready[:FREE_MINUTES_CALLS]


@dataclass(frozen=True)
class DayLoad:
    day: dt.date
    planned: int  # calls on the day's lists (never more than the team's capacity); past days: calls made
    due: int  # tasks due (for today, overdue ones too): more than planned means a backlog
    capacity: int
    closed: bool
    closed_reason: str | None
    changes_ahead: tuple[str, ...]  # titles of changes whose heads-up window covers this day
    changes_today: tuple[str, ...]  # titles of changes taking effect this day


def calendar_load(session: Session, first: dt.date, last: dt.date, today: dt.date) -> dict[dt.date, DayLoad]:
    """Per day from `first` to `last`: calls planned (capped at the team's capacity), closed days,
    and announced changes coming up — for the calendar panel."""
    settings = load_settings(session)
    calendar = BusinessCalendar.from_settings(settings)
    capacity = sum(quota for _sid, _n, quota in _callers(session))
    counts = dict(session.execute(
        select(CallTask.due_on, func.count()).join(Customer, Customer.id == CallTask.customer_id)
        .where(CallTask.status == TaskStatus.PENDING, CallTask.due_on >= first, CallTask.due_on <= last,
               Customer.do_not_call.is_(False)).group_by(CallTask.due_on)).all())
    # Past days show the calls made that day: what was due then has rolled over to today.
    for day in [d for d in counts if d < today]:
        del counts[day]
    if first < today:
        start, end = dt.datetime.combine(first, dt.time.min), dt.datetime.combine(min(last, today), dt.time.min)
        made = session.execute(
            select(CallLog.logged_at).where(CallLog.logged_at >= start, CallLog.logged_at < end)).scalars()
        for moment in made:
            moment = moment if isinstance(moment, dt.datetime) else dt.datetime.fromisoformat(str(moment))
            counts[moment.date()] = counts.get(moment.date(), 0) + 1
    if first <= today <= last:
        counts[today] = session.scalar(
            select(func.count()).select_from(CallTask).join(Customer, Customer.id == CallTask.customer_id)
            .where(CallTask.status == TaskStatus.PENDING, CallTask.due_on <= today,
                   Customer.do_not_call.is_(False))) or 0
    changes = session.execute(select(Change.title, Change.effective_on, Change.window_start_days)
                              .where(Change.status == ChangeStatus.ACTIVE, Change.effective_on >= first)).all()
    loads = {}
    day = first
    while day <= last:
        is_open = calendar.is_open(day)
        ahead = tuple(title for title, effective, start in changes
                      if effective > day and (effective - day).days <= start)
        today_changes = tuple(title for title, effective, _s in changes if effective == day)
        due = counts.get(day, 0) if is_open else 0
        loads[day] = DayLoad(day, min(due, capacity), due, capacity, not is_open,
                             None if is_open else _closed_reason(calendar, day), ahead, today_changes)
        day += dt.timedelta(days=1)
    return loads
