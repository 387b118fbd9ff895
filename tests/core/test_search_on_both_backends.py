"""The search box finds the same customers on SQLite (FTS5) and on a PostgreSQL server (migration 0008).

One table of customers and typed queries with the customers each must find, run on whichever
backend the suite runs on (CALLAHEAD_TEST_DATABASE_URL, tests/conftest.py): both runs assert the
same table. On a server, the demo business is also searched on both backends side by side.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select

from core.customers.queries import CustomerQuery, NameOrder, find_customer_ids
from core.storage.database import open_database
from core.storage.models import Customer
from core.storage.paths import database_path, sqlite_url

TODAY = dt.date(2026, 11, 24)
CUSTOMERS = [
    {"name": "Jürgen Müller", "company": "Pine Street Builders", "email": "j.muller@example.com",
     "tags": "commercial,contractor", "phone": "+15035551234"},
    {"name": "Anna Weiß", "company": "Straße Bau GmbH", "email": "anna@strasse-bau.de", "tags": "vip",
     "phone": "+4930123456"},
    {"name": "Søren Kjær", "company": "ﬁnance Partners", "email": "soren@kjaer.dk", "tags": None,
     "phone": "+4533123456"},
    {"name": "José Núñez", "company": None, "email": "jose@example.com", "tags": "residential",
     "phone": "(503) 555-9876"},
    {"name": "Rita Ricci", "company": "Harbor Door & Supply", "email": None, "tags": "contractor",
     "phone": "503.555.1299"},
    {"name": "Maria O'Brien", "company": "Brienne_Works", "email": "maria@obrien.ie", "tags": None, "phone": None},
    {"name": "Łukasz Dąbrowski", "company": "Œuvre Ltd", "email": None, "tags": "vip,commercial",
     "phone": "+48221234567"},
    {"name": "Þóra Guðmundsdóttir", "company": "Ελληνικά Είδη", "email": "thora@example.is", "tags": None,
     "phone": "+3545551234"},
]
# Typed text -> the names found. Word prefixes, not substrings: "ri" finds Rita and Ricci, never
# "Harbor" or "Maria". (Compared as sets: each backend puts names in its own collation's order.)
QUERIES = {
    "muller": ["Jürgen Müller"],
    "MÜLL": ["Jürgen Müller"],
    "jurg mull": ["Jürgen Müller"],
    "ri": ["Rita Ricci"],
    "ric": ["Rita Ricci"],
    "weiss": ["Anna Weiß"],
    "strasse": ["Anna Weiß"],
    "soren kjaer": ["Søren Kjær"],
    "finance": ["Søren Kjær"],
    "jose nunez": ["José Núñez"],
    "núñ": ["José Núñez"],
    "lukasz": ["Łukasz Dąbrowski"],
    "oeuvre": ["Łukasz Dąbrowski"],
    "th gudm": ["Þóra Guðmundsdóttir"],
    "ελλην": ["Þóra Guðmundsdóttir"],
    "είδη": ["Þóra Guðmundsdóttir"],
    "ΕΊΔΗ": ["Þóra Guðmundsdóttir"],
    "ΕΙΔΗ": [],  # unicode61 removes the accents of Latin letters only
    "contractor": ["Jürgen Müller", "Rita Ricci"],
    "vip": ["Anna Weiß", "Łukasz Dąbrowski"],
    "vip comm": ["Łukasz Dąbrowski"],
    "example": ["José Núñez", "Jürgen Müller", "Þóra Guðmundsdóttir"],
    "example.com": ["José Núñez", "Jürgen Müller"],
    "o'brien": ["Maria O'Brien"],
    "brienne": ["Maria O'Brien"],
    "works": ["Maria O'Brien"],
    "503 555": ["José Núñez", "Jürgen Müller", "Rita Ricci"],
    "555-1234": ["Jürgen Müller", "Þóra Guðmundsdóttir"],
    "1234": ["Jürgen Müller", "Łukasz Dąbrowski", "Þóra Guðmundsdóttir"],
    "(503) 555-98": ["José Núñez"],
    "12": ["Jürgen Müller", "Rita Ricci", "Łukasz Dąbrowski", "Þóra Guðmundsdóttir"],  # a word: any phone run too
    "harbor door": ["Rita Ricci"],
    "arbor": [],
    "pine harbor": [],
    "%": [row["name"] for row in CUSTOMERS],  # nothing to search for: everyone
    "_ %": [row["name"] for row in CUSTOMERS],
    "j%": ["José Núñez", "Jürgen Müller"],
    'muller OR "harbor"': [],
    'müller* "pine" (jurgen:': ["Jürgen Müller"],
}


@pytest.fixture
def searched_db(db):
    with db.transaction() as session:
        session.execute(insert(Customer), [{**row, "created_at": dt.datetime(2026, 1, 1)} for row in CUSTOMERS])
    return db


def _names(session, typed: str) -> list[str]:
    ids = find_customer_ids(session, CustomerQuery(text=typed), TODAY)
    by_id = dict(session.execute(select(Customer.id, Customer.name).where(Customer.id.in_(ids))).all())
    return [by_id[i] for i in ids]


@pytest.mark.parametrize("typed", list(QUERIES))
def test_the_shared_table_of_queries_finds_the_same_customers(searched_db, typed):
    with searched_db.session() as session:
        assert sorted(_names(session, typed)) == sorted(QUERIES[typed])
        # The keystroke path (the index's own statement, name order kept in memory) finds the same.
        query = CustomerQuery(text=typed)
        assert (find_customer_ids(session, query, TODAY, name_order=NameOrder())
                == find_customer_ids(session, query, TODAY))


def test_an_edited_customer_is_found_by_the_new_name_only(searched_db):
    with searched_db.transaction() as session:
        rita = session.scalar(select(Customer).where(Customer.name == "Rita Ricci"))
        rita.name, rita.phone = "Rita Zwölfer", "+15035550000"
    with searched_db.session() as session:
        assert _names(session, "zwolf") == ["Rita Zwölfer"] and _names(session, "ricci") == []
        assert _names(session, "555-0000") == ["Rita Zwölfer"] and _names(session, "555-1299") == []


def _demo_queries(session) -> list[str]:
    """Every 1-, 2- and 3-letter start of every word of the demo's names and companies, and phone ends."""
    queries: set[str] = set()
    for name, company, phone in session.execute(select(Customer.name, Customer.company, Customer.phone)):
        for word in f"{name} {company or ''}".split():
            queries.update(word[:length] for length in (1, 2, 3))
        if phone:
            queries.update((phone[-4:], f"{phone[-7:-4]}-{phone[-4:]}"))
    return sorted(queries)


@pytest.mark.server_only
def test_the_demo_business_is_searched_alike_on_both_backends(demo_db, demo_data_dir):
    on_file = open_database(sqlite_url(database_path(demo_data_dir)))
    try:
        with demo_db.session() as server, on_file.session() as sqlite:
            queries = _demo_queries(sqlite)
            server_order, sqlite_order = NameOrder(), NameOrder()
            assert len(queries) > 200
            for typed in queries:
                query = CustomerQuery(text=typed)
                assert find_customer_ids(server, query, TODAY) == find_customer_ids(sqlite, query, TODAY), typed
                assert (find_customer_ids(server, query, TODAY, name_order=server_order)
                        == find_customer_ids(sqlite, query, TODAY, name_order=sqlite_order)), typed
    finally:
        on_file.dispose()
