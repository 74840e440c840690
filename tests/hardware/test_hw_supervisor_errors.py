"""The supervisor thread survives unexpected errors in a session, leaks no fd, and
treats a write that times out (a device that stopped reading) as a lost connection."""

from __future__ import annotations

import gc
import logging
import os
import pty
import threading
import tty

import pytest
import serial
from hw_helpers import DEADLINE, wait_until
from serial.urlhandler import protocol_loop

from hardware import SensorConfig
from hardware.sensor import protocol as p
from hardware.sensor import supervisor as supervisor_module
from hardware.sensor.reader import SensorProtocol, SensorReaderThread
from hardware.sensor.state import SensorState
from hardware.sensor.supervisor import WRITE_TIMEOUT, SensorSupervisor, open_serial
from hardware.sim import SimulatedSensor

FAST = {"reconnect_initial": 0.005, "reconnect_max": 0.02}


def open_fds() -> int:
    """Open file descriptors, after collecting garbage: objects left by earlier tests
    (pygame fonts keep their file open) must not close theirs mid-test and skew the count."""
    gc.collect()
    return len(os.listdir("/proc/self/fd"))


def errors(logs: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in logs.records if r.levelno >= logging.ERROR]


@pytest.fixture
def sim():
    with SimulatedSensor(heartbeat_ms=50) as sensor:
        yield sensor


def fail_first(real, exc: Exception, times: int = 1):
    """A side_effect that raises ``exc`` on the first ``times`` calls, then delegates."""
    calls = {"n": 0}

    def side_effect(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= times:
            raise exc
        return real(*args, **kwargs)

    return side_effect


def test_reader_start_failure_is_logged_and_the_next_attempt_connects(sim, mocker, hw_logs) -> None:
    fds_before = open_fds()
    threads_before = threading.active_count()
    start = mocker.patch.object(
        SensorReaderThread,
        "start",
        autospec=True,
        side_effect=fail_first(threading.Thread.start, RuntimeError("can't start new thread")),
    )
    sup = SensorSupervisor(SensorConfig(port=sim.path, **FAST), lambda e: None)
    try:
        sup.start()
        assert wait_until(lambda: sup.state.connected and sup.state.connects == 1)
        assert start.call_count == 2
        assert sup.state.reconnects == 0  # the failed attempt never counted as connected
    finally:
        sup.close()
    [error] = errors(hw_logs)
    assert "internal error" in error.getMessage()
    assert "can't start new thread" in error.getMessage()
    assert error.exc_info is not None  # the traceback is in the log for the developers
    assert open_fds() == fds_before  # the port of the failed attempt was closed
    assert threading.active_count() == threads_before


def test_protocol_factory_failure_is_logged_and_the_next_attempt_connects(
    sim, mocker, hw_logs
) -> None:
    """The factory runs inside the reader thread; pyserial would let it die there and
    leave ``connect()`` waiting forever."""
    fds_before = open_fds()
    factory = mocker.patch.object(
        supervisor_module,
        "SensorProtocol",
        side_effect=fail_first(SensorProtocol, ValueError("bad protocol setup")),
    )
    sup = SensorSupervisor(SensorConfig(port=sim.path, **FAST), lambda e: None)
    try:
        sup.start()
        assert wait_until(lambda: sup.state.connected and sup.state.connects == 1)
        assert factory.call_count == 2
    finally:
        sup.close()
    [error] = errors(hw_logs)
    assert "ValueError: bad protocol setup" in error.getMessage()
    assert open_fds() == fds_before


def test_repeated_session_errors_back_off_log_once_and_leak_no_fd(sim, mocker, hw_logs) -> None:
    fds_before = open_fds()
    start = mocker.patch.object(
        SensorReaderThread, "start", side_effect=RuntimeError("can't start new thread")
    )
    sup = SensorSupervisor(SensorConfig(port=sim.path, **FAST), lambda e: None)
    try:
        sup.start()
        assert wait_until(lambda: start.call_count >= 5)  # it keeps retrying
        assert sup._thread is not None and sup._thread.is_alive()
        status = sup.status()
        assert status["connected"] is False and status["connects"] == 0
        assert "internal error" in str(status["last_error"])
        assert "closed the port, will keep retrying" in str(status["last_error"])
    finally:
        sup.close()
    assert len(errors(hw_logs)) == 1  # once, not once per retry
    assert hw_logs.text.count("internal error") >= 5  # the repeats went to debug
    assert open_fds() == fds_before


def test_open_serial_has_a_write_timeout() -> None:
    master, slave = pty.openpty()
    try:
        ser = open_serial(os.ttyname(slave), 115200)
        try:
            assert ser.write_timeout == WRITE_TIMEOUT == 0.5
        finally:
            ser.close()
    finally:
        os.close(master)
        os.close(slave)


def test_write_to_a_device_that_stopped_reading_times_out_and_reports_lost() -> None:
    """A real pty whose other end never reads: the write gives up instead of holding the
    reader's lock forever, so close() (which needs that lock) still works."""
    master, slave = pty.openpty()
    tty.setraw(slave)
    lost: list[BaseException | None] = []
    ser = open_serial(os.ttyname(slave), 115200)
    ser.write_timeout = 0.05  # same mechanism as WRITE_TIMEOUT, shorter for the test
    reader = SensorReaderThread(ser, lambda: SensorProtocol(SensorState(), print, lost.append))
    try:
        reader.start()
        _, proto = reader.connect()
        assert proto.send(b"x" * (1 << 20)) is False  # far more than the pty buffer
        assert len(lost) == 1 and isinstance(lost[0], serial.SerialTimeoutException)
        assert proto.send(p.info()) is False  # no second wait: the connection is gone
        closer = threading.Thread(target=reader.close)
        closer.start()
        closer.join(DEADLINE)
        assert not closer.is_alive(), "close() deadlocked behind a blocked write"
        assert not ser.is_open
    finally:
        ser.close()
        os.close(master)
        os.close(slave)


class StuckLoop(protocol_loop.Serial):
    """loop:// whose writes time out, like a device that no longer reads."""

    def write(self, data: bytes) -> int:
        raise serial.SerialTimeoutException("Write timeout")


def test_supervisor_reconnects_after_a_write_timeout(hw_logs) -> None:
    ports: list[serial.SerialBase] = []

    def factory(port: str, baudrate: int) -> serial.SerialBase:
        cls = StuckLoop if not ports else protocol_loop.Serial
        ports.append(cls("loop://", baudrate=baudrate))
        return ports[-1]

    sup = SensorSupervisor(
        SensorConfig(port="loop://", **FAST), lambda e: None, serial_factory=factory
    )
    try:
        sup.start()  # the INFO sent on connect times out on the stuck port
        assert wait_until(lambda: sup.state.connects == 2 and sup.state.unknown == 1)
        assert sup.send(p.ping(1))  # the new connection works (loop:// echoes it)
    finally:
        sup.close()
    assert not ports[0].is_open
    assert "lost (device stopped reading: write timed out)" in hw_logs.text
    assert not errors(hw_logs)
