"""What staff see of the running exhibit: ``kiosk ctl status`` and the staff overlay."""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

from kiosk import __version__
from kiosk.core.flow import Screen

if TYPE_CHECKING:
    from kiosk.app.loop import App

#: Frames older than this (seconds) no longer count in the frame rate.
FPS_WINDOW = 2.0


class FrameTimes:
    """When the last frames were shown, for the frame rate."""

    def __init__(self, window: float = FPS_WINDOW) -> None:
        self.window = window
        self._times: list[float] = []

    def add(self, now: float) -> None:
        """A frame was shown at ``now``."""
        self._times.append(now)
        self._forget(now)

    def _forget(self, now: float) -> None:
        times = self._times
        cut = 0
        while cut < len(times) and times[cut] < now - self.window:
            cut += 1
        del times[:cut]

    def rate(self, now: float) -> float:
        """Frames per second over the last :attr:`window` seconds (0 on a static page)."""
        self._forget(now)
        times = self._times
        if len(times) < 2 or times[-1] == times[0]:
            return 0.0
        return (len(times) - 1) / (times[-1] - times[0])


def report(app: App, now: float) -> dict[str, object]:
    """What staff see: version, screen, language, uptime, errors, sleep, and each of
    the app's status sources (hardware, statistics)."""
    page = app.flow.state.page
    sleep = app.sleep.status(app.wall_clock())
    status: dict[str, object] = {
        "version": __version__,
        "uptime_s": round(now - app.started, 1),
        "screen": "sleep" if app.asleep else page.screen.value,
        "chapter": page.chapter + 1 if page.screen is Screen.CHAPTER else None,
        "language": page.language,
        "frame_rate": round(app.frame_rate(now), 1),
        "config": app.config.source,
        "chord_seconds": app.config.gpio.chord_seconds,
        "errors": [{"message": e.message, "count": e.count} for e in app.errors.recent()],
        "problems": list(app.problems),
        "sleep": {
            "asleep": app.asleep,
            "reason": sleep.reason,
            "open": sleep.open,
            "until": local_time(sleep.until),
        },
        "pid": os.getpid(),
    }
    for name, source in app.status_sources.items():
        try:
            status[name] = source()
        except Exception as exc:
            status[name] = {"error": f"{type(exc).__name__}: {exc}"}
    return status


def local_time(wall: float | None) -> str | None:
    """A Unix time as local ISO time (minutes), for status."""
    if wall is None:
        return None
    return dt.datetime.fromtimestamp(wall).astimezone().isoformat(timespec="minutes")
