"""Run the display power commands (``[hours] display_off_command`` / ``…_on_…``).

One at a time, in the order asked (an "on" never overtakes the "off" before it),
without ever waiting in the frame loop: :meth:`DisplayPower.pump` is called each
turn of the loop, starts the next command when the previous one has finished,
and logs failures.  A command is split like a shell line but run without a shell.
"""

from __future__ import annotations

import logging
import shlex
import subprocess
from collections import deque

log = logging.getLogger(__name__)


class DisplayPower:
    """A queue of display commands run one after another."""

    def __init__(self) -> None:
        self._queue: deque[tuple[str, str]] = deque()
        self._running: tuple[str, str, subprocess.Popen[bytes]] | None = None

    def run(self, name: str, command: str | None) -> None:
        """Queue ``command`` (named ``name`` in the log); nothing if it is empty."""
        if command:
            self._queue.append((name, command))
            self.pump()

    @property
    def busy(self) -> bool:
        """Whether a command is running or waiting."""
        return self._running is not None or bool(self._queue)

    def pump(self) -> None:
        """Collect a finished command and start the next one (never blocks)."""
        while True:
            if self._running is not None:
                name, command, process = self._running
                code = process.poll()
                if code is None:
                    return
                self._running = None
                if code != 0:
                    log.error("%s %r failed with exit status %d", name, command, code)
            if not self._queue:
                return
            name, command = self._queue.popleft()
            try:
                process = subprocess.Popen(shlex.split(command), stdin=subprocess.DEVNULL)
            except (OSError, ValueError) as exc:
                log.error("%s %r could not be started: %s", name, command, exc)
                continue
            self._running = (name, command, process)

    def wait(self, timeout: float) -> None:
        """Run everything queued to the end, each command for at most ``timeout`` seconds."""
        while self.busy:
            if self._running is not None:
                name, command, process = self._running
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    log.error("%s %r still running after %g s", name, command, timeout)
                    return
            self.pump()
