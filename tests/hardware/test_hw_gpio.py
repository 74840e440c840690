"""Buttons and LED rings through gpiozero's own MockFactory / MockPWMPin."""

from __future__ import annotations

import json
import logging
import threading

import pytest
from gpiozero import Button
from gpiozero.pins.mock import MockFactory, MockPWMPin
from hw_helpers import FakeClock, wait_until

from hardware import GpioConfig, Hardware, SensorConfig
from kiosk.core.events import Action, EventBus, ExhibitState
from kiosk.inputs import InputMapping, led_modes

CFG = GpioConfig()
PINS = CFG.buttons.as_dict()
LEDS = CFG.leds.as_dict()


@pytest.fixture
def rig(mock_factory: MockFactory, clock: FakeClock):
    bus = EventBus()
    hw = Hardware(CFG, SensorConfig(enabled=False), clock=clock, pin_factory=mock_factory)
    hw.start(InputMapping(bus))
    yield hw, bus, mock_factory, clock
    hw.close()


def pin(factory: MockFactory, name: str):
    return factory.pin(PINS[name])


def tap(factory: MockFactory, clock: FakeClock, name: str, hold: float = 0.1) -> None:
    pin(factory, name).drive_low()
    clock.advance(hold)
    pin(factory, name).drive_high()
    clock.advance(0.1)


def actions(bus: EventBus) -> list[Action]:
    events = bus.drain()
    assert all(e.source == "gpio" for e in events)
    return [e.action for e in events]


def test_buttons_use_pull_ups(rig) -> None:
    _hw, _bus, factory, _clock = rig
    for name in PINS:
        assert pin(factory, name).pull == "up"
        assert pin(factory, name).state == 1  # idle high, pressed pulls to GND


def test_each_button_produces_its_action(rig) -> None:
    _hw, bus, factory, clock = rig
    for name in ("back", "next", "dock", "language"):
        tap(factory, clock, name)
    assert actions(bus) == [Action.BACK, Action.NEXT, Action.DOCK, Action.LANGUAGE]
    assert bus.drain() == []


def test_dock_acts_on_press_next_on_release(rig) -> None:
    _hw, bus, factory, clock = rig
    pin(factory, "dock").drive_low()
    pin(factory, "next").drive_low()
    assert actions(bus) == [Action.DOCK]
    clock.advance(0.2)
    pin(factory, "next").drive_high()
    assert actions(bus) == [Action.NEXT]
    assert bus.drain() == []


@pytest.mark.parametrize("transitions", [10, 11])
def test_chatter_within_5ms_is_one_press(rig, transitions: int) -> None:
    hw, bus, factory, clock = rig
    dock = pin(factory, "dock")
    for i in range(transitions):
        dock.drive_low() if i % 2 == 0 else dock.drive_high()
        clock.advance(0.0005)
    clock.advance(0.020)
    hw.poll()
    if transitions % 2 == 0:
        assert hw.status()["gpio"]["buttons"]["dock"]["pressed"] is False
    assert actions(bus) == [Action.DOCK]
    assert hw.status()["gpio"]["buttons"]["dock"]["presses"] == 1


def test_release_during_lockout_is_picked_up_by_the_ticker(mock_factory, clock) -> None:
    """No test-driven poll(): the panel's own thread must notice the lock-out ending."""
    bus = EventBus()
    got = threading.Event()
    bus.set_waker(got.set)
    with Hardware(CFG, SensorConfig(enabled=False), clock=clock, pin_factory=mock_factory) as hw:
        hw.start(InputMapping(bus))
        nxt = mock_factory.pin(PINS["next"])
        nxt.drive_low()
        nxt.drive_high()  # bounced open within the lock-out: ignored for now
        assert bus.drain() == []
        clock.advance(0.016)
        assert got.wait(5.0)
        assert wait_until(lambda: hw.status()["gpio"]["buttons"]["next"]["pressed"] is False)
        assert actions(bus) == [Action.NEXT]


def test_long_hold_of_one_button_is_just_a_press(rig) -> None:
    hw, bus, factory, clock = rig
    pin(factory, "next").drive_low()
    for _ in range(12):
        clock.advance(1.0)
        hw.poll()
    assert hw.status()["gpio"]["buttons"]["next"]["pressed"] is True
    pin(factory, "next").drive_high()
    assert actions(bus) == [Action.NEXT]


