"""`change`: move, cancel, or see the results of an announced change."""

from __future__ import annotations

import argparse

from core.actions import changes
from core.cli.acting import read, run_action
from core.cli.arguments import iso_date, record_id
from core.cli.output import print_json, say
from core.context import AppContext
from core.scheduling import campaign_results


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("change", parents=[common], help="move, cancel or review an announced change")
    actions = parser.add_subparsers(dest="change_action", metavar="ACTION", required=True)
    move = actions.add_parser("move", parents=[common], help="move the effective date; pending steps follow")
    move.add_argument("change_id", type=record_id)
    move.add_argument("--effective", required=True, type=iso_date, metavar="D")
    cancel = actions.add_parser("cancel", parents=[common], help="cancel the change and its pending steps")
    cancel.add_argument("change_id", type=record_id)
    results = actions.add_parser("results", parents=[common], help="who was reached in time; how buying moved")
    results.add_argument("change_id", type=record_id)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: AppContext) -> int:
    if args.change_action == "move":
        moved = run_action(context, changes.move_change, args.change_id, args.effective)
        say(moved.message)
        print_json({"change_id": args.change_id, "effective": moved.value.effective_on,
                    "missed": list(moved.value.missed)})
    elif args.change_action == "cancel":
        cancelled = run_action(context, changes.cancel_change, args.change_id)
        say(cancelled.message)
        print_json({"change_id": args.change_id, "cancelled_steps": cancelled.value})
    else:
        result = read(context, campaign_results, args.change_id, context.clock.today())
        print_json(result.__dict__)
    return 0
