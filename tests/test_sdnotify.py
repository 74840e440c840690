"""sd_notify over a real datagram socket; journald level prefixes."""

from __future__ import annotations

import io
import logging
import os
import socket

import pygame
import pytest

from kiosk.journal import JournalFormatter, priority, under_journald
from kiosk.sdnotify import Notifier, socket_address, watchdog_interval
from kiosk.settings import Config
from tests.support.exhibit import app_for


@pytest.fixture
def systemd(tmp_path):
    """A datagram socket standing in for systemd's notify socket."""
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(2.0)
    yield path, sock
    sock.close()


def received(sock: socket.socket) -> list[str]:
    """Every message waiting on ``sock``."""
    messages = []
    sock.setblocking(False)
    try:
        while True:
            messages.append(sock.recv(4096).decode())
    except BlockingIOError:
        pass
    finally:
        sock.settimeout(2.0)
    return messages


def test_without_notify_socket_nothing_is_sent():
    notifier = Notifier({})
    assert not notifier.enabled
    assert notifier.send(READY=1) is False
    notifier.ready()
    notifier.stopping()
    assert notifier.watchdog() is False


def test_ready_status_and_stopping_arrive_as_datagrams(systemd):
    path, sock = systemd
    notifier = Notifier({"NOTIFY_SOCKET": str(path)})
    notifier.ready("showing the attract screen (en)")
    assert sock.recv(4096) == b"READY=1\nSTATUS=showing the attract screen (en)"
    notifier.ready("again")  # READY is sent once
    notifier.status("showing the attract screen (en)")  # unchanged: not sent
    notifier.status("showing chapter 2 (en)")
    notifier.stopping()
    assert received(sock) == ["STATUS=showing chapter 2 (en)", "STOPPING=1\nSTATUS=stopping"]
    notifier.close()


def test_abstract_socket_names_start_with_at(tmp_path):
    name = f"@kiosk-test-{os.getpid()}-{tmp_path.name}"
    assert socket_address(name) == b"\0" + name[1:].encode()
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(socket_address(name))
        sock.settimeout(2.0)
        Notifier({"NOTIFY_SOCKET": name}).ready()
        assert sock.recv(4096) == b"READY=1"


def test_watchdog_interval_is_half_of_watchdog_usec():
    assert watchdog_interval({"WATCHDOG_USEC": "30000000"}, 7) == 15.0
    assert watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "7"}, 7) == 15.0
    assert watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "8"}, 7) is None
    assert watchdog_interval({"WATCHDOG_USEC": "0"}, 7) is None
    assert watchdog_interval({}, 7) is None


def test_watchdog_pings_are_rate_limited(systemd, clock):
    path, sock = systemd
    env = {"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "10000000"}
    notifier = Notifier(env, clock=clock, pid=1)
    assert notifier.watchdog() is True
    clock.advance(4.9)
    assert notifier.watchdog() is False
    clock.advance(0.1)
    assert notifier.watchdog() is True
    assert received(sock) == ["WATCHDOG=1", "WATCHDOG=1"]


def test_a_vanished_systemd_socket_does_not_break_anything(tmp_path, caplog):
    notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "gone.sock")})
    with caplog.at_level(logging.WARNING):
        assert notifier.send(READY=1) is False
        assert notifier.send(READY=1) is False
    assert len([r for r in caplog.records if "cannot notify systemd" in r.message]) == 1


def test_app_is_ready_after_its_first_frame_and_pings_while_it_turns(
    systemd, story, clock, pygame_ready
):
    path, sock = systemd
    env = {"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "2000000"}
    pygame.display.init()
    try:
        screen = pygame.display.set_mode((800, 480))
        app = app_for(
            screen, story, Config(), clock=clock, notifier=Notifier(env, clock=clock, pid=1)
        )
        assert received(sock) == []  # nothing before a frame is on screen
        app.step()
        first = received(sock)
        assert first[0].startswith("READY=1\nSTATUS=showing the attract screen")
        assert first[1:] == ["WATCHDOG=1"]
        for _ in range(5):  # 0.5 s: within the 1 s ping interval
            clock.advance(0.1)
            app.step()
        assert received(sock) == []
        clock.advance(0.5)
        app.step()
        assert received(sock) == ["WATCHDOG=1"]
    finally:
        pygame.display.quit()


def test_levels_become_syslog_priorities():
    assert [priority(level) for level in (50, 40, 30, 20, 10)] == [2, 3, 4, 6, 7]
    formatter = JournalFormatter("%(name)s: %(message)s")
    record = logging.LogRecord("kiosk", logging.ERROR, __file__, 1, "two\nlines", None, None)
    assert formatter.format(record) == "<3>kiosk: two\n<3>lines"


def test_journal_stream_is_recognised_by_device_and_inode(tmp_path):
    with open(tmp_path / "stream", "w") as stream:
        st = os.fstat(stream.fileno())
        assert under_journald(stream, {"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}"})
        assert not under_journald(stream, {"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino + 1}"})
        assert not under_journald(stream, {})
    assert not under_journald(io.StringIO(), {"JOURNAL_STREAM": "1:2"})
