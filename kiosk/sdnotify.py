"""Tell systemd how the kiosk is doing: ready, status text, watchdog pings, stopping.

The protocol (``sd_notify(3)``) is one datagram of ``KEY=value`` lines sent to
the UNIX socket named in ``$NOTIFY_SOCKET`` (a path, or an abstract name
starting with ``@``).  Without that variable — a terminal, a test, ``kiosk
demo`` — every call does nothing.

Watchdog pings are only sent when the caller says the loop is turning (the
app calls :meth:`Notifier.watchdog` from its frame loop), at most once per
half of ``$WATCHDOG_USEC``: a loop stuck in drawing stops the pings and
systemd restarts the service.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)


def socket_address(name: str) -> str | bytes:
    """The address to send to: a path, or ``@name`` as an abstract socket (leading NUL)."""
    if name.startswith("@"):
        return b"\0" + name[1:].encode()
    return name


def watchdog_interval(env: Mapping[str, str], pid: int) -> float | None:
    """Seconds between pings (half of ``WATCHDOG_USEC``), or None without a watchdog.

    ``WATCHDOG_PID``, when set, must be this process (the watchdog may be meant
    for a parent or a child).
    """
    usec = env.get("WATCHDOG_USEC", "")
    owner = env.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) <= 0:
        return None
    if owner and owner != str(pid):
        return None
    return int(usec) / 1e6 / 2


class Notifier:
    """Sends ``sd_notify`` messages; a no-op when not started by systemd with ``Type=notify``."""

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        pid: int | None = None,
    ) -> None:
        env = os.environ if env is None else env
        self._clock = clock
        name = env.get("NOTIFY_SOCKET", "")
        self._address = socket_address(name) if name else None
        self._sock: socket.socket | None = None
        self.interval = watchdog_interval(env, os.getpid() if pid is None else pid)
        self._last_ping = float("-inf")
        self._status = ""
        self.ready_sent = False
        self._failed = False

    @property
    def enabled(self) -> bool:
        """Whether systemd is listening (``$NOTIFY_SOCKET`` was set)."""
        return self._address is not None

    def send(self, **fields: object) -> bool:
        """Send ``KEY=value`` lines (keys upper-case, e.g. ``send(READY=1)``); True if sent."""
        if self._address is None:
            return False
        message = "\n".join(f"{key}={value}" for key, value in fields.items()).encode()
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._sock.sendto(message, self._address)
        except OSError as exc:
            if not self._failed:  # say it once; the exhibit carries on regardless
                log.warning("cannot notify systemd at %s: %s", self._address, exc)
                self._failed = True
            return False
        return True

    def ready(self, status: str | None = None) -> None:
        """Start-up is done (the first frame is on screen)."""
        if self.ready_sent:
            return
        self.ready_sent = True
        fields: dict[str, object] = {"READY": 1}
        if status:
            self._status = " ".join(status.split())
        if self._status:
            fields["STATUS"] = self._status
        self.send(**fields)

    def status(self, text: str) -> None:
        """A one-line status for ``systemctl status`` (sent only when it changes)."""
        text = " ".join(text.split())
        if text != self._status:
            self._status = text
            if self.ready_sent:  # before that it goes out with READY=1
                self.send(STATUS=text)

    def watchdog(self) -> bool:
        """The loop is alive: ping the watchdog if half its interval has passed."""
        if self.interval is None:
            return False
        now = self._clock()
        if now - self._last_ping < self.interval:
            return False
        self._last_ping = now
        return self.send(WATCHDOG=1)

    def stopping(self) -> None:
        """The kiosk is shutting down."""
        self.send(STOPPING=1, STATUS="stopping")

    def close(self) -> None:
        """Close the socket."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None
