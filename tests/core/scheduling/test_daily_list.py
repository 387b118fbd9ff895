"""The day's list: quotas, no overlap, overdue first, closed days, and the same answer every time."""

import datetime as dt

from core.storage.enums import Outcome, Reason
from core.storage.models import CallTask
from core.scheduling import daily_agenda, free_minutes, log_outcome, plan_standing_tasks, replan

TODAY = dt.date(2026, 11, 24)


def add_task(business, customer, reason=Reason.NEGLECTED, due=TODAY, **extra):
    with business.db.transaction() as session:
        task = CallTask(customer_id=customer, reason=reason, due_on=due, why=f"{reason.value} task", **extra)
        session.add(task)
    return task.id


def agenda(business, day=TODAY, today=TODAY):
    with business.db.transaction() as session:
        replan(session, today)
    with business.db.session() as session:
        return daily_agenda(session, day, today)


def test_each_caller_gets_at_most_their_quota_and_no_customer_twice(business):
    business.caller("Maria", quota=3)
    business.caller("Dave", quota=2)
    for n in range(10):
        customer = business.customer(f"C{n}")
        add_task(business, customer)
        add_task(business, customer, Reason.QUOTE)
    day = agenda(business)
    per_caller = {s.name: s.count for s in day.staff}
    assert per_caller == {"Maria": 3, "Dave": 2}
    customers = [call.customer_id for call in day.calls]
    assert len(customers) == len(set(customers)) == 5


def test_a_call_whose_window_closes_today_comes_before_ones_that_can_wait(business):
    business.caller("Maria", quota=2)
    fresh = [add_task(business, business.customer(f"New {n}"), Reason.CHANGE_HEADS_UP,
                      deadline=TODAY + dt.timedelta(days=10)) for n in range(3)]
    # A quote follow-up is useful for 6 days: this one's window closes today.
    closing = add_task(business, business.customer("Closing"), Reason.QUOTE, due=TODAY - dt.timedelta(days=6))
    calls = agenda(business).calls
    ids = {c.task_id for c in calls}
    assert closing in ids and len(ids & set(fresh)) == 1, "a heads-up with days to spare moves to tomorrow"
    assert calls[-1].task_id == closing and calls[-1].overdue


def test_priority_follows_reason_urgency_and_value_with_an_explanation(business):
    business.caller("Maria", quota=5)
    business.product("DOOR")
    rich, poor = business.customer("Big spender"), business.customer("Small spender")
    business.buy(rich, "DOOR", days_ago=200, dollars=9000)
    business.buy(poor, "DOOR", days_ago=200, dollars=50)
    with business.db.transaction() as session:
        plan_standing_tasks(session, TODAY)  # both are quiet: courtesy calls, weighed by their spend
    urgent = add_task(business, business.customer("Deadline"), Reason.CHANGE_HEADS_UP,
                      deadline=TODAY + dt.timedelta(days=1))
    calls = agenda(business).calls
    assert [c.customer for c in calls] == ["Deadline", "Big spender", "Small spender"]
    assert calls[0].task_id == urgent
    assert "Heads-up call ×10" in calls[0].explanation and "1 day to its deadline" in calls[0].explanation


def test_do_not_call_and_wrong_numbers_never_appear(business):
    business.caller("Maria")
    add_task(business, business.customer("No calls", do_not_call=True))
    add_task(business, business.customer("Bad number", needs_data_fix=True))
    add_task(business, business.customer("Fine"))
    assert [c.customer for c in agenda(business).calls] == ["Fine"]


def test_closed_days_get_no_calls(business):
    business.caller("Maria")
    business.settings(holiday_country="US")
    add_task(business, business.customer("Ann"), due=dt.date(2026, 11, 26))
    thanksgiving = agenda(business, day=dt.date(2026, 11, 26))
    assert thanksgiving.closed and thanksgiving.calls == ()
    assert "Thanksgiving" in thanksgiving.closed_reason
    assert agenda(business, day=dt.date(2026, 11, 28)).closed_reason == "Closed on Saturdays"


