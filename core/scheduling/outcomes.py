"""What a call's outcome does to the plan.

- reached: the task is done; what comes next for the customer is reported (or, when the
  caller sets a date and time, a callback is booked then);
- voicemail / no answer: try again after N business days, up to K attempts — a heads-up call
  always before its change's date while a day is left; then fall back to a note;
- wrong number: the customer is flagged for a data fix (their calls wait until it is fixed);
- "please don't call": do-not-call is set and every pending call for them is cancelled.

A call for no reason (`log_unplanned_call`) is a log with no task: it has the same outcomes,
tags, notes and callback; reached, it counts as the conversation that keep-in-touch and
courtesy calls wait for (their pending calls for the customer are done by it), and it counts
toward the caller's day (core.scheduling.agenda's `unplanned_calls_on`). A reached call tagged "quote won" or "quote
lost" decides the quote it is about (core.customers.quotes), cancelling its other follow-ups.

Each logged outcome returns an UndoRecord; `undo_log` puts everything back as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.dates import date_text
from core.storage.enums import Outcome, QuoteStatus, Reason, ResultTag, TaskKind, TaskStatus
from core.errors import InvalidInput, UndoOutdated
from core.labels import OUTCOME_LABELS
from core.limits import check_date
from core.storage.models import CallLog, CallTask, Customer, Quote, StaffMember
from core.scheduling.business_days import BusinessCalendar
from core.scheduling.value import spend_last_year
from core.scheduling.planner import covered_tasks, forget_logged_line, replan_customers, restore_line, start_day
from core.settings import Settings, load_settings

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
    # A quote the call decided: (quote id, status, decided on, staff id) as they were before.
    quote_before: tuple[int, QuoteStatus, dt.date | None, int | None] | None = None
    # As the log left them: undo refuses once another window or command has changed them since.
    tasks_after: tuple[tuple[int, tuple], ...] = ()
    customer_flags_after: tuple[bool, bool] | None = None
    plan_line_before: tuple | None = None  # the list line the log took off (core.scheduling.planner)


@dataclass(frozen=True)
class LogResult:
    log_id: int
    task_id: int | None  # None for a call for no reason
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


def _logged_by(session: Session, task: CallTask) -> str:
    """"Already logged by Maria at 10:42: ", from the task's last call log ("" when it has none)."""
    last = session.scalar(select(CallLog).where(CallLog.task_id == task.id).order_by(CallLog.id.desc()).limit(1))
    if last is None:
        return ""
    caller = session.get(StaffMember, last.staff_id) if last.staff_id is not None else None
    return f"Already logged by {caller.name if caller else 'another desk'} at {last.logged_at:%H:%M}: "


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
    outcome = _outcome(outcome)
    # Locked until the action ends: another desk logging the same call at the same moment waits,
    # then sees it logged (on a server; SQLite's BEGIN IMMEDIATE already serialises the two).
    task = session.get(CallTask, task_id, with_for_update=True)
    if task is None:
        raise InvalidInput(f"There is no task with id {task_id}.", field="task_id")
    if task.status is not TaskStatus.PENDING:
        raise InvalidInput(f"{_logged_by(session, task)}Task {task_id} is already {task.status.value}; nothing to log.",
                           field="task_id")
    _check_caller(session, staff_id)
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
            message = (f"Will try again on {date_text(retry, '%a %d %b')} "
                       f"(attempt {task.attempts + 1} of {settings.max_attempts}).")
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

    quote_before, quote_message = _decide_quote_from_tags(session, tags, outcome, task.quote_id, customer,
                                                          log.staff_id, today, before)
    message += quote_message
    if follow_up_at is not None and outcome is not Outcome.DO_NOT_CALL:
        created.append(_book_callback(session, log, follow_up_at, task.staff_id, task.customer_value_cents))
        message += _callback_message(follow_up_at)
    return _finish_log(session, log, customer, outcome, message, cancelled, created, before, flags_before,
                       quote_before, task=task, plan_line=plan_line, settings=settings)


