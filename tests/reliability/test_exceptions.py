"""Exceptions anywhere: a fault injected into any part of the running exhibit.

The whole exhibit runs in the test process as ``kiosk run`` wires it (the real
:class:`~kiosk.app.App` on SDL's dummy driver, the real button lights on gpiozero's
``MockFactory``, the real statistics recorder on SQLite, the real control socket),
on an injected clock stepped at the configured frame rate.  pytest-mock wraps one
real function at a time in a :class:`Fault` that raises :class:`InjectedFault` when
armed and otherwise calls through, so the exhibit is driven to the scene where the
fault fires exactly as a visitor would drive it.

For a fault in drawing or input handling the exhibit must be back in a working
attract loop within one second of kiosk time (frames coming, the attract picture on
screen pixel for pixel, no staff overlay, button lights and sound as on the attract
loop).  A fault beside the visitor's path (the button lights, the statistics
observer, a staff command, pictures drawn ahead) must leave the visitor where they
were.  Either way the traceback is logged once, and the same fault repeated many
times is only counted.
"""

from __future__ import annotations

import copy
import logging
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pygame
import pytest
from gpiozero.pins.mock import MockFactory, MockPWMPin

import kiosk.app.loop
import kiosk.renderer
from hardware import Hardware, LedMode
from hardware.leds import LedPanel
from kiosk.app import App
from kiosk.content import Story
from kiosk.control import ControlServer, send_command
from kiosk.core.events import Action, EventBus, InputEvent
from kiosk.core.flow import Flow, Page, Screen
from kiosk.demo import DemoHand
from kiosk.docking import timeline as docking_timeline
from kiosk.docking.scene import DockingScene
from kiosk.docking.text import DockingText
from kiosk.exhibit import Exhibit
from kiosk.inputs import led_modes
from kiosk.keyboard import action_for
from kiosk.render.fonts import FontBook, find_fonts
from kiosk.render.palette import INK, SPACE_TOP
from kiosk.renderer import Scene
from kiosk.scenes.attract import BACKGROUNDS, AttractScene
from kiosk.scenes.chapter import ChapterScene
from kiosk.scenes.compositor import Compositor
from kiosk.scenes.context import IllustrationRenderer, SceneContext
from kiosk.scenes.credits import CreditsScene
from kiosk.settings import Config
from kiosk.sound import DockingCues
from kiosk.stats import StatsRecorder
from tests.conftest import FakeClock
from tests.support.illustrations import DrawnOnce

pytestmark = pytest.mark.reliability

#: Small enough to draw quickly, 16:9 like the museum's screens.
SIZE = (640, 360)
IDLE_TIMEOUT = 30.0
#: How soon a visitor must see a working exhibit again (kiosk time).
RECOVERY_SECONDS = 1.0
#: Kiosk time between repeats of a fault, so the log's once-a-minute summary is exercised.
REPEAT_SPACING = 20.0
#: An upper bound for waiting on real threads (the control socket), never a measurement.
DEADLINE = 10.0


class InjectedFault(RuntimeError):
    """The exception these tests inject (the kiosk never raises it by itself)."""


class Fault:
    """A real callable that raises :class:`InjectedFault` the next ``armed`` times."""

    def __init__(self, name: str, real: Callable[..., object]) -> None:
        self.name = name
        self.real = real
        self.armed = 0
        self.fired = 0

    def arm(self, times: int = 1) -> None:
        """Fail the next ``times`` calls (a huge number: a persistent fault)."""
        self.armed = times

    def __call__(self, *args: object, **kwargs: object) -> object:
        if self.armed > 0:
            self.armed -= 1
            self.fired += 1
            raise InjectedFault(f"injected into {self.name}")
        return self.real(*args, **kwargs)


