"""`import`: bring customers (CSV or vCard), purchase history, quotes or reward cards (CSV) in.

    python main.py import [customers|purchases|quotes|rewards] FILE [--kind KIND] [--region CC]
                          [--encoding NAME] [--map COLUMN=FIELD ...] [--dry-run] [--all-or-nothing] [--json]

Prints what was (or with --dry-run, would be) created, merged, rejected and flagged, each
problem with its line, and the possible duplicates (different names sharing a phone) it kept
apart. Exit 0 when the import was applied (or previewed), 1 when
--all-or-nothing refused it because of rejected rows, 2 when the file cannot be imported.
"""

from __future__ import annotations

import argparse

from core.actions.importing import import_file, preview_import_report
from core.cli.acting import run_action
from core.cli.output import print_json, say
from core.context import AppContext
from core.errors import InvalidInput
from core.importing import (
    Field,
    ImportKind,
    PurchaseField,
    QuoteField,
    RewardField,
    SourceKind,
    parse_map_options,
    read_import_file,
    suggest_mapping,
)

KINDS = [kind.value for kind in ImportKind]


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "import", parents=[common], help="import customers (CSV, vCard), purchase history, quotes or reward cards (CSV)",
        usage="%(prog)s [customers|purchases|quotes|rewards] FILE [--kind KIND] [--region CC] [--encoding NAME] "
              "[--map COLUMN=FIELD ...] [--dry-run] [--all-or-nothing] [--json] [--data-dir DIR]",
        description="Import customers from a CSV or vCard export (Square, Shopify, WooCommerce, Lightspeed, "
                    "QuickBooks, Xero, Google Contacts, Outlook or any CSV with named columns), or purchase history "
                    "from an orders or line-items CSV. Duplicates are merged; importing the same file twice adds "
                    "nothing. The whole import is one transaction.",
        epilog=f"Customer fields for --map: {', '.join(f.value for f in Field)}. "
               f"Purchase fields: {', '.join(f.value for f in PurchaseField)}. "
               f"Quote fields: {', '.join(f.value for f in QuoteField)}. "
               f"Reward card fields: {', '.join(f.value for f in RewardField)}.",
    )
    parser.add_argument("target", nargs="+", metavar="[KIND] FILE",
                        help="the file to import, optionally preceded by what it holds (default: customers)")
    parser.add_argument("--kind", choices=KINDS, default=None, help="what the file holds (default: customers)")
    parser.add_argument("--region", metavar="CC", default=None,
                        help="country for phone numbers written without +country (default: the shop's setting)")
    parser.add_argument("--encoding", metavar="NAME", default=None,
                        help="read the file in this encoding (e.g. cp1250, cp1251, mac-roman, utf-8) instead of "
                             "guessing; see the flagged lines when a guess was doubtful")
    parser.add_argument("--map", metavar="COLUMN=FIELD", action="append", default=[],
                        help="read COLUMN (its header or its number, 1 = first) as FIELD; 'ignore' skips it. Repeatable")
    parser.add_argument("--dry-run", action="store_true", help="show what would happen; change nothing")
    parser.add_argument("--all-or-nothing", action="store_true",
                        help="import nothing at all if any row is rejected (default: import the good rows)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(handler=run)


def _kind_and_file(args: argparse.Namespace) -> tuple[ImportKind, str]:
    target = list(args.target)
    if len(target) == 2 and target[0] in KINDS:
        kind_word, path = target
        if args.kind and args.kind != kind_word:
            raise InvalidInput(f"'{kind_word}' and --kind {args.kind} disagree: say once what the file holds.",
                               field="kind")
        return ImportKind(kind_word), path
    if len(target) != 1:
        raise InvalidInput("Give one file to import: import [customers|purchases|quotes|rewards] FILE.", field="file")
    return ImportKind(args.kind or ImportKind.CUSTOMERS.value), target[0]


def _print_text(summary: dict, dry_run: bool) -> None:
    verb = "Would import" if dry_run else ("Imported" if summary["applied"] else "Imported nothing from")
    print(f"{verb} {summary['file']} ({summary['format_label']}, {summary['encoding']}): "
          f"{summary['records']} record(s).")
    if summary["kind"] == ImportKind.CUSTOMERS.value:
        print(f"  created {summary['created']}, updated {summary['updated']}, unchanged {summary['unchanged']}, "
              f"merged {summary['merged']}")
        for merge in summary["merges"]:
            print(f"  merge: {merge['reason']}")
        for pair in summary["possible_duplicates"]:
            where = " and ".join(f"line {line}" if line is not None else f"stored customer #{pair['customer_id']}"
                                 for line in pair["lines"])
            print(f"  possible duplicate, kept apart: {where} ({' / '.join(pair['names'])}, {pair['reason']})")
    elif summary["kind"] == ImportKind.PURCHASES.value:
        print(f"  purchases {summary['created']}, new products {summary['products_created']}, "
              f"already imported {summary['already_imported']}")
    else:
        print(f"  {summary['kind']}: created {summary['created']}, updated {summary['updated']}, "
              f"unchanged {summary['unchanged']}")
    for issue in summary["rejected"]:
        print(f"  rejected line {issue['line']}: {issue['reason']}")
    for issue in summary["flagged"]:
        print(f"  flagged line {issue['line']}: {issue['reason']}")


JSON_KEYS = ("file", "format", "encoding", "delimiter", "records", "created", "merged", "rejected", "flagged",
             "possible_duplicates", "customers")
PURCHASE_JSON_KEYS = tuple(key for key in JSON_KEYS if key != "possible_duplicates")


def run(args: argparse.Namespace, context: AppContext) -> int:
    kind, path = _kind_and_file(args)
    source = read_import_file(path, kind, encoding=args.encoding)
    changes = parse_map_options(args.map)
    if changes and source.kind is SourceKind.VCARD:
        raise InvalidInput("A vCard file needs no --map: its fields are named by the format.", field="map")
    column_map = suggest_mapping(source, kind).changed(changes) if changes else None
    if args.dry_run:
        report = preview_import_report(context.database(), context.clock.today(), context.clock.now(), source,
                                       column_map, kind=kind, region=args.region, all_or_nothing=args.all_or_nothing)
    else:  # backed up, imported and planned as one unit, exactly as the window's import
        report = run_action(context, import_file, source, column_map, kind=kind, region=args.region,
                            all_or_nothing=args.all_or_nothing).value
    summary = {**report.summary(), "dry_run": args.dry_run}
    if args.json:
        # The public shape owners script against: exactly these keys (the text output says more).
        keys = JSON_KEYS if kind is ImportKind.CUSTOMERS else PURCHASE_JSON_KEYS
        print_json({key: summary[key] for key in keys})
    else:
        _print_text(summary, args.dry_run)
    if report.refused:
        say(f"callahead: {report.refused}")
        return 1
    return 0
