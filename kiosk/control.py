"""Live control over a UNIX socket: the server thread, its protocol, and the client.

Staff run ``kiosk ctl COMMAND [ARG]``; it connects to the socket (default
``/run/kiosk/control.sock``, mode 0660, group ``kiosk-staff``; there is no
TCP listener) and speaks a line-based JSON protocol, documented in
``deploy/CONTROL.md``::

    → {"cmd": "goto", "arg": "3"}
    ← {"ok": true, "result": {"screen": "chapter", "chapter": 3, ...}}
    ← {"ok": false, "error": "chapter 99 does not exist (1–13)"}

The parts, split as in pyserial's ``serial.threaded`` (transport apart from
the handling of what arrives):

* :class:`LineReader` — bytes in, complete lines out, with a length limit (pure).
* :func:`parse_request` — one line → a :class:`Request`, or a precise error (pure).
* :class:`CommandQueue` — hands requests from socket threads to the app's main
  thread (pygame is not thread-safe) and waits, with a time limit, for the reply.
* :class:`ControlServer` — the listening socket: one thread accepts, one thread
  per connection (a few at most), each with a time limit.
* :func:`send_command` — the client side.

Hostile or broken input never crashes the kiosk or grows memory without
bound: lines are limited in length, connections in number and time, and each
connection has at most one request in flight.
"""

from __future__ import annotations

import contextlib
import grp
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty, SimpleQueue

log = logging.getLogger(__name__)

MAX_LINE = 4096  # bytes in one request line, newline included
MAX_CONNECTIONS = 4
#: Connections waiting to be accepted.  Not the limit above: every connection is
#: accepted and, over the limit, answered "too many connections"; a short queue would
#: make a burst of clients (``kiosk ctl`` included) fail with EAGAIN instead.
LISTEN_BACKLOG = 64
IDLE_TIMEOUT = 30.0  # seconds a connection may stay silent (or take over one line)
REPLY_TIMEOUT = 10.0  # seconds to wait for the main loop to run a command
#: The longest the server takes to reply (:meth:`Pending.wait`: REPLY_TIMEOUT for the
#: main loop to start a command, as long again for it to finish), plus a margin.
CLIENT_TIMEOUT = 2 * REPLY_TIMEOUT + 5.0

#: name → (argument it takes, or None; what it does).
COMMANDS: dict[str, tuple[str | None, str]] = {
    "status": (None, "uptime, screen, language, frame rate, sensor, errors, config, sleep"),
    "next": (None, "as if a visitor pressed Next"),
    "back": (None, "as if a visitor pressed Back"),
    "goto": ("CHAPTER", "show a chapter: its number (1, 2, …) or its id"),
    "dock": (None, "as if a visitor pressed Dock"),
    "lang": ("CODE", "switch to a language, e.g. en"),
    "reload": (None, "re-read the config and the story; a broken edit is refused"),
    "screenshot": ("FILE", "save what is on screen as PNG (relative: under the data dir)"),
    "sleep": (None, "dark screen until wake or the next change of the opening hours"),
    "wake": (None, "wake until the next change of the opening hours"),
    "help": (None, "list the commands"),
}


class CommandError(Exception):
    """A command that cannot be done; the message is shown to staff as is."""


class LineTooLong(CommandError):
    """A request line over the limit."""


class LineReader:
    """Collects bytes and returns complete lines (without the newline)."""

    def __init__(self, max_line: int = MAX_LINE) -> None:
        self.max_line = max_line
        self._buffer = bytearray()

    @property
    def pending(self) -> bool:
        """Whether part of a line has arrived."""
        return bool(self._buffer)

    def feed(self, data: bytes) -> list[bytes]:
        """Add ``data``; return the lines it completes.

        Raises :class:`LineTooLong` once a line exceeds ``max_line`` bytes, before
        buffering more than that.
        """
        self._buffer += data
        lines = []
        while True:
            end = self._buffer.find(b"\n")
            if end < 0:
                break
            if end + 1 > self.max_line:
                raise LineTooLong(f"request line longer than {self.max_line} bytes")
            lines.append(bytes(self._buffer[:end]).rstrip(b"\r"))
            del self._buffer[: end + 1]
        if len(self._buffer) >= self.max_line:
            raise LineTooLong(f"request line longer than {self.max_line} bytes")
        return lines


@dataclass(frozen=True, slots=True)
class Request:
    """One command for the kiosk."""

    cmd: str
    arg: str | None = None
    id: object = None  # echoed in the reply when given