@dataclass
class RunningExhibit:
    """The exhibit as ``kiosk run`` assembles it, in this process, on ``clock``."""

    app: App
    clock: FakeClock
    hardware: Hardware
    stats: StatsRecorder
    control: ControlServer
    reference: SceneContext
    _scenes: dict[Screen, Scene] = field(default_factory=dict)

    @property
    def fps(self) -> int:
        """The configured frame rate: the clock moves by one frame per step."""
        return self.app.config.fps

    @property
    def page(self) -> Page:
        """What the flow shows now."""
        return self.app.flow.state.page

    def frame(self) -> None:
        """One turn of the loop, one frame later."""
        self.clock.advance(1.0 / self.fps)
        self.app.step()

    def run_for(self, seconds: float) -> None:
        """Turn the loop at the frame rate for ``seconds`` of kiosk time."""
        end = self.clock() + seconds
        while self.clock() < end:
            self.frame()

    def press(self, *keys: int) -> None:
        """Keys pressed together (the keyboard stands for the buttons), then one frame."""
        for key in keys:
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=""))
        self.frame()

    def settle(self) -> None:
        """Let the page transition finish (the visitor reads; one turn of the loop)."""
        self.wait(self.app.flow.timings.transition_seconds + 1.0 / self.fps)

    def wait(self, seconds: float) -> None:
        """Let kiosk time pass in one jump (nobody touches the exhibit meanwhile)."""
        self.clock.advance(seconds)
        self.app.step()

    def staff(self, cmd: str, arg: str | None = None) -> dict[str, object]:
        """Send a staff command over the real control socket while the loop turns."""
        replies: list[dict[str, object]] = []
        client = threading.Thread(
            target=lambda: replies.append(
                send_command(self.control.path, cmd, arg, group="", timeout=DEADLINE)
            )
        )
        client.start()
        end = time.monotonic() + DEADLINE
        while client.is_alive() and time.monotonic() < end:
            self.frame()
            client.join(0.002)
        assert replies, f"no reply to {cmd}"
        return replies[0]

    def picture_of(self, page: Page, t: float) -> pygame.Surface:
        """``page`` at ``t`` as a separate, fault-free set of scenes draws it."""
        kinds = {
            Screen.ATTRACT: AttractScene,
            Screen.CHAPTER: ChapterScene,
            Screen.CREDITS: CreditsScene,
        }
        scene = self._scenes.get(page.screen)
        if scene is None:
            scene = self._scenes[page.screen] = kinds[page.screen](self.reference)
        surface = pygame.Surface(SIZE)
        scene.draw(surface, page, t)
        return surface

    def shows(self, page: Page) -> bool:
        """Whether the screen shows ``page`` (as the frame just drawn would show it)."""
        state = self.app.flow.state
        t = self.clock() - state.entered_at
        expected = self.picture_of(page, t)
        shown = pygame.image.tobytes(self.app.surface, "RGB")
        return shown == pygame.image.tobytes(expected, "RGB")

    def lights(self) -> dict[str, LedMode]:
        """What the four LED rings do now."""
        assert self.hardware.leds is not None
        return dict(self.hardware.leds.modes)


@pytest.fixture(scope="module")
def illustrate() -> IllustrationRenderer:
    """The exhibit's own code-drawn illustrations, each drawn once for all these tests
    (every recovery draws the pictures again, which would make the tests slow, not
    more thorough); each use gets a copy, as a fresh drawing would be."""
    return DrawnOnce()


@pytest.fixture
def exhibit(
    story: Story, clock: FakeClock, tmp_path: Path, pygame_ready, illustrate: IllustrationRenderer
) -> Iterator:
    """A running exhibit; its pieces are torn down in the order ``kiosk run`` uses."""
    run_dir = Path(tempfile.mkdtemp(prefix="kiosk-exc-"))  # socket paths must be short
    pygame.display.init()
    screen = pygame.display.set_mode(SIZE)
    config = Config(
        idle_timeout=IDLE_TIMEOUT,
        data_dir=tmp_path / "data",
        control_socket=run_dir / "control.sock",
    )
    bus = EventBus()
    factory = MockFactory(pin_class=MockPWMPin)
    hand = DemoHand(
        lambda: bus.put(InputEvent(Action.HANDSHAKE, "serial")),
        lambda: bus.put(InputEvent(Action.HANDSHAKE_END, "serial")),
        clock=clock,
    )
    built = Exhibit(
        config,
        story,
        surface=screen,
        clock=clock,
        hardware_clock=time.monotonic,
        pin_factory=factory,
        sensor={"enabled": False},
        control=True,
        control_group=None,
        bus=bus,
        key_handlers={"h": hand},
        illustrate=illustrate,
    )
    assert built.hardware is not None and built.stats is not None and built.control is not None
    app, hardware, stats, control = built.running, built.hardware, built.stats, built.control
    fonts = FontBook(find_fonts([config.font_dir]))
    reference = SceneContext(SIZE, story, fonts, illustrate)
    running = RunningExhibit(app, clock, hardware, stats, control, reference)
    yield running
    built.close()
    factory.close()
    hand.close()
    pygame.display.quit()
    shutil.rmtree(run_dir, ignore_errors=True)


