"""The day's own actions: opening it (scripts shipped, the plan made once a day, today's lists
fixed), fixing today's lists, handing a caller's calls to another, reminders seen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from core.actions.results import ActionResult, ChangeSet
from core.actions.runner import UnitOfWork, owner_action
from core.scheduling.reminders import Reminder, mark_shown
from core.scheduling import ensure_planned, hand_over as hand_calls_over, morning_pass, start_day as fix_todays_lists
from core.scripts.library import ensure_default_scripts


@owner_action()
def open_the_day(unit: UnitOfWork) -> ActionResult[bool]:
    """When the window opens (on a worker thread: the window shows the stored plan meanwhile and
    takes no log against today's lists until this is done): ship the default scripts; once a day
    the standing rules and the whole plan; today's lists are then fixed."""
    added = ensure_default_scripts(unit.session)
    planned = morning_pass(unit.session, unit.today())
    return ActionResult(planned, ChangeSet(scripts=bool(added), tasks=planned))


@owner_action()
def plan_the_day(unit: UnitOfWork, day: dt.date) -> ActionResult[bool]:
    """Before a command shows a day: the plan made once a day; a list read out or printed for
    today stays put."""
    planned = ensure_planned(unit.session, unit.today())
    if day == unit.today():
        planned = fix_todays_lists(unit.session, unit.today()) or planned
    return ActionResult(planned, ChangeSet(tasks=planned))


@owner_action()
def start_day(unit: UnitOfWork) -> ActionResult[bool]:
    """Fix today's lists (the first print or log of the day does this too)."""
    started = fix_todays_lists(unit.session, unit.today())
    return ActionResult(started, ChangeSet(tasks=started))


@owner_action()
def hand_over(unit: UnitOfWork, from_staff_id: int, to_staff_id: int, day: dt.date | None = None,
              *, plan_first: bool = False) -> ActionResult[int]:
    """Give the calls still on one caller's list that day (default today) to another.
    `plan_first`: make the day's plan first if it was not made yet (a command run before the window)."""
    if plan_first:
        ensure_planned(unit.session, unit.today())
    moved = hand_calls_over(unit.session, day or unit.today(), from_staff_id, to_staff_id, unit.today())
    return ActionResult(moved, ChangeSet(tasks=bool(moved)))


@owner_action()
def mark_reminders_shown(unit: UnitOfWork, reminders: Sequence[Reminder], desk: str) -> ActionResult[None]:
    mark_shown(unit.session, list(reminders), unit.now(), desk=desk)
    return ActionResult(None, ChangeSet())