def parse_request(line: bytes) -> Request:
    """Decode one request line; raise :class:`CommandError` saying what is wrong."""
    try:
        data = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        raise CommandError("request is not UTF-8 text") from None
    except (ValueError, RecursionError) as exc:
        raise CommandError(f'request is not JSON ({exc}); send e.g. {{"cmd": "status"}}') from None
    if not isinstance(data, dict):
        raise CommandError('request must be a JSON object such as {"cmd": "status"}')
    cmd = data.get("cmd")
    if not isinstance(cmd, str):
        raise CommandError('request needs "cmd", a command name such as "status"')
    spec = COMMANDS.get(cmd)
    if spec is None:
        raise CommandError(f"unknown command {cmd!r}; commands: {', '.join(COMMANDS)}")
    arg = data.get("arg")
    if isinstance(arg, bool) or not (arg is None or isinstance(arg, str | int | float)):
        raise CommandError(f'"arg" must be text or a number, got {type(arg).__name__}')
    arg = None if arg is None else str(arg)
    takes = spec[0]
    if takes is not None and not arg:
        raise CommandError(f'{cmd} needs {takes} ("arg")')
    if takes is None and arg is not None:
        raise CommandError(f"{cmd} takes no argument")
    request_id = data.get("id")
    if not (request_id is None or isinstance(request_id, str | int)):
        request_id = None
    return Request(cmd, arg, request_id)


def ok(result: object, request: Request | None = None) -> dict[str, object]:
    """A successful reply."""
    reply: dict[str, object] = {"ok": True, "result": result}
    if request is not None and request.id is not None:
        reply["id"] = request.id
    return reply


def error(message: str, request: Request | None = None) -> dict[str, object]:
    """A refusal."""
    reply: dict[str, object] = {"ok": False, "error": message}
    if request is not None and request.id is not None:
        reply["id"] = request.id
    return reply


def encode(reply: dict[str, object]) -> bytes:
    """One reply line (anything not JSON-native is written as text)."""
    return json.dumps(reply, ensure_ascii=False, default=str).encode("utf-8") + b"\n"


@dataclass(eq=False)
class Pending:
    """A request waiting for the main loop, and its reply once done."""

    request: Request
    _done: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _state: str = "queued"  # queued → running → done, or queued → abandoned
    reply: dict[str, object] | None = None

    def claim(self) -> bool:
        """Main loop: start working on it, unless its client gave up waiting."""
        with self._lock:
            if self._state != "queued":
                return False
            self._state = "running"
            return True

    def resolve(self, reply: dict[str, object]) -> None:
        """Main loop: the reply is ready."""
        self.reply = reply
        with self._lock:
            self._state = "done"
        self._done.set()

    def wait(self, timeout: float) -> dict[str, object]:
        """Socket thread: the reply, or an error if the main loop did not answer in time."""
        if self._done.wait(timeout):
            return self.reply or error("no reply")
        with self._lock:
            if self._state == "queued":
                self._state = "abandoned"  # never run it late
                return error(
                    f"the kiosk did not answer within {timeout:g} s "
                    "(its main loop may be stuck; see journalctl -u kiosk)",
                    self.request,
                )
        if self._done.wait(timeout):  # started in time: give it a little longer
            return self.reply or error("no reply")
        return error(f"{self.request.cmd} is still running after {2 * timeout:g} s", self.request)


class CommandQueue:
    """Requests from socket threads to the main loop (thread-safe; see :meth:`drain`)."""

    def __init__(self, waker: Callable[[], None] | None = None) -> None:
        self._queue: SimpleQueue[Pending] = SimpleQueue()
        self.waker = waker

    def submit(self, request: Request, timeout: float = REPLY_TIMEOUT) -> dict[str, object]:
        """Queue ``request`` for the main loop and wait for its reply (any thread)."""
        pending = Pending(request)
        self._queue.put(pending)
        if self.waker is not None:
            self.waker()
        return pending.wait(timeout)

    def drain(self) -> list[Pending]:
        """Main loop: every request waiting to run (the caller claims and resolves each)."""
        items: list[Pending] = []
        while True:
            try:
                items.append(self._queue.get_nowait())
            except Empty:
                return items


def help_text() -> dict[str, str]:
    """The commands and what they do."""
    return {
        (f"{name} {takes}" if takes else name): text for name, (takes, text) in COMMANDS.items()
    }


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
        self._thread: threading.Thread | None = None
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
        self._thread = threading.Thread(target=self._accept_loop, name="control", daemon=True)
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
        """Refuse a connection over the limit, without ever blocking the accepting thread."""
        with contextlib.suppress(OSError):
            conn.setblocking(False)
            conn.send(encode(error(f"too many connections (at most {self.max_connections})")))
            conn.shutdown(socket.SHUT_WR)
            # Drop what has already arrived, so closing does not reset the connection
            # before the client has read the refusal.
            while conn.recv(65536):
                pass
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
        if request.cmd == "help":
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
            self._thread.join(timeout=2.0)


# -- the client ------------------------------------------------------------------


class Unreachable(Exception):
    """The client could not talk to the kiosk; the message says why and what to do."""

    exit_code = 3