# -- where faults are injected, and how the visitor gets there ------------------------------


def on_attract(exhibit: RunningExhibit) -> None:
    """The attract loop, as after start-up."""
    exhibit.settle()


def on_chapter(number: int) -> Callable[[RunningExhibit], None]:
    """Reading chapter ``number`` (1-based), reached with Next."""

    def drive(exhibit: RunningExhibit) -> None:
        for _ in range(number):
            exhibit.press(pygame.K_RIGHT)
            exhibit.settle()

    return drive


def just_arrived_on_chapter_one(exhibit: RunningExhibit) -> None:
    """Next pressed a moment ago: the page is fading in, its neighbours not drawn yet."""
    exhibit.press(pygame.K_RIGHT)


def on_last_chapter(exhibit: RunningExhibit) -> None:
    """The last chapter, reached by staff (``kiosk ctl goto N``)."""
    reply = exhibit.staff("goto", str(exhibit.app.story.chapter_count))
    assert reply["ok"], reply
    exhibit.settle()


def docking_from(scene: int, then: float = 0.0) -> Callable[[RunningExhibit], None]:
    """The docking started on the attract loop, Dock pressed ``scene`` times to skip
    ahead to the start of a later scene, then ``then`` seconds watched."""

    def drive(exhibit: RunningExhibit) -> None:
        exhibit.press(pygame.K_RETURN)
        for _ in range(scene):
            exhibit.press(pygame.K_RETURN)
        exhibit.run_for(then)

    return drive


def nothing(exhibit: RunningExhibit) -> None:
    """Straight after start-up: the pictures are still being drawn ahead."""


@dataclass(frozen=True)
class Injection:
    """One place a fault is injected: ``owner.attribute`` (looked up when the test runs).

    ``setup`` drives the exhibit there with the fault disarmed; ``keys`` (pressed
    together) or ``staff`` (a command over the socket) make the faulty code run, or
    else the next frames do.  ``repeatable``: the same way leads there again later.
    """

    id: str
    target: Callable[[RunningExhibit], tuple[object, str]]
    setup: Callable[[RunningExhibit], None]
    keys: tuple[int, ...] = ()
    staff: tuple[str, str | None] | None = None
    repeatable: bool = True
    lights_broken: bool = False


