"""``kiosk sensor-sim`` and ``kiosk selftest``, run for real against a SimulatedSensor
and gpiozero's MockFactory."""

from __future__ import annotations

import io
import os
import queue
import re
import threading

import pytest
from gpiozero.pins.mock import MockFactory
from hw_helpers import FakeClock, wait_until

from hardware import GpioConfig, Hardware, SensorConfig, selftest, sim
from hardware.sensor import protocol as p
from hardware.sim import SimulatedSensor


def test_sim_path_is_a_stable_link_to_the_current_pty() -> None:
    with SimulatedSensor() as sensor:
        first = sensor.device
        assert first is not None and first.startswith("/dev/pts/")
        assert os.path.realpath(sensor.path) == first
        sensor.unplug()
        assert not os.path.exists(sensor.path) and sensor.device is None
        sensor.plug()
        assert os.path.realpath(sensor.path) == sensor.device
        link_dir = os.path.dirname(sensor.path)
    assert not os.path.exists(link_dir)


def test_sim_answers_ping_with_firmware_logic() -> None:
    import serial

    with SimulatedSensor(heartbeat_ms=10_000) as sensor:
        port = serial.serial_for_url(sensor.path, timeout=5)
        try:
            port.write(p.ping(321))
            line = port.readline()
            while not line.startswith(b"PONG"):
                line = port.readline()
            assert p.interpret(p.decode(line.rstrip(b"\n"))) == p.Pong(token=321)
        finally:
            port.close()


def test_sensor_sim_main_runs_a_script(tmp_path) -> None:
    script = tmp_path / "visit.txt"
    script.write_text("# a quick visit\ngrip 80\nwait 0.01\nrelease\ngarbage 5\nbogus\nquit\n")
    out = io.StringIO()
    assert sim.main(["--script", str(script), "--link-dir", str(tmp_path)], out=out) == 0
    text = out.getvalue()
    assert f"kiosk run --serial {tmp_path / sim.LINK_NAME}" in text
    assert "sensor-sim: grip 80" in text and "unknown script command 'bogus'" in text
    assert not (tmp_path / sim.LINK_NAME).exists()  # unplugged on exit


def test_sensor_sim_main_exits_on_eof_after_script(tmp_path) -> None:
    script = tmp_path / "s.txt"
    script.write_text("garbage 3\n")
    out = io.StringIO()
    assert sim.main(["--script", str(script)], stdin=io.StringIO("\n\n"), out=out) == 0
    assert "running until EOF" in out.getvalue()


def test_sensor_sim_main_missing_script(tmp_path) -> None:
    out = io.StringIO()
    assert sim.main(["--script", str(tmp_path / "nope")], out=out) == 2
    assert "cannot read script" in out.getvalue()


class Technician:
    """Reads the self-test's output as it is written and does what it asks."""

    def __init__(
        self,
        factory: MockFactory,
        sensor: SimulatedSensor,
        clock: FakeClock,
        skip: set[str] = frozenset(),
    ) -> None:
        self.factory, self.sensor, self.clock, self.skip = factory, sensor, clock, skip
        self.lines: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.text = ""
        self.questions: list[str] = []

    # file-like for selftest's ``out``
    def write(self, s: str) -> int:
        self.text += s
        self._react(s)
        return len(s)

    def flush(self) -> None:
        pass

    def _react(self, s: str) -> None:
        pins = GpioConfig().buttons.as_dict()
        m = re.search(r"Press and release (\w+)", s)
        if m:
            name = m.group(1).lower()
            if name in self.skip:  # nobody presses: let time pass until the next prompt
                mark = len(self.text)
                threading.Thread(
                    target=self.let_time_pass, args=(lambda: "\n" in self.text[mark:],)
                ).start()
                return
            threading.Thread(target=self._press, args=(pins[name],)).start()
        if "Squeeze the hand" in s:
            self.sensor.grip(75)
        if "Now let go" in s:
            self.sensor.release()

    def let_time_pass(self, until) -> None:
        tick = threading.Event()
        for _ in range(5000):  # bounded
            if until():
                return
            self.clock.advance(1.0)
            tick.wait(0.001)

    def _press(self, pin: int) -> None:
        self.factory.pin(pin).drive_low()
        self.clock.advance(0.2)
        self.factory.pin(pin).drive_high()
        self.clock.advance(0.2)

    def answer(self, question: str) -> str:
        self.questions.append(question)
        self.text += question
        name = re.search(r"only the (\w+) ring", question).group(1).lower()  # type: ignore[union-attr]
        led = self.factory.pin(GpioConfig().leds.as_dict()[name])
        return "y" if led.state == 1 else "n"


def run_selftest(mock_factory, clock, tech, argv) -> tuple[int, str]:
    result: list[int] = []

    def factory(g: GpioConfig, s: SensorConfig) -> Hardware:
        return Hardware(g, s, clock=clock, pin_factory=mock_factory)

    def target() -> None:
        result.append(
            selftest.main(
                argv, hardware_factory=factory, input_fn=tech.answer, out=tech, clock=clock
            )
        )

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(20)
    if thread.is_alive():  # unblock a stuck run so the suite ends, then fail
        clock.advance(10_000)
        thread.join(5)
        pytest.fail(f"self-test hung; output so far:\n{tech.text}")
    return result[0], tech.text


def test_selftest_passes_with_everything_working(mock_factory, clock) -> None:
    with SimulatedSensor(heartbeat_ms=20) as sensor:
        tech = Technician(mock_factory, sensor, clock)
        code, text = run_selftest(mock_factory, clock, tech, ["--serial", sensor.path])
        # the sensor was asked to buzz as feedback for the grip
        assert wait_until(lambda: (0, 300, 80) in sensor.buzzes)
    assert code == 0, text
    for name in ("BACK", "NEXT", "DOCK", "LANGUAGE"):
        assert f"Press and release {name}… ✓" in text
    assert len(tech.questions) == 4
    assert "firmware 1.0.0, protocol 1" in text
    assert "strength 75" in text and "peak 75" in text
    assert "PASS: all 12 checks passed" in text


def test_selftest_fails_when_a_button_is_dead(mock_factory, clock) -> None:
    with SimulatedSensor(heartbeat_ms=20) as sensor:
        tech = Technician(mock_factory, sensor, clock, skip={"dock"})
        code, text = run_selftest(
            mock_factory, clock, tech, ["--serial", sensor.path, "--timeout", "30"]
        )
    assert code == 1
    assert "Press and release DOCK… ✗ no press within 30 s" in text
    assert "FAIL: 1 of 12 checks failed (button dock)" in text


def test_selftest_without_sensor_fails_clearly(mock_factory, clock, tmp_path) -> None:
    tech = Technician(mock_factory, None, clock)  # type: ignore[arg-type]
    threading.Thread(target=tech.let_time_pass, args=(lambda: "FAIL" in tech.text,)).start()
    code, text = run_selftest(
        mock_factory, clock, tech, ["--no-gpio", "--serial", str(tmp_path / "ttyACM0")]
    )
    assert code == 1
    assert "Handshake sensor… ✗ not connected within 10 s" in text
    assert "No such file" in text


def test_selftest_no_gpio_on_a_pc(monkeypatch, clock) -> None:
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "lgpio")
    out = io.StringIO()
    code = selftest.main(["--no-sensor"], input_fn=lambda q: "y", out=out, clock=clock)
    assert code == 1
    assert "Buttons… ✗ no GPIO" in out.getvalue()
