"""Adding, editing and deleting a customer by hand — and undoing a delete.

Every value goes through core.customers.contact_fields (the one place phones, e-mails, names and tags
are cleaned), so a customer typed in the window is stored exactly like an imported one. All
the problems of a form are reported at once (`InvalidCustomer.problems`, by field) so the
dialog can mark each field; nothing is written unless everything is valid.

Saving a phone or e-mail another customer already has stops with `PossibleDuplicate` naming
them, so the owner can open that customer instead; saving anyway is a choice they make.

A delete takes a snapshot of the customer and every row that belongs to them (other phones,
reward card, purchases, quotes, change memberships, tasks, call log) before removing them;
`restore_customer` puts it all back, keeping the original ids where they are still free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, insert, or_, select
from sqlalchemy.orm import Session

from core.customers.contact_fields import clean_name, clean_tags, display_name, display_phone, normalize_email, normalize_phone
from core.errors import CallAheadError, InvalidInput
from core.storage.models import (
    CallLog,
    CallTask,
    Change,
    ChangeCustomer,
    Customer,
    CustomerPhone,
    Product,
    Purchase,
    Quote,
    RewardCard,
    StaffMember,
)

_MAX_LENGTHS = {"first_name": 100, "last_name": 100, "company": 200, "address": 300, "city": 100, "region": 100,
                "postal_code": 20, "tags": 500, "notes": 20_000}
FIELD_LABELS = {"first_name": "First name", "last_name": "Last name", "company": "Company", "phone": "Phone",
                "email": "E-mail", "address": "Address", "city": "City", "region": "State/region",
                "postal_code": "Postal code", "country": "Country", "tags": "Tags", "notes": "Notes",
                "keep_in_touch_days": "Keep in touch every", "assigned_staff_id": "Caller"}


@dataclass(frozen=True)
class CustomerInput:
    """What the owner typed in the customer form (raw text, cleaned on save)."""

    first_name: str = ""
    last_name: str = ""
    company: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    tags: str = ""
    notes: str = ""
    do_not_call: bool = False
    keep_in_touch_days: int | None = None
    assigned_staff_id: int | None = None


class InvalidCustomer(InvalidInput):
    """Every problem of a customer form, by field; `field` names the first one."""

    def __init__(self, problems: dict[str, str]):
        first = next(iter(problems))
        super().__init__(problems[first], field=first)
        self.problems = problems


@dataclass(frozen=True)
class SameDetails:
    """A stored customer who has a phone or e-mail the one being saved has."""

    customer_id: int
    name: str
    shared: str  # "phone (503) 555-0142", "e-mail ann@example.com"


class PossibleDuplicate(CallAheadError):
    """The customer being saved shares a phone or e-mail with stored customers; nothing was saved."""

    def __init__(self, matches: list[SameDetails]):
        self.matches = matches
        first = matches[0]
        others = f" (and {len(matches) - 1} other customer{'s' if len(matches) > 2 else ''})" if len(matches) > 1 else ""
        super().__init__(f"{first.name} already has the {first.shared}{others}. "
                         "Open them instead, or save this as a separate customer anyway.")


@dataclass(frozen=True)
class DeletedCustomer:
    """Everything needed to put a deleted customer back."""

    customer_id: int
    name: str
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # table name → rows, in restore order


def clean_customer_input(session: Session, data: CustomerInput, region: str,
                         stored: Customer | None = None) -> dict[str, Any]:
    """The values to store, or InvalidCustomer listing every problem.

    When editing (`stored`), a phone or e-mail the owner left exactly as shown is kept as it is:
    a value imported under older or looser rules must not block an unrelated edit.
    """
    problems: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in ("first_name", "last_name", "company", "address", "city", "region", "postal_code"):
        values[name] = clean_name(getattr(data, name))
    values["name"] = display_name(values["first_name"], values["last_name"], values["company"])
    if not values["name"]:
        problems["first_name"] = "Give a first or last name, or a company."
    notes = (data.notes or "").strip() or None
    unchanged_phone = stored is not None and stored.phone and data.phone.strip() == display_phone(stored.phone, region)
    unchanged_email = stored is not None and stored.email and data.email.strip().lower() == stored.email.lower()
    try:
        if unchanged_phone:
            raise _Unchanged
        phone = normalize_phone(data.phone, region, field="phone")
        values["phone"] = phone.e164 if phone else None
        if phone and phone.extension and f"ext. {phone.extension}" not in (notes or ""):
            # The phone column holds a dialable number; the extension is kept where the caller reads it.
            notes = "\n".join(p for p in (notes, f"Phone ext. {phone.extension}") if p)
    except _Unchanged:
        values["phone"] = stored.phone
    except InvalidInput as error:
        problems["phone"] = f"{error} Type it with its area code, e.g. {_example_phone(region)}."
    try:
        values["email"] = stored.email if unchanged_email else normalize_email(data.email, field="email")
    except InvalidInput as error:
        problems["email"] = f"{error} It should look like name@example.com."
    country = (data.country or "").strip().upper() or None
    if country and (len(country) != 2 or not country.isalpha()):
        problems["country"] = f"'{data.country.strip()}' is not a two-letter country code (US, CA, GB...)."
    values["country"] = country
    values["tags"] = clean_tags(data.tags)
    values["notes"] = notes
    for name, limit in _MAX_LENGTHS.items():
        if values.get(name) and len(values[name]) > limit and name not in problems:
            problems[name] = f"{FIELD_LABELS[name]} is too long ({len(values[name])} characters; at most {limit})."
    if values["name"] and len(values["name"]) > 200:
        problems.setdefault("first_name", "The name is too long (at most 200 characters).")
    days = data.keep_in_touch_days
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 3650):
        problems["keep_in_touch_days"] = "Keep in touch every 1 to 3650 days, or leave it empty."
    values["keep_in_touch_days"] = days if days else None
    if data.assigned_staff_id is not None and session.get(StaffMember, data.assigned_staff_id) is None:
        problems["assigned_staff_id"] = "That caller no longer exists; choose another."
    values["assigned_staff_id"] = data.assigned_staff_id
    values["do_not_call"] = bool(data.do_not_call)
    if problems:
        raise InvalidCustomer(problems)
    return values


class _Unchanged(Exception):
    pass


def _example_phone(region: str) -> str:
    import phonenumbers

    example = phonenumbers.example_number(region.upper()) if region else None
    if example is None:
        return "+1 503 555 1234"
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)


def customers_sharing_details(session: Session, phone: str | None, email: str | None, region: str,
                              exclude_id: int | None = None) -> list[SameDetails]:
    """Stored customers with this phone (as their number or one of their others, faxes aside) or e-mail."""
    conditions = []
    if phone:
        other_phone = select(CustomerPhone.customer_id).where(CustomerPhone.number == phone,
                                                              CustomerPhone.label.is_distinct_from("fax"))
        conditions += [Customer.phone == phone, Customer.id.in_(other_phone)]
    if email:
        conditions.append(Customer.email == email)
    if not conditions:
        return []
    statement = select(Customer.id, Customer.name, Customer.email).where(or_(*conditions)).order_by(Customer.id)
    if exclude_id is not None:
        statement = statement.where(Customer.id != exclude_id)
    return [SameDetails(customer_id, name, f"e-mail {email}" if email and stored_email == email
                        else f"phone {display_phone(phone, region)}")
            for customer_id, name, stored_email in session.execute(statement.limit(10))]


def _refuse_duplicates(session: Session, values: dict[str, Any], region: str, stored: Customer | None) -> None:
    # Only what this save changes is compared: an edit elsewhere on the form never trips over a
    # number two customers already shared.
    phone = values["phone"] if stored is None or values["phone"] != stored.phone else None
    email = values["email"] if stored is None or values["email"] != stored.email else None
    matches = customers_sharing_details(session, phone, email, region, exclude_id=stored.id if stored else None)
    if matches:
        raise PossibleDuplicate(matches)


def add_customer(session: Session, data: CustomerInput, region: str, *, allow_duplicate: bool = False) -> int:
    values = clean_customer_input(session, data, region)
    if not allow_duplicate:
        _refuse_duplicates(session, values, region, None)
    customer = Customer(**values)
    session.add(customer)
    session.flush()
    return customer.id


def update_customer(session: Session, customer_id: int, data: CustomerInput, region: str, *,
                    allow_duplicate: bool = False) -> None:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise CallAheadError(f"Customer #{customer_id} no longer exists; it may have been deleted meanwhile.")
    values = clean_customer_input(session, data, region, stored=customer)
    if not allow_duplicate:
        _refuse_duplicates(session, values, region, customer)
    for name, value in values.items():
        setattr(customer, name, value)
    session.flush()


def customer_input(session: Session, customer_id: int, region: str) -> CustomerInput:
    """A stored customer as the form shows it (the phone as the owner reads it)."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise CallAheadError(f"Customer #{customer_id} no longer exists; it may have been deleted meanwhile.")
    text = {name: getattr(customer, name) or "" for name in
            ("first_name", "last_name", "company", "email", "address", "city", "region", "postal_code", "country",
             "notes")}
    if not customer.first_name and not customer.last_name and customer.name != customer.company:
        text["first_name"] = customer.name  # an imported record with only a display name
    return CustomerInput(**text, phone=display_phone(customer.phone, region),
                         tags=", ".join(t for t in (customer.tags or "").split(",") if t),
                         do_not_call=customer.do_not_call, keep_in_touch_days=customer.keep_in_touch_days,
                         assigned_staff_id=customer.assigned_staff_id)