RECOVERING = [
    Injection("attract-draw", lambda x: (AttractScene, "draw"), on_attract),
    Injection("chapter-draw", lambda x: (ChapterScene, "draw"), on_attract, (pygame.K_RIGHT,) * 2),
    Injection("credits-draw", lambda x: (CreditsScene, "draw"), on_last_chapter, (pygame.K_RIGHT,)),
    Injection("docking-draw", lambda x: (DockingScene, "draw"), on_attract, (pygame.K_RETURN,)),
    Injection(
        "docking-timeline-frame",
        lambda x: (docking_timeline, "frame_at"),
        on_attract,
        (pygame.K_RETURN,),
    ),
    Injection(
        "docking-follow-grip", lambda x: (DockingScene, "follow"), on_attract, (pygame.K_RETURN,)
    ),
    Injection(
        "docking-compositor", lambda x: (Compositor, "frame"), on_attract, (pygame.K_RETURN,)
    ),
    Injection(
        "docking-telemetry-text",
        lambda x: (DockingText, "telemetry"),
        on_attract,
        (pygame.K_RETURN,),
    ),
    Injection(
        "docking-footer-text", lambda x: (DockingText, "footer"), on_attract, (pygame.K_RETURN,)
    ),
    Injection(
        "docking-exterior-layers",
        lambda x: (DockingScene, "_exterior"),
        docking_from(0),
        (pygame.K_RETURN,),
    ),
    Injection(
        "docking-interior-layers",
        lambda x: (DockingScene, "_interior"),
        docking_from(1),
        (pygame.K_RETURN,),
    ),
    Injection(
        "docking-eclipse-layers",
        lambda x: (DockingScene, "_eclipse"),
        docking_from(3, then=5.3),  # 55 s + 5.3 s: the eclipse begins at 60.5 s
    ),
    Injection("docking-sound-cues", lambda x: (DockingCues, "follow"), docking_from(0, then=0.5)),
    Injection(
        "staff-overlay-draw",
        lambda x: (kiosk.app.loop, "draw_staff_overlay"),
        on_attract,
        (pygame.K_F12,),
    ),
    Injection(
        "page-transition", lambda x: (kiosk.renderer, "ease"), on_chapter(1), (pygame.K_RIGHT,)
    ),
    Injection("app-apply-input", lambda x: (App, "apply"), on_chapter(3), (pygame.K_RIGHT,)),
    Injection("flow-handle-press", lambda x: (Flow, "handle"), on_chapter(3), (pygame.K_LEFT,)),
    Injection("flow-tick", lambda x: (Flow, "tick"), on_chapter(3)),
    Injection(
        "keyboard-event", lambda x: (App, "on_pygame_event"), on_chapter(3), (pygame.K_RIGHT,)
    ),
    Injection(
        "key-handler-demo-hand", lambda x: (DemoHand, "__call__"), on_chapter(3), (pygame.K_h,)
    ),
]

RUNNING_ON = [
    Injection(
        "button-lights-output", lambda x: (x.app, "outputs"), on_chapter(1), (pygame.K_RIGHT,)
    ),
    Injection(
        "led-rings",
        lambda x: (LedPanel, "show"),
        on_chapter(1),
        (pygame.K_RIGHT,),
        lights_broken=True,
    ),
    Injection(
        "stats-observer-on-input",
        lambda x: (StatsRecorder, "on_input"),
        on_chapter(1),
        (pygame.K_RIGHT,),
    ),
    Injection(
        "stats-observer-on-state",
        lambda x: (StatsRecorder, "on_state"),
        on_chapter(1),
        (pygame.K_RIGHT,),
    ),
    Injection(
        "staff-command-goto", lambda x: (Flow, "go_to_chapter"), on_chapter(1), staff=("goto", "5")
    ),
    Injection("staff-command-next", lambda x: (App, "press"), on_attract, staff=("next", None)),
    Injection(  # Back on the attract loop changes nothing: the reply is worded afterwards
        "staff-command-reply", lambda x: (App, "place"), on_attract, staff=("back", None)
    ),
    Injection(  # at every change of screen (and with READY=1): must never stop the exhibit
        "systemd-status-line", lambda x: (kiosk.app.loop, "where"), on_chapter(1), (pygame.K_RIGHT,)
    ),
    Injection(
        "docking-layers-drawn-ahead",
        lambda x: (DockingScene, "_build_arms"),
        nothing,
        repeatable=False,
    ),
    Injection(
        "next-chapter-drawn-ahead", lambda x: (ChapterScene, "draw"), just_arrived_on_chapter_one
    ),
]


def wrap(mocker, owner: object, attribute: str, name: str) -> Fault:
    """Wrap ``owner.attribute`` in a disarmed :class:`Fault` called ``name`` (pytest-mock
    undoes it).  A list (the app's outputs) has its first callable wrapped."""
    real = getattr(owner, attribute)
    if isinstance(real, list):
        fault = Fault(name, real[0])
        mocker.patch.object(owner, attribute, [fault, *real[1:]])
    else:
        fault = Fault(name, real)
        mocker.patch.object(owner, attribute, autospec=True, side_effect=fault)
    return fault


