"""The pure state machine: every transition, timeouts with an injected clock."""

from __future__ import annotations

import copy

import pytest

from kiosk.core.events import Action
from kiosk.core.flow import Flow, Page, Screen, Timings

T0 = 100.0
TIMINGS = Timings(
    idle_timeout=90,
    docking_seconds=20,
    credits_seconds=30,
    transition_seconds=0.5,
    docking_marks=(5.0, 10.0, 15.0),
    grip_window=(10.0, 14.0),
)


def make(chapters: int = 5, dock: int | None = 2, languages=("en", "ru", "nb")) -> Flow:
    return Flow(chapters, dock, languages, "en", TIMINGS, T0)


def page(flow: Flow) -> tuple[Screen, int]:
    p = flow.state.page
    return (p.screen, p.chapter)


def test_starts_in_attract_in_default_language():
    flow = make()
    assert flow.state.page == Page(Screen.ATTRACT, 0, "en")


def test_next_walks_through_every_chapter_then_credits_then_attract():
    flow = make()
    seen = []
    t = T0
    for _ in range(7):
        t += 1
        flow.handle(Action.NEXT, t)
        seen.append(page(flow))
    assert seen == [
        (Screen.CHAPTER, 0),
        (Screen.CHAPTER, 1),
        (Screen.CHAPTER, 2),
        (Screen.CHAPTER, 3),
        (Screen.CHAPTER, 4),
        (Screen.CREDITS, 0),
        (Screen.ATTRACT, 0),
    ]


def test_back_steps_back_and_leaves_the_first_chapter_to_attract():
    flow = make()
    flow.handle(Action.NEXT, T0 + 1)
    flow.handle(Action.NEXT, T0 + 2)
    flow.handle(Action.BACK, T0 + 3)
    assert page(flow) == (Screen.CHAPTER, 0)
    flow.handle(Action.BACK, T0 + 4)
    assert page(flow) == (Screen.ATTRACT, 0)
    assert flow.handle(Action.BACK, T0 + 5) is False  # nothing before attract


def test_back_from_credits_returns_to_last_chapter():
    flow = make()
    for i in range(6):
        flow.handle(Action.NEXT, T0 + i)
    assert page(flow) == (Screen.CREDITS, 0)
    flow.handle(Action.BACK, T0 + 10)
    assert page(flow) == (Screen.CHAPTER, 4)


@pytest.mark.parametrize("action", [Action.DOCK, Action.HANDSHAKE])
def test_dock_from_attract_plays_docking_then_credits(action):
    flow = make()
    assert flow.can_dock()
    assert flow.handle(action, T0 + 1)
    assert page(flow) == (Screen.DOCKING, 0)
    assert not flow.tick(T0 + 1 + 19.9)
    assert flow.tick(T0 + 1 + 20)
    assert page(flow) == (Screen.CREDITS, 0)


@pytest.mark.parametrize("action", [Action.DOCK, Action.HANDSHAKE])
def test_dock_on_docking_chapter_continues_story_afterwards(action):
    flow = make()
    for i in range(3):
        flow.handle(Action.NEXT, T0 + i)
    assert page(flow) == (Screen.CHAPTER, 2)
    flow.handle(action, T0 + 5)
    assert page(flow) == (Screen.DOCKING, 0)
    flow.tick(T0 + 25)
    assert page(flow) == (Screen.CHAPTER, 3)


@pytest.mark.parametrize("chapter", [0, 1, 3, 4])
def test_dock_is_ignored_on_other_chapters(chapter):
    flow = make()
    flow.go_to_chapter(chapter, T0)
    assert not flow.can_dock()
    assert flow.handle(Action.DOCK, T0 + 1) is False
    assert flow.handle(Action.HANDSHAKE, T0 + 2) is False
    assert page(flow) == (Screen.CHAPTER, chapter)


def test_docking_on_last_chapter_leads_to_credits():
    flow = make(chapters=3, dock=2)
    flow.go_to_chapter(2, T0)
    flow.handle(Action.DOCK, T0 + 1)
    flow.tick(T0 + 30)
    assert page(flow) == (Screen.CREDITS, 0)


