"""Customer import: clean each record, find duplicates, plan every change, apply it in one transaction.

`plan_customer_import` only reads: it returns what the import would do (each customer as it
will be stored, each merge, each rejected or flagged row with its line). `import_customers`
plans again inside the write transaction (so a preview that went stale cannot mislead) and
writes the plan whole, or nothing. Records are the same customer when they share an e-mail,
a phone number (fax numbers excepted: offices share them) or a point-of-sale id, within the
file or with a stored customer; merging only fills what is missing, so importing the same
file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict, namedtuple
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import phonenumbers
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from core.customers.contact_fields import (
    PhoneNotValid,
    clean_name,
    clean_tags,
    display_name,
    display_phone,
    normalize_email,
    normalize_phone,
)
from core.storage.database import Database
from core.errors import InvalidInput
from core.importing.duplicates import (
    PairDecision,
    PairKey,
    PhoneSharer,
    PossibleDuplicate,
    two_people,
    why_one_customer,
    save_pair_decisions,
)
from core.importing.fields import Field
from core.importing.formats import ImportKind
from core.importing.mapping import ColumnMap, source_contacts, suggest_mapping
from core.importing.raw import RawContact
from core.importing.reading import ImportSource, SourceKind
from core.importing.speed import cyclic_gc_paused
from core.importing.summaries import file_summary, set_aside_rows
from core.importing.values import check_birthday, parse_count, parse_country, parse_date, parse_money_cents, parse_yes
from core.storage.models import Customer, CustomerPhone, ImportPairDecision
from core.customers.search_index import index_new_customers_at_the_end
from core.settings import load_settings

# Column widths from the schema: longer values are cut (and flagged) so every database accepts them.
_WIDTHS = {"name": 200, "first_name": 100, "last_name": 100, "company": 200, "address": 300, "city": 100,
           "region": 100, "postal_code": 20, "tags": 500, "external_id": 100}
_FILLABLE = ("first_name", "last_name", "company", "email", "address", "city", "region", "postal_code", "country",
             "birthday", "external_id")
_IMPORTED_FIGURES = ("imported_last_purchase", "imported_total_spent_cents", "imported_order_count")
_LOOKUP_CHUNK = 500
# From this many new customers on, the search index is filled once at the end instead of row by row.
_BULK_INDEX_FROM = 200


class PlanAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RowIssue:
    """A row rejected (not imported) or flagged (imported without the value named)."""

    line: int
    reason: str


def all_or_nothing_refusal(rejected: int) -> str:
    """Why an all-or-nothing import wrote nothing (customers and purchases say it alike)."""
    return f"{rejected} row(s) cannot be imported, and all-or-nothing was asked: nothing was imported."


@dataclass(frozen=True)
class PlannedPhone:
    number: str  # E.164
    label: str | None = None
    extension: str | None = None


@dataclass(frozen=True)
class MergeNote:
    """One record folded into another record of the file or into a stored customer."""

    line: int
    reason: str  # "same e-mail ada@example.com"
    with_line: int | None = None  # the file's earlier record it joins
    customer_id: int | None = None  # the stored customer it joins
    customer_name: str | None = None

    def describe(self) -> str:
        target = (f"stored customer #{self.customer_id} {self.customer_name}" if self.customer_id is not None
                  else f"line {self.with_line}")
        return f"line {self.line} merged into {target} ({self.reason})"


@dataclass(frozen=True)
class PlannedCustomer:
    """A customer exactly as the import will store it (for an update: its state afterwards)."""

    lines: tuple[int, ...]
    action: PlanAction
    customer_id: int | None
    name: str
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    phone: str | None = None
    other_phones: tuple[PlannedPhone, ...] = ()
    new_other_phones: tuple[PlannedPhone, ...] = ()  # the ones this import adds
    email: str | None = None
    address: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    notes: str | None = None
    tags: str | None = None
    birthday: dt.date | None = None
    do_not_call: bool = False
    external_id: str | None = None
    imported_last_purchase: dt.date | None = None
    imported_total_spent_cents: int | None = None
    imported_order_count: int | None = None
    changed_fields: tuple[str, ...] = ()

    @property
    def phones(self) -> tuple[str, ...]:
        return tuple(n for n in (self.phone, *(p.number for p in self.other_phones)) if n)

    def column_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (
            "name", "first_name", "last_name", "company", "phone", "email", "address", "city", "region",
            "postal_code", "country", "notes", "tags", "birthday", "do_not_call", "external_id",
            *_IMPORTED_FIGURES)}

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "company": self.company, "phone": self.phone, "phones": list(self.phones),
                "email": self.email}


@dataclass(frozen=True)
class CustomerImportPlan:
    """What importing a file would do; the wizard's preview and the command line's dry run."""

    source_name: str
    format_key: str
    format_label: str
    encoding: str
    delimiter: str | None
    records: int
    blank_rows: int
    column_map: ColumnMap
    region: str
    customers: tuple[PlannedCustomer, ...]
    merges: tuple[MergeNote, ...]
    rejected: tuple[RowIssue, ...]
    flagged: tuple[RowIssue, ...]
    possible_duplicates: tuple[PossibleDuplicate, ...] = ()
    # The owner's answers this import brings (remembered when it is applied).
    decisions: Mapping[PairKey, PairDecision] = field(default_factory=dict)
    # What the plan read from the database; compared again under the write lock.
    basis: tuple[Any, ...] = field(default=(), repr=False, compare=False)

    def count(self, action: PlanAction) -> int:
        return sum(1 for c in self.customers if c.action is action)

    @property
    def created(self) -> int:
        return self.count(PlanAction.CREATE)

    @property
    def updated(self) -> int:
        return self.count(PlanAction.UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(PlanAction.UNCHANGED)

    def preview(self, limit: int = 20) -> tuple[PlannedCustomer, ...]:
        """The first customers in file order, as they will be stored."""
        return self.customers[:limit]

    def changing(self) -> list[PlannedCustomer]:
        return [c for c in self.customers if c.action is not PlanAction.UNCHANGED]


@dataclass(frozen=True)
class CustomerImportReport:
    plan: CustomerImportPlan
    applied: bool
    refused: str | None = None  # why nothing was applied (all-or-nothing with rejected rows)

    def summary(self) -> dict[str, Any]:
        """The command line's JSON summary."""
        plan = self.plan
        return {
            **file_summary(plan, ImportKind.CUSTOMERS, applied=self.applied, refused=self.refused),
            "created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged,
            "merged": len(plan.merges),
            "merges": [{"line": m.line, "reason": m.describe()} for m in plan.merges],
            **set_aside_rows(plan),
            "possible_duplicates": [d.summary() for d in plan.possible_duplicates],
            "customers": [c.summary() for c in plan.changing()],
        }


