"""The plan: every wanted touch levelled into each caller's days, stored, and read back.

Every pending task is a wanted touch with a window and a worth (core.scheduling.windows).
A customer's touches within `merge_days` of each other become one call covering every
reason; two calls to one customer are at least `min_gap_days` apart (and that long after
the last real conversation), except callbacks and heads-ups before a date, and follow-ups of
one quote, which keep to the quote's own cadence (_Spacing). The calls are
levelled into the open days of the next `plan_days_ahead` days so that no caller's day holds
more than their quota (core.scheduling.levelling); timed callbacks keep their day and time and
may go over it. What does not fit waits in the "not planned" pool with its reason; a call whose
window closes unplanned expires, recorded on its task.

The result is stored (planned_calls): the calendar, the day's list, the printed sheet and
`plan --json` read it. Once a day has started (first start of the window, first print, first
log) its lines are fixed: a re-plan leaves them where they are, and only an explicit hand-over
moves calls between callers. Re-planning is whole (`replan`: the morning pass, announcing,
settings and quotas) or for a few customers (`replan_customers`: a logged call, an edited
customer), which reads the stored days and touches only those customers' lines.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import String, case, column, delete, func, insert, or_, select, table, type_coerce, update
from sqlalchemy.orm import Session

from core.dates import date_text
from core.storage.enums import Outcome, Reason, TaskKind, TaskStatus
from core.errors import InvalidInput
from core.storage.models import (
    CallLog,
    CallTask,
    Customer,
    PlannedCall,
    PlannedCallTask,
    PlanWaiting,
    Setting,
    StaffMember,
)
from core.scheduling.reasons import REASON_LABELS
from core.scheduling.business_days import BusinessCalendar
from core.scheduling.courtesy import COURTESY_KEY, kept_per_day, top_up_courtesy
from core.scheduling.levelling import Board, Slot
from core.scheduling.windows import Touch, TouchMaker
from core.settings import Settings, load_settings

DAY_STARTED_KEY = "engine.plan_day_started"  # not an owner setting: the last day whose lines were fixed
PLAN_MADE_KEY = "engine.plan_made_on"  # the last day the whole plan was made
_CHUNK = 900  # stay under SQLite's bound-parameter limit


@dataclass(frozen=True)
class ReplanResult:
    planned: int  # calls on the lists from today on
    waiting: int  # touches that did not fit
    expired: int  # touches whose window closed this time


class _Call:
    """One call to one customer, covering one or more touches."""

    __slots__ = ("customer_id", "touches", "first", "last", "value", "keeps_its_day", "ignores_the_gap", "is_call")

    def __init__(self, touch: Touch):
        self.customer_id = touch.customer_id
        self.touches = [touch]
        self.first, self.last, self.value = touch.first, touch.last, touch.value
        self.keeps_its_day, self.ignores_the_gap, self.is_call = touch.keeps_its_day, touch.ignores_the_gap, touch.is_call

    def add(self, touch: Touch) -> None:
        self.touches.append(touch)
        self.first, self.last = max(self.first, touch.first), min(self.last, touch.last)
        self.value = round(self.value + touch.value, 2)
        self.keeps_its_day = self.keeps_its_day or touch.keeps_its_day
        self.ignores_the_gap = self.ignores_the_gap or touch.ignores_the_gap
        self.is_call = self.is_call or touch.is_call

    @property
    def quotes(self) -> frozenset[int]:
        """The quotes this call follows up."""
        return frozenset(t.quote_id for t in self.touches if t.quote_id is not None)

    @property
    def only_quotes(self) -> frozenset[int] | None:
        """The quotes it follows up when it is about nothing else, else None."""
        return self.quotes if all(t.quote_id is not None for t in self.touches) else None

    @property
    def lead(self) -> Touch:
        """The touch the line is logged against: a callback, else the most valuable call."""
        callbacks = [t for t in self.touches if t.keeps_its_day]
        return callbacks[0] if callbacks else max(self.touches, key=lambda t: (t.is_call, t.value, -t.task_id))


@lru_cache(maxsize=512)
def _short(day: dt.date) -> str:
    return f"{day.day} {date_text(day, '%b')}"


def merge_touches(touches: list[Touch], merge_days: int) -> list[_Call]:
    """One customer's touches as calls: a touch starting within `merge_days` of a call's first
    touch, whose window overlaps the call's, joins it (two callbacks never do, nor two follow-ups
    of one quote: the later one is only needed if the earlier call did not settle the quote)."""
    if len(touches) == 1:
        return [_Call(touches[0])]
    reach = dt.timedelta(days=merge_days)
    calls: list[_Call] = []
    for touch in sorted(touches, key=lambda t: (t.first, -t.value, t.task_id)):
        call = calls[-1] if calls else None
        if call is not None and touch.first <= call.touches[0].first + reach \
                and max(call.first, touch.first) <= min(call.last, touch.last) \
                and not (call.keeps_its_day and touch.keeps_its_day) \
                and not (touch.quote_id is not None and any(t.quote_id == touch.quote_id for t in call.touches)):
            call.add(touch)
        else:
            calls.append(_Call(touch))
    return calls


class _Spacing:
    """When each customer's next call may come. Two calls to one customer are at least the
    minimum gap apart, and the next waits that long after a real conversation. Follow-ups of
    one quote keep to the quote's own cadence instead (3 and 7 days, then weekly), or that
    cadence would stretch to the gap and the second follow-up would expire: a call about
    nothing but quotes an earlier call followed up comes any day after that call, and its
    own interval (not the whole gap) after a conversation. Calls about anything else keep the gap."""

    def __init__(self, gap: dt.timedelta, conversations: dict[int, dt.date]):
        self.gap = gap
        self.conversations = conversations
        self.calls: dict[int, list[tuple[dt.date, frozenset[int]]]] = defaultdict(list)

    def add(self, customer_id: int, day: dt.date, quotes: frozenset[int] = frozenset()) -> None:
        """A call minding the gap is planned (or fixed) on `day`, following up `quotes`."""
        self.calls[customer_id].append((day, quotes))

    def earliest(self, call: _Call) -> dt.date | None:
        """The first day `call` may come (None: any day of its window)."""
        conversation = self.conversations.get(call.customer_id)
        planned = self.calls.get(call.customer_id)
        if conversation is None and not planned:
            return None
        quotes = call.only_quotes
        earliest = None
        if conversation is not None:
            wait = dt.timedelta(days=max(t.quote_interval for t in call.touches)) if quotes else self.gap
            earliest = conversation + wait
        for day, followed_up in planned or ():
            after = day + _ONE_DAY if quotes and quotes <= followed_up else day + self.gap
            if earliest is None or after > earliest:
                earliest = after
        return earliest


_ONE_DAY = dt.timedelta(days=1)


def _why(call: _Call) -> tuple[str, str]:
    lead = call.lead
    ordered = [lead] + [t for t in call.touches if t is not lead]
    reasons = ",".join(dict.fromkeys(t.reason.value for t in ordered))
    if len(ordered) == 1:
        return reasons, lead.why[:600]
    text = " · ".join(f"{REASON_LABELS[t.reason]}: {t.why}" for t in ordered)
    return reasons[:200], text[:600]


class _Days:
    """The open days being planned, the callers and their room."""

    def __init__(self, session: Session, today: dt.date, settings: Settings):
        self.today = today
        self.settings = settings
        self.calendar = BusinessCalendar.from_settings(settings)
        self.days = list(self.calendar.open_days(today, today + dt.timedelta(days=settings.plan_days_ahead)))
        self.horizon_end = today + dt.timedelta(days=settings.plan_days_ahead)
        self.callers = [tuple(row) for row in session.execute(
            select(StaffMember.id, StaffMember.daily_quota)
            .where(StaffMember.active, StaffMember.daily_quota > 0).order_by(StaffMember.id))]
        self.quota = dict(self.callers)
        self.capacity = sum(self.quota.values())
        self.started = day_started(session, today)
        # Calls already made today count toward the day's quota.
        self.done_today: dict[int | None, int] = defaultdict(int)
        start = dt.datetime.combine(today, dt.time.min)
        for staff_id, count in session.execute(
                select(CallLog.staff_id, func.count(func.distinct(CallLog.customer_id)))
                .where(CallLog.logged_at >= start, CallLog.logged_at < start + dt.timedelta(days=1))
                .group_by(CallLog.staff_id)):
            self.done_today[staff_id] += count
        # A day started with nothing on it (a new business opening the window before it has
        # customers or callers) holds no list to keep true: its first calls join it the moment
        # there are customers and callers, and are fixed at once.
        self.holds_a_list = self.started and (bool(self.done_today) or session.scalar(
            select(PlannedCall.id).where(PlannedCall.day == today).limit(1)) is not None)

    def index_range(self, first: dt.date, last: dt.date) -> tuple[int, int]:
        return bisect.bisect_left(self.days, first), bisect.bisect_right(self.days, last) - 1

    def room(self) -> list[int]:
        room = [self.capacity] * len(self.days)
        if self.days and self.days[0] == self.today:
            # A started day stays put: nothing new joins it but callbacks.
            room[0] = 0 if self.holds_a_list else max(self.capacity - sum(self.done_today.values()), 0)
        return room


def day_started(session: Session, today: dt.date) -> bool:
    return session.scalar(select(Setting.value).where(Setting.key == DAY_STARTED_KEY)) == today.isoformat()


def _remember(session: Session, key: str, day: dt.date) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=day.isoformat()))
    else:
        row.value = day.isoformat()


def start_day(session: Session, today: dt.date) -> bool:
    """Fix today's lines (the first start, print or log of the day); True when it just happened."""
    if session.scalar(select(Setting.value).where(Setting.key == DAY_STARTED_KEY)) == today.isoformat():
        return False
    _remember(session, DAY_STARTED_KEY, today)
    session.execute(update(PlannedCall).where(PlannedCall.day == today).values(fixed=True))
    session.flush()
    return True


