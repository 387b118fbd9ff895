"""Where an export writes: never through a link or over a special file, owner-only, and with the
list separator a spreadsheet in the owner's locale expects (issue 11 item 10, issue 19 item 9)."""

import datetime as dt
import json
import os
import stat

import pytest

import main
from core.reports.exporting import ExportError, default_delimiter, export_customers_csv, export_planned_calls_ics
from core.importing import read_import_file

NOW = dt.datetime(2026, 11, 24, 9, 0)


def _export(capsys, *argv):
    code = main.main([str(a) for a in argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


@pytest.mark.parametrize("what", ["customers", "ics"])
def test_an_export_pointed_at_a_link_refuses_and_leaves_the_linked_file_alone(demo_data_dir, tmp_path, capsys, what):
    precious = tmp_path / "precious.txt"
    precious.write_text("the owner's notes", encoding="utf-8")
    link = tmp_path / "export.csv"
    link.symlink_to(precious)
    code, _, err = _export(capsys, "export", what, link, "--data-dir", demo_data_dir)
    assert code == 2 and "is a link" in err
    assert link.is_symlink() and precious.read_text(encoding="utf-8") == "the owner's notes"


def test_an_export_pointed_at_a_pipe_or_a_folder_refuses(db, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    pipe = out / "pipe.csv"
    os.mkfifo(pipe)
    with db.session() as session:
        with pytest.raises(ExportError, match="not a regular file"):
            export_customers_csv(session, pipe)
        with pytest.raises(ExportError, match="folder"):
            export_planned_calls_ics(session, out, NOW)
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert [p.name for p in out.iterdir()] == ["pipe.csv"], "no half-written file left behind"


def test_exports_are_owner_only_even_when_they_replace_a_readable_file(demo_data_dir, tmp_path, capsys):
    target = tmp_path / "customers.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    assert _export(capsys, "export", "customers", target, "--data-dir", demo_data_dir)[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_delimiter_can_be_chosen_and_the_file_imports_back(demo_data_dir, tmp_path, capsys):
    target = tmp_path / "customers.csv"
    code, out, _ = _export(capsys, "export", "customers", target, "--delimiter", ";", "--data-dir", demo_data_dir)
    assert code == 0 and set(json.loads(out)) == {"file", "kind", "rows"}
    assert target.read_text(encoding="utf-8-sig").startswith("CallAhead ID;Name;")
    assert read_import_file(target).delimiter == ";"


def test_by_default_the_delimiter_follows_the_locales_list_separator(demo_data_dir, tmp_path, capsys, monkeypatch):
    for variable in ("LC_ALL", "LC_NUMERIC"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    german = tmp_path / "de.csv"
    assert _export(capsys, "export", "calls", german, "--data-dir", demo_data_dir)[0] == 0
    assert german.read_text(encoding="utf-8-sig").startswith("Logged at;Customer;")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    american = tmp_path / "us.csv"
    assert _export(capsys, "export", "calls", american, "--data-dir", demo_data_dir)[0] == 0
    assert american.read_text(encoding="utf-8-sig").startswith("Logged at,Customer,")


@pytest.mark.parametrize("name,expected", [("de_DE", ";"), ("fr_FR", ";"), ("nl_NL", ";"), ("it_IT", ";"),
                                           ("es_ES", ";"), ("en_US", ","), ("en_GB", ","), (None, ","),
                                           ("xx_YY", ",")])
def test_default_delimiter_by_locale(name, expected):
    assert default_delimiter(name) == expected
