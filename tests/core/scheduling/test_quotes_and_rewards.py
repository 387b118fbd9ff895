"""Quotes and reward cards entered by the owner (command line and core), and the rules that follow them."""

import datetime as dt
import json

import pytest
from sqlalchemy import select

import main
from core.storage.enums import Outcome, QuoteStatus, Reason, TaskStatus
from core.errors import InvalidInput
from core.storage.models import CallTask, Quote, RewardCard
from core.customers.quotes import QuoteInput, add_quote, decide_quote, update_quote
from core.customers.rewards import add_stamps, redeem_reward
from core.scheduling import daily_agenda, log_outcome, plan_standing_tasks, quote_hit_ratio, undo_log
from tests.server_databases import data_folder_of

TUESDAY = dt.date(2026, 11, 24)
FRIDAY = dt.date(2026, 11, 27)
NEXT_TUESDAY = dt.date(2026, 12, 1)
QUOTE_KEYS = {"quote_id", "customer_id", "customer", "what", "amount", "sent", "status", "decided_on", "staff",
              "follow_ups"}


def run(capsys, *argv):
    code = main.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cli(capsys, business, *argv, today=TUESDAY):
    return run(capsys, *argv, "--data-dir", data_folder_of(business.db), "--today", today.isoformat())


def pending(business, reason, customer_id=None):
    with business.db.session() as session:
        query = select(CallTask).where(CallTask.reason == reason, CallTask.status == TaskStatus.PENDING)
        if customer_id is not None:
            query = query.where(CallTask.customer_id == customer_id)
        return session.scalars(query.order_by(CallTask.due_on)).all()


@pytest.fixture
def ann(business):
    business.caller("Dave Chen")
    return business.customer("Ann Smith")


def test_a_quote_added_today_is_followed_up_on_the_planned_days_until_it_is_decided(capsys, business, ann):
    code, out, err = cli(capsys, business, "quote", "add", "--customer", ann, "--what", "New insulated door",
                         "--amount", "1,850", "--sent", TUESDAY, "--staff", "Dave Chen", "--json")
    assert code == 0, err
    added = json.loads(out)
    assert set(added) == QUOTE_KEYS
    assert (added["customer_id"], added["what"], added["amount"], added["sent"], added["status"], added["staff"]) == (
        ann, "New insulated door", 1850, "2026-11-24", "open", "Dave Chen")
    assert added["follow_ups"] == ["2026-11-27", "2026-12-01"], "3 and 7 days after sending"
    assert [t.due_on for t in pending(business, Reason.QUOTE)] == [FRIDAY, NEXT_TUESDAY]
    with business.db.session() as session:
        friday = daily_agenda(session, FRIDAY, FRIDAY)
    assert [(c.customer_id, c.reason) for c in friday.calls] == [(ann, Reason.QUOTE)]

    code, out, err = cli(capsys, business, "quote", "decide", added["quote_id"], "--won", today=FRIDAY)
    assert code == 0, err
    assert json.loads(out)["status"] == "won" and json.loads(out)["cancelled"] == 2
    assert pending(business, Reason.QUOTE) == [], "no follow-up after the quote is decided"
    with business.db.transaction() as session:
        plan_standing_tasks(session, FRIDAY)
        assert daily_agenda(session, FRIDAY, FRIDAY).calls == ()
        assert quote_hit_ratio(session) == [("Dave Chen", 1, 1, 1.0)]
    code, out, _ = cli(capsys, business, "quote", "list", "--open", "--json", today=FRIDAY)
    assert json.loads(out) == {"quotes": []}
    _, out, _ = cli(capsys, business, "quote", "list", "--json", today=FRIDAY)
    assert [(q["quote_id"], q["status"], q["decided_on"]) for q in json.loads(out)["quotes"]] == [
        (added["quote_id"], "won", "2026-11-27")]


