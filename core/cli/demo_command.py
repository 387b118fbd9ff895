"""`demo`: create the demo business in a data folder (refusing one that holds data)."""

from __future__ import annotations

import argparse

from core.cli.output import print_json, say
from core.context import AppContext
from core.demo import MAX_DEMO_CUSTOMERS, MIN_DEMO_CUSTOMERS, create_demo_database


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "demo", parents=[common], help="create a demo business to try CallAhead on",
        description="Create the Harbor Door & Supply demo business in the data folder.",
    )
    parser.add_argument("--customers", type=int, default=250,
                        help=f"how many customers, {MIN_DEMO_CUSTOMERS} to {MAX_DEMO_CUSTOMERS:,} (default 250)")
    parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same business")
    parser.add_argument("--force", action="store_true",
                        help="replace a folder's existing database (it is kept aside, not deleted)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: AppContext) -> int:
    result = create_demo_database(context, customers=args.customers, seed=args.seed, force=args.force)
    if result.set_aside:
        say(f"The previous database was kept as {result.set_aside}.")
    say(f"Created the demo business in {context.data_dir}.")
    print_json({"data_dir": str(context.data_dir), **result.summary.__dict__})
    return 0
