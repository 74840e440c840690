"""Property-based tests: the host's reader protocol never raises on any input, and
valid lines mixed with garbage and split at arbitrary points are still delivered."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.firmware import sensor_protocol as fw
from hardware.sensor import protocol as p
from hardware.sensor.reader import SensorProtocol
from hardware.sensor.state import SensorState


def make_reader() -> tuple[SensorProtocol, list[object]]:
    got: list[object] = []
    return SensorProtocol(SensorState(), got.append, lambda exc: None), got


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces, last = [], 0
    for point in [*points, len(data)]:
        pieces.append(data[last:point])
        last = point
    return pieces


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000), st.lists(st.integers(min_value=0), max_size=20))
def test_reader_never_raises(data: bytes, cuts: list[int]) -> None:
    reader, _ = make_reader()
    for piece in split(data, cuts):
        reader.data_received(piece)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_firmware_never_raises(data: bytes) -> None:
    core = fw.SensorCore()
    core.boot(0)
    for line in core.receive(data, 0):
        p.decode(line[:-1])  # its replies are always valid


grips = st.builds(
    lambda hand, s: fw.message("GRIP", [("hand", hand), ("str", s)]),
    st.integers(0, 1),
    st.integers(0, 100),
)
rels = st.builds(
    lambda hand, peak, ms: fw.message("REL", [("hand", hand), ("peak", peak), ("ms", ms)]),
    st.integers(0, 1),
    st.integers(0, 100),
    st.integers(0, 10**6),
)
heartbeats = st.builds(
    lambda seq, up: fw.message("HB", [("seq", seq), ("up", up), ("lvl", "10"), ("grip", "0")]),
    st.integers(0, 65535),
    st.integers(0, 2**32 - 1),
)
valid_lines = st.one_of(grips, rels, heartbeats)
# Noise ends with a LF (as line noise eventually does); it may contain LFs itself and
# may be far longer than the line limit.
garbage = st.binary(max_size=400).map(lambda b: b + b"\n")
segments = st.lists(st.tuples(st.booleans(), valid_lines, garbage), max_size=15)


@settings(max_examples=300, deadline=None)
@given(segments, st.lists(st.integers(min_value=0), max_size=30))
def test_valid_lines_survive_garbage(
    segs: list[tuple[bool, bytes, bytes]], cuts: list[int]
) -> None:
    stream = b"".join((noise + line) if noisy else line for noisy, line, noise in segs)
    expected = [p.interpret(p.decode(line[:-1])) for _, line, _ in segs]
    reader, got = make_reader()
    for piece in split(stream, cuts):
        reader.data_received(piece)
    # every valid line arrives, in order (noise could, in theory, also be a valid line)
    it = iter(got)
    assert all(any(g == e for g in it) for e in expected)
    state = reader.state
    assert state.lines >= len(expected)
