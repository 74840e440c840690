"""The GPIO and sensor settings: ``[sensor]``, ``[gpio]``, ``[gpio.buttons]``, ``[gpio.leds]``.

Everything the config file says about the hardware is here, in one place: the
defaults (from the hardware layer's standard wiring), the converters, the part of
the schema for these tables, how pins are folded into the config after parsing, and
how they are written back out by ``kiosk config show``.
"""

from __future__ import annotations

from hardware.config import BUTTON_NAMES, ButtonPins, GpioConfig, LedPins
from kiosk.settings.converters import boolean
from kiosk.settings.tomlpos import Locator

BUTTONS = BUTTON_NAMES
#: BCM pins: the hardware layer's standard wiring (hardware/README.md).
DEFAULT_BUTTON_PINS = tuple(ButtonPins().as_dict().items())
DEFAULT_LED_PINS = tuple(LedPins().as_dict().items())
DEFAULT_BOUNCE_MS = GpioConfig().bounce_ms
DEFAULT_CHORD_SECONDS = GpioConfig().chord_seconds


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
#: table → key → (Config field name, converter).  ``button:NAME`` / ``led:NAME``
#: fields are folded into the pin tables by :func:`assemble_pins`.
HARDWARE_SCHEMA: dict[str, dict[str, tuple[str, object]]] = {
    "sensor": {"port": ("serial_port", _port), "enabled": ("sensor", boolean)},
    "gpio": {
        "enabled": ("gpio", boolean),
        "bounce_ms": ("bounce_ms", _bounce),
        "chord_seconds": ("chord_seconds", _chord),
    },
    "gpio.buttons": {name: (f"button:{name}", _pin) for name in BUTTONS},
    "gpio.leds": {name: (f"led:{name}", _pin) for name in BUTTONS},
}


def assemble_pins(
    changes: dict[str, object],
    button_pins: tuple[tuple[str, int], ...],
    led_pins: tuple[tuple[str, int], ...],
    locate: Locator,
) -> tuple[str, int | None, str] | None:
    """Fold ``button:NAME`` / ``led:NAME`` entries of ``changes`` into the pin tables.

    ``button_pins`` and ``led_pins`` are the wiring the file is read over.  Two
    pins the same is refused: the previous, working wiring is kept and the problem
    is returned as ``(key, line, message)``; otherwise ``None``.
    """
    pins = {"buttons": dict(button_pins), "leds": dict(led_pins)}
    for key in list(changes):
        kind, _, name = key.partition(":")
        if kind in ("button", "led"):
            pins["buttons" if kind == "button" else "leds"][name] = changes.pop(key)  # type: ignore[assignment]
    used: dict[int, str] = {}
    for table, mapping in pins.items():
        for name, pin in mapping.items():
            other = used.get(pin)
            if other is not None:
                message = f"expected a pin of its own, got GPIO {pin}, already used by {other}"
                return f"gpio.{table}.{name}", locate.line(f"gpio.{table}", name), message
            used[pin] = f"gpio.{table}.{name}"
    changes["button_pins"] = tuple(pins["buttons"].items())
    changes["led_pins"] = tuple(pins["leds"].items())
    return None


def written_value(config: object, name: str) -> tuple[bool, object]:
    """``(True, value as written in the file)`` for a hardware field of ``config``.

    ``name`` is a field name from :data:`HARDWARE_SCHEMA`; ``(False, None)`` for the
    fields written as they are.
    """
    kind, _, detail = name.partition(":")
    if kind in ("button", "led") and detail:
        pins = config.button_pins if kind == "button" else config.led_pins  # type: ignore[attr-defined]
        return True, dict(pins)[detail]
    if name == "serial_port":
        return True, config.serial_port or "auto"  # type: ignore[attr-defined]
    return False, None
