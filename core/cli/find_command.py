"""`find`: search customers exactly as the window's search box does, for scripts and tests.

    python main.py find QUERY [--json]

The same words, phone digits and folding as the search box ("weiss" finds Weiß, "503 555"
finds (503) 555-0142), in the list's order (by name). JSON: {"query", "customers":
[{"customer_id", "name", "company", "phone", "email"}]}, the phone in E.164.
"""

from __future__ import annotations

import argparse

from core.cli.acting import read
from core.cli.output import print_json
from core.context import AppContext
from core.customers.queries import search_customers


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "find", parents=[common], help="search customers as the window's search box does",
        description="Search customers by name, company, e-mail, tags or phone digits, exactly as the search box "
                    "of the window does (accents, ß, ligatures and letters like ø folded; every word a prefix).",
    )
    parser.add_argument("query", metavar="QUERY", help="what you would type in the search box")
    parser.add_argument("--json", action="store_true", help="print the customers found as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: AppContext) -> int:
    today = context.clock.today()
    rows = read(context, search_customers, args.query, today)
    customers = [{"customer_id": row.id, "name": row.name, "company": row.company, "phone": row.phone_e164,
                  "email": row.email} for row in rows]
    if args.json:
        print_json({"query": args.query, "customers": customers})
        return 0
    if not customers:
        print(f"No customer matches '{args.query}'.")
    for row in rows:
        print(f"#{row.id:<6} {row.name:<30} {row.company or '':<24} {row.phone or '':<16} {row.email or ''}")
    return 0
