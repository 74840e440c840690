"""The real exhibit, headless, on an injected clock: helpers for the reliability suite.

:func:`build_exhibit` wires what ``kiosk run`` wires (kiosk/cli.py ``_run_app``):
the real :class:`~kiosk.app.App` with the real story, a
:class:`~kiosk.stats.StatsRecorder` observing it, the real
:class:`~hardware.Hardware` with its buttons and LED rings on gpiozero's
``MockFactory`` pins, and one :class:`SimClock` as both the monotonic and the
wall clock.  :class:`LoopDriver` turns the exhibit's loop the way
:meth:`App.run <kiosk.app.App.run>` does, but in simulated time: a frame every
``1/fps`` while something moves, otherwise a wait of
:meth:`App.wait_timeout <kiosk.app.App.wait_timeout>` that an input cuts short.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pygame

from hardware import Hardware, SensorConfig
from kiosk.app import App, default_illustrator
from kiosk.content import Story
from kiosk.core.events import EventBus, InputEvent
from kiosk.core.flow import Page, Screen
from kiosk.inputs import ButtonLights, InputMapping
from kiosk.render.fonts import FontBook, find_fonts
from kiosk.renderer import Renderer
from kiosk.scenes.context import IllustrationRenderer, SceneContext
from kiosk.settings import Config, load_config
from kiosk.stats import StatsRecorder

STORY_DIR = Path(__file__).resolve().parents[2] / "assets" / "story"


class DrawnOnce:
    """The exhibit's illustrations (kiosk/render/illustrations.py), each drawn once.

    ``render_illustration`` is deterministic for a name, size and seed, so a
    picture drawn again is the same picture: this hands out a fresh copy of the
    first drawing.  The exhibit keeps only a few illustrations (three screens'
    worth) and draws the others again as visitors turn pages, about 0.2 s each at
    800×480; a simulated day would spend most of its time on that.  :meth:`prefill`
    draws every picture the story's pages ask for before the day begins, so memory
    measured during the day is the exhibit's own.
    """

    def __init__(self, draw: IllustrationRenderer | None = None) -> None:
        self._draw = draw or default_illustrator()
        self._drawn: dict[tuple[str, tuple[int, int], int], pygame.Surface] = {}

    def __call__(self, name: str, size: tuple[int, int], seed: int) -> pygame.Surface:
        """The illustration ``name`` at ``size`` (a new surface, as the real one is)."""
        key = (name, (int(size[0]), int(size[1])), seed)
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._drawn[key] = self._draw(name, size, seed)
        return drawn.copy()

    def prefill(self, story: Story, size: tuple[int, int], font_dir: Path) -> None:
        """Draw every page of ``story`` once at ``size`` with the real scenes."""
        fonts = FontBook(find_fonts([font_dir]))
        ctx = SceneContext(size=size, story=story, fonts=fonts, illustrate=self)
        renderer = Renderer(ctx)
        for code in story.codes:
            for _ in renderer.warm_up(code):
                pass
            for page in [Page(Screen.CHAPTER, i, code) for i in range(story.chapter_count)]:
                renderer.prepare(page)
            renderer.prepare(Page(Screen.CREDITS, 0, code))


#: The shortest turn of the loop (seconds): a step takes time of its own.
MIN_TURN = 1e-6
#: A wait shorter than this (seconds) is "no wait at all" for the busy-loop check.
BUSY_WAIT = 1e-3


class NotingBus(EventBus):
    """The real event bus, noting each put: what wakes the exhibit's waiting loop."""

    def __init__(self) -> None:
        super().__init__()
        self.nudged = False

    def put(self, event: InputEvent) -> None:
        """Queue ``event`` and wake the loop (as :class:`EventBus` does); note it."""
        self.nudged = True
        super().put(event)


