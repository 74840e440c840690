"""The exhibit in this process, headless, for the in-process figures.

One :class:`Exhibit` is the real :class:`kiosk.app.App` (built by
:class:`kiosk.exhibit.Exhibit`, the assembly ``kiosk run`` uses) on SDL's dummy display
with the real story and artwork, driven by a :class:`BenchClock`: moved by hand
(``step`` at 1/fps, as the tests do) or following real time (for ``App.run``
and for frames paced at the real frame rate).  :func:`run_for` lets injected
time pass the way ``App.run`` does: a frame every 1/fps while something moves,
otherwise a turn of the loop at each of its wait timeouts.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import pygame

from bench.measure import FrameLog, reference_blit_ms, timed_step
from kiosk.app import App
from kiosk.content import Story, load_story
from kiosk.control import Request
from kiosk.core.events import Action, ExhibitObserver, InputEvent
from kiosk.core.flow import Screen
from kiosk.exhibit import Exhibit as KioskExhibit
from kiosk.settings import Config

REPO = Path(__file__).resolve().parent.parent
FULL_HD = (1920, 1080)
#: Longest a warm-up may take before the bench gives up (seconds of injected time).
WARM_UP_LIMIT = 600.0


@cache
def story() -> Story:
    """The real story shipped in assets/story (loaded once per process)."""
    from kiosk.render.illustrations import ILLUSTRATIONS

    return load_story(REPO / "assets" / "story", set(ILLUSTRATIONS))


def bench_config(size: tuple[int, int], **changes: object) -> Config:
    """The exhibit's defaults at ``size``, with an idle timeout that never fires
    during a measurement (a day) unless ``changes`` says otherwise."""
    settings: dict[str, object] = {"size": size, "idle_timeout": 86400.0, **changes}
    return replace(Config(), **settings)


class BenchClock:
    """The app's injected clock: moved by hand, or following real time.

    While :meth:`real_time` is active it runs at the rate of ``time.monotonic``
    from where it stood, so the flow's times stay continuous.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._offset: float | None = None

    def __call__(self) -> float:
        if self._offset is None:
            return self.now
        return time.monotonic() + self._offset

    def advance(self, seconds: float) -> float:
        """Move injected time on by ``seconds`` (not while following real time)."""
        if self._offset is not None:
            raise RuntimeError("the clock follows real time")
        self.now += seconds
        return self.now

    @contextlib.contextmanager
    def real_time(self) -> Iterator[None]:
        """Follow real time inside the block; stand still again at its end."""
        self._offset = self.now - time.monotonic()
        try:
            yield
        finally:
            self.now = self()
            self._offset = None


@dataclass
class Exhibit:
    """The app, its clock and its log of presented frames."""

    app: App
    clock: BenchClock
    frames: FrameLog
    reference_ms: float
    warm_up_s: float = 0.0
    frame_times: list[float] = field(default_factory=list)

    @property
    def size(self) -> tuple[int, int]:
        """The screen size."""
        return self.app.surface.get_size()

    @property
    def fps(self) -> int:
        """The configured frame rate."""
        return self.app.config.fps

    def page(self) -> tuple[Screen, int]:
        """The screen and chapter the flow shows now."""
        page = self.app.flow.state.page
        return page.screen, page.chapter

    def press(self, action: Action, source: str = "gpio") -> None:
        """Put a visitor's input on the bus (the next step applies it)."""
        self.app.bus.put(InputEvent(action, source))

    def step(self) -> float | None:
        """One turn of the loop now; its frame time in ms, if it presented one."""
        took = timed_step(self.app.step, self.frames)
        if took is not None:
            self.frame_times.append(took)
        return took

    def in_transition(self) -> bool:
        """Whether a page transition is running at the clock's time."""
        return self.app.flow.transition_progress(self.clock()) < 1.0

    def run_for(
        self, seconds: float, record: Callable[[float, Exhibit], None] | None = None
    ) -> None:
        """Let ``seconds`` of injected time pass as ``App.run`` would.

        ``record(frame_ms, exhibit)`` is called after each presented frame (the
        exhibit's clock still at that frame's time).
        """
        end = self.clock.now + seconds
        while True:
            took = self.step()
            if took is not None and record is not None:
                record(took, self)
            timeout = self.app.wait_timeout()
            gap = 1 / self.fps if timeout is None else max(0.001, timeout)
            if self.clock.now + gap > end:
                self.clock.now = max(self.clock.now, end)
                return
            self.clock.advance(gap)

    def settle(self, record: Callable[[float, Exhibit], None] | None = None) -> None:
        """Step at 1/fps until the page transition has finished (one frame at least)."""
        while True:
            took = self.step()
            if took is not None and record is not None:
                record(took, self)
            if not self.in_transition():
                return
            self.clock.advance(1 / self.fps)

    def finish_warm_up(self) -> None:
        """Step on the attract loop until the pictures drawn ahead are all done."""
        start = time.perf_counter()
        limit = self.clock.now + WARM_UP_LIMIT
        while self.app._warm_up is not None:  # the app's own progress; nothing public says it
            if self.clock.now > limit:
                raise RuntimeError("the app's warm-up did not finish")
            self.step()
            self.clock.advance(1 / self.fps)
        self.warm_up_s += time.perf_counter() - start


def open_screen(size: tuple[int, int]) -> pygame.Surface:
    """The dummy display at ``size`` (its reference blit measured right away)."""
    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.get_surface()
    if screen is None or screen.get_size() != size:
        screen = pygame.display.set_mode(size)
    reference_blit_ms(size)
    return screen


def make_exhibit(
    size: tuple[int, int],
    *,
    config: Config | None = None,
    observers: list[ExhibitObserver] | None = None,
    warm: bool = True,
) -> Exhibit:
    """The app at ``size`` on a hand-moved clock, its frames logged, warmed up
    (attract pictures, docking layers, first chapter) unless ``warm`` is False."""
    screen = open_screen(size)
    clock = BenchClock()
    app = KioskExhibit(
        config or bench_config(size),
        story(),
        surface=screen,
        clock=clock,
        wall_clock=lambda: 1.8e9 + clock(),
        hardware=False,
        stats=False,
        observers=observers or (),
    ).running
    log = FrameLog(lambda: (app.flow.state.page, app.flow.transition_progress(clock())))
    log.__enter__()
    exhibit = Exhibit(app, clock, log, reference_blit_ms(size))
    if warm:
        exhibit.finish_warm_up()
    return exhibit


def close_exhibit(exhibit: Exhibit) -> None:
    """Stop logging frames (the display stays open for the next exhibit)."""
    exhibit.frames.__exit__(None, None, None)


def go_to_attract(exhibit: Exhibit) -> None:
    """Back to the attract loop, as a visitor would leave it (Back from chapter 1)."""
    if exhibit.page()[0] is not Screen.ATTRACT:
        staff(exhibit, "goto", "1")
        exhibit.press(Action.BACK)
        exhibit.settle()


def staff(exhibit: Exhibit, cmd: str, arg: str | None = None) -> dict[str, object]:
    """Run a staff command (as ``kiosk ctl`` would) on the app's thread, now."""
    app = exhibit.app
    reply = app.execute(Request(cmd, arg), exhibit.clock(), app.wall_clock())
    if not reply.get("ok"):
        raise RuntimeError(f"staff command {cmd} {arg or ''} refused: {reply.get('error')}")
    return reply
