"""How urgent a call is: reason weight × urgency (days to its deadline) × customer value.

Each score comes with the sentence that explains it, so the owner can see why a call is
near the top ("Heads-up call ×10 · 2 days to its deadline ×2.3 · $4,210 last year ×2.3").
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from core.enums import Reason
from core.money import format_money

REASON_WEIGHT: dict[Reason, float] = {
    Reason.CHANGE_HEADS_UP: 10,
    Reason.CALLBACK: 9,
    Reason.CHANGE_SAMPLES: 8,
    Reason.QUOTE: 7,
    Reason.CHANGE_CONCERNS: 6,
    Reason.POST_PURCHASE: 5,
    Reason.CHANGE_FOLLOW_UP: 4,
    Reason.KEEP_IN_TOUCH: 4,
    Reason.REWARDS: 3,
    Reason.NEGLECTED: 2,
}

REASON_LABEL: dict[Reason, str] = {
    Reason.CHANGE_HEADS_UP: "Heads-up call",
    Reason.CHANGE_SAMPLES: "Send samples",
    Reason.CHANGE_CONCERNS: "Any concerns?",
    Reason.CHANGE_FOLLOW_UP: "Follow-up",
    Reason.POST_PURCHASE: "Check-in after a purchase",
    Reason.NEGLECTED: "Courtesy call",
    Reason.QUOTE: "Quote follow-up",
    Reason.REWARDS: "Reward almost earned",
    Reason.KEEP_IN_TOUCH: "Keep in touch",
    Reason.CALLBACK: "Call back",
}


@dataclass(frozen=True)
class Priority:
    score: float
    explanation: str


def urgency(day: dt.date, deadline: dt.date | None) -> float:
    if deadline is None:
        return 1.0
    days_left = max((deadline - day).days, 0)
    return 1.0 + 4.0 / (1 + days_left)


def value_factor(spend_last_year_cents: int) -> float:
    return 1.0 + math.log10(1 + max(spend_last_year_cents, 0) / 100) / 2


def score_number(reason: Reason, day: dt.date, deadline: dt.date | None, spend_last_year_cents: int) -> float:
    """The score alone: the daily list ranks thousands of due tasks with this."""
    return round(REASON_WEIGHT[reason] * urgency(day, deadline) * value_factor(spend_last_year_cents), 1)


def score(reason: Reason, day: dt.date, deadline: dt.date | None, spend_last_year_cents: int,
          currency_symbol: str = "$") -> Priority:
    """The score with the sentence that explains it, for the calls that make the list."""
    weight = REASON_WEIGHT[reason]
    urgent = urgency(day, deadline)
    value = value_factor(spend_last_year_cents)
    parts = [f"{REASON_LABEL[reason]} ×{weight:g}"]
    if deadline is not None:
        days_left = (deadline - day).days
        when = "deadline today" if days_left <= 0 else f"{days_left} day{'s' if days_left != 1 else ''} to its deadline"
        parts.append(f"{when} ×{urgent:.1f}")
    parts.append(f"{format_money(spend_last_year_cents, currency_symbol, whole=True)} last year ×{value:.1f}")
    total = score_number(reason, day, deadline, spend_last_year_cents)
    return Priority(total, " · ".join(parts) + f" = {total:g}")
