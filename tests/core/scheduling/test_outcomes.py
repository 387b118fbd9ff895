"""What each outcome does to the plan, and undoing it."""

import datetime as dt

import pytest
from sqlalchemy import select

from core.storage.enums import ChangeKind, Outcome, Reason, TaskKind, TaskStatus
from core.errors import InvalidInput
from core.storage.models import CallLog, CallTask, Customer
from core.scheduling import ChangeRequest, announce_change, log_outcome, undo_log

NOW = dt.datetime(2026, 11, 24, 10, 30)  # Tuesday


@pytest.fixture
def call(business):
    """A customer with a plain courtesy call due today."""
    business.caller("Maria")
    customer = business.customer("Ann Smith")
    with business.db.transaction() as session:
        task = CallTask(customer_id=customer, reason=Reason.NEGLECTED, due_on=business.today, why="Quiet")
        other = CallTask(customer_id=customer, reason=Reason.QUOTE, due_on=business.today + dt.timedelta(days=3),
                         why="Quote")
        session.add_all([task, other])
    return task.id, other.id, customer


def log(business, task_id, outcome, now=NOW, **extra):
    with business.db.transaction() as session:
        return log_outcome(session, task_id, outcome, now, **extra)


def task(business, task_id):
    with business.db.session() as session:
        return session.get(CallTask, task_id)


def test_reached_closes_the_call_and_reports_what_comes_next(business, call):
    task_id, other_id, _ = call
    result = log(business, task_id, Outcome.REACHED, notes="All good", result_tags=["order_placed"])
    assert task(business, task_id).status is TaskStatus.DONE
    assert [step.task_id for step in result.scheduled] == [other_id]
    with business.db.session() as session:
        logged = session.get(CallLog, result.log_id)
    assert (logged.notes, logged.result_tags) == ("All good", "order_placed")


def test_the_caller_can_book_a_callback_at_a_date_and_time(business, call):
    task_id, _, customer = call
    result = log(business, task_id, Outcome.REACHED, follow_up=dt.datetime(2026, 11, 27, 14, 30))
    (callback,) = result.scheduled
    assert (callback.reason, callback.due, callback.time) == (Reason.CALLBACK, dt.date(2026, 11, 27),
                                                              dt.time(14, 30))


@pytest.mark.parametrize("outcome", [Outcome.VOICEMAIL, Outcome.NO_ANSWER])
def test_no_answer_retries_after_two_business_days(business, call, outcome):
    task_id, _, _ = call
    result = log(business, task_id, outcome)
    retried = task(business, task_id)
    assert (retried.status, retried.attempts, retried.due_on) == (TaskStatus.PENDING, 1, dt.date(2026, 11, 26))
    assert result.scheduled[0].task_id == task_id


def test_after_three_unanswered_attempts_a_note_is_planned_instead(business, call):
    task_id, _, _ = call
    for day in (24, 26, 30):
        result = log(business, task_id, Outcome.NO_ANSWER, now=dt.datetime(2026, 11, day, 10))
    assert task(business, task_id).status is TaskStatus.SKIPPED
    (note,) = result.scheduled
    assert note.kind is TaskKind.NOTE and "No answer after 3 tries" in note.why


def test_a_heads_up_retry_always_comes_before_the_changes_date(business):
    business.caller("Maria")
    business.product("OAK")
    customer = business.customer("Buyer")
    business.buy(customer, "OAK", days_ago=10, dollars=500)
    with business.db.transaction() as session:
        announce_change(session, ChangeRequest(ChangeKind.PRICE_INCREASE, "Rise", dt.date(2026, 11, 30),
                                               (business.products["OAK"],), window_end_days=1), business.today)
        heads_up = session.scalars(select(CallTask).where(CallTask.reason == Reason.CHANGE_HEADS_UP)).one()
    # Wednesday 25th: two business days later would be Friday 27th; the deadline is Friday 27th.
    log(business, heads_up.id, Outcome.VOICEMAIL, now=dt.datetime(2026, 11, 25, 10))
    assert task(business, heads_up.id).due_on == dt.date(2026, 11, 27)
    # Friday: no day is left before Monday's change, so a note goes out instead of another call.
    result = log(business, heads_up.id, Outcome.VOICEMAIL, now=dt.datetime(2026, 11, 27, 10))
    assert task(business, heads_up.id).status is TaskStatus.SKIPPED
    assert result.scheduled[0].kind is TaskKind.NOTE and "No day left" in result.scheduled[0].why


def test_wrong_number_flags_the_customer_and_their_calls_wait(business, call):
    task_id, _, customer = call
    log(business, task_id, Outcome.WRONG_NUMBER)
    with business.db.session() as session:
        assert session.get(Customer, customer).needs_data_fix


def test_do_not_call_cancels_every_pending_call(business, call):
    task_id, other_id, customer = call
    result = log(business, task_id, Outcome.DO_NOT_CALL)
    assert result.cancelled == 1
    assert task(business, other_id).status is TaskStatus.CANCELLED
    with business.db.session() as session:
        assert session.get(Customer, customer).do_not_call


@pytest.mark.parametrize("outcome", list(Outcome))
def test_undo_puts_everything_back(business, call, outcome):
    task_id, other_id, customer = call
    before = [(t.status, t.attempts, t.due_on) for t in (task(business, task_id), task(business, other_id))]
    result = log(business, task_id, outcome, follow_up=None if outcome is Outcome.DO_NOT_CALL
                 else dt.date(2026, 12, 1))
    with business.db.transaction() as session:
        undo_log(session, result.undo)
    after = [(t.status, t.attempts, t.due_on) for t in (task(business, task_id), task(business, other_id))]
    assert after == before
    with business.db.session() as session:
        person = session.get(Customer, customer)
        assert (person.do_not_call, person.needs_data_fix) == (False, False)
        assert session.scalars(select(CallLog)).all() == []
        assert session.scalars(select(CallTask).where(CallTask.reason == Reason.CALLBACK)).all() == []


def test_logging_twice_or_nonsense_is_refused_with_a_reason(business, call):
    task_id, _, _ = call
    log(business, task_id, Outcome.REACHED)
    with pytest.raises(InvalidInput, match="already done"):
        log(business, task_id, Outcome.REACHED)
    with pytest.raises(InvalidInput, match="Unknown outcome"):
        log(business, task_id, "chatted")
    with pytest.raises(InvalidInput, match="no task"):
        log(business, 999, Outcome.REACHED)
