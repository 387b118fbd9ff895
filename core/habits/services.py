"""The team's habits for a front end: thank-you notes, the weekly review, what's on.

Like core.services, each read opens a short session and returns plain dataclasses, and each
action runs through the one runner (core/actions/habits.py), returning the ChangeSet the window broadcasts (a note to a customer
changes their timeline; news changes every call's script). Kept apart from core.services so
the habits grow on their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from core.actions import ActionResult, ActionRunner, ChangeSet, OwnerAction
from core.actions import habits
from core.clock import Clock
from core.storage.database import Database
from core.storage.enums import ThankYouResponse
from core.habits.news import News, list_news
from core.habits.weekly_review import ReviewFigure, ReviewLine, WeeklyReview, change_call_lines, review_lines, weekly_review
from core.settings import load_settings
from core.scheduling.staff import StaffEntry, list_staff
from core.habits.thanks import NotesProgress, Suggestion, ThankYouEntry, notes_progress, notes_written, suggest_thank_yous

T = TypeVar("T")

RECENT_NOTES_DAYS = 30


@dataclass
class HabitsServices:
    database: Database
    clock: Clock

    def today(self) -> dt.date:
        return self.clock.today()

    def _run(self, action: OwnerAction[T], *inputs: Any, **named: Any) -> ActionResult[T]:
        """Every write is an owner action (core/actions/habits.py), run by the one runner."""
        return ActionRunner(self.database, self.clock).run(action, *inputs, **named)

    def callers(self) -> list[StaffEntry]:
        with self.database.session() as session:
            return [s for s in list_staff(session) if s.active and s.daily_quota > 0]

    def business_name(self) -> str:
        with self.database.session() as session:
            return load_settings(session).business_name

    def phone_region(self) -> str:
        with self.database.session() as session:
            return load_settings(session).phone_region

    # --- thank-you notes ------------------------------------------------------------------------
    def thank_you_suggestions(self, staff_id: int) -> list[Suggestion]:
        with self.database.session() as session:
            return suggest_thank_yous(session, staff_id, self.today())

    def recent_notes(self, staff_id: int | None = None) -> list[ThankYouEntry]:
        today = self.today()
        with self.database.session() as session:
            return notes_written(session, today - dt.timedelta(days=RECENT_NOTES_DAYS), today, staff_id)

    def notes_progress(self, day: dt.date, staff_id: int | None = None) -> NotesProgress:
        with self.database.session() as session:
            return notes_progress(session, day, staff_id)

    def log_thank_you(self, staff_id: int, recipient: str, customer_id: int | None = None,
                      text: str | None = None) -> tuple[ThankYouEntry, ChangeSet]:
        result = self._run(habits.log_thank_you, staff_id, recipient, customer_id=customer_id, text=text)
        note, _progress = result.value
        return note, result.changes

    def record_response(self, note_id: int, response: ThankYouResponse) -> tuple[ThankYouEntry, ChangeSet]:
        result = self._run(habits.record_response, note_id, response)
        return result.value, result.changes

    # --- the weekly review -------------------------------------------------------------------------
    def weekly_review(self, day: dt.date) -> WeeklyReview:
        with self.database.session() as session:
            return weekly_review(session, day, self.today())

    def review_lines(self, week_day: dt.date, figure: ReviewFigure, staff_id: int | None = None,
                     day: dt.date | None = None) -> list[ReviewLine]:
        with self.database.session() as session:
            return review_lines(session, week_day, figure, staff_id=staff_id, day=day)

    def change_call_lines(self, change_id: int) -> list[ReviewLine]:
        with self.database.session() as session:
            return change_call_lines(session, change_id)

    def save_reflection(self, week_day: dt.date, staff_id: int, text: str) -> str | None:
        return self._run(habits.save_reflection, week_day, staff_id, text).value

    # --- what's on ---------------------------------------------------------------------------------
    def news(self) -> list[News]:
        with self.database.session() as session:
            return list_news(session)

    def add_news(self, title: str, starts_on: dt.date, ends_on: dt.date, *, text: str | None = None,
                 reasons: Sequence[str] = (), tags: Sequence[str] = ()) -> tuple[News, ChangeSet]:
        result = self._run(habits.add_news, title, starts_on, ends_on, text=text, reasons=reasons, tags=tags)
        return result.value, result.changes

    def remove_news(self, news_id: int) -> tuple[News, ChangeSet]:
        result = self._run(habits.remove_news, news_id)
        return result.value, result.changes