# --- reading the wanted touches ------------------------------------------------------------------

def _touch_rows(session: Session, customer_ids=None, until: dt.date | None = None):
    """Pending tasks of customers who may be touched; with `until`, only those due by then (a
    touch due later opens its window beyond the plan's days). For a few customers every task is
    read: their own index finds them faster than the due dates' one."""
    # Reason, kind and dates are read as plain text and parsed by the TouchMaker: converting
    # tens of thousands of rows through the column types costs more than planning them.
    query = (select(CallTask.id, CallTask.customer_id, type_coerce(CallTask.reason, String).label("reason"),
                    type_coerce(CallTask.kind, String).label("kind"),
                    type_coerce(CallTask.due_on, String).label("due_on"), CallTask.due_time,
                    type_coerce(CallTask.deadline, String).label("deadline"), CallTask.staff_id,
                    CallTask.customer_value_cents, Customer.keep_in_touch_days,
                    CallTask.dedupe_key.like(f"{COURTESY_KEY}:%").label("courtesy"), CallTask.quote_id,
                    case((CallTask.quote_id.is_not(None), CallTask.dedupe_key)).label("quote_key"))
             .join(Customer, Customer.id == CallTask.customer_id)
             .where(CallTask.status == TaskStatus.PENDING, Customer.do_not_call.is_(False),
                    Customer.needs_data_fix.is_(False),
                    or_(CallTask.kind != TaskKind.CALL, Customer.phone.is_not(None))))
    if customer_ids is None:
        if until is not None:
            query = query.where(CallTask.due_on <= until)
        # Through the connection: the ORM's row handling costs more than the rows themselves here.
        return session.connection().execute(query).all()
    rows = []
    ids = sorted(customer_ids)
    for start in range(0, len(ids), _CHUNK):
        rows += session.execute(query.where(CallTask.customer_id.in_(ids[start:start + _CHUNK]))).all()
    return rows


