"""Reward cards: stamps the owner records, rewards redeemed, and the card as an import sets it.

Each function is one step of an owner's action and runs inside the caller's transaction.
The reward rule follows at once (core.scheduling.rules): a card left one stamp short gets its
"one stamp short" call planned now, and a card that is no longer one short has that call
cancelled — not at the next morning pass.

A card holds at most `stamps_needed` stamps: a full card means the reward is earned, and
redeeming it empties the card and counts one more reward. A stamp that would overfill the
card is refused (record the reward first), so no stamp is ever silently lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.storage.enums import Reason, TaskStatus
from core.errors import InvalidInput
from core.storage.models import CallTask, Customer, RewardCard
from core.scheduling.planner import replan_customers
from core.scheduling.rules import plan_quote_and_reward_calls

DEFAULT_STAMPS_NEEDED = 10  # what a new card needs unless the owner's import says otherwise
MAX_STAMPS_NEEDED = 1000


@dataclass(frozen=True)
class CardState:
    customer_id: int
    stamps: int
    stamps_needed: int
    rewards_redeemed: int
    last_stamp_on: dt.date | None
    reward_call_planned: bool  # a "one stamp short" call is waiting

    @property
    def stamps_to_go(self) -> int:
        return self.stamps_needed - self.stamps


def _customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise InvalidInput(f"There is no customer with id {customer_id}.", field="customer")
    return customer


def _card(session: Session, customer_id: int, create: bool) -> RewardCard | None:
    card = session.scalar(select(RewardCard).where(RewardCard.customer_id == customer_id))
    if card is None and create:
        card = RewardCard(customer_id=customer_id, stamps=0, stamps_needed=DEFAULT_STAMPS_NEEDED, rewards_redeemed=0)
        session.add(card)
    return card


def add_stamps(session: Session, customer_id: int, count: int, today: dt.date) -> CardState:
    """Record `count` stamps (a card is started when the customer has none)."""
    name = _customer(session, customer_id).name
    if count < 1:
        raise InvalidInput(f"Record at least one stamp (not {count}).", field="count")
    card = _card(session, customer_id, create=True)
    if card.stamps + count > card.stamps_needed:
        room = card.stamps_needed - card.stamps
        raise InvalidInput(
            f"{name}'s card has {card.stamps} of {card.stamps_needed} stamps: "
            + (f"only {room} more fit." if room else "it is full — record the reward first, then the new stamps."),
            field="count")
    card.stamps += count
    card.last_stamp_on = today
    return _after_change(session, card, today)


def redeem_reward(session: Session, customer_id: int, today: dt.date) -> CardState:
    """The customer took their reward: the full card starts again at no stamps."""
    name = _customer(session, customer_id).name
    card = _card(session, customer_id, create=False)
    if card is None:
        raise InvalidInput(f"{name} has no rewards card yet.", field="customer")
    if card.stamps < card.stamps_needed:
        raise InvalidInput(f"{name}'s card has {card.stamps} of {card.stamps_needed} stamps: no reward is earned yet.",
                           field="redeem")
    card.stamps = 0
    card.rewards_redeemed += 1
    return _after_change(session, card, today)


def check_card_values(stamps: int, stamps_needed: int) -> str | None:
    """Why these card values cannot be stored (None when they can)."""
    if stamps_needed < 1 or stamps_needed > MAX_STAMPS_NEEDED:
        return f"a card needs between 1 and {MAX_STAMPS_NEEDED} stamps for a reward, not {stamps_needed}"
    if stamps < 0:
        return f"{stamps} stamps is not a number of stamps"
    if stamps > stamps_needed:
        return f"{stamps} stamps do not fit on a card of {stamps_needed}"
    return None


def card_state(session: Session, customer_id: int) -> CardState | None:
    card = _card(session, customer_id, create=False)
    return _state(session, card) if card is not None else None


def _after_change(session: Session, card: RewardCard, today: dt.date) -> CardState:
    session.flush()
    plan_quote_and_reward_calls(session, today)
    replan_customers(session, today, {card.customer_id})  # the "one stamp short" call joins the plan at once
    return _state(session, card)


def _state(session: Session, card: RewardCard) -> CardState:
    planned = session.scalar(select(CallTask.id).where(
        CallTask.customer_id == card.customer_id, CallTask.reason == Reason.REWARDS,
        CallTask.status == TaskStatus.PENDING).limit(1)) is not None
    return CardState(card.customer_id, card.stamps, card.stamps_needed, card.rewards_redeemed, card.last_stamp_on,
                     planned)


@dataclass(frozen=True)
class CardUndo:
    """A card as it was before a stamp or a reward, with its "one stamp short" calls then."""

    customer_id: int
    card: tuple[int, int, int, dt.date | None] | None  # stamps, needed, redeemed, last stamp; None: no card
    reward_calls: tuple[tuple[int, TaskStatus], ...]  # every reward call of the customer and its status


def card_undo(session: Session, customer_id: int) -> CardUndo:
    """Read before changing the card."""
    card = _card(session, customer_id, create=False)
    calls = tuple((task_id, status) for task_id, status in session.execute(select(CallTask.id, CallTask.status).where(
        CallTask.customer_id == customer_id, CallTask.reason == Reason.REWARDS)))
    return CardUndo(customer_id, (card.stamps, card.stamps_needed, card.rewards_redeemed, card.last_stamp_on)
                    if card else None, calls)


def undo_card_change(session: Session, undo: CardUndo) -> None:
    """Put the card and its reward calls back as they were (a call the change planned is removed)."""
    card = _card(session, undo.customer_id, create=False)
    if undo.card is None:
        if card is not None:
            session.delete(card)
    else:
        card = card or _card(session, undo.customer_id, create=True)
        card.stamps, card.stamps_needed, card.rewards_redeemed, card.last_stamp_on = undo.card
    before = dict(undo.reward_calls)
    for task in session.scalars(select(CallTask).where(CallTask.customer_id == undo.customer_id,
                                                       CallTask.reason == Reason.REWARDS)):
        if task.id not in before:
            if task.status is TaskStatus.PENDING and task.attempts == 0:
                session.delete(task)
        elif task.status is not before[task.id]:
            task.status = before[task.id]
            task.completed_at = None if before[task.id] is TaskStatus.PENDING else task.completed_at
    session.flush()
