"""Who a change hurts most: customers ranked by what they bought of the affected products.

Exposure is the amount spent on those products in the last 12 months; the number of
purchases and the most recent one break ties (then the customer id, so the order is stable).
Customers who never bought them are affected only when the owner adds them by hand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.storage.models import Customer, Product, Purchase
from core.money import format_money

LOOKBACK = dt.timedelta(days=365)


@dataclass(frozen=True)
class Exposure:
    customer_id: int
    customer: str
    amount_cents: int
    purchases: int
    quantity: int
    last_purchase: dt.date | None
    why: str
    added_by_hand: bool
    do_not_call: bool
    assigned_staff_id: int | None
    has_phone: bool = True

    @property
    def sort_key(self) -> tuple:
        recency = self.last_purchase.toordinal() if self.last_purchase else 0
        return (-self.amount_cents, -self.purchases, -recency, self.customer_id)


def _why(lines: list[tuple[str, int, int]], total_cents: int, symbol: str) -> str:
    """ "bought 14 × Oak Door Kit for $3,920 in the last year" (the biggest lines first)."""
    lines = sorted(lines, key=lambda line: (-line[2], line[0]))
    named = ", ".join(f"{quantity} × {name}" for name, quantity, _ in lines[:2])
    if len(lines) > 2:
        named += f" and {len(lines) - 2} more"
    return f"bought {named} for {format_money(total_cents, symbol, whole=True)} in the last year"


def rank_exposure(
    session: Session,
    product_ids: Iterable[int],
    today: dt.date,
    *,
    added_customer_ids: Iterable[int] = (),
    excluded_customer_ids: Iterable[int] = (),
    currency_symbol: str = "$",
) -> list[Exposure]:
    """Affected customers, most exposed first."""
    product_ids = list(product_ids)
    excluded = set(excluded_customer_ids)
    since = today - LOOKBACK
    per_line: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    totals: dict[int, list] = {}
    if product_ids:
        rows = session.execute(
            select(Purchase.customer_id, Product.name, func.sum(Purchase.quantity), func.sum(Purchase.amount_cents),
                   func.count(), func.max(Purchase.purchased_on))
            .join(Product, Product.id == Purchase.product_id)
            .where(Purchase.product_id.in_(product_ids), Purchase.purchased_on > since,
                   Purchase.purchased_on <= today)
            .group_by(Purchase.customer_id, Product.name)
        )
        for customer_id, name, quantity, amount, count, last in rows:
            if customer_id in excluded:
                continue
            per_line[customer_id].append((name, int(quantity), int(amount)))
            total = totals.setdefault(customer_id, [0, 0, 0, None])
            total[0] += int(amount)
            total[1] += int(count)
            total[2] += int(quantity)
            total[3] = last if total[3] is None or last > total[3] else total[3]
    by_hand = [cid for cid in dict.fromkeys(added_customer_ids) if cid not in totals and cid not in excluded]
    wanted = list(totals) + by_hand
    people: dict[int, tuple] = {}
    for start in range(0, len(wanted), 900):  # stay under SQLite's bound-parameter limit
        chunk = wanted[start:start + 900]
        for row in session.execute(select(Customer.id, Customer.name, Customer.do_not_call,
                                          Customer.assigned_staff_id, Customer.phone.is_not(None))
                                   .where(Customer.id.in_(chunk))):
            people[row[0]] = row[1:]
    ranked = []
    for customer_id in wanted:
        if customer_id not in people:
            continue
        name, do_not_call, staff_id, has_phone = people[customer_id]
        if customer_id in totals:
            amount, count, quantity, last = totals[customer_id]
            why = _why(per_line[customer_id], amount, currency_symbol)
            hand = False
        else:
            amount, count, quantity, last, why, hand = 0, 0, 0, None, "added by hand", True
        ranked.append(Exposure(customer_id, name, amount, count, quantity, _as_date(last), why, hand,
                               bool(do_not_call), staff_id, bool(has_phone)))
    ranked.sort(key=lambda exposure: exposure.sort_key)
    return ranked


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
