"""The running app, headless: input, redraw discipline, recovery from errors."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time

import pygame
import pytest

from kiosk.app import App
from kiosk.app import loop as app_module
from kiosk.core.events import Action, EventBus, ExhibitState, InputEvent
from kiosk.core.flow import Screen
from kiosk.scenes.attract import AttractScene
from kiosk.scenes.chapter import ChapterScene
from kiosk.sdnotify import Notifier
from kiosk.settings import Config
from tests.support.exhibit import app_for

SIZE = (800, 480)


@pytest.fixture
def screen(pygame_ready):
    pygame.display.init()
    surface = pygame.display.set_mode(SIZE)
    yield surface
    pygame.display.quit()


@pytest.fixture
def lights() -> list[ExhibitState]:
    return []


@pytest.fixture
def app(screen, story, clock, lights) -> App:
    return app_for(screen, story, Config(idle_timeout=30), clock=clock, outputs=[lights.append])


def press(app: App, key: int) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=""))
    app.step()


def settle(app: App, clock) -> None:
    """Let the page transition finish."""
    clock.advance(1.0)
    app.step()


def test_keys_drive_the_story(app, clock):
    press(app, pygame.K_RIGHT)
    assert app.flow.state.page.screen is Screen.CHAPTER
    press(app, pygame.K_RIGHT)
    assert app.flow.state.page.chapter == 1
    press(app, pygame.K_LEFT)
    assert app.flow.state.page.chapter == 0
    press(app, pygame.K_l)
    assert app.flow.state.page.screen is Screen.CHAPTER  # one language: place kept
    press(app, pygame.K_h)  # not the docking chapter
    assert app.flow.state.page.screen is Screen.CHAPTER


def test_enter_on_attract_plays_docking(app):
    press(app, pygame.K_RETURN)
    assert app.flow.state.page.screen is Screen.DOCKING


def test_escape_does_not_quit_the_exhibit(app):
    press(app, pygame.K_ESCAPE)
    assert app.running


def test_escape_quits_the_demo(screen, story, clock):
    demo = app_for(screen, story, Config(), clock=clock, allow_quit=True)
    press(demo, pygame.K_ESCAPE)
    assert not demo.running


def test_static_page_draws_no_frames(app, clock):
    press(app, pygame.K_RIGHT)
    settle(app, clock)
    drawn = app.frames
    for _ in range(20):
        clock.advance(0.1)
        app.step()
    assert app.frames == drawn


def test_attract_keeps_animating(app, clock):
    drawn = app.frames
    for _ in range(5):
        clock.advance(0.05)
        app.step()
    assert app.frames == drawn + 5


def test_idle_timeout_returns_to_attract(app, clock):
    press(app, pygame.K_RIGHT)
    press(app, pygame.K_RIGHT)
    clock.advance(29.9)
    app.step()
    assert app.flow.state.page.screen is Screen.CHAPTER
    clock.advance(0.2)
    app.step()
    assert app.flow.state.page.screen is Screen.ATTRACT


def test_events_from_another_thread_arrive(app):
    bus: EventBus = app.bus
    worker = threading.Thread(target=bus.put, args=(InputEvent(Action.HANDSHAKE, "serial"),))
    worker.start()
    worker.join(5)
    app.step()
    assert app.flow.state.page.screen is Screen.DOCKING


def test_a_still_page_waits_without_asking_sdl_every_millisecond(app, mocker):
    """pygame's event.wait polls SDL each millisecond: a still page must block instead."""
    polled = mocker.spy(pygame.event, "wait")
    peeked = mocker.spy(pygame.event, "peek")
    timeout = 0.2
    app.wait_for_input(timeout)  # nothing happens: waits the whole time
    assert polled.call_count == 0
    assert peeked.call_count <= timeout / app_module.SDL_POLL + 1


def test_a_press_from_another_thread_ends_the_wait_at_once(app):
    worker = threading.Timer(0.05, app.bus.put, args=(InputEvent(Action.NEXT, "gpio"),))
    worker.start()
    waited = time.monotonic()
    app.wait_for_input(30.0)
    waited = time.monotonic() - waited
    worker.join()
    assert waited < 30.0  # woken by the press, not by the timeout
    app.step()
    assert app.flow.state.page.screen is Screen.CHAPTER


