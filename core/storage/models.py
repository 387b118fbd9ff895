"""The tables of a CallAhead business, as SQLAlchemy 2.0 typed models.

Rules that protect the data (required fields, links, allowed values, sane quotas) live in
the schema as constraints, so no code path — window, command line or import — can bypass
them. Money is stored in whole cents to stay exact on every database.
"""

# No `from __future__ import annotations` here: SQLAlchemy would then evaluate each of the
# models' ~375 annotations from its string at import, a tenth of a second of every launch.
# The two forward references (a customer's phones and reward card) are quoted instead.
import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from core.storage.enums import (
    ChangeKind,
    ChangeStatus,
    Outcome,
    PurchaseKind,
    QuoteStatus,
    Reason,
    TaskKind,
    TaskStatus,
    ThankYouResponse,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def enum_column(enum_cls: type[StrEnum], name: str) -> Enum:
    """A string column limited to the enum's values by a CHECK constraint (portable)."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, server_default=func.current_timestamp(), onupdate=func.current_timestamp()
    )


class StaffMember(Base):
    __tablename__ = "staff_members"
    __table_args__ = (
        CheckConstraint("daily_quota >= 0 AND daily_quota <= 200", name="quota_range"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    daily_quota: Mapped[int] = mapped_column(Integer, default=10)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Customer(TimestampMixin, Base):
    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        CheckConstraint("keep_in_touch_days IS NULL OR keep_in_touch_days > 0", name="cadence_positive"),
        Index("ix_customers_email", "email"),
        Index("ix_customers_phone", "phone"),
        Index("ix_customers_name", "name"),
        # The customer list's order (migration 0011): its first page is read from this index.
        Index("ix_customers_name_lower", func.lower(text("name"))),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The display name: "First Last", or the company when a record has only a company.
    name: Mapped[str] = mapped_column(String(200))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    company: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))  # E.164, the number to call first
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166 alpha-2
    notes: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[str | None] = mapped_column(String(500))  # comma-separated, lower case
    birthday: Mapped[dt.date | None] = mapped_column(Date)
    do_not_call: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_data_fix: Mapped[bool] = mapped_column(Boolean, default=False)
    preferred_call_time: Mapped[dt.time | None] = mapped_column(Time)
    keep_in_touch_days: Mapped[int | None] = mapped_column(Integer)
    assigned_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"))
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)  # id in the POS/accounting system
    # Figures an import brought from another system, kept until real history replaces them.
    imported_last_purchase: Mapped[dt.date | None] = mapped_column(Date)
    imported_total_spent_cents: Mapped[int | None] = mapped_column(Integer)
    imported_order_count: Mapped[int | None] = mapped_column(Integer)

    assigned_staff: Mapped[StaffMember | None] = relationship()
    other_phones: Mapped[list["CustomerPhone"]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="CustomerPhone.id"
    )
    reward_card: Mapped["RewardCard | None"] = relationship(back_populates="customer", cascade="all, delete-orphan")


class CustomerPhone(Base):
    """Numbers beyond the main one (a vCard's several TEL entries, a mobile and a landline)."""

    __tablename__ = "customer_phones"
    __table_args__ = (UniqueConstraint("customer_id", "number", name="uq_customer_phones_customer_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(32), index=True)
    label: Mapped[str | None] = mapped_column(String(40))

    customer: Mapped[Customer] = relationship(back_populates="other_phones")


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("length(trim(sku)) > 0", name="sku_not_blank"),
        CheckConstraint("unit_price_cents IS NULL OR unit_price_cents >= 0", name="price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(100))
    unit_price_cents: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # How to look after it ("a spray of lubricant on the tracks twice a year"), offered on check-in calls.
    care_tip: Mapped[str | None] = mapped_column(String(300))


class Purchase(Base):
    __tablename__ = "purchases"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
        Index("ix_purchases_customer_date", "customer_id", "purchased_on"),
        Index("ix_purchases_product_date", "product_id", "purchased_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    purchased_on: Mapped[dt.date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[PurchaseKind] = mapped_column(enum_column(PurchaseKind, "purchase_kind"), default=PurchaseKind.SALE)
    # The order/line id in the system it was imported from: re-importing adds nothing twice.
    import_key: Mapped[str | None] = mapped_column(String(200), unique=True)

    customer: Mapped[Customer] = relationship()
    product: Mapped[Product] = relationship()


class Quote(Base):
    __tablename__ = "quotes"
    __table_args__ = (
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
        CheckConstraint("status = 'open' OR decided_on IS NOT NULL", name="decided_has_date"),
        Index("ix_quotes_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"))
    description: Mapped[str | None] = mapped_column(String(300))
    amount_cents: Mapped[int] = mapped_column(Integer)
    sent_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[QuoteStatus] = mapped_column(enum_column(QuoteStatus, "quote_status"), default=QuoteStatus.OPEN)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)

    customer: Mapped[Customer] = relationship()
    staff: Mapped[StaffMember | None] = relationship()


class RewardCard(Base):
    __tablename__ = "reward_cards"
    __table_args__ = (
        CheckConstraint("stamps >= 0", name="stamps_not_negative"),
        CheckConstraint("stamps_needed > 0", name="stamps_needed_positive"),
        CheckConstraint("stamps <= stamps_needed", name="stamps_within_card"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), unique=True)
    stamps: Mapped[int] = mapped_column(Integer, default=0)
    stamps_needed: Mapped[int] = mapped_column(Integer, default=10)
    rewards_redeemed: Mapped[int] = mapped_column(Integer, default=0)
    last_stamp_on: Mapped[dt.date | None] = mapped_column(Date)

    customer: Mapped[Customer] = relationship(back_populates="reward_card")


class Change(TimestampMixin, Base):
    """An announced business change (a price increase, a discontinued product...)."""

    __tablename__ = "changes"
    __table_args__ = (
        CheckConstraint("length(trim(title)) > 0", name="title_not_blank"),
        CheckConstraint("window_start_days >= window_end_days AND window_end_days >= 0", name="window_order"),
        CheckConstraint("capacity_share > 0 AND capacity_share <= 1", name="capacity_share_range"),
        CheckConstraint("samples_count >= 0", name="samples_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ChangeKind] = mapped_column(enum_column(ChangeKind, "change_kind"))
    title: Mapped[str] = mapped_column(String(200))
    talking_points: Mapped[str | None] = mapped_column(Text)
    effective_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[ChangeStatus] = mapped_column(
        enum_column(ChangeStatus, "change_status"), default=ChangeStatus.ACTIVE
    )
    announced_on: Mapped[dt.date] = mapped_column(Date)
    # The plan's parameters, kept with the change so a re-plan uses what the owner chose.
    window_start_days: Mapped[int] = mapped_column(Integer, default=21)
    window_end_days: Mapped[int] = mapped_column(Integer, default=2)
    capacity_share: Mapped[float] = mapped_column(default=0.6)
    samples_count: Mapped[int] = mapped_column(Integer, default=2)
    replacement_product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))

    products: Mapped[list[Product]] = relationship(secondary="change_products", order_by="Product.sku")
    replacement_product: Mapped[Product | None] = relationship(foreign_keys=[replacement_product_id])


class ChangeProduct(Base):
    __tablename__ = "change_products"

    change_id: Mapped[int] = mapped_column(ForeignKey("changes.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"), primary_key=True)


class ChangeCustomer(Base):
    """A customer the owner added to (or left out of) a change by hand."""

    __tablename__ = "change_customers"

    change_id: Mapped[int] = mapped_column(ForeignKey("changes.id", ondelete="CASCADE"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)


class CallTask(TimestampMixin, Base):
    """A planned call or other touch (samples to send, a thank-you note)."""

    __tablename__ = "call_tasks"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("customer_value_cents >= 0", name="customer_value_not_negative"),
        Index("ix_call_tasks_status_due", "status", "due_on"),
        Index("ix_call_tasks_customer_status", "customer_id", "status"),
        Index("ix_call_tasks_change", "change_id"),
        # Only the tasks booked for a time (callbacks), which the reminders look for at every
        # start and every minute: a handful, where the pending tasks are tens of thousands at a
        # big shop. Migration 0012 makes it partial on a server too (postgresql_where), which is
        # not declared here so that a window on SQLite never loads the server's dialect.
        Index("ix_call_tasks_timed", "status", "due_on", sqlite_where=text("due_time IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[TaskKind] = mapped_column(enum_column(TaskKind, "task_kind"), default=TaskKind.CALL)
    reason: Mapped[Reason] = mapped_column(enum_column(Reason, "task_reason"))
    due_on: Mapped[dt.date] = mapped_column(Date)
    due_time: Mapped[dt.time | None] = mapped_column(Time)
    # The last day the task still serves its purpose (a heads-up call must come before the change).
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    # The customer's spend in the 12 months before the task was planned: its weight in the
    # day's priority, kept on the task so the daily list needs no purchase totals.
    customer_value_cents: Mapped[int] = mapped_column(Integer, default=0)
    why: Mapped[str] = mapped_column(String(300), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"))
    change_id: Mapped[int | None] = mapped_column(ForeignKey("changes.id", ondelete="CASCADE"))
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id", ondelete="SET NULL"))
    purchase_id: Mapped[int | None] = mapped_column(ForeignKey("purchases.id", ondelete="SET NULL"))
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus, "task_status"), default=TaskStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    samples_count: Mapped[int | None] = mapped_column(Integer)
    # What made this task, so planning twice never creates it twice ("post_purchase:p123").
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Set when the task's useful window closed before anyone called: recorded and counted, never
    # silently dropped (the task is then skipped).
    expired_on: Mapped[dt.date | None] = mapped_column(Date, index=True)

    customer: Mapped[Customer] = relationship()
    staff: Mapped[StaffMember | None] = relationship()
    change: Mapped[Change | None] = relationship()


class PlannedCall(Base):
    """One line of a caller's list on one day: the stored plan (core.scheduling.planner).

    A call covers every touch of the customer merged into it (planned_call_tasks); `task_id`
    is the one it is logged against. A customer is on at most one list a day.
    """

    __tablename__ = "planned_calls"
    __table_args__ = (
        UniqueConstraint("day", "customer_id", name="uq_planned_calls_day_customer"),
        Index("ix_planned_calls_day_staff", "day", "staff_id"),
        Index("ix_planned_calls_customer", "customer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"))
    task_id: Mapped[int] = mapped_column(ForeignKey("call_tasks.id", ondelete="CASCADE"))
    time: Mapped[dt.time | None] = mapped_column(Time)
    is_call: Mapped[bool] = mapped_column(Boolean)  # notes and samples are listed but are not calls
    beyond_quota: Mapped[bool] = mapped_column(Boolean)  # a timed callback may go over the quota
    fixed: Mapped[bool] = mapped_column(Boolean)  # the day has started: the line stays put
    value: Mapped[float] = mapped_column(Float)
    # The days the call could move between (its window), so a later change can level around it.
    first_day: Mapped[dt.date] = mapped_column(Date)
    last_day: Mapped[dt.date] = mapped_column(Date)
    reasons: Mapped[str] = mapped_column(String(200))  # comma-separated Reason values, lead first
    why: Mapped[str] = mapped_column(String(600))


class PlannedCallTask(Base):
    """A touch covered by a planned call (a task is in at most one)."""

    __tablename__ = "planned_call_tasks"

    task_id: Mapped[int] = mapped_column(ForeignKey("call_tasks.id", ondelete="CASCADE"), primary_key=True)
    planned_call_id: Mapped[int] = mapped_column(ForeignKey("planned_calls.id", ondelete="CASCADE"), index=True)


class PlanWaiting(Base):
    """A wanted touch that did not fit: the "not planned" pool, with the reason it waits."""

    __tablename__ = "plan_waiting"
    __table_args__ = (
        Index("ix_plan_waiting_window_end", "window_end"),
        Index("ix_plan_waiting_customer", "customer_id"),
    )

    task_id: Mapped[int] = mapped_column(ForeignKey("call_tasks.id", ondelete="CASCADE"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer)  # rewritten by every re-plan; the task's link suffices
    window_start: Mapped[dt.date] = mapped_column(Date)
    window_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(200))


class CallLog(Base):
    """What happened when someone called (or touched) a customer."""

    __tablename__ = "call_logs"
    __table_args__ = (
        Index("ix_call_logs_customer_when", "customer_id", "logged_at"),
        # The day's calls for no reason (logs without a task) are found by their moment.
        Index("ix_call_logs_logged_at", "logged_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("call_tasks.id", ondelete="SET NULL"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"))
    logged_at: Mapped[dt.datetime] = mapped_column(DateTime)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, "call_outcome"))
    notes: Mapped[str | None] = mapped_column(Text)
    result_tags: Mapped[str | None] = mapped_column(String(200))  # comma-separated ResultTag values

    customer: Mapped[Customer] = relationship()
    staff: Mapped[StaffMember | None] = relationship()
    task: Mapped[CallTask | None] = relationship()


class Script(TimestampMixin, Base):
    """What to say for one reason, with {merge_fields} filled per customer."""

    __tablename__ = "scripts"
    __table_args__ = (CheckConstraint("length(trim(title)) > 0", name="title_not_blank"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[Reason] = mapped_column(enum_column(Reason, "script_reason"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)


class Setting(Base):
    """One owner setting, its value as JSON. Declared with defaults in core.settings."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReminderShown(Base):
    """A reminder already shown on a desk, so one missed during sleep or a crash is shown once, never
    twice, on each desk. `desk` is the computer's desk id; '' marks a row from before desks were told
    apart, shown on every desk."""

    __tablename__ = "reminders_shown"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    desk: Mapped[str] = mapped_column(String(32), primary_key=True, server_default="")
    shown_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ImportPairDecision(Base):
    """The owner's answer for a possible duplicate an import found (two names sharing a phone).

    A pair is named by the shared phone and the two names as search folds them (name_a < name_b),
    so the same two records in a later import, or a record and the customer it became, are the
    same pair and are not asked about again.
    """

    __tablename__ = "import_pair_decisions"
    __table_args__ = (
        CheckConstraint("decision IN ('merge', 'keep_apart')", name="decision_known"),
        CheckConstraint("name_a < name_b", name="names_in_order"),
        UniqueConstraint("phone", "name_a", "name_b", name="uq_import_pair_decisions_phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(32))  # E.164
    name_a: Mapped[str] = mapped_column(String(200))
    name_b: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(16))  # "merge" or "keep_apart"
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime)


# --- the team's habits: thank-you notes, the weekly review, what's on ---------------------------

class ThankYouNote(Base):
    """A thank-you note a caller wrote: to a customer, a supplier or a colleague."""

    __tablename__ = "thank_you_notes"
    __table_args__ = (
        CheckConstraint("length(trim(recipient)) > 0", name="recipient_not_blank"),
        CheckConstraint("(response IS NULL AND response_on IS NULL) OR (response IS NOT NULL AND response_on IS NOT NULL)",
                        name="response_has_date"),
        CheckConstraint("response_on IS NULL OR response_on >= sent_on", name="response_after_sending"),
        Index("ix_thank_you_notes_staff_sent", "staff_id", "sent_on"),
        Index("ix_thank_you_notes_customer", "customer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id", ondelete="RESTRICT"))
    sent_on: Mapped[dt.date] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(200))  # free text: a supplier or colleague is no customer
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    text: Mapped[str | None] = mapped_column(Text)
    response: Mapped[ThankYouResponse | None] = mapped_column(enum_column(ThankYouResponse, "thank_you_response"))
    response_on: Mapped[dt.date | None] = mapped_column(Date)


class WeekReflection(Base):
    """One caller's line on how a week felt, kept with that week's review."""

    __tablename__ = "week_reflections"
    __table_args__ = (
        CheckConstraint("length(trim(text)) > 0", name="text_not_blank"),
        UniqueConstraint("week_start", "staff_id", name="uq_week_reflections_week_staff"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    week_start: Mapped[dt.date] = mapped_column(Date)  # the Monday
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)


class NewsItem(TimestampMixin, Base):
    """What's on: a dated item every call mentions while it runs, optionally only for some
    reasons (comma-separated Reason values) or customers with some tags."""

    __tablename__ = "news_items"
    __table_args__ = (
        CheckConstraint("length(trim(title)) > 0", name="title_not_blank"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        Index("ix_news_items_dates", "starts_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    reasons: Mapped[str | None] = mapped_column(String(500))
    tags: Mapped[str | None] = mapped_column(String(500))


# --- the change log: every committed write, so open windows hear other writers ------------------

class ChangeLogEntry(Base):
    """One committed action (written in its own transaction by core.storage.database): who wrote and what it
    changed, in the order the writes were committed. Kept short: old rows are pruned."""

    __tablename__ = "change_log"
    __table_args__ = (
        CheckConstraint("length(kinds) > 0", name="kinds_not_blank"),
        # Never reuse a number after pruning: a window remembers the last one it read.
        {"sqlite_autoincrement": True},
    )

    sequence: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    written_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    desk: Mapped[str] = mapped_column(String(100))  # the computer's name
    process: Mapped[int] = mapped_column(Integer)  # its process id there
    writer: Mapped[str] = mapped_column(String(32))  # one opened database in that process (a window, a command)
    activity: Mapped[str] = mapped_column(String(200))  # "an import from the command line"
    kinds: Mapped[str] = mapped_column(String(200))  # "customers,tasks", or "everything"
    customer_ids: Mapped[str | None] = mapped_column(String(400))  # "12,40" when few and known, else NULL
