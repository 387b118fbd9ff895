"""A believable demo business, generated deterministically from a seed.

Harbor Door & Supply installs garage doors and sells openers and parts to homeowners and
contractors. The same (seed, size, today) always gives the same rows, so tests and
benchmarks can rely on it; rows go in with bulk inserts so 100,000 customers take seconds.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from core.storage.database import open_database, restoring_path
from core.errors import CallAheadError, DatabaseBusy, InvalidInput
from core.storage.integrity import forget_clean_close
from core.storage.paths import sqlite_url
from core.storage.privacy import SQLITE_COMPANION_SUFFIXES
from core.storage.enums import ChangeKind, Outcome, PurchaseKind, QuoteStatus, ResultTag
from core.storage.models import (
    CallLog,
    Customer,
    Product,
    Purchase,
    Quote,
    RewardCard,
    StaffMember,
)
from core.storage.replacing import exclusive_hold, move_database, retire, set_database_aside
from core.settings import save_settings

if TYPE_CHECKING:
    from core.context import AppContext

BUSINESS_NAME = "Harbor Door & Supply"
MIN_DEMO_CUSTOMERS = 1
MAX_DEMO_CUSTOMERS = 200_000

STAFF = [("Maria Lopez", 10), ("Dave Chen", 8), ("Priya Patel", 6)]

# sku, name, category, unit price in dollars, popularity weight, bought by the dozen by contractors
PRODUCTS = [
    ("DR-OAK-KIT", "Oak Door Kit", "Garage doors", 280, 6, False),
    ("DR-STEEL-167", "Steel Carriage Door 16x7", "Garage doors", 1450, 4, False),
    ("DR-STEEL-97", "Steel Carriage Door 9x7", "Garage doors", 890, 5, False),
    ("DR-INSUL-R16", "Insulated Panel Door R-16", "Garage doors", 1690, 3, False),
    ("DR-GLASS-MOD", "Modern Glass Door", "Garage doors", 2950, 1, False),
    ("OP-BELT-34", "Belt Drive Opener 3/4 HP", "Openers", 389, 7, False),
    ("OP-CHAIN-12", "Chain Drive Opener 1/2 HP", "Openers", 219, 6, False),
    ("OP-WIFI-JACK", "Smart Wall-Mount Opener", "Openers", 549, 3, False),
    ("PT-SPRING-TOR", "Torsion Spring (pair)", "Parts", 145, 9, True),
    ("PT-ROLLER-13", "Nylon Roller Set (13)", "Parts", 49, 8, True),
    ("PT-SEAL-16", "Bottom Weather Seal 16 ft", "Parts", 38, 7, True),
    ("PT-CABLE-LIFT", "Lift Cable Pair", "Parts", 29, 6, True),
    ("PT-REMOTE-3B", "3-Button Remote", "Parts", 34, 8, True),
    ("PT-KEYPAD", "Wireless Keypad", "Parts", 45, 5, True),
    ("PT-HINGE-SET", "Hinge Set", "Parts", 52, 4, True),
    ("PT-SENSOR", "Safety Sensor Kit", "Parts", 59, 5, True),
    ("SV-TUNEUP", "Annual Tune-Up Visit", "Service", 129, 6, False),
    ("SV-INSTALL", "Door Installation", "Service", 450, 5, False),
    ("SV-REPAIR", "Emergency Repair Call-Out", "Service", 189, 4, False),
    ("LB-DOOR-LUBE", "Door Lubricant Spray", "Parts", 12, 5, True),
]
# How to look after what they bought, offered on check-in calls (as the installer showed where to spray).
CARE_TIPS = {
    "DR-OAK-KIT": "Oil the wood once a year, before winter, and it won't swell or stick.",
    "DR-STEEL-167": "A spray of lubricant on the tracks and rollers twice a year keeps it quiet.",
    "DR-STEEL-97": "A spray of lubricant on the tracks and rollers twice a year keeps it quiet.",
    "DR-INSUL-R16": "Wipe the bottom seal clean in the fall so it closes tight all winter.",
    "OP-BELT-34": "Test the auto-reverse with a roll of paper towels once a month.",
    "OP-CHAIN-12": "A little grease on the chain every spring keeps it smooth.",
    "PT-SPRING-TOR": "A spray of lubricant on the springs twice a year makes them last longer.",
    "PT-ROLLER-13": "A spray of lubricant on the tracks twice a year, never grease.",
}
DOOR_CATEGORY = "Garage doors"
PRICE_CHANGE_SKUS = ("PT-SPRING-TOR", "DR-OAK-KIT", "OP-BELT-34")

FIRST_NAMES = [
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen",
    "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra", "Paul", "Ashley",
    "José", "Zoë", "Renée", "Søren", "Chloé", "André", "Noémie", "Björn", "Ana", "Kwame",
    "Mei", "Hiroshi", "Fatima", "Olusegun", "Ingrid", "Luis", "Amélie", "Dmitri", "Siobhán", "Raúl",
]
LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
    "Müller", "Álvarez", "Nguyen", "O'Brien", "Kowalski", "Novák", "Eriksson", "Dubois", "Rossi", "Okafor",
    "Tanaka", "Kim", "Patel", "Schröder", "Gonçalves", "Peña", "Fitzgerald", "Bergström", "Haddad", "Clarke",
]
COMPANY_STEMS = [
    "Pine Street", "Lakeside", "Riverbend", "Cedar Ridge", "Northgate", "Summit", "Willamette", "Oak Hollow",
    "Bayview", "Maple Court", "Columbia", "Evergreen", "Hawthorne", "Sellwood", "Alder Creek", "Mount Hood",
]
COMPANY_KINDS = [
    "Builders", "Storage", "Apartments", "Property Management", "Construction", "Homes", "Auto Repair",
    "Self Storage", "Contractors", "Renovations", "Fire Station", "Warehouse Co.",
]
CITIES = [("Portland", "OR", "972"), ("Beaverton", "OR", "970"), ("Gresham", "OR", "970"),
          ("Vancouver", "WA", "986"), ("Hillsboro", "OR", "971"), ("Lake Oswego", "OR", "970")]
STREETS = ["Main St", "Oak Ave", "Division St", "Hawthorne Blvd", "Burnside St", "Alberta St", "Fremont St",
           "Powell Blvd", "Sandy Blvd", "Belmont St"]
AREA_CODES = ["503", "971", "360"]
LOG_NOTES = {
    Outcome.REACHED: ["Happy with the new door.", "Asked about a tune-up in spring.", "All good, thanked them.",
                      "Wants a quote for a second door.", "Mentioned a neighbour who needs an opener."],
    Outcome.VOICEMAIL: ["Left a message.", "Left a short voicemail with our number."],
    Outcome.NO_ANSWER: ["No answer.", "Rang out."],
}


@dataclass(frozen=True)
class DemoSummary:
    customers: int
    products: int
    purchases: int
    quotes: int
    reward_cards: int
    call_logs: int
    staff: int
    change_id: int
    change_effective: dt.date


def _next_weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _ascii(text: str) -> str:
    """Mail addresses are written without accents (José → jose), as mail providers hand them out."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _phone(rng: random.Random) -> str:
    # Exchanges 200-999 and lines that are not 555-01xx: numbers phonenumbers accepts as valid.
    return f"+1{rng.choice(AREA_CODES)}{rng.randint(200, 999)}{rng.randint(1000, 9999)}"


