"""The sensor host side over real pty pairs, with the simulated sensor (which runs the
firmware's own protocol logic) on the master side."""

from __future__ import annotations

import json
import logging
import os
import select
import threading

import pytest
import serial
from hw_helpers import DEADLINE, FakeClock, wait_until
from serial.tools.list_ports_common import ListPortInfo

from hardware import GpioConfig, Hardware, SensorConfig
from hardware.firmware import sensor_protocol as fw
from hardware.sensor import protocol as p
from hardware.sensor.discovery import find_sensor_port, parse_usb_id
from hardware.sensor.supervisor import SensorSupervisor
from hardware.sim import SimulatedSensor
from kiosk.core.events import Action, EventBus, InputEvent
from kiosk.inputs import InputMapping

FAST = {"reconnect_initial": 0.005, "reconnect_max": 0.02}


class Collector:
    """An EventBus whose waker lets a test wait for events (bounded)."""

    def __init__(self) -> None:
        self.bus = EventBus()
        self.events: list[InputEvent] = []
        self._cond = threading.Condition()
        self.bus.set_waker(self._wake)

    def _wake(self) -> None:
        with self._cond:
            self.events.extend(self.bus.drain())
            self._cond.notify_all()

    def wait_for(self, action: Action, timeout: float = 5.0) -> InputEvent:
        with self._cond:
            ok = self._cond.wait_for(lambda: any(e.action is action for e in self.events), timeout)
            assert ok, f"no {action} within {timeout} s; got {self.events}"
            index = next(i for i, e in enumerate(self.events) if e.action is action)
            return self.events.pop(index)


@pytest.fixture
def sim():
    with SimulatedSensor(heartbeat_ms=100) as sensor:
        yield sensor


def connected(hw: Hardware, connects: int = 1):
    def check() -> bool:
        s = hw.status()["sensor"]
        return bool(s["connected"]) and s["connects"] >= connects

    return check


@pytest.fixture
def rig(sim):
    events = Collector()
    hw = Hardware(GpioConfig(enabled=False), SensorConfig(port=sim.path, **FAST))
    hw.start(InputMapping(events.bus))
    assert wait_until(connected(hw))
    yield hw, sim, events
    hw.close()


def test_hello_reports_firmware_and_protocol(rig) -> None:
    hw, sim, _events = rig
    status = json.loads(json.dumps(hw.status()))["sensor"]
    assert status["firmware"] == fw.FIRMWARE_VERSION
    assert status["protocol"] == p.PROTOCOL_VERSION
    assert status["port"] == sim.path
    assert status["device_id"] == sim.device_id
    assert status["heartbeat_age"] is not None
    # the host asked for the HELLO on connect (the boot HELLO predates the port opening)
    assert sim.received.get(timeout=5) == p.info()[:-1]


def test_grip_and_release_become_handshake_events(rig) -> None:
    _hw, sim, events = rig
    sim.grip(80)
    start = events.wait_for(Action.HANDSHAKE)
    assert start.source == "serial"
    assert start.detail == {"strength": 80, "hand": 0}
    sim.release()
    end = events.wait_for(Action.HANDSHAKE_END)
    assert end.detail["hand"] == 0 and end.detail["peak"] == 80
    assert int(end.detail["duration_ms"]) >= fw.MIN_HOLD_MS


def test_second_hand(tmp_path) -> None:
    events = Collector()
    with (
        SimulatedSensor(hands=2, heartbeat_ms=100) as sim,
        Hardware(GpioConfig(enabled=False), SensorConfig(port=sim.path, **FAST)) as hw,
    ):
        hw.start(InputMapping(events.bus))
        sim.grip(40, hand=1)
        assert events.wait_for(Action.HANDSHAKE).detail == {"strength": 40, "hand": 1}
        assert hw.status()["sensor"]["hands"] == 2


