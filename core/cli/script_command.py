"""`script`: a planned call's script as the window shows it (merge fields filled, news included)."""

from __future__ import annotations

import argparse

from core.cli.acting import read
from core.context import AppContext
from core.scripts.library import planned_call_script


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("script", parents=[common], help="print a planned call's script",
                                   description="Print the script of a planned call as the window shows it today.")
    parser.add_argument("task_id", type=int, metavar="TASK_ID")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: AppContext) -> int:
    script = read(context, planned_call_script, args.task_id, context.clock.today())
    lines = [script.title, "", script.body, "", "Courtesy questions:"]
    lines += [f"  ☐ {question}" for question in script.checklist]
    lines += ["", script.closing]
    print("\n".join(lines))
    return 0
