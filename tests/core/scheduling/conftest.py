"""A tiny business builder so each scheduling test states exactly the data it relies on."""

import datetime as dt
import shutil
from dataclasses import dataclass, field

import pytest

from core.storage.enums import QuoteStatus
from core.storage.database import open_database
from core.storage.models import Customer, Product, Purchase, Quote, RewardCard, StaffMember
from core.storage.paths import sqlite_url
from core.settings import save_settings

TUESDAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def fresh(template, tmp_path_factory):
    """A new database per Hypothesis example, copied from the test module's own `template` file
    (building one from the migrations for each example would cost more than the property)."""
    folder = tmp_path_factory.mktemp("examples")
    counter = iter(range(10**6))

    def make():
        path = folder / f"example-{next(counter)}.sqlite3"
        shutil.copy(template, path)
        return open_database(sqlite_url(path))

    return make


@dataclass
class Business:
    db: object
    today: dt.date = TUESDAY
    staff: dict[str, int] = field(default_factory=dict)
    products: dict[str, int] = field(default_factory=dict)

    def settings(self, **values):
        with self.db.transaction() as session:
            save_settings(session, **values)

    def caller(self, name, quota=10, active=True):
        with self.db.transaction() as session:
            member = StaffMember(name=name, daily_quota=quota, active=active)
            session.add(member)
        self.staff[name] = member.id
        return member.id

    def product(self, sku, name=None, price=100):
        with self.db.transaction() as session:
            product = Product(sku=sku, name=name or sku, unit_price_cents=price * 100)
            session.add(product)
        self.products[sku] = product.id
        return product.id

    def customer(self, name, **fields):
        with self.db.transaction() as session:
            customer = Customer(name=name, phone=fields.pop("phone", "+15035550100"), **fields)
            session.add(customer)
        return customer.id

    def buy(self, customer_id, sku, days_ago, quantity=1, dollars=100, **fields):
        with self.db.transaction() as session:
            session.add(Purchase(customer_id=customer_id, product_id=self.products[sku],
                                 purchased_on=self.today - dt.timedelta(days=days_ago), quantity=quantity,
                                 amount_cents=dollars * 100, **fields))

    def quote(self, customer_id, days_ago, dollars=1000, staff=None, status=QuoteStatus.OPEN):
        with self.db.transaction() as session:
            quote = Quote(customer_id=customer_id, amount_cents=dollars * 100,
                          sent_on=self.today - dt.timedelta(days=days_ago), status=status,
                          staff_id=self.staff.get(staff),
                          decided_on=None if status == QuoteStatus.OPEN else self.today)
            session.add(quote)
        return quote.id

    def card(self, customer_id, stamps, needed=10):
        with self.db.transaction() as session:
            session.add(RewardCard(customer_id=customer_id, stamps=stamps, stamps_needed=needed))


@pytest.fixture
def business(db):
    business = Business(db)
    # No public holidays unless a test asks: the dates below are then plain weekdays.
    business.settings(holiday_country=None)
    return business
