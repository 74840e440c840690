"""Protocol logic of the handshake-sensor firmware (see ``hardware/PROTOCOL.md``).

This module runs on the Raspberry Pi Pico under MicroPython *and* under CPython in the
tests and in the simulator, so it sticks to the common subset of both: no typing, no
dataclasses, no f-strings with format specs, ``%`` formatting only.  It knows nothing
about pins or USB; :mod:`main` feeds it ADC readings, bytes from the host and the time
in milliseconds, and writes out whatever lines it returns.

The host (``hardware/sensor/protocol.py``) has its own implementation of the same
framing and checksum.  The two programs never import each other; the tests prove they
agree byte for byte.
"""

PROTOCOL_VERSION = 1
FIRMWARE_VERSION = "1.0.0"

MAX_LINE = 120  # bytes, not counting the terminating LF
HEARTBEAT_MS = 1000

# Grip detection, in per-mille of full scale (0..1000).
PRESS_LEVEL = 250
RELEASE_LEVEL = 150
MIN_HOLD_MS = 80
RELEASE_HOLD_MS = 50

MAX_BUZZ_MS = 2000
MAX_HANDS = 2

_HEX = "0123456789ABCDEF"
_HEX_DIGITS = "0123456789ABCDEF0123456789abcdef"  # index % 16 is the value
_VALUE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:,+-"


