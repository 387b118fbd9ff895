"""A data folder we cannot use, a file that is not ours, a database from a newer CallAhead:
each gets a clear message and the file stays byte-for-byte as it was."""

import hashlib
import sqlite3

import pytest

import main
from core.storage.database import head_revision, open_database
from core.errors import DatabaseTooNew, DataDirNotWritable, NotACallAheadDatabase
from core.storage.paths import database_path, sqlite_url


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def not_a_database(data_dir):
    path = database_path(data_dir)
    path.write_bytes(b"Name,Phone\nAda,555\n" * 50)
    return path


@pytest.fixture
def other_programs_database(data_dir):
    path = database_path(data_dir)
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE songs (title TEXT)")
    connection.execute("INSERT INTO songs VALUES ('Blue Moon')")
    connection.commit()
    connection.close()
    return path


@pytest.fixture
def newer_database(data_dir):
    path = database_path(data_dir)
    open_database(sqlite_url(path)).dispose()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    for leftover in data_dir.glob("*-wal"):
        leftover.unlink()
    return path


@pytest.mark.sqlite_only  # files in the data folder that are not CallAhead's SQLite database
@pytest.mark.parametrize("fixture,error,words", [
    ("not_a_database", NotACallAheadDatabase, "not an SQLite file"),
    ("other_programs_database", NotACallAheadDatabase, "another program"),
    ("newer_database", DatabaseTooNew, "newer version of CallAhead"),
])
def test_a_file_we_must_not_open_is_refused_and_left_untouched(request, data_dir, fixture, error, words):
    path = request.getfixturevalue(fixture)
    before = _digest(path)
    files_before = sorted(p.name for p in data_dir.iterdir())
    with pytest.raises(error, match=words):
        open_database(sqlite_url(path))
    assert _digest(path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == files_before, "no -wal, -shm or backup appeared"


@pytest.mark.sqlite_only  # files in the data folder that are not CallAhead's SQLite database
@pytest.mark.parametrize("fixture", ["not_a_database", "other_programs_database", "newer_database"])
def test_the_command_line_says_why_on_stderr_and_exits_non_zero(request, data_dir, capsys, fixture):
    path = request.getfixturevalue(fixture)
    before = _digest(path)
    code = main.main(["demo", "--data-dir", str(data_dir)])
    captured = capsys.readouterr()
    assert code != 0
    assert str(path) in captured.err and captured.out == ""
    assert _digest(path) == before


@pytest.mark.sqlite_only  # files in the data folder that are not CallAhead's SQLite database
def test_a_data_folder_that_cannot_be_created_is_named_in_the_message(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(DataDirNotWritable, match="a-file"):
        open_database(sqlite_url(blocker / "data" / "callahead.sqlite3"))
    assert main.main(["demo", "--data-dir", str(blocker / "data")]) == 2
    assert "cannot create its data folder" in capsys.readouterr().err
    assert blocker.read_text() == "not a folder"


def test_newer_database_message_names_both_versions(newer_database):
    with pytest.raises(DatabaseTooNew) as raised:
        open_database(sqlite_url(newer_database))
    assert "9999" in str(raised.value) and head_revision() in str(raised.value)
