"""The day's list on paper: what each caller's sheet holds, and the sheet as printable HTML.

One sheet per caller (a page or more each). A row per call: time, customer and company,
phone, reason and its one-line why, the last contact and how it went, the talking points,
tick boxes for the outcome and room for handwritten notes. The HTML keeps to what Qt's
QTextDocument renders: the table header (with the sheet's title) repeats on every page.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.customers.contact_fields import display_phone
from core.dates import date_text
from core.labels import OUTCOME_LABELS, REASON_LABELS, format_day
from core.storage.models import CallLog, Change
from core.habits.news import news_for_calls
from core.scheduling.reasons import declaration
from core.scheduling import daily_agenda
from core.settings import load_settings

# Short codes keep a call's tick boxes on one line; the sheet's header spells them out.
OUTCOME_BOXES = (("R", "reached"), ("VM", "voicemail"), ("NA", "no answer"), ("WN", "wrong number"),
                 ("DNC", "please don't call"))
OUTCOME_LEGEND = "Tick: " + " · ".join(f"{code} {meaning}" for code, meaning in OUTCOME_BOXES)
COURTESY_POINTS = ("How's business going? (a household: How have you been?)",
                   "How is what they bought working out?", "Any questions?", "Anything else we can do to help?")
CLOSING = "Listen — you're not selling anything. End every call with a sincere thank-you."


@dataclass(frozen=True)
class SheetRow:
    order: int
    time: str
    customer: str
    company: str
    phone: str
    reason: str
    why: str
    last_contact: str
    talking_points: tuple[str, ...]


@dataclass(frozen=True)
class DaySheet:
    business_name: str
    day: dt.date
    caller: str
    quota: int
    rows: tuple[SheetRow, ...]
    closed_reason: str | None = None
    news: tuple[str, ...] = ()  # what's on that day (core.habits.news), for the header


def _last_contacts(session: Session, customer_ids: list[int], day: dt.date) -> dict[int, tuple[dt.datetime, str]]:
    if not customer_ids:
        return {}
    before = dt.datetime.combine(day, dt.time.min)
    latest = (select(CallLog.customer_id, func.max(CallLog.id).label("log_id"))
              .where(CallLog.customer_id.in_(customer_ids), CallLog.logged_at < before)
              .group_by(CallLog.customer_id).subquery())
    rows = session.execute(select(CallLog.customer_id, CallLog.logged_at, CallLog.outcome)
                           .join(latest, latest.c.log_id == CallLog.id))
    return {customer_id: (when, OUTCOME_LABELS[outcome]) for customer_id, when, outcome in rows}


def _change_points(session: Session, change_ids: set[int]) -> dict[int, tuple[str, ...]]:
    points = {}
    for change_id, title, effective, talking in session.execute(
            select(Change.id, Change.title, Change.effective_on, Change.talking_points)
            .where(Change.id.in_(change_ids))):
        lines = [f"{title} from {format_day(effective)}."]
        lines += [line.strip() for line in (talking or "").splitlines() if line.strip()][:3]
        points[change_id] = tuple(lines)
    return points


def day_sheets(session: Session, day: dt.date, today: dt.date, staff_id: int | None = None) -> list[DaySheet]:
    """One sheet per caller with calls that day (or just `staff_id`'s), pending calls only."""
    settings = load_settings(session)
    agenda = daily_agenda(session, day, today, settings)
    calls = agenda.pending(staff_id)
    last = _last_contacts(session, sorted({c.customer_id for c in calls}), day)
    change_points = _change_points(session, {c.change_id for c in calls if c.change_id})
    sheets = []
    for member in agenda.staff:
        if staff_id is not None and member.staff_id != staff_id:
            continue
        mine = [c for c in calls if c.staff_id == member.staff_id]
        if not mine and staff_id is None and not agenda.closed:
            continue
        rows = []
        for order, call in enumerate(mine, start=1):
            when, outcome = last.get(call.customer_id, (None, None))
            # A change's own talking points first; else the reason's printed points (core.scheduling.reasons).
            points = change_points.get(call.change_id) or declaration(call.reason).printed_points
            rows.append(SheetRow(
                order=order, time=call.time.strftime("%H:%M") if call.time else "",
                customer=call.customer, company=call.company or "",
                phone=display_phone(call.phone, settings.phone_region) or "no phone on file",
                reason=REASON_LABELS[call.reason], why=call.why,
                last_contact=f"{format_day(when.date(), day)} — {outcome}" if when else "never called",
                talking_points=tuple(points)))
        news = tuple(item.talking_point for item in news_for_calls(
            session, day, [(c.customer_id, c.reason) for c in mine])) if mine else ()
        sheets.append(DaySheet(settings.business_name, day, member.name, member.quota, tuple(rows),
                               agenda.closed_reason, news))
    return sheets


def _e(text: str) -> str:
    return html.escape(text, quote=False)


SHEET_CSS = """
body { font-family: 'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif; font-size: 8.5pt; color: #111; }
table.calls { border-collapse: collapse; width: 100%; }
table.calls th { background: #e8eef6; font-size: 8pt; text-align: left; padding: 3px; border-bottom: 1px solid #777; }
table.calls td { padding: 3px 3px; vertical-align: top; }
th.title { background: #ffffff; font-size: 12pt; padding: 2px 0 6px 0; border-bottom: 2px solid #333; }
td.num { font-weight: bold; }
td.small, span.small { font-size: 7.5pt; color: #333; }
span.news { font-size: 9pt; color: #0d47a1; }
td.notes { border-left: 1px dotted #999; }
"""


def sheets_html(sheets: list[DaySheet]) -> str:
    """All sheets as one HTML document, each caller from a new page."""
    parts = [f"<html><head><style>{SHEET_CSS}</style></head><body>"]
    for index, sheet in enumerate(sheets):
        style = " style='page-break-before: always'" if index else ""
        count = len(sheet.rows)
        title = (f"{_e(sheet.business_name)} — calls for "
                 f"{date_text(sheet.day, '%A')} {sheet.day.day} {date_text(sheet.day, '%B %Y')}"
                 f" — {_e(sheet.caller)} — {count} call{'s' if count != 1 else ''} (goal {sheet.quota})"
                 f"<br/><span class='small'>Ask: {_e(' · '.join(COURTESY_POINTS))} {_e(CLOSING)}<br/>"
                 f"{_e(OUTCOME_LEGEND)}</span>")
        if sheet.news:
            title += f"<br/><span class='news'>What's on — tell them: {_e(' · '.join(sheet.news))}</span>"
        parts.append(f"<table class='calls' width='100%'{style} cellspacing='0'>")
        parts.append(f"<thead><tr><th class='title' colspan='7'>{title}</th></tr>"
                     "<tr><th width='3%'>#</th><th width='16%'>Customer · phone</th><th width='29%'>Reason · why</th>"
                     "<th width='9%'>Last contact</th><th width='21%'>Talking points</th>"
                     "<th width='12%'>Outcome</th><th width='10%'>Notes</th></tr></thead><tbody>")
        if not sheet.rows:
            message = sheet.closed_reason or "No calls planned."
            parts.append(f"<tr><td colspan='7'>{_e(message)}</td></tr>")
        for row in sheet.rows:
            time = f"<br/><b>{_e(row.time)}</b>" if row.time else ""
            company = f"<br/><span class='small'>{_e(row.company)}</span>" if row.company else ""
            points = "<br/>".join(f"• {_e(point)}" for point in row.talking_points)
            boxes = "&nbsp; ".join(f"☐{code}" for code, _meaning in OUTCOME_BOXES)
            shade = " bgcolor='#f1f4f8'" if row.order % 2 == 0 else ""
            parts.append(
                f"<tr{shade}><td class='num'>{row.order}{time}</td>"
                f"<td><b>{_e(row.customer)}</b>{company}<br/>{_e(row.phone)}</td>"
                f"<td><b>{_e(row.reason)}</b><br/><span class='small'>{_e(row.why)}</span></td>"
                f"<td class='small'>{_e(row.last_contact)}</td>"
                f"<td class='small'>{points}</td>"
                f"<td class='small'>{boxes}</td><td class='notes'>&nbsp;</td></tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)
