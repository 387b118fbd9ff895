"""Products may carry a care tip that check-in calls offer.

"A spray of lubricant on the tracks twice a year": the installer who showed where to spray
is the model for the check-in call, so a product can say how to look after it. The column
is optional and added in place (no table rebuild: purchases point at products).

(The index on each call log's moment, which the day's count of calls for no reason uses, comes
with 0005's stored plan.)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("products", sa.Column("care_tip", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_column("care_tip")
