"""Products may carry a care tip that check-in calls offer; call logs are found by their moment.

"A spray of lubricant on the tracks twice a year": the installer who showed where to spray
is the model for the check-in call, so a product can say how to look after it. The column
is optional and added in place (no table rebuild: purchases point at products).

A call for no reason is a call log without a task, and the day's progress counts them: an
index on the moment of each log finds a day's logs without reading the whole history.

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("products", sa.Column("care_tip", sa.String(length=300), nullable=True))
    op.create_index("ix_call_logs_logged_at", "call_logs", ["logged_at"])


def downgrade() -> None:
    op.drop_index("ix_call_logs_logged_at", table_name="call_logs")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_column("care_tip")
