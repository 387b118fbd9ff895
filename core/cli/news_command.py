"""`news`: what's on — dated items every call mentions while they run."""

from __future__ import annotations

import argparse

from core.actions import habits
from core.cli.acting import read, run_action
from core.cli.arguments import comma_list, iso_date
from core.cli.output import print_json, say
from core.context import AppContext
from core.habits.news import News, list_news


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("news", parents=[common], help="what's on: news every call mentions",
                                   description="Add, list or remove dated news items for the calls' scripts "
                                               "and the printed day sheet.")
    actions = parser.add_subparsers(dest="news_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="add a news item")
    add.add_argument("--title", required=True, metavar="T")
    add.add_argument("--from", dest="starts_on", required=True, type=iso_date, metavar="D", help="first day")
    add.add_argument("--to", dest="ends_on", required=True, type=iso_date, metavar="D", help="last day (included)")
    add.add_argument("--text", metavar="TEXT", help="the details callers mention")
    add.add_argument("--reasons", type=comma_list, default=[], metavar="R[,R...]",
                     help="only calls for these reasons (e.g. post_purchase,neglected)")
    add.add_argument("--tags", type=comma_list, default=[], metavar="T[,T...]",
                     help="only customers with one of these tags (e.g. retail)")
    listing = actions.add_parser("list", parents=[common], help="list news items, the latest first")
    listing.add_argument("--json", action="store_true", help="print JSON")
    remove = actions.add_parser("remove", parents=[common], help="remove a news item")
    remove.add_argument("news_id", type=int, metavar="ID")
    parser.set_defaults(handler=run)


def as_json(item: News) -> dict:
    return {"id": item.id, "title": item.title, "text": item.text, "from": item.starts_on, "to": item.ends_on,
            "reasons": list(item.reasons), "tags": list(item.tags)}


def run(args: argparse.Namespace, context: AppContext) -> int:
    if args.news_action == "add":
        added = run_action(context, habits.add_news, args.title, args.starts_on, args.ends_on, text=args.text,
                           reasons=args.reasons, tags=args.tags)
        say(added.message)
        print_json(as_json(added.value))
    elif args.news_action == "remove":
        say(run_action(context, habits.remove_news, args.news_id).message)
    else:
        today = context.clock.today()
        items = read(context, list_news)
        if args.json:
            print_json({"news": [as_json(item) for item in items]})
        else:
            for item in items:
                state = "running" if item.runs_on(today) else ("ended" if item.ends_on < today else "coming")
                limits = f" [{item.limits}]" if item.limits else ""
                print(f"#{item.id} {item.starts_on.isoformat()} to {item.ends_on.isoformat()} ({state}): "
                      f"{item.talking_point}{limits}")
            if not items:
                print("No news items.")
    return 0
