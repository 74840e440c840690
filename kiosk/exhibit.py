"""The one assembly of the exhibit: everything ``kiosk run`` runs, built from a config.

:class:`Exhibit` builds the parts and connects them — the story, the event bus,
the hardware (buttons and LED rings through a gpiozero pin factory, the handshake
sensor through a serial opener), the statistics recorder, the
:class:`~kiosk.app.App` on a display surface and the control socket — and closes
them again, in order, as a context manager.  ``kiosk run``, ``kiosk demo``, every
test harness and the bench build the exhibit here, so a test never passes on
wiring that production does not use.  What differs between them is injected: the
clocks, the pin factory, the serial opener, the display, and which parts exist
(a unit test of the loop needs no hardware, statistics or socket).

Reading the config and the story for the exhibit (with their fallbacks and the
problems they report) lives here too: :func:`read_config`, :func:`load_content`,
:func:`reloader`; and :func:`run_exhibit`, what ``kiosk run`` and ``kiosk demo`` do.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.content import ContentError, Story, load_story
from kiosk.exc import CommandError
from kiosk.settings import Config, config_path, load_config, load_startup_config
from kiosk.settings.tomlpos import Locator

if TYPE_CHECKING:
    import pygame

    from hardware import Hardware
    from kiosk.app import App
    from kiosk.control import ControlServer
    from kiosk.core.events import EventBus, ExhibitObserver
    from kiosk.render.fonts import FontBook
    from kiosk.scenes.context import IllustrationRenderer
    from kiosk.sdnotify import Notifier
    from kiosk.stats import StatsRecorder

log = logging.getLogger("kiosk")

Clock = Callable[[], float]
Reloader = Callable[[], tuple[Config, Story]]

#: Why no statistics are kept, in ``kiosk ctl status``, when ``[stats]`` turns them off.
STATS_OFF = "turned off in the config ([stats] enabled = false)"
#: The demo's window when the config names no size.
DEMO_SIZE = (1280, 720)


# -- the config and the story, as the exhibit reads them ------------------------------


def known_illustrations() -> set[str]:
    """Names of the illustrations drawn in code."""
    from kiosk.render.illustrations import ILLUSTRATIONS

    return set(ILLUSTRATIONS)


def read_config(
    path: str | Path | None,
    overrides: Mapping[str, object] | None = None,
    *,
    save: bool = False,
    problems: list[str] | None = None,
) -> Config:
    """The config in ``path`` (``None``: ``$KIOSK_CONFIG`` or the default), with
    ``overrides`` (settings given on the command line, nested ones as ``"sensor.port"``)
    applied.

    With ``save`` (``kiosk run``) a copy of a config that loads cleanly is kept, and
    the exhibit starts on that copy when the file no longer parses.  Problems are
    logged and, when ``problems`` is given, added to it.
    """
    config, found = load_startup_config(config_path(path), save=save)
    for problem in found:
        log.error("config: %s", problem)
    if found:
        log.error("config problems above were skipped; the other settings are in use")
    if problems is not None:
        problems.extend(str(p) for p in found)
    return with_overrides(config, overrides)


def with_overrides(config: Config, overrides: Mapping[str, object] | None) -> Config:
    """``config`` with settings given on the command line (nested ones as ``"sensor.port"``)."""
    for key, value in dict(overrides or {}).items():
        group, _, name = key.rpartition(".")  # "sensor.port": a nested setting
        if group:
            value = replace(attrgetter(group)(config), **{name: value})
            key = group
        config = replace(config, **{key: value})
    return config


def load_content(config: Config, problems: list[str] | None = None) -> Story:
    """The story from the configured folder; the bundled one if that is broken.

    A broken edit is logged with every problem (file, line, key) and the
    exhibit runs on the bundled text rather than going dark.  The problems,
    and that the bundled story is shown, are added to ``problems`` (for
    ``kiosk ctl status``).
    """
    names = known_illustrations()
    try:
        story = load_story(config.content_dir, names)
    except ContentError as exc:
        bundled = Config().content_dir
        if config.content_dir.resolve() == bundled.resolve():
            raise
        log.error(
            "story files in %s have problems; showing the bundled story instead:\n%s",
            config.content_dir,
            exc,
        )
        if problems is not None:
            problems.extend(str(p) for p in exc.problems)
            problems.append(
                f"{config.content_dir}: story: the problems above keep these story files off "
                f"the screen; the bundled story in {bundled} is shown instead (fix them, "
                "then: kiosk ctl reload)"
            )
        story = load_story(bundled, names)
    problem = language_problem(config, story)
    if problem:
        log.warning("config: %s", problem)
        if problems is not None:
            problems.append(problem)
    return story


def language_problem(config: Config, story: Story) -> str | None:
    """``FILE:LINE: exhibit.language: …`` when the story has no file in that language."""
    if config.language in story.codes:
        return None
    line = None
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = Path(config.source).read_text(encoding="utf-8")
        line = Locator(text).line("exhibit", "language")
    return (
        f"{config.source}{f':{line}' if line else ''}: exhibit.language: there is no "
        f"{config.language}.toml in {config.content_dir}, so visitors start in "
        f"{story.codes[0]} (the story has {', '.join(story.codes)})"
    )


def reloader(path: str | Path | None, overrides: Mapping[str, object] | None = None) -> Reloader:
    """What ``kiosk ctl reload`` and SIGHUP read: config and story, refused on any problem
    (:class:`~kiosk.exc.CommandError` listing every one)."""

    def reload() -> tuple[Config, Story]:
        config, problems = load_config(config_path(path))
        if problems:
            listed = "\n".join(str(p) for p in problems)
            raise CommandError(
                f"nothing reloaded: the config has {len(problems)} problem(s):\n{listed}"
            )
        config = with_overrides(config, overrides)  # read once: what was checked is used
        try:
            story = load_story(config.content_dir, known_illustrations())
        except ContentError as exc:
            raise CommandError(
                f"nothing reloaded: the story files have {len(exc.problems)} problem(s):\n{exc}"
            ) from None
        problem = language_problem(config, story)
        if problem:
            raise CommandError(f"nothing reloaded: the config has 1 problem(s):\n{problem}")
        return config, story

    return reload


# -- the exhibit ----------------------------------------------------------------------


class Exhibit:
    """One running exhibit: built from ``config`` in the constructor, closed by
    :meth:`close` (or the ``with`` block), every part in the reverse order of its start.

    ``story`` defaults to :func:`load_content` of the config.  ``surface`` is the
    screen to draw on (default: :func:`~kiosk.display.open_display` at the config's
    size, ``fullscreen`` or a window).  ``clock`` and ``wall_clock`` drive the app
    and the statistics; ``hardware_clock`` the buttons' debouncing and the sensor's
    heartbeat ages (default: ``clock``).

    Parts: ``hardware`` (default on) is :class:`hardware.Hardware` for the config's
    pins and sensor, on ``pin_factory`` (a gpiozero pin factory; default: the
    system's) and ``serial_opener(port, baudrate)`` (default: pyserial), with
    ``sensor`` overriding :class:`hardware.SensorConfig` fields.  ``stats`` (default
    on) records visits as ``[stats]`` says.  ``control`` starts the control socket
    (``control_options`` go to :class:`~kiosk.control.ControlServer`);
    ``control_group`` defaults to the config's.  ``demo`` is ``kiosk demo``: the
    buttons and lights on gpiozero's mock pins, a simulated handshake sensor on a
    pty gripped with the H key, no statistics, Esc quits (``allow_quit``).

    ``outputs``, ``observers``, ``status_sources`` and ``key_handlers`` add to the
    ones the parts bring; ``illustrate``, ``fonts``, ``notifier`` and ``reloader`` go
    to the app as they are.
    """

    def __init__(
        self,
        config: Config,
        story: Story | None = None,
        *,
        problems: Sequence[str] = (),
        surface: pygame.Surface | None = None,
        fullscreen: bool = False,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
        hardware_clock: Clock | None = None,
        hardware: bool = True,
        pin_factory: Any = None,
        serial_opener: Callable[[str, int], Any] | None = None,
        sensor: Mapping[str, object] | None = None,
        stats: bool = True,
        control: bool = False,
        control_group: str | None = "",
        control_options: Mapping[str, Any] | None = None,
        demo: bool = False,
        allow_quit: bool = False,
        bus: EventBus | None = None,
        outputs: Sequence[Callable[..., None]] = (),
        observers: Sequence[ExhibitObserver] = (),
        status_sources: Mapping[str, Callable[[], object]] | None = None,
        key_handlers: Mapping[str, Callable[[bool], None]] | None = None,
        illustrate: IllustrationRenderer | None = None,
        fonts: FontBook | None = None,
        notifier: Notifier | None = None,
        reloader: Reloader | None = None,
    ) -> None:
        import pygame

        from kiosk.app.loop import App, Clocks, Links, Look
        from kiosk.core.events import EventBus
        from kiosk.display import open_display
        from kiosk.inputs import ButtonLights
        from kiosk.stats import StatsRecorder, db_path

        self.config = config
        self.problems = list(problems)
        self.story = story if story is not None else load_content(config, self.problems)
        self.clock = clock
        self.bus = bus if bus is not None else EventBus()
        self.hardware: Hardware | None = None
        self.stats: StatsRecorder | None = None
        self.app: App | None = None
        self.control: ControlServer | None = None
        self.pin_factory = pin_factory
        self._closing = contextlib.ExitStack()
        self.closed = False
        try:
            closing = self._closing
            outputs, observers = list(outputs), list(observers)
            status_sources, key_handlers = dict(status_sources or {}), dict(key_handlers or {})
            if stats or demo:
                if demo:
                    recorder = StatsRecorder(
                        db_path(config.data_dir), enabled=False, reason="not recorded in the demo"
                    )
                else:
                    recorder = StatsRecorder(
                        db_path(config.data_dir),
                        idle_timeout=config.idle_timeout,
                        enabled=config.stats,
                        reason="" if config.stats else STATS_OFF,
                        clock=self.clock,
                    )
                self.stats = recorder
                closing.callback(recorder.close)
                observers.insert(0, recorder)
                status_sources.setdefault("stats", recorder.status)
            if hardware or demo:
                parts, keys = self._start_hardware(
                    hardware_clock or clock, serial_opener, dict(sensor or {}), demo
                )
                outputs.insert(0, ButtonLights(parts))
                status_sources = {"hardware": parts.status, **status_sources}
                key_handlers = {**keys, **key_handlers}
            if surface is None:
                size = config.size or (DEMO_SIZE if demo else None)
                surface = open_display(size, fullscreen=fullscreen)
                closing.callback(pygame.display.quit)
            self.app = App(
                surface,
                self.story,
                config,
                clocks=Clocks(clock, wall_clock),
                links=Links(
                    bus=self.bus,
                    outputs=outputs,
                    observers=observers,
                    status_sources=status_sources,
                    key_handlers=key_handlers,
                    allow_quit=allow_quit or demo,
                    notifier=notifier,
                    reloader=reloader,
                ),
                look=Look(illustrate, fonts),
                problems=self.problems,
            )
            if control:
                # The demo runs as whoever started it: the staff group is the exhibit's business.
                if demo:
                    control_group = None
                elif control_group == "":
                    control_group = config.control_group
                group = control_group or None
                self.control = self._start_control(group, dict(control_options or {}), demo)
        except BaseException:
            self.close()
            raise

    def _start_hardware(
        self,
        clock: Clock,
        serial_opener: Callable[[str, int], Any] | None,
        sensor: dict[str, object],
        demo: bool,
    ) -> tuple[Hardware, dict[str, Callable[[bool], None]]]:
        """The buttons, lights and sensor of the config (the demo's: mock pins, a
        simulated sensor on a pty gripped with H), started on the bus; and the keys
        that stand in for hardware (the demo's H)."""
        from hardware import GpioConfig, Hardware, SensorConfig
        from kiosk.inputs import InputMapping

        closing = self._closing
        config = self.config
        keys: dict[str, Callable[[bool], None]] = {}
        if demo:
            from gpiozero.pins.mock import MockFactory, MockPWMPin

            from hardware.sim import SimulatedSensor
            from kiosk.demo import DemoHand

            if self.pin_factory is None:
                self.pin_factory = MockFactory(pin_class=MockPWMPin)
                closing.callback(self.pin_factory.close)
            sim = closing.enter_context(SimulatedSensor())
            log.info("demo: simulated handshake sensor on %s", sim.path)
            gpio = GpioConfig()
            sensor_config = SensorConfig(port=sim.path, **sensor)
            hand = DemoHand(lambda: sim.grip(strength=80), sim.release)
            closing.callback(hand.close)
            keys["h"] = hand
        else:
            gpio = config.gpio
            sensor_config = replace(config.sensor, **sensor) if sensor else config.sensor
        parts = Hardware(
            gpio,
            sensor_config,
            clock=clock,
            pin_factory=self.pin_factory,
            serial_factory=serial_opener,
        )
        self.hardware = parts
        closing.callback(parts.close)
        parts.start(InputMapping(self.bus))
        return parts, keys

    def _start_control(
        self, group: str | None, options: dict[str, Any], demo: bool
    ) -> ControlServer | None:
        """The control socket for ``kiosk ctl``; the exhibit runs on without it if it fails."""
        from kiosk.control import ControlServer

        assert self.app is not None
        config = self.config
        server = ControlServer(config.control_socket, self.app.commands, group=group, **options)
        try:
            server.start()
        except OSError as exc:
            log.log(
                logging.INFO if demo else logging.WARNING,
                "no live control (kiosk ctl): cannot create %s: %s (see [control] in the config)",
                config.control_socket,
                exc,
            )
            return None
        self._closing.callback(server.close)
        return server

    # -- use ----------------------------------------------------------------------------

    @property
    def running(self) -> App:
        """The app (always there once the exhibit is built)."""
        assert self.app is not None
        return self.app

    def run(self) -> None:
        """Run the loop until quit or :meth:`stop` (``kiosk run``)."""
        with contextlib.suppress(KeyboardInterrupt):
            self.running.run()

    def stop(self) -> None:
        """End :meth:`run` soon (safe from a signal handler)."""
        self.running.stop()

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> Exhibit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop and release every part: the socket first, then the hardware's threads and
        pins, the statistics (their queue written out) and the display.  Idempotent."""
        if self.closed:
            return
        self.closed = True
        if self.app is not None:
            self.app.notifier.stopping()
        self._closing.close()


def run_exhibit(
    config: Config,
    reload: Reloader,
    *,
    fullscreen: bool,
    demo: bool,
    problems: list[str],
) -> int:
    """``kiosk run`` and ``kiosk demo``: build the exhibit and run it until stopped
    (SIGTERM, or Esc in the demo); SIGHUP reloads the config and the story."""
    import pygame

    from kiosk.sdnotify import Notifier

    try:
        with Exhibit(
            config,
            problems=problems,
            fullscreen=fullscreen,
            demo=demo,
            control=True,
            notifier=Notifier(),
            reloader=reload,
        ) as exhibit:

            def stop(signum: int, frame: object) -> None:
                log.info("stopping on signal %d", signum)
                exhibit.stop()

            handlers = {
                signal.SIGTERM: signal.signal(signal.SIGTERM, stop),
                signal.SIGHUP: signal.signal(
                    signal.SIGHUP, lambda signum, frame: exhibit.running.request_reload()
                ),
            }
            try:
                exhibit.run()
            finally:
                for signum, handler in handlers.items():
                    signal.signal(signum, handler)
    finally:
        pygame.quit()
    return 0
