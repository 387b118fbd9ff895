"""Quotes import: quotes sent from another system, matched to stored customers.

Each row names a customer (point-of-sale id, e-mail, phone or exact name, tried in that
order, as purchases do), what the quote is for, its amount, the day it was sent and its
status (open, won or lost; "accepted", "declined", "expired"... are read as such), and
optionally the day it was decided and who sent it. A quote is the same quote when its
customer, sending day, amount and description are: importing the same file again adds
nothing, and a quote still open in CallAhead that the file now says was won or lost is
decided (its follow-up calls cancelled). A quote CallAhead already decided is never reopened.

read → map → plan → apply, as customers and purchases: the plan is a value the preview shows,
and the import writes it in one transaction, then plans the follow-up calls of open quotes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from core.storage.database import Database
from core.storage.enums import QuoteStatus
from core.errors import InvalidInput
from core.importing.customers import RowIssue, _check_region, all_or_nothing_refusal
from core.importing.fields import QuoteField
from core.importing.formats import ImportKind
from core.importing.mapping import ColumnMap, suggest_mapping
from core.importing.purchases import _customer_summaries, _CustomerIndex, _row_values
from core.importing.reading import ImportSource
from core.importing.summaries import file_summary, set_aside_rows
from core.importing.values import parse_date, parse_money_cents
from core.storage.models import Quote, StaffMember
from core.scheduling.rules import plan_quote_and_reward_calls
from core.settings import load_settings

Q = QuoteField
_WHAT_WIDTH = 300
_STATUS_WORDS = {
    QuoteStatus.OPEN: ("open", "sent", "pending", "draft", "outstanding", "awaiting", "new", "submitted"),
    QuoteStatus.WON: ("won", "accepted", "approved", "signed", "invoiced", "converted", "ordered", "closed won"),
    QuoteStatus.LOST: ("lost", "declined", "rejected", "expired", "cancelled", "canceled", "closed lost", "dead"),
}


@dataclass(frozen=True)
class PlannedQuote:
    line: int
    customer_id: int
    customer_name: str
    what: str | None
    amount_cents: int
    sent: dt.date
    status: QuoteStatus
    decided_on: dt.date | None
    staff_id: int | None


@dataclass(frozen=True)
class PlannedDecision:
    """A stored open quote the file says was won or lost."""

    line: int
    quote_id: int
    customer_name: str
    status: QuoteStatus
    decided_on: dt.date


@dataclass(frozen=True)
class QuoteImportPlan:
    source_name: str
    format_key: str
    format_label: str
    encoding: str
    delimiter: str | None
    records: int
    column_map: ColumnMap
    region: str
    quotes: tuple[PlannedQuote, ...]
    decisions: tuple[PlannedDecision, ...]
    unchanged: tuple[int, ...]  # lines whose quote is stored already, as the file says
    rejected: tuple[RowIssue, ...]
    flagged: tuple[RowIssue, ...]

    def preview(self, limit: int = 20) -> tuple[PlannedQuote, ...]:
        return self.quotes[:limit]

    def preview_table(self, limit: int = 20) -> tuple[str, list[str], list[list[str]]]:
        """The wizard's preview: a summary line, column headers and the first rows as text."""
        summary = (f"{self.records} rows: <b>{len(self.quotes)}</b> new quotes, {len(self.decisions)} decided since, "
                   f"{len(self.unchanged)} already imported, <b>{len(self.rejected)}</b> rejected, "
                   f"{len(self.flagged)} flagged.")
        headers = ["Line", "Customer", "What", "Amount", "Sent", "Status"]
        rows = [[str(q.line), q.customer_name, q.what or "", f"{q.amount_cents / 100:,.2f}", q.sent.isoformat(),
                 q.status.value] for q in self.preview(limit)]
        rows += [[str(d.line), d.customer_name, "(stored quote)", "", "", d.status.value]
                 for d in self.decisions[:max(limit - len(rows), 0)]]
        return summary, headers, rows


