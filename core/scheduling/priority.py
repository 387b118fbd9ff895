"""What a call is worth: the reason's weight × the customer's yearly value — the one formula.

The planner places the most valuable calls first (core.scheduling.windows gives each touch its
worth from `worth`), and the day's list shows the same number with the sentence that explains
it ("Heads-up call ×10 · $4,210 last year ×2.3 = 23"). How soon a call must be made is not a
factor: its window (core.scheduling.windows) decides which days it may take.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from core.storage.enums import Reason
from core.money import format_money
from core.scheduling.reasons import REASON_LABELS, REASON_WEIGHTS


@dataclass(frozen=True)
class Priority:
    score: float
    explanation: str


def value_factor(spend_last_year_cents: int) -> float:
    return 1.0 + math.log10(1 + max(spend_last_year_cents, 0) / 100) / 2


def worth(reason: Reason, spend_last_year_cents: int) -> float:
    """What one touch of this reason to this customer is worth (the planner's and the list's number)."""
    return round(REASON_WEIGHTS[reason] * value_factor(spend_last_year_cents), 2)


def combined_worth(worths: Sequence[float]) -> float:
    """The worth of one call covering several touches: theirs added up, as the planner adds them."""
    total = 0.0
    for each in worths:
        total = round(total + each, 2)
    return total


def explain(reasons: Sequence[Reason], spend_last_year_cents: int, day: dt.date | None = None,
            deadline: dt.date | None = None, currency_symbol: str = "$") -> Priority:
    """A call's worth with the sentence that explains it; a call covering several reasons is
    worth their sum. The deadline, when there is one, is said after the sum: it is why the call
    is on an early day, not a factor of its worth."""
    value = value_factor(spend_last_year_cents)
    total = combined_worth([worth(reason, spend_last_year_cents) for reason in reasons])
    weights = " + ".join(f"{REASON_LABELS[reason]} ×{REASON_WEIGHTS[reason]:g}" for reason in reasons)
    text = f"{weights} · {format_money(spend_last_year_cents, currency_symbol, whole=True)} last year ×{value:.1f}"
    text += f" = {total:g}"
    if deadline is not None and day is not None:
        days_left = (deadline - day).days
        text += " · deadline today" if days_left <= 0 else \
            f" · {days_left} day{'s' if days_left != 1 else ''} to its deadline"
    return Priority(total, text)
