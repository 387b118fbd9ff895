"""The team's habits for a front end: thank-you notes, the weekly review, what's on.

Like core.services, each read opens a short session and returns plain dataclasses, and each
action is one transaction returning the ChangeSet the window broadcasts (a note to a customer
changes their timeline; news changes every call's script). Kept apart from core.services so
the habits grow on their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from core.clock import Clock
from core.db import Database
from core.enums import ThankYouResponse
from core.news import News, add_news, list_news, remove_news
from core.review import (
    ReviewFigure,
    ReviewLine,
    WeeklyReview,
    change_call_lines,
    review_lines,
    save_reflection,
    weekly_review,
)
from core.services import ChangeSet
from core.settings import load_settings
from core.staff import StaffEntry, list_staff
from core.thanks import (
    NotesProgress,
    Suggestion,
    ThankYouEntry,
    log_thank_you,
    notes_progress,
    notes_written,
    record_response,
    suggest_thank_yous,
)

RECENT_NOTES_DAYS = 30


@dataclass
class HabitsServices:
    database: Database
    clock: Clock

    def today(self) -> dt.date:
        return self.clock.today()

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
        with self.database.transaction() as session:
            note = log_thank_you(session, staff_id, self.today(), recipient, customer_id=customer_id, text=text)
        return note, ChangeSet(customers=frozenset({customer_id}) if customer_id else frozenset())

    def record_response(self, note_id: int, response: ThankYouResponse) -> tuple[ThankYouEntry, ChangeSet]:
        with self.database.transaction() as session:
            note = record_response(session, note_id, response, self.today())
        return note, ChangeSet(customers=frozenset({note.customer_id}) if note.customer_id else frozenset())

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
        with self.database.transaction() as session:
            return save_reflection(session, week_day, staff_id, text)

    # --- what's on ---------------------------------------------------------------------------------
    def news(self) -> list[News]:
        with self.database.session() as session:
            return list_news(session)

    def add_news(self, title: str, starts_on: dt.date, ends_on: dt.date, *, text: str | None = None,
                 reasons: Sequence[str] = (), tags: Sequence[str] = ()) -> tuple[News, ChangeSet]:
        with self.database.transaction() as session:
            item = add_news(session, title, starts_on, ends_on, text=text, reasons=reasons, tags=tags)
        return item, ChangeSet(scripts=True)

    def remove_news(self, news_id: int) -> tuple[News, ChangeSet]:
        with self.database.transaction() as session:
            item = remove_news(session, news_id)
        return item, ChangeSet(scripts=True)
