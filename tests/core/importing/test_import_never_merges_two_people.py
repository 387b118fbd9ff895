"""A shared home phone and a shared last name are a household, not one customer: two different
first names (or two different e-mail addresses) are never merged by an import on their own, only
offered to the owner as a possible duplicate."""

import csv
import datetime as dt
import io
import json
import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import main
from core.importing import import_customers, read_import_bytes
from core.importing.customers import plan_customer_import
from core.importing.duplicates import PairDecision, PairKey, first_name_of, first_names_differ, name_key
from core.importing.short_forms import SHORT_FORMS_FILE
from core.resources import resource_path
from core.storage.models import Customer

from importing_helpers import stored_customers

TODAY = dt.date(2026, 12, 1)
LANDLINE = "+48225550100"


def _source(*rows: dict[str, str]):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["First Name", "Last Name", "Phone", "Email", "Address"])
    writer.writeheader()
    writer.writerows(rows)
    return read_import_bytes(buffer.getvalue().encode(), "household.csv")


def _row(first: str, last: str = "Kowalski", email: str = "", address: str = "ul. Lipowa 7") -> dict[str, str]:
    return {"First Name": first, "Last Name": last, "Phone": "22 555 01 00", "Email": email, "Address": address}


def test_a_couple_sharing_a_home_phone_and_an_address_stays_two_customers(db):
    report = import_customers(db, _source(_row("Anna"), _row("Piotr")), region="PL", today=TODAY)
    stored = stored_customers(db)
    assert {"Anna Kowalski", "Piotr Kowalski"} <= set(stored)
    assert report.plan.merges == ()
    assert [d.summary() for d in report.plan.possible_duplicates] == [
        {"lines": [2, 3], "names": ["Anna Kowalski", "Piotr Kowalski"], "reason": f"same phone {LANDLINE}"}]


def test_the_same_name_with_two_different_e_mails_is_asked_about_not_merged(db):
    senior = _row("Jan", email="jan@kowalski.example")
    junior = _row("Jan", email="jan.junior@example.com")
    plan = import_customers(db, _source(senior, junior), region="PL", today=TODAY).plan
    assert (plan.created, plan.merges) == (2, ())
    assert [d.summary()["lines"] for d in plan.possible_duplicates] == [[2, 3]]


def test_a_row_agreeing_with_both_of_a_couple_does_not_join_them(db):
    rows = [_row("Anna"), {**_row(""), "First Name": ""}, _row("Piotr")]
    plan = import_customers(db, _source(*rows), region="PL", today=TODAY).plan
    assert plan.created == 2, "the row with only the last name joins one of them, never both"
    assert "Anna Kowalski" in stored_customers(db) and "Piotr Kowalski" in stored_customers(db)


def test_the_owner_can_still_merge_them_and_is_not_asked_again(db):
    key = PairKey.of(LANDLINE, "Anna Kowalski", "Piotr Kowalski")
    first = import_customers(db, _source(_row("Anna"), _row("Piotr")), region="PL", today=TODAY,
                             decisions={key: PairDecision.MERGE}, now=dt.datetime(2026, 12, 1, 9, 0)).plan
    assert first.created == 1 and first.possible_duplicates == ()
    again = import_customers(db, _source(_row("Anna"), _row("Piotr")), region="PL", today=TODAY).plan
    assert again.created == 0 and again.possible_duplicates == ()


