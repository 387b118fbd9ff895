"""Several desks planning at once on one PostgreSQL database, each a real process: the same morning
started at three desks, and no customer put on two callers' lists by desks acting on them at once.

Each passed before the server's writer lock only by luck: without it the desks' plans collide
(`uq_call_tasks_dedupe_key`, `uq_planned_calls_day_customer`) and a desk fails with a driver error.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.storage.enums import QuoteStatus
from core.storage.models import Customer, PlannedCall, Quote, StaffMember
from tests.core.test_server_database import desks

pytestmark = pytest.mark.server_only

WEDNESDAY = dt.date(2026, 11, 25)  # the demo business was planned up to Tuesday's morning


def _customers_on_two_lists(session) -> list:
    """(day, customer) pairs planned more than once, whoever's list they are on."""
    return session.execute(select(PlannedCall.day, PlannedCall.customer_id, func.count())
                           .group_by(PlannedCall.day, PlannedCall.customer_id)
                           .having(func.count() > 1)).all()


@pytest.mark.parametrize("round_", range(2))
def test_three_desks_starting_the_same_morning_plan_it_once(demo_db, round_):
    results = desks(*(["morning", demo_db.url, WEDNESDAY.isoformat()] for _ in range(3)))
    assert [code for code, _line in results] == [0, 0, 0], results
    assert sorted(line for _code, line in results) == ["done", "done", "done planned"], results
    with demo_db.session() as session:
        assert session.scalar(select(func.count()).select_from(PlannedCall).where(PlannedCall.day == WEDNESDAY)) > 0
        assert _customers_on_two_lists(session) == []


@pytest.mark.parametrize("round_", range(2))
def test_two_desks_quoting_one_customer_while_a_third_starts_the_day_list_them_once(demo_db, round_):
    with demo_db.session() as session:
        ann, ben = session.scalars(select(StaffMember.id).where(StaffMember.active.is_(True))
                                   .order_by(StaffMember.id).limit(2)).all()
        customer = session.scalar(select(Customer.id).where(Customer.do_not_call.is_(False))
                                  .order_by(Customer.id).limit(1))
    sent_on = WEDNESDAY - dt.timedelta(days=3)  # its first follow-up is due on Wednesday
    quote = ["quote", demo_db.url, WEDNESDAY.isoformat(), str(customer)]
    results = desks([*quote, str(ann), sent_on.isoformat()], [*quote, str(ben), sent_on.isoformat()],
                    ["morning", demo_db.url, WEDNESDAY.isoformat()])
    assert [code for code, _line in results] == [0, 0, 0], results
    with demo_db.session() as session:
        open_quotes = select(func.count()).select_from(Quote).where(
            Quote.customer_id == customer, Quote.status == QuoteStatus.OPEN, Quote.sent_on == sent_on)
        assert session.scalar(open_quotes) == 2
        planned = select(func.count()).select_from(PlannedCall).where(PlannedCall.customer_id == customer)
        assert session.scalar(planned) > 0
        assert _customers_on_two_lists(session) == []