class SimClock:
    """The exhibit's monotonic clock and its wall clock, moved together by the test.

    ``now`` is the monotonic time; the wall clock reads ``wall_at_start`` when
    ``now`` is ``start``.  Safe to read from other threads (the button ticker).
    """

    def __init__(self, start: float, wall_at_start: float) -> None:
        self.now = start
        self._offset = wall_at_start - start

    def monotonic(self) -> float:
        """The exhibit's ``clock``."""
        return self.now

    def wall(self) -> float:
        """The exhibit's ``wall_clock`` (Unix time)."""
        return self.now + self._offset

    def wall_at(self, now: float) -> float:
        """The wall-clock time when the monotonic clock reads ``now``."""
        return now + self._offset

    def at_wall(self, wall: float) -> float:
        """The monotonic time when the wall clock reads ``wall``."""
        return wall - self._offset

    def set(self, now: float) -> None:
        """Move both clocks on to ``now`` (never back)."""
        if now < self.now:
            raise ValueError(f"the clock cannot go back from {self.now} to {now}")
        self.now = now


@dataclass
class HeadlessExhibit:
    """The parts of a running kiosk, as ``kiosk run`` connects them."""

    app: App
    config: Config
    clock: SimClock
    bus: NotingBus
    hardware: Hardware
    pins: object  # the gpiozero MockFactory
    stats: StatsRecorder

    def button_pin(self, name: str):  # -> gpiozero MockPin
        """The mock pin of arcade button ``name`` (drive_low = pressed)."""
        return self.pins.pin(self.config.gpio.buttons.as_dict()[name])  # type: ignore[attr-defined]

    def forget_pin_history(self) -> None:
        """Empty the mock pins' recorded state changes (a test aid real pins do not keep)."""
        for pin in list(self.pins.pins.values()):  # type: ignore[attr-defined]
            pin.clear_states()


def write_config(folder: Path, extra: str = "", size: str = "800x480", fps: int = 30) -> Path:
    """A config file for a headless kiosk in ``folder`` (data, socket) plus ``extra`` TOML.

    ``extra`` may add any table but ``[display]``, ``[paths]``, ``[sensor]`` and
    ``[control]``, which this writes (``size`` and ``fps`` are parameters).
    """
    path = folder / "kiosk.toml"
    path.write_text(
        f"""\
[display]
size = "{size}"
fps = {fps}

[paths]
content = "{STORY_DIR}"
data = "{folder / "data"}"

[sensor]
enabled = false

[control]
socket = "{folder / "control.sock"}"

{extra}
""",
        encoding="utf-8",
    )
    return path


@contextlib.contextmanager
def build_exhibit(
    config_path: Path,
    story: Story,
    clock: SimClock,
    illustrate: IllustrationRenderer | None = None,
) -> Iterator[HeadlessExhibit]:
    """The kiosk of ``config_path`` on a dummy display, hardware on mock pins.

    ``illustrate`` draws the illustrations (default: the real code, e.g. through
    :class:`DrawnOnce`).
    The sensor is left out (``[sensor] enabled = false`` in :func:`write_config`):
    tests put its events on :attr:`HeadlessExhibit.bus` with ``source="serial"``.
    """
    from gpiozero.pins.mock import MockFactory, MockPWMPin

    config, problems = load_config(config_path)
    assert not problems, [str(p) for p in problems]
    pygame.display.init()
    screen = pygame.display.set_mode(config.size or (800, 480))
    if isinstance(illustrate, DrawnOnce):
        illustrate.prefill(story, screen.get_size(), config.font_dir)
    factory = MockFactory(pin_class=MockPWMPin)
    stats = StatsRecorder.from_config(config)
    bus = NotingBus()
    hardware = Hardware(
        config.gpio,
        SensorConfig(enabled=config.sensor.enabled),
        clock=clock.monotonic,
        pin_factory=factory,
    )
    hardware.start(InputMapping(bus))
    try:
        app = App(
            screen,
            story,
            config,
            clock=clock.monotonic,
            wall_clock=clock.wall,
            bus=bus,
            outputs=[ButtonLights(hardware)],
            status_sources={"hardware": hardware.status, "stats": stats.status},
            observers=[stats],
            illustrate=illustrate,
        )
        yield HeadlessExhibit(app, config, clock, bus, hardware, factory, stats)
    finally:
        stats.close()
        hardware.close()
        factory.close()
        pygame.display.quit()


@dataclass(order=True)
class _Happening:
    at: float
    order: int
    act: Callable[[], None] = field(compare=False)


