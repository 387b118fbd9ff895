"""Purchase history import: orders or line items matched to stored customers and products.

Each row names a customer (point-of-sale id, e-mail, phone or exact name, tried in that
order), a product (SKU, else name; created when new), a date, a quantity and an amount.
Order-level details that exports write only on an order's first line (Shopify) are carried
down to its other lines. Every purchase gets an import key built from the order and line,
so importing the same file again adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.customers.contact_fields import normalize_email, normalize_phone
from core.storage.database import Database
from core.storage.enums import PurchaseKind
from core.errors import InvalidInput
from core.importing.customers import RowIssue, _check_region, _load_stored, all_or_nothing_refusal
from core.importing.fields import PurchaseField
from core.importing.formats import ImportKind
from core.importing.mapping import ColumnMap, suggest_mapping
from core.importing.reading import ImportSource, SourceRow, cell_value
from core.importing.summaries import file_summary, set_aside_rows
from core.importing.values import parse_count, parse_date, parse_money_cents
from core.storage.models import Customer, CustomerPhone, Product, Purchase
from core.settings import load_settings

P = PurchaseField
_ORDER_LEVEL = (P.DATE, P.CUSTOMER_ID, P.CUSTOMER_EMAIL, P.CUSTOMER_PHONE, P.CUSTOMER_NAME)
_SKU_WIDTH, _KEY_WIDTH = 64, 200


@dataclass(frozen=True)
class PlannedProduct:
    sku: str
    name: str
    category: str | None
    unit_price_cents: int | None


@dataclass(frozen=True)
class PlannedPurchase:
    line: int
    import_key: str
    customer_id: int
    customer_name: str
    sku: str
    product_name: str
    new_product: bool
    purchased_on: dt.date
    quantity: int
    amount_cents: int
    kind: PurchaseKind


@dataclass(frozen=True)
class PurchaseImportPlan:
    source_name: str
    format_key: str
    format_label: str
    encoding: str
    delimiter: str | None
    records: int
    column_map: ColumnMap
    region: str
    purchases: tuple[PlannedPurchase, ...]
    new_products: tuple[PlannedProduct, ...]
    already_imported: tuple[int, ...]  # lines whose purchase is stored already
    rejected: tuple[RowIssue, ...]
    flagged: tuple[RowIssue, ...]

    def preview(self, limit: int = 20) -> tuple[PlannedPurchase, ...]:
        return self.purchases[:limit]


@dataclass(frozen=True)
class PurchaseImportReport:
    plan: PurchaseImportPlan
    applied: bool
    customers: tuple[dict[str, Any], ...] = ()
    refused: str | None = None

    def summary(self) -> dict[str, Any]:
        plan = self.plan
        return {
            **file_summary(plan, ImportKind.PURCHASES, applied=self.applied, refused=self.refused),
            "created": len(plan.purchases), "products_created": len(plan.new_products),
            "already_imported": len(plan.already_imported), "merged": 0,
            **set_aside_rows(plan),
            "customers": list(self.customers),
        }


@dataclass
class _CustomerIndex:
    by_external: dict[str, int]
    by_email: dict[str, int]
    by_phone: dict[str, int]
    by_name: dict[str, list[int]]
    names: dict[int, str]

    @classmethod
    def load(cls, session: Session) -> "_CustomerIndex":
        index = cls({}, {}, {}, defaultdict(list), {})
        for cid, name, company, email, phone, external in session.execute(
                select(Customer.id, Customer.name, Customer.company, Customer.email, Customer.phone,
                       Customer.external_id).order_by(Customer.id)):
            index.names[cid] = name
            if external:
                index.by_external.setdefault(external.casefold(), cid)
            if email:
                index.by_email.setdefault(email, cid)
            if phone:
                index.by_phone.setdefault(phone, cid)
            index.by_name[name.casefold()].append(cid)
            if company and company.casefold() != name.casefold():
                index.by_name[company.casefold()].append(cid)
        for cid, number in session.execute(select(CustomerPhone.customer_id, CustomerPhone.number)):
            index.by_phone.setdefault(number, cid)
        return index

    def match(self, values: dict[PurchaseField, str], region: str) -> tuple[int | None, str]:
        """(customer id, why not) from the row's customer columns, most reliable first."""
        tried: list[str] = []
        if values.get(P.CUSTOMER_ID):
            found = self.by_external.get(values[P.CUSTOMER_ID].casefold())
            if found:
                return found, ""
            tried.append(f"point-of-sale id {values[P.CUSTOMER_ID]}")
        if values.get(P.CUSTOMER_EMAIL):
            try:
                email = normalize_email(values[P.CUSTOMER_EMAIL])
            except InvalidInput:
                email = None
            if email and email in self.by_email:
                return self.by_email[email], ""
            tried.append(f"e-mail {values[P.CUSTOMER_EMAIL]}")
        if values.get(P.CUSTOMER_PHONE):
            try:
                phone = normalize_phone(values[P.CUSTOMER_PHONE], region)
            except InvalidInput:
                phone = None
            if phone and phone.e164 in self.by_phone:
                return self.by_phone[phone.e164], ""
            tried.append(f"phone {values[P.CUSTOMER_PHONE]}")
        if values.get(P.CUSTOMER_NAME):
            name = " ".join(values[P.CUSTOMER_NAME].split())
            found_ids = sorted(set(self.by_name.get(name.casefold(), [])))
            if len(found_ids) == 1:
                return found_ids[0], ""
            if len(found_ids) > 1:
                return None, (f"{len(found_ids)} customers are named {name}; add an e-mail, phone or "
                              "point-of-sale id column to tell them apart")
            tried.append(f"name {name}")
        if not tried:
            return None, "the row does not say who the customer is"
        return None, "no stored customer has this " + " or ".join(tried) + " (import the customers first)"


