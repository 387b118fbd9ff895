"""A call for no reason: logged on any customer without a planned task, it counts like any call."""

import datetime as dt
import json

import pytest
from sqlalchemy import select

import main
from core.customers.detail import customer_detail
from core.storage.enums import Outcome, Reason, TaskStatus
from core.errors import InvalidInput
from core.storage.models import CallLog, CallTask
from core.scheduling import daily_agenda, log_unplanned_call, plan_standing_tasks, undo_log
from tests.server_databases import data_folder_of

TUESDAY = dt.date(2026, 11, 24)
NOON = dt.datetime(2026, 11, 24, 12, 0)


def run(capsys, business, *argv, today=TUESDAY):
    code = main.main([str(a) for a in argv] + ["--data-dir", data_folder_of(business.db), "--today", today.isoformat()])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def keep_in_touch_tasks(business, customer_id):
    with business.db.session() as session:
        return session.scalars(select(CallTask).where(CallTask.customer_id == customer_id,
                                                      CallTask.reason == Reason.KEEP_IN_TOUCH)
                               .order_by(CallTask.id)).all()


@pytest.fixture
def regular(business):
    """A customer kept in touch with every 30 days, whose check-in is due in a few days."""
    business.caller("Dave Chen", quota=5)
    customer = business.customer("Ann Smith", keep_in_touch_days=30)
    with business.db.transaction() as session:
        session.add(CallLog(customer_id=customer, logged_at=dt.datetime(2026, 10, 28, 9, 0), outcome=Outcome.REACHED))
    with business.db.transaction() as session:
        plan_standing_tasks(session, TUESDAY)
    [task] = keep_in_touch_tasks(business, customer)
    assert task.due_on == dt.date(2026, 11, 27)
    return customer


def test_a_call_for_no_reason_resets_keep_in_touch_and_counts_toward_the_callers_day(capsys, business, regular):
    code, out, err = run(capsys, business, "log", "--customer", regular, "--outcome", "reached", "--staff", "Dave Chen",
                         "--notes", "Just checking the new door")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["task_id"] is None and payload["customer_id"] == regular and payload["outcome"] == "reached"
    assert "call for no reason" in err

    [served] = keep_in_touch_tasks(business, regular)
    assert served.status is TaskStatus.DONE, "the waiting check-in is done by this conversation"
    with business.db.transaction() as session:
        agenda = daily_agenda(session, TUESDAY, TUESDAY)
        [dave] = agenda.staff
        assert (dave.done, dave.count) == (1, 0), "the day's progress counts it; the list has no row for it"
        detail = customer_detail(session, regular)
        latest = detail.timeline[0]
        assert (latest.reason, latest.outcome, latest.notes, latest.staff) == (
            None, Outcome.REACHED, "Just checking the new door", "Dave Chen")
        plan_standing_tasks(session, dt.date(2026, 12, 18))
    *_, following = keep_in_touch_tasks(business, regular)
    assert following.status is TaskStatus.PENDING and following.due_on == dt.date(2026, 12, 24), \
        "the next check-in is 30 days after this call, not after the last planned one"


def test_a_call_for_no_reason_restarts_the_courtesy_clock(business):
    business.caller("Dave Chen")
    business.product("DOOR")
    quiet = business.customer("Bob Quiet")
    business.buy(quiet, "DOOR", days_ago=400)
    with business.db.transaction() as session:
        log_unplanned_call(session, quiet, Outcome.REACHED, NOON)
        assert plan_standing_tasks(session, TUESDAY).created.get(Reason.NEGLECTED, 0) == 0
        assert plan_standing_tasks(session, TUESDAY + dt.timedelta(days=91)).created.get(Reason.NEGLECTED) == 1


def test_log_takes_a_task_or_a_customer_never_both(capsys, business, regular):
    for argv in (["log", "--outcome", "reached"], ["log", "1", "--customer", regular, "--outcome", "reached"]):
        code, out, err = run(capsys, business, *argv)
        assert code == 2 and out == "" and "one of them" in err
    code, _, err = run(capsys, business, "log", "--customer", 999, "--outcome", "reached")
    assert code == 2 and "no customer with id 999" in err
    with business.db.session() as session:
        assert session.scalars(select(CallLog).where(CallLog.task_id.is_(None), CallLog.logged_at >= NOON.replace(
            hour=0))).all() == []


def test_outcomes_tags_and_callback_work_as_on_a_planned_call_and_undo_puts_all_back(business, regular):
    with business.db.transaction() as session:
        result = log_unplanned_call(session, regular, Outcome.REACHED, NOON, notes="Call me Friday",
                                    result_tags=["referral"], follow_up=dt.datetime(2026, 11, 27, 15, 30))
        [callback] = [s for s in result.scheduled if s.reason is Reason.CALLBACK]
        assert (callback.due, callback.time) == (dt.date(2026, 11, 27), dt.time(15, 30))
        assert session.get(CallLog, result.log_id).result_tags == "referral"
    with business.db.transaction() as session:
        undo_log(session, result.undo)
    with business.db.session() as session:
        assert session.get(CallLog, result.log_id) is None
        assert session.scalars(select(CallTask).where(CallTask.reason == Reason.CALLBACK)).all() == []
    assert [t.status for t in keep_in_touch_tasks(business, regular)] == [TaskStatus.PENDING]

    with business.db.transaction() as session:
        log_unplanned_call(session, regular, Outcome.DO_NOT_CALL, NOON)
    assert [t.status for t in keep_in_touch_tasks(business, regular)] == [TaskStatus.CANCELLED]
    with pytest.raises(InvalidInput, match="in the past"), business.db.transaction() as session:
        log_unplanned_call(session, regular, Outcome.REACHED, NOON, follow_up=dt.date(2026, 11, 1))
