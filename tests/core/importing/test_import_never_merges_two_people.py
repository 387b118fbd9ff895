"""A shared home phone and a shared last name are a household, not one customer: two different
first names (or two different e-mail addresses) are never merged by an import on their own, only
offered to the owner as a possible duplicate."""

import csv
import datetime as dt
import io
import json
import string

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import main
from core.importing import import_customers, read_import_bytes
from core.importing.customers import plan_customer_import
from core.importing.duplicates import PairDecision, PairKey, first_name_of, first_names_differ
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


FIRST_NAME = st.text(string.ascii_letters + "ąęłóśżźćńÀÉÎØÜß", min_size=1, max_size=8)


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
