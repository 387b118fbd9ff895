"""The team's habits: thank-you notes sent, each caller's line on how a week felt, and the
dated news items ("what's on") every call mentions while they run.

Three new tables; nothing existing changes, so older data needs no conversion.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "thank_you_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("response", sa.Enum("called_back", "ordered_more", "asked_for_quote", "replied",
                                      name="thank_you_response", native_enum=False, create_constraint=True,
                                      length=32), nullable=True),
        sa.Column("response_on", sa.Date(), nullable=True),
        sa.CheckConstraint("length(trim(recipient)) > 0", name=op.f("ck_thank_you_notes_recipient_not_blank")),
        sa.CheckConstraint("(response IS NULL AND response_on IS NULL) OR (response IS NOT NULL AND response_on IS NOT NULL)",
                           name=op.f("ck_thank_you_notes_response_has_date")),
        sa.CheckConstraint("response_on IS NULL OR response_on >= sent_on",
                           name=op.f("ck_thank_you_notes_response_after_sending")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="SET NULL",
                                name=op.f("fk_thank_you_notes_customer_id_customers")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_members.id"], ondelete="RESTRICT",
                                name=op.f("fk_thank_you_notes_staff_id_staff_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thank_you_notes")),
    )
    with op.batch_alter_table("thank_you_notes", schema=None) as batch_op:
        batch_op.create_index("ix_thank_you_notes_staff_sent", ["staff_id", "sent_on"], unique=False)
        batch_op.create_index("ix_thank_you_notes_customer", ["customer_id"], unique=False)

    op.create_table(
        "week_reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint("length(trim(text)) > 0", name=op.f("ck_week_reflections_text_not_blank")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_members.id"], ondelete="CASCADE",
                                name=op.f("fk_week_reflections_staff_id_staff_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_week_reflections")),
        sa.UniqueConstraint("week_start", "staff_id", name="uq_week_reflections_week_staff"),
    )

    op.create_table(
        "news_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reasons", sa.String(length=500), nullable=True),
        sa.Column("tags", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.CheckConstraint("length(trim(title)) > 0", name=op.f("ck_news_items_title_not_blank")),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_news_items_ends_after_start")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_news_items")),
    )
    with op.batch_alter_table("news_items", schema=None) as batch_op:
        batch_op.create_index("ix_news_items_dates", ["starts_on", "ends_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("news_items", schema=None) as batch_op:
        batch_op.drop_index("ix_news_items_dates")
    op.drop_table("news_items")
    op.drop_table("week_reflections")
    with op.batch_alter_table("thank_you_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_thank_you_notes_customer")
        batch_op.drop_index("ix_thank_you_notes_staff_sent")
    op.drop_table("thank_you_notes")
