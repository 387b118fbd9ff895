"""Every recognised export maps itself: the format is named and the first customer lands right."""

import datetime as dt

import pytest

from core.importing import import_customers, suggest_mapping

from importing_helpers import sample, stored_customers

# file, format, then one customer as it must be stored
FORMATS = [
    ("square_customers.csv", "square", "Maria Delgado", {
        "phone": "+15035550101", "email": "maria.delgado@example.com", "birthday": dt.date(1984, 7, 19),
        "notes": "Prefers mornings", "external_id": "K3QZ8D4N1R5X7Y2A", "imported_order_count": 14,
        "imported_total_spent_cents": 231040, "imported_last_purchase": dt.date(2025, 10, 30),
        "address": "1220 SE Division St", "city": "Portland", "region": "OR", "postal_code": "97202"}),
    ("shopify_customers.csv", "shopify", "Chloé Martin", {
        "phone": "+33612345678", "email": "chloe.martin@example.fr", "country": "FR", "tags": "vip,france",
        "imported_total_spent_cents": 84250, "imported_order_count": 5, "external_id": "7208127455531",
        "notes": 'Wants the "premium" opener, asks for Chloé'}),
    ("woocommerce_customers.csv", "woocommerce", "Ana Souza", {
        "email": "ana.souza@example.com", "imported_order_count": 6, "imported_total_spent_cents": 91200,
        "imported_last_purchase": dt.date(2025, 11, 14), "city": "Beaverton", "country": "US"}),
    ("lightspeed_r_customers.csv", "lightspeed_r", "Björn Eriksson", {
        "phone": "+19715550107", "other_phones": [("+15035550106", "home")], "external_id": "1001",
        "birthday": dt.date(1979, 4, 12), "country": "US"}),
    ("lightspeed_x_customers.csv", "lightspeed_x", "Mei Tanaka", {
        "phone": "+19715550110", "external_id": "Mei-Tanaka", "tags": "loyalty members",
        "birthday": dt.date(1990, 3, 2), "notes": "Likes the smart opener"}),
    ("quickbooks_online_customers.csv", "quickbooks_online", "Linda Park", {
        "company": "Lakeside Apartments", "phone": "+15035550112", "other_phones": [("+15035550111", None)],
        "email": "manager@lakeside.example", "address": "300 Lakeside Dr, Portland, OR 97219"}),
    ("quickbooks_desktop_customers.csv", "quickbooks_desktop", "Siobhán Fitzgerald", {
        "company": None, "phone": "+15035550116"}),
    ("xero_contacts.csv", "xero", "Olusegun Okafor", {
        "company": "Cedar Ridge Builders", "phone": "+19715550119", "external_id": "CRB-01",
        "other_phones": [("+15035550117", "work"), ("+15035550118", "fax")], "tags": "contractors",
        "address": "PO Box 112"}),
    ("google_contacts.csv", "google", "Raúl Peña", {
        "phone": "+19715550121", "email": "raul.pena@example.com", "tags": "customers",
        "other_phones": [("+15035550120", "work"), ("+19715550122", "mobile")],
        "notes": "Other e-mail: raul@penaroofing.example", "birthday": dt.date(1988, 11, 2)}),
    ("google_contacts_legacy.csv", "google_legacy", "Søren Kierkegaard", {
        "phone": "+4520123456", "other_phones": [("+4533123456", "home")], "tags": "gresham",
        "notes": "Old customer from the Gresham shop"}),
    ("outlook_desktop.csv", "outlook", "Renée Lefèvre", {
        "company": "Lefèvre & Fils", "phone": "+19715550128", "birthday": dt.date(1975, 3, 14),
        "other_phones": [("+15035550126", "fax"), ("+15035550127", "work")], "tags": "customers,doors",
        "notes": "Café owner; call after 10"}),
    ("outlook_com.csv", "outlook_com", "Hiroshi Tanaka", {
        "company": "Tanaka Auto", "phone": "+19715550131", "birthday": dt.date(1981, 9, 30)}),
]


