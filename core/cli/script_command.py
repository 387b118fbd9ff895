"""`script`: a planned call's script as the window shows it (merge fields filled, news included)."""

from __future__ import annotations

import argparse

from sqlalchemy import select

from core.context import AppContext
from core.errors import InvalidInput
from core.models import CallTask, StaffMember
from core.scripts import render_call_script


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("script", parents=[common], help="print a planned call's script",
                                   description="Print the script of a planned call as the window shows it today.")
    parser.add_argument("task_id", type=int, metavar="TASK_ID")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: AppContext) -> int:
    with context.database().session() as session:
        task = session.get(CallTask, args.task_id)
        if task is None:
            raise InvalidInput(f"There is no call with id {args.task_id} (see `agenda --json`).", field="task_id")
        caller = session.scalar(select(StaffMember.name).where(StaffMember.id == task.staff_id)) \
            if task.staff_id else None
        script = render_call_script(session, task.customer_id, task.reason, context.clock.today(),
                                    change_id=task.change_id, task_id=task.id, caller_name=caller)
    lines = [script.title, "", script.body, "", "Courtesy questions:"]
    lines += [f"  ☐ {question}" for question in script.checklist]
    lines += ["", script.closing]
    print("\n".join(lines))
    return 0