def test_garbage_overlong_and_bad_checksums_are_counted_and_dropped(rig, hw_logs) -> None:
    hw, sim, events = rig
    sim.send_garbage(50)
    sim.send_raw(b"\x00" * 1000 + b"\n")
    sim.send_raw(b"GRIP hand=0 str=50*00\n")
    sim.send_raw(b"GRIP hand=9 str=50*" + b"%02X\n" % p.crc8(b"GRIP hand=9 str=50"))
    sim.send_message("GRIP", hand=0, str=33)  # a valid line right after all that
    assert events.wait_for(Action.HANDSHAKE).detail == {"strength": 33, "hand": 0}
    s = hw.status()["sensor"]
    assert (s["garbage"], s["overlong"], s["bad_checksum"]) == (2, 1, 1)
    assert s["connected"]


def test_feedback_commands_reach_the_device(rig) -> None:
    hw, sim, _events = rig
    assert sim.received.get(timeout=5) == p.info()[:-1]
    assert hw.send_feedback(0, led=250, buzz_ms=120, strength=60)
    assert sim.received.get(timeout=5) == p.led(0, 250)[:-1]
    assert sim.received.get(timeout=5) == p.buzz(0, 120, 60)[:-1]
    assert wait_until(lambda: sim.buzzes == [(0, 120, 60)])
    assert sim.led_levels == [250]


def test_unplug_during_grip_ends_the_handshake(rig, hw_logs) -> None:
    hw, sim, events = rig
    sim.grip(70)
    events.wait_for(Action.HANDSHAKE)
    sim.unplug()
    end = events.wait_for(Action.HANDSHAKE_END)
    assert end.detail == {"hand": 0, "reason": "sensor lost"}
    assert wait_until(lambda: not hw.status()["sensor"]["connected"])
    assert not hw.send_feedback(0, led=1)
    assert "USB unplugged" in hw_logs.text
    sim.plug()
    assert wait_until(connected(hw, connects=2))
    assert hw.status()["sensor"]["reconnects"] == 1


def test_silent_device_times_out_with_injected_clock(hw_logs) -> None:
    """A device that never sends a heartbeat (a pty nobody answers on) is declared lost
    after heartbeat_timeout by the injected clock — no real waiting for 3 s.

    ``wait_for_tick(poke())`` returns only once the supervisor has run a check that
    began after the poke (so it saw the advanced clock); without it, ``connects == 1``
    would already be true before the check and an early timeout would go unnoticed.
    """
    import pty
    import tty

    master, slave = pty.openpty()
    tty.setraw(slave)
    path = os.ttyname(slave)
    clock = FakeClock()
    sup = SensorSupervisor(
        SensorConfig(port=path, heartbeat_timeout=3.0, **FAST), lambda e: None, clock=clock
    )
    try:
        sup.start()
        assert wait_until(lambda: sup.state.connects == 1)
        assert select.select([master], [], [], 5.0)[0]
        assert os.read(master, 100) == p.info()
        clock.advance(2.9)
        checks = sup.loop_count
        assert sup.wait_for_tick(sup.poke(), DEADLINE)  # the 2.9 s check has run
        assert sup.loop_count > checks
        assert sup.state.connects == 1  # not timed out at 2.9 s
        assert "no heartbeat" not in hw_logs.text
        assert sup.status()["last_error"] is None
        clock.advance(0.2)
        assert sup.wait_for_tick(sup.poke(), DEADLINE)  # the 3.1 s check has run
        assert "no heartbeat for 3.1 s" in hw_logs.text  # timed out, by that very check
        assert "no heartbeat" in str(sup.status()["last_error"])
        assert wait_until(lambda: sup.state.connects >= 2)  # closed and reopened
    finally:
        sup.close()
        os.close(master)
        os.close(slave)


def test_heartbeat_keeps_it_alive_under_injected_clock(hw_logs) -> None:
    clock = FakeClock()
    with (
        SimulatedSensor(heartbeat_ms=20) as sim,
        Hardware(GpioConfig(enabled=False), SensorConfig(port=sim.path, **FAST), clock=clock) as hw,
    ):
        hw.start(InputMapping(EventBus()))
        assert wait_until(connected(hw))
        for _ in range(5):
            seen = hw.status()["sensor"]["lines"]
            clock.advance(2.0)  # less than the timeout since the last heartbeat
            assert wait_until(lambda s=seen: hw.status()["sensor"]["lines"] > s)
            hw.poll()
        assert hw.status()["sensor"]["connects"] == 1


