"""Search folds ß, ligatures and letters like ø and ł; the owner's duplicate decisions are kept.

1. The customer search index is rebuilt on folded text. unicode61 lowers case and strips accents
   but keeps "ß", "ø", "ł", "æ" and ligatures ("ﬁ") as they are, so "weiss" never found "Weiß".
   The triggers now fold name, company, e-mail and tags with the same table the typed query goes
   through (core.customers.search.SEARCH_FOLDS; a test holds the two together). The table is
   copied here on purpose: a migration must build what it built the day it shipped.
2. `import_pair_decisions` remembers the owner's answer for a possible duplicate found by an
   import (two different names sharing a phone): merge them, or keep them apart, so a later
   import of the same file does not ask again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_FOLDS = (
    ("ß", "ss"), ("ẞ", "ss"), ("ø", "o"), ("Ø", "o"), ("ł", "l"), ("Ł", "l"), ("æ", "ae"), ("Æ", "ae"),
    ("œ", "oe"), ("Œ", "oe"), ("đ", "d"), ("Đ", "d"), ("ð", "d"), ("Ð", "d"), ("þ", "th"), ("Þ", "th"),
    ("ı", "i"), ("ħ", "h"), ("Ħ", "h"), ("ĳ", "ij"), ("Ĳ", "ij"), ("ŀ", "l"), ("Ŀ", "l"),
    ("ﬀ", "ff"), ("ﬁ", "fi"), ("ﬂ", "fl"), ("ﬃ", "ffi"), ("ﬄ", "ffl"), ("ﬅ", "st"), ("ﬆ", "st"),
)
_DIGITS = (
    "replace(replace(replace(replace(replace(replace(coalesce({row}.phone, ''),"
    " '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '')"
)
COLUMNS = "rowid, name, company, email, tags, phone_digits"
_TRIGGERS = ("after_insert", "after_delete", "after_update")


_TEXT_COLUMNS = ("name", "company", "email", "tags")
SOURCE_VIEW = "customer_search_source"
# SQLite's parser allows about 30 nested calls in one expression, so the folds are applied in
# steps of this many, each step a subquery over the one before (SQLite flattens them again).
_FOLDS_PER_STEP = 10


def _folded(expression: str, folds) -> str:
    for letter, plain in folds:
        expression = f"replace({expression}, '{letter}', '{plain}')"
    return expression


def _source_view_sql(folds) -> str:
    """The view every index row is read from: the customer's text, folded, and its phone's digits."""
    digits = _DIGITS.format(row="c")
    query = (
        "SELECT c.id AS id, c.name AS name, coalesce(c.company, '') AS company, coalesce(c.email, '') AS email,"
        " coalesce(replace(c.tags, ',', ' '), '') AS tags,"
        f" {digits} || ' ' || substr({digits}, -10) || ' ' || substr({digits}, -7) || ' ' || substr({digits}, -4)"
        " AS phone_digits FROM customers AS c"
    )
    for start in range(0, len(folds), _FOLDS_PER_STEP):
        step = folds[start:start + _FOLDS_PER_STEP]
        folded = ", ".join(f"{_folded(column, step)} AS {column}" for column in _TEXT_COLUMNS)
        query = f"SELECT id, {folded}, phone_digits FROM ({query})"
    return f"CREATE VIEW {SOURCE_VIEW} AS {query}"


def _build_index() -> None:
    for trigger in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS customer_search_{trigger}")
    op.execute(_source_view_sql(_FOLDS))
    op.execute("DELETE FROM customer_search")
    select_all = f"SELECT id, name, company, email, tags, phone_digits FROM {SOURCE_VIEW}"
    op.execute(f"INSERT INTO customer_search ({COLUMNS}) {select_all}")
    op.execute(
        "CREATE TRIGGER customer_search_after_insert AFTER INSERT ON customers BEGIN "
        f"INSERT INTO customer_search ({COLUMNS}) {select_all} WHERE id = new.id; END"
    )
    op.execute(
        "CREATE TRIGGER customer_search_after_delete AFTER DELETE ON customers BEGIN "
        "DELETE FROM customer_search WHERE rowid = old.id; END"
    )
    op.execute(
        "CREATE TRIGGER customer_search_after_update AFTER UPDATE OF name, company, email, tags, phone"
        " ON customers BEGIN "
        "DELETE FROM customer_search WHERE rowid = old.id; "
        f"INSERT INTO customer_search ({COLUMNS}) {select_all} WHERE id = new.id; END"
    )


def _restore_0002_index() -> None:
    """Revision 0002's unfolded triggers, written as it wrote them."""
    for trigger in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS customer_search_{trigger}")
    op.execute(f"DROP VIEW IF EXISTS {SOURCE_VIEW}")

    def values(row: str) -> str:
        digits = _DIGITS.format(row=row)
        return (f"{row}.id, {row}.name, coalesce({row}.company, ''), coalesce({row}.email, ''),"
                f" coalesce(replace({row}.tags, ',', ' '), ''), {digits} || ' ' || substr({digits}, -10)"
                f" || ' ' || substr({digits}, -7) || ' ' || substr({digits}, -4)")

    op.execute("DELETE FROM customer_search")
    op.execute(f"INSERT INTO customer_search ({COLUMNS}) SELECT {values('customers')} FROM customers")
    op.execute("CREATE TRIGGER customer_search_after_insert AFTER INSERT ON customers BEGIN "
               f"INSERT INTO customer_search ({COLUMNS}) VALUES ({values('new')}); END")
    op.execute("CREATE TRIGGER customer_search_after_delete AFTER DELETE ON customers BEGIN "
               "DELETE FROM customer_search WHERE rowid = old.id; END")
    op.execute("CREATE TRIGGER customer_search_after_update AFTER UPDATE OF name, company, email, tags, phone"
               " ON customers BEGIN DELETE FROM customer_search WHERE rowid = old.id; "
               f"INSERT INTO customer_search ({COLUMNS}) VALUES ({values('new')}); END")


def upgrade() -> None:
    op.create_table(
        "import_pair_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("name_a", sa.String(length=200), nullable=False),
        sa.Column("name_b", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("decision IN ('merge', 'keep_apart')", name=op.f("ck_import_pair_decisions_decision_known")),
        sa.CheckConstraint("name_a < name_b", name=op.f("ck_import_pair_decisions_names_in_order")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_pair_decisions")),
        sa.UniqueConstraint("phone", "name_a", "name_b", name=op.f("uq_import_pair_decisions_phone")),
    )
    if op.get_bind().dialect.name == "sqlite":
        _build_index()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _restore_0002_index()
    op.drop_table("import_pair_decisions")
