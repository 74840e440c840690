"""Find the handshake sensor's serial port when none is configured."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from serial.tools import list_ports

log = logging.getLogger(__name__)

BY_ID_DIR = "/dev/serial/by-id"


def parse_usb_id(text: str) -> tuple[int, int]:
    """Parse ``"2E8A:0005"`` into ``(0x2E8A, 0x0005)``; raises ``ValueError``."""
    vid, sep, pid = text.partition(":")
    if not sep:
        raise ValueError(f"USB id {text!r} is not VID:PID")
    return int(vid, 16), int(pid, 16)


def find_sensor_port(
    usb_ids: Sequence[str],
    by_id_patterns: Sequence[str],
    *,
    by_id_dir: str = BY_ID_DIR,
    comports: Callable[[], Iterable[Any]] = list_ports.comports,
) -> str | None:
    """Return the path of the sensor, or ``None`` if it is not plugged in.

    Prefers a stable ``/dev/serial/by-id/`` link whose name contains one of
    ``by_id_patterns`` (case-insensitive); otherwise the first port reported by
    ``comports()`` whose USB VID:PID is in ``usb_ids``.  Never raises.
    """
    try:
        names = sorted(os.listdir(by_id_dir))
    except OSError:
        names = []
    lowered = [p.lower() for p in by_id_patterns]
    for name in names:
        if any(p in name.lower() for p in lowered):
            return os.path.join(by_id_dir, name)
    wanted = set()
    for text in usb_ids:
        try:
            wanted.add(parse_usb_id(text))
        except ValueError:
            log.warning("ignoring malformed sensor USB id %r in the configuration", text)
    try:
        ports = list(comports())
    except Exception as exc:  # list_ports reads sysfs; be defensive
        log.debug("could not list serial ports: %s", exc)
        return None
    for port in sorted(ports, key=lambda p: p.device):
        if (getattr(port, "vid", None), getattr(port, "pid", None)) in wanted:
            return str(port.device)
    return None


def describe_search(usb_ids: Sequence[str], by_id_patterns: Sequence[str]) -> str:
    """Human-readable account of where :func:`find_sensor_port` looked."""
    pats = ", ".join(repr(p) for p in by_id_patterns) or "none"
    ids = ", ".join(usb_ids) or "none"
    return f"no {BY_ID_DIR} entry matching {pats} and no USB serial device with id {ids}"
