"""The stored plan: each day's calls per caller, the touches that did not fit, expiries.

The planner levels every wanted touch into the callers' quotas and stores the result, so
the calendar, the day's list, the printed sheet and `plan --json` all read one answer that
stays put once a day has started. A customer is on at most one list a day (a unique
(day, customer) pair). A touch whose useful window closed without a call is recorded as
expired, not silently dropped.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planned_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("time", sa.Time(), nullable=True),
        sa.Column("is_call", sa.Boolean(), nullable=False),
        sa.Column("beyond_quota", sa.Boolean(), nullable=False),
        sa.Column("fixed", sa.Boolean(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reasons", sa.String(length=200), nullable=False),
        sa.Column("why", sa.String(length=600), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_planned_calls_customer_id_customers"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_members.id"],
                                name=op.f("fk_planned_calls_staff_id_staff_members"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["task_id"], ["call_tasks.id"],
                                name=op.f("fk_planned_calls_task_id_call_tasks"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planned_calls")),
        sa.UniqueConstraint("day", "customer_id", name="uq_planned_calls_day_customer"),
    )
    op.create_index("ix_planned_calls_day_staff", "planned_calls", ["day", "staff_id"])
    op.create_index("ix_planned_calls_customer", "planned_calls", ["customer_id"])
    op.create_table(
        "planned_call_tasks",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("planned_call_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["call_tasks.id"],
                                name=op.f("fk_planned_call_tasks_task_id_call_tasks"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["planned_call_id"], ["planned_calls.id"],
                                name=op.f("fk_planned_call_tasks_planned_call_id_planned_calls"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("task_id", name=op.f("pk_planned_call_tasks")),
    )
    op.create_index("ix_planned_call_tasks_planned_call_id", "planned_call_tasks", ["planned_call_id"])
    op.create_table(
        "plan_waiting",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["call_tasks.id"],
                                name=op.f("fk_plan_waiting_task_id_call_tasks"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("task_id", name=op.f("pk_plan_waiting")),
    )
    op.create_index("ix_plan_waiting_window_end", "plan_waiting", ["window_end"])
    op.create_index("ix_plan_waiting_customer", "plan_waiting", ["customer_id"])
    with op.batch_alter_table("call_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expired_on", sa.Date(), nullable=True))
    op.create_index("ix_call_tasks_expired_on", "call_tasks", ["expired_on"])
    # The day's calls made (quota used today, the calendar's past days) are read by time.
    op.create_index("ix_call_logs_logged_at", "call_logs", ["logged_at"])


def downgrade() -> None:
    op.drop_index("ix_call_logs_logged_at", table_name="call_logs")
    op.drop_index("ix_call_tasks_expired_on", table_name="call_tasks")
    with op.batch_alter_table("call_tasks", schema=None) as batch_op:
        batch_op.drop_column("expired_on")
    op.drop_index("ix_plan_waiting_customer", table_name="plan_waiting")
    op.drop_index("ix_plan_waiting_window_end", table_name="plan_waiting")
    op.drop_table("plan_waiting")
    op.drop_index("ix_planned_call_tasks_planned_call_id", table_name="planned_call_tasks")
    op.drop_table("planned_call_tasks")
    op.drop_index("ix_planned_calls_customer", table_name="planned_calls")
    op.drop_index("ix_planned_calls_day_staff", table_name="planned_calls")
    op.drop_table("planned_calls")
