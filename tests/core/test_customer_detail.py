"""One customer's history: calls with outcomes, samples and notes sent, and what is planned."""

import datetime as dt

import pytest
from sqlalchemy import select

from core.customers.detail import CustomerNotFound, customer_detail
from core.storage.enums import Outcome, Reason, TaskKind, TaskStatus
from core.storage.models import CallLog, CallTask, Customer, RewardCard


def test_the_timeline_shows_calls_touches_and_plans_newest_first(demo_db, today):
    with demo_db.transaction() as session:
        customer_id = session.scalar(select(RewardCard.customer_id).limit(1))
        samples = CallTask(customer_id=customer_id, kind=TaskKind.SAMPLES, reason=Reason.CHANGE_SAMPLES,
                           due_on=today - dt.timedelta(days=3), status=TaskStatus.DONE,
                           completed_at=dt.datetime(2026, 11, 21, 15), samples_count=2)
        thanks = CallTask(customer_id=customer_id, kind=TaskKind.THANK_YOU, reason=Reason.POST_PURCHASE,
                          due_on=today - dt.timedelta(days=2))
        planned = CallTask(customer_id=customer_id, reason=Reason.CALLBACK, due_on=today + dt.timedelta(days=2),
                           due_time=dt.time(14, 30), why="Asked us to call back")
        session.add_all([samples, thanks, planned])
        session.flush()
        session.add(CallLog(customer_id=customer_id, task_id=thanks.id, logged_at=dt.datetime(2026, 11, 22, 9),
                            outcome=Outcome.REACHED, notes="Card posted", result_tags="referral"))
        thanks.status = TaskStatus.DONE
    with demo_db.session() as session:
        detail = customer_detail(session, customer_id)
    assert detail.reward_card is not None and detail.main_phone.tel_uri.startswith("tel:+1")
    mine = [e for e in detail.timeline if e.reason in (Reason.CHANGE_SAMPLES, Reason.POST_PURCHASE, Reason.CALLBACK)]
    assert [(e.kind, e.status) for e in mine] == [
        (TaskKind.CALL, TaskStatus.PENDING), (TaskKind.THANK_YOU, TaskStatus.DONE), (TaskKind.SAMPLES, TaskStatus.DONE)]
    assert mine[1].outcome is Outcome.REACHED and mine[1].notes == "Card posted"
    assert all(e.planned for e in detail.timeline[: len([e for e in detail.timeline if e.planned])])
    past = [e.when for e in detail.timeline if not e.planned]
    assert past == sorted(past, reverse=True)
    assert detail.purchases == sorted(detail.purchases, key=lambda p: p.day, reverse=True)


def test_a_deleted_customer_says_so(demo_db):
    with demo_db.session() as session:
        with pytest.raises(CustomerNotFound):
            customer_detail(session, 10**6)
        assert session.get(Customer, 1) is not None
