"""Input to screen, live: a button edge or a handshake line to the presented frame.

The real ``App.run()`` loop runs on the main thread, on the real clock (the
bench clock following ``time.monotonic``), with the real
:class:`hardware.Hardware` started on the app's bus: the buttons on gpiozero's
``MockFactory`` pins, the handshake sensor reading a real pty
(:class:`bench.pty_sensor.PtySensor`).  A driver thread acts like a visitor at
random moments, each after the previous transition has finished and the page
has been read a little (so the neighbouring pages are drawn ahead, as for a
real visitor), and reads what was presented from the :class:`FrameLog`.

* ``button_to_screen`` (budgeted): from the release edge of Next on its mock pin
  (Back and Next act on release) to the end of the first ``flip`` of a frame drawn
  for the new chapter; that frame starts the transition.
* ``button_to_new_page_visible`` (informational): from the same edge to the first
  frame showing the new page at rest, the transition over.
* ``handshake_to_animation`` (budgeted): from writing a ``GRIP`` line onto the
  pty (on the docking chapter) to the first flip of a docking frame.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

from gpiozero.pins.mock import MockFactory, MockPWMPin

from bench.exhibit import Exhibit
from bench.measure import Budget, Figure, Presented
from bench.pty_sensor import PtySensor, device_line
from hardware import GpioConfig, Hardware, SensorConfig
from kiosk.control import Request
from kiosk.inputs import ButtonLights, InputMapping

#: The budgets: one frame interval at 60 Hz; 20 ms from grip to animation.
BUTTON_BUDGET_MS = 16.7
HANDSHAKE_BUDGET_MS = 20.0
#: A deadline for anything the driver waits for; never a measurement.
DEADLINE = 10.0
#: How long a visitor reads before pressing, drawn at random (seconds).
READ_BETWEEN = (0.6, 1.2)
#: How long a button is held down (seconds), drawn at random.
HOLD = (0.04, 0.12)


class LiveDriver:
    """The visitor's thread: presses, grips, and what the screen showed."""

    def __init__(
        self,
        exhibit: Exhibit,
        hardware: Hardware,
        factory: MockFactory,
        sensor: PtySensor,
        reading: tuple[float, float] = READ_BETWEEN,
    ) -> None:
        self.exhibit = exhibit
        self.reading = reading
        self.hardware = hardware
        self.factory = factory
        self.sensor = sensor
        self.rng = random.Random(1975)
        self.button_ms: list[float] = []
        self.revealed_ms: list[float] = []
        self.handshake_ms: list[float] = []
        self.error: BaseException | None = None

    # -- helpers -----------------------------------------------------------------------

    def staff(self, cmd: str, arg: str | None = None) -> float:
        """A staff command through the app's command queue; the time it was sent
        (every frame it causes is presented after that)."""
        sent = time.perf_counter()
        reply = self.exhibit.app.commands.submit(Request(cmd, arg), timeout=DEADLINE)
        if not reply.get("ok"):
            raise RuntimeError(f"staff {cmd} {arg or ''}: {reply.get('error')}")
        return sent

    def frame(self, match: Callable[[Presented], bool], after: float, what: str) -> Presented:
        """The first presented frame after ``after`` that matches; fails after the deadline."""
        found = self.exhibit.frames.wait_for(match, after, DEADLINE)
        if found is None:
            raise RuntimeError(f"no frame showed {what} within {DEADLINE:.0f} s")
        return found

    def at_rest(self, screen: str, chapter: int | None, after: float) -> Presented:
        """Wait until ``screen`` (and ``chapter``) is shown with its transition over."""
        return self.frame(
            lambda f: (
                f.screen == screen
                and (chapter is None or f.chapter == chapter)
                and f.progress >= 1.0
            ),
            after,
            f"{screen} {'' if chapter is None else chapter + 1} at rest",
        )

    def read(self) -> None:
        """A visitor reads the page for a random moment."""
        time.sleep(self.rng.uniform(*self.reading))

    def wait_for_sensor(self) -> None:
        """Until the host has heard the sensor's HELLO (it then acts on grips)."""
        end = time.monotonic() + DEADLINE
        while not self.hardware.status()["sensor"].get("connected"):
            if time.monotonic() > end:
                raise RuntimeError("the kiosk did not connect to the pty sensor")
            time.sleep(0.01)

    # -- the visitor -------------------------------------------------------------------

    def press_next(self, chapter: int) -> None:
        """Press and release Next on chapter ``chapter``; time the release edge."""
        pin = self.factory.pin(GpioConfig().buttons.next)
        pin.drive_low()
        time.sleep(self.rng.uniform(*HOLD))
        edge = time.perf_counter()
        pin.drive_high()
        shown = self.frame(
            lambda f: f.screen == "chapter" and f.chapter == chapter + 1, edge, "the next chapter"
        )
        revealed = self.at_rest("chapter", chapter + 1, edge)
        self.button_ms.append((shown.at - edge) * 1000)
        self.revealed_ms.append((revealed.at - edge) * 1000)

    def buttons(self, samples: int) -> None:
        """``samples`` presses of Next through the chapters (from chapter 1 again at the end)."""
        last = self.exhibit.app.story.chapter_count - 1
        chapter = last
        for _ in range(samples):
            if chapter >= last:
                chapter = 0
                self.at_rest("chapter", chapter, self.staff("goto", "1"))
            self.read()
            self.press_next(chapter)
            chapter += 1

    def handshakes(self, samples: int) -> None:
        """``samples`` grips on the docking chapter, each followed by Back to it."""
        dock = self.exhibit.app.story.dock_chapter
        if dock is None:
            raise RuntimeError("the story has no docking chapter")
        self.wait_for_sensor()
        self.at_rest("chapter", dock, self.staff("goto", str(dock + 1)))
        for _ in range(samples):
            self.read()
            edge = self.sensor.write(device_line("GRIP", hand=0, str=80))
            shown = self.frame(lambda f: f.screen == "docking", edge, "the docking")
            self.handshake_ms.append((shown.at - edge) * 1000)
            self.sensor.write(device_line("REL", hand=0, peak=80, ms=300))
            self.at_rest("chapter", dock, self.staff("back"))

    def run(self, button_samples: int, handshake_samples: int) -> None:
        """The whole visit; stops the app's loop at the end, whatever happened."""
        try:
            if button_samples:
                self.buttons(button_samples)
            if handshake_samples:
                self.handshakes(handshake_samples)
        except BaseException as exc:
            self.error = exc
        finally:
            self.exhibit.app.stop()