def test_staff_chord_after_five_seconds_and_no_back_or_next(rig) -> None:
    hw, bus, factory, clock = rig
    pin(factory, "back").drive_low()
    clock.advance(0.2)
    pin(factory, "next").drive_low()
    clock.advance(4.9)
    hw.poll()
    assert bus.drain() == []
    clock.advance(0.1)
    hw.poll()
    assert actions(bus) == [Action.STAFF]
    clock.advance(3.0)
    hw.poll()
    pin(factory, "next").drive_high()
    clock.advance(0.5)
    pin(factory, "back").drive_high()
    hw.poll()
    assert bus.drain() == []
    # the same gesture closes the overlay again
    clock.advance(1.0)
    pin(factory, "next").drive_low()
    pin(factory, "back").drive_low()
    clock.advance(5.0)
    hw.poll()
    pin(factory, "back").drive_high()
    pin(factory, "next").drive_high()
    assert actions(bus) == [Action.STAFF]
    # and afterwards the buttons work normally
    clock.advance(0.1)
    tap(factory, clock, "back")
    assert actions(bus) == [Action.BACK]


def test_chord_fires_from_the_ticker_thread(mock_factory, clock) -> None:
    bus = EventBus()
    got = threading.Event()
    bus.set_waker(got.set)
    with Hardware(CFG, SensorConfig(enabled=False), clock=clock, pin_factory=mock_factory) as hw:
        hw.start(InputMapping(bus))
        mock_factory.pin(PINS["back"]).drive_low()
        mock_factory.pin(PINS["next"]).drive_low()
        clock.advance(5.0)
        assert got.wait(5.0)
        assert [e.action for e in bus.drain()] == [Action.STAFF]


def test_aborted_chord_is_silent(rig) -> None:
    hw, bus, factory, clock = rig
    pin(factory, "next").drive_low()
    pin(factory, "back").drive_low()
    clock.advance(2.0)
    pin(factory, "back").drive_high()
    clock.advance(0.1)
    pin(factory, "next").drive_high()
    clock.advance(10)
    hw.poll()
    assert bus.drain() == []
    presses = {k: v["presses"] for k, v in hw.status()["gpio"]["buttons"].items()}
    assert presses == {"back": 1, "next": 1, "dock": 0, "language": 0}


ATTRACT = ExhibitState("attract", can_back=False, can_next=True, can_dock=False, language="en")
CHAPTER = ExhibitState("chapter", can_back=True, can_next=True, can_dock=False, language="ru")
DOCKING = ExhibitState("docking", can_back=True, can_next=False, can_dock=True, language="en")
SLEEP = ExhibitState("sleep", can_back=True, can_next=True, can_dock=True, language="en")


def led_value(factory: MockFactory, name: str) -> float:
    return factory.pin(LEDS[name]).state


def test_leds_are_pwm_pins(rig) -> None:
    _hw, _bus, factory, _clock = rig
    for name in LEDS:
        assert isinstance(factory.pin(LEDS[name]), MockPWMPin)
        assert factory.pin(LEDS[name]).function == "output"


def test_attract_breathes_next(rig) -> None:
    hw, _bus, factory, _clock = rig
    hw.show(led_modes(ATTRACT))
    nxt = factory.pin(LEDS["next"])
    # pulse() fades through intermediate brightness levels
    assert wait_until(lambda: any(0.05 < s.state < 0.95 for s in nxt.states))
    assert led_value(factory, "language") == 1
    assert led_value(factory, "back") == 0
    assert led_value(factory, "dock") == 0
    thread = hw.leds.leds["next"]._blink_thread
    hw.show(led_modes(ATTRACT))  # every frame: the animation must not restart
    assert hw.leds.leds["next"]._blink_thread is thread is not None


def test_leds_follow_screen(rig) -> None:
    hw, _bus, factory, _clock = rig
    hw.show(led_modes(ATTRACT))
    hw.show(led_modes(CHAPTER))
    values = {name: led_value(factory, name) for name in LEDS}
    assert values == {"back": 1, "next": 1, "dock": 0, "language": 1}
    hw.show(led_modes(DOCKING))
    values = {name: led_value(factory, name) for name in LEDS}
    assert values == {"back": 1, "next": 0, "dock": 1, "language": 1}
    hw.show(led_modes(SLEEP))
    assert {name: led_value(factory, name) for name in LEDS} == dict.fromkeys(LEDS, 0)
    assert hw.status()["gpio"]["leds"] == dict.fromkeys(LEDS, "off")


def test_set_led_for_selftest(rig) -> None:
    hw, _bus, factory, _clock = rig
    assert hw.set_led("dock", 1.0)
    assert led_value(factory, "dock") == 1
    assert not hw.set_led("nonexistent", 1.0)
    hw.show(led_modes(SLEEP))  # show() takes over again
    assert led_value(factory, "dock") == 0