def _last_conversations(session: Session, since: dt.date, customer_ids=None) -> dict[int, dt.date]:
    query = (select(CallLog.customer_id, func.max(CallLog.logged_at))
             .where(CallLog.outcome == Outcome.REACHED, CallLog.logged_at >= dt.datetime.combine(since, dt.time.min))
             .group_by(CallLog.customer_id))
    if customer_ids is None:
        found = session.execute(query).all()
    else:
        ids, found = sorted(customer_ids), []
        for start in range(0, len(ids), _CHUNK):
            found += session.execute(query.where(CallLog.customer_id.in_(ids[start:start + _CHUNK]))).all()
    result = {}
    for customer_id, moment in found:
        result[customer_id] = moment.date() if isinstance(moment, dt.datetime) else \
            dt.datetime.fromisoformat(str(moment)).date()
    return result


def _expire(session: Session, task_ids: list[int], today: dt.date, settings: Settings) -> None:
    """Record touches whose window closed without a call. A customer whose heads-up expired was
    never told of the change, so its later steps go too (unless every affected customer is
    to be called)."""
    moment = dt.datetime.combine(today, dt.time.min)
    for start in range(0, len(task_ids), _CHUNK):
        chunk = task_ids[start:start + _CHUNK]
        if settings.notes_for_expiring_calls:
            _notes_instead(session, chunk, today)
        session.execute(update(CallTask).where(CallTask.id.in_(chunk), CallTask.status == TaskStatus.PENDING)
                        .values(status=TaskStatus.SKIPPED, expired_on=today, completed_at=moment))
        if settings.after_change_calls_to_everyone or settings.notes_for_expiring_calls:
            continue  # a note tells them of the change too
        untold = session.execute(select(CallTask.change_id, CallTask.customer_id).where(
            CallTask.id.in_(chunk), CallTask.reason == Reason.CHANGE_HEADS_UP, CallTask.change_id.is_not(None))).all()
        for change_id, customer_id in untold:
            session.execute(update(CallTask).where(
                CallTask.change_id == change_id, CallTask.customer_id == customer_id,
                CallTask.status == TaskStatus.PENDING,
                CallTask.reason.in_([Reason.CHANGE_SAMPLES, Reason.CHANGE_CONCERNS, Reason.CHANGE_FOLLOW_UP]))
                .values(status=TaskStatus.CANCELLED, completed_at=moment))


def _notes_instead(session: Session, task_ids: list[int], today: dt.date) -> None:
    """The owner's choice: a call that found no room before its window closed becomes a note."""
    rows = session.execute(select(CallTask.customer_id, CallTask.reason, CallTask.why, CallTask.staff_id,
                                  CallTask.change_id, CallTask.customer_value_cents, CallTask.id)
                           .where(CallTask.id.in_(task_ids), CallTask.status == TaskStatus.PENDING,
                                  CallTask.reason != Reason.CALLBACK)).all()
    notes = [{"customer_id": customer_id, "kind": TaskKind.NOTE, "reason": reason, "due_on": today,
              "due_time": None, "deadline": None, "customer_value_cents": value, "staff_id": staff_id,
              "why": f"No room to call in time — send a note: {why}"[:300], "change_id": change_id,
              "status": TaskStatus.PENDING, "attempts": 0, "dedupe_key": f"note_for:{task_id}"}
             for customer_id, reason, why, staff_id, change_id, value, task_id in rows]
    if notes:
        session.execute(insert(CallTask), notes)


# --- the plan as rows ---------------------------------------------------------------------------

@dataclass
class _Line:
    """A planned call being written."""

    day: dt.date
    customer_id: int
    call: _Call
    touches: list[Touch]
    staff_id: int | None = None
    beyond_quota: bool = False
    is_call: bool = True
    first: dt.date | None = None
    last: dt.date | None = None
    value: float = 0.0
    preferred: tuple = field(default_factory=tuple)


def _assign_callers(lines: list[_Line], days: _Days, taken: dict[tuple[dt.date, int], int]) -> None:
    """Per day, most valuable first: the task's caller, else the customer's own, else whoever has
    most room. Callbacks stay with the caller who promised them, over the quota if need be."""
    by_day: dict[dt.date, list[_Line]] = defaultdict(list)
    for line in lines:
        by_day[line.day].append(line)
    for day, day_lines in by_day.items():
        room = {sid: quota - taken.get((day, sid), 0) - (days.done_today.get(sid, 0) if day == days.today else 0)
                for sid, quota in days.callers}
        day_lines.sort(key=lambda ln: (not ln.call.keeps_its_day, -ln.value))
        for line in day_lines:
            keeps = line.call.keeps_its_day
            choice = None
            for preferred in line.preferred:
                if preferred in room and (room[preferred] > 0 or keeps):
                    choice = preferred
                    break
            if choice is None:
                choice = max(room, key=lambda sid: (room[sid], -sid))
            line.beyond_quota = room[choice] <= 0
            room[choice] -= 1
            line.staff_id = choice


