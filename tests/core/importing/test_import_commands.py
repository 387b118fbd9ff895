"""`import` and `export` on the command line: JSON summaries, exit codes, messages on stderr."""

import json
from pathlib import Path

import pytest

import main

from importing_helpers import FIXTURES, database_dump


def _run(capsys, *argv):
    code = main.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "data"


def test_import_prints_the_issues_json_summary(folder, capsys):
    code, out, _ = _run(capsys, "import", FIXTURES / "duplicates.csv", "--data-dir", folder, "--json")
    assert code == 0
    payload = json.loads(out)
    assert {"file", "format", "encoding", "delimiter", "records", "created", "merged", "rejected", "flagged",
            "possible_duplicates", "customers"} == set(payload), "exactly the documented keys: owners script against them"
    assert (payload["file"], payload["format"], payload["encoding"], payload["delimiter"]) == (
        "duplicates.csv", "csv", "UTF-8", ",")
    assert (payload["records"], payload["created"], payload["merged"]) == (4, 2, 2)
    assert payload["customers"][0] == {"name": "Lena Dup", "company": None, "phone": "+19715550167",
                                       "phones": ["+19715550167", "+15035550166"], "email": "lena@example.com"}


def test_import_kind_can_be_named_first_or_with_kind(folder, capsys):
    assert _run(capsys, "import", "customers", FIXTURES / "square_customers.csv", "--data-dir", folder,
                "--json")[0] == 0
    code, out, _ = _run(capsys, "import", FIXTURES / "square_item_sales.csv", "--kind", "purchases",
                        "--data-dir", folder, "--json")
    payload = json.loads(out)
    assert (code, payload["created"]) == (0, 3)
    assert payload["rejected"] == [{"line": 4, "reason": "a refund or return, not a purchase"}]
    code, out, _ = _run(capsys, "import", "purchases", FIXTURES / "square_item_sales.csv", "--data-dir", folder,
                        "--json")
    assert (code, json.loads(out)["created"]) == (0, 0), "the same orders are never imported twice"


def test_dry_run_changes_nothing(folder, capsys):
    _run(capsys, "import", FIXTURES / "square_customers.csv", "--data-dir", folder)
    from core.context import AppContext

    context = AppContext.build(data_dir=str(folder))
    before = database_dump(context.database())
    code, out, _ = _run(capsys, "import", FIXTURES / "google_contacts.csv", "--dry-run", "--json",
                        "--data-dir", folder)
    assert code == 0 and json.loads(out)["created"] == 3
    assert database_dump(context.database()) == before
    context.close()


def test_all_or_nothing_refuses_with_exit_1_and_a_reason(folder, capsys):
    code, out, err = _run(capsys, "import", FIXTURES / "bad_rows.csv", "--all-or-nothing", "--json",
                          "--data-dir", folder)
    assert code == 1
    assert "nothing was imported" in err
    assert [r["line"] for r in json.loads(out)["rejected"]] == [5, 7]


@pytest.mark.parametrize("name,words", [
    ("empty.csv", "is empty"),
    ("binary.bin", "binary file"),
    ("no_usable_column.csv", "no column looks like a name"),
])
def test_a_file_that_cannot_be_imported_exits_2_with_the_reason_on_stderr(folder, capsys, name, words):
    code, out, err = _run(capsys, "import", FIXTURES / name, "--json", "--data-dir", folder)
    assert code == 2 and out == ""
    assert words in err


def test_map_lets_the_owner_name_columns(folder, capsys):
    code, out, _ = _run(capsys, "import", FIXTURES / "no_usable_column.csv", "--map", "SKU=company",
                        "--map", "3=notes", "--json", "--data-dir", folder)
    assert code == 0
    assert [c["name"] for c in json.loads(out)["customers"]] == ["DR-OAK", "DR-STEEL"]
    code, _, err = _run(capsys, "import", FIXTURES / "no_usable_column.csv", "--map", "SKU", "--data-dir", folder)
    assert code == 2 and "COLUMN=FIELD" in err


def test_region_option_reads_local_numbers(folder, capsys):
    code, out, _ = _run(capsys, "import", FIXTURES / "semicolon_european.csv", "--region", "DE", "--json",
                        "--data-dir", folder)
    assert code == 0
    assert json.loads(out)["customers"][0]["phone"] == "+49301234567"


def test_plain_output_names_each_problem_line(folder, capsys):
    code, out, _ = _run(capsys, "import", FIXTURES / "bad_rows.csv", "--data-dir", folder)
    assert code == 0
    assert "rejected line 5:" in out and "flagged line 6:" in out


@pytest.mark.parametrize("what,suffix", [("customers", ".csv"), ("calls", ".csv"), ("ics", ".ics")])
def test_export_commands_write_their_file(demo_data_dir, tmp_path, capsys, what, suffix):
    target = tmp_path / f"out{suffix}"
    code, out, err = _run(capsys, "export", what, target, "--data-dir", demo_data_dir, "--today", "2026-11-24")
    assert code == 0 and target.exists()
    payload = json.loads(out)
    assert payload["file"] == str(target) and payload["kind"] == what
    assert f"Wrote {payload['rows']}" in err


def test_export_to_a_missing_folder_exits_2(demo_data_dir, tmp_path, capsys):
    code, _, err = _run(capsys, "export", "customers", tmp_path / "no" / "x.csv", "--data-dir", demo_data_dir)
    assert code == 2 and "does not exist" in err


@pytest.mark.sqlite_only  # file backups of the SQLite file
def test_an_import_backs_up_the_database_first_and_a_dry_run_does_not(folder, capsys):
    from core.storage.backup_files import backups_folder

    _run(capsys, "import", FIXTURES / "square_customers.csv", "--data-dir", folder)
    _run(capsys, "import", FIXTURES / "google_contacts.csv", "--dry-run", "--data-dir", folder)
    backups = sorted(p.name for p in backups_folder(Path(folder)).glob("*before-import*"))
    assert len(backups) == 1
