"""The :class:`Hardware` facade: the only object the application talks to.

It reports what happens to the physical parts as :mod:`hardware.events` events and
takes LED modes by name; it knows nothing of the exhibit that uses it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

from hardware.buttons import ButtonPanel
from hardware.config import GpioConfig, SensorConfig
from hardware.errorlog import RecentErrors
from hardware.events import HardwareEvent
from hardware.leds import LedMode, LedPanel
from hardware.pinfactory import describe, factory_name, make_pin_factory
from hardware.sensor import protocol
from hardware.sensor.supervisor import SensorSupervisor, SerialFactory

log = logging.getLogger(__name__)


class Hardware:
    """Buttons, LED rings and the handshake sensor behind one small interface.

    Construction does nothing physical; :meth:`start` opens what is configured and
    present.  A missing part (no GPIO on a PC, no sensor plugged in) logs one clear
    warning and the rest keeps working; no method raises into the app.

    ``clock`` drives debouncing, the staff chord and heartbeat ages (inject a fake
    one in tests).  ``pin_factory`` is a gpiozero pin factory (default: chosen by
    ``$GPIOZERO_PIN_FACTORY``, else lgpio).  ``serial_factory(port, baudrate)`` opens
    the sensor's port (default: :func:`serial.serial_for_url`).
    """

    def __init__(
        self,
        gpio: GpioConfig,
        sensor: SensorConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
        pin_factory: Any = None,
        serial_factory: SerialFactory | None = None,
    ) -> None:
        self.gpio_config = gpio
        self.sensor_config = sensor
        self.clock = clock
        self._pin_factory = pin_factory
        self._owns_factory = False
        self._serial_factory = serial_factory
        self._lock = threading.Lock()
        self._handler: Callable[[HardwareEvent], None] | None = None
        self._errors = RecentErrors()
        self._gpio_error: str | None = None
        self._led_failures = 0  # LedPanel.show failures: the first is logged, all counted
        self.buttons: ButtonPanel | None = None
        self.leds: LedPanel | None = None
        self.sensor: SensorSupervisor | None = None

    def __repr__(self) -> str:
        if self._handler is None:
            return "<Hardware stopped>"
        parts = [repr(p) for p in (self.buttons, self.leds, self.sensor) if p is not None]
        return f"<Hardware {' '.join(parts) or 'nothing open'}>"

    # --- lifecycle ------------------------------------------------------------------------

    def start(self, handler: Callable[[HardwareEvent], None]) -> None:
        """Open the configured parts and start passing their events to ``handler``.

        ``handler`` is called from background threads (the pin factory's, the buttons'
        ticker, the sensor's reader) with each :mod:`hardware.events` event; an
        exception it raises is logged, never passed back to those threads.
        """
        with self._lock:
            if self._handler is not None:
                return
            self._handler = handler
            logging.getLogger("hardware").addHandler(self._errors)
            if self.gpio_config.enabled:
                self._start_gpio()
            if self.sensor_config.enabled:
                try:
                    self.sensor = SensorSupervisor(
                        self.sensor_config,
                        self._emit,
                        clock=self.clock,
                        serial_factory=self._serial_factory,
                    )
                    self.sensor.start()
                except Exception as exc:
                    log.warning("handshake sensor disabled: cannot start its supervisor: %s", exc)
                    self.sensor = None

    def _start_gpio(self) -> None:
        factory = self._pin_factory
        if factory is None:
            name = factory_name()
            try:
                factory = make_pin_factory(name)
            except Exception as exc:
                self._gpio_error = f"no GPIO: pin factory {name!r} unavailable ({exc})"
                log.warning(
                    "arcade buttons and LED rings disabled: gpiozero pin factory %r is not "
                    "available here (%s); the keyboard still works. On a PC, set "
                    "GPIOZERO_PIN_FACTORY=mock to simulate them.",
                    name,
                    exc,
                )
                return
            self._pin_factory = factory
            self._owns_factory = True
        cfg = self.gpio_config
        try:
            self.buttons = ButtonPanel(cfg, factory, self._emit, clock=self.clock)
        except Exception as exc:
            self._gpio_error = f"buttons: {exc}"
            log.warning("arcade buttons disabled: cannot open GPIO %s: %s", cfg.buttons, exc)
        try:
            self.leds = LedPanel(cfg.leds, factory)
        except Exception as exc:
            self._gpio_error = f"LEDs: {exc}"
            log.warning("button LED rings disabled: cannot open GPIO %s: %s", cfg.leds, exc)

    def _emit(self, event: HardwareEvent) -> None:
        handler = self._handler
        if handler is None:
            return
        try:
            handler(event)
        except Exception:
            log.exception("event handler rejected %s", event)

    def close(self) -> None:
        """Release everything: join threads, close pins and the serial port."""
        with self._lock:
            if self.sensor is not None:
                self.sensor.close()
                self.sensor = None
            if self.buttons is not None:
                self.buttons.close()
                self.buttons = None
            if self.leds is not None:
                self.leds.close()
                self.leds = None
            if self._owns_factory and self._pin_factory is not None:
                try:
                    self._pin_factory.close()
                except Exception as exc:
                    log.debug("error closing pin factory: %s", exc)
                self._pin_factory = None
                self._owns_factory = False
            logging.getLogger("hardware").removeHandler(self._errors)
            self._handler = None

    def __enter__(self) -> Hardware:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- outputs --------------------------------------------------------------------------

    def show(self, modes: Mapping[str, LedMode | str]) -> None:
        """Give the named LED rings these modes (see :class:`~hardware.leds.LedMode`);
        cheap to call every frame: only a changed mode touches an LED."""
        leds = self.leds
        if leds is None:
            return
        try:
            leds.show(modes)
        except Exception:
            self._led_failures += 1
            if self._led_failures == 1:  # once: show may be called at every frame
                log.exception("could not update the button LEDs (repeats are counted in status)")

    def set_led(self, name: str, value: float) -> bool:
        """Set one LED ring (``"back"``, ``"next"``, ``"dock"``, ``"language"``) to 0..1.

        For the self-test and the staff button test; returns ``False`` without GPIO.
        """
        leds = self.leds
        if leds is None or name not in leds.leds:
            return False
        try:
            leds.set(name, value)
        except Exception:
            log.exception("could not set LED %s", name)
            return False
        return True

    def send_feedback(
        self,
        hand: int = 0,
        *,
        led: int | None = None,
        buzz_ms: int | None = None,
        strength: int = 100,
    ) -> bool:
        """Ask the sensor to light its LED (per-mille) and/or buzz; ``False`` if not sent."""
        sensor = self.sensor
        if sensor is None:
            return False
        ok = True
        if led is not None:
            ok = sensor.send(protocol.led(hand, led)) and ok
        if buzz_ms is not None:
            ok = sensor.send(protocol.buzz(hand, buzz_ms, strength)) and ok
        return ok

    def poll(self) -> None:
        """Run due time-based button logic now (a background thread does this anyway)."""
        buttons = self.buttons
        if buttons is not None:
            buttons.poll()
        sensor = self.sensor
        if sensor is not None:
            sensor.poke()

    # --- status ---------------------------------------------------------------------------

    def status(self) -> dict[str, object]:
        """JSON-serialisable state for the staff overlay and ``status``."""
        gpio: dict[str, object] = {"enabled": self.gpio_config.enabled}
        factory = self._pin_factory
        gpio["factory"] = describe(factory) if factory is not None else None
        gpio["error"] = self._gpio_error
        buttons = self.buttons
        if buttons is not None:
            pressed = buttons.pressed()
            gpio["buttons"] = {
                name: {"pressed": pressed[name], "presses": buttons.presses[name]}
                for name in pressed
            }
        else:
            gpio["buttons"] = None
        leds = self.leds
        gpio["leds"] = {n: str(m) for n, m in leds.modes.items()} if leds is not None else None
        gpio["led_failures"] = self._led_failures
        sensor_status: dict[str, object]
        if self.sensor is not None:
            sensor_status = {"enabled": True, **self.sensor.status()}
        else:
            sensor_status = {"enabled": self.sensor_config.enabled, "connected": False}
        return {"gpio": gpio, "sensor": sensor_status, "errors": self._errors.items()}