def test_newer_protocol_is_reported_and_grips_ignored(rig, hw_logs) -> None:
    hw, sim, events = rig
    sim.send_message("HELLO", proto=2, fw="2.0.0", hands=1)
    assert wait_until(lambda: hw.status()["sensor"]["protocol"] == 2)
    sim.send_message("GRIP", hand=0, str=50)
    sim.send_message("HELLO", proto=1, fw="1.0.0", hands=1)
    sim.send_message("GRIP", hand=0, str=51)
    assert events.wait_for(Action.HANDSHAKE).detail["strength"] == 51
    assert "speaks protocol 2" in hw_logs.text


def test_lost_rel_is_recovered_from_heartbeat(rig) -> None:
    _hw, sim, events = rig
    sim.send_message("GRIP", hand=0, str=50)  # device never really gripping: next HB says so
    events.wait_for(Action.HANDSHAKE)
    end = events.wait_for(Action.HANDSHAKE_END)
    assert end.detail == {"hand": 0, "recovered": True}


def test_loopback_serial_factory(hw_logs) -> None:
    """pyserial's loop:// device: what the host writes comes straight back."""
    ports: list[serial.SerialBase] = []

    def factory(port: str, baudrate: int) -> serial.SerialBase:
        ports.append(serial.serial_for_url("loop://", baudrate=baudrate))
        return ports[-1]

    events = Collector()
    with Hardware(
        GpioConfig(enabled=False), SensorConfig(port="loop://", **FAST), serial_factory=factory
    ) as hw:
        hw.start(InputMapping(events.bus))
        assert wait_until(lambda: hw.status()["sensor"]["unknown"] == 1)  # its own INFO
        ports[0].write(fw.message("GRIP", [("hand", 0), ("str", 12)]))
        assert events.wait_for(Action.HANDSHAKE).detail == {"strength": 12, "hand": 0}


def test_missing_sensor_logs_one_warning_and_never_raises(tmp_path, hw_logs) -> None:
    events = Collector()
    with Hardware(
        GpioConfig(enabled=False), SensorConfig(port=str(tmp_path / "ttyACM9"), **FAST)
    ) as hw:
        hw.start(InputMapping(events.bus))
        assert wait_until(lambda: hw_logs.text.count("cannot open") >= 3)
        assert not hw.send_feedback(0, buzz_ms=5)
        status = hw.status()["sensor"]
    warnings = [r for r in hw_logs.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "ttyACM9" in warnings[0].getMessage()
    assert "No such file" in warnings[0].getMessage()
    assert status["connected"] is False and status["connects"] == 0


def test_autodetect_finds_nothing_and_says_where_it_looked(hw_logs) -> None:
    sup = SensorSupervisor(SensorConfig(**FAST), lambda e: None, discover=lambda: None)
    sup.start()
    try:
        assert wait_until(lambda: hw_logs.text.count("handshake sensor not found") >= 3)
    finally:
        sup.close()
    warnings = [r for r in hw_logs.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "2E8A:0005" in warnings[0].getMessage()


def test_discovery_prefers_by_id_then_usb_ids(tmp_path) -> None:
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    pico = ListPortInfo("/dev/ttyACM3")
    pico.vid, pico.pid = 0x2E8A, 0x0005
    other = ListPortInfo("/dev/ttyUSB0")
    other.vid, other.pid = 0x0403, 0x6001

    def ports() -> list[ListPortInfo]:
        return [other, pico]

    args = (("2E8A:0005",), ("Handshake", "MicroPython"))
    assert find_sensor_port(*args, by_id_dir=str(by_id), comports=ports) == "/dev/ttyACM3"
    assert find_sensor_port(*args, by_id_dir=str(tmp_path / "none"), comports=list) is None
    (by_id / "usb-FTDI_FT232R-if00-port0").touch()
    (by_id / "usb-MicroPython_Board_in_FS_mode_e6605838833b1a2f-if00").touch()
    found = find_sensor_port(*args, by_id_dir=str(by_id), comports=ports)
    assert found == str(by_id / "usb-MicroPython_Board_in_FS_mode_e6605838833b1a2f-if00")
    assert parse_usb_id("2e8a:000A") == (0x2E8A, 0x000A)
    with pytest.raises(ValueError):
        parse_usb_id("2e8a")