# --------------------------------------------------------------------------- cleaning one record


@dataclass
class _Record:
    """One cleaned record; fields mirror Customer, plus what merging needs."""

    line: int
    name: str | None = None  # a person's name (first + last, or the file's full name)
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[PlannedPhone] = field(default_factory=list)
    address: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    notes: list[str] = field(default_factory=list)
    tags: str | None = None
    birthday: dt.date | None = None
    do_not_call: bool = False
    external_id: str | None = None
    imported_last_purchase: dt.date | None = None
    imported_total_spent_cents: int | None = None
    imported_order_count: int | None = None

    def keys(self) -> list[tuple[str, str]]:
        """What makes another record the same customer for sure: its POS id, an e-mail (or, with
        neither nor a phone, the same name, so re-importing such a row stays idempotent)."""
        found = [("ext", self.external_id)] if self.external_id else []
        found += [("email", e) for e in self.emails]
        if not found and not self.callable_phones():
            found = [("name", (self.name or self.company or "").casefold())]
        return found

    def callable_phones(self) -> list[str]:
        return [p.number for p in self.phones if p.label != "fax"]  # offices share fax numbers

    @property
    def listed_name(self) -> str | None:
        return self.name or self.company

    def same_row_as(self, other: "_Record") -> bool:
        return replace(self, line=0) == replace(other, line=0)


def _cut(value: str | None, column: str, flags: list[str]) -> str | None:
    width = _WIDTHS.get(column)
    if value and width and len(value) > width:
        flags.append(f"{column.replace('_', ' ')} is longer than {width} characters and was cut")
        return value[:width].rstrip()
    return value


def _clean_tags(values: Iterable[str]) -> str | None:
    parts: list[str] = []
    for value in values:
        for part in value.replace(":::", ",").replace(";", ",").split(","):
            if part.strip() and not part.strip().startswith("*"):  # Google's "* myContacts", "* starred"
                parts.append(part)
    return clean_tags(parts)


def clean_record(raw: RawContact, region: str, today: dt.date | None = None
                 ) -> tuple[_Record | None, list[str], str | None]:
    """(record, flags, rejection): a rejected record comes back as (None, flags, reason)."""
    flags = list(raw.problems)
    if raw.rejection:
        return None, flags, raw.rejection
    record = _Record(line=raw.line)
    first = raw.first

    row_region = region
    if first(Field.COUNTRY):
        try:
            record.country = parse_country(first(Field.COUNTRY))
            row_region = record.country or region
        except InvalidInput as problem:
            flags.append(f"{problem}; phones were read as {region} numbers")

    record.first_name = _cut(clean_name(first(Field.FIRST_NAME)), "first_name", flags)
    record.last_name = _cut(clean_name(first(Field.LAST_NAME)), "last_name", flags)
    record.company = _cut(clean_name(first(Field.COMPANY)), "company", flags)
    full = clean_name(first(Field.NAME))
    record.name = display_name(record.first_name, record.last_name, None, None) or full
    if full and record.name != full and not record.company:
        record.company = _cut(full, "company", flags)  # accounting lists: the customer is the business
    if record.company and record.name and _same_words(record.company, record.name):
        # "Fitzgerald, Siobhán" as the customer and "Siobhán Fitzgerald" as the contact: one person.
        if record.first_name or record.last_name or record.company.casefold() != record.name.casefold():
            record.company = None
        else:
            record.name = None
    record.name = _cut(record.name, "name", flags)

    for text in raw.emails:
        try:
            email = normalize_email(text)
        except InvalidInput as problem:
            flags.append(f"{problem} It was not stored.")
            continue
        if email is None and text.strip():
            flags.append(f"'{text}' is not a valid e-mail address. It was not stored.")
        if email and email not in record.emails:
            record.emails.append(email)

    seen: dict[str, int] = {}
    unusable_phones: list[str] = []
    for raw_phone in raw.phones:
        try:
            phone = normalize_phone(raw_phone.text, row_region)
        except PhoneNotValid as problem:
            # Not a number anyone can dial, but the owner may know it ("555-0114" lacks its area code).
            flags.append(f"{problem} It was kept in the notes, not as a phone.")
            unusable_phones.append(raw_phone.text.strip())
            continue
        except InvalidInput as problem:
            flags.append(f"{problem} It was not stored.")
            continue
        if phone is None:
            if raw_phone.text.strip(" '\t\r\n"):
                flags.append(f"'{raw_phone.text}' is not a phone number. It was not stored.")
            continue
        if phone.e164 in seen:
            known = record.phones[seen[phone.e164]]
            if known.label is None and raw_phone.label:
                record.phones[seen[phone.e164]] = replace(known, label=raw_phone.label)
            continue
        seen[phone.e164] = len(record.phones)
        record.phones.append(PlannedPhone(phone.e164, raw_phone.label, phone.extension))

    address = [" ".join(a.replace("\r", "\n").replace("\n", ", ").split()) for a in raw.values.get(Field.ADDRESS, [])]
    address += [clean_name(a) or "" for a in raw.values.get(Field.ADDRESS_2, [])[:1]]
    record.address = _cut(", ".join(a for a in address[:1] + address[-1:] if a) if len(address) > 1
                          else (address[0] if address else None), "address", flags) or None
    record.city = _cut(clean_name(first(Field.CITY)), "city", flags)
    record.region = _cut(clean_name(first(Field.REGION)), "region", flags)
    record.postal_code = _cut(clean_name(first(Field.POSTAL_CODE)), "postal_code", flags)
    record.notes = [n.strip() for n in raw.values.get(Field.NOTES, []) if n.strip()]
    record.notes += [f"Phone as given (not a valid number): {text}" for text in unusable_phones]
    record.tags = _cut(_clean_tags(raw.values.get(Field.TAGS, [])), "tags", flags)
    record.external_id = _cut(first(Field.EXTERNAL_ID), "external_id", flags)
    record.do_not_call = any(parse_yes(v) for v in raw.values.get(Field.DO_NOT_CALL, []))
    _read_figures(raw, record, region, flags, today)

    if not (record.name or record.company or record.emails or record.phones):
        reason = "the row has no name, company, phone or e-mail"
        if flags:
            reason += " that can be used (" + "; ".join(flags) + ")"
        return None, [], reason
    if not (record.name or record.company):
        flags.append("no name or company: the customer is listed under their e-mail or phone")
    return record, flags, None


