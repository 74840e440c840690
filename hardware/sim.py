"""A simulated handshake sensor on a pseudo-terminal (``kiosk sensor-sim``).

:class:`SimulatedSensor` opens a pty pair and runs the *firmware's own* protocol
logic (:mod:`hardware.firmware.sensor_protocol`) on the master side in a thread, so
the kiosk talks to it exactly as to the Pico over USB.  Unplugging closes the pty
(the kiosk's reads fail with EIO, as with a real USB unplug); plugging in opens a new
one.  :attr:`SimulatedSensor.path` is a stable symlink to the current device, like
``/dev/serial/by-id/…``, so ``kiosk run --serial PATH`` survives a replug.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pty
import queue
import random
import select
import shutil
import sys
import tempfile
import threading
import time
import tty
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, TextIO

from hardware.exc import SensorTimeout
from hardware.firmware import sensor_protocol as fw
from hardware.threads import StoppableThread

LINK_NAME = "usb-Apollo-Soyuz_Handshake_Sensor_SIM-if00"
GRIP_SAMPLE_S = 0.005  # how often the simulated ADC is sampled while a hand is held


class SimulatedSensor:
    """A fake sensor device behind a pty; use as a context manager.

    ``heartbeat_ms`` and ``hands`` are passed to the firmware logic.  All public
    methods are thread-safe; they hand work to the device thread and wait (bounded)
    until it is done, so e.g. after :meth:`unplug` returns the device is gone.
    """

    def __init__(
        self,
        *,
        hands: int = 1,
        heartbeat_ms: int = fw.HEARTBEAT_MS,
        firmware: str = fw.FIRMWARE_VERSION,
        device_id: str = "E6605838833B1A2F",
        link_dir: str | None = None,
        seed: int = 1975,
    ) -> None:
        self.hands = hands
        self.heartbeat_ms = heartbeat_ms
        self.firmware = firmware
        self.device_id = device_id
        self._link_dir = link_dir
        self._own_dir: str | None = None
        self._random = random.Random(seed)
        self._commands: queue.SimpleQueue[tuple[Callable[[], object], threading.Event]] = (
            queue.SimpleQueue()
        )
        self._wake_r = self._wake_w = -1
        self._master = self._slave = -1
        self._thread: StoppableThread | None = None
        self._levels = [0] * hands
        self._core: fw.SensorCore | None = None
        self._host_lines = fw.LineBuffer()
        self.device: str | None = None
        """The current ``/dev/pts/N`` (``None`` while unplugged)."""
        self.path = ""
        """Stable symlink to :attr:`device`; give this to ``kiosk run --serial``."""
        self.received: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        """Every line the host sent (raw, without LF), for tests."""
        self.led_levels = [0] * hands
        self.buzzes: list[tuple[int, int, int]] = []
        self.dropped_bytes = 0
        self.plug_count = 0

    def __repr__(self) -> str:
        if self._thread is None:
            return "<SimulatedSensor closed>"
        where = self.device or "unplugged"
        return f"<SimulatedSensor {self.path} -> {where} hands={self.hands}>"

    # --- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> SimulatedSensor:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def open(self) -> None:
        """Create the link directory, plug the device in and start its thread."""
        if self._thread is not None:
            return
        if self._link_dir is None:
            self._own_dir = tempfile.mkdtemp(prefix="kiosk-sensor-sim-")
            self._link_dir = self._own_dir
        self.path = os.path.join(self._link_dir, LINK_NAME)
        self._wake_r, self._wake_w = os.pipe()
        self._plug()
        self._thread = StoppableThread(self._run, name="sensor-sim", on_stop=self._poke)
        self._thread.start()

    def close(self) -> None:
        """Unplug, stop the thread and remove the link directory."""
        if self._thread is None:
            return
        self._thread.stop(5.0)
        self._thread = None
        self._unplug()
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)
        self._wake_r = self._wake_w = -1
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)
            self._own_dir = None
            self._link_dir = None

    @property
    def plugged(self) -> bool:
        """Whether the device is currently plugged in."""
        return self._master >= 0

    # --- what a visitor or technician does -----------------------------------------------

    def grip(self, strength: int = 70, hand: int = 0) -> None:
        """Squeeze ``hand`` at ``strength`` (0–100); GRIP follows after the hold time."""
        level = max(0, min(1000, strength * 10))
        self._call(lambda: self._levels.__setitem__(hand, level))

    def release(self, hand: int = 0) -> None:
        """Let go of ``hand``; REL follows after the release time."""
        self._call(lambda: self._levels.__setitem__(hand, 0))

    def unplug(self) -> None:
        """Pull the USB cable: the pty is closed and the link removed."""
        self._call(self._unplug)

    def plug(self) -> None:
        """Plug the USB cable back in: a new pty, the link updated, the firmware rebooted."""
        self._call(self._plug)

    def replug(self) -> None:
        """:meth:`unplug` then :meth:`plug`."""
        self._call(lambda: (self._unplug(), self._plug()))

    def send_garbage(self, n: int = 32) -> None:
        """Send ``n`` random bytes followed by a LF, as electrical noise might."""
        data = bytes(self._random.choice(range(256)) for _ in range(n)).replace(b"\n", b"?")
        self.send_raw(data + b"\n")

    def send_raw(self, data: bytes) -> None:
        """Send arbitrary bytes to the host."""
        self._call(lambda: self._write([data]))

    def send_message(self, kind: str, **fields: object) -> None:
        """Send a framed message built by the firmware's own encoder."""
        self.send_raw(fw.message(kind, list(fields.items())))

    # --- device thread --------------------------------------------------------------------

    def _call(self, func: Callable[[], object], timeout: float = 5.0) -> None:
        if self._thread is None or not self._thread.is_alive():
            func()
            return
        done = threading.Event()
        self._commands.put((func, done))
        self._poke()
        if not done.wait(timeout):
            raise SensorTimeout("simulated sensor thread did not respond")

    def _poke(self) -> None:
        """Wake the device thread from its ``select``."""
        os.write(self._wake_w, b"x")

    @staticmethod
    def _now_ms() -> int:
        return int(time.monotonic() * 1000)

    def _plug(self) -> None:
        if self._master >= 0:
            return
        master, slave = pty.openpty()
        tty.setraw(slave)  # a USB CDC device has no line discipline: no echo, no CR/LF mangling
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        self.device = os.ttyname(slave)
        tmp = self.path + ".new"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        os.symlink(self.device, tmp)
        os.replace(tmp, self.path)
        self._levels = [0] * self.hands
        self._host_lines = fw.LineBuffer()
        self._core = fw.SensorCore(
            hands=self.hands,
            firmware=self.firmware,
            device_id=self.device_id,
            heartbeat_ms=self.heartbeat_ms,
            set_led=self._on_led,
            buzz=self._on_buzz,
        )
        self.plug_count += 1
        self._write(self._core.boot(self._now_ms()))

    def _unplug(self) -> None:
        if self._master < 0:
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        os.close(self._master)
        os.close(self._slave)
        self._master = self._slave = -1
        self.device = None
        self._core = None

    def _on_led(self, hand: int, level: int) -> None:
        self.led_levels[hand] = level

    def _on_buzz(self, hand: int, ms: int, strength: int) -> None:
        self.buzzes.append((hand, ms, strength))

    def _write(self, lines: Iterable[bytes]) -> None:
        for line in lines:
            if self._master < 0:
                self.dropped_bytes += len(line)
                continue
            try:
                os.write(self._master, line)
            except OSError:  # nobody reading and the pty buffer is full: drop, like USB CDC
                self.dropped_bytes += len(line)

    def _run(self) -> None:
        thread = self._thread
        assert thread is not None
        while not thread.stopping.is_set():
            core = self._core
            now = self._now_ms()
            sampling = core is not None and (
                any(self._levels) or any(d.gripping for d in core.detectors)
            )
            timeout = GRIP_SAMPLE_S if sampling else 0.05
            fds = [self._wake_r] + ([self._master] if self._master >= 0 else [])
            ready, _, _ = select.select(fds, [], [], timeout)
            if self._wake_r in ready:
                os.read(self._wake_r, 4096)
                while True:
                    try:
                        func, done = self._commands.get_nowait()
                    except queue.Empty:
                        break
                    try:
                        func()
                    finally:
                        done.set()
            now = self._now_ms()
            if self._master >= 0 and self._master in ready:
                try:
                    data = os.read(self._master, 4096)
                except OSError:
                    data = b""
                if data and self._core is not None:
                    for line in self._host_lines.feed(data):
                        if line is not None:
                            self.received.put(line)
                    self._write(self._core.receive(data, now))
            core = self._core
            if core is not None:
                out = core.tick(now)
                for hand in range(self.hands):
                    out += core.sample(hand, self._levels[hand], now)
                self._write(out)


