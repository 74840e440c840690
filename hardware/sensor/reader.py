"""The :mod:`serial.threaded` protocol that reads sensor lines, and a hardened reader thread.

Follows pyserial's split: :class:`SensorProtocol` (a :class:`serial.threaded.Protocol`)
turns bytes into typed messages; :class:`SensorReaderThread` (a
:class:`serial.threaded.ReaderThread`) owns the port and calls it.  Neither ever lets
an exception escape: bad input is counted in :class:`SensorState` and dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import serial
import serial.threaded

from hardware.sensor import protocol
from hardware.sensor.framing import OVERLONG, LineFramer
from hardware.sensor.state import SensorState

log = logging.getLogger(__name__)


class SensorProtocol(serial.threaded.Protocol):
    """Line protocol for the handshake sensor.

    ``on_message`` receives each valid :data:`protocol.DeviceMessage` (in the reader
    thread); ``on_lost`` is told when the connection ends, with the exception if any.
    ``on_lost`` must not close or join the reader thread: it runs inside it.
    """

    def __init__(
        self,
        state: SensorState,
        on_message: Callable[[protocol.DeviceMessage], None],
        on_lost: Callable[[BaseException | None], None],
    ) -> None:
        self.state = state
        self.on_message = on_message
        self.on_lost = on_lost
        self.framer = LineFramer()
        self.transport: serial.threaded.ReaderThread | None = None

    def connection_made(self, transport: serial.threaded.ReaderThread) -> None:
        """Remember the transport so :meth:`send` can write."""
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        """Frame, check and dispatch; count and drop anything unusable."""
        for item in self.framer.feed(data):
            if item is OVERLONG:
                self.state.count("overlong")
                continue
            assert isinstance(item, bytes)
            self.handle_line(item)

    def handle_line(self, line: bytes) -> None:
        """Decode one line and pass it on; never raises."""
        try:
            message = protocol.interpret(protocol.decode(line))
        except protocol.ProtocolError as exc:
            self.state.count(exc.reason)
            log.debug("dropped sensor line %r: %s", line[:40], exc)
            return
        if message is None:
            self.state.count("unknown")
            return
        self.state.count("lines")
        try:
            self.on_message(message)
        except Exception:
            log.exception("error while handling sensor message %r", message)

    def connection_lost(self, exc: BaseException | None) -> None:
        """Report the end of the connection (never re-raises, unlike the base class)."""
        self.transport = None
        try:
            self.on_lost(exc)
        except Exception:
            log.exception("error in sensor connection-lost handler")

    def send(self, line: bytes) -> bool:
        """Write one framed line; returns ``False`` if the port is gone.

        A write that times out (the port is opened with a ``write_timeout``) means the
        device has stopped reading: that is reported through ``on_lost`` like any other
        lost connection, so the supervisor closes the port and reconnects.  It never
        raises.
        """
        transport = self.transport
        if transport is None:
            return False
        try:
            transport.write(line)
        except serial.SerialTimeoutException as exc:
            log.debug("write to sensor timed out: the device stopped reading")
            self.transport = None  # further sends fail at once instead of waiting again
            try:
                self.on_lost(exc)
            except Exception:
                log.exception("error in sensor connection-lost handler")
            return False
        except (serial.SerialException, OSError, TypeError) as exc:
            log.debug("could not write to sensor: %s", exc)
            return False
        return True


class SensorReaderThread(serial.threaded.ReaderThread):
    """:class:`serial.threaded.ReaderThread` that survives a vanished USB device.

    pyserial's loop only catches :class:`serial.SerialException`, but on Linux
    ``in_waiting`` raises a bare ``OSError`` (EIO) once the device is unplugged, which
    would kill the thread without calling ``connection_lost``.  This run loop is the
    same as pyserial's with that case (and errors in ``connection_lost``) handled.
    """

    def __init__(
        self, serial_instance: serial.SerialBase, protocol_factory: Callable[[], SensorProtocol]
    ) -> None:
        super().__init__(serial_instance, protocol_factory)
        self.name = f"sensor-reader {getattr(serial_instance, 'port', '')}"
        self.startup_error: BaseException | None = None
        """Set if ``protocol_factory`` raised; the thread then ends at once (and
        :meth:`connect` raises ``RuntimeError`` instead of waiting forever)."""

    def run(self) -> None:
        """Read until stopped or the port fails, then call ``connection_lost`` once."""
        if not hasattr(self.serial, "cancel_read"):
            self.serial.timeout = 1
        try:
            self.protocol = self.protocol_factory()
        except Exception as exc:  # pyserial would die here and leave connect() hanging
            self.startup_error = exc
            self.alive = False
            self._connection_made.set()
            return
        error: BaseException | None = None
        try:
            self.protocol.connection_made(self)
        except Exception as exc:
            self.alive = False
            error = exc
        self._connection_made.set()
        while self.alive and self.serial.is_open:
            try:
                data = self.serial.read(self.serial.in_waiting or 1)
            except (serial.SerialException, OSError, TypeError) as exc:
                # TypeError: pyserial's posix read() after close() races select(None).
                error = exc
                break
            if data:
                try:
                    self.protocol.data_received(data)
                except Exception as exc:
                    error = exc
                    break
        self.alive = False
        try:
            self.protocol.connection_lost(error)
        except Exception:
            log.exception("error in sensor connection_lost")
        self.protocol = None
