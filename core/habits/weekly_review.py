"""The weekly review: what came of the week's calls, per caller, for the team's sit-down.

For the week (Monday to Sunday) containing a day, per caller: each day's calls against their
quota (closed days have no quota), how many were reached, what the calls led to (the result
tags: orders placed, quotes requested, referrals, complaints), thank-you notes written and
responses received that week, and the quote hit ratio — quotes won ÷ quotes decided that week,
per caller (the quote's staff) and for everyone, with the same ratio for each of the last eight
weeks. Per announced change still being measured: who was told in time, who kept buying, bought
less or stopped (core.scheduling.changes.campaign_results). Each caller's line on how the week
felt is kept with the week.

Every figure can be opened: `review_lines` lists what a number counts. `review_html` is the
printable page; its charts are `chart:` images described by their data (see `chart_url`), drawn
by whoever lays the page out.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import quote

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.dates import date_text
from core.storage.enums import ChangeStatus, Outcome, QuoteStatus, Reason, ResultTag
from core.errors import InvalidInput
from core.labels import OUTCOME_LABELS, format_day, result_tag_labels
from core.storage.models import CallLog, CallTask, Change, Customer, Quote, StaffMember, ThankYouNote, WeekReflection
from core.scheduling.business_days import BusinessCalendar
from core.scheduling.changes import campaign_results
from core.settings import load_settings
from core.habits.thanks import RESPONSE_LABELS

TREND_WEEKS = 8
MEASURED_CHANGES_DAYS = 365  # a change is reviewed while its year of buying is being measured
REFLECTION_MAX = 500
CHARTS_PER_ROW = 4  # four callers' weeks side by side keep a small team's review on one page


class ReviewFigure(StrEnum):
    """A number on the review that can be opened to see what it counts."""

    CALLS = "calls"
    REACHED = "reached"
    ORDERS = "orders"
    QUOTES_REQUESTED = "quotes_requested"
    REFERRALS = "referrals"
    COMPLAINTS = "complaints"
    THANK_YOU_NOTES = "thank_you_notes"
    RESPONSES = "responses"
    QUOTES_DECIDED = "quotes_decided"


TAG_FIGURES = {ReviewFigure.ORDERS: ResultTag.ORDER_PLACED, ReviewFigure.QUOTES_REQUESTED: ResultTag.QUOTE_REQUESTED,
               ReviewFigure.REFERRALS: ResultTag.REFERRAL, ReviewFigure.COMPLAINTS: ResultTag.COMPLAINT}


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday and the Sunday of the week containing `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


@dataclass(frozen=True)
class ReviewDay:
    date: dt.date
    calls: int
    reached: int
    quota: int  # 0 on a closed day
    closed: str | None  # why the business was closed ("Thanksgiving", "Closed on Saturdays")


@dataclass(frozen=True)
class HitRatioWeek:
    week_start: dt.date
    won: int
    decided: int

    @property
    def ratio(self) -> float | None:
        return self.won / self.decided if self.decided else None


@dataclass(frozen=True)
class CallerReview:
    staff_id: int
    name: str
    quota: int
    days: tuple[ReviewDay, ...]
    calls: int
    reached: int
    orders: int
    quotes_requested: int
    referrals: int
    complaints: int
    thank_you_notes: int
    responses: int
    hit_trend: tuple[HitRatioWeek, ...]  # the last TREND_WEEKS weeks, this one last
    reflection: str | None = None

    @property
    def quotes_won(self) -> int:
        return self.hit_trend[-1].won

    @property
    def quotes_decided(self) -> int:
        return self.hit_trend[-1].decided

    @property
    def quote_hit_ratio(self) -> float | None:
        return self.hit_trend[-1].ratio

    @property
    def week_goal(self) -> int:
        return sum(day.quota for day in self.days)

    @property
    def reached_rate(self) -> float | None:
        return self.reached / self.calls if self.calls else None

    @property
    def days_at_quota(self) -> int:
        return sum(1 for day in self.days if day.quota and day.calls >= day.quota)


@dataclass(frozen=True)
class ChangeReview:
    change_id: int
    title: str
    effective_on: dt.date
    affected: int
    told_in_time: int
    kept: int
    reduced: int
    lost: int
    measured_days: int


@dataclass(frozen=True)
class WeeklyReview:
    week_start: dt.date
    week_end: dt.date
    callers: tuple[CallerReview, ...]
    changes: tuple[ChangeReview, ...]
    hit_trend: tuple[HitRatioWeek, ...] = field(default=())  # everyone's quotes, the quote's caller or none

    @property
    def quote_hit_ratio(self) -> float | None:
        return self.hit_trend[-1].ratio if self.hit_trend else None

    def as_json(self) -> dict:
        """The `review --json` contract."""
        return {
            "week_start": self.week_start, "week_end": self.week_end,
            "callers": [{
                "name": c.name, "quota": c.quota,
                "days": [{"date": d.date, "calls": d.calls, "reached": d.reached} for d in c.days],
                "calls": c.calls, "reached": c.reached, "orders": c.orders, "quotes_requested": c.quotes_requested,
                "referrals": c.referrals, "complaints": c.complaints, "thank_you_notes": c.thank_you_notes,
                "responses": c.responses,
                "quote_hit_ratio": None if c.quote_hit_ratio is None else round(c.quote_hit_ratio, 3),
            } for c in self.callers],
            "changes": [{"change_id": ch.change_id, "title": ch.title, "told_in_time": ch.told_in_time,
                         "kept": ch.kept, "reduced": ch.reduced, "lost": ch.lost} for ch in self.changes],
        }


def _moments(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime.combine(first, dt.time.min), dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min)


def _tags(stored: str | None) -> set[str]:
    return {t.strip() for t in (stored or "").split(",") if t.strip()}


def _hit_trends(session: Session, week_start: dt.date) -> tuple[dict[int | None, list[HitRatioWeek]], list[HitRatioWeek]]:
    starts = [week_start - dt.timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]
    counts: dict[tuple[int | None, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for staff_id, status, decided_on in session.execute(
            select(Quote.staff_id, Quote.status, Quote.decided_on)
            .where(Quote.status != QuoteStatus.OPEN, Quote.decided_on >= starts[0],
                   Quote.decided_on <= week_start + dt.timedelta(days=6))):
        start, _end = week_of(decided_on)
        for who in (staff_id, "all"):
            tally = counts[(who, start)]
            tally[0] += status == QuoteStatus.WON
            tally[1] += 1
    per_staff: dict[int | None, list[HitRatioWeek]] = {}
    for staff_id in {who for who, _start in counts if who != "all"}:
        per_staff[staff_id] = [HitRatioWeek(s, *counts.get((staff_id, s), (0, 0))) for s in starts]
    overall = [HitRatioWeek(s, *counts.get(("all", s), (0, 0))) for s in starts]
    return per_staff, overall


def _changes(session: Session, week_start: dt.date, week_end: dt.date, today: dt.date) -> list[ChangeReview]:
    as_of = min(week_end, today)
    ids = session.scalars(select(Change.id).where(
        Change.status == ChangeStatus.ACTIVE, Change.announced_on <= week_end,
        Change.effective_on > week_end - dt.timedelta(days=MEASURED_CHANGES_DAYS))
        .order_by(Change.effective_on, Change.id))
    reviews = []
    for change_id in list(ids):
        result = campaign_results(session, change_id, as_of)
        reviews.append(ChangeReview(result.change_id, result.title, result.effective_on, result.affected,
                                    result.reached_before, result.kept, result.reduced, result.stopped,
                                    result.measured_days))
    return reviews


def _why_closed(calendar: BusinessCalendar, day: dt.date) -> str:
    """The holiday's name, 'Closed on Saturdays', or 'Closed' (a day the owner closed)."""
    if calendar.holiday_name(day):
        return calendar.holiday_name(day)
    return f"Closed on {date_text(day, '%A')}s" if day.weekday() not in calendar.open_weekdays else "Closed"


