"""The running exhibit: input in, flow forward, frames out; never a broken screen.

:class:`App` is the thin pygame shell around the pure :class:`~kiosk.core.flow.Flow`.
Every input source puts events on one :class:`~kiosk.core.events.EventBus`; the
keyboard is just one of them.  :meth:`App.step` does one turn of the loop with
the injected clock, so tests drive it frame by frame; :meth:`App.run` loops,
drawing only when something changed and sleeping until the next event or
deadline on a static page.

Any exception while handling input, updating or drawing is reported once to
the log and the exhibit falls back to the attract loop.

Staff commands from the control socket (:mod:`kiosk.control`) wait in a
:class:`~kiosk.control.CommandQueue` and run here, on the main thread, at the
start of a step; visitor-like ones (next, back, dock, lang) go through the bus
as ``InputEvent(source="staff")``.  Outside opening hours, or after ``sleep``,
the screen is black and the loop only wakes for input, commands and the next
change of the schedule (:mod:`kiosk.core.sleep`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import attrgetter
from pathlib import Path, PurePath

import pygame

from kiosk import __version__
from kiosk.content import Story
from kiosk.control import (
    COMMANDS,
    CommandError,
    CommandQueue,
    Pending,
    Request,
    error,
    ok,
    where,
)
from kiosk.core.events import Action, EventBus, ExhibitObserver, ExhibitState, InputEvent
from kiosk.core.flow import Flow, FlowState, Page, Screen, Timings
from kiosk.core.sleep import Press, SleepPolicy
from kiosk.docking.scene import DockingScene
from kiosk.errors import ErrorReporter
from kiosk.keyboard import QUIT_KEYS, action_for
from kiosk.memory import release_free_memory
from kiosk.power import DisplayPower
from kiosk.render import palette
from kiosk.render.fonts import FontBook, find_fonts
from kiosk.renderer import Renderer, Snapshot
from kiosk.scenes.context import IllustrationRenderer, SceneContext
from kiosk.scenes.staff import draw_staff_overlay
from kiosk.sdnotify import Notifier
from kiosk.settings import Config
from kiosk.sound import SoundPlayer

log = logging.getLogger(__name__)

#: Longest sleep on a static page, so deadlines and signals are never late by much.
MAX_SLEEP = 0.25
#: The staff overlay's figures are refreshed this often (seconds) on a static page.
OVERLAY_REFRESH = 1.0
#: How often SDL's queue (keyboard, window) is looked at while waiting on a still page.
SDL_POLL = 0.05
#: Longest wait while asleep: signals (SIGTERM, SIGHUP) are handled within this.
SLEEP_WAIT = 1.0
#: The sleep state is re-checked at least this often, in case the wall clock jumps.
SLEEP_RECHECK = 60.0
#: Frames older than this (seconds) no longer count in the frame rate.
FPS_WINDOW = 2.0
#: When even the attract loop cannot be drawn, the plain title screen stays up this
#: long (seconds) before the attract loop is tried again (not at every frame).
SAFE_SCREEN_RETRY = 30.0
#: Settings that only take effect when the kiosk restarts: (name in the reload reply,
#: the Config attribute holding it).
RESTART_FIELDS = (
    ("size", "size"),
    ("serial_port", "sensor.port"),
    ("gpio", "gpio.enabled"),
    ("sensor", "sensor.enabled"),
    ("button_pins", "gpio.buttons"),
    ("led_pins", "gpio.leds"),
    ("bounce_ms", "gpio.bounce_ms"),
    ("chord_seconds", "gpio.chord_seconds"),
    ("data_dir", "data_dir"),
    ("control_socket", "control_socket"),
    ("control_group", "control_group"),
    ("stats", "stats"),
)

Output = Callable[[ExhibitState], None]
Reloader = Callable[[], tuple[Config, Story]]
Deferred = Callable[[], object]


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
        wall_clock: Callable[[], float] = time.time,
        observers: Sequence[ExhibitObserver] = (),
        notifier: Notifier | None = None,
        reloader: Reloader | None = None,
        problems: Sequence[str] = (),
    ) -> None:
        self.screen = screen
        self.story = story
        self.config = config
        self.clock = clock
        self.wall_clock = wall_clock
        self.bus = bus or EventBus()
        self.outputs = list(outputs)
        self.observers = list(observers)
        self.notifier = notifier or Notifier({})
        self.reloader = reloader
        #: Problems found in the config and story at start-up or the last reload
        #: (``FILE:LINE: key: message``), shown in ``kiosk ctl status`` and the overlay.
        self.problems = [*problems, *(str(p) for p in story.skipped)]
        self._nudge = threading.Event()
        self.commands = CommandQueue(self._wake)
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
        self.flow = self._make_flow(story, config, now)
        self.ctx = SceneContext(
            size=screen.get_size(),
            story=story,
            fonts=fonts or FontBook(find_fonts([config.font_dir])),
            illustrate=illustrate or default_illustrator(),
            sound=SoundPlayer(config.volume, config.mute),
        )
        self.renderer = Renderer(self.ctx, quick_start=True)
        self._snapshot: Snapshot | None = None
        self._overlay_drawn = float("-inf")
        self._overlay_opened = now
        self._dirty = True
        #: The plain title screen is up since frame ``[1]``; try attract again at ``[0]``.
        self._safe_screen: tuple[float, int] | None = None
        self._pending: list[pygame.event.Event] = []
        self._frame_clock = pygame.time.Clock()
        self._warm_up: Iterator[None] | None = self.renderer.warm_up(self.flow.language)
        self.sleep = SleepPolicy(config.hours, config.wake_seconds)
        self.asleep = False
        self._sleep_check = float("-inf")  # wall time to look at the sleep state again
        self._sleep_drawn = False
        self._reload_requested = False
        self._deferred: list[tuple[Pending, Deferred]] = []
        self.display_power = DisplayPower(clock=clock)
        self.bus.set_waker(self._wake)
        self._publish()
        self._update_sleep(now, wall_clock())
        if not self.asleep:  # after a restart the display may still be off
            self.display_power.run("display_on_command", config.display_on_command)

    @staticmethod
    def _make_flow(story: Story, config: Config, now: float) -> Flow:
        return Flow(
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

    # -- input ----------------------------------------------------------------

    def _wake(self) -> None:
        """Wake the loop from any thread: input, a staff command, a signal."""
        self._nudge.set()  # the waiting loop blocks on this, not on SDL

    def stop(self) -> None:
        """End :meth:`run` soon (safe from a signal handler)."""
        self.running = False
        self._nudge.set()

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
        """Apply one input event to the flow (observers hear of it first)."""
        wall = self.wall_clock()
        for observer in self.observers:
            try:
                observer.on_input(event, wall)
            except Exception as exc:
                self.errors.report(exc, f"telling {type(observer).__name__} of an input", now)
        if event.action is Action.STAFF:
            self.staff_overlay = not self.staff_overlay
            self._overlay_opened = now
            self._overlay_drawn = float("-inf")
            self._dirty = True
            return
        before = self.flow.state
        code = event.detail.get("language")
        if event.action is Action.LANGUAGE and isinstance(code, str):
            select_language(self.flow, code, now)
        else:
            self.flow.handle(event.action, now)
        if self.flow.state is not before:
            self._changed()

    def _input(self, event: InputEvent, now: float, wall: float) -> None:
        """One event from the bus: applied, or (while asleep) a wake-up or nothing."""
        if event.action is Action.HANDSHAKE_END:
            if not self.asleep:
                self.apply(event, now)
            return
        verdict = self.sleep.press(wall)
        if verdict is Press.APPLY:
            if self.asleep:  # the hours have just opened: wake first, then act
                self._sleep_check = float("-inf")
                self._update_sleep(now, wall)
            self.apply(event, now)
            return
        self._sleep_check = float("-inf")  # look again: the press may have woken it
        if verdict is Press.WOKE:
            log.info("woken by a visitor (%s) for %.0f s", event.source, self.sleep.wake_seconds)

    # -- the loop ---------------------------------------------------------------

    def step(self) -> None:
        """One turn of the loop: staff commands, input, time, sleep; draw if needed."""
        now = self.clock()
        wall = self.wall_clock()
        events, self._pending = self._pending + pygame.event.get(), []
        try:
            self._run_commands(now, wall)
        except Exception as exc:  # each command handles its own; this is a last guard
            self.errors.report(exc, "running staff commands", now)
        try:
            for event in events:
                self.on_pygame_event(event)
            for item in self.bus.drain():
                self._input(item, now, wall)
            self._update_sleep(now, wall)
            if not self.asleep:
                before = self.flow.state
                self.flow.tick(now)
                if self.flow.state is not before:
                    self._changed()
                self._close_forgotten_overlay(now)
        except Exception as exc:
            self.recover(exc, "handling input", now)
        self._answer_deferred()
        if self.asleep:
            self._draw_sleep()
        else:
            self.draw(now)
            self._warm_up_step(now)
        self.display_power.pump()
        self.notifier.watchdog()

    def _warm_up_step(self, now: float) -> None:
        """After a frame is shown, do one slice of the drawing that can be done ahead."""
        if self._warm_up is None or self.flow.transition_progress(now) < 1.0:
            return
        try:
            next(self._warm_up)
        except StopIteration:
            self._warm_up = None
            release_free_memory()
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
        if self._resting_on_safe_screen(now):
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
                self._safe_screen = (now + SAFE_SCREEN_RETRY, self.frames + 1)
        pygame.display.flip()
        self.frames += 1
        self._fps_window.append(now)
        self._forget_old_frames(now)
        if not self.notifier.ready_sent:
            self.notifier.ready(self._status_line())

    def _draw_frame(self, now: float) -> None:
        docking = self.renderer.scenes.get(Screen.DOCKING)
        if isinstance(docking, DockingScene):  # the visitor's grip, where it leads
            docking.follow(self.flow.state)
        self.renderer.draw(self.screen, self.flow, now, self._snapshot)
        if self.flow.transition_progress(now) >= 1.0:
            self._snapshot = None
            self._dirty = False
        if self.staff_overlay:
            draw_staff_overlay(self.ctx, self.screen, self.status(now))
            self._overlay_drawn = now
            self.renderer.invalidate()

    def _resting_on_safe_screen(self, now: float) -> bool:
        """Whether the plain title screen is still the last frame shown and the attract
        loop, which failed, is not to be tried again yet."""
        if self._safe_screen is None:
            return False
        retry_at, frame = self._safe_screen
        return (
            now < retry_at
            and frame == self.frames
            and self.flow.state.page.screen is Screen.ATTRACT
            and not self.staff_overlay
        )

    def _draw_safe_screen(self) -> None:
        """Last resort: a calm plain screen with the title, drawn with the bundled font."""
        self.renderer.invalidate()
        self.screen.fill(palette.SPACE_TOP)
        try:
            font = pygame.font.Font(None, max(24, self.screen.get_height() // 12))
            title = self.story.language(self.flow.default_language).ui["title"]
            image = font.render(title, True, palette.INK)
            self.screen.blit(image, image.get_rect(center=self.screen.get_rect().center))
        except Exception:
            log.exception("cannot draw even the plain title screen")

    def recover(self, exc: BaseException, context: str, now: float) -> None:
        """Report ``exc`` and go back to a fresh attract loop (overlay closed, silent)."""
        self.errors.report(exc, context, now, recovered=True)
        self.staff_overlay = False
        if self.ctx.sound is not None:  # a chime of the failed docking must not ring on
            self.ctx.sound.stop()
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
            timeout = self.wait_timeout()
            if timeout is None:
                self._frame_clock.tick(self.config.fps)
                continue
            self.wait_for_input(timeout)

    def wait_for_input(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for something to do, keeping the CPU idle.

        pygame's ``event.wait`` looks at SDL every millisecond (a few percent of a
        core on a still page), so the loop blocks on a plain event instead: buttons,
        the sensor, staff commands and signals set it from their threads.  SDL's own
        queue (a keyboard, the window) is looked at every :data:`SDL_POLL` seconds
        while awake; asleep, when the wait ends (within :data:`SLEEP_WAIT`).
        """
        end = time.monotonic() + timeout
        while True:
            remaining = end - time.monotonic()
            if remaining <= 0:
                return
            if self._nudge.wait(remaining if self.asleep else min(remaining, SDL_POLL)):
                self._nudge.clear()
                return
            if not self.asleep and pygame.event.peek():  # a key or window event waits
                return

    def wait_timeout(self) -> float | None:
        """How long the loop may wait for input now; None: the next frame is due."""
        if self.asleep:
            return min(SLEEP_WAIT, max(0.0, self._sleep_check - self.wall_clock()))
        now = self.clock()
        if self.flow.is_animating(now) or self._dirty:
            return None
        deadline = self.flow.next_deadline(now)
        return MAX_SLEEP if deadline is None else max(0.0, min(MAX_SLEEP, deadline - now))

    # -- sleep and wake ---------------------------------------------------------

    def _update_sleep(self, now: float, wall: float) -> None:
        """Go to sleep or wake up when the opening hours, staff or a visitor say so."""
        if wall < self._sleep_check:
            return
        status = self.sleep.status(wall)
        recheck = wall + SLEEP_RECHECK
        self._sleep_check = recheck if status.until is None else min(status.until, recheck)
        if status.asleep and not self.asleep:
            self._fall_asleep(now, status.reason)
        elif not status.asleep and self.asleep:
            self._wake_up(now, status.reason)

    def _fall_asleep(self, now: float, reason: str) -> None:
        log.info("going to sleep: %s", reason)
        self.asleep = True
        self.staff_overlay = False
        self.flow.reset(now)
        self._snapshot = None
        self._sleep_drawn = False
        self.display_power.run("display_off_command", self.config.display_off_command)
        self._publish()

    def _wake_up(self, now: float, reason: str) -> None:
        log.info("waking up: %s", reason)
        self.asleep = False
        self.display_power.run("display_on_command", self.config.display_on_command)
        self.flow.reset(now)
        self._snapshot = None
        self._dirty = True
        self._publish()

    def _draw_sleep(self) -> None:
        """A black screen, once; then nothing is drawn until the exhibit wakes."""
        if self._sleep_drawn:
            return
        self._sleep_drawn = True
        self.renderer.invalidate()
        self.screen.fill((0, 0, 0))
        pygame.display.flip()
        self.frames += 1
        if not self.notifier.ready_sent:
            self.notifier.ready(self._status_line())

    def wait_for_display_commands(self, timeout: float) -> None:
        """Run the queued display commands to the end (at exit, and in tests)."""
        self.display_power.wait(timeout)

    # -- staff commands (kiosk ctl, SIGHUP) ---------------------------------------

    def request_reload(self) -> None:
        """Ask for a reload at the next step (safe from a signal handler)."""
        self._reload_requested = True
        self._wake()

    def _run_commands(self, now: float, wall: float) -> None:
        """Run the staff commands waiting in the queue (on this, the main, thread)."""
        if self._reload_requested:
            self._reload_requested = False
            try:
                reply = self.execute(Request("reload"), now, wall)
            except Exception as exc:  # execute already reports; never crash on SIGHUP
                self.errors.report(exc, "reloading on SIGHUP", now)
                reply = error(f"{type(exc).__name__}: {exc}")
            if reply["ok"]:
                log.info("reloaded on SIGHUP: %s", reply["result"])
            else:
                log.error("reload on SIGHUP refused: %s", reply["error"])
        for pending in self.commands.drain():
            if not pending.claim():
                continue  # its client stopped waiting: never run a command late
            request = pending.request
            try:
                result = self._command(request, now, wall)
            except CommandError as exc:
                if request.cmd == "reload":  # the journal says why an edit is not shown
                    log.error("reload (kiosk ctl) refused: %s", exc)
                pending.resolve(error(str(exc), request))
                continue
            except Exception as exc:
                self.errors.report(exc, f"running the staff command {request.cmd}", now)
                pending.resolve(error(f"{type(exc).__name__}: {exc}", request))
                continue
            if callable(result):
                self._deferred.append((pending, result))
            else:
                pending.resolve(ok(result, request))

    def execute(self, request: Request, now: float, wall: float) -> dict[str, object]:
        """Run one command now and return its reply (main thread only)."""
        try:
            result = self._command(request, now, wall)
            if callable(result):
                for item in self.bus.drain():
                    self._input(item, now, wall)
                self._update_sleep(now, wall)
                result = result()
        except CommandError as exc:
            return error(str(exc), request)
        except Exception as exc:
            self.errors.report(exc, f"running the staff command {request.cmd}", now)
            return error(f"{type(exc).__name__}: {exc}", request)
        return ok(result, request)

    def _answer_deferred(self) -> None:
        """Reply to commands whose effect needed the bus drained first."""
        deferred, self._deferred = self._deferred, []
        for pending, finish in deferred:
            try:
                pending.resolve(ok(finish(), pending.request))
            except Exception as exc:
                cmd = pending.request.cmd
                self.errors.report(exc, f"answering the staff command {cmd}", self.clock())
                pending.resolve(error(f"{type(exc).__name__}: {exc}", pending.request))

    def _command(self, request: Request, now: float, wall: float) -> object:
        """Do one staff command; return its result, or a function giving it later."""
        cmd, arg = request.cmd, request.arg
        if cmd not in COMMANDS:
            raise CommandError(f"unknown command {cmd!r}")
        if cmd == "status":
            return self.status(now)
        if cmd == "reload":
            try:
                return self._reload(now, wall)
            except CommandError:
                raise
            except Exception as exc:
                self.errors.report(exc, "reloading the config and story", now)
                raise CommandError(
                    f"nothing reloaded: {type(exc).__name__}: {exc} (the exhibit shows what "
                    "it showed before; details in journalctl -u kiosk)"
                ) from None
        if cmd == "screenshot":
            return self._screenshot(arg or "")
        if cmd in ("sleep", "wake"):
            (self.sleep.sleep if cmd == "sleep" else self.sleep.wake)(wall)
            self._sleep_check = float("-inf")
            return self._summary
        if self.asleep:
            reason = self.sleep.status(wall).reason
            raise CommandError(f"the kiosk is asleep ({reason}); wake it first: kiosk ctl wake")
        if cmd == "goto":
            self.flow.go_to_chapter(self._chapter_index(arg or ""), now)
            self._changed()
            return self._summary()
        if cmd == "lang":
            code = (arg or "").strip().lower()
            if code not in self.story.codes:
                raise CommandError(
                    f"no language {arg!r}; the story has: {', '.join(self.story.codes)}"
                )
            self.bus.put(InputEvent(Action.LANGUAGE, "staff", {"language": code}))
            return self._summary
        if cmd == "dock" and not (
            self.flow.can_dock() or self.flow.state.page.screen is Screen.DOCKING
        ):
            raise CommandError(self._dock_refusal())
        action = {"next": Action.NEXT, "back": Action.BACK, "dock": Action.DOCK}[cmd]
        self.bus.put(InputEvent(action, "staff"))
        return self._summary

    def _dock_refusal(self) -> str:
        """Why Dock does nothing here, and where it does."""
        where = ["the attract loop"]
        if self.flow.dock_chapter is not None:
            where.append(f"chapter {self.flow.dock_chapter + 1}")
        hint = (
            f"kiosk ctl goto {self.flow.dock_chapter + 1}" if len(where) > 1 else "kiosk ctl back"
        )
        return f"Dock works only on {' and '.join(where)}, as for visitors; try: {hint}"

    def _summary(self) -> dict[str, object]:
        """Where the exhibit is now: the reply to next, back, goto, dock, lang, sleep, wake."""
        page = self.flow.state.page
        if self.asleep:
            return {"screen": "sleep", "reason": self.sleep.status(self.wall_clock()).reason}
        return {
            "screen": page.screen.value,
            "chapter": page.chapter + 1 if page.screen is Screen.CHAPTER else None,
            "language": page.language,
        }

    def _chapter_index(self, arg: str) -> int:
        """``3`` or a chapter id → a 0-based index; refuse anything else precisely."""
        text = arg.strip()
        count = self.story.chapter_count
        if text.isdigit():
            number = int(text)
            if not 1 <= number <= count:
                raise CommandError(f"chapter {number} does not exist (1–{count})")
            return number - 1
        chapters = self.story.language(self.flow.language).chapters
        for index, chapter in enumerate(chapters):
            if chapter.id == text:
                return index
        ids = ", ".join(c.id for c in chapters)
        raise CommandError(f"no chapter {text!r}: give a number 1–{count} or an id ({ids})")

    def _reload(self, now: float, wall: float) -> dict[str, object]:
        """Re-read config and story; on any problem keep everything as it is.

        Everything new (flow, fonts, scenes) is built first and only then swapped
        in, so a failure part-way leaves the old config and story showing.
        """
        if self.reloader is None:
            raise CommandError("reload is not available in this kiosk (no config to reload)")
        config, story = self.reloader()  # raises CommandError with every problem
        old_config, state = self.config, self.flow.state
        restart = [
            name
            for name, path in RESTART_FIELDS
            if attrgetter(path)(old_config) != attrgetter(path)(config)
        ]
        flow = self._make_flow(story, config, now)
        keep_place(flow, state, story, now)
        fonts = self.ctx.fonts
        if config.font_dir != old_config.font_dir:
            fonts = FontBook(find_fonts([config.font_dir]))
        sound = self.ctx.sound
        ctx = SceneContext(
            size=self.screen.get_size(),
            story=story,
            fonts=fonts,
            illustrate=self.ctx.illustrate,
            sound=sound,
        )
        renderer = Renderer(ctx, quick_start=True)
        warm_up = renderer.warm_up(flow.language)
        snapshot = self.renderer.snapshot(self.screen)
        # -- nothing above changed the running exhibit; swap everything in at once --
        self.config, self.story, self.flow = config, story, flow
        self.ctx, self.renderer, self._warm_up = ctx, renderer, warm_up
        self._snapshot = snapshot
        self.problems = [str(p) for p in story.skipped]
        self.sleep.configure(config.hours, config.wake_seconds)
        self._sleep_check = float("-inf")
        self._dirty = True
        if sound is not None:
            sound.configure(config.volume, config.mute)
        for observer in self.observers:
            on_config = getattr(observer, "on_config", None)
            if callable(on_config):
                try:
                    on_config(config)
                except Exception as exc:
                    name = type(observer).__name__
                    self.errors.report(exc, f"telling {name} of the new config", now)
        self._update_sleep(now, wall)
        self._publish()
        log.info(
            "reloaded config %s and the story in %s%s",
            config.source,
            config.content_dir,
            f" (restart needed for: {', '.join(restart)})" if restart else "",
        )
        return {
            "config": config.source,
            "story": str(config.content_dir),
            "languages": list(story.codes),
            "chapters": story.chapter_count,
            "restart_needed": restart,
        }

    def screenshot_path(self, name: str) -> Path:
        """Where ``screenshot NAME`` writes: a relative name under ``<data_dir>/screenshots``.

        An absolute path is accepted only inside the data dir: under systemd the
        service's /tmp and /home are private (PrivateTmp, ProtectHome), so a file
        written there would never be seen by staff.  A relative name may not climb
        out of ``<data_dir>/screenshots``; the file must end in ``.png``.
        """
        path = PurePath(name.strip())
        if not path.name or path.suffix.lower() != ".png":
            raise CommandError(f"give a file name ending in .png, got {name!r}")
        shots = Path(self.config.data_dir).absolute() / "screenshots"
        if path.is_absolute():
            inside = Path(os.path.normpath(path))
            data_dir = Path(os.path.normpath(Path(self.config.data_dir).absolute()))
            if not inside.is_relative_to(data_dir):
                raise CommandError(
                    f"screenshots are saved under {shots} (other folders are private to the "
                    f"kiosk service, so staff would never see the file): give a name such as "
                    f"{path.name}, got {name!r}"
                )
            return inside
        if ".." in path.parts:
            raise CommandError(f"a relative file name may not contain '..', got {name!r}")
        return shots / path

    def _screenshot(self, name: str) -> dict[str, object]:
        """Save what is on screen now as a PNG (written whole, then renamed into place)."""
        path = self.screenshot_path(name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.stem}.partial.png")
            pygame.image.save(self.screen, str(partial))
            os.chmod(partial, 0o640)
            os.replace(partial, path)
        except (OSError, pygame.error) as exc:
            raise CommandError(f"cannot write {path}: {exc}") from None
        return {"file": str(path), "size": list(self.screen.get_size())}

    # -- helpers ----------------------------------------------------------------

    def _changed(self) -> None:
        self._snapshot = self.renderer.snapshot(self.screen)
        self._dirty = True
        self._publish()

    def exhibit_state(self) -> ExhibitState:
        """What the outputs and observers see: the flow's state, or "sleep"."""
        if self.asleep:
            return ExhibitState(
                screen="sleep",
                can_back=False,
                can_next=False,
                can_dock=False,
                language=self.flow.default_language,
            )
        return self.flow.exhibit_state()

    def _publish(self) -> None:
        state = self.exhibit_state()
        for output in self.outputs:
            try:
                output(state)
            except Exception as exc:
                self.errors.report(exc, "updating the button lights", self.clock())
        wall = self.wall_clock()
        for observer in self.observers:
            try:
                observer.on_state(state, wall)
            except Exception as exc:
                name = type(observer).__name__
                self.errors.report(exc, f"telling {name} the screen changed", self.clock())
        self.notifier.status(self._status_line())

    def _status_line(self) -> str:
        """One line for ``systemctl status``, as ``kiosk ctl`` words it ("" if that fails:
        it is sent at every change of screen and with READY, so it must never raise)."""
        try:
            return where(self._summary())
        except Exception as exc:
            self.errors.report(exc, "wording the status for systemd", self.clock())
            return ""

    def _prepare_neighbours(self) -> None:
        """While a visitor reads, draw what one press could show next, so that
        turning is instant: one page per call (the loop is idle between calls), and
        the credits in this language, where a docking leads (kept drawn)."""
        language = self.flow.state.page.language
        wanted = [(page, False) for page in self.flow.pages_one_press_away()]
        wanted.append((Page(Screen.CREDITS, 0, language), True))
        for page, keep in wanted:
            try:
                drawn = self.renderer.prepare(page, keep=keep)
            except Exception as exc:
                self.errors.report(exc, f"drawing ahead the {page.screen.value} page", self.clock())
                continue
            if drawn:
                release_free_memory()
                return

    def _describe(self) -> str:
        page = self.flow.state.page
        if page.screen is Screen.CHAPTER:
            return f"chapter {page.chapter + 1} ({page.language})"
        return f"{page.screen.value} screen ({page.language})"

    def _forget_old_frames(self, now: float) -> None:
        window = self._fps_window
        cut = 0
        while cut < len(window) and window[cut] < now - FPS_WINDOW:
            cut += 1
        del window[:cut]

    def frame_rate(self, now: float | None = None) -> float:
        """Frames per second over the last :data:`FPS_WINDOW` seconds (0 on a static page)."""
        self._forget_old_frames(self.clock() if now is None else now)
        window = self._fps_window
        if len(window) < 2 or window[-1] == window[0]:
            return 0.0
        return (len(window) - 1) / (window[-1] - window[0])

    def status(self, now: float | None = None) -> dict[str, object]:
        """What staff see: version, screen, language, uptime, errors."""
        now = self.clock() if now is None else now
        page = self.flow.state.page
        wall = self.wall_clock()
        sleep = self.sleep.status(wall)
        status: dict[str, object] = {
            "version": __version__,
            "uptime_s": round(now - self.started, 1),
            "screen": "sleep" if self.asleep else page.screen.value,
            "chapter": page.chapter + 1 if page.screen is Screen.CHAPTER else None,
            "language": page.language,
            "frame_rate": round(self.frame_rate(now), 1),
            "config": self.config.source,
            "chord_seconds": self.config.gpio.chord_seconds,
            "errors": [{"message": e.message, "count": e.count} for e in self.errors.recent()],
            "problems": list(self.problems),
            "sleep": {
                "asleep": self.asleep,
                "reason": sleep.reason,
                "open": sleep.open,
                "until": _local_time(sleep.until),
            },
            "pid": os.getpid(),
        }
        for name, source in self.status_sources.items():
            try:
                status[name] = source()
            except Exception as exc:
                status[name] = {"error": f"{type(exc).__name__}: {exc}"}
        return status


def keep_place(flow: Flow, state: FlowState, story: Story, now: float) -> None:
    """After a reload, show on the new ``flow`` what the visitor saw: their language,
    their chapter, or the credits (a docking under way restarts at the attract loop)."""
    page = state.page
    if page.language in story.codes:
        select_language(flow, page.language, now)
    if page.screen is Screen.CHAPTER and page.chapter < story.chapter_count:
        flow.go_to_chapter(page.chapter, now)
    elif page.screen is Screen.CREDITS:
        flow.go_to_chapter(story.chapter_count - 1, now)
        flow.handle(Action.NEXT, now)  # Next on the last chapter: the credits


def select_language(flow: Flow, code: str, now: float) -> None:
    """Switch ``flow`` to language ``code`` as the Language button would (staff ``lang``)."""
    for _ in flow.languages:
        if flow.language == code:
            return
        flow.handle(Action.LANGUAGE, now)


def _local_time(wall: float | None) -> str | None:
    """A Unix time as local ISO time (minutes), for status."""
    if wall is None:
        return None
    return dt.datetime.fromtimestamp(wall).astimezone().isoformat(timespec="minutes")
