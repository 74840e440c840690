"""What the hardware layer reports on its own, with no application attached: button,
chord, grip and sensor events, LED modes by name, its exceptions and its reprs."""

from __future__ import annotations

import queue
import threading

import pytest
from gpiozero.pins.mock import MockFactory, MockPWMPin
from hw_helpers import FakeClock, wait_until

from hardware import (
    ButtonEvent,
    ChordEvent,
    GpioConfig,
    GripEvent,
    Hardware,
    LedMode,
    SensorConfig,
    SensorEvent,
    exc,
)
from hardware.buttons import ButtonPanel
from hardware.chord import ChordLogic
from hardware.leds import OFF, ON, LedPanel
from hardware.sensor import protocol
from hardware.sensor.supervisor import SensorSupervisor
from hardware.sim import SimulatedSensor

CFG = GpioConfig()
PINS = CFG.buttons.as_dict()
LEDS = CFG.leds.as_dict()
FAST = {"reconnect_initial": 0.005, "reconnect_max": 0.02}


class Events:
    """A handler for :meth:`Hardware.start` that keeps what it is given."""

    def __init__(self) -> None:
        self.queue: queue.SimpleQueue[object] = queue.SimpleQueue()

    def __call__(self, event: object) -> None:
        self.queue.put(event)

    def drain(self) -> list[object]:
        out = []
        while not self.queue.empty():
            out.append(self.queue.get_nowait())
        return out

    def wait_for(self, wanted, timeout: float = 5.0) -> object:
        seen = []
        try:
            while True:
                event = self.queue.get(timeout=timeout)
                if wanted(event):
                    return event
                seen.append(event)
        except queue.Empty:
            raise AssertionError(f"nothing wanted within {timeout} s; got {seen}") from None


# --- buttons and the chord ------------------------------------------------------------


def test_chord_logic_reports_every_press_and_release() -> None:
    chord = ChordLogic(5.0)
    assert chord.press("dock", 0) == [ButtonEvent("dock", pressed=True)]
    assert chord.release("dock", 0.1) == [ButtonEvent("dock", pressed=False)]
    assert chord.press("next", 1) == [ButtonEvent("next", pressed=True)]
    assert chord.release("next", 1.1) == [ButtonEvent("next", pressed=False)]


def test_chord_logic_marks_the_chords_buttons_until_both_are_up() -> None:
    chord = ChordLogic(5.0)
    assert chord.press("back", 0) == [ButtonEvent("back", pressed=True)]
    assert chord.press("next", 0.3) == [ButtonEvent("next", pressed=True, chorded=True)]
    assert chord.poll(5.3) == [ChordEvent(("back", "next"))]
    assert chord.poll(60) == []
    assert chord.release("next", 61) == [ButtonEvent("next", pressed=False, chorded=True)]
    assert chord.release("back", 62) == [ButtonEvent("back", pressed=False, chorded=True)]
    # both up: the next tap is an ordinary one again
    chord.press("back", 70)
    assert chord.release("back", 70.1) == [ButtonEvent("back", pressed=False)]


def test_chord_that_completes_on_release_comes_first() -> None:
    chord = ChordLogic(5.0)
    chord.press("next", 0)
    chord.press("back", 0.1)
    assert chord.release("back", 5.2) == [
        ChordEvent(("back", "next")),
        ButtonEvent("back", pressed=False, chorded=True),
    ]


def test_button_panel_emits_hardware_events(mock_factory: MockFactory, clock: FakeClock) -> None:
    got: list[object] = []
    panel = ButtonPanel(CFG, mock_factory, got.append, clock=clock, ticker=False)
    try:
        mock_factory.pin(PINS["language"]).drive_low()
        clock.advance(0.1)
        mock_factory.pin(PINS["language"]).drive_high()
        mock_factory.pin(PINS["back"]).drive_low()
        mock_factory.pin(PINS["next"]).drive_low()
        clock.advance(5.0)
        panel.poll()
    finally:
        panel.close()
    assert got == [
        ButtonEvent("language", pressed=True),
        ButtonEvent("language", pressed=False),
        ButtonEvent("back", pressed=True),
        ButtonEvent("next", pressed=True, chorded=True),
        ChordEvent(("back", "next")),
    ]


