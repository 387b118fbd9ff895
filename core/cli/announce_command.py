"""`announce`: record a change and plan its calls (or show the plan with --dry-run)."""

from __future__ import annotations

import argparse

from core.actions import changes
from core.cli.acting import read, run_action
from core.cli.arguments import comma_list, count_between, id_list, iso_date, share
from core.cli.output import print_json, say
from core.context import AppContext
from core.storage.enums import ChangeKind
from core.scheduling import ChangeRequest, preview_change, product_ids_for_skus


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "announce", parents=[common], help="announce a change and plan the heads-up calls",
        description="Rank the customers a change affects and plan a heads-up call for each before the date, "
                    "then samples, an 'any concerns?' call and a follow-up.")
    parser.add_argument("--kind", required=True, choices=[k.value for k in ChangeKind])
    parser.add_argument("--title", required=True)
    parser.add_argument("--products", required=True, type=comma_list, metavar="SKU[,SKU...]")
    parser.add_argument("--effective", required=True, type=iso_date, metavar="D")
    parser.add_argument("--talking-points", metavar="TEXT", help="what callers should say (shown in the script)")
    parser.add_argument("--replacement", metavar="SKU", help="the product replacing a discontinued one")
    # The same ranges the settings allow (core/settings.py).
    parser.add_argument("--window-start", type=count_between(1, 365), metavar="DAYS",
                        help="start calling this many days before")
    parser.add_argument("--window-end", type=count_between(0, 60), metavar="DAYS",
                        help="stop calling this many days before")
    parser.add_argument("--capacity-share", type=share, metavar="SHARE",
                        help="share of each caller's daily quota for heads-up calls (0-1)")
    parser.add_argument("--samples", type=count_between(0, 100), metavar="N", help="samples to send after the date")
    parser.add_argument("--add-customers", type=id_list, default=[], metavar="ID[,ID...]",
                        help="customers to add by hand")
    parser.add_argument("--notes-for-missed", action="store_true",
                        help="plan a note instead of a call for customers capacity cannot reach in time")
    parser.add_argument("--dry-run", action="store_true", help="show the plan without saving anything")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: AppContext) -> int:
    today = context.clock.today()
    product_ids = read(context, product_ids_for_skus, args.products)
    replacement = read(context, product_ids_for_skus, [args.replacement])[0] if args.replacement else None
    request = ChangeRequest(
        kind=ChangeKind(args.kind), title=args.title, effective_on=args.effective, product_ids=product_ids,
        talking_points=args.talking_points, window_start_days=args.window_start,
        window_end_days=args.window_end, capacity_share=args.capacity_share, samples_count=args.samples,
        replacement_product_id=replacement, added_customer_ids=tuple(args.add_customers),
        notes_for_missed=args.notes_for_missed)
    plan = read(context, preview_change, request, today) if args.dry_run else None
    if plan is None:
        plan = run_action(context, changes.announce_change, request).value
    say(plan.feasibility.verdict)
    for option in plan.feasibility.options:
        say(f"  - {option.description}")
    if args.json:
        print_json({
            "change_id": plan.change_id,
            "effective": plan.effective_on,
            "affected": [{"customer_id": a.exposure.customer_id, "customer": a.exposure.customer,
                          "exposure": round(a.exposure.amount_cents / 100, 2), "why": a.exposure.why,
                          "heads_up": a.heads_up, "staff": a.staff} for a in plan.affected],
            "missed": list(plan.missed),
            "steps": [{"customer_id": s.customer_id, "kind": s.kind, "due": s.due} for s in plan.steps],
        })
    else:
        saved = "Planned" if plan.change_id else "Would plan (dry run)"
        print(f"{saved}: {len(plan.affected)} affected customers, {len(plan.steps)} steps.")
        for affected in plan.affected[:20]:
            when = affected.heads_up.isoformat() if affected.heads_up else "not called"
            print(f"  {when}  {affected.exposure.customer:<28} {affected.exposure.why}")
    return 0
