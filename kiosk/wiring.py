"""Connect the app to the physical world: buttons, lights and the handshake sensor.

``kiosk run`` uses the real hardware named in the config.  ``kiosk demo``
uses gpiozero's own mock pins for the buttons and lights and a simulated
sensor on a real pty, driven by the H key, so a handshake in the demo travels
the same serial path as one from the sculpted hand.  Either way the hardware's
events reach the bus through :class:`kiosk.inputs.InputMapping` and the button
lights follow the screen through :class:`kiosk.inputs.ButtonLights`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from hardware import GpioConfig, Hardware, SensorConfig
from kiosk.core.events import EventBus
from kiosk.inputs import ButtonLights, InputMapping
from kiosk.settings import Config

log = logging.getLogger(__name__)


@dataclass
class Wiring:
    """What the app needs from the hardware: outputs, status, and demo key overrides."""

    hardware: Hardware
    key_handlers: dict[str, Callable[[bool], None]] = field(default_factory=dict)

    @property
    def lights(self) -> ButtonLights:
        """The app output that lights the button rings for each exhibit state."""
        return ButtonLights(self.hardware)

    def status(self) -> dict[str, object]:
        """Hardware status for the staff overlay and ``kiosk ctl status``."""
        return self.hardware.status()


@contextlib.contextmanager
def exhibit_hardware(config: Config, bus: EventBus) -> Iterator[Wiring]:
    """The real buttons, lights and sensor from ``config``."""
    hardware = Hardware(config.gpio, config.sensor)
    hardware.start(InputMapping(bus))
    try:
        yield Wiring(hardware)
    finally:
        hardware.close()


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


@contextlib.contextmanager
def demo_hardware(bus: EventBus) -> Iterator[Wiring]:
    """Mock GPIO pins and a simulated sensor on a pty; H grips the simulated hand."""
    from gpiozero.pins.mock import MockFactory, MockPWMPin

    from hardware.sim import SimulatedSensor

    factory = MockFactory(pin_class=MockPWMPin)
    with SimulatedSensor() as sim:
        hardware = Hardware(GpioConfig(), SensorConfig(port=sim.path), pin_factory=factory)
        hardware.start(InputMapping(bus))
        log.info("demo: simulated handshake sensor on %s", sim.path)

        hand = DemoHand(lambda: sim.grip(strength=80), sim.release)
        try:
            yield Wiring(hardware, {"h": hand})
        finally:
            hand.close()
            hardware.close()
            factory.close()
