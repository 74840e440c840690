"""Software debouncing with an injected clock (pure logic, no GPIO).

gpiozero's pin factories disagree about ``bounce_time``: RPi.GPIO ignores edges for
that long after one, lgpio only reports a level once it has been stable that long
(delaying every press), and ``MockPin`` ignores it.  So the buttons are opened with
``bounce_time=None`` and debounced here, the same way on every factory, and testably.
"""

from __future__ import annotations


class Debouncer:
    """Leading-edge debouncer with a lock-out.

    The first edge that differs from the reported state is reported at once (no
    added latency); for ``bounce`` seconds after it every edge is ignored.  When the
    lock-out ends, :meth:`poll` compares the real level with the reported one and
    reports the difference, so a burst of contact chatter — whatever the number of
    transitions in it — yields exactly one press, and a release that happened
    during the lock-out is not lost.
    """

    def __init__(self, bounce: float, pressed: bool = False) -> None:
        self.bounce = bounce
        self.pressed = pressed
        self._locked_until: float | None = None

    @property
    def deadline(self) -> float | None:
        """When :meth:`poll` next needs calling, or ``None``."""
        return self._locked_until

    def edge(self, level: bool, now: float) -> bool | None:
        """An edge was seen and the input is now ``level``; returns a new state or ``None``."""
        if self._locked_until is not None:
            if now < self._locked_until:
                return None
            self._locked_until = None
        return self._accept(level, now)

    def poll(self, level: bool, now: float) -> bool | None:
        """Time passed; ``level`` is the input now.  Returns a new state or ``None``."""
        if self._locked_until is None or now < self._locked_until:
            return None
        self._locked_until = None
        return self._accept(level, now)

    def _accept(self, level: bool, now: float) -> bool | None:
        if level == self.pressed:
            return None
        self.pressed = level
        self._locked_until = now + self.bounce
        return level
