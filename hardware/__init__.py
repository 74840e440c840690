"""Hardware abstraction: arcade buttons, their LED rings and the handshake sensor.

Everything physical reaches the app as the same :class:`kiosk.core.events.InputEvent`
objects the keyboard produces.  See ``hardware/README.md`` and ``hardware/PROTOCOL.md``.
"""

from hardware.config import ButtonPins, GpioConfig, LedPins, SensorConfig
from hardware.facade import Hardware

__all__ = ["ButtonPins", "GpioConfig", "Hardware", "LedPins", "SensorConfig"]