def _row_values(row: SourceRow, column_map: ColumnMap) -> dict[PurchaseField, str]:
    values: dict[PurchaseField, str] = {}
    for column in column_map.columns:
        if column.field == P.IGNORE or column.index >= len(row.cells):
            continue
        text = cell_value(row.cells[column.index])
        if not text:
            continue
        if column.field == P.CUSTOMER_NAME and column.field in values:
            values[column.field] += " " + text  # "Billing First Name" + "Billing Last Name"
        else:
            values.setdefault(column.field, text)
    return values


def _generated_sku(name: str, taken: set[str]) -> str:
    stem = re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")[:_SKU_WIDTH - 4] or "ITEM"
    sku, n = stem, 2
    while sku.casefold() in taken:
        sku, n = f"{stem}-{n}", n + 1
    return sku


def _key(text: str) -> str:
    if len(text) <= _KEY_WIDTH:
        return text
    return text[:_KEY_WIDTH - 41] + "#" + hashlib.sha1(text.encode()).hexdigest()


def _kind(text: str | None) -> PurchaseKind | None:
    """The purchase kind, or None for a refund/return row (not a purchase)."""
    lowered = (text or "").lower()
    if any(word in lowered for word in ("refund", "return", "void")):
        return None
    return PurchaseKind.INSTALLATION if "install" in lowered else PurchaseKind.SALE


