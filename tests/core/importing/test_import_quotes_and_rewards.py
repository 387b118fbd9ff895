"""Importing quotes and reward cards: matched to stored customers, flagged row by row, all or nothing,
and the same file twice changes nothing."""

import datetime as dt
import json

import pytest
from sqlalchemy import select

import main
from core.storage.enums import QuoteStatus, Reason, TaskStatus
from core.storage.models import CallTask, Customer, Quote, RewardCard, StaffMember
from core.settings import save_settings
from tests.core.importing.importing_helpers import database_dump

TODAY = "2026-11-24"
JSON_KEYS = {"file", "format", "encoding", "delimiter", "records", "created", "merged", "rejected", "flagged",
             "customers"}
QUOTES_CSV = """Customer email,Phone,Quote for,Total,Date sent,Status,Sent by,Decided on
ann@example.com,,New insulated door,"$1,850.00",2026-11-21,Sent,Dave Chen,
,(503) 555-0199,Two openers,780,2026-11-02,Accepted,Maria,2026-11-10
nobody@example.com,,Roof,100,2026-11-20,open,,
ann@example.com,,Seal,abc,2026-11-20,open,,
ann@example.com,,Hinges,40,2026-11-20,maybe,,
bob@example.com,,Remote,34,2026-11-23,declined,,
"""
REWARDS_CSV = """POS ID,E-mail,Stamps,Stamps needed,Redeemed
C-7,,9,10,1
,bob@example.com,3,,
,ann@example.com,12,10,
,nobody@example.com,2,10,
"""


@pytest.fixture
def shop(db, data_dir):
    with db.transaction() as session:
        save_settings(session, holiday_country=None)
        session.add(StaffMember(name="Dave Chen", daily_quota=10))
        session.add_all([Customer(name="Ann Smith", email="ann@example.com", phone="+15035550100"),
                         Customer(name="Bob Jones", email="bob@example.com", phone="+15035550199"),
                         Customer(name="Cara Diaz", phone="+15035550142", external_id="C-7")])
    return db


def run_import(capsys, data_dir, path, *options, kind_word=None):
    code = main.main(["import", *([kind_word] if kind_word else []), str(path), "--data-dir", str(data_dir),
                      "--today", TODAY, "--json", *options])
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if captured.out else None), captured.err


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_quotes_import_matches_customers_reports_each_bad_row_and_plans_follow_ups(capsys, shop, data_dir, tmp_path):
    path = write(tmp_path, "quotes.csv", QUOTES_CSV)
    code, summary, err = run_import(capsys, data_dir, path, "--kind", "quotes")
    assert code == 0, err
    assert set(summary) == JSON_KEYS
    assert summary["created"] == 3 and summary["records"] == 6
    assert [(r["line"], r["reason"]) for r in summary["rejected"]] == [
        (4, "no stored customer has this e-mail nobody@example.com (import the customers first)"),
        (5, "amount 'abc' is not an amount of money."), (6, "status 'maybe' is not open, won or lost")]
    assert [(f["line"], f["reason"]) for f in summary["flagged"]] == [
        (3, "no caller is called Maria; stored without a sender"),
        (7, "lost with no decision date; the sending date is used")]
    with shop.session() as session:
        quotes = {q.description: q for q in session.scalars(select(Quote))}
        assert (quotes["New insulated door"].amount_cents, quotes["New insulated door"].status,
                quotes["New insulated door"].staff_id is not None) == (185000, QuoteStatus.OPEN, True)
        assert (quotes["Two openers"].status, quotes["Two openers"].decided_on) == (
            QuoteStatus.WON, dt.date(2026, 11, 10))
        follow_ups = session.scalars(select(CallTask.due_on).where(CallTask.reason == Reason.QUOTE,
                                                                   CallTask.status == TaskStatus.PENDING)
                                     .order_by(CallTask.due_on)).all()
    assert follow_ups == [dt.date(2026, 11, 24), dt.date(2026, 11, 30)], "the open quote is followed up at once"

    before = database_dump(shop)
    code, again, _ = run_import(capsys, data_dir, path, "--kind", "quotes")
    assert code == 0 and again["created"] == 0 and database_dump(shop) == before, "re-importing changes nothing"


