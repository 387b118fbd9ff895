"""A window's listening connection to the server is lost (the server restarted, the network
dropped): the listener says so once, then listens again as soon as the server is back, trying
again after 1, 2, 4 … 60 seconds between failed attempts, and hears the other desks on its new
connection. Against a stand-in server (tests/core/fake_listening_server.py); the real server's
case is in test_server_change_listener.py."""

import pytest

from core.storage.change_listener import RECONNECT_BACKOFF_S, ChangeListener

from tests.core.fake_listening_server import FakeServer

OWN = "this-window"


@pytest.fixture
def server():
    fake = FakeServer()
    yield fake
    fake.close_all()


def _lose(listener: ChangeListener, server: FakeServer) -> None:
    server.current.cut_off()
    server.up = False
    assert listener.drain() is True, "something may have been missed: read the change log"
    assert listener.broken and listener.drain() is False


def test_a_lost_connection_is_made_again_once_the_server_is_back(server):
    listener = ChangeListener(server.connect, own_writer=OWN)
    _lose(listener, server)
    assert server.connections[0].closed, "the lost connection is let go"

    assert listener.reconnect_if_due(now=100.0) is False, "the server is still down"
    server.up = True
    assert listener.reconnect_if_due(now=100.5) is False and server.attempts == 2, "waits out the back-off"
    assert listener.reconnect_if_due(now=101.0) is True

    assert not listener.broken and server.attempts == 3
    assert len(server.connections) == 2 and listener.fileno() == server.current.fileno(), "the new connection's socket"
    server.current.notify(OWN)
    assert listener.drain() is False, "its own action, already shown"
    server.current.notify("another-desk")
    assert listener.drain() is True, "another desk heard on the new connection"
    assert listener.reconnect_if_due(now=102.0) is False and server.attempts == 3, "listening: nothing to do"


def test_attempts_back_off_to_one_a_minute_while_the_server_stays_down(server):
    listener = ChangeListener(server.connect, own_writer=OWN)
    _lose(listener, server)
    now, attempt_times = 0.0, []
    while now <= 400:
        before = server.attempts
        listener.reconnect_if_due(now)
        if server.attempts > before:
            attempt_times.append(now)
        now += 0.5  # the window's poll, every half second here
    gaps = [later - earlier for earlier, later in zip(attempt_times, attempt_times[1:])]
    assert gaps[:len(RECONNECT_BACKOFF_S)] == list(RECONNECT_BACKOFF_S)
    assert set(gaps[len(RECONNECT_BACKOFF_S):]) == {60}, "then once a minute"


def test_a_second_loss_starts_the_back_off_again(server):
    listener = ChangeListener(server.connect, own_writer=OWN)
    _lose(listener, server)
    for now in (0, 1, 3, 7):
        listener.reconnect_if_due(now)
    server.up = True
    assert listener.reconnect_if_due(15) is True
    _lose(listener, server)
    server.up = True
    assert listener.reconnect_if_due(15.5) is True, "the first attempt after a loss is at once"


def test_a_closed_listener_never_connects_again(server):
    listener = ChangeListener(server.connect, own_writer=OWN)
    listener.close()
    assert listener.reconnect_if_due(now=1_000.0) is False and server.attempts == 1


def test_a_listener_the_server_refused_at_opening_listens_once_it_can(server):
    # The window opened while the server refused to listen (a restart under way): it polls, and
    # its polls try again, with the same back-off as after a loss.
    server.up = False
    with pytest.raises(Exception):
        ChangeListener(server.connect, own_writer=OWN)
    listener = ChangeListener(server.connect, own_writer=OWN, connect_now=False)
    assert listener.broken and listener.drain() is False
    assert listener.reconnect_if_due(now=10.0) is False and listener.reconnect_if_due(now=10.5) is False
    server.up = True
    assert listener.reconnect_if_due(now=11.0) is True, "the second attempt, a second after the first"
    server.current.notify("another-desk")
    assert listener.drain() is True
    listener.close()