class LoopDriver:
    """Runs the exhibit's loop as :meth:`App.run` does, with the world's events in between.

    The world is a time-ordered list of things that happen (a pin driven low, an
    event put on the bus by the sensor); the buttons' ticker thread is mirrored
    by polling :meth:`Hardware.poll <hardware.Hardware.poll>` at every debounce or
    chord deadline.  After each step the loop either draws the next frame
    ``1/fps`` later (``wait_timeout() is None``; pygame's ``Clock.tick`` pauses
    whatever happens) or waits up to ``wait_timeout()`` seconds, which an event
    put on the bus ends at once (``App.wait_for_input``); an event that came
    during a frame's pause ends the next wait at once.
    """

    #: Waits shorter than :data:`BUSY_WAIT` in a row before the loop counts as busy.
    SPIN_LIMIT = 50

    def __init__(self, exhibit: HeadlessExhibit) -> None:
        self.exhibit = exhibit
        self._world: list[_Happening] = []
        self._order = itertools.count()
        self.next_step = exhibit.clock.now
        self.drawing_frames = False
        self.steps = 0
        self._short_waits = 0
        self._feed: Iterator[tuple[float, Callable[[], None]]] = iter(())
        self._fed: _Happening | None = None
        self._fed_at = -math.inf

    def at(self, when: float, act: Callable[[], None]) -> None:
        """Let ``act`` happen in the world at ``when``."""
        heapq.heappush(self._world, _Happening(when, next(self._order), act))

    def feed(self, happenings: Iterable[tuple[float, Callable[[], None]]]) -> None:
        """Let a long series of things happen, in time order (read as the clock gets there)."""
        self._feed = iter(happenings)
        self._pull()

    def _pull(self) -> None:
        """Move the feed's next happening onto the world's list."""
        item = next(self._feed, None)
        if item is not None:
            if item[0] < self._fed_at:
                raise ValueError(f"the fed happenings go back in time at {item[0]}")
            self._fed_at = item[0]
            self._fed = _Happening(item[0], next(self._order), item[1])
            heapq.heappush(self._world, self._fed)

    def run_until(self, until: float) -> None:
        """Turn the loop up to ``until`` (the clock ends there)."""
        ex = self.exhibit
        clock = ex.clock
        while True:
            world_at = self._world[0].at if self._world else math.inf
            buttons = ex.hardware.buttons
            deadline = buttons.deadline() if buttons is not None else None
            poll_at = math.inf if deadline is None else deadline
            happens_at = min(world_at, poll_at)
            if happens_at <= min(self.next_step, until):
                clock.set(max(clock.now, happens_at))
                if poll_at <= world_at:
                    ex.hardware.poll()
                    if buttons is not None and buttons.deadline() == deadline:
                        raise AssertionError(f"the buttons' deadline {deadline} never passes")
                else:
                    happening = heapq.heappop(self._world)
                    if happening is self._fed:
                        self._pull()
                    happening.act()
                self._woken()
                continue
            if self.next_step > until:
                clock.set(until)
                return
            clock.set(self.next_step)
            self._step()

    def _woken(self) -> None:
        """An event on the bus ends a wait at once (a frame's pause runs its course)."""
        bus = self.exhibit.bus
        if bus.nudged and not self.drawing_frames:
            bus.nudged = False
            self.next_step = min(self.next_step, self.exhibit.clock.now)

    def _step(self) -> None:
        app = self.exhibit.app
        now = self.exhibit.clock.now
        app.step()
        self.steps += 1
        timeout = app.wait_timeout()
        if timeout is None:
            self.drawing_frames = True
            self.next_step = now + 1.0 / app.config.fps
            self._short_waits = 0
            return
        self.drawing_frames = False
        # Real time passes while the loop turns: a wait never ends in the same instant.
        self.next_step = now + max(timeout, MIN_TURN)
        self._short_waits = self._short_waits + 1 if timeout < BUSY_WAIT else 0
        if self._short_waits > self.SPIN_LIMIT:
            raise AssertionError(f"the loop is busy: {self.SPIN_LIMIT} waits of ~0 s at t={now}")
        self._woken()


@contextlib.contextmanager
def logged_problems(level: int = logging.WARNING) -> Iterator[list[logging.LogRecord]]:
    """Every record at ``level`` or worse from the ``kiosk`` and ``hardware`` loggers.

    (Like pytest's ``caplog``, but usable for a whole module's simulated day.)
    """
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level)
    loggers = [logging.getLogger("kiosk"), logging.getLogger("hardware")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
