"""The LED rings in the four buttons (gpiozero :class:`PWMLED`).

:meth:`LedPanel.show` maps an :class:`ExhibitState` to one *mode* per LED and only
touches an LED whose mode changed, so the app may call it every frame without
restarting the breathing animation.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from gpiozero import PWMLED

from hardware.config import BUTTON_NAMES, LedPins
from kiosk.core.events import ExhibitState

log = logging.getLogger(__name__)

OFF = "off"
ON = "on"
BREATHE = "breathe"
DIM = "dim"

BREATHE_FADE = 1.2  # seconds each way: a slow, inviting pulse
DIM_LEVEL = 0.15


def modes_for(state: ExhibitState) -> dict[str, str]:
    """The mode of each LED for a screen state (pure; see README for the table)."""
    if state.screen == "sleep":
        return dict.fromkeys(BUTTON_NAMES, OFF)
    attract = state.screen == "attract"
    return {
        "back": ON if state.can_back and not attract else OFF,
        "next": BREATHE if attract else (ON if state.can_next else OFF),
        "dock": ON if state.can_dock else OFF,
        "language": ON,
    }


class LedPanel:
    """Four :class:`PWMLED` objects on ``pin_factory``; raises if a pin cannot be opened."""

    def __init__(self, pins: LedPins, pin_factory: Any) -> None:
        self._lock = threading.Lock()
        self.leds: dict[str, PWMLED] = {}
        self.modes: dict[str, str] = dict.fromkeys(BUTTON_NAMES, OFF)
        self._state: ExhibitState | None = None
        try:
            for name, pin in pins.as_dict().items():
                self.leds[name] = PWMLED(pin, pin_factory=pin_factory)
        except Exception:
            self.close()
            raise

    def show(self, state: ExhibitState) -> None:
        """Light the LEDs for ``state``; cheap when nothing changed."""
        with self._lock:
            if state == self._state or not self.leds:
                return
            self._state = state
            for name, mode in modes_for(state).items():
                self._set_mode(name, mode)

    def set(self, name: str, value: float) -> None:
        """Set one LED to a brightness 0..1 directly (self-test, staff button test).

        The next :meth:`show` with a different state takes over again.
        """
        with self._lock:
            self._state = None
            led = self.leds.get(name)
            if led is not None:
                led.value = max(0.0, min(1.0, value))
                self.modes[name] = ON if value > 0 else OFF

    def _set_mode(self, name: str, mode: str) -> None:
        if self.modes[name] == mode:
            return
        self.modes[name] = mode
        led = self.leds[name]
        if mode == BREATHE:
            led.pulse(fade_in_time=BREATHE_FADE, fade_out_time=BREATHE_FADE, background=True)
        elif mode == ON:
            led.on()
        elif mode == DIM:
            led.value = DIM_LEVEL
        else:
            led.off()

    def close(self) -> None:
        """Turn the LEDs off and release the pins."""
        with self._lock:
            for led in self.leds.values():
                try:
                    led.close()
                except Exception as exc:
                    log.debug("error closing LED: %s", exc)
            self.leds.clear()
