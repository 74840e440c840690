"""What the hardware reports: plain, immutable events that know nothing of the exhibit.

Like a gpiozero device's ``when_pressed``/``when_released``, the hardware layer only
says what happened to the physical parts; the application decides what that means
(the kiosk's mapping turns these into its own input events).  Every event reaches the
function given to :meth:`hardware.Hardware.start`, from a background thread.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ButtonEvent:
    """A debounced press (``pressed=True``) or release of the button ``button``.

    ``chorded`` is set on the chord's buttons while a chord attempt is under way (both
    were down together since they were last both up): a release with ``chorded`` set
    is part of the chord, not a tap of that button.
    """

    button: str
    pressed: bool
    chorded: bool = False


@dataclass(frozen=True, slots=True)
class ChordEvent:
    """The chord's buttons were held down together for the configured time."""

    buttons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GripEvent:
    """A hand of the handshake sensor was gripped (``gripping=True``) or let go.

    A grip carries its ``strength`` (0–100); a release its ``peak`` and ``duration_ms``
    as the sensor measured them.  ``recovered`` marks a change the host inferred from
    a heartbeat because the sensor's own line was lost; ``reason`` says why a grip was
    ended by the host (e.g. the sensor was unplugged mid-grip).
    """

    hand: int
    gripping: bool
    strength: int | None = None
    peak: int | None = None
    duration_ms: int | None = None
    recovered: bool = False
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SensorEvent:
    """The handshake sensor was connected (``connected=True``) or lost, on ``port``."""

    connected: bool
    port: str | None = None


HardwareEvent = ButtonEvent | ChordEvent | GripEvent | SensorEvent
"""Anything the hardware layer reports."""
