"""Host protocol: checksum, framing, decoding; and agreement with the firmware's encoder."""

from __future__ import annotations

import pytest

from hardware.firmware import sensor_protocol as fw
from hardware.sensor import protocol as p
from hardware.sensor.framing import OVERLONG, LineFramer


def test_crc8_check_value_matches_both_sides() -> None:
    assert p.crc8(b"123456789") == 0xF4
    assert fw.crc8(b"123456789") == 0xF4


def test_worked_example_from_protocol_md() -> None:
    # PROTOCOL.md walks through this line byte by byte.
    assert p.crc8(b"PING n=7") == 0x07
    assert p.encode("PING", n=7) == b"PING n=7*07\n"


@pytest.mark.parametrize(
    "data",
    [b"", b"HB seq=1", bytes(range(32, 127)), b"GRIP hand=1 str=100", b"\x00\xff" * 20],
)
def test_checksums_agree(data: bytes) -> None:
    assert p.crc8(data) == fw.crc8(data)


# Every device message: (firmware-built line, expected typed message on the host)
DEVICE_MESSAGES = [
    (
        fw.message(
            "HELLO", [("proto", 1), ("fw", "1.0.0"), ("hands", 2), ("hb", 1000), ("id", "E66")]
        ),
        p.Hello(proto=1, firmware="1.0.0", hands=2, heartbeat_ms=1000, device_id="E66"),
    ),
    (
        fw.message("HB", [("seq", 65535), ("up", 4294967295), ("lvl", "0,1000"), ("grip", "0,1")]),
        p.Heartbeat(seq=65535, uptime_ms=4294967295, levels=(0, 1000), gripping=(False, True)),
    ),
    (fw.message("GRIP", [("hand", 1), ("str", 73)]), p.GripStart(hand=1, strength=73)),
    (
        fw.message("REL", [("hand", 0), ("peak", 88), ("ms", 2350)]),
        p.GripEnd(hand=0, peak=88, duration_ms=2350),
    ),
    (fw.message("PONG", [("n", 42)]), p.Pong(token=42)),
    (fw.message("OK", [("cmd", "BUZZ")]), p.Ack(command="BUZZ")),
    (fw.message("ERR", [("code", "badcs")]), p.DeviceError(code="badcs", command="")),
]


@pytest.mark.parametrize(("line", "expected"), DEVICE_MESSAGES, ids=lambda v: repr(v)[:20])
def test_every_device_message_round_trips(line: bytes, expected: object) -> None:
    assert line.endswith(b"\n")
    message = p.decode(line[:-1])
    assert p.interpret(message) == expected
    # and the host's encoder produces the very same bytes
    assert p.encode(message.kind, **message.fields) == line


def test_firmware_core_output_decodes_on_host() -> None:
    core = fw.SensorCore(hands=2, device_id="AB12")
    lines = core.boot(0) + core.tick(1000) + core.sample(1, 900, 1100) + core.sample(1, 900, 1200)
    lines += core.sample(1, 0, 1300) + core.sample(1, 0, 1400)
    decoded = [p.interpret(p.decode(line.rstrip(b"\n"))) for line in lines]
    assert decoded == [
        p.Hello(
            proto=1, firmware=fw.FIRMWARE_VERSION, hands=2, heartbeat_ms=1000, device_id="AB12"
        ),
        p.Heartbeat(seq=0, uptime_ms=1000, levels=(0, 0), gripping=(False, False)),
        p.GripStart(hand=1, strength=90),
        p.GripEnd(hand=1, peak=90, duration_ms=200),
    ]


def test_protocol_versions_agree() -> None:
    assert p.PROTOCOL_VERSION == fw.PROTOCOL_VERSION
    assert p.MAX_LINE == fw.MAX_LINE