def _same_words(a: str, b: str) -> bool:
    return sorted(re.findall(r"\w+", a.casefold())) == sorted(re.findall(r"\w+", b.casefold()))


_FIGURES = (  # (field, attribute of the record, parser, what the owner calls it)
    (Field.BIRTHDAY, "birthday", parse_date, "birthday"),
    (Field.LAST_PURCHASE, "imported_last_purchase", parse_date, "last purchase date"),
    (Field.TOTAL_SPENT, "imported_total_spent_cents", parse_money_cents, "total spent"),
    (Field.ORDER_COUNT, "imported_order_count", parse_count, "order count"),
)


def _read_figures(raw: RawContact, record: _Record, region: str, flags: list[str], today: dt.date | None) -> None:
    for meaning, attribute, parse, what in _FIGURES:
        found = raw.values.get(meaning)
        if not found:
            continue
        text = found[0]
        try:
            value = parse(text, region, what) if parse is parse_date else parse(text, what)
            if attribute == "birthday" and value is not None:
                value = check_birthday(value, text, today)
        except InvalidInput as problem:
            flags.append(f"{problem} It was not stored." if "not stored" not in str(problem) else str(problem))
            continue
        if isinstance(value, int) and value < 0:
            flags.append(f"{meaning.value.replace('_', ' ')} '{text}' is negative and was not stored.")
            continue
        setattr(record, attribute, value)


# --------------------------------------------------------------------------- duplicates


class _Groups:
    """Union-find over records and the keys (e-mail, phone, POS id, stored customer) they share."""

    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, node: Any) -> Any:
        self.parent.setdefault(node, node)
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: Any, b: Any) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[root_b] = root_a


@dataclass
class _StoredIndex:
    """The stored customers as the plan reads them, in one pass (plain rows, no ORM identity cost).

    `basis` is everything the plan depended on; the import compares it again under the write lock,
    so a change made meanwhile (by the window, a `log`, another import) is never overwritten.
    """

    rows: dict[int, Any]
    phones: dict[int, list[Any]]
    keys: dict[tuple[str, str], int]  # POS id, e-mail and (phone-less) name -> the first customer with it
    by_phone: dict[str, list[int]]  # every customer with the number, main or other (faxes left out)
    decisions: dict[PairKey, PairDecision]
    basis: tuple[Any, ...]

    @property
    def names(self) -> dict[int, str]:
        return {cid: row.name for cid, row in self.rows.items()}

    @classmethod
    def load(cls, session: Session) -> "_StoredIndex":
        customer_rows, phone_rows, decision_rows = _read_stored(session)
        decisions = {PairKey(phone, a, b): PairDecision(decision) for phone, a, b, decision in decision_rows}
        rows = {values[0]: _StoredRow(*_typed(values)) for values in customer_rows}
        phones: dict[int, list[Any]] = defaultdict(list)
        by_phone: dict[str, list[int]] = defaultdict(list)
        keys: dict[tuple[str, str], int] = {}
        for row in rows.values():
            for key in (("ext", row.external_id), ("email", row.email)):
                if key[1]:
                    keys.setdefault(key, row.id)
            if row.phone:
                by_phone[row.phone].append(row.id)
        for customer_id, number, label in phone_rows:
            phones[customer_id].append(_StoredPhone(number, label))
            if label != "fax" and customer_id not in by_phone[number]:
                by_phone[number].append(customer_id)
        for row in rows.values():
            if not row.phone and not phones.get(row.id):
                keys.setdefault(("name", row.name.casefold()), row.id)
        return cls(rows, phones, keys, by_phone, decisions, basis=(customer_rows, phone_rows, decision_rows))


