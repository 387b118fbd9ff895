"""Reviewing announced changes, and taking back an announcement made by mistake."""

import datetime as dt

import pytest
from sqlalchemy import select

from core.scheduling.change_review import withdraw_announcement
from core.clock import FixedClock
from core.storage.enums import ChangeKind, Outcome
from core.errors import InvalidInput
from core.storage.models import CallTask
from core.scheduling import ChangeRequest
from core.services import Services


@pytest.fixture
def services(demo_db, today):
    return Services(demo_db, FixedClock.on(today))


def _announce(services):
    product = next(p.id for p in services.products() if p.sku == "OP-CHAIN-12")
    plan, _changes = services.announce_change(ChangeRequest(ChangeKind.DISCONTINUED, "Chain openers go",
                                                            dt.date(2027, 1, 12), (product,)))
    return plan


def test_every_change_is_listed_with_its_dates_and_progress(services, today):
    plan = _announce(services)
    listed = {change.id: change for change in services.changes()}
    mine = listed[plan.change_id]
    assert mine.is_active() and mine.announced_on == today and mine.effective_on == dt.date(2027, 1, 12)
    assert mine.heads_up_planned == sum(1 for s in plan.steps if s.kind == "heads_up") and mine.heads_up_done == 0
    assert mine.steps_pending == len(plan.steps)


def test_undo_takes_back_an_announcement_with_everything_it_planned(services):
    before = [change.id for change in services.changes()]
    _announce(services)
    assert services.undo_description() == "Undo the announcement of Chain openers go"
    services.undo()
    assert [change.id for change in services.changes()] == before


def test_an_announcement_whose_calls_were_made_is_not_taken_back(services, today):
    plan = _announce(services)
    with services.database.session() as session:
        task_id = session.scalar(select(CallTask.id).where(CallTask.change_id == plan.change_id))
    services.log_call(task_id, Outcome.REACHED)
    with pytest.raises(InvalidInput, match="cannot be taken back"):
        with services.database.transaction() as session:
            withdraw_announcement(session, plan.change_id)
    assert plan.change_id in [change.id for change in services.changes()], "nothing was removed"
