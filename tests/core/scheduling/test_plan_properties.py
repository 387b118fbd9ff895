"""The stored plan on random businesses (hypothesis): quotas, windows, gaps, the lists, value.

Each example builds a business (callers, closed days, customers with touches of every reason,
quote follow-ups of one quote, timed callbacks), plans it, checks the plan, logs a random call
(re-planning only that customer) and checks again.

Two calls to one customer keep the minimum gap, except a callback, a heads-up before its date
(or a touch that is no call), and a call about nothing but quotes the call before it followed
up: a quote's follow-ups keep to the quote's own cadence.
"""

import datetime as dt
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from core.storage.database import open_database
from core.storage.enums import Outcome, Reason, TaskKind
from core.storage.models import CallTask, Customer, PlannedCall, PlannedCallTask, PlanWaiting, Quote, StaffMember
from core.storage.paths import sqlite_url
from core.scheduling import daily_agenda, log_outcome, replan, stored_plan
from core.scheduling.business_days import BusinessCalendar
from core.scheduling.planner import _touch_rows
from core.scheduling.windows import make_touch
from core.settings import load_settings, save_settings

TODAY = dt.date(2026, 11, 24)
CALL_REASONS = [r for r in Reason if r is not Reason.CALLBACK]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("plan-template") / "template.sqlite3"
    database = open_database(sqlite_url(path))
    with database.transaction() as session:
        save_settings(session, holiday_country=None, plan_days_ahead=21)
    database.dispose()
    return path


task = st.tuples(st.sampled_from(CALL_REASONS), st.integers(-10, 25), st.none() | st.integers(0, 20),
                 st.sampled_from([TaskKind.CALL, TaskKind.CALL, TaskKind.CALL, TaskKind.NOTE]))
business_shape = st.fixed_dictionaries({
    "quotas": st.lists(st.integers(0, 4), min_size=1, max_size=3),
    "closed": st.lists(st.integers(0, 20), max_size=3),
    "customers": st.lists(st.fixed_dictionaries({
        "value": st.integers(0, 5000),
        "assigned": st.none() | st.integers(0, 2),
        "tasks": st.lists(task, max_size=3),
        "callback": st.none() | st.tuples(st.integers(0, 6), st.integers(9, 16)),
    }), min_size=1, max_size=18),
    "log": st.tuples(st.integers(0, 10**6), st.sampled_from([Outcome.REACHED, Outcome.VOICEMAIL])),
})


def build(database, shape):
    with database.transaction() as session:
        save_settings(session, closed_dates=[(TODAY + dt.timedelta(days=d)).isoformat() for d in shape["closed"]
                                             if d > 0])
        staff = []
        for n, quota in enumerate(shape["quotas"]):
            member = StaffMember(name=f"Caller {n}", daily_quota=quota)
            session.add(member)
            session.flush()
            staff.append(member.id)
        for n, spec in enumerate(shape["customers"]):
            assigned = staff[spec["assigned"]] if spec["assigned"] is not None and spec["assigned"] < len(staff) else None
            customer = Customer(name=f"Customer {n}", phone=f"+1503555{n:04d}", assigned_staff_id=assigned)
            session.add(customer)
            session.flush()
            quote = None
            if any(reason is Reason.QUOTE for reason, *_rest in spec["tasks"]):
                # The customer's quote follow-ups are the steps of one quote, numbered as the rules do.
                quote = Quote(customer_id=customer.id, amount_cents=100_000, sent_on=TODAY - dt.timedelta(days=3))
                session.add(quote)
                session.flush()
            for number, (reason, offset, deadline, kind) in enumerate(spec["tasks"], start=1):
                due = TODAY + dt.timedelta(days=offset)
                of_quote = quote is not None and reason is Reason.QUOTE
                session.add(CallTask(customer_id=customer.id, reason=reason, due_on=due, kind=kind,
                                     customer_value_cents=spec["value"] * 100,
                                     deadline=due + dt.timedelta(days=deadline) if deadline is not None else None,
                                     quote_id=quote.id if of_quote else None,
                                     dedupe_key=f"quote:{quote.id}:{number}" if of_quote else None))
            if spec["callback"] is not None:
                days, hour = spec["callback"]
                session.add(CallTask(customer_id=customer.id, reason=Reason.CALLBACK,
                                     due_on=TODAY + dt.timedelta(days=days), due_time=dt.time(hour, 30),
                                     staff_id=staff[0]))
        session.flush()
        replan(session, TODAY)


