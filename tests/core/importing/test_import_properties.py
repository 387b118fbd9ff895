"""Properties over arbitrary input: the parsers and cleaners never crash, bad values get a message,
and anything exported reads back exactly and never as a formula."""

import csv
import io
import string

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.errors import CallAheadError, InvalidInput
from core.reports.exporting import FORMULA_MARKS, neutralise_cell, write_safe_csv
from core.importing import ImportKind, read_import_bytes, suggest_mapping
from core.importing.customers import clean_record
from core.importing.fields import Field
from core.importing.mapping import source_contacts
from core.importing.reading import unforce_text
from core.importing.raw import RawContact, RawPhone
from core.importing.values import parse_count, parse_country, parse_date, parse_money_cents
from core.importing.vcard import read_vcards

# Printable text of every script, plus the whitespace files really contain (no other control characters:
# a file full of those is refused as binary, which another property covers).
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\r\n"), max_size=40)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused_with_a_message(data):
    for kind in ImportKind:
        try:
            source = read_import_bytes(data, "x.csv", kind)
        except CallAheadError as error:
            assert str(error)
            continue
        column_map = suggest_mapping(source, kind)
        if kind is ImportKind.CUSTOMERS:
            for raw in source_contacts(source, column_map):
                record, flags, rejection = clean_record(raw, "US")
                assert record is not None or rejection


@SETTINGS
@given(st.lists(st.lists(TEXT, min_size=1, max_size=5), max_size=8), st.sampled_from([",", ";", "\t"]),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]), st.sampled_from(["\n", "\r\n"]))
def test_arbitrary_csv_content_never_crashes_the_reader(rows, delimiter, encoding, newline):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows([["Name", "Phone", "Email"], *rows])
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buffer.getvalue().encode("utf-8")
    try:
        source = read_import_bytes(data, "x.csv")
    except CallAheadError:
        return
    for raw in source_contacts(source, suggest_mapping(source)):
        clean_record(raw, "US")


@SETTINGS
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=10))
@example([("", "0"), ("", "\r")])  # the export forces '\r; reading it back is still a blank row
def test_exported_cells_read_back_exactly(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("roundtrip") / "out.csv"
    write_safe_csv(path, ("Name", "Notes"), rows)
    kept = [row for row in rows if any(cell.strip() for cell in row)]
    if not kept:
        return
    source = read_import_bytes(path.read_bytes(), "out.csv")
    assert source.headers == ("Name", "Notes")
    assert [tuple(unforce_text(c) for c in row.cells) for row in source.rows] == kept


@given(st.one_of(TEXT, st.text(max_size=20), st.integers(), st.none(), st.booleans()))
def test_no_exported_cell_can_start_a_formula(value):
    cell = neutralise_cell(value)
    assert not cell.startswith(FORMULA_MARKS)
    assert unforce_text(cell) == ("" if value is None or value is False else
                                  "yes" if value is True else str(value))


@given(TEXT)
def test_value_parsers_return_a_value_or_a_message_naming_it(text):
    for parser in (lambda t: parse_date(t, "US"), lambda t: parse_date(t, "GB"), parse_money_cents, parse_count,
                   parse_country):
        try:
            parser(text)
        except InvalidInput as problem:
            assert text.strip()[:10] in str(problem) or repr(text) in str(problem)


@given(st.lists(TEXT, max_size=3), st.lists(TEXT, max_size=3), TEXT)
def test_every_bad_phone_or_email_is_flagged_by_value(phones, emails, name):
    raw = RawContact(line=2, phones=[RawPhone(p) for p in phones], emails=list(emails))
    raw.add(Field.NAME, name)
    record, flags, rejection = clean_record(raw, "US")
    kept_phones = len(record.phones) if record else 0
    kept_emails = len(record.emails) if record else 0
    if record is None:
        assert rejection
        return
    for text in [e for e in emails if e.strip()]:
        assert text.strip().lower() in record.emails or any(f"'{text}'" in flag for flag in flags)
    assert kept_phones <= len([p for p in phones if p.strip()])
    assert kept_emails <= len([e for e in emails if e.strip()])


@given(st.text(alphabet=string.printable + "éø;:,\\", max_size=300))
def test_any_vcard_text_is_parsed_without_crashing(body):
    read_vcards("BEGIN:VCARD\r\nVERSION:3.0\r\n" + body + "\r\nEND:VCARD\r\n")


@given(st.integers(min_value=0, max_value=10**11), st.sampled_from(["", "$"]), st.booleans(), st.integers(0, 2))
def test_the_quick_reading_of_plain_amounts_agrees_with_the_general_one(cents, sign, grouped, decimals):
    from core.importing.values import money_cents_in_any_form, parse_money_cents

    whole = f"{cents // 100:,}" if grouped else str(cents // 100)
    text = sign + whole + ("" if decimals == 0 else "." + f"{cents % 100:02d}"[:decimals])
    assert parse_money_cents(text) == money_cents_in_any_form(text, text)
