"""`export`: customers or call history as spreadsheet-safe CSV, planned calls as an .ics calendar.

    python main.py export customers FILE
    python main.py export calls FILE
    python main.py export ics FILE

Prints {"file", "kind", "rows"} as JSON; an existing FILE is replaced (so a subscribed
calendar can be refreshed in place), atomically.
"""

from __future__ import annotations

import argparse

from core.cli.output import print_json, say
from core.context import AppContext
from core.exporting import export_call_history_csv, export_customers_csv, export_planned_calls_ics

WHAT = {"customers": "customer(s)", "calls": "logged call(s)", "ics": "planned call(s)"}


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "export", parents=[common], help="export customers, call history (CSV) or planned calls (.ics)",
        description="Write customers or the call history as CSV that spreadsheets open cleanly (UTF-8 with BOM, "
                    "formula-safe), or the planned calls as an iCalendar file a phone can subscribe to.",
    )
    parser.add_argument("what", choices=list(WHAT), help="customers, calls (call history) or ics (planned calls)")
    parser.add_argument("file", metavar="FILE", help="where to write (replaced if it exists)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: AppContext) -> int:
    database = context.database()
    with database.session() as session:
        if args.what == "customers":
            result = export_customers_csv(session, args.file)
        elif args.what == "calls":
            result = export_call_history_csv(session, args.file)
        else:
            result = export_planned_calls_ics(session, args.file, context.clock.now())
    say(f"Wrote {result.rows} {WHAT[args.what]} to {result.path}.")
    print_json({"file": str(result.path), "kind": args.what, "rows": result.rows})
    return 0
