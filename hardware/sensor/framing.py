"""Split a byte stream into lines with a hard length limit (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Iterator

from hardware.sensor.protocol import MAX_LINE


class Overlong:
    """Marker yielded once for a line that exceeded the limit (its bytes are dropped)."""

    def __repr__(self) -> str:
        return "OVERLONG"


OVERLONG = Overlong()


class LineFramer:
    """Incremental LF-terminated framing that never buffers more than one line.

    Unlike :class:`serial.threaded.LineReader`, whose buffer grows without bound
    when a device spews bytes without a newline, this keeps at most ``max_line``
    (+1 for a CR) bytes; past that it yields :data:`OVERLONG` once and discards
    everything up to the next LF.  Empty lines are skipped.
    """

    def __init__(self, max_line: int = MAX_LINE) -> None:
        self.max_line = max_line
        self._buf = bytearray()
        self._discarding = False

    def feed(self, data: bytes) -> Iterator[bytes | Overlong]:
        """Yield each complete line (without LF) or :data:`OVERLONG`."""
        start = 0
        while start < len(data):
            end = data.find(b"\n", start)
            chunk = data[start:] if end < 0 else data[start:end]
            if not self._discarding:
                self._buf += chunk
                if len(self._buf) > self.max_line + 1:
                    self._buf.clear()
                    self._discarding = True
                    yield OVERLONG
            if end < 0:
                return
            if self._discarding:
                self._discarding = False
            elif self._buf:
                line = bytes(self._buf)
                self._buf.clear()
                if len(line) > self.max_line and not line.endswith(b"\r"):
                    yield OVERLONG
                else:
                    yield line
            start = end + 1

    def reset(self) -> None:
        """Forget any partial line (after a reconnect)."""
        self._buf.clear()
        self._discarding = False
