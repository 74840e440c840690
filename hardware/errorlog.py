"""Keeps the last few hardware warnings for the staff overlay."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque


class RecentErrors(logging.Handler):
    """A logging handler that remembers the last ``size`` WARNING-or-worse messages."""

    def __init__(self, size: int = 10) -> None:
        super().__init__(logging.WARNING)
        self._items: deque[dict[str, object]] = deque(maxlen=size)
        self._items_lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        """Store the formatted message with its wall-clock time."""
        try:
            text = record.getMessage()
        except Exception:
            text = str(record.msg)
        item = {
            "time": time.strftime("%H:%M:%S", time.localtime(record.created)),
            "level": record.levelname,
            "message": text,
        }
        with self._items_lock:
            self._items.append(item)

    def items(self) -> list[dict[str, object]]:
        """Oldest first."""
        with self._items_lock:
            return list(self._items)