def test_status_is_json(rig) -> None:
    hw, _bus, factory, clock = rig
    tap(factory, clock, "language")
    status = json.loads(json.dumps(hw.status()))
    assert status["gpio"]["factory"] == "MockFactory"
    assert status["gpio"]["buttons"]["language"] == {"pressed": False, "presses": 1}
    assert status["sensor"] == {"enabled": False, "connected": False}


def test_close_releases_pins_and_threads(mock_factory, clock) -> None:
    before = threading.active_count()
    hw = Hardware(CFG, SensorConfig(enabled=False), clock=clock, pin_factory=mock_factory)
    hw.start(InputMapping(EventBus()))
    hw.show(led_modes(ATTRACT))
    assert threading.active_count() > before
    hw.close()
    assert threading.active_count() == before
    # the pins are free again
    Button(PINS["next"], pin_factory=mock_factory).close()
    hw.close()  # idempotent


def test_emit_does_not_raise_into_gpio_callbacks(mock_factory, clock, hw_logs) -> None:
    bus = EventBus()

    def broken_waker() -> None:
        raise RuntimeError("pygame not initialised")

    bus.set_waker(broken_waker)
    with Hardware(CFG, SensorConfig(enabled=False), clock=clock, pin_factory=mock_factory) as hw:
        hw.start(InputMapping(bus))
        mock_factory.pin(PINS["dock"]).drive_low()
    assert [e.action for e in bus.drain()] == [Action.DOCK]
    assert "event bus rejected" in hw_logs.text


def test_no_gpio_logs_one_warning_and_keeps_going(monkeypatch, hw_logs) -> None:
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "lgpio")  # not available on a PC / CI
    bus = EventBus()
    with Hardware(GpioConfig(), SensorConfig(enabled=False)) as hw:
        hw.start(InputMapping(bus))
        hw.show(led_modes(ATTRACT))
        assert not hw.set_led("next", 1)
        status = hw.status()
        hw.poll()
    warnings = [r for r in hw_logs.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "GPIOZERO_PIN_FACTORY=mock" in warnings[0].getMessage()
    assert status["gpio"]["buttons"] is None and "lgpio" in status["gpio"]["error"]
    assert status["errors"][0]["level"] == "WARNING"


def test_env_selects_mock_factory_with_pwm_pins(monkeypatch) -> None:
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "mock")
    monkeypatch.delenv("GPIOZERO_MOCK_PIN_CLASS", raising=False)
    bus = EventBus()
    with Hardware(GpioConfig(), SensorConfig(enabled=False)) as hw:
        hw.start(InputMapping(bus))
        hw.show(led_modes(CHAPTER))
        assert hw.status()["gpio"]["factory"] == "MockFactory"
        assert hw.status()["gpio"]["leds"]["back"] == "on"


def test_unknown_factory_name(monkeypatch, hw_logs) -> None:
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "abacus")
    with Hardware(GpioConfig(), SensorConfig(enabled=False)) as hw:
        hw.start(InputMapping(EventBus()))
        assert "abacus" in hw.status()["gpio"]["error"]
    assert "known: " in hw_logs.text


def test_pin_conflict_disables_only_what_failed(mock_factory, clock, hw_logs) -> None:
    squatter = Button(LEDS["dock"], pin_factory=mock_factory)  # someone holds an LED pin
    try:
        with Hardware(
            CFG, SensorConfig(enabled=False), clock=clock, pin_factory=mock_factory
        ) as hw:
            bus = EventBus()
            hw.start(InputMapping(bus))
            assert hw.leds is None and hw.buttons is not None
            mock_factory.pin(PINS["dock"]).drive_low()
            assert [e.action for e in bus.drain()] == [Action.DOCK]
            hw.show(led_modes(CHAPTER))  # no LEDs: silently nothing
    finally:
        squatter.close()
    assert "LED rings disabled" in hw_logs.text


def test_all_disabled_is_a_no_op() -> None:
    before = threading.active_count()
    hw = Hardware(GpioConfig(enabled=False), SensorConfig(enabled=False))
    bus = EventBus()
    hw.start(InputMapping(bus))
    assert threading.active_count() == before
    hw.show(led_modes(ATTRACT))
    hw.poll()
    assert not hw.send_feedback(0, led=100)
    assert hw.status()["gpio"]["buttons"] is None
    hw.close()
    assert bus.drain() == []
