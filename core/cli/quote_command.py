"""`quote`: add, edit, decide and list the quotes the business sent.

    python main.py quote add --customer ID --what TEXT --amount N --sent D [--staff NAME] [--json]
    python main.py quote edit QUOTE_ID [--what TEXT] [--amount N] [--sent D] [--staff NAME] [--json]
    python main.py quote decide QUOTE_ID --won|--lost [--on D]
    python main.py quote list [--open] [--json]

A new quote gets its follow-up calls at once (3 and 7 days after sending, then weekly);
deciding it cancels the ones still pending. Amounts are in the shop's currency ("1850",
"1,850.50"); the JSON gives them as numbers of that currency.
"""

from __future__ import annotations

import argparse

from core.actions import quotes
from core.cli.acting import read, run_action
from core.cli.arguments import iso_date
from core.cli.output import print_json, say
from core.context import AppContext
from core.dates import date_text
from core.errors import InvalidInput
from core.importing.values import parse_money_cents
from core.money import format_money
from core.customers.quotes import QuoteInput, QuoteRecord, list_quotes
from core.scheduling.staff import staff_id_by_name


def money_cents(text: str) -> int:
    try:
        cents = parse_money_cents(text, "amount")
    except InvalidInput as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None
    if cents is None or cents < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not an amount of zero or more")
    return cents


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("quote", parents=[common], help="add, edit, decide or list quotes",
                                   description="Quotes sent to customers: each open one is followed up by calls "
                                               "until it is won or lost.")
    actions = parser.add_subparsers(dest="quote_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="record a quote sent to a customer")
    add.add_argument("--customer", type=int, required=True, metavar="ID")
    add.add_argument("--what", required=True, metavar="TEXT", help="what the quote is for")
    add.add_argument("--amount", type=money_cents, required=True, metavar="N")
    add.add_argument("--sent", type=iso_date, required=True, metavar="D", help="the day it was sent (YYYY-MM-DD)")
    add.add_argument("--staff", metavar="NAME", help="who sent it")
    add.add_argument("--json", action="store_true")
    edit = actions.add_parser("edit", parents=[common], help="correct a quote's details")
    edit.add_argument("quote_id", type=int, metavar="QUOTE_ID")
    edit.add_argument("--what", metavar="TEXT")
    edit.add_argument("--amount", type=money_cents, metavar="N")
    edit.add_argument("--sent", type=iso_date, metavar="D")
    edit.add_argument("--staff", metavar="NAME")
    edit.add_argument("--json", action="store_true")
    decide = actions.add_parser("decide", parents=[common], help="mark a quote won or lost")
    decide.add_argument("quote_id", type=int, metavar="QUOTE_ID")
    verdict = decide.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--won", action="store_true")
    verdict.add_argument("--lost", action="store_true")
    decide.add_argument("--on", type=iso_date, metavar="D", help="the day it was decided (default: today)")
    listing = actions.add_parser("list", parents=[common], help="list quotes, newest first")
    listing.add_argument("--open", action="store_true", help="only quotes still open")
    listing.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def _amount(cents: int) -> int | float:
    return cents // 100 if cents % 100 == 0 else cents / 100


def quote_json(record: QuoteRecord) -> dict:
    return {"quote_id": record.quote_id, "customer_id": record.customer_id, "customer": record.customer,
            "what": record.what, "amount": _amount(record.amount_cents), "sent": record.sent,
            "status": record.status, "decided_on": record.decided_on, "staff": record.staff,
            "follow_ups": list(record.follow_ups)}


def _describe(record: QuoteRecord) -> str:
    follow = (", follow-ups " + ", ".join(date_text(d, "%a %d %b") for d in record.follow_ups)
              if record.follow_ups else "")
    decided = f" on {record.decided_on.isoformat()}" if record.decided_on else ""
    return (f"#{record.quote_id} {record.customer}: {record.what or 'quote'} {format_money(record.amount_cents)}, "
            f"sent {record.sent.isoformat()}" + (f" by {record.staff}" if record.staff else "")
            + f" — {record.status.value}{decided}{follow}")


def run(args: argparse.Namespace, context: AppContext) -> int:
    today = context.clock.today()
    if args.quote_action == "list":
        records = read(context, list_quotes, open_only=args.open)
        if args.json:
            print_json({"quotes": [quote_json(r) for r in records]})
        else:
            for record in records:
                print(_describe(record))
        return 0
    staff_id = read(context, staff_id_by_name, getattr(args, "staff", None))
    if args.quote_action == "add":
        result = run_action(context, quotes.add_quote, args.customer,
                            QuoteInput(args.what, args.amount, args.sent, staff_id))
    elif args.quote_action == "edit":
        result = run_action(context, quotes.amend_quote, args.quote_id, what=args.what, amount_cents=args.amount,
                            sent=args.sent, staff_id=staff_id)
    else:
        decided = run_action(context, quotes.decide_quote, args.quote_id, args.won, args.on or today)
        record, cancelled = decided.value
        say(decided.message)
        print_json({**quote_json(record), "cancelled": cancelled})
        return 0
    say(result.message)
    record = result.value
    if args.json:
        print_json(quote_json(record))
    else:
        print(_describe(record))
    return 0

