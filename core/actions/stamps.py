"""Reward cards: a stamp (or several) for a purchase, a reward taken; both undoable."""

from __future__ import annotations

from collections.abc import Callable

from core.actions.results import ActionResult, ChangeSet, UndoStep
from core.actions.runner import UnitOfWork, owner_action
from core.storage.models import Customer
from core.customers.rewards import CardState, card_undo, undo_card_change
from core.customers.rewards import add_stamps as stamp_card
from core.customers.rewards import redeem_reward as take_reward


def _customer_row(customer_id: int, *_inputs, **_named):
    return [(Customer, customer_id)]


@owner_action(rows_to_lock=_customer_row)
def add_stamps(unit: UnitOfWork, customer_id: int, count: int = 1) -> ActionResult[CardState]:
    return _change_card(unit, customer_id, lambda: stamp_card(unit.session, customer_id, count, unit.today()),
                        "Undo the stamp" if count == 1 else f"Undo the {count} stamps", redeemed=False)


@owner_action(rows_to_lock=_customer_row)
def redeem_reward(unit: UnitOfWork, customer_id: int) -> ActionResult[CardState]:
    return _change_card(unit, customer_id, lambda: take_reward(unit.session, customer_id, unit.today()),
                        "Undo the reward taken", redeemed=True)


def _change_card(unit: UnitOfWork, customer_id: int, change: Callable[[], CardState], description: str,
                 redeemed: bool) -> ActionResult[CardState]:
    before = card_undo(unit.session, customer_id)
    card = change()
    changes = ChangeSet(customers=frozenset({customer_id}), tasks=True)

    def undo(undo_unit: UnitOfWork) -> ChangeSet:
        undo_card_change(undo_unit.session, before)
        return changes

    return ActionResult(card, changes, UndoStep(description, undo), _card_message(card, redeemed))


def _card_message(card: CardState, redeemed: bool) -> str:
    message = f"{card.stamps} of {card.stamps_needed} stamps"
    if redeemed:
        message = f"Reward recorded ({card.rewards_redeemed} so far); the card starts again: {message}."
    elif card.stamps == card.stamps_needed:
        message += " — the card is full: a reward is earned."
    elif card.reward_call_planned:
        message += " — one stamp short: a call is planned."
    return message if message.endswith(".") else message + "."
