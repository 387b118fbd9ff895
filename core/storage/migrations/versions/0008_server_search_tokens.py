"""Search on a PostgreSQL server folds and matches as SQLite's FTS5 index does (PostgreSQL only).

SQLite keeps the FTS5 index `customer_search` (unicode61, diacritics removed, migration 0004's
folds). A server gets `customer_search_tokens`: one row per word of a customer's name, company,
e-mail and tags, and per digit run of their phone (whole, and its last 10, 7 and 4 digits),
folded by `callahead_search_fold` exactly as the index folds: 0004's table of letters people
type differently (ß → ss, ø → o, ﬁ → fi), the accents of Latin letters removed (NFD, their
combining marks dropped), lower case. A trigger keeps the tokens in step with `customers`; the typed words go through the same
function (core.customers.search), and a word matches a token it begins (text_pattern_ops index).
Letters and lower case follow ICU's Unicode rules where the server has ICU, so the server's own
locale (often plain "C") cannot change what is found. On SQLite this revision changes nothing.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Migration 0004's folds, copied on purpose: a migration builds what it built the day it shipped.
_FOLDS = (
    ("ß", "ss"), ("ẞ", "ss"), ("ø", "o"), ("Ø", "o"), ("ł", "l"), ("Ł", "l"), ("æ", "ae"), ("Æ", "ae"),
    ("œ", "oe"), ("Œ", "oe"), ("đ", "d"), ("Đ", "d"), ("ð", "d"), ("Ð", "d"), ("þ", "th"), ("Þ", "th"),
    ("ı", "i"), ("ħ", "h"), ("Ħ", "h"), ("ĳ", "ij"), ("Ĳ", "ij"), ("ŀ", "l"), ("Ŀ", "l"),
    ("ﬀ", "ff"), ("ﬁ", "fi"), ("ﬂ", "fl"), ("ﬃ", "ffi"), ("ﬄ", "ffl"), ("ﬅ", "st"), ("ﬆ", "st"),
)
_COMBINING_MARKS = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
# The characters migration 0002 removes from a phone number before indexing its digits.
_PHONE_DIGITS = ("replace(replace(replace(replace(replace(replace(coalesce({phone}, ''),"
                 " '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '')")


def _fold_function(collation: str) -> str:
    folded = "value"
    for letter, plain in _FOLDS:
        folded = f"replace({folded}, '{letter}', '{plain}')"
    # unicode61 removes the accents of Latin letters only ("Είδη" keeps its tonos): so does this.
    stripped = f"normalize(regexp_replace(normalize({folded}, NFD), '([A-Za-z]){_COMBINING_MARKS}+', '\\1', 'g'), NFC)"
    return (f"CREATE FUNCTION callahead_search_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT "
            f"PARALLEL SAFE AS $$ SELECT lower({stripped}{collation}) $$")


def _refresh_function(collation: str) -> str:
    digits = _PHONE_DIGITS.format(phone="NEW.phone")
    words = ("callahead_search_fold(concat_ws(' ', NEW.name, NEW.company, NEW.email, replace(NEW.tags, ',', ' ')))")
    phone = f"callahead_search_fold(concat_ws(' ', {digits}, right({digits}, 10), right({digits}, 7), right({digits}, 4)))"
    split = "regexp_split_to_table(({text}){collation}, '[^[:alnum:]]+')"
    return f"""CREATE FUNCTION callahead_search_tokens_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM customer_search_tokens WHERE customer_id = NEW.id;
    INSERT INTO customer_search_tokens (customer_id, token, phone)
    SELECT DISTINCT NEW.id, token, phone FROM (
        SELECT {split.format(text=words, collation=collation)} AS token, false AS phone
        UNION ALL
        SELECT {split.format(text=phone, collation=collation)} AS token, true AS phone
    ) AS tokens WHERE token <> '';
    RETURN NULL;
END $$"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    has_icu = bind.exec_driver_sql("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'").scalar() is not None
    collation = ' COLLATE "und-x-icu"' if has_icu else ""
    run = bind.exec_driver_sql  # as written: ":alnum:" is no bind parameter
    run("CREATE TABLE customer_search_tokens ("
               " customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE,"
               " token text NOT NULL, phone boolean NOT NULL)")
    run("CREATE INDEX ix_customer_search_tokens_token ON customer_search_tokens (token text_pattern_ops, customer_id)")
    run("CREATE INDEX ix_customer_search_tokens_customer ON customer_search_tokens (customer_id)")
    run(_fold_function(collation))
    run(_refresh_function(collation))
    run("CREATE TRIGGER customer_search_tokens_refresh AFTER INSERT OR UPDATE OF name, company, email, tags, phone"
               " ON customers FOR EACH ROW EXECUTE FUNCTION callahead_search_tokens_refresh()")
    # The customers already there: the trigger indexes each one as it is touched.
    run("UPDATE customers SET name = name")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER customer_search_tokens_refresh ON customers")
    op.execute("DROP FUNCTION callahead_search_tokens_refresh()")
    op.execute("DROP FUNCTION callahead_search_fold(text)")
    op.execute("DROP TABLE customer_search_tokens")
