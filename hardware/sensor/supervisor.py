"""Keeps the handshake sensor connected and turns its messages into grip events.

One background thread owns the connection: it finds the port, opens it, starts a
:class:`~hardware.sensor.reader.SensorReaderThread`, watches the heartbeat and, when
the device is unplugged or goes silent, closes everything and reconnects with
exponential backoff.  Reconnection happens here, never inside ``connection_lost``
(which runs in the reader thread, which cannot join itself).

The thread never dies of an unexpected error: anything a session raises (the reader
thread cannot start, the protocol cannot be built, a bug) is logged once, the port is
closed and the loop backs off and tries again.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

import serial

from hardware.config import SensorConfig
from hardware.events import GripEvent, HardwareEvent, SensorEvent
from hardware.sensor import protocol
from hardware.sensor.discovery import describe_search, find_sensor_port
from hardware.sensor.reader import SensorProtocol, SensorReaderThread
from hardware.sensor.state import SensorState
from hardware.threads import StoppableThread

log = logging.getLogger(__name__)

SerialFactory = Callable[[str, int], serial.SerialBase]
"""``(port, baudrate) -> open serial instance``; may raise to mean "not there"."""

REPORT_INTERVAL = 60.0
"""Seconds between summaries of dropped lines in the log."""

WRITE_TIMEOUT = 0.5
"""Seconds a write may block.  pyserial's ``ReaderThread.write`` holds the lock that
``close()`` needs, so without a bound a device that stops reading would block the
heartbeat-loss recovery forever; a timed-out write counts as a lost connection."""


def open_serial(port: str, baudrate: int) -> serial.SerialBase:
    """Default :data:`SerialFactory`: a device path or any pyserial URL."""
    return serial.serial_for_url(port, baudrate=baudrate, timeout=None, write_timeout=WRITE_TIMEOUT)


def _reason(exc: BaseException) -> str:
    """Short text for an open/read error (pyserial's own messages repeat the port)."""
    errno = getattr(exc, "errno", None)
    if isinstance(errno, int) and errno:
        return os.strerror(errno)
    return str(exc) or type(exc).__name__


class SensorSupervisor:
    """Connection manager for the handshake sensor.

    ``emit`` receives :class:`~hardware.events.GripEvent` objects (from the reader
    thread) and a :class:`~hardware.events.SensorEvent` when the sensor is connected or
    lost.  All waiting is bounded, all decisions about time use ``clock``, and nothing
    raises into the caller after construction.
    """

    POLL = 0.2  # longest real-time wait between checks, seconds

    def __init__(
        self,
        config: SensorConfig,
        emit: Callable[[HardwareEvent], None],
        *,
        clock: Callable[[], float] = time.monotonic,
        serial_factory: SerialFactory | None = None,
        discover: Callable[[], str | None] | None = None,
    ) -> None:
        self.config = config
        self.emit = emit
        self.clock = clock
        self.state = SensorState()
        self._serial_factory = serial_factory or open_serial
        self._discover = discover or (
            lambda: find_sensor_port(config.usb_ids, config.by_id_patterns)
        )
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lost = threading.Event()
        self._conn_lock = threading.Lock()
        self._protocol: SensorProtocol | None = None
        self._reader: SensorReaderThread | None = None
        self._thread: StoppableThread | None = None
        self._announced = False  # a SensorEvent(connected=True) was emitted
        self._active: set[int] = set()
        self._version_ok = True
        self._report_at = 0.0
        self._reported: dict[str, int] = {}
        self._lost_exc: BaseException | None = None
        self._loss_logged = False  # a lost connection has been logged as a warning
        # Loop progress, for tests and diagnostics (see poke() and wait_for_tick()).
        self._tick = threading.Condition()
        self._pokes = 0  # poke() calls so far
        self._handled = 0  # pokes that a completed check had seen when it began
        self._seen = 0  # pokes seen when the current check began (supervisor thread)
        self.loop_count = 0
        """Checks the supervisor thread has completed (each connect attempt, and each
        heartbeat check while connected); only ever grows."""

    def __repr__(self) -> str:
        state = self.state
        where = state.port or self.config.port or "auto-detect"
        if self._thread is None:
            status = "stopped"
        else:
            status = "connected" if state.connected else "not connected"
        return f"<SensorSupervisor {where} {status}>"

    # --- public -----------------------------------------------------------------------

    def start(self) -> None:
        """Start the supervisor thread (idempotent)."""
        if self._thread is not None:
            return
        self._report_at = self.clock() + REPORT_INTERVAL
        self._thread = StoppableThread(self._run, name="sensor-supervisor", on_stop=self._wake.set)
        self._thread.start()

    def close(self, timeout: float = 5.0) -> None:
        """Stop reconnecting, close the port and join every thread (waiting ``timeout``)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.stop(timeout)
            self._thread = None

    def poke(self) -> int:
        """Re-check now (heartbeat age, reconnect) instead of at the next poll.

        Returns a ticket for :meth:`wait_for_tick`.
        """
        with self._tick:
            self._pokes += 1
            ticket = self._pokes
        self._wake.set()
        return ticket

    def wait_for_tick(self, after: int, timeout: float) -> bool:
        """Wait until the supervisor thread has handled the poke whose ticket is ``after``.

        "Handled" means a check that began after that :meth:`poke` (so it read the
        clock after it) has finished, including any disconnect it decided on.  Returns
        ``False`` if that did not happen within ``timeout`` seconds (a deadline only).
        """
        with self._tick:
            return self._tick.wait_for(lambda: self._handled >= after, timeout)

    def send(self, line: bytes) -> bool:
        """Send a framed command line; ``False`` if the sensor is not connected."""
        with self._conn_lock:
            proto = self._protocol
        return proto is not None and proto.send(line)

    def status(self) -> dict[str, object]:
        """JSON-serialisable sensor state (see :meth:`SensorState.snapshot`)."""
        return self.state.snapshot(self.clock)

    # --- connection loop --------------------------------------------------------------

    def _wait(self, seconds: float) -> None:
        self._wake.wait(max(0.0, seconds))
        self._wake.clear()

    def _begin_check(self) -> None:
        """Call right after clearing ``_wake``: pokes from now on wake the next check."""
        with self._tick:
            self._seen = self._pokes

    def _end_check(self) -> None:
        with self._tick:
            self._handled = max(self._handled, self._seen)
            self.loop_count += 1
            self._tick.notify_all()

    def _run(self) -> None:
        delay = self.config.reconnect_initial
        warned = False
        failing = False  # the last session ended in an unexpected error
        while not self._stop.is_set():
            self._begin_check()
            try:
                port = self.config.port or self._discover()
            except Exception as exc:
                log.debug("sensor discovery failed: %s", exc)
                port = None
            if port is None:
                delay = self._retry_later(
                    "handshake sensor not found: "
                    + describe_search(self.config.usb_ids, self.config.by_id_patterns)
                    + "; grips are ignored until it is plugged in",
                    warn=not warned,
                    delay=delay,
                )
                warned = True
                continue
            try:
                ser = self._serial_factory(port, self.config.baudrate)
            except Exception as exc:
                delay = self._retry_later(
                    f"cannot open handshake sensor port {port} ({_reason(exc)}); "
                    "will keep retrying",
                    warn=not warned,
                    delay=delay,
                )
                warned = True
                continue
            try:
                healthy = self._session(port, ser)
            except Exception as exc:
                # _session has already closed the port; only report and back off.
                healthy = False
                self._session_failed(port, exc, first=not failing)
                failing = True
            else:
                failing = failing and not healthy
            warned = True  # the loss was just logged; repeated open failures go to debug
            self._end_check()
            if healthy:
                delay = self.config.reconnect_initial
            if not self._stop.is_set():
                self._wait(delay)
                delay = min(delay * 2, self.config.reconnect_max)

    def _retry_later(self, text: str, *, warn: bool, delay: float) -> float:
        """Report why there is no connection, wait ``delay``; return the next, longer delay."""
        self._note_problem(text, warn=warn)
        self._end_check()
        self._wait(delay)
        return min(delay * 2, self.config.reconnect_max)

    def _session_failed(self, port: str, exc: Exception, *, first: bool) -> None:
        """An unexpected error ended a session: tell staff once, then keep retrying."""
        text = (
            f"handshake sensor on {port}: internal error ({type(exc).__name__}: "
            f"{_reason(exc)}); closed the port, will keep retrying"
        )
        self.state.update(connected=False, last_error=text)
        if first:
            log.error(text, exc_info=exc)
        else:
            log.debug(text)

    def _note_problem(self, text: str, *, warn: bool) -> None:
        self.state.update(last_error=text)
        if warn:
            log.warning(text)
        else:
            log.debug(text)

    def _session(self, port: str, ser: serial.SerialBase) -> bool:
        """Run one connection until it is lost; returns whether it was ever healthy.

        Whatever happens, including an exception (which propagates to :meth:`_run`),
        the reader thread is stopped and ``ser`` is closed before this returns.
        """
        self._lost.clear()
        self._lost_exc = None
        self._version_ok = True
        reader: SensorReaderThread | None = None
        healthy = False
        reason = ""  # why the connection ended; stays empty on stop() and on errors
        try:
            reader = SensorReaderThread(
                ser, lambda: SensorProtocol(self.state, self._on_message, self._on_lost)
            )
            reader.start()
            try:
                _, proto = reader.connect()
            except RuntimeError:
                proto = None
            if reader.startup_error is not None:
                raise reader.startup_error
            with self.state.lock:
                if self.state.connects:
                    self.state.reconnects += 1
                self.state.connects += 1
                self.state.port = port
                self.state.last_heartbeat = None
            with self._conn_lock:
                self._reader, self._protocol = reader, proto
            opened = self.clock()
            if proto is not None:
                proto.send(protocol.info())
            while True:
                self._wake.clear()
                self._begin_check()
                if self._stop.is_set():
                    reason = ""
                    break
                if self._lost.is_set() or not reader.is_alive():
                    reason = (
                        "device stopped reading: write timed out"
                        if isinstance(self._lost_exc, serial.SerialTimeoutException)
                        else "USB unplugged or device reset"
                    )
                    break
                now = self.clock()
                last = self.state.last_heartbeat
                healthy = healthy or last is not None
                since = now - (opened if last is None else max(opened, last))
                if since > self.config.heartbeat_timeout:
                    reason = f"no heartbeat for {since:.1f} s"
                    self.state.update(last_error=f"handshake sensor on {port}: {reason}")
                    break
                self._report_errors(port, now)
                self._end_check()
                self._wake.wait(min(self.POLL, max(0.01, self.config.heartbeat_timeout - since)))
        finally:
            with self._conn_lock:
                self._reader = self._protocol = None
            self._close(port, ser, reader)
            if reason:  # logged before it shows as disconnected, as callers expect
                # A sensor that never answers (noise only, hung firmware) is retried for
                # ever: warn once, then only when a working connection is lost.
                quiet = not healthy and self._loss_logged
                self._loss_logged = True
                (log.debug if quiet else log.warning)(
                    "handshake sensor on %s lost (%s); reconnecting", port, reason
                )
            # No reading without the sensor: a hand squeezed as it was unplugged must not
            # stay "gripping" in the status and the staff overlay.
            self.state.update(connected=False, levels=(), gripping=())
            self._end_active_grips("sensor lost")
            if self._announced:
                self._announced = False
                self.emit(SensorEvent(connected=False, port=port))
        return healthy

    @staticmethod
    def _close(port: str, ser: serial.SerialBase, reader: SensorReaderThread | None) -> None:
        """Stop the reader (if it ever started) and close the port; never raises."""
        if reader is not None and reader.ident is not None:
            try:
                reader.close()
            except Exception as exc:  # closing a vanished device may complain
                log.debug("error closing sensor port %s: %s", port, exc)
        try:
            ser.close()  # idempotent; needed when the reader never started
        except Exception as exc:
            log.debug("error closing sensor port %s: %s", port, exc)

    def _on_lost(self, exc: BaseException | None) -> None:
        """Reader-thread callback: only flag it; the supervisor thread cleans up.

        Also called from whichever thread's write timed out (see
        :meth:`SensorProtocol.send`).
        """
        if isinstance(exc, serial.SerialTimeoutException):
            self._lost_exc = exc
            self.state.update(
                last_error="handshake sensor stopped reading commands (write timed out)"
            )
        elif exc is not None:
            self._lost_exc = exc
            self.state.update(last_error=f"serial port failed: {_reason(exc)}")
        self._lost.set()
        self._wake.set()

    def _report_errors(self, port: str, now: float) -> None:
        if now < self._report_at:
            return
        self._report_at = now + REPORT_INTERVAL
        snap = self.state.snapshot(self.clock)
        parts = []
        for key, what in (
            ("bad_checksum", "with bad checksums"),
            ("garbage", "of garbage"),
            ("overlong", "that were too long"),
        ):
            count = int(snap[key]) - self._reported.get(key, 0)  # type: ignore[call-overload]
            self._reported[key] = int(snap[key])  # type: ignore[call-overload]
            if count:
                parts.append(f"{count} lines {what}")
        if parts:
            text = f"handshake sensor on {port} sent {', '.join(parts)} in the last minute"
            self.state.update(last_error=text)
            log.warning(text)

    # --- messages (reader thread) -----------------------------------------------------

    def _on_message(self, msg: protocol.DeviceMessage) -> None:
        now = self.clock()
        if isinstance(msg, protocol.Hello):
            self._version_ok = msg.proto in protocol.SUPPORTED_VERSIONS
            self.state.update(
                connected=True,
                firmware=msg.firmware,
                protocol=msg.proto,
                hands=msg.hands,
                device_id=msg.device_id or None,
                last_heartbeat=now,
            )
            if self._version_ok:
                log.info(
                    "handshake sensor connected on %s (firmware %s, protocol %d, %d hand%s)",
                    self.state.port,
                    msg.firmware,
                    msg.proto,
                    msg.hands,
                    "" if msg.hands == 1 else "s",
                )
            else:
                text = (
                    f"handshake sensor on {self.state.port} speaks protocol {msg.proto}, this "
                    f"kiosk only understands {sorted(protocol.SUPPORTED_VERSIONS)}: grips are "
                    "ignored until the kiosk software or the sensor firmware is updated"
                )
                self.state.update(last_error=text)
                log.error(text)
            self._announce()
        elif isinstance(msg, protocol.Heartbeat):
            self.state.update(
                connected=True, last_heartbeat=now, levels=msg.levels, gripping=msg.gripping
            )
            self._announce()
            self._reconcile(msg)
        elif isinstance(msg, protocol.GripStart):
            self._grip_start(msg.hand, msg.strength)
        elif isinstance(msg, protocol.GripEnd):
            self._grip_end(msg.hand, peak=msg.peak, duration_ms=msg.duration_ms)
        elif isinstance(msg, protocol.DeviceError):
            self.state.count("device_errors")
            log.debug("sensor rejected a command: %s %s", msg.code, msg.command)

    def _announce(self) -> None:
        """Report the sensor as connected, once per connection."""
        if not self._announced:
            self._announced = True
            self.emit(SensorEvent(connected=True, port=self.state.port))

    def _grip_start(self, hand: int, strength: int, *, recovered: bool = False) -> None:
        if not self._version_ok:
            return
        self._active.add(hand)
        self.emit(GripEvent(hand, gripping=True, strength=strength, recovered=recovered))

    def _grip_end(
        self,
        hand: int,
        *,
        peak: int | None = None,
        duration_ms: int | None = None,
        recovered: bool = False,
        reason: str | None = None,
    ) -> None:
        if hand not in self._active:
            return
        self._active.discard(hand)
        self.emit(
            GripEvent(
                hand,
                gripping=False,
                peak=peak,
                duration_ms=duration_ms,
                recovered=recovered,
                reason=reason,
            )
        )

    def _reconcile(self, hb: protocol.Heartbeat) -> None:
        """Recover from a lost GRIP or REL line using the heartbeat's grip flags."""
        for hand, gripping in enumerate(hb.gripping):
            if gripping and hand not in self._active:
                level = hb.levels[hand] if hand < len(hb.levels) else 0
                self._grip_start(hand, min(100, (level + 5) // 10), recovered=True)
            elif not gripping and hand in self._active:
                self._grip_end(hand, recovered=True)

    def _end_active_grips(self, reason: str) -> None:
        for hand in sorted(self._active):
            self._grip_end(hand, reason=reason)