def generate_demo_business(
    session: Session,
    *,
    today: dt.date,
    customers: int = 250,
    seed: int = 1,
    purchases_per_customer: float = 6.0,
    call_logs_per_customer: float = 1.5,
) -> DemoSummary:
    """Fill an empty database with the demo business as of `today`."""
    if customers < 1:
        raise ValueError("A demo business needs at least one customer.")
    rng = random.Random(seed)
    save_settings(session, business_name=BUSINESS_NAME, phone_region="US", holiday_country="US")

    session.execute(insert(StaffMember), [{"name": n, "daily_quota": q, "active": True} for n, q in STAFF])
    staff_ids = list(session.scalars(select(StaffMember.id).order_by(StaffMember.id)))

    session.execute(
        insert(Product),
        [{"sku": sku, "name": name, "category": cat, "unit_price_cents": price * 100, "active": True,
          "care_tip": CARE_TIPS.get(sku)} for sku, name, cat, price, _w, _bulk in PRODUCTS],
    )
    product_ids = dict(session.execute(select(Product.sku, Product.id)).all())

    customer_rows = []
    used_emails: set[str] = set()
    for index in range(customers):
        city, region, zip_prefix = rng.choice(CITIES)
        is_business = rng.random() < 0.22
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        company = f"{rng.choice(COMPANY_STEMS)} {rng.choice(COMPANY_KINDS)}" if is_business else None
        email_local = _ascii(f"{first}.{last}").lower().replace(" ", "").replace("'", "")
        email = f"{email_local}{index}@example.{'com' if is_business else rng.choice(['org', 'net', 'com'])}"
        if rng.random() < 0.08 or email in used_emails:
            email = None
        else:
            used_emails.add(email)
        tags = ["commercial" if is_business else "residential"]
        if is_business and rng.random() < 0.5:
            tags.append("contractor")
        customer_rows.append({
            "name": f"{first} {last}",
            "first_name": first,
            "last_name": last,
            "company": company,
            "phone": _phone(rng) if rng.random() > 0.03 else None,
            "email": email,
            "address": f"{rng.randint(100, 9999)} {rng.choice(STREETS)}",
            "city": city,
            "region": region,
            "postal_code": f"{zip_prefix}{rng.randint(10, 99)}",
            "country": "US",
            "tags": ",".join(tags),
            "do_not_call": rng.random() < 0.02,
            "needs_data_fix": False,
            "preferred_call_time": dt.time(rng.choice([9, 10, 11, 14, 15, 16]), 0) if rng.random() < 0.1 else None,
            "keep_in_touch_days": None,
            "assigned_staff_id": staff_ids[index % len(staff_ids)] if rng.random() < 0.7 else None,
            "external_id": f"HDS-{index + 1:06d}",
            "birthday": None,
            "notes": rng.choice([None, None, None, "Prefers e-mail for invoices.", "Gate code 4512.",
                                 "Dog in the yard — call before arriving.", "Referred by a neighbour."]),
        })
    session.execute(insert(Customer), customer_rows)
    customer_ids = list(session.scalars(select(Customer.id).order_by(Customer.id)))
    business_ids = {cid for cid, row in zip(customer_ids, customer_rows) if row["company"]}

    skus = [p[0] for p in PRODUCTS]
    weights = [p[4] for p in PRODUCTS]
    by_sku = {p[0]: p for p in PRODUCTS}
    purchase_rows = []
    spend: dict[int, int] = {}
    for cid in customer_ids:
        is_business = cid in business_ids
        count = max(0, int(rng.expovariate(1 / purchases_per_customer) + 0.5))
        if is_business:
            count = int(count * 1.8) + 1
        # A quarter of customers have gone quiet: their history stops well before today.
        quiet_since = rng.randint(190, 600) if rng.random() < 0.25 else 0
        for _ in range(count):
            sku = rng.choices(skus, weights)[0]
            _s, _n, category, price, _w, bulk = by_sku[sku]
            quantity = rng.randint(2, 24) if (bulk and is_business) else (rng.randint(1, 3) if bulk else 1)
            day = today - dt.timedelta(days=rng.randint(max(quiet_since, 1), 730))
            amount = price * 100 * quantity
            if is_business and rng.random() < 0.5:
                amount = int(amount * 0.9)
            kind = PurchaseKind.INSTALLATION if (category == DOOR_CATEGORY or sku == "SV-INSTALL") and rng.random() < 0.7 \
                else PurchaseKind.SALE
            purchase_rows.append({"customer_id": cid, "product_id": product_ids[sku], "purchased_on": day,
                                  "quantity": quantity, "amount_cents": amount, "kind": kind, "import_key": None})
            spend[cid] = spend.get(cid, 0) + amount
    # A handful of recent sales, so the "check in a month after" rule has work this week.
    for cid in rng.sample(customer_ids, k=min(len(customer_ids), max(3, customers // 25))):
        sku = rng.choice(["DR-STEEL-97", "OP-BELT-34", "SV-INSTALL", "DR-OAK-KIT"])
        purchase_rows.append({"customer_id": cid, "product_id": product_ids[sku],
                              "purchased_on": today - dt.timedelta(days=rng.randint(24, 34)), "quantity": 1,
                              "amount_cents": by_sku[sku][3] * 100, "kind": PurchaseKind.INSTALLATION,
                              "import_key": None})
    _insert_in_chunks(session, Purchase, purchase_rows)

    # The best customers get a keep-in-touch cadence, as an owner would set for them.
    top = sorted(spend, key=lambda cid: (-spend[cid], cid))[: max(1, customers // 20)]
    if top:
        session.execute(update(Customer).where(Customer.id.in_(top)).values(keep_in_touch_days=60))

    quote_rows = []
    for cid in customer_ids:
        roll = rng.random()
        if roll < 0.07:
            quote_rows.append({"customer_id": cid, "staff_id": rng.choice(staff_ids),
                               "description": rng.choice(["New insulated door", "Opener upgrade", "Two-door replacement",
                                                          "Commercial roll-up door", "Spring and cable service"]),
                               "amount_cents": rng.randint(3, 60) * 5000, "sent_on": today - dt.timedelta(days=rng.randint(0, 13)),
                               "status": QuoteStatus.OPEN, "decided_on": None})
        elif roll < 0.2:
            sent = today - dt.timedelta(days=rng.randint(20, 400))
            quote_rows.append({"customer_id": cid, "staff_id": rng.choice(staff_ids), "description": "Door replacement",
                               "amount_cents": rng.randint(3, 60) * 5000, "sent_on": sent,
                               "status": rng.choice([QuoteStatus.WON, QuoteStatus.LOST]),
                               "decided_on": sent + dt.timedelta(days=rng.randint(2, 15))})
    if quote_rows:
        session.execute(insert(Quote), quote_rows)

    card_rows = []
    for cid in customer_ids:
        if rng.random() < 0.3:
            needed = rng.choice([8, 10, 10, 12])
            stamps = needed - 1 if rng.random() < 0.05 else rng.randint(0, needed - 2)
            card_rows.append({"customer_id": cid, "stamps": stamps, "stamps_needed": needed,
                              "rewards_redeemed": rng.randint(0, 3),
                              "last_stamp_on": today - dt.timedelta(days=rng.randint(3, 200))})
    if card_rows:
        session.execute(insert(RewardCard), card_rows)

    log_rows = []
    outcomes = [Outcome.REACHED] * 6 + [Outcome.VOICEMAIL] * 3 + [Outcome.NO_ANSWER] * 2
    for cid in customer_ids:
        for _ in range(int(rng.expovariate(1 / call_logs_per_customer) + 0.5)):
            outcome = rng.choice(outcomes)
            when = dt.datetime.combine(today - dt.timedelta(days=rng.randint(1, 365)),
                                       dt.time(rng.randint(9, 16), rng.choice([0, 15, 30, 45])))
            tag = ResultTag.ORDER_PLACED.value if outcome is Outcome.REACHED and rng.random() < 0.15 else None
            log_rows.append({"task_id": None, "customer_id": cid, "staff_id": rng.choice(staff_ids), "logged_at": when,
                             "outcome": outcome, "notes": rng.choice(LOG_NOTES[outcome]), "result_tags": tag})
    _insert_in_chunks(session, CallLog, log_rows)

    # The coming price increase is announced through the engine, as an owner would, so the
    # demo opens with heads-up calls on the calendar and today's standing-rule calls planned.
    from core.scheduling import ChangeRequest, announce_change, refresh_plan

    effective = _next_weekday(today + dt.timedelta(days=24))
    plan = announce_change(session, ChangeRequest(
        kind=ChangeKind.PRICE_INCREASE,
        title="Price increase on springs, oak doors and belt openers",
        talking_points="Our supplier raised steel and hardwood prices 8%.\n"
                       "Orders placed before the date keep today's price.\n"
                       "We can hold stock for regular customers — ask what they will need this season.",
        effective_on=effective,
        product_ids=tuple(product_ids[sku] for sku in PRICE_CHANGE_SKUS),
    ), today)
    refresh_plan(session, today)
    return DemoSummary(customers=len(customer_ids), products=len(product_ids), purchases=len(purchase_rows),
                       quotes=len(quote_rows), reward_cards=len(card_rows), call_logs=len(log_rows),
                       staff=len(staff_ids), change_id=plan.change_id, change_effective=effective)


def _insert_in_chunks(session: Session, model, rows: list[dict], chunk: int = 20_000) -> None:
    for start in range(0, len(rows), chunk):
        session.execute(insert(model), rows[start:start + chunk])


@dataclass(frozen=True)
class DemoCreated:
    summary: DemoSummary
    set_aside: Path | None


def check_demo_size(customers: int) -> None:
    """A demo business of 1 to 200,000 customers (a bigger one would fill gigabytes for nothing)."""
    if not MIN_DEMO_CUSTOMERS <= customers <= MAX_DEMO_CUSTOMERS:
        raise InvalidInput(f"--customers must be between {MIN_DEMO_CUSTOMERS} and {MAX_DEMO_CUSTOMERS:,} "
                           f"(a demo business of that size is plenty to try CallAhead on), not {customers}.",
                           field="customers")


def create_demo_database(context: "AppContext", *, customers: int = 250, seed: int = 1,
                         force: bool = False) -> DemoCreated:
    """Create the demo business in the context's database, whole or not at all.

    In a folder with no database yet, the demo is built in a file of its own and moved in whole,
    never over a file: of two `demo` runs at once, one moves its demo in and the other finds a
    business there and refuses. A database that already holds customers is refused unless
    `force`, and then it is moved aside (never deleted, never over another file) before the demo
    is written. Two `demo --force` at once each set aside what is in place when they hold it
    alone (core.storage.replacing), so the business, and each demo, ends up in a file of its own.
    """
    check_demo_size(customers)
    path = context.database_file
    if path is not None and _nothing_there(path):
        created = _move_in_a_new_demo(path, context, customers=customers, seed=seed)
        if created is not None:
            return created
        # Another CallAhead put a database here meanwhile: it is looked at like any other.
    database = context.database()
    with database.session() as session:
        existing = session.scalar(select(func.count()).select_from(Customer))
    if existing:
        if not force or database.path is None:
            raise _already_holds_a_business(context, existing)
        context.close()
        return _replace_with_demo(database.path, context, customers=customers, seed=seed)
    with database.transaction() as session:
        # Counted again under the write lock: another `demo` may have filled it since.
        existing = session.scalar(select(func.count()).select_from(Customer))
        if existing:
            raise _already_holds_a_business(context, existing)
        summary = generate_demo_business(session, today=context.clock.today(), customers=customers, seed=seed)
    return DemoCreated(summary=summary, set_aside=None)


def _nothing_there(path: Path) -> bool:
    """No database, no -wal or -journal of one, no restore to finish: a demo may be moved in.
    Anything else is opened the usual way first (core.storage.database finishes a restore, refuses a stray log)."""
    leftovers = (path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANION_SUFFIXES),
                 restoring_path(path))
    return not any(os.path.lexists(candidate) for candidate in leftovers)


def _already_holds_a_business(context: "AppContext", customers: int) -> CallAheadError:
    return CallAheadError(
        f"{context.data_dir} already holds a business with {customers} customers. "
        "Choose an empty folder with --data-dir, or add --force to set the existing database aside."
    )


def _build_demo_file(building: Path, context: "AppContext", *, customers: int, seed: int) -> DemoSummary:
    """The demo business, whole, in a file nobody else uses (its -wal folded in, so it is one file)."""
    demo = open_database(sqlite_url(building), now=context.clock.now())
    try:
        with demo.transaction() as session:
            summary = generate_demo_business(session, today=context.clock.today(), customers=customers, seed=seed)
        with demo.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        demo.dispose()
    return summary


def _remove_building(building: Path) -> None:
    if not building.parent.is_dir():
        return  # no data folder could be made, so nothing was built: the error that said so is told
    for leftover in (building, *(building.with_name(building.name + s) for s in SQLITE_COMPANION_SUFFIXES)):
        leftover.unlink(missing_ok=True)
    forget_clean_close(building)  # the note its closing left; the demo moved in is checked at its opening


def _building_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.demo-{os.getpid()}")


def _move_in_a_new_demo(path: Path, context: "AppContext", *, customers: int, seed: int) -> DemoCreated | None:
    """Build the demo aside and move it to `path`, where no database is; None if one appeared meanwhile."""
    building = _building_path(path)
    try:
        summary = _build_demo_file(building, context, customers=customers, seed=seed)
        try:
            move_database(building, path)
        except FileExistsError:
            return None
        return DemoCreated(summary=summary, set_aside=None)
    finally:
        _remove_building(building)


def _replace_with_demo(path: Path, context: "AppContext", *, customers: int, seed: int) -> DemoCreated:
    """Build the demo in a file of its own, then swap it in: the business in place is set aside first.

    The demo is whole before it is moved in (never over a file), so a second `demo --force` at the
    same moment can only find a whole business or a whole demo in place — and sets that aside too.
    """
    building = _building_path(path)
    first_set_aside = None
    try:
        summary = _build_demo_file(building, context, customers=customers, seed=seed)
        for _attempt in range(20):
            set_aside = set_business_aside(path, context.clock.now())
            first_set_aside = first_set_aside or set_aside
            try:
                move_database(building, path)
                return DemoCreated(summary=summary, set_aside=first_set_aside)
            except FileExistsError:
                continue  # another `demo --force` moved its demo in meanwhile: that one is set aside next
        raise DatabaseBusy.saying(f"Another CallAhead keeps replacing {path}; nothing of yours was lost. Try again.")
    finally:
        _remove_building(building)


def ensure_demo_business(context: "AppContext", customers: int = 250) -> DemoSummary | None:
    """Create the demo business on first use of `--demo`; later runs reuse it as it is."""
    with context.database().session() as session:
        if session.scalar(select(func.count()).select_from(Customer)):
            return None
    return create_demo_database(context, customers=customers).summary


def set_business_aside(path: Path, now: dt.datetime) -> Path | None:
    """Hold the database alone, retire it and rename it (with its -wal/-shm) to a free `.replaced-` name."""
    with exclusive_hold(path, "creating the demo business") as held:
        if held is not None:
            retire(held)
        if not path.exists():
            return None  # another `demo --force` moved it at the same moment
        return set_database_aside(path, "replaced", now)
