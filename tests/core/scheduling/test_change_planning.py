"""Announcing a change: who is affected, when each heads-up call happens, and what follows."""

import datetime as dt

import pytest
from sqlalchemy import select

from core.storage.enums import ChangeKind, ChangeStatus, Outcome, Reason, TaskKind, TaskStatus
from core.errors import InvalidInput
from core.storage.models import CallTask, Change
from core.scheduling import (
    ChangeRequest,
    announce_change,
    campaign_results,
    cancel_change,
    log_outcome,
    move_change,
    preview_change,
    product_ids_for_skus,
)

EFFECTIVE = dt.date(2026, 12, 15)  # a Tuesday, three weeks after "today" (Tue 24 Nov)


def request(business, *skus, kind=ChangeKind.PRICE_INCREASE, effective=EFFECTIVE, **extra):
    return ChangeRequest(kind=kind, title="Oak price rise", effective_on=effective,
                         product_ids=tuple(business.products[s] for s in skus), **extra)


def preview(business, req):
    with business.db.session() as session:
        return preview_change(session, req, business.today)


def announce(business, req):
    with business.db.transaction() as session:
        return announce_change(session, req, business.today)


def tasks(business, **where):
    with business.db.session() as session:
        query = select(CallTask)
        for name, value in where.items():
            query = query.where(getattr(CallTask, name) == value)
        return session.scalars(query.order_by(CallTask.id)).all()


@pytest.fixture
def oak(business):
    business.caller("Maria", quota=10)
    business.product("OAK", "Oak Door Kit", price=280)
    business.product("SEAL", "Weather Seal", price=38)
    return business


def test_customers_are_ranked_by_what_they_bought_of_the_affected_products(oak):
    big = oak.customer("Big Buyer")
    oak.buy(big, "OAK", days_ago=40, quantity=14, dollars=3920)
    small = oak.customer("Small Buyer")
    oak.buy(small, "OAK", days_ago=10, quantity=2, dollars=560)
    other = oak.customer("Seal Only")
    oak.buy(other, "SEAL", days_ago=5, quantity=3, dollars=114)
    lapsed = oak.customer("Bought Long Ago")
    oak.buy(lapsed, "OAK", days_ago=400, quantity=9, dollars=2520)

    plan = preview(oak, request(oak, "OAK"))

    assert [a.exposure.customer for a in plan.affected] == ["Big Buyer", "Small Buyer"]
    assert plan.affected[0].exposure.why == "bought 14 × Oak Door Kit for $3,920 in the last year"


def test_frequency_then_recency_break_ties_in_exposure(oak):
    rare = oak.customer("Once")
    oak.buy(rare, "OAK", days_ago=10, dollars=600)
    often_old = oak.customer("Often, earlier")
    for days in (200, 100):
        oak.buy(often_old, "OAK", days_ago=days, dollars=300)
    often_new = oak.customer("Often, lately")
    for days in (150, 20):
        oak.buy(often_new, "OAK", days_ago=days, dollars=300)
    names = [a.exposure.customer for a in preview(oak, request(oak, "OAK")).affected]
    assert names == ["Often, lately", "Often, earlier", "Once"]


def test_customers_added_by_hand_are_affected_and_excluded_ones_are_not(oak):
    buyer = oak.customer("Buyer")
    oak.buy(buyer, "OAK", days_ago=10, dollars=500)
    friend = oak.customer("Friend of the shop")
    plan = preview(oak, request(oak, "OAK", added_customer_ids=(friend,), excluded_customer_ids=(buyer,)))
    assert [(a.exposure.customer, a.exposure.why) for a in plan.affected] == [("Friend of the shop", "added by hand")]


