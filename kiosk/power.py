"""Run the display power commands (``[hours] display_off_command`` / ``…_on_…``).

One at a time, in the order asked (an "on" never overtakes the "off" before it),
without ever waiting in the frame loop: :meth:`DisplayPower.pump` is called each
turn of the loop, starts the next command when the previous one has finished,
and logs failures.  A command is split like a shell line but run without a shell.

A command that hangs (a CEC adapter that never answers, say) is killed after
:data:`COMMAND_TIMEOUT` seconds, logged once, and the next one runs: a hung
"off" never keeps the screen dark through opening hours.
"""

from __future__ import annotations

import logging
import shlex
import subprocess
import time
from collections import deque
from collections.abc import Callable

log = logging.getLogger(__name__)

#: Seconds a display command may run before it is killed and the next one starts.
COMMAND_TIMEOUT = 30.0


class DisplayPower:
    """A queue of display commands run one after another.

    ``clock`` (monotonic seconds) times each command against ``timeout``.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        timeout: float = COMMAND_TIMEOUT,
    ) -> None:
        self.clock = clock
        self.timeout = timeout
        self._queue: deque[tuple[str, str]] = deque()
        self._running: tuple[str, str, subprocess.Popen[bytes]] | None = None
        self._started = 0.0
        self._killed: list[subprocess.Popen[bytes]] = []

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
        """Collect a finished command and start the next one (never blocks).

        A command running longer than ``timeout`` is killed and logged once.
        """
        self._killed = [p for p in self._killed if p.poll() is None]
        while True:
            if self._running is not None:
                name, command, process = self._running
                code = process.poll()
                if code is None:
                    if self.clock() - self._started < self.timeout:
                        return
                    self._kill(name, command, process)
                    continue
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
            self._started = self.clock()

    def _kill(self, name: str, command: str, process: subprocess.Popen[bytes]) -> None:
        """End a command that has run too long; the queue goes on with the next one."""
        log.error(
            "%s %r still running after %g s: killed it; running the next display command "
            "(check the display's cable or CEC adapter, or the command itself)",
            name,
            command,
            self.timeout,
        )
        process.kill()
        self._killed.append(process)  # reaped by pump, never waited for in the frame loop
        self._running = None

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
