"""The numbers an owner sees first: how big the business is and what is coming up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.storage.enums import ChangeStatus, QuoteStatus
from core.storage.models import Change, Customer, Quote, StaffMember
from core.settings import load_settings


@dataclass(frozen=True)
class UpcomingChange:
    change_id: int
    title: str
    effective_on: dt.date


@dataclass(frozen=True)
class BusinessOverview:
    business_name: str
    customers: int
    do_not_call: int
    open_quotes: int
    active_staff: list[tuple[str, int]]
    upcoming_changes: list[UpcomingChange]


def business_overview(session: Session, today: dt.date) -> BusinessOverview:
    settings = load_settings(session)
    customers = session.scalar(select(func.count()).select_from(Customer)) or 0
    do_not_call = session.scalar(select(func.count()).select_from(Customer).where(Customer.do_not_call)) or 0
    open_quotes = session.scalar(
        select(func.count()).select_from(Quote).where(Quote.status == QuoteStatus.OPEN)) or 0
    staff = session.execute(
        select(StaffMember.name, StaffMember.daily_quota).where(StaffMember.active).order_by(StaffMember.name)).all()
    changes = session.execute(
        select(Change.id, Change.title, Change.effective_on)
        .where(Change.status == ChangeStatus.ACTIVE, Change.effective_on >= today)
        .order_by(Change.effective_on)
    ).all()
    return BusinessOverview(
        business_name=settings.business_name,
        customers=customers,
        do_not_call=do_not_call,
        open_quotes=open_quotes,
        active_staff=[(name, quota) for name, quota in staff],
        upcoming_changes=[UpcomingChange(cid, title, day) for cid, title, day in changes],
    )
