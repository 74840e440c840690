"""The control socket: a listening UNIX socket, a few connections, each with limits.

The socket (default ``/run/kiosk/control.sock``, mode 0660, group ``kiosk-staff``;
there is no TCP listener) is bound under a private name and renamed into place.
One thread accepts; each connection gets a thread of its own (at most
:data:`MAX_CONNECTIONS`; one more is told "too many connections"), reads request
lines with a time limit and hands each request to the exhibit's main loop through
a :class:`~kiosk.control.protocol.CommandQueue`.

(The stdlib's :mod:`socketserver` was considered: its threading server has no
limit on connections, no way to answer one over the limit without blocking the
accepting thread, and no per-line time limit, so the pieces it would save are
the few lines of the accept loop.)
"""

from __future__ import annotations

import contextlib
import grp
import logging
import os
import socket
import threading
import time
from pathlib import Path

from hardware.threads import StoppableThread
from kiosk.control.protocol import (
    MAX_LINE,
    REPLY_TIMEOUT,
    CommandQueue,
    LineReader,
    encode,
    error,
    ok,
    parse_request,
)
from kiosk.exc import CommandError, LineTooLong

log = logging.getLogger("kiosk.control")

MAX_CONNECTIONS = 4
#: Connections waiting to be accepted.  Not the limit above: every connection is
#: accepted and, over the limit, answered "too many connections"; a short queue would
#: make a burst of clients (``kiosk ctl`` included) fail with EAGAIN instead.
LISTEN_BACKLOG = 64
IDLE_TIMEOUT = 30.0  # seconds a connection may stay silent (or take over one line)


