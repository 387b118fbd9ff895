"""Reminders are shown per desk: `reminders_shown` records which desk showed each one.

Several desks share one database; a reminder one desk showed is still due on another. The new
`desk` column holds the desk id each computer keeps (core.machine.settings) and joins the key
in the primary key. Rows from before hold '' — shown before desks were told apart — which
every desk counts as shown, so an upgrade repeats no reminder.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reminders_shown", recreate="always") as batch:
        batch.add_column(sa.Column("desk", sa.String(length=32), server_default="", nullable=False))
        batch.drop_constraint("pk_reminders_shown", type_="primary")
        batch.create_primary_key("pk_reminders_shown", ["key", "desk"])


def downgrade() -> None:
    # One row per reminder again: the earliest showing on any desk stands for all of them.
    op.execute("DELETE FROM reminders_shown WHERE EXISTS (SELECT 1 FROM reminders_shown AS earlier "
               "WHERE earlier.key = reminders_shown.key AND (earlier.shown_at < reminders_shown.shown_at "
               "OR (earlier.shown_at = reminders_shown.shown_at AND earlier.desk < reminders_shown.desk)))")
    with op.batch_alter_table("reminders_shown", recreate="always") as batch:
        batch.drop_constraint("pk_reminders_shown", type_="primary")
        batch.drop_column("desk")
        batch.create_primary_key("pk_reminders_shown", ["key"])
