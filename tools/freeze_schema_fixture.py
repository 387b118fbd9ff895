"""Freezes a small CallAhead database at each schema revision, for the upgrade tests.

An owner may open this version with a database written by any earlier one. For every
revision the shipped migrations know, tests/fixtures/schemas/<revision>.sqlite3 holds a
database built *at* that revision (the migrations up to it, nothing after) with a little data
in every table; tests/core/test_schema_upgrades.py upgrades a copy of each to the newest
schema and checks every row survived. When a migration is added, freeze its revision:

    python tools/freeze_schema_fixture.py            # every revision that has no fixture yet
    python tools/freeze_schema_fixture.py 0004       # one revision (replacing its fixture)

Once committed, a fixture is never regenerated: it stands for databases already on owners'
disks. The files are test data, committed on purpose: .gitignore ignores *.sqlite3 everywhere
but in that folder (its README.md says why).

The rows below are written with whichever of their columns the revision has. A revision that
adds a required column without a default makes this script stop and name it: add a value for
it here.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.storage.database import known_revisions, open_database  # noqa: E402
from core.storage.paths import sqlite_url  # noqa: E402

FIXTURES_DIR = ROOT / "tests" / "fixtures" / "schemas"
STAMP = "2026-06-01 09:00:00"

# Table by table, in an order the foreign keys accept. Values cover what upgrades must keep:
# accents and apostrophes, NULLs, booleans, dates and times, money in cents, JSON settings.
SAMPLE_ROWS: dict[str, list[dict]] = {
    "settings": [
        {"key": "business_name", "value": '"Harbor Door & Supply"'},
        {"key": "phone_region", "value": '"US"'},
        {"key": "backups_to_keep", "value": "10"},
        {"key": "business_weekdays", "value": "[0, 1, 2, 3, 4, 5]"},
    ],
    "staff_members": [
        {"id": 1, "name": "Maria Lopez", "daily_quota": 10, "active": 1},
        {"id": 2, "name": "Dave Chen", "daily_quota": 0, "active": 0},
    ],
    "products": [
        {"id": 1, "sku": "DR-OAK-KIT", "name": "Oak Door Kit", "category": "Garage doors",
         "unit_price_cents": 28000, "active": 1, "care_tip": "A spray of lubricant on the tracks twice a year."},
        {"id": 2, "sku": "PT-SPRING-TOR", "name": "Torsion Spring (pair)", "category": None,
         "unit_price_cents": None, "active": 0},
    ],
    "scripts": [
        {"id": 1, "reason": "change_heads_up", "title": "Heads-up", "body": "Hello {first_name}, before {date}…",
         "created_at": STAMP, "updated_at": STAMP},
    ],
    "customers": [
        {"id": 1, "name": "Hans Müller", "first_name": "Hans", "last_name": "Müller", "company": "Müller Bau",
         "phone": "+15035551234", "email": "hans@example.com", "address": "12 Oak Ave", "city": "Portland",
         "region": "OR", "postal_code": "97202", "country": "US", "notes": "Gate code 4512.\nDog in the yard.",
         "tags": "contractor,vip", "birthday": "1971-02-28", "do_not_call": 0, "needs_data_fix": 0,
         "preferred_call_time": "10:30:00.000000", "keep_in_touch_days": 60, "assigned_staff_id": 1,
         "external_id": "HDS-000001", "imported_last_purchase": "2025-12-01", "imported_total_spent_cents": 123400,
         "imported_order_count": 7, "created_at": STAMP, "updated_at": STAMP},
        {"id": 2, "name": "Zoë O'Brien", "first_name": "Zoë", "last_name": "O'Brien", "company": None,
         "phone": "+13605559876", "email": None, "address": None, "city": None, "region": None,
         "postal_code": None, "country": None, "notes": None, "tags": None, "birthday": None, "do_not_call": 1,
         "needs_data_fix": 1, "preferred_call_time": None, "keep_in_touch_days": None, "assigned_staff_id": None,
         "external_id": None, "imported_last_purchase": None, "imported_total_spent_cents": None,
         "imported_order_count": None, "created_at": STAMP, "updated_at": STAMP},
    ],
    "customer_phones": [
        {"id": 1, "customer_id": 1, "number": "+15035550000", "label": "mobile"},
    ],
    "purchases": [
        {"id": 1, "customer_id": 1, "product_id": 1, "purchased_on": "2026-03-01", "quantity": 14,
         "amount_cents": 392000, "kind": "sale", "import_key": "square:order-77:1"},
        {"id": 2, "customer_id": 2, "product_id": 2, "purchased_on": "2024-01-15", "quantity": 1,
         "amount_cents": 0, "kind": "installation", "import_key": None},
    ],
    "quotes": [
        {"id": 1, "customer_id": 1, "staff_id": 1, "description": "Two-door replacement", "amount_cents": 450000,
         "sent_on": "2026-05-20", "status": "open", "decided_on": None},
        {"id": 2, "customer_id": 2, "staff_id": None, "description": None, "amount_cents": 0,
         "sent_on": "2025-01-02", "status": "lost", "decided_on": "2025-01-09"},
    ],
    "reward_cards": [
        {"id": 1, "customer_id": 1, "stamps": 9, "stamps_needed": 10, "rewards_redeemed": 2,
         "last_stamp_on": "2026-05-30"},
    ],
    "changes": [
        {"id": 1, "kind": "price_increase", "title": "Springs up 8%", "talking_points": "Steel costs.\nOrder early.",
         "effective_on": "2026-06-25", "status": "active", "announced_on": "2026-06-01", "window_start_days": 21,
         "window_end_days": 2, "capacity_share": 0.6, "samples_count": 2, "replacement_product_id": None,
         "created_at": STAMP, "updated_at": STAMP},
    ],
    "change_products": [{"change_id": 1, "product_id": 1}],
    "change_customers": [{"change_id": 1, "customer_id": 2, "excluded": 1}],
    "call_tasks": [
        {"id": 1, "customer_id": 1, "kind": "call", "reason": "change_heads_up", "due_on": "2026-06-10",
         "due_time": None, "deadline": "2026-06-24", "priority": 50, "customer_value_cents": 392000,
         "why": "bought 14 × Oak Door Kit", "staff_id": 1, "change_id": 1, "quote_id": None, "purchase_id": 1,
         "status": "pending", "attempts": 1, "samples_count": None, "dedupe_key": "change:1:heads_up:1",
         "completed_at": None, "created_at": STAMP, "updated_at": STAMP},
        {"id": 2, "customer_id": 2, "kind": "note", "reason": "quote", "due_on": "2026-05-01",
         "due_time": "14:00:00.000000", "deadline": None, "priority": 10, "customer_value_cents": 0,
         "why": "Quote follow-up", "staff_id": None, "change_id": None, "quote_id": 2, "purchase_id": None,
         "status": "done", "attempts": 0, "samples_count": None, "dedupe_key": None,
         "completed_at": "2026-05-01 14:05:00.000000", "created_at": STAMP, "updated_at": STAMP},
    ],
    "call_logs": [
        {"id": 1, "task_id": 2, "customer_id": 2, "staff_id": 1, "logged_at": "2026-05-01 14:05:00.000000",
         "outcome": "do_not_call", "notes": "Asked not to be called — “no more calls”.", "result_tags": None},
        {"id": 2, "task_id": None, "customer_id": 1, "staff_id": None, "logged_at": "2026-04-02 09:15:00.000000",
         "outcome": "reached", "notes": None, "result_tags": "order_placed"},
    ],
    "reminders_shown": [{"key": "start-of-day:2026-06-01", "shown_at": "2026-06-01 08:30:00.000000"},
                        {"key": "callback:2:2026-05-01T14:00", "desk": "0f" * 16,
                         "shown_at": "2026-05-01 14:00:00.000000"}],
    "thank_you_notes": [
        {"id": 1, "staff_id": 1, "sent_on": "2026-06-01", "recipient": "Hans Müller", "customer_id": 1,
         "text": "Thanks for the order — “much appreciated”.", "response": "called_back",
         "response_on": "2026-06-03"},
        {"id": 2, "staff_id": 1, "sent_on": "2026-06-01", "recipient": "Pat at the spring supplier",
         "customer_id": None, "text": None, "response": None, "response_on": None},
    ],
    "week_reflections": [{"id": 1, "week_start": "2026-06-01", "staff_id": 1, "text": "Busy week, good calls."}],
    "news_items": [
        {"id": 1, "title": "Open house Saturday — coffee and 10 % off openers", "text": None,
         "starts_on": "2026-06-01", "ends_on": "2026-06-06", "reasons": "post_purchase,neglected",
         "tags": "retail", "created_at": STAMP, "updated_at": STAMP},
    ],
    "import_pair_decisions": [
        {"id": 1, "phone": "+15035550123", "name_a": "greg foster", "name_b": "zoe fernandez",
         "decision": "keep_apart", "decided_at": "2026-06-01 09:00:00.000000"},
    ],
    "planned_calls": [
        {"id": 1, "day": "2026-06-10", "customer_id": 1, "staff_id": 1, "task_id": 1, "time": None, "is_call": 1,
         "beyond_quota": 0, "fixed": 1, "value": 56.14, "first_day": "2026-06-04", "last_day": "2026-06-24",
         "reasons": "change_heads_up,keep_in_touch", "why": "Heads-up call: bought 14 × Oak Door Kit · Keep in touch"},
    ],
    "planned_call_tasks": [{"task_id": 1, "planned_call_id": 1}],
    "change_log": [
        {"sequence": 1, "written_at": STAMP, "desk": "FRONT-DESK", "process": 4242, "writer": "5c61f7d1e68f48f4",
         "activity": "logging a call from the command line", "kinds": "customers,tasks", "customer_ids": "1"},
        {"sequence": 2, "written_at": STAMP, "desk": "Büro — Maria's PC", "process": 77, "writer": "0f3e9a2b11c4d5e6",
         "activity": "an import from the command line", "kinds": "everything", "customer_ids": None},
    ],
    "plan_waiting": [
        {"task_id": 2, "customer_id": 2, "window_start": "2026-05-01", "window_end": "2026-05-07", "value": 7.0,
         "reason": "no room before its window closes on 7 May"},
    ],
}


def _columns(connection: sqlite3.Connection, table: str) -> dict[str, tuple[bool, bool]]:
    """column -> (required, has_default) for a table as the revision built it."""
    rows = connection.execute(f"PRAGMA table_info({table})").fetchall()
    return {name: (bool(notnull) and not pk, default is not None) for _cid, name, _type, notnull, default, pk in rows}


def fill_sample_rows(connection: sqlite3.Connection) -> None:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, rows in SAMPLE_ROWS.items():
        if table not in tables:
            continue
        columns = _columns(connection, table)
        for row in rows:
            values = {name: value for name, value in row.items() if name in columns}
            missing = [name for name, (required, has_default) in columns.items()
                       if required and not has_default and name not in values]
            if missing:
                raise SystemExit(f"{table}.{', '.join(missing)} is required at this revision: "
                                 "add a value for it to SAMPLE_ROWS in tools/freeze_schema_fixture.py.")
            names = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            connection.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(values.values()))


def freeze(revision: str, destination: Path) -> Path:
    """Build a database at `revision` with the sample rows and write it, compact, to `destination`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "callahead.sqlite3"
        open_database(sqlite_url(path), target=revision).dispose()
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("BEGIN")
            fill_sample_rows(connection)
            connection.execute("COMMIT")
            problems = connection.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise SystemExit(f"The sample rows break foreign keys at {revision}: {problems}")
            # One self-contained file, as small as SQLite makes it.
            connection.execute("PRAGMA journal_mode = DELETE")
            connection.execute("PRAGMA page_size = 1024")
            connection.execute("VACUUM")
        finally:
            connection.close()
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(path.read_bytes())
    return destination


def fixture_path(revision: str) -> Path:
    return FIXTURES_DIR / f"{revision}.sqlite3"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revisions", nargs="*", help="revisions to freeze (default: every one without a fixture)")
    args = parser.parse_args(argv)
    known = known_revisions()
    unknown = sorted(set(args.revisions) - set(known))
    if unknown:
        parser.error(f"unknown revision(s) {', '.join(unknown)}; the migrations know {', '.join(known)}")
    wanted = args.revisions or [revision for revision in known if not fixture_path(revision).exists()]
    for revision in wanted:
        path = freeze(revision, fixture_path(revision))
        print(f"froze {revision}: {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    if not wanted:
        print("every revision already has a fixture")
    return 0


if __name__ == "__main__":
    sys.exit(main())
