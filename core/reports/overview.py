"""The numbers an owner sees first, in the window's title bar: the business, its customers and
its open quotes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.settings import Settings, load_settings
from core.storage.enums import QuoteStatus
from core.storage.models import Customer, Quote


@dataclass(frozen=True)
class BusinessOverview:
    business_name: str
    customers: int
    open_quotes: int


def business_overview(session: Session, settings: Settings | None = None) -> BusinessOverview:
    """`settings`: the business's settings when the caller has them already (the window does)."""
    settings = settings or load_settings(session)
    # Both counts in one statement: the window's start compiles and runs one, not two.
    customers, open_quotes = session.execute(select(
        select(func.count()).select_from(Customer).scalar_subquery(),
        select(func.count()).select_from(Quote).where(Quote.status == QuoteStatus.OPEN).scalar_subquery())).one()
    return BusinessOverview(business_name=settings.business_name, customers=customers or 0,
                            open_quotes=open_quotes or 0)