def test_quote_commands_refuse_bad_input_and_save_nothing(capsys, business, ann):
    for argv in (["--customer", 999, "--what", "Door", "--amount", "10", "--sent", TUESDAY],
                 ["--customer", ann, "--what", "  ", "--amount", "10", "--sent", TUESDAY],
                 ["--customer", ann, "--what", "Door", "--amount", "10", "--sent", "2026-12-24"],
                 ["--customer", ann, "--what", "Door", "--amount", "10", "--sent", TUESDAY, "--staff", "Nobody"]):
        code, out, err = cli(capsys, business, "quote", "add", *argv)
        assert code == 2 and out == "" and "callahead:" in err
    with pytest.raises(SystemExit):
        cli(capsys, business, "quote", "add", "--customer", ann, "--what", "Door", "--amount", "ten", "--sent", TUESDAY)
    with business.db.session() as session:
        assert session.scalars(select(Quote)).all() == []
    code, _, err = cli(capsys, business, "quote", "decide", 41, "--lost")
    assert code == 2 and "no quote with id 41" in err


def test_quote_edit_changes_only_what_is_given_and_moves_the_follow_ups(capsys, business, ann):
    _, out, _ = cli(capsys, business, "quote", "add", "--customer", ann, "--what", "Opener", "--amount", "389",
                    "--sent", "2026-11-23", "--json")
    quote_id = json.loads(out)["quote_id"]
    code, out, err = cli(capsys, business, "quote", "edit", quote_id, "--sent", TUESDAY, "--amount", "420.50",
                         "--json")
    assert code == 0, err
    edited = json.loads(out)
    assert (edited["what"], edited["amount"], edited["sent"]) == ("Opener", 420.5, "2026-11-24")
    assert edited["follow_ups"] == ["2026-11-27", "2026-12-01"]
    assert [t.due_on for t in pending(business, Reason.QUOTE)] == [FRIDAY, NEXT_TUESDAY]
    code, _, err = cli(capsys, business, "quote", "edit", 77, "--what", "x")
    assert code == 2 and "no quote with id 77" in err


def test_editing_the_sending_date_moves_the_follow_ups_not_yet_tried(business, ann):
    with business.db.transaction() as session:
        record = add_quote(session, ann, QuoteInput("Opener", 38900, TUESDAY - dt.timedelta(days=1)), TUESDAY)
        assert record.follow_ups == (dt.date(2026, 11, 26), dt.date(2026, 11, 30))
        moved = update_quote(session, record.quote_id, QuoteInput("Opener, installed", 42000, TUESDAY), TUESDAY)
    assert moved.follow_ups == (FRIDAY, NEXT_TUESDAY)
    assert [t.why for t in pending(business, Reason.QUOTE)][0].startswith("Quote Opener, installed ($420)")


def test_a_reached_follow_up_tagged_quote_lost_decides_the_quote_and_undo_reopens_it(business, ann):
    business.caller("Maria Lopez")
    with business.db.transaction() as session:
        record = add_quote(session, ann, QuoteInput("Door", 100000, TUESDAY - dt.timedelta(days=3)), TUESDAY)
    first, second = pending(business, Reason.QUOTE)
    with business.db.transaction() as session:
        result = log_outcome(session, first.id, Outcome.REACHED, dt.datetime(2026, 11, 24, 10, 0),
                             staff_id=business.staff["Maria Lopez"], result_tags=["quote_lost"])
        assert "marked lost" in result.message
        quote = session.get(Quote, record.quote_id)
        assert (quote.status, quote.decided_on, quote.staff_id) == (
            QuoteStatus.LOST, TUESDAY, business.staff["Maria Lopez"]), "the caller who closed it is credited"
        assert session.get(CallTask, second.id).status is TaskStatus.CANCELLED
        assert quote_hit_ratio(session) == [("Maria Lopez", 0, 1, 0.0)]
    with business.db.transaction() as session:
        undo_log(session, result.undo)
    with business.db.session() as session:
        quote = session.get(Quote, record.quote_id)
        assert (quote.status, quote.decided_on, quote.staff_id) == (QuoteStatus.OPEN, None, None)
    assert [t.id for t in pending(business, Reason.QUOTE)] == [first.id, second.id]


def test_a_quote_tag_needs_a_reached_call_and_one_open_quote(business, ann):
    with business.db.transaction() as session:
        add_quote(session, ann, QuoteInput("Door", 1000, TUESDAY), TUESDAY)
        add_quote(session, ann, QuoteInput("Opener", 1000, TUESDAY), TUESDAY)
    task = pending(business, Reason.QUOTE)[0]
    for outcome, tags, words in ((Outcome.VOICEMAIL, ["quote_won"], "reached"),
                                 (Outcome.REACHED, ["quote_won", "quote_lost"], "either won or lost")):
        with pytest.raises(InvalidInput, match=words), business.db.transaction() as session:
            log_outcome(session, task.id, outcome, dt.datetime(2026, 11, 24, 10, 0), result_tags=tags)
    with business.db.transaction() as session:
        # the call's own quote is decided, even with another open quote beside it
        log_outcome(session, task.id, Outcome.REACHED, dt.datetime(2026, 11, 24, 10, 0), result_tags=["quote_won"])
        assert sorted(q.status.value for q in session.scalars(select(Quote))) == ["open", "won"]