def _callback_message(follow_up_at: dt.datetime) -> str:
    return f" Callback booked for {date_text(follow_up_at, '%a %d %b')}" + (
        f" at {follow_up_at:%H:%M}." if follow_up_at.time() != dt.time.min else ".")


# Pending calls a conversation serves whatever it was about: "just checking in" and courtesy calls.
SERVED_BY_ANY_CONVERSATION = (Reason.KEEP_IN_TOUCH, Reason.NEGLECTED)


def log_unplanned_call(
    session: Session,
    customer_id: int,
    outcome: Outcome | str,
    now: dt.datetime,
    *,
    staff_id: int | None = None,
    notes: str | None = None,
    result_tags: Iterable[str] = (),
    follow_up: dt.datetime | dt.date | None = None,
) -> LogResult:
    """A call made for no reason (no planned task): logged with the same outcomes, tags, notes and
    callback as a planned one."""
    outcome = _outcome(outcome)
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise InvalidInput(f"There is no customer with id {customer_id}.", field="customer")
    _check_caller(session, staff_id)
    follow_up_at = _follow_up_moment(follow_up, now)
    tags = _parse_tags(result_tags)
    today = now.date()
    flags_before = (customer.do_not_call, customer.needs_data_fix)
    before: list[tuple[int, tuple]] = []
    log = CallLog(task_id=None, customer_id=customer.id, staff_id=staff_id or customer.assigned_staff_id,
                  logged_at=now, outcome=outcome, notes=(notes or "").strip() or None, result_tags=tags)
    session.add(log)
    cancelled = 0
    pending_calls = session.scalars(select(CallTask).where(
        CallTask.customer_id == customer.id, CallTask.status == TaskStatus.PENDING, CallTask.kind == TaskKind.CALL)
        .order_by(CallTask.due_on, CallTask.id)).all()
    if outcome is Outcome.REACHED:
        served = [task for task in pending_calls if task.reason in SERVED_BY_ANY_CONVERSATION]
        for task in served:
            before.append(_snapshot(task))
            _finish(task, TaskStatus.DONE, now)
        message = f"Reached {customer.name} — a call for no reason."
        if served:
            message += f" {len(served)} planned check-in call(s) done by it."
    elif outcome in (Outcome.VOICEMAIL, Outcome.NO_ANSWER):
        message = f"{OUTCOME_LABELS[outcome]}: logged for {customer.name}; nothing else changes."
    elif outcome is Outcome.WRONG_NUMBER:
        customer.needs_data_fix = True
        message = f"{customer.name}'s number is flagged for a fix; their calls wait until it is corrected."
    else:
        customer.do_not_call = True
        for task in pending_calls:
            before.append(_snapshot(task))
            _finish(task, TaskStatus.CANCELLED, now)
        cancelled = len(pending_calls)
        message = f"{customer.name} will not be called again; {cancelled} planned call(s) cancelled."
    session.flush()
    quote_before, quote_message = _decide_quote_from_tags(session, tags, outcome, None, customer, log.staff_id,
                                                          today, before)
    message += quote_message
    created: list[CallTask] = []
    if follow_up_at is not None and outcome is not Outcome.DO_NOT_CALL:
        value = spend_last_year(session, [customer.id], today).get(customer.id, 0)
        created.append(_book_callback(session, log, follow_up_at, log.staff_id, value))
        message += _callback_message(follow_up_at)
    # What the call served leaves the stored plan at once.
    return _finish_log(session, log, customer, outcome, message, cancelled, created, before, flags_before,
                       quote_before)


def _check_caller(session: Session, staff_id: int | None) -> None:
    if staff_id is not None and session.get(StaffMember, staff_id) is None:
        raise InvalidInput(f"There is no caller with id {staff_id}.", field="staff_id")


