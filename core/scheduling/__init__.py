"""The scheduling engine: who to call, why, when, and by whom. Plain Python, no Qt.

Every function takes an open SQLAlchemy session and the date (or moment) it should act on;
nothing here reads the clock. Writers run inside the caller's transaction, so one user action
is applied whole or not at all.

Announced changes (changes.py)
    preview_change(session, ChangeRequest, today) -> ChangePlan      # writes nothing
    announce_change(session, ChangeRequest, today) -> ChangePlan     # change + its tasks
    move_change(session, change_id, new_date, today) -> ChangePlan
    cancel_change(session, change_id, now) -> int
    campaign_results(session, change_id, today) -> CampaignResults
    product_ids_for_skus(session, skus) -> tuple[int, ...]
Standing rules (rules.py)
    plan_standing_tasks(session, today) -> RulesResult               # idempotent
    plan_standing_tasks_once_a_day(session, today) -> RulesResult    # the window's morning pass
    plan_quote_and_reward_calls(session, today) -> RulesResult      # just those two rules, at once
    quote_hit_ratio(session, since=None)
The plan (planner.py; windows.py and levelling.py underneath)
    replan(session, today) -> ReplanResult                           # every touch levelled, stored
    replan_customers(session, today, customer_ids) -> ReplanResult   # only these customers
    refresh_plan(session, today)                                     # rules, then the whole plan
    ensure_planned(session, today) / morning_pass(session, today)    # the same once a day (+ start_day)
    morning_pass_done(session, today) -> bool                        # today's pass has run
    start_day(session, today) -> bool                                # today's lines stay put
    hand_over(session, day, from_staff_id, to_staff_id, today) -> int
    stored_plan(session, first, last, today, staff_id=None) -> StoredPlan   # what `plan --json` prints
    courtesy_outlook(session, today) -> CourtesyOutlook              # who cannot hear from you this year
The day (agenda.py, reading the stored plan)
    daily_agenda(session, day, today) -> DailyAgenda
    free_minutes(session, now, staff_id) -> list[AgendaCall]
    calendar_load(session, first, last, today) -> dict[date, DayLoad]
    unplanned_calls_on(session, day) -> [(customer_id, staff_id)]    # calls for no reason that day
Outcomes (outcomes.py)
    log_outcome(session, task_id, outcome, now, ...) -> LogResult    # LogResult.undo
    log_unplanned_call(session, customer_id, outcome, now, ...) -> LogResult   # a call for no reason
    undo_log(session, UndoRecord)
Open days (business_days.py): BusinessCalendar.from_settings(settings)
Also here: reasons.py (each call reason declared once), staff.py (callers and quotas),
reminders.py, change_review.py, holiday_countries.py.

May use: core.storage, core.customers (a customer's phones, quotes and card), core.machine (the
public holidays kept on this computer) and the basics. Never core.actions or the front ends: an
action calls these inside its own transaction.
"""

from typing import TYPE_CHECKING

# Each public name and the module that holds it. A name is imported from its module the first time
# it is asked for (PEP 562), so a window start reading the day's agenda does not load the planner,
# the standing rules or the announcing of changes: those load with the first action that needs them.
_EXPORTS = {
    "core.scheduling.agenda": ("AgendaCall", "CallerDay", "DailyAgenda", "DayLoad", "calendar_load", "daily_agenda",
                               "free_minutes", "unplanned_calls_on"),
    "core.scheduling.business_days": ("BusinessCalendar",),
    "core.scheduling.changes": ("ChangePlan", "ChangeRequest", "announce_change", "campaign_results", "cancel_change",
                                "move_change", "preview_change", "product_ids_for_skus"),
    "core.scheduling.courtesy": ("CourtesyOutlook", "courtesy_outlook"),
    "core.scheduling.outcomes": ("LogResult", "UndoRecord", "log_outcome", "log_unplanned_call", "undo_log"),
    "core.scheduling.plan_view": ("PlanDay", "PlanLine", "StoredPlan", "stored_plan"),
    "core.scheduling.planner": ("ReplanResult", "ensure_planned", "hand_over", "morning_pass", "morning_pass_done",
                                "refresh_plan", "replan", "replan_customers", "start_day"),
    "core.scheduling.rules": ("plan_quote_and_reward_calls", "plan_standing_tasks", "plan_standing_tasks_once_a_day",
                              "quote_hit_ratio"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # asked once: the next `from core.scheduling import` finds it here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # the same names, for type checkers and editors
    from core.scheduling.agenda import (
        AgendaCall,
        CallerDay,
        DailyAgenda,
        DayLoad,
        calendar_load,
        daily_agenda,
        free_minutes,
        unplanned_calls_on,
    )
    from core.scheduling.business_days import BusinessCalendar
    from core.scheduling.changes import (
        ChangePlan,
        ChangeRequest,
        announce_change,
        campaign_results,
        cancel_change,
        move_change,
        preview_change,
        product_ids_for_skus,
    )
    from core.scheduling.courtesy import CourtesyOutlook, courtesy_outlook
    from core.scheduling.outcomes import (
        LogResult,
        UndoRecord,
        log_outcome,
        log_unplanned_call,
        undo_log,
    )
    from core.scheduling.plan_view import PlanDay, PlanLine, StoredPlan, stored_plan
    from core.scheduling.planner import (
        ReplanResult,
        ensure_planned,
        hand_over,
        morning_pass,
        morning_pass_done,
        refresh_plan,
        replan,
        replan_customers,
        start_day,
    )
    from core.scheduling.rules import (
        plan_quote_and_reward_calls,
        plan_standing_tasks,
        plan_standing_tasks_once_a_day,
        quote_hit_ratio,
    )
