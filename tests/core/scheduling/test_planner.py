"""The planner's promises, one scenario each: one call per customer, the gap, callbacks at
their time, lists that stay put, hand-over, the "not planned" pool and expiry."""

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.storage.enums import Outcome, Reason, TaskStatus
from core.storage.models import CallLog, CallTask, Customer, PlannedCall, PlanWaiting, StaffMember
from core.customers.quotes import QuoteInput, add_quote
from core.scheduling import daily_agenda, hand_over, log_outcome, replan, start_day, stored_plan
from core.scheduling.business_days import BusinessCalendar
from core.scheduling.planner import morning_pass
from core.settings import load_settings

TODAY = dt.date(2026, 11, 24)  # a Tuesday


def add_task(business, customer, reason=Reason.NEGLECTED, due=TODAY, **extra):
    with business.db.transaction() as session:
        task = CallTask(customer_id=customer, reason=reason, due_on=due, why=extra.pop("why", f"{reason.value} task"),
                        **extra)
        session.add(task)
    return task.id


def plan(business, today=TODAY):
    with business.db.transaction() as session:
        return replan(session, today)


def lines(business, customer=None):
    with business.db.session() as session:
        query = select(PlannedCall).order_by(PlannedCall.day)
        if customer is not None:
            query = query.where(PlannedCall.customer_id == customer)
        return session.scalars(query).all()


def agenda(business, day=TODAY, today=TODAY):
    with business.db.session() as session:
        return daily_agenda(session, day, today)


def test_touches_close_together_become_one_call_that_covers_and_settles_every_reason(business):
    business.caller("Maria", quota=5)
    ann = business.customer("Ann", keep_in_touch_days=60)
    check_in = add_task(business, ann, Reason.POST_PURCHASE, why="Bought a door")
    keep = add_task(business, ann, Reason.KEEP_IN_TOUCH, due=TODAY + dt.timedelta(days=3), why="Every 60 days")
    plan(business)
    (line,) = lines(business, ann)
    assert set(line.reasons.split(",")) == {"post_purchase", "keep_in_touch"}
    assert "Bought a door" in line.why and "Every 60 days" in line.why
    (call,) = agenda(business, line.day).calls
    with business.db.transaction() as session:
        log_outcome(session, call.task_id, Outcome.REACHED, dt.datetime.combine(line.day, dt.time(10)))
    with business.db.session() as session:
        assert {session.get(CallTask, t).status for t in (check_in, keep)} == {TaskStatus.DONE}


def test_two_calls_to_one_customer_keep_the_minimum_gap(business):
    business.caller("Maria", quota=5)
    business.settings(merge_days=2, min_gap_days=14)
    ann = business.customer("Ann")
    add_task(business, ann, Reason.REWARDS)
    add_task(business, ann, Reason.NEGLECTED, due=TODAY + dt.timedelta(days=5))
    plan(business)
    days = [line.day for line in lines(business, ann)]
    assert len(days) == 2 and (days[1] - days[0]).days >= 14


def test_after_a_conversation_the_next_call_waits_the_full_gap(business):
    maria = business.caller("Maria", quota=5)
    ann = business.customer("Ann")
    quote = add_task(business, ann, Reason.QUOTE)
    plan(business)
    with business.db.transaction() as session:
        log_outcome(session, quote, Outcome.REACHED, dt.datetime(2026, 11, 24, 9, 0), staff_id=maria)
    add_task(business, ann, Reason.REWARDS, due=TODAY + dt.timedelta(days=1))
    plan(business)
    assert [line.day for line in lines(business, ann)] == [dt.date(2026, 12, 8)]


def test_a_timed_callback_is_on_the_day_at_its_time_even_after_a_call_that_day(business):
    maria = business.caller("Maria", quota=1)
    ann = business.customer("Ann")
    first = add_task(business, ann, Reason.QUOTE)
    plan(business)
    with business.db.transaction() as session:
        log_outcome(session, first, Outcome.REACHED, dt.datetime(2026, 11, 24, 9, 0), staff_id=maria,
                    follow_up=dt.datetime(2026, 11, 24, 15, 30))
    day = agenda(business)
    pending = day.pending()
    assert [(c.customer, c.reason, c.time) for c in pending] == [("Ann", Reason.CALLBACK, dt.time(15, 30))]
    assert day.staff[0].count == 2, "the callback goes over Maria's quota of 1, visibly"


