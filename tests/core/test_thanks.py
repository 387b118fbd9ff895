"""Thank-you notes: logged in seconds, counted toward the day's goal, answered later, suggested well."""

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

import main
from core.customers.detail import customer_detail
from core.storage.enums import Outcome, TaskKind, ThankYouResponse
from core.errors import InvalidInput
from core.storage.models import CallLog, Customer, Product, Purchase, StaffMember, ThankYouNote
from core.settings import save_settings
from core.habits.thanks import (
    log_thank_you,
    notes_progress,
    record_response,
    suggest_thank_yous,
)

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def team(db):
    with db.transaction() as session:
        maria, dave = StaffMember(name="Maria", daily_quota=10), StaffMember(name="Dave", daily_quota=8)
        session.add_all([maria, dave])
        session.flush()
    return db, maria.id, dave.id


def add_customer(session, name, **fields):
    customer = Customer(name=name, phone="+15035550100", **fields)
    session.add(customer)
    session.flush()
    return customer.id


def test_a_note_to_anyone_counts_toward_the_days_goal_of_its_writer(team):
    db, maria, dave = team
    with db.transaction() as session:
        save_settings(session, thank_you_notes_per_day=2)
        log_thank_you(session, maria, TODAY, "Pat at the spring supplier")
        log_thank_you(session, dave, TODAY - dt.timedelta(days=1), "Maria, for covering my calls")
    with db.session() as session:
        mine = notes_progress(session, TODAY, maria)
        team_total = notes_progress(session, TODAY)
    assert (mine.written, mine.goal) == (1, 2)
    assert (team_total.written, team_total.goal) == (1, 4), "the team's goal: each caller's, added up"


def test_a_note_to_a_customer_shows_in_their_timeline_with_its_response(team):
    db, maria, _dave = team
    with db.transaction() as session:
        customer = add_customer(session, "Ann Smith")
        note = log_thank_you(session, maria, TODAY, "", customer_id=customer, text="Thanks for the referral!")
    assert note.recipient == "Ann Smith", "a blank recipient takes the customer's name"
    with db.transaction() as session:
        record_response(session, note.id, ThankYouResponse.ORDERED_MORE, TODAY + dt.timedelta(days=3))
    with db.session() as session:
        (entry,) = [e for e in customer_detail(session, customer).timeline if e.kind is TaskKind.THANK_YOU]
    assert entry.when.date() == TODAY and entry.staff == "Maria" and entry.why == "To Ann Smith"
    assert entry.notes == "Thanks for the referral! — Ordered more on 27 Nov"


@pytest.mark.parametrize("recipient, customer_id, field", [("", None, "to"), ("   ", None, "to"),
                                                            ("x" * 201, None, "to"), ("Ann", 999, "customer")])
def test_a_bad_note_names_the_field_and_writes_nothing(team, recipient, customer_id, field):
    db, maria, _dave = team
    with pytest.raises(InvalidInput) as error, db.transaction() as session:
        log_thank_you(session, maria, TODAY, recipient, customer_id=customer_id)
    assert error.value.field == field
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ThankYouNote)) == 0


def test_a_response_cannot_come_before_the_note(team):
    db, maria, _dave = team
    with db.transaction() as session:
        note = log_thank_you(session, maria, TODAY, "Ann")
    with pytest.raises(InvalidInput) as error, db.transaction() as session:
        record_response(session, note.id, "called_back", TODAY - dt.timedelta(days=1))
    assert error.value.field == "response_on"
    with pytest.raises(InvalidInput), db.transaction() as session:
        record_response(session, note.id, "waved", TODAY)


