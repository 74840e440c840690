"""The GPIO and sensor settings: ``[sensor]``, ``[gpio]``, ``[gpio.buttons]``, ``[gpio.leds]``.

Everything the config file says about the hardware is here, in one place: the
converters, the part of the schema for these tables (dotted field names into the
hardware layer's own settings, :class:`~hardware.config.GpioConfig` and
:class:`~hardware.config.SensorConfig`, whose defaults are the standard wiring of
hardware/README.md), the check that no pin is used twice, and how the values are
written back out by ``kiosk config show``.
"""

from __future__ import annotations

from dataclasses import replace

from hardware.config import BUTTON_NAMES, GpioConfig
from kiosk.settings.converters import boolean
from kiosk.settings.tomlpos import Locator

BUTTONS = BUTTON_NAMES


# Converters: each takes the TOML value and returns the Config value, or raises
# TypeError / ValueError whose text completes "expected …".


def _port(value: object) -> str | None:
    if value in ("auto", ""):
        return None
    if not isinstance(value, str):
        raise TypeError('"auto" or a device path such as "/dev/ttyACM0"')
    return value


def _pin(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 27:
        raise TypeError("a BCM GPIO number from 0 to 27")
    return value


def _bounce(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 5 <= value <= 50:
        raise TypeError("milliseconds from 5 to 50 (10–20 suits arcade buttons)")
    return value


def _chord(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 2 <= value <= 30:
        raise TypeError("seconds from 2 to 30")
    return float(value)


#: The hardware tables of :data:`kiosk.settings.schema.SCHEMA`, in file order:
#: table → key → (Config field name, converter).  A dotted name is a field of a
#: nested settings dataclass (``gpio.buttons.next``: ``Config.gpio.buttons.next``).
HARDWARE_SCHEMA: dict[str, dict[str, tuple[str, object]]] = {
    "sensor": {"port": ("sensor.port", _port), "enabled": ("sensor.enabled", boolean)},
    "gpio": {
        "enabled": ("gpio.enabled", boolean),
        "bounce_ms": ("gpio.bounce_ms", _bounce),
        "chord_seconds": ("gpio.chord_seconds", _chord),
    },
    "gpio.buttons": {name: (f"gpio.buttons.{name}", _pin) for name in BUTTONS},
    "gpio.leds": {name: (f"gpio.leds.{name}", _pin) for name in BUTTONS},
}


def check_pins(
    changes: dict[str, object], base: GpioConfig, locate: Locator
) -> tuple[str, int | None, str] | None:
    """Refuse a GPIO pin used twice in ``changes["gpio"]`` (already assembled).

    ``base`` is the wiring the file is read over.  Two pins the same is refused:
    the previous, working wiring is kept (the other ``[gpio]`` settings still
    apply) and the problem is returned as ``(key, line, message)``; otherwise
    ``None``.
    """
    gpio = changes.get("gpio")
    if not isinstance(gpio, GpioConfig):
        return None
    used: dict[int, str] = {}
    for table, pins in (("buttons", gpio.buttons), ("leds", gpio.leds)):
        for name, pin in pins.as_dict().items():
            other = used.get(pin)
            if other is not None:
                changes["gpio"] = replace(gpio, buttons=base.buttons, leds=base.leds)
                message = f"expected a pin of its own, got GPIO {pin}, already used by {other}"
                return f"gpio.{table}.{name}", locate.line(f"gpio.{table}", name), message
            used[pin] = f"gpio.{table}.{name}"
    return None


def written_value(config: object, name: str) -> tuple[bool, object]:
    """``(True, value as written in the file)`` for a hardware field of ``config``.

    ``name`` is a field name from :data:`HARDWARE_SCHEMA`; ``(False, None)`` for the
    fields written as they are.
    """
    if name == "sensor.port":
        return True, config.sensor.port or "auto"  # type: ignore[attr-defined]
    return False, None
