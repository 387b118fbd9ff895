"""Call scripts: the shipped defaults, the owner's edits, and a script filled in for one customer.

A default script for every Reason ships in resources/scripts/ (the file its declaration in
core.scheduling.reasons names: first line the title, then a blank line, then the body) and is copied
into the `scripts` table when missing, where the owner may edit it. Rendering fills the merge
fields (see core.scripts.template for the syntax) from the customer, the change or quote the
call is about, the business and the caller.
Every script ends with the same courtesy questions, as a checklist, and a reminder to thank
the customer sincerely — never with a request for an order: these are listening calls, so
the window shows "Listen — you're not selling anything" beside every script, as the printed
sheet does. Information stays (a new price, its date, "orders before the date keep today's
price").

The first courtesy question fits the customer: a business is asked "How's business going?",
a household "How have you been?". A customer is a household when their tags say so
(residential, household, homeowner, home, private); a business when their tags say so
(commercial, business, trade, contractor, wholesale) or, with no such tag, when a company is
on file.

On the "10 free minutes" list the call opens with the line that mode is named after ("I just
got ten free minutes, so I thought I'd call to see how everything is going with ..."), in
place of the script's own greeting.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.customers.queries import changes_affecting
from core.dates import date_text
from core.storage.enums import QuoteStatus, Reason, TaskStatus
from core.errors import CallAheadError, InvalidInput
from core.labels import format_money
from core.habits.news import news_for_call, news_paragraph
from core.scheduling.reasons import declaration
from core.storage.models import (CallTask, Change, ChangeProduct, Customer, Product, Purchase, Quote, RewardCard, Script,
                         StaffMember)
from core.resources import resource_path
from core.scripts.template import TemplateProblem, check_template, render_template
from core.settings import load_settings

SCRIPTS_FOLDER = "scripts"


@dataclass(frozen=True)
class MergeField:
    name: str
    description: str
    fallback: str  # what reads in place of an empty value ("" → nothing)
    sample: str  # shown in the editor's preview when there is no customer to preview with


SAMPLES_OFFER_TWO = "two — one to try yourself, and one to pass on to someone who might like it"

MERGE_FIELDS: dict[str, MergeField] = {f.name: f for f in [
    MergeField("first_name", "the customer's first name", "there", "Maria"),
    MergeField("last_name", "the customer's last name", "", "Lopez"),
    MergeField("customer_name", "the name the customer is listed under", "there", "Maria Lopez"),
    MergeField("company", "the customer's company", "your business", "Pine Street Builders"),
    MergeField("address", "the customer's street address and town", "", "1200 Oak Ave, Portland"),
    MergeField("product", "the product the call is about (or their last purchase)", "your order", "Oak Door Kit"),
    MergeField("last_purchase", "the date of their last purchase", "", "12 October"),
    MergeField("change_title", "the announced change", "the upcoming change", "Price increase on oak doors"),
    MergeField("change_date", "the day the change takes effect", "", "Monday 21 December"),
    MergeField("talking_points", "the change's talking points, one per line", "",
               "• Orders placed before the date keep today's price."),
    MergeField("replacement_product", "the product replacing a discontinued one", "the replacement",
               "Steel Carriage Door 9x7"),
    MergeField("samples_count", "how many samples are sent", "a couple of", "2"),
    MergeField("samples_offer", "the samples sent and why: one to try, one to pass on", SAMPLES_OFFER_TWO,
               SAMPLES_OFFER_TWO),
    MergeField("care_tip", "how to look after the product (a product's care tip)", "",
               "A spray of lubricant on the tracks twice a year keeps it quiet."),
    MergeField("quote_description", "what the open quote is for", "the work we discussed", "New insulated door"),
    MergeField("quote_amount", "the open quote's amount", "", "$1,850"),
    MergeField("quote_sent", "the day the quote was sent", "", "17 November"),
    MergeField("reward_stamps", "stamps on the rewards card", "", "9"),
    MergeField("stamps_needed", "stamps a reward needs", "", "10"),
    MergeField("stamps_to_go", "stamps still missing for a reward", "one stamp", "1 stamp"),
    MergeField("business_name", "your business's name", "us", "Harbor Door & Supply"),
    MergeField("caller_name", "the name of the person calling", "", "Dave"),
]}

FALLBACKS: dict[str, str] = {name: f.fallback for name, f in MERGE_FIELDS.items()}
SAMPLE_VALUES: dict[str, str] = {name: f.sample for name, f in MERGE_FIELDS.items()}

COURTESY_QUESTIONS = (
    "How's business going?",
    "How are things going with {product|what you got from us}?",
    "Do you have any questions about using it?",
    "Is there anything else we can do to help?",
)
HOUSEHOLD_QUESTION = "How have you been?"  # in place of "How's business going?" for a household
CLOSING_REMINDER = "Before you hang up, thank them sincerely for their business — and mean it."
LISTEN_REMINDER = "Listen — you're not selling anything."
FREE_MINUTES_OPENING = ("Hi {first_name}, [[it's {caller_name} ]]from {business_name}. I just got ten free minutes, "
                        "so I thought I'd call to see how everything is going with {product|what you got from us}.")
HOUSEHOLD_TAGS = frozenset({"residential", "household", "homeowner", "home", "private"})
BUSINESS_TAGS = frozenset({"commercial", "business", "trade", "contractor", "wholesale"})
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

# Shipped script bodies replaced since (sha256, first 16 hex digits). A stored script still
# word for word one of these was never edited by the owner, so it takes the new shipped text;
# an edited one is the owner's and is left alone.
RETIRED_DEFAULTS: dict[Reason, frozenset[str]] = {
    Reason.CHANGE_HEADS_UP: frozenset({"b70586b60b29271f"}),
    Reason.CHANGE_SAMPLES: frozenset({"5bc9de62c176379b"}),
    Reason.CHANGE_CONCERNS: frozenset({"c56942c6c41cfc78"}),
    Reason.POST_PURCHASE: frozenset({"cd5e792c5b2da8dc"}),
    Reason.NEGLECTED: frozenset({"6999c810b9c1046f"}),
    Reason.QUOTE: frozenset({"eb9284d3c17d10fa"}),
    Reason.REWARDS: frozenset({"0354d869b3895441"}),
    Reason.KEEP_IN_TOUCH: frozenset({"b5ff925018a21210"}),
}


@dataclass(frozen=True)
class ScriptText:
    reason: Reason
    title: str
    body: str

    def __post_init__(self) -> None:
        # A reason arrives as its stored text from some front ends (a Qt item's data, a form):
        # held as the enum, so every use (`.value`, comparisons, lookups) means the same.
        object.__setattr__(self, "reason", Reason(self.reason))


@dataclass(frozen=True)
class RenderedScript:
    reason: Reason
    title: str
    body: str
    checklist: list[str]
    closing: str
    fields_without_value: list[str]  # for the editor: what this customer lacks
    listen_reminder: str = field(default=LISTEN_REMINDER)


@dataclass(frozen=True)
class ScriptChoice:
    """Which script fits a customer now, and what it is about."""

    reason: Reason
    change_id: int | None = None
    task_id: int | None = None


# --- the shipped defaults ----------------------------------------------------------------

def default_script(reason: Reason) -> ScriptText:
    path = resource_path(SCRIPTS_FOLDER, declaration(reason).script_file)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CallAheadError(f"The default script for '{reason.value}' is missing from {path.parent} ({exc}). "
                             "Reinstall CallAhead.") from exc
    title, _, body = text.partition("\n")
    return ScriptText(reason=reason, title=title.strip(), body=body.strip("\n"))


def _fingerprint(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def ensure_default_scripts(session: Session) -> list[Reason]:
    """Copy the shipped script of every reason that has none in the database, and bring unedited
    copies of a retired shipped script up to date; return the reasons added or updated."""
    present = {row.reason: row for row in session.scalars(select(Script))}
    added = []
    for reason in Reason:
        row = present.get(reason)
        if row is None:
            default = default_script(reason)
            session.add(Script(reason=reason, title=default.title, body=default.body))
            added.append(reason)
        elif _fingerprint(row.body) in RETIRED_DEFAULTS.get(reason, ()):
            row.body = default_script(reason).body
            added.append(reason)
    session.flush()
    return added


def load_script(session: Session, reason: Reason) -> ScriptText:
    row = session.scalar(select(Script).where(Script.reason == reason))
    if row is None:
        return default_script(reason)
    return ScriptText(reason=reason, title=row.title, body=row.body)


def script_problems(body: str) -> list[TemplateProblem]:
    return check_template(body, FALLBACKS)


def save_script(session: Session, reason: Reason, title: str, body: str) -> ScriptText:
    """Store the owner's version; InvalidInput (naming title or body) if it has a mistake."""
    title = " ".join((title or "").split())
    if not title:
        raise InvalidInput("Give the script a title.", field="title")
    if not (body or "").strip():
        raise InvalidInput("The script is empty: write what to say, or reset it to the shipped one.", field="body")
    errors = [p for p in script_problems(body) if p.is_error]
    if errors:
        line = body.count("\n", 0, errors[0].position) + 1
        raise InvalidInput(f"Line {line}: {errors[0].message}", field="body")
    row = session.scalar(select(Script).where(Script.reason == reason))
    if row is None:
        session.add(Script(reason=reason, title=title, body=body))
    else:
        row.title, row.body = title, body
    session.flush()
    return ScriptText(reason=reason, title=title, body=body)


