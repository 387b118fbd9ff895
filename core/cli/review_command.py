"""`review`: the weekly review of the week containing a day (JSON, a readable summary, or a PDF)."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli.acting import read
from core.cli.arguments import iso_date
from core.cli.output import print_json, say
from core.context import AppContext
from core.dates import date_text
from core.errors import CallAheadError
from core.habits.weekly_review import percent, review_html, weekly_review
from core.settings import load_settings


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("review", parents=[common], help="the weekly review: what came of the calls",
                                   description="Per caller, the week's calls against quota and what they led to; "
                                               "the quote hit ratio; how announced changes went.")
    parser.add_argument("--week", type=iso_date, metavar="D", help="any day of the week (default: today)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--pdf", metavar="FILE", type=Path, help="write the printable review to FILE")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: AppContext) -> int:
    today = context.clock.today()
    review = read(context, weekly_review, args.week or today, today)
    settings = read(context, load_settings)
    if args.pdf:
        if not args.pdf.parent.is_dir():
            raise CallAheadError(f"Cannot write {args.pdf}: the folder {args.pdf.parent} does not exist.")
        page = context.paper_size(settings.phone_region)
        try:
            pages = context.pdf_writer(review_html(review, settings.business_name), args.pdf, page)
        except OSError as error:
            raise CallAheadError(f"Cannot write {args.pdf}: {error.strerror or error}.") from error
        say(f"Wrote {args.pdf}: the review of {review.week_start.isoformat()} to {review.week_end.isoformat()} "
            f"on {pages} page{'s' if pages != 1 else ''}.")
    if args.json:
        print_json(review.as_json())
    elif not args.pdf:
        print(f"Week of {date_text(review.week_start, '%A %d %B')} to {date_text(review.week_end, '%A %d %B %Y')}")
        for c in review.callers:
            days = "  ".join(f"{date_text(d.date, '%a')} {d.calls}/{d.quota}" for d in c.days if d.quota or d.calls)
            print(f"\n{c.name}: {c.calls} calls (goal {c.week_goal}), {c.reached} reached ({percent(c.reached_rate)})")
            print(f"  {days}")
            print(f"  led to: {c.orders} orders, {c.quotes_requested} quotes asked, {c.referrals} referrals, "
                  f"{c.complaints} complaints; {c.thank_you_notes} thank-you notes, {c.responses} responses; "
                  f"quote hit ratio {percent(c.quote_hit_ratio)}")
            if c.reflection:
                print(f"  “{c.reflection}”")
        print(f"\nQuote hit ratio, everyone: {percent(review.quote_hit_ratio)}")
        for ch in review.changes:
            print(f"{ch.title}: {ch.told_in_time} told in time; {ch.kept} kept buying, {ch.reduced} bought less, "
                  f"{ch.lost} stopped")
    return 0
