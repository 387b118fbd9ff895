"""Taking the owner's data out: customers and call history as CSV, planned calls as iCalendar.

The CSV files are UTF-8 with a byte-order mark and CRLF line ends, which Excel, Numbers and
LibreOffice all open with accents intact. Every cell is made safe against formula injection:
one starting with =, +, -, @, a tab or a carriage return (or an apostrophe, so the mark can
be undone exactly) gets a leading apostrophe, which spreadsheets read as "this is text".
CallAhead's own import removes that apostrophe again, so an export imports back unchanged.
Files are written beside the target and renamed into place: a failed export leaves no half file.
The new file is owner-only (0600) from its first byte. A target that is a symbolic link, a
folder or a special file (a pipe, a device) is refused, never replaced or written through.

The delimiter: Excel opens a CSV with the list separator of the system's regional settings, which
is a semicolon wherever the decimal mark is a comma (Germany, France, the Netherlands, Italy,
Spain...), and a comma-separated file there opens as one column. So the default follows the
system locale (its decimal mark, as Babel knows it), and `--delimiter` chooses either way.
CallAhead's own import detects both.
"""

from __future__ import annotations

import csv
import datetime as dt
import locale
import os
import stat
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import icalendar
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from core.customers.contact_fields import display_phone, tel_uri
from core.storage.enums import TaskKind, TaskStatus
from core.errors import CallAheadError
from core.labels import OUTCOME_LABELS, REASON_LABELS, result_tag_labels
from core.storage.models import CallLog, CallTask, Customer, CustomerPhone, Purchase
from core.settings import load_settings

FORMULA_MARKS = ("=", "+", "-", "@", "\t", "\r")
CUSTOMER_COLUMNS = (
    "CallAhead ID", "Name", "First name", "Last name", "Company", "Phone", "Other phones", "E-mail", "Address",
    "City", "Region", "Postal code", "Country", "Tags", "Notes", "Birthday", "Do not call", "External ID",
    "Last purchase", "Total spent", "Order count",
)
CALL_COLUMNS = ("Logged at", "Customer", "Company", "Phone", "Outcome", "Result tags", "Notes", "Caller",
                "Reason", "Why")
_TASK_VERBS = {TaskKind.CALL: "Call", TaskKind.SAMPLES: "Send samples to", TaskKind.NOTE: "Send a note to",
               TaskKind.THANK_YOU: "Send a thank-you note to"}
_CALL_MINUTES = 15


