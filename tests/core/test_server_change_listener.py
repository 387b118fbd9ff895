"""Another desk's commit reaches a listening window at once on a server (LISTEN/NOTIFY), with no poll;
a listener that lost its connection says so once, leaves the window to its poll, and listens
again on a new connection when asked (the window's poll asks)."""

from __future__ import annotations

import datetime as dt
import select

import pytest

from core.storage.change_listener import listen_for_changes
from core.storage.enums import Outcome
from core.scheduling.outcomes import log_outcome
from tests.core.test_server_database import called_customer, desks  # noqa: F401  (a fixture, used by name)

# Long enough for a loaded 2-core machine to start a desk; the wait ends at the notification.
WAKE_LIMIT_S = 60


def wait_readable(listener) -> bool:
    readable, _w, _x = select.select([listener], [], [], WAKE_LIMIT_S)
    return bool(readable)


@pytest.mark.server_only
def test_a_call_another_desk_commits_wakes_the_listener(db, called_customer):  # noqa: F811
    task_id, ann, _ben = called_customer
    listener = listen_for_changes(db)
    try:
        assert listener.drain() is False, "nothing committed since it began listening"
        [(code, line)] = desks(["log", db.url, str(task_id), str(ann), "10:42"])
        assert code == 0, line
        assert wait_readable(listener), "the other desk's commit sent no notification"
        assert listener.drain() is True
        assert listener.drain() is False, "drained: heard once"
    finally:
        listener.close()


@pytest.mark.server_only
def test_a_windows_own_action_does_not_wake_it(db, called_customer):  # noqa: F811
    task_id, ann, _ben = called_customer
    listener = listen_for_changes(db)
    try:
        with db.transaction() as session:
            log_outcome(session, task_id, Outcome.REACHED, dt.datetime(2026, 11, 24, 10, 42), staff_id=ann)
        assert wait_readable(listener), "the server sends the notification to every listener"
        assert listener.drain() is False, "signed by this database's own writer: already shown here"
    finally:
        listener.close()


@pytest.mark.server_only
def test_a_listener_whose_connection_is_lost_says_look_for_yourself_once(db):
    listener = listen_for_changes(db)
    try:
        with db.engine.connect() as connection:  # the server restarted, or a network cut it off
            backend = connection.exec_driver_sql(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND query = 'LISTEN callahead_changes'").scalar_one()
            connection.exec_driver_sql(f"SELECT pg_terminate_backend({backend})")
        heard = False
        while not listener.broken:  # the server's farewell message, then the end of the connection
            assert wait_readable(listener), "the server closing the connection makes its socket readable"
            heard = listener.drain()
        assert heard is True, "something may have been missed: read the change log"
        assert listener.drain() is False, "said once; from now on only the window's poll"
    finally:
        listener.close()


@pytest.mark.server_only
def test_a_listener_cut_off_by_the_server_listens_again_and_hears_the_next_call(db, called_customer):  # noqa: F811
    task_id, ann, _ben = called_customer
    listener = listen_for_changes(db)
    try:
        _terminate_listening_backend(db)
        while not listener.broken:
            assert wait_readable(listener), "the server closing the connection makes its socket readable"
            listener.drain()

        assert listener.reconnect_if_due(now=0.0) is True, "the server is up: listening again at once"
        assert _listening_backends(db) == 1
        [(code, line)] = desks(["log", db.url, str(task_id), str(ann), "10:42"])
        assert code == 0, line
        assert wait_readable(listener), "the other desk's commit reached the new connection"
        assert listener.drain() is True
    finally:
        listener.close()


def _listening_backends(db) -> int:
    with db.engine.connect() as connection:
        return connection.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND query = 'LISTEN callahead_changes'").scalar_one()


def _terminate_listening_backend(db) -> None:
    with db.engine.connect() as connection:  # the server restarted, or a network cut it off
        connection.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
            " AND query = 'LISTEN callahead_changes'")


@pytest.mark.sqlite_only
def test_sqlite_has_no_listener_and_the_window_polls(db):
    assert listen_for_changes(db) is None
