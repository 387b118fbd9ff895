"""`export`: customers or call history as spreadsheet-safe CSV, planned calls as an .ics calendar.

    python main.py export customers FILE [--delimiter ';']
    python main.py export calls FILE [--delimiter ';']
    python main.py export ics FILE

Prints {"file", "kind", "rows"} as JSON; an existing FILE is replaced (so a subscribed
calendar can be refreshed in place), atomically; a link or special file is never replaced.
The CSV delimiter follows the system locale's list separator unless --delimiter says.
"""

from __future__ import annotations

import argparse

from core.cli.acting import read
from core.cli.output import print_json, say
from core.context import AppContext
from core.reports.exporting import (
    DELIMITERS,
    default_delimiter,
    export_call_history_csv,
    export_customers_csv,
    export_planned_calls_ics,
    system_locale_name,
)

# What an owner can type for a delimiter, quoting or not.
_DELIMITER_WORDS = {**{d: d for d in DELIMITERS}, **{name: d for d, name in DELIMITERS.items()}, "\\t": "\t"}

WHAT = {"customers": "customer(s)", "calls": "logged call(s)", "ics": "planned call(s)"}


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "export", parents=[common], help="export customers, call history (CSV) or planned calls (.ics)",
        description="Write customers or the call history as CSV that spreadsheets open cleanly (UTF-8 with BOM, "
                    "formula-safe), or the planned calls as an iCalendar file a phone can subscribe to.",
    )
    parser.add_argument("what", choices=list(WHAT), help="customers, calls (call history) or ics (planned calls)")
    parser.add_argument("file", metavar="FILE", help="where to write (replaced if it exists)")
    parser.add_argument("--delimiter", metavar="D", choices=sorted(_DELIMITER_WORDS), default=None,
                        help="the CSV list separator: ',' or ';' (or comma, semicolon, tab); default: the one your "
                             "system's regional settings use (';' where the decimal mark is a comma)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: AppContext) -> int:
    delimiter = _DELIMITER_WORDS[args.delimiter] if args.delimiter else default_delimiter(system_locale_name())
    if args.what == "customers":
        result = read(context, export_customers_csv, args.file, delimiter)
    elif args.what == "calls":
        result = read(context, export_call_history_csv, args.file, delimiter)
    else:
        result = read(context, export_planned_calls_ics, args.file, context.clock.now())
    say(f"Wrote {result.rows} {WHAT[args.what]} to {result.path}.")
    print_json({"file": str(result.path), "kind": args.what, "rows": result.rows})
    return 0