def test_a_stamp_that_leaves_the_card_one_short_plans_the_call_at_once(capsys, business, ann):
    business.card(ann, stamps=7, needed=10)
    code, out, err = cli(capsys, business, "stamp", "--customer", ann, "--json")
    assert code == 0, err
    assert json.loads(out)["stamps"] == 8 and not json.loads(out)["reward_call_planned"]
    assert pending(business, Reason.REWARDS) == []
    code, out, err = cli(capsys, business, "stamp", "--customer", ann, "--json")
    assert json.loads(out) == {"customer_id": ann, "stamps": 9, "stamps_needed": 10, "rewards_redeemed": 0,
                               "last_stamp_on": "2026-11-24", "reward_call_planned": True}
    assert "one stamp short" in err
    [call] = pending(business, Reason.REWARDS)
    assert (call.customer_id, call.due_on) == (ann, TUESDAY)
    with business.db.session() as session:
        assert [(c.customer_id, c.reason) for c in daily_agenda(session, TUESDAY, TUESDAY).calls] == [
            (ann, Reason.REWARDS)]

    code, out, err = cli(capsys, business, "stamp", "--customer", ann, "--count", "2")
    assert code == 2 and "only 1 more fit" in err
    cli(capsys, business, "stamp", "--customer", ann)
    assert pending(business, Reason.REWARDS) == [], "a full card is no longer one short"
    code, out, err = cli(capsys, business, "stamp", "--customer", ann, "--redeem", "--json")
    assert code == 0 and (json.loads(out)["stamps"], json.loads(out)["rewards_redeemed"]) == (0, 1)


def test_a_first_stamp_starts_a_card_and_redeeming_needs_a_full_one(business, ann):
    with business.db.transaction() as session:
        card = add_stamps(session, ann, 1, TUESDAY)
        assert (card.stamps, card.stamps_needed, card.rewards_redeemed) == (1, 10, 0)
    with pytest.raises(InvalidInput, match="no reward is earned yet"), business.db.transaction() as session:
        redeem_reward(session, ann, TUESDAY)
    with pytest.raises(InvalidInput, match="at least one"), business.db.transaction() as session:
        add_stamps(session, ann, 0, TUESDAY)
    with business.db.session() as session:
        assert session.scalar(select(RewardCard.stamps)) == 1


def test_deciding_refuses_dates_outside_the_quotes_life(business, ann):
    with business.db.transaction() as session:
        record = add_quote(session, ann, QuoteInput("Door", 1000, TUESDAY), TUESDAY)
    for on, words in ((TUESDAY - dt.timedelta(days=1), "before the quote was sent"),
                      (TUESDAY + dt.timedelta(days=1), "in the future")):
        with pytest.raises(InvalidInput, match=words), business.db.transaction() as session:
            decide_quote(session, record.quote_id, True, on, TUESDAY)


RACE_WORKER = """
import sys, datetime as dt
from core.storage.database import open_database
from core.customers.rewards import add_stamps
database = open_database(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()  # both workers start stamping together
for _ in range(int(sys.argv[3])):
    with database.transaction() as session:
        add_stamps(session, int(sys.argv[2]), 1, dt.date(2026, 11, 24))
database.dispose()
"""


def test_two_desks_stamping_one_card_at_once_lose_no_stamp(business, ann):
    import subprocess
    import sys
    from pathlib import Path

    business.card(ann, stamps=0, needed=100)
    root = Path(__file__).resolve().parents[3]
    url = business.db.url
    workers = [subprocess.Popen([sys.executable, "-c", RACE_WORKER, url, str(ann), "25"], cwd=root, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for _ in range(2)]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready"
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    for worker in workers:
        _out, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors
    with business.db.session() as session:
        assert session.scalar(select(RewardCard.stamps).where(RewardCard.customer_id == ann)) == 50