def live_figures(
    exhibit: Exhibit,
    button_samples: int,
    handshake_samples: int,
    reading: tuple[float, float] = READ_BETWEEN,
) -> list[Figure]:
    """Run ``App.run`` with the hardware attached while the driver presses and grips,
    each after a pause drawn from ``reading`` (seconds)."""
    app = exhibit.app
    factory = MockFactory(pin_class=MockPWMPin)
    figures: list[Figure] = []
    with PtySensor() as sensor:
        hardware = Hardware(GpioConfig(), SensorConfig(port=sensor.path), pin_factory=factory)
        hardware.start(InputMapping(app.bus))
        lights = ButtonLights(hardware)
        app.outputs.append(lights)
        driver = LiveDriver(exhibit, hardware, factory, sensor, reading)
        thread = threading.Thread(
            target=driver.run, args=(button_samples, handshake_samples), name="bench-visitor"
        )
        try:
            with exhibit.clock.real_time():
                thread.start()
                app.run()
        finally:
            app.stop()
            thread.join(DEADLINE * 3)
            app.running = True  # the exhibit is shared with later figures
            app.outputs.remove(lights)
            hardware.close()
            factory.close()
    if driver.error is not None:
        raise RuntimeError(f"the live run failed: {driver.error}") from driver.error
    if button_samples:
        figures.append(
            Figure(
                "button_to_screen",
                "ms",
                driver.button_ms,
                budget=Budget(f"median ≤ {BUTTON_BUDGET_MS:g} ms", "median", BUTTON_BUDGET_MS),
                size=exhibit.size,
                note="Next released on its mock pin → first presented frame of the new chapter",
            )
        )
        figures.append(
            Figure(
                "button_to_new_page_visible",
                "ms",
                driver.revealed_ms,
                size=exhibit.size,
                note="Next released → first presented frame of the new page at rest "
                "(the transition over); informational",
            )
        )
    if handshake_samples:
        figures.append(
            Figure(
                "handshake_to_animation",
                "ms",
                driver.handshake_ms,
                budget=Budget(
                    f"median ≤ {HANDSHAKE_BUDGET_MS:g} ms", "median", HANDSHAKE_BUDGET_MS
                ),
                size=exhibit.size,
                note="GRIP line written to the pty on the docking chapter → first "
                "presented docking frame",
            )
        )
    return figures
