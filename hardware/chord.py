"""Which actions the debounced buttons produce, including the Back+Next staff chord.

Pure logic with times passed in; :mod:`hardware.buttons` feeds it.

Rules (the chord must never leak a Back or Next into the exhibit):

* Dock and Language act on press.
* Back and Next act on *release*, like a tap on a touch screen, and only if the
  other chord button was not pressed meanwhile.  So the first button of a chord
  has not acted yet when the second goes down, and neither acts afterwards.
* Back and Next held together for ``chord_seconds`` produce one ``STAFF`` action
  (which toggles the overlay); nothing more happens until both are released.
* Releasing one of them early cancels the chord silently.
"""

from __future__ import annotations

from kiosk.core.events import Action

CHORD = ("back", "next")
_ACTIONS = {
    "back": Action.BACK,
    "next": Action.NEXT,
    "dock": Action.DOCK,
    "language": Action.LANGUAGE,
}


class ChordLogic:
    """Turns debounced presses/releases into :class:`Action` values."""

    def __init__(self, chord_seconds: float) -> None:
        self.chord_seconds = chord_seconds
        self.held: set[str] = set()
        self._chord_since: float | None = None  # both held since
        self._spoiled = False  # a chord was attempted: Back/Next stay silent until both up
        self._fired = False

    @property
    def deadline(self) -> float | None:
        """When :meth:`poll` must run for the chord to fire on time, or ``None``."""
        if self._chord_since is None or self._fired:
            return None
        return self._chord_since + self.chord_seconds

    def press(self, name: str, now: float) -> list[Action]:
        """A debounced press of button ``name``."""
        self.held.add(name)
        if name not in CHORD:
            return [_ACTIONS[name]]
        if all(b in self.held for b in CHORD) and not self._spoiled:
            self._spoiled = True
            self._chord_since = now
        return self.poll(now)

    def release(self, name: str, now: float) -> list[Action]:
        """A debounced release of button ``name``."""
        actions = self.poll(now)
        self.held.discard(name)
        if name not in CHORD:
            return actions
        if self._spoiled:
            self._chord_since = None
            if not any(b in self.held for b in CHORD):
                self._spoiled = False
                self._fired = False
            return actions
        return [*actions, _ACTIONS[name]]

    def poll(self, now: float) -> list[Action]:
        """Time passed; returns ``[Action.STAFF]`` when the chord completes."""
        deadline = self.deadline
        if deadline is not None and now >= deadline:
            self._fired = True
            self._chord_since = None
            return [Action.STAFF]
        return []
