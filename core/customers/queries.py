"""The customer list: which customers match a search and quick filters, in which order, and
the figures shown on each row.

Built for 100,000 customers: `find_customer_ids` returns only ids, in order, and
`customer_rows` computes a row's figures for one page of ids at a time, when the list
needs them. Search uses the SQLite FTS5 index `customer_search` (diacritics folded, phone
digits indexed whole and by their last 10/7/4 digits); on any other database it falls back
to LIKE (accents then match exactly).

What the figures mean (the owner sees them as columns and sort keys):
- last contact: the last call in which someone actually *reached* the customer. Voicemails
  and unanswered attempts are not contact: a customer we only ever left messages for should
  sort as "not talked to in a long time".
- last purchase: the newest purchase recorded, or the last purchase date an import brought
  from another system, whichever is later.
- value: what they spent in the 12 months up to today (current value, not lifetime: a big
  customer who stopped buying two years ago is not a big customer now).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from collections.abc import Iterable, Sequence
from enum import StrEnum
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from sqlalchemy import (
    ColumnElement,
    Date,
    String,
    and_,
    bindparam,
    case,
    column,
    exists,
    func,
    not_,
    or_,
    select,
    table,
    text,
    type_coerce,
)
from sqlalchemy.orm import Session

from core.customers.contact_fields import display_phone
from core.customers.search import (SEARCH_FOLDS, fts5_match_expression, like_pattern, parse_search_text,
                                  server_search_condition, server_token_query)
from core.storage.enums import ChangeStatus, Outcome, QuoteStatus, TaskStatus
from core.storage.models import CallLog, CallTask, Change, ChangeCustomer, ChangeProduct, Customer, Purchase, Quote
from core.settings import load_settings

VALUE_MONTHS = 12
AFFECTED_PURCHASE_MONTHS = 12
# SQLite allows 32,766 bound parameters; a page is far below, but callers may pass more ids.
_IN_CHUNK = 900


class CustomerSort(StrEnum):
    NAME = "name"
    COMPANY = "company"
    LAST_CONTACT = "last_contact"
    LAST_PURCHASE = "last_purchase"
    VALUE = "value"


class QuickFilter(StrEnum):
    """Filters the owner toggles above the list; several together must all hold."""

    DUE_NOW = "due_now"  # a pending call or task due today or earlier
    NEGLECTED = "neglected"  # bought before, but nothing in Settings.neglected_months
    OPEN_QUOTE = "open_quote"
    AFFECTED_BY_CHANGE = "affected_by_change"  # see `affected_by_active_change`
    DO_NOT_CALL = "do_not_call"


@dataclass(frozen=True)
class CustomerQuery:
    text: str = ""
    filters: frozenset[QuickFilter] = frozenset()
    sort: CustomerSort = CustomerSort.NAME
    descending: bool = False


@dataclass(frozen=True)
class CustomerRow:
    """One line of the customer list."""

    id: int
    name: str
    company: str | None
    phone: str  # as the owner reads it (national format at home)
    phone_e164: str | None
    email: str | None
    tags: str | None
    last_contact: dt.date | None
    last_purchase: dt.date | None
    value_cents: int
    do_not_call: bool
    due_now: bool
    open_quote: bool


def _months_before(day: dt.date, months: int) -> dt.date:
    return day - relativedelta(months=months)


def uses_full_text_index(session: Session) -> bool:
    """The FTS5 index on SQLite (migration 0002), its counterpart on PostgreSQL (migration 0008)."""
    return session.get_bind().dialect.name in ("sqlite", "postgresql")


# --- building blocks -------------------------------------------------------------------

def _last_purchase_subquery():
    return (select(Purchase.customer_id.label("customer_id"), func.max(Purchase.purchased_on).label("day"))
            .group_by(Purchase.customer_id).subquery("last_purchase"))


def _latest(recorded, imported) -> ColumnElement:
    return case((recorded.is_(None), imported), (imported.is_(None), recorded),
                (recorded >= imported, recorded), else_=imported)


def _last_contact_subquery():
    return (select(CallLog.customer_id.label("customer_id"), func.max(CallLog.logged_at).label("at"))
            .where(CallLog.outcome == Outcome.REACHED)
            .group_by(CallLog.customer_id).subquery("last_contact"))


def _value_subquery(today: dt.date):
    since = _months_before(today, VALUE_MONTHS)
    return (select(Purchase.customer_id.label("customer_id"), func.sum(Purchase.amount_cents).label("cents"))
            .where(Purchase.purchased_on > since, Purchase.purchased_on <= today)
            .group_by(Purchase.customer_id).subquery("value"))


# The filters ask "which customers have...?" as one set (IN), read once from the status index. Asked
# per customer (EXISTS), SQLite without statistics walks every pending task of the business for each
# of them: minutes at 100,000 customers.
def _due_now(today: dt.date) -> ColumnElement:
    return Customer.id.in_(select(CallTask.customer_id).where(CallTask.status == TaskStatus.PENDING,
                                                              CallTask.due_on <= today))


def _open_quote() -> ColumnElement:
    return Customer.id.in_(select(Quote.customer_id).where(Quote.status == QuoteStatus.OPEN))


def _has_open_quote() -> ColumnElement:
    """Per row of a page: answered from the quotes' customer index."""
    return exists().where(Quote.customer_id == Customer.id, Quote.status == QuoteStatus.OPEN)