@pytest.fixture
def calls_this_week(team):
    """Maria's last seven days of calls, and the customers they touch."""
    db, maria, dave = team
    with db.transaction() as session:
        product = Product(sku="DOOR", name="Door")
        session.add(product)
        session.flush()
        ids = {name: add_customer(session, name) for name in (
            "Quiet Quentin", "Recent Rita", "Ordering Olga", "Buying Bob", "Ann Smith", "Referred Rosa",
            "Dave's Customer", "Long Ago Larry", "Thanked Theo", "Before Betty")}

        def bought(name, day, cents=10_000):
            session.add(Purchase(customer_id=ids[name], product_id=product.id, purchased_on=day, amount_cents=cents))

        def called(name, days_ago, outcome=Outcome.REACHED, tags=None, notes=None, staff=maria):
            session.add(CallLog(customer_id=ids[name], staff_id=staff, outcome=outcome, result_tags=tags, notes=notes,
                                logged_at=dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(10))))

        bought("Quiet Quentin", dt.date(2026, 1, 10))
        called("Quiet Quentin", 2)  # reached, no purchase since January: neglected
        bought("Recent Rita", dt.date(2026, 10, 1))
        called("Recent Rita", 2)  # reached, bought recently: nothing to say
        called("Ordering Olga", 1, tags="order_placed")
        called("Buying Bob", 3, Outcome.VOICEMAIL)
        bought("Buying Bob", TODAY - dt.timedelta(days=1))  # bought after the call
        bought("Before Betty", TODAY - dt.timedelta(days=5))
        called("Before Betty", 2, Outcome.NO_ANSWER)  # bought before the call, not after it
        called("Ann Smith", 0, notes="Ann Smith said referred rosa sent her; Referred Rosa is an old customer.")
        bought("Dave's Customer", dt.date(2025, 1, 1))
        called("Dave's Customer", 1, staff=dave)  # someone else's call
        bought("Long Ago Larry", dt.date(2025, 1, 1))
        called("Long Ago Larry", 7)  # eight days ago: not this week
        bought("Thanked Theo", dt.date(2025, 1, 1))
        called("Thanked Theo", 1)
        session.add(ThankYouNote(staff_id=dave, sent_on=TODAY - dt.timedelta(days=10), recipient="Theo",
                                 customer_id=ids["Thanked Theo"]))
    return db, maria, ids


def test_suggestions_come_from_the_callers_own_calls_of_the_last_seven_days(calls_this_week):
    db, maria, ids = calls_this_week
    with db.session() as session:
        suggestions = suggest_thank_yous(session, maria, TODAY)
    by_name = {s.name: s.why for s in suggestions}
    assert set(by_name) == {"Ordering Olga", "Buying Bob", "Referred Rosa", "Quiet Quentin"}
    assert by_name["Ordering Olga"] == "Placed an order on your call of 23 Nov"
    assert by_name["Buying Bob"] == "Bought on 23 Nov, after your call of 21 Nov"
    assert by_name["Referred Rosa"] == "Named in your notes on the call with Ann Smith (24 Nov)"
    assert by_name["Quiet Quentin"] == "Reached on 22 Nov; no purchase since 10 Jan"
    assert all(s.customer_id == ids[s.name] for s in suggestions)


def test_thanks_commands_log_a_note_and_print_suggestions(calls_this_week, data_dir, capsys):
    db, _maria, ids = calls_this_week
    common = ["--data-dir", str(data_dir), "--today", TODAY.isoformat()]
    assert main.main(["thanks", "--suggest", "--staff", "maria", "--json", *common]) == 0
    suggestions = json.loads(capsys.readouterr().out)["suggestions"]
    assert {"customer_id": ids["Ordering Olga"], "name": "Ordering Olga",
            "why": "Placed an order on your call of 23 Nov"} in suggestions
    assert all(set(s) == {"customer_id", "name", "why"} for s in suggestions)

    assert main.main(["thanks", "--staff", "Maria", "--to", "Olga at Pine St", "--customer",
                      str(ids["Ordering Olga"]), "--note", "Thanks for the order", "--json", *common]) == 0
    captured = capsys.readouterr()
    logged = json.loads(captured.out)
    assert (logged["to"], logged["sent_on"], logged["notes_today"], logged["goal"]) == (
        "Olga at Pine St", "2026-11-24", 1, 1)
    assert "1 of 1 today" in captured.err
    assert main.main(["thanks", "--suggest", "--staff", "Maria", "--json", *common]) == 0
    names = [s["name"] for s in json.loads(capsys.readouterr().out)["suggestions"]]
    assert "Ordering Olga" not in names, "thanked already"

    assert main.main(["thanks", "--staff", "Nobody", "--to", "X", *common]) == 2
    assert "No caller is called 'Nobody'" in capsys.readouterr().err
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ThankYouNote)) == 2


def test_thanks_command_records_a_response_later(team, data_dir, capsys):
    db, maria, _dave = team
    with db.transaction() as session:
        note = log_thank_you(session, maria, TODAY, "Pat at the spring supplier")
    common = ["--data-dir", str(data_dir), "--today", "2026-11-27"]
    assert main.main(["thanks", "--respond", str(note.id), *common]) == 2
    assert "--response" in capsys.readouterr().err
    assert main.main(["thanks", "--respond", str(note.id), "--response", "called_back", "--json", *common]) == 0
    assert json.loads(capsys.readouterr().out) == {"id": note.id, "response": "called_back",
                                                   "response_on": "2026-11-27"}
    with db.session() as session:
        stored = session.get(ThankYouNote, note.id)
        assert (stored.response, stored.response_on) == (ThankYouResponse.CALLED_BACK, dt.date(2026, 11, 27))