def test_a_started_days_lists_stay_put_when_more_valuable_work_arrives(business):
    business.caller("Maria", quota=2)
    for name in "AB":
        add_task(business, business.customer(name), Reason.NEGLECTED)
    plan(business)
    with business.db.transaction() as session:
        start_day(session, TODAY)
    before = [(c.customer, c.staff) for c in agenda(business).calls]
    add_task(business, business.customer("Urgent"), Reason.CHANGE_HEADS_UP, deadline=TODAY + dt.timedelta(days=2))
    plan(business)
    assert [(c.customer, c.staff) for c in agenda(business).calls] == before
    assert any(c.customer == "Urgent" for c in agenda(business, TODAY + dt.timedelta(days=1)).calls)


def test_handing_over_gives_the_remaining_calls_to_another_caller(business):
    maria = business.caller("Maria", quota=3)
    dave = business.caller("Dave", quota=3)
    for name in "ABCD":
        add_task(business, business.customer(name, assigned_staff_id=maria), Reason.NEGLECTED)
    plan(business)
    with business.db.transaction() as session:
        moved = hand_over(session, TODAY, maria, dave, TODAY)
    day = agenda(business)
    assert moved == 3 and {c.staff for c in day.calls} == {"Dave"} and len(day.calls) == 4


def test_a_customer_is_never_on_two_lists_the_same_day(business):
    maria = business.caller("Maria")
    ann = business.customer("Ann")
    task = add_task(business, ann)
    row = dict(day=TODAY, customer_id=ann, task_id=task, is_call=True, beyond_quota=False, fixed=False, value=1.0,
               first_day=TODAY, last_day=TODAY, reasons="neglected", why="")
    with pytest.raises(IntegrityError):
        with business.db.transaction() as session:
            session.add(PlannedCall(staff_id=maria, **row))
            session.add(PlannedCall(staff_id=None, **row))


def test_what_does_not_fit_waits_with_its_reason_then_expires_recorded(business):
    business.caller("Maria", quota=1)
    tasks = [add_task(business, business.customer(f"C{n}"), Reason.QUOTE) for n in range(8)]
    result = plan(business)
    assert (result.planned, result.waiting) == (5, 3)  # a quote follow-up is useful for 6 days: Tue..Mon
    with business.db.session() as session:
        reasons = set(session.scalars(select(PlanWaiting.reason)))
    assert reasons == {"no room before its window closes on 30 Nov"}
    later = TODAY + dt.timedelta(days=7)
    result = plan(business, later)
    assert result.expired == 8, "nobody called them: every window closed"
    with business.db.session() as session:
        expired = session.scalars(select(CallTask).where(CallTask.id.in_(tasks))).all()
        assert {(t.status, t.expired_on) for t in expired} == {(TaskStatus.SKIPPED, later)}
        assert stored_plan(session, later, later, later).expired == 8
        assert session.scalar(select(CallLog.id)) is None


def test_an_expiring_call_becomes_a_note_when_the_owner_chooses(business):
    business.caller("Maria", quota=1)
    business.settings(notes_for_expiring_calls=True)
    for n in range(3):
        add_task(business, business.customer(f"C{n}"), Reason.QUOTE, due=TODAY - dt.timedelta(days=6),
                 why=f"Quote {n}")
    result = plan(business)
    assert (result.planned, result.expired) == (1, 0)
    result = plan(business, TODAY + dt.timedelta(days=1))
    assert result.expired == 3, "today's call was not made either"
    with business.db.session() as session:
        notes = session.scalars(select(CallTask).where(CallTask.kind == "note")).all()
    assert len(notes) == 3 and all(n.why.startswith("No room to call in time — send a note") for n in notes)


