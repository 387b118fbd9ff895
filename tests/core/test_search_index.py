"""A big import fills the search index in one go: it must index exactly what adding customers one
by one would, keep indexing customers added later, and leave nothing changed when it fails."""

import pytest
from sqlalchemy import insert, text

from core.storage.database import open_database
from core.importing import import_customers, read_import_bytes
from core.storage.models import Customer
from core.storage.paths import database_path, sqlite_url
from core.customers.search_index import index_new_customers_at_the_end

pytestmark = pytest.mark.sqlite_only  # the FTS5 index's internals

ROWS = 260  # more than a small import, which keeps the row-by-row index


def _customers_csv(rows: int = ROWS, start: int = 0) -> bytes:
    lines = ["First Name,Last Name,Company,Email,Phone,Tags"]
    for n in range(start, start + rows):
        lines.append(f"Zoë,Müller {n},Pine {n} Builders,zoe.{n}@example.com,(503) 555-{n:04d},\"vip,door\"")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _search_index(db) -> list[tuple]:
    with db.session() as session:
        return [tuple(row) for row in session.execute(text("SELECT rowid, * FROM customer_search ORDER BY rowid"))]


def _found(db, words: str) -> list[int]:
    with db.session() as session:
        return list(session.scalars(text("SELECT rowid FROM customer_search WHERE customer_search MATCH :words"),
                                    {"words": words}))


def _insert_trigger_exists(db) -> bool:
    with db.session() as session:
        return session.scalar(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                   "AND name = 'customer_search_after_insert'")) == 1


@pytest.fixture
def second_db(tmp_path):
    folder = tmp_path / "second"
    folder.mkdir()
    database = open_database(sqlite_url(database_path(folder)))
    yield database
    database.dispose()


def test_a_big_import_indexes_exactly_what_small_imports_do(db, second_db):
    import_customers(db, read_import_bytes(_customers_csv(), "big.csv"), region="US")
    for start in range(0, ROWS, 50):
        import_customers(second_db, read_import_bytes(_customers_csv(min(50, ROWS - start), start), "part.csv"),
                         region="US")
    assert len(_search_index(db)) == ROWS
    assert _search_index(db) == _search_index(second_db)
    assert len(_found(db, "muller")) == ROWS and len(_found(db, "5550042")) == 1


def test_customers_added_after_a_big_import_are_still_found(db):
    import_customers(db, read_import_bytes(_customers_csv(), "big.csv"), region="US")
    assert _insert_trigger_exists(db)
    with db.transaction() as session:
        session.add(Customer(name="Søren Kierkegaard", phone="+15035559999"))
    assert len(_found(db, "kierkegaard")) == 1 and len(_found(db, "5559999")) == 1


def test_a_big_import_that_fails_leaves_the_index_and_its_trigger_as_they_were(db, monkeypatch):
    import core.importing.customers as customers_module

    import_customers(db, read_import_bytes(_customers_csv(20, 5000), "small.csv"), region="US")
    before = _search_index(db)

    def power_cut(session, rows):
        raise RuntimeError("power cut")

    monkeypatch.setattr(customers_module, "_insert_other_phones", power_cut)
    with pytest.raises(RuntimeError):
        import_customers(db, read_import_bytes(_customers_csv(), "big.csv"), region="US")
    assert _search_index(db) == before and _insert_trigger_exists(db)


def test_the_trigger_is_back_even_if_the_caller_keeps_what_went_in_before_an_error(db):
    with db.transaction() as session:
        with pytest.raises(ValueError), index_new_customers_at_the_end(session):
            session.execute(insert(Customer), [{"name": "Ann Early"}])
            raise ValueError("the owner pressed cancel")
    assert _insert_trigger_exists(db)
    with db.transaction() as session:
        session.add(Customer(name="Bea Later"))
    assert len(_found(db, "bea")) == 1


def test_a_big_import_stores_exactly_what_sqlalchemy_stores(db, second_db, monkeypatch):
    # Big imports hand their rows to SQLite's driver; every value must be stored as the ORM would.
    import core.importing.customers as customer_import
    from core.importing import import_customers, read_import_bytes

    rows = "First Name,Last Name,Company,Email,Phone,Birthday,Last Purchase,Total Spent,Order Count,Do Not Call,Tags\n"
    rows += "".join(f"Ann,Row{n},{'Acme' if n % 3 else ''},ann{n}@example.com,(503) 555-{n:04d},1980-02-0{1 + n % 9},"
                    f"2025-11-{1 + n % 28:02d},{n}.50,{n},{'yes' if n % 7 == 0 else ''},vip\n" for n in range(250))
    import_customers(db, read_import_bytes(rows.encode(), "big.csv"))
    monkeypatch.setattr(customer_import, "_BULK_INDEX_FROM", 10**9)  # the same rows the ORM's way
    import_customers(second_db, read_import_bytes(rows.encode(), "big.csv"))

    def stored(database):
        with database.engine.connect() as connection:
            columns = [c for c in connection.exec_driver_sql("SELECT * FROM customers").keys()
                       if c not in ("created_at", "updated_at")]
            return connection.exec_driver_sql(f"SELECT {', '.join(columns)} FROM customers ORDER BY id").fetchall()

    assert stored(db) == stored(second_db) and len(stored(db)) == 250