def test_a_key_ends_the_wait_within_one_sdl_poll(app):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT, mod=0, unicode=""))
    waited = time.monotonic()
    app.wait_for_input(30.0)
    assert time.monotonic() - waited < 30.0
    app.step()
    assert app.flow.state.page.screen is Screen.CHAPTER


def test_lights_follow_the_screen(app, lights):
    assert lights[-1].screen == "attract" and lights[-1].can_dock
    press(app, pygame.K_RIGHT)
    assert lights[-1].screen == "chapter" and not lights[-1].can_dock and lights[-1].can_back


def test_exception_while_drawing_is_logged_once_and_attract_returns(app, clock, mocker, caplog):
    mocker.patch.object(ChapterScene, "draw", side_effect=RuntimeError("boom in chapter"))
    with caplog.at_level(logging.ERROR, logger="kiosk.app"):
        press(app, pygame.K_RIGHT)
        assert app.flow.state.page.screen is Screen.ATTRACT
        clock.advance(1)
        press(app, pygame.K_RIGHT)  # the same bug again
        assert app.flow.state.page.screen is Screen.ATTRACT
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 1
    assert "drawing the chapter 1 (en): RuntimeError: boom in chapter" in tracebacks[0].message
    assert app.errors.total == 2
    assert app.status()["errors"][0]["count"] == 2


def test_exception_in_input_handling_recovers(app, clock, mocker, caplog):
    press(app, pygame.K_RIGHT)
    mocker.patch.object(app.flow, "handle", side_effect=ValueError("bad input"))
    with caplog.at_level(logging.ERROR, logger="kiosk.app"):
        press(app, pygame.K_RIGHT)
    assert app.flow.state.page.screen is Screen.ATTRACT
    assert "handling input: ValueError: bad input" in caplog.text