def inject(mocker, exhibit: RunningExhibit, injection: Injection) -> Fault:
    """A disarmed fault at ``injection``'s place in ``exhibit``."""
    return wrap(mocker, *injection.target(exhibit), injection.id)


def trigger(exhibit: RunningExhibit, injection: Injection, fault: Fault) -> dict | None:
    """Arm ``fault`` and do what makes it fire; return the staff reply, if any."""
    fired = fault.fired
    fault.arm()
    reply = None
    if injection.staff is not None:
        reply = exhibit.staff(*injection.staff)
    else:
        exhibit.press(*injection.keys)
    for _ in range(exhibit.fps * 2):
        if fault.fired > fired:
            break
        exhibit.frame()
    assert fault.fired == fired + 1, f"the fault in {injection.id} never fired"
    fault.arm(0)
    return reply


def tracebacks(caplog) -> list[logging.LogRecord]:
    """Error records that carry a traceback."""
    return [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]


def errors(caplog) -> list[logging.LogRecord]:
    """Every error record."""
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def repeats(long_run: bool) -> int:
    """How often each fault is repeated after the first time."""
    return 30 if long_run else 1


def assert_logged_once(caplog, injection: Injection, started: float, now: float) -> None:
    """One traceback for the first failure; repeats are counted, summarised at most
    once a minute."""
    [first] = tracebacks(caplog)
    assert isinstance(first.exc_info[1], InjectedFault), first.getMessage()  # type: ignore[index]
    assert injection.id in str(first.exc_info[1])  # type: ignore[index]
    minutes = (now - started) / 60.0
    assert len(errors(caplog)) <= 1 + int(minutes) + 1, [r.getMessage() for r in errors(caplog)]


def assert_back_on_a_working_attract_loop(exhibit: RunningExhibit) -> None:
    """Within one second of kiosk time: attract drawn normally, frames coming, lights,
    overlay and sound as on the attract loop.  Until its picture is ready again the
    attract loop may show its title alone, but never a blank or the plain screen."""
    started = exhibit.clock()
    while not (exhibit.page.screen is Screen.ATTRACT and exhibit.shows(exhibit.page)):
        assert exhibit.clock() - started < RECOVERY_SECONDS, (
            f"not back on a working attract loop after {RECOVERY_SECONDS} s: {exhibit.page}"
        )
        assert exhibit.page.screen is Screen.ATTRACT
        assert looks_drawn(exhibit) and not shows_the_plain_title_screen(exhibit)
        exhibit.frame()
    assert not exhibit.app.staff_overlay
    assert exhibit.lights() == led_modes(exhibit.app.exhibit_state())
    assert exhibit.app.exhibit_state().screen == "attract"
    assert not pygame.mixer.get_busy(), "a sound of the failed scene plays on"
    frames = exhibit.app.frames
    for _ in range(3):
        exhibit.frame()
    assert exhibit.app.frames == frames + 3  # the attract loop animates
    assert exhibit.shows(exhibit.page)


@pytest.mark.parametrize("injection", RECOVERING, ids=lambda i: i.id)
def test_a_fault_in_drawing_or_input_returns_to_a_working_attract_loop_within_a_second(
    exhibit: RunningExhibit, injection: Injection, mocker, caplog, long_run: bool
):
    caplog.set_level(logging.INFO)
    fault = inject(mocker, exhibit, injection)
    started = exhibit.clock()
    injection.setup(exhibit)
    trigger(exhibit, injection, fault)
    assert_back_on_a_working_attract_loop(exhibit)
    assert len(tracebacks(caplog)) == 1

    for _ in range(repeats(long_run)):
        exhibit.wait(REPEAT_SPACING)
        injection.setup(exhibit)
        trigger(exhibit, injection, fault)
        assert_back_on_a_working_attract_loop(exhibit)

    assert_logged_once(caplog, injection, started, exhibit.clock())
    [entry] = [e for e in exhibit.app.errors.recent() if injection.id in e.message]
    assert entry.count == fault.fired
    assert exhibit.app.status()["errors"] == [{"message": entry.message, "count": fault.fired}]


