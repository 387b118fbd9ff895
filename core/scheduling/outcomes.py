"""What a call's outcome does to the plan.

- reached: the task is done; what comes next for the customer is reported (or, when the
  caller sets a date and time, a callback is booked then);
- voicemail / no answer: try again after N business days, up to K attempts — a heads-up call
  always before its change's date while a day is left; then fall back to a note;
- wrong number: the customer is flagged for a data fix (their calls wait until it is fixed);
- "please don't call": do-not-call is set and every pending call for them is cancelled.

Each logged outcome returns an UndoRecord; `undo_log` puts everything back as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.enums import Outcome, Reason, ResultTag, TaskKind, TaskStatus
from core.errors import InvalidInput
from core.models import CallLog, CallTask, Customer, StaffMember
from core.scheduling.business_days import BusinessCalendar
from core.scheduling.planner import covered_tasks, forget_logged_line, replan_customers, restore_line, start_day
from core.settings import Settings, load_settings

OUTCOME_LABEL = {
    Outcome.REACHED: "Reached",
    Outcome.VOICEMAIL: "Voicemail",
    Outcome.NO_ANSWER: "No answer",
    Outcome.WRONG_NUMBER: "Wrong number",
    Outcome.DO_NOT_CALL: "Do not call",
}
_TASK_FIELDS = ("status", "attempts", "due_on", "due_time", "deadline", "completed_at", "staff_id")


@dataclass(frozen=True)
class NextStep:
    task_id: int
    customer_id: int
    reason: Reason
    kind: TaskKind
    due: dt.date
    time: dt.time | None
    why: str


@dataclass(frozen=True)
class UndoRecord:
    log_id: int
    tasks_before: tuple[tuple[int, tuple], ...]
    created_task_ids: tuple[int, ...]
    customer_id: int
    customer_flags_before: tuple[bool, bool]  # do_not_call, needs_data_fix
    plan_line_before: tuple | None = None  # the list line the log took off (core.scheduling.planner)


@dataclass(frozen=True)
class LogResult:
    log_id: int
    task_id: int
    customer_id: int
    outcome: Outcome
    message: str
    scheduled: tuple[NextStep, ...]
    cancelled: int
    undo: UndoRecord


def _snapshot(task: CallTask) -> tuple[int, tuple]:
    return task.id, tuple(getattr(task, name) for name in _TASK_FIELDS)


def _next_step(task: CallTask) -> NextStep:
    return NextStep(task.id, task.customer_id, task.reason, task.kind, task.due_on, task.due_time, task.why)


def _parse_tags(tags: Iterable[str]) -> str | None:
    values = []
    for tag in tags:
        try:
            values.append(ResultTag(tag.strip()).value)
        except ValueError:
            allowed = ", ".join(t.value for t in ResultTag)
            raise InvalidInput(f"Unknown result tag '{tag}' (use {allowed}).", field="result_tags") from None
    return ",".join(dict.fromkeys(values)) or None


def log_outcome(
    session: Session,
    task_id: int,
    outcome: Outcome | str,
    now: dt.datetime,
    *,
    staff_id: int | None = None,
    notes: str | None = None,
    result_tags: Iterable[str] = (),
    follow_up: dt.datetime | dt.date | None = None,
    settings: Settings | None = None,
) -> LogResult:
    try:
        outcome = Outcome(outcome)
    except ValueError:
        raise InvalidInput(f"Unknown outcome '{outcome}' (use {', '.join(o.value for o in Outcome)}).",
                           field="outcome") from None
    task = session.get(CallTask, task_id)
    if task is None:
        raise InvalidInput(f"There is no task with id {task_id}.", field="task_id")
    if task.status is not TaskStatus.PENDING:
        raise InvalidInput(f"Task {task_id} is already {task.status.value}; nothing to log.", field="task_id")
    if staff_id is not None and session.get(StaffMember, staff_id) is None:
        raise InvalidInput(f"There is no caller with id {staff_id}.", field="staff_id")
    follow_up_at = _follow_up_moment(follow_up, now)
    settings = settings or load_settings(session)
    calendar = BusinessCalendar.from_settings(settings)
    customer = session.get(Customer, task.customer_id)
    tags = _parse_tags(result_tags)
    before = [_snapshot(task)]
    flags_before = (customer.do_not_call, customer.needs_data_fix)
    today = now.date()

    log = CallLog(task_id=task.id, customer_id=task.customer_id, staff_id=staff_id or task.staff_id,
                  logged_at=now, outcome=outcome, notes=(notes or "").strip() or None, result_tags=tags)
    session.add(log)
    if staff_id is not None:
        task.staff_id = staff_id
    created: list[CallTask] = []
    cancelled = 0

    # The first log of a day fixes its lists; the logged line leaves the list (the log shows it done).
    start_day(session, today)
    covered = covered_tasks(session, task.id)
    plan_line = forget_logged_line(session, task.id)
    if outcome is Outcome.REACHED:
        _finish(task, TaskStatus.DONE, now)
        # One conversation settles every reason the call covered.
        for other_id in covered:
            other = session.get(CallTask, other_id)
            before.append(_snapshot(other))
            _finish(other, TaskStatus.DONE, now)
        message = "Reached." if not covered else f"Reached; it covered {len(covered) + 1} reasons."
    elif outcome in (Outcome.VOICEMAIL, Outcome.NO_ANSWER):
        task.attempts += 1
        retry = calendar.add_open_days(today, settings.retry_business_days)
        last_chance = (calendar.open_on_or_before(task.deadline)
                       if task.deadline is not None and task.reason == Reason.CHANGE_HEADS_UP else None)
        if last_chance is not None and retry > last_chance:
            retry = last_chance if last_chance > today else None
        if task.attempts >= settings.max_attempts or retry is None:
            _finish(task, TaskStatus.SKIPPED, now)
            why = (f"No answer after {task.attempts} tr{'ies' if task.attempts != 1 else 'y'}"
                   if retry is not None else "No day left to call before the date") + f" — send a note: {task.why}"
            note_day = calendar.open_on_or_after(today + dt.timedelta(days=1))
            if last_chance is not None and today < last_chance < note_day:
                note_day = last_chance
            created.append(_new_task(session, task, TaskKind.NOTE, task.reason, note_day, None, why))
            message = "No answer; a note is planned instead of another call."
        else:
            task.due_on, task.due_time = retry, None
            message = f"Will try again on {retry:%a %d %b} (attempt {task.attempts + 1} of {settings.max_attempts})."
    elif outcome is Outcome.WRONG_NUMBER:
        customer.needs_data_fix = True
        message = f"{customer.name}'s number is flagged for a fix; their calls wait until it is corrected."
    else:
        customer.do_not_call = True
        _finish(task, TaskStatus.DONE, now)
        others = session.scalars(select(CallTask).where(
            CallTask.customer_id == customer.id, CallTask.status == TaskStatus.PENDING,
            CallTask.kind == TaskKind.CALL, CallTask.id != task.id)).all()
        for other in others:
            before.append(_snapshot(other))
            _finish(other, TaskStatus.CANCELLED, now)
        cancelled = len(others)
        message = f"{customer.name} will not be called again; {cancelled} planned call(s) cancelled."

    if follow_up_at is not None and outcome is not Outcome.DO_NOT_CALL:
        due = follow_up_at.date()
        created.append(_new_task(session, task, TaskKind.CALL, Reason.CALLBACK, due,
                                 follow_up_at.time() if follow_up_at.time() != dt.time.min else None,
                                 f"Asked to be called back{': ' + log.notes if log.notes else ''}",
                                 keep_change=False))
        message += f" Callback booked for {follow_up_at:%a %d %b}" + (
            f" at {follow_up_at:%H:%M}." if follow_up_at.time() != dt.time.min else ".")
    session.flush()
    replan_customers(session, today, {customer.id}, settings)
    scheduled = [_next_step(t) for t in created]
    if outcome is Outcome.REACHED and not created:
        upcoming = session.scalars(select(CallTask).where(
            CallTask.customer_id == task.customer_id, CallTask.status == TaskStatus.PENDING)
            .order_by(CallTask.due_on, CallTask.id).limit(1)).first()
        if upcoming is not None:
            scheduled.append(_next_step(upcoming))
    elif outcome in (Outcome.VOICEMAIL, Outcome.NO_ANSWER) and task.status is TaskStatus.PENDING:
        scheduled.insert(0, _next_step(task))
    undo = UndoRecord(log.id, tuple(before), tuple(t.id for t in created), customer.id, flags_before, plan_line)
    return LogResult(log.id, task.id, customer.id, outcome, message, tuple(scheduled), cancelled, undo)


def _follow_up_moment(follow_up, now: dt.datetime) -> dt.datetime | None:
    if follow_up is None:
        return None
    moment = follow_up if isinstance(follow_up, dt.datetime) else dt.datetime.combine(follow_up, dt.time.min)
    if moment.date() < now.date():
        raise InvalidInput(f"The follow-up date {moment.date().isoformat()} is in the past.", field="follow_up")
    return moment


def _finish(task: CallTask, status: TaskStatus, now: dt.datetime) -> None:
    task.status = status
    task.completed_at = now


def _new_task(session: Session, origin: CallTask, kind: TaskKind, reason: Reason, due: dt.date,
              time: dt.time | None, why: str, keep_change: bool = True) -> CallTask:
    task = CallTask(customer_id=origin.customer_id, kind=kind, reason=reason, due_on=due, due_time=time,
                    deadline=None, customer_value_cents=origin.customer_value_cents, why=why[:300], staff_id=origin.staff_id,
                    change_id=origin.change_id if keep_change else None, status=TaskStatus.PENDING, attempts=0)
    session.add(task)
    session.flush()
    return task


def undo_log(session: Session, undo: UndoRecord) -> None:
    """Put back the tasks and customer flags as they were before the log, and remove it."""
    for task_id in undo.created_task_ids:
        task = session.get(CallTask, task_id)
        if task is None:
            continue
        if task.status is not TaskStatus.PENDING or session.scalar(
                select(CallLog.id).where(CallLog.task_id == task_id).limit(1)) is not None:
            raise InvalidInput("This log can no longer be undone: what it planned has already been worked on.",
                               field="log")
        session.delete(task)
    for task_id, values in undo.tasks_before:
        task = session.get(CallTask, task_id)
        if task is not None:
            for name, value in zip(_TASK_FIELDS, values):
                setattr(task, name, value)
    customer = session.get(Customer, undo.customer_id)
    if customer is not None:
        customer.do_not_call, customer.needs_data_fix = undo.customer_flags_before
    log = session.get(CallLog, undo.log_id)
    today = log.logged_at.date() if log is not None else None
    if log is not None:
        session.delete(log)
    session.flush()
    if undo.plan_line_before is not None:
        restore_line(session, undo.plan_line_before)
    if today is not None:
        replan_customers(session, today, {undo.customer_id})
    session.flush()
