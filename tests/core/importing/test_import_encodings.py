"""Text files from spreadsheets anywhere: UTF-8 with a stray byte stays UTF-8 (the line flagged),
and one-byte code pages from outside the US and Western Europe are read as written — or flagged,
and the owner can choose."""

import json

import pytest

import main
from core.importing import ImportFileError, import_customers, read_import_bytes
from core.importing import encodings

from importing_helpers import FIXTURES, sample, stored_customers


def test_a_utf8_file_with_one_bad_byte_is_read_as_utf8_and_the_line_flagged(db):
    source = sample("utf8_one_bad_byte.csv")
    assert source.encoding == "UTF-8"
    plan = import_customers(db, source).plan
    names = set(stored_customers(db))
    assert {"José Núñez", "Zoë Brontë", "Ingrid Sørensen"} <= names, "every other line keeps its letters"
    assert [(f.line, "not UTF-8" in f.reason) for f in plan.flagged] == [(4, True)]


@pytest.mark.parametrize("name,label,names", [
    ("mac_roman_cr.csv", "Mac Roman", {"Jürgen Müller", "Renée Côté", "Søren Ødegård"}),
    ("cp1250_polish.csv", "Windows-1250 (Central European)",
     {"Łukasz Wróbel", "Małgorzata Kowalczyk", "Paweł Żak"}),
    ("cp1251_cyrillic.csv", "Windows-1251 (Cyrillic)",
     {"Иван Петров", "Ольга Смирнова", "Дмитрий Волков"}),
    ("windows1252.csv", "Windows-1252", {"François Müller", "Noémie Dubois"}),
])
def test_code_pages_from_excel_around_the_world_are_read_as_written(db, name, label, names):
    source = sample(name)
    assert source.encoding == label
    plan = import_customers(db, source).plan
    assert set(stored_customers(db)) == names
    assert not plan.flagged


def test_mac_roman_rows_keep_their_physical_lines_with_cr_only_line_ends():
    source = sample("mac_roman_cr.csv")
    assert [row.line for row in source.rows] == [2, 3, 4]


def test_the_systems_own_code_page_wins_a_tie(monkeypatch):
    # "Núñez" in Windows-1250 reads "Núńez": a real word either way, so the system decides.
    data = "Name,Email\nJosé Núñez,jose@example.com\n".encode("cp1252")
    assert read_import_bytes(data).encoding == "Windows-1252"
    monkeypatch.setattr(encodings, "system_code_page", lambda: "cp1250")
    assert read_import_bytes(data).encoding == "Windows-1250 (Central European)"


def test_a_guess_that_still_reads_oddly_is_flagged_with_its_line():
    data = "Name,City\nAnna,Berlin\nX\x83\x88\x89 Z\x8a\x8b,Oslo\n".encode("latin-1")
    source = read_import_bytes(data, "odd.csv")
    assert [line for line, _ in source.line_problems] == [3]
    assert "--encoding" in source.line_problems[0][1]


def test_the_owner_can_choose_the_encoding_on_the_command_line(tmp_path, capsys):
    code = main.main(["import", str(FIXTURES / "cp1250_polish.csv"), "--encoding", "cp1251", "--dry-run", "--json",
                      "--data-dir", str(tmp_path / "data")])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0 and payload["encoding"] == "Windows-1251 (Cyrillic)"
    code = main.main(["import", str(FIXTURES / "cp1250_polish.csv"), "--encoding", "cp1250", "--dry-run", "--json",
                      "--data-dir", str(tmp_path / "data")])
    payload = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in payload["customers"]][0] == "Łukasz Wróbel"


def test_an_unknown_encoding_name_is_a_clear_error(tmp_path, capsys):
    code = main.main(["import", str(FIXTURES / "cp1250_polish.csv"), "--encoding", "klingon",
                      "--data-dir", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 2 and "'klingon' is not an encoding" in err and "Traceback" not in err


def test_read_import_bytes_refuses_an_unknown_encoding():
    with pytest.raises(ImportFileError, match="klingon"):
        read_import_bytes(b"Name\nAda\n", encoding="klingon")
