"""Announced changes: who to warn, when, and what follows.

For a change (a price increase, a discontinued product...) with an effective date:
1. rank the affected customers by exposure (core.scheduling.exposure);
2. back-schedule a heads-up call for each, most exposed first, spread over the open days of
   the window before the date, within each caller's share of their daily quota;
3. say whether capacity reaches everyone, and if not who is missed and what would fix it;
4. after the date: samples to send (discontinued/replaced products), an "any concerns?" call
   a week later and a follow-up a few months later.
Moving the date moves pending steps; cancelling cancels them; done steps stay in history.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from core.dates import date_text
from core.storage.enums import ChangeKind, ChangeStatus, Outcome, Reason, TaskKind, TaskStatus
from core.errors import InvalidInput
from core.storage.models import (
    CallLog,
    CallTask,
    Change,
    ChangeCustomer,
    ChangeProduct,
    PlannedCall,
    Product,
    Purchase,
    StaffMember,
)
from core.scheduling.business_days import BusinessCalendar
from core.scheduling.exposure import Exposure, rank_exposure
from core.scheduling.planner import replan_customers
from core.scheduling.value import spend_last_year
from core.scheduling.windows import window_last_day
from core.settings import Settings, load_settings

# The steps of a change, as the command line names them.
STEP_HEADS_UP = "heads_up"
STEP_NOTE = "note"
STEP_SAMPLES = "samples"
STEP_CONCERNS = "concerns"
STEP_FOLLOW_UP = "follow_up"
SAMPLE_KINDS = (ChangeKind.DISCONTINUED, ChangeKind.REPLACEMENT)
STEP_REASON = {
    STEP_HEADS_UP: Reason.CHANGE_HEADS_UP,
    STEP_NOTE: Reason.CHANGE_HEADS_UP,
    STEP_SAMPLES: Reason.CHANGE_SAMPLES,
    STEP_CONCERNS: Reason.CHANGE_CONCERNS,
    STEP_FOLLOW_UP: Reason.CHANGE_FOLLOW_UP,
}
STEP_TASK_KIND = {STEP_HEADS_UP: TaskKind.CALL, STEP_NOTE: TaskKind.NOTE, STEP_SAMPLES: TaskKind.SAMPLES,
                  STEP_CONCERNS: TaskKind.CALL, STEP_FOLLOW_UP: TaskKind.CALL}


@dataclass(frozen=True)
class ChangeRequest:
    """What the owner describes when announcing a change. None means "use the settings"."""

    kind: ChangeKind
    title: str
    effective_on: dt.date
    product_ids: tuple[int, ...]
    talking_points: str | None = None
    window_start_days: int | None = None
    window_end_days: int | None = None
    capacity_share: float | None = None
    samples_count: int | None = None
    replacement_product_id: int | None = None
    added_customer_ids: tuple[int, ...] = ()
    excluded_customer_ids: tuple[int, ...] = ()
    notes_for_missed: bool = False


@dataclass(frozen=True)
class PlannedStep:
    customer_id: int
    kind: str  # heads_up, note, samples, concerns, follow_up
    due: dt.date
    staff_id: int | None
    why: str


@dataclass(frozen=True)
class AffectedCustomer:
    exposure: Exposure
    heads_up: dt.date | None
    staff_id: int | None
    staff: str | None


@dataclass(frozen=True)
class PlanOption:
    """One way out when capacity cannot reach everyone in time."""

    kind: str  # extend_window, raise_capacity, notes_for_missed
    description: str
    window_start_days: int | None = None
    capacity_share: float | None = None
    extra_calls_per_day: int | None = None


@dataclass(frozen=True)
class Feasibility:
    feasible: bool
    needed: int
    capacity: int
    missed_customer_ids: tuple[int, ...]
    options: tuple[PlanOption, ...]
    verdict: str


@dataclass(frozen=True)
class ChangePlan:
    change_id: int | None
    effective_on: dt.date
    window_first: dt.date | None
    window_last: dt.date | None
    affected: tuple[AffectedCustomer, ...]
    steps: tuple[PlannedStep, ...]
    feasibility: Feasibility
    heads_up_per_day: dict[dt.date, int] = field(default_factory=dict)

    @property
    def missed(self) -> tuple[int, ...]:
        return self.feasibility.missed_customer_ids


@dataclass(frozen=True)
class _Params:
    start_days: int
    end_days: int
    share: float
    samples: int


def _params(request: ChangeRequest, settings: Settings) -> _Params:
    def pick(value, default):
        return default if value is None else value

    params = _Params(
        start_days=pick(request.window_start_days, settings.heads_up_window_start_days),
        end_days=pick(request.window_end_days, settings.heads_up_window_end_days),
        share=pick(request.capacity_share, settings.heads_up_capacity_share),
        samples=pick(request.samples_count, settings.samples_count),
    )
    if params.end_days < 0 or params.start_days < params.end_days:
        raise InvalidInput("The heads-up window must start before it ends (e.g. from 21 to 2 days before).",
                           field="window")
    if not 0 < params.share <= 1:
        raise InvalidInput("The share of each caller's day for heads-up calls must be between 0 and 1.",
                           field="capacity_share")
    if params.samples < 0:
        raise InvalidInput("The number of samples cannot be negative.", field="samples_count")
    return params


def _validate(session: Session, request: ChangeRequest, today: dt.date) -> None:
    if not request.title or not request.title.strip():
        raise InvalidInput("A change needs a title (e.g. 'Price increase on springs').", field="title")
    if request.effective_on < today:
        raise InvalidInput(f"The effective date {request.effective_on.isoformat()} is in the past.",
                           field="effective_on")
    if not request.product_ids and not request.added_customer_ids:
        raise InvalidInput("Pick at least one affected product (or add customers by hand).", field="products")
    found = set(session.scalars(select(Product.id).where(Product.id.in_(request.product_ids))))
    missing = [pid for pid in request.product_ids if pid not in found]
    if missing:
        raise InvalidInput(f"Unknown product id(s): {', '.join(map(str, missing))}.", field="products")


def product_ids_for_skus(session: Session, skus: Sequence[str]) -> tuple[int, ...]:
    """Product ids for SKUs, in order; an unknown SKU is a clear error naming it."""
    wanted = [sku.strip() for sku in skus if sku.strip()]
    if not wanted:
        raise InvalidInput("Name at least one product SKU.", field="products")
    found = dict(session.execute(select(Product.sku, Product.id).where(Product.sku.in_(wanted))).all())
    unknown = [sku for sku in wanted if sku not in found]
    if unknown:
        raise InvalidInput(f"Unknown SKU(s): {', '.join(unknown)}.", field="products")
    return tuple(dict.fromkeys(found[sku] for sku in wanted))


# --- capacity and placement -------------------------------------------------------------------

def _callers(session: Session) -> list[tuple[int, str, int]]:
    return [tuple(row) for row in session.execute(
        select(StaffMember.id, StaffMember.name, StaffMember.daily_quota)
        .where(StaffMember.active, StaffMember.daily_quota > 0).order_by(StaffMember.id))]


def _window(effective: dt.date, params: _Params, today: dt.date, calendar: BusinessCalendar) -> list[dt.date]:
    first = max(today, effective - dt.timedelta(days=params.start_days))
    last = min(effective - dt.timedelta(days=params.end_days), effective - dt.timedelta(days=1))
    return list(calendar.open_days(first, last))


def _capacity(session: Session, days: list[dt.date], callers, share: float,
              ignore_change_id: int | None) -> dict[dt.date, dict[int, int]]:
    """Per day, per caller: heads-up calls still allowed (their share minus heads-ups already planned)."""
    taken: dict[tuple[dt.date, int], int] = defaultdict(int)
    if days:
        query = (select(CallTask.due_on, CallTask.staff_id, func.count())
                 .where(CallTask.reason == Reason.CHANGE_HEADS_UP, CallTask.kind == TaskKind.CALL,
                        CallTask.status == TaskStatus.PENDING, CallTask.due_on >= days[0],
                        CallTask.due_on <= days[-1], CallTask.staff_id.is_not(None))
                 .group_by(CallTask.due_on, CallTask.staff_id))
        if ignore_change_id is not None:
            query = query.where(CallTask.change_id != ignore_change_id)
        for day, staff_id, count in session.execute(query):
            taken[(day, staff_id)] += count
    return {day: {sid: max(0, math.floor(quota * share + 1e-9) - taken[(day, sid)]) for sid, _n, quota in callers}
            for day in days}


def _place(customers: list[Exposure], capacity: dict[dt.date, dict[int, int]]) -> dict[int, tuple[dt.date, int]]:
    """Most exposed first, spread evenly over the days; a customer's own caller when free.

    Customers are taken strictly in order and days only move forward, so a more exposed
    customer is never called later than a less exposed one.
    """
    days = sorted(capacity)
    room = {day: dict(capacity[day]) for day in days}
    placed: dict[int, tuple[dt.date, int]] = {}
    queue = list(customers)
    day_totals = [sum(room[day].values()) for day in days]
    for index, day in enumerate(days):
        if not queue:
            break
        later = sum(day_totals[index + 1:])
        days_left = len(days) - index
        target = min(day_totals[index], max(math.ceil(len(queue) / days_left), len(queue) - later))
        for _ in range(target):
            exposure = queue.pop(0)
            slots = room[day]
            own = exposure.assigned_staff_id
            if own in slots and slots[own] > 0:
                staff_id = own
            else:
                staff_id = max(slots, key=lambda sid: (slots[sid], -sid))
            slots[staff_id] -= 1
            placed[exposure.customer_id] = (day, staff_id)
    return placed


def _total(capacity: dict[dt.date, dict[int, int]]) -> int:
    return sum(sum(per_staff.values()) for per_staff in capacity.values())


def _options(session, request, params, callers, today, calendar, needed, ignore_change_id) -> list[PlanOption]:
    options: list[PlanOption] = []
    days_available = (request.effective_on - today).days
    for start in range(params.start_days + 1, days_available + 1):
        trial = _Params(start, params.end_days, params.share, params.samples)
        days = _window(request.effective_on, trial, today, calendar)
        if _total(_capacity(session, days, callers, params.share, ignore_change_id)) >= needed:
            options.append(PlanOption(
                "extend_window", f"Start the heads-up calls {start} days before the date instead of "
                f"{params.start_days}.", window_start_days=start))
            break
    days = _window(request.effective_on, params, today, calendar)
    for percent in range(int(params.share * 100) + 5, 101, 5):
        if _total(_capacity(session, days, callers, percent / 100, ignore_change_id)) >= needed:
            options.append(PlanOption(
                "raise_capacity", f"Let heads-up calls use {percent}% of each caller's day instead of "
                f"{round(params.share * 100)}%.", capacity_share=percent / 100))
            break
    else:
        if days:
            short = needed - _total(_capacity(session, days, callers, 1.0, ignore_change_id))
            extra = math.ceil(max(short, 1) / len(days))
            options.append(PlanOption(
                "raise_capacity", f"Add {extra} more call{'s' if extra != 1 else ''} a day across the callers "
                f"(a higher quota or another caller).", capacity_share=1.0, extra_calls_per_day=extra))
    options.append(PlanOption("notes_for_missed", "Send a note or letter instead of a call to the least exposed "
                                                   "customers who cannot be reached in time."))
    return options


# --- the plan ---------------------------------------------------------------------------------

def _post_steps(kind: ChangeKind, effective: dt.date, title: str, samples: int, settings: Settings,
                calendar: BusinessCalendar, sample_product: str | None) -> list[tuple[str, dt.date, str]]:
    steps = []
    when = date_text(effective, "%d %b").lstrip("0")
    if kind in SAMPLE_KINDS and samples > 0:
        what = f" of {sample_product}" if sample_product else ""
        steps.append((STEP_SAMPLES, calendar.open_on_or_after(effective),
                      f"Send {samples} sample{'s' if samples != 1 else ''}{what} ({title})"))
    steps.append((STEP_CONCERNS, calendar.open_on_or_after(effective + dt.timedelta(days=settings.concerns_after_days)),
                  f"{title} took effect {when}: any concerns?"))
    months = settings.follow_up_months
    steps.append((STEP_FOLLOW_UP, calendar.open_on_or_after(effective + relativedelta(months=months)),
                  f"{months} month{'s' if months != 1 else ''} after {title}: how are things going?"))
    return steps


def _sample_product_name(session: Session, request: ChangeRequest) -> str | None:
    product_id = request.replacement_product_id or (request.product_ids[0] if request.product_ids else None)
    return session.scalar(select(Product.name).where(Product.id == product_id)) if product_id else None


def _build_plan(session: Session, request: ChangeRequest, today: dt.date, change_id: int | None) -> ChangePlan:
    settings = load_settings(session)
    params = _params(request, settings)
    calendar = BusinessCalendar.from_settings(settings)
    ranked = rank_exposure(session, request.product_ids, today, added_customer_ids=request.added_customer_ids,
                           excluded_customer_ids=request.excluded_customer_ids,
                           currency_symbol=settings.currency_symbol)
    callers = _callers(session)
    staff_names = {sid: name for sid, name, _q in callers}
    days = _window(request.effective_on, params, today, calendar)
    capacity = _capacity(session, days, callers, params.share, change_id)
    callable_customers = [e for e in ranked if not e.do_not_call]
    # Customers with no phone number on file hear of the change by a note, whatever the capacity.
    placed = _place([e for e in callable_customers if e.has_phone], capacity)
    missed = tuple(e.customer_id for e in callable_customers if e.has_phone and e.customer_id not in placed)

    steps: list[PlannedStep] = []
    for exposure in callable_customers:
        if exposure.customer_id in placed:
            day, staff_id = placed[exposure.customer_id]
            steps.append(PlannedStep(exposure.customer_id, STEP_HEADS_UP, day, staff_id, exposure.why))
        elif request.notes_for_missed or not exposure.has_phone:
            note_day = days[-1] if days else calendar.open_on_or_after(today)
            reason = "Send a note" if exposure.has_phone else "No phone on file — send a note"
            steps.append(PlannedStep(exposure.customer_id, STEP_NOTE, min(note_day, request.effective_on),
                                     exposure.assigned_staff_id, f"{reason}: {exposure.why}"))
    post = _post_steps(request.kind, request.effective_on, request.title.strip(), params.samples, settings, calendar,
                       _sample_product_name(session, request))
    # After the date, only customers who were told (a heads-up call or a note) are asked about
    # it, unless the owner chose everyone affected.
    told = {step.customer_id for step in steps}
    after_date: dict[str, int] = defaultdict(int)
    for exposure in callable_customers:
        if exposure.customer_id not in told and not settings.after_change_calls_to_everyone:
            continue
        staff_id = placed.get(exposure.customer_id, (None, exposure.assigned_staff_id))[1]
        for step, due, why in post:
            steps.append(PlannedStep(exposure.customer_id, step, due, staff_id, why))
            if exposure.has_phone and step in (STEP_CONCERNS, STEP_FOLLOW_UP):
                after_date[step] += 1

    capacity_total = _total(capacity)
    to_call = sum(1 for e in callable_customers if e.has_phone)
    when = f"{request.effective_on.day} {date_text(request.effective_on, '%b')}"
    if missed:
        options = tuple(_options(session, request, params, callers, today, calendar, to_call, change_id))
        verdict = (f"Capacity reaches {len(placed)} of {to_call} customers before {when}: "
                   f"{len(missed)} would be missed.")
    else:
        options = ()
        verdict = (f"Everyone can be called in time: {len(placed)} heads-up calls over {len(days)} business "
                   f"day{'s' if len(days) != 1 else ''}." if placed else "No customer needs a heads-up call.")
    no_phone = len(callable_customers) - to_call
    if no_phone:
        verdict += f" {no_phone} with no phone on file get{'s' if no_phone == 1 else ''} a note."
    for step, label in ((STEP_CONCERNS, "Any-concerns calls"), (STEP_FOLLOW_UP, "Follow-ups")):
        due = next((d for kind, d, _w in post if kind == step), None)
        if after_date[step] and due is not None:
            reason = STEP_REASON[step]
            last = window_last_day(reason, due, None, settings)
            fit = min(after_date[step], _room_between(session, calendar, callers, due, last))
            verdict += f" {label}: {fit} of {after_date[step]} fit between {_day(due)} and {_day(last)}."
    feasibility = Feasibility(not missed, to_call, capacity_total, missed, options, verdict)
    per_day: dict[dt.date, int] = defaultdict(int)
    for day, _staff in placed.values():
        per_day[day] += 1
    affected = tuple(AffectedCustomer(e, placed.get(e.customer_id, (None, None))[0],
                                      placed.get(e.customer_id, (None, None))[1],
                                      staff_names.get(placed.get(e.customer_id, (None, None))[1]))
                     for e in ranked)
    return ChangePlan(change_id, request.effective_on, days[0] if days else None, days[-1] if days else None,
                      affected, tuple(steps), feasibility, dict(per_day))


def _day(day: dt.date) -> str:
    return f"{day.day} {date_text(day, '%b')}"


def _room_between(session: Session, calendar: BusinessCalendar, callers, first: dt.date, last: dt.date) -> int:
    """Calls the team can still take from `first` to `last`: its capacity on the open days
    less what the stored plan already holds there."""
    capacity = sum(quota for _sid, _name, quota in callers)
    days = list(calendar.open_days(first, last))
    taken = session.scalar(select(func.count()).select_from(PlannedCall).where(
        PlannedCall.day >= first, PlannedCall.day <= last)) or 0
    return max(capacity * len(days) - taken, 0)


def preview_change(session: Session, request: ChangeRequest, today: dt.date) -> ChangePlan:
    """The plan as it would be, writing nothing (the announce dialog and --dry-run)."""
    _validate(session, request, today)
    return _build_plan(session, request, today, None)


def announce_change(session: Session, request: ChangeRequest, today: dt.date) -> ChangePlan:
    """Record the change and create its tasks, in the caller's transaction."""
    _validate(session, request, today)
    settings = load_settings(session)
    params = _params(request, settings)
    change = Change(kind=request.kind, title=request.title.strip(), talking_points=request.talking_points,
                    effective_on=request.effective_on, status=ChangeStatus.ACTIVE, announced_on=today,
                    window_start_days=params.start_days, window_end_days=params.end_days,
                    capacity_share=params.share, samples_count=params.samples,
                    replacement_product_id=request.replacement_product_id)
    session.add(change)
    session.flush()
    if request.product_ids:
        session.execute(insert(ChangeProduct), [{"change_id": change.id, "product_id": pid}
                                                for pid in request.product_ids])
    hand = [{"change_id": change.id, "customer_id": cid, "excluded": False} for cid in request.added_customer_ids]
    hand += [{"change_id": change.id, "customer_id": cid, "excluded": True} for cid in request.excluded_customer_ids]
    if hand:
        session.execute(insert(ChangeCustomer), hand)
    plan = _build_plan(session, request, today, change.id)
    _write_steps(session, change, plan.steps, params.samples)
    replan_customers(session, today, {step.customer_id for step in plan.steps})
    return ChangePlan(change.id, plan.effective_on, plan.window_first, plan.window_last, plan.affected, plan.steps,
                      plan.feasibility, plan.heads_up_per_day)