def _book_callback(session: Session, log: CallLog, follow_up_at: dt.datetime, staff_id: int | None,
                   value_cents: int) -> CallTask:
    """The callback the customer asked for, at the moment they named (a day alone: any time that day)."""
    callback = CallTask(customer_id=log.customer_id, kind=TaskKind.CALL, reason=Reason.CALLBACK,
                        due_on=follow_up_at.date(),
                        due_time=follow_up_at.time() if follow_up_at.time() != dt.time.min else None,
                        deadline=None, customer_value_cents=value_cents, staff_id=staff_id, change_id=None,
                        status=TaskStatus.PENDING, attempts=0,
                        why=f"Asked to be called back{': ' + log.notes if log.notes else ''}"[:300])
    session.add(callback)
    session.flush()
    return callback


def _finish_log(session: Session, log: CallLog, customer: Customer, outcome: Outcome, message: str, cancelled: int,
                created: list[CallTask], before: list[tuple[int, tuple]], flags_before: tuple[bool, bool],
                quote_before: tuple | None, *, task: CallTask | None = None, plan_line: tuple | None = None,
                settings: Settings | None = None) -> LogResult:
    """What every log ends with, planned or not: the customer's calls planned again, what comes
    next, and the record that lets undo put everything back (refusing once others changed it)."""
    session.flush()
    replan_customers(session, log.logged_at.date(), {customer.id}, settings)
    scheduled = [_next_step(t) for t in created]
    if outcome is Outcome.REACHED and not created:
        upcoming = session.scalars(select(CallTask).where(
            CallTask.customer_id == customer.id, CallTask.status == TaskStatus.PENDING)
            .order_by(CallTask.due_on, CallTask.id).limit(1)).first()
        if upcoming is not None:
            scheduled.append(_next_step(upcoming))
    elif (task is not None and outcome in (Outcome.VOICEMAIL, Outcome.NO_ANSWER)
          and task.status is TaskStatus.PENDING):
        scheduled.insert(0, _next_step(task))  # the retry comes first
    after = tuple(_snapshot(session.get(CallTask, task_id)) for task_id, _values in before)
    undo = UndoRecord(log.id, tuple(before), tuple(t.id for t in created), customer.id, flags_before,
                      quote_before, after, (customer.do_not_call, customer.needs_data_fix), plan_line)
    return LogResult(log.id, task.id if task is not None else None, customer.id, outcome, message,
                     tuple(scheduled), cancelled, undo)


def _decide_quote_from_tags(session: Session, tags: str | None, outcome: Outcome, quote_id: int | None,
                            customer: Customer, staff_id: int | None, today: dt.date,
                            before: list[tuple[int, tuple]]) -> tuple[tuple | None, str]:
    """Apply a "quote won" / "quote lost" tag: decide the call's quote (or the customer's only open
    one), snapshotting it and the follow-ups it cancels for undo. Returns (quote before, message)."""
    chosen = {ResultTag(t) for t in (tags or "").split(",") if t} & {ResultTag.QUOTE_WON, ResultTag.QUOTE_LOST}
    if not chosen:
        return None, ""
    if len(chosen) == 2:
        raise InvalidInput("A quote is either won or lost: tick one of the two.", field="result_tags")
    if outcome is not Outcome.REACHED:
        raise InvalidInput("A quote is decided on a call where you reached the customer.", field="result_tags")
    from core.customers.quotes import decide_quote  # core.customers.quotes plans through the rules module beside this one

    quote = session.get(Quote, quote_id) if quote_id else None
    if quote is None or quote.status is not QuoteStatus.OPEN:
        open_quotes = session.scalars(select(Quote).where(Quote.customer_id == customer.id,
                                                          Quote.status == QuoteStatus.OPEN)).all()
        if not open_quotes:
            raise InvalidInput(f"{customer.name} has no open quote to mark won or lost.", field="result_tags")
        if len(open_quotes) > 1:
            raise InvalidInput(f"{customer.name} has {len(open_quotes)} open quotes: decide the right one from their "
                               "quotes instead of the call's tag.", field="result_tags")
        quote = open_quotes[0]
    quote_before = (quote.id, quote.status, quote.decided_on, quote.staff_id)
    session.flush()
    for task in session.scalars(select(CallTask).where(
            CallTask.quote_id == quote.id, CallTask.reason == Reason.QUOTE, CallTask.status == TaskStatus.PENDING)):
        before.append(_snapshot(task))
    won = ResultTag.QUOTE_WON in chosen
    record, cancelled = decide_quote(session, quote.id, won, today, today, staff_id=staff_id)
    what = record.what or "the quote"
    return quote_before, (f" Quote for {what} marked {'won' if won else 'lost'}"
                          + (f"; {cancelled} follow-up(s) cancelled." if cancelled else "."))


