"""Wanted touches: every pending task as something to do inside a window, with a worth.

The window says from when to when a touch still serves its purpose: a heads-up before its
change's date, an "any concerns?" call 7 to 20 days after it, a check-in 30 to 45 days after
a purchase, a timed callback on its day. Its first day is the task's due date (today when it
is overdue); its last day comes from the reason and the owner's settings. A touch whose last
day has passed expires.

Worth = reason weight × the customer's yearly value, as core.scheduling.priority explains it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.enums import Reason, TaskKind
from core.scheduling.priority import REASON_WEIGHT, value_factor
from core.settings import Settings

# A callback not made on its day is still made within a few days rather than dropped.
CALLBACK_GRACE_DAYS = 3
# Quote follow-ups come 3 and 7 days after sending, then weekly: each is useful until the next.
QUOTE_WINDOW_DAYS = 6
# Notes and samples are sent within two weeks of their day; they never expire unsent.
NOTE_WINDOW_DAYS = 14
# A heads-up retried after the date has no deadline; it is still worth a week.
HEADS_UP_WITHOUT_DEADLINE_DAYS = 7


@dataclass(frozen=True)
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
    why: str

    @property
    def is_call(self) -> bool:
        return self.kind is TaskKind.CALL

    @property
    def keeps_its_day(self) -> bool:
        """A callback is made on the day promised, over the quota if need be."""
        return self.reason is Reason.CALLBACK

    @property
    def ignores_the_gap(self) -> bool:
        """Callbacks and heads-ups before a date may come soon after another call; notes and
        samples are not calls."""
        return self.reason in (Reason.CALLBACK, Reason.CHANGE_HEADS_UP) or not self.is_call


def window_last_day(reason: Reason, due: dt.date, deadline: dt.date | None, settings: Settings,
                    cadence_days: int | None = None) -> dt.date:
    """The last day a touch of this reason, due on `due`, is still worth making."""
    days = dt.timedelta
    if reason is Reason.CALLBACK:
        return due + days(CALLBACK_GRACE_DAYS)
    if reason is Reason.CHANGE_HEADS_UP:
        return deadline if deadline is not None else due + days(HEADS_UP_WITHOUT_DEADLINE_DAYS)
    if deadline is not None:
        return deadline
    if reason is Reason.CHANGE_CONCERNS:
        return due + days(max(settings.concerns_last_day - settings.concerns_after_days, 0))
    if reason is Reason.CHANGE_FOLLOW_UP:
        return due + days(settings.follow_up_window_days)
    if reason is Reason.POST_PURCHASE:
        return due + days(max(settings.post_purchase_last_day - settings.post_purchase_days, 0))
    if reason is Reason.QUOTE:
        return due + days(QUOTE_WINDOW_DAYS)
    if reason is Reason.REWARDS:
        return due + days(settings.rewards_window_days)
    if reason is Reason.KEEP_IN_TOUCH:
        return due + days(max((cadence_days or 28) // 4, 1))
    if reason is Reason.NEGLECTED:
        return due + days(settings.neglected_repeat_days)
    return due + days(settings.rewards_window_days)


def window_first_day(reason: Reason, due: dt.date, cadence_days: int | None) -> dt.date:
    """Keep-in-touch may come a quarter of its cadence early; everything else from its due date."""
    if reason is Reason.KEEP_IN_TOUCH and cadence_days:
        return due - dt.timedelta(days=max(cadence_days // 4, 1))
    return due


def touch_value(reason: Reason, customer_value_cents: int) -> float:
    return round(REASON_WEIGHT[reason] * value_factor(customer_value_cents), 2)


def make_touch(row, today: dt.date, settings: Settings) -> Touch:
    """A touch from a task row (id, customer_id, reason, kind, due_on, due_time, deadline,
    staff_id, customer_value_cents, why, keep_in_touch_days)."""
    reason = Reason(row.reason)
    due = row.due_on
    kind = TaskKind(row.kind)
    if kind is not TaskKind.CALL:
        first = max(due, today)
        return Touch(row.id, row.customer_id, reason, kind, due, first, first + dt.timedelta(days=NOTE_WINDOW_DAYS),
                     None, touch_value(reason, row.customer_value_cents or 0), row.staff_id, row.why or "")
    last = window_last_day(reason, due, row.deadline, settings, row.keep_in_touch_days)
    first = max(window_first_day(reason, due, row.keep_in_touch_days), today)
    return Touch(row.id, row.customer_id, reason, kind, due, first, last,
                 row.due_time if reason is Reason.CALLBACK and due >= today else None,
                 touch_value(reason, row.customer_value_cents or 0), row.staff_id, row.why or "")
