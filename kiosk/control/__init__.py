"""Live control over a UNIX socket: its protocol, the server and the client.

Staff run ``kiosk ctl COMMAND [ARG]``; it connects to the socket (default
``/run/kiosk/control.sock``, mode 0660, group ``kiosk-staff``; there is no TCP
listener) and speaks a line-based JSON protocol, documented in ``deploy/CONTROL.md``.

* :mod:`kiosk.control.protocol` — request lines, replies, the queue to the main loop.
* :mod:`kiosk.control.server` — the listening socket (:class:`ControlServer`).
* :mod:`kiosk.control.client` — ``kiosk ctl``'s side (:func:`send_command`).

The commands are one table, :data:`kiosk.app.commands.COMMANDS`.

Hostile or broken input never crashes the kiosk or grows memory without bound:
lines are limited in length, connections in number and time, and each connection
has at most one request in flight.
"""

from kiosk.control.client import CLIENT_TIMEOUT, send_command, unreachable_message
from kiosk.control.protocol import (
    MAX_LINE,
    REPLY_TIMEOUT,
    CommandQueue,
    LineReader,
    Pending,
    Request,
    encode,
    error,
    ok,
    parse_request,
)
from kiosk.control.server import IDLE_TIMEOUT, LISTEN_BACKLOG, MAX_CONNECTIONS, ControlServer
from kiosk.exc import CommandError, LineTooLong, Unreachable

__all__ = [
    "CLIENT_TIMEOUT",
    "IDLE_TIMEOUT",
    "LISTEN_BACKLOG",
    "MAX_CONNECTIONS",
    "MAX_LINE",
    "REPLY_TIMEOUT",
    "CommandError",
    "CommandQueue",
    "ControlServer",
    "LineReader",
    "LineTooLong",
    "Pending",
    "Request",
    "Unreachable",
    "encode",
    "error",
    "ok",
    "parse_request",
    "send_command",
    "unreachable_message",
]
