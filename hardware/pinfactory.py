"""Choosing the gpiozero pin factory the way gpiozero users expect.

``GPIOZERO_PIN_FACTORY`` names the factory (``lgpio``, ``rpigpio``, ``pigpio``,
``native`` or ``mock``), exactly as for any gpiozero program; without it the kiosk
uses ``lgpio``, which drives the GPIO character device and works on both the Pi 4
and the Pi 5 (RPi.GPIO and the native factory do not support the Pi 5).
"""

from __future__ import annotations

import os
from importlib.metadata import entry_points
from typing import Any

from hardware.exc import UnknownPinFactory

DEFAULT_FACTORY = "lgpio"
ENV_VAR = "GPIOZERO_PIN_FACTORY"


def factory_name(env: dict[str, str] | None = None) -> str:
    """Name of the pin factory to use: ``$GPIOZERO_PIN_FACTORY`` or ``lgpio``."""
    env = os.environ if env is None else env
    return (env.get(ENV_VAR) or DEFAULT_FACTORY).strip()


def make_pin_factory(name: str) -> Any:
    """Instantiate the gpiozero pin factory registered under ``name``.

    Uses gpiozero's own ``gpiozero_pin_factories`` entry points (case-insensitive).
    Raises :class:`~hardware.exc.UnknownPinFactory` (a ``LookupError``) for an unknown
    name and whatever the factory raises when the hardware or library is missing (e.g.
    lgpio on a PC).
    """
    wanted = name.lower()
    if wanted == "mock" and not os.environ.get("GPIOZERO_MOCK_PIN_CLASS"):
        # The LED rings are PWMLEDs, which need PWM-capable mock pins.
        from gpiozero.pins.mock import MockFactory, MockPWMPin

        return MockFactory(pin_class=MockPWMPin)
    for ep in entry_points(group="gpiozero_pin_factories"):
        if ep.name.lower() == wanted:
            return ep.load()()
    known = sorted({ep.name for ep in entry_points(group="gpiozero_pin_factories")})
    raise UnknownPinFactory(f"unknown gpiozero pin factory {name!r} (known: {', '.join(known)})")


def describe(factory: Any) -> str:
    """Short name of a pin factory instance for status and logs (``"MockFactory"``)."""
    return type(factory).__name__
