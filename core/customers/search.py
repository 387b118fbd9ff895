"""Turning what the owner types in the search box into a safe search, for FTS5 or for LIKE.

The owner types free text: names ("muller"), part of a company, an e-mail, a tag, or a phone
number the way they say it ("503 555", "555-1234", "(503) 555-12"). Nothing they type may
reach FTS5 as syntax: every term is reduced to the letters and digits the index tokenizer
(unicode61) would itself keep, then quoted and prefix-matched, so `AND`, `"`, `*`, `:` or `-`
are only ever searched for, never obeyed. Phone-like input is collapsed to its digits,
because the index stores phone numbers as digit runs (whole, and their last 10, 7 and 4).

Folding: the tokenizer lowers case and strips accents ("Müller" → "muller"), but letters that
are not an accent on a base letter it keeps as they are: "Weiß" stays "weiß", "ﬁnance" keeps its
ligature, "Søren" its "ø". People without those keys type "weiss", "finance", "soren", so both
what is indexed (migration 0004's triggers) and what is typed (here) go through SEARCH_FOLDS
first; a test holds the installed triggers to this table.

On a PostgreSQL server the index is migration 0008's `customer_search_tokens`, folded by the
server's `callahead_search_fold`; `server_search_condition` folds the typed words with that same
function and matches them as word prefixes, so both backends find the same customers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, column, func, select, table
from sqlalchemy.orm import Session

# Letters the unicode61 tokenizer does not fold by itself, as people without those keys type them.
# Both cases are listed: SQLite's replace() is case-sensitive.
SEARCH_FOLDS: tuple[tuple[str, str], ...] = (
    ("ß", "ss"), ("ẞ", "ss"), ("ø", "o"), ("Ø", "o"), ("ł", "l"), ("Ł", "l"), ("æ", "ae"), ("Æ", "ae"),
    ("œ", "oe"), ("Œ", "oe"), ("đ", "d"), ("Đ", "d"), ("ð", "d"), ("Ð", "d"), ("þ", "th"), ("Þ", "th"),
    ("ı", "i"), ("ħ", "h"), ("Ħ", "h"), ("ĳ", "ij"), ("Ĳ", "ij"), ("ŀ", "l"), ("Ŀ", "l"),
    ("ﬀ", "ff"), ("ﬁ", "fi"), ("ﬂ", "fl"), ("ﬃ", "ffi"), ("ﬄ", "ffl"), ("ﬅ", "st"), ("ﬆ", "st"),
)
_FOLD_TABLE = str.maketrans(dict(SEARCH_FOLDS))


def fold_for_search(text: str) -> str:
    """Text as the search index holds it before tokenizing: SEARCH_FOLDS applied."""
    return text.translate(_FOLD_TABLE)


def fold_sql(expression: str) -> str:
    """The same folding as SQL over an expression (nested replace(), portable to any database)."""
    for letter, plain in SEARCH_FOLDS:
        expression = f"replace({expression}, '{letter}', '{plain}')"
    return expression


# Characters people put inside a phone number besides digits.
_PHONE_PUNCTUATION = set(" +-()./\u00a0")
_ASCII_DIGITS = set("0123456789")
_MIN_PHONE_DIGITS = 3
# Letters and digits in any script, as the unicode61 tokenizer splits them (underscore is a separator).
_TOKEN = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class SearchTerms:
    """The owner's text, cleaned: word prefixes, and phone digit prefixes."""

    words: tuple[str, ...] = ()
    phone_digits: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.phone_digits)


def _is_phone_like(text: str) -> bool:
    digits = sum(ch in _ASCII_DIGITS for ch in text)
    return digits >= _MIN_PHONE_DIGITS and all(ch in _ASCII_DIGITS or ch in _PHONE_PUNCTUATION for ch in text)


def _ascii_digits(text: str) -> str:
    return "".join(ch for ch in text if ch in _ASCII_DIGITS)


