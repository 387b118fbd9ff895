"""Shared fixtures. Every test runs with its own temporary data folder, never the owner's.

With CALLAHEAD_TEST_DATABASE_URL set to a PostgreSQL database (its role may create databases),
every test gets a fresh server database of its own, copied from a template made once per session
(an empty one at the newest schema, or the demo business); CALLAHEAD_DATABASE_URL points the
test's contexts and the processes it starts at it. Tests about the SQLite file itself are marked
`sqlite_only` and skipped there (tests/server_databases.py does the copying).
"""

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
from core.storage.database import open_database  # noqa: E402
from core.demo import generate_demo_business  # noqa: E402
from core.storage.paths import database_path, sqlite_url  # noqa: E402
from tests.server_databases import TEST_SERVER_URL_ENV, ServerDatabases  # noqa: E402

# CI replays the same examples on every run, so a red build always means the change broke something;
# a developer's run keeps exploring new examples (and a failure it finds is pinned with @example).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

TODAY = dt.date(2026, 11, 24)  # a Tuesday
DEMO_CUSTOMERS = 120
TEST_SERVER_URL = os.environ.get(TEST_SERVER_URL_ENV)


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: about the SQLite file itself; skipped on a server database")
    config.addinivalue_line("markers", "server_only: needs a server database (CALLAHEAD_TEST_DATABASE_URL)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if TEST_SERVER_URL and "sqlite_only" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="about the SQLite file; this run uses a server database"))
        if not TEST_SERVER_URL and "server_only" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=f"needs a server database (set {TEST_SERVER_URL_ENV})"))


def _fill_demo(database) -> None:
    with database.transaction() as session:
        generate_demo_business(session, today=TODAY, customers=DEMO_CUSTOMERS, seed=7)


@pytest.fixture(scope="session")
def server_databases():
    """The server's per-test databases, or None when the tests run on SQLite files."""
    if not TEST_SERVER_URL:
        yield None
        return
    servers = ServerDatabases(TEST_SERVER_URL, fill_demo=_fill_demo)
    yield servers
    servers.close()


@pytest.fixture(autouse=True)
def _server_database(_isolated_user_folders, server_databases, monkeypatch):
    """On a server, every test (and every process it starts) uses a fresh empty database."""
    if server_databases is None:
        yield None
        return
    url = server_databases.fresh("empty")
    monkeypatch.setenv("CALLAHEAD_DATABASE_URL", url)
    yield url
    server_databases.drop_all_but_templates()


@pytest.fixture
def database_url(request, _server_database) -> str:
    """The test's empty database: the data folder's SQLite file, or its fresh server database."""
    return _server_database or sqlite_url(database_path(request.getfixturevalue("data_dir")))


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
    monkeypatch.delenv("CALLAHEAD_DATABASE_URL", raising=False)  # database_url sets it on a server


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
def db(database_url):
    """An empty CallAhead database at the newest schema."""
    database = open_database(database_url)
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
def demo_data_dir(_demo_template, tmp_path, server_databases, monkeypatch) -> Path:
    """A data folder holding a copy of the demo business (made once per test session).

    On a server, CALLAHEAD_DATABASE_URL then points at a fresh copy of the demo business instead.
    """
    folder = tmp_path / "demo"
    folder.mkdir()
    shutil.copy(_demo_template, database_path(folder))
    if server_databases is not None:
        monkeypatch.setenv("CALLAHEAD_DATABASE_URL", server_databases.fresh("demo"))
    return folder


@pytest.fixture
def demo_url(demo_data_dir) -> str:
    """The demo business's database URL: the copied file, or its server copy."""
    return os.environ.get("CALLAHEAD_DATABASE_URL") or sqlite_url(database_path(demo_data_dir))


@pytest.fixture
def demo_db(demo_url):
    database = open_database(demo_url)
    yield database
    database.dispose()


@pytest.fixture
def demo_context(demo_data_dir):
    context = AppContext.build(data_dir=str(demo_data_dir), today=TODAY)
    yield context
    context.close()
