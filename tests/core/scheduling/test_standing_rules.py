"""Standing rules: each creates a task with a reason a person can read, and never twice."""

import datetime as dt

from sqlalchemy import func, select

from core.storage.enums import Outcome, PurchaseKind, QuoteStatus, Reason, TaskStatus
from core.storage.models import CallLog, CallTask, Quote, RewardCard
from core.scheduling import plan_standing_tasks, quote_hit_ratio


def run_rules(business, today=None):
    with business.db.transaction() as session:
        return plan_standing_tasks(session, today or business.today)


def pending(business, reason=None):
    with business.db.session() as session:
        query = select(CallTask).where(CallTask.status == TaskStatus.PENDING)
        if reason:
            query = query.where(CallTask.reason == reason)
        return session.scalars(query.order_by(CallTask.id)).all()


def test_check_in_a_month_after_an_installation_once_per_purchase_day(business):
    business.caller("Maria")
    business.product("DOOR", "Steel Door")
    business.product("SEAL", "Seal")
    customer = business.customer("Ann")
    business.buy(customer, "DOOR", days_ago=10, dollars=900, kind=PurchaseKind.INSTALLATION)
    business.buy(customer, "SEAL", days_ago=10, dollars=40)
    run_rules(business)
    run_rules(business)
    (task,) = pending(business, Reason.POST_PURCHASE)
    assert task.due_on == business.today + dt.timedelta(days=20)
    assert task.why == "Installed Steel Door on 14 Nov 2026 — how is it working out?"


def test_check_in_offset_is_a_setting(business):
    business.caller("Maria")
    business.settings(post_purchase_days=14)
    business.product("DOOR")
    business.buy(business.customer("Ann"), "DOOR", days_ago=12)
    run_rules(business)
    assert pending(business, Reason.POST_PURCHASE)[0].due_on == business.today + dt.timedelta(days=2)


def test_old_purchases_do_not_produce_late_check_ins(business):
    business.caller("Maria")
    business.product("DOOR")
    business.buy(business.customer("Ann"), "DOOR", days_ago=90)
    run_rules(business)
    assert pending(business, Reason.POST_PURCHASE) == []


def test_a_customer_quiet_for_six_months_gets_a_courtesy_call_at_most_every_90_days(business):
    business.caller("Maria")
    business.product("DOOR")
    quiet = business.customer("Quiet")
    business.buy(quiet, "DOOR", days_ago=200)
    active = business.customer("Active")
    business.buy(active, "DOOR", days_ago=200)
    business.buy(active, "DOOR", days_ago=20)
    run_rules(business)
    (task,) = pending(business, Reason.NEGLECTED)
    assert task.customer_id == quiet
    assert task.why == "No purchase since 8 May 2026 (6 months) — courtesy call"
    with business.db.transaction() as session:
        session.get(CallTask, task.id).status = TaskStatus.DONE
    run_rules(business, business.today + dt.timedelta(days=60))
    assert pending(business, Reason.NEGLECTED) == []
    run_rules(business, business.today + dt.timedelta(days=95))
    assert len(pending(business, Reason.NEGLECTED)) == 1


def test_courtesy_calls_are_limited_to_a_quarter_of_a_day_most_valuable_first(business):
    business.caller("Maria", quota=8)
    business.product("DOOR")
    ids = []
    for n in range(5):
        customer = business.customer(f"Quiet {n}")
        business.buy(customer, "DOOR", days_ago=300, dollars=100 * (n + 1))
        ids.append(customer)
    run_rules(business)
    assert sorted(t.customer_id for t in pending(business, Reason.NEGLECTED)) == sorted(ids[-2:])


def test_open_quote_followed_up_after_3_and_7_days_until_won(business):
    business.caller("Dave")
    customer = business.customer("Quoted")
    quote_id = business.quote(customer, days_ago=1, staff="Dave")
    run_rules(business)
    dues = [t.due_on for t in pending(business, Reason.QUOTE)]
    sent = business.today - dt.timedelta(days=1)
    assert dues == [sent + dt.timedelta(days=3), sent + dt.timedelta(days=7)]
    assert all(t.staff_id == business.staff["Dave"] for t in pending(business, Reason.QUOTE))
    with business.db.transaction() as session:
        quote = session.get(Quote, quote_id)
        quote.status, quote.decided_on = QuoteStatus.WON, business.today
    result = run_rules(business)
    assert result.cancelled == 2 and pending(business, Reason.QUOTE) == []