# What the plan reads of each stored customer (raw from the driver: typing 100,000 rows through
# SQLAlchemy cost seconds; the few dates and flags are typed below).
_STORED_COLUMNS = ("id", "name", "first_name", "last_name", "company", "phone", "email", "address", "city", "region",
                   "postal_code", "country", "notes", "tags", "birthday", "do_not_call", "external_id",
                   "imported_last_purchase", "imported_total_spent_cents", "imported_order_count")
_StoredRow = namedtuple("_StoredRow", _STORED_COLUMNS)
_StoredPhone = namedtuple("_StoredPhone", ("number", "label"))
_DATE_COLUMNS = tuple(_STORED_COLUMNS.index(name) for name in ("birthday", "imported_last_purchase"))
_FLAG_COLUMN = _STORED_COLUMNS.index("do_not_call")


def _typed(values: tuple) -> list[Any]:
    typed = list(values)
    for index in _DATE_COLUMNS:
        if typed[index] is not None:
            typed[index] = dt.date.fromisoformat(typed[index])
    typed[_FLAG_COLUMN] = bool(typed[_FLAG_COLUMN])
    return typed


def _read_stored(session: Session) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Every stored customer, other phone and duplicate decision, as plain tuples in a stable order."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        table = Customer.__table__
        customers = [tuple(row) for row in session.execute(
            select(*(table.c[name] for name in _STORED_COLUMNS)).order_by(table.c.id))]
        customers = [tuple(v.isoformat() if isinstance(v, dt.date) else v for v in row) for row in customers]
    else:
        customers = connection.exec_driver_sql(
            f"SELECT {', '.join(_STORED_COLUMNS)} FROM customers ORDER BY id").fetchall()
    phones = [tuple(row) for row in session.execute(
        select(CustomerPhone.customer_id, CustomerPhone.number, CustomerPhone.label).order_by(CustomerPhone.id))]
    decisions = [tuple(row) for row in session.execute(
        select(ImportPairDecision.phone, ImportPairDecision.name_a, ImportPairDecision.name_b,
               ImportPairDecision.decision).order_by(ImportPairDecision.id))]
    return [tuple(row) for row in customers], phones, decisions


def _describe_key(key: tuple[str, str]) -> str:
    kind, value = key
    return {"ext": f"same point-of-sale id {value}", "email": f"same e-mail {value}",
            "phone": f"same phone {value}", "name": "same name, no phone or e-mail"}[kind]


_KEY_PRIORITY = {"ext": 0, "email": 1, "phone": 2, "name": 3}


# --------------------------------------------------------------------------- planning


def _choose_primary(phones: list[PlannedPhone]) -> PlannedPhone | None:
    """Mobile first, then any number that is not a fax or pager; a fax is never the number to call."""
    for phone in phones:
        if phone.label == "mobile":
            return phone
    return next((p for p in phones if p.label not in ("fax", "pager")), None)


def _merge_into(base: _Record, other: _Record) -> list[str]:
    """Fold `other` into `base`; return flags for values that could not be kept."""
    flags: list[str] = []
    for name in ("name", "first_name", "last_name", "company", "address", "city", "region", "postal_code",
                 "country", "birthday"):
        if getattr(base, name) is None and getattr(other, name) is not None:
            setattr(base, name, getattr(other, name))
    if other.external_id and base.external_id and other.external_id != base.external_id:
        flags.append(f"its point-of-sale id {other.external_id} was not stored: it merges with line {base.line} "
                     f"whose id is {base.external_id}")
    base.external_id = base.external_id or other.external_id
    base.emails += [e for e in other.emails if e not in base.emails]
    known = {p.number for p in base.phones}
    base.phones += [p for p in other.phones if p.number not in known]
    base.notes += [n for n in other.notes if n not in base.notes]
    base.tags = clean_tags([t for t in (base.tags, other.tags) if t])
    base.do_not_call = base.do_not_call or other.do_not_call
    if other.imported_last_purchase and (base.imported_last_purchase is None
                                         or other.imported_last_purchase > base.imported_last_purchase):
        base.imported_last_purchase = other.imported_last_purchase
    for name in ("imported_total_spent_cents", "imported_order_count"):
        # Two records of one person may be the same account listed twice: adding them up would
        # double it. The larger figure is the one that cannot be an undercount.
        if getattr(other, name) is not None:
            setattr(base, name, max(getattr(base, name) or 0, getattr(other, name)))
    return flags


def _note_lines(record: _Record, primary: PlannedPhone | None, email: str | None) -> list[str]:
    lines = list(record.notes)
    lines += [f"Other e-mail: {e}" for e in record.emails if e != email]
    if primary is not None and primary.extension:
        lines.append(f"Extension {primary.extension} on {primary.number}")
    return lines


def _append_notes(existing: str | None, lines: list[str]) -> str | None:
    text = existing or ""
    for line in lines:
        if line not in text:
            text = f"{text}\n{line}" if text else line
    return text or None


def _with_extension_label(phone: PlannedPhone) -> PlannedPhone:
    if not phone.extension:
        return phone
    label = f"{phone.label or 'phone'} ext. {phone.extension}"[:40]
    return PlannedPhone(phone.number, label, phone.extension)


def _fallback_name(record: _Record, region: str) -> str:
    if record.emails:
        return record.emails[0]
    primary = _choose_primary(record.phones) or record.phones[0]
    return display_phone(primary.number, region)