def crc8(data):
    """CRC-8/SMBUS (polynomial 0x07, init 0x00, no reflection, no final XOR)."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            if crc & 0x80:
                crc = ((crc << 1) ^ 0x07) & 0xFF
            else:
                crc = (crc << 1) & 0xFF
    return crc


def hex2(byte):
    """Two upper-case hex digits for a byte value."""
    return _HEX[byte >> 4] + _HEX[byte & 15]


def frame(body):
    """Return the wire form of ``body`` (a str): ``body*CC\\n``."""
    raw = body.encode()
    return raw + ("*" + hex2(crc8(raw)) + "\n").encode()


def message(kind, fields=()):
    """Build a framed line from a type and a sequence of ``(key, value)`` pairs."""
    parts = [kind]
    for key, value in fields:
        parts.append(key + "=" + str(value))
    return frame(" ".join(parts))


def unframe(line):
    """Check and split one received line (bytes, LF and CR removed).

    Returns ``(kind, fields_dict)``.  Raises ``ValueError`` whose argument is the
    error code to report: ``"badcs"`` for a checksum mismatch, ``"garbage"`` for
    anything else that is not a well-formed line.
    """
    if len(line) < 4 or line[-3] != 0x2A:  # b"*"
        raise ValueError("garbage")
    body = line[:-3]
    for byte in body:
        if byte < 0x20 or byte > 0x7E or byte == 0x2A:
            raise ValueError("garbage")
    hi = _HEX_DIGITS.find(chr(line[-2]))
    lo = _HEX_DIGITS.find(chr(line[-1]))
    if hi < 0 or lo < 0:
        raise ValueError("garbage")
    expected = (hi % 16) * 16 + lo % 16
    if crc8(body) != expected:
        raise ValueError("badcs")
    parts = body.decode().split(" ")
    kind = parts[0]
    if not kind or not kind.isalpha() or kind.upper() != kind:
        raise ValueError("garbage")
    fields = {}
    for part in parts[1:]:
        key, sep, value = part.partition("=")
        if not sep or not key or not value:
            raise ValueError("garbage")
        for ch in value:
            if ch not in _VALUE_CHARS:
                raise ValueError("garbage")
        fields[key] = value
    return kind, fields


class LineBuffer:
    """Splits incoming bytes into lines, dropping over-long ones.

    ``feed`` returns a list of lines (bytes without CR/LF); an over-long line is
    returned as ``None`` once, and the rest of it up to the next LF is discarded.
    """

    def __init__(self, max_line=MAX_LINE):
        self.max_line = max_line
        self._buf = bytearray()
        self._discarding = False

    def feed(self, data):
        out = []
        for byte in data:
            if byte == 0x0A:
                if self._discarding:
                    self._discarding = False
                else:
                    line = bytes(self._buf)
                    if line.endswith(b"\r"):
                        line = line[:-1]
                    if line:
                        out.append(line)
                self._buf = bytearray()
            elif not self._discarding:
                self._buf.append(byte)
                if len(self._buf) > self.max_line + 1:  # +1 allows a CR before the LF
                    self._buf = bytearray()
                    self._discarding = True
                    out.append(None)
        return out


class GripDetector:
    """Turns a stream of grip levels (per-mille) into grip start and end events.

    A grip starts once the level has stayed at or above ``press`` for
    ``min_hold_ms``; it ends once the level has stayed below ``release`` for
    ``release_ms``.  The gap between the two thresholds is the hysteresis.
    ``update`` returns ``None``, ``("GRIP", strength)`` or
    ``("REL", peak_strength, duration_ms)``; strengths are 0..100.
    """

    def __init__(
        self,
        press=PRESS_LEVEL,
        release=RELEASE_LEVEL,
        min_hold_ms=MIN_HOLD_MS,
        release_ms=RELEASE_HOLD_MS,
    ):
        self.press = press
        self.release = release
        self.min_hold_ms = min_hold_ms
        self.release_ms = release_ms
        self.gripping = False
        self._since = None  # when the level first crossed the relevant threshold
        self._started = 0
        self._peak = 0

    def update(self, level, now_ms):
        if not self.gripping:
            if level < self.press:
                self._since = None
                self._peak = 0
                return None
            if self._since is None:
                self._since = now_ms
            self._peak = max(self._peak, level)
            if now_ms - self._since >= self.min_hold_ms:
                self.gripping = True
                self._started = self._since
                self._since = None
                return ("GRIP", strength(self._peak))
            return None
        self._peak = max(self._peak, level)
        if level >= self.release:
            self._since = None
            return None
        if self._since is None:
            self._since = now_ms
        if now_ms - self._since >= self.release_ms:
            self.gripping = False
            duration = self._since - self._started
            peak = strength(self._peak)
            self._since = None
            self._peak = 0
            return ("REL", peak, duration)
        return None


def strength(level):
    """Map a per-mille level to the 0..100 strength used on the wire."""
    if level <= 0:
        return 0
    if level >= 1000:
        return 100
    return (level + 5) // 10


def _int_field(fields, key, lo, hi):
    value = fields.get(key)
    if value is None or not value.isdigit():
        raise ValueError("badarg")
    number = int(value)
    if number < lo or number > hi:
        raise ValueError("badarg")
    return number


class SensorCore:
    """Everything the sensor says and does, independent of the hardware.

    ``set_led(hand, level)`` and ``buzz(hand, ms, strength)`` are called for host
    commands.  Every method returns the list of framed lines to send.
    """

    def __init__(
        self,
        hands=1,
        firmware=FIRMWARE_VERSION,
        device_id="",
        heartbeat_ms=HEARTBEAT_MS,
        set_led=None,
        buzz=None,
        detector_factory=GripDetector,
    ):
        self.hands = max(1, min(MAX_HANDS, hands))
        self.firmware = firmware
        self.device_id = device_id
        self.heartbeat_ms = heartbeat_ms
        self._set_led = set_led
        self._buzz = buzz
        self.detectors = [detector_factory() for _ in range(self.hands)]
        self.levels = [0] * self.hands
        self.seq = 0
        self._boot_ms = 0
        self._next_hb = None
        self._lines = LineBuffer()

    def hello(self):
        fields = [
            ("proto", PROTOCOL_VERSION),
            ("fw", self.firmware),
            ("hands", self.hands),
            ("hb", self.heartbeat_ms),
        ]
        if self.device_id:
            fields.append(("id", self.device_id))
        return message("HELLO", fields)

    def boot(self, now_ms):
        """Call once at start-up; returns the HELLO line."""
        self._boot_ms = now_ms
        self._next_hb = now_ms + self.heartbeat_ms
        return [self.hello()]

    def heartbeat(self, now_ms):
        line = message(
            "HB",
            [
                ("seq", self.seq),
                ("up", (now_ms - self._boot_ms) % 4294967296),
                ("lvl", ",".join(str(level) for level in self.levels)),
                ("grip", ",".join("1" if d.gripping else "0" for d in self.detectors)),
            ],
        )
        self.seq = (self.seq + 1) % 65536
        return line

    def tick(self, now_ms):
        """Returns a heartbeat when one is due."""
        if self._next_hb is None:
            return self.boot(now_ms)
        if now_ms < self._next_hb:
            return []
        self._next_hb += self.heartbeat_ms
        if self._next_hb <= now_ms:  # we fell behind (e.g. a long blocking write)
            self._next_hb = now_ms + self.heartbeat_ms
        return [self.heartbeat(now_ms)]

    def sample(self, hand, level, now_ms):
        """Feed one grip reading (per-mille) for ``hand``; returns GRIP/REL lines."""
        level = max(0, min(1000, int(level)))
        self.levels[hand] = level
        event = self.detectors[hand].update(level, now_ms)
        if event is None:
            return []
        if event[0] == "GRIP":
            return [message("GRIP", [("hand", hand), ("str", event[1])])]
        return [message("REL", [("hand", hand), ("peak", event[1]), ("ms", event[2])])]

    def receive(self, data, now_ms):
        """Feed bytes from the host; returns the replies."""
        out = []
        for line in self._lines.feed(data):
            if line is None:
                out.append(message("ERR", [("code", "toolong")]))
                continue
            try:
                kind, fields = unframe(line)
            except ValueError as exc:
                out.append(message("ERR", [("code", exc.args[0])]))
                continue
            out.extend(self.command(kind, fields, now_ms))
        return out

    def command(self, kind, fields, now_ms):
        """Execute one checked host command."""
        try:
            if kind == "PING":
                return [message("PONG", [("n", _int_field(fields, "n", 0, 65535))])]
            if kind == "INFO":
                return [self.hello()]
            if kind == "LED":
                hand = _int_field(fields, "hand", 0, self.hands - 1)
                level = _int_field(fields, "lvl", 0, 1000)
                if self._set_led is not None:
                    self._set_led(hand, level)
                return [message("OK", [("cmd", "LED")])]
            if kind == "BUZZ":
                hand = _int_field(fields, "hand", 0, self.hands - 1)
                ms = _int_field(fields, "ms", 1, MAX_BUZZ_MS)
                power = _int_field(fields, "str", 0, 100)
                if self._buzz is not None:
                    self._buzz(hand, ms, power)
                return [message("OK", [("cmd", "BUZZ")])]
        except ValueError as exc:
            return [message("ERR", [("code", exc.args[0]), ("cmd", kind)])]
        return [message("ERR", [("code", "unknown"), ("cmd", kind)])]