def test_next_skips_docking_and_back_returns_to_its_origin():
    flow = make()
    flow.go_to_chapter(2, T0)
    flow.handle(Action.DOCK, T0 + 1)
    flow.handle(Action.NEXT, T0 + 2)
    assert page(flow) == (Screen.CHAPTER, 3)
    flow.go_to_chapter(2, T0 + 3)
    flow.handle(Action.DOCK, T0 + 4)
    flow.handle(Action.BACK, T0 + 5)
    assert page(flow) == (Screen.CHAPTER, 2)
    flow.reset(T0 + 6)
    flow.handle(Action.DOCK, T0 + 7)
    flow.handle(Action.BACK, T0 + 8)
    assert page(flow) == (Screen.ATTRACT, 0)


def test_handshake_during_docking_does_not_restart_it():
    flow = make()
    flow.handle(Action.DOCK, T0)
    started = flow.state.entered_at
    assert flow.handle(Action.HANDSHAKE, T0 + 6) is False
    assert flow.state.entered_at == started
    assert flow.docking_time(T0 + 6) == pytest.approx(6.0)


def test_dock_during_docking_jumps_to_the_next_scene_then_ends_it():
    flow = make()
    flow.go_to_chapter(2, T0)
    flow.handle(Action.DOCK, T0 + 1)
    times = []
    now = T0 + 3  # 2 s into the first scene
    for _ in range(3):
        assert flow.handle(Action.DOCK, now) is False  # same page, later in it
        times.append(flow.docking_time(now))
        now += 1
    assert times == [5.0, 10.0, 15.0]
    assert flow.next_deadline(now) == pytest.approx(now - 1 + 5)  # 5 s of the last scene left
    assert flow.handle(Action.DOCK, now) is True  # from the last scene: where it leads
    assert page(flow) == (Screen.CHAPTER, 3)


def test_dock_in_the_middle_of_a_scene_jumps_to_the_next_mark_not_past_it():
    flow = make()
    flow.handle(Action.DOCK, T0)
    flow.handle(Action.DOCK, T0 + 9.99)  # just before the mark at 10
    assert flow.docking_time(T0 + 9.99) == pytest.approx(10.0)


def test_a_grip_in_the_handshake_window_is_remembered_once():
    flow = make()
    flow.handle(Action.DOCK, T0)
    flow.handle(Action.HANDSHAKE, T0 + 9.5)  # before the window: not the handshake
    assert flow.state.docking_grip is None
    flow.handle(Action.HANDSHAKE, T0 + 11.25)
    assert flow.state.docking_grip == pytest.approx(11.25)
    flow.handle(Action.HANDSHAKE, T0 + 12.0)  # a second grip changes nothing
    assert flow.state.docking_grip == pytest.approx(11.25)
    flow.handle(Action.LANGUAGE, T0 + 12.5)  # captions switch, the grip stays
    assert flow.state.docking_grip == pytest.approx(11.25)
    flow.handle(Action.NEXT, T0 + 13)
    assert flow.state.docking_grip is None  # left the docking


def test_a_grip_after_the_window_is_ignored():
    flow = make()
    flow.handle(Action.DOCK, T0)
    flow.handle(Action.HANDSHAKE, T0 + 14.0)
    assert flow.state.docking_grip is None


def test_the_dock_light_stays_on_during_the_docking_because_dock_skips():
    flow = make()
    flow.handle(Action.DOCK, T0)
    assert flow.exhibit_state().can_dock


def test_timeline_marks_and_window_are_the_defaults():
    from kiosk.docking import timeline as tl

    timings = Timings()
    assert timings.docking_seconds == tl.TOTAL
    assert timings.docking_marks == tl.MARKS
    assert timings.grip_window == tl.GRIP_WINDOW


def test_idle_timeout_returns_to_attract_from_a_chapter_and_resets_language():
    flow = make()
    flow.handle(Action.NEXT, T0)
    flow.handle(Action.LANGUAGE, T0 + 1)
    assert flow.language == "ru"
    assert flow.next_deadline(T0 + 1) == T0 + 1 + 90
    assert not flow.tick(T0 + 1 + 89.9)
    assert flow.tick(T0 + 1 + 90)
    assert flow.state.page == Page(Screen.ATTRACT, 0, "en")


def test_input_postpones_idle_timeout():
    flow = make()
    flow.handle(Action.NEXT, T0)
    flow.handle(Action.NEXT, T0 + 80)
    assert not flow.tick(T0 + 160)
    assert flow.tick(T0 + 170)


