"""What the owner types in the search box finds customers, and never breaks the search."""

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from core.customers.search import fts5_match_expression, parse_search_text

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


# --- folding, through the real database: what is typed and what is indexed fold the same way ---------

import datetime as dt  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from core.customers.queries import CustomerQuery, NameOrder, find_customer_ids  # noqa: E402
from core.customers.search import SEARCH_FOLDS, fold_for_search  # noqa: E402
from core.storage.models import Customer  # noqa: E402

FOLDED_NAMES = {"Anna Weiß": "weiss", "Straße Bau GmbH": "strasse", "ﬁnance Partners": "finance",
                "Søren Kjær": "soren kjaer", "Łukasz Dąbrowski": "lukasz", "Œuvre Ltd": "oeuvre",
                "Þóra Guðmundsdóttir": "th gudm", "José Núñez": "jose nunez"}


@pytest.fixture
def folded_db(db):
    with db.transaction() as session:
        session.execute(insert(Customer), [{"name": name, "created_at": dt.datetime(2026, 1, 1)}
                                           for name in FOLDED_NAMES])
    return db


@pytest.mark.parametrize("full_text", [True, False], ids=["fts5", "like"])
def test_what_is_typed_without_special_keys_finds_the_stored_letters(folded_db, full_text):
    with folded_db.session() as session:
        ids_by_name = dict(session.execute(text("SELECT name, id FROM customers")).all())
        for name, typed in FOLDED_NAMES.items():
            if not full_text and name == "José Núñez":
                continue  # accents are the tokenizer's job; the LIKE path of other databases never had them
            for query in (typed, typed.upper(), name):
                found = find_customer_ids(session, CustomerQuery(text=query), dt.date(2026, 12, 1),
                                          full_text=full_text)
                assert found == [ids_by_name[name]], (name, query)


def test_the_window_search_path_folds_too(folded_db):
    with folded_db.session() as session:
        found = find_customer_ids(session, CustomerQuery(text="WEISS"), dt.date(2026, 12, 1), name_order=NameOrder())
        assert len(found) == 1


@pytest.mark.sqlite_only  # the FTS5 index's source view (the server's fold: test_search_on_both_backends.py)
def test_the_installed_index_folds_every_letter_as_the_typed_query_does(db):
    # Migration 0004 carries its own copy of the fold table; this holds it to the one the query uses.
    letters = "".join(letter for letter, _ in SEARCH_FOLDS)
    with db.transaction() as session:
        session.execute(insert(Customer), [{"name": f"x{letters}x", "created_at": dt.datetime(2026, 1, 1)}])
        indexed = session.execute(text("SELECT name FROM customer_search_source")).scalar_one()
    assert indexed == fold_for_search(f"x{letters}x")