def test_a_customers_own_caller_gets_the_call_when_they_have_room(business):
    maria = business.caller("Maria", quota=5)
    dave = business.caller("Dave", quota=5)
    add_task(business, business.customer("Dave's customer", assigned_staff_id=dave))
    add_task(business, business.customer("Maria's customer", assigned_staff_id=maria))
    owners = {c.customer: c.staff for c in agenda(business).calls}
    assert owners == {"Dave's customer": "Dave", "Maria's customer": "Maria"}


def test_logged_calls_stay_on_the_list_done_and_count_toward_the_quota(business):
    maria = business.caller("Maria", quota=2)
    first = add_task(business, business.customer("A"), Reason.QUOTE)
    for name in "BCD":
        add_task(business, business.customer(name))
    agenda(business)
    with business.db.transaction() as session:
        log_outcome(session, first, Outcome.REACHED, dt.datetime(2026, 11, 24, 9, 5), staff_id=maria)
    day = agenda(business)
    assert [(c.customer, c.done) for c in day.calls][0] == ("A", True)
    assert (day.staff[0].count, day.staff[0].done) == (2, 1)


def test_the_same_data_and_date_always_give_the_same_list(business):
    business.caller("Maria", quota=4)
    business.caller("Dave", quota=3)
    for n in range(12):
        add_task(business, business.customer(f"C{n}"), Reason.REWARDS)
    assert agenda(business) == agenda(business)


def test_ten_free_minutes_gives_the_top_three_due_now(business):
    maria = business.caller("Maria", quota=10)
    later = add_task(business, business.customer("At four"), Reason.CALLBACK, due_time=dt.time(16, 0),
                     staff_id=maria)
    for n in range(5):
        add_task(business, business.customer(f"C{n}"), Reason.QUOTE)
    agenda(business)
    with business.db.session() as session:
        top = free_minutes(session, dt.datetime(2026, 11, 24, 10, 0), maria)
    assert len(top) == 3 and later not in [c.task_id for c in top]


def test_future_days_show_what_is_due_that_day(business):
    business.caller("Maria")
    add_task(business, business.customer("Friday"), due=dt.date(2026, 11, 27))
    assert [c.customer for c in agenda(business, day=dt.date(2026, 11, 27)).calls] == ["Friday"]
    assert agenda(business, day=dt.date(2026, 11, 25)).calls == ()


def test_a_backlog_of_overdue_calls_never_crowds_out_a_heads_up_with_a_deadline(business):
    business.caller("Maria", quota=2)
    for n in range(5):
        add_task(business, business.customer(f"Backlog {n}"), Reason.POST_PURCHASE, due=TODAY - dt.timedelta(days=2))
    heads_up = add_task(business, business.customer("Before the change"), Reason.CHANGE_HEADS_UP,
                        deadline=TODAY + dt.timedelta(days=10))
    calls = agenda(business).calls
    assert calls[0].task_id == heads_up
    assert calls[1].overdue


def test_past_days_on_the_calendar_count_the_calls_made_not_what_rolled_over(business):
    from core.scheduling import calendar_load

    maria = business.caller("Maria", quota=5)
    made = add_task(business, business.customer("Called"), due=TODAY - dt.timedelta(days=1))
    add_task(business, business.customer("Rolled over"), due=TODAY - dt.timedelta(days=1))
    with business.db.transaction() as session:
        log_outcome(session, made, Outcome.REACHED, dt.datetime(2026, 11, 23, 10, 0), staff_id=maria)
    agenda(business)
    with business.db.session() as session:
        loads = calendar_load(session, TODAY - dt.timedelta(days=1), TODAY, TODAY)
    assert (loads[TODAY - dt.timedelta(days=1)].planned, loads[TODAY - dt.timedelta(days=1)].due) == (1, 1)
    assert loads[TODAY].due == 1, "the call not made yesterday waits today"


def test_a_customer_with_no_phone_is_not_on_the_call_list(business):
    business.caller("Maria")
    add_task(business, business.customer("No number", phone=None))
    add_task(business, business.customer("Has a number"))
    assert [c.customer for c in agenda(business).calls] == ["Has a number"]