def _neglected(today: dt.date, months: int) -> ColumnElement:
    cutoff = _months_before(today, months)
    bought_before = or_(exists().where(Purchase.customer_id == Customer.id),
                        Customer.imported_last_purchase.is_not(None))
    nothing_since = and_(
        not_(exists().where(Purchase.customer_id == Customer.id, Purchase.purchased_on >= cutoff)),
        or_(Customer.imported_last_purchase.is_(None), Customer.imported_last_purchase < cutoff),
    )
    return and_(bought_before, nothing_since)


def _change_in_progress(today: dt.date, follow_up_months: int) -> ColumnElement:
    # A change matters until its last follow-up call is due, not only until its date.
    return and_(Change.status == ChangeStatus.ACTIVE,
                Change.effective_on >= _months_before(today, follow_up_months))


def affected_by_active_change(today: dt.date, follow_up_months: int) -> ColumnElement:
    """Customers touched by a change still being worked on (active, not past its follow-up):
    they bought one of its products in the last 12 months, or the owner added them by hand,
    and the owner did not leave them out of it."""
    in_progress = _change_in_progress(today, follow_up_months)
    left_out = exists().where(ChangeCustomer.change_id == Change.id, ChangeCustomer.customer_id == Customer.id,
                              ChangeCustomer.excluded.is_(True))
    bought = (exists()
              .where(Purchase.customer_id == Customer.id,
                     Purchase.purchased_on > _months_before(today, AFFECTED_PURCHASE_MONTHS),
                     ChangeProduct.product_id == Purchase.product_id,
                     Change.id == ChangeProduct.change_id, in_progress, not_(left_out)))
    added = exists().where(ChangeCustomer.customer_id == Customer.id, ChangeCustomer.excluded.is_(False),
                           Change.id == ChangeCustomer.change_id, in_progress)
    return or_(bought, added)


_SEARCHED_COLUMNS = ("name", "company", "email", "tags")
# SQLite's parser allows about 30 nested calls in one expression: fold in steps, a subquery each.
_FOLDS_PER_STEP = 10


def _folded_text_columns():
    """The searched columns lower-cased and folded as the search index folds them (ß → ss, ﬁ → fi, ø → o)."""
    folded = select(Customer.id.label("id"), *(func.lower(func.coalesce(getattr(Customer, name), "")).label(name)
                                                for name in _SEARCHED_COLUMNS)).subquery()
    for start in range(0, len(SEARCH_FOLDS), _FOLDS_PER_STEP):
        columns = []
        for name in _SEARCHED_COLUMNS:
            expression = folded.c[name]
            for letter, plain in SEARCH_FOLDS[start:start + _FOLDS_PER_STEP]:
                expression = func.replace(expression, letter, plain)
            columns.append(expression.label(name))
        folded = select(folded.c.id, *columns).subquery()
    return folded


