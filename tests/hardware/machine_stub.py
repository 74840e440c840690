"""A stub of MicroPython's ``machine`` module, enough for ``hardware/firmware/main.py``.

Tests set ``ADC_VALUES[pin]`` to what the grip sensor reads and inspect
``PWM.instances`` for LED and motor duty cycles.
"""

from __future__ import annotations

from typing import ClassVar

ADC_VALUES: dict[int, int] = {}


class Pin:
    def __init__(self, pin_id: int, *args: object, **kwargs: object) -> None:
        self.id = pin_id


class ADC:
    def __init__(self, pin: Pin | int) -> None:
        self.pin = pin.id if isinstance(pin, Pin) else pin

    def read_u16(self) -> int:
        return ADC_VALUES.get(self.pin, 0)


class PWM:
    instances: ClassVar[dict[int, PWM]] = {}

    def __init__(self, pin: Pin) -> None:
        self.pin = pin.id
        self.frequency = 0
        self.duty = 0
        PWM.instances[self.pin] = self

    def freq(self, value: int | None = None) -> int:
        if value is not None:
            self.frequency = value
        return self.frequency

    def duty_u16(self, value: int | None = None) -> int:
        if value is not None:
            assert 0 <= value <= 65535
            self.duty = value
        return self.duty


def unique_id() -> bytes:
    return bytes([0xE6, 0x60, 0x58, 0x38, 0x83, 0x3B, 0x1A, 0x2F])


def reset() -> None:
    ADC_VALUES.clear()
    PWM.instances.clear()