def test_heads_up_calls_fall_on_open_days_inside_the_window_most_exposed_first(oak):
    for n in range(12):
        customer = oak.customer(f"Customer {n:02d}")
        oak.buy(customer, "OAK", days_ago=30, dollars=1000 - n * 10)
    plan = announce(oak, request(oak, "OAK"))

    heads_up = [(a.exposure.customer, a.heads_up) for a in plan.affected]
    days = [day for _name, day in heads_up]
    assert all(day is not None for day in days)
    assert days == sorted(days), "a more exposed customer is never called later"
    assert all(day.weekday() < 5 for day in days)
    assert all(EFFECTIVE - dt.timedelta(days=21) <= day <= EFFECTIVE - dt.timedelta(days=2) for day in days)
    per_day = plan.heads_up_per_day
    assert max(per_day.values()) <= 6, "60% of a 10-call day is left for heads-ups"
    assert len(per_day) > 1, "spread over the window, not all on the first day"
    assert plan.feasibility.feasible and plan.missed == ()


def test_when_capacity_cannot_reach_everyone_the_least_exposed_are_named_with_ways_out(oak):
    for n in range(30):
        customer = oak.customer(f"Customer {n:02d}")
        oak.buy(customer, "OAK", days_ago=30, dollars=2000 - n * 10)
    effective = dt.date(2026, 12, 1)  # window: Tue 24 to Fri 27 Nov, 4 open days of 6 heads-ups
    req = request(oak, "OAK", effective=effective, window_end_days=2)
    plan = preview(oak, req)
    capacity = plan.feasibility.capacity
    assert capacity == 6 * len(plan.heads_up_per_day)
    assert not plan.feasibility.feasible
    least_exposed = [a.exposure.customer_id for a in plan.affected][capacity:]
    assert list(plan.missed) == least_exposed
    kinds = {option.kind for option in plan.feasibility.options}
    assert {"raise_capacity", "notes_for_missed"} <= kinds
    assert str(len(plan.missed)) in plan.feasibility.verdict

    raised = next(o for o in plan.feasibility.options if o.kind == "raise_capacity")
    assert preview(oak, request(oak, "OAK", effective=effective, window_end_days=2,
                                capacity_share=raised.capacity_share)).feasibility.feasible


def test_extending_the_window_is_offered_when_earlier_days_exist(oak):
    for n in range(10):
        customer = oak.customer(f"C{n}")
        oak.buy(customer, "OAK", days_ago=30, dollars=100 + n)
    req = request(oak, "OAK", window_start_days=3, window_end_days=2)
    plan = preview(oak, req)
    option = next(o for o in plan.feasibility.options if o.kind == "extend_window")
    fixed = preview(oak, request(oak, "OAK", window_start_days=option.window_start_days, window_end_days=2))
    assert fixed.feasibility.feasible


def test_notes_are_planned_for_the_missed_when_the_owner_chooses_so(oak):
    for n in range(25):
        customer = oak.customer(f"C{n}")
        oak.buy(customer, "OAK", days_ago=30, dollars=1000 - n)
    plan = announce(oak, request(oak, "OAK", effective=dt.date(2026, 11, 27), window_end_days=1,
                                 notes_for_missed=True))
    notes = tasks(oak, kind=TaskKind.NOTE)
    assert len(notes) == len(plan.missed) > 0
    assert all(note.due_on < dt.date(2026, 11, 27) for note in notes)


def test_after_the_date_samples_then_concerns_then_a_follow_up_months_later(oak):
    buyer = oak.customer("Buyer")
    oak.buy(buyer, "OAK", days_ago=30, dollars=900)
    plan = announce(oak, request(oak, "OAK", kind=ChangeKind.DISCONTINUED))
    steps = {step.kind: step.due for step in plan.steps}
    assert steps["heads_up"] < EFFECTIVE
    assert steps["samples"] == EFFECTIVE
    assert steps["concerns"] == dt.date(2026, 12, 22)
    assert steps["follow_up"] == dt.date(2027, 3, 15)
    samples = tasks(oak, reason=Reason.CHANGE_SAMPLES)
    assert [(t.kind, t.samples_count) for t in samples] == [(TaskKind.SAMPLES, 2)]


def test_a_price_increase_sends_no_samples(oak):
    buyer = oak.customer("Buyer")
    oak.buy(buyer, "OAK", days_ago=30, dollars=900)
    plan = announce(oak, request(oak, "OAK"))
    assert sorted({step.kind for step in plan.steps}) == ["concerns", "follow_up", "heads_up"]


