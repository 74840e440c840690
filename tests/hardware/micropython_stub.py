"""A stub of MicroPython's ``micropython`` module for ``hardware/firmware/main.py``.

``KBD_INTR`` records every ``kbd_intr(chr)`` call (``-1`` disables Ctrl-C).
"""

from __future__ import annotations

KBD_INTR: list[int] = []


def kbd_intr(chr: int) -> None:
    KBD_INTR.append(chr)


def clear() -> None:
    KBD_INTR.clear()
