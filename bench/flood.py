"""Frame times while the handshake sensor's line is flooded with garbage, and without.

The real :class:`hardware.Hardware` reads a real pty (:class:`PtySensor`) in
this process, as ``kiosk run`` does, while the app draws the attract loop and
then the docking, paced at its frame rate in real time.  Quiet: only the
sensor's heartbeats arrive.  Flood: a thread also writes :data:`FLOOD_RATE`
lines of random non-ASCII bytes per wall-clock second onto the pty (from a pool
made in advance, so making the noise costs the process nothing measurable).
The figure reports the rate actually achieved and the parser's garbage count
afterwards, so the flood demonstrably reached the parser.
"""

from __future__ import annotations

import os
import threading
import time

from bench.exhibit import Exhibit, go_to_attract
from bench.measure import Budget, Figure, percentile
from bench.pty_sensor import GARBAGE_BYTES, PtySensor
from hardware import GpioConfig, Hardware, SensorConfig
from kiosk.core.events import Action
from kiosk.core.flow import Screen
from kiosk.inputs import InputMapping

FLOOD_RATE = 5000  # lines per second
#: Allowed slowdown of the p99 frame time under the flood.
FLOOD_BUDGET = 0.10
#: The flood writes this often (seconds), as many lines as are due.
FLOOD_TICK = 0.005
POOL_LINES = 2000
DEADLINE = 10.0


def garbage_pool(lines: int = POOL_LINES) -> bytes:
    """``lines`` lines of random bytes with the high bit set (never LF, never ASCII)."""
    noise = bytes(b | 0x80 for b in os.urandom(lines * GARBAGE_BYTES))
    return b"".join(
        noise[i : i + GARBAGE_BYTES] + b"\n" for i in range(0, len(noise), GARBAGE_BYTES)
    )


class Flood:
    """Writes ``rate`` garbage lines per wall second onto ``sensor`` until stopped."""

    def __init__(self, sensor: PtySensor, rate: int = FLOOD_RATE) -> None:
        self.sensor = sensor
        self.rate = rate
        self.pool = garbage_pool()
        self.line = GARBAGE_BYTES + 1
        self.sent = 0
        self.seconds = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-flood", daemon=True)

    def __enter__(self) -> Flood:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(DEADLINE)

    @property
    def achieved(self) -> float:
        """Lines per second actually written."""
        return self.sent / self.seconds if self.seconds else 0.0

    def _run(self) -> None:
        start = time.monotonic()
        offset = 0
        while not self._stop.is_set():
            due = int((time.monotonic() - start) * self.rate) - self.sent
            if due > 0:
                chunk = b""
                while len(chunk) < due * self.line:
                    take = min(due * self.line - len(chunk), len(self.pool) - offset)
                    chunk += self.pool[offset : offset + take]
                    offset = (offset + take) % len(self.pool)
                self.sensor.write(chunk)
                self.sent += due
            self._stop.wait(FLOOD_TICK)
        self.seconds = time.monotonic() - start


def paced(exhibit: Exhibit, seconds: float, times: list[float], screen: Screen) -> None:
    """Draw frames at the frame rate in real time for ``seconds``; keep the times of
    frames showing ``screen`` at rest."""
    period = 1 / exhibit.fps
    with exhibit.clock.real_time():
        due = time.monotonic()
        end = due + seconds
        while due < end:
            took = exhibit.step()
            if took is not None and exhibit.page()[0] is screen and not exhibit.in_transition():
                times.append(took)
            due += period
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)


def phase(exhibit: Exhibit, attract_s: float, docking_s: float) -> list[float]:
    """The attract loop for ``attract_s``, then the docking's first ``docking_s``."""
    times: list[float] = []
    go_to_attract(exhibit)
    paced(exhibit, attract_s, times, Screen.ATTRACT)
    exhibit.press(Action.DOCK)
    exhibit.settle()
    paced(exhibit, docking_s, times, Screen.DOCKING)
    return times


def wait_for_connection(hardware: Hardware) -> None:
    """Until the host has heard the sensor's HELLO."""
    end = time.monotonic() + DEADLINE
    while not hardware.status()["sensor"].get("connected"):
        if time.monotonic() > end:
            raise RuntimeError("the kiosk did not connect to the pty sensor")
        time.sleep(0.01)


def garbage_count(hardware: Hardware) -> int:
    """The sensor parser's count of garbage lines."""
    return int(hardware.status()["sensor"].get("garbage", 0))


def flood_figures(exhibit: Exhibit, attract_s: float, docking_s: float) -> list[Figure]:
    """``serial_quiet`` and ``serial_flood`` (p99 within 10 % of quiet)."""
    with PtySensor() as sensor:
        hardware = Hardware(
            GpioConfig(enabled=False), SensorConfig(port=sensor.path), pin_factory=None
        )
        hardware.start(InputMapping(exhibit.app.bus))
        try:
            wait_for_connection(hardware)
            quiet = phase(exhibit, attract_s, docking_s)
            before = garbage_count(hardware)
            with Flood(sensor) as flood:
                loud = phase(exhibit, attract_s, docking_s)
            end = time.monotonic() + DEADLINE
            while garbage_count(hardware) - before < flood.sent and time.monotonic() < end:
                time.sleep(0.01)  # let the reader finish what was written
            counted = garbage_count(hardware) - before
            connected = bool(hardware.status()["sensor"].get("connected"))
        finally:
            hardware.close()
    note = f"attract {attract_s:g} s then docking {docking_s:g} s, at {exhibit.fps} fps real time"
    quiet_figure = Figure(
        "serial_quiet",
        "ms",
        quiet,
        reference_blit_ms=exhibit.reference_ms,
        size=exhibit.size,
        note=f"{note}; only the sensor's heartbeats",
    )
    limit = quiet_figure.p99 * (1 + FLOOD_BUDGET)
    return [
        quiet_figure,
        Figure(
            "serial_flood",
            "ms",
            loud,
            budget=Budget(f"p99 ≤ quiet + {FLOOD_BUDGET:.0%} ({limit:.2f})", "p99", limit),
            reference_blit_ms=exhibit.reference_ms,
            size=exhibit.size,
            note=f"{note}; {FLOOD_RATE} garbage lines/s written to the pty",
            extra={
                "flood_rate_target": FLOOD_RATE,
                "flood_rate_achieved": flood.achieved,
                "flood_lines_written": flood.sent,
                "garbage_counted": counted,
                "sensor_connected_after": connected,
                "p99_change_percent": (percentile(loud, 99) / quiet_figure.p99 - 1) * 100,
            },
        ),
    ]
