"""`thanks`: log a thank-you note written today, see whom to thank, or record a response."""

from __future__ import annotations

import argparse

from core.actions import habits
from core.cli.acting import read, run_action
from core.cli.output import print_json, say
from core.context import AppContext
from core.storage.enums import ThankYouResponse
from core.errors import InvalidInput
from core.scheduling.staff import staff_id_by_name
from core.habits.thanks import suggest_thank_yous


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "thanks", parents=[common], help="log a thank-you note, or see whom to thank",
        description="Log a thank-you note written today (--staff, --to), list suggestions (--suggest), "
                    "or record what came of a note (--respond ID --response R).")
    parser.add_argument("--staff", metavar="NAME", help="who wrote the note")
    parser.add_argument("--to", metavar="TEXT", help="whom it is to: a customer, a supplier, a colleague")
    parser.add_argument("--customer", type=int, metavar="ID", help="the customer it is to, if it is one")
    parser.add_argument("--note", metavar="TEXT", help="what it said")
    parser.add_argument("--suggest", action="store_true", help="whom --staff might thank today, and why")
    parser.add_argument("--respond", type=int, metavar="NOTE_ID", help="record a response to this note, today")
    parser.add_argument("--response", choices=[r.value for r in ThankYouResponse], help="what came of the note")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: AppContext) -> int:
    today = context.clock.today()
    if args.respond is not None:
        if not args.response:
            raise InvalidInput("Say what came of the note: --response "
                               + "|".join(r.value for r in ThankYouResponse) + ".", field="response")
        recorded = run_action(context, habits.record_response, args.respond, args.response)
        note = recorded.value
        say(recorded.message)
        if args.json:
            print_json({"id": note.id, "response": note.response, "response_on": note.response_on})
        return 0
    if not args.staff:
        raise InvalidInput("Say whose note it is: --staff NAME.", field="staff")
    if args.suggest:
        staff_id = read(context, staff_id_by_name, args.staff)
        suggestions = read(context, suggest_thank_yous, staff_id, today)
        if args.json:
            print_json({"suggestions": [{"customer_id": s.customer_id, "name": s.name, "why": s.why}
                                        for s in suggestions]})
        else:
            print("\n".join(f"{s.name} (#{s.customer_id}): {s.why}" for s in suggestions)
                  or "No suggestions from the last seven days' calls.")
        return 0
    if not (args.to or args.customer):
        raise InvalidInput("Say whom the note is to: --to TEXT (and --customer ID if it is a customer).", field="to")
    staff_id = read(context, staff_id_by_name, args.staff)
    logged = run_action(context, habits.log_thank_you, staff_id, args.to, customer_id=args.customer, text=args.note)
    note, progress = logged.value
    say(logged.message)
    if args.json:
        print_json({"id": note.id, "staff": note.staff, "sent_on": note.sent_on, "to": note.recipient,
                    "customer_id": note.customer_id, "note": note.text,
                    "notes_today": progress.written, "goal": progress.goal})
    return 0
