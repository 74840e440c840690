"""Page transitions that only blend what is not plain backdrop, and look the same."""

from __future__ import annotations

import random

import pygame
import pytest

from kiosk.app import App
from kiosk.render.regions import changed_regions
from kiosk.renderer import halves
from kiosk.settings import Config
from tests.support.exhibit import app_for

SIZE = (800, 480)
#: Channel levels (of 255) a fade in steps may differ from a one-step blend.
TOLERANCE = 3


@pytest.fixture
def screen(pygame_ready):
    pygame.display.init()
    surface = pygame.display.set_mode(SIZE)
    yield surface
    pygame.display.quit()


def test_regions_cover_every_changed_pixel_and_only_changed_tiles(pygame_ready):
    rng = random.Random(7)
    backdrop = pygame.Surface((320, 180))
    backdrop.fill((10, 20, 40))
    for _ in range(20):
        picture = backdrop.copy()
        marks = [(rng.randrange(320), rng.randrange(180)) for _ in range(rng.randrange(1, 6))]
        for x, y in marks:
            picture.set_at((x, y), (200, 200, 200))
        rects = changed_regions(picture, backdrop, grid=(16, 9))
        assert all(any(r.collidepoint(m) for r in rects) for m in marks)
        tiles = {(x // 20, y // 20) for x, y in marks}  # 320/16 = 180/9 = 20 px tiles
        covered = sum(r.w * r.h for r in rects)
        assert covered == len(tiles) * 20 * 20  # nothing but the marked tiles, no overlap


def test_a_plain_backdrop_has_no_regions_and_a_full_change_is_one_rect(pygame_ready):
    backdrop = pygame.Surface((160, 90))
    backdrop.fill((1, 2, 3))
    assert changed_regions(backdrop.copy(), backdrop) == []
    full = pygame.Surface((160, 90))
    full.fill((9, 9, 9))
    assert changed_regions(full, backdrop) == [pygame.Rect(0, 0, 160, 90)]


def reference_frame(
    app: App, old: pygame.Surface, fading_out: bool, weight: float
) -> pygame.Surface:
    """``weight`` of the old page (fading out) or the new one over the whole backdrop,
    blended in one step."""
    frame = app.ctx.backdrop().copy()
    source = (old if fading_out else app.renderer.page_surface(app.flow.state.page, 0.0)).copy()
    source.set_alpha(round(255 * weight))
    frame.blit(source, (0, 0))
    return frame


def largest_difference(a: pygame.Surface, b: pygame.Surface) -> int:
    """The largest difference of any colour channel of any pixel (0–255)."""
    return max(
        abs(x - y)
        for x, y in zip(pygame.image.tobytes(a, "RGB"), pygame.image.tobytes(b, "RGB"), strict=True)
    )


def test_every_transition_frame_equals_blending_the_whole_screen(screen, story, clock):
    app = app_for(screen, story, Config(idle_timeout=600), clock=clock)
    for _ in range(20):  # the pictures drawn ahead
        clock.advance(1 / 30)
        app.step()
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT, mod=0, unicode=""))
    app.step()
    clock.advance(2)
    app.step()  # chapter 1, settled; its neighbours drawn ahead
    app.step()
    old = screen.copy()
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT, mod=0, unicode=""))
    start = clock.now
    app.step()
    seconds = app.flow.timings.transition_seconds
    checked = 0
    weights: list[tuple[bool, float]] = []
    halfway = 0
    while app.flow.transition_progress(clock.now) < 1.0:
        progress = app.flow.transition_progress(clock.now)
        fade = app.renderer._fade
        assert fade is not None
        fading_out = progress < 0.5
        if fade.owed:  # half of a half step done: the rest comes with the next frame
            halfway += 1
            assert fade.owed != app.renderer._shown  # only part of the page is owed
        else:
            weights.append((fading_out, fade.weight))
            # What is on screen is that much of the page over the backdrop; blending it
            # in steps of one half rounds a little differently from one blend (8 bits).
            expected = reference_frame(app, old, fading_out, fade.weight)
            assert largest_difference(screen, expected) <= TOLERANCE, f"at {progress:.2f}"
            checked += 1
        clock.advance(1 / 30)
        app.step()
    out = [w for fading_out, w in weights if fading_out]
    fade_in = [w for fading_out, w in weights if not fading_out]
    assert out == sorted(out, reverse=True) and out[0] == 1.0 and out[-1] <= 0.25
    assert fade_in == sorted(fade_in) and fade_in[0] == 0.0 and fade_in[-1] >= 0.75
    assert len(set(out)) >= 3 and len(set(fade_in)) >= 3  # a fade, not a cut
    assert checked + halfway >= seconds * 30 - 1 and halfway <= checked
    assert clock.now - start >= seconds
    final = app.renderer.page_surface(app.flow.state.page, 0.0)
    assert pygame.image.tobytes(screen, "RGB") == pygame.image.tobytes(final, "RGB")


def test_the_docking_drawn_straight_on_screen_leaves_nothing_of_the_staff_overlay(
    screen, story, clock
):
    """The docking repaints only what moved, onto the screen itself: whatever else was
    drawn there (the staff overlay) must make its next frame a whole one."""
    app = app_for(screen, story, Config(idle_timeout=600), clock=clock)
    for _ in range(20):
        clock.advance(1 / 30)
        app.step()
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode=""))
    app.step()
    for _ in range(40):  # past the transition, into the approach
        clock.advance(1 / 30)
        app.step()
    for key in (pygame.K_F12, pygame.K_F12):  # the overlay opened for a frame, then closed
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=""))
        clock.advance(1 / 30)
        app.step()
    assert not app.staff_overlay
    fresh = app_for(pygame.Surface(SIZE), story, Config(), clock=clock).renderer
    expected = pygame.Surface(SIZE)
    docking = fresh.scenes[app.flow.state.page.screen]
    docking.draw(expected, app.flow.state.page, app.flow.docking_time(clock.now))
    assert largest_difference(screen, expected) == 0


def test_halves_split_the_regions_into_two_groups_of_about_equal_area():
    screen = pygame.Rect(0, 0, 800, 480)
    rects = tuple(pygame.Rect(0, y, 800, 40) for y in range(0, 480, 40))
    first, rest = halves(rects, screen)
    assert first + rest == rects
    assert sum(r.h for r in first) == sum(r.h for r in rest) == 240
    top, bottom = halves(None, screen)
    assert top[0].union(bottom[0]) == screen and not top[0].colliderect(bottom[0])
