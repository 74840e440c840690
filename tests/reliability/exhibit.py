"""A whole exhibit inside the test process, wired as ``kiosk run`` wires it.

:class:`Exhibit` assembles what :func:`kiosk.cli._run_app` assembles — the
config and story read by the CLI's own functions (with their fallbacks and
problems), the statistics recorder, the real :class:`hardware.Hardware` (its
buttons on gpiozero's ``MockFactory``, its handshake sensor on a real pty), the
:class:`kiosk.app.App` on SDL's dummy driver and the real control socket — and
lets a test press buttons through the mock pins, run ``kiosk ctl`` against the
socket and look at the pixels.  Only the clocks differ: the app runs on a
:class:`FakeClock` the test moves (so kiosk time is exact), while the hardware's
threads run on real time, as they do in the museum; waits for them poll a
condition with a generous deadline (:func:`wait_until`), never a fixed sleep.
The code-drawn illustrations are the real ones, drawn once per test session
(:func:`remembered_illustrator`).

:class:`RawSensor` is a pty the test writes protocol lines (or anything else)
to, for sensors that misbehave in ways the firmware simulator never would.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import io
import json
import os
import pty
import re
import select
import shutil
import tempfile
import threading
import time
import tty
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import pygame
from gpiozero.pins.mock import MockFactory, MockPWMPin

from hardware import Hardware
from hardware.firmware import sensor_protocol as fw
from hardware.sensor import discovery
from hardware.sensor import supervisor as supervisor_module
from kiosk import cli
from kiosk.app import App, default_illustrator
from kiosk.control import ControlServer
from kiosk.core.events import EventBus, ExhibitState, InputEvent
from kiosk.display import open_display
from kiosk.inputs import ButtonLights, InputMapping
from kiosk.scenes.staff import status_lines
from kiosk.stats import StatsRecorder, db_path
from tests.conftest import STORY_DIR

T = TypeVar("T")

SIZE = (800, 480)
#: An upper bound for waiting on real threads, never a measurement.
DEADLINE = 10.0
#: One turn of the loop in kiosk time (the app's clock is moved by this per step).
FRAME = 0.05
#: The sensor settings of the tests: the real supervisor with shorter timeouts, so a
#: lost heartbeat or a reconnect takes a fraction of a second of real time.
FAST_SENSOR = {"heartbeat_timeout": 0.5, "reconnect_initial": 0.02, "reconnect_max": 0.1}


class FakeClock:
    """A monotonic clock the test moves by hand (thread-safe: threads read it)."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        """Move time on; return the new time."""
        with self._lock:
            self._now += seconds
            return self._now


def wait_until(predicate: Callable[[], object], timeout: float = DEADLINE) -> bool:
    """Poll ``predicate`` until it is true; ``timeout`` is only a deadline."""
    end = time.monotonic() + timeout
    pause = threading.Event()
    while time.monotonic() < end:
        if predicate():
            return True
        pause.wait(0.002)
    return bool(predicate())


def open_fds() -> list[str]:
    """What kinds of thing this process's file descriptors point at, font files left out.

    Garbage is collected first, so objects left by earlier tests close theirs and do
    not skew the list.  pygame keeps a font's file open for as long as the font is
    cached, and the exhibit caches each size it draws: those are not leaks.
    """
    gc.collect()
    targets = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own fd is gone by now
            targets.append(os.readlink(f"/proc/self/fd/{fd}"))
    kept = (t for t in targets if not t.lower().endswith((".ttf", ".otf")))
    # /dev/pts/3 and /dev/pts/7, socket:[123] and socket:[456] are the same kind of fd
    return sorted(re.sub(r"\d+", "N", t) for t in kept)


def thread_names() -> list[str]:
    """Names of the live threads, sorted (a leak shows as an extra name).

    gpiozero runs one thread per LED ring while it pulses or blinks; how many run
    depends on the screen shown (the buttons' lights), not on any fault, so they
    are left out.
    """
    return sorted(t.name for t in threading.enumerate() if not t.name.endswith("_blink_device)"))


@dataclass(frozen=True)
class Site:
    """One kiosk's files: config, a copy of the story, data folder, fonts, socket."""

    root: Path
    config_file: Path
    story: Path
    data: Path
    fonts: Path
    socket: Path
    by_id: Path  # stands in for /dev/serial/by-id


def make_site(
    root: Path, *, sensor_port: str = "auto", sensor: bool = True, extra: str = ""
) -> Site:
    """Write a config naming folders under ``root`` (the socket in a short /tmp path:
    a UNIX socket's path is limited to 107 bytes, and test names are long).

    ``sensor=False`` turns the handshake sensor off (``[sensor] enabled = false``);
    ``extra`` is appended to the config file.
    """
    story = root / "story"
    shutil.copytree(STORY_DIR, story)
    data = root / "data"
    fonts = root / "fonts"
    fonts.mkdir()
    by_id = root / "by-id"
    by_id.mkdir()
    run = Path(tempfile.mkdtemp(prefix="kiosk-rel-"))
    sock = run / "control.sock"
    config = root / "kiosk.toml"
    config.write_text(
        "[paths]\n"
        f'content = "{story}"\ndata = "{data}"\nfonts = "{fonts}"\n'
        f'[sensor]\nport = "{sensor_port}"\nenabled = {"true" if sensor else "false"}\n'
        f'[control]\nsocket = "{sock}"\n' + extra,
        encoding="utf-8",
    )
    return Site(root, config, story, data, fonts, sock, by_id)


@contextlib.contextmanager
def discovery_in(by_id: Path) -> Iterator[None]:
    """Let the sensor supervisor's real discovery look in ``by_id`` instead of
    /dev/serial/by-id (and at no USB port of the machine running the tests)."""
    real = supervisor_module.find_sensor_port
    supervisor_module.find_sensor_port = functools.partial(
        discovery.find_sensor_port, by_id_dir=str(by_id), comports=lambda: []
    )
    try:
        yield
    finally:
        supervisor_module.find_sensor_port = real


_DRAWN: dict[tuple[str, tuple[int, int], int], pygame.Surface] = {}


def remembered_illustrator(name: str, size: tuple[int, int], seed: int) -> pygame.Surface:
    """The exhibit's own illustrations, each drawn once per test session.

    They are pure functions of (name, size, seed) and take most of the time of a
    test that turns pages (about half a second each); every exhibit in the session
    gets a copy of the same pixels instead of drawing them again.
    """
    key = (name, (int(size[0]), int(size[1])), seed)
    drawn = _DRAWN.get(key)
    if drawn is None:
        drawn = _DRAWN[key] = default_illustrator()(name, size, seed)
    return drawn.copy()


class InputLog:
    """An observer that remembers every input the app took, as (action, source, detail)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, dict]] = []

    def on_input(self, event: InputEvent, wall: float) -> None:
        """The app is about to apply ``event``."""
        self.events.append((event.action.value, event.source, dict(event.detail)))

    def on_state(self, state: ExhibitState, wall: float) -> None:
        """Screens are not inputs."""


class Exhibit:
    """The running exhibit of ``site``; use as a context manager.

    ``sensor`` overrides :class:`hardware.SensorConfig` fields (port and enabled come
    from the config, as in ``kiosk run``).  Statistics are recorded as in ``kiosk
    run`` (``[stats]``), with the recorder's re-open pacing on the app's clock.
    """

    def __init__(
        self,
        site: Site,
        *,
        sensor: dict[str, object] | None = None,
        size: tuple[int, int] = SIZE,
        control: dict[str, object] | None = None,
    ) -> None:
        self.site = site
        self.inputs = InputLog()
        self.clock = FakeClock()
        args = argparse.Namespace(config=str(site.config_file), command="run")
        self.problems: list[str] = []
        config = cli._config(args, self.problems)
        story = cli.load_content(config, self.problems)
        self.config = config
        self.stats = StatsRecorder(
            db_path(config.data_dir),
            idle_timeout=config.idle_timeout,
            enabled=config.stats,
            reason="" if config.stats else "turned off in the config",
            clock=self.clock,
        )
        self.bus = EventBus()
        self.factory = MockFactory(pin_class=MockPWMPin)
        self.gpio = config.gpio
        sensor_config = replace(config.sensor, **{**FAST_SENSOR, **(sensor or {})})
        self.hardware = Hardware(self.gpio, sensor_config, pin_factory=self.factory)
        self.server: ControlServer | None = None
        self.app: App | None = None
        try:
            self.hardware.start(InputMapping(self.bus))
            screen = open_display(size, fullscreen=False)
            self.app = App(
                screen,
                story,
                config,
                clock=self.clock,
                bus=self.bus,
                outputs=[ButtonLights(self.hardware)],
                status_sources={"hardware": self.hardware.status, "stats": self.stats.status},
                observers=[self.stats, self.inputs],
                reloader=cli._reloader(args),
                problems=self.problems,
                illustrate=remembered_illustrator,
            )
            self.server = ControlServer(
                config.control_socket, self.app.commands, group=None, **(control or {})
            )
            self.server.start()
            self.app.step()
        except BaseException:
            self.close()
            raise

    # -- lifecycle -------------------------------------------------------------------

    def __enter__(self) -> Exhibit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop everything, in the order ``kiosk run`` does."""
        if self.server is not None:
            self.server.close()
            self.server = None
        self.hardware.close()
        self.factory.close()
        self.stats.close()
        pygame.display.quit()
        shutil.rmtree(self.site.socket.parent, ignore_errors=True)

    # -- time and input ----------------------------------------------------------------

    @property
    def running(self) -> App:
        """The app (always there once constructed)."""
        assert self.app is not None
        return self.app

    def step(self, seconds: float = FRAME) -> None:
        """Move kiosk time on and run one turn of the loop."""
        self.clock.advance(seconds)
        self.running.step()

    def settle(self) -> None:
        """Let a page transition finish."""
        self.step(1.0)

    def follow_real_time(self) -> Callable[[], None]:
        """A function that runs one turn of the loop, moving kiosk time on by the real
        time since the last turn: while the test waits for real threads, the exhibit's
        clock keeps pace with them (never racing ahead into an idle timeout)."""
        last = time.monotonic()

        def turn() -> None:
            nonlocal last
            now = time.monotonic()
            self.step(now - last)
            last = now

        return turn

    def step_until(self, predicate: Callable[[], object], timeout: float = DEADLINE) -> bool:
        """Run the loop until ``predicate`` holds (threads deliver input meanwhile)."""
        turn = self.follow_real_time()
        return wait_until(lambda: (turn(), predicate())[1], timeout)

    def press(self, name: str) -> None:
        """A visitor presses and releases button ``name`` (through its GPIO pin).

        Waits until the debounced press and release have gone through the hardware
        layer (its threads run on real time), then runs the loop so the app takes
        the event and lets the page transition finish.
        """
        buttons = self.hardware.buttons
        assert buttons is not None, "no GPIO buttons"
        pin = self.factory.pin(self.gpio.buttons.as_dict()[name])
        before = buttons.presses[name]
        pin.drive_low()
        assert wait_until(lambda: buttons.pressed()[name]), f"{name} press not seen"
        pin.drive_high()
        assert wait_until(lambda: not buttons.pressed()[name]), f"{name} release not seen"
        assert buttons.presses[name] == before + 1
        self.step()
        self.settle()

    def finish_warm_up(self) -> None:
        """Run the loop until the drawing the app does ahead of time (attract pictures,
        the docking's layers, the pages either side) is done, so it does not count in a
        measurement."""
        assert self.step_until(lambda: self.running._warm_up is None, timeout=60.0)
        self.step()

    def page(self) -> tuple[str, int | None, str]:
        """What the visitor sees: (screen, chapter 1-based or None, language)."""
        status = self.running.status()
        return str(status["screen"]), status["chapter"], str(status["language"])  # type: ignore[return-value]

    def pixels(self) -> bytes:
        """Everything on the screen now."""
        return pygame.image.tobytes(self.running.screen, "RGB")

    # -- staff -------------------------------------------------------------------------

    def meanwhile(self, work: Callable[[], T], timeout: float = DEADLINE * 3) -> T:
        """Run ``work`` on a thread (a client, a device) while the loop keeps turning;
        return its result (or raise what it raised)."""
        result: list[T] = []
        failure: list[BaseException] = []

        def run() -> None:
            try:
                result.append(work())
            except BaseException as exc:
                failure.append(exc)

        thread = threading.Thread(target=run, name="test-client")
        thread.start()
        turn = self.follow_real_time()
        end = time.monotonic() + timeout
        while thread.is_alive() and time.monotonic() < end:
            turn()
            thread.join(0.002)
        assert not thread.is_alive(), f"{work} did not finish within {timeout:g} s"
        if failure:
            raise failure[0]
        return result[0]

    def ctl(self, *argv: str) -> tuple[int, str, str]:
        """Run ``kiosk ctl ARGV…`` against the socket while the loop turns: (exit, out, err)."""
        out, err = io.StringIO(), io.StringIO()
        args = ["ctl", "--socket", str(self.running.config.control_socket), *argv]

        def client() -> int:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                return cli.main(args)

        code = self.meanwhile(client)
        return code, out.getvalue(), err.getvalue()

    def status(self) -> dict:
        """``kiosk ctl status --json``'s result."""
        code, out, err = self.ctl("--json", "status")
        assert code == 0, (code, out[:300], err)
        return json.loads(out)["result"]

    def sensor_status(self) -> dict:
        """The hardware section's sensor part of the status (read directly, for polling)."""
        return self.running.status()["hardware"]["sensor"]  # type: ignore[index]

    def overlay(self) -> str:
        """The staff overlay's text, as it would be drawn now."""
        return "\n".join(status_lines(self.running.status()))


class RawSensor:
    """A pty whose device end the kiosk opens; the test writes whatever it likes.

    Like :class:`hardware.sim.SimulatedSensor` the pty is raw (a USB CDC device has
    no line discipline) and the device side keeps its end open, so the kiosk's
    reads block rather than fail.  Nothing answers the kiosk unless the test does.
    """

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)
        self._host = fw.LineBuffer()
        self.received: list[bytes] = []

    def __enter__(self) -> RawSensor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Unplug: close both ends."""
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    @staticmethod
    def line(kind: str, **fields: object) -> bytes:
        """One well-formed line, built by the firmware's own encoder."""
        return fw.message(kind, list(fields.items()))

    def send(self, kind: str, **fields: object) -> None:
        """Send one well-formed line."""
        self.write(self.line(kind, **fields))

    def write(self, data: bytes) -> None:
        """Raw bytes to the kiosk (blocks while the kiosk has not read the last ones)."""
        view = memoryview(data)
        while view:
            written = os.write(self.master, view)
            view = view[written:]

    def read_host(self, timeout: float = 0.0) -> list[bytes]:
        """Lines the kiosk has sent since the last call (waiting up to ``timeout``)."""
        lines: list[bytes] = []
        end = time.monotonic() + timeout
        while True:
            ready, _, _ = select.select([self.master], [], [], max(0.0, end - time.monotonic()))
            if not ready:
                break
            data = os.read(self.master, 4096)
            lines += [line for line in self._host.feed(data) if line is not None]
            if lines and timeout:
                break
        self.received += lines
        return lines

    def wait_for_host(self, kind: bytes = b"INFO", timeout: float = DEADLINE) -> bool:
        """Wait until the kiosk sends a ``kind`` line: it has (re)opened the port.

        pyserial empties the input buffer when it opens a port, so only what is
        written after this reaches the kiosk.
        """
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for line in self.read_host(timeout=min(0.1, max(0.0, end - time.monotonic()))):
                if line.startswith(kind + b" ") or line.split(b"*")[0] == kind:
                    return True
        return False

    def hello(self) -> None:
        """Introduce itself as protocol-1 firmware (as at boot or after INFO)."""
        self.send("HELLO", proto=1, fw="1.0.0", hands=1, hb=50, id="E6605838833B1A2F")
