"""One formula for what a call is worth: the planner places calls by it, the day's list shows it
and explains it, before and after the call is made."""

import datetime as dt

from core.storage.enums import Outcome, Reason
from core.storage.models import CallTask
from core.scheduling import daily_agenda, log_outcome, replan
from core.scheduling.plan_view import plan_lines
from core.scheduling.priority import worth

TODAY = dt.date(2026, 11, 24)


def add_task(business, customer, reason, **extra):
    with business.db.transaction() as session:
        task = CallTask(customer_id=customer, reason=reason, due_on=TODAY, why=f"{reason.value} task", **extra)
        session.add(task)
    return task.id


def planned_and_listed(business):
    with business.db.transaction() as session:
        replan(session, TODAY)
    with business.db.session() as session:
        stored = {line.task_id: line for line in plan_lines(session, TODAY, TODAY)}
        return stored, {call.task_id: call for call in daily_agenda(session, TODAY, TODAY).calls}


def test_the_lists_priority_is_the_planners_worth_before_and_after_the_call(business):
    maria = business.caller("Maria", quota=5)
    heads_up = add_task(business, business.customer("Deadline"), Reason.CHANGE_HEADS_UP,
                        deadline=TODAY + dt.timedelta(days=1), customer_value_cents=421_000)
    quote = add_task(business, business.customer("Quote"), Reason.QUOTE, customer_value_cents=5_000)
    stored, listed = planned_and_listed(business)

    for task_id, reason, cents in ((heads_up, Reason.CHANGE_HEADS_UP, 421_000), (quote, Reason.QUOTE, 5_000)):
        assert stored[task_id].value == listed[task_id].priority == worth(reason, cents)
        assert f"= {listed[task_id].priority:g}" in listed[task_id].explanation
    assert "Heads-up call ×10" in listed[heads_up].explanation
    assert "1 day to its deadline" in listed[heads_up].explanation

    # Made, the call stays on the day's list with the worth it was planned by.
    with business.db.transaction() as session:
        log_outcome(session, heads_up, Outcome.REACHED, dt.datetime(2026, 11, 24, 9, 5), staff_id=maria)
    _stored, listed = planned_and_listed(business)
    assert listed[heads_up].done
    assert listed[heads_up].priority == worth(Reason.CHANGE_HEADS_UP, 421_000)
    assert f"= {listed[heads_up].priority:g}" in listed[heads_up].explanation


def test_a_call_covering_two_reasons_is_worth_both_and_says_so(business):
    business.caller("Maria", quota=5)
    ann = business.customer("Ann")
    lead = add_task(business, ann, Reason.QUOTE, customer_value_cents=90_000)
    add_task(business, ann, Reason.POST_PURCHASE, customer_value_cents=90_000)
    stored, listed = planned_and_listed(business)

    assert list(listed) == [lead], "one call covers both reasons"
    expected = round(worth(Reason.QUOTE, 90_000) + worth(Reason.POST_PURCHASE, 90_000), 2)
    assert stored[lead].value == listed[lead].priority == expected
    explanation = listed[lead].explanation
    assert "Quote follow-up ×7 + Check-in after a purchase ×5" in explanation
    assert f"= {expected:g}" in explanation
