"""Reward cards import: each customer's stamps from a loyalty app or a spreadsheet.

Each row names a customer (point-of-sale id, e-mail, phone or exact name, as purchases do)
and the stamps on their card; optionally the stamps a reward needs (else the stored card's,
else 10), rewards already redeemed and the day of the last stamp. The file says what the
card holds now: a stored card is set to it, so importing the same file again changes
nothing. A card left one stamp short gets its call planned at once.

read → map → plan → apply, as customers and purchases, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from core.storage.database import Database
from core.errors import InvalidInput
from core.importing.customers import RowIssue, _check_region, all_or_nothing_refusal
from core.importing.fields import RewardField
from core.importing.formats import ImportKind
from core.importing.mapping import ColumnMap, suggest_mapping
from core.importing.purchases import _customer_summaries, _CustomerIndex, _row_values
from core.importing.reading import ImportSource
from core.importing.summaries import file_summary, set_aside_rows
from core.importing.values import parse_count, parse_date
from core.storage.models import RewardCard
from core.customers.rewards import DEFAULT_STAMPS_NEEDED, check_card_values
from core.scheduling.rules import plan_quote_and_reward_calls
from core.settings import load_settings

R = RewardField


@dataclass(frozen=True)
class PlannedCard:
    line: int
    customer_id: int
    customer_name: str
    stamps: int
    stamps_needed: int
    rewards_redeemed: int
    last_stamp_on: dt.date | None
    card_id: int | None  # the stored card it replaces; None for a new card


@dataclass(frozen=True)
class RewardImportPlan:
    source_name: str
    format_key: str
    format_label: str
    encoding: str
    delimiter: str | None
    records: int
    column_map: ColumnMap
    region: str
    cards: tuple[PlannedCard, ...]  # new cards and stored cards that change
    unchanged: tuple[int, ...]  # lines whose card is stored already as the file says
    rejected: tuple[RowIssue, ...]
    flagged: tuple[RowIssue, ...]

    @property
    def created(self) -> int:
        return sum(1 for c in self.cards if c.card_id is None)

    @property
    def updated(self) -> int:
        return sum(1 for c in self.cards if c.card_id is not None)

    def preview(self, limit: int = 20) -> tuple[PlannedCard, ...]:
        return self.cards[:limit]

    def preview_table(self, limit: int = 20) -> tuple[str, list[str], list[list[str]]]:
        """The wizard's preview: a summary line, column headers and the first rows as text."""
        summary = (f"{self.records} rows: <b>{self.created}</b> new cards, {self.updated} updated, "
                   f"{len(self.unchanged)} unchanged, <b>{len(self.rejected)}</b> rejected, "
                   f"{len(self.flagged)} flagged.")
        headers = ["Line", "Customer", "Stamps", "Stamps needed", "Rewards redeemed", "Will be"]
        rows = [[str(c.line), c.customer_name, str(c.stamps), str(c.stamps_needed), str(c.rewards_redeemed),
                 "new card" if c.card_id is None else "updated"] for c in self.preview(limit)]
        return summary, headers, rows


@dataclass(frozen=True)
class RewardImportReport:
    plan: RewardImportPlan
    applied: bool
    customers: tuple[dict[str, Any], ...] = ()
    refused: str | None = None

    def summary(self) -> dict[str, Any]:
        plan = self.plan
        return {
            **file_summary(plan, ImportKind.REWARDS, applied=self.applied, refused=self.refused),
            "created": plan.created, "updated": plan.updated, "unchanged": len(plan.unchanged), "merged": 0,
            **set_aside_rows(plan),
            "customers": list(self.customers),
        }


