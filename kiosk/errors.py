"""Report unexpected exceptions to staff once, without flooding the log.

The first time a given failure (exception type and where it was raised)
happens its full traceback is logged; repeats are only counted, and a short
summary line is logged at most once a minute.  The most recent failures are
kept for the status report and the staff overlay.
"""

from __future__ import annotations

import logging
import traceback
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ErrorEntry:
    """One distinct failure, as staff see it."""

    signature: str
    message: str
    count: int
    first_seen: float
    last_seen: float


class ErrorReporter:
    """Logs each distinct exception's traceback once and counts repeats."""

    def __init__(self, logger: logging.Logger, keep: int = 10) -> None:
        self.log = logger
        self._entries: dict[str, ErrorEntry] = {}
        self._recent: deque[str] = deque(maxlen=keep)
        self._last_summary: dict[str, float] = {}

    @staticmethod
    def signature(exc: BaseException) -> str:
        """Exception type plus the innermost frame: the same bug gives the same signature."""
        frames = traceback.extract_tb(exc.__traceback__)
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
        return f"{type(exc).__name__} at {where}"

    def report(
        self, exc: BaseException, context: str, now: float, *, recovered: bool = False
    ) -> None:
        """Record ``exc`` raised while doing ``context`` (e.g. "drawing chapter 3").

        ``recovered``: the exhibit went back to the attract loop because of it.
        """
        sig = self.signature(exc)
        message = f"{context}: {type(exc).__name__}: {exc}"
        old = self._entries.get(sig)
        if old is None:
            self._entries[sig] = ErrorEntry(sig, message, 1, now, now)
            outcome = (
                "the exhibit went back to the attract loop" if recovered else "the exhibit runs on"
            )
            self.log.error("%s; %s", message, outcome, exc_info=exc)
        else:
            self._entries[sig] = ErrorEntry(sig, message, old.count + 1, old.first_seen, now)
            if now - self._last_summary.get(sig, old.first_seen) >= 60.0:
                self._last_summary[sig] = now
                self.log.error(
                    "%s (happened %d times; traceback logged once)", message, old.count + 1
                )
        if sig in self._recent:
            self._recent.remove(sig)
        self._recent.append(sig)

    def recent(self) -> list[ErrorEntry]:
        """The most recent distinct failures, newest last."""
        return [self._entries[s] for s in self._recent]

    @property
    def total(self) -> int:
        """How many failures were reported in all."""
        return sum(e.count for e in self._entries.values())