def _text_condition(session: Session, text_typed: str, full_text: bool) -> ColumnElement | None:
    if full_text and session.get_bind().dialect.name == "postgresql":
        return server_search_condition(session, text_typed, Customer.id)
    if full_text:
        expression = fts5_match_expression(text_typed)
        if expression is None:
            return None
        search = table("customer_search", column("rowid"))
        matches = select(search.c.rowid).where(text("customer_search MATCH :search_expression")
                                               .bindparams(search_expression=expression))
        return Customer.id.in_(matches)
    terms = parse_search_text(text_typed)
    if not terms:
        return None
    conditions = []
    if terms.words:
        folded = _folded_text_columns()
        words = [or_(*(folded.c[name].like(like_pattern(word), escape="\\") for name in _SEARCHED_COLUMNS))
                 for word in terms.words]
        conditions.append(Customer.id.in_(select(folded.c.id).where(*words)))
    for digits in terms.phone_digits:
        conditions.append(Customer.phone.like(like_pattern(digits), escape="\\"))
    return and_(*conditions)


def changes_affecting(session: Session, customer_id: int, today: dt.date) -> list[Change]:
    """The changes in progress that affect this customer (same rule as the quick filter), soonest first."""
    settings = load_settings(session)
    in_progress = session.scalars(select(Change).where(_change_in_progress(today, settings.follow_up_months))
                                  .order_by(Change.effective_on, Change.id)).all()
    affected = []
    for change in in_progress:
        by_hand = session.scalar(select(ChangeCustomer.excluded).where(ChangeCustomer.change_id == change.id,
                                                                       ChangeCustomer.customer_id == customer_id))
        if by_hand is True:
            continue
        if by_hand is False or session.scalar(
                select(Purchase.id).join(ChangeProduct, ChangeProduct.product_id == Purchase.product_id)
                .where(ChangeProduct.change_id == change.id, Purchase.customer_id == customer_id,
                       Purchase.purchased_on > _months_before(today, AFFECTED_PURCHASE_MONTHS)).limit(1)):
            affected.append(change)
    return affected


class NameOrder:
    """Every customer's place in name order, kept in memory so that a plain search (the
    keystroke case) needs only the FTS5 index: its matches are put in order here instead of
    joining and sorting in SQL, which costs several times the search itself at 100,000 customers.

    Whoever changes customers calls `invalidate()` (core.services does after every action); a
    customer added by another program is noticed by its unknown id and rebuilds the order.
    """

    def __init__(self) -> None:
        self._rank: dict[int, int] | None = None

    def invalidate(self) -> None:
        self._rank = None

    def rank(self, session: Session, ids: Sequence[int]) -> dict[int, int]:
        if self._rank is None or not all(map(self._rank.__contains__, ids)):
            ordered = session.scalars(select(Customer.id).order_by(func.lower(Customer.name), Customer.id))
            self._rank = {customer_id: place for place, customer_id in enumerate(ordered)}
        return self._rank


def _plain_search_in_name_order(session: Session, statement: str, parameters: tuple, name_order: NameOrder
                                ) -> list[int]:
    # The keystroke path: the index's own statement (FTS5 on SQLite, the token table on a server)
    # asked of the driver itself, since processing tens of thousands of result rows through
    # SQLAlchemy costs more than the search; and the matches put in name order here, because
    # joining the customers to sort them costs several times the search (on a server, 10–30×).
    driver = session.connection().connection.driver_connection
    matches = [row[0] for row in driver.execute(statement, parameters).fetchall()]
    rank = name_order.rank(session, matches)
    if not all(map(rank.__contains__, matches)):  # an index entry without its customer: leave it out
        matches = [i for i in matches if i in rank]
    return sorted(matches, key=rank.__getitem__)


_FTS5_MATCHES = "SELECT rowid FROM customer_search WHERE customer_search MATCH ?"


# --- the public queries ----------------------------------------------------------------

