"""Reading files as owners really have them: encodings, delimiters, quoting, blank lines, bad files."""

import pytest

from core.errors import CallAheadError
from core.importing import EmptyImportFile, ImportFileError, NotATextFile, SourceKind, read_import_bytes
from core.importing.reading import decode_import_bytes, sniff_delimiter

from importing_helpers import FIXTURES, sample


@pytest.mark.parametrize("name,encoding,delimiter,first_cells,lines", [
    ("bom_utf8.csv", "UTF-8 with BOM", ",", ("Zoë Brontë", "zoe@example.com", "503-555-0141"), [2]),
    ("utf16_excel_unicode.txt", "UTF-16LE", "\t", ("Siobhán Ní Bhriain", "siobhan@example.ie", "503-555-0142"), [2, 3]),
    ("utf16be_no_bom.csv", "UTF-16BE", ",", ("Gönül Yılmaz", "503-555-0144"), [2]),
    ("windows1252.csv", "Windows-1252", ",", ("François Müller", "Café Crème", "503-555-0145"), [2, 3]),
    ("semicolon_european.csv", "UTF-8", ";", ("Jürgen", "Schröder", "Schröder GmbH", "030 1234567",
                                               "js@schroeder.example", "1.234,50"), [2, 3]),
    ("tab_delimited.tsv", "UTF-8", "\t", ("Dmitri", "Ivanov", "(503) 555-0147", "Asked about, and paid for, a keypad"),
     [2]),
    ("crlf.csv", "UTF-8", ",", ("Carol Crlf", "503-555-0152"), [2, 3]),
    ("no_final_newline.csv", "UTF-8", ",", ("Erin Last", "503-555-0154"), [2, 3]),
    ("all_quoted.csv", "UTF-8", ",", ("Gina Quoted", "", "503-555-0156", "gina@example.com"), [2, 3]),
    ("empty_first_column.csv", "UTF-8", ",", ("", "Hank Empty", "503-555-0158"), [2, 3]),
    ("sep_hint.csv", "UTF-8", ";", ("Kurt Hint", "503-555-0161"), [3]),
])
def test_encodings_and_delimiters_are_detected(name, encoding, delimiter, first_cells, lines):
    source = sample(name)
    assert (source.encoding, source.delimiter) == (encoding, delimiter)
    assert source.rows[0].cells == first_cells
    assert [row.line for row in source.rows] == lines


def test_quoted_fields_keep_commas_and_line_breaks_and_lines_count_physically():
    source = sample("quoted_multiline.csv")
    first, second = source.rows
    assert first.cells[0] == "Smith, Jane"
    assert first.cells[1] == 'Line one\nLine two, with a comma\n"Quoted" words'
    assert (first.line, second.line) == (2, 5), "the second record starts on the file's fifth line"


def test_blank_lines_and_rows_of_empty_cells_are_skipped_not_counted_as_records():
    source = sample("blank_lines.csv")
    assert [(row.line, row.cells[0]) for row in source.rows] == [(3, "Alice Blank"), (7, "Bob Blank")]
    assert source.blank_rows == 6


def test_a_report_title_above_the_header_is_skipped():
    source = sample("title_rows_report.csv")
    assert source.headers == ("Customer", "Main Phone", "Email")
    assert source.header_line == 4
    assert source.rows[0].line == 5


@pytest.mark.parametrize("name,error,words", [
    ("empty.csv", EmptyImportFile, "empty"),
    ("only_bom_and_blank_lines.csv", EmptyImportFile, "empty"),
    ("header_only.csv", EmptyImportFile, "no rows"),
    ("binary.bin", NotATextFile, "binary"),
    ("workbook.xlsx", NotATextFile, "Excel"),
])
def test_files_that_cannot_be_imported_get_a_clear_message(name, error, words):
    with pytest.raises(error, match=words) as raised:
        sample(name)
    assert isinstance(raised.value, CallAheadError)
    assert name in str(raised.value)


def test_a_missing_file_or_a_folder_is_a_clear_error(tmp_path):
    from core.importing import read_import_file

    with pytest.raises(ImportFileError, match="does not exist"):
        read_import_file(tmp_path / "nope.csv")
    with pytest.raises(ImportFileError, match="folder"):
        read_import_file(tmp_path)


def test_an_unclosed_quote_marks_the_record_where_it_opened():
    source = sample("bad_rows.csv")
    broken = [row for row in source.rows if row.problem]
    assert [row.line for row in broken] == [7]
    assert "never closed" in broken[0].problem


def test_vcard_files_are_recognised_with_each_card_at_its_begin_line():
    source = sample("contacts_v3.vcf")
    assert source.kind is SourceKind.VCARD
    assert [c.line for c in source.contacts] == [1, 15, 27]


def test_a_utf8_file_is_never_mistaken_for_windows_1252():
    text = "Name\nŁukasz Żółć\n"
    assert decode_import_bytes(text.encode("utf-8")).encoding == "UTF-8"
    assert decode_import_bytes("Name\nJosé\n".encode("cp1252")).encoding == "Windows-1252"


@pytest.mark.parametrize("text,expected", [
    ("a,b,c\n1,2,3\n", ","),
    ("a;b;c\n1;2;3\n", ";"),
    ("a\tb\tc\n1\t2\t3\n", "\t"),
    ("name;notes\nAda;\"one, two, three, four\"\n", ";"),
    ("single column\nvalue\n", ","),
])
def test_delimiter_sniffing_with_fallback(text, expected):
    assert sniff_delimiter(text) == expected


def test_a_vcard_is_refused_as_purchase_history():
    from core.importing import ImportKind

    data = (FIXTURES / "contacts_v4.vcf").read_bytes()
    with pytest.raises(ImportFileError, match="contacts, not purchases"):
        read_import_bytes(data, "c.vcf", ImportKind.PURCHASES)