class ControlServer:
    """The control socket: accepts a few connections, hands requests to a queue.

    :meth:`start` creates the socket (mode 0660, group ``group`` when it exists)
    and raises :class:`OSError` if it cannot; the exhibit runs on without it.
    """

    def __init__(
        self,
        path: Path,
        commands: CommandQueue,
        *,
        group: str | None = "kiosk-staff",
        max_line: int = MAX_LINE,
        max_connections: int = MAX_CONNECTIONS,
        idle_timeout: float = IDLE_TIMEOUT,
        reply_timeout: float = REPLY_TIMEOUT,
    ) -> None:
        self.path = Path(path)
        self.commands = commands
        self.group = group
        self.max_line = max_line
        self.max_connections = max_connections
        self.idle_timeout = idle_timeout
        self.reply_timeout = reply_timeout
        self._listener: socket.socket | None = None
        self._thread: StoppableThread | None = None
        self._slots = threading.BoundedSemaphore(max_connections)
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self.group_warning: str | None = None

    # -- set-up ----------------------------------------------------------------

    def start(self) -> None:
        """Create the socket and start accepting connections."""
        self._remove_stale()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        try:
            # Bound under a private name, given its mode and group, then renamed into
            # place: the socket is never reachable with the wrong permissions.
            listener.bind(str(temporary))
            os.chmod(temporary, 0o600)
            self._set_group(temporary)
            os.chmod(temporary, 0o660)
            listener.listen(LISTEN_BACKLOG)
            os.replace(temporary, self.path)
        except BaseException:
            listener.close()
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
        self._listener = listener
        self._thread = StoppableThread(self._accept_loop, name="control")
        self._thread.start()
        log.info("control socket %s ready (kiosk ctl)", self.path)

    def _remove_stale(self) -> None:
        """Remove a socket left by a crashed kiosk; refuse if a kiosk is listening on it."""
        if not self.path.exists() and not self.path.is_symlink():
            return
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        probe.settimeout(1.0)
        try:
            probe.connect(str(self.path))
        except (ConnectionRefusedError, FileNotFoundError):
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            return
        except OSError:
            return  # not ours to judge (e.g. permissions): bind will say what is wrong
        finally:
            probe.close()
        raise OSError(f"another kiosk is already listening on {self.path}")

    def _set_group(self, path: Path) -> None:
        if not self.group:
            return
        try:
            gid = grp.getgrnam(self.group).gr_gid
        except KeyError:
            self.group_warning = (
                f"group {self.group!r} does not exist, so only the kiosk's own user can use "
                f"kiosk ctl; create it with: sudo groupadd --system {self.group} "
                f"(then: sudo usermod -aG {self.group} USER)"
            )
            log.warning("control socket %s: %s", self.path, self.group_warning)
            return
        # Under the service (Group=kiosk-staff) the socket is born in the group already,
        # and its seccomp filter (~@privileged) refuses chown() even to the same group.
        if path.stat().st_gid == gid:
            return
        try:
            os.chown(path, -1, gid)
        except PermissionError:
            self.group_warning = (
                f"cannot give the socket to group {self.group!r}: the kiosk's user is not in it "
                f"(run the service with Group={self.group}, or sudo usermod -aG {self.group} "
                "the kiosk user)"
            )
            log.warning("control socket %s: %s", self.path, self.group_warning)

    # -- serving ---------------------------------------------------------------

    def _accept_loop(self) -> None:
        listener = self._listener
        assert listener is not None
        while not self._closing.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                if self._closing.is_set():
                    return
                continue
            if not self._slots.acquire(blocking=False):
                self._turn_away(conn)
                continue
            with self._lock:
                self._connections.add(conn)
            threading.Thread(
                target=self._serve, args=(conn,), name="control-client", daemon=True
            ).start()

    def _turn_away(self, conn: socket.socket) -> None:
        """Refuse a connection over the limit on a thread of its own, so the accepting
        thread never waits on the refused client."""
        with self._lock:
            self._connections.add(conn)  # close() cuts it short like any other
        threading.Thread(
            target=self._refuse, args=(conn,), name="control-client", daemon=True
        ).start()

    def _refuse(self, conn: socket.socket) -> None:
        """Say "too many connections", then read (and drop) what the client sends until
        it is done, and only then close.

        Closing with the client's request still unread would reset the connection, and
        closing before the request arrives would fail the client's send: either way the
        client could miss the refusal.  The client is given the idle limit to finish.
        """
        deadline = time.monotonic() + self.idle_timeout
        try:
            conn.settimeout(self.idle_timeout)
            conn.sendall(encode(error(f"too many connections (at most {self.max_connections})")))
            conn.shutdown(socket.SHUT_WR)
            while (left := deadline - time.monotonic()) > 0:
                conn.settimeout(left)
                if not conn.recv(65536):
                    break
        except OSError:
            pass  # the client went away or took too long
        finally:
            with self._lock:
                self._connections.discard(conn)
            conn.close()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self._converse(conn)
        except OSError:
            pass  # the client went away or timed out
        except Exception:
            log.exception("control connection failed")
        finally:
            with self._lock:
                self._connections.discard(conn)
            conn.close()
            self._slots.release()

    def _converse(self, conn: socket.socket) -> None:
        reader = LineReader(self.max_line)
        line_started = time.monotonic()
        while not self._closing.is_set():
            # The time limit covers silence between requests and the whole of one
            # line, so a client trickling bytes cannot hold a connection forever.
            remaining = self.idle_timeout - (time.monotonic() - line_started)
            try:
                if remaining <= 0:
                    raise TimeoutError
                conn.settimeout(remaining)
                data = conn.recv(4096)
            except TimeoutError:
                conn.settimeout(1.0)
                conn.sendall(encode(error(f"no complete request within {self.idle_timeout:g} s")))
                return
            if not data:
                return
            try:
                lines = reader.feed(data)
            except LineTooLong as exc:
                conn.sendall(encode(error(f"{exc}; closing the connection")))
                self._discard_rest(conn)
                return
            for line in lines:
                if line.strip():
                    conn.settimeout(self.idle_timeout)
                    conn.sendall(encode(self.handle_line(line)))
            if lines:
                line_started = time.monotonic()

    def _discard_rest(self, conn: socket.socket, limit: int = 1 << 20) -> None:
        """Read and drop what the client is still sending (up to ``limit`` bytes, 1 s), so
        closing does not reset the connection before it has read the error."""
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(1.0)
        dropped = 0
        while dropped < limit:
            data = conn.recv(65536)
            if not data:
                return
            dropped += len(data)

    def handle_line(self, line: bytes) -> dict[str, object]:
        """One request line → one reply (runs on the connection's thread)."""
        try:
            request = parse_request(line)
        except CommandError as exc:
            return error(str(exc))
        if request.cmd == "help":  # answered here: it needs nothing of the exhibit
            from kiosk.app.commands import help_text

            return ok(help_text(), request)
        return self.commands.submit(request, self.reply_timeout)

    def close(self) -> None:
        """Stop accepting, drop connections and remove the socket."""
        self._closing.set()
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
            with contextlib.suppress(OSError):
                self.path.unlink()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.stop(timeout=2.0)
