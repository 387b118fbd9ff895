"""An index on the customers' lower-case name, the customer list's order.

The list opens sorted by name (case ignored). Without an index on that key, showing its first
page sorted all customers: 0.4 s of every launch at 100,000 customers. With it, the first page
is read straight from the index.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_customers_name_lower", "customers", [sa.text("lower(name)")])


def downgrade() -> None:
    op.drop_index("ix_customers_name_lower", table_name="customers")
