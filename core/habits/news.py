"""What's on: dated news items the owner wants every call to mention while they run.

"Open house Saturday 12 Dec — coffee and 10 % off openers" runs from its first day to its last
day, both included. While it runs, every call's script carries it once as a talking point after
the reason, and the printed day sheet carries it in its header. An item can be limited to some
call reasons, or to customers with some tags (e.g. only `retail` customers): with both limits,
a call must match both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.customers.contact_fields import clean_tags
from core.storage.enums import Reason
from core.errors import InvalidInput
from core.storage.models import Customer, NewsItem

TITLE_MAX = 200
NEWS_HEADING = "What's on"


@dataclass(frozen=True)
class News:
    id: int
    title: str
    text: str | None
    starts_on: dt.date
    ends_on: dt.date
    reasons: tuple[Reason, ...]  # empty: every reason
    tags: tuple[str, ...]  # empty: every customer

    def runs_on(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def applies_to(self, reason: Reason | None, customer_tags: Iterable[str]) -> bool:
        if self.reasons and reason not in self.reasons:
            return False
        return not self.tags or bool(set(self.tags) & {t.strip().lower() for t in customer_tags})

    @property
    def talking_point(self) -> str:
        return f"{self.title} — {self.text}" if self.text else self.title

    @property
    def limits(self) -> str:
        """'' for everyone, else 'reasons: quote · tags: retail'."""
        parts = []
        if self.reasons:
            parts.append("reasons: " + ", ".join(r.value for r in self.reasons))
        if self.tags:
            parts.append("tags: " + ", ".join(self.tags))
        return " · ".join(parts)


def _news(row: NewsItem) -> News:
    reasons = tuple(Reason(value) for value in (row.reasons or "").split(",") if value in Reason._value2member_map_)
    tags = tuple(t for t in (row.tags or "").split(",") if t)
    return News(row.id, row.title, row.text, row.starts_on, row.ends_on, reasons, tags)


def _reasons(values: Sequence[str]) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    for value in values:
        value = value.strip().lower()
        if not value:
            continue
        try:
            reason = Reason(value)
        except ValueError:
            known = ", ".join(r.value for r in Reason)
            raise InvalidInput(f"'{value}' is not a call reason (reasons: {known}).", field="reasons") from None
        if reason not in reasons:
            reasons.append(reason)
    return tuple(reasons)


def add_news(session: Session, title: str, starts_on: dt.date, ends_on: dt.date, *, text: str | None = None,
             reasons: Sequence[str] = (), tags: Sequence[str] = ()) -> News:
    """Store a news item; InvalidInput (naming the field) before anything is written."""
    title = " ".join((title or "").split())
    if not title:
        raise InvalidInput("Give the news a title (what callers should mention).", field="title")
    if len(title) > TITLE_MAX:
        raise InvalidInput(f"The title is too long ({len(title)} characters, at most {TITLE_MAX}): "
                           "put the details in the text.", field="title")
    if ends_on < starts_on:
        raise InvalidInput(f"The last day ({ends_on.isoformat()}) is before the first day "
                           f"({starts_on.isoformat()}).", field="to")
    chosen = _reasons(reasons)
    cleaned_tags = clean_tags(list(tags))
    row = NewsItem(title=title, text=(text or "").strip() or None, starts_on=starts_on, ends_on=ends_on,
                   reasons=",".join(r.value for r in chosen) or None, tags=cleaned_tags)
    session.add(row)
    session.flush()
    return _news(row)


def remove_news(session: Session, news_id: int) -> News:
    row = session.get(NewsItem, news_id)
    if row is None:
        raise InvalidInput(f"There is no news item with id {news_id} (see `news list`).", field="id")
    removed = _news(row)
    session.delete(row)
    session.flush()
    return removed


def list_news(session: Session) -> list[News]:
    """Every news item, the latest first day first."""
    return [_news(row) for row in session.scalars(
        select(NewsItem).order_by(NewsItem.starts_on.desc(), NewsItem.id.desc()))]


def news_running(session: Session, day: dt.date) -> list[News]:
    """Items running on `day` (first and last day included), the earliest started first."""
    return [_news(row) for row in session.scalars(
        select(NewsItem).where(NewsItem.starts_on <= day, NewsItem.ends_on >= day)
        .order_by(NewsItem.starts_on, NewsItem.id))]


def news_for_call(session: Session, customer_id: int, reason: Reason | None, day: dt.date) -> list[News]:
    """What this call should mention: items running that day whose limits the call matches."""
    running = news_running(session, day)
    if not running:
        return []
    tags = (session.scalar(select(Customer.tags).where(Customer.id == customer_id)) or "").split(",")
    return [item for item in running if item.applies_to(reason, tags)]


def news_paragraph(items: Sequence[News]) -> str:
    """The script's talking point: one paragraph, each item once ('' when there is none)."""
    if not items:
        return ""
    if len(items) == 1:
        return f"{NEWS_HEADING}: {items[0].talking_point}"
    return f"{NEWS_HEADING}:\n" + "\n".join(f"• {item.talking_point}" for item in items)


def news_for_calls(session: Session, day: dt.date, calls: Sequence[tuple[int, Reason | None]]) -> list[News]:
    """What a day sheet's header carries: items running that day that at least one of its
    calls (customer id, reason) would mention; an item with no limits always."""
    running = news_running(session, day)
    if not running:
        return []
    tags: dict[int, list[str]] = {}
    if any(item.tags for item in running) and calls:
        tags = {customer_id: (stored or "").split(",") for customer_id, stored in session.execute(
            select(Customer.id, Customer.tags).where(Customer.id.in_({c for c, _r in calls})))}
    return [item for item in running
            if not (item.reasons or item.tags)
            or any(item.applies_to(reason, tags.get(customer_id, ())) for customer_id, reason in calls)]
