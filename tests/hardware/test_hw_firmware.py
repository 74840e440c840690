"""Firmware logic under CPython: grip detection, heartbeat, commands, and main.py's loop
with a stub ``machine`` module, all checked through the *host* parser."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from hardware.firmware import sensor_protocol as fw
from hardware.sensor import protocol as p

FIRMWARE_MAIN = Path(__file__).resolve().parents[2] / "hardware" / "firmware" / "main.py"


def host_view(lines: list[bytes]) -> list[object]:
    return [p.interpret(p.decode(line.rstrip(b"\n"))) for line in lines]


def test_grip_needs_minimum_hold_time() -> None:
    det = fw.GripDetector(press=250, release=150, min_hold_ms=80, release_ms=50)
    assert det.update(900, 0) is None
    assert det.update(900, 79) is None
    assert det.update(100, 80) is None  # a tap shorter than the hold time is ignored
    assert det.update(600, 100) is None
    assert det.update(700, 180) == ("GRIP", 70)
    assert det.gripping


def test_grip_hysteresis_and_release_time() -> None:
    det = fw.GripDetector(press=250, release=150, min_hold_ms=0, release_ms=50)
    assert det.update(500, 0) == ("GRIP", 50)
    assert det.update(200, 10) is None  # between thresholds: still held
    assert det.update(100, 20) is None  # below release, but not long enough
    assert det.update(200, 40) is None  # back up: the dip is forgiven
    assert det.update(900, 50) is None
    assert det.update(100, 60) is None
    assert det.update(100, 109) is None
    assert det.update(100, 110) == ("REL", 90, 60)
    assert not det.gripping


def test_heartbeat_period_and_sequence() -> None:
    core = fw.SensorCore(heartbeat_ms=1000)
    out = core.boot(0)
    for now in range(0, 3001, 50):
        out += core.tick(now)
    msgs = host_view(out)
    assert isinstance(msgs[0], p.Hello)
    beats = [m for m in msgs if isinstance(m, p.Heartbeat)]
    assert [(b.seq, b.uptime_ms) for b in beats] == [(0, 1000), (1, 2000), (2, 3000)]


def test_heartbeat_catches_up_after_a_stall() -> None:
    core = fw.SensorCore(heartbeat_ms=1000)
    core.boot(0)
    assert len(core.tick(5500)) == 1  # one heartbeat, not a burst of five
    assert core.tick(6000) == []
    assert len(core.tick(6500)) == 1


def test_firmware_receive_handles_split_commands() -> None:
    core = fw.SensorCore()
    core.boot(0)
    line = p.ping(9)
    assert core.receive(line[:3], 0) == []
    assert host_view(core.receive(line[3:], 0)) == [p.Pong(token=9)]


def test_firmware_recovers_after_overlong_input() -> None:
    core = fw.SensorCore()
    core.boot(0)
    out = core.receive(b"Z" * 500, 0) + core.receive(b"Z\n" + p.ping(1), 0)
    assert host_view(out) == [p.DeviceError(code="toolong", command=""), p.Pong(token=1)]


@pytest.fixture
def pico_main(machine_stub, micropython_stub):
    spec = importlib.util.spec_from_file_location("pico_main", FIRMWARE_MAIN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_main_loop_reads_adc_and_speaks_protocol(pico_main, machine_stub) -> None:
    machine_stub.ADC_VALUES[26] = 1000  # resting value, measured at boot
    board = pico_main.Board(hands=1)
    assert board.baseline == [1000]
    core = fw.SensorCore(
        hands=1, device_id=pico_main.device_id(), set_led=board.set_led, buzz=board.buzz
    )
    written: list[bytes] = []
    inbox = [p.led(0, 500) + p.buzz(0, 40, 100)]
    ticks = {"t": (1 << 30) - 20}  # MicroPython's ticks_ms wraps at 2**30

    def ticks_ms() -> int:
        return ticks["t"]

    def ticks_diff(a: int, b: int) -> int:
        return ((a - b + (1 << 29)) % (1 << 30)) - (1 << 29)

    def wait_ms(ms: int) -> None:
        ticks["t"] = (ticks["t"] + ms) % (1 << 30)
        if ticks["t"] == 30:  # 50 ms in: a visitor squeezes hard
            machine_stub.ADC_VALUES[26] = 60000

    def read() -> bytes:
        return inbox.pop() if inbox else b""

    now = pico_main.run(
        board, core, read, written.append, ticks_ms, ticks_diff, wait_ms, max_loops=250
    )
    assert now == 249 * pico_main.SAMPLE_MS
    msgs = host_view(written)
    assert isinstance(msgs[0], p.Hello) and msgs[0].device_id == "E6605838833B1A2F"
    assert msgs[1:3] == [p.Ack(command="LED"), p.Ack(command="BUZZ")]
    grips = [m for m in msgs if isinstance(m, p.GripStart)]
    assert grips == [p.GripStart(hand=0, strength=91)]  # (60000-1000)/64535 = 91.4 %
    assert sum(isinstance(m, p.Heartbeat) for m in msgs) == 1
    leds = machine_stub.PWM.instances
    assert leds[15].duty == 65535 * 500 // 1000
    assert leds[16].duty == 0  # the 40 ms buzz has ended
    assert board.buzz_until == [None]


def test_main_level_is_relative_to_baseline(pico_main, machine_stub) -> None:
    machine_stub.ADC_VALUES[26] = 5535
    board = pico_main.Board(hands=1)
    machine_stub.ADC_VALUES[26] = 100
    assert board.level(0) == 0
    machine_stub.ADC_VALUES[26] = 5535 + 30000
    assert board.level(0) == 500
    machine_stub.ADC_VALUES[26] = 65535
    assert board.level(0) == 1000


class FakeTicks:
    """MicroPython's wrapping ticks_ms, advanced only by the loop's wait_ms."""

    def __init__(self) -> None:
        self.t = 0
        self.waits = 0

    def ticks_ms(self) -> int:
        return self.t

    @staticmethod
    def ticks_diff(a: int, b: int) -> int:
        return ((a - b + (1 << 29)) % (1 << 30)) - (1 << 29)

    def wait_ms(self, ms: int) -> None:
        self.waits += 1
        self.t = (self.t + ms) % (1 << 30)


def run_main(pico_main, tmp_path, read, max_loops=None) -> tuple[object, list[bytes]]:
    written: list[bytes] = []
    ticks = FakeTicks()
    result = pico_main.main(
        read_available=read,
        write=written.append,
        ticks_ms=ticks.ticks_ms,
        ticks_diff=ticks.ticks_diff,
        wait_ms=ticks.wait_ms,
        max_loops=max_loops,
        crash_log=str(tmp_path / "crash.txt"),
    )
    return result, written


def test_main_disables_ctrl_c_and_survives_a_0x03_byte(
    pico_main, machine_stub, micropython_stub, tmp_path
) -> None:
    inbox = [b"\x03", p.ping(5), p.ping(6)]
    result, written = run_main(
        pico_main, tmp_path, lambda: inbox.pop(0) if inbox else b"", max_loops=10
    )
    assert micropython_stub.KBD_INTR == [-1]
    assert result == 9 * pico_main.SAMPLE_MS  # the loop ran to its end
    # 0x03 was just a garbage byte: it spoils its own line (PING 5) and nothing else
    assert host_view(written)[1:] == [p.DeviceError(code="garbage", command=""), p.Pong(token=6)]
    assert machine_stub.RESETS == []


def test_main_feeds_the_watchdog_every_loop(pico_main, machine_stub, tmp_path) -> None:
    run_main(pico_main, tmp_path, lambda: b"", max_loops=25)
    [wdt] = machine_stub.WDT.instances
    assert wdt.timeout == pico_main.WDT_TIMEOUT_MS == 8000
    assert wdt.feeds == 25


def test_main_resets_the_board_after_an_exception(pico_main, machine_stub, tmp_path) -> None:
    calls = {"n": 0}

    def read() -> bytes:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("USB stack hiccup")
        return b""

    result, written = run_main(pico_main, tmp_path, read)  # no max_loops: only a crash ends it
    assert result is None
    assert machine_stub.RESETS == ["reset"]
    assert machine_stub.WDT.instances[0].feeds == 3  # fed up to the failing iteration
    crash = (tmp_path / "crash.txt").read_text()
    assert "RuntimeError" in crash and "USB stack hiccup" in crash
    assert isinstance(host_view(written)[0], p.Hello)  # nothing but protocol on stdout


def test_main_resets_when_setup_fails(pico_main, machine_stub, tmp_path, mocker) -> None:
    mocker.patch.object(pico_main, "Board", side_effect=OSError(5, "EIO"))
    result, written = run_main(pico_main, tmp_path, lambda: b"")
    assert result is None and written == []
    assert machine_stub.RESETS == ["reset"]
    assert "OSError" in (tmp_path / "crash.txt").read_text()


def test_main_safe_mode_pin_keeps_the_repl(
    pico_main, machine_stub, micropython_stub, tmp_path
) -> None:
    machine_stub.PIN_VALUES[pico_main.SAFE_MODE_PIN] = 0  # bridged to GND
    result, written = run_main(pico_main, tmp_path, lambda: b"", max_loops=5)
    assert result is None and written == []
    assert micropython_stub.KBD_INTR == []
    assert machine_stub.WDT.instances == []
    assert machine_stub.RESETS == []


def test_firmware_sources_avoid_cpython_only_syntax() -> None:
    """MicroPython lacks typing/dataclasses and f-string format specs; keep them out."""
    import ast

    for path in FIRMWARE_MAIN.parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            assert not isinstance(node, ast.JoinedStr), f"f-string in {path.name}:{node.lineno}"
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [a.name for a in node.names]
                module = getattr(node, "module", None) or ""
                assert not {"typing", "dataclasses", "__future__"} & {module, *names}, path.name
