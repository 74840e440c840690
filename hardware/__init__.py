"""Hardware abstraction: arcade buttons, their LED rings and the handshake sensor.

Like a gpiozero device, it knows nothing of the application using it: what happens to
the physical parts is reported as :mod:`hardware.events` events (a button pressed or
released, the Back+Next chord, a grip or release, the sensor connected or lost), and the
LED rings take modes by name (:class:`~hardware.leds.LedMode`).  Its errors are in
:mod:`hardware.exc`.  See ``hardware/README.md`` and ``hardware/PROTOCOL.md``.
"""

from hardware.config import ButtonPins, GpioConfig, LedPins, SensorConfig
from hardware.events import ButtonEvent, ChordEvent, GripEvent, HardwareEvent, SensorEvent
from hardware.facade import Hardware
from hardware.leds import LedMode

__all__ = [
    "ButtonEvent",
    "ButtonPins",
    "ChordEvent",
    "GpioConfig",
    "GripEvent",
    "Hardware",
    "HardwareEvent",
    "LedMode",
    "LedPins",
    "SensorConfig",
    "SensorEvent",
]