def _plan_new(record: _Record, lines: tuple[int, ...], region: str) -> PlannedCustomer:
    primary = _choose_primary(record.phones)
    email = record.emails[0] if record.emails else None
    others = tuple(_with_extension_label(p) for p in record.phones if p is not primary)
    return PlannedCustomer(
        lines=lines, action=PlanAction.CREATE, customer_id=None,
        name=record.name or record.company or _fallback_name(record, region),
        first_name=record.first_name, last_name=record.last_name, company=record.company,
        phone=primary.number if primary else None, other_phones=others, new_other_phones=others, email=email,
        address=record.address, city=record.city, region=record.region, postal_code=record.postal_code,
        country=record.country, notes=_append_notes(None, _note_lines(record, primary, email)), tags=record.tags,
        birthday=record.birthday, do_not_call=record.do_not_call, external_id=record.external_id,
        imported_last_purchase=record.imported_last_purchase,
        imported_total_spent_cents=record.imported_total_spent_cents,
        imported_order_count=record.imported_order_count,
    )


def _plan_update(record: _Record, lines: tuple[int, ...], stored: Any, stored_phones: list[Any],
                 external_owner: int | None, flags: list[str]) -> PlannedCustomer:
    values = {name: getattr(stored, name) for name in _STORED_FIELDS}
    changed: list[str] = []

    def put(name: str, value: Any) -> None:
        if value != values[name]:
            values[name] = value
            changed.append(name)

    incoming = {"first_name": record.first_name, "last_name": record.last_name, "company": record.company,
                "email": record.emails[0] if record.emails else None, "address": record.address,
                "city": record.city, "region": record.region, "postal_code": record.postal_code,
                "country": record.country, "birthday": record.birthday, "external_id": record.external_id}
    if record.external_id and not stored.external_id and external_owner not in (None, stored.id):
        flags.append(f"point-of-sale id {record.external_id} belongs to customer #{external_owner}; not stored")
        incoming["external_id"] = None
    for name in _FILLABLE:
        if values[name] in (None, "") and incoming[name] is not None:
            put(name, incoming[name])
    for name in _IMPORTED_FIGURES:
        if getattr(record, name) is not None:
            put(name, getattr(record, name))
    if record.do_not_call and not stored.do_not_call:
        put("do_not_call", True)
    if record.tags:
        put("tags", clean_tags([t for t in (stored.tags, record.tags) if t]))

    known = {stored.phone, *(p.number for p in stored_phones)} - {None}
    fresh = [p for p in record.phones if p.number not in known]
    primary = None
    if not stored.phone:
        primary = _choose_primary(fresh)
        if primary is not None:
            put("phone", primary.number)
    added = tuple(_with_extension_label(p) for p in fresh if p is not primary)
    if added:
        changed.append("other_phones")
    email = values["email"]
    notes = _append_notes(stored.notes, _note_lines(record, primary, email))
    put("notes", notes)
    other_phones = tuple(PlannedPhone(p.number, p.label) for p in stored_phones) + added
    return PlannedCustomer(
        lines=lines, action=PlanAction.UPDATE if changed else PlanAction.UNCHANGED, customer_id=stored.id,
        other_phones=other_phones, new_other_phones=added, changed_fields=tuple(changed), **values,
    )


# The columns a planned customer shares with the customers table (its values after the import).
_STORED_FIELDS = tuple(name for name in PlannedCustomer.__dataclass_fields__
                       if name in Customer.__table__.columns and name != "id")


def _load_stored(session: Session, ids: list[int]) -> tuple[dict[int, Any], dict[int, list[Any]]]:
    """Some stored customers and their other phones as plain rows (the purchase import's summaries)."""
    customers: dict[int, Any] = {}
    phones: dict[int, list[Any]] = defaultdict(list)
    customer_table, phone_table = Customer.__table__, CustomerPhone.__table__
    for start in range(0, len(ids), _LOOKUP_CHUNK):
        chunk = ids[start:start + _LOOKUP_CHUNK]
        customers.update({row.id: row for row in session.execute(
            select(customer_table).where(customer_table.c.id.in_(chunk)))})
        for row in session.execute(select(phone_table).where(phone_table.c.customer_id.in_(chunk))
                                   .order_by(phone_table.c.id)):
            phones[row.customer_id].append(row)
    return customers, phones


def _check_region(region: str) -> str:
    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidInput(f"'{region}' is not a country code for phone numbers (for example US, CA, GB, DE).",
                           field="region")
    return code


def _record_node(position: int) -> tuple[str, int]:
    return ("record", position)


def _stored_node(customer_id: int) -> tuple[str, int]:
    return ("stored", customer_id)


@dataclass
class _Joining:
    """Which records (and stored customers) are one customer, and why; the possible duplicates."""

    groups: _Groups
    reasons: dict[Any, str]  # node -> why it joined the group (shared key, agreeing names)
    possible: list[PossibleDuplicate]


