"""What the host knows about the handshake sensor, for the staff overlay and status."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class SensorState:
    """Mutable sensor state, shared by the reader thread and the supervisor.

    Counters only ever grow.  Use :meth:`snapshot` to read a consistent copy.
    """

    connected: bool = False
    port: str | None = None
    firmware: str | None = None
    protocol: int | None = None
    hands: int = 1
    device_id: str | None = None
    last_heartbeat: float | None = None
    levels: tuple[int, ...] = ()
    gripping: tuple[bool, ...] = ()
    lines: int = 0
    garbage: int = 0
    bad_checksum: int = 0
    overlong: int = 0
    unknown: int = 0
    device_errors: int = 0
    connects: int = 0
    reconnects: int = 0
    last_error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, reason: str) -> None:
        """Add one to the counter named ``reason`` (``garbage``, ``bad_checksum``, …)."""
        with self.lock:
            setattr(self, reason, getattr(self, reason) + 1)

    def update(self, **changes: object) -> None:
        """Set several fields at once under the lock."""
        with self.lock:
            for key, value in changes.items():
                setattr(self, key, value)

    def snapshot(self, clock: Callable[[], float]) -> dict[str, object]:
        """Return a JSON-serialisable copy; ``heartbeat_age`` is seconds or ``None``."""
        with self.lock:
            age = None if self.last_heartbeat is None else round(clock() - self.last_heartbeat, 3)
            return {
                "connected": self.connected,
                "port": self.port,
                "firmware": self.firmware,
                "protocol": self.protocol,
                "hands": self.hands,
                "device_id": self.device_id,
                "heartbeat_age": age,
                "levels": list(self.levels),
                "gripping": list(self.gripping),
                "lines": self.lines,
                "garbage": self.garbage,
                "bad_checksum": self.bad_checksum,
                "overlong": self.overlong,
                "unknown": self.unknown,
                "device_errors": self.device_errors,
                "connects": self.connects,
                "reconnects": self.reconnects,
                "last_error": self.last_error,
            }
