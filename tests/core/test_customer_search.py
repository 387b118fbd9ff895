"""What the owner types in the search box finds customers, and never breaks the search."""

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from core.customer_search import fts5_match_expression, parse_search_text

PHONE_TOKENS = "15035551234 5035551234 5551234 1234"


def _index():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE customer_search USING fts5("
                       "name, company, email, tags, phone_digits, tokenize = 'unicode61 remove_diacritics 2')")
    connection.execute("INSERT INTO customer_search VALUES ('Jürgen Müller', 'Pine Street Builders',"
                       " 'j.muller@example.com', 'commercial contractor', ?)", (PHONE_TOKENS,))
    return connection


INDEX = _index()


def _finds(text: str) -> bool:
    expression = fts5_match_expression(text)
    assert expression is not None
    return bool(INDEX.execute("SELECT rowid FROM customer_search WHERE customer_search MATCH ?",
                              (expression,)).fetchall())


def test_accents_are_folded_both_ways():
    assert _finds("muller") and _finds("Müller") and _finds("jurg")


def test_phone_numbers_are_found_the_way_people_say_them():
    for typed in ("503 555", "555-1234", "(503) 555-1234", "+1 503 555 1234", "1234"):
        assert _finds(typed), typed
    assert not _finds("503 777")


def test_every_word_must_match_as_a_prefix():
    assert _finds("pine build")
    assert _finds("contr mull")
    assert not _finds("pine harbor")


def test_fts_syntax_is_searched_for_not_obeyed():
    # OR and AND are words the record must contain, not operators; quotes, stars and colons vanish.
    assert not _finds('muller OR "harbor"')
    assert not _finds("muller AND")
    assert _finds('müller* "pine" (jurgen:')


def test_blank_text_is_no_search():
    assert fts5_match_expression("   ") is None
    assert fts5_match_expression("---") is None
    assert not parse_search_text(None)


@settings(max_examples=400)
@given(st.text(max_size=40))
def test_no_typed_text_can_make_the_search_fail(text):
    expression = fts5_match_expression(text)
    if expression is not None:
        INDEX.execute("SELECT rowid FROM customer_search WHERE customer_search MATCH ?", (expression,)).fetchall()


@given(st.from_regex(r"[0-9]{3}[ .\-]?[0-9]{3}[ .\-]?[0-9]{4}", fullmatch=True))
def test_a_phone_like_text_becomes_one_digit_run(text):
    terms = parse_search_text(text)
    assert terms.words == () and terms.phone_digits == ("".join(ch for ch in text if ch.isdigit()),)