def _read_whys(session: Session, lines: list[_Line]) -> None:
    """The why of each touch that made a list (read for these few, not for every touch)."""
    touches = {t.task_id: t for line in lines for t in line.touches}
    ids = sorted(touches)
    for start in range(0, len(ids), _CHUNK):
        for task_id, why in session.execute(select(CallTask.id, CallTask.why)
                                            .where(CallTask.id.in_(ids[start:start + _CHUNK]))):
            touches[task_id].why = why or ""


def _one_line_a_day(lines: list[_Line]) -> list[_Line]:
    """Calls of one customer that landed on the same day (a heads-up, which may come close to
    another call, beside it) become one call covering both: the room of one is left free."""
    by_key: dict[tuple[dt.date, int], _Line] = {}
    for line in lines:
        key = (line.day, line.customer_id)
        kept = by_key.get(key)
        if kept is None:
            by_key[key] = line
            continue
        call = kept.call
        for touch in line.call.touches:
            call.add(touch)
        kept.touches, kept.value = call.touches, call.value
        kept.first, kept.last, kept.is_call = call.first, call.last, call.is_call
        kept.preferred = kept.preferred or line.preferred
    return list(by_key.values())


def _fold_into_stored(session: Session, lines: list[_Line]) -> list[_Line]:
    """A line landing where the customer already has a stored line that day (a callback booked
    for today beside today's fixed call) joins that line instead; returns the lines left to write."""
    if not lines:
        return lines
    keys = {(line.day, line.customer_id) for line in lines}
    stored = {(day, customer): line_id for line_id, day, customer in session.execute(
        select(PlannedCall.id, PlannedCall.day, PlannedCall.customer_id)
        .where(PlannedCall.day.in_(sorted({d for d, _c in keys})))) if (day, customer) in keys}
    left = []
    for line in lines:
        line_id = stored.get((line.day, line.customer_id))
        if line_id is None:
            left.append(line)
            continue
        row = session.get(PlannedCall, line_id)
        reasons, why = _why(line.call)
        lead = line.call.lead
        if line.call.keeps_its_day:
            row.task_id, row.time = lead.task_id, lead.time if line.day == lead.due else None
            row.beyond_quota = True
        row.reasons = ",".join(dict.fromkeys(row.reasons.split(",") + reasons.split(",")))[:200]
        row.why = f"{row.why} · {why}"[:600]
        row.is_call = row.is_call or line.is_call
        session.execute(insert(PlannedCallTask), [{"task_id": t.task_id, "planned_call_id": line_id}
                                                  for t in line.touches])
    session.flush()
    return left


def _write(session: Session, lines: list[_Line], days: _Days) -> None:
    """Store the lines; the first ones of a day started empty are fixed, as its list would have been."""
    next_id = (session.scalar(select(func.max(PlannedCall.id))) or 0) + 1
    calls, links = [], []
    for line in lines:
        reasons, why = _why(line.call)
        lead = line.call.lead
        calls.append({"id": next_id, "day": line.day, "customer_id": line.customer_id, "staff_id": line.staff_id,
                      "task_id": lead.task_id, "time": lead.time if line.day == lead.due else None,
                      "is_call": line.is_call, "beyond_quota": line.beyond_quota,
                      "fixed": line.day == days.today and days.started and not days.holds_a_list,
                      "value": line.value, "first_day": line.first or line.day, "last_day": line.last or line.day,
                      "reasons": reasons, "why": why})
        links += [{"task_id": t.task_id, "planned_call_id": next_id} for t in line.touches]
        next_id += 1
    _insert(session, PlannedCall, calls)
    _insert(session, PlannedCallTask, links)


def _insert(session: Session, model, rows: list[dict]) -> None:
    """Many rows through the table itself (the ORM's bulk path costs more than SQLite does)."""
    for start in range(0, len(rows), 5000):
        session.execute(model.__table__.insert(), rows[start:start + 5000])


# The waiting pool is rewritten whole by every re-plan, tens of thousands of rows on a big
# business: written through an untyped table with dates as ISO text, which every database
# reads into a date column, so no row passes through the column types' conversions.
_WAITING_COLUMNS = ("task_id", "customer_id", "window_start", "window_end", "value", "reason")
_WAITING = table("plan_waiting", *(column(name) for name in _WAITING_COLUMNS))
# A waiting row while planning: a plain tuple in _WAITING_COLUMNS' order, dates as dates (tens of
# thousands are made and compared with the stored pool; only the ones that changed become dicts).
Waiting = tuple


def _replace_waiting(session: Session, rows: list[Waiting]) -> None:
    """The whole pool becomes `rows`, writing only what differs from the stored pool (from one
    re-plan to the next most waiting touches still wait, for the same reason)."""
    stored = {task_id: (start, end, reason) for task_id, start, end, reason in session.connection().execute(
        select(_WAITING.c.task_id, _WAITING.c.window_start, _WAITING.c.window_end, _WAITING.c.reason))}
    iso: dict[dt.date, str] = {}
    fresh = []
    keep = set()
    for row in rows:
        task_id, _customer, start, end, _value, reason = row
        old = stored.get(task_id)
        if old is not None:
            start_text = iso.get(start) or iso.setdefault(start, start.isoformat())
            end_text = iso.get(end) or iso.setdefault(end, end.isoformat())
            if old == (start_text, end_text, reason):
                keep.add(task_id)
                continue
        fresh.append(row)
    gone = [task_id for task_id in stored if task_id not in keep]
    for start in range(0, len(gone), _CHUNK):
        session.execute(delete(PlanWaiting).where(PlanWaiting.task_id.in_(gone[start:start + _CHUNK])))
    _insert_waiting(session, fresh)