def check_plan(database, today):
    with database.session() as session:
        settings = load_settings(session)
        calendar = BusinessCalendar.from_settings(settings)
        quotas = dict(session.execute(select(StaffMember.id, StaffMember.daily_quota)).all())
        touches = {row.id: make_touch(row, today, settings) for row in _touch_rows(session)}
        lines = session.execute(select(PlannedCall)).scalars().all()
        covered = defaultdict(list)
        for task_id, line_id in session.execute(select(PlannedCallTask.task_id, PlannedCallTask.planned_call_id)):
            covered[line_id].append(task_id)
        load = defaultdict(int)
        per_customer = defaultdict(list)
        for line in lines:
            assert line.day >= today and calendar.is_open(line.day), "nothing on a closed or past day"
            keeps_day = any(touches[t].reason is Reason.CALLBACK for t in covered[line.id] if t in touches)
            exempt = keeps_day or any(touches[t].ignores_the_gap for t in covered[line.id] if t in touches)
            quote_ids = [touches[t].quote_id for t in covered[line.id] if t in touches]
            for task_id in covered[line.id]:
                if task_id in touches:
                    touch = touches[task_id]
                    assert touch.first <= line.day <= touch.last, "every covered touch is inside its window"
            if not keeps_day:
                load[(line.day, line.staff_id)] += 1
            only_quotes = set(quote_ids) if quote_ids and None not in quote_ids else None
            per_customer[line.customer_id].append((line.day, exempt, set(quote_ids) - {None}, only_quotes))
        for (day, staff_id), count in load.items():
            assert staff_id in quotas and count <= quotas[staff_id], "no caller-day over quota but by callbacks"
        for customer_id, days in per_customer.items():
            days.sort()
            assert len({d for d, *_ in days}) == len(days), "a customer is on one list a day"
            for earlier, later in zip(days, days[1:]):
                (first, first_exempt, first_quotes, _o), (second, second_exempt, _q, second_only) = earlier, later
                quote_cadence = second_only is not None and second_only <= first_quotes
                if not (first_exempt or second_exempt or quote_cadence):
                    assert (second - first).days >= settings.min_gap_days, "calls to one customer keep the gap"
        # The plan is what the day's lists say.
        plan = stored_plan(session, today, today + dt.timedelta(days=settings.plan_days_ahead), today)
        by_day = defaultdict(set)
        for call in plan.calls:
            by_day[call.date].add((call.task_id, call.staff))
        for offset in range(settings.plan_days_ahead + 1):
            day = today + dt.timedelta(days=offset)
            agenda = daily_agenda(session, day, today)
            assert {(c.task_id, c.staff) for c in agenda.pending()} == by_day.get(day, set())


common = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@common
@given(shape=business_shape)
def test_the_plan_keeps_quotas_windows_gaps_and_equals_the_lists_before_and_after_a_log(fresh, shape):
    database = fresh()
    build(database, shape)
    check_plan(database, TODAY)
    with database.session() as session:
        planned_today = session.scalars(select(PlannedCall.task_id).where(PlannedCall.day == TODAY)
                                        .order_by(PlannedCall.id)).all()
    if planned_today:
        pick, outcome = shape["log"]
        with database.transaction() as session:
            log_outcome(session, planned_today[pick % len(planned_today)], outcome,
                        dt.datetime.combine(TODAY, dt.time(10, 0)))
        check_plan(database, TODAY)
    database.dispose()


single = st.lists(st.tuples(st.sampled_from(CALL_REASONS), st.integers(-3, 6), st.integers(0, 5000)),
                  min_size=1, max_size=30)


@common
@given(quotas=st.lists(st.integers(1, 2), min_size=1, max_size=2), tasks=single)
def test_nothing_waiting_is_worth_more_than_a_call_on_a_day_it_could_have_used(fresh, quotas, tasks):
    database = fresh()
    with database.transaction() as session:
        save_settings(session, plan_days_ahead=7)  # a short plan: days fill up and calls wait
    shape = {"quotas": quotas, "closed": [], "customers": [
        {"value": value, "assigned": None, "tasks": [(reason, offset, None, TaskKind.CALL)], "callback": None}
        for reason, offset, value in tasks]}
    build(database, shape)
    with database.session() as session:
        placed = session.execute(select(PlannedCall.day, PlannedCall.value)).all()
        waiting = session.execute(select(PlanWaiting.window_start, PlanWaiting.window_end, PlanWaiting.value,
                                         PlanWaiting.reason)).all()
    database.dispose()
    for start, end, value, reason in waiting:
        if not reason.startswith("no room"):
            continue
        cheaper = [(day, worth) for day, worth in placed if start <= day <= end and worth < value]
        assert not cheaper, f"a call worth {value} waits while one worth {cheaper[0][1]} has {cheaper[0][0]}"
    assert waiting or len(placed) == len(tasks)