@pytest.mark.parametrize("injection", RUNNING_ON, ids=lambda i: i.id)
def test_a_fault_beside_the_visitors_path_is_logged_once_and_the_visitor_stays(
    exhibit: RunningExhibit, injection: Injection, mocker, caplog, long_run: bool
):
    caplog.set_level(logging.INFO)
    fault = inject(mocker, exhibit, injection)
    started = exhibit.clock()
    for round_ in range(1 + (repeats(long_run) if injection.repeatable else 0)):
        if round_:
            exhibit.wait(IDLE_TIMEOUT + REPEAT_SPACING)  # the visitor left: attract again
            assert exhibit.page.screen is Screen.ATTRACT
        injection.setup(exhibit)
        # Where the visitor should end up: the same inputs on a copy of the flow.
        twin = copy.deepcopy(exhibit.app.flow)
        for key in injection.keys:
            action = action_for(pygame.key.name(key))
            assert action is not None
            twin.handle(action, exhibit.clock() + 1.0 / exhibit.fps)
        reply = trigger(exhibit, injection, fault)
        if reply is not None:
            assert not reply["ok"] and "InjectedFault" in str(reply["error"]), reply
        twin.tick(exhibit.clock())
        assert exhibit.page == twin.state.page
        deadline = exhibit.clock() + RECOVERY_SECONDS
        while not exhibit.shows(exhibit.page):
            assert exhibit.clock() < deadline, f"{exhibit.page} not drawn within a second"
            exhibit.frame()
        assert exhibit.page == twin.state.page
        if not injection.lights_broken:
            assert exhibit.lights() == led_modes(exhibit.app.exhibit_state())
    assert_logged_once(caplog, injection, started, exhibit.clock())
    if injection.lights_broken:  # counted where staff see the hardware
        assert exhibit.hardware.status()["gpio"]["led_failures"] == fault.fired  # type: ignore[index]
    else:
        [entry] = [e for e in exhibit.app.errors.recent() if injection.id in e.message]
        assert entry.count == fault.fired


# -- the attract loop itself fails, for good ------------------------------------------------