def weekly_review(session: Session, day: dt.date, today: dt.date) -> WeeklyReview:
    """The review of the week containing `day`, measured as of `today` for changes."""
    week_start, week_end = week_of(day)
    settings = load_settings(session)
    calendar = BusinessCalendar.from_settings(settings)
    days = [week_start + dt.timedelta(days=n) for n in range(7)]
    closed = {d: None if calendar.is_open(d) else _why_closed(calendar, d) for d in days}
    since, until = _moments(week_start, week_end)

    per_day: dict[int, Counter] = defaultdict(Counter)
    figures: dict[int, Counter] = defaultdict(Counter)
    for staff_id, logged_at, outcome, tags in session.execute(
            select(CallLog.staff_id, CallLog.logged_at, CallLog.outcome, CallLog.result_tags)
            .where(CallLog.staff_id.is_not(None), CallLog.logged_at >= since, CallLog.logged_at < until)):
        per_day[staff_id][("calls", logged_at.date())] += 1
        figures[staff_id][ReviewFigure.CALLS] += 1
        if outcome == Outcome.REACHED:
            per_day[staff_id][("reached", logged_at.date())] += 1
            figures[staff_id][ReviewFigure.REACHED] += 1
        present = _tags(tags)
        for figure, tag in TAG_FIGURES.items():
            if tag.value in present:
                figures[staff_id][figure] += 1
    for staff_id, sent_on, response_on in session.execute(
            select(ThankYouNote.staff_id, ThankYouNote.sent_on, ThankYouNote.response_on)
            .where(or_(ThankYouNote.sent_on.between(week_start, week_end),
                       ThankYouNote.response_on.between(week_start, week_end)))):
        if week_start <= sent_on <= week_end:
            figures[staff_id][ReviewFigure.THANK_YOU_NOTES] += 1
        if response_on is not None and week_start <= response_on <= week_end:
            figures[staff_id][ReviewFigure.RESPONSES] += 1

    staff_trends, overall_trend = _hit_trends(session, week_start)
    reflections = dict(session.execute(select(WeekReflection.staff_id, WeekReflection.text)
                                       .where(WeekReflection.week_start == week_start)).all())
    # Everyone who calls now, and anyone who did something that week (a caller since retired).
    active = set(session.scalars(select(StaffMember.id).where(StaffMember.active, StaffMember.daily_quota > 0)))
    involved = active | set(figures) | set(reflections) | {s for s in staff_trends if s is not None
                                                           and staff_trends[s][-1].decided}
    members = session.execute(select(StaffMember.id, StaffMember.name, StaffMember.daily_quota, StaffMember.active)
                              .where(StaffMember.id.in_(involved)).order_by(StaffMember.name, StaffMember.id)).all()
    empty_trend = [HitRatioWeek(overall.week_start, 0, 0) for overall in overall_trend]
    callers = []
    for staff_id, name, quota, is_active in members:
        daily_quota = quota if is_active else 0
        counts, totals = per_day[staff_id], figures[staff_id]
        callers.append(CallerReview(
            staff_id=staff_id, name=name, quota=daily_quota,
            days=tuple(ReviewDay(d, counts[("calls", d)], counts[("reached", d)],
                                 0 if closed[d] else daily_quota, closed[d]) for d in days),
            calls=totals[ReviewFigure.CALLS], reached=totals[ReviewFigure.REACHED],
            orders=totals[ReviewFigure.ORDERS], quotes_requested=totals[ReviewFigure.QUOTES_REQUESTED],
            referrals=totals[ReviewFigure.REFERRALS], complaints=totals[ReviewFigure.COMPLAINTS],
            thank_you_notes=totals[ReviewFigure.THANK_YOU_NOTES], responses=totals[ReviewFigure.RESPONSES],
            hit_trend=tuple(staff_trends.get(staff_id, empty_trend)), reflection=reflections.get(staff_id)))
    return WeeklyReview(week_start, week_end, tuple(callers), tuple(_changes(session, week_start, week_end, today)),
                        tuple(overall_trend))


