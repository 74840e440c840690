"""Configuration of the physical parts of the kiosk.

Plain frozen dataclasses with defaults that match the wiring table in
``hardware/README.md``; an application keeps them in its own settings (the kiosk's
``[gpio]`` and ``[sensor]`` sections are these types) and hands them as they are to
:class:`hardware.Hardware`.  GPIO numbers are BCM numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BUTTON_NAMES: tuple[str, ...] = ("back", "next", "dock", "language")
"""The four arcade buttons, in panel order from left to right."""


@dataclass(frozen=True, slots=True)
class ButtonPins:
    """BCM GPIO numbers of the four arcade buttons (wired to GND, internal pull-ups).

    The defaults stay clear of I2C (2, 3), SPI0 (7–11), the UART (14, 15), the HAT
    EEPROM pins (0, 1) and the PCM/I2S audio pins (18–21).
    """

    back: int = 5
    next: int = 6
    dock: int = 13
    language: int = 26

    def as_dict(self) -> dict[str, int]:
        """Return ``{button name: pin}`` in panel order."""
        return {name: getattr(self, name) for name in BUTTON_NAMES}


@dataclass(frozen=True, slots=True)
class LedPins:
    """BCM GPIO numbers of the LED rings in the four buttons (driven through a MOSFET)."""

    back: int = 17
    next: int = 27
    dock: int = 22
    language: int = 23

    def as_dict(self) -> dict[str, int]:
        """Return ``{button name: pin}`` in panel order."""
        return {name: getattr(self, name) for name in BUTTON_NAMES}


@dataclass(frozen=True, slots=True)
class GpioConfig:
    """Buttons and their LED rings.

    ``bounce_ms`` is the software debounce lock-out after each accepted edge (10–20 ms
    suits arcade microswitches).  ``chord_seconds`` is how long Back and Next must be
    held together to toggle the staff overlay.  ``enabled=False`` skips GPIO entirely.
    """

    buttons: ButtonPins = field(default_factory=ButtonPins)
    leds: LedPins = field(default_factory=LedPins)
    bounce_ms: int = 15
    chord_seconds: float = 5.0
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class SensorConfig:
    """The handshake sensor (a Raspberry Pi Pico on USB serial).

    ``port`` is a device path or pyserial URL; ``None`` means auto-detect: first a
    ``/dev/serial/by-id/`` entry whose name contains one of ``by_id_patterns``, then
    any port whose USB ``VID:PID`` (hex) is in ``usb_ids``.  The sensor is declared
    lost when no heartbeat arrived for ``heartbeat_timeout`` seconds; reconnection
    is retried with exponential backoff from ``reconnect_initial`` up to
    ``reconnect_max`` seconds.  ``enabled=False`` skips the sensor entirely.
    """

    port: str | None = None
    baudrate: int = 115200
    heartbeat_timeout: float = 3.0
    enabled: bool = True
    usb_ids: tuple[str, ...] = ("2E8A:0005",)
    by_id_patterns: tuple[str, ...] = ("Handshake", "MicroPython")
    reconnect_initial: float = 0.2
    reconnect_max: float = 5.0
