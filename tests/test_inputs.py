"""kiosk.inputs: the one mapping from hardware events to the exhibit's inputs, and from
the exhibit's state to the button lights' modes."""

from __future__ import annotations

import logging

import pytest
from gpiozero.pins.mock import MockFactory, MockPWMPin

from hardware import (
    ButtonEvent,
    ChordEvent,
    GpioConfig,
    GripEvent,
    Hardware,
    LedMode,
    SensorConfig,
    SensorEvent,
)
from kiosk.core.events import Action, EventBus, ExhibitState, InputEvent
from kiosk.inputs import BREATHE, ButtonLights, InputMapping, input_event, led_modes

OFF, ON = LedMode("off"), LedMode("on")


@pytest.mark.parametrize(
    ("event", "action"),
    [
        (ButtonEvent("dock", pressed=True), Action.DOCK),
        (ButtonEvent("language", pressed=True), Action.LANGUAGE),
        (ButtonEvent("back", pressed=False), Action.BACK),
        (ButtonEvent("next", pressed=False), Action.NEXT),
        (ChordEvent(("back", "next")), Action.STAFF),
    ],
)
def test_buttons_and_the_chord_become_gpio_actions(event, action: Action) -> None:
    assert input_event(event) == InputEvent(action, source="gpio")


@pytest.mark.parametrize(
    "event",
    [
        ButtonEvent("dock", pressed=False),  # Dock and Language act on press only
        ButtonEvent("language", pressed=False),
        ButtonEvent("back", pressed=True),  # Back and Next on release only
        ButtonEvent("next", pressed=True),
        ButtonEvent("next", pressed=False, chorded=True),  # the end of a chord is no tap
        ButtonEvent("back", pressed=False, chorded=True),
        ButtonEvent("stop", pressed=True),  # a button the exhibit has no use for
        SensorEvent(connected=True, port="/dev/ttyACM0"),
        SensorEvent(connected=False),
    ],
)
def test_events_that_mean_nothing_to_the_exhibit(event) -> None:
    assert input_event(event) is None


def test_grips_become_handshakes_with_the_same_details_as_before() -> None:
    cases = [
        (GripEvent(1, True, strength=40), Action.HANDSHAKE, {"strength": 40, "hand": 1}),
        (
            GripEvent(0, True, strength=51, recovered=True),
            Action.HANDSHAKE,
            {"strength": 51, "hand": 0, "recovered": True},
        ),
        (
            GripEvent(0, False, peak=75, duration_ms=1200),
            Action.HANDSHAKE_END,
            {"hand": 0, "peak": 75, "duration_ms": 1200},
        ),
        (GripEvent(0, False, recovered=True), Action.HANDSHAKE_END, {"hand": 0, "recovered": True}),
        (
            GripEvent(1, False, reason="sensor lost"),
            Action.HANDSHAKE_END,
            {"hand": 1, "reason": "sensor lost"},
        ),
    ]
    for grip, action, detail in cases:
        event = input_event(grip)
        assert event is not None
        assert (event.action, event.source) == (action, "serial")
        assert list(event.detail.items()) == list(detail.items())  # same keys, same order


def test_mapping_puts_only_meaningful_events_on_the_bus(caplog) -> None:
    bus = EventBus()
    mapping = InputMapping(bus)
    with caplog.at_level(logging.INFO, logger="kiosk.inputs"):
        mapping(ButtonEvent("next", pressed=True))
        mapping(ButtonEvent("next", pressed=False))
        mapping(SensorEvent(connected=True))
        mapping(ChordEvent(("back", "next")))
    assert [e.action for e in bus.drain()] == [Action.NEXT, Action.STAFF]
    assert "staff chord (Back+Next held) recognised" in caplog.text


def test_mapping_never_raises_into_the_hardware_threads(caplog) -> None:
    bus = EventBus()

    def broken() -> None:
        raise RuntimeError("pygame not initialised")

    bus.set_waker(broken)
    InputMapping(bus)(ButtonEvent("dock", pressed=True))
    assert [e.action for e in bus.drain()] == [Action.DOCK]
    assert "event bus rejected" in caplog.text


def state(screen: str, back: bool, nxt: bool, dock: bool) -> ExhibitState:
    return ExhibitState(screen, can_back=back, can_next=nxt, can_dock=dock, language="en")


@pytest.mark.parametrize(
    ("exhibit", "expected"),
    [
        (state("attract", True, True, False), (OFF, BREATHE, OFF, ON)),
        (state("attract", False, True, True), (OFF, BREATHE, ON, ON)),
        (state("chapter", True, True, False), (ON, ON, OFF, ON)),
        (state("chapter", False, True, False), (OFF, ON, OFF, ON)),
        (state("docking", True, False, True), (ON, OFF, ON, ON)),
        (state("credits", True, False, False), (ON, OFF, OFF, ON)),
        (state("sleep", True, True, True), (OFF, OFF, OFF, OFF)),
    ],
)
def test_led_modes_follow_the_screen(exhibit: ExhibitState, expected) -> None:
    names = ("back", "next", "dock", "language")
    assert led_modes(exhibit) == dict(zip(names, expected, strict=True))


def test_breathing_is_a_slow_pulse() -> None:
    assert (BREATHE.name, BREATHE.fade_in, BREATHE.fade_out) == ("pulse", 1.2, 1.2)
    assert str(BREATHE) == "breathe"  # as the staff status has always called it


def test_button_lights_drive_the_hardware() -> None:
    factory = MockFactory(pin_class=MockPWMPin)
    try:
        with Hardware(GpioConfig(), SensorConfig(enabled=False), pin_factory=factory) as hw:
            hw.start(InputMapping(EventBus()))
            lights = ButtonLights(hw)
            lights(state("docking", True, False, True))
            leds = GpioConfig().leds.as_dict()
            values = {name: factory.pin(pin).state for name, pin in leds.items()}
            assert values == {"back": 1, "next": 0, "dock": 1, "language": 1}
            assert hw.status()["gpio"]["leds"] == {
                "back": "on",
                "next": "off",
                "dock": "on",
                "language": "on",
            }
            lights(state("attract", False, True, False))
            assert hw.status()["gpio"]["leds"]["next"] == "breathe"  # status as it always was
    finally:
        factory.close()
