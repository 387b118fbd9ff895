import datetime as dt
import sqlite3

from sqlalchemy import func, select

from core.demo import PRICE_CHANGE_SKUS, generate_demo_business
from core.storage.database import open_database
from core.storage.models import Change, Customer, Purchase, RewardCard
from core.storage.paths import database_path, sqlite_url

TODAY = dt.date(2026, 11, 24)
VOLATILE = {"created_at", "updated_at"}


def _make(folder, seed, customers=60):
    folder.mkdir()
    database = open_database(sqlite_url(database_path(folder)))
    with database.transaction() as session:
        summary = generate_demo_business(session, today=TODAY, customers=customers, seed=seed)
    database.dispose()
    return summary


def _dump(folder):
    connection = sqlite3.connect(database_path(folder))
    try:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'customer_search%'"
            " AND name != 'change_log' ORDER BY name")]  # the change log says who wrote it: another process each time
        dump = {}
        for table in tables:
            cursor = connection.execute(f"SELECT * FROM {table} ORDER BY 1")
            keep = [i for i, d in enumerate(cursor.description) if d[0] not in VOLATILE]
            dump[table] = [tuple(row[i] for i in keep) for row in cursor]
        return dump
    finally:
        connection.close()


def test_the_same_seed_gives_the_same_business(tmp_path):
    _make(tmp_path / "a", seed=3)
    _make(tmp_path / "b", seed=3)
    assert _dump(tmp_path / "a") == _dump(tmp_path / "b")


def test_another_seed_gives_another_business(tmp_path):
    _make(tmp_path / "a", seed=3)
    _make(tmp_path / "b", seed=4)
    assert _dump(tmp_path / "a")["customers"] != _dump(tmp_path / "b")["customers"]


def test_the_demo_is_a_believable_business(demo_db):
    with demo_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 120
        first, last = session.execute(select(func.min(Purchase.purchased_on), func.max(Purchase.purchased_on))).one()
        assert (TODAY - first).days > 600 and last < TODAY, "about two years of purchases, none in the future"
        change = session.scalars(select(Change)).one()
        assert 14 <= (change.effective_on - TODAY).days <= 35, "a price increase a few weeks ahead"
        assert sorted(p.sku for p in change.products) == sorted(PRICE_CHANGE_SKUS)
        affected = session.scalar(select(func.count(func.distinct(Purchase.customer_id)))
                                  .where(Purchase.product_id.in_([p.id for p in change.products])))
        assert affected >= 20, "enough customers bought the affected products to make a campaign"
        one_short = session.scalar(select(func.count()).select_from(RewardCard)
                                   .where(RewardCard.stamps == RewardCard.stamps_needed - 1))
        assert one_short >= 1
        accented = session.scalars(select(Customer.name)).all()
        assert any(ch in "".join(accented) for ch in "üéöøóáë"), "names with accents, as real lists have"


def test_size_is_a_parameter(tmp_path):
    summary = _make(tmp_path / "small", seed=1, customers=7)
    assert summary.customers == 7


def test_every_demo_email_passes_the_apps_own_check(demo_db):
    from core.customers.contact_fields import normalize_email

    with demo_db.session() as session:
        emails = [e for e in session.scalars(select(Customer.email)) if e]
    assert emails and all(normalize_email(email) == email for email in emails)
