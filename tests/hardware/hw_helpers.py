"""Shared helpers for the hardware tests (a uniquely named module, so it cannot be
confused with another directory's ``conftest``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

DEADLINE = 5.0  # seconds: an upper bound for waiting on threads, never a measurement


class FakeClock:
    """A monotonic clock that only moves when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> float:
        with self._lock:
            self.now += seconds
            return self.now


def wait_until(predicate: Callable[[], object], timeout: float = DEADLINE) -> bool:
    """Wait for a condition set by another thread; ``timeout`` is only a deadline."""
    event = threading.Event()
    end = _monotonic() + timeout
    while _monotonic() < end:
        if predicate():
            return True
        event.wait(0.002)
    return bool(predicate())


def _monotonic() -> float:
    return time.monotonic()