def test_when_everything_fails_a_plain_screen_is_shown(app, clock, mocker, screen):
    mocker.patch.object(ChapterScene, "draw", side_effect=RuntimeError("chapter"))
    mocker.patch.object(AttractScene, "draw", side_effect=RuntimeError("attract"))
    press(app, pygame.K_RIGHT)
    assert app.flow.state.page.screen is Screen.ATTRACT
    centre = screen.get_at((SIZE[0] // 2, SIZE[1] // 2 + SIZE[1] // 4))
    assert tuple(centre)[:3] == (4, 9, 22)  # the calm background, not garbage


def test_broken_light_output_does_not_stop_the_exhibit(screen, story, clock):
    def broken(state: ExhibitState) -> None:
        raise OSError("GPIO gone")

    app = app_for(screen, story, Config(), clock=clock, outputs=[broken])
    press(app, pygame.K_RIGHT)
    assert app.flow.state.page.screen is Screen.CHAPTER
    assert "updating the button lights" in app.errors.recent()[0].message


def test_staff_key_toggles_overlay(app):
    press(app, pygame.K_F12)
    assert app.staff_overlay
    press(app, pygame.K_F12)
    assert not app.staff_overlay


def test_staff_overlay_refreshes_once_a_second_on_a_static_page(app, clock):
    press(app, pygame.K_RIGHT)
    settle(app, clock)
    press(app, pygame.K_F12)
    drawn = app.frames
    for _ in range(9):
        clock.advance(0.1)
        app.step()
    assert app.frames == drawn  # less than a second: nothing redrawn
    clock.advance(0.2)
    app.step()
    assert app.frames == drawn + 1


def test_transition_dips_through_the_background(app, clock, screen):
    """Halfway through a page change neither page shows: text never overlaps text."""
    press(app, pygame.K_RIGHT)
    settle(app, clock)
    press(app, pygame.K_RIGHT)  # chapter 1 → 2 starts a transition
    clock.advance(app.flow.timings.transition_seconds / 2)
    app.step()
    backdrop = app.ctx.backdrop()
    differing = sum(
        screen.get_at((x, y)) != backdrop.get_at((x, y))
        for x in range(0, SIZE[0], 20)
        for y in range(0, SIZE[1], 20)
    )
    assert differing == 0
    clock.advance(app.flow.timings.transition_seconds)
    app.step()
    final = app.renderer.page_surface(app.flow.state.page, 0.0)
    assert all(
        screen.get_at((x, y)) == final.get_at((x, y))
        for x in range(0, SIZE[0], 40)
        for y in range(0, SIZE[1], 40)
    )


def test_forgotten_staff_overlay_closes_after_the_idle_timeout(app, clock):
    press(app, pygame.K_F12)  # on the attract loop, where the flow itself never times out
    assert app.staff_overlay
    clock.advance(29.9)
    app.step()
    assert app.staff_overlay
    clock.advance(0.2)
    app.step()
    assert not app.staff_overlay


def test_visitor_input_keeps_the_overlay_open(app, clock):
    press(app, pygame.K_F12)
    clock.advance(20)
    press(app, pygame.K_RIGHT)
    clock.advance(20)
    app.step()
    assert app.staff_overlay


def test_recovery_from_an_error_closes_the_overlay(app, clock, mocker):
    press(app, pygame.K_F12)
    mocker.patch.object(ChapterScene, "draw", side_effect=RuntimeError("boom"))
    press(app, pygame.K_RIGHT)
    assert not app.staff_overlay
    assert app.flow.state.page.screen is Screen.ATTRACT


def test_pictures_are_drawn_ahead_so_dock_never_waits(app, clock):
    docking = app.renderer.scenes[Screen.DOCKING]
    assert "apollo" not in docking._layers
    for _ in range(20):  # one slice of drawing ahead per frame, under a second in all
        clock.advance(1 / 30)
        app.step()
    assert {"background", "soyuz", "apollo"} <= set(docking._layers)
    attract = app.renderer.scenes[Screen.ATTRACT]
    assert len(attract._composites) == 5
    assert app._warm_up is None


def test_the_first_frame_shows_the_title_before_the_pictures_are_ready(app, clock):
    """The start is not held up by the pictures: they are composed after the first frame."""
    attract = app.renderer.scenes[Screen.ATTRACT]
    assert attract._composites == {}
    app.step()  # the first frame: the title on the plain backdrop ...
    assert attract._plain is not None
    assert len(attract._composites) == 1  # ... then the first picture, composed after it
    clock.advance(1 / 30)
    app.step()
    assert attract._plain is None  # the picture is on screen now
    sound = app.ctx.sound
    assert sound is not None and sound._sounds == {}  # synthesised last, also after the start


def test_a_still_page_reports_no_frame_rate(app, clock):
    for _ in range(60):  # the attract loop animates at 30 frames a second
        clock.advance(1 / 30)
        app.step()
    assert app.frame_rate() == pytest.approx(30, rel=0.05)
    press(app, pygame.K_RIGHT)
    settle(app, clock)  # a chapter: nothing moves, nothing is drawn
    drawn = app.frames
    for _ in range(10):
        clock.advance(0.25)
        app.step()
    assert app.frames == drawn
    assert app.frame_rate() == 0
    assert app.status()["frame_rate"] == 0


def test_systemd_status_reads_as_kiosk_ctl_says_it(screen, story, clock, tmp_path):
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as systemd:
        systemd.bind(str(path))
        systemd.settimeout(2.0)
        notifier = Notifier({"NOTIFY_SOCKET": str(path)}, clock=clock, pid=1)
        app = app_for(screen, story, Config(), clock=clock, notifier=notifier)
        app.step()
        for _ in range(3):
            press(app, pygame.K_RIGHT)
        messages = []
        systemd.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            while True:
                messages.append(systemd.recv(4096).decode())
    statuses = [line for m in messages for line in m.splitlines() if line.startswith("STATUS=")]
    assert statuses[0] == "STATUS=showing the attract screen (en)"
    assert statuses[-1] == "STATUS=showing chapter 3 (en)"