def test_do_not_call_customers_are_affected_but_never_scheduled(oak):
    quiet = oak.customer("Please Don't", do_not_call=True)
    oak.buy(quiet, "OAK", days_ago=30, dollars=5000)
    plan = announce(oak, request(oak, "OAK"))
    assert plan.affected[0].heads_up is None
    assert tasks(oak, customer_id=quiet) == []


def test_moving_the_date_moves_pending_steps_and_keeps_done_ones(oak):
    first = oak.customer("First")
    oak.buy(first, "OAK", days_ago=30, dollars=3000)
    second = oak.customer("Second")
    oak.buy(second, "OAK", days_ago=30, dollars=1000)
    plan = announce(oak, request(oak, "OAK"))
    done_task = tasks(oak, customer_id=first, reason=Reason.CHANGE_HEADS_UP)[0]
    with oak.db.transaction() as session:
        log_outcome(session, done_task.id, Outcome.REACHED, dt.datetime(2026, 11, 24, 10))
    new_date = dt.date(2027, 1, 12)
    with oak.db.transaction() as session:
        move_change(session, plan.change_id, new_date, oak.today)

    assert tasks(oak, id=done_task.id)[0].status is TaskStatus.DONE
    second_heads_up = tasks(oak, customer_id=second, reason=Reason.CHANGE_HEADS_UP)
    assert len(second_heads_up) == 1 and second_heads_up[0].due_on < new_date
    assert second_heads_up[0].due_on >= new_date - dt.timedelta(days=21)
    concerns = {t.customer_id: t.due_on for t in tasks(oak, reason=Reason.CHANGE_CONCERNS)}
    assert concerns == {first: dt.date(2027, 1, 19), second: dt.date(2027, 1, 19)}
    assert len(tasks(oak, customer_id=first, reason=Reason.CHANGE_HEADS_UP)) == 1, "no second heads-up for First"


def test_cancelling_cancels_pending_steps_and_keeps_history(oak):
    buyer = oak.customer("Buyer")
    oak.buy(buyer, "OAK", days_ago=30, dollars=900)
    plan = announce(oak, request(oak, "OAK"))
    heads_up = tasks(oak, reason=Reason.CHANGE_HEADS_UP)[0]
    with oak.db.transaction() as session:
        log_outcome(session, heads_up.id, Outcome.REACHED, dt.datetime(2026, 11, 24, 10))
    with oak.db.transaction() as session:
        cancelled = cancel_change(session, plan.change_id, dt.datetime(2026, 11, 25, 9))
    assert cancelled == 2  # concerns and follow-up
    statuses = {t.reason: t.status for t in tasks(oak, change_id=plan.change_id)}
    assert statuses[Reason.CHANGE_HEADS_UP] is TaskStatus.DONE
    assert statuses[Reason.CHANGE_CONCERNS] is TaskStatus.CANCELLED
    with oak.db.session() as session:
        assert session.get(Change, plan.change_id).status is ChangeStatus.CANCELLED


def test_campaign_results_count_reached_in_time_and_how_buying_moved(oak):
    kept, reduced, stopped = (oak.customer(n) for n in ("Kept", "Reduced", "Stopped"))
    for customer in (kept, reduced, stopped):
        oak.buy(customer, "OAK", days_ago=30, dollars=1000)
    plan = announce(oak, request(oak, "OAK", effective=dt.date(2026, 12, 15)))
    heads_up = {t.customer_id: t for t in tasks(oak, reason=Reason.CHANGE_HEADS_UP)}
    with oak.db.transaction() as session:
        log_outcome(session, heads_up[kept].id, Outcome.REACHED, dt.datetime(2026, 11, 25, 10))
    oak.today = dt.date(2027, 1, 14)  # 30 days after the date; purchases are relative to this
    oak.buy(kept, "OAK", days_ago=5, dollars=100)  # a pace of $1,216 a year: kept
    oak.buy(reduced, "OAK", days_ago=5, dollars=20)  # a pace of $243 a year: reduced
    with oak.db.session() as session:
        results = campaign_results(session, plan.change_id, oak.today)
    assert (results.affected, results.reached_before) == (3, 1)
    assert (results.kept, results.reduced, results.stopped) == (1, 1, 1)