def _write_steps(session: Session, change: Change, steps: Sequence[PlannedStep], samples: int) -> None:
    deadline = BusinessCalendar.from_settings(load_settings(session)).open_on_or_before(
        change.effective_on - dt.timedelta(days=1))
    spend = spend_last_year(session, (step.customer_id for step in steps), change.announced_on)
    rows = []
    for step in steps:
        before_date = step.kind in (STEP_HEADS_UP, STEP_NOTE)
        rows.append({
            "customer_id": step.customer_id, "kind": STEP_TASK_KIND[step.kind], "reason": STEP_REASON[step.kind],
            "due_on": step.due, "due_time": None,
            "deadline": deadline if before_date and deadline >= step.due else None,
            "customer_value_cents": spend.get(step.customer_id, 0), "why": step.why[:300], "staff_id": step.staff_id, "change_id": change.id,
            "status": TaskStatus.PENDING, "attempts": 0,
            "samples_count": samples if step.kind == STEP_SAMPLES else None,
            "dedupe_key": f"change:{change.id}:{step.kind}:{step.customer_id}",
        })
    for start in range(0, len(rows), 5000):
        session.execute(insert(CallTask), rows[start:start + 5000])


def _request_for(session: Session, change: Change, effective_on: dt.date | None = None) -> ChangeRequest:
    hand = session.execute(select(ChangeCustomer.customer_id, ChangeCustomer.excluded)
                           .where(ChangeCustomer.change_id == change.id)).all()
    return ChangeRequest(
        kind=change.kind, title=change.title, effective_on=effective_on or change.effective_on,
        product_ids=tuple(session.scalars(select(ChangeProduct.product_id)
                                          .where(ChangeProduct.change_id == change.id)
                                          .order_by(ChangeProduct.product_id))),
        talking_points=change.talking_points, window_start_days=change.window_start_days,
        window_end_days=change.window_end_days, capacity_share=change.capacity_share,
        samples_count=change.samples_count, replacement_product_id=change.replacement_product_id,
        added_customer_ids=tuple(cid for cid, excluded in hand if not excluded),
        excluded_customer_ids=tuple(cid for cid, excluded in hand if excluded),
    )