# --- command line ----------------------------------------------------------------------

DEMO_SCRIPT = """\
# built-in demo: a visitor shakes the hand every 15 seconds
wait 5
grip 65
wait 2.5
release
wait 7.5
grip 90
wait 1.5
release
wait 3
loop
"""

HELP = "keys: g=grip  h=grip hand 2  r=release  u=unplug/replug  x=garbage  q=quit"


def run_script(
    sim: SimulatedSensor,
    lines: Iterable[str],
    stop: threading.Event,
    out: TextIO,
) -> bool:
    """Run a sensor-sim script; returns ``True`` if it ended with ``quit``.

    Commands, one per line (``#`` starts a comment): ``wait SECONDS``,
    ``grip [STRENGTH [HAND]]``, ``release [HAND]``, ``unplug``, ``plug``, ``replug``,
    ``garbage [N]``, ``loop`` (start again from the top), ``quit``.
    """
    program = [line.split("#", 1)[0].split() for line in lines]
    program = [words for words in program if words]
    pc = 0
    while pc < len(program) and not stop.is_set():
        cmd, *args = program[pc]
        pc += 1
        try:
            if cmd == "wait":
                stop.wait(float(args[0]))
            elif cmd == "grip":
                sim.grip(int(args[0]) if args else 70, int(args[1]) if len(args) > 1 else 0)
            elif cmd == "release":
                sim.release(int(args[0]) if args else 0)
            elif cmd == "unplug":
                sim.unplug()
            elif cmd == "plug":
                sim.plug()
            elif cmd == "replug":
                sim.replug()
            elif cmd == "garbage":
                sim.send_garbage(int(args[0]) if args else 32)
            elif cmd == "loop":
                pc = 0
            elif cmd == "quit":
                return True
            else:
                print(f"sensor-sim: unknown script command {cmd!r}", file=out)
                continue
        except (IndexError, ValueError):
            print(f"sensor-sim: bad arguments in {' '.join([cmd, *args])!r}", file=out)
            continue
        if cmd != "wait":
            print(f"sensor-sim: {' '.join([cmd, *args])}", file=out, flush=True)
    return False


