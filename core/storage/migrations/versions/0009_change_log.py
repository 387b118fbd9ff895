"""The change log: one row per committed action (who wrote, what kinds of data, which customers),
so an open window hears what a command or another desk wrote.

One new table; nothing existing changes, so older data needs no conversion.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("sequence", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("written_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("desk", sa.String(length=100), nullable=False),
        sa.Column("process", sa.Integer(), nullable=False),
        sa.Column("writer", sa.String(length=32), nullable=False),
        sa.Column("activity", sa.String(length=200), nullable=False),
        sa.Column("kinds", sa.String(length=200), nullable=False),
        sa.Column("customer_ids", sa.String(length=400), nullable=True),
        sa.CheckConstraint("length(kinds) > 0", name=op.f("ck_change_log_kinds_not_blank")),
        sa.PrimaryKeyConstraint("sequence", name=op.f("pk_change_log")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("change_log")
