"""Hearing the other desks at once on a PostgreSQL server: LISTEN for the change log's NOTIFY.

core.storage.change_log appends one row per committed action and, on a server, sends
`NOTIFY callahead_changes` in the same transaction, so the server delivers it exactly when the
action commits (never for one rolled back). A `ChangeListener` holds its own connection that
LISTENs on that channel (each notification is signed with the committing writer's token, so a
window's own actions, already shown, do not wake it); a window watches `fileno()` in its event
loop and, when the socket becomes readable, calls `drain()` and reads the change log. It tells
only that something was committed; what changed is read from the change log as before, so a
notification lost (the connection dropped) costs at most a slower answer: the window's poll still
runs, less often. A lost connection is made again: the window's poll asks `reconnect_if_due(now)`,
which tries at once, then after 1, 2, 4 … 60 seconds between failed attempts (a server being
restarted is back within them; one that is down for long costs a short attempt a minute), each
attempt given at most CONNECT_TIMEOUT_S. Once listening again the window reads the change log,
for whatever was committed while it was deaf.

SQLite has no such channel: `listen_for_changes` answers None there, and polling is the only path.
No Qt here: the socket is a plain file descriptor any event loop can watch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.storage.change_log import NOTIFY_CHANNEL as CHANNEL

if TYPE_CHECKING:
    from core.storage.database import Database

log = logging.getLogger(__name__)

# Seconds between failed attempts to listen again, the last one repeated.
RECONNECT_BACKOFF_S = (1, 2, 4, 8, 15, 30, 60)
# An attempt runs on the window's thread: a server that does not answer may hold it this long
# (libpq's shortest), a refused one not at all.
CONNECT_TIMEOUT_S = 2


class ChangeListener:
    """One server connection listening on CHANNEL, made again when it is lost; `drain()` never blocks.

    `connect` opens an autocommit connection already LISTENing (psycopg.Connection or anything with
    its fileno(), pgconn and close()), or raises psycopg.Error.
    """

    def __init__(self, connect: Callable[[], object], own_writer: str | None = None, *,
                 connect_now: bool = True) -> None:
        """`connect_now=False`: not listening yet (the server refused at opening); the first
        `reconnect_if_due` tries, then the back-off as after a loss."""
        self._connect = connect
        self._own_writer = own_writer  # notifications signed with it are this process's own actions
        self._connection = connect() if connect_now else None
        self._fileno = self._connection.fileno() if self._connection is not None else -1
        # The connection was lost (or never made): only the window's poll is left until it is.
        self.broken = self._connection is None
        self._closed = False
        self._failed_attempts = 0
        self._next_attempt: float | None = None  # None: try at the next chance

    def fileno(self) -> int:
        """The connection's socket: readable when the server sent something (a notification).
        A new one after each reconnection."""
        return self._fileno

    def drain(self) -> bool:
        """Consume what the server sent, without waiting; True when someone else committed a change
        since the last drain (or the connection was lost, so the caller should look for itself)."""
        if self.broken:
            return False
        import psycopg

        pgconn = self._connection.pgconn
        heard = False
        try:
            pgconn.consume_input()
            while (notification := pgconn.notifies()) is not None:
                heard = heard or notification.extra.decode() != self._own_writer
        except psycopg.Error as error:
            log.info("change listener: connection lost (%s); polling until it is back", error)
            self._lost()
            return True
        if pgconn.status != psycopg.pq.ConnStatus.OK:
            log.info("change listener: connection lost; polling until it is back")
            self._lost()
            return True
        return heard

    def reconnect_if_due(self, now: float) -> bool:
        """While the connection is lost, listen again if the back-off allows an attempt at `now`
        (seconds on a monotonic clock). True when listening again: watch the new `fileno()` and read
        the change log, since notifications sent meanwhile were missed."""
        if not self.broken or self._closed:
            return False
        if self._next_attempt is not None and now < self._next_attempt:
            return False
        import psycopg

        try:
            connection = self._connect()
        except psycopg.Error as error:
            wait = RECONNECT_BACKOFF_S[min(self._failed_attempts, len(RECONNECT_BACKOFF_S) - 1)]
            self._failed_attempts += 1
            self._next_attempt = now + wait
            log.info("change listener: not listening yet (%s); next attempt in %s s", error, wait)
            return False
        self._connection, self._fileno = connection, connection.fileno()
        self.broken, self._failed_attempts, self._next_attempt = False, 0, None
        log.info("change listener: listening again")
        return True

    def _lost(self) -> None:
        self.broken = True
        self._next_attempt = None  # the first attempt comes at the next poll: a restart may be quick
        try:
            if self._connection is not None:
                self._connection.close()
        except Exception:  # noqa: BLE001 - already gone: closing is only tidying up
            pass

    def close(self) -> None:
        """For good: no reconnection after this."""
        self.broken = self._closed = True
        if self._connection is not None:
            self._connection.close()


def listen_for_changes(database: "Database") -> ChangeListener | None:
    """A listener on the database's server, or None on SQLite. A server that refuses to listen now
    gives a listener that is not listening yet: the caller polls, and its polls try again. What
    this `database` object itself commits is not heard."""
    engine = database.engine
    if engine.dialect.name != "postgresql":
        return None
    import psycopg

    arguments, keywords = engine.dialect.create_connect_args(engine.url)
    keywords.setdefault("connect_timeout", CONNECT_TIMEOUT_S)

    def connect() -> psycopg.Connection:
        connection = psycopg.connect(*arguments, **keywords, autocommit=True)
        try:
            connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error:
            connection.close()
            raise
        return connection

    try:
        return ChangeListener(connect, own_writer=database.writer.token)
    except psycopg.Error as error:  # the window polls, and its polls try again (with the back-off)
        log.info("change listener: not listening yet (%s); polling until it is", error)
        return ChangeListener(connect, own_writer=database.writer.token, connect_now=False)
