"""``kiosk selftest``: a guided check of the buttons, LED rings and handshake sensor.

Meant for a technician standing at the kiosk: it asks for each button in turn,
lights each LED ring and asks whether it is lit, then checks the sensor's firmware,
heartbeat and a real grip, and ends with a PASS/FAIL summary (exit status 0/1).
"""

from __future__ import annotations

import argparse
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TextIO

from hardware.config import BUTTON_NAMES, GpioConfig, SensorConfig
from hardware.events import ButtonEvent, GripEvent, HardwareEvent
from hardware.facade import Hardware

HardwareFactory = Callable[[GpioConfig, SensorConfig], Hardware]

OK = "✓"
BAD = "✗"
POLL = 0.05  # seconds of real time between checks while waiting


@dataclass
class Check:
    """One line of the summary."""

    name: str
    ok: bool
    detail: str = ""


class _Session:
    def __init__(self, hw: Hardware, out: TextIO, input_fn: Callable[[str], str], clock) -> None:
        self.hw = hw
        self.out = out
        self.input_fn = input_fn
        self.clock = clock
        self.queue: queue.SimpleQueue[HardwareEvent] = queue.SimpleQueue()
        self.woken = threading.Event()
        self.checks: list[Check] = []

    def receive(self, event: HardwareEvent) -> None:
        """What the hardware reports (from its threads)."""
        self.queue.put(event)
        self.woken.set()

    def drain(self) -> list[HardwareEvent]:
        events: list[HardwareEvent] = []
        while True:
            try:
                events.append(self.queue.get_nowait())
            except queue.Empty:
                return events

    def say(self, text: str, end: str = "\n") -> None:
        print(text, end=end, file=self.out, flush=True)

    def record(self, name: str, ok: bool, detail: str = "") -> None:
        self.checks.append(Check(name, ok, detail))
        self.say(f"{OK if ok else BAD} {detail}".rstrip())

    def wait_event(
        self, wanted: Callable[[HardwareEvent], bool], timeout: float
    ) -> HardwareEvent | None:
        deadline = self.clock() + timeout
        while True:
            for event in self.drain():
                if wanted(event):
                    return event
            if self.clock() >= deadline:
                return None
            self.woken.wait(POLL)
            self.woken.clear()

    def wait_status(self, ready: Callable[[dict], bool], timeout: float) -> dict | None:
        deadline = self.clock() + timeout
        while True:
            status = self.hw.status()
            if ready(status):
                return status
            if self.clock() >= deadline:
                return None
            self.woken.wait(POLL)
            self.woken.clear()

    def ask_yes(self, question: str) -> bool | None:
        try:
            answer = self.input_fn(question)
        except EOFError:
            return None
        return answer.strip().lower() in ("", "y", "yes", "j", "ja", "д", "да")

    # --- sections -------------------------------------------------------------------------

    def buttons(self, timeout: float) -> None:
        gpio = self.hw.status()["gpio"]
        assert isinstance(gpio, dict)
        if gpio.get("buttons") is None:
            self.say("Buttons… ", end="")
            self.record("buttons", False, f"no GPIO ({gpio.get('error') or 'disabled'})")
            return
        self.drain()
        for name in BUTTON_NAMES:
            self.say(f"Press and release {name.upper()}… ", end="")
            event = self.wait_event(
                lambda e, n=name: isinstance(e, ButtonEvent) and e.button == n and not e.pressed,
                timeout,
            )
            if event is None:
                self.record(f"button {name}", False, f"no press within {timeout:g} s")
            else:
                self.record(f"button {name}", True)

    def leds(self) -> None:
        if self.hw.leds is None:
            self.say("LED rings… ", end="")
            self.record("LEDs", False, "no GPIO")
            return
        for name in BUTTON_NAMES:
            for other in BUTTON_NAMES:
                self.hw.set_led(other, 1.0 if other == name else 0.0)
            answer = self.ask_yes(f"Is only the {name.upper()} ring lit? [Y/n] ")
            if answer is None:
                self.record(f"LED {name}", False, "no answer")
            else:
                self.record(f"LED {name}", answer, "" if answer else "reported not lit")
        for other in BUTTON_NAMES:
            self.hw.set_led(other, 0.0)

    def sensor(self, timeout: float, grip_timeout: float) -> None:
        self.say("Handshake sensor… ", end="")
        status = self.wait_status(lambda s: bool(s["sensor"].get("connected")), timeout)
        if status is None:
            last = self.hw.status()["sensor"].get("last_error")  # type: ignore[union-attr]
            self.record("sensor", False, f"not connected within {timeout:g} s ({last or 'absent'})")
            return
        sensor = status["sensor"]
        self.record(
            "sensor",
            True,
            f"firmware {sensor['firmware']}, protocol {sensor['protocol']}, on {sensor['port']}",
        )
        self.say("Heartbeat… ", end="")
        seen = sensor.get("lines", 0)
        status = self.wait_status(
            lambda s: (
                s["sensor"].get("heartbeat_age") is not None and s["sensor"].get("lines", 0) > seen
            ),
            timeout,
        )
        if status is None:
            self.record("heartbeat", False, "no heartbeat")
        else:
            s = status["sensor"]
            self.record(
                "heartbeat", True, f"last {s['heartbeat_age']:.1f} s ago, levels {s['levels']}"
            )
        self.drain()
        self.say("Squeeze the hand firmly… ", end="")
        grip = self.wait_event(lambda e: isinstance(e, GripEvent) and e.gripping, grip_timeout)
        if not isinstance(grip, GripEvent):
            self.record("grip", False, f"no grip within {grip_timeout:g} s")
            return
        self.record("grip", True, f"strength {grip.strength}")
        self.hw.send_feedback(grip.hand, buzz_ms=300, strength=80)
        self.say("Now let go… ", end="")
        end = self.wait_event(lambda e: isinstance(e, GripEvent) and not e.gripping, grip_timeout)
        if not isinstance(end, GripEvent):
            self.record("release", False, f"no release within {grip_timeout:g} s")
        else:
            self.record("release", True, f"peak {end.peak}, held {end.duration_ms} ms")

    def summary(self) -> int:
        failed = [c for c in self.checks if not c.ok]
        self.say("")
        if failed:
            names = ", ".join(c.name for c in failed)
            self.say(f"FAIL: {len(failed)} of {len(self.checks)} checks failed ({names})")
            return 1
        self.say(f"PASS: all {len(self.checks)} checks passed")
        return 0