@pytest.mark.parametrize(
    ("host_line", "reply"),
    [
        (p.ping(7), p.Pong(token=7)),
        (p.ping(70000), p.Pong(token=70000 % 65536)),
        (p.led(0, 500), p.Ack(command="LED")),
        (p.buzz(0, 300, 80), p.Ack(command="BUZZ")),
        (p.info(), p.Hello(proto=1, firmware="1.0.0", hands=1, heartbeat_ms=1000, device_id="")),
        (p.encode("LED", hand=1, lvl=5), p.DeviceError(code="badarg", command="LED")),
        (p.encode("FLY"), p.DeviceError(code="unknown", command="FLY")),
        (b"PING n=7*00\n", p.DeviceError(code="badcs", command="")),
        (b"PING n=7\n", p.DeviceError(code="garbage", command="")),
        (b"X" * 300 + b"\n", p.DeviceError(code="toolong", command="")),
    ],
)
def test_every_host_command_is_understood_by_the_firmware(host_line: bytes, reply: object) -> None:
    leds: list[tuple[int, int]] = []
    buzzes: list[tuple[int, int, int]] = []
    core = fw.SensorCore(
        set_led=lambda h, lv: leds.append((h, lv)), buzz=lambda *a: buzzes.append(a)
    )
    core.boot(0)
    out = core.receive(host_line, 10)
    assert [p.interpret(p.decode(line[:-1])) for line in out] == [reply]
    if isinstance(reply, p.Ack):
        assert (leds, buzzes) in (([(0, 500)], []), ([], [(0, 300, 80)]))


def test_lowercase_checksum_and_crlf_accepted() -> None:
    assert p.decode(b"PING n=7*07\r") == p.Message("PING", {"n": "7"})
    body = b"GRIP hand=0 str=9"
    assert p.crc8(body) > 0xA0  # a checksum with hex letters in it
    assert p.decode(body + b"*%02x" % p.crc8(body)) == p.Message("GRIP", {"hand": "0", "str": "9"})


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (b"PING n=7*08", p.BadChecksum),
        (b"PING n=7", p.Garbage),
        (b"PING n=7*0G", p.Garbage),
        (b"\xffING n=7*07", p.Garbage),
        (b"ping n=1*" + b"%02X" % p.crc8(b"ping n=1"), p.Garbage),
        (b"PING n*" + b"%02X" % p.crc8(b"PING n"), p.Garbage),
        (b"PING n=a b*" + b"%02X" % p.crc8(b"PING n=a b"), p.Garbage),
        (b"A" * 200 + b"*00", p.Garbage),
    ],
)
def test_bad_lines_raise_protocol_errors(line: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        p.decode(line)


def test_out_of_range_fields_are_garbage_and_unknown_types_are_ignored() -> None:
    with pytest.raises(p.Garbage):
        p.interpret(p.decode(p.encode("GRIP", hand=0, str=101)[:-1]))
    with pytest.raises(p.Garbage):
        p.interpret(p.decode(p.encode("GRIP", hand=2, str=5)[:-1]))
    with pytest.raises(p.Garbage):
        p.interpret(p.decode(p.encode("HB", seq=1)[:-1]))
    assert p.interpret(p.decode(p.encode("TEMP", c=21)[:-1])) is None
    # unknown extra fields are ignored (forward compatibility)
    msg = p.decode(p.encode("GRIP", hand=0, str=5, zone=3)[:-1])
    assert p.interpret(msg) == p.GripStart(hand=0, strength=5)


def test_encode_rejects_what_cannot_be_sent() -> None:
    for kind, fields in [("ping", {}), ("PING", {"n": "a b"}), ("PING", {"N": 1})]:
        with pytest.raises(ValueError):
            p.encode(kind, **fields)
    with pytest.raises(ValueError):
        p.encode("HB", x="1" * 64, y="2" * 64)


def test_framer_splits_lines_and_survives_overlong_ones() -> None:
    framer = LineFramer(max_line=10)
    out = list(framer.feed(b"abc\nde"))
    out += list(framer.feed(b"f\r\n\n"))
    out += list(framer.feed(b"x" * 25))
    out += list(framer.feed(b"y" * 25 + b"\nok\n"))
    assert out == [b"abc", b"def\r", OVERLONG, b"ok"]


def test_framer_line_of_exactly_max_length_passes() -> None:
    framer = LineFramer(max_line=5)
    assert list(framer.feed(b"12345\r\n123456\n")) == [b"12345\r", OVERLONG]


def test_every_example_line_in_protocol_md_is_valid() -> None:
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "hardware" / "PROTOCOL.md").read_text()
    examples = re.findall(r"^([A-Z]{2,8}(?: [^\s*]+)*\*[0-9A-F]{2})$", doc, re.MULTILINE)
    examples += re.findall(r"`([A-Z]{2,8}(?: [^\s*`]+)*\*[0-9A-F]{2})(?:\\n)?`", doc)
    assert len(examples) >= 12
    for line in examples:
        message = p.decode(line.encode())
        assert p.encode(message.kind, **message.fields) == line.encode() + b"\n"
