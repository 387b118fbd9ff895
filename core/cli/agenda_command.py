"""`agenda`: the day's calls per caller (JSON for scripts, a readable list otherwise)."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.actions import day as day_actions
from core.cli.acting import read, run_action
from core.cli.arguments import iso_date
from core.cli.output import print_json, say
from core.context import AppContext
from core.dates import date_text
from core.errors import CallAheadError
from core.storage.owner_files import check_destination
from core.reports.day_sheets import day_sheets, sheets_html
from core.scheduling import daily_agenda
from core.settings import load_settings
from core.scheduling.staff import staff_id_by_name


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("agenda", parents=[common], help="the day's calls for each caller",
                                   description="List the calls planned for a date (planning the day first if it has not been).")
    parser.add_argument("--date", type=iso_date, metavar="D", help="the day to list (default: today)")
    parser.add_argument("--staff", metavar="NAME", help="only this caller's list")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--pdf", metavar="FILE", type=Path, help="write the printable day sheet to FILE")
    parser.add_argument("--page", choices=["A4", "Letter"],
                        help="paper size for --pdf (default: the default printer's on Windows and macOS, "
                             "the locale's on Linux, else the business's region's)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: AppContext) -> int:
    today = context.clock.today()
    day = args.date or today
    run_action(context, day_actions.plan_the_day, day)  # a list read out or printed for today stays put
    staff_id = read(context, staff_id_by_name, args.staff)
    agenda = read(context, daily_agenda, day, today)
    calls = [call for call in agenda.pending(staff_id)]
    if args.pdf:
        return _write_sheet(args, context, day, staff_id)
    staff = [s for s in agenda.staff if staff_id is None or s.staff_id == staff_id]
    if args.json:
        print_json({
            "date": day,
            "staff": [{"name": s.name, "quota": s.quota, "count": s.count - s.done} for s in staff],
            "calls": [{"task_id": c.task_id, "customer_id": c.customer_id, "customer": c.customer,
                       "phone": c.phone, "staff": c.staff, "reason": c.reason, "change_id": c.change_id,
                       "due": c.due, "time": c.time, "priority": c.priority, "why": c.why} for c in calls],
        })
        return 0
    if agenda.closed:
        print(f"{date_text(day, '%A %d %B %Y')}: {agenda.closed_reason}. No calls.")
        return 0
    print(f"Calls for {date_text(day, '%A %d %B %Y')}")
    for member in staff:
        mine = [c for c in calls if c.staff_id == member.staff_id]
        print(f"\n{member.name} — {len(mine)} to call ({member.done} done, quota {member.quota})")
        for number, call in enumerate(mine, start=1):
            when = f"{call.time:%H:%M} " if call.time else ""
            print(f"  {number:>2}. {when}{call.customer:<28} {call.phone or 'no phone':<14} {call.why}")
    return 0


def _write_sheet(args: argparse.Namespace, context: AppContext, day, staff_id: int | None) -> int:
    check_destination(args.pdf)  # a folder, a link or a device is refused before anything is laid out
    sheets = read(context, day_sheets, day, context.clock.today(), staff_id)
    region = read(context, load_settings).phone_region
    if not sheets:
        say(f"No calls to print for {day.isoformat()}.")
    page = args.page or context.paper_size(region)
    try:
        pages = context.pdf_writer(sheets_html(sheets), args.pdf, page)
    except OSError as error:
        raise CallAheadError(f"Cannot write {args.pdf}: {error.strerror or error}.") from error
    calls = sum(len(sheet.rows) for sheet in sheets)
    say(f"Wrote {args.pdf}: {calls} call{'s' if calls != 1 else ''} on {pages} page{'s' if pages != 1 else ''}.")
    return 0