def _active_change(session: Session, change_id: int) -> Change:
    change = session.get(Change, change_id)
    if change is None:
        raise InvalidInput(f"There is no change with id {change_id}.", field="change_id")
    if change.status is ChangeStatus.CANCELLED:
        raise InvalidInput(f"The change '{change.title}' was cancelled.", field="change_id")
    return change


def move_change(session: Session, change_id: int, new_date: dt.date, today: dt.date) -> ChangePlan:
    """A new effective date: pending steps move with it; done ones stay as history.

    Heads-up calls not yet tried are placed again in the new window (most exposed first);
    those already tried keep their retry but must still come before the new date.
    """
    change = _active_change(session, change_id)
    if new_date < today:
        raise InvalidInput(f"The new date {new_date.isoformat()} is in the past.", field="effective_on")
    request = _request_for(session, change, new_date)
    pending = CallTask.status == TaskStatus.PENDING
    untried_heads_up = set(session.scalars(select(CallTask.customer_id).where(
        CallTask.change_id == change.id, pending, CallTask.reason == Reason.CHANGE_HEADS_UP,
        CallTask.kind == TaskKind.CALL, CallTask.attempts == 0)))
    settled = set(session.scalars(select(CallTask.customer_id).where(
        CallTask.change_id == change.id, CallTask.reason == Reason.CHANGE_HEADS_UP,
        CallTask.status != TaskStatus.PENDING)))
    session.execute(delete(CallTask).where(CallTask.change_id == change.id, pending,
                                           CallTask.reason == Reason.CHANGE_HEADS_UP, CallTask.attempts == 0))
    session.execute(delete(CallTask).where(CallTask.change_id == change.id, pending,
                                           CallTask.reason != Reason.CHANGE_HEADS_UP))
    change.effective_on = new_date
    session.flush()
    plan = _build_plan(session, request, today, change.id)
    done_steps = set(session.execute(select(CallTask.dedupe_key).where(
        CallTask.change_id == change.id, CallTask.dedupe_key.is_not(None))).scalars())
    keep = [step for step in plan.steps
            if f"change:{change.id}:{step.kind}:{step.customer_id}" not in done_steps
            and not (step.kind in (STEP_HEADS_UP, STEP_NOTE) and step.customer_id in settled - untried_heads_up)]
    _write_steps(session, change, keep, change.samples_count)
    # Heads-up calls already tried: keep their retry day, but never on or after the new date.
    calendar = BusinessCalendar.from_settings(load_settings(session))
    deadline = calendar.open_on_or_before(new_date - dt.timedelta(days=1))
    for task in session.scalars(select(CallTask).where(CallTask.change_id == change.id, pending,
                                                       CallTask.reason == Reason.CHANGE_HEADS_UP,
                                                       CallTask.attempts > 0)):
        task.deadline = deadline if deadline >= today else None
        if task.due_on > deadline >= today:
            task.due_on = deadline
    session.flush()
    replan_customers(session, today, _change_customers(session, change.id))
    return plan


