"""A CallAhead database on a PostgreSQL server (several desks, one database).

What SQLite gives a single file for free is taken here explicitly:
- every write transaction first takes one transaction-level advisory lock, so actions that read,
  decide and write are applied one after another across desks exactly as SQLite's BEGIN IMMEDIATE
  applies them on one file (each action's checks see every change committed before it began; why
  one lock and not row locks per action: `take_writer_lock`);
- migrations run under their own advisory lock, so two desks starting on an empty database
  migrate it once;
- a server that cannot be reached, refuses the password, lacks the database or is too old is
  told to the owner in plain words (ServerDatabaseUnavailable), never as a driver traceback.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from core.errors import CallAheadError

OLDEST_SERVER = 13  # PostgreSQL's major version: DROP DATABASE … FORCE, generated columns, ON CONFLICT
# Advisory lock keys, CallAhead's own (any bigint; other programs on the server use other numbers).
WRITER_LOCK = 7_043_100_001
MIGRATION_LOCK = 7_043_100_002
POSTGRES_EXTRA = "pip install 'callahead[postgres]' (or, from the source folder, pip install -e '.[postgres]')"


class ServerDatabaseUnavailable(CallAheadError):
    """The --database-url server could not be used; nothing was written."""


def describe(url: str | URL) -> str:
    """The database as the owner wrote it, without its password."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError:
        return "the database URL"
    place = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    return f"database {parsed.database!r} on {place}"


def server_problem(error: BaseException, url: str | URL) -> ServerDatabaseUnavailable | None:
    """The owner's words for why the server refused a connection, or None when it is something else."""
    where = describe(url)
    if isinstance(error, ArgumentError):
        return ServerDatabaseUnavailable(
            f"The database URL is not one CallAhead can read ({error}). It looks like "
            "postgresql+psycopg://USER:PASSWORD@SERVER:5432/DATABASE.")
    if isinstance(error, (NoSuchModuleError, ModuleNotFoundError)):
        return ServerDatabaseUnavailable(
            f"This CallAhead has no driver for that database URL ({error}). For PostgreSQL, install it with "
            f"{POSTGRES_EXTRA} and use a URL starting postgresql+psycopg://.")
    message = str(getattr(error, "orig", None) or error)
    lowered = message.lower()
    user = make_url(url).username if isinstance(url, str) else url.username
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return ServerDatabaseUnavailable(
            f"The server refused the password for user {user!r} ({where}). Check the user and password in "
            "--database-url (or CALLAHEAD_DATABASE_URL); the server's administrator can set a new one with "
            "ALTER ROLE … PASSWORD.")
    if "does not exist" in lowered and "role" in lowered:
        return ServerDatabaseUnavailable(
            f"The server has no user {user!r} ({where}). Create it as shown in the README's \"Several desks\", "
            "or correct the user in --database-url.")
    if "does not exist" in lowered and "database" in lowered:
        return ServerDatabaseUnavailable(
            f"The server is running but has no {where.split(' on ')[0]}. Create it as shown in the README's "
            "\"Several desks\" (createdb), or correct the name in --database-url.")
    if any(words in lowered for words in ("connection refused", "could not connect", "connection timed out",
                                          "timeout expired", "could not translate host name", "name or service",
                                          "no route to host", "network is unreachable", "server closed")):
        return ServerDatabaseUnavailable(
            f"CallAhead could not reach the database server ({where}). Check that the server is switched on and "
            "PostgreSQL is running there, that this desk can reach it (network, firewall), and the address and "
            "port in --database-url.")
    if "no pg_hba.conf entry" in lowered:
        return ServerDatabaseUnavailable(
            f"The server does not accept connections from this desk ({where}). Its administrator adds this "
            "desk's network to pg_hba.conf, as the README's \"Several desks\" shows.")
    if "permission denied" in lowered:
        return ServerDatabaseUnavailable(
            f"User {user!r} may not use {where}: {message.strip().splitlines()[0]}. Make that user the "
            "database's owner, as the README's \"Several desks\" shows.")
    return None


@contextlib.contextmanager
def plain_server_errors(url: str) -> Iterator[None]:
    """Turn a connection the server refused into a ServerDatabaseUnavailable for the owner."""
    try:
        yield
    except (DBAPIError, ArgumentError, NoSuchModuleError, ModuleNotFoundError) as error:
        problem = server_problem(error, url)
        if problem is None:
            raise
        raise problem from error


def check_server(engine: Engine, url: str) -> None:
    """Connect once: a server CallAhead cannot use is refused here, before anything is written."""
    with plain_server_errors(url), engine.connect() as connection:
        version = connection.dialect.server_version_info or (0,)
    if engine.dialect.name == "postgresql":
        try:
            refuse_old_server(version, url)
        except ServerDatabaseUnavailable:
            engine.dispose()
            raise


def refuse_old_server(version: tuple[int, ...], url: str) -> None:
    if version[0] < OLDEST_SERVER:
        shown = ".".join(str(part) for part in version)
        raise ServerDatabaseUnavailable(
            f"The server at {describe(url)} runs PostgreSQL {shown}; CallAhead needs PostgreSQL {OLDEST_SERVER} "
            "or newer. Upgrade the server (or install a newer PostgreSQL beside it) and move the database there.")


def take_writer_lock(connection: Connection, busy_timeout_ms: int) -> None:
    """Wait (at most the busy timeout) for the other desks' write in progress, as SQLite's BEGIN IMMEDIATE does.

    Transaction-level: released by the commit or rollback that ends the action, whatever happens.

    Why one lock for every write rather than row locks for what each action touches: every action
    re-plans the stored plan around what it changed (core.scheduling.planner: logging a call moves
    its customer's next calls, a quote plans follow-ups, an import or a settings change re-plans
    the business), and a re-plan places calls into each caller's daily quota, which all customers
    share. Two actions on different customers therefore read and write the same thing, the free
    room of each day: with row locks on their own customers only, two desks could each give away
    the last place on Ann's Thursday, or both plan the morning (tests/core/test_server_races.py
    fails without this lock). Row locks are still taken where an action needs a row's own answer
    (the task being logged, SELECT … FOR UPDATE, for "Already logged by …"). Readers never wait for
    it (each read is one snapshot), and a write holds it for one action: milliseconds, seconds for an import.
    """
    connection.exec_driver_sql(f"SET LOCAL lock_timeout = {int(busy_timeout_ms)}")
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})


def take_migration_lock(connection: Connection) -> None:
    """Held until the migrating transaction ends: a second desk starting waits, then finds the schema current."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def is_lock_timeout(error: BaseException | None) -> bool:
    """PostgreSQL's lock_not_available (55P03): another desk's write outlasted the busy timeout."""
    return getattr(error, "sqlstate", None) == "55P03"
