"""Shared fixtures. Every test runs with its own temporary data folder, never the owner's."""

import json
import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # The offscreen screen is 800 × 600 by default, smaller than any desk the window is made for;
    # give it a common desktop size so layouts are tested as owners see them.
    _screen = os.path.join(tempfile.mkdtemp(prefix="callahead-qpa-"), "offscreen.json")
    with open(_screen, "w", encoding="utf-8") as handle:
        json.dump({"screens": [{"name": "desk", "x": 0, "y": 0, "width": 1920, "height": 1200,
                                "logicalDpiX": 96, "logicalDpiY": 96}]}, handle)
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen}"

import datetime as dt  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from core.clock import FixedClock  # noqa: E402
from core.context import AppContext  # noqa: E402
from core.db import open_database  # noqa: E402
from core.demo import generate_demo_business  # noqa: E402
from core.paths import database_path, sqlite_url  # noqa: E402

# CI replays the same examples on every run, so a red build always means the change broke something;
# a developer's run keeps exploring new examples (and a failure it finds is pinned with @example).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

TODAY = dt.date(2026, 11, 24)  # a Tuesday
DEMO_CUSTOMERS = 120


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory, monkeypatch):
    """Point every user folder platformdirs could pick at a temporary place."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("CALLAHEAD_DATA_DIR", str(home / "callahead-data"))
    monkeypatch.delenv("CALLAHEAD_DATABASE_URL", raising=False)


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock.on(TODAY)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def db(data_dir):
    """An empty CallAhead database at the newest schema."""
    database = open_database(sqlite_url(database_path(data_dir)))
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo-template")
    database = open_database(sqlite_url(database_path(folder)))
    with database.transaction() as session:
        generate_demo_business(session, today=TODAY, customers=DEMO_CUSTOMERS, seed=7)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return database_path(folder)


@pytest.fixture
def demo_data_dir(_demo_template, tmp_path) -> Path:
    """A data folder holding a copy of the demo business (made once per test session)."""
    folder = tmp_path / "demo"
    folder.mkdir()
    shutil.copy(_demo_template, database_path(folder))
    return folder


@pytest.fixture
def demo_db(demo_data_dir):
    database = open_database(sqlite_url(database_path(demo_data_dir)))
    yield database
    database.dispose()


@pytest.fixture
def demo_context(demo_data_dir):
    context = AppContext.build(data_dir=str(demo_data_dir), today=TODAY)
    yield context
    context.close()