def test_walking_away_during_a_docking_from_attract_ends_in_attract():
    flow = make()
    flow.handle(Action.DOCK, T0)
    assert flow.next_deadline(T0) == T0 + 20  # the docking ends by itself …
    flow.tick(T0 + 20)
    assert page(flow) == (Screen.CREDITS, 0)
    flow.tick(T0 + 50)  # … and the credits time out
    assert page(flow) == (Screen.ATTRACT, 0)


def test_a_short_idle_timeout_does_not_cut_a_docking_short():
    timings = Timings(idle_timeout=5, docking_seconds=20, credits_seconds=30)
    flow = Flow(5, 2, ("en", "ru"), "en", timings, T0)
    flow.go_to_chapter(2, T0)
    flow.handle(Action.DOCK, T0)
    assert not flow.tick(T0 + 19)  # longer than idle_timeout: still playing
    assert page(flow) == (Screen.DOCKING, 0)
    flow.tick(T0 + 20)
    assert page(flow) == (Screen.CHAPTER, 3)
    assert flow.tick(T0 + 25)  # idle counts from the docking's end
    assert page(flow) == (Screen.ATTRACT, 0)


def test_idle_does_not_interrupt_docking_and_counts_from_its_end():
    flow = make(dock=2)
    flow.go_to_chapter(2, T0)
    flow.handle(Action.DOCK, T0 + 80)  # docking lasts 20 s
    flow.tick(T0 + 100)  # docking ends → chapter 3, visitor watched it
    assert page(flow) == (Screen.CHAPTER, 3)
    assert not flow.tick(T0 + 189)
    assert flow.tick(T0 + 190)
    assert page(flow) == (Screen.ATTRACT, 0)


def test_language_changed_on_attract_times_out_back_to_default():
    flow = make()
    flow.handle(Action.LANGUAGE, T0)
    assert flow.state.page == Page(Screen.ATTRACT, 0, "ru")
    flow.tick(T0 + 90)
    assert flow.language == "en"


def test_attract_in_default_language_has_no_deadline():
    flow = make()
    assert flow.next_deadline(T0) is None
    assert flow.tick(T0 + 10_000) is False


def test_credits_return_to_attract_after_credits_seconds():
    flow = make()
    flow.handle(Action.DOCK, T0)
    flow.tick(T0 + 20)
    assert page(flow) == (Screen.CREDITS, 0)
    assert flow.next_deadline(T0 + 20) == T0 + 20 + 30
    assert not flow.tick(T0 + 49)
    assert flow.tick(T0 + 50)
    assert page(flow) == (Screen.ATTRACT, 0)


def test_language_cycles_and_keeps_the_place():
    flow = make()
    flow.go_to_chapter(3, T0)
    codes = []
    for i in range(3):
        flow.handle(Action.LANGUAGE, T0 + i)
        codes.append(flow.state.page)
    assert [p.language for p in codes] == ["ru", "nb", "en"]
    assert all(p.screen is Screen.CHAPTER and p.chapter == 3 for p in codes)


def test_language_during_docking_keeps_its_clock_and_destination():
    flow = make()
    flow.go_to_chapter(2, T0)
    flow.handle(Action.DOCK, T0 + 1)
    flow.handle(Action.LANGUAGE, T0 + 8)
    assert flow.state.screen is Screen.DOCKING
    assert flow.docking_time(T0 + 9) == pytest.approx(8.0)
    flow.tick(T0 + 21)
    assert flow.state.page == Page(Screen.CHAPTER, 3, "ru")


def test_transition_progress_runs_after_a_change_only():
    flow = make()
    assert flow.transition_progress(T0) == 1.0
    flow.handle(Action.NEXT, T0)
    assert flow.transition_progress(T0) == 0.0
    assert flow.transition_progress(T0 + 0.25) == pytest.approx(0.5)
    assert flow.transition_progress(T0 + 1) == 1.0
    assert flow.state.previous == Page(Screen.ATTRACT, 0, "en")


def test_static_chapter_is_not_animating_once_transition_ends():
    flow = make()
    assert flow.is_animating(T0)  # attract loop moves
    flow.handle(Action.NEXT, T0)
    assert flow.is_animating(T0 + 0.1)
    assert not flow.is_animating(T0 + 0.6)


