"""hardware.threads.StoppableThread: stops on request, reports a thread that will not."""

from __future__ import annotations

import logging
import threading

from hardware.threads import StoppableThread


def test_stop_ends_a_thread_that_waits_on_stopping() -> None:
    ticks: list[int] = []

    def body() -> None:
        while not thread.stopping.wait(0.001):
            ticks.append(1)

    thread = StoppableThread(body, name="ticker")
    thread.start()
    assert thread.stop(timeout=5.0) is True
    assert not thread.is_alive()
    assert thread.daemon
    assert "ticker" in repr(thread) and "stopping" in repr(thread)


def test_on_stop_wakes_a_body_blocked_elsewhere() -> None:
    gate = threading.Event()
    thread = StoppableThread(gate.wait, name="blocked", on_stop=gate.set)
    thread.start()
    assert thread.stop(timeout=5.0) is True


def test_a_thread_that_will_not_stop_is_reported(caplog) -> None:
    release = threading.Event()
    thread = StoppableThread(release.wait, name="stubborn")
    thread.start()
    with caplog.at_level(logging.WARNING, logger="hardware.threads"):
        assert thread.stop(timeout=0.01) is False
    assert "stubborn" in caplog.text
    assert "did not stop" in caplog.text and "left running" in caplog.text
    release.set()
    assert thread.stop(timeout=5.0) is True


def test_stop_before_start_and_twice_is_safe() -> None:
    thread = StoppableThread(lambda: None, name="never")
    assert thread.stop() is True
    assert thread.stop() is True


def test_a_failing_waker_does_not_stop_the_join() -> None:
    def waker() -> None:
        raise OSError("socket already closed")

    thread = StoppableThread(lambda: thread.stopping.wait(), name="w", on_stop=waker)
    thread.start()
    assert thread.stop(timeout=5.0) is True
