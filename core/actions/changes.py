"""Announced changes (a price rise, a discontinued product): announce, move, cancel."""

from __future__ import annotations

import datetime as dt

from core.actions.results import ActionResult, ChangeSet, UndoStep
from core.actions.runner import UnitOfWork, owner_action
from core.scheduling.change_review import withdraw_announcement
from core.storage.models import Change
from core.scheduling import ChangePlan, ChangeRequest, announce_change as plan_and_announce
from core.scheduling import cancel_change as cancel_planned_change
from core.scheduling import move_change as move_planned_change

_CHANGED = ChangeSet(tasks=True, customer_list=True)


@owner_action()
def announce_change(unit: UnitOfWork, request: ChangeRequest) -> ActionResult[ChangePlan]:
    """Announce a change and plan its calls; undo takes it back while none of its calls was made."""
    plan = plan_and_announce(unit.session, request, unit.today())

    def undo(undo_unit: UnitOfWork) -> ChangeSet:
        withdraw_announcement(undo_unit.session, plan.change_id)
        return _CHANGED

    return ActionResult(plan, _CHANGED, UndoStep(f"Undo the announcement of {request.title.strip()}", undo,
                                                 announced_change=plan.change_id), plan.feasibility.verdict)


@owner_action(rows_to_lock=lambda change_id, *_inputs, **_named: [(Change, change_id)])
def move_change(unit: UnitOfWork, change_id: int, effective_on: dt.date) -> ActionResult[ChangePlan]:
    """A new date for a change: its pending steps are planned again around it."""
    plan = move_planned_change(unit.session, change_id, effective_on, unit.today())
    return ActionResult(plan, _CHANGED, message=plan.feasibility.verdict)


@owner_action(rows_to_lock=lambda change_id, *_inputs, **_named: [(Change, change_id)])
def cancel_change(unit: UnitOfWork, change_id: int) -> ActionResult[int]:
    """Cancel a change and its pending steps (the history is kept); the value is how many were cancelled."""
    cancelled = cancel_planned_change(unit.session, change_id, unit.now())
    return ActionResult(cancelled, _CHANGED, message=f"Cancelled; {cancelled} pending step(s) cancelled.")
