"""One way to run a background thread and stop it cleanly.

Modelled on gpiozero's ``GPIOThread``: the thread's body watches ``stopping``
(an :class:`threading.Event`) and returns when it is set; :meth:`StoppableThread.stop`
sets it, wakes the body if it gives a way to (``on_stop``), and joins with a timeout.
A thread that does not end in time is reported, never waited for forever: ``stop``
returns ``False`` and logs one warning naming the thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

#: How long :meth:`StoppableThread.stop` waits by default, in seconds.
STOP_TIMEOUT = 2.0


class StoppableThread(threading.Thread):
    """A daemon thread whose target runs until :attr:`stopping` is set.

    ``target`` is called with the thread's positional and keyword arguments, as with
    :class:`threading.Thread`; it should return soon after ``self.stopping`` is set
    (wait on it rather than sleeping). ``on_stop``, if given, is called by :meth:`stop`
    after setting the event, to wake a body blocked elsewhere (a socket, a queue).
    """

    def __init__(
        self,
        target: Callable[..., object],
        name: str,
        args: tuple[object, ...] = (),
        kwargs: dict[str, object] | None = None,
        on_stop: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(target=target, name=name, args=args, kwargs=kwargs or {}, daemon=True)
        self.stopping = threading.Event()
        self._on_stop = on_stop

    def stop(self, timeout: float = STOP_TIMEOUT) -> bool:
        """Ask the thread to end and wait up to ``timeout`` seconds.

        Returns ``True`` when the thread has ended (or never started), ``False`` when
        it is still running after the timeout; that is logged once as a warning.
        Calling it again, or from the thread itself, is safe.
        """
        self.stopping.set()
        if self._on_stop is not None:
            try:
                self._on_stop()
            except Exception as exc:  # waking is best effort; the join below decides
                log.debug("%s: waking the thread to stop failed: %s", self.name, exc)
        if threading.current_thread() is self or not self.is_alive():
            return True
        self.join(timeout)
        if self.is_alive():
            log.warning("%s: did not stop within %.1f s; left running", self.name, timeout)
            return False
        return True

    def __repr__(self) -> str:
        state = "stopping" if self.stopping.is_set() else ("running" if self.is_alive() else "idle")
        return f"<{type(self).__name__} {self.name!r} {state}>"
