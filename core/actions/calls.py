"""Logging a call: a planned one (from the day's list) or one made for no reason; both undoable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from core.actions.results import ActionResult, ChangeSet, UndoStep
from core.actions.runner import UnitOfWork, owner_action
from core.storage.enums import Outcome
from core.storage.models import CallTask, Customer
from core.scheduling import LogResult, log_outcome, undo_log
from core.scheduling import log_unplanned_call as log_call_for_no_reason

# Outcomes that take a customer off the lists, or put them on the fix-their-data list.
_CHANGES_WHO_IS_LISTED = (Outcome.DO_NOT_CALL, Outcome.WRONG_NUMBER)


@owner_action(rows_to_lock=lambda task_id, *_inputs, **_named: [(CallTask, task_id)])
def log_call(unit: UnitOfWork, task_id: int, outcome: Outcome | str, *, staff_id: int | None = None,
             notes: str | None = None, result_tags: Sequence[str] = (),
             follow_up: dt.datetime | dt.date | None = None) -> ActionResult[LogResult]:
    """Log a planned call's outcome; undo puts the plan back as it was."""
    result = log_outcome(unit.session, task_id, outcome, unit.now(), staff_id=staff_id, notes=notes,
                         result_tags=result_tags, follow_up=follow_up)
    return _logged(unit, result, calls=frozenset({task_id}))


@owner_action(rows_to_lock=lambda customer_id, *_inputs, **_named: [(Customer, customer_id)])
def log_unplanned_call(unit: UnitOfWork, customer_id: int, outcome: Outcome | str, *, staff_id: int | None = None,
                       notes: str | None = None, result_tags: Sequence[str] = (),
                       follow_up: dt.datetime | dt.date | None = None) -> ActionResult[LogResult]:
    """A call for no reason on any customer; undo takes it back like any log."""
    result = log_call_for_no_reason(unit.session, customer_id, outcome, unit.now(), staff_id=staff_id, notes=notes,
                                    result_tags=result_tags, follow_up=follow_up)
    return _logged(unit, result, calls=frozenset())


def _logged(unit: UnitOfWork, result: LogResult, calls: frozenset[int]) -> ActionResult[LogResult]:
    name = unit.session.get(Customer, result.customer_id).name
    changes = ChangeSet(customers=frozenset({result.customer_id}), tasks=True, calls=calls,
                        customer_list=result.outcome in _CHANGES_WHO_IS_LISTED)

    def undo(undo_unit: UnitOfWork) -> ChangeSet:
        undo_log(undo_unit.session, result.undo)
        return changes

    return ActionResult(result, changes, UndoStep(f"Undo the call log for {name}", undo), result.message)
