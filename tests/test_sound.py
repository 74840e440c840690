"""Sound is driven by the flow's state as the docking's time passes, not by drawing."""

from __future__ import annotations

import pygame

from kiosk.core.flow import FlowState, Page, Screen
from kiosk.docking import timeline as tl
from kiosk.sound import RATE, DockingCues, SoundPlayer


def docking(grip: float | None = None) -> FlowState:
    return FlowState(Page(Screen.DOCKING, 0, "en"), 0.0, 0.0, docking_grip=grip)


def test_the_cues_play_as_the_docking_passes_them(pygame_ready, mocker):
    pygame.mixer.init(frequency=RATE, size=-16, channels=2)
    player = SoundPlayer()
    spy = mocker.spy(player, "play")
    cues = DockingCues(player)
    state = docking()
    t = tl.T_CONTACT
    while t < tl.T_CONTACT + 0.5:
        cues.follow(state, t)
        t += 1 / 30
    assert [c.args[0] for c in spy.call_args_list] == ["latch"]
    spy.reset_mock()
    cues.follow(state, 70.0)  # a jump (a skip, the storyboard): no burst of sounds
    assert spy.call_count == 0


def test_nothing_plays_off_the_docking_and_coming_back_is_not_live(pygame_ready, mocker):
    pygame.mixer.init(frequency=RATE, size=-16, channels=2)
    player = SoundPlayer()
    spy = mocker.spy(player, "play")
    cues = DockingCues(player)
    cues.follow(docking(), tl.T_CONTACT - 0.1)
    cues.follow(FlowState(Page(Screen.ATTRACT, 0, "en"), 0.0, 0.0), 0.0)  # Back: left it
    cues.follow(docking(), tl.T_CONTACT + 0.1)  # a new docking's first turn: not live
    assert spy.call_count == 0