def unreachable_message(exc: OSError, path: Path, group: str) -> str:
    """What staff should read when connecting to ``path`` failed with ``exc``."""
    if isinstance(exc, FileNotFoundError):
        return (
            f"no control socket at {path}: the kiosk is not running, or runs with another "
            "config (check: systemctl status kiosk)"
        )
    if isinstance(exc, PermissionError):
        return (
            f"permission denied on {path}: join the {group} group "
            f"(sudo usermod -aG {group} $USER, then log out and in again)"
        )
    if isinstance(exc, ConnectionRefusedError):
        return (
            f"nothing is listening on {path}: the kiosk has stopped or crashed "
            "(check: systemctl status kiosk; journalctl -u kiosk -e)"
        )
    if isinstance(exc, TimeoutError):
        return (
            f"the kiosk at {path} did not answer in time: it may be stuck "
            "(journalctl -u kiosk -e; sudo systemctl restart kiosk)"
        )
    return f"cannot talk to the kiosk at {path}: {exc}"


def send_command(
    path: Path,
    cmd: str,
    arg: str | None = None,
    *,
    group: str = "kiosk-staff",
    timeout: float = CLIENT_TIMEOUT,
) -> dict[str, object]:
    """Send one command and return the reply object; raise :class:`Unreachable`."""
    request: dict[str, object] = {"cmd": cmd}
    if arg is not None:
        request["arg"] = arg
    line = json.dumps(request).encode("utf-8") + b"\n"
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            _connect(sock, str(path), timeout)
            # Turned away ("too many connections") before the request went out: the
            # reply saying so is still there to read.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                sock.sendall(line)
            reader = LineReader(max_line=16 * 1024 * 1024)
            while True:
                data = sock.recv(65536)
                if not data:
                    raise ConnectionResetError("the kiosk closed the connection without a reply")
                lines = reader.feed(data)
                if lines:
                    reply = json.loads(lines[0].decode("utf-8"))
                    break
    except OSError as exc:
        raise Unreachable(unreachable_message(exc, Path(path), group)) from exc
    except (ValueError, LineTooLong) as exc:
        raise Unreachable(f"the kiosk at {path} sent a reply that is not JSON: {exc}") from exc
    if not isinstance(reply, dict) or "ok" not in reply:
        raise Unreachable(f"the kiosk at {path} sent an unexpected reply: {reply!r}")
    return reply


def _connect(sock: socket.socket, path: str, timeout: float) -> None:
    """Connect, waiting (up to ``timeout``) while the kiosk's listen queue is full.

    With a time limit the socket does not block, and a UNIX socket then fails at once
    with EAGAIN where a blocking connect would wait for room (e.g. during a flood of
    connections); try again until the time is up.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            sock.connect(path)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise TimeoutError("the kiosk's connection queue stayed full") from None
            time.sleep(0.01)


def where(result: dict[str, object]) -> str:
    """Where the exhibit is, in words: "showing chapter 3 (en)", "asleep (closed)"."""
    screen = result.get("screen")
    if screen == "sleep":
        return f"asleep ({result.get('reason', '')})"
    if screen == "chapter":
        return f"showing chapter {result.get('chapter')} ({result.get('language')})"
    return f"showing the {screen} screen ({result.get('language')})"


def _word(value: object) -> str:
    """A status value as a word: yes/no, none, or its text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == [] or value == {}:
        return "none"
    return str(value)


def _lines(value: object, indent: str = "") -> list[str]:
    """A nested status value as indented ``key: value`` lines."""
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                out.append(f"{indent}{key}:")
                out.extend(_lines(item, indent + "  "))
            else:
                out.append(f"{indent}{key}: {_word(item)}")
        return out
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict):
                text = ", ".join(f"{k} {v}" for k, v in item.items())
                out.append(f"{indent}- {text}")
            else:
                out.append(f"{indent}- {item}")
        return out
    return [f"{indent}{value}"]


def format_result(cmd: str, result: object) -> str:
    """A reply's result as staff read it in a terminal."""
    if cmd == "help" and isinstance(result, dict):
        width = max(len(k) for k in result)
        return "\n".join(f"{name.ljust(width)}  {text}" for name, text in result.items())
    if not isinstance(result, dict):
        return str(result)
    if cmd == "status":
        return "\n".join(_lines(result))
    if cmd == "reload":
        languages = ", ".join(str(code) for code in result.get("languages") or [])
        text = (
            f"reloaded {result.get('config')} and the story in {result.get('story')} "
            f"({result.get('chapters')} chapters; languages {languages})"
        )
        restart = result.get("restart_needed")
        if restart:
            text += f"\nthese settings take effect after a restart: {', '.join(restart)}"
        return text
    if cmd == "screenshot":
        size = result.get("size") or ["?", "?"]
        return f"saved {result.get('file')} ({size[0]}×{size[1]})"
    return where(result)
