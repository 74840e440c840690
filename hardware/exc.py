"""Every exception the hardware layer raises on purpose, under one root.

Modelled on gpiozero's ``exc.py``: each class derives from :class:`HardwareError` and
from the built-in exception it is a case of, so callers may catch either (a
:class:`Garbage` line is also a ``ValueError``; an unknown pin factory is also a
``LookupError``).  The hardware layer knows nothing of the exhibit; the kiosk's own
exceptions live in ``kiosk.exc``.
"""

from __future__ import annotations


class HardwareError(Exception):
    """The root of the hardware layer's own exceptions."""


# --- configuration and pins -----------------------------------------------------------


class ConfigError(HardwareError, ValueError):
    """A hardware setting that cannot work (an unknown LED mode, a bad parameter)."""


class BadLedMode(ConfigError):
    """An LED mode with an unknown name or parameters out of range."""


class PinError(HardwareError):
    """The base of problems with GPIO pins and pin factories."""


class UnknownPinFactory(PinError, LookupError):
    """``GPIOZERO_PIN_FACTORY`` names no installed gpiozero pin factory."""


# --- the handshake sensor -------------------------------------------------------------


class SensorError(HardwareError):
    """The base of problems with the handshake sensor and its serial line."""


class ProtocolError(SensorError, ValueError):
    """A received line that cannot be used.  ``reason`` is the counter it belongs to."""

    reason = "garbage"


class Garbage(ProtocolError):
    """Not a well-formed line (bad characters, no checksum, bad fields or ranges)."""

    reason = "garbage"


class BadChecksum(ProtocolError):
    """A well-formed line whose checksum does not match its body."""

    reason = "bad_checksum"


class SensorTimeout(SensorError, TimeoutError):
    """The (simulated) sensor did not answer in time."""