def test_a_conversation_resets_the_courtesy_clock(business):
    from core.scheduling import plan_standing_tasks

    maria = business.caller("Maria", quota=5)
    business.product("DOOR")
    quiet, spoken = business.customer("Quiet"), business.customer("Spoken to")
    for customer in (quiet, spoken):
        business.buy(customer, "DOOR", days_ago=300)
    quote = add_task(business, spoken, Reason.QUOTE)
    plan(business)
    with business.db.transaction() as session:
        log_outcome(session, quote, Outcome.REACHED, dt.datetime(2026, 11, 24, 9, 0), staff_id=maria)
        plan_standing_tasks(session, TODAY)
        courtesy = set(session.scalars(select(CallTask.customer_id).where(CallTask.reason == Reason.NEGLECTED)))
    assert courtesy == {quiet}


def _long_ago(business, customer_ids):
    from core.storage.models import Customer

    with business.db.transaction() as session:
        for customer_id in customer_ids:
            session.get(Customer, customer_id).created_at = dt.datetime(2024, 1, 1)


def test_quiet_customers_hear_from_the_business_in_the_share_kept_for_them(business):
    from core.scheduling import refresh_plan

    business.caller("Maria", quota=10)  # 15 % kept: 2 calls a day
    business.settings(courtesy_floor_share=0.15)
    quiet = [business.customer(f"Quiet {n}") for n in range(30)]
    _long_ago(business, quiet)
    for n in range(20):
        add_task(business, business.customer(f"Busy {n}"), Reason.QUOTE, customer_value_cents=500_000)
    with business.db.transaction() as session:
        refresh_plan(session, TODAY)
    calls = agenda(business).calls
    assert len(calls) == 10
    assert sum(1 for c in calls if c.customer.startswith("Quiet")) == 2, "the kept share, not more, not less"
    assert any("No conversation on record" in c.why for c in calls)


def test_the_plan_says_how_many_customers_cannot_hear_from_you_this_year(business):
    from core.scheduling import courtesy_outlook

    business.caller("Maria", quota=1)  # 1 call a day kept for them
    business.settings(courtesy_floor_months=1)  # each needs 12 calls a year
    for n in range(30):
        business.customer(f"C{n}")
    with business.db.session() as session:
        outlook = courtesy_outlook(session, TODAY)
    assert outlook.customers == 30 and outlook.not_reached == 360 - outlook.reachable_in_a_year > 0
    assert outlook.message == f"{outlook.not_reached} customers will not hear from you this year: add 1 call a day."


def test_a_quote_is_followed_up_3_and_7_days_after_sending_then_weekly_inside_the_demo_teams_quotas(demo_db):
    # The minimum gap between two calls would push the 7-day follow-up two weeks past a reached
    # 3-day one (and out of its window): follow-ups of one quote keep to the quote's cadence.
    with demo_db.transaction() as session:
        morning_pass(session, TODAY)
        customer = Customer(name="Quinn Harper", phone="+15035550199")
        session.add(customer)
        session.flush()
        add_quote(session, customer.id, QuoteInput("Insulated garage door", 320_000, TODAY), TODAY)
        calendar = BusinessCalendar.from_settings(load_settings(session))
        quotas = dict(session.execute(select(StaffMember.id, StaffMember.daily_quota)).all())
    called = []
    day = TODAY
    while day <= TODAY + dt.timedelta(days=21):
        with demo_db.transaction() as session:
            morning_pass(session, day)
            for call in daily_agenda(session, day, day).pending():  # the team makes its calls
                log_outcome(session, call.task_id, Outcome.REACHED, dt.datetime.combine(day, dt.time(10)))
                if call.customer_id == customer.id:
                    called.append(day)
            over = session.execute(
                select(PlannedCall.day, PlannedCall.staff_id, func.count()).where(PlannedCall.beyond_quota.is_(False))
                .group_by(PlannedCall.day, PlannedCall.staff_id)).all()
            assert all(count <= quotas[staff_id] for _day, staff_id, count in over), "no caller-day over quota"
        day += dt.timedelta(days=1)
    assert called == [calendar.open_on_or_after(TODAY + dt.timedelta(days=offset)) for offset in (3, 7, 14, 21)]
