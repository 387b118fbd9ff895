"""`stamp`: record reward-card stamps, or a reward the customer took.

    python main.py stamp --customer ID [--count N] [--json]
    python main.py stamp --customer ID --redeem [--json]

A card one stamp short of its reward gets its "one stamp short" call planned at once.
"""

from __future__ import annotations

import argparse

from core.actions import stamps
from core.cli.acting import run_action
from core.cli.output import print_json, say
from core.context import AppContext
from core.customers.rewards import CardState


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("stamp", parents=[common], help="record reward-card stamps or a redeemed reward",
                                   description="Add stamps to a customer's rewards card (a card is started when they "
                                               "have none), or record that they took their reward.")
    parser.add_argument("--customer", type=int, required=True, metavar="ID")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--count", type=int, default=1, metavar="N", help="how many stamps (default 1)")
    what.add_argument("--redeem", action="store_true", help="the customer took the reward of a full card")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def card_json(card: CardState) -> dict:
    return {"customer_id": card.customer_id, "stamps": card.stamps, "stamps_needed": card.stamps_needed,
            "rewards_redeemed": card.rewards_redeemed, "last_stamp_on": card.last_stamp_on,
            "reward_call_planned": card.reward_call_planned}


def run(args: argparse.Namespace, context: AppContext) -> int:
    if args.redeem:
        result = run_action(context, stamps.redeem_reward, args.customer)
    else:
        result = run_action(context, stamps.add_stamps, args.customer, args.count)
    say(result.message)
    if args.json:
        print_json(card_json(result.value))
    return 0
