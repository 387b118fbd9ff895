"""Issue 12 on a real-looking Square export: shared phones never join two people, identical rows
count once, numbers nobody can dial stay out of the phone field, far dates are flagged; and the
owner's answer for a possible duplicate is remembered."""

import datetime as dt
import json

import pytest

import main
from core.importing import import_customers
from core.importing.duplicates import PairDecision, PairKey, names_agree
from core.storage.models import Customer

from importing_helpers import FIXTURES, sample, stored_customers

TODAY = dt.date(2026, 12, 1)
SHOP = "square_shared_phones.csv"


def _cli(capsys, *argv):
    code = main.main([str(a) for a in argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out


@pytest.fixture
def imported(db):
    report = import_customers(db, sample(SHOP), region="US", today=TODAY)
    return report.plan, stored_customers(db)


def test_people_sharing_a_household_or_front_desk_phone_stay_two_customers(imported):
    plan, stored = imported
    greg, zoe = stored["Greg Foster"], stored["Zoë Fernández"]
    assert (greg["company"], greg["imported_total_spent_cents"], greg["imported_order_count"]) == (
        "Foster Rentals", 987000, 19)
    assert (zoe["imported_total_spent_cents"], zoe["imported_order_count"]) == (330000, 8)
    assert {"Helen Wright", "Gary Olsen"} <= set(stored)
    assert [d.summary() for d in plan.possible_duplicates] == [
        {"lines": [2, 3], "names": ["Zoë Fernández", "Greg Foster"], "reason": "same phone +15035550131"},
        {"lines": [4, 5], "names": ["Helen Wright", "Gary Olsen"], "reason": "same phone +19715550144"}]


def test_an_identical_row_is_one_row_and_its_figures_are_not_doubled(imported):
    plan, stored = imported
    sarah = stored["Sarah Lopez"]
    assert (sarah["imported_total_spent_cents"], sarah["imported_order_count"]) == (120000, 6)
    assert any(m.line == 7 and m.with_line == 6 and m.reason == "the same row as line 6" for m in plan.merges)


def test_a_married_name_and_a_short_name_still_merge_keeping_the_larger_figures(imported):
    plan, stored = imported
    assert "Rachel Goldberg-Stein" not in stored and "Daniel Reyes" not in stored, "one customer each"
    rachel, daniel = stored["Rachel Goldberg"], stored["Dan Reyes"]
    assert (rachel["imported_total_spent_cents"], rachel["imported_order_count"]) == (205000, 11)
    assert str(rachel["imported_last_purchase"]) == "2025-11-15", "the later visit"
    assert (daniel["imported_total_spent_cents"], daniel["imported_order_count"]) == (1240000, 23)
    assert (daniel["email"], daniel["company"]) == ("daniel.reyes@example.com", "Reyes Roofing")
    assert {(m.line, m.with_line) for m in plan.merges} >= {(9, 8), (11, 10)}


def test_a_number_without_an_area_code_is_kept_in_the_notes_and_flagged(imported):
    plan, stored = imported
    ana, bob = stored["Ana Ruiz"], stored["Bob Stone"]
    assert ana["phone"] is None and "555-0114" in ana["notes"]
    assert bob["phone"] is None and "555-0407" in bob["notes"]
    flagged = {(f.line, "no area code" in f.reason) for f in plan.flagged}
    assert {(12, True), (13, True)} <= flagged


def test_far_dates_in_iso_form_are_flagged_with_their_line(imported):
    plan, stored = imported
    paul = stored["Paul Weiß"]
    assert paul["imported_last_purchase"] is None and paul["birthday"] is None
    reasons = [f.reason for f in plan.flagged if f.line == 14]
    assert any("9999-12-31" in r for r in reasons) and any("1850-01-01" in r for r in reasons)


def test_a_birthday_must_give_a_believable_age(db):
    rows = "Name,Email,Birthday\nTia Young,tia@example.com,2027-03-01\nOld Al,al@example.com,1901-01-01\n"
    from core.importing import read_import_bytes
    plan = import_customers(db, read_import_bytes(rows.encode(), "b.csv"), today=TODAY).plan
    assert [(f.line, "birthday" in f.reason) for f in plan.flagged] == [(2, True), (3, True)]


def test_reimporting_the_same_export_changes_nothing(db, imported):
    again = import_customers(db, sample(SHOP), region="US", today=TODAY).plan
    assert (again.created, again.updated) == (0, 0)
    assert stored_customers(db) == imported[1]


def test_the_owners_answers_are_remembered_by_the_next_import(db):
    zoe_greg = PairKey.of("+15035550131", "Zoë Fernández", "Greg Foster")
    helen_gary = PairKey.of("+19715550144", "Helen Wright", "Gary Olsen")
    first = import_customers(db, sample(SHOP), region="US", today=TODAY, now=dt.datetime(2026, 12, 1, 9, 0),
                             decisions={zoe_greg: PairDecision.KEEP_APART, helen_gary: PairDecision.MERGE}).plan
    assert first.possible_duplicates == ()
    stored = stored_customers(db)
    assert "Greg Foster" in stored and "Zoë Fernández" in stored
    assert "Gary Olsen" not in stored, "merged into Helen Wright as the owner decided"
    later = import_customers(db, sample(SHOP), region="US", today=TODAY).plan
    assert later.possible_duplicates == () and later.created == 0


def test_a_file_row_sharing_a_stored_customers_phone_with_another_name_is_asked_about(db, capsys, tmp_path):
    with db.transaction() as session:
        session.add(Customer(name="Helen Wright", phone="+19715550144"))
    rows = tmp_path / "desk.csv"
    rows.write_text("Name,Phone,Email\nGary Olsen,(971) 555-0144,gary.olsen@example.com\n", encoding="utf-8")
    code, out = _cli(capsys, "import", rows, "--data-dir", db.path.parent if db.path else tmp_path, "--json")
    payload = json.loads(out)
    assert code == 0 and payload["created"] == 1
    assert payload["possible_duplicates"] == [{"lines": [2, None], "names": ["Gary Olsen", "Helen Wright"],
                                               "reason": "same phone +19715550144", "customer_id": 1}]


def test_import_json_and_find_tell_the_same_story(tmp_path, capsys):
    folder = tmp_path / "data"
    code, out = _cli(capsys, "import", FIXTURES / SHOP, "--data-dir", folder, "--today", TODAY, "--json")
    payload = json.loads(out)
    assert code == 0 and (payload["created"], payload["merged"]) == (11, 3)
    assert [d["lines"] for d in payload["possible_duplicates"]] == [[2, 3], [4, 5]]
    for typed, name in (("weiss", "Paul Weiß"), ("STRASSE", "Paul Weiß"), ("finance", "Fiona Hale"),
                        ("ﬁnance", "Fiona Hale"), ("zoe fernandez", "Zoë Fernández")):
        code, out = _cli(capsys, "find", typed, "--data-dir", folder, "--json")
        found = json.loads(out)
        assert found["query"] == typed and [c["name"] for c in found["customers"]] == [name], typed
    code, out = _cli(capsys, "find", "503 555 0131", "--data-dir", folder, "--json")
    customers = json.loads(out)["customers"]
    assert [c["name"] for c in customers] == ["Greg Foster", "Zoë Fernández"]
    assert set(customers[0]) == {"customer_id", "name", "company", "phone", "email"}
    assert customers[0]["phone"] == "+15035550131"


@pytest.mark.parametrize("a,b,agree", [
    ("Dan Reyes", "Daniel Reyes", True), ("Rachel Goldberg", "Rachel Goldberg-Stein", True),
    ("Lena D.", "Lena Duplicate", True), ("Greg Foster", "Zoë Fernández", False),
    ("Helen Wright", "Gary Olsen", False), ("Dan", "Jordan Smith", False), ("Foster Rentals", "Greg Foster", False),
    ("Anna Kowalski", "Piotr Kowalski", False), ("Kowalski", "Piotr Kowalski", True),
])
def test_names_agree_as_the_owner_would_say(a, b, agree):
    assert names_agree(a, b) is agree
