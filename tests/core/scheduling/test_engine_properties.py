"""Properties that must hold for any business, checked on random ones (hypothesis)."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.storage.database import open_database
from core.storage.enums import ChangeKind, Reason, TaskStatus
from core.storage.models import CallTask, Customer, Product, Purchase, StaffMember
from core.storage.paths import sqlite_url
from core.scheduling import ChangeRequest, daily_agenda, plan_standing_tasks, preview_change
from core.settings import save_settings

TODAY = dt.date(2026, 11, 24)
REASONS = [r for r in Reason if r is not Reason.CALLBACK]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    database = open_database(sqlite_url(path))
    with database.transaction() as session:
        save_settings(session, holiday_country=None)
        session.add(Product(sku="OAK", name="Oak Door Kit"))
    database.dispose()
    return path


business_shape = st.fixed_dictionaries({
    "quotas": st.lists(st.integers(0, 6), min_size=1, max_size=3),
    "customers": st.lists(st.fixed_dictionaries({
        "do_not_call": st.booleans(),
        "phone": st.booleans(),
        "assigned": st.none() | st.integers(0, 2),
        "tasks": st.lists(st.tuples(st.sampled_from(REASONS), st.integers(-4, 4), st.none() | st.integers(0, 2)),
                          max_size=3),
        "purchases": st.lists(st.tuples(st.integers(1, 500), st.integers(1, 50), st.integers(0, 5000)), max_size=3),
    }), min_size=1, max_size=20),
})


def build(database, shape):
    with database.transaction() as session:
        staff = []
        for n, quota in enumerate(shape["quotas"]):
            member = StaffMember(name=f"Caller {n}", daily_quota=quota)
            session.add(member)
            session.flush()
            staff.append(member.id)
        for n, spec in enumerate(shape["customers"]):
            assigned = staff[spec["assigned"]] if spec["assigned"] is not None and spec["assigned"] < len(staff) else None
            customer = Customer(name=f"Customer {n}", do_not_call=spec["do_not_call"], assigned_staff_id=assigned,
                                phone=f"+1503555{n:04d}" if spec["phone"] else None)
            session.add(customer)
            session.flush()
            for reason, offset, who in spec["tasks"]:
                session.add(CallTask(customer_id=customer.id, reason=reason, due_on=TODAY + dt.timedelta(days=offset),
                                     staff_id=staff[who] if who is not None and who < len(staff) else None))
            for days_ago, quantity, dollars in spec["purchases"]:
                session.add(Purchase(customer_id=customer.id, product_id=1, quantity=quantity, amount_cents=dollars * 100,
                                     purchased_on=TODAY - dt.timedelta(days=days_ago)))


common = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@common
@given(shape=business_shape, offset=st.integers(0, 6))
def test_every_daily_list_respects_quotas_overlap_and_do_not_call(fresh, shape, offset):
    database = fresh()
    build(database, shape)
    day = TODAY + dt.timedelta(days=offset)
    with database.session() as session:
        agenda = daily_agenda(session, day, TODAY)
        again = daily_agenda(session, day, TODAY)
        do_not_call = set(session.scalars(select(Customer.id).where(Customer.do_not_call)))
    database.dispose()
    assert agenda == again
    for member in agenda.staff:
        assert member.count <= member.quota
    customers = [call.customer_id for call in agenda.calls]
    assert len(customers) == len(set(customers)), "a customer is on one list, once"
    assert not set(customers) & do_not_call


@common
@given(shape=business_shape, window=st.integers(3, 25), lead=st.integers(1, 40))
def test_heads_up_calls_come_before_the_date_most_exposed_first(fresh, shape, window, lead):
    database = fresh()
    build(database, shape)
    effective = TODAY + dt.timedelta(days=lead)
    request = ChangeRequest(ChangeKind.PRICE_INCREASE, "Rise", effective, (1,), window_start_days=window)
    with database.session() as session:
        plan = preview_change(session, request, TODAY)
        do_not_call = set(session.scalars(select(Customer.id).where(Customer.do_not_call)))
    database.dispose()
    callable_ = [a for a in plan.affected if a.exposure.customer_id not in do_not_call and a.exposure.has_phone]
    placed = [a.heads_up for a in callable_]
    if plan.feasibility.feasible:
        assert all(day is not None and day < effective for day in placed)
    scheduled = [day for day in placed if day is not None]
    assert scheduled == sorted(scheduled), "more exposed is never called later than less exposed"
    first_missed = next((i for i, day in enumerate(placed) if day is None), len(placed))
    assert all(day is None for day in placed[first_missed:]), "only the least exposed are missed"
    assert all(a.heads_up is None for a in plan.affected
               if a.exposure.customer_id in do_not_call or not a.exposure.has_phone), "no call they cannot take"


@common
@given(shape=business_shape)
def test_planning_twice_creates_no_duplicate_tasks(fresh, shape):
    database = fresh()
    build(database, shape)
    with database.transaction() as session:
        plan_standing_tasks(session, TODAY)
    with database.session() as session:
        before = session.scalar(select(func.count()).select_from(CallTask))
    with database.transaction() as session:
        plan_standing_tasks(session, TODAY)
    with database.session() as session:
        after = session.scalar(select(func.count()).select_from(CallTask))
        scheduled_dnc = session.scalar(select(func.count()).select_from(CallTask).join(Customer)
                                       .where(Customer.do_not_call, CallTask.dedupe_key.is_not(None),
                                              CallTask.status == TaskStatus.PENDING))
    database.dispose()
    assert after == before
    assert scheduled_dnc == 0, "rules never schedule a do-not-call customer"