def reset_script(session: Session, reason: Reason) -> ScriptText:
    default = default_script(reason)
    return save_script(session, reason, default.title, default.body)


# --- filling the merge fields --------------------------------------------------------------

def _long_date(day: dt.date, today: dt.date) -> str:
    text = f"{date_text(day, '%A')} {day.day} {date_text(day, '%B')}"
    return text if day.year == today.year or day > today else f"{text} {day.year}"


def _short_date(day: dt.date, today: dt.date) -> str:
    return f"{day.day} {date_text(day, '%B')}" if day.year == today.year else f"{day.day} {date_text(day, '%B %Y')}"


def _talking_points(text: str | None) -> str | None:
    lines = [line.strip().lstrip("•-* ").strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    return "\n".join(f"• {line}" for line in lines) or None


def _product_for_change(session: Session, customer_id: int, change: Change) -> str | None:
    """The change's product this customer spent most on; else the change's first product."""
    row = session.execute(
        select(Product.name)
        .join(Purchase, Purchase.product_id == Product.id)
        .join(ChangeProduct, ChangeProduct.product_id == Product.id)
        .where(ChangeProduct.change_id == change.id, Purchase.customer_id == customer_id)
        .group_by(Product.id, Product.name)
        .order_by(func.sum(Purchase.amount_cents).desc(), Product.name)
        .limit(1)).first()
    if row:
        return row[0]
    return change.products[0].name if change.products else None


def is_household(customer: Customer) -> bool:
    """A household rather than a business (see the module's docstring for how it is decided)."""
    tags = {tag.strip().lower() for tag in (customer.tags or "").split(",")}
    if tags & HOUSEHOLD_TAGS:
        return True
    if tags & BUSINESS_TAGS:
        return False
    return not (customer.company or "").strip()


def samples_offer(count: int | None) -> str:
    """What the samples are for, read after "we're sending you": two — one to try, one to pass on."""
    if count is None or count == 2:
        return SAMPLES_OFFER_TWO
    if count == 1:
        return "one to try yourself"
    words = _NUMBER_WORDS[count] if 0 <= count < len(_NUMBER_WORDS) else str(count)
    return f"{words} — some to try yourself, and one to pass on to someone who might like it"


def _care_tip(session: Session, product: str | None) -> str | None:
    if not product:
        return None
    tip = session.scalar(select(Product.care_tip).where(Product.name == product, Product.care_tip.is_not(None))
                         .order_by(Product.id).limit(1))
    return " ".join(tip.split()) if tip and tip.strip() else None


def script_values(session: Session, customer_id: int, reason: Reason, today: dt.date, *,
                  change_id: int | None = None, task_id: int | None = None,
                  caller_name: str | None = None) -> dict[str, str | None]:
    """Every merge field's value for this customer and call (None where there is none)."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise CallAheadError(f"Customer #{customer_id} no longer exists (deleted?).")
    settings = load_settings(session)
    task = session.get(CallTask, task_id) if task_id else None
    if task is not None:
        change_id = change_id or task.change_id
    change = session.get(Change, change_id) if change_id else None

    latest = session.execute(
        select(Purchase.purchased_on, Product.name).join(Product, Product.id == Purchase.product_id)
        .where(Purchase.customer_id == customer_id).order_by(Purchase.purchased_on.desc(), Purchase.id.desc())
        .limit(1)).first()
    product = None
    if task is not None and task.purchase_id:
        purchase = session.get(Purchase, task.purchase_id)
        product = purchase.product.name if purchase else None
    if product is None and change is not None:
        product = _product_for_change(session, customer_id, change)
    if product is None and latest:
        product = latest[1]
    last_purchase_day = latest[0] if latest else customer.imported_last_purchase

    quote = None
    if task is not None and task.quote_id:
        quote = session.get(Quote, task.quote_id)
    if quote is None:
        quote = session.scalar(select(Quote).where(Quote.customer_id == customer_id, Quote.status == QuoteStatus.OPEN)
                               .order_by(Quote.sent_on.desc()).limit(1))
    card = session.scalar(select(RewardCard).where(RewardCard.customer_id == customer_id))
    to_go = card.stamps_needed - card.stamps if card else None
    town = ", ".join(p for p in (customer.address, customer.city) if p)
    samples = (task.samples_count if task and task.samples_count else change.samples_count) if change else None

    return {
        "first_name": customer.first_name or (None if customer.company == customer.name else customer.name),
        "last_name": customer.last_name,
        "customer_name": customer.name,
        "company": customer.company,
        "address": town or None,
        "product": product,
        "last_purchase": _short_date(last_purchase_day, today) if last_purchase_day else None,
        "change_title": change.title if change else None,
        "change_date": _long_date(change.effective_on, today) if change else None,
        "talking_points": _talking_points(change.talking_points) if change else None,
        "replacement_product": change.replacement_product.name if change and change.replacement_product else None,
        "samples_count": str(samples) if change else None,
        "samples_offer": samples_offer(samples) if change else None,
        "care_tip": _care_tip(session, product),
        "quote_description": quote.description if quote else None,
        "quote_amount": format_money(quote.amount_cents, settings.currency_symbol) if quote else None,
        "quote_sent": _short_date(quote.sent_on, today) if quote else None,
        "reward_stamps": str(card.stamps) if card else None,
        "stamps_needed": str(card.stamps_needed) if card else None,
        "stamps_to_go": (f"{to_go} stamp" if to_go == 1 else f"{to_go} stamps") if card and to_go else None,
        "business_name": settings.business_name,
        "caller_name": (caller_name or "").strip() or None,
    }


def courtesy_questions(household: bool) -> tuple[str, ...]:
    return (HOUSEHOLD_QUESTION, *COURTESY_QUESTIONS[1:]) if household else COURTESY_QUESTIONS


def free_minutes_body(body: str) -> str:
    """The script opened by the "ten free minutes" line: it takes the place of the script's own
    greeting (a first paragraph starting "Hi"), or comes before a script that has none."""
    first, separator, rest = body.partition("\n\n")
    if first.lstrip().lower().startswith(("hi ", "hi,", "hello")):
        return FREE_MINUTES_OPENING + (separator + rest if rest.strip() else "")
    return FREE_MINUTES_OPENING + "\n\n" + body


def render_with_values(script: ScriptText, values: dict[str, str | None], *, household: bool = False,
                       free_minutes: bool = False) -> RenderedScript:
    body = free_minutes_body(script.body) if free_minutes else script.body
    return RenderedScript(
        reason=script.reason,
        title=script.title,
        body=render_template(body, values, FALLBACKS),
        checklist=[render_template(question, values, FALLBACKS) for question in courtesy_questions(household)],
        closing=CLOSING_REMINDER,
        fields_without_value=sorted(name for name, value in values.items() if not value),
    )


def render_call_script(session: Session, customer_id: int, reason: Reason, today: dt.date, *,
                       change_id: int | None = None, task_id: int | None = None, caller_name: str | None = None,
                       script: ScriptText | None = None, free_minutes: bool = False) -> RenderedScript:
    """The script for this call, filled in. `script` previews unsaved text in place of the stored one;
    `free_minutes` opens it with the "ten free minutes" line."""
    # Held while the values are read: the session's identity map keeps only what is referenced,
    # and the customer read for the values would otherwise be read again for the household.
    customer = session.get(Customer, customer_id)
    values = script_values(session, customer_id, reason, today, change_id=change_id, task_id=task_id,
                           caller_name=caller_name)
    household = is_household(customer)
    rendered = render_with_values(script or load_script(session, reason), values, household=household,
                                  free_minutes=free_minutes)
    # What's on (core.habits.news): once per call, as a talking point after the reason's own text.
    news = news_paragraph(news_for_call(session, customer_id, reason, today))
    return dataclasses.replace(rendered, body=f"{rendered.body}\n\n{news}") if news else rendered


def planned_call_script(session: Session, task_id: int, today: dt.date) -> RenderedScript:
    """A planned call's script as the window shows it today, with its caller's name (what `script` prints).

    Raises InvalidInput (field 'task_id') when there is no such call."""
    task = session.get(CallTask, task_id)
    if task is None:
        raise InvalidInput(f"There is no call with id {task_id} (see `agenda --json`).", field="task_id")
    caller = session.scalar(select(StaffMember.name).where(StaffMember.id == task.staff_id)) if task.staff_id else None
    return render_call_script(session, task.customer_id, task.reason, today, change_id=task.change_id,
                              task_id=task.id, caller_name=caller)


def render_sample_script(script: ScriptText) -> RenderedScript:
    """The script filled with made-up values, for previewing when there are no customers."""
    return render_with_values(script, dict(SAMPLE_VALUES))


# --- which script fits a customer ------------------------------------------------------------

def suggest_script(session: Session, customer_id: int, today: dt.date) -> ScriptChoice:
    """The call this customer most likely needs now: their earliest pending task; else a change
    that affects them; else an open quote; a nearly full reward card; a recent purchase; a long
    silence; otherwise simply keeping in touch."""
    settings = load_settings(session)
    task = session.scalar(
        select(CallTask).where(CallTask.customer_id == customer_id, CallTask.status == TaskStatus.PENDING)
        .order_by(CallTask.due_on, CallTask.customer_value_cents.desc(), CallTask.id).limit(1))
    if task is not None:
        return ScriptChoice(task.reason, task.change_id, task.id)
    affecting = changes_affecting(session, customer_id, today)
    change = affecting[0] if affecting else None
    if change is not None:
        if change.effective_on > today:
            return ScriptChoice(Reason.CHANGE_HEADS_UP, change.id)
        days_after = (today - change.effective_on).days
        reason = Reason.CHANGE_CONCERNS if days_after <= settings.concerns_after_days * 3 else Reason.CHANGE_FOLLOW_UP
        return ScriptChoice(reason, change.id)
    if session.scalar(select(Quote.id).where(Quote.customer_id == customer_id, Quote.status == QuoteStatus.OPEN)
                      .limit(1)):
        return ScriptChoice(Reason.QUOTE)
    card = session.scalar(select(RewardCard).where(RewardCard.customer_id == customer_id))
    if card is not None and card.stamps_needed - card.stamps == 1:
        return ScriptChoice(Reason.REWARDS)
    last = session.scalar(select(func.max(Purchase.purchased_on)).where(Purchase.customer_id == customer_id))
    if last is not None and (today - last).days <= settings.post_purchase_days * 2:
        return ScriptChoice(Reason.POST_PURCHASE)
    if last is not None and (today - last).days >= settings.neglected_months * 30:
        return ScriptChoice(Reason.NEGLECTED)
    return ScriptChoice(Reason.KEEP_IN_TOUCH)


def preview_customer_id(session: Session) -> int | None:
    """A customer who shows most merge fields filled: one with a company and purchases."""
    with_company = session.scalar(
        select(Customer.id).where(Customer.company.is_not(None), Customer.first_name.is_not(None),
                                  select(Purchase.id).where(Purchase.customer_id == Customer.id).exists())
        .order_by(Customer.id).limit(1))
    return with_company or session.scalar(select(Customer.id).order_by(Customer.id).limit(1))