def _insert_waiting(session: Session, rows: list[Waiting]) -> None:
    values = [{"task_id": task_id, "customer_id": customer_id, "window_start": start.isoformat(),
               "window_end": end.isoformat(), "value": value, "reason": reason}
              for task_id, customer_id, start, end, value, reason in rows]
    for start in range(0, len(values), 10000):
        session.execute(_WAITING.insert(), values[start:start + 10000])


def _waiting_rows(call: _Call, reason: str) -> list[Waiting]:
    """Pool rows: a touch's window as it stands (from its due date, so a row stays the same
    from one day's plan to the next) and why it waits."""
    reason = reason[:200]
    return [(t.task_id, t.customer_id, t.due if t.due < t.last else t.last, t.last, t.value, reason)
            for t in call.touches]


def _no_room(call: _Call) -> str:
    return f"no room before its window closes on {_short(call.last)}"


def _calls_by_customer(rows, days: _Days, fixed_tasks: set[int]):
    """Touches → (calls per customer in window order, expired task ids). Notes and samples are
    levelled like calls (writing one takes a caller's time) but are not counted as calls."""
    settings, today = days.settings, days.today
    per_customer: dict[int, list[Touch]] = defaultdict(list)
    expired: list[int] = []
    make_touch = TouchMaker(today, settings)
    for touch in make_touch.many(rows):
        if touch.task_id in fixed_tasks:
            continue
        if touch.last < today:
            expired.append(touch.task_id)
        else:
            per_customer[touch.customer_id].append(touch)
    calls = {customer_id: merge_touches(touches, settings.merge_days)
             for customer_id, touches in per_customer.items()}
    return calls, expired


def _quotes_on_lines(session: Session, line_ids) -> dict[int, frozenset[int]]:
    """The quotes each of these stored lines follows up."""
    found: dict[int, set[int]] = defaultdict(set)
    ids = sorted(line_ids)
    for start in range(0, len(ids), _CHUNK):
        for line_id, quote_id in session.execute(
                select(PlannedCallTask.planned_call_id, CallTask.quote_id)
                .join(CallTask, CallTask.id == PlannedCallTask.task_id)
                .where(PlannedCallTask.planned_call_id.in_(ids[start:start + _CHUNK]), CallTask.quote_id.is_not(None))):
            found[line_id].add(quote_id)
    return {line_id: frozenset(quotes) for line_id, quotes in found.items()}


def _assigned_callers(session: Session, customer_ids: set[int]) -> dict[int, int | None]:
    """Each customer's own caller, for the customers who made a list."""
    ids, assigned = sorted(customer_ids), {}
    for start in range(0, len(ids), _CHUNK):
        assigned.update(session.execute(select(Customer.id, Customer.assigned_staff_id)
                                        .where(Customer.id.in_(ids[start:start + _CHUNK]))).all())
    return assigned


def _store_placed(session: Session, offered: list[tuple[_Call, Slot]], days: _Days,
                  taken: dict[tuple[dt.date, int], int], waiting: list[Waiting]) -> list[_Line]:
    """Write the calls that found a day as lines: whys read, one line per customer and day (joining
    a line already stored that day), each given a caller. With no caller to give them to, they
    join `waiting` instead. Returns the lines written."""
    assigned = _assigned_callers(session, {call.customer_id for call, slot in offered if slot.day is not None})
    lines = []
    for call, slot in offered:
        if slot.day is None:
            continue
        lead = call.lead
        lines.append(_Line(days.days[slot.day], call.customer_id, call, call.touches, first=call.first,
                           last=call.last, value=call.value, is_call=call.is_call,
                           preferred=tuple(p for p in (lead.staff_id, assigned.get(call.customer_id)) if p)))
    _read_whys(session, lines)
    lines = _fold_into_stored(session, _one_line_a_day(lines))
    if not days.callers:
        waiting += [row for line in lines for row in _waiting_rows(line.call, "no caller has a quota")]
        lines = []
    _assign_callers(lines, days, taken)
    _write(session, lines, days)
    return lines


def _offer_order(call: _Call):
    return (-call.value, call.last, call.customer_id, call.touches[0].task_id)