# --- what a number counts -------------------------------------------------------------------------

@dataclass(frozen=True)
class ReviewLine:
    when: dt.datetime
    staff: str | None
    who: str  # the customer (or a note's recipient)
    what: str  # "Reached · Order placed", "Thank-you note · Called back", "Quote won"
    notes: str | None
    customer_id: int | None


def review_lines(session: Session, week_day: dt.date, figure: ReviewFigure | str, *, staff_id: int | None = None,
                 day: dt.date | None = None) -> list[ReviewLine]:
    """What a figure of the week counts (one caller's or everyone's; one day's or the week's), oldest first."""
    try:
        figure = ReviewFigure(figure)
    except ValueError:
        raise InvalidInput(f"'{figure}' is not a figure of the review.", field="figure") from None
    week_start, week_end = week_of(week_day)
    first, last = (day, day) if day else (week_start, week_end)
    staff_names = dict(session.execute(select(StaffMember.id, StaffMember.name)).all())
    if figure in (ReviewFigure.THANK_YOU_NOTES, ReviewFigure.RESPONSES):
        column = ThankYouNote.sent_on if figure is ReviewFigure.THANK_YOU_NOTES else ThankYouNote.response_on
        query = select(ThankYouNote).where(column >= first, column <= last).order_by(column, ThankYouNote.id)
        if staff_id is not None:
            query = query.where(ThankYouNote.staff_id == staff_id)
        lines = []
        for note in session.scalars(query):
            when = note.sent_on if figure is ReviewFigure.THANK_YOU_NOTES else note.response_on
            what = "Thank-you note" + (f" · {RESPONSE_LABELS[note.response]} ({format_day(note.response_on)})"
                                       if note.response else "")
            lines.append(ReviewLine(dt.datetime.combine(when, dt.time.min), staff_names.get(note.staff_id),
                                    note.recipient, what, note.text, note.customer_id))
        return lines
    if figure is ReviewFigure.QUOTES_DECIDED:
        query = (select(Quote, Customer.name).join(Customer, Customer.id == Quote.customer_id)
                 .where(Quote.status != QuoteStatus.OPEN, Quote.decided_on >= first, Quote.decided_on <= last)
                 .order_by(Quote.decided_on, Quote.id))
        if staff_id is not None:
            query = query.where(Quote.staff_id == staff_id)
        return [ReviewLine(dt.datetime.combine(quote.decided_on, dt.time.min), staff_names.get(quote.staff_id), name,
                           f"Quote {quote.status.value} (sent {format_day(quote.sent_on)})", quote.description,
                           quote.customer_id) for quote, name in session.execute(query)]
    since, until = _moments(first, last)
    query = (select(CallLog, Customer.name).join(Customer, Customer.id == CallLog.customer_id)
             .where(CallLog.logged_at >= since, CallLog.logged_at < until, CallLog.staff_id.is_not(None))
             .order_by(CallLog.logged_at, CallLog.id))
    if staff_id is not None:
        query = query.where(CallLog.staff_id == staff_id)
    lines = []
    for log, name in session.execute(query):
        if figure is ReviewFigure.REACHED and log.outcome != Outcome.REACHED:
            continue
        if figure in TAG_FIGURES and TAG_FIGURES[figure].value not in _tags(log.result_tags):
            continue
        what = " · ".join([OUTCOME_LABELS[log.outcome], *result_tag_labels(log.result_tags)])
        lines.append(ReviewLine(log.logged_at, staff_names.get(log.staff_id), name, what, log.notes,
                                log.customer_id))
    return lines