def plan_purchase_import(session: Session, source: ImportSource, column_map: ColumnMap | None = None, *,
                         region: str | None = None) -> PurchaseImportPlan:
    """What importing the purchases in `source` would add. Reads only."""
    column_map = column_map or suggest_mapping(source, ImportKind.PURCHASES)
    column_map.require_usable(source.name)
    region = _check_region(region or load_settings(session).phone_region)
    customers = _CustomerIndex.load(session)
    stored_keys = set(session.scalars(select(Purchase.import_key).where(Purchase.import_key.is_not(None))))
    products = {sku.casefold(): (sku, pid) for sku, pid in session.execute(select(Product.sku, Product.id))}
    product_names = {name.casefold(): sku for sku, name in session.execute(
        select(Product.sku, Product.name).order_by(Product.id.desc()))}
    taken_skus = set(products)

    rejected: list[RowIssue] = []
    flagged: list[RowIssue] = [RowIssue(line, problem) for line, problem in source.line_problems]
    planned: list[PlannedPurchase] = []
    already: list[int] = []
    new_products: dict[str, PlannedProduct] = {}
    order_memory: dict[str, dict[PurchaseField, str]] = {}
    occurrences: dict[str, int] = defaultdict(int)
    keys_in_file: set[str] = set()

    for row in source.rows:
        if row.problem:
            rejected.append(RowIssue(row.line, row.problem))
            continue
        values = _row_values(row, column_map)
        order = values.get(P.ORDER_ID)
        if order:
            remembered = order_memory.setdefault(order, {})
            for meaning in _ORDER_LEVEL:
                if meaning in values:
                    remembered.setdefault(meaning, values[meaning])
                elif meaning in remembered:
                    values[meaning] = remembered[meaning]
        try:
            purchased_on = parse_date(values.get(P.DATE, ""), region, "purchase date")
            quantity = parse_count(values.get(P.QUANTITY, "1"), "quantity")
            amount = parse_money_cents(values[P.AMOUNT], "amount") if P.AMOUNT in values else None
            unit_price = parse_money_cents(values[P.UNIT_PRICE], "unit price") if P.UNIT_PRICE in values else None
        except InvalidInput as problem:
            rejected.append(RowIssue(row.line, str(problem)))
            continue
        kind = _kind(values.get(P.KIND))
        reason = None
        if purchased_on is None:
            reason = "the row has no purchase date"
        elif quantity is None or quantity <= 0:
            reason = f"quantity {values.get(P.QUANTITY)} is not a positive number of items"
        elif kind is None or (amount is not None and amount < 0) or (amount is None and unit_price is not None
                                                                      and unit_price < 0):
            reason = "a refund or return, not a purchase"
        elif not (values.get(P.SKU) or values.get(P.PRODUCT)):
            reason = "the row names no product or SKU"
        if reason:
            rejected.append(RowIssue(row.line, reason))
            continue
        if amount is None:
            amount = unit_price * quantity if unit_price is not None else 0
            if unit_price is None:
                flagged.append(RowIssue(row.line, "the row has no amount; stored as 0"))
        customer_id, why_not = customers.match(values, region)
        if customer_id is None:
            rejected.append(RowIssue(row.line, why_not))
            continue

        sku_text = (values.get(P.SKU) or "")[:_SKU_WIDTH].strip()
        name = " ".join((values.get(P.PRODUCT) or sku_text).split())[:200]
        if sku_text and sku_text.casefold() in products:
            sku, is_new = products[sku_text.casefold()][0], False
        elif sku_text and sku_text.casefold() in new_products:
            sku, is_new = new_products[sku_text.casefold()].sku, True
        elif not sku_text and name.casefold() in product_names:
            sku = product_names[name.casefold()]
            is_new = sku.casefold() in new_products
        else:
            sku = sku_text or _generated_sku(name, taken_skus)
            taken_skus.add(sku.casefold())
            product_names.setdefault(name.casefold(), sku)
            unit = unit_price if unit_price is not None else (amount // quantity if quantity else None)
            new_products[sku.casefold()] = PlannedProduct(sku, name, values.get(P.CATEGORY), unit)
            is_new = True

        product_ref = (sku_text or name).casefold()
        if values.get(P.LINE_ID):
            base_key = f"{column_map.format_key}:line:{values[P.LINE_ID]}"
        elif order:
            base_key = f"{column_map.format_key}:order:{order}:{product_ref}"
        else:
            customer_ref = next((values[m] for m in (P.CUSTOMER_ID, P.CUSTOMER_EMAIL, P.CUSTOMER_PHONE,
                                                     P.CUSTOMER_NAME) if values.get(m)), "")
            base_key = (f"{column_map.format_key}:row:{purchased_on.isoformat()}:{customer_ref.casefold()}:"
                        f"{product_ref}:{quantity}:{amount}")
        occurrences[base_key] += 1
        import_key = _key(f"{base_key}:{occurrences[base_key]}")
        if import_key in stored_keys:
            already.append(row.line)
            continue
        if import_key in keys_in_file:
            rejected.append(RowIssue(row.line, f"line id {values.get(P.LINE_ID)} appears twice in the file"))
            continue
        keys_in_file.add(import_key)
        planned.append(PlannedPurchase(row.line, import_key, customer_id, customers.names[customer_id], sku, name,
                                       is_new, purchased_on, quantity, amount, kind))

    used = {p.sku.casefold() for p in planned}
    return PurchaseImportPlan(
        source_name=source.name, format_key=column_map.format_key, format_label=column_map.format_label,
        encoding=source.encoding, delimiter=source.delimiter, records=source.record_count,
        column_map=column_map, region=region, purchases=tuple(planned),
        new_products=tuple(p for key, p in new_products.items() if key in used),
        already_imported=tuple(already), rejected=tuple(rejected),
        flagged=tuple(sorted(flagged, key=lambda r: r.line)),
    )


def _customer_summaries(session: Session, ids: list[int]) -> tuple[dict[str, Any], ...]:
    stored, phones = _load_stored(session, ids)
    return tuple({"name": c.name, "company": c.company, "phone": c.phone,
                  "phones": [n for n in (c.phone, *(p.number for p in phones.get(c.id, []))) if n],
                  "email": c.email} for c in (stored[i] for i in ids))


def apply_purchase_plan(session: Session, plan: PurchaseImportPlan) -> None:
    """Write a plan inside the caller's transaction."""
    product_ids = {}
    if plan.new_products:
        statement = insert(Product).returning(Product.id, sort_by_parameter_order=True)
        rows = [{"sku": p.sku, "name": p.name, "category": p.category, "unit_price_cents": p.unit_price_cents,
                 "active": True} for p in plan.new_products]
        product_ids = dict(zip((p.sku for p in plan.new_products), session.scalars(statement, rows), strict=True))
    wanted = {p.sku for p in plan.purchases} - set(product_ids)
    if wanted:
        product_ids.update(dict(session.execute(select(Product.sku, Product.id).where(Product.sku.in_(wanted))).all()))
    if plan.purchases:
        session.execute(insert(Purchase), [
            {"customer_id": p.customer_id, "product_id": product_ids[p.sku], "purchased_on": p.purchased_on,
             "quantity": p.quantity, "amount_cents": p.amount_cents, "kind": p.kind, "import_key": p.import_key}
            for p in plan.purchases])


def preview_purchase_import(db: Database, source: ImportSource, column_map: ColumnMap | None = None, *,
                            region: str | None = None) -> PurchaseImportPlan:
    with db.session() as session:
        return plan_purchase_import(session, source, column_map, region=region)


def _what_the_plan_read(session: Session) -> tuple[list[tuple], ...]:
    """Every stored value a purchase plan depends on, to tell whether it went stale before writing."""
    return tuple([tuple(row) for row in session.execute(statement)] for statement in (
        select(Customer.id, Customer.name, Customer.company, Customer.email, Customer.phone,
               Customer.external_id).order_by(Customer.id),
        select(CustomerPhone.customer_id, CustomerPhone.number).order_by(CustomerPhone.id),
        select(Product.id, Product.sku, Product.name).order_by(Product.id),
        select(Purchase.id, Purchase.import_key).where(Purchase.import_key.is_not(None)).order_by(Purchase.id),
    ))


def import_purchases(db: Database, source: ImportSource, column_map: ColumnMap | None = None, *,
                     region: str | None = None, all_or_nothing: bool = False,
                     dry_run: bool = False) -> PurchaseImportReport:
    """Import the good purchase rows in one transaction (nothing at all with all_or_nothing and a bad row).

    As for customers, the rows are planned without holding the write lock; the short write
    transaction plans again only if what the plan read changed meanwhile."""
    with db.session() as session:
        plan = plan_purchase_import(session, source, column_map, region=region)
        basis = _what_the_plan_read(session)
        summaries = _customer_summaries(session, list(dict.fromkeys(p.customer_id for p in plan.purchases)))
    if dry_run:
        return PurchaseImportReport(plan, applied=False, customers=summaries)
    if all_or_nothing and plan.rejected:
        return PurchaseImportReport(plan, applied=False, customers=summaries,
                                    refused=all_or_nothing_refusal(len(plan.rejected)))
    with db.transaction() as session:
        if _what_the_plan_read(session) != basis:
            plan = plan_purchase_import(session, source, column_map, region=region)
            summaries = _customer_summaries(session, list(dict.fromkeys(p.customer_id for p in plan.purchases)))
            if all_or_nothing and plan.rejected:
                return PurchaseImportReport(plan, applied=False, customers=summaries,
                                            refused=all_or_nothing_refusal(len(plan.rejected)))
        apply_purchase_plan(session, plan)
    return PurchaseImportReport(plan, applied=True, customers=summaries)
