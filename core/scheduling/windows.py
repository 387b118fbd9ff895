"""Wanted touches: every pending task as something to do inside a window, with a worth.

The window says from when to when a touch still serves its purpose: a heads-up before its
change's date, an "any concerns?" call 7 to 20 days after it, a check-in 30 to 45 days after
a purchase, a timed callback on its day. Its first day is the task's due date (today when it
is overdue); its last day comes from the reason and the owner's settings. A touch whose last
day has passed expires.

Worth = reason weight × the customer's yearly value (core.scheduling.priority.worth, the one formula);
windows, weights and which reasons keep their day are declared per reason in core.scheduling.reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from core.storage.enums import Reason, TaskKind
from core.scheduling.reasons import REASONS, declaration
from core.scheduling.priority import worth
from core.settings import Settings

# Notes and samples are sent within two weeks of their day; they never expire unsent.
NOTE_WINDOW_DAYS = 14
# An open quote is followed up on the settings' days after sending (3 and 7), then weekly, at most
# this many more times.
WEEKLY = 7
MAX_EXTRA_QUOTE_FOLLOW_UPS = 4


def quote_follow_up_schedule(settings: Settings) -> list[int]:
    """The days after sending on which a quote's follow-ups 1, 2, … are due."""
    offsets = list(settings.quote_follow_up_days)
    return offsets + [offsets[-1] + WEEKLY * n for n in range(1, MAX_EXTRA_QUOTE_FOLLOW_UPS + 1)]


def quote_follow_up_interval(schedule: list[int], number: int | None) -> int:
    """The quote's own spacing before follow-up `number` (1 is the first): the days since the
    follow-up before it, or since sending for the first; weekly when the number is not known."""
    if number is None or number > len(schedule) or number < 1:
        return WEEKLY
    return schedule[number - 1] - (schedule[number - 2] if number > 1 else 0)


@dataclass(slots=True)
class Touch:
    task_id: int
    customer_id: int
    reason: Reason
    kind: TaskKind
    due: dt.date
    first: dt.date  # window: the first and last days the touch serves its purpose
    last: dt.date
    time: dt.time | None
    value: float
    staff_id: int | None  # the task's own caller (a callback promised by them)
    why: str = ""  # read only for the touches that make a list
    # A callback is made on the day promised, over the quota if need be.
    keeps_its_day: bool = False
    # Callbacks and heads-ups before a date may come soon after another call; notes and
    # samples are not calls.
    ignores_the_gap: bool = False
    is_call: bool = True
    courtesy: bool = False  # a courtesy-floor call: placed in the share of the day kept for them
    # The quote a follow-up chases: its steps (3 and 7 days, then weekly) follow one another, each
    # needed only if the one before did not settle the quote, so two of them are never one call.
    quote_id: int | None = None
    # The quote's own spacing before this follow-up (days): the minimum gap between calls does not
    # hold between follow-ups of one quote, and a conversation pushes the follow-up only this far.
    quote_interval: int = WEEKLY


def window_last_day(reason: Reason, due: dt.date, deadline: dt.date | None, settings: Settings,
                    cadence_days: int | None = None) -> dt.date:
    """The last day a touch of this reason, due on `due`, is still worth making: its task's
    deadline, else its reason's window (core.scheduling.reasons)."""
    declared = declaration(reason)
    if deadline is not None and declared.deadline_ends_window:
        return deadline
    return due + declared.window.span(settings, cadence_days)


def window_first_day(reason: Reason, due: dt.date, cadence_days: int | None) -> dt.date:
    """Keep-in-touch may come a quarter of its cadence early; everything else from its due date."""
    window = declaration(reason).window
    if window.quarter_of_cadence and cadence_days:
        return due - window.span(None, cadence_days)
    return due


