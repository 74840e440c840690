"""The one clock of the tests: moved by hand, monotonic and wall time together."""

from __future__ import annotations

import threading

#: The wall clock's reading when a :class:`FakeClock` starts, unless a test says otherwise.
WALL_AT_START = 1.8e9


class FakeClock:
    """A monotonic clock the test moves by hand, with a wall clock moved with it.

    Call it (or :meth:`monotonic`) for the monotonic time; :meth:`wall` reads
    ``wall_at_start`` when the monotonic time is ``start``.  Safe to read and move
    from several threads (hardware threads read it while the test moves it).
    """

    def __init__(self, start: float = 1000.0, wall_at_start: float = WALL_AT_START) -> None:
        self._now = start
        self._offset = wall_at_start - start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    @property
    def now(self) -> float:
        """The monotonic time."""
        return self()

    @now.setter
    def now(self, value: float) -> None:
        with self._lock:
            self._now = value

    def monotonic(self) -> float:
        """The exhibit's ``clock``."""
        return self()

    def advance(self, seconds: float) -> float:
        """Move time on; return the new time."""
        with self._lock:
            self._now += seconds
            return self._now

    def set(self, now: float) -> None:
        """Move time on to ``now`` (never back)."""
        with self._lock:
            if now < self._now:
                raise ValueError(f"the clock cannot go back from {self._now} to {now}")
            self._now = now

    def wall(self) -> float:
        """The exhibit's ``wall_clock`` (Unix time)."""
        return self() + self._offset

    def wall_at(self, now: float) -> float:
        """The wall-clock time when the monotonic clock reads ``now``."""
        return now + self._offset

    def at_wall(self, wall: float) -> float:
        """The monotonic time when the wall clock reads ``wall``."""
        return wall - self._offset