def change_call_lines(session: Session, change_id: int) -> list[ReviewLine]:
    """The heads-up calls behind a change's 'told in time': every logged one, oldest first."""
    change = session.get(Change, change_id)
    if change is None:
        raise InvalidInput(f"There is no change with id {change_id}.", field="change_id")
    deadline = dt.datetime.combine(change.effective_on, dt.time.min)
    staff_names = dict(session.execute(select(StaffMember.id, StaffMember.name)).all())
    lines = []
    for log, name in session.execute(
            select(CallLog, Customer.name).join(Customer, Customer.id == CallLog.customer_id)
            .join(CallTask, CallTask.id == CallLog.task_id)
            .where(CallTask.change_id == change_id, CallTask.reason == Reason.CHANGE_HEADS_UP)
            .order_by(CallLog.logged_at, CallLog.id)):
        in_time = " · told in time" if log.outcome == Outcome.REACHED and log.logged_at < deadline else ""
        lines.append(ReviewLine(log.logged_at, staff_names.get(log.staff_id), name,
                                OUTCOME_LABELS[log.outcome] + in_time, log.notes, log.customer_id))
    return lines


# --- how the week felt -------------------------------------------------------------------------------

def save_reflection(session: Session, week_day: dt.date, staff_id: int, text: str | None) -> str | None:
    """Keep a caller's line on the week (blank removes it); returns what is kept."""
    week_start, _end = week_of(week_day)
    if session.get(StaffMember, staff_id) is None:
        raise InvalidInput(f"There is no caller with id {staff_id}.", field="staff")
    text = " ".join((text or "").split())
    if len(text) > REFLECTION_MAX:
        raise InvalidInput(f"Keep it to a line: {len(text)} characters, at most {REFLECTION_MAX}.", field="reflection")
    row = session.scalar(select(WeekReflection).where(WeekReflection.week_start == week_start,
                                                      WeekReflection.staff_id == staff_id))
    if not text:
        if row is not None:
            session.delete(row)
        session.flush()
        return None
    if row is None:
        session.add(WeekReflection(week_start=week_start, staff_id=staff_id, text=text))
    else:
        row.text = text
    session.flush()
    return text


