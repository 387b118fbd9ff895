"""Enumerations stored in the database as readable strings.

The string values are part of the public interface: the command line prints them and
owners script against them, so never rename a value — add a new one and migrate (the
database's CHECK constraints list every value; tests/core/test_enum_migrations.py fails until
the migration is written).
"""

from enum import StrEnum


class ChangeKind(StrEnum):
    PRICE_INCREASE = "price_increase"
    DISCONTINUED = "discontinued"
    REPLACEMENT = "replacement"
    OTHER = "other"


class ChangeStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


class Reason(StrEnum):
    """Why a task exists. The command line's `reason` field uses these values.

    What each reason means — its label, weight, window, script, printed points, whether it
    belongs to a change — is declared once in core.scheduling.reasons; a new member needs its declaration
    there (tests/core/test_reasons.py checks every member has a complete one).
    """

    CHANGE_HEADS_UP = "change_heads_up"
    CHANGE_SAMPLES = "change_samples"
    CHANGE_CONCERNS = "change_concerns"
    CHANGE_FOLLOW_UP = "change_follow_up"
    POST_PURCHASE = "post_purchase"
    NEGLECTED = "neglected"
    QUOTE = "quote"
    REWARDS = "rewards"
    KEEP_IN_TOUCH = "keep_in_touch"
    CALLBACK = "callback"


class TaskKind(StrEnum):
    """How the customer is touched: most tasks are calls, some are things to send."""

    CALL = "call"
    SAMPLES = "samples"
    NOTE = "note"
    THANK_YOU = "thank_you"


class TaskStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class Outcome(StrEnum):
    REACHED = "reached"
    VOICEMAIL = "voicemail"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"
    DO_NOT_CALL = "do_not_call"


class ResultTag(StrEnum):
    ORDER_PLACED = "order_placed"
    QUOTE_REQUESTED = "quote_requested"
    COMPLAINT = "complaint"
    REFERRAL = "referral"
    # On a quote follow-up: the customer said yes or no, and logging it decides the quote.
    QUOTE_WON = "quote_won"
    QUOTE_LOST = "quote_lost"


class QuoteStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class PurchaseKind(StrEnum):
    SALE = "sale"
    INSTALLATION = "installation"


class ThankYouResponse(StrEnum):
    """What came back after a thank-you note (recorded later, when it happens)."""

    CALLED_BACK = "called_back"
    ORDERED_MORE = "ordered_more"
    ASKED_FOR_QUOTE = "asked_for_quote"
    REPLIED = "replied"
