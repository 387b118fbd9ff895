"""Which reminders are due now, computed from the database so none is lost or repeated.

- At the start of each business day: "10 calls today — 3 heads-up calls before the price
  change on 15 Jan".
- At the time of each timed callback: "Call back Ann Smith at 14:30".
A reminder's key is written to `reminders_shown` with the desk that showed it (each computer's
desk id, core.machine.settings), so after sleep, a restart or a crash a missed reminder appears
once on each desk and never again there; a reminder shown on one desk is still shown on the
others. Rows from before desks were told apart count as shown on every desk. Closed days have none. The Qt side
only asks `due_reminders(now)` and `next_reminder_time(now)`; nothing here reads a clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import APP_NAME
from core.dates import date_text
from core.storage.enums import ChangeStatus, Reason, TaskStatus
from core.storage.models import CallTask, Change, Customer, ReminderShown
from core.scheduling import BusinessCalendar, daily_agenda
from core.settings import Settings, load_settings

MISSED_CALLBACKS_LOOKBACK = dt.timedelta(days=7)
START_OF_DAY = "start_of_day"
CALLBACK = "callback"
EVERY_DESK = ""  # reminders_shown.desk of a row from before desks were told apart


@dataclass(frozen=True)
class Reminder:
    key: str
    kind: str  # start_of_day or callback
    when: dt.datetime
    title: str
    message: str
    task_id: int | None = None
    missed: bool = False  # its moment passed while the app was not running (or asleep)


def _day_start(settings: Settings, day: dt.date) -> dt.datetime:
    hours, minutes = (int(part) for part in settings.day_starts_at.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes))


def _shown(session: Session, keys: list[str], desk: str) -> set[str]:
    if not keys:
        return set()
    return set(session.scalars(select(ReminderShown.key).where(
        ReminderShown.key.in_(keys), ReminderShown.desk.in_((desk, EVERY_DESK)))))


def _check_desk(desk: str) -> None:
    if not desk:
        raise ValueError("A reminder is shown on a desk: give the desk id (core.machine.settings).")


def start_of_day_message(session: Session, day: dt.date, settings: Settings) -> tuple[str, str]:
    agenda = daily_agenda(session, day, day, settings)
    calls = agenda.pending()
    count = f"{len(calls)} call{'s' if len(calls) != 1 else ''} today"
    parts = [count]
    heads_up = [c for c in calls if c.reason == Reason.CHANGE_HEADS_UP]
    if heads_up:
        change = session.execute(
            select(Change.title, Change.effective_on).where(Change.status == ChangeStatus.ACTIVE,
                                                             Change.effective_on > day)
            .order_by(Change.effective_on)).first()
        before = (f" before the {change.title[0].lower()}{change.title[1:]} on {change.effective_on.day} "
                  f"{date_text(change.effective_on, '%b')}") if change else ""
        parts.append(f"{len(heads_up)} heads-up call{'s' if len(heads_up) != 1 else ''}{before}")
    callbacks = [c for c in calls if c.time is not None]
    if callbacks:
        parts.append(f"{len(callbacks)} timed callback{'s' if len(callbacks) != 1 else ''}")
    if len(parts) == 1 and len(agenda.staff) > 1:
        parts[0] += " (" + ", ".join(f"{member.name} {member.count}" for member in agenda.staff if member.count) + ")"
    return f"Good morning from {APP_NAME}", " — ".join(parts)


def due_reminders(session: Session, now: dt.datetime, settings: Settings | None = None, *,
                  desk: str) -> list[Reminder]:
    """Reminders whose moment has come and that were never shown on `desk`, oldest first."""
    _check_desk(desk)
    settings = settings or load_settings(session)
    calendar = BusinessCalendar.from_settings(settings)
    today = now.date()
    if not calendar.is_open(today):
        return []
    candidates: list[Reminder] = []
    start = _day_start(settings, today)
    if now >= start:
        key = f"{START_OF_DAY}:{today.isoformat()}"
        if not _shown(session, [key], desk):
            title, message = start_of_day_message(session, today, settings)
            candidates.append(Reminder(key, START_OF_DAY, start, title, message, missed=now - start > dt.timedelta(hours=1)))
    rows = session.execute(
        select(CallTask.id, CallTask.due_on, CallTask.due_time, Customer.name)
        .join(Customer, Customer.id == CallTask.customer_id)
        .where(CallTask.status == TaskStatus.PENDING, CallTask.due_time.is_not(None),
               CallTask.due_on <= today, CallTask.due_on >= today - MISSED_CALLBACKS_LOOKBACK,
               Customer.do_not_call.is_(False))).all()
    callbacks = []
    for task_id, due_on, due_time, name in rows:
        moment = dt.datetime.combine(due_on, due_time)
        if moment <= now:
            callbacks.append((f"{CALLBACK}:{task_id}:{moment.isoformat(timespec='minutes')}", task_id, moment, name))
    shown = _shown(session, [key for key, *_ in callbacks], desk)
    for key, task_id, moment, name in callbacks:
        if key in shown:
            continue
        late = moment.date() < today
        when = (f"{date_text(moment, '%a')} {moment.day} {date_text(moment, '%b')} at {moment:%H:%M}"
                if late else f"{moment:%H:%M}")
        title = f"Call back {name}" + (" (missed)" if late else "")
        message = f"Call back {name} at {when}" if not late else f"You missed a callback with {name} on {when}"
        candidates.append(Reminder(key, CALLBACK, moment, title, message, task_id,
                                   missed=now - moment > dt.timedelta(minutes=30)))
    return sorted(candidates, key=lambda reminder: (reminder.when, reminder.key))


def mark_shown(session: Session, reminders: list[Reminder], now: dt.datetime, *, desk: str) -> None:
    """Record the reminders as shown on `desk` (the other desks still show them); one this desk
    recorded meanwhile (a second window, a race) is kept as it is, with no error."""
    _check_desk(desk)
    if not reminders:
        return
    dialect = session.get_bind().dialect.name
    # The server's dialect loads only for a server database: a window on SQLite never needs it.
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    rows = [{"key": key, "desk": desk, "shown_at": now}
            for key in dict.fromkeys(reminder.key for reminder in reminders)]
    session.execute(insert(ReminderShown).values(rows).on_conflict_do_nothing(index_elements=["key", "desk"]))


def next_reminder_time(session: Session, now: dt.datetime, settings: Settings | None = None,
                       horizon: dt.timedelta = dt.timedelta(days=14)) -> dt.datetime | None:
    """When the next reminder falls due after `now` (so the app can sleep until then)."""
    settings = settings or load_settings(session)
    calendar = BusinessCalendar.from_settings(settings)
    moments = []
    day = now.date()
    while day <= (now + horizon).date():
        start = _day_start(settings, day)
        if start > now and calendar.is_open(day):
            moments.append(start)
            break
        day += dt.timedelta(days=1)
    upcoming = session.execute(
        select(CallTask.due_on, CallTask.due_time).where(
            CallTask.status == TaskStatus.PENDING, CallTask.due_time.is_not(None), CallTask.due_on >= now.date(),
            CallTask.due_on <= (now + horizon).date())).all()
    moments += [dt.datetime.combine(d, t) for d, t in upcoming
                if dt.datetime.combine(d, t) > now and calendar.is_open(d)]
    return min(moments) if moments else None