def find_customer_ids(session: Session, query: CustomerQuery, today: dt.date, *,
                      full_text: bool | None = None, name_order: NameOrder | None = None,
                      limit: int | None = None) -> list[int]:
    """Ids of the customers matching `query`, in its order (ties broken by name, then id).

    `full_text` forces the FTS5 index on or off; by default it is used wherever it exists.
    With a `name_order`, a plain search in name order is answered from the index alone.
    With a `limit`, only that many of the first ids.
    """
    if full_text is None:
        full_text = uses_full_text_index(session)
    if (full_text and name_order is not None and query.sort is CustomerSort.NAME and not query.descending
            and not query.filters):
        if session.get_bind().dialect.name == "postgresql":
            server_query = server_token_query(query.text)
            if server_query is not None:
                return _plain_search_in_name_order(session, *server_query, name_order)[:limit]
        else:
            expression = fts5_match_expression(query.text)
            if expression is not None:
                return _plain_search_in_name_order(session, _FTS5_MATCHES, (expression,), name_order)[:limit]
    statement = select(Customer.id)
    conditions: list[ColumnElement] = []
    text_condition = _text_condition(session, query.text, full_text)
    if text_condition is not None:
        conditions.append(text_condition)
    if QuickFilter.DUE_NOW in query.filters:
        conditions.append(_due_now(today))
    if QuickFilter.NEGLECTED in query.filters:
        conditions.append(_neglected(today, load_settings(session).neglected_months))
    if QuickFilter.OPEN_QUOTE in query.filters:
        conditions.append(_open_quote())
    if QuickFilter.AFFECTED_BY_CHANGE in query.filters:
        conditions.append(affected_by_active_change(today, load_settings(session).follow_up_months))
    if QuickFilter.DO_NOT_CALL in query.filters:
        conditions.append(Customer.do_not_call.is_(True))
    if conditions:
        statement = statement.where(*conditions)

    name_key = func.lower(Customer.name)
    direction = (lambda key: key.desc()) if query.descending else (lambda key: key.asc())
    if query.sort is CustomerSort.NAME:
        order = [direction(name_key)]
    elif query.sort is CustomerSort.COMPANY:
        order = [direction(func.lower(Customer.company)).nulls_last(), name_key]
    elif query.sort is CustomerSort.LAST_CONTACT:
        contact = _last_contact_subquery()
        statement = statement.outerjoin(contact, contact.c.customer_id == Customer.id)
        # Never contacted comes first when looking for the longest-neglected, last when newest-first.
        key = direction(contact.c.at)
        order = [key.nulls_last() if query.descending else key.nulls_first(), name_key]
    elif query.sort is CustomerSort.LAST_PURCHASE:
        last = _last_purchase_subquery()
        statement = statement.outerjoin(last, last.c.customer_id == Customer.id)
        key = direction(_latest(last.c.day, Customer.imported_last_purchase))
        order = [key.nulls_last() if query.descending else key.nulls_first(), name_key]
    else:
        value = _value_subquery(today)
        statement = statement.outerjoin(value, value.c.customer_id == Customer.id)
        order = [direction(func.coalesce(value.c.cents, 0)), name_key]
    statement = statement.order_by(*order, Customer.id)
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.scalars(statement))


@dataclass(frozen=True)
class FoundCustomers:
    """What a new search of the list reads at once: the ids in order (every one, or at least the
    first ones asked for when the rest can be read later) and how many match in all."""

    ids: list[int]
    total: int

    @property
    def complete(self) -> bool:
        return len(self.ids) >= self.total


def find_first_customer_ids(session: Session, query: CustomerQuery, today: dt.date, count: int, *,
                            name_order: NameOrder | None = None) -> FoundCustomers:
    """The first `count` ids of `query` in its order, and how many match.

    Every customer (no search, no filter: the list as it opens) is counted on its own and only
    the first page read, from the name index in name order: sorting 100,000 customers for the
    first 60 cost 0.4 s of every launch. A search or filter is read whole: counting its matches
    costs as much as reading them."""
    if query.text.strip() or query.filters:
        ids = find_customer_ids(session, query, today, name_order=name_order)
        return FoundCustomers(ids, len(ids))
    ids = find_customer_ids(session, query, today, name_order=name_order, limit=count)
    return FoundCustomers(ids, max(len(ids), count_all_customers(session)))


