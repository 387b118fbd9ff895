"""A week built by hand for the weekly review's tests (core and window): Monday 23 to Sunday
29 November 2026, with Thanksgiving (Thursday 26) closed. Ann calls a lot, Ben a little, Cleo
not at all, Zed retired but made one call; notes, quotes and a price increase around them."""

import datetime as dt
from types import SimpleNamespace

from core.storage.enums import ChangeKind, Outcome, QuoteStatus, Reason, TaskStatus, ThankYouResponse
from core.storage.models import (
    CallLog,
    CallTask,
    Change,
    ChangeProduct,
    Customer,
    Product,
    Purchase,
    Quote,
    StaffMember,
    ThankYouNote,
)
from core.settings import save_settings

MONDAY = dt.date(2026, 11, 23)
THANKSGIVING = dt.date(2026, 11, 26)
TODAY = dt.date(2026, 11, 30)  # the Monday after: the team sits down to review last week


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def at(n: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day(n), dt.time(hour))


def build_week(db):
    """The hand-built week; returns the ids a test refers to."""
    with db.transaction() as session:
        save_settings(session, holiday_country="US")
        ann, ben, cleo = (StaffMember(name="Ann", daily_quota=3), StaffMember(name="Ben", daily_quota=2),
                          StaffMember(name="Cleo", daily_quota=4))
        retired = StaffMember(name="Zed", daily_quota=5, active=False)
        session.add_all([ann, ben, cleo, retired])
        customers = [Customer(name=f"Customer {n}", phone="+15035550100") for n in range(6)]
        session.add_all(customers)
        session.flush()
        c = [customer.id for customer in customers]

        def log(staff, customer, when, outcome=Outcome.REACHED, tags=None, notes=None):
            session.add(CallLog(customer_id=customer, staff_id=staff.id if staff else None, logged_at=when,
                                outcome=outcome, result_tags=tags, notes=notes))

        # Ann: Monday 3 calls, Tuesday 1, Friday 2, Saturday 1 (a weekend call still counts).
        log(ann, c[0], at(0, 9), tags="order_placed")
        log(ann, c[1], at(0, 10), Outcome.VOICEMAIL)
        log(ann, c[2], at(0, 11), tags="quote_requested,referral")
        log(ann, c[3], at(1), Outcome.NO_ANSWER)
        log(ann, c[4], at(4, 9), tags="complaint")
        log(ann, c[5], at(4, 15))
        log(ann, c[0], at(5))
        # Ben: Wednesday 2; one the Sunday before and one the Monday after are other weeks.
        log(ben, c[1], at(2, 9), tags="order_placed")
        log(ben, c[2], at(2, 16), Outcome.WRONG_NUMBER)
        log(ben, c[3], dt.datetime(2026, 11, 22, 23, 59))
        log(ben, c[3], dt.datetime(2026, 11, 30, 0, 0))
        log(None, c[4], at(2))  # logged by nobody: no caller's figure
        # Zed retired but made one call that week: he is reviewed, with no quota.
        log(retired, c[5], at(1))

        # Thank-you notes: Ann wrote two this week (one answered this week) and got an answer to
        # last week's; Ben wrote one answered only next week.
        session.add_all([
            ThankYouNote(staff_id=ann.id, sent_on=day(0), recipient="Customer 0", customer_id=c[0],
                         response=ThankYouResponse.CALLED_BACK, response_on=day(4)),
            ThankYouNote(staff_id=ann.id, sent_on=day(1), recipient="Pat at the spring supplier"),
            ThankYouNote(staff_id=ann.id, sent_on=day(-5), recipient="Customer 2", customer_id=c[2],
                         response=ThankYouResponse.ORDERED_MORE, response_on=day(2)),
            ThankYouNote(staff_id=ben.id, sent_on=day(2), recipient="Customer 1", customer_id=c[1],
                         response=ThankYouResponse.ASKED_FOR_QUOTE, response_on=day(8)),
        ])

        # Quotes: Ann's first was sent and won this very week; her second, sent in October, lost
        # this week. Ben won one the week before. One with no caller lost this week.
        def quote(staff, sent, status, decided):
            session.add(Quote(customer_id=c[0], staff_id=staff.id if staff else None, amount_cents=100_000,
                              sent_on=sent, status=status, decided_on=decided))

        quote(ann, day(0), QuoteStatus.WON, day(3))
        quote(ann, dt.date(2026, 10, 5), QuoteStatus.LOST, day(1))
        quote(ann, day(1), QuoteStatus.OPEN, None)
        quote(ben, dt.date(2026, 11, 10), QuoteStatus.WON, dt.date(2026, 11, 18))
        quote(ben, dt.date(2026, 9, 1), QuoteStatus.LOST, dt.date(2026, 10, 7))
        quote(None, dt.date(2026, 11, 2), QuoteStatus.LOST, day(2))

        # A price increase on 20 Nov: customers 0 and 1 were to get a heads-up; Ann reached
        # customer 0 in time. Customer 0 kept buying, customer 1 stopped, customer 2 bought less.
        product = Product(sku="SPRING", name="Torsion spring")
        session.add(product)
        session.flush()
        change = Change(kind=ChangeKind.PRICE_INCREASE, title="Springs up 8%", effective_on=dt.date(2026, 11, 20),
                        announced_on=dt.date(2026, 10, 20))
        session.add(change)
        session.flush()
        session.add(ChangeProduct(change_id=change.id, product_id=product.id))
        tasks = [CallTask(customer_id=customer, reason=Reason.CHANGE_HEADS_UP, due_on=dt.date(2026, 11, 10),
                          change_id=change.id, staff_id=ann.id, status=TaskStatus.DONE) for customer in c[:3]]
        session.add_all(tasks)
        session.flush()
        session.add(CallLog(task_id=tasks[0].id, customer_id=c[0], staff_id=ann.id,
                            logged_at=dt.datetime(2026, 11, 10, 9), outcome=Outcome.REACHED))
        for customer, before, after in ((c[0], 10_000, 1_000), (c[1], 10_000, 0), (c[2], 100_000, 100)):
            session.add(Purchase(customer_id=customer, product_id=product.id, purchased_on=dt.date(2026, 6, 1),
                                 amount_cents=before))
            if after:
                session.add(Purchase(customer_id=customer, product_id=product.id,
                                     purchased_on=dt.date(2026, 11, 25), amount_cents=after))
        ids = SimpleNamespace(ann=ann.id, ben=ben.id, cleo=cleo.id, zed=retired.id, change=change.id, customers=c)
    ids.db = db
    return ids
