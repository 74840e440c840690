"""What the hardware means to the exhibit: the one mapping between the two.

The hardware layer (:mod:`hardware`) knows nothing of the exhibit; it reports button
presses and releases, the Back+Next chord and grips of the handshake sensor as
:mod:`hardware.events`, and lights its LED rings in named modes.  This module decides
what they mean, so data runs one way: hardware → :class:`InputMapping` → the
:class:`~kiosk.core.events.EventBus`, and exhibit state → :func:`led_modes` → LEDs.

* Dock and Language act on **press**; Back and Next on **release** (like a tap on a
  touch screen), and never when the release ends a Back+Next chord, so the chord can
  claim them.
* The chord (held for ``[gpio] chord_seconds``) toggles the staff overlay.
* A grip of the sculpted hand is a handshake; letting go ends it.
"""

from __future__ import annotations

import logging

from hardware import Hardware
from hardware.events import ButtonEvent, ChordEvent, GripEvent, HardwareEvent, SensorEvent
from hardware.leds import OFF, ON, LedMode
from kiosk.core.events import Action, EventBus, ExhibitState, InputEvent

log = logging.getLogger(__name__)

#: Buttons that act when pressed.
ON_PRESS: dict[str, Action] = {"dock": Action.DOCK, "language": Action.LANGUAGE}
#: Buttons that act when released, unless the release ends a chord.
ON_RELEASE: dict[str, Action] = {"back": Action.BACK, "next": Action.NEXT}

#: The Next ring on the attract loop: a slow, inviting breath (seconds each way),
#: shown in status as "breathe".
BREATHE = LedMode.pulse(fade_in=1.2, fade_out=1.2, label="breathe")


def input_event(event: HardwareEvent) -> InputEvent | None:
    """The exhibit's input for a hardware event, or ``None`` if it means nothing here."""
    if isinstance(event, ButtonEvent):
        if event.pressed:
            action = ON_PRESS.get(event.button)
        else:
            action = None if event.chorded else ON_RELEASE.get(event.button)
        return None if action is None else InputEvent(action, source="gpio")
    if isinstance(event, ChordEvent):
        return InputEvent(Action.STAFF, source="gpio")
    if isinstance(event, GripEvent):
        return _grip(event)
    if isinstance(event, SensorEvent):
        return None  # the sensor's state reaches staff through the hardware status
    return None


def _grip(event: GripEvent) -> InputEvent:
    detail: dict[str, object]
    if event.gripping:
        detail = {"strength": event.strength, "hand": event.hand}
        if event.recovered:
            detail["recovered"] = True
        return InputEvent(Action.HANDSHAKE, source="serial", detail=detail)
    detail = {"hand": event.hand}
    if event.peak is not None:
        detail["peak"] = event.peak
    if event.duration_ms is not None:
        detail["duration_ms"] = event.duration_ms
    if event.recovered:
        detail["recovered"] = True
    if event.reason is not None:
        detail["reason"] = event.reason
    return InputEvent(Action.HANDSHAKE_END, source="serial", detail=detail)


class InputMapping:
    """Give to :meth:`hardware.Hardware.start`: puts each meaningful event on ``bus``.

    Called from the hardware's threads; it never raises into them.
    """

    def __init__(self, bus: EventBus) -> None:
        self.bus = bus

    def __repr__(self) -> str:
        return f"<InputMapping to {self.bus!r}>"

    def __call__(self, event: HardwareEvent) -> None:
        """Map one hardware event and queue the result."""
        mapped = input_event(event)
        if mapped is None:
            return
        if mapped.action is Action.STAFF:
            log.info("staff chord (Back+Next held) recognised")
        try:
            self.bus.put(mapped)
        except Exception:
            log.exception("event bus rejected %s", mapped)


def led_modes(state: ExhibitState) -> dict[str, LedMode]:
    """The mode of each button's LED ring for a screen state (pure).

    ========================== ================ =========== =========== ========
    Screen                     Back             Next        Dock        Language
    ========================== ================ =========== =========== ========
    attract                    off              breathing   if can_dock on
    chapter, docking, credits  if can_back      if can_next if can_dock on
    sleep                      off              off         off         off
    ========================== ================ =========== =========== ========
    """
    if state.screen == "sleep":
        return {"back": OFF, "next": OFF, "dock": OFF, "language": OFF}
    attract = state.screen == "attract"
    return {
        "back": ON if state.can_back and not attract else OFF,
        "next": BREATHE if attract else (ON if state.can_next else OFF),
        "dock": ON if state.can_dock else OFF,
        "language": ON,
    }


class ButtonLights:
    """An app output: lights ``hardware``'s button rings for each exhibit state.

    Cheap to call every frame: the hardware only touches a ring whose mode changed.
    """

    def __init__(self, hardware: Hardware) -> None:
        self.hardware = hardware

    def __repr__(self) -> str:
        return f"<ButtonLights of {self.hardware!r}>"

    def __call__(self, state: ExhibitState) -> None:
        """Light the rings for ``state``."""
        self.hardware.show(led_modes(state))
