"""Customer search: an FTS5 index over name, company, e-mail, tags and phone digits.

SQLite-only (FTS5). On other databases this revision does nothing and search falls back
to plain LIKE queries. Diacritics are folded so "muller" finds "Müller". Phone digits are
indexed whole and by their last 10, 7 and 4 digits, because owners type the number the
way they say it ("503 555", "555-1234"), not with its country code.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_DIGITS = (
    "replace(replace(replace(replace(replace(replace(coalesce({row}.phone, ''),"
    " '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '')"
)


def _phone_tokens(row: str) -> str:
    digits = _DIGITS.format(row=row)
    return (
        f"{digits} || ' ' || substr({digits}, -10) || ' ' || substr({digits}, -7)"
        f" || ' ' || substr({digits}, -4)"
    )


def _insert_values(row: str) -> str:
    return (
        f"{row}.id, {row}.name, coalesce({row}.company, ''), coalesce({row}.email, ''),"
        f" coalesce(replace({row}.tags, ',', ' '), ''), {_phone_tokens(row)}"
    )


COLUMNS = "rowid, name, company, email, tags, phone_digits"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE customer_search USING fts5("
        "name, company, email, tags, phone_digits, tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute(f"INSERT INTO customer_search ({COLUMNS}) SELECT {_insert_values('customers')} FROM customers")
    op.execute(
        "CREATE TRIGGER customer_search_after_insert AFTER INSERT ON customers BEGIN "
        f"INSERT INTO customer_search ({COLUMNS}) VALUES ({_insert_values('new')}); END"
    )
    op.execute(
        "CREATE TRIGGER customer_search_after_delete AFTER DELETE ON customers BEGIN "
        "DELETE FROM customer_search WHERE rowid = old.id; END"
    )
    op.execute(
        "CREATE TRIGGER customer_search_after_update AFTER UPDATE OF name, company, email, tags, phone"
        " ON customers BEGIN "
        "DELETE FROM customer_search WHERE rowid = old.id; "
        f"INSERT INTO customer_search ({COLUMNS}) VALUES ({_insert_values('new')}); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("after_insert", "after_delete", "after_update"):
        op.execute(f"DROP TRIGGER IF EXISTS customer_search_{trigger}")
    op.execute("DROP TABLE IF EXISTS customer_search")
