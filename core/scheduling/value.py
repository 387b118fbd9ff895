"""A customer's value to the business: what they spent in the 12 months before a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.storage.models import Purchase

YEAR = dt.timedelta(days=365)
_CHUNK = 900  # stay under SQLite's bound-parameter limit


def spend_last_year(session: Session, customer_ids: Iterable[int], day: dt.date) -> dict[int, int]:
    """Cents spent per customer in the year up to `day` (customers with none are absent)."""
    ids = sorted(set(customer_ids))
    spend: dict[int, int] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(Purchase.customer_id, func.sum(Purchase.amount_cents))
            .where(Purchase.customer_id.in_(ids[start:start + _CHUNK]), Purchase.purchased_on > day - YEAR,
                   Purchase.purchased_on <= day)
            .group_by(Purchase.customer_id))
        spend.update((customer_id, int(total)) for customer_id, total in rows)
    return spend