def test_exhibit_state_for_the_lights():
    flow = make()
    s = flow.exhibit_state()
    assert (s.screen, s.can_back, s.can_dock) == ("attract", False, True)
    flow.go_to_chapter(1, T0)
    s = flow.exhibit_state()
    assert (s.screen, s.can_back, s.can_dock) == ("chapter", True, False)
    flow.go_to_chapter(2, T0)
    assert flow.exhibit_state().can_dock


def test_go_to_chapter_rejects_missing_chapters():
    flow = make()
    with pytest.raises(IndexError, match="chapter 6 does not exist"):
        flow.go_to_chapter(5, T0)


def test_unknown_default_language_falls_back_to_first():
    flow = Flow(3, None, ("en",), "xx", TIMINGS, T0)
    assert flow.language == "en"
    assert flow.handle(Action.DOCK, T0) and flow.state.screen is Screen.DOCKING


def _static_pages_reached(flow: Flow, now: float) -> set[Page]:
    """Where each of Next, Back and Language really leads from here (static pages)."""
    reached = set()
    for action in (Action.NEXT, Action.BACK, Action.LANGUAGE):
        trial = copy.deepcopy(flow)
        trial.handle(action, now)
        if trial.state.page.screen in (Screen.CHAPTER, Screen.CREDITS):
            reached.add(trial.state.page)
    return reached


@pytest.mark.parametrize("language_presses", [0, 1, 2])
def test_the_pages_drawn_ahead_are_where_the_next_press_leads(language_presses):
    flow = make(chapters=5)
    now = T0
    for _ in range(language_presses):
        now += 1
        flow.handle(Action.LANGUAGE, now)
    for _ in range(7):  # attract, every chapter, the credits
        ahead = flow.pages_one_press_away()
        assert _static_pages_reached(flow, now) <= set(ahead)
        assert flow.state.page not in ahead
        now += 1
        flow.handle(Action.NEXT, now)
    assert flow.state.page.screen is Screen.ATTRACT  # past the credits: all were seen


# -- staff: set_language and restore ---------------------------------------------------------


def test_set_language_keeps_the_place_and_is_one_change():
    flow = Flow(5, 2, ("en", "nb", "ru"), "en", Timings(), 0.0)
    flow.go_to_chapter(3, 1.0)
    before = flow.state.page
    assert flow.set_language("ru", 2.0)
    assert flow.state.page == Page(Screen.CHAPTER, 3, "ru")
    assert flow.state.previous == before  # from what was shown, not via nb
    assert flow.state.changed_at == 2.0 and flow.last_input == 2.0
    assert not flow.set_language("ru", 3.0)  # already: nothing changes
    assert flow.last_input == 2.0
    with pytest.raises(ValueError, match="no language 'de'"):
        flow.set_language("de", 4.0)


def test_set_language_during_the_docking_keeps_its_clock():
    flow = Flow(5, 2, ("en", "nb"), "en", Timings(), 0.0)
    flow.handle(Action.DOCK, 1.0)
    entered = flow.state.entered_at
    flow.set_language("nb", 5.0)
    assert flow.state.page == Page(Screen.DOCKING, 0, "nb")
    assert flow.state.entered_at == entered


@pytest.mark.parametrize(
    ("place", "restored"),
    [
        (Page(Screen.CHAPTER, 3, "nb"), Page(Screen.CHAPTER, 3, "nb")),
        (Page(Screen.CHAPTER, 9, "nb"), Page(Screen.ATTRACT, 0, "nb")),  # no such chapter
        (Page(Screen.CREDITS, 0, "ru"), Page(Screen.CREDITS, 0, "ru")),
        (Page(Screen.DOCKING, 0, "ru"), Page(Screen.ATTRACT, 0, "ru")),  # restarts
        (Page(Screen.CHAPTER, 1, "xx"), Page(Screen.CHAPTER, 1, "en")),  # language gone
    ],
)
def test_restore_shows_the_place_another_flow_showed(place, restored):
    flow = Flow(5, 2, ("en", "nb", "ru"), "en", Timings(), 0.0)
    flow.restore(place, 1.0)
    assert flow.state.page == restored