def looks_drawn(exhibit: RunningExhibit) -> bool:
    """Whether the screen holds a picture rather than a blank (a grid of samples has
    several colours)."""
    screen = exhibit.app.surface
    w, h = screen.get_size()
    samples = {screen.get_at((x * w // 16, y * h // 9))[:3] for x in range(16) for y in range(9)}
    return len(samples) >= 4


def shows_the_plain_title_screen(exhibit: RunningExhibit) -> bool:
    """The last-resort screen: the calm background everywhere but a line of title text
    across the middle, in the text colour."""
    screen = exhibit.app.surface
    w, h = screen.get_size()
    background = tuple(SPACE_TOP)
    border = [screen.get_at((x, y))[:3] for x in range(0, w, 8) for y in (0, h // 5, h - 1)]
    if any(pixel != background for pixel in border):
        return False
    middle = {screen.get_at((x, y))[:3] for x in range(w // 4, 3 * w // 4) for y in (h // 2,)}
    return tuple(INK) in middle or len(middle) > 2


def test_an_attract_loop_that_always_fails_rests_on_the_plain_title_screen(
    exhibit: RunningExhibit, mocker, caplog, long_run: bool
):
    """The attract loop cannot be drawn at all: the plain title screen shows, the
    kiosk neither crashes nor floods the log nor redraws its pictures every frame, and
    it tries the attract loop again now and then, so a passing fault heals by itself."""
    caplog.set_level(logging.INFO)
    fault = wrap(mocker, AttractScene, "draw", "attract-draw-always")
    exhibit.settle()
    compose = mocker.spy(AttractScene, "_compose")
    fault.arm(10**9)
    started = exhibit.clock()
    minutes = 10 if long_run else 2
    tries = kiosk.app.loop.SAFE_SCREEN_RETRY
    frames = 0
    while exhibit.clock() - started < minutes * 60:
        exhibit.frame()
        frames += 1
        if frames % exhibit.fps == 0:  # once a second of kiosk time
            assert shows_the_plain_title_screen(exhibit)
        # Tried again now and then, not at every frame, and the loop's pictures are
        # not thrown away and drawn again at every try.
        attempts = (exhibit.clock() - started) / tries + 1
        assert fault.fired <= 2 * attempts
        assert compose.call_count <= len(BACKGROUNDS) * attempts
    assert exhibit.app.running
    assert exhibit.page.screen is Screen.ATTRACT
    assert len(tracebacks(caplog)) == 1
    assert len(errors(caplog)) <= 2 + minutes  # the first, then at most one a minute

    fault.arm(0)  # the fault passes: the attract loop is back at the next try
    healed = exhibit.clock()
    while not (exhibit.page.screen is Screen.ATTRACT and exhibit.shows(exhibit.page)):
        assert exhibit.clock() - healed <= kiosk.app.loop.SAFE_SCREEN_RETRY + RECOVERY_SECONDS
        exhibit.frame()


# -- sound and lights of a docking that failed --------------------------------------------


def test_the_chime_of_a_failed_docking_stops_with_it(exhibit: RunningExhibit, mocker, caplog):
    """The hands meet with a 2.4 s chime: if the docking fails just then, the attract
    loop that replaces it is silent, and the Dock light shows the attract loop's state."""
    caplog.set_level(logging.INFO)
    fault = wrap(mocker, DockingScene, "draw", "docking-draw")
    chime_at = next(c.at for c in docking_timeline.cues() if c.name == "chime")
    docking_from(2)(exhibit)  # 40 s: inside, the hatch opens
    exhibit.run_for(chime_at - 40.0 + 0.1)
    assert pygame.mixer.get_busy(), "the chime should be playing"
    assert exhibit.lights()["dock"] == LedMode.on()
    fault.arm()
    exhibit.frame()
    assert fault.fired == 1
    assert_back_on_a_working_attract_loop(exhibit)


# -- the statistics writer fails in its own thread ----------------------------------------


@pytest.mark.parametrize(
    "failure",
    [sqlite3.OperationalError("disk I/O error"), InjectedFault("injected into the stats writer")],
    ids=["sqlite-error", "bug-in-the-writer"],
)
def test_a_failing_statistics_writer_never_touches_the_visitors_screen(
    exhibit: RunningExhibit, mocker, caplog, failure: Exception
):
    """Every SQLite write raises inside the writer thread: the visitor's pages come
    exactly as without it, the failure is logged once (with its traceback when it is
    a bug, not disk trouble) and staff see it in the status."""
    caplog.set_level(logging.INFO)
    store = mocker.patch.object(StatsRecorder, "_store", autospec=True, side_effect=failure)
    stats_logger = "kiosk.stats"
    for _visit in range(3):
        for key in (pygame.K_RIGHT, pygame.K_RIGHT, pygame.K_l, pygame.K_LEFT, pygame.K_RIGHT):
            twin = copy.deepcopy(exhibit.app.flow)
            action = action_for(pygame.key.name(key))
            assert action is not None
            twin.handle(action, exhibit.clock() + 1.0 / exhibit.fps)
            exhibit.press(key)
            exhibit.settle()
            assert exhibit.page == twin.state.page
            assert exhibit.shows(exhibit.page)
        exhibit.wait(IDLE_TIMEOUT + 1)  # the visitor walks away
        assert exhibit.page.screen is Screen.ATTRACT
        assert exhibit.stats.flush()
    assert store.call_count >= 3  # every visit tried to write
    assert exhibit.app.errors.total == 0  # nothing reached the exhibit's own error report
    status = exhibit.app.status()["stats"]
    assert isinstance(status, dict)
    assert status["state"] == "error" and str(failure) in str(status["last_error"])
    assert status["rows_lost"] > 0 and status["rows_written"] == 0
    logged = [r for r in errors(caplog) if r.name == stats_logger]
    assert len(logged) == 1, [r.getMessage() for r in logged]
    assert bool(logged[0].exc_info) == isinstance(failure, InjectedFault)
    assert errors(caplog) == logged  # and nothing else went wrong