@pytest.mark.parametrize("name,format_key,customer,expected", FORMATS, ids=[f[1] for f in FORMATS])
def test_each_known_export_is_recognised_and_stored_right(db, name, format_key, customer, expected):
    source = sample(name)
    assert suggest_mapping(source).format_key == format_key
    report = import_customers(db, source)
    assert report.plan.format_key == format_key
    assert not report.plan.rejected
    stored = stored_customers(db)[customer]
    assert {k: stored[k] for k in expected} == expected


def test_outlook_desktop_in_windows_1252_keeps_accents_and_its_extension(db):
    report = import_customers(db, sample("outlook_desktop.csv"))
    assert report.plan.encoding == "Windows-1252"
    paul = stored_customers(db)["Paul Novák"]
    assert paul["phone"] == "+15035550129"
    assert "Extension 204" in paul["notes"]
    assert paul["birthday"] is None, "Outlook's 0/0/00 means no birthday"


def test_a_company_only_record_is_listed_under_the_company(db):
    import_customers(db, sample("square_customers.csv"))
    import_customers(db, sample("google_contacts.csv"))
    customers = stored_customers(db)
    bayview = customers["Bayview Auto Repair"]
    assert bayview["company"] == "Bayview Auto Repair"
    assert bayview["phone"] == "+15035550123", "the work number is called, never the fax"
    assert bayview["other_phones"] == [("+15035550124", "fax")]


def test_a_record_with_only_a_phone_is_listed_under_it_and_flagged(db):
    report = import_customers(db, sample("square_customers.csv"))
    assert "(503) 555-0103" in stored_customers(db)
    assert any(f.line == 4 and "no name or company" in f.reason for f in report.plan.flagged)


def test_a_yearless_birthday_is_flagged_and_the_row_kept(db):
    report = import_customers(db, sample("google_contacts.csv"))
    assert any(f.line == 5 and "no year" in f.reason for f in report.plan.flagged)
    assert stored_customers(db)["Amélie Dubois"]["phone"] == "+33698765432"


def test_vcard_3_several_cards_folded_lines_types_and_an_organisation_card(db):
    report = import_customers(db, sample("contacts_v3.vcf"))
    assert (report.plan.format_key, report.plan.created) == ("vcard", 3)
    customers = stored_customers(db)
    ewa = customers["Ewa Kowalski"]
    assert (ewa["company"], ewa["phone"], ewa["email"]) == (
        "Kowalski Renovations", "+19715550133", "ewa@kowalski-renovations.example")
    assert ewa["other_phones"] == [("+15035550132", "work"), ("+15035550134", "fax")]
    assert ewa["notes"] == "Installer for the east side. Likes long, detailed quotes.\nCall before 9."
    assert ewa["tags"] == "contractor,east side"
    station = customers["Willamette Fire Station 7"]
    assert station["company"] == "Willamette Fire Station 7" and station["first_name"] is None
    assert station["notes"] == "Three bay doors serviced every spring; ask for the duty officer."
    linh = customers["Linh Nguyen"]
    assert linh["last_name"] == "Nguyen", "a folded N line is unfolded"
    assert linh["phone"] == "+19715550137" and linh["email"] == "linh.nguyen@example.com"


def test_vcard_4_tel_uris_extensions_and_an_empty_card_rejected_with_its_line(db):
    report = import_customers(db, sample("contacts_v4.vcf"))
    customers = stored_customers(db)
    carlos = customers["Carlos Álvarez"]
    assert carlos["phone"] == "+15035550138"
    assert carlos["other_phones"] == [("+15035550139", "work ext. 42")]
    assert carlos["birthday"] == dt.date(1983, 7, 4)
    assert customers["Sellwood Hardware"]["phone"] == "+15035550140"
    assert "Nobody At All" in customers
    assert [(r.line, "no name" in r.reason) for r in report.plan.rejected] == [(21, True)]


def test_vcard_2_1_quoted_printable(db):
    import_customers(db, sample("contacts_v21.vcf"))
    jurgen = stored_customers(db)["Jürgen Müller"]
    assert jurgen["phone"] == "+4915123456789"
    assert jurgen["notes"] == "First line\r\nSecond line that is long enough to be wrapped"