# --- delete and undo -------------------------------------------------------------------------

# Restore order: a row comes after the rows it points to.
_OWNED_TABLES: list[tuple[type, str]] = [
    (CustomerPhone, "customer_id"),
    (RewardCard, "customer_id"),
    (Purchase, "customer_id"),
    (Quote, "customer_id"),
    (ChangeCustomer, "customer_id"),
    (CallTask, "customer_id"),
    (CallLog, "customer_id"),
]


def _rows(session: Session, table: Table, where) -> list[dict[str, Any]]:
    return [dict(row) for row in session.execute(select(table).where(where)).mappings()]


def delete_customer(session: Session, customer_id: int) -> DeletedCustomer:
    customer_table = Customer.__table__
    customer_rows = _rows(session, customer_table, customer_table.c.id == customer_id)
    if not customer_rows:
        raise CallAheadError(f"Customer #{customer_id} no longer exists; it may have been deleted already.")
    snapshot = {"customers": customer_rows}
    for model, key in _OWNED_TABLES:
        table = model.__table__
        snapshot[table.name] = _rows(session, table, table.c[key] == customer_id)
    # Everything owned goes with the customer (ON DELETE CASCADE in the schema).
    session.execute(delete(Customer).where(Customer.id == customer_id))
    session.expire_all()
    return DeletedCustomer(customer_id=customer_id, name=customer_rows[0]["name"], rows=snapshot)