def parse_search_text(text: str | None) -> SearchTerms:
    """Split typed text into the terms a customer must all match (empty text → no terms)."""
    text = (text or "").strip()
    if not text:
        return SearchTerms()
    if _is_phone_like(text):
        # "503 555" and "(503) 555-1234" are one number, not two words.
        return SearchTerms(phone_digits=(_ascii_digits(text),))
    text = fold_for_search(text)
    words: list[str] = []
    phones: list[str] = []
    for chunk in text.split():
        if _is_phone_like(chunk):
            phones.append(_ascii_digits(chunk))
            continue
        for token in _TOKEN.findall(chunk):
            # lower(), not casefold(): the tokenizer lowers the index the same way.
            if token.lower() not in words:
                words.append(token.lower())
    return SearchTerms(words=tuple(words), phone_digits=tuple(dict.fromkeys(phones)))


def _quoted_prefix(token: str) -> str:
    return '"' + token.replace('"', '""') + '"*'


def fts5_match_expression(text: str | None) -> str | None:
    """An FTS5 MATCH expression for the typed text, or None when there is nothing to search for.

    Every term is a quoted prefix, all terms must match (FTS5's implicit AND). Phone digits
    are matched as prefixes of the `phone_digits` column's tokens only.
    """
    terms = parse_search_text(text)
    if not terms:
        return None
    parts = [_quoted_prefix(word) for word in terms.words]
    parts += [f"phone_digits : {_quoted_prefix(digits)}" for digits in terms.phone_digits]
    return " ".join(parts)


def like_pattern(token: str) -> str:
    """A LIKE pattern finding `token` anywhere, with LIKE's wildcards escaped by backslash."""
    escaped = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def has_digits(text: str) -> bool:
    return bool(_DIGITS.search(text))


def _prefix_pattern(token: str) -> str:
    """A LIKE pattern finding words that begin with `token`, LIKE's wildcards escaped by backslash."""
    return like_pattern(token)[1:]


_SERVER_TOKENS = table("customer_search_tokens", column("customer_id"), column("token"), column("phone"))


def server_search_condition(session: Session, text: str | None, customer_id: ColumnElement) -> ColumnElement | None:
    """On PostgreSQL: the customers (by `customer_id`) having a word that begins with each typed word,
    and a phone digit run that begins with each typed number — FTS5's matching, on migration 0008's tokens."""
    terms = parse_search_text(text)
    if not terms:
        return None
    folded = session.execute(select(*(func.callahead_search_fold(word) for word in terms.words))).one() \
        if terms.words else ()
    tokens = _SERVER_TOKENS.c
    conditions = [customer_id.in_(select(tokens.customer_id).where(tokens.token.like(_prefix_pattern(word), escape="\\")))
                  for word in folded if word]
    conditions += [customer_id.in_(select(tokens.customer_id).where(
        tokens.phone.is_(True), tokens.token.like(_prefix_pattern(digits), escape="\\"))) for digits in terms.phone_digits]
    return and_(*conditions)


# One word's matches, folded by the server in the same statement: an IMMUTABLE function of a
# parameter is computed before planning, so the prefix still walks the token index (text_pattern_ops).
_SERVER_WORD = ("SELECT customer_id FROM customer_search_tokens"
                " WHERE token LIKE callahead_search_fold(%s) || '%%'")
_SERVER_DIGITS = "SELECT customer_id FROM customer_search_tokens WHERE phone AND token LIKE %s || '%%'"


def server_token_query(text: str | None) -> tuple[str, tuple[str, ...]] | None:
    """On PostgreSQL: the raw statement (psycopg's %s parameters) giving the ids of the customers
    matching the typed text, unordered — the server's counterpart of FTS5's MATCH on `customer_search`
    (same matches as `server_search_condition`); None when there is nothing to search for.

    Typed words keep only letters and digits (parse_search_text), so no LIKE wildcard can reach it."""
    terms = parse_search_text(text)
    if not terms:
        return None
    parts = [_SERVER_WORD] * len(terms.words) + [_SERVER_DIGITS] * len(terms.phone_digits)
    if len(parts) == 1:
        statement = parts[0].replace("SELECT customer_id", "SELECT DISTINCT customer_id", 1)
    else:
        statement = " INTERSECT ".join(parts)
    return statement, (*terms.words, *terms.phone_digits)
