"""Opening the owner's database: checks first, a backup before any migration, then one engine.

A file that is not a CallAhead database, or one written by a newer CallAhead, is refused
before anything is written to it, so it stays byte-for-byte as it was. Alembic is imported
only when the schema is actually behind (it costs about half a second at start).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from core.errors import DatabaseTooNew, NotACallAheadDatabase
from core.paths import ensure_writable

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def include_in_autogenerate(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: the FTS5 search index is raw SQL (SQLite-only), not part of the models."""
    return not (type_ == "table" and name and name.startswith("customer_search"))


def known_revisions() -> list[str]:
    """Revision ids are the numeric prefixes of the shipped migration files, in order."""
    names = (p.name for p in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    return sorted(name[:4] for name in names)


def head_revision() -> str:
    return known_revisions()[-1]


@dataclass
class Database:
    """One engine for the app's lifetime and a factory of short sessions."""

    engine: Engine
    url: str
    path: Path | None  # the SQLite file, None for a server database
    backup_made: Path | None = None

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A read session: nothing it does is committed."""
        with self._sessions() as session:
            yield session

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: committed whole when the block ends, rolled back whole if it raises."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLite-only: foreign keys are off by default, WAL lets the window read while a
    # command writes, and a busy timeout turns a brief lock into a wait, not an error.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_database_engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _inspect_sqlite_file(path: Path) -> tuple[str | None, bool]:
    """Read (revision, has_data) without writing a byte; raise if the file is not ours."""
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotACallAheadDatabase(
            f"{path} is not a CallAhead database (it is not an SQLite file). "
            "It was left untouched; choose another data folder with --data-dir."
        )
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise NotACallAheadDatabase(f"{path} cannot be opened: {exc}. It was left untouched.") from exc
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            if tables:
                raise NotACallAheadDatabase(
                    f"{path} is an SQLite database of another program, not CallAhead's. "
                    "It was left untouched; choose another data folder with --data-dir."
                )
            return None, False
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        has_data = "customers" in tables and connection.execute("SELECT 1 FROM customers LIMIT 1").fetchone() is not None
        return (row[0] if row else None), has_data
    except sqlite3.DatabaseError as exc:
        raise NotACallAheadDatabase(f"{path} is damaged or not a database ({exc}). It was left untouched.") from exc
    finally:
        connection.close()


def _check_revision(revision: str | None, where: str) -> None:
    if revision is not None and revision not in known_revisions():
        raise DatabaseTooNew(
            f"{where} was written by a newer version of CallAhead (schema {revision}; this version knows up to "
            f"{head_revision()}). Install the newer CallAhead to open it; the file was left untouched."
        )


def backup_sqlite_file(path: Path, label: str, now: dt.datetime) -> Path:
    """A consistent copy through SQLite's online backup API, written beside the database."""
    target = path.with_name(f"{path.stem}.{label}-{now:%Y%m%d-%H%M%S}{path.suffix}")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


def migrate(engine: Engine, target: str = "head") -> None:
    """Bring the schema to `target` with the shipped Alembic scripts."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)


def open_database(url: str, *, now: dt.datetime | None = None, target: str = "head") -> Database:
    """Open (creating or upgrading as needed) the database at `url`.

    Raises DataDirNotWritable, NotACallAheadDatabase or DatabaseTooNew with a message for the owner.
    """
    parsed = make_url(url)
    path: Path | None = None
    backup: Path | None = None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        ensure_writable(path.parent)
        revision, has_data = (None, False)
        if path.exists() and path.stat().st_size > 0:
            revision, has_data = _inspect_sqlite_file(path)
        _check_revision(revision, str(path))
        wanted = head_revision() if target == "head" else target
        if revision != wanted and has_data:
            backup = backup_sqlite_file(path, f"before-upgrade-{revision}", now or dt.datetime.now())
        engine = create_database_engine(url)
        if revision != wanted:
            migrate(engine, target)
    else:
        engine = create_database_engine(url)
        with engine.connect() as connection:
            revision = _server_revision(connection)
        _check_revision(revision, url)
        if revision != (head_revision() if target == "head" else target):
            migrate(engine, target)
    return Database(engine=engine, url=url, path=path, backup_made=backup)


def _server_revision(connection) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

