"""Wanted touches: every pending task as something to do inside a window, with a worth.

The window says from when to when a touch still serves its purpose: a heads-up before its
change's date, an "any concerns?" call 7 to 20 days after it, a check-in 30 to 45 days after
a purchase, a timed callback on its day. Its first day is the task's due date (today when it
is overdue); its last day comes from the reason and the owner's settings. A touch whose last
day has passed expires.

Worth = reason weight × the customer's yearly value (core.scheduling.priority.worth, the one formula);
windows, weights and which reasons keep their day are declared per reason in core.reasons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.enums import Reason, TaskKind
from core.reasons import REASONS, declaration
from core.scheduling.priority import worth
from core.settings import Settings

# Notes and samples are sent within two weeks of their day; they never expire unsent.
NOTE_WINDOW_DAYS = 14


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


def window_last_day(reason: Reason, due: dt.date, deadline: dt.date | None, settings: Settings,
                    cadence_days: int | None = None) -> dt.date:
    """The last day a touch of this reason, due on `due`, is still worth making: its task's
    deadline, else its reason's window (core.reasons)."""
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
    staff_id, customer_value_cents, keep_in_touch_days), many thousands at a time."""

    def __init__(self, today: dt.date, settings: Settings):
        self.today = today
        self.settings = settings
        self._values: dict[tuple[Reason, int], float] = {}
        # Rows may hold the stored text ('quote') or the enum itself.
        self._reasons = {**{r.value: r for r in Reason}, **{r: r for r in Reason}}
        self._kinds = {**{k.value: k for k in TaskKind}, **{k: k for k in TaskKind}}
        self._dates: dict = {}
        # Reasons whose window is a fixed span from the due date (when the task has no deadline).
        self._spans = {reason: declared.window.span(settings) for reason, declared in REASONS.items()
                       if not declared.window.quarter_of_cadence}
        self._keeps_its_day = {reason for reason, declared in REASONS.items() if declared.keeps_its_day}
        self._ignores_the_gap = {reason for reason, declared in REASONS.items() if declared.ignores_the_gap}

    def __call__(self, row) -> Touch:
        today = self.today
        reason = self._reasons.get(row.reason) or Reason(row.reason)
        due_text = row.due_on
        due = self._dates.get(due_text)
        if due is None:
            due = self._dates[due_text] = _date(due_text)
        cents = row.customer_value_cents or 0
        key = (reason, cents)
        value = self._values.get(key)
        if value is None:
            value = self._values[key] = worth(reason, cents)
        kind = self._kinds.get(row.kind) or TaskKind(row.kind)
        if kind is not TaskKind.CALL:
            first = due if due > today else today
            return Touch(row.id, row.customer_id, reason, kind, due, first,
                         first + dt.timedelta(days=NOTE_WINDOW_DAYS), None, value, row.staff_id,
                         ignores_the_gap=True, is_call=False)
        span = self._spans.get(reason)
        if span is not None and row.deadline is None:
            # The common case, thousands of times: a fixed span from the due date.
            last = due + span
            first = due if due > today else today
            keeps_its_day = reason in self._keeps_its_day
            return Touch(row.id, row.customer_id, reason, kind, due, first, last,
                         row.due_time if keeps_its_day and due >= today else None, value, row.staff_id,
                         keeps_its_day=keeps_its_day, ignores_the_gap=reason in self._ignores_the_gap,
                         courtesy=bool(row.courtesy),
                         quote_id=getattr(row, "quote_id", None) if reason is Reason.QUOTE else None)
        cadence = row.keep_in_touch_days
        last = window_last_day(reason, due, _date(row.deadline), self.settings, cadence)
        first = window_first_day(reason, due, cadence)
        if first < today:
            first = today
        keeps_its_day = reason in self._keeps_its_day
        return Touch(row.id, row.customer_id, reason, kind, due, first, last,
                     row.due_time if keeps_its_day and due >= today else None, value, row.staff_id,
                     keeps_its_day=keeps_its_day, ignores_the_gap=reason in self._ignores_the_gap,
                     courtesy=bool(getattr(row, "courtesy", False)),
                     quote_id=getattr(row, "quote_id", None) if reason is Reason.QUOTE else None)


def _date(value) -> dt.date | None:
    """A date whichever way the database driver returned it (ISO text or a date)."""
    if value is None or value.__class__ is dt.date:
        return value
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def make_touch(row, today: dt.date, settings: Settings) -> Touch:
    """One touch from a task row (see TouchMaker)."""
    return TouchMaker(today, settings)(row)