class ExportError(CallAheadError):
    pass


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def neutralise_cell(value: Any) -> str:
    """A cell's text, with a leading apostrophe when a spreadsheet could read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    text = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)
    # An apostrophe already there is doubled so that importing removes exactly the one added here.
    if text and (text[0] in FORMULA_MARKS or text[:1] == "'" and text[1:2] and
                 (text[1] in FORMULA_MARKS or text[1] in "'" or text[1].isdigit())):
        return "'" + text
    return text


DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


def system_locale_name(environ=None) -> str | None:
    """The owner's locale for numbers ("de_DE"): LC_ALL, LC_NUMERIC, LANG; on Windows, the user's setting."""
    environ = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_NUMERIC", "LANG"):
        value = environ.get(variable, "").split(".")[0].split("@")[0]
        if value and value not in ("C", "POSIX"):
            return value
    if sys.platform == "win32":
        import ctypes

        return locale.windows_locale.get(ctypes.windll.kernel32.GetUserDefaultLCID())
    return None


def default_delimiter(locale_name: str | None) -> str:
    """The list separator a spreadsheet expects in this locale: a semicolon where the decimal mark is a comma."""
    if not locale_name:
        return ","
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_decimal_symbol

    try:
        return ";" if get_decimal_symbol(Locale.parse(locale_name.split(".")[0])) == "," else ","
    except (ValueError, UnknownLocaleError):
        return ","


def _refuse_what_is_not_a_plain_file(path: Path) -> None:
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise ExportError(f"Cannot write {path}: {error.strerror or error}.") from None
    if stat.S_ISLNK(found.st_mode):
        raise ExportError(f"{path} is a link to another file; CallAhead does not replace it or write through it. "
                          "Choose a new file name.")
    if not stat.S_ISREG(found.st_mode):
        what = "a folder" if stat.S_ISDIR(found.st_mode) else "not a regular file (a device or a pipe)"
        raise ExportError(f"{path} is {what}; CallAhead does not replace it. Choose a new file name.")


def _write_atomically(path: Path, write) -> None:
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist; choose where to save the export.")
    _refuse_what_is_not_a_plain_file(path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise ExportError(f"Cannot write in {folder}: {error.strerror or error}.") from None
    try:
        with os.fdopen(handle, "wb") as stream:  # mkstemp made it owner-only (0600)
            write(stream)
        _refuse_what_is_not_a_plain_file(path)  # a link put there while writing is not replaced either
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ExportError(f"Cannot write {path}: {error.strerror or error}.") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_safe_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], delimiter: str = ",") -> int:
    """Write a spreadsheet-safe CSV (UTF-8 with BOM, CRLF); returns the number of data rows."""
    if delimiter not in DELIMITERS:
        raise ExportError("The delimiter must be a comma, a semicolon or a tab.")
    count = 0

    def write(stream) -> None:
        nonlocal count
        import io

        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow([neutralise_cell(h) for h in header])
        for row in rows:
            writer.writerow([neutralise_cell(cell) for cell in row])
            count += 1
        text.flush()
        text.detach()

    _write_atomically(Path(path), write)
    return count


def _money(cents: int | None) -> str | None:
    if cents is None:
        return None
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _other_phones(phones: list[CustomerPhone]) -> str:
    return "; ".join(f"{p.number} ({p.label})" if p.label else p.number for p in phones)


def customer_rows(session: Session) -> Iterable[list[Any]]:
    """One row per customer; purchase figures come from the history, else from what an import brought."""
    history = {cid: (last, total, count) for cid, last, total, count in session.execute(
        select(Purchase.customer_id, func.max(Purchase.purchased_on), func.sum(Purchase.amount_cents),
               func.count(Purchase.id)).group_by(Purchase.customer_id))}
    phones: dict[int, list[CustomerPhone]] = defaultdict(list)
    for phone in session.scalars(select(CustomerPhone).order_by(CustomerPhone.id)):
        phones[phone.customer_id].append(phone)
    for c in session.scalars(select(Customer).order_by(Customer.id)).yield_per(1000):
        last, total, count = history.get(c.id, (None, None, None))
        yield [
            c.id, c.name, c.first_name, c.last_name, c.company, c.phone, _other_phones(phones.get(c.id, [])), c.email,
            c.address, c.city, c.region, c.postal_code, c.country, c.tags, c.notes, c.birthday, c.do_not_call,
            c.external_id, last or c.imported_last_purchase,
            _money(total if count else c.imported_total_spent_cents), count or c.imported_order_count,
        ]


def export_customers_csv(session: Session, path: str | Path, delimiter: str = ",") -> ExportResult:
    rows = write_safe_csv(Path(path), CUSTOMER_COLUMNS, customer_rows(session), delimiter)
    return ExportResult(Path(path), rows)


def export_call_history_csv(session: Session, path: str | Path, delimiter: str = ",") -> ExportResult:
    """Every logged call or touch, oldest first."""
    statement = (select(CallLog).options(selectinload(CallLog.customer), selectinload(CallLog.staff),
                                         selectinload(CallLog.task)).order_by(CallLog.logged_at, CallLog.id))

    def rows() -> Iterable[list[Any]]:
        for log in session.scalars(statement):
            task = log.task
            yield [
                log.logged_at.isoformat(sep=" ", timespec="minutes"), log.customer.name, log.customer.company,
                log.customer.phone, OUTCOME_LABELS.get(log.outcome, str(log.outcome)),
                ", ".join(result_tag_labels(log.result_tags)), log.notes, log.staff.name if log.staff else None,
                REASON_LABELS.get(task.reason, str(task.reason)) if task else None, task.why if task else None,
            ]

    count = write_safe_csv(Path(path), CALL_COLUMNS, rows(), delimiter)
    return ExportResult(Path(path), count)


def planned_calls_calendar(session: Session, now: dt.datetime) -> icalendar.Calendar:
    """Every pending task as an event: all-day on its date, or a short slot at its set time."""
    settings = load_settings(session)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//CallAhead//Planned calls//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{settings.business_name}: planned calls")
    tasks = session.scalars(select(CallTask).where(CallTask.status == TaskStatus.PENDING)
                            .options(selectinload(CallTask.customer), selectinload(CallTask.staff))
                            .order_by(CallTask.due_on, CallTask.due_time, CallTask.id))
    for task in tasks:
        customer = task.customer
        event = icalendar.Event()
        event.add("uid", f"callahead-task-{task.id}")
        event.add("dtstamp", now)
        event.add("summary", f"{_TASK_VERBS.get(task.kind, 'Call')} {customer.name}")
        # A length, not an end: the end of a call stored on the last day Python knows
        # (9999-12-31) cannot be computed, and the length is what a calendar needs anyway.
        if task.due_time is not None:
            event.add("dtstart", dt.datetime.combine(task.due_on, task.due_time))
            event.add("duration", dt.timedelta(minutes=_CALL_MINUTES))
        else:
            event.add("dtstart", task.due_on)
            event.add("duration", dt.timedelta(days=1))
        details = [REASON_LABELS.get(task.reason, str(task.reason))]
        if task.why:
            details.append(task.why)
        if customer.phone:
            details.append(f"Phone: {display_phone(customer.phone, settings.phone_region)}")
            event.add("url", tel_uri(customer.phone))
        if customer.company and customer.company != customer.name:
            details.append(f"Company: {customer.company}")
        if task.staff:
            details.append(f"Caller: {task.staff.name}")
        if task.deadline:
            details.append(f"Before: {task.deadline.isoformat()}")
        event.add("description", "\n".join(details))
        calendar.add_component(event)
    return calendar


def export_planned_calls_ics(session: Session, path: str | Path, now: dt.datetime) -> ExportResult:
    calendar = planned_calls_calendar(session, now)
    data = calendar.to_ical()
    _write_atomically(Path(path), lambda stream: stream.write(data))
    return ExportResult(Path(path), len(calendar.walk("VEVENT")))