# --- the printable page ---------------------------------------------------------------------------------

def chart_url(kind: str, values: list[float | int | None], *, goals: list[int] | None = None,
              labels: list[str]) -> str:
    """A chart described by its data, for the page's <img>: 'chart:days?values=3,5;goals=10,10;labels=Mon,Tue'.
    Empty values (no quote decided that week) are left blank. Parts are joined by ';' and labels
    percent-encoded, so the address needs no HTML escaping (Qt would not unescape it)."""
    parts = ["values=" + ",".join("" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))
                                  for v in values)]
    if goals is not None:
        parts.append("goals=" + ",".join(str(g) for g in goals))
    parts.append("labels=" + ",".join(quote(label, safe="") for label in labels))
    return f"chart:{kind}?{';'.join(parts)}"


def day_chart_url(caller: CallerReview) -> str:
    return chart_url("days", [d.calls for d in caller.days], goals=[d.quota for d in caller.days],
                     labels=[date_text(d.date, "%a") for d in caller.days])


def hit_chart_url(trend: tuple[HitRatioWeek, ...]) -> str:
    return chart_url("ratio", [w.ratio for w in trend],
                     labels=[f"{w.week_start.day} {date_text(w.week_start, '%b')}" for w in trend])


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


REVIEW_CSS = """
body { font-family: 'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif; font-size: 9pt; color: #111; }
p.title { font-size: 12pt; font-weight: bold; margin: 0 0 4px 0; }
p.heading { font-size: 10pt; font-weight: bold; margin: 8px 0 2px 0; }
table.figures { border-collapse: collapse; }
table.figures th { background: #e8eef6; font-size: 7.5pt; white-space: nowrap; text-align: left; padding: 3px 6px; }
table.figures td { padding: 3px 6px; border-bottom: 1px solid #ddd; }
td.n { text-align: right; }
p.felt { font-style: italic; color: #333; margin: 2px 0 0 0; }
"""