@dataclass(frozen=True)
class QuoteImportReport:
    plan: QuoteImportPlan
    applied: bool
    customers: tuple[dict[str, Any], ...] = ()
    refused: str | None = None

    def summary(self) -> dict[str, Any]:
        plan = self.plan
        return {
            **file_summary(plan, ImportKind.QUOTES, applied=self.applied, refused=self.refused),
            "created": len(plan.quotes), "updated": len(plan.decisions), "unchanged": len(plan.unchanged),
            "merged": 0,
            **set_aside_rows(plan),
            "customers": list(self.customers),
        }


def quote_status(text: str | None) -> QuoteStatus | None:
    """The status a word means (blank: open); None when it means none of them."""
    word = " ".join((text or "").lower().replace("_", " ").replace("-", " ").split())
    if not word:
        return QuoteStatus.OPEN
    for status, words in _STATUS_WORDS.items():
        if word in words:
            return status
    return None


def _same_quote_key(customer_id: int, sent: dt.date, amount_cents: int, what: str | None) -> tuple:
    return customer_id, sent, amount_cents, " ".join((what or "").split()).casefold()


def plan_quote_import(session: Session, source: ImportSource, column_map: ColumnMap | None = None, *,
                      region: str | None = None, today: dt.date | None = None) -> QuoteImportPlan:
    """What importing the quotes in `source` would add or decide. Reads only."""
    column_map = column_map or suggest_mapping(source, ImportKind.QUOTES)
    column_map.require_usable(source.name)
    region = _check_region(region or load_settings(session).phone_region)
    customers = _CustomerIndex.load(session)
    staff = {name.casefold(): sid for sid, name in session.execute(select(StaffMember.id, StaffMember.name))}
    stored = {_same_quote_key(q.customer_id, q.sent_on, q.amount_cents, q.description): (q.id, q.status)
              for q in session.execute(select(Quote.id, Quote.customer_id, Quote.sent_on, Quote.amount_cents,
                                              Quote.description, Quote.status))}
    rejected: list[RowIssue] = []
    flagged: list[RowIssue] = []
    planned: list[PlannedQuote] = []
    decisions: list[PlannedDecision] = []
    unchanged: list[int] = []
    seen: dict[tuple, int] = {}

    for row in source.rows:
        if row.problem:
            rejected.append(RowIssue(row.line, row.problem))
            continue
        values = _row_values(row, column_map)
        try:
            amount = parse_money_cents(values.get(Q.AMOUNT, ""), "amount")
            sent = parse_date(values.get(Q.SENT, ""), region, "sending date")
            decided = parse_date(values[Q.DECIDED], region, "decision date") if values.get(Q.DECIDED) else None
        except InvalidInput as problem:
            rejected.append(RowIssue(row.line, str(problem)))
            continue
        status = quote_status(values.get(Q.STATUS))
        reason = None
        if amount is None:
            reason = "the row has no amount"
        elif amount < 0:
            reason = f"the amount {values[Q.AMOUNT]} is negative"
        elif sent is None:
            reason = "the row has no sending date"
        elif today is not None and sent > today:
            reason = f"the sending date {sent.isoformat()} is in the future"
        elif status is None:
            reason = f"status '{values[Q.STATUS]}' is not open, won or lost"
        elif decided is not None and decided < sent:
            reason = f"the decision date {decided.isoformat()} is before the sending date {sent.isoformat()}"
        if reason:
            rejected.append(RowIssue(row.line, reason))
            continue
        customer_id, why_not = customers.match(values, region)
        if customer_id is None:
            rejected.append(RowIssue(row.line, why_not))
            continue
        what = " ".join((values.get(Q.WHAT) or "").split()) or None
        if what and len(what) > _WHAT_WIDTH:
            flagged.append(RowIssue(row.line, f"what the quote is for was cut to {_WHAT_WIDTH} characters"))
            what = what[:_WHAT_WIDTH]
        if status is QuoteStatus.OPEN:
            decided = None
        elif decided is None:
            decided = sent
            flagged.append(RowIssue(row.line, f"{status.value} with no decision date; the sending date is used"))
        staff_id = None
        if values.get(Q.STAFF):
            staff_id = staff.get(" ".join(values[Q.STAFF].split()).casefold())
            if staff_id is None:
                flagged.append(RowIssue(row.line, f"no caller is called {values[Q.STAFF]}; stored without a sender"))

        key = _same_quote_key(customer_id, sent, amount, what)
        if key in seen:
            flagged.append(RowIssue(row.line, f"the same quote as line {seen[key]}; imported once"))
            continue
        seen[key] = row.line
        if key in stored:
            quote_id, stored_status = stored[key]
            if stored_status == status:
                unchanged.append(row.line)
            elif stored_status is QuoteStatus.OPEN:
                decisions.append(PlannedDecision(row.line, quote_id, customers.names[customer_id], status, decided))
            else:
                flagged.append(RowIssue(row.line, f"already marked {stored_status.value} in CallAhead; left as it is"))
                unchanged.append(row.line)
            continue
        planned.append(PlannedQuote(row.line, customer_id, customers.names[customer_id], what, amount, sent, status,
                                    decided, staff_id))

    return QuoteImportPlan(
        source_name=source.name, format_key=column_map.format_key, format_label=column_map.format_label,
        encoding=source.encoding, delimiter=source.delimiter, records=source.record_count, column_map=column_map,
        region=region, quotes=tuple(planned), decisions=tuple(decisions), unchanged=tuple(unchanged),
        rejected=tuple(rejected), flagged=tuple(flagged))


