"""The LED rings in the four buttons (gpiozero :class:`PWMLED`), driven by named modes.

An LED does what its :class:`LedMode` says: ``"off"``, ``"on"`` (at a brightness),
``"blink"`` or ``"pulse"`` (with gpiozero's timing parameters).  The application
decides which mode each LED has; :meth:`LedPanel.show` only touches an LED whose mode
changed, so it may be called every frame without restarting an animation.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gpiozero import PWMLED

from hardware.config import BUTTON_NAMES, LedPins
from hardware.exc import BadLedMode

log = logging.getLogger(__name__)

MODES = ("off", "on", "blink", "pulse")
"""The names an :class:`LedMode` may have."""


@dataclass(frozen=True, slots=True)
class LedMode:
    """What one LED does: a mode by name and its parameters (seconds, brightness 0..1).

    * ``"off"``;
    * ``"on"`` at ``value`` (1.0: full brightness);
    * ``"blink"``: ``on_time`` on, ``off_time`` off, fading in and out over ``fade_in``
      and ``fade_out`` (as :meth:`gpiozero.PWMLED.blink`);
    * ``"pulse"``: fading in over ``fade_in`` and out over ``fade_out``, for ever (as
      :meth:`gpiozero.PWMLED.pulse`).

    Build them with :meth:`on`, :meth:`blink`, :meth:`pulse` or :data:`OFF`; a wrong
    name or parameter raises :class:`~hardware.exc.BadLedMode`.  ``label``, if given,
    is what status reports instead of the name (an application's word for the mode).
    """

    name: str = "off"
    value: float = 1.0
    on_time: float = 1.0
    off_time: float = 1.0
    fade_in: float = 0.0
    fade_out: float = 0.0
    label: str | None = None

    def __post_init__(self) -> None:
        if self.name not in MODES:
            raise BadLedMode(f"unknown LED mode {self.name!r} (known: {', '.join(MODES)})")
        if not 0.0 <= self.value <= 1.0:
            raise BadLedMode(f"LED brightness {self.value!r} is not between 0 and 1")
        times = (self.on_time, self.off_time, self.fade_in, self.fade_out)
        if any(t < 0 for t in times):
            raise BadLedMode(f"LED {self.name} times must not be negative: {times}")
        if self.name == "pulse" and self.fade_in + self.fade_out <= 0:
            raise BadLedMode("a pulsing LED needs a fade-in or fade-out time")

    @classmethod
    def on(cls, value: float = 1.0, *, label: str | None = None) -> LedMode:
        """Steadily on at brightness ``value``."""
        return cls("on", value=value, label=label)

    @classmethod
    def blink(
        cls,
        on_time: float = 1.0,
        off_time: float = 1.0,
        fade_in: float = 0.0,
        fade_out: float = 0.0,
        *,
        label: str | None = None,
    ) -> LedMode:
        """Blinking, as :meth:`gpiozero.PWMLED.blink` with these times."""
        return cls(
            "blink",
            on_time=on_time,
            off_time=off_time,
            fade_in=fade_in,
            fade_out=fade_out,
            label=label,
        )

    @classmethod
    def pulse(
        cls, fade_in: float = 1.0, fade_out: float = 1.0, *, label: str | None = None
    ) -> LedMode:
        """Breathing in and out, as :meth:`gpiozero.PWMLED.pulse`."""
        return cls("pulse", fade_in=fade_in, fade_out=fade_out, label=label)

    def __str__(self) -> str:
        """The label if there is one, else the mode's name (as status shows it)."""
        return self.label or self.name


OFF = LedMode("off")
ON = LedMode.on()


class LedPanel:
    """Four :class:`PWMLED` objects on ``pin_factory``; raises if a pin cannot be opened."""

    def __init__(self, pins: LedPins, pin_factory: Any) -> None:
        self._lock = threading.Lock()
        self.leds: dict[str, PWMLED] = {}
        self.modes: dict[str, LedMode] = dict.fromkeys(BUTTON_NAMES, OFF)
        try:
            for name, pin in pins.as_dict().items():
                self.leds[name] = PWMLED(pin, pin_factory=pin_factory)
        except Exception:
            self.close()
            raise

    def __repr__(self) -> str:
        if not self.leds:
            return "<LedPanel closed>"
        parts = " ".join(f"{name}={led.pin}:{self.modes[name]}" for name, led in self.leds.items())
        return f"<LedPanel {parts}>"

    def show(self, modes: Mapping[str, LedMode | str]) -> None:
        """Give each named LED its mode (a :class:`LedMode`, or a bare mode name such as
        ``"on"``); cheap when nothing changed.  LEDs not named keep their mode."""
        wanted = {name: LedMode(m) if isinstance(m, str) else m for name, m in modes.items()}
        unknown = set(wanted) - set(self.modes)
        if unknown:
            raise BadLedMode(f"no LED called {', '.join(sorted(unknown))}")
        with self._lock:
            if not self.leds:
                return
            for name, mode in wanted.items():
                self._set_mode(name, mode)

    def set(self, name: str, value: float) -> None:
        """Set one LED to a brightness 0..1 directly (self-test, staff button test)."""
        with self._lock:
            led = self.leds.get(name)
            if led is not None:
                value = max(0.0, min(1.0, value))
                led.value = value
                self.modes[name] = LedMode.on(value) if value > 0 else OFF

    def _set_mode(self, name: str, mode: LedMode) -> None:
        if self.modes[name] == mode:
            return
        self.modes[name] = mode
        led = self.leds[name]
        if mode.name == "pulse":
            led.pulse(fade_in_time=mode.fade_in, fade_out_time=mode.fade_out, background=True)
        elif mode.name == "blink":
            led.blink(
                on_time=mode.on_time,
                off_time=mode.off_time,
                fade_in_time=mode.fade_in,
                fade_out_time=mode.fade_out,
                background=True,
            )
        elif mode.name == "on":
            if mode.value >= 1.0:
                led.on()
            else:
                led.value = mode.value
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