def _id_is_free(session: Session, table: Table, row_id: int) -> bool:
    return session.execute(select(table.c.id).where(table.c.id == row_id)).first() is None


def _existing(session: Session, model, ids: set[int]) -> set[int]:
    ids = {i for i in ids if i is not None}
    return set(session.scalars(select(model.id).where(model.id.in_(ids)))) if ids else set()


def restore_customer(session: Session, deleted: DeletedCustomer) -> int:
    """Put a deleted customer back with all their rows; returns the customer's id (the old one
    when it is still free). Raises CallAheadError, writing nothing, if a product they bought
    has since been removed."""
    rows = deleted.rows
    products = {r["product_id"] for r in rows.get("purchases", [])}
    missing = products - _existing(session, Product, products)
    if missing:
        raise CallAheadError(f"{deleted.name} cannot be restored: products they bought were removed since.")
    staff = _existing(session, StaffMember, {r.get("staff_id") for t in rows.values() for r in t}
                      | {r.get("assigned_staff_id") for r in rows["customers"]})
    changes = _existing(session, Change, {r.get("change_id") for t in rows.values() for r in t})
    new_ids: dict[str, dict[int, int]] = {}

    def put_back(model, row: dict[str, Any]) -> int | None:
        table = model.__table__
        values = dict(row)
        old_id = values.get("id")
        if old_id is not None and not _id_is_free(session, table, old_id):
            del values["id"]
        result = session.execute(insert(table).values(**values))
        new_id = values.get("id") or (result.inserted_primary_key[0] if result.inserted_primary_key else None)
        if old_id is not None:
            new_ids.setdefault(table.name, {})[old_id] = new_id
        return new_id

    def remap(table_name: str, old: int | None) -> int | None:
        return new_ids.get(table_name, {}).get(old, old) if old is not None else None

    customer_row = dict(rows["customers"][0])
    if customer_row.get("assigned_staff_id") not in staff:
        customer_row["assigned_staff_id"] = None
    if customer_row.get("external_id") and session.scalar(
            select(Customer.id).where(Customer.external_id == customer_row["external_id"])):
        customer_row["external_id"] = None  # the same POS record was imported again meanwhile
    customer_id = put_back(Customer, customer_row)
    for model, key in _OWNED_TABLES:
        for row in rows.get(model.__table__.name, []):
            values = dict(row)
            values[key] = customer_id
            if "staff_id" in values and values["staff_id"] not in staff:
                values["staff_id"] = None
            if "change_id" in values and values["change_id"] is not None and values["change_id"] not in changes:
                if model is ChangeCustomer:
                    continue
                values["change_id"] = None
            if model is CallTask:
                values["quote_id"] = remap("quotes", values.get("quote_id"))
                values["purchase_id"] = remap("purchases", values.get("purchase_id"))
                if values.get("dedupe_key") and session.scalar(
                        select(CallTask.id).where(CallTask.dedupe_key == values["dedupe_key"])):
                    values["dedupe_key"] = None
            if model is CallLog:
                values["task_id"] = remap("call_tasks", values.get("task_id"))
            if model is Purchase and values.get("import_key") and session.scalar(
                    select(Purchase.id).where(Purchase.import_key == values["import_key"])):
                continue  # re-imported meanwhile: the purchase already exists again
            put_back(model, values)
    session.flush()
    return customer_id
