"""Standing rules: the calls an owner wants made every time, without remembering them.

- check in after a purchase or installation (once per purchase day per customer);
- a courtesy call to a customer who has not bought for months (at most once per 90 days);
- follow up an open quote 3 and 7 days after it was sent, then weekly, until won or lost;
- ring a customer one stamp short of a reward;
- keep in touch with customers who have a cadence, counted from the last real contact.

`plan_standing_tasks` is idempotent: every task carries a dedupe key saying what made it,
so running it twice on the same data and date creates nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, case, func, insert, select, update
from sqlalchemy.orm import Session

from core.dates import date_text
from core.storage.enums import Outcome, PurchaseKind, QuoteStatus, Reason, TaskKind, TaskStatus
from core.storage.models import CallLog, CallTask, Customer, Product, Purchase, Quote, RewardCard, Setting, StaffMember
from core.money import format_money
from core.scheduling.business_days import BusinessCalendar
from core.scheduling.value import spend_last_year
from core.scheduling.windows import quote_follow_up_schedule
from core.settings import Settings, load_settings

# How far ahead rules put tasks on the calendar, so the owner sees the coming weeks.
HORIZON = dt.timedelta(days=14)
# A missed check-in is still worth making for a week; after that it would feel odd.
POST_PURCHASE_GRACE = dt.timedelta(days=7)
COURTESY_SHARE_OF_A_DAY = 4  # courtesy calls waiting at once: a quarter of the team's daily calls


@dataclass(frozen=True)
class RulesResult:
    created: dict[Reason, int]
    cancelled: int

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def _short(day: dt.date) -> str:
    return f"{day.day} {date_text(day, '%b %Y')}"


def _existing_keys(session: Session, prefix: str) -> set[str]:
    return set(session.scalars(select(CallTask.dedupe_key).where(CallTask.dedupe_key.like(f"{prefix}:%"))))


def plan_standing_tasks(session: Session, today: dt.date, settings: Settings | None = None) -> RulesResult:
    settings = settings or load_settings(session)
    calendar = BusinessCalendar.from_settings(settings)
    first_open = calendar.open_on_or_after(today)
    cancelled = _cancel_stale(session, today)
    rows: list[dict] = []
    rows += _post_purchase(session, today, settings, calendar, first_open)
    rows += _quotes(session, today, settings, calendar, first_open)
    rows += _rewards(session, first_open)
    rows += _keep_in_touch(session, today, calendar, first_open)
    rows += _neglected(session, today, settings, first_open, already=rows)
    spend = spend_last_year(session, (row["customer_id"] for row in rows), today)
    for row in rows:
        row["customer_value_cents"] = spend.get(row["customer_id"], 0)
    for start in range(0, len(rows), 5000):
        session.execute(insert(CallTask), rows[start:start + 5000])
    return RulesResult(dict(Counter(row["reason"] for row in rows)), cancelled)


def plan_quote_and_reward_calls(session: Session, today: dt.date, settings: Settings | None = None) -> RulesResult:
    """Only the quote and reward-card rules, for an owner's action on a quote or a card: its
    follow-ups and "one stamp short" calls appear (or are cancelled) at once, not at the
    next morning pass, without paying for the whole pass."""
    settings = settings or load_settings(session)
    calendar = BusinessCalendar.from_settings(settings)
    first_open = calendar.open_on_or_after(today)
    cancelled = _cancel_stale(session, today)
    rows = _quotes(session, today, settings, calendar, first_open) + _rewards(session, first_open)
    spend = spend_last_year(session, (row["customer_id"] for row in rows), today)
    for row in rows:
        row["customer_value_cents"] = spend.get(row["customer_id"], 0)
    if rows:
        session.execute(insert(CallTask), rows)
    return RulesResult(dict(Counter(row["reason"] for row in rows)), cancelled)


PLANNED_ON_KEY = "engine.standing_rules_planned_on"  # not an owner setting: when the rules last ran


def plan_standing_tasks_once_a_day(session: Session, today: dt.date) -> RulesResult:
    """The morning pass: run the rules unless they already ran today (each start of the window
    would otherwise pay for it; imports and the command line plan straight away)."""
    row = session.get(Setting, PLANNED_ON_KEY)
    if row is not None and row.value == today.isoformat():
        return RulesResult({}, 0)
    result = plan_standing_tasks(session, today)
    if row is None:
        session.add(Setting(key=PLANNED_ON_KEY, value=today.isoformat()))
    else:
        row.value = today.isoformat()
    return result


def _task(customer_id: int, reason: Reason, due: dt.date, why: str, key: str, **extra) -> dict:
    return {"customer_id": customer_id, "kind": TaskKind.CALL, "reason": reason, "due_on": due, "due_time": None,
            "deadline": extra.get("deadline"), "customer_value_cents": 0, "why": why[:300], "staff_id": extra.get("staff_id"),
            "change_id": None, "quote_id": extra.get("quote_id"), "purchase_id": extra.get("purchase_id"),
            "status": TaskStatus.PENDING, "attempts": 0, "samples_count": None, "dedupe_key": key}


def _callable_customers():
    return and_(Customer.do_not_call.is_(False), Customer.needs_data_fix.is_(False))


def _cancel_stale(session: Session, today: dt.date) -> int:
    """Quote follow-ups for quotes now won or lost, and reward calls for cards no longer one short."""
    decided = select(Quote.id).where(Quote.status != QuoteStatus.OPEN)
    quotes = session.execute(update(CallTask).where(
        CallTask.status == TaskStatus.PENDING, CallTask.reason == Reason.QUOTE, CallTask.quote_id.in_(decided))
        .values(status=TaskStatus.CANCELLED))
    not_short = select(RewardCard.customer_id).where(RewardCard.stamps != RewardCard.stamps_needed - 1)
    rewards = session.execute(update(CallTask).where(
        CallTask.status == TaskStatus.PENDING, CallTask.reason == Reason.REWARDS,
        CallTask.customer_id.in_(not_short)).values(status=TaskStatus.CANCELLED))
    return (quotes.rowcount or 0) + (rewards.rowcount or 0)


def _post_purchase(session, today, settings, calendar, first_open) -> list[dict]:
    offset = dt.timedelta(days=settings.post_purchase_days)
    earliest = today - offset - POST_PURCHASE_GRACE
    existing = _existing_keys(session, "post_purchase")
    rows = session.execute(
        select(Purchase.customer_id, Purchase.purchased_on, Purchase.kind, Product.name, Purchase.id,
               Purchase.amount_cents)
        .join(Product, Product.id == Purchase.product_id).join(Customer, Customer.id == Purchase.customer_id)
        .where(Purchase.purchased_on > earliest, Purchase.purchased_on <= today, _callable_customers())
        .order_by(Purchase.customer_id, Purchase.purchased_on, Purchase.amount_cents.desc(), Purchase.id))
    tasks: dict[str, dict] = {}
    for customer_id, day, kind, product, purchase_id, _amount in rows:
        key = f"post_purchase:{customer_id}:{day.isoformat()}"
        if key in existing or key in tasks:
            continue  # the biggest line of that day names the purchase
        verb = "Installed" if kind == PurchaseKind.INSTALLATION else "Bought"
        due = max(calendar.open_on_or_after(day + offset), first_open)
        tasks[key] = _task(customer_id, Reason.POST_PURCHASE, due,
                           f"{verb} {product} on {_short(day)} — how is it working out?", key,
                           purchase_id=purchase_id)
    return list(tasks.values())


def _quotes(session, today, settings, calendar, first_open) -> list[dict]:
    existing = _existing_keys(session, "quote")
    pending_quotes = set(session.scalars(select(CallTask.quote_id).where(
        CallTask.reason == Reason.QUOTE, CallTask.status == TaskStatus.PENDING)))
    offsets = list(settings.quote_follow_up_days)
    schedule = quote_follow_up_schedule(settings)
    rows = []
    quotes = session.execute(
        select(Quote.id, Quote.customer_id, Quote.sent_on, Quote.amount_cents, Quote.description, Quote.staff_id)
        .join(Customer, Customer.id == Quote.customer_id)
        .where(Quote.status == QuoteStatus.OPEN, _callable_customers()))
    for quote_id, customer_id, sent, amount, description, staff_id in quotes:
        for number, days in enumerate(schedule, start=1):
            key = f"quote:{quote_id}:{number}"
            if key in existing:
                continue
            due = calendar.open_on_or_after(sent + dt.timedelta(days=days))
            if number > len(offsets) and (due > today + HORIZON or quote_id in pending_quotes):
                break  # weekly chasing starts only once the earlier follow-ups are dealt with
            if due < today:
                if number < len(schedule) and calendar.open_on_or_after(
                        sent + dt.timedelta(days=schedule[number])) <= today:
                    continue  # a later follow-up is already due: do not stack stale ones
                due = first_open
            what = f"{description} " if description else ""
            rows.append(_task(customer_id, Reason.QUOTE, due,
                              f"Quote {what}({format_money(amount, settings.currency_symbol, whole=True)}) sent "
                              f"{_short(sent)} — follow-up {number}", key, quote_id=quote_id, staff_id=staff_id))
            pending_quotes.add(quote_id)
            existing.add(key)
    return rows


def _rewards(session, first_open) -> list[dict]:
    existing = _existing_keys(session, "rewards")
    rows = []
    cards = session.execute(
        select(RewardCard.id, RewardCard.customer_id, RewardCard.stamps, RewardCard.stamps_needed,
               RewardCard.rewards_redeemed)
        .join(Customer, Customer.id == RewardCard.customer_id)
        .where(RewardCard.stamps == RewardCard.stamps_needed - 1, _callable_customers()))
    for card_id, customer_id, stamps, needed, redeemed in cards:
        key = f"rewards:{card_id}:{redeemed}"
        if key not in existing:
            rows.append(_task(customer_id, Reason.REWARDS, first_open,
                              f"One stamp short of a reward ({stamps} of {needed})", key))
    return rows


def _keep_in_touch(session, today, calendar, first_open) -> list[dict]:
    existing = _existing_keys(session, "keep_in_touch")
    last_contact = (select(CallLog.customer_id, func.max(CallLog.logged_at).label("last"))
                    .where(CallLog.outcome == Outcome.REACHED).group_by(CallLog.customer_id).subquery())
    pending = select(CallTask.customer_id).where(CallTask.reason == Reason.KEEP_IN_TOUCH,
                                                 CallTask.status == TaskStatus.PENDING)
    rows = []
    customers = session.execute(
        select(Customer.id, Customer.keep_in_touch_days, last_contact.c.last, Customer.created_at)
        .outerjoin(last_contact, last_contact.c.customer_id == Customer.id)
        .where(Customer.keep_in_touch_days.is_not(None), _callable_customers(), Customer.id.not_in(pending)))
    for customer_id, cadence, last, created in customers:
        since = _as_date(last) or _as_date(created) or today
        due = calendar.open_on_or_after(since + dt.timedelta(days=cadence))
        if due > today + HORIZON:
            continue
        key = f"keep_in_touch:{customer_id}:{due.isoformat()}"
        if key in existing:
            continue
        spoke = f"last spoke {_short(since)}" if last else "no conversation logged yet"
        rows.append(_task(customer_id, Reason.KEEP_IN_TOUCH, max(due, first_open),
                          f"Every {cadence} days — {spoke}", key))
    return rows


def _neglected(session, today, settings, first_open, already: list[dict]) -> list[dict]:
    """Courtesy calls, most valuable customers first, topped up to a quarter of a day's calls.

    Many customers can be quiet at once (an imported list of 300 with a third gone quiet);
    creating them all would bury the list, so only a few wait at a time: courtesy calls fill
    the room other reasons leave, they do not crowd them out.
    """
    team = session.scalar(select(func.coalesce(func.sum(StaffMember.daily_quota), 0))
                          .where(StaffMember.active)) or 0
    budget = -(-team // COURTESY_SHARE_OF_A_DAY)
    waiting = session.scalar(select(func.count()).select_from(CallTask).where(
        CallTask.reason == Reason.NEGLECTED, CallTask.status == TaskStatus.PENDING)) or 0
    room = budget - waiting
    if room <= 0:
        return []
    cutoff = today - relativedelta(months=settings.neglected_months)
    recent_courtesy = select(CallTask.customer_id).where(
        CallTask.reason == Reason.NEGLECTED, CallTask.status != TaskStatus.CANCELLED,
        CallTask.due_on > today - dt.timedelta(days=settings.neglected_repeat_days))
    has_pending = select(CallTask.customer_id).where(CallTask.status == TaskStatus.PENDING)
    # Any conversation (a call for no reason too) restarts the courtesy clock, as a courtesy call would.
    recently_reached = select(CallLog.customer_id).where(
        CallLog.outcome == Outcome.REACHED,
        CallLog.logged_at >= dt.datetime.combine(today - dt.timedelta(days=settings.neglected_repeat_days), dt.time.min))
    history = (select(Purchase.customer_id, func.max(Purchase.purchased_on).label("last"),
                      func.sum(Purchase.amount_cents).label("spent"))
               .group_by(Purchase.customer_id).subquery())
    last_purchase = func.coalesce(history.c.last, Customer.imported_last_purchase)
    value = func.coalesce(history.c.spent, Customer.imported_total_spent_cents, 0)
    candidates = session.execute(
        select(Customer.id, last_purchase)
        .outerjoin(history, history.c.customer_id == Customer.id)
        .where(_callable_customers(), last_purchase.is_not(None), last_purchase < cutoff,
               Customer.id.not_in(recent_courtesy), Customer.id.not_in(has_pending),
               Customer.id.not_in(recently_reached))
        .order_by(value.desc(), Customer.id).limit(room + len(already)))
    busy = {row["customer_id"] for row in already}
    rows = []
    for customer_id, last in candidates:
        if customer_id in busy or len(rows) >= room:
            continue
        last = _as_date(last)
        months = (today.year - last.year) * 12 + today.month - last.month
        rows.append(_task(customer_id, Reason.NEGLECTED, first_open,
                          f"No purchase since {_short(last)} ({months} months) — courtesy call",
                          f"neglected:{customer_id}:{today.isoformat()}"))
    return rows


def _as_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    return dt.datetime.fromisoformat(text).date() if " " in text or "T" in text else dt.date.fromisoformat(text)


def quote_hit_ratio(session: Session, since: dt.date | None = None) -> list[tuple[str, int, int, float | None]]:
    """Per caller: quotes won, quotes decided, and the share won (None when nothing was decided)."""
    query = (select(StaffMember.name, func.sum(case((Quote.status == QuoteStatus.WON, 1), else_=0)), func.count())
             .join(Quote, Quote.staff_id == StaffMember.id)
             .where(Quote.status != QuoteStatus.OPEN).group_by(StaffMember.name).order_by(StaffMember.name))
    if since is not None:
        query = query.where(Quote.decided_on >= since)
    result = []
    for name, won, decided in session.execute(query):
        won = int(won or 0)
        result.append((name, won, int(decided), won / decided if decided else None))
    return result