class TouchMaker:
    """Touches from task rows (id, customer_id, reason, kind, due_on, due_time, deadline,
    staff_id, customer_value_cents, keep_in_touch_days, and optionally courtesy, quote_id and
    quote_key: the follow-up's key from the rules),
    many thousands at a time."""

    def __init__(self, today: dt.date, settings: Settings):
        self.today = today
        self.settings = settings
        self._values: dict[tuple[Reason, int], float] = {}
        # Rows may hold the stored text ('quote') or the enum itself.
        self._reasons = {**{r.value: r for r in Reason}, **{r: r for r in Reason}}
        self._kinds = {**{k.value: k for k in TaskKind}, **{k: k for k in TaskKind}}
        self._shapes: dict[tuple, tuple] = {}
        self._quote_schedule = quote_follow_up_schedule(settings)
        # Reasons whose window is a fixed span from the due date (when the task has no deadline).
        self._spans = {reason: declared.window.span(settings) for reason, declared in REASONS.items()
                       if not declared.window.quarter_of_cadence}
        self._keeps_its_day = {reason for reason, declared in REASONS.items() if declared.keeps_its_day}
        self._ignores_the_gap = {reason for reason, declared in REASONS.items() if declared.ignores_the_gap}

    def __call__(self, row) -> Touch:
        return self._touch(row.id, row.customer_id, row.reason, row.kind, row.due_on, row.due_time, row.deadline,
                           row.staff_id, row.customer_value_cents, row.keep_in_touch_days,
                           getattr(row, "courtesy", False), getattr(row, "quote_id", None),
                           getattr(row, "quote_key", None))

    def many(self, rows) -> Iterator[Touch]:
        """Touches from rows in the column order of the class's docstring (plus courtesy and
        quote_id): tens of thousands at a time, where each row's column lookups would cost more
        than its touch."""
        make = self._touch
        for row in rows:
            yield make(*row)

    def _touch(self, task_id, customer_id, reason, kind, due_on, due_time, deadline, staff_id, cents, cadence,
               courtesy, quote_id, quote_key=None) -> Touch:
        # Most touches share their reason, kind and dates with many others: their window is worked out once.
        shape_key = (reason, kind, due_on, deadline, cadence)
        shape = self._shapes.get(shape_key)
        if shape is None:
            shape = self._shapes[shape_key] = self._shape(*shape_key)
        reason, kind, due, first, last, keeps_its_day, ignores_the_gap, is_call, timed = shape
        value_key = (reason, cents or 0)
        value = self._values.get(value_key)
        if value is None:
            value = self._values[value_key] = worth(reason, cents or 0)
        if not is_call:
            return Touch(task_id, customer_id, reason, kind, due, first, last, None, value, staff_id, "",
                         False, True, False)
        if reason is not Reason.QUOTE:
            return Touch(task_id, customer_id, reason, kind, due, first, last, due_time if timed else None, value,
                         staff_id, "", keeps_its_day, ignores_the_gap, True, bool(courtesy))
        # The rules key follow-up n of a quote "quote:<quote id>:<n>".
        number = quote_key.rsplit(":", 1)[1] if quote_key else ""
        interval = quote_follow_up_interval(self._quote_schedule, int(number) if number.isdigit() else None)
        return Touch(task_id, customer_id, reason, kind, due, first, last, due_time if timed else None, value,
                     staff_id, "", keeps_its_day, ignores_the_gap, True, bool(courtesy), quote_id, interval)

    def _shape(self, reason_text, kind_text, due_text, deadline_text, cadence):
        """(reason, kind, due, first, last, keeps its day, ignores the gap, is a call, at its time)."""
        today = self.today
        reason = self._reasons.get(reason_text) or Reason(reason_text)
        kind = self._kinds.get(kind_text) or TaskKind(kind_text)
        due = _date(due_text)
        if kind is not TaskKind.CALL:
            first = due if due > today else today
            return reason, kind, due, first, first + dt.timedelta(days=NOTE_WINDOW_DAYS), False, True, False, False
        keeps_its_day = reason in self._keeps_its_day
        ignores_the_gap = reason in self._ignores_the_gap
        span = self._spans.get(reason)
        if span is not None and deadline_text is None:
            last = due + span  # the common case: a fixed span from the due date
            first = due
        else:
            last = window_last_day(reason, due, _date(deadline_text), self.settings, cadence)
            first = window_first_day(reason, due, cadence)
        if first < today:
            first = today
        return reason, kind, due, first, last, keeps_its_day, ignores_the_gap, True, keeps_its_day and due >= today


def _date(value) -> dt.date | None:
    """A date whichever way the database driver returned it (ISO text or a date)."""
    if value is None or value.__class__ is dt.date:
        return value
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def make_touch(row, today: dt.date, settings: Settings) -> Touch:
    """One touch from a task row (see TouchMaker)."""
    return TouchMaker(today, settings)(row)
