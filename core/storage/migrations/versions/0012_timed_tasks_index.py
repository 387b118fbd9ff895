"""An index on the tasks booked for a time (callbacks), the reminders' question.

At every start and every minute the reminders ask which callbacks fall due: pending tasks with a
time, today and the days around it. Without this index the answer walked every pending task in
those days (tens of thousands at 100,000 customers, 30 ms of each start); the tasks with a time
are a handful. Partial on both engines: only rows with a time are in it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_call_tasks_timed", "call_tasks", ["status", "due_on"],
                    sqlite_where=sa.text("due_time IS NOT NULL"), postgresql_where=sa.text("due_time IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_call_tasks_timed", table_name="call_tasks")
