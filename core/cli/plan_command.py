"""`plan`: the stored plan over some days (JSON for scripts), and handing a caller's calls over."""

from __future__ import annotations

import argparse
import datetime as dt

from core.actions import day as day_actions
from core.cli.acting import read, run_action
from core.cli.arguments import iso_date
from core.cli.output import print_json, say
from core.context import AppContext
from core.dates import date_text
from core.errors import InvalidInput
from core.scheduling import courtesy_outlook, stored_plan
from core.scheduling.staff import staff_id_by_name

DEFAULT_DAYS = 14


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "plan", parents=[common], help="the planned calls per day, or hand a caller's calls to another",
        description="Print the stored plan: each day's capacity and calls, and how many wanted calls wait "
                    "or expired. 'plan hand-over' gives the calls left on one caller's list to another.")
    parser.add_argument("--from", dest="first", type=iso_date, metavar="D", help="first day (default: today)")
    parser.add_argument("--to", dest="last", type=iso_date, metavar="D",
                        help=f"last day (default: {DEFAULT_DAYS - 1} days after the first)")
    parser.add_argument("--staff", metavar="NAME", help="only this caller's calls and capacity")
    parser.add_argument("--json", action="store_true", help="print JSON")
    actions = parser.add_subparsers(dest="plan_action", metavar="ACTION")
    hand = actions.add_parser("hand-over", parents=[common], help="give the calls left on a caller's list to another",
                              description="Give every call still on one caller's list that day to another caller.")
    hand.add_argument("--from", dest="giver", required=True, metavar="NAME", help="the caller whose calls move")
    hand.add_argument("--to", dest="receiver", required=True, metavar="NAME", help="the caller who takes them")
    hand.add_argument("--date", type=iso_date, metavar="D", help="the day (default: today)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: AppContext) -> int:
    if getattr(args, "plan_action", None) == "hand-over":
        return _hand_over(args, context)
    today = context.clock.today()
    first = args.first or today
    last = args.last or first + dt.timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise InvalidInput(f"--to {last.isoformat()} is before --from {first.isoformat()}.", field="to")
    run_action(context, day_actions.plan_the_day, None)  # the plan, made once a day
    staff_id = read(context, staff_id_by_name, args.staff)
    plan = read(context, stored_plan, first, last, today, staff_id)
    outlook = read(context, courtesy_outlook, today)
    if outlook.not_reached:
        say(outlook.message)  # "412 customers will not hear from you this year: add 3 calls a day."
    if args.json:
        print_json({
            "from": plan.first, "to": plan.last,
            "days": [{"date": d.date, "open": d.open, "capacity": d.capacity, "planned": d.planned} for d in plan.days],
            "waiting": plan.waiting, "expired": plan.expired,
            "calls": [{"task_id": c.task_id, "customer_id": c.customer_id, "customer": c.customer, "date": c.date,
                       "time": c.time, "staff": c.staff, "reasons": list(c.reasons), "why": c.why}
                      for c in plan.calls],
        })
        return 0
    print(f"Plan from {date_text(first, '%a %d %b')} to {date_text(last, '%a %d %b %Y')}")
    for day in plan.days:
        if not day.open:
            continue
        print(f"  {date_text(day.date, '%a %d %b')}: {day.planned} of {day.capacity} calls")
    print(f"{plan.waiting} wanted call{'s' if plan.waiting != 1 else ''} did not fit; "
          f"{plan.expired} expired without a call.")
    return 0


def _hand_over(args: argparse.Namespace, context: AppContext) -> int:
    today = context.clock.today()
    giver = read(context, staff_id_by_name, args.giver)
    receiver = read(context, staff_id_by_name, args.receiver)
    moved = run_action(context, day_actions.hand_over, giver, receiver, args.date or today, plan_first=True).value
    say(f"{moved} call{'s' if moved != 1 else ''} handed from {args.giver} to {args.receiver}.")
    print_json({"date": args.date or today, "from": args.giver, "to": args.receiver, "moved": moved})
    return 0
