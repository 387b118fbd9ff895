"""The day's calls for each caller, and how loaded each day of the calendar is.

Both read the stored plan (core.scheduling.planner), never all pending work: a day's list is
its stored lines (timed callbacks first, by their time, then the most valuable calls), plus the
calls already logged that day, shown done and counted toward the caller's quota. Lines whose
customer has since become do-not-call, a wrong number or lost their phone leave the list at
once; closed days get nothing. The same data and date always give the same list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.dates import date_text
from core.storage.enums import ChangeStatus, Outcome, Reason, TaskKind
from core.storage.models import CallLog, CallTask, Change, Customer, PlannedCall, PlanWaiting, StaffMember
from core.scheduling.business_days import BusinessCalendar
from core.scheduling.plan_view import calling_order, plan_lines
from core.scheduling.priority import explain
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
        return f"Closed on {date_text(day, '%A')}s"
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
    for task_id, _customer_id, outcome, staff_id in _logged_on(session, day):
        done[task_id] = (outcome, staff_id)
        if staff_id in names:
            done_count[staff_id] += 1
    # Calls for no reason (logged without a task) count toward the caller's day too; what such a
    # call served has already left the stored plan (log_unplanned_call re-plans its customer).
    unplanned_done: dict[int, int] = defaultdict(int)
    for _customer_id, staff_id in unplanned_calls_on(session, day):
        if staff_id in names:
            done_count[staff_id] += 1
            unplanned_done[staff_id] += 1

    # The stored plan (core.scheduling.planner): the day's lines as the planner levelled them.
    # Lines of a day already past are not shown: what was not called then is planned again.
    chosen = {line.task_id: line for line in (plan_lines(session, day, day) if day >= today else [])
              if line.task_id not in done}

    details = _details(session, list(done) + list(chosen))
    lists: dict[int, list[AgendaCall]] = defaultdict(list)
    for task_id, (outcome, staff_id) in done.items():
        lists[staff_id].append(_call(details[task_id], day, staff_id, names.get(staff_id), settings, outcome))
    for task_id, line in chosen.items():
        # A stored line may cover several reasons: it is worth their sum. Its priority is the worth
        # the planner placed it by (the same formula, core.scheduling.priority.worth).
        call = _call(details[task_id], day, line.staff_id, names.get(line.staff_id), settings, None,
                     tuple(Reason(r) for r in line.reasons if r))
        lists[line.staff_id].append(replace(call, priority=line.value, why=line.why, time=line.time))
    for mine in lists.values():
        mine.sort(key=lambda c: (c.done,) + calling_order(c))

    ordered: list[AgendaCall] = []
    staff_days = []
    for sid, name, quota in callers:
        mine = lists.get(sid, [])
        ordered += [c for c in mine if c.done] + [c for c in mine if not c.done]
        staff_days.append(CallerDay(sid, name, quota, len(mine), sum(1 for c in mine if c.done) + unplanned_done[sid]))
    return DailyAgenda(day, False, None, tuple(staff_days), tuple(ordered))


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


def unplanned_calls_on(session: Session, day: dt.date) -> list[tuple[int, int | None]]:
    """(customer, caller) for each call for no reason logged on `day`, for the day's progress."""
    start = dt.datetime.combine(day, dt.time.min)
    # Read the day's logs by their moment and keep those without a task here: asked for
    # "task_id IS NULL", SQLite would walk the task index over years of logs that have none.
    rows = session.execute(
        select(CallLog.task_id, CallLog.customer_id, CallLog.staff_id)
        .where(CallLog.logged_at >= start, CallLog.logged_at < start + dt.timedelta(days=1)).order_by(CallLog.id))
    return [(customer_id, staff_id) for task_id, customer_id, staff_id in rows if task_id is None]


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


def _call(row, day: dt.date, staff_id, staff_name, settings: Settings, outcome: Outcome | None,
          reasons: tuple[Reason, ...] = ()) -> AgendaCall:
    reason = Reason(row.reason)
    priority = explain(reasons or (reason,), row.customer_value_cents or 0, day, row.deadline,
                       settings.currency_symbol)
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
    planned: int  # lines on the day's lists, notes included (timed callbacks may take it over capacity);
    # past days: calls made
    due: int  # the same as planned: the plan never puts more on a day than the team can call
    capacity: int
    closed: bool
    closed_reason: str | None
    changes_ahead: tuple[str, ...]  # titles of changes whose heads-up window covers this day
    changes_today: tuple[str, ...]  # titles of changes taking effect this day
    waiting: int = 0  # wanted calls that did not fit and whose window closes this day


def calendar_load(session: Session, first: dt.date, last: dt.date, today: dt.date,
                  settings: Settings | None = None) -> dict[dt.date, DayLoad]:
    """Per day from `first` to `last`: calls on the stored lists, the team's capacity, closed days,
    calls that did not fit, and announced changes coming up — for the calendar panel."""
    settings = settings or load_settings(session)
    calendar = BusinessCalendar.from_settings(settings)
    capacity = sum(quota for _sid, _n, quota in _callers(session))
    counts: dict[dt.date, int] = defaultdict(int)
    if last >= today:
        counts.update(session.execute(
            select(PlannedCall.day, func.count()).where(PlannedCall.day >= max(first, today),
                                                        PlannedCall.day <= last)
            .group_by(PlannedCall.day)).all())
    # Past days (and today) show the calls made that day too.
    if first <= today:
        start = dt.datetime.combine(first, dt.time.min)
        end = dt.datetime.combine(min(last, today) + dt.timedelta(days=1), dt.time.min)
        # Counted per day by the database (date() reads a timestamp's day on SQLite and PostgreSQL).
        made = session.execute(
            select(func.date(CallLog.logged_at), func.count())
            .where(CallLog.logged_at >= start, CallLog.logged_at < end).group_by(func.date(CallLog.logged_at)))
        for day, count in made:
            day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
            counts[day] += count
    waiting = dict(session.execute(
        select(PlanWaiting.window_end, func.count()).where(PlanWaiting.window_end >= first,
                                                           PlanWaiting.window_end <= last)
        .group_by(PlanWaiting.window_end)).all())
    changes = session.execute(select(Change.title, Change.effective_on, Change.window_start_days)
                              .where(Change.status == ChangeStatus.ACTIVE, Change.effective_on >= first)).all()
    loads = {}
    day = first
    while day <= last:
        is_open = calendar.is_open(day)
        ahead = tuple(title for title, effective, start in changes
                      if effective > day and (effective - day).days <= start)
        today_changes = tuple(title for title, effective, _s in changes if effective == day)
        planned = counts.get(day, 0) if is_open or day <= today else 0
        loads[day] = DayLoad(day, planned, planned, capacity, not is_open,
                             None if is_open else _closed_reason(calendar, day), ahead, today_changes,
                             waiting.get(day, 0))
        day += dt.timedelta(days=1)
    return loads