def _join_records(records: list[_Record], stored: _StoredIndex,
                  decisions: Mapping[PairKey, PairDecision]) -> _Joining:
    groups = _Groups()
    reasons: dict[Any, str] = {}
    # Sure keys first: a POS id, an e-mail (or, with nothing else, the name).
    for position, record in enumerate(records):
        node = _record_node(position)
        groups.find(node)
        for key in record.keys():
            groups.union(node, key)
            customer_id = stored.keys.get(key)
            if customer_id is not None:
                groups.union(key, _stored_node(customer_id))
    # Then shared phones: the same customer only when the names (or addresses) agree, or the owner said so.
    sharing: dict[str, list[Any]] = defaultdict(list)
    for position, record in enumerate(records):
        for number in record.callable_phones():
            sharing[number].append(_record_node(position))
    candidates: list[tuple[str, Any, Any]] = []
    for number, nodes in sharing.items():
        others = stored.by_phone.get(number, ())
        if len(nodes) + len(others) < 2:
            continue
        participants = list(dict.fromkeys(nodes)) + [_stored_node(cid) for cid in others]
        candidates += [(number, a, b) for i, a in enumerate(participants) for b in participants[i + 1:]
                       if a[0] == "record"]

    sharers: dict[Any, PhoneSharer] = {}

    def sharer(node: Any) -> PhoneSharer:
        if node not in sharers:
            if node[0] == "stored":
                row = stored.rows[node[1]]
                is_company = bool(row.company) and not row.first_name and row.company.casefold() == row.name.casefold()
                sharers[node] = PhoneSharer.of(row.name, row.first_name, row.last_name, row.address,
                                               frozenset([row.email] if row.email else ()), is_company=is_company)
            else:
                record = records[node[1]]
                sharers[node] = PhoneSharer.of(record.listed_name, record.first_name, record.last_name,
                                               record.address, frozenset(record.emails),
                                               is_company=record.name is None)
        return sharers[node]

    # Who is in each group so far: a shared phone never joins two groups holding two people, not
    # even through a third record that agrees with both ("Kowalski" next to Anna and Piotr Kowalski).
    members: dict[Any, list[Any]] = defaultdict(list)
    if candidates:
        in_question = [_record_node(position) for position in range(len(records))]
        in_question += dict.fromkeys(b for _number, _a, b in candidates if b[0] == "stored")
        for node in in_question:
            members[groups.find(node)].append(node)

    def holds_two_people(a: Any, b: Any) -> bool:
        return any(two_people(sharer(x), sharer(y)) for x in members[groups.find(a)] for y in members[groups.find(b)])

    pending: list[tuple[str, Any, Any]] = []
    for number, a, b in candidates:
        if groups.find(a) == groups.find(b):
            continue
        decision = decisions.get(PairKey.of(number, sharer(a).name, sharer(b).name))
        if decision is PairDecision.MERGE:
            why = f"same phone {number}; merged as the owner decided"
        elif decision is None and not holds_two_people(a, b):
            why = why_one_customer(sharer(a), sharer(b), number)
        else:
            why = None
        if why is None:
            if decision is None:
                pending.append((number, a, b))
            continue
        root_a, root_b = groups.find(a), groups.find(b)
        groups.union(a, b)
        members[groups.find(a)] = members.pop(root_a, []) + members.pop(root_b, [])
        reasons.setdefault(b if b[0] == "record" else a, why)
    possible: list[PossibleDuplicate] = []
    asked: set[tuple[Any, Any]] = set()
    for number, a, b in pending:
        pair = (groups.find(a), groups.find(b))
        if pair[0] == pair[1] or pair in asked or pair[::-1] in asked:
            continue  # joined after all through another record, or already asked about
        asked.add(pair)
        name_a, name_b = sharer(a).name, sharer(b).name
        if b[0] == "stored":
            possible.append(PossibleDuplicate(number, records[a[1]].line, name_a, None, name_b, customer_id=b[1]))
        else:
            possible.append(PossibleDuplicate(number, records[a[1]].line, name_a, records[b[1]].line, name_b))
    return _Joining(groups, reasons, possible)


def _why_joined(record: _Record, position: int, earlier: list[tuple[int, _Record]],
                joining: _Joining) -> tuple[str, int]:
    """Why a record joins the earlier records of its group, and which line it joins."""
    for _position, other in earlier:
        if record.same_row_as(other):
            return f"the same row as line {other.line}", other.line
    own = set(record.keys())
    for _position, other in earlier:
        shared = sorted(own & set(other.keys()), key=lambda k: _KEY_PRIORITY[k[0]])
        if shared:
            return _describe_key(shared[0]), other.line
    phones = set(record.callable_phones())
    for other_position, other in earlier:
        common = phones & set(other.callable_phones())
        if common:
            why = joining.reasons.get(_record_node(position)) or joining.reasons.get(_record_node(other_position))
            return why or f"same phone {min(common)}", other.line
    return "shares details with it", earlier[0][1].line


def plan_customer_import(session: Session, source: ImportSource, column_map: ColumnMap | None = None, *,
                         region: str | None = None, today: dt.date | None = None,
                         decisions: Mapping[PairKey, PairDecision] | None = None,
                         stored: "_StoredIndex | None" = None) -> CustomerImportPlan:
    """What importing `source` would do to the customers stored now. Reads only.

    `decisions` are the owner's answers for possible duplicates (they add to, and override, the
    ones remembered from earlier imports); `today` lets birthdays be checked for a believable age.
    """
    with cyclic_gc_paused():
        return _plan_customer_import(session, source, column_map, region, today, decisions, stored)


