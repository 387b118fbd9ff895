"""Upgrading an owner's database keeps every row and writes a backup first."""

import datetime as dt
import sqlite3
import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.config import Config
import pytest
from sqlalchemy import text

from core.storage.backup_files import backups_folder
from core.storage.database import MIGRATIONS_DIR, head_revision, include_in_autogenerate, known_revisions, open_database
from core.storage.models import Base
from core.storage.paths import database_path, sqlite_url

pytestmark = pytest.mark.sqlite_only  # upgrades of SQLite files and their backups


def _fill_at_first_revision(url):
    database = open_database(url, target="0001")
    with database.transaction() as session:
        session.execute(text("INSERT INTO staff_members (name, daily_quota, active) VALUES ('Maria', 10, 1)"))
        session.execute(text(
            "INSERT INTO customers (name, company, phone, email, tags, do_not_call, needs_data_fix)"
            " VALUES ('Hans Müller', 'Müller Bau', '+15035551234', 'hans@example.com', 'vip,contractor', 0, 0),"
            " ('Zoë Brontë', NULL, '+13605559876', NULL, NULL, 1, 0)"))
        session.execute(text("INSERT INTO products (sku, name, active) VALUES ('DR-1', 'Oak Door Kit', 1)"))
        session.execute(text(
            "INSERT INTO purchases (customer_id, product_id, purchased_on, quantity, amount_cents, kind)"
            " VALUES (1, 1, '2026-03-01', 14, 392000, 'sale')"))
        session.execute(text(
            "INSERT INTO call_tasks (customer_id, kind, reason, due_on, priority, why, status, attempts)"
            " VALUES (1, 'call', 'change_heads_up', '2026-11-24', 50, 'bought 14 × Oak Door Kit', 'pending', 0)"))
    database.dispose()


_FIRST_COLUMNS: dict[str, list[str]] = {}  # each table's columns at the first revision (later ones add columns)


def _rows(path):
    connection = sqlite3.connect(path)
    try:
        for table in ("staff_members", "customers", "products", "purchases"):
            _FIRST_COLUMNS.setdefault(table, [row[1] for row in connection.execute(f"PRAGMA table_info({table})")])
        return {table: connection.execute(f"SELECT {', '.join(_FIRST_COLUMNS[table])} FROM {table} ORDER BY 1").fetchall()
                for table in ("staff_members", "customers", "products", "purchases")} | {
            "call_tasks": connection.execute("SELECT id, customer_id, reason, due_on, why FROM call_tasks").fetchall()}
    finally:
        connection.close()


def test_upgrading_from_the_first_revision_keeps_every_row(data_dir):
    path = database_path(data_dir)
    _fill_at_first_revision(sqlite_url(path))
    before = _rows(path)

    database = open_database(sqlite_url(path), now=dt.datetime(2026, 11, 24, 9, 0))
    try:
        assert _rows(path) == before
        with database.session() as session:
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
            found = session.execute(text("SELECT rowid FROM customer_search WHERE customer_search MATCH 'muller'"))
            assert [row[0] for row in found] == [1], "rows that existed before the upgrade are searchable"
            value = session.execute(text("SELECT customer_value_cents FROM call_tasks")).scalar()
            assert value == 392000, "tasks planned before 0003 get their customer's yearly value"
    finally:
        database.dispose()
    assert database.backup_made is not None and database.backup_made.parent == backups_folder(data_dir)
    assert _rows(database.backup_made) == before, "the backup holds the data as it was before the upgrade"


def test_an_empty_new_database_gets_no_backup(data_dir):
    database = open_database(sqlite_url(database_path(data_dir)))
    database.dispose()
    assert database.backup_made is None
    assert sorted(p.name for p in data_dir.glob("*.sqlite3")) == ["callahead.sqlite3"]


def test_reopening_an_up_to_date_database_does_not_migrate_or_back_up(data_dir):
    open_database(sqlite_url(database_path(data_dir))).dispose()
    again = open_database(sqlite_url(database_path(data_dir)))
    again.dispose()
    assert again.backup_made is None


def test_the_models_and_the_migrations_describe_the_same_schema(db):
    with db.engine.connect() as connection, warnings.catch_warnings():
        # SQLite's reflection cannot read an index on an expression, and Alembic skips comparing
        # one (the customers' lower-case name): checked by the next test instead.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"include_object": include_in_autogenerate}), Base.metadata)
    assert differences == []


def test_the_migrations_make_the_models_indexes_on_expressions(db):
    with db.engine.connect() as connection:
        made = {row[0]: row[1] for row in connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers'")}
    assert "lower(name)" in made["ix_customers_name_lower"]


def test_shipped_revisions_form_one_line_ending_at_the_head():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_heads() == [head_revision()]
    chain = [rev.revision for rev in scripts.walk_revisions()][::-1]
    assert chain == known_revisions()
