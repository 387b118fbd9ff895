"""Hearing the other desks at once on a PostgreSQL server: LISTEN for the change log's NOTIFY.

core.storage.change_log appends one row per committed action and, on a server, sends
`NOTIFY callahead_changes` in the same transaction, so the server delivers it exactly when the
action commits (never for one rolled back). A `ChangeListener` holds its own connection that
LISTENs on that channel (each notification is signed with the committing writer's token, so a
window's own actions, already shown, do not wake it); a window watches `fileno()` in its event
loop and, when the socket becomes readable, calls `drain()` and reads the change log. It tells
only that something was committed; what changed is read from the change log as before, so a
notification lost (the connection dropped) costs at most a slower answer: the window's poll still
runs, less often.

SQLite has no such channel: `listen_for_changes` answers None there, and polling is the only path.
No Qt here: the socket is a plain file descriptor any event loop can watch.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from core.storage.change_log import NOTIFY_CHANNEL as CHANNEL

if TYPE_CHECKING:
    from core.storage.database import Database

log = logging.getLogger(__name__)


class ChangeListener:
    """One server connection listening on CHANNEL; `drain()` never blocks."""

    def __init__(self, connection, own_writer: str | None = None) -> None:  # psycopg.Connection, autocommit
        self._connection = connection
        self._own_writer = own_writer  # notifications signed with it are this process's own actions
        self._fileno = connection.fileno()
        self.broken = False  # the connection was lost: only the window's poll is left

    def fileno(self) -> int:
        """The connection's socket: readable when the server sent something (a notification)."""
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
            log.info("change listener: connection lost (%s); polling only", error)
            self.broken = True
            return True
        if pgconn.status != psycopg.pq.ConnStatus.OK:
            log.info("change listener: connection lost; polling only")
            self.broken = True
            return True
        return heard

    def close(self) -> None:
        self.broken = True
        self._connection.close()


def listen_for_changes(database: "Database") -> ChangeListener | None:
    """A listener on the database's server, or None (SQLite, or a server that cannot be reached now:
    the caller then polls, as it always may). What this `database` object itself commits is not heard."""
    engine = database.engine
    if engine.dialect.name != "postgresql":
        return None
    import psycopg

    arguments, keywords = engine.dialect.create_connect_args(engine.url)
    try:
        connection = psycopg.connect(*arguments, **keywords, autocommit=True)
        connection.execute(f"LISTEN {CHANNEL}")
    except psycopg.Error as error:
        log.info("change listener: not listening (%s); polling only", error)
        return None
    return ChangeListener(connection, own_writer=database.writer.token)