def test_a_quote_decided_since_the_last_import_is_decided_and_its_follow_ups_cancelled(capsys, shop, data_dir,
                                                                                     tmp_path):
    first = write(tmp_path, "q1.csv", "Email,What,Amount,Sent,Status\nann@example.com,Door,1000,2026-11-20,open\n")
    run_import(capsys, data_dir, first, "--kind", "quotes")
    later = write(tmp_path, "q2.csv", "Email,What,Amount,Sent,Status,Decided\n"
                                      "ann@example.com,Door,1000,2026-11-20,won,2026-11-23\n")
    code, summary, _ = run_import(capsys, data_dir, later, "--kind", "quotes")
    assert code == 0 and summary["created"] == 0
    with shop.session() as session:
        [quote] = session.scalars(select(Quote)).all()
        assert (quote.status, quote.decided_on) == (QuoteStatus.WON, dt.date(2026, 11, 23))
        assert session.scalars(select(CallTask).where(CallTask.status == TaskStatus.PENDING)).all() == []


def test_all_or_nothing_and_dry_run_write_nothing(capsys, shop, data_dir, tmp_path):
    before = database_dump(shop)
    path = write(tmp_path, "quotes.csv", QUOTES_CSV)
    code, summary, err = run_import(capsys, data_dir, path, "--kind", "quotes", "--all-or-nothing")
    assert code == 1 and "nothing was imported" in err and summary["created"] == 3
    code, summary, _ = run_import(capsys, data_dir, path, "--kind", "quotes", "--dry-run")
    assert code == 0 and summary["created"] == 3
    rewards = write(tmp_path, "cards.csv", REWARDS_CSV)
    code, _, _ = run_import(capsys, data_dir, rewards, "--kind", "rewards", "--all-or-nothing")
    assert code == 1
    assert database_dump(shop) == before


def test_rewards_import_sets_each_card_flags_bad_rows_and_plans_the_one_short_call(capsys, shop, data_dir, tmp_path):
    path = write(tmp_path, "cards.csv", REWARDS_CSV)
    code, summary, err = run_import(capsys, data_dir, path, kind_word="rewards")
    assert code == 0, err
    assert summary["created"] == 2
    assert [r["line"] for r in summary["rejected"]] == [4, 5]
    assert "12 stamps do not fit on a card of 10" in summary["rejected"][0]["reason"]
    with shop.session() as session:
        cards = {c.customer.name: (c.stamps, c.stamps_needed, c.rewards_redeemed)
                 for c in session.scalars(select(RewardCard))}
        assert cards == {"Cara Diaz": (9, 10, 1), "Bob Jones": (3, 10, 0)}
        [call] = session.scalars(select(CallTask).where(CallTask.reason == Reason.REWARDS)).all()
        assert call.customer.name == "Cara Diaz" and call.due_on == dt.date(2026, 11, 24)

    before = database_dump(shop)
    code, again, _ = run_import(capsys, data_dir, path, kind_word="rewards")
    assert code == 0 and again["created"] == 0 and database_dump(shop) == before, "re-importing changes nothing"

    changed = write(tmp_path, "cards2.csv", "POS ID,Stamps\nC-7,10\n")
    run_import(capsys, data_dir, changed, kind_word="rewards")
    with shop.session() as session:
        assert session.scalar(select(RewardCard.stamps).where(RewardCard.customer.has(external_id="C-7"))) == 10
        assert session.scalar(select(CallTask.status).where(CallTask.reason == Reason.REWARDS)) \
            is TaskStatus.CANCELLED, "a full card is no longer one short"


def test_a_file_that_cannot_name_the_customer_or_the_stamps_is_refused(capsys, shop, data_dir, tmp_path):
    path = write(tmp_path, "cards.csv", "Nickname,Stamps\nAnn,3\n")
    code, _, err = run_import(capsys, data_dir, path, "--kind", "rewards")
    assert code == 2 and "no column names the customer" in err
    path = write(tmp_path, "quotes.csv", "Email,Amount\nann@example.com,3\n")
    code, _, err = run_import(capsys, data_dir, path, "--kind", "quotes", "--map", "Amount=amount")
    assert code == 2 and "no column holds the sent" in err
