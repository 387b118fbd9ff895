"""Cleaning, merging, bad rows and the one-transaction guarantee of a customer import."""

import pytest
from sqlalchemy import func, select

from core.errors import InvalidInput
from core.importing import (
    NoUsableColumns,
    PlanAction,
    import_customers,
    preview_customer_import,
    read_import_bytes,
    suggest_mapping,
)
from core.storage.models import Customer, CustomerPhone

from importing_helpers import database_dump, sample, stored_customers


def _csv(text: str, name: str = "hand-made.csv"):
    return read_import_bytes(text.encode("utf-8"), name)


def _count(db, model=Customer) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_bad_rows_are_reported_with_their_line_and_the_good_ones_imported(db):
    report = import_customers(db, sample("bad_rows.csv"))
    rejected = {r.line: r.reason for r in report.plan.rejected}
    assert set(rejected) == {5, 7}
    assert "no name, company, phone or e-mail" in rejected[5] and "not-an-email" in rejected[5]
    assert "never closed" in rejected[7]
    flagged = [(f.line, f.reason) for f in report.plan.flagged]
    assert (4, "'not-an-email' is not a valid e-mail address. It was not stored.") in flagged
    assert (4, "'not a number' is not a phone number. It was not stored.") in flagged
    assert any(line == 6 and "paula@@example" in reason for line, reason in flagged)
    assert any(line == 6 and "31/02/1990" in reason for line, reason in flagged)
    assert any(line == 6 and "'lots'" in reason for line, reason in flagged)
    customers = stored_customers(db)
    assert sorted(customers) == ["Good Person", "Nobody", "Paula Flag"]
    paula = customers["Paula Flag"]
    assert (paula["email"], paula["phone"], paula["birthday"]) == (None, "+15035550163", None)


def test_all_or_nothing_imports_nothing_when_a_row_is_rejected(db):
    before = database_dump(db)
    report = import_customers(db, sample("bad_rows.csv"), all_or_nothing=True)
    assert not report.applied and "nothing was imported" in report.refused
    assert database_dump(db) == before


def test_a_preview_and_a_dry_run_write_nothing(db):
    before = database_dump(db)
    plan = preview_customer_import(db, sample("google_contacts.csv"))
    assert plan.created == 3
    assert [c.name for c in plan.preview(2)] == ["Raúl Peña", "Bayview Auto Repair"]
    report = import_customers(db, sample("google_contacts.csv"), dry_run=True)
    assert not report.applied
    assert database_dump(db) == before


def test_the_preview_shows_customers_exactly_as_they_will_be_stored(db):
    plan = preview_customer_import(db, sample("google_contacts.csv"))
    previewed = {c.name: c.column_values() for c in plan.customers}
    import_customers(db, sample("google_contacts.csv"))
    stored = stored_customers(db)
    for name, values in previewed.items():
        assert {k: stored[name][k] for k in values} == values


def test_reimporting_the_same_file_changes_nothing(db):
    for name in ("google_contacts.csv", "outlook_desktop.csv", "contacts_v3.vcf", "duplicates.csv",
                 "square_customers.csv", "shopify_customers.csv", "bad_rows.csv"):
        import_customers(db, sample(name))
    before = database_dump(db)
    for name in ("google_contacts.csv", "outlook_desktop.csv", "contacts_v3.vcf", "duplicates.csv",
                 "square_customers.csv", "shopify_customers.csv", "bad_rows.csv"):
        report = import_customers(db, sample(name))
        assert (report.plan.created, report.plan.updated) == (0, 0), name
        assert report.summary()["customers"] == []
    assert database_dump(db) == before


def test_duplicates_within_the_file_are_merged_and_each_merge_shown(db):
    report = import_customers(db, sample("duplicates.csv"))
    plan = report.plan
    assert (plan.records, plan.created) == (4, 2)
    assert [(m.line, m.with_line, m.reason) for m in plan.merges] == [
        (3, 2, "same e-mail lena@example.com"), (4, 3, "same phone +19715550167 and the names agree")]
    lena = stored_customers(db)["Lena Dup"]
    assert lena["phone"] == "+19715550167", "the mobile is called first"
    assert lena["other_phones"] == [("+15035550166", None)]
    assert lena["tags"] == "door,opener"
    # Two records of one person: the larger figures, never their sum (that would double a listed-twice account).
    assert (lena["imported_total_spent_cents"], lena["imported_order_count"]) == (10000, 2)
    assert str(lena["imported_last_purchase"]) == "2025-06-01"


def test_a_file_customer_matching_a_stored_ones_other_phone_is_merged_into_it(db):
    with db.transaction() as session:
        customer = Customer(name="Steve Sorensen", phone="+15035550100")
        customer.other_phones.append(CustomerPhone(number="+19715550167", label="mobile"))
        session.add(customer)
    report = import_customers(db, _csv("Name,Phone,Email,Notes\nSteve S.,971 555 0167,steve@example.com,Gate code 12\n"))
    assert report.plan.created == 0 and report.plan.updated == 1
    merge = report.plan.merges[0]
    assert (merge.customer_name, merge.reason) == ("Steve Sorensen", "same phone +19715550167 and the names agree")
    steve = stored_customers(db)["Steve Sorensen"]
    assert (steve["email"], steve["notes"], steve["phone"]) == ("steve@example.com", "Gate code 12", "+15035550100")
    assert _count(db) == 1