def _level_in_rounds(board: Board, days: _Days, calls: dict[int, list[_Call]], spacing: _Spacing,
                     remembered: dict[int, dt.date], make_room=None) -> tuple[list[tuple[_Call, Slot]], list[Waiting]]:
    """Level each customer's first call, then their second (at least the gap after the first,
    where it landed), and so on. Callbacks keep their day; the rest go most valuable first.
    `make_room(slot)` may free a day for a call that found none (the incremental re-plan).
    Returns the calls offered with their slots (slot.day None: not placed) and the waiting rows."""
    queues = {customer: list(reversed(customer_calls)) for customer, customer_calls in calls.items()}
    offered: list[tuple[_Call, Slot]] = []
    waiting: list[Waiting] = []
    open_days, earliest_for = days.days, spacing.earliest
    while queues:
        round_slots: list[tuple[_Call, Slot]] = []
        for customer, queue in list(queues.items()):
            call = queue.pop()
            if not queue:
                del queues[customer]
            earliest = None if call.ignores_the_gap else earliest_for(call)
            if earliest is not None and call.first < earliest:
                call.first = earliest
                if call.first > call.last:
                    waiting += _waiting_rows(call, f"too close to another call (no call before {_short(call.first)})")
                    continue
            first = bisect.bisect_left(open_days, call.first)
            if first >= len(open_days):
                continue  # its window opens beyond the plan's days: planned when it comes closer
            last = bisect.bisect_right(open_days, call.last) - 1
            if first > last:
                waiting += _waiting_rows(call, f"no open day before its window closes on {_short(call.last)}")
                continue
            slot = Slot(call, first, last, call.value)
            if remembered:
                for touch in call.touches:
                    lead_day = remembered.get(touch.task_id)
                    if lead_day is not None:
                        slot.remembered_day = bisect.bisect_left(open_days, lead_day)
                        break
            round_slots.append((call, slot))
        for call, slot in round_slots:
            if call.keeps_its_day:
                slot.movable = False
                board.hold(slot, slot.first)
        for call, slot in sorted(round_slots, key=lambda pair: _offer_order(pair[0])):
            if slot.movable and not board.place(slot) and not (make_room and make_room(slot)):
                waiting += _waiting_rows(call, _no_room(call))
        for call, slot in round_slots:
            if slot.day is not None and call.is_call and not call.ignores_the_gap:
                spacing.add(call.customer_id, days.days[slot.day], call.quotes)
        offered += round_slots
    return offered, waiting