def main(
    argv: list[str],
    *,
    hardware_factory: HardwareFactory | None = None,
    input_fn: Callable[[str], str] = input,
    out: TextIO = sys.stdout,
    clock: Callable[[], float] = time.monotonic,
    gpio: GpioConfig | None = None,
    sensor: SensorConfig | None = None,
) -> int:
    """Run the self-test; returns 0 if every check passed, 1 otherwise.

    ``gpio`` and ``sensor`` are the site's settings (pins, port); the defaults are
    the standard wiring.  ``--serial``, ``--no-gpio`` and ``--no-sensor`` override them.
    """
    parser = argparse.ArgumentParser(prog="kiosk selftest", description=__doc__)
    parser.add_argument("--serial", metavar="PATH", help="sensor port (default: auto-detect)")
    parser.add_argument("--no-gpio", action="store_true", help="skip buttons and LEDs")
    parser.add_argument("--no-sensor", action="store_true", help="skip the handshake sensor")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per button/grip")
    parser.add_argument("--sensor-timeout", type=float, default=10.0)
    args = parser.parse_args(argv)
    gpio = replace(gpio or GpioConfig(), enabled=not args.no_gpio)
    sensor = sensor or SensorConfig()
    sensor = replace(sensor, port=args.serial or sensor.port, enabled=not args.no_sensor)
    if hardware_factory is None:

        def hardware_factory(g: GpioConfig, s: SensorConfig) -> Hardware:
            return Hardware(g, s, clock=clock)

    hw = hardware_factory(gpio, sensor)
    session = _Session(hw, out, input_fn, clock)
    session.say("Apollo–Soyuz kiosk self-test")
    session.say("============================")
    hw.start(session.receive)
    try:
        if gpio.enabled:
            session.buttons(args.timeout)
            session.leds()
        if sensor.enabled:
            session.sensor(args.sensor_timeout, args.timeout)
        return session.summary()
    except KeyboardInterrupt:
        session.say("\nself-test interrupted")
        return 1
    finally:
        hw.close()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
