"""A handshake sensor on a real pty, as far as the bench needs one.

The kiosk's real :class:`hardware.Hardware` opens the pty's slave side as its
serial port.  On the master side a small device thread answers ``INFO`` with
``HELLO`` and sends a heartbeat every :data:`HEARTBEAT_S` (so the host never
declares the sensor lost), and drains what the host writes.  The bench writes
its own lines (a ``GRIP``, a flood of garbage) onto the master with
:meth:`PtySensor.write`, which returns the moment the bytes were handed to the
pty.  Lines are framed by the firmware's own encoder
(:mod:`hardware.firmware.sensor_protocol`), CRC included.
"""

from __future__ import annotations

import os
import pty
import random
import select
import threading
import time
import tty
from types import TracebackType

from hardware.firmware import sensor_protocol as fw

HEARTBEAT_S = 0.5
#: Length of one line of flood garbage, without its LF.
GARBAGE_BYTES = 32


def device_line(kind: str, **fields: object) -> bytes:
    """One device → host line, framed with its checksum by the firmware's encoder."""
    return fw.message(kind, list(fields.items()))


def garbage_lines(count: int, rng: random.Random) -> bytes:
    """``count`` lines of random non-ASCII noise (each a *garbage* line to the parser)."""
    lines = []
    for _ in range(count):
        noise = bytes(rng.randrange(128, 256) for _ in range(GARBAGE_BYTES))
        lines.append(noise + b"\n")
    return b"".join(lines)


class PtySensor:
    """A sensor device behind a pty; ``path`` is the port to give the kiosk."""

    def __init__(self) -> None:
        master, slave = pty.openpty()
        tty.setraw(slave)  # a USB CDC device: no echo, no CR/LF translation
        self._master, self._slave = master, slave
        self.path = os.ttyname(slave)
        self._lock = threading.Lock()  # one writer at a time on the master
        self._stop = threading.Event()
        self._seq = 0
        self._started = time.monotonic()
        self.host_lines: list[bytes] = []
        self._pending = b""
        self._thread = threading.Thread(target=self._run, name="bench-pty-sensor", daemon=True)
        self._thread.start()

    def __enter__(self) -> PtySensor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def write(self, data: bytes) -> float:
        """Write ``data`` onto the pty master, whole; the perf_counter time just
        before the first byte was handed over."""
        with self._lock:
            start = time.perf_counter()
            view = memoryview(data)
            while view:
                written = os.write(self._master, view)
                view = view[written:]
        return start

    def hello(self) -> bytes:
        """The device's HELLO line (heartbeat period as this device sends them)."""
        return device_line(
            "HELLO",
            proto=1,
            fw=fw.FIRMWARE_VERSION,
            hands=1,
            hb=int(HEARTBEAT_S * 1000),
            id="BE4C0000000000A1",
        )

    def _heartbeat(self) -> bytes:
        self._seq = (self._seq + 1) % 65536
        up = int((time.monotonic() - self._started) * 1000)
        return device_line("HB", seq=self._seq, up=up, lvl=0, grip=0)

    def _run(self) -> None:
        self.write(self.hello())
        next_beat = time.monotonic()
        while not self._stop.is_set():
            now = time.monotonic()
            if now >= next_beat:
                self.write(self._heartbeat())
                next_beat = now + HEARTBEAT_S
            ready, _, _ = select.select([self._master], [], [], max(0.0, next_beat - now))
            if not ready:
                continue
            try:
                data = os.read(self._master, 4096)
            except OSError:
                return
            self._pending += data
            *lines, self._pending = self._pending.split(b"\n")
            for line in lines:
                self.host_lines.append(line)
                if line.startswith(b"INFO"):
                    self.write(self.hello())

    def close(self) -> None:
        """Stop the device thread and close both ends of the pty."""
        self._stop.set()
        self._thread.join(2.0)
        os.close(self._master)
        os.close(self._slave)