def _plan_customer_import(session: Session, source: ImportSource, column_map: ColumnMap | None, region: str | None,
                          today: dt.date | None, decisions: Mapping[PairKey, PairDecision] | None,
                          stored: "_StoredIndex | None") -> CustomerImportPlan:
    column_map = column_map or suggest_mapping(source, ImportKind.CUSTOMERS)
    if source.kind is SourceKind.CSV:
        column_map.require_usable(source.name)
    region = _check_region(region or load_settings(session).phone_region)
    rejected: list[RowIssue] = []
    flagged: dict[int, list[str]] = defaultdict(list)
    for line, problem in source.line_problems:
        flagged[line].append(problem)
    records: list[_Record] = []
    for raw in source_contacts(source, column_map):
        record, flags, rejection = clean_record(raw, region, today)
        if record is None:
            rejected.append(RowIssue(raw.line, rejection or "the row cannot be imported"))
            continue
        if flags:
            flagged[record.line].extend(flags)
        records.append(record)

    stored = stored or _StoredIndex.load(session)
    given = dict(decisions or {})
    joining = _join_records(records, stored, {**stored.decisions, **given})
    groups = joining.groups
    members: dict[Any, list[int]] = defaultdict(list)
    for position in range(len(records)):
        members[groups.find(_record_node(position))].append(position)
    stored_of_root: dict[Any, list[int]] = defaultdict(list)
    for node in list(groups.parent):
        if node[0] == "stored":
            root = groups.find(node)
            if root in members:
                stored_of_root[root].append(node[1])

    merges: list[MergeNote] = []
    planned: list[PlannedCustomer] = []
    for root, positions in sorted(members.items(), key=lambda item: item[1][0]):
        group = [records[p] for p in positions]
        # Merging folds the others into a copy; a record that merges with nothing is used as it is.
        base = group[0] if len(group) == 1 else replace(
            group[0], emails=list(group[0].emails), phones=list(group[0].phones), notes=list(group[0].notes))
        for index, (position, record) in enumerate(zip(positions[1:], group[1:], strict=True), start=1):
            reason, with_line = _why_joined(record, position, list(zip(positions[:index], group[:index])), joining)
            merges.append(MergeNote(record.line, reason, with_line=with_line))
            if lost := _merge_into(base, record):
                flagged[record.line].extend(lost)
        lines = tuple(r.line for r in group)
        found = sorted(set(stored_of_root.get(root, [])))
        if not found:
            planned.append(_plan_new(base, lines, region))
            continue
        target = _stored_target(group, found, stored)
        customer = stored.rows[target]
        merges.append(MergeNote(group[0].line, _why_stored(group, positions, target, stored, joining),
                                customer_id=target, customer_name=customer.name))
        for other in found:
            if other != target:
                flagged[group[0].line].append(
                    f"also matches stored customer #{other} {stored.rows[other].name}; not merged with it, "
                    "check the two by hand")
        external_owner = stored.keys.get(("ext", base.external_id or ""))
        update_flags: list[str] = []
        planned.append(_plan_update(base, lines, customer, stored.phones.get(target, []),
                                    external_owner, update_flags))
        if update_flags:
            flagged[group[0].line].extend(update_flags)

    flagged_rows = tuple(RowIssue(line, reason) for line in sorted(flagged)
                         for reason in dict.fromkeys(flagged[line]))
    return CustomerImportPlan(
        source_name=source.name,
        format_key="vcard" if source.kind is SourceKind.VCARD else column_map.format_key,
        format_label="vCard contacts" if source.kind is SourceKind.VCARD else column_map.format_label,
        encoding=source.encoding, delimiter=source.delimiter, records=source.record_count,
        blank_rows=source.blank_rows, column_map=column_map, region=region,
        customers=tuple(planned), merges=tuple(merges), rejected=tuple(sorted(rejected, key=lambda r: r.line)),
        flagged=flagged_rows, possible_duplicates=tuple(joining.possible), decisions=given,
        basis=stored.basis,
    )


def _stored_target(group: list[_Record], found: list[int], stored: _StoredIndex) -> int:
    """The stored customer a group updates: the one its first record names by its surest key."""
    for record in group:
        for key in sorted(record.keys(), key=lambda k: _KEY_PRIORITY[k[0]]):
            if stored.keys.get(key) in found:
                return stored.keys[key]
    for record in group:
        for number in record.callable_phones():
            for customer_id in stored.by_phone.get(number, ()):
                if customer_id in found:
                    return customer_id
    return found[0]


def _why_stored(group: list[_Record], positions: list[int], target: int, stored: _StoredIndex,
                joining: _Joining) -> str:
    for key in sorted(group[0].keys(), key=lambda k: _KEY_PRIORITY[k[0]]):
        if stored.keys.get(key) == target:
            return _describe_key(key)
    for position, record in zip(positions, group, strict=True):
        for number in record.callable_phones():
            if target in stored.by_phone.get(number, ()):
                return joining.reasons.get(_record_node(position)) or f"same phone {number} and the names agree"
    return "shares details with it"


# --------------------------------------------------------------------------- applying


def _insert_new_customers(session: Session, creates: list[PlannedCustomer]) -> list[int]:
    """Insert the new customers in one statement; return their ids, in order.

    A plain multi-row insert is many times faster than INSERT ... RETURNING, which SQLAlchemy can
    only do row by row on SQLite. There, inside the import's write transaction (which holds the
    write lock), rows inserted by one statement take the ids after the largest one, in order; the
    count is checked (a mismatch would be a bug: it stops the import, which rolls back whole).
    """
    table = Customer.__table__
    if not creates:
        return []
    if session.get_bind().dialect.name != "sqlite":
        return [session.scalar(insert(table).returning(table.c.id), c.column_values()) for c in creates]
    newest_before = session.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    if len(creates) >= _BULK_INDEX_FROM:
        _insert_through_the_driver(session, creates)
    else:
        session.execute(insert(table), [c.column_values() for c in creates])
    ids = session.execute(select(table.c.id).where(table.c.id > newest_before).order_by(table.c.id)).scalars().all()
    if len(ids) != len(creates) or ids[-1] - ids[0] != len(ids) - 1:
        raise RuntimeError("new customers did not get consecutive ids inside the import's transaction")
    return list(ids)


