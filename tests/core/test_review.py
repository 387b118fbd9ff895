"""The weekly review against a week built by hand (tests/hand_built_week.py): Monday 23 to
Sunday 29 November 2026, with Thanksgiving (Thursday 26) closed. Ann calls a lot, Ben a little,
Cleo not at all."""

import datetime as dt
import json

import pytest
from hand_built_week import MONDAY, THANKSGIVING, TODAY, build_week, day

import main
from core.errors import InvalidInput
from core.habits.weekly_review import ReviewFigure, review_html, review_lines, save_reflection, week_of, weekly_review


@pytest.fixture
def week(db):
    return build_week(db)


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
