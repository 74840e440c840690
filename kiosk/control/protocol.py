"""The control socket's protocol: request lines in, reply lines out (pure).

One request per line, one reply per line, each a JSON object in UTF-8 (see
``deploy/CONTROL.md``)::

    → {"cmd": "goto", "arg": "3"}
    ← {"ok": true, "result": {"screen": "chapter", "chapter": 3, ...}}
    ← {"ok": false, "error": "chapter 99 does not exist (1–13)"}

* :class:`LineReader` — bytes in, complete lines out, with a length limit.
* :func:`parse_request` — one line → a :class:`Request`, or a precise error.
* :func:`ok`, :func:`error`, :func:`encode` — replies.
* :class:`Pending` and :class:`CommandQueue` — a request handed from a socket thread
  to the exhibit's main loop (pygame is not thread-safe), and its reply waited for
  with a time limit.

The commands themselves, their arguments and help are one table,
:data:`kiosk.app.commands.COMMANDS`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from queue import Empty, SimpleQueue

from kiosk.exc import CommandError, LineTooLong

MAX_LINE = 4096  # bytes in one request line, newline included
REPLY_TIMEOUT = 10.0  # seconds to wait for the main loop to run a command


def arguments() -> dict[str, str | None]:
    """Each staff command's name → the argument it takes (None: none), in table order."""
    from kiosk.app.commands import COMMANDS

    return {name: command.arg for name, command in COMMANDS.items()}


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


def parse_request(line: bytes, commands: Mapping[str, str | None] | None = None) -> Request:
    """Decode one request line; raise :class:`CommandError` saying what is wrong.

    ``commands`` maps each command's name to the argument it takes (or None);
    default: the staff commands' table (:data:`kiosk.app.commands.COMMANDS`).
    """
    if commands is None:
        commands = arguments()
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
    if cmd not in commands:
        raise CommandError(f"unknown command {cmd!r}; commands: {', '.join(commands)}")
    arg = data.get("arg")
    if isinstance(arg, bool) or not (arg is None or isinstance(arg, str | int | float)):
        raise CommandError(f'"arg" must be text or a number, got {type(arg).__name__}')
    arg = None if arg is None else str(arg)
    takes = commands[cmd]
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

    def __init__(self, wake: Callable[[], None] | None = None) -> None:
        self._queue: SimpleQueue[Pending] = SimpleQueue()
        self.wake = wake

    def submit(self, request: Request, timeout: float = REPLY_TIMEOUT) -> dict[str, object]:
        """Queue ``request`` for the main loop and wait for its reply (any thread)."""
        pending = Pending(request)
        self._queue.put(pending)
        if self.wake is not None:
            self.wake()
        return pending.wait(timeout)

    def drain(self) -> list[Pending]:
        """Main loop: every request waiting to run (the caller claims and resolves each)."""
        items: list[Pending] = []
        while True:
            try:
                items.append(self._queue.get_nowait())
            except Empty:
                return items
