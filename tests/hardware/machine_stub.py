"""A stub of MicroPython's ``machine`` module, enough for ``hardware/firmware/main.py``.

Tests set ``ADC_VALUES[pin]`` to what the grip sensor reads (and ``PIN_VALUES[pin]``
for digital inputs, default 1 = pulled up, not bridged), and inspect
``PWM.instances`` for LED and motor duty cycles, ``WDT.instances`` for the watchdog
and ``RESETS`` for how often the firmware called :func:`reset`.  :func:`clear`
restores the initial state between tests (it is *not* ``machine.reset``).
"""

from __future__ import annotations

from typing import ClassVar

ADC_VALUES: dict[int, int] = {}
PIN_VALUES: dict[int, int] = {}
RESETS: list[str] = []  # one entry per machine.reset() call


class Pin:
    IN = 0
    OUT = 1
    PULL_UP = 1
    PULL_DOWN = 2

    def __init__(self, pin_id: int, *args: object, **kwargs: object) -> None:
        self.id = pin_id

    def value(self) -> int:
        return PIN_VALUES.get(self.id, 1)


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


class WDT:
    """``machine.WDT``: on the RP2040 it cannot be stopped once started (max 8388 ms)."""

    instances: ClassVar[list[WDT]] = []

    def __init__(self, id: int = 0, timeout: int = 5000) -> None:
        assert 1 <= timeout <= 8388, "RP2040 watchdog timeout out of range"
        self.timeout = timeout
        self.feeds = 0
        WDT.instances.append(self)

    def feed(self) -> None:
        self.feeds += 1


def unique_id() -> bytes:
    return bytes([0xE6, 0x60, 0x58, 0x38, 0x83, 0x3B, 0x1A, 0x2F])


def reset() -> None:
    """``machine.reset()``: on the Pico it never returns; here it is recorded."""
    RESETS.append("reset")


def clear() -> None:
    """Forget everything the tests set or the firmware did (between tests)."""
    ADC_VALUES.clear()
    PIN_VALUES.clear()
    RESETS.clear()
    PWM.instances.clear()
    WDT.instances.clear()
