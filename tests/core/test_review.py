"""The weekly review against a week built by hand: Monday 23 to Sunday 29 November 2026, with
Thanksgiving (Thursday 26) closed. Ann calls a lot, Ben a little, Cleo not at all."""

import datetime as dt
import json
from types import SimpleNamespace

import pytest

import main
from core.enums import ChangeKind, Outcome, QuoteStatus, Reason, TaskStatus, ThankYouResponse
from core.errors import InvalidInput
from core.models import (
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
from core.review import ReviewFigure, review_html, review_lines, save_reflection, week_of, weekly_review
from core.settings import save_settings

MONDAY = dt.date(2026, 11, 23)
THANKSGIVING = dt.date(2026, 11, 26)
TODAY = dt.date(2026, 11, 30)  # the Monday after: the team sits down to review last week


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def at(n: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day(n), dt.time(hour))


@pytest.fixture
def week(db):
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


def review_of(week, day_in_week=THANKSGIVING):
    with week.db.session() as session:
        review = weekly_review(session, day_in_week, TODAY)
    return review, {caller.name: caller for caller in review.callers}


def test_the_week_runs_monday_to_sunday_whichever_day_is_given():
    assert week_of(dt.date(2026, 11, 29)) == (MONDAY, dt.date(2026, 11, 29))
    assert week_of(MONDAY) == (MONDAY, dt.date(2026, 11, 29))


def test_each_day_counts_calls_and_reached_against_the_quota_and_the_holiday_has_none(week):
    review, callers = review_of(week)
    ann = callers["Ann"]
    assert [(d.calls, d.reached) for d in ann.days] == [(3, 2), (1, 0), (0, 0), (0, 0), (2, 2), (1, 1), (0, 0)]
    assert [d.quota for d in ann.days] == [3, 3, 3, 0, 3, 0, 0]
    assert ann.days[3].closed == "Thanksgiving Day"
    assert ann.days[5].closed == "Closed on Saturdays"
    assert ann.week_goal == 12 and ann.days_at_quota == 1
    assert [d.date for d in ann.days] == [day(n) for n in range(7)]


def test_calls_count_every_call_the_caller_logged_that_week_and_what_they_led_to(week):
    review, callers = review_of(week)
    ann, ben = callers["Ann"], callers["Ben"]
    assert (ann.calls, ann.reached, ann.orders, ann.quotes_requested, ann.referrals, ann.complaints) == (7, 5, 1, 1, 1, 1)
    assert ann.reached_rate == pytest.approx(5 / 7)
    assert (ben.calls, ben.reached, ben.orders) == (2, 1, 1), "the Sunday before and the Monday after are not this week"


def test_a_caller_with_no_calls_is_reviewed_with_their_quota_and_zeros(week):
    review, callers = review_of(week)
    cleo = callers["Cleo"]
    assert cleo.quota == 4 and cleo.week_goal == 16
    assert cleo.calls == cleo.reached == cleo.orders == cleo.thank_you_notes == 0
    assert cleo.reached_rate is None and cleo.quote_hit_ratio is None
    assert [c.name for c in review.callers] == ["Ann", "Ben", "Cleo", "Zed"]
    assert callers["Zed"].calls == 1 and callers["Zed"].quota == 0, "a retired caller who called is listed, no quota"


def test_thank_you_notes_written_that_week_and_responses_received_that_week(week):
    _review, callers = review_of(week)
    assert (callers["Ann"].thank_you_notes, callers["Ann"].responses) == (2, 2)
    assert (callers["Ben"].thank_you_notes, callers["Ben"].responses) == (1, 0), "his answer came the week after"


def test_quote_hit_ratio_counts_quotes_decided_that_week_per_caller_and_overall(week):
    review, callers = review_of(week)
    ann, ben = callers["Ann"], callers["Ben"]
    assert (ann.quotes_won, ann.quotes_decided, ann.quote_hit_ratio) == (1, 2, 0.5), "sent and won the same week counts"
    assert ben.quote_hit_ratio is None, "Ben decided none this week"
    assert (review.hit_trend[-1].won, review.hit_trend[-1].decided) == (1, 3), "everyone's, a quote with no caller too"
    assert len(ben.hit_trend) == 8 and [w.week_start for w in ben.hit_trend][-1] == MONDAY
    assert ben.hit_trend[0].week_start == dt.date(2026, 10, 5), "eight weeks, this one last"
    assert [w.ratio for w in ben.hit_trend] == [0.0, None, None, None, None, None, 1.0, None]


def test_each_announced_change_shows_told_in_time_kept_bought_less_and_stopped(week):
    review, _callers = review_of(week)
    (change,) = review.changes
    assert (change.change_id, change.title, change.affected) == (week.change, "Springs up 8%", 3)
    assert (change.told_in_time, change.kept, change.reduced, change.lost) == (1, 1, 1, 1)


def test_every_figure_opens_to_the_calls_it_counts(week):
    with week.db.session() as session:
        orders = review_lines(session, MONDAY, ReviewFigure.ORDERS)
        anns_monday = review_lines(session, MONDAY, "calls", staff_id=week.ann, day=MONDAY)
        reached = review_lines(session, MONDAY, ReviewFigure.REACHED, staff_id=week.ann)
        notes = review_lines(session, MONDAY, ReviewFigure.THANK_YOU_NOTES, staff_id=week.ann)
        responses = review_lines(session, MONDAY, ReviewFigure.RESPONSES, staff_id=week.ann)
        quotes = review_lines(session, MONDAY, ReviewFigure.QUOTES_DECIDED, staff_id=week.ann)
        with pytest.raises(InvalidInput):
            review_lines(session, MONDAY, "smiles")
    _review, callers = review_of(week)
    assert [(line.staff, line.who) for line in orders] == [("Ann", "Customer 0"), ("Ben", "Customer 1")]
    assert "Order placed" in orders[0].what
    assert len(anns_monday) == 3 and len(reached) == callers["Ann"].reached
    assert [line.who for line in notes] == ["Customer 0", "Pat at the spring supplier"]
    assert len(responses) == callers["Ann"].responses and "Ordered more" in responses[0].what
    assert len(quotes) == callers["Ann"].quotes_decided


def test_a_callers_line_on_the_week_is_kept_with_that_week_only(week):
    with week.db.transaction() as session:
        save_reflection(session, THANKSGIVING, week.ann, "  Short week,   but the Monday calls went well. ")
    review, callers = review_of(week)
    assert callers["Ann"].reflection == "Short week, but the Monday calls went well."
    assert "Short week" in review_html(review, "Harbor")
    _next, next_week = review_of(week, TODAY)
    assert next_week["Ann"].reflection is None
    with week.db.transaction() as session:
        save_reflection(session, MONDAY, week.ann, "   ")
    assert review_of(week)[1]["Ann"].reflection is None, "a blank line removes it"


def test_the_printable_page_names_every_caller_and_draws_the_charts_from_the_figures(week):
    review, _callers = review_of(week)
    page = review_html(review, "Harbor Door & Supply")
    assert "Harbor Door &amp; Supply — weekly review, 23 November to 29 November 2026" in page
    assert "chart:days?values=3,1,0,0,2,1,0;goals=3,3,3,0,3,0,0;labels=Mon,Tue,Wed,Thu,Fri,Sat,Sun" in page
    assert "chart:ratio?values=" in page and "Thanksgiving Day" in page and "Springs up 8%" in page


def test_review_json_command_prints_the_contract(week, data_dir, capsys):
    code = main.main(["review", "--week", "2026-11-25", "--json", "--data-dir", str(data_dir), "--today", "2026-11-30"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"week_start", "week_end", "callers", "changes"}
    assert (out["week_start"], out["week_end"]) == ("2026-11-23", "2026-11-29")
    ann = out["callers"][0]
    assert set(ann) == {"name", "quota", "days", "calls", "reached", "orders", "quotes_requested", "referrals",
                        "complaints", "thank_you_notes", "responses", "quote_hit_ratio"}
    assert ann["days"][0] == {"date": "2026-11-23", "calls": 3, "reached": 2}
    assert (ann["name"], ann["quota"], ann["calls"], ann["quote_hit_ratio"]) == ("Ann", 3, 7, 0.5)
    assert out["changes"] == [{"change_id": week.change, "title": "Springs up 8%", "told_in_time": 1, "kept": 1,
                               "reduced": 1, "lost": 1}]