def test_button_ticker_stops_with_the_panel(mock_factory: MockFactory, clock: FakeClock) -> None:
    def tickers() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name == "gpio-buttons"]

    assert tickers() == []
    panel = ButtonPanel(CFG, mock_factory, lambda e: None, clock=clock)
    [ticker] = tickers()
    assert "running" in repr(ticker)
    panel.close()
    assert tickers() == [] and not ticker.is_alive()
    assert repr(panel) == "<ButtonPanel closed>"


def test_a_failing_handler_is_logged_not_raised(mock_factory, clock, hw_logs) -> None:
    def handler(event: object) -> None:
        raise RuntimeError("application bug")

    with Hardware(CFG, SensorConfig(enabled=False), clock=clock, pin_factory=mock_factory) as hw:
        hw.start(handler)
        mock_factory.pin(PINS["dock"]).drive_low()  # must not raise into gpiozero
        assert hw.status()["gpio"]["buttons"]["dock"]["presses"] == 1
    assert "event handler rejected ButtonEvent(button='dock'" in hw_logs.text


# --- LED modes ------------------------------------------------------------------------


@pytest.fixture
def panel(mock_factory: MockFactory):
    leds = LedPanel(CFG.leds, mock_factory)
    yield leds
    leds.close()


def test_led_modes_by_name(panel: LedPanel, mock_factory: MockFactory) -> None:
    panel.show({"back": "on", "next": LedMode.on(0.25), "dock": "off"})
    assert mock_factory.pin(LEDS["back"]).state == 1
    assert mock_factory.pin(LEDS["next"]).state == pytest.approx(0.25)
    assert mock_factory.pin(LEDS["dock"]).state == 0
    assert panel.modes["back"] == ON and panel.modes["dock"] == OFF
    assert panel.modes["language"] == OFF  # not named: unchanged


def test_blink_mode_switches_the_led_on_and_off(panel, mock_factory) -> None:
    panel.show({"dock": LedMode.blink(on_time=0.01, off_time=0.01)})
    pin = mock_factory.pin(LEDS["dock"])
    assert wait_until(lambda: {s.state for s in pin.states} >= {0, 1} and len(pin.states) > 4)
    assert str(panel.modes["dock"]) == "blink"


def test_pulse_mode_fades_and_is_not_restarted_by_the_same_mode(panel, mock_factory) -> None:
    panel.show({"next": LedMode.pulse(fade_in=0.4, fade_out=0.4)})
    pin = mock_factory.pin(LEDS["next"])
    assert wait_until(lambda: any(0.05 < s.state < 0.95 for s in pin.states))
    thread = panel.leds["next"]._blink_thread
    panel.show({"next": LedMode.pulse(fade_in=0.4, fade_out=0.4)})
    assert panel.leds["next"]._blink_thread is thread is not None
    panel.show({"next": "off"})
    assert panel.leds["next"]._blink_thread is None and pin.state == 0


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: LedMode("breathe"), "unknown LED mode 'breathe'"),
        (lambda: LedMode.on(1.5), "between 0 and 1"),
        (lambda: LedMode.blink(on_time=-1), "must not be negative"),
        (lambda: LedMode.pulse(0, 0), "fade-in or fade-out"),
    ],
)
def test_bad_led_modes_are_refused(make, words: str) -> None:
    with pytest.raises(exc.BadLedMode, match=words) as info:
        make()
    assert isinstance(info.value, ValueError) and isinstance(info.value, exc.HardwareError)


def test_unknown_led_name_is_refused(panel: LedPanel) -> None:
    with pytest.raises(exc.BadLedMode, match="no LED called stop"):
        panel.show({"stop": "on"})


def test_facade_counts_led_failures_and_reports_mode_names(mock_factory, clock) -> None:
    with Hardware(CFG, SensorConfig(enabled=False), clock=clock, pin_factory=mock_factory) as hw:
        hw.start(lambda e: None)
        hw.show({"next": LedMode.pulse(), "language": "on"})
        assert hw.status()["gpio"]["leds"] == {
            "back": "off",
            "next": "pulse",
            "dock": "off",
            "language": "on",
        }
        hw.show({"dock": LedMode.blink(label="waiting")})
        assert hw.status()["gpio"]["leds"]["dock"] == "waiting"
        hw.show({"nonexistent": "on"})  # never raises into the app: counted
        hw.show({"nonexistent": "on"})
        assert hw.status()["gpio"]["led_failures"] == 2