def plan_reward_import(session: Session, source: ImportSource, column_map: ColumnMap | None = None, *,
                       region: str | None = None, today: dt.date | None = None) -> RewardImportPlan:
    """What importing the cards in `source` would set. Reads only."""
    column_map = column_map or suggest_mapping(source, ImportKind.REWARDS)
    column_map.require_usable(source.name)
    region = _check_region(region or load_settings(session).phone_region)
    customers = _CustomerIndex.load(session)
    stored = {card.customer_id: card for card in session.scalars(select(RewardCard))}
    rejected: list[RowIssue] = []
    flagged: list[RowIssue] = []
    planned: list[PlannedCard] = []
    unchanged: list[int] = []
    seen: dict[int, int] = {}

    for row in source.rows:
        if row.problem:
            rejected.append(RowIssue(row.line, row.problem))
            continue
        values = _row_values(row, column_map)
        try:
            stamps = parse_count(values.get(R.STAMPS, ""), "stamps")
            needed = parse_count(values[R.STAMPS_NEEDED], "stamps needed") if values.get(R.STAMPS_NEEDED) else None
            redeemed = (parse_count(values[R.REWARDS_REDEEMED], "rewards redeemed")
                        if values.get(R.REWARDS_REDEEMED) else None)
            last = parse_date(values[R.LAST_STAMP], region, "last stamp") if values.get(R.LAST_STAMP) else None
        except InvalidInput as problem:
            rejected.append(RowIssue(row.line, str(problem)))
            continue
        if stamps is None:
            rejected.append(RowIssue(row.line, "the row has no number of stamps"))
            continue
        customer_id, why_not = customers.match(values, region)
        if customer_id is None:
            rejected.append(RowIssue(row.line, why_not))
            continue
        card = stored.get(customer_id)
        needed = needed if needed is not None else (card.stamps_needed if card else DEFAULT_STAMPS_NEEDED)
        problem = check_card_values(stamps, needed)
        if problem is None and redeemed is not None and redeemed < 0:
            problem = f"{redeemed} rewards redeemed is not a number of rewards"
        if problem is None and today is not None and last is not None and last > today:
            problem = f"the last stamp {last.isoformat()} is in the future"
        if problem:
            rejected.append(RowIssue(row.line, problem))
            continue
        if customer_id in seen:
            rejected.append(RowIssue(row.line, f"{customers.names[customer_id]}'s card is already on line "
                                                f"{seen[customer_id]}"))
            continue
        seen[customer_id] = row.line
        redeemed = redeemed if redeemed is not None else (card.rewards_redeemed if card else 0)
        last = last or (card.last_stamp_on if card else None)
        if card is not None and (card.stamps, card.stamps_needed, card.rewards_redeemed, card.last_stamp_on) == (
                stamps, needed, redeemed, last):
            unchanged.append(row.line)
            continue
        planned.append(PlannedCard(row.line, customer_id, customers.names[customer_id], stamps, needed, redeemed, last,
                                   card.id if card else None))

    return RewardImportPlan(
        source_name=source.name, format_key=column_map.format_key, format_label=column_map.format_label,
        encoding=source.encoding, delimiter=source.delimiter, records=source.record_count, column_map=column_map,
        region=region, cards=tuple(planned), unchanged=tuple(unchanged), rejected=tuple(rejected),
        flagged=tuple(flagged))


def apply_reward_plan(session: Session, plan: RewardImportPlan, today: dt.date | None) -> None:
    """Write a plan inside the caller's transaction; with `today`, plan "one stamp short" calls at once."""
    new = [c for c in plan.cards if c.card_id is None]
    if new:
        session.execute(insert(RewardCard), [
            {"customer_id": c.customer_id, "stamps": c.stamps, "stamps_needed": c.stamps_needed,
             "rewards_redeemed": c.rewards_redeemed, "last_stamp_on": c.last_stamp_on} for c in new])
    for card in plan.cards:
        if card.card_id is not None:
            session.execute(update(RewardCard).where(RewardCard.id == card.card_id).values(
                stamps=card.stamps, stamps_needed=card.stamps_needed, rewards_redeemed=card.rewards_redeemed,
                last_stamp_on=card.last_stamp_on))
    if today is not None:
        plan_quote_and_reward_calls(session, today)


def preview_reward_import(db: Database, source: ImportSource, column_map: ColumnMap | None = None, *,
                          region: str | None = None, today: dt.date | None = None) -> RewardImportPlan:
    with db.session() as session:
        return plan_reward_import(session, source, column_map, region=region, today=today)


def import_rewards(db: Database, source: ImportSource, column_map: ColumnMap | None = None, *,
                   region: str | None = None, all_or_nothing: bool = False, dry_run: bool = False,
                   today: dt.date | None = None) -> RewardImportReport:
    """Import the good card rows in one transaction (nothing at all with all_or_nothing and a bad row)."""
    session_factory = db.session if dry_run else db.transaction
    with session_factory() as session:
        plan = plan_reward_import(session, source, column_map, region=region, today=today)
        summaries = _customer_summaries(session, [c.customer_id for c in plan.cards])
        if dry_run:
            return RewardImportReport(plan, applied=False, customers=summaries)
        if all_or_nothing and plan.rejected:
            return RewardImportReport(plan, applied=False, customers=summaries,
                                      refused=all_or_nothing_refusal(len(plan.rejected)))
        apply_reward_plan(session, plan, today)
    return RewardImportReport(plan, applied=True, customers=summaries)