def test_a_date_in_the_past_and_an_unknown_sku_are_clear_errors(oak):
    with pytest.raises(InvalidInput, match="in the past"):
        preview(oak, request(oak, "OAK", effective=dt.date(2026, 11, 1)))
    with oak.db.session() as session, pytest.raises(InvalidInput, match="NOPE"):
        product_ids_for_skus(session, ["OAK", "NOPE"])


def test_a_customer_with_no_phone_gets_a_note_not_a_heads_up_call(oak):
    reachable = oak.customer("Has a phone")
    oak.buy(reachable, "OAK", days_ago=30, dollars=500)
    unreachable = oak.customer("No phone", phone=None)
    oak.buy(unreachable, "OAK", days_ago=30, dollars=900)
    plan = announce(oak, request(oak, "OAK"))
    steps = {(step.customer_id, step.kind) for step in plan.steps}
    assert (unreachable, "note") in steps and (unreachable, "heads_up") not in steps
    assert (reachable, "heads_up") in steps
    assert plan.missed == () and plan.feasibility.feasible


def test_after_the_date_only_customers_told_get_calls_spread_over_the_window(oak):
    oak.settings(heads_up_capacity_share=0.5)  # 5 heads-up calls a day for a week: not everyone is told
    for n in range(40):
        oak.buy(oak.customer(f"Buyer {n}"), "OAK", days_ago=30, dollars=1000 - n)
    plan = announce(oak, request(oak, "OAK", window_start_days=7))
    told = {s.customer_id for s in plan.steps if s.kind == "heads_up"}
    concerns = tasks(oak, reason=Reason.CHANGE_CONCERNS)
    assert told and len(told) < 40 and {t.customer_id for t in concerns} == told
    assert "Any-concerns calls:" in plan.feasibility.verdict
    with oak.db.session() as session:
        from core.storage.models import PlannedCall
        days = session.scalars(select(PlannedCall.day).where(PlannedCall.reasons.like("change_concerns%"))).all()
    assert len(days) == len(told) > 10, "more than a day's quota of them"
    assert max(days.count(d) for d in set(days)) <= 10, "levelled into Maria's quota, not all on one day"


def test_everyone_affected_gets_the_after_calls_when_the_owner_chooses(oak):
    oak.settings(heads_up_capacity_share=0.2, after_change_calls_to_everyone=True)
    for n in range(40):
        oak.buy(oak.customer(f"Buyer {n}"), "OAK", days_ago=30, dollars=1000 - n)
    announce(oak, request(oak, "OAK", window_start_days=7))
    assert len(tasks(oak, reason=Reason.CHANGE_CONCERNS)) == 40


def _planned_reasons(business):
    from core.storage.models import PlannedCall

    with business.db.session() as session:
        return session.execute(select(PlannedCall.day, PlannedCall.reasons)).all()


def test_moving_a_change_re_plans_its_calls_and_cancelling_takes_them_off_the_lists(oak):
    for n in range(5):
        oak.buy(oak.customer(f"Buyer {n}"), "OAK", days_ago=30, dollars=1000 - n)
    plan = announce(oak, request(oak, "OAK"))
    heads_up = [day for day, reasons in _planned_reasons(oak) if "change_heads_up" in reasons]
    assert len(heads_up) == 5 and max(heads_up) < EFFECTIVE
    later = EFFECTIVE + dt.timedelta(days=14)
    with oak.db.transaction() as session:
        move_change(session, plan.change_id, later, oak.today)
    moved = [day for day, reasons in _planned_reasons(oak) if "change_heads_up" in reasons]
    assert len(moved) == 5 and max(moved) < later and min(moved) >= later - dt.timedelta(days=21)
    with oak.db.transaction() as session:
        cancel_change(session, plan.change_id, dt.datetime(2026, 11, 24, 9, 0))
    assert not [r for _d, r in _planned_reasons(oak) if "change_" in r]
