"""The announced changes as the owner reviews them (the window's Calls → Changes), and taking
back an announcement made by mistake.

`list_changes` reads every change with its dates and how far its heads-up calls have got.
`withdraw_announcement` removes a change and every step it planned, but only while none of
them has been acted on (nothing logged, nothing sent): after that the history matters and the
owner cancels the change instead (core.scheduling.cancel_change keeps that history).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from core.storage.enums import ChangeKind, ChangeStatus, Reason, TaskStatus
from core.errors import InvalidInput
from core.storage.models import CallLog, CallTask, Change


@dataclass(frozen=True)
class ChangeSummary:
    id: int
    title: str
    kind: ChangeKind
    status: ChangeStatus
    announced_on: dt.date
    effective_on: dt.date
    heads_up_planned: int  # heads-up calls (and notes) still to make
    heads_up_done: int  # heads-up calls made (any outcome)
    steps_pending: int  # every step still planned: heads-up, samples, concerns, follow-up

    def is_active(self) -> bool:
        return self.status is ChangeStatus.ACTIVE


def list_changes(session: Session) -> list[ChangeSummary]:
    """Every announced change, the coming ones first, then the past, then the cancelled."""
    heads_up = CallTask.reason == Reason.CHANGE_HEADS_UP
    pending = CallTask.status == TaskStatus.PENDING
    counts = (select(CallTask.change_id,
                     func.sum(case((heads_up & pending, 1), else_=0)).label("planned"),
                     func.sum(case((heads_up & (CallTask.status == TaskStatus.DONE), 1), else_=0)).label("done"),
                     func.sum(case((pending, 1), else_=0)).label("pending"))
              .where(CallTask.change_id.is_not(None)).group_by(CallTask.change_id).subquery())
    rows = session.execute(
        select(Change.id, Change.title, Change.kind, Change.status, Change.announced_on, Change.effective_on,
               func.coalesce(counts.c.planned, 0), func.coalesce(counts.c.done, 0),
               func.coalesce(counts.c.pending, 0))
        .outerjoin(counts, counts.c.change_id == Change.id)
        .order_by(case((Change.status == ChangeStatus.ACTIVE, 0), else_=1), Change.effective_on.desc())).all()
    return [ChangeSummary(*row) for row in rows]


def withdraw_announcement(session: Session, change_id: int) -> str:
    """Remove a change announced by mistake with all it planned; returns its title.

    Refused once any of its steps was acted on: then the change is part of the history."""
    change = session.get(Change, change_id)
    if change is None:
        return ""  # already gone (withdrawn from another window): nothing to take back
    acted = session.scalar(select(func.count()).select_from(CallTask).where(
        CallTask.change_id == change_id, CallTask.status != TaskStatus.PENDING))
    logged = session.scalar(select(func.count()).select_from(CallLog).join(CallTask, CallTask.id == CallLog.task_id)
                            .where(CallTask.change_id == change_id))
    if acted or logged:
        raise InvalidInput(f"'{change.title}' cannot be taken back: some of its calls were made since. "
                           "Cancel it in Calls → Changes instead (its history is kept).", field="change_id")
    title = change.title
    session.execute(delete(CallTask).where(CallTask.change_id == change_id))
    session.delete(change)
    session.flush()
    return title
