"""Tasks keep the customer's yearly value instead of an unused fixed priority.

The daily list weighs each call by the customer's spend in the last 12 months. Summing
purchases for thousands of due tasks every time the list is shown was the slow part, so
the figure is recorded when the task is planned. Existing tasks get it from their
customer's purchases in the year before the task was created.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("call_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_value_cents", sa.Integer(), nullable=False, server_default="0"))
    op.execute(
        "UPDATE call_tasks SET customer_value_cents = coalesce((SELECT sum(p.amount_cents) FROM purchases p"
        " WHERE p.customer_id = call_tasks.customer_id AND p.purchased_on <= call_tasks.due_on"
        " AND p.purchased_on > call_tasks.due_on - 365), 0)"
        if op.get_bind().dialect.name != "sqlite" else
        "UPDATE call_tasks SET customer_value_cents = coalesce((SELECT sum(p.amount_cents) FROM purchases p"
        " WHERE p.customer_id = call_tasks.customer_id AND p.purchased_on <= call_tasks.due_on"
        " AND p.purchased_on > date(call_tasks.due_on, '-365 days')), 0)"
    )
    with op.batch_alter_table("call_tasks", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_call_tasks_priority_not_negative"), type_="check")
        batch_op.drop_column("priority")
        batch_op.alter_column("customer_value_cents", server_default=None)
        batch_op.create_check_constraint("customer_value_not_negative", "customer_value_cents >= 0")


def downgrade() -> None:
    with op.batch_alter_table("call_tasks", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_call_tasks_customer_value_not_negative"), type_="check")
        batch_op.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="50"))
        batch_op.drop_column("customer_value_cents")
        batch_op.create_check_constraint("priority_not_negative", "priority >= 0")