def count_all_customers(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Customer)) or 0


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _IN_CHUNK):
        yield ids[start:start + _IN_CHUNK]


@lru_cache(maxsize=250_000)
def _display_phone(e164: str | None, region: str) -> str:
    # Formatting a number costs ~25 µs; a list shows the same customers keystroke after keystroke.
    return display_phone(e164, region)


@lru_cache(maxsize=1)
def _row_statement():
    """The page query, built once: its customers, day and 12-month start are parameters.

    Building it anew for each page cost more than running it."""
    today, value_since = bindparam("today", type_=Date), bindparam("value_since", type_=Date)
    last_purchase = (select(func.max(Purchase.purchased_on)).where(Purchase.customer_id == Customer.id)
                     .correlate(Customer).scalar_subquery())
    value = (select(func.sum(Purchase.amount_cents))
             .where(Purchase.customer_id == Customer.id, Purchase.purchased_on > value_since,
                    Purchase.purchased_on <= today)
             .correlate(Customer).scalar_subquery())
    last_contact = (select(func.max(CallLog.logged_at))
                    .where(CallLog.customer_id == Customer.id, CallLog.outcome == Outcome.REACHED)
                    .correlate(Customer).scalar_subquery())
    # `status || ''` keeps the planner on the per-customer index: the (status, due_on) index would
    # make it walk every pending task of the business for each row (800 ms a page instead of 1).
    due_now = exists().where(CallTask.customer_id == Customer.id,
                             type_coerce(CallTask.status, String).concat("") == TaskStatus.PENDING.value,
                             CallTask.due_on <= today)
    return select(Customer.id, Customer.name, Customer.company, Customer.phone, Customer.email, Customer.tags,
                  Customer.do_not_call, Customer.imported_last_purchase, last_purchase.label("last_purchase"),
                  value.label("value_cents"), last_contact.label("last_contact"),
                  due_now.label("due_now"), _has_open_quote().label("open_quote")
                  ).where(Customer.id.in_(bindparam("ids", expanding=True)))


def customer_rows(session: Session, ids: Sequence[int], today: dt.date) -> list[CustomerRow]:
    """The list's figures for these customers, in the order given (unknown ids are skipped).

    One query per page: each figure is a correlated subquery answered from its index."""
    region = load_settings(session).phone_region
    rows: dict[int, CustomerRow] = {}
    for chunk in _chunks(list(ids)):
        for r in session.execute(_row_statement(), {"ids": list(chunk), "today": today,
                                                    "value_since": _months_before(today, VALUE_MONTHS)}):
            bought = [d for d in (r.last_purchase, r.imported_last_purchase) if d]
            rows[r.id] = CustomerRow(
                id=r.id, name=r.name, company=r.company, phone=_display_phone(r.phone, region),
                phone_e164=r.phone, email=r.email, tags=r.tags,
                last_contact=r.last_contact.date() if r.last_contact else None,
                last_purchase=max(bought) if bought else None, value_cents=int(r.value_cents or 0),
                do_not_call=bool(r.do_not_call), due_now=bool(r.due_now), open_quote=bool(r.open_quote))
    return [rows[i] for i in ids if i in rows]


def search_customers(session: Session, text: str, today: dt.date) -> list[CustomerRow]:
    """The customers the window's search box finds for `text`, in its list's order (by name) and with
    its figures: what `find` prints."""
    # The window's list keeps a NameOrder for its keystrokes; the search it answers is the same.
    ids = find_customer_ids(session, CustomerQuery(text=text), today, name_order=NameOrder())
    return customer_rows(session, ids, today)


__all__ = [
    "CustomerQuery", "CustomerRow", "CustomerSort", "NameOrder", "QuickFilter", "affected_by_active_change", "changes_affecting",
    "FoundCustomers", "count_all_customers", "customer_rows", "find_customer_ids", "find_first_customer_ids",
    "search_customers", "uses_full_text_index",
]
