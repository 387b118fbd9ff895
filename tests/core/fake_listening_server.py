"""A stand-in for a PostgreSQL server's listening connections, for the change listener's tests
without a server: each connection has a real socket (an event loop can watch it), notifications
the test queues, and a switch that cuts it off as a restarted server or a network cut would."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

import psycopg


@dataclass
class FakeNotification:
    extra: bytes


@dataclass
class FakePgConn:
    notifications: list[FakeNotification] = field(default_factory=list)
    lost: bool = False

    @property
    def status(self):
        return psycopg.pq.ConnStatus.BAD if self.lost else psycopg.pq.ConnStatus.OK

    def consume_input(self) -> None:
        if self.lost:
            raise psycopg.OperationalError("server closed the connection unexpectedly")

    def notifies(self) -> FakeNotification | None:
        return self.notifications.pop(0) if self.notifications else None


class FakeConnection:
    def __init__(self) -> None:
        self.pgconn = FakePgConn()
        self._socket, self._server_end = socket.socketpair()
        self.closed = False

    def fileno(self) -> int:
        return self._socket.fileno()

    def notify(self, writer: str) -> None:
        """The server sends a notification: queued, and the socket becomes readable."""
        self.pgconn.notifications.append(FakeNotification(writer.encode()))
        self._server_end.send(b"N")

    def cut_off(self) -> None:
        self.pgconn.lost = True
        self._server_end.send(b"E")

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._socket.close()
            self._server_end.close()


class FakeServer:
    """Hands out listening connections while `up`; refuses (as libpq does) while down."""

    def __init__(self) -> None:
        self.up = True
        self.attempts = 0
        self.connections: list[FakeConnection] = []

    def connect(self) -> FakeConnection:
        self.attempts += 1
        if not self.up:
            raise psycopg.OperationalError("connection refused: is the server running?")
        self.connections.append(FakeConnection())
        return self.connections[-1]

    @property
    def current(self) -> FakeConnection:
        return self.connections[-1]

    def close_all(self) -> None:
        for connection in self.connections:
            connection.close()
