"""`log`: record a call's outcome and print what was scheduled next.

    python main.py log TASK_ID --outcome OUTCOME ...        a planned call
    python main.py log --customer ID --outcome OUTCOME ...  a call for no reason (no planned task)
"""

from __future__ import annotations

import argparse

from core.actions import calls
from core.cli.acting import read, run_action
from core.cli.arguments import comma_list, date_or_moment, record_id
from core.cli.output import print_json, say
from core.context import AppContext
from core.storage.enums import Outcome, ResultTag
from core.errors import InvalidInput
from core.scheduling.staff import staff_id_by_name


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("log", parents=[common], help="record a call's outcome",
                                   description="Record what happened on a planned call (TASK_ID), or on a call made "
                                               "for no reason (--customer ID); prints what comes next.")
    parser.add_argument("task_id", type=record_id, metavar="TASK_ID", nargs="?")
    parser.add_argument("--customer", type=record_id, metavar="ID", help="log a call for no reason to this customer")
    parser.add_argument("--outcome", required=True, choices=[o.value for o in Outcome])
    parser.add_argument("--notes", metavar="TEXT")
    parser.add_argument("--follow-up", type=date_or_moment, metavar="D",
                        help="book a callback on D (YYYY-MM-DD or YYYY-MM-DDTHH:MM)")
    parser.add_argument("--staff", metavar="NAME", help="who made the call")
    parser.add_argument("--tags", type=comma_list, default=[], metavar="TAG[,TAG...]",
                        help=f"result tags: {', '.join(t.value for t in ResultTag)}")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: AppContext) -> int:
    if (args.task_id is None) == (args.customer is None):
        raise InvalidInput("Say which call to log: a TASK_ID, or --customer ID for a call for no reason (one of them).",
                           field="task_id")
    staff_id = read(context, staff_id_by_name, args.staff)
    details = dict(staff_id=staff_id, notes=args.notes, result_tags=args.tags, follow_up=args.follow_up)
    if args.task_id is not None:
        result = run_action(context, calls.log_call, args.task_id, args.outcome, **details).value
    else:
        result = run_action(context, calls.log_unplanned_call, args.customer, args.outcome, **details).value
    say(result.message)
    print_json({
        "task_id": result.task_id, "log_id": result.log_id, "outcome": result.outcome,
        "cancelled": result.cancelled,
        **({"customer_id": result.customer_id} if args.task_id is None else {}),
        "scheduled": [{"task_id": s.task_id, "customer_id": s.customer_id, "reason": s.reason, "kind": s.kind,
                       "due": s.due, "time": s.time, "why": s.why} for s in result.scheduled],
    })
    return 0
