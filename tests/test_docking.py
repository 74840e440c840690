"""The docking animation: its physics and timing (pure), its frames, its sounds."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import textwrap

import pygame
import pytest

from kiosk.app import App
from kiosk.core.events import Action, InputEvent
from kiosk.core.flow import Page, Screen
from kiosk.docking import art as docking_art
from kiosk.docking import timeline as tl
from kiosk.docking.scene import DockingScene
from kiosk.render.fonts import FontBook, find_fonts
from kiosk.render.illustrations import render_illustration
from kiosk.scenes.context import SceneContext
from kiosk.settings import Config
from kiosk.sound import NAMES, RATE, SoundPlayer, pack, resample, synthesise
from kiosk.storyboard import shots
from tests.support.exhibit import app_for

STEP = 0.01  # seconds between samples of the timeline


def samples(start: float, end: float, step: float = STEP) -> list[float]:
    n = round((end - start) / step)
    return [start + i * step for i in range(n)]


# -- the timeline: segments -----------------------------------------------------------


def test_segments_follow_each_other_and_add_up_to_the_total():
    assert tl.SEGMENTS[0].start == 0.0
    for a, b in zip(tl.SEGMENTS, tl.SEGMENTS[1:], strict=False):
        assert a.end == b.start
    assert sum(s.duration for s in tl.SEGMENTS) == pytest.approx(tl.TOTAL)
    assert 60 <= tl.TOTAL <= 90
    assert [s.name for s in tl.SEGMENTS] == [
        "rendezvous",
        "capture",
        "handshake",
        "eclipse",
        "closing",
    ]


def test_dock_marks_are_the_segment_starts():
    assert tuple(s.start for s in tl.SEGMENTS[1:]) == tl.MARKS
    assert tl.next_mark(0.0) == tl.SEGMENTS[1].start
    assert tl.next_mark(tl.SEGMENTS[1].start) == tl.SEGMENTS[2].start
    assert tl.next_mark(tl.SEGMENTS[-1].start + 1) is None


def test_every_segment_has_a_key_frame_and_the_storyboard_shows_them(story):
    segments_shown = {tl.segment_at(t).name for _, t in tl.KEY_FRAMES}
    assert segments_shown == {s.name for s in tl.SEGMENTS}
    docking = [s for s in shots(story, "en") if s.page.screen is Screen.DOCKING]
    assert [(s.name.split("-docking-")[1], s.t) for s in docking] == list(tl.KEY_FRAMES)


# -- the timeline: physics of the approach ------------------------------------------------


def test_separation_shrinks_steadily_until_contact():
    previous = None
    for t in samples(0.0, tl.T_CONTACT):
        a = tl.approach_at(t)
        if previous is not None:
            assert a.range_m < previous.range_m, f"range grew at t={t:.2f}"
            assert a.gap <= previous.gap, f"the craft drew apart at t={t:.2f}"
        previous = a


def test_the_craft_never_overlap_before_contact_nor_after():
    for t in samples(0.0, tl.T_CONTACT):
        a = tl.approach_at(t)
        assert a.range_m > 0, f"rings already touching at t={t:.2f}"
        assert a.gap - a.ring > 0
    for t in samples(tl.T_CONTACT, tl.CLOSE_UP[1]):
        a = tl.approach_at(t)
        assert a.gap >= 0, f"Apollo inside Soyuz at t={t:.2f}"
        assert a.gap - a.ring >= -1e-9  # ring faces held together by the latches


def test_contact_comes_at_a_capture_speed_of_the_fact_sheet():
    before = tl.approach_at(tl.T_CONTACT - 1e-6)
    assert 0.08 <= before.closing_rate <= 0.2
    assert 0.1 <= before.closing_rate <= 0.15  # APAS-75's design range [D]
    # Contact is shown in real time: the speed on screen is the same.
    dt = 0.02
    on_screen = (tl.approach_at(tl.T_CONTACT - dt).gap - tl.approach_at(tl.T_CONTACT).gap) / dt
    assert 0.08 <= on_screen <= 0.2


def test_the_clock_counts_to_first_contact_at_16_09_09():
    clocks = [tl.frame_at(t).clock for t in samples(0.0, tl.T_CONTACT, 0.25)]
    assert clocks == sorted(clocks)
    assert clocks[0] == "16:05:00"
    assert clocks[-1] < "16:09:09"
    assert tl.frame_at(tl.T_CONTACT).clock == "16:09:09"


def test_the_clock_keeps_running_through_capture_to_hard_dock_at_16_12():
    # The old clock stopped at 16:09:09 from contact on.
    seconds = [tl.frame_at(t).approach.utc_seconds for t in samples(0.0, tl.CAPTURE.end, 0.05)]
    assert all(b > a for a, b in itertools.pairwise(seconds))
    assert tl.frame_at(tl.T_CONTACT).clock == "16:09:09"  # first contact [A]
    assert tl.frame_at(tl.T_HARD_DOCK).clock == "16:12:00"  # hard dock, about 16:12 [A]
    assert tl.frame_at(tl.T_HARD_DOCK - 0.1).clock < "16:12:00"
    # No jump: the clock never runs more than 60 times faster than life.
    steps = [b - a for a, b in itertools.pairwise(seconds)]
    assert max(steps) < 60 * 0.05


def test_the_docked_caption_shows_while_the_clock_reads_hard_dock():
    window = [t for t in samples(0.0, tl.TOTAL, 0.05) if "docked" in _caption_keys(t)]
    assert window
    for t in window:
        frame = tl.frame_at(t)
        assert frame.approach is not None and frame.approach.docked
        assert frame.clock.startswith("16:12:")  # the caption says "about 16:12 UTC"
    assert "docked" not in _caption_keys(tl.T_HARD_DOCK - 0.05)


def _caption_keys(t: float) -> set[str]:
    return {c.key for c in tl.frame_at(t).captions}


def test_after_undocking_the_panel_says_separating_not_a_negative_rate(story):
    from kiosk.docking.text import telemetry_values

    for code in ("en", "ru", "nb"):
        words = story.language(code).docking
        docked = telemetry_values(words, tl.frame_at(tl.T_UNDOCK))
        assert docked[1] != words["separating"] and not docked[1].startswith(("-", "−"))
        for t in samples(tl.T_UNDOCK + 0.05, tl.UNDOCK[1], 0.1):
            frame = tl.frame_at(t)
            assert frame.approach is not None and frame.approach.closing_rate < 0
            rate = telemetry_values(words, frame)[1]
            assert rate == words["separating"]
        for t in samples(0.0, tl.CAPTURE.end, 0.1):
            rate = telemetry_values(words, tl.frame_at(t))[1]
            assert rate[0].isdigit(), rate


def test_apollo_brakes_all_the_way_in():
    rates = [tl.approach_at(t).closing_rate for t in samples(0.0, tl.T_CONTACT, 0.1)]
    assert all(b <= a for a, b in itertools.pairwise(rates))
    assert rates[0] > 2 * rates[-1]


def test_no_teleporting_within_a_scene():
    """Between frames 1/100 s apart nothing jumps: speeds stay physical."""
    fastest = tl.COMPRESSION * (tl.V_C + tl.A_BRAKE * tl.APPROACH_MISSION_SECONDS)
    for start, end, at in (
        (0.0, tl.CLOSE_UP[1], tl.approach_at),
        (tl.UNDOCK[0], tl.UNDOCK[1], tl.undocking_at),
    ):
        previous = at(start)
        for t in samples(start + STEP, end):
            a = at(t)
            assert abs(a.gap - previous.gap) <= fastest * STEP * 1.01, f"jump at t={t:.2f}"
            assert abs(a.apollo_y - previous.apollo_y) <= 0.05
            previous = a


def test_the_camera_moves_smoothly_within_each_shot():
    for start, end in (tl.WIDE, tl.TWO_SHOT, tl.CLOSE_UP, tl.UNDOCK, tl.CLOSING):
        previous = tl.camera_at(start)
        for t in samples(start + STEP, end):
            cam = tl.camera_at(t)
            assert abs(cam.x - previous.x) < 0.2, f"camera jumped at t={t:.2f}"
            assert abs(cam.view - previous.view) < 0.05
            previous = cam


def test_capture_then_hard_dock():
    assert not tl.approach_at(tl.T_CONTACT).captured
    assert tl.approach_at(tl.T_CONTACT + tl.CAPTURE_DELAY).captured
    assert not tl.approach_at(tl.T_HARD_DOCK - 0.1).docked
    hard = tl.approach_at(tl.T_HARD_DOCK)
    assert hard.docked and hard.gap == pytest.approx(0.0) and hard.ring == pytest.approx(0.0)
    # The shock absorbers take up the motion: it dies away before the ring retracts.
    strokes = [tl.absorber_stroke(t) for t in samples(0.0, tl.RETRACT[0] - tl.T_CONTACT)]
    assert max(strokes) > 0.005
    assert abs(strokes[-1]) < 0.1 * max(strokes)


def test_the_undocking_opens_the_gap_on_push_rods():
    assert tl.undocking_at(tl.T_UNDOCK).gap == 0.0
    gaps = [tl.undocking_at(t).gap for t in samples(tl.T_UNDOCK, tl.UNDOCK[1], 0.1)]
    assert gaps == sorted(gaps) and gaps[-1] > 1.0
    assert tl.frame_at(tl.T_UNDOCK).clock == "12:03:20"  # 19 July [A]


# -- the timeline: handshake and eclipse --------------------------------------------------


def test_without_a_grip_the_hands_meet_on_schedule():
    assert tl.meet_time(None) == tl.MEET
    assert tl.reach_at(tl.MEET - 0.5) < 1.0
    assert tl.reach_at(tl.MEET) == pytest.approx(1.0)
    assert tl.interior_at(tl.MEET).met


@pytest.mark.parametrize("grip", [tl.GRIP_WINDOW[0] + 0.5, tl.REACH[0] + 1.0, tl.MEET - 1.0])
def test_a_grip_makes_the_hands_meet_at_once(grip):
    meet = tl.meet_time(grip)
    assert grip <= meet <= grip + tl.GRIP_LAG + max(0.0, tl.REACH[0] - grip)
    assert meet < tl.MEET
    # Before the grip nothing differs; afterwards the arms only move forward.
    assert tl.interior_at(grip - 0.01, grip) == tl.interior_at(grip - 0.01, None)
    reach = [tl.reach_at(t, grip) for t in samples(tl.INTERIOR[0], tl.INTERIOR[1])]
    assert all(b >= a for a, b in itertools.pairwise(reach))
    assert tl.interior_at(meet, grip).met


@pytest.mark.parametrize("grip", [None, 10.0, tl.MEET, tl.MEET + 3, tl.TOTAL])
def test_grips_outside_the_window_change_nothing(grip):
    for t in samples(tl.INTERIOR[0], tl.INTERIOR[1], 0.25):
        assert tl.frame_at(t, grip) == tl.frame_at(t, None)


def test_the_grip_hint_shows_until_the_hands_meet():
    keys = {c.key for c in tl.frame_at(tl.MEET - 1).captions}
    assert "grip_hint" in keys
    keys = {c.key for c in tl.frame_at(tl.MEET + 1).captions}
    assert "handshake" in keys and "grip_hint" not in keys


def test_covered_fraction_is_a_disc_overlap():
    assert tl.covered_fraction(100.0) == 0.0
    assert tl.covered_fraction(0.0) == 1.0
    assert tl.covered_fraction(tl.DISC_RATIO - 1) == pytest.approx(1.0)
    assert tl.covered_fraction(tl.DISC_RATIO) == pytest.approx(0.5, abs=0.05)
    values = [tl.covered_fraction(d / 10) for d in range(0, 120)]
    assert all(b <= a for a, b in itertools.pairwise(values))


def test_apollo_covers_the_sun_and_the_corona_appears():
    start = tl.eclipse_at(tl.ECLIPSE[0])
    covered = tl.eclipse_at(tl.ECLIPSE_GLIDE[1] + 1)
    assert start.sun_visible == 1.0 and start.corona == 0.0
    assert covered.sun_visible == 0.0 and covered.corona == 1.0
    assert 8 < tl.DISC_RATIO < 9  # 3.9 m at 50 m against the Sun's 0.53°


# -- the timeline: sounds ---------------------------------------------------------------------


def test_cues_are_played_once_however_the_frames_fall():
    everything = tl.cues(None)
    for step in (1 / 24, 1 / 30, 1 / 60, 0.37):
        played = []
        t = 0.0
        while t < tl.TOTAL:
            played += tl.cues_between(t, t + step)
            t += step
        assert played == list(everything)


def test_the_chime_follows_the_grip():
    assert [c.at for c in tl.cues(None) if c.name == "chime"] == [tl.MEET]
    grip = tl.REACH[0] + 1
    assert [c.at for c in tl.cues(grip) if c.name == "chime"] == [tl.meet_time(grip)]
    names = {c.name for c in tl.cues(None)}
    assert names == set(NAMES)


# -- frames ---------------------------------------------------------------------------------

SIZE = (800, 480)


@pytest.fixture(scope="module")
def fonts(pygame_ready) -> FontBook:
    return FontBook(find_fonts([]))


def make_scene(story, fonts, size=SIZE) -> DockingScene:
    ctx = SceneContext(size=size, story=story, fonts=fonts, illustrate=render_illustration)
    return DockingScene(ctx)


def frame(scene: DockingScene, t: float, language: str = "en") -> bytes:
    surface = pygame.Surface(scene.ctx.size)
    scene.draw(surface, Page(Screen.DOCKING, 0, language), t)
    return pygame.image.tobytes(surface, "RGB")


@pytest.fixture(scope="module")
def scene(story, fonts) -> DockingScene:
    return make_scene(story, fonts)


KEY_TIMES = [t for _, t in tl.KEY_FRAMES]


def test_the_same_moment_draws_the_same_pixels(story, fonts, scene):
    other = make_scene(story, fonts)
    for t in KEY_TIMES:
        assert frame(scene, t) == frame(other, t), f"t={t}"


def test_a_frame_does_not_depend_on_the_frames_before_it(scene):
    first = {t: frame(scene, t) for t in KEY_TIMES}
    for t in reversed(KEY_TIMES):
        frame(scene, t + 0.37)  # something else in between
        assert frame(scene, t) == first[t], f"t={t}"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (0.0, 1.2),
        (21.0, 22.0),
        (31.3, 32.4),
        (43.0, 44.0),
        (48.2, 49.2),
        (64.5, 66.5),
        (tl.CLOSING[0], tl.CLOSING[0] + 1.5),
    ],
)
def test_repainting_only_what_changed_gives_the_full_picture(story, fonts, scene, start, end):
    """Frames drawn one after another on one surface (as the renderer does, restoring
    only what the last frame covered) equal frames drawn from scratch."""
    live = make_scene(story, fonts)
    surface = pygame.Surface(SIZE)
    page = Page(Screen.DOCKING, 0, "en")
    n = round((end - start) * 30)
    for i in range(n):
        t = start + i / 30
        live.draw(surface, page, t)
        if i % 4 == 3:
            assert pygame.image.tobytes(surface, "RGB") == frame(scene, t), f"t={t:.3f}"
    if start < tl.CLOSE_UP[1]:  # small craft over a still sky: most frames repaint only a part
        assert live.compositor.full_repaints < n / 2


def test_frames_move_between_key_frames(scene):
    for t in (2.0, 24.0, 33.0, 43.0, 58.0, 64.0, 76.0):
        assert frame(scene, t) != frame(scene, t + 0.5), f"nothing moves at t={t}"


def test_the_grip_draws_the_hands_together_early(scene):
    grip = tl.REACH[0] + 0.5
    t = tl.meet_time(grip) + 0.5
    scene.grip_at = None
    unheld = frame(scene, t)
    scene.grip_at = grip
    try:
        held = frame(scene, t)
        before = frame(scene, grip - 0.1)
    finally:
        scene.grip_at = None
    assert held != unheld
    assert before == frame(scene, grip - 0.1)


def test_the_closing_line_depends_on_where_the_docking_leads(scene):
    t = tl.KEY_FRAMES[-1][1]
    scene.leads_to_story = True
    try:
        to_story = frame(scene, t)
    finally:
        scene.leads_to_story = False
    assert to_story != frame(scene, t)


def luminance_at(scene: DockingScene, t: float, point: tuple[float, float]) -> float:
    surface = pygame.Surface(scene.ctx.size)
    scene.draw(surface, Page(Screen.DOCKING, 0, "en"), t)
    x, y = round(point[0]), round(point[1])
    total = 0.0
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            c = surface.get_at((x + dx, y + dy))
            total += 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b
    return total / 9


@pytest.mark.parametrize("size", [(800, 480), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_eclipse_darkens_the_sun(story, fonts, size):
    scene = make_scene(story, fonts, size)
    sun = docking_art.sun_view(size, tl.DISC_RATIO).sun
    bright = luminance_at(scene, tl.ECLIPSE[0] + 0.2, sun)
    dark = luminance_at(scene, tl.ECLIPSE_GLIDE[1] + 2, sun)
    assert bright > 200
    assert dark < 40


def test_the_layers_are_drawn_ahead_in_five_slices(story, fonts):
    scene = make_scene(story, fonts)
    slices = list(scene.warm_up())
    assert len(slices) == 5
    assert set(scene._layers) == {
        "background",
        "hatch",
        "soyuz",
        "apollo",
        "arms",
        "clasp",
        "eclipse",
    }


# -- the docking in the running app ------------------------------------------------------------


@pytest.fixture
def app(pygame_ready, story, clock):
    pygame.display.init()
    screen = pygame.display.set_mode(SIZE)
    app = app_for(screen, story, Config(idle_timeout=30, credits_seconds=20), clock=clock)
    yield app
    pygame.display.quit()


def send(app: App, action: Action) -> None:
    app.bus.put(InputEvent(action, "test"))
    app.step()


def test_in_the_app_dock_skips_segments_and_back_leaves(app, clock):
    send(app, Action.DOCK)
    assert app.flow.state.screen is Screen.DOCKING
    clock.advance(3.0)
    send(app, Action.DOCK)
    assert app.flow.docking_time(clock.now) == pytest.approx(tl.MARKS[0])
    clock.advance(1.0)
    send(app, Action.DOCK)
    assert app.flow.docking_time(clock.now) == pytest.approx(tl.MARKS[1])
    send(app, Action.BACK)
    assert app.flow.state.screen is Screen.ATTRACT


def test_in_the_app_a_grip_in_the_handshake_reaches_the_scene(app, clock):
    send(app, Action.HANDSHAKE)  # starts the docking from attract
    clock.advance(tl.REACH[0] + 1.0)
    send(app, Action.HANDSHAKE)
    assert app.flow.state.docking_grip == pytest.approx(tl.REACH[0] + 1.0)
    assert app.renderer.scenes[Screen.DOCKING].grip_at == pytest.approx(tl.REACH[0] + 1.0)


def test_in_the_app_a_docking_left_alone_ends_back_in_attract(app, clock):
    send(app, Action.DOCK)
    clock.advance(tl.TOTAL)
    app.step()
    assert app.flow.state.screen is Screen.CREDITS
    clock.advance(20.0)
    app.step()
    assert app.flow.state.screen is Screen.ATTRACT


# -- sound ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_effects_are_short_clean_and_fade_out(name):
    data = synthesise(name, 8000)
    assert 0.2 * 8000 < len(data) < 3 * 8000
    assert max(abs(v) for v in data) <= 1.0
    assert max(abs(v) for v in data) > 0.2
    tail = data[-len(data) // 10 :]
    assert max(abs(v) for v in tail) < 0.1


def test_effects_are_made_at_the_mixer_rate():
    low, high = synthesise("latch", RATE), synthesise("latch", 2 * RATE)
    assert len(high) == pytest.approx(2 * len(low), abs=2)
    assert resample([0.0, 3.0], 1, 2) == [0.0, 1.0, 2.0, 3.0]


@pytest.mark.parametrize(("fmt", "width"), [(-16, 2), (16, 2), (-8, 1), (8, 1), (32, 4)])
def test_samples_pack_into_the_mixer_format(fmt, width):
    data = pack([0.0, 1.0, -1.0], fmt, 2)
    assert len(data) == 3 * 2 * width


def test_sound_plays_under_the_dummy_audio_driver(pygame_ready):
    assert os.environ.get("SDL_AUDIODRIVER") == "dummy"
    player = SoundPlayer(volume=0.5)
    assert player.available
    player.play("chime")
    assert pygame.mixer.get_busy()
    player.play("no such sound")  # ignored
    pygame.mixer.stop()


def test_muted_sound_plays_nothing(pygame_ready):
    player = SoundPlayer(mute=True)
    assert not player.available
    pygame.mixer.stop()
    player.play("puff")
    assert not pygame.mixer.get_busy()


def test_sound_that_breaks_goes_quiet_instead_of_raising(pygame_ready):
    player = SoundPlayer()
    pygame.mixer.quit()
    try:
        player.play("latch")  # the mixer is gone: pygame raises inside, not here
        assert not player.available
    finally:
        pygame.mixer.init(frequency=RATE, size=-16, channels=2)


def test_without_an_audio_device_the_player_is_silent_and_harmless():
    script = textwrap.dedent(
        """
        import pygame
        from kiosk.sound import SoundPlayer
        player = SoundPlayer()
        player.play("chime")
        print("available", player.available)
        """
    )
    env = dict(os.environ, SDL_AUDIODRIVER="no-such-driver", SDL_VIDEODRIVER="dummy")
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    assert result.returncode == 0, result.stderr
    assert "available False" in result.stdout
    pygame.mixer.stop()
