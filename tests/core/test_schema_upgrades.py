"""A database written by any earlier CallAhead opens in this one with every row intact.

tests/fixtures/schemas/<revision>.sqlite3 are frozen by tools/freeze_schema_fixture.py, one
per schema revision, and never regenerated: they stand for files already on owners' disks.
"""

import datetime as dt
import shutil
import sqlite3

import pytest
from sqlalchemy import text

from core.storage.backup_files import backups_folder
from core.storage.database import DatabaseUpgradeFailed, head_revision, known_revisions, open_database
from core.storage.integrity import integrity_check_problems
from core.storage.paths import database_path, sqlite_url
from tools.freeze_schema_fixture import FIXTURES_DIR, SAMPLE_ROWS, fixture_path

pytestmark = pytest.mark.sqlite_only  # frozen SQLite files of every earlier schema

SKIPPED_TABLES = {"alembic_version"}


def _tables(connection) -> list[str]:
    names = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                               " AND name NOT LIKE 'customer_search%'")
    return sorted(row[0] for row in names if row[0] not in SKIPPED_TABLES)


def _contents(path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table's columns and rows (ordered by their first column)."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        found = {}
        for table in _tables(connection):
            cursor = connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
            found[table] = ([c[0] for c in cursor.description], cursor.fetchall())
        return found
    finally:
        connection.close()


def _common_columns(before, after):
    columns_before, rows_before = before
    columns_after, rows_after = after
    shared = [c for c in columns_before if c in columns_after]
    pick = lambda columns, rows: [tuple(row[columns.index(c)] for c in shared) for row in rows]  # noqa: E731
    return shared, pick(columns_before, rows_before), pick(columns_after, rows_after)


def test_every_schema_revision_has_a_frozen_database():
    frozen = sorted(p.stem for p in FIXTURES_DIR.glob("*.sqlite3"))
    assert frozen == known_revisions(), (
        "freeze the new revision: python tools/freeze_schema_fixture.py, then git add -f tests/fixtures/schemas/")


@pytest.mark.parametrize("revision", known_revisions())
def test_a_frozen_database_is_at_its_revision_and_holds_data_in_every_table(revision):
    contents = _contents(fixture_path(revision))
    connection = sqlite3.connect(f"{fixture_path(revision).resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision
    finally:
        connection.close()
    assert set(contents) <= set(SAMPLE_ROWS), "every table of the revision gets sample rows"
    assert all(rows for _columns, rows in contents.values()), "an empty table would prove nothing"


@pytest.mark.parametrize("revision", known_revisions())
def test_upgrading_a_frozen_database_to_the_newest_schema_keeps_every_row(revision, data_dir):
    # This caught 0003's rebuild of call_tasks firing ON DELETE SET NULL on every call log's task.
    path = database_path(data_dir)
    shutil.copy(fixture_path(revision), path)
    before = _contents(path)

    database = open_database(sqlite_url(path), now=dt.datetime(2026, 11, 24, 9, 0))
    try:
        with database.session() as session:
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
            found = session.execute(text("SELECT rowid FROM customer_search WHERE customer_search MATCH 'muller'"))
            assert [row[0] for row in found] == [1], "customers from before the upgrade are searchable"
            by_last_digits = session.execute(text("SELECT rowid FROM customer_search WHERE customer_search MATCH '9876'"))
            assert [row[0] for row in by_last_digits] == [2]
            value = session.execute(text("SELECT customer_value_cents FROM call_tasks WHERE id = 1")).scalar()
            assert value == 392000, "the heads-up task weighs the customer's spend of the year"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1, "references are enforced again"
    finally:
        database.dispose()

    after = _contents(path)
    assert set(before) <= set(after), "no table is lost"
    for table, rows in before.items():
        shared, kept_before, kept_after = _common_columns(rows, after[table])
        assert kept_after == kept_before, f"{table} ({', '.join(shared)}) changed in the upgrade"
    assert integrity_check_problems(path) == ()
    if revision != head_revision():
        backups = list(backups_folder(data_dir).glob("*-before-upgrade.sqlite3"))
        assert len(backups) == 1 and _contents(backups[0]) == before, "the backup holds the file as it was"


@pytest.mark.parametrize("revision", known_revisions())
def test_the_frozen_fixture_itself_is_never_written(revision, data_dir):
    original = fixture_path(revision).read_bytes()
    path = database_path(data_dir)
    shutil.copy(fixture_path(revision), path)
    open_database(sqlite_url(path), now=dt.datetime(2026, 11, 24, 9, 0)).dispose()
    assert fixture_path(revision).read_bytes() == original


def _dump(path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def test_an_upgrade_that_fails_half_way_leaves_the_file_as_it_was(data_dir):
    path = database_path(data_dir)
    shutil.copy(fixture_path("0001"), path)
    # 0002 can run, then 0003's table rebuild finds its scratch table taken and stops.
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE _alembic_tmp_call_tasks (id INTEGER)")
    connection.commit()
    connection.close()
    before = _dump(path)

    with pytest.raises(DatabaseUpgradeFailed) as failed:
        open_database(sqlite_url(path), now=dt.datetime(2026, 11, 24, 9, 0))

    assert _dump(path) == before, "every step of the upgrade was undone, not just the last"
    message = str(failed.value)
    assert str(path) in message and "left as it was" in message
    [backup] = backups_folder(data_dir).glob("*-before-upgrade.sqlite3")
    assert str(backup) in message