def test_merging_fills_gaps_but_never_overwrites_the_owners_data(db):
    with db.transaction() as session:
        session.add(Customer(name="Owner Typed", email="ot@example.com", city="Salem", notes="VIP"))
    import_customers(db, _csv("Name,Email,City,Notes,Company\nFile Name,OT@example.com,Eugene,New note,Acme\n"))
    stored = stored_customers(db)["Owner Typed"]
    assert (stored["city"], stored["company"]) == ("Salem", "Acme")
    assert stored["notes"] == "VIP\nNew note"


def test_a_stored_demo_customer_is_merged_not_created_twice(demo_db):
    with demo_db.session() as session:
        known = session.scalars(select(Customer).where(Customer.email.is_not(None)).limit(1)).one()
        count = session.scalar(select(func.count()).select_from(Customer))
    text = f"Name,Email,Phone\n{known.name.upper()},{known.email.upper()},\nNew Person,new@example.com,503-555-0199\n"
    report = import_customers(demo_db, _csv(text))
    assert (report.plan.created, len(report.plan.merges)) == (1, 1)
    assert report.plan.merges[0].customer_id == known.id
    assert _count(demo_db) == count + 1


def test_phones_use_the_rows_country_or_their_own_country_code(db):
    text = ("Name,Phone,Country\n"
            "Local,(503) 555-0170,\n"
            "Canadian,416 555 0171,Canada\n"
            "Brit,020 7946 0018,UK\n"
            "Forced,'+1 503 555 0172 ext. 9,\n"
            "Far,+81 3-1234-5678,\n"
            "Unknown Land,503-555-0173,Atlantis\n")
    report = import_customers(db, _csv(text))
    customers = stored_customers(db)
    assert customers["Local"]["phone"] == "+15035550170"
    assert (customers["Canadian"]["phone"], customers["Canadian"]["country"]) == ("+14165550171", "CA")
    assert (customers["Brit"]["phone"], customers["Brit"]["country"]) == ("+442079460018", "GB")
    assert customers["Forced"]["phone"] == "+15035550172"
    assert "Extension 9" in customers["Forced"]["notes"]
    assert customers["Far"]["phone"] == "+81312345678"
    assert any(f.line == 7 and "Atlantis" in f.reason for f in report.plan.flagged)


def test_the_shops_region_reads_numbers_without_a_country_code(db):
    report = import_customers(db, sample("semicolon_european.csv"), region="DE")
    assert report.plan.region == "DE"
    customers = stored_customers(db)
    assert customers["Jürgen Schröder"]["phone"] == "+49301234567"
    assert customers["Anna Weiß"]["phone"] == "+4915123456789"


def test_names_are_trimmed_and_collapsed_with_accents_kept(db):
    import_customers(db, _csv("First Name,Last Name,Email\n  José   María ,  Núñez  ,jm@example.com\n"))
    assert stored_customers(db)["José María Núñez"]["first_name"] == "José María"


def test_a_file_with_no_usable_column_changes_nothing_until_mapped_by_hand(db):
    source = sample("no_usable_column.csv")
    before = database_dump(db)
    with pytest.raises(NoUsableColumns, match="no column looks like a name, company, phone or e-mail"):
        import_customers(db, source)
    assert database_dump(db) == before
    mapping = suggest_mapping(source).changed({"SKU": "name", 2: "tags"})
    report = import_customers(db, source, mapping)
    assert report.plan.created == 2
    assert stored_customers(db)["DR-OAK"]["tags"] == "oak"


def test_the_owner_can_remap_a_recognised_column(db):
    source = _csv("Name,Phone,Notes\nPat Map,503-555-0174,503-555-0175\n")
    mapping = suggest_mapping(source).changed({"notes": "work_phone"})
    assert [c.field.value for c in mapping.columns] == ["name", "phone", "work_phone"]
    import_customers(db, source, mapping)
    assert stored_customers(db)["Pat Map"]["other_phones"] == [("+15035550175", "work")]


@pytest.mark.parametrize("changes,words", [
    ({"Nope": "name"}, "no column 'Nope'"),
    ({9: "name"}, "no column 9"),
    ({"Name": "shoe_size"}, "not a field"),
])
def test_a_bad_mapping_is_refused_with_a_message(changes, words):
    source = _csv("Name,Phone\nA,503-555-0176\n")
    with pytest.raises(InvalidInput, match=words):
        suggest_mapping(source).changed(changes)


def test_an_error_halfway_leaves_the_database_as_it_was(db, monkeypatch):
    import core.importing.customers as customers_module

    import_customers(db, sample("square_customers.csv"))
    before = database_dump(db)

    def power_cut(session, rows):
        raise RuntimeError("power cut")

    monkeypatch.setattr(customers_module, "_insert_other_phones", power_cut)
    with pytest.raises(RuntimeError):
        import_customers(db, sample("google_contacts.csv"))
    assert database_dump(db) == before


def test_a_stale_preview_cannot_create_a_duplicate(db):
    source = _csv("Name,Email\nRace Condition,race@example.com\n")
    plan = preview_customer_import(db, source)
    assert plan.customers[0].action is PlanAction.CREATE
    import_customers(db, source)
    import_customers(db, source)
    assert _count(db) == 1


def test_do_not_call_is_honoured_and_never_cleared(db):
    import_customers(db, _csv("Name,Phone,Do not call\nQuiet Quinn,503-555-0177,yes\n"))
    import_customers(db, _csv("Name,Phone,Do not call\nQuiet Quinn,503-555-0177,no\n"))
    assert stored_customers(db)["Quiet Quinn"]["do_not_call"] is True


def test_a_region_that_is_not_a_country_is_refused():
    from core.importing.customers import _check_region

    with pytest.raises(InvalidInput, match="not a country code"):
        _check_region("XX")