def _outcome(outcome: Outcome | str) -> Outcome:
    try:
        return Outcome(outcome)
    except ValueError:
        raise InvalidInput(f"Unknown outcome '{outcome}' (use {', '.join(o.value for o in Outcome)}).",
                           field="outcome") from None


def _follow_up_moment(follow_up, now: dt.datetime) -> dt.datetime | None:
    if follow_up is None:
        return None
    moment = follow_up if isinstance(follow_up, dt.datetime) else dt.datetime.combine(follow_up, dt.time.min)
    check_date(moment, "follow_up")
    if moment.date() < now.date():
        raise InvalidInput(f"The follow-up date {moment.date().isoformat()} is in the past.", field="follow_up")
    return moment


def _finish(task: CallTask, status: TaskStatus, now: dt.datetime) -> None:
    task.status = status
    task.completed_at = now


def _new_task(session: Session, origin: CallTask, kind: TaskKind, reason: Reason, due: dt.date,
              time: dt.time | None, why: str) -> CallTask:
    task = CallTask(customer_id=origin.customer_id, kind=kind, reason=reason, due_on=due, due_time=time,
                    deadline=None, customer_value_cents=origin.customer_value_cents, why=why[:300], staff_id=origin.staff_id,
                    change_id=origin.change_id, status=TaskStatus.PENDING, attempts=0)
    session.add(task)
    session.flush()
    return task


def undo_log(session: Session, undo: UndoRecord) -> None:
    """Put back the tasks and customer flags as they were before the log, and remove it.

    Raises UndoOutdated, changing nothing, when the log, its tasks or the customer's flags are no
    longer as the log left them (another window or a command logged or changed them since).
    """
    _check_unchanged_since(session, undo)
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
    if undo.quote_before is not None:
        quote = session.get(Quote, undo.quote_before[0])
        if quote is not None:
            quote.status, quote.decided_on, quote.staff_id = undo.quote_before[1:]
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


def _check_unchanged_since(session: Session, undo: UndoRecord) -> None:
    task_ids = [task_id for task_id, _values in undo.tasks_after]
    newer_log = session.scalar(select(CallLog.id).where(CallLog.task_id.in_(task_ids), CallLog.id > undo.log_id)
                               .limit(1)) if task_ids else None
    if session.get(CallLog, undo.log_id) is None:
        raise UndoOutdated("the call log is no longer there (it was undone or removed elsewhere)")
    if newer_log is not None:
        raise UndoOutdated("the call was logged again after it, in another window or on the command line")
    tasks_now = tuple(_snapshot(task) for task_id in task_ids if (task := session.get(CallTask, task_id)) is not None)
    customer = session.get(Customer, undo.customer_id)
    flags_now = (customer.do_not_call, customer.needs_data_fix) if customer is not None else None
    if tasks_now != undo.tasks_after or (undo.customer_flags_after is not None
                                         and flags_now != undo.customer_flags_after):
        raise UndoOutdated("the call or the customer was changed after it, in another window or on the command line")