def apply_quote_plan(session: Session, plan: QuoteImportPlan, today: dt.date | None) -> None:
    """Write a plan inside the caller's transaction; with `today`, plan the follow-ups at once."""
    if plan.quotes:
        session.execute(insert(Quote), [
            {"customer_id": q.customer_id, "staff_id": q.staff_id, "description": q.what,
             "amount_cents": q.amount_cents, "sent_on": q.sent, "status": q.status, "decided_on": q.decided_on}
            for q in plan.quotes])
    for decision in plan.decisions:
        session.execute(update(Quote).where(Quote.id == decision.quote_id, Quote.status == QuoteStatus.OPEN)
                        .values(status=decision.status, decided_on=decision.decided_on))
    if today is not None:
        plan_quote_and_reward_calls(session, today)


def preview_quote_import(db: Database, source: ImportSource, column_map: ColumnMap | None = None, *,
                         region: str | None = None, today: dt.date | None = None) -> QuoteImportPlan:
    with db.session() as session:
        return plan_quote_import(session, source, column_map, region=region, today=today)


def import_quotes(db: Database, source: ImportSource, column_map: ColumnMap | None = None, *,
                  region: str | None = None, all_or_nothing: bool = False, dry_run: bool = False,
                  today: dt.date | None = None) -> QuoteImportReport:
    """Import the good quote rows in one transaction (nothing at all with all_or_nothing and a bad row)."""
    session_factory = db.session if dry_run else db.transaction
    with session_factory() as session:
        plan = plan_quote_import(session, source, column_map, region=region, today=today)
        customer_ids = list(dict.fromkeys([q.customer_id for q in plan.quotes] + _decided_customers(session, plan)))
        summaries = _customer_summaries(session, customer_ids)
        if dry_run:
            return QuoteImportReport(plan, applied=False, customers=summaries)
        if all_or_nothing and plan.rejected:
            return QuoteImportReport(plan, applied=False, customers=summaries,
                                     refused=all_or_nothing_refusal(len(plan.rejected)))
        apply_quote_plan(session, plan, today)
    return QuoteImportReport(plan, applied=True, customers=summaries)


def _decided_customers(session: Session, plan: QuoteImportPlan) -> list[int]:
    ids = [d.quote_id for d in plan.decisions]
    if not ids:
        return []
    return list(dict.fromkeys(session.scalars(select(Quote.customer_id).where(Quote.id.in_(ids)).order_by(Quote.id))))