# --- the sensor -----------------------------------------------------------------------


def test_grips_and_sensor_state_as_hardware_events() -> None:
    events = Events()
    with (
        SimulatedSensor(heartbeat_ms=50) as sim,
        Hardware(GpioConfig(enabled=False), SensorConfig(port=sim.path, **FAST)) as hw,
    ):
        hw.start(events)
        up = events.wait_for(lambda e: isinstance(e, SensorEvent))
        assert up == SensorEvent(connected=True, port=sim.path)
        sim.grip(64)
        grip = events.wait_for(lambda e: isinstance(e, GripEvent))
        assert grip == GripEvent(0, gripping=True, strength=64)
        sim.unplug()  # lost mid-grip: the grip is ended by the host, then the sensor
        end = events.wait_for(lambda e: isinstance(e, GripEvent))
        assert end == GripEvent(0, gripping=False, reason="sensor lost")
        down = events.wait_for(lambda e: isinstance(e, SensorEvent))
        assert down == SensorEvent(connected=False, port=sim.path)
        sim.plug()
        assert events.wait_for(lambda e: isinstance(e, SensorEvent)).connected is True
        sim.release()
    assert not [e for e in events.drain() if isinstance(e, SensorEvent) and e.connected]


def test_protocol_errors_are_hardware_errors_and_value_errors() -> None:
    with pytest.raises(exc.BadChecksum) as info:
        protocol.decode(b"PING n=7*08")
    assert isinstance(info.value, exc.ProtocolError) and info.value.reason == "bad_checksum"
    assert isinstance(info.value, exc.SensorError) and isinstance(info.value, ValueError)
    assert protocol.Garbage is exc.Garbage and protocol.ProtocolError is exc.ProtocolError


def test_exceptions_share_one_root_and_their_builtin() -> None:
    pairs = {
        exc.ConfigError: ValueError,
        exc.BadLedMode: ValueError,
        exc.UnknownPinFactory: LookupError,
        exc.ProtocolError: ValueError,
        exc.Garbage: ValueError,
        exc.BadChecksum: ValueError,
        exc.SensorTimeout: TimeoutError,
    }
    for cls, builtin in pairs.items():
        assert issubclass(cls, exc.HardwareError) and issubclass(cls, builtin), cls


def test_unknown_pin_factory_is_a_lookup_error() -> None:
    from hardware.pinfactory import make_pin_factory

    with pytest.raises(LookupError, match="abacus") as info:
        make_pin_factory("abacus")
    assert isinstance(info.value, exc.UnknownPinFactory)


# --- reprs ----------------------------------------------------------------------------


def test_reprs_say_what_a_device_is(mock_factory: MockFactory, clock: FakeClock) -> None:
    hw = Hardware(
        CFG, SensorConfig(port="/dev/null", **FAST), clock=clock, pin_factory=mock_factory
    )
    assert repr(hw) == "<Hardware stopped>"
    hw.start(lambda e: None)
    try:
        hw.show({"next": "on"})
        text = repr(hw)
        assert "<ButtonPanel back=GPIO5 next=GPIO6 dock=GPIO13 language=GPIO26>" in text
        assert "next=GPIO27:on" in text and "back=GPIO17:off" in text
        assert "<SensorSupervisor /dev/null not connected>" in text
    finally:
        hw.close()
    assert repr(hw) == "<Hardware stopped>"
    leds = LedPanel(CFG.leds, MockFactory(pin_class=MockPWMPin))
    leds.close()
    assert repr(leds) == "<LedPanel closed>"
    sup = SensorSupervisor(SensorConfig(), lambda e: None)
    assert repr(sup) == "<SensorSupervisor auto-detect stopped>"
    assert "held=[]" in repr(ChordLogic(5.0))


def test_simulator_repr_follows_the_plug(tmp_path) -> None:
    sim = SimulatedSensor(link_dir=str(tmp_path))
    assert repr(sim) == "<SimulatedSensor closed>"
    with sim:
        assert repr(sim) == f"<SimulatedSensor {sim.path} -> {sim.device} hands=1>"
        sim.unplug()
        assert repr(sim) == f"<SimulatedSensor {sim.path} -> unplugged hands=1>"
    assert repr(sim) == "<SimulatedSensor closed>"