def test_quote_hit_ratio_per_caller(business):
    business.caller("Dave")
    business.caller("Maria")
    customer = business.customer("C")
    for status in (QuoteStatus.WON, QuoteStatus.WON, QuoteStatus.LOST):
        business.quote(customer, days_ago=30, staff="Dave", status=status)
    business.quote(customer, days_ago=30, staff="Maria", status=QuoteStatus.LOST)
    with business.db.session() as session:
        ratios = {name: (won, decided, share) for name, won, decided, share in quote_hit_ratio(session)}
    assert ratios["Dave"][:2] == (2, 3) and round(ratios["Dave"][2], 2) == 0.67
    assert ratios["Maria"] == (0, 1, 0.0)


def test_one_stamp_short_of_a_reward(business):
    business.caller("Maria")
    short = business.customer("Almost")
    business.card(short, stamps=9, needed=10)
    business.card(business.customer("Far"), stamps=3, needed=10)
    run_rules(business)
    (task,) = pending(business, Reason.REWARDS)
    assert task.customer_id == short and task.why == "One stamp short of a reward (9 of 10)"
    with business.db.transaction() as session:
        session.scalars(select(RewardCard).where(RewardCard.customer_id == short)).one().stamps = 10
    assert run_rules(business).cancelled == 1


def test_keep_in_touch_counts_from_the_last_real_contact(business):
    business.caller("Maria")
    top = business.customer("Top Customer", keep_in_touch_days=60)
    with business.db.transaction() as session:
        session.add(CallLog(customer_id=top, logged_at=dt.datetime(2026, 10, 1, 10), outcome=Outcome.REACHED))
        session.add(CallLog(customer_id=top, logged_at=dt.datetime(2026, 11, 20, 10), outcome=Outcome.VOICEMAIL))
    run_rules(business)
    (task,) = pending(business, Reason.KEEP_IN_TOUCH)
    assert task.due_on == dt.date(2026, 11, 30)  # 1 Oct + 60 days, a voicemail is not a contact
    assert "last spoke 1 Oct 2026" in task.why


def test_do_not_call_customers_get_no_rule_tasks(business):
    business.caller("Maria")
    business.product("DOOR")
    customer = business.customer("No Calls", do_not_call=True, keep_in_touch_days=30)
    business.buy(customer, "DOOR", days_ago=10)
    business.quote(customer, days_ago=1)
    business.card(customer, stamps=9)
    run_rules(business)
    assert pending(business) == []


def test_running_the_rules_twice_creates_nothing_new(business):
    business.caller("Maria")
    business.product("DOOR")
    for n in range(4):
        customer = business.customer(f"C{n}", keep_in_touch_days=30)
        business.buy(customer, "DOOR", days_ago=10 + n * 100)
        business.quote(customer, days_ago=2)
        business.card(customer, stamps=9)
    first = run_rules(business)
    assert first.total_created > 0
    assert run_rules(business).total_created == 0
    with business.db.session() as session:
        keys = session.execute(select(CallTask.dedupe_key, func.count()).group_by(CallTask.dedupe_key)
                               .having(func.count() > 1)).all()
    assert keys == []


def test_the_window_runs_the_morning_pass_once_a_day(business):
    from core.scheduling import plan_standing_tasks_once_a_day
    from core.settings import Settings, load_settings

    business.caller("Maria")
    quiet = business.customer("Quiet")
    business.card(quiet, stamps=9)
    with business.db.transaction() as session:
        assert plan_standing_tasks_once_a_day(session, business.today).total_created == 1
    business.card(business.customer("Also short"), stamps=9)
    with business.db.transaction() as session:
        assert plan_standing_tasks_once_a_day(session, business.today).total_created == 0, "already ran today"
        assert load_settings(session) == Settings(holiday_country=None), "the marker is not an owner setting"
    with business.db.transaction() as session:
        assert plan_standing_tasks_once_a_day(session, business.today + dt.timedelta(days=1)).total_created == 1