@contextmanager
def _without_cycle_collection():
    """A whole re-plan makes about a hundred thousand small objects that hold no reference
    cycles; Python's cycle collector would walk them, and the rest of the heap, again and
    again (a fifth of the re-plan's time at 50,000 customers). It runs as usual afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def replan(session: Session, today: dt.date, settings: Settings | None = None) -> ReplanResult:
    """Level every wanted touch from today on and store the plan (today's lines stay put once the
    day has started)."""
    with _without_cycle_collection():
        return _replan(session, today, settings)


def _replan(session: Session, today: dt.date, settings: Settings | None) -> ReplanResult:
    settings = settings or load_settings(session)
    days = _Days(session, today, settings)
    stale = select(PlannedCall.id).where(or_(PlannedCall.day < today, PlannedCall.fixed.is_(False)))
    remembered = dict(session.execute(select(PlannedCall.task_id, PlannedCall.day).where(
        PlannedCall.day >= today, PlannedCall.fixed.is_(False))).all())
    session.execute(delete(PlannedCallTask).where(PlannedCallTask.planned_call_id.in_(stale)))
    session.execute(delete(PlannedCall).where(or_(PlannedCall.day < today, PlannedCall.fixed.is_(False))))
    fixed_rows = session.execute(select(PlannedCall.id, PlannedCall.day, PlannedCall.customer_id,
                                        PlannedCall.staff_id)).all()
    fixed_tasks = set(session.scalars(select(PlannedCallTask.task_id)))
    spacing = _Spacing(dt.timedelta(days=settings.min_gap_days),
                       _last_conversations(session, today - dt.timedelta(days=settings.min_gap_days)))
    quotes_on_lines = _quotes_on_lines(session, [line_id for line_id, _d, _c, _s in fixed_rows])
    taken: dict[tuple[dt.date, int], int] = defaultdict(int)
    for line_id, day, customer_id, staff_id in fixed_rows:
        spacing.add(customer_id, day, quotes_on_lines.get(line_id, frozenset()))
        taken[(day, staff_id)] += 1
    rows = _touch_rows(session, until=days.horizon_end)
    calls, expired = _calls_by_customer(rows, days, fixed_tasks)
    _expire(session, expired, today, settings)
    room = days.room()
    for _line, day, _customer, _staff in fixed_rows:
        index = bisect.bisect_left(days.days, day)
        if day != today and index < len(days.days) and days.days[index] == day:
            room[index] -= 1  # a line handed over by the owner keeps its place
    # The courtesy floor first, in the share of each day kept for it; what it leaves is for the rest.
    kept = kept_per_day(days.capacity, settings)
    courtesy_board = Board([min(kept, left) for left in room])
    courtesy_calls: list[tuple[_Call, Slot]] = []
    waiting: list[Waiting] = []
    with_courtesy = {row.customer_id for row in rows if row.courtesy}
    courtesy_customers = [customer_id for customer_id in calls if customer_id in with_courtesy]
    for customer_id in courtesy_customers:
        for call in [c for c in calls[customer_id] if all(t.courtesy for t in c.touches)]:
            calls[customer_id].remove(call)
            earliest = spacing.earliest(call)
            first, last = days.index_range(max(call.first, earliest or call.first), call.last)
            slot = Slot(call, first, last, call.value)
            if first <= last and first < len(days.days) and courtesy_board.place(slot):
                room[slot.day] -= 1
                spacing.add(customer_id, days.days[slot.day])
            elif first <= last:
                waiting += _waiting_rows(call, "no room left in the share kept for courtesy calls")
            courtesy_calls.append((call, slot))
        if not calls[customer_id]:
            del calls[customer_id]
    board = Board(room)
    evicted: list[Slot] = []

    def make_room(slot: Slot) -> bool:
        """A customer's later call, offered in a later round, takes the day of a call worth less
        (which then waits), so a call worth more never waits for one worth less."""
        loser = board.cheapest(slot.first, slot.last, below=slot.value)
        if loser is None:
            return False
        board.remove(loser)
        board.place(slot)
        evicted.append(loser)
        return slot.day is not None

    offered, levelled_waiting = _level_in_rounds(board, days, calls, spacing, remembered, make_room)
    offered += courtesy_calls
    waiting += levelled_waiting
    waiting += [row for slot in evicted if slot.day is None for row in _waiting_rows(slot.key, _no_room(slot.key))]
    lines = _store_placed(session, offered, days, taken, waiting)
    _replace_waiting(session, waiting)
    _remember(session, PLAN_MADE_KEY, today)
    session.flush()
    return ReplanResult(sum(1 for line in lines if line.is_call), len(waiting), len(expired))


def replan_customers(session: Session, today: dt.date, customer_ids, settings: Settings | None = None) -> ReplanResult:
    """Re-plan only these customers' calls (a logged call, an edited customer), levelling them
    around the stored plan: other customers' lines shift only inside their own windows, and a
    call worth less than one of theirs may give up its day to it (it then waits)."""
    ids = set(customer_ids)
    if not ids:
        return ReplanResult(0, 0, 0)
    settings = settings or load_settings(session)
    days = _Days(session, today, settings)
    id_list = sorted(ids)
    remembered: dict[int, dt.date] = {}
    for start in range(0, len(id_list), _CHUNK):
        chunk = id_list[start:start + _CHUNK]
        mine = select(PlannedCall.id).where(PlannedCall.customer_id.in_(chunk),
                                            or_(PlannedCall.day < today, PlannedCall.fixed.is_(False)))
        remembered.update(session.execute(select(PlannedCall.task_id, PlannedCall.day).where(
            PlannedCall.customer_id.in_(chunk), PlannedCall.day >= today, PlannedCall.fixed.is_(False))).all())
        session.execute(delete(PlannedCallTask).where(PlannedCallTask.planned_call_id.in_(mine)))
        session.execute(delete(PlannedCall).where(PlannedCall.id.in_(mine)))
        session.execute(delete(PlanWaiting).where(PlanWaiting.customer_id.in_(chunk)))

    # The stored days as they are: every line holds its place, the movable ones may shift.
    stored = session.execute(
        select(PlannedCall.id, PlannedCall.day, PlannedCall.customer_id, PlannedCall.staff_id, PlannedCall.is_call,
               PlannedCall.beyond_quota, PlannedCall.fixed, PlannedCall.value, PlannedCall.first_day,
               PlannedCall.last_day).where(PlannedCall.day >= today)).all()
    board = Board(days.room())
    taken: dict[tuple[dt.date, int], int] = defaultdict(int)
    stored_slots: list[tuple[Slot, object]] = []
    spacing = _Spacing(dt.timedelta(days=settings.min_gap_days),
                       _last_conversations(session, today - dt.timedelta(days=settings.min_gap_days), ids))
    their_fixed_lines = [row for row in stored if row.fixed and row.customer_id in ids]
    quotes_on_lines = _quotes_on_lines(session, [row.id for row in their_fixed_lines])
    for row in their_fixed_lines:
        spacing.add(row.customer_id, row.day, quotes_on_lines.get(row.id, frozenset()))
    for row in stored:
        taken[(row.day, row.staff_id)] += 1
        index = bisect.bisect_left(days.days, row.day)
        if index >= len(days.days) or days.days[index] != row.day:
            continue
        if row.fixed and row.day == today:
            continue  # a started day's room is already closed
        first, last = days.index_range(row.first_day, row.last_day)
        slot = Slot(row.id, min(first, index), max(last, index), row.value,
                    movable=not (row.fixed or row.beyond_quota))
        board.hold(slot, index)
        stored_slots.append((slot, row))
    fixed_tasks: set[int] = set()
    for start in range(0, len(id_list), _CHUNK):
        chunk = id_list[start:start + _CHUNK]
        fixed_tasks.update(session.scalars(select(PlannedCallTask.task_id).join(
            PlannedCall, PlannedCall.id == PlannedCallTask.planned_call_id).where(
            PlannedCall.customer_id.in_(chunk), PlannedCall.fixed.is_(True))))
    rows = _touch_rows(session, ids, until=days.horizon_end)
    calls, expired = _calls_by_customer(rows, days, fixed_tasks)
    _expire(session, expired, today, settings)

    bumped: list[Slot] = []

    def make_room(slot: Slot) -> bool:
        """Full: the least valuable stored call on a day of its window gives way if worth less."""
        candidates = [other for day in range(max(slot.first, 0), min(slot.last, len(days.days) - 1) + 1)
                      for other in board.placed[day] if isinstance(other.key, int) and other.value < slot.value]
        if not candidates:
            return False
        loser = min(candidates, key=lambda s: (s.value, -s.last))
        board.remove(loser)
        board.place(slot)
        if not board.place(loser):
            bumped.append(loser)
        return slot.day is not None

    offered, waiting = _level_in_rounds(board, days, calls, spacing, remembered, make_room)

    # Stored lines that moved (or gave way) are rewritten; other customers' lines otherwise stay.
    for slot, row in stored_slots:
        if slot.day is not None and days.days[slot.day] != row.day:
            session.execute(update(PlannedCall).where(PlannedCall.id == row.id).values(day=days.days[slot.day]))
    if bumped:
        gone = [slot.key for slot in bumped]
        for task_id, customer_id, value, reason_day in session.execute(
                select(PlannedCallTask.task_id, PlannedCall.customer_id, PlannedCall.value, PlannedCall.last_day)
                .join(PlannedCall, PlannedCall.id == PlannedCallTask.planned_call_id)
                .where(PlannedCall.id.in_(gone))):
            waiting.append((task_id, customer_id, today, reason_day, value,
                            f"no room before its window closes on {_short(reason_day)}"))
        session.execute(delete(PlannedCallTask).where(PlannedCallTask.planned_call_id.in_(gone)))
        session.execute(delete(PlannedCall).where(PlannedCall.id.in_(gone)))
    lines = _store_placed(session, offered, days, taken, waiting)
    _insert_waiting(session, waiting)
    session.flush()
    return ReplanResult(sum(1 for line in lines if line.is_call), len(waiting), len(expired))


def forget_logged_line(session: Session, task_id: int) -> tuple | None:
    """A logged call leaves the list (the log shows it done); returns the line, for undo."""
    line_id = session.scalar(select(PlannedCallTask.planned_call_id).where(PlannedCallTask.task_id == task_id))
    if line_id is None:
        return None
    line = session.get(PlannedCall, line_id)
    task_ids = tuple(session.scalars(select(PlannedCallTask.task_id)
                                     .where(PlannedCallTask.planned_call_id == line_id)))
    saved = tuple(getattr(line, name) for name in _LINE_FIELDS) + (task_ids,)
    session.execute(delete(PlannedCallTask).where(PlannedCallTask.planned_call_id == line_id))
    session.execute(delete(PlannedCall).where(PlannedCall.id == line_id))
    return saved


_LINE_FIELDS = ("day", "customer_id", "staff_id", "task_id", "time", "is_call", "beyond_quota", "fixed", "value",
                "first_day", "last_day", "reasons", "why")


def restore_line(session: Session, saved: tuple) -> None:
    """Put back a line `forget_logged_line` removed (undoing a log), replacing the customer's
    line that day if a re-plan put another there."""
    values = dict(zip(_LINE_FIELDS, saved[:-1]))
    clash = session.scalar(select(PlannedCall.id).where(PlannedCall.day == values["day"],
                                                        PlannedCall.customer_id == values["customer_id"]))
    if clash is not None:
        session.execute(delete(PlannedCallTask).where(PlannedCallTask.planned_call_id == clash))
        session.execute(delete(PlannedCall).where(PlannedCall.id == clash))
    session.execute(delete(PlannedCallTask).where(PlannedCallTask.task_id.in_(saved[-1])))
    line = PlannedCall(**values)
    session.add(line)
    session.flush()
    session.execute(insert(PlannedCallTask), [{"task_id": t, "planned_call_id": line.id} for t in saved[-1]])


def covered_tasks(session: Session, task_id: int) -> list[int]:
    """The other call tasks a planned call covers besides `task_id` (a reached call settles them)."""
    line_id = session.scalar(select(PlannedCallTask.planned_call_id).where(PlannedCallTask.task_id == task_id))
    if line_id is None:
        return []
    return list(session.scalars(select(PlannedCallTask.task_id).join(CallTask, CallTask.id == PlannedCallTask.task_id)
                                .where(PlannedCallTask.planned_call_id == line_id, PlannedCallTask.task_id != task_id,
                                       CallTask.kind == TaskKind.CALL, CallTask.status == TaskStatus.PENDING)))


def hand_over(session: Session, day: dt.date, from_staff_id: int, to_staff_id: int, today: dt.date) -> int:
    """Give every call still on one caller's list that day to another; returns how many moved."""
    if from_staff_id == to_staff_id:
        raise InvalidInput("Hand the calls to a different caller.", field="to")
    receiver = session.get(StaffMember, to_staff_id)
    if receiver is None or not receiver.active:
        raise InvalidInput("The calls can only go to an active caller.", field="to")
    if day < today:
        raise InvalidInput(f"{day.isoformat()} is past; its calls can no longer be handed over.", field="date")
    if day == today:
        start_day(session, today)
    moved = session.execute(update(PlannedCall).where(PlannedCall.day == day, PlannedCall.staff_id == from_staff_id)
                            .values(staff_id=to_staff_id, fixed=True))
    return moved.rowcount or 0


