"""Pure encode/decode of the handshake-sensor line protocol (``hardware/PROTOCOL.md``).

Nothing here does I/O.  The firmware has its own implementation of the same rules
(``hardware/firmware/sensor_protocol.py``); the host never imports it, and the tests
check that both agree byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# The protocol's errors live with every other hardware error; re-exported here.
from hardware.exc import BadChecksum as BadChecksum
from hardware.exc import Garbage as Garbage
from hardware.exc import ProtocolError as ProtocolError

PROTOCOL_VERSION = 1
"""The protocol version this host speaks."""

SUPPORTED_VERSIONS = frozenset({1})
"""Device protocol versions whose events the host acts on."""

MAX_LINE = 120
"""Longest allowed line in bytes, not counting the CR/LF terminator."""

_BODY = re.compile(rb"[\x20-\x29\x2b-\x7e]+")
_KIND = re.compile(r"[A-Z]{2,8}")
_KEY = re.compile(r"[a-z][a-z0-9_]{0,15}")
_VALUE = re.compile(r"[A-Za-z0-9._:,+-]{1,64}")
_HEX = re.compile(rb"[0-9A-Fa-f]{2}")


def crc8(data: bytes) -> int:
    """CRC-8/SMBUS: polynomial 0x07, initial value 0, no reflection, no final XOR.

    ``crc8(b"123456789") == 0xF4``.
    """
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


@dataclass(frozen=True, slots=True)
class Message:
    """One checked line: its type (``"HB"``) and its ``key=value`` fields as text."""

    kind: str
    fields: Mapping[str, str]


def encode(kind: str, **fields: object) -> bytes:
    """Frame a message: ``encode("PING", n=7) == b"PING n=7*07\\n"``."""
    if not _KIND.fullmatch(kind):
        raise ValueError(f"bad message type {kind!r}")
    parts = [kind]
    for key, value in fields.items():
        text = str(value)
        if not _KEY.fullmatch(key) or not _VALUE.fullmatch(text):
            raise ValueError(f"bad field {key}={text!r}")
        parts.append(f"{key}={text}")
    body = " ".join(parts).encode("ascii")
    if len(body) + 3 > MAX_LINE:
        raise ValueError("message too long")
    return body + b"*%02X\n" % crc8(body)


def decode(line: bytes) -> Message:
    """Check and split one line (without its LF; a trailing CR is allowed).

    Raises :class:`BadChecksum` or :class:`Garbage`.
    """
    if line.endswith(b"\r"):
        line = line[:-1]
    if len(line) > MAX_LINE:
        raise Garbage("line too long")
    if len(line) < 6 or line[-3:-2] != b"*" or not _HEX.fullmatch(line[-2:]):
        raise Garbage("no checksum")
    body = line[:-3]
    if not _BODY.fullmatch(body):
        raise Garbage("bad characters")
    if crc8(body) != int(line[-2:], 16):
        raise BadChecksum(f"checksum {line[-2:].decode()} != {crc8(body):02X}")
    kind, *parts = body.decode("ascii").split(" ")
    if not _KIND.fullmatch(kind):
        raise Garbage(f"bad message type {kind!r}")
    fields: dict[str, str] = {}
    for part in parts:
        key, sep, value = part.partition("=")
        if not sep or not _KEY.fullmatch(key) or not _VALUE.fullmatch(value):
            raise Garbage(f"bad field {part!r}")
        fields[key] = value
    return Message(kind, fields)


# --- typed messages from the device ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hello:
    """``HELLO``: sent at boot and in reply to ``INFO``."""

    proto: int
    firmware: str
    hands: int
    heartbeat_ms: int
    device_id: str


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """``HB``: sent every ``heartbeat_ms``; carries the live grip levels."""

    seq: int
    uptime_ms: int
    levels: tuple[int, ...]
    gripping: tuple[bool, ...]


@dataclass(frozen=True, slots=True)
class GripStart:
    """``GRIP``: a visitor took hold of hand ``hand`` with ``strength`` (0–100)."""

    hand: int
    strength: int


@dataclass(frozen=True, slots=True)
class GripEnd:
    """``REL``: the grip on ``hand`` ended; peak strength and duration."""

    hand: int
    peak: int
    duration_ms: int


@dataclass(frozen=True, slots=True)
class Pong:
    """``PONG``: reply to ``PING`` echoing its token."""

    token: int


@dataclass(frozen=True, slots=True)
class Ack:
    """``OK``: a command was carried out."""

    command: str


@dataclass(frozen=True, slots=True)
class DeviceError:
    """``ERR``: the device rejected something the host sent."""

    code: str
    command: str


DeviceMessage = Hello | Heartbeat | GripStart | GripEnd | Pong | Ack | DeviceError


def _int(fields: Mapping[str, str], key: str, lo: int, hi: int, default: int | None = None) -> int:
    text = fields.get(key)
    if text is None:
        if default is None:
            raise Garbage(f"missing field {key}")
        return default
    if not text.isdigit():
        raise Garbage(f"{key}={text} is not a number")
    value = int(text)
    if not lo <= value <= hi:
        raise Garbage(f"{key}={value} out of range {lo}..{hi}")
    return value


def _int_list(fields: Mapping[str, str], key: str, lo: int, hi: int) -> tuple[int, ...]:
    text = fields.get(key, "")
    items = text.split(",") if text else []
    if len(items) > 2:
        raise Garbage(f"{key} has too many hands")
    return tuple(_int({key: item}, key, lo, hi) for item in items)


def interpret(message: Message) -> DeviceMessage | None:
    """Turn a checked :class:`Message` into a typed device message.

    Returns ``None`` for a message type this host does not know (newer firmware may
    add types; they are ignored).  Raises :class:`Garbage` if a known message has
    missing or out-of-range fields.  Unknown extra fields are ignored.
    """
    f = message.fields
    match message.kind:
        case "HELLO":
            firmware = f.get("fw")
            if firmware is None:
                raise Garbage("HELLO without fw")
            return Hello(
                proto=_int(f, "proto", 1, 255),
                firmware=firmware,
                hands=_int(f, "hands", 1, 2, default=1),
                heartbeat_ms=_int(f, "hb", 10, 60000, default=1000),
                device_id=f.get("id", ""),
            )
        case "HB":
            return Heartbeat(
                seq=_int(f, "seq", 0, 65535),
                uptime_ms=_int(f, "up", 0, 4294967295),
                levels=_int_list(f, "lvl", 0, 1000),
                gripping=tuple(bool(g) for g in _int_list(f, "grip", 0, 1)),
            )
        case "GRIP":
            return GripStart(hand=_int(f, "hand", 0, 1), strength=_int(f, "str", 0, 100))
        case "REL":
            return GripEnd(
                hand=_int(f, "hand", 0, 1),
                peak=_int(f, "peak", 0, 100),
                duration_ms=_int(f, "ms", 0, 4294967295),
            )
        case "PONG":
            return Pong(token=_int(f, "n", 0, 65535))
        case "OK":
            return Ack(command=f.get("cmd", ""))
        case "ERR":
            return DeviceError(code=f.get("code", "unknown"), command=f.get("cmd", ""))
    return None


# --- host commands ----------------------------------------------------------------------


def ping(token: int) -> bytes:
    """``PING n=<token>``; the device answers ``PONG n=<token>``."""
    return encode("PING", n=token % 65536)


def info() -> bytes:
    """``INFO``; the device answers with its ``HELLO`` line."""
    return encode("INFO")


def led(hand: int, level: int) -> bytes:
    """``LED``: set the hand's LED to ``level`` per-mille (0–1000)."""
    return encode("LED", hand=hand, lvl=max(0, min(1000, level)))


def buzz(hand: int, ms: int, strength: int) -> bytes:
    """``BUZZ``: run the hand's vibration motor for ``ms`` (1–2000) at ``strength``."""
    return encode("BUZZ", hand=hand, ms=max(1, min(2000, ms)), str=max(0, min(100, strength)))