def _sqlite_value(value: Any) -> Any:
    """A value as SQLAlchemy stores it in SQLite: dates as ISO text, flags as 0/1."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _insert_through_the_driver(session: Session, creates: list[PlannedCustomer]) -> None:
    """SQLite only: a big insert handed to the driver in the session's transaction.

    Passing 100,000 rows of twenty values through SQLAlchemy's parameter handling took longer than
    SQLite's own insert; the values are stored exactly as SQLAlchemy stores them (a test compares
    a big import's rows with the same rows inserted through SQLAlchemy)."""
    names = list(creates[0].column_values())
    columns = [*names, "needs_data_fix"]  # the model's Python-side default, written as SQLAlchemy writes it
    rows = [(*(_sqlite_value(v) for v in c.column_values().values()), 0) for c in creates]
    driver = session.connection().connection.driver_connection
    driver.executemany(f"INSERT INTO customers ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                       rows)


def _update_customers(session: Session, updates: list[PlannedCustomer]) -> None:
    by_fields: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for planned in updates:
        names = tuple(n for n in planned.changed_fields if n != "other_phones")
        if names:
            by_fields[names].append({"id": planned.customer_id, **{n: getattr(planned, n) for n in names}})
    for rows in by_fields.values():
        session.execute(update(Customer), rows)


def _insert_other_phones(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(CustomerPhone), rows)


def apply_customer_plan(session: Session, plan: CustomerImportPlan) -> None:
    """Write a plan inside the caller's transaction."""
    with cyclic_gc_paused():
        _apply_customer_plan(session, plan)


def _apply_customer_plan(session: Session, plan: CustomerImportPlan) -> None:
    creates = [c for c in plan.customers if c.action is PlanAction.CREATE]
    updates = [c for c in plan.customers if c.action is PlanAction.UPDATE]
    if len(creates) >= _BULK_INDEX_FROM:
        with index_new_customers_at_the_end(session):
            new_ids = _insert_new_customers(session, creates)
    else:
        new_ids = _insert_new_customers(session, creates)
    _update_customers(session, updates)
    phones = [{"customer_id": cid, "number": p.number, "label": p.label}
              for cid, planned in zip(new_ids, creates, strict=True) for p in planned.new_other_phones]
    phones += [{"customer_id": planned.customer_id, "number": p.number, "label": p.label}
               for planned in updates for p in planned.new_other_phones]
    _insert_other_phones(session, phones)


def preview_customer_import(db: Database, source: ImportSource, column_map: ColumnMap | None = None, *,
                            region: str | None = None, today: dt.date | None = None,
                            decisions: Mapping[PairKey, PairDecision] | None = None) -> CustomerImportPlan:
    """The wizard's preview: the plan against the database as it is now, nothing written."""
    return plan_outside_the_lock(db, source, column_map, region=region, today=today, decisions=decisions)[0]


@dataclass(frozen=True)
class _Watermark:
    """What one connection knew of the database's changes before a plan's first read."""

    connection: Any
    data_version: int  # SQLite's count of commits made by other connections
    own_changes: int  # rows this connection changed (another thread of this program may use it too)


def _watermark_of(driver: Any) -> tuple[int, int]:
    return driver.execute("PRAGMA data_version").fetchone()[0], driver.total_changes


def _watermark(session: Session) -> _Watermark | None:
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return None
    driver = connection.connection.driver_connection
    return _Watermark(driver, *_watermark_of(driver))


def _nothing_committed_since(session: Session, mark: _Watermark | None) -> bool:
    """True only when surely nothing was written by anyone since `mark`: the same connection, whose
    count of others' commits (SQLite's data_version) and of its own changes are both unchanged.

    The pool usually hands the write transaction the connection the plan read with. Any doubt
    answers False, and the caller compares what the plan read row by row instead."""
    if mark is None:
        return False
    driver = session.connection().connection.driver_connection
    return driver is mark.connection and _watermark_of(driver) == (mark.data_version, mark.own_changes)


def plan_outside_the_lock(db: Database, source: ImportSource, column_map: ColumnMap | None = None, *,
                          region: str | None = None, today: dt.date | None = None,
                          decisions: Mapping[PairKey, PairDecision] | None = None
                          ) -> tuple[CustomerImportPlan, _Watermark | None]:
    """The plan, read in a read transaction (no write lock), and the watermark taken before its first read."""
    with db.session() as session:
        mark = _watermark(session)
        return plan_customer_import(session, source, column_map, region=region, today=today,
                                    decisions=decisions), mark


def import_customers(db: Database, source: ImportSource, column_map: ColumnMap | None = None, *,
                     region: str | None = None, all_or_nothing: bool = False, dry_run: bool = False,
                     today: dt.date | None = None, decisions: Mapping[PairKey, PairDecision] | None = None,
                     now: dt.datetime | None = None) -> CustomerImportReport:
    """Import the good rows (or, with all_or_nothing, nothing if any row is rejected) in one transaction.

    The rows are read, cleaned and planned first, outside any write lock, so a call logged from the
    window or another command meanwhile is never kept waiting. Then one short transaction takes the
    lock, checks that what the plan read is still what is stored (planning again under the lock if
    anything changed meanwhile, so nothing another program wrote is overwritten) and writes it.
    """
    plan, mark = plan_outside_the_lock(db, source, column_map, region=region, today=today, decisions=decisions)
    if dry_run:
        return CustomerImportReport(plan, applied=False)
    if all_or_nothing and plan.rejected:
        return CustomerImportReport(plan, applied=False, refused=all_or_nothing_refusal(len(plan.rejected)))
    with db.transaction() as session:
        if not _nothing_committed_since(session, mark) and _read_stored(session) != plan.basis:
            plan = plan_customer_import(session, source, plan.column_map, region=region, today=today,
                                        decisions=decisions, stored=_StoredIndex.load(session))
        apply_customer_plan(session, plan)
        if plan.decisions:
            if now is None:
                raise ValueError("import_customers needs `now` to remember the owner's decisions")
            save_pair_decisions(session, plan.decisions, now)
    return CustomerImportReport(plan, applied=True)
