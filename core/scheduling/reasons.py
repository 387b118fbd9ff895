"""What each call reason means, declared once: its words, its weight, its window, its script,
its printed points and whether it belongs to an announced change.

A reason is read by the engine (its weight and window), the scripts (its shipped file), the
window and the printed sheet (its label and talking points), so its declaration sits here, next
to `core.storage.enums`, rather than inside one of those readers: adding a reason means adding a
`Reason` member and one `ReasonDeclaration` below (tests/core/test_reasons.py fails until
every member has a complete one), a shipped script in resources/scripts/, and a migration
that lets the database store the new value (tests/core/test_enum_migrations.py fails without).

This module uses only `core.storage.enums`, so every reader may import it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.storage.enums import Reason

if TYPE_CHECKING:
    from core.settings import Settings

# Courtesy questions are the same for every listening call: the printed sheet gives them once at
# the top of each page, so a row whose reason has nothing particular to say points there.
COURTESY_QUESTIONS_ON_TOP = ("Courtesy questions (top of page)",)


@dataclass(frozen=True)
class Window:
    """How many days after its due date a touch is still worth making, when its task has no
    deadline of its own: a fixed number of days, or the owner's setting `days_setting` minus
    `starts_setting` (both count from the same event: "a check-in 30 to 45 days after a
    purchase" is due on day 30 and useful until day 45), or a quarter of the customer's own
    keep-in-touch cadence."""

    days: int | None = None
    days_setting: str | None = None
    starts_setting: str | None = None
    quarter_of_cadence: bool = False

    def span(self, settings: Settings, cadence_days: int | None = None) -> dt.timedelta:
        if self.quarter_of_cadence:
            return dt.timedelta(days=max((cadence_days or 28) // 4, 1))
        if self.days_setting is not None:
            starts = getattr(settings, self.starts_setting) if self.starts_setting else 0
            return dt.timedelta(days=max(getattr(settings, self.days_setting) - starts, 0))
        return dt.timedelta(days=self.days or 0)

    def setting_keys(self) -> tuple[str, ...]:
        return tuple(key for key in (self.days_setting, self.starts_setting) if key)


@dataclass(frozen=True)
class ReasonDeclaration:
    reason: Reason
    label: str  # the owner's words for it, in the window, on paper and in exports
    weight: float  # how much a touch of this reason is worth before the customer's value (core.scheduling.priority)
    window: Window
    script_file: str  # the shipped default script, in resources/scripts/
    printed_points: tuple[str, ...]  # the printed sheet's talking points (a change's own points come first)
    belongs_to_change: bool = False  # made by announcing a change; its script speaks of one
    # A callback is made on the day (and at the time) promised, over the quota if need be.
    keeps_its_day: bool = False
    # May come soon after another call to the customer (a heads-up before a date, a callback).
    ignores_the_gap: bool = False
    # A task's deadline ends the window (a callback's day is its own, whatever the deadline).
    deadline_ends_window: bool = True


REASONS: dict[Reason, ReasonDeclaration] = {d.reason: d for d in (
    ReasonDeclaration(
        Reason.CHANGE_HEADS_UP, "Heads-up call", 10,
        # Before its change's date (the deadline); one retried after the date is still worth a week.
        Window(days=7), "change_heads_up.txt", COURTESY_QUESTIONS_ON_TOP,
        belongs_to_change=True, ignores_the_gap=True),
    ReasonDeclaration(
        Reason.CHANGE_SAMPLES, "Send samples", 8,
        Window(days=14), "change_samples.txt",  # sent within two weeks of their day
        ("Two samples: one to try, one to pass on; confirm the address.",), belongs_to_change=True),
    ReasonDeclaration(
        Reason.CHANGE_CONCERNS, "Any concerns?", 6,
        Window(days_setting="concerns_last_day", starts_setting="concerns_after_days"), "change_concerns.txt",
        COURTESY_QUESTIONS_ON_TOP, belongs_to_change=True),
    ReasonDeclaration(
        Reason.CHANGE_FOLLOW_UP, "Follow-up", 4,
        Window(days_setting="follow_up_window_days"), "change_follow_up.txt",
        COURTESY_QUESTIONS_ON_TOP, belongs_to_change=True),
    ReasonDeclaration(
        Reason.POST_PURCHASE, "Check-in after a purchase", 5,
        Window(days_setting="post_purchase_last_day", starts_setting="post_purchase_days"), "post_purchase.txt",
        COURTESY_QUESTIONS_ON_TOP),
    ReasonDeclaration(
        Reason.NEGLECTED, "Courtesy call", 2,
        Window(days_setting="neglected_repeat_days"), "neglected.txt", COURTESY_QUESTIONS_ON_TOP),
    ReasonDeclaration(
        Reason.QUOTE, "Quote follow-up", 7,
        # Follow-ups come 3 and 7 days after sending, then weekly: each is useful until the next.
        Window(days=6), "quote.txt", ("Any questions about the quote?", "Is the timing right for them?")),
    ReasonDeclaration(
        Reason.REWARDS, "Reward almost earned", 3,
        Window(days_setting="rewards_window_days"), "rewards.txt",
        ("One stamp to go: let them know the reward is waiting.",)),
    ReasonDeclaration(
        Reason.KEEP_IN_TOUCH, "Keep in touch", 4,
        Window(quarter_of_cadence=True), "keep_in_touch.txt", COURTESY_QUESTIONS_ON_TOP),
    ReasonDeclaration(
        Reason.CALLBACK, "Call back", 9,
        # Not made on its day, it is still made within a few days rather than dropped.
        Window(days=3), "callback.txt", ("They asked to be called back.",),
        keeps_its_day=True, ignores_the_gap=True, deadline_ends_window=False),
)}


def declaration(reason: Reason | str) -> ReasonDeclaration:
    """The declaration of a reason, given as the enum or as its stored text."""
    return REASONS[Reason(reason)]


def change_reasons() -> frozenset[Reason]:
    """The reasons an announced change makes (their scripts speak of a change)."""
    return frozenset(reason for reason, declared in REASONS.items() if declared.belongs_to_change)


REASON_LABELS: dict[Reason, str] = {reason: declared.label for reason, declared in REASONS.items()}
REASON_WEIGHTS: dict[Reason, float] = {reason: declared.weight for reason, declared in REASONS.items()}
