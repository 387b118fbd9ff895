"""The day's calls for each caller, and how loaded each day of the calendar is.

For a date: every pending task due then (today, also those overdue), scored by
core.scheduling.priority, overdue ones first; one task per customer; handed to callers up to
their daily quota (a task's own caller or the customer's, else whoever has most room). A
customer is on at most one list a day; do-not-call customers and numbers flagged wrong never
appear; closed days get nothing. Calls already logged that day stay on the list, done, and
count toward the quota. The same data and date always give the same list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.enums import ChangeStatus, Outcome, Reason, TaskKind, TaskStatus
from core.models import CallLog, CallTask, Change, Customer, Purchase, StaffMember
from core.scheduling.business_days import BusinessCalendar
from core.scheduling.priority import score
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
    done: int


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

    logged = _logged_on(session, day)
    done_calls = []
    done_count: dict[int, int] = defaultdict(int)
    handled_customers: set[int] = set()
    for row, outcome, staff_id in logged:
        handled_customers.add(row.customer_id)
        if staff_id in names:
            done_count[staff_id] += 1
        done_calls.append((row, outcome, staff_id))

    candidates = [] if day < today else _candidates(session, day, today)
    spend = _spend_last_year(session, {row.customer_id for row in candidates} | handled_customers, day)
    scored = []
    for row in candidates:
        if row.customer_id in handled_customers:
            continue
        priority = score(row.reason, day, row.deadline, spend.get(row.customer_id, 0), settings.currency_symbol)
        overdue = row.due_on < day
        scored.append(((0 if overdue else 1, -priority.score, row.due_time or dt.time.max, row.due_on, row.id),
                       row, priority, overdue))
    scored.sort(key=lambda item: item[0])

    room = {sid: quota - done_count[sid] for sid, _n, quota in callers}
    lists: dict[int, list[AgendaCall]] = defaultdict(list)
    for row, outcome, staff_id in done_calls:
        priority = score(row.reason, day, row.deadline, spend.get(row.customer_id, 0), settings.currency_symbol)
        lists[staff_id].append(_call(row, staff_id, names.get(staff_id), priority, True, outcome, False))
    seen_customers: set[int] = set()
    for _key, row, priority, overdue in scored:
        if row.customer_id in seen_customers:
            continue
        staff_id = _choose_caller(row, room)
        if staff_id is None:
            if not any(r > 0 for r in room.values()):
                break
            continue
        room[staff_id] -= 1
        seen_customers.add(row.customer_id)
        lists[staff_id].append(_call(row, staff_id, names[staff_id], priority, False, None, overdue))

    ordered: list[AgendaCall] = []
    staff_days = []
    for sid, name, quota in callers:
        mine = lists.get(sid, [])
        ordered += [c for c in mine if c.done] + [c for c in mine if not c.done]
        staff_days.append(CallerDay(sid, name, quota, len(mine), sum(1 for c in mine if c.done)))
    return DailyAgenda(day, False, None, tuple(staff_days), tuple(ordered))


def _choose_caller(row, room: dict[int, int]) -> int | None:
    for preferred in (row.staff_id, row.assigned_staff_id):
        if preferred in room and room[preferred] > 0:
            return preferred
    if row.reason == Reason.CALLBACK and row.staff_id in room:
        return None  # a callback promised by one caller waits for that caller
    free = [sid for sid, left in room.items() if left > 0]
    if not free:
        return None
    return max(free, key=lambda sid: (room[sid], -sid))


_TASK_COLUMNS = (CallTask.id, CallTask.customer_id, CallTask.reason, CallTask.kind, CallTask.due_on,
                 CallTask.due_time, CallTask.deadline, CallTask.why, CallTask.staff_id, CallTask.change_id,
                 CallTask.attempts, Customer.name, Customer.company, Customer.phone,
                 Customer.assigned_staff_id)


def _candidates(session: Session, day: dt.date, today: dt.date):
    due = CallTask.due_on <= day if day == today else CallTask.due_on == day
    return session.execute(
        select(*_TASK_COLUMNS).join(Customer, Customer.id == CallTask.customer_id)
        .where(CallTask.status == TaskStatus.PENDING, due, Customer.do_not_call.is_(False),
               Customer.needs_data_fix.is_(False))).all()


def _logged_on(session: Session, day: dt.date):
    """Tasks logged that day (latest log per task), with the outcome and who called."""
    start = dt.datetime.combine(day, dt.time.min)
    end = start + dt.timedelta(days=1)
    latest = (select(CallLog.task_id, func.max(CallLog.id).label("log_id"))
              .where(CallLog.logged_at >= start, CallLog.logged_at < end, CallLog.task_id.is_not(None))
              .group_by(CallLog.task_id).subquery())
    rows = session.execute(
        select(*_TASK_COLUMNS, CallLog.outcome, CallLog.staff_id.label("caller_id"))
        .join(latest, latest.c.task_id == CallTask.id).join(CallLog, CallLog.id == latest.c.log_id)
        .join(Customer, Customer.id == CallTask.customer_id).order_by(CallLog.logged_at, CallLog.id)).all()
    return [(row, row.outcome, row.caller_id if row.caller_id is not None else row.staff_id) for row in rows]


def _spend_last_year(session: Session, customer_ids: set[int], day: dt.date) -> dict[int, int]:
    if not customer_ids:
        return {}
    since = day - dt.timedelta(days=365)
    spend: dict[int, int] = {}
    ids = sorted(customer_ids)
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        spend.update(session.execute(
            select(Purchase.customer_id, func.sum(Purchase.amount_cents))
            .where(Purchase.customer_id.in_(chunk), Purchase.purchased_on > since, Purchase.purchased_on <= day)
            .group_by(Purchase.customer_id)).all())
    return {cid: int(total) for cid, total in spend.items()}


def _call(row, staff_id, staff_name, priority, done, outcome, overdue) -> AgendaCall:
    return AgendaCall(
        task_id=row.id, customer_id=row.customer_id, customer=row.name, company=row.company, phone=row.phone,
        staff_id=staff_id, staff=staff_name, reason=Reason(row.reason), kind=TaskKind(row.kind),
        change_id=row.change_id, due=row.due_on, time=row.due_time, priority=priority.score, why=row.why,
        explanation=priority.explanation, done=done, outcome=outcome, overdue=overdue, attempts=row.attempts)


def free_minutes(session: Session, now: dt.datetime, staff_id: int | None) -> list[AgendaCall]:
    """"I have 10 free minutes": the top calls due right now for the person at the keyboard."""
    agenda = daily_agenda(session, now.date(), now.date())
    soon = (now + SOON).time()
    ready = [call for call in agenda.pending(staff_id) if call.time is None or call.time <= soon]
    return ready[:FREE_MINUTES_CALLS]


@dataclass(frozen=True)
class DayLoad:
    day: dt.date
    planned: int  # calls that will be on the day's lists (never more than the team's capacity)
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
