"""The running exhibit: the loop (:mod:`kiosk.app.loop`), the staff commands
(:mod:`kiosk.app.commands`) and the status staff see (:mod:`kiosk.app.status`).

The loop's names are imported when first used, so that ``kiosk ctl``, which needs
only the command table, starts without pygame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.app.loop import (
        MAX_SLEEP,
        SAFE_SCREEN_RETRY,
        SLEEP_WAIT,
        App,
    )

__all__ = ["MAX_SLEEP", "SAFE_SCREEN_RETRY", "SLEEP_WAIT", "App"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kiosk.app import loop

        return getattr(loop, name)
    raise AttributeError(f"module 'kiosk.app' has no attribute {name!r}")