def _interactive(sim: SimulatedSensor, stdin: TextIO, out: TextIO) -> None:
    import termios

    fd = stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd)
    try:
        print(HELP, file=out, flush=True)
        while True:
            key = os.read(fd, 1).decode(errors="replace")
            if not key or key in "q\x04":
                return
            if key == "g":
                sim.grip(70)
                print("grip (hand 1, strength 70)", file=out, flush=True)
            elif key == "h" and sim.hands > 1:
                sim.grip(70, 1)
                print("grip (hand 2, strength 70)", file=out, flush=True)
            elif key == "r":
                for hand in range(sim.hands):
                    sim.release(hand)
                print("release", file=out, flush=True)
            elif key == "u":
                if sim.plugged:
                    sim.unplug()
                    print("unplugged", file=out, flush=True)
                else:
                    sim.plug()
                    print(f"plugged in again as {sim.device}", file=out, flush=True)
            elif key == "x":
                sim.send_garbage(40)
                print("sent 40 bytes of garbage", file=out, flush=True)
            else:
                print(HELP, file=out, flush=True)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _watch_eof(stdin: Any, eof: threading.Event) -> None:
    try:
        while stdin.readline():
            pass
    except (OSError, ValueError):
        pass
    eof.set()


def main(argv: list[str], *, stdin: Any = None, out: TextIO | None = None) -> int:
    """``kiosk sensor-sim``: run a simulated sensor until quit, EOF or Ctrl-C."""
    stdin = sys.stdin if stdin is None else stdin
    out = sys.stdout if out is None else out
    parser = argparse.ArgumentParser(
        prog="kiosk sensor-sim", description="Simulate the handshake sensor on a pty."
    )
    parser.add_argument("--script", metavar="FILE", help="run this script (see docs)")
    parser.add_argument("--hands", type=int, choices=(1, 2), default=1)
    parser.add_argument("--heartbeat-ms", type=int, default=fw.HEARTBEAT_MS)
    parser.add_argument("--link-dir", help="directory for the stable device link")
    args = parser.parse_args(argv)
    try:
        script = None
        if args.script:
            with open(args.script, encoding="utf-8") as fh:
                script = fh.read().splitlines()
    except OSError as exc:
        print(f"sensor-sim: cannot read script: {exc}", file=out)
        return 2
    eof = threading.Event()
    with SimulatedSensor(
        hands=args.hands, heartbeat_ms=args.heartbeat_ms, link_dir=args.link_dir
    ) as sim:
        print(f"Simulated handshake sensor on {sim.path} (now {sim.device})", file=out)
        print(f"Start the kiosk with:  kiosk run --serial {sim.path}", file=out, flush=True)
        try:
            if script is None and hasattr(stdin, "isatty") and stdin.isatty():
                _interactive(sim, stdin, out)
                return 0
            threading.Thread(target=_watch_eof, args=(stdin, eof), daemon=True).start()
            if script is None:  # the demo loops until EOF or Ctrl-C
                run_script(sim, DEMO_SCRIPT.splitlines(), eof, out)
            elif not run_script(sim, script, threading.Event(), out):
                print("sensor-sim: script done; running until EOF or Ctrl-C", file=out, flush=True)
                eof.wait()
        except KeyboardInterrupt:
            print("", file=out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
