"""The running exhibit: input in, flow forward, frames out; never a broken screen.

:class:`App` is the thin pygame shell around the pure :class:`~kiosk.flow.Flow`.
Every input source puts events on one :class:`~kiosk.events.EventBus`; the
keyboard is just one of them.  :meth:`App.step` does one turn of the loop with
the injected clock, so tests drive it frame by frame; :meth:`App.run` loops,
drawing only when something changed and sleeping until the next event or
deadline on a static page.

Any exception while handling input, updating or drawing is reported once to
the log and the exhibit falls back to the attract loop.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence

import pygame

from kiosk import __version__
from kiosk.config import Config
from kiosk.content import Story
from kiosk.errors import ErrorReporter
from kiosk.events import Action, EventBus, ExhibitState, InputEvent
from kiosk.flow import Flow, Page, Screen, Timings
from kiosk.keyboard import QUIT_KEYS, action_for
from kiosk.render import palette
from kiosk.render.fonts import FontBook, find_fonts
from kiosk.renderer import Renderer
from kiosk.scenes.context import IllustrationRenderer, SceneContext
from kiosk.scenes.docking import DockingScene
from kiosk.scenes.staff import draw_staff_overlay

log = logging.getLogger(__name__)

WAKE_EVENT = pygame.USEREVENT + 1
#: Longest sleep on a static page, so deadlines and signals are never late by much.
MAX_SLEEP = 0.25
#: The staff overlay's figures are refreshed this often (seconds) on a static page.
OVERLAY_REFRESH = 1.0

Output = Callable[[ExhibitState], None]


def default_illustrator() -> IllustrationRenderer:
    """The code-drawn illustrations (imported lazily: they are a large module)."""
    from kiosk.render.illustrations import render_illustration

    return render_illustration


class App:
    """One exhibit on one screen."""

    def __init__(
        self,
        screen: pygame.Surface,
        story: Story,
        config: Config,
        *,
        clock: Callable[[], float] = time.monotonic,
        bus: EventBus | None = None,
        outputs: Sequence[Output] = (),
        allow_quit: bool = False,
        illustrate: IllustrationRenderer | None = None,
        fonts: FontBook | None = None,
        key_handlers: Mapping[str, Callable[[bool], None]] | None = None,
        status_sources: Mapping[str, Callable[[], object]] | None = None,
    ) -> None:
        self.screen = screen
        self.story = story
        self.config = config
        self.clock = clock
        self.bus = bus or EventBus()
        self.outputs = list(outputs)
        self.allow_quit = allow_quit
        self.key_handlers = dict(key_handlers or {})
        self.status_sources = dict(status_sources or {})
        self.errors = ErrorReporter(log)
        self.running = True
        self.staff_overlay = False
        self.frames = 0
        self.started = clock()
        self._fps_window: list[float] = []
        now = self.started
        self.flow = Flow(
            story.chapter_count,
            story.dock_chapter,
            story.codes,
            config.language,
            Timings(
                idle_timeout=config.idle_timeout,
                docking_seconds=DockingScene.duration,
                credits_seconds=config.credits_seconds,
            ),
            now,
        )
        self.ctx = SceneContext(
            size=screen.get_size(),
            story=story,
            fonts=fonts or FontBook(find_fonts([config.font_dir])),
            illustrate=illustrate or default_illustrator(),
        )
        self.renderer = Renderer(self.ctx)
        self._snapshot: pygame.Surface | None = None
        self._overlay_drawn = float("-inf")
        self._overlay_opened = now
        self._dirty = True
        self._pending: list[pygame.event.Event] = []
        self._frame_clock = pygame.time.Clock()
        self._warm_up: Iterator[None] | None = self.renderer.warm_up(self.flow.language)
        self.bus.set_waker(self._wake)
        self._publish()

    # -- input ----------------------------------------------------------------

    def _wake(self) -> None:
        # A full queue means the loop is awake anyway.
        with contextlib.suppress(pygame.error):
            pygame.event.post(pygame.event.Event(WAKE_EVENT))

    def on_pygame_event(self, event: pygame.event.Event) -> None:
        """Turn a pygame event into exhibit input."""
        if event.type == pygame.QUIT:
            self.running = False
        elif event.type in (pygame.KEYDOWN, pygame.KEYUP):
            name = pygame.key.name(event.key)
            handler = self.key_handlers.get(name)
            if handler is not None:
                handler(event.type == pygame.KEYDOWN)
                return
            if event.type == pygame.KEYUP:
                return
            if self.allow_quit and name in QUIT_KEYS:
                self.running = False
                return
            action = action_for(name)
            if action is not None:
                self.bus.put(InputEvent(action, "keyboard"))

    def apply(self, event: InputEvent, now: float) -> None:
        """Apply one input event to the flow."""
        if event.action is Action.STAFF:
            self.staff_overlay = not self.staff_overlay
            self._overlay_opened = now
            self._overlay_drawn = float("-inf")
            self._dirty = True
            return
        before = self.flow.state
        self.flow.handle(event.action, now)
        if self.flow.state is not before:
            self._changed()

    # -- the loop ---------------------------------------------------------------

    def step(self) -> None:
        """One turn of the loop: read input, let time pass, draw if needed."""
        now = self.clock()
        events, self._pending = self._pending + pygame.event.get(), []
        try:
            for event in events:
                self.on_pygame_event(event)
            for item in self.bus.drain():
                self.apply(item, now)
            before = self.flow.state
            self.flow.tick(now)
            if self.flow.state is not before:
                self._changed()
            self._close_forgotten_overlay(now)
        except Exception as exc:
            self.recover(exc, "handling input", now)
        self.draw(now)
        self._warm_up_step(now)

    def _warm_up_step(self, now: float) -> None:
        """After a frame is shown, do one slice of the drawing that can be done ahead."""
        if self._warm_up is None or self.flow.transition_progress(now) < 1.0:
            return
        try:
            next(self._warm_up)
        except StopIteration:
            self._warm_up = None
        except Exception as exc:
            self._warm_up = None
            self.errors.report(exc, "drawing pictures ahead of time", now)

    def _close_forgotten_overlay(self, now: float) -> None:
        """Staff diagnostics never stay up for visitors: close after the idle timeout."""
        if not self.staff_overlay:
            return
        quiet_since = max(self._overlay_opened, self.flow.last_input)
        if now - quiet_since >= self.config.idle_timeout:
            self.staff_overlay = False
            self._dirty = True
            log.info("staff overlay closed after %.0f s without input", now - quiet_since)

    def draw(self, now: float) -> None:
        """Draw a frame if anything on screen changed or moves."""
        overlay_due = self.staff_overlay and now - self._overlay_drawn >= OVERLAY_REFRESH
        if not (self._dirty or self.flow.is_animating(now) or overlay_due):
            self._prepare_neighbours()
            return
        try:
            self._draw_frame(now)
        except Exception as exc:
            self.recover(exc, f"drawing the {self._describe()}", now)
            try:
                self._draw_frame(now)
            except Exception as again:
                self.errors.report(again, "drawing the attract loop after an error", now)
                self._draw_safe_screen()
        pygame.display.flip()
        self.frames += 1
        self._fps_window.append(now)
        if len(self._fps_window) > 60:
            del self._fps_window[0]

    def _draw_frame(self, now: float) -> None:
        self.renderer.draw(self.screen, self.flow, now, self._snapshot)
        if self.flow.transition_progress(now) >= 1.0:
            self._snapshot = None
            self._dirty = False
        if self.staff_overlay:
            draw_staff_overlay(self.ctx, self.screen, self.status(now))
            self._overlay_drawn = now

    def _draw_safe_screen(self) -> None:
        """Last resort: a calm plain screen with the title, drawn with the bundled font."""
        self.screen.fill(palette.SPACE_TOP)
        try:
            font = pygame.font.Font(None, max(24, self.screen.get_height() // 12))
            title = self.story.language(self.flow.default_language).ui["title"]
            image = font.render(title, True, palette.INK)
            self.screen.blit(image, image.get_rect(center=self.screen.get_rect().center))
        except Exception:
            log.exception("cannot draw even the plain title screen")

    def recover(self, exc: BaseException, context: str, now: float) -> None:
        """Report ``exc`` and go back to a fresh attract loop (overlay closed)."""
        self.errors.report(exc, context, now, recovered=True)
        self.staff_overlay = False
        self.flow.reset(now)
        self.renderer.reset()
        self._warm_up = self.renderer.warm_up(self.flow.language)
        self._snapshot = None
        self._dirty = True
        self._publish()

    def run(self) -> None:
        """Loop until quit: animate at the configured rate, sleep on static pages."""
        while self.running:
            self.step()
            now = self.clock()
            if self.flow.is_animating(now) or self._dirty:
                self._frame_clock.tick(self.config.fps)
                continue
            deadline = self.flow.next_deadline(now)
            timeout = MAX_SLEEP if deadline is None else min(MAX_SLEEP, deadline - now)
            event = pygame.event.wait(max(1, int(timeout * 1000)))
            if event.type != pygame.NOEVENT:
                self._pending.append(event)

    # -- helpers ----------------------------------------------------------------

    def _changed(self) -> None:
        self._snapshot = self.screen.copy()
        self._dirty = True
        self._publish()

    def _publish(self) -> None:
        state = self.flow.exhibit_state()
        for output in self.outputs:
            try:
                output(state)
            except Exception as exc:
                self.errors.report(exc, "updating the button lights", self.clock())

    def _prepare_neighbours(self) -> None:
        """While a visitor reads, draw the pages either side so turning is instant."""
        page = self.flow.state.page
        if page.screen is not Screen.CHAPTER:
            return
        for index in (page.chapter + 1, page.chapter - 1):
            if 0 <= index < self.flow.chapters:
                try:
                    self.renderer.prepare(Page(Screen.CHAPTER, index, page.language))
                except Exception as exc:
                    self.errors.report(exc, f"preparing chapter {index + 1}", self.clock())

    def _describe(self) -> str:
        page = self.flow.state.page
        if page.screen is Screen.CHAPTER:
            return f"chapter {page.chapter + 1} ({page.language})"
        return f"{page.screen.value} screen ({page.language})"

    def frame_rate(self) -> float:
        """Frames per second over the last frames drawn (0 on a static page)."""
        window = self._fps_window
        if len(window) < 2 or window[-1] == window[0]:
            return 0.0
        return (len(window) - 1) / (window[-1] - window[0])

    def status(self, now: float | None = None) -> dict[str, object]:
        """What staff see: version, screen, language, uptime, errors."""
        now = self.clock() if now is None else now
        page = self.flow.state.page
        status: dict[str, object] = {
            "version": __version__,
            "uptime_s": round(now - self.started, 1),
            "screen": page.screen.value,
            "chapter": page.chapter + 1 if page.screen is Screen.CHAPTER else None,
            "language": page.language,
            "frame_rate": round(self.frame_rate(), 1),
            "config": self.config.source,
            "chord_seconds": self.config.chord_seconds,
            "errors": [{"message": e.message, "count": e.count} for e in self.errors.recent()],
        }
        for name, source in self.status_sources.items():
            try:
                status[name] = source()
            except Exception as exc:
                status[name] = {"error": f"{type(exc).__name__}: {exc}"}
        return status
