"""``kiosk ctl``'s side of the control socket: send one command, word the reply."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from pathlib import Path

from kiosk.control.protocol import REPLY_TIMEOUT, LineReader
from kiosk.exc import LineTooLong, Unreachable

#: The longest the server takes to reply (:meth:`Pending.wait`: REPLY_TIMEOUT for the
#: main loop to start a command, as long again for it to finish), plus a margin.
CLIENT_TIMEOUT = 2 * REPLY_TIMEOUT + 5.0


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
