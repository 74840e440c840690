"""Sleep and wake: opening hours, staff sleep/wake, a visitor's press; injected clocks."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from dataclasses import replace
from zoneinfo import ZoneInfo

import pygame
import pytest

from kiosk.app import SLEEP_WAIT, App
from kiosk.core.events import Action, ExhibitState, InputEvent
from kiosk.core.flow import Screen
from kiosk.core.schedule import OpeningHours
from kiosk.core.sleep import Press, SleepPolicy
from kiosk.power import COMMAND_TIMEOUT
from kiosk.settings import Config
from tests.conftest import FakeClock
from tests.support.exhibit import app_for

OSLO = ZoneInfo("Europe/Oslo")
TEN_TO_FIVE = OpeningHours("Europe/Oslo", (((600, 1020),),) * 7)


def at(day: int, hour: int, minute: int = 0) -> float:
    """Unix time of June ``day``, 2025, ``hour:minute`` in Oslo."""
    return dt.datetime(2025, 6, day, hour, minute, tzinfo=OSLO).timestamp()


# -- the pure policy -------------------------------------------------------------------


def test_asleep_outside_opening_hours_and_until_the_next_change():
    policy = SleepPolicy(TEN_TO_FIVE, wake_seconds=0)
    status = policy.status(at(2, 8))
    assert (status.asleep, status.reason, status.open, status.until) == (
        True,
        "closed",
        False,
        at(2, 10),
    )
    status = policy.status(at(2, 12))
    assert (status.asleep, status.reason, status.until) == (False, "open", at(2, 17))
    assert policy.asleep(at(2, 17))


def test_without_hours_always_awake_until_staff_say_sleep():
    policy = SleepPolicy(None, wake_seconds=0)
    assert not policy.asleep(0.0)
    assert policy.next_check(0.0) is None
    policy.sleep(10.0)
    assert policy.status(1e9).reason == "put to sleep by staff"
    policy.wake(1e9)
    assert not policy.asleep(1e9 + 1)


def test_a_press_wakes_for_wake_seconds_and_each_press_extends():
    policy = SleepPolicy(TEN_TO_FIVE, wake_seconds=120)
    t = at(2, 20)
    assert policy.press(t) is Press.WOKE
    assert not policy.asleep(t + 119)
    assert policy.status(t).until == t + 120
    assert policy.press(t + 100) is Press.APPLY  # in use: extended
    assert not policy.asleep(t + 219)
    assert policy.asleep(t + 220)


def test_presses_are_ignored_when_waking_is_off():
    policy = SleepPolicy(TEN_TO_FIVE, wake_seconds=0)
    assert policy.press(at(2, 20)) is Press.IGNORED
    assert policy.asleep(at(2, 20))
    assert policy.press(at(2, 12)) is Press.APPLY


def test_staff_sleep_lasts_until_the_schedule_opens_again():
    policy = SleepPolicy(TEN_TO_FIVE, wake_seconds=0)
    policy.sleep(at(2, 12))
    assert policy.status(at(2, 16, 59)).reason == "put to sleep by staff"
    assert policy.status(at(2, 17)).reason == "closed"
    assert not policy.asleep(at(3, 10))


def test_staff_wake_lasts_until_the_next_change():
    policy = SleepPolicy(TEN_TO_FIVE, wake_seconds=0)
    policy.wake(at(2, 20))
    assert policy.status(at(3, 9, 59)).reason == "woken by staff"
    assert policy.status(at(3, 10)).reason == "open"
    assert policy.asleep(at(3, 17))


# -- the app ---------------------------------------------------------------------------


class Recorder:
    """An observer that keeps what it is told."""

    def __init__(self) -> None:
        self.states: list[ExhibitState] = []
        self.inputs: list[InputEvent] = []

    def on_input(self, event: InputEvent, wall: float) -> None:
        self.inputs.append(event)

    def on_state(self, state: ExhibitState, wall: float) -> None:
        self.states.append(state)


@pytest.fixture
def screen(pygame_ready):
    pygame.display.init()
    surface = pygame.display.set_mode((800, 480))
    yield surface
    pygame.display.quit()


@pytest.fixture
def wall() -> FakeClock:
    return FakeClock(at(2, 8))


def make_app(screen, story, clock, wall, observer=None, **settings) -> App:
    config = replace(Config(), hours=TEN_TO_FIVE, **settings)
    return app_for(
        screen, story, config, clock=clock, wall_clock=wall, observers=[observer or Recorder()]
    )


def black(screen: pygame.Surface) -> bool:
    return pygame.mask.from_threshold(screen, (0, 0, 0), (1, 1, 1, 255)).count() == (
        screen.get_width() * screen.get_height()
    )


def test_closed_at_start_the_screen_is_black_and_no_frames_are_drawn(screen, story, clock, wall):
    seen = Recorder()
    app = make_app(screen, story, clock, wall, seen)
    assert app.asleep
    assert seen.states[-1].screen == "sleep"
    app.step()
    assert black(screen)
    drawn = app.frames
    for _ in range(50):
        clock.advance(1.0)
        wall.advance(1.0)
        app.step()
    assert app.frames == drawn
    assert app.status()["screen"] == "sleep"


def test_the_wait_while_asleep_is_long_but_bounded(screen, story, clock, wall):
    app = make_app(screen, story, clock, wall)
    app.step()
    assert app.wait_timeout() == SLEEP_WAIT
    wall.now = at(2, 10) - 0.2
    app.step()
    assert app.wait_timeout() == pytest.approx(0.2)


def test_it_wakes_on_schedule_and_sleeps_at_closing_time(screen, story, clock, wall):
    seen = Recorder()
    app = make_app(screen, story, clock, wall, seen)
    app.step()
    wall.now = at(2, 10)
    app.step()
    assert not app.asleep
    assert seen.states[-1].screen == "attract"
    assert not black(screen)
    app.bus.put(InputEvent(Action.NEXT, "gpio"))
    app.step()
    assert app.flow.state.page.screen is Screen.CHAPTER
    wall.now = at(2, 17)
    app.step()
    assert app.asleep
    assert seen.states[-1].screen == "sleep"
    assert app.flow.state.page.screen is Screen.ATTRACT  # a fresh start tomorrow
    assert black(screen)


def test_a_press_wakes_it_for_wake_seconds_and_does_nothing_else(screen, story, clock, wall):
    seen = Recorder()
    app = make_app(screen, story, clock, wall, seen, wake_seconds=60.0)
    app.step()
    app.bus.put(InputEvent(Action.NEXT, "gpio"))
    app.step()
    assert not app.asleep
    assert app.flow.state.page.screen is Screen.ATTRACT
    assert seen.inputs == []  # the waking press was not applied
    wall.advance(30)
    app.bus.put(InputEvent(Action.NEXT, "gpio"))
    app.step()
    assert app.flow.state.page.screen is Screen.CHAPTER
    assert [e.action for e in seen.inputs] == [Action.NEXT]
    wall.advance(59)
    app.step()
    assert not app.asleep
    wall.advance(1)
    app.step()
    assert app.asleep


def test_without_wake_seconds_a_press_is_ignored(screen, story, clock, wall):
    app = make_app(screen, story, clock, wall)
    app.step()
    drawn = app.frames
    app.bus.put(InputEvent(Action.DOCK, "serial"))
    app.step()
    assert app.asleep
    assert app.frames == drawn


def test_display_power_commands_run_on_sleep_and_wake(screen, story, clock, wall, tmp_path):
    log = tmp_path / "display.log"
    command = f"{sys.executable} -c \"open({str(log)!r}, 'a').write('{{}}\\n')\""
    app = make_app(
        screen,
        story,
        clock,
        wall,
        display_off_command=command.format("off"),
        display_on_command=command.format("on"),
    )
    app.step()
    wall.now = at(2, 10)
    app.step()
    wall.now = at(2, 17)
    app.step()
    app.wait_for_display_commands(timeout=10)
    assert log.read_text().split() == ["off", "on", "off"]


def test_a_hung_display_command_is_killed_and_the_next_one_runs(
    screen, story, clock, wall, tmp_path, caplog
):
    log = tmp_path / "display.log"
    hang = f'{sys.executable} -c "import time; time.sleep(600)"'
    on = f"{sys.executable} -c \"open({str(log)!r}, 'a').write('on\\n')\""
    app = make_app(screen, story, clock, wall, display_off_command=hang, display_on_command=on)
    app.step()  # closed: the "off" starts and hangs, like a CEC adapter that never answers
    wall.now = at(2, 10)
    app.step()  # open: the "on" waits behind it
    hung = app.display_power._running[2]
    try:
        with caplog.at_level(logging.ERROR):
            for _ in range(3):
                clock.advance(COMMAND_TIMEOUT / 3 - 0.1)
                app.step()
            assert hung.poll() is None  # not killed before its time
            for _ in range(3):
                clock.advance(1.0)
                app.step()
        app.wait_for_display_commands(timeout=10)
        assert hung.poll() is not None  # killed
    finally:
        if hung.poll() is None:
            hung.kill()
        hung.wait()
    assert log.read_text().split() == ["on"]
    killed = [r.getMessage() for r in caplog.records if "killed it" in r.getMessage()]
    assert len(killed) == 1
    assert killed[0].startswith(f"display_off_command {hang!r} still running after")


def test_a_failing_display_command_is_logged_and_the_exhibit_carries_on(
    screen, story, clock, wall, caplog
):
    app = make_app(screen, story, clock, wall, display_off_command="/nonexistent/blank 0")
    with caplog.at_level(logging.ERROR):
        app.step()
    assert any("display_off_command" in r.getMessage() for r in caplog.records)
    assert app.asleep


def test_a_broken_observer_is_reported_once_and_never_breaks_the_frame(screen, story, clock):
    class Broken:
        def on_input(self, event: InputEvent, wall: float) -> None:
            raise RuntimeError("disk full")

        def on_state(self, state: ExhibitState, wall: float) -> None:
            raise RuntimeError("disk full")

    good = Recorder()
    app = app_for(screen, story, Config(), clock=clock, observers=[Broken(), good])
    for _ in range(3):
        app.bus.put(InputEvent(Action.NEXT, "keyboard"))
        app.step()
        clock.advance(1.0)
    assert app.flow.state.page.chapter == 2
    assert [s.chapter for s in good.states] == [None, 0, 1, 2]
    assert len(good.inputs) == 3
    entries = app.errors.recent()
    assert sorted(e.count for e in entries) == [3, 4]  # inputs, states (with the first)
