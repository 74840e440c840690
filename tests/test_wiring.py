"""The app with the demo's hardware, built as ``kiosk demo`` builds it: mock GPIO pins
and the simulated sensor on a real pty."""

from __future__ import annotations

import time
from typing import ClassVar

import pygame
import pytest

from kiosk.app import App
from kiosk.core.events import Action
from kiosk.core.flow import Screen
from kiosk.exhibit import Exhibit
from kiosk.render.painter import TextRecord
from kiosk.scenes.staff import draw_staff_overlay, status_lines
from kiosk.settings import Config
from tests.support.exhibit import app_for


@pytest.fixture
def screen(pygame_ready):
    pygame.display.init()
    surface = pygame.display.set_mode((1280, 720))
    yield surface
    pygame.display.quit()


def run_until(app: App, condition, timeout: float, what: str) -> None:
    """Step the app, sleeping on its event queue between steps, until ``condition``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        app.step()
        pygame.event.wait(50)  # woken at once by events from the hardware threads


def test_grip_on_the_sensor_starts_the_docking(screen, story, mocker):
    with Exhibit(Config(), story, surface=screen, demo=True) as exhibit:
        app, parts = exhibit.running, exhibit.hardware
        assert parts is not None
        run_until(app, lambda: parts.status()["sensor"]["connected"], 20, "the sensor")
        assert app.flow.state.page.screen is Screen.ATTRACT
        applied = mocker.spy(app, "apply")

        def arrived(action: Action) -> bool:
            return any(
                c.args[0].action is action and c.args[0].source == "serial"
                for c in applied.call_args_list
            )

        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_h, mod=0))
        run_until(
            app, lambda: app.flow.state.page.screen is Screen.DOCKING, 20, "the docking to start"
        )
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=pygame.K_h, mod=0))
        assert arrived(Action.HANDSHAKE)
        run_until(app, lambda: arrived(Action.HANDSHAKE_END), 20, "the release")
        status = app.status()
        assert status["hardware"]["sensor"]["firmware"]
        assert status["hardware"]["gpio"]["leds"]["dock"] is not None


def test_lights_follow_the_screen_through_mock_pins(screen, story):
    with Exhibit(Config(), story, surface=screen, demo=True) as exhibit:
        app, parts = exhibit.running, exhibit.hardware
        assert parts is not None
        attract_leds = dict(parts.status()["gpio"]["leds"])
        app.flow.go_to_chapter(1, app.clock())
        app._changed()  # as after any page change
        chapter_leds = dict(parts.status()["gpio"]["leds"])
        assert attract_leds != chapter_leds
        assert attract_leds["next"] != chapter_leds["next"]  # breathing only in attract


def test_staff_overlay_shows_sensor_and_buttons(screen, story):
    with Exhibit(Config(), story, surface=screen, demo=True) as exhibit:
        app, parts = exhibit.running, exhibit.hardware
        assert parts is not None
        run_until(app, lambda: parts.status()["sensor"]["connected"], 20, "the sensor")
        lines = status_lines(app.status())
        text = "\n".join(lines)
        assert "firmware" in text and "Button test: back up (0×)" in text
        audit: list[TextRecord] = []
        app.ctx.audit = audit
        draw_staff_overlay(app.ctx, screen, app.status())
        assert audit and all(r.fits and r.box.contains(r.rect) for r in audit)


def test_status_survives_a_failing_source(screen, story):
    def broken() -> dict:
        raise OSError("sensor gone")

    app = app_for(screen, story, Config(), status_sources={"hardware": broken})
    assert app.status()["hardware"] == {"error": "OSError: sensor gone"}


class ManualTimer:
    """A timer the test fires by hand (stands in for threading.Timer's schedule)."""

    made: ClassVar[list[ManualTimer]] = []

    def __init__(self, delay: float, action) -> None:
        self.delay, self.action = delay, action
        self.daemon = False
        self.started = self.cancelled = False
        ManualTimer.made.append(self)

    def start(self) -> None:
        self.started = True

    def cancel(self) -> None:
        self.cancelled = True

    def fire(self) -> None:
        if self.started and not self.cancelled:
            self.action()


def test_demo_hand_holds_a_quick_tap_long_enough(clock):
    from kiosk.demo import DemoHand

    calls: list[str] = []
    hand = DemoHand(
        lambda: calls.append("grip"), lambda: calls.append("release"), 0.5, clock, ManualTimer
    )
    hand(True)
    clock.advance(0.6)
    hand(False)  # held long enough: released at once
    assert calls == ["grip", "release"]
    hand(True)
    clock.advance(0.1)
    hand(False)  # a tap: the release waits for the rest of the minimum hold
    assert calls == ["grip", "release", "grip"]
    timer = ManualTimer.made[-1]
    assert timer.delay == pytest.approx(0.4) and timer.started and timer.daemon
    timer.fire()
    assert calls == ["grip", "release", "grip", "release"]


def test_demo_hand_new_grip_cancels_pending_release(clock):
    from kiosk.demo import DemoHand

    calls: list[str] = []
    hand = DemoHand(
        lambda: calls.append("grip"), lambda: calls.append("release"), 0.5, clock, ManualTimer
    )
    hand(True)
    hand(False)
    pending = ManualTimer.made[-1]
    hand(True)  # grips again before the release fired
    assert pending.cancelled
    pending.fire()
    assert calls == ["grip", "grip"]


def test_site_settings_reach_the_hardware_as_they_are(tmp_path, screen, story):
    """``[gpio]`` and ``[sensor]`` are the hardware layer's own config types: nothing is
    rebuilt between the file and the devices, and a grip arrives on the bus."""
    import threading

    from hardware.sim import SimulatedSensor
    from kiosk.settings import load_config

    with SimulatedSensor(heartbeat_ms=50) as sim:
        path = tmp_path / "kiosk.toml"
        path.write_text(f'[gpio]\nenabled = false\n[sensor]\nport = "{sim.path}"\n')
        config, problems = load_config(path)
        assert problems == []
        with Exhibit(config, story, surface=screen, stats=False) as exhibit:
            parts, bus = exhibit.hardware, exhibit.bus
            assert parts is not None
            woken = threading.Event()
            bus.set_wake(woken.set)  # the test drains the bus, not the app
            assert parts.gpio_config is config.gpio
            assert parts.sensor_config is config.sensor
            deadline = time.monotonic() + 20
            while not parts.status()["sensor"]["connected"]:
                assert time.monotonic() < deadline, "the sensor never connected"
                woken.wait(0.05)
            assert parts.status()["gpio"]["buttons"] is None  # [gpio] enabled = false
            sim.grip(70)
            events: list = []
            while not any(e.action is Action.HANDSHAKE for e in events):
                assert time.monotonic() < deadline, f"no handshake; got {events}"
                woken.wait(0.05)
                woken.clear()
                events += bus.drain()
            [grip] = [e for e in events if e.action is Action.HANDSHAKE]
            assert (grip.source, grip.detail) == ("serial", {"strength": 70, "hand": 0})
