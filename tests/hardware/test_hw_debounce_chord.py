"""Pure debounce and chord logic with an explicit clock."""

from __future__ import annotations

import pytest

from hardware.chord import ChordLogic
from hardware.debounce import Debouncer
from hardware.events import HardwareEvent
from kiosk.core.events import Action
from kiosk.inputs import input_event


def acts(events: list[HardwareEvent]) -> list[Action]:
    """What the exhibit makes of the chord logic's events (see kiosk.inputs)."""
    return [m.action for m in map(input_event, events) if m is not None]


@pytest.mark.parametrize("transitions", [10, 11])
def test_chatter_gives_exactly_one_press(transitions: int) -> None:
    deb = Debouncer(0.015)
    changes = []
    level = False
    for i in range(transitions):  # 10 or 11 transitions within 5 ms
        level = not level
        changes.append(deb.edge(level, i * 0.0005))
    changes.append(deb.poll(level, 0.020))
    assert [c for c in changes if c is not None].count(True) == 1
    # afterwards the debounced state is the real level
    assert deb.pressed is level


def test_press_is_reported_without_delay_and_release_after_lockout() -> None:
    deb = Debouncer(0.015)
    assert deb.edge(True, 0.0) is True
    assert deb.edge(False, 0.005) is None  # within lock-out
    assert deb.poll(False, 0.010) is None
    assert deb.deadline == 0.015
    assert deb.poll(False, 0.015) is False  # the release during lock-out is not lost
    assert deb.edge(True, 0.016) is None  # new lock-out after the release
    assert deb.poll(True, 0.031) is True


def test_idle_debouncer_has_no_deadline() -> None:
    deb = Debouncer(0.015)
    assert deb.deadline is None
    assert deb.poll(True, 5.0) is None
    assert deb.edge(False, 5.0) is None


def test_single_buttons() -> None:
    chord = ChordLogic(5.0)
    assert acts(chord.press("dock", 0)) == [Action.DOCK]
    assert acts(chord.release("dock", 0.1)) == []
    assert acts(chord.press("next", 1)) == []
    assert acts(chord.release("next", 1.1)) == [Action.NEXT]
    assert acts(chord.press("back", 2)) == []
    assert acts(chord.poll(60)) == []  # a long hold alone is not a chord
    assert acts(chord.release("back", 60)) == [Action.BACK]


def test_chord_fires_once_and_swallows_back_and_next() -> None:
    chord = ChordLogic(5.0)
    out = acts(chord.press("back", 0.0)) + acts(chord.press("next", 0.3))
    out += acts(chord.poll(5.29))
    assert out == []
    assert chord.deadline == pytest.approx(5.3)
    assert acts(chord.poll(5.3)) == [Action.STAFF]
    assert acts(chord.poll(60)) == []
    assert acts(chord.release("next", 61)) + acts(chord.release("back", 62)) == []
    # a second chord toggles again
    assert acts(chord.press("next", 70)) + acts(chord.press("back", 70.1)) == []
    assert acts(chord.release("back", 75.2)) == [Action.STAFF]  # deadline passed before release
    assert acts(chord.release("next", 75.3)) == []


def test_aborted_chord_produces_nothing() -> None:
    chord = ChordLogic(5.0)
    out = acts(chord.press("next", 0)) + acts(chord.press("back", 1))
    out += acts(chord.release("back", 3))
    out += acts(chord.press("back", 3.5))  # re-pressing while Next is still held does not restart
    out += acts(chord.poll(20)) + acts(chord.release("back", 21)) + acts(chord.release("next", 22))
    assert out == []
    assert acts(chord.press("next", 30)) == []
    assert acts(chord.release("next", 30.1)) == [Action.NEXT]


def test_dock_during_chord_still_works() -> None:
    chord = ChordLogic(5.0)
    acts(chord.press("back", 0))
    acts(chord.press("next", 0))
    assert acts(chord.press("dock", 1)) == [Action.DOCK]
    assert acts(chord.poll(5)) == [Action.STAFF]
