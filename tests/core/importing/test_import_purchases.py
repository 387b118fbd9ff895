"""Purchase history: matched to customers, products created as needed, never imported twice."""

import datetime as dt

import pytest
from sqlalchemy import select

from core.storage.enums import PurchaseKind
from core.importing import ImportKind, NoUsableColumns, import_customers, import_purchases, read_import_bytes
from core.storage.models import Customer, Product, Purchase

from importing_helpers import database_dump, sample


@pytest.fixture
def shop(db):
    import_customers(db, sample("square_customers.csv"))
    import_customers(db, sample("shopify_customers.csv"))
    return db


def _purchases(db) -> list[tuple]:
    with db.session() as session:
        rows = session.execute(select(Customer.name, Product.sku, Product.name, Purchase.purchased_on,
                                      Purchase.quantity, Purchase.amount_cents, Purchase.kind)
                               .join(Purchase.customer).join(Purchase.product).order_by(Purchase.id))
        return [tuple(r) for r in rows]


def test_square_item_sales_match_customers_by_pos_id_and_skip_refunds(shop):
    report = import_purchases(shop, sample("square_item_sales.csv", ImportKind.PURCHASES))
    plan = report.plan
    assert plan.format_key == "square_item_sales"
    assert [(r.line, r.reason) for r in plan.rejected] == [(4, "a refund or return, not a purchase")]
    assert _purchases(shop) == [
        ("Maria Delgado", "ANNUAL-TUNE-UP-VISIT", "Annual Tune-Up Visit", dt.date(2025, 10, 30), 1, 12900,
         PurchaseKind.SALE),
        ("Maria Delgado", "PT-ROLLER-13", "Nylon Roller Set (13)", dt.date(2025, 10, 30), 2, 9800, PurchaseKind.SALE),
        ("Tom Becker", "SV-INSTALL", "Door Installation", dt.date(2025, 11, 2), 1, 45000, PurchaseKind.SALE),
    ]
    assert len(plan.new_products) == 3


def test_shopify_orders_carry_the_customer_down_to_each_line_item(shop):
    report = import_purchases(shop, sample("shopify_orders.csv", ImportKind.PURCHASES))
    assert [(p.customer_name, p.sku, p.quantity, p.amount_cents) for p in report.plan.purchases] == [
        ("Chloé Martin", "OP-BELT-34", 1, 28900), ("Chloé Martin", "PT-REMOTE-3B", 2, 4000),
        ("Jake O'Neil", "PT-SPRING-TOR", 1, 14500)]
    assert [r.line for r in report.plan.rejected] == [5]
    assert "stranger@example.com" in report.plan.rejected[0].reason
    assert report.plan.purchases[0].purchased_on == dt.date(2025, 10, 2)


def test_reimporting_purchases_adds_nothing(shop):
    source = sample("square_item_sales.csv", ImportKind.PURCHASES)
    import_purchases(shop, source)
    before = database_dump(shop)
    again = import_purchases(shop, source)
    assert len(again.plan.purchases) == 0
    assert again.plan.already_imported == (2, 3, 5)
    assert database_dump(shop) == before


def test_generic_purchases_match_by_name_or_phone_and_report_each_bad_row(shop):
    report = import_purchases(shop, sample("purchases_generic.csv", ImportKind.PURCHASES))
    rejected = {r.line: r.reason for r in report.plan.rejected}
    assert set(rejected) == {4, 5, 6}
    assert "Nobody Known" in rejected[4] and "import the customers first" in rejected[4]
    assert rejected[5] == "the row has no purchase date"
    assert "quantity 0" in rejected[6]
    assert _purchases(shop) == [
        ("Maria Delgado", "GARAGE-DOOR-REMOTE-BATTERY", "Garage Door Remote Battery", dt.date(2025, 9, 1), 3, 1200,
         PurchaseKind.SALE),
        ("Tom Becker", "DR-OAK-KIT", "Oak Door Kit", dt.date(2025, 9, 15), 1, 28000, PurchaseKind.SALE),
    ]


def test_an_existing_product_is_reused_by_sku_or_name(shop):
    with shop.transaction() as session:
        session.add(Product(sku="DR-OAK-KIT", name="Oak Door Kit", unit_price_cents=28000))
    text = "Date,Customer,Product,Qty,Amount\n2025-09-01,Maria Delgado,oak door kit,1,280\n"
    report = import_purchases(shop, read_import_bytes(text.encode(), "p.csv", ImportKind.PURCHASES))
    assert not report.plan.new_products
    assert _purchases(shop)[0][1] == "DR-OAK-KIT"


def test_installations_are_kept_as_installations(shop):
    text = "Date,Email,SKU,Product,Type,Amount\n2025-09-01,maria.delgado@example.com,SV-INST,Door,Installation,450\n"
    import_purchases(shop, read_import_bytes(text.encode(), "p.csv", ImportKind.PURCHASES))
    assert _purchases(shop)[0][-1] is PurchaseKind.INSTALLATION


def test_two_customers_with_the_same_name_are_not_guessed(shop):
    with shop.transaction() as session:
        session.add(Customer(name="Maria Delgado", email="other.maria@example.com"))
    text = "Date,Customer,Product,Amount\n2025-09-01,Maria Delgado,Widget,5\n"
    report = import_purchases(shop, read_import_bytes(text.encode(), "p.csv", ImportKind.PURCHASES))
    assert "2 customers are named Maria Delgado" in report.plan.rejected[0].reason


def test_a_purchase_file_without_a_date_column_is_refused(shop):
    text = "Customer,Product\nMaria Delgado,Widget\n"
    with pytest.raises(NoUsableColumns, match="date"):
        import_purchases(shop, read_import_bytes(text.encode(), "p.csv", ImportKind.PURCHASES))


def test_an_error_while_writing_purchases_leaves_nothing_behind(shop, monkeypatch):
    import core.importing.purchases as purchases_module

    before = database_dump(shop)
    real_insert = purchases_module.insert

    def failing_insert(model):
        if model is Purchase:
            raise RuntimeError("disk full")
        return real_insert(model)

    monkeypatch.setattr(purchases_module, "insert", failing_insert)
    with pytest.raises(RuntimeError):
        import_purchases(shop, sample("square_item_sales.csv", ImportKind.PURCHASES))
    assert database_dump(shop) == before, "the products created before the failure are gone too"


def test_a_purchase_import_whose_plan_went_stale_plans_again_before_writing(shop, monkeypatch):
    # Another import of the same file lands between this one's planning (no lock held) and its writing.
    import core.importing.purchases as purchases

    source = sample("square_item_sales.csv", ImportKind.PURCHASES)
    plan = purchases.plan_purchase_import
    calls = []

    def plan_then_someone_else_imports(*args, **kwargs):
        planned = plan(*args, **kwargs)
        calls.append(planned)
        if len(calls) == 1:
            monkeypatch.setattr(purchases, "plan_purchase_import", plan)
            import_purchases(shop, source)  # the other import, whole
            monkeypatch.setattr(purchases, "plan_purchase_import", plan_then_someone_else_imports)
        return planned

    monkeypatch.setattr(purchases, "plan_purchase_import", plan_then_someone_else_imports)
    late = import_purchases(shop, source)
    assert len(calls) == 2, "planned again under the write lock"
    assert late.applied and len(late.plan.purchases) == 0 and late.plan.already_imported == (2, 3, 5)
    assert len(_purchases(shop)) == 3