def refresh_plan(session: Session, today: dt.date) -> ReplanResult:
    """Standing rules, then the whole plan (an import, the command line, the demo)."""
    from core.scheduling.rules import plan_standing_tasks

    plan_standing_tasks(session, today)
    _top_up_courtesy(session, today)
    return replan(session, today)


def ensure_planned(session: Session, today: dt.date) -> bool:
    """Once a day the standing rules and the whole plan (every action re-plans what it changes
    the rest of the day; a database from before the stored plan gets one at once). True when it ran."""
    if session.scalar(select(Setting.value).where(Setting.key == PLAN_MADE_KEY)) == today.isoformat():
        return False
    from core.scheduling.rules import plan_standing_tasks_once_a_day  # the rules load when they run: once a day

    plan_standing_tasks_once_a_day(session, today)
    _top_up_courtesy(session, today)
    replan(session, today)
    return True


def _top_up_courtesy(session: Session, today: dt.date) -> int:
    settings = load_settings(session)
    days = _Days(session, today, settings)
    return top_up_courtesy(session, today, settings, len(days.days), days.capacity)


def morning_pass(session: Session, today: dt.date) -> bool:
    """The window's start: `ensure_planned`, then today's lines are fixed. True when anything
    changed."""
    planned = ensure_planned(session, today)
    return start_day(session, today) or planned


def morning_pass_done(session: Session, today: dt.date) -> bool:
    """Whether today's `morning_pass` has run (the plan made today and today's lines fixed): a
    window opening later that day shows its lists as they will stay."""
    made = dict(session.execute(select(Setting.key, Setting.value)
                                .where(Setting.key.in_((PLAN_MADE_KEY, DAY_STARTED_KEY)))).all())
    return made.get(PLAN_MADE_KEY) == made.get(DAY_STARTED_KEY) == today.isoformat()