def review_html(review: WeeklyReview, business_name: str, *, chart_width: int = 170, chart_height: int = 80) -> str:
    """The review as one printable page (more for a big team): per caller a row of figures, the
    calls-per-day chart and their line on the week; the hit-ratio trend; the changes."""
    start, end = review.week_start, review.week_end
    parts = [f"<html><head><style>{REVIEW_CSS}</style></head><body>",
             f"<p class='title'>{_e(business_name)} — weekly review, {start.day} {date_text(start, '%B')} "
             f"to {end.day} {date_text(end, '%B %Y')}</p>"]
    parts.append("<table class='figures' width='100%' cellspacing='0'><thead><tr>"
                 "<th>Caller</th><th>Calls</th><th>Goal</th><th>Reached</th><th>Orders</th><th>Quotes asked</th>"
                 "<th>Referrals</th><th>Complaints</th><th>Thank-yous</th><th>Responses</th>"
                 "<th>Hit ratio</th></tr></thead><tbody>")
    for c in review.callers:
        won = f" ({c.quotes_won}/{c.quotes_decided})" if c.quotes_decided else ""
        parts.append(
            f"<tr><td style='white-space: nowrap'><b>{_e(c.name)}</b></td><td class='n'>{c.calls}</td><td class='n'>{c.week_goal}</td>"
            f"<td class='n' style='white-space: nowrap'>{c.reached} ({percent(c.reached_rate)})</td><td class='n'>{c.orders}</td>"
            f"<td class='n'>{c.quotes_requested}</td><td class='n'>{c.referrals}</td><td class='n'>{c.complaints}</td>"
            f"<td class='n'>{c.thank_you_notes}</td><td class='n'>{c.responses}</td>"
            f"<td class='n' style='white-space: nowrap'>{percent(c.quote_hit_ratio)}{won}</td></tr>")
    overall = review.hit_trend[-1] if review.hit_trend else None
    if overall is not None:
        won = f" ({overall.won}/{overall.decided})" if overall.decided else ""
        parts.append(f"<tr><td style='white-space: nowrap'><b>Everyone</b></td><td class='n'>{sum(c.calls for c in review.callers)}</td>"
                     f"<td class='n'>{sum(c.week_goal for c in review.callers)}</td>"
                     f"<td class='n'>{sum(c.reached for c in review.callers)}</td>"
                     f"<td class='n'>{sum(c.orders for c in review.callers)}</td>"
                     f"<td class='n'>{sum(c.quotes_requested for c in review.callers)}</td>"
                     f"<td class='n'>{sum(c.referrals for c in review.callers)}</td>"
                     f"<td class='n'>{sum(c.complaints for c in review.callers)}</td>"
                     f"<td class='n'>{sum(c.thank_you_notes for c in review.callers)}</td>"
                     f"<td class='n'>{sum(c.responses for c in review.callers)}</td>"
                     f"<td class='n' style='white-space: nowrap'>{percent(overall.ratio)}{won}</td></tr>")
    parts.append("</tbody></table>")
    closed = [d for d in (review.callers[0].days if review.callers else ()) if d.closed and d.date.weekday() < 5]
    if closed:
        parts.append("<p>Closed: " + ", ".join(f"{_e(d.closed)} ({date_text(d.date, '%a')} {d.date.day})"
                                               for d in closed) + "</p>")

    parts.append("<p class='heading'>Calls per day against the quota <span style='font-size: 8pt; "
                 "font-weight: normal'>(dashes: the day's quota · green: met · amber: short · grey: closed)</span></p>"
                 "<table cellspacing='4'>")
    for index, c in enumerate(review.callers):
        if index % CHARTS_PER_ROW == 0:
            parts.append("<tr>")
        felt = f"<p class='felt'>“{_e(c.reflection)}”</p>" if c.reflection else ""
        parts.append(f"<td valign='top'><b>{_e(c.name)}</b> — {c.days_at_quota} day(s) at quota<br/>"
                     f"<img src='{day_chart_url(c)}' width='{chart_width}' height='{chart_height}'/>{felt}</td>")
        if index % CHARTS_PER_ROW == CHARTS_PER_ROW - 1 or index == len(review.callers) - 1:
            parts.append("</tr>")
    parts.append("</table>")
    if review.hit_trend:
        parts.append(f"<p class='heading'>Quote hit ratio, last {TREND_WEEKS} weeks (won ÷ decided, everyone)</p>"
                     f"<p><img src='{hit_chart_url(review.hit_trend)}' width='{chart_width * CHARTS_PER_ROW}' "
                     f"height='{chart_height}'/></p>")
    parts.append("<p class='heading'>Announced changes</p>")
    if review.changes:
        parts.append("<table class='figures' cellspacing='0'><thead><tr><th>Change</th><th>Date</th>"
                     "<th>Customers</th><th>Told in time</th><th>Kept buying</th><th>Bought less</th>"
                     "<th>Stopped</th></tr></thead><tbody>")
        for ch in review.changes:
            parts.append(f"<tr><td>{_e(ch.title)}</td><td>{format_day(ch.effective_on)}</td>"
                         f"<td class='n'>{ch.affected}</td><td class='n'>{ch.told_in_time}</td>"
                         f"<td class='n'>{ch.kept}</td><td class='n'>{ch.reduced}</td><td class='n'>{ch.lost}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append("<p>No announced change is being followed this week.</p>")
    parts.append("</body></html>")
    return "".join(parts)
