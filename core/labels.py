"""The words the owner reads for each stored enumeration value (one place, window and print alike)."""

from __future__ import annotations

from core.dates import date_text
from core.money import format_money  # noqa: F401 (the window's words and figures come from here)
from core.storage.enums import Outcome, PurchaseKind, QuoteStatus, Reason, ResultTag, TaskKind, TaskStatus
from core.scheduling.reasons import REASON_LABELS as REASON_LABELS  # declared with everything else a reason means

# The engine explains its choices in the same words (core.scheduling.outcomes).
OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.REACHED: "Reached",
    Outcome.VOICEMAIL: "Voicemail",
    Outcome.NO_ANSWER: "No answer",
    Outcome.WRONG_NUMBER: "Wrong number",
    Outcome.DO_NOT_CALL: "Do not call",
}

TASK_KIND_LABELS: dict[TaskKind, str] = {
    TaskKind.CALL: "Call",
    TaskKind.SAMPLES: "Samples",
    TaskKind.NOTE: "Note",
    TaskKind.THANK_YOU: "Thank-you note",
}

TASK_STATUS_LABELS: dict[TaskStatus, str] = {
    TaskStatus.PENDING: "Planned",
    TaskStatus.DONE: "Done",
    TaskStatus.SKIPPED: "Skipped",
    TaskStatus.CANCELLED: "Cancelled",
}

RESULT_TAG_LABELS: dict[ResultTag, str] = {
    ResultTag.ORDER_PLACED: "Order placed",
    ResultTag.QUOTE_REQUESTED: "Quote requested",
    ResultTag.COMPLAINT: "Complaint",
    ResultTag.REFERRAL: "Referral",
    ResultTag.QUOTE_WON: "Quote won",
    ResultTag.QUOTE_LOST: "Quote lost",
}

QUOTE_STATUS_LABELS: dict[QuoteStatus, str] = {
    QuoteStatus.OPEN: "Open",
    QuoteStatus.WON: "Won",
    QuoteStatus.LOST: "Lost",
}

PURCHASE_KIND_LABELS: dict[PurchaseKind, str] = {
    PurchaseKind.SALE: "Sale",
    PurchaseKind.INSTALLATION: "Installation",
}


def result_tag_labels(stored: str | None) -> list[str]:
    """'order_placed,referral' → ['Order placed', 'Referral']; unknown values are shown as stored."""
    labels = []
    for value in (stored or "").split(","):
        value = value.strip()
        if value:
            try:
                labels.append(RESULT_TAG_LABELS[ResultTag(value)])
            except ValueError:
                labels.append(value)
    return labels


def format_day(day, today=None) -> str:
    """'24 Nov 2026'; the year is left out for dates in the current year of `today`."""
    if day is None:
        return ""
    if today is not None and day.year == today.year:
        return f"{day.day} {date_text(day, '%b')}"
    return f"{day.day} {date_text(day, '%b %Y')}"