def cancel_change(session: Session, change_id: int, now: dt.datetime) -> int:
    """Cancel a change and every pending step; returns how many steps were cancelled."""
    change = _active_change(session, change_id)
    change.status = ChangeStatus.CANCELLED
    result = session.execute(update(CallTask).where(CallTask.change_id == change.id,
                                                    CallTask.status == TaskStatus.PENDING)
                             .values(status=TaskStatus.CANCELLED, completed_at=now))
    replan_customers(session, now.date(), _change_customers(session, change.id))
    return result.rowcount or 0


def _change_customers(session: Session, change_id: int) -> set[int]:
    return set(session.scalars(select(CallTask.customer_id).where(CallTask.change_id == change_id).distinct()))


# --- results ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CampaignResults:
    change_id: int
    title: str
    effective_on: dt.date
    affected: int
    reached_before: int
    kept: int
    reduced: int
    stopped: int
    measured_days: int  # how many days after the date the buying comparison covers (0: not yet)


def campaign_results(session: Session, change_id: int, today: dt.date) -> CampaignResults:
    """Reached in time, and how buying of the affected products moved afterwards.

    The yearly pace of buying since the date is compared with the 12 months before it: kept
    (80% or more), reduced (less), stopped (nothing since). Only customers who bought before count.
    """
    change = session.get(Change, change_id)
    if change is None:
        raise InvalidInput(f"There is no change with id {change_id}.", field="change_id")
    customers = set(session.scalars(select(CallTask.customer_id).where(
        CallTask.change_id == change.id, CallTask.reason == Reason.CHANGE_HEADS_UP)))
    reached = session.scalar(
        select(func.count(func.distinct(CallLog.customer_id))).join(CallTask, CallTask.id == CallLog.task_id)
        .where(CallTask.change_id == change.id, CallTask.reason == Reason.CHANGE_HEADS_UP,
               CallLog.outcome == Outcome.REACHED,
               CallLog.logged_at < dt.datetime.combine(change.effective_on, dt.time.min))) or 0
    measured = max(0, min((today - change.effective_on).days, 365))
    kept = reduced = stopped = 0
    if measured and customers:
        product_ids = [p.id for p in change.products]
        year_before = change.effective_on - dt.timedelta(days=365)
        after_end = change.effective_on + dt.timedelta(days=measured)
        amounts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        rows = session.execute(select(Purchase.customer_id, Purchase.purchased_on, Purchase.amount_cents).where(
            Purchase.product_id.in_(product_ids), Purchase.purchased_on >= year_before,
            Purchase.purchased_on < after_end))
        for customer_id, day, amount in rows:
            if customer_id in customers:
                amounts[customer_id][0 if day < change.effective_on else 1] += amount
        for before, after in amounts.values():
            if before <= 0:
                continue
            yearly_pace_after = after * 365 / measured
            if after == 0:
                stopped += 1
            elif yearly_pace_after >= 0.8 * before:
                kept += 1
            else:
                reduced += 1
    return CampaignResults(change.id, change.title, change.effective_on, len(customers), reached, kept, reduced,
                           stopped, measured)
