"""The team's habits: thank-you notes (and what came of them), the week's reflections, what's on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from core.actions.results import ActionResult, ChangeSet
from core.actions.runner import UnitOfWork, owner_action
from core.storage.enums import ThankYouResponse
from core.habits.news import News
from core.habits.news import add_news as store_news
from core.habits.news import remove_news as drop_news
from core.habits.weekly_review import save_reflection as keep_reflection
from core.habits.thanks import NotesProgress, ThankYouEntry, notes_progress
from core.habits.thanks import log_thank_you as record_note
from core.habits.thanks import record_response as record_note_response


def _customer(customer_id: int | None) -> ChangeSet:
    # A note to a customer joins their timeline.
    return ChangeSet(customers=frozenset({customer_id}) if customer_id else frozenset())


@owner_action()
def log_thank_you(unit: UnitOfWork, staff_id: int, recipient: str | None, *, customer_id: int | None = None,
                  text: str | None = None) -> ActionResult[tuple[ThankYouEntry, NotesProgress]]:
    """A note written today; the value is the note and the writer's progress on the day's goal."""
    note = record_note(unit.session, staff_id, unit.today(), recipient, customer_id=customer_id, text=text)
    progress = notes_progress(unit.session, unit.today(), staff_id)
    return ActionResult((note, progress), _customer(customer_id),
                        message=f"Logged a thank-you note from {note.staff} to {note.recipient}: "
                                f"{progress.written} of {progress.goal} today.")


@owner_action()
def record_response(unit: UnitOfWork, note_id: int, response: ThankYouResponse | str) -> ActionResult[ThankYouEntry]:
    note = record_note_response(unit.session, note_id, response, unit.today())
    return ActionResult(note, _customer(note.customer_id),
                        message=f"Recorded: {note.recipient} — {note.response.value.replace('_', ' ')}.")


@owner_action()
def save_reflection(unit: UnitOfWork, week_day: dt.date, staff_id: int, text: str) -> ActionResult[str | None]:
    return ActionResult(keep_reflection(unit.session, week_day, staff_id, text), ChangeSet())


@owner_action()
def add_news(unit: UnitOfWork, title: str, starts_on: dt.date, ends_on: dt.date, *, text: str | None = None,
             reasons: Sequence[str] = (), tags: Sequence[str] = ()) -> ActionResult[News]:
    """What's on (a sale, an event): said in every call's script while it runs."""
    item = store_news(unit.session, title, starts_on, ends_on, text=text, reasons=reasons, tags=tags)
    return ActionResult(item, ChangeSet(scripts=True),
                        message=f"Added news #{item.id}: {item.title}, {item.starts_on.isoformat()} to "
                                f"{item.ends_on.isoformat()}" + (f" ({item.limits})" if item.limits else "") + ".")


@owner_action()
def remove_news(unit: UnitOfWork, news_id: int) -> ActionResult[News]:
    item = drop_news(unit.session, news_id)
    return ActionResult(item, ChangeSet(scripts=True), message=f"Removed news #{item.id}: {item.title}.")
