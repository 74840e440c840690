"""The demo's stand-in for a visitor's hand: the H key gripping the simulated sensor.

The hardware itself is built in one place, :meth:`kiosk.exhibit.Exhibit._start_hardware`
(the config's buttons, lights and sensor, or the demo's mock pins and simulated sensor on a
real pty); its events reach the bus through :class:`kiosk.inputs.InputMapping` and the button
lights follow the screen through :class:`kiosk.inputs.ButtonLights`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol


class Cancellable(Protocol):
    """What :class:`DemoHand` needs of a timer (:class:`threading.Timer` has it)."""

    daemon: bool

    def start(self) -> None:
        """Start counting down."""

    def cancel(self) -> None:
        """Stop before it fires."""


class DemoHand:
    """The H key as a hand on the simulated sensor.

    A key tap lasts a few milliseconds, shorter than the firmware's minimum grip
    (a real hand is never that quick), so a released key keeps the hand closed
    for at least ``min_hold`` seconds.
    """

    def __init__(
        self,
        grip: Callable[[], None],
        release: Callable[[], None],
        min_hold: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        timer: Callable[[float, Callable[[], None]], Cancellable] = threading.Timer,
    ) -> None:
        self._grip = grip
        self._release = release
        self.min_hold = min_hold
        self._clock = clock
        self._make_timer = timer
        self._since = 0.0
        self._timer: Cancellable | None = None

    def __call__(self, down: bool) -> None:
        """Key pressed (``True``) or released (``False``)."""
        self.close()
        if down:
            self._since = self._clock()
            self._grip()
            return
        remaining = self.min_hold - (self._clock() - self._since)
        if remaining <= 0:
            self._release()
        else:
            self._timer = self._make_timer(remaining, self._release)
            self._timer.daemon = True
            self._timer.start()

    def close(self) -> None:
        """Cancel a pending release."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