def test_a_stored_customer_and_her_husband_in_the_file_stay_two(db, data_dir, tmp_path, capsys):
    with db.transaction() as session:
        session.add(Customer(name="Anna Kowalski", first_name="Anna", last_name="Kowalski", phone=LANDLINE,
                             address="ul. Lipowa 7"))
    rows = tmp_path / "husband.csv"
    rows.write_text("First Name,Last Name,Phone,Address\nPiotr,Kowalski,+48 22 555 01 00,ul. Lipowa 7\n",
                    encoding="utf-8")
    code = main.main(["import", str(rows), "--data-dir", str(data_dir), "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0 and (payload["created"], payload["merged"]) == (1, 0)
    assert payload["possible_duplicates"] == [{"lines": [2, None], "names": ["Piotr Kowalski", "Anna Kowalski"],
                                               "reason": f"same phone {LANDLINE}", "customer_id": 1}]


def test_short_forms_and_married_names_still_merge(db):
    rows = [_row("Dan", "Reyes"), _row("Daniel", "Reyes", email="daniel@reyes.example"),
            _row("Rachel", "Goldberg", email="rachel@example.com", address="18 Pine St"),
            _row("Rachel", "Goldberg-Stein", email="rachel.gs@example.com", address="18 Pine St")]
    rows[2]["Phone"] = rows[3]["Phone"] = "22 555 01 99"
    plan = import_customers(db, _source(*rows), region="PL", today=TODAY).plan
    assert plan.created == 2 and plan.possible_duplicates == ()


def test_first_names_differ_only_when_neither_is_the_other_or_its_short_form():
    assert first_names_differ("anna", "piotr")
    assert first_names_differ("j", "jan"), "an initial proves nothing"
    assert not first_names_differ("dan", "daniel")
    assert not first_names_differ(None, "piotr")
    assert first_name_of("Kowalski") is None and first_name_of("Foster Rentals", is_company=True) is None


# One person's names: a full name and a short form the table knows, either way round.
ONE_PERSON = [("Bob", "Robert"), ("Liz", "Elizabeth"), ("William", "Bill"), ("Peggy", "Margaret"),
              ("Chris", "Christopher"), ("Chris", "Christine"), ("Dan", "Daniel")]
# Two people: a shared beginning that is no short form, or two short forms of different names.
TWO_PEOPLE = [("Dan", "Danielle"), ("Daniel", "Danielle"), ("Chris", "Christa"), ("Christopher", "Christine"),
              ("Andrew", "Andrea"), ("Emil", "Emily"), ("Bill", "Robert"), ("Jo", "Joanna"), ("Sam", "Samira")]


@pytest.mark.parametrize("first,other", ONE_PERSON)
def test_a_known_short_form_on_one_phone_is_one_customer(db, first, other):
    plan = import_customers(db, _source(_row(first, "Reyes"), _row(other, "Reyes")), region="PL", today=TODAY).plan
    assert (plan.created, len(plan.merges), plan.possible_duplicates) == (1, 1, ())
    assert not first_names_differ(first.lower(), other.lower())


@pytest.mark.parametrize("first,other", TWO_PEOPLE)
def test_a_shared_beginning_that_is_no_short_form_is_asked_about_never_merged(db, first, other):
    plan = import_customers(db, _source(_row(first, "Reyes"), _row(other, "Reyes")), region="PL", today=TODAY).plan
    assert (plan.created, plan.merges) == (2, ())
    assert [d.summary()["names"] for d in plan.possible_duplicates] == [[f"{first} Reyes", f"{other} Reyes"]]
    assert {f"{first} Reyes", f"{other} Reyes"} <= set(stored_customers(db))


def test_the_short_forms_table_is_read_from_resources_and_every_line_is_a_name():
    lines = [line for line in resource_path(*SHORT_FORMS_FILE).read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    assert len(lines) > 50
    for line in lines:
        names = line.split(",")
        assert len(names) >= 2 and all(name and name == name_key(name) for name in names), line


FIRST_NAME = st.one_of(st.text(string.ascii_letters + "ąęłóśżźćńÀÉÎØÜß", min_size=1, max_size=8),
                       st.sampled_from([name for pair in ONE_PERSON + TWO_PEOPLE for name in pair]))
ONE_NAME = {frozenset(name.lower() for name in pair) for pair in ONE_PERSON}
ONE_NAME_WORDS = {name.lower() for pair in ONE_PERSON + TWO_PEOPLE for name in pair}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(FIRST_NAME, min_size=2, max_size=4), st.lists(st.booleans(), min_size=4, max_size=4))
def test_rows_with_different_first_names_are_never_merged_automatically(db, firsts, with_email):
    """Any household sharing phone, last name and address: no two rows whose first names differ
    (not the same name, nor one the short form of the other) end up in one customer."""
    rows = [_row(first, email=f"p{i}@example.com" if with_email[i] else "") for i, first in enumerate(firsts)]
    keys = [first_name_of(None, first) for first in firsts]
    assume(all(keys))
    with db.session() as session:
        plan = plan_customer_import(session, _source(*rows), region="PL", today=TODAY)
    line_of = {note.line: note.with_line for note in plan.merges}

    def root(line: int) -> int:
        while line in line_of:
            line = line_of[line]
        return line

    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            if root(i + 2) == root(j + 2):
                assert not first_names_differ(keys[i], keys[j]), (firsts[i], firsts[j])
                if keys[i] in ONE_NAME_WORDS and keys[j] in ONE_NAME_WORDS:
                    assert keys[i] == keys[j] or frozenset((keys[i], keys[j])) in ONE_NAME, (firsts[i], firsts[j])
